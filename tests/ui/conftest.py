"""UI fixtures: the real application object on real QML, driven by clicks on objectNames."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.config import load
from kiosk.store import open_store
from ui.app import KioskApplication, KioskOptions
from ui.main import QT_NOISE_CATEGORIES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"



@pytest.fixture(autouse=True)
def fail_on_qml_warnings(request: pytest.FixtureRequest) -> Iterator[list[str]]:
    seen: list[str] = []

    def handler(kind: QtMsgType, context: Any, message: str) -> None:
        serious = kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
        if serious and (context.category or "") not in QT_NOISE_CATEGORIES:
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
    last: list[tuple[float, float]] = []

    def ready() -> bool:
        # Layouts settle at the next polish: wait until the target is shown, on screen, and has not
        # moved since the previous look, so the click lands where a finger would.
        item = visible_item(app, name)
        if item is None or find(app, "stack").property("busy"):
            return False
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
        here = (centre.x(), centre.y())
        settled = bool(last) and last[-1] == here
        last.append(here)
        on_screen = 0 <= here[0] < app.window.width() and 0 <= here[1] < app.window.height()
        return settled and on_screen and not clipped_away(item, centre)

    qtbot.waitUntil(ready, timeout=3000)
    # Every screen a test passes through is also checked for a full mobile number (privacy rule).
    assert full_numbers_on_screen(app) == [], f"full phone number on screen before clicking {name}"
    item = visible_item(app, name)
    assert item is not None
    tap(app, item)


def clipped_away(item: QQuickItem, point: QPointF) -> bool:
    """True when a clipping ancestor (a scrolled list or step) hides ``point``: a finger cannot reach it."""
    parent = item.parentItem()
    while parent is not None:
        if parent.clip():
            local = parent.mapFromScene(point)
            if not (0 <= local.x() < parent.width() and 0 <= local.y() < parent.height()):
                return True
        parent = parent.parentItem()
    return False


def tap(app: KioskApplication, item: QQuickItem) -> None:
    """A real mouse click at the centre of ``item``."""
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
        if any(item.inherits(cls) for cls in ("QQuickText", "QQuickTextInput", "QQuickTextEdit")):
            value = item.property("text")
            if isinstance(value, str) and value:
                out.append(value)
        for child in item.childItems():
            walk(child)

    walk(app.window.contentItem())
    return out


MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@dataclass
class Live:
    """A kiosk against the real reference service, through a proxy that can take the network away."""

    cloud: Any
    proxy: Any
    data: Path
    make: Callable[..., KioskApplication]


@pytest.fixture
def cloud_settings() -> Any:
    """The reference service's limits for ``live`` (None: its defaults); a test module may override it."""
    return None


@pytest.fixture
def live(qapp: Any, qtbot: Any, tmp_path: Path, cloud_settings: Any) -> Iterator[Live]:
    from cloud.embedded import EmbeddedCloud
    from kiosk.cloud_client import CloudClient
    from tests.kiosk.faultproxy import FaultProxy

    cloud = EmbeddedCloud(tmp_path / "cloud.sqlite3", settings=cloud_settings)
    cloud.start()
    proxy = FaultProxy(int(cloud.url.rsplit(":", 1)[1]))
    url = proxy.start()
    data = tmp_path / "kiosk"
    built: list[KioskApplication] = []

    def make(**overrides: Any) -> KioskApplication:
        layers: dict[str, Any] = {
            "station": {"id": "st-nanguan", "name": "南关街社区新时代文明实践站"},
            "cloud": {"url": url, "connect_timeout_s": 1.0, "read_timeout_s": 3.0},
            "printer": {"kind": "image"},
            "scanner": {"kind": "simulated", "dedup_window_s": 0.0},
            "storage": {"data_dir": str(data)},
        }
        for section, values in overrides.items():
            layers.setdefault(section, {}).update(values)
        loaded = load(tmp_path / "no-site.toml", overrides=layers)
        store, _ = open_store(data)
        client = CloudClient(url, connect_timeout=1.0, read_timeout=3.0, store=store)
        if not client.enrolled:
            client.enrol(cloud.admin.enrolment_code("st-nanguan").code, "test kiosk")
        client.close()
        app = KioskApplication(qapp, loaded, store, KioskOptions(window_size=WINDOW))
        app.window.show()
        built.append(app)
        qtbot.waitUntil(lambda: app.window.contentItem().width() == WINDOW[0])
        qtbot.waitUntil(lambda: len(app.catalogue.categories) > 0, timeout=10000)
        return app

    yield Live(cloud, proxy, data, make)
    for app in built:
        app.shutdown()
        app.store.close()
    proxy.stop()
    cloud.stop()


def press_digits(qtbot: Any, app: KioskApplication, digits: str) -> None:
    for digit in digits:
        click(qtbot, app, f"key_{digit}")


def full_numbers_on_screen(app: KioskApplication) -> list[str]:
    return [t for t in texts_on_screen(app) if MOBILE.search(t)]
