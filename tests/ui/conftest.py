"""UI fixtures: the real application object on real QML, driven by clicks on objectNames."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.config import load
from kiosk.store import open_store
from ui.app import KioskApplication, KioskOptions

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# Messages Qt itself prints on a machine without audio or with the stock virtual keyboard; not ours.
IGNORED_CATEGORIES = {"qt.multimedia.symbolsresolver", "qt.qml.propertyCache.append"}


@pytest.fixture(autouse=True)
def fail_on_qml_warnings(request: pytest.FixtureRequest) -> Iterator[list[str]]:
    seen: list[str] = []

    def handler(kind: QtMsgType, context: Any, message: str) -> None:
        serious = kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        if serious and (context.category or "") not in IGNORED_CATEGORIES:
            seen.append(f"[{context.category}] {message}")

    previous = qInstallMessageHandler(handler)
    yield seen
    qInstallMessageHandler(previous)
    if seen:
        pytest.fail("Qt/QML warnings during the test:\n" + "\n".join(seen))


@pytest.fixture
def catalogue() -> dict[str, Any]:
    return json.loads((FIXTURES / "catalogue.json").read_text(encoding="utf-8"))


WINDOW = (540, 960)
AppFactory = Callable[..., KioskApplication]


@pytest.fixture
def make_app(qapp: Any, qtbot: Any, tmp_path: Path, catalogue: dict[str, Any]) -> Iterator[AppFactory]:
    built: list[KioskApplication] = []

    def factory(**overrides: Any) -> KioskApplication:
        layers: dict[str, Any] = {"storage": {"data_dir": str(tmp_path / "data")}}
        for section, values in overrides.items():
            layers.setdefault(section, {}).update(values)
        loaded = load(tmp_path / "no-site.toml", overrides=layers)
        store, _ = open_store(loaded.config.data_path())
        app = KioskApplication(qapp, loaded, store, KioskOptions(window_size=WINDOW, catalogue=catalogue))
        app.window.show()
        built.append(app)
        qtbot.waitUntil(lambda: app.window.contentItem().width() == WINDOW[0])
        return app

    yield factory
    for app in built:
        app.shutdown()
        app.store.close()


def items(app: KioskApplication) -> Iterator[QQuickItem]:
    """Every item in the visual tree (view delegates are not QObject children of the window)."""
    pending = [app.window.contentItem()]
    while pending:
        item = pending.pop()
        yield item
        pending.extend(item.childItems())


def find(app: KioskApplication, name: str) -> QQuickItem:
    item = next((i for i in items(app) if i.objectName() == name), None)
    assert item is not None, f"no item named {name!r} on screen"
    return item


def visible_item(app: KioskApplication, name: str) -> QQuickItem | None:
    for item in items(app):
        if item.objectName() == name and item.isVisible() and item.opacity() > 0:
            return item
    return None


def click(qtbot: Any, app: KioskApplication, name: str) -> None:
    """Click the centre of the visible item called ``name`` with a real mouse event on the window."""
    def ready() -> bool:
        item = visible_item(app, name)
        if item is None or find(app, "stack").property("busy"):
            return False
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
        return 0 <= centre.x() < app.window.width() and 0 <= centre.y() < app.window.height()

    qtbot.waitUntil(ready, timeout=3000)
    item = visible_item(app, name)
    assert item is not None
    centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
    QTest.mouseClick(app.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(int(centre.x()), int(centre.y())))


def current_screen(app: KioskApplication) -> str:
    stack = find(app, "stack")
    item = stack.property("currentItem")
    return item.objectName() if item is not None else ""


def texts_on_screen(app: KioskApplication) -> list[str]:
    """Every visible text on the window, for asserting on what a resident sees."""
    out: list[str] = []

    def walk(item: QQuickItem) -> None:
        if not item.isVisible():
            return
        if item.metaObject().indexOfProperty("text") >= 0 and item.metaObject().className().startswith(
            ("QQuickText", "QQuickTextInput", "QQuickTextEdit")
        ):
            value = item.property("text")
            if isinstance(value, str) and value:
                out.append(value)
        for child in item.childItems():
            walk(child)

    walk(app.window.contentItem())
    return out
