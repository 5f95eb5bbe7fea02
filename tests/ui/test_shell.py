"""The shell, driven through real QML with real clicks: navigation, language, elderly mode, idle."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice

from tests.ui.conftest import AppFactory, click, current_screen, find, press_digits, texts_on_screen
from ui.qt import QQmlApplicationEngine, QUrl


def decode_window(app: Any) -> list[str]:
    image = app.window.grabWindow()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(buffer.data().data())))]


SCREENS = sorted((Path(__file__).resolve().parents[2] / "ui" / "qml" / "screens").rglob("*.qml"))


@pytest.mark.parametrize("role,home", [("ordering", "homeOrdering"), ("redemption", "homeRedemption")])
def test_home_screen_follows_the_configured_role(qtbot: Any, make_app: AppFactory, role: str, home: str) -> None:
    app = make_app(station={"role": role, "name": "医财巷西社区实践站"})
    qtbot.waitUntil(lambda: current_screen(app) == home)
    assert "医财巷西社区实践站" in texts_on_screen(app)


def test_home_to_a_screen_and_back_and_home(qtbot: Any, make_app: AppFactory) -> None:
    app = make_app()
    qtbot.waitUntil(lambda: current_screen(app) == "homeOrdering")
    click(qtbot, app, "phoneOrderButton")
    qtbot.waitUntil(lambda: current_screen(app) == "phoneOrderScreen")
    click(qtbot, app, "backButton")
    qtbot.waitUntil(lambda: current_screen(app) == "homeOrdering")

    click(qtbot, app, "orderButton")
    qtbot.waitUntil(lambda: current_screen(app) == "categoriesScreen")
    click(qtbot, app, "category_repair")
    qtbot.waitUntil(lambda: current_screen(app) == "servicesScreen")
    assert "电视维修" in texts_on_screen(app)
    click(qtbot, app, "homeButton")
    qtbot.waitUntil(lambda: current_screen(app) == "homeOrdering")


def test_phone_order_screen_shows_the_station_qr(
    qtbot: Any, make_app: AppFactory, catalogue: dict[str, Any]
) -> None:
    app = make_app()
    click(qtbot, app, "phoneOrderButton")
    qtbot.waitUntil(lambda: current_screen(app) == "phoneOrderScreen")
    qr = find(app, "phoneOrderQr")
    qtbot.waitUntil(lambda: qr.property("paintedWidth") > 0)
    # Decode what is actually on screen, as a phone camera would.
    qtbot.waitUntil(lambda: decode_window(app) == [catalogue["station"]["phone_order_url"]])


def test_language_switch_translates_every_visible_text(qtbot: Any, make_app: AppFactory) -> None:
    app = make_app()
    qtbot.waitUntil(lambda: "我要点单" in texts_on_screen(app))
    click(qtbot, app, "languageButton")
    qtbot.waitUntil(lambda: "Order a service" in texts_on_screen(app))
    assert app.shell.language == "en"
    # Station names come from config/catalogue; everything else must be English now.
    leftovers = [t for t in texts_on_screen(app) if any("\u4e00" <= ch <= "\u9fff" for ch in t)]
    assert leftovers == ["城西区新时代文明实践站", "中文"]
    click(qtbot, app, "languageButton")
    qtbot.waitUntil(lambda: "我要点单" in texts_on_screen(app))


def test_elderly_mode_enlarges_targets_and_text(qtbot: Any, make_app: AppFactory) -> None:
    app = make_app()
    button = find(app, "orderButton")
    qtbot.waitUntil(lambda: button.height() > 0)
    normal_font = button.property("font").pixelSize()
    click(qtbot, app, "elderlyButton")
    qtbot.waitUntil(lambda: app.shell.elderlyMode)
    qtbot.waitUntil(lambda: button.property("font").pixelSize() > normal_font)
    assert button.property("font").pixelSize() >= normal_font * 1.25


def test_idle_timeout_warns_then_goes_home_and_resets(qtbot: Any, make_app: AppFactory) -> None:
    app = make_app(ui={"idle_timeout_s": 10, "idle_warning_s": 3})
    app.idle.configure(timeout_s=1, warning_s=2)  # seconds, so the test takes about three
    cleared: list[bool] = []
    app.session.register(lambda: cleared.append(True))
    click(qtbot, app, "languageButton")
    click(qtbot, app, "orderButton")
    qtbot.waitUntil(lambda: current_screen(app) == "categoriesScreen")
    overlay = find(app, "idleOverlay")
    qtbot.waitUntil(lambda: overlay.isVisible(), timeout=3000)
    assert app.idle.secondsLeft in (1, 2)
    qtbot.waitUntil(lambda: current_screen(app) == "homeOrdering", timeout=4000)
    assert not overlay.isVisible()
    assert cleared == [True]
    assert app.shell.language == "zh_CN"  # back to the configured language for the next person


def test_touching_the_countdown_keeps_the_screen(qtbot: Any, make_app: AppFactory) -> None:
    app = make_app()
    app.idle.configure(timeout_s=1, warning_s=5)
    click(qtbot, app, "orderButton")
    qtbot.waitUntil(lambda: find(app, "idleOverlay").isVisible(), timeout=3000)
    click(qtbot, app, "stillHereButton")
    qtbot.waitUntil(lambda: not find(app, "idleOverlay").isVisible())
    assert current_screen(app) == "categoriesScreen"


def test_no_countdown_on_the_home_screen(qtbot: Any, make_app: AppFactory) -> None:
    app = make_app()
    app.idle.configure(timeout_s=1, warning_s=1)
    qtbot.wait(1500)
    assert not find(app, "idleOverlay").isVisible()
    assert not app.idle.active


@pytest.mark.parametrize("screen", SCREENS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_screen_compiles(qapp: Any, screen: Path) -> None:
    engine = QQmlApplicationEngine()
    from PySide6.QtQml import QQmlComponent

    component = QQmlComponent(engine, QUrl.fromLocalFile(str(screen)))
    assert component.status() != QQmlComponent.Status.Error, component.errorString()


def test_scan_router_gives_scans_back_to_the_screen_below(qapp: Any) -> None:
    from drivers.scanning.simulated import SimulatedScanner
    from kiosk.config import ScannerConfig
    from ui.bridge import GuiBridge
    from ui.scanning import ScanRouter

    scanner = SimulatedScanner(dedup_window_s=ScannerConfig().dedup_window_s)
    router = ScanRouter(scanner, GuiBridge())
    router.register("home", lambda text: None)
    router.register("track", lambda text: None)
    router.claim("home")
    router.claim("track")
    assert router.claimedBy == "track" and scanner.running
    router.claim("home")  # the home screen activated again before the screen above was destroyed
    router.release("track")
    router.release("home")
    assert router.claimedBy == "home" and scanner.running
    router.release("home")
    assert router.claimedBy == "" and not scanner.running


def test_a_step_taller_than_the_screen_says_so_and_scrolls_to_its_button(
    qtbot: Any, make_app: AppFactory, catalogue: dict[str, Any]
) -> None:
    app = make_app(ui={"elderly_mode": True})
    # A real station's address book: enough buildings that, in large text, the question overflows.
    buildings = [{"building": f"{n}栋", "units": ["1单元", "2单元", "3单元"]} for n in range(1, 10)]
    app.catalogue.load({**catalogue, "address_book": buildings})
    app.ordering.start("svc-visit")
    app.nav.push("OrderScreen")
    for answer in (lambda: None, lambda: app.ordering.setForOther(False), lambda: app.ordering.setPhone("13800005678"),
                   lambda: None):
        answer()
        app.ordering.next()
    qtbot.waitUntil(lambda: app.ordering.step == "address")
    more = find(app, "moreBelow")
    qtbot.waitUntil(more.isVisible)
    click(qtbot, app, "building_0")
    click(qtbot, app, "moreBelow")
    qtbot.waitUntil(lambda: not more.isVisible())
    press_digits(qtbot, app, "301")
    click(qtbot, app, "nextButton")
    qtbot.waitUntil(lambda: app.ordering.step == "time")
