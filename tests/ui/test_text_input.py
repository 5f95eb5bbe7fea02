"""Typing Chinese with the in-app virtual keyboard (Pinyin), by tapping its keys."""

from __future__ import annotations

from typing import Any

from PySide6.QtQuick import QQuickItem

from tests.ui.conftest import AppFactory, click, find, items, tap


def virtual_key(app: Any, text: str) -> QQuickItem:
    for item in items(app):
        is_key = item.metaObject().className().startswith(("Key_", "SpaceKey_"))
        if is_key and item.property("text") == text and item.isVisible():
            return item
    raise AssertionError(f"no visible virtual key {text!r}")


def candidate(app: Any, text: str) -> QQuickItem | None:
    """The word-candidate entry showing ``text``, if the Pinyin engine offers it."""
    for item in items(app):
        if item.metaObject().className().startswith("SelectionListItem") and item.isVisible():
            pending = list(item.childItems())
            while pending:
                child = pending.pop()
                if child.inherits("QQuickText") and child.property("text") == text:
                    return item
                pending.extend(child.childItems())
    return None


def test_pinyin_zhang_becomes_the_surname(qtbot: Any, make_app: AppFactory) -> None:
    app = make_app()
    app.ordering.start("svc-visit")
    app.nav.push("OrderScreen")
    for answer in (lambda: None, lambda: app.ordering.setForOther(False), lambda: app.ordering.setPhone("13800005678")):
        answer()
        app.ordering.next()
    qtbot.waitUntil(lambda: app.ordering.step == "name")
    click(qtbot, app, "surnameField")
    panel = find(app, "inputPanel")
    qtbot.waitUntil(lambda: panel.isVisible() and panel.property("active"))
    qtbot.waitUntil(lambda: virtual_key(app, "w").width() > 0)
    for letter in "zhang":
        tap(app, virtual_key(app, letter))
    qtbot.waitUntil(lambda: candidate(app, "张") is not None)
    tap(app, virtual_key(app, " "))  # space takes the first candidate, as on a phone
    qtbot.waitUntil(lambda: find(app, "surnameField").property("text") == "张")
    click(qtbot, app, "titleMr")
    click(qtbot, app, "nextButton")
    qtbot.waitUntil(lambda: app.ordering.step == "address")
    assert (app.ordering.draft["surname"], app.ordering.draft["title"]) == ("张", "先生")
    qtbot.waitUntil(lambda: not panel.property("active"))
