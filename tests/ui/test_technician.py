"""Technician mode through the real QML: long-press entry, PIN, lockout across restarts, session
timeout, settings validation, the image printer's test print and remote config from the cloud."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kiosk.config import load
from kiosk.receipt import Receipt
from kiosk.store import open_store
from kiosk.technician import Technician
from tests.ui.conftest import WINDOW, Live, click, current_screen, find, press_digits, texts_on_screen
from ui.app import KioskApplication, KioskOptions

PIN = "246810"

Factory = Callable[..., KioskApplication]


@pytest.fixture
def kiosk(qapp: Any, qtbot: Any, tmp_path: Path, catalogue: dict[str, Any]) -> Iterator[Factory]:
    """A kiosk with a technician PIN; ``restart()`` builds a fresh app on the same data directory."""
    built: list[KioskApplication] = []

    def factory(options: KioskOptions | None = None, pin: str | None = PIN, **overrides: Any) -> KioskApplication:
        layers: dict[str, Any] = {"storage": {"data_dir": str(tmp_path / "data")},
                                  "printer": {"kind": "image"}, "scanner": {"kind": "simulated"}}
        for section, values in overrides.items():
            layers.setdefault(section, {}).update(values)
        loaded = load(tmp_path / "no-site.toml", overrides=layers)
        store, _ = open_store(loaded.config.data_path())
        tech = Technician(store, loaded.config.technician)
        if pin is not None and tech.needs_setup:
            tech.set_initial_pin(pin)
        opts = options or KioskOptions(catalogue=catalogue)
        opts.window_size = WINDOW
        app = KioskApplication(qapp, loaded, store, opts)
        app.window.show()
        built.append(app)
        qtbot.waitUntil(lambda: app.window.contentItem().width() == WINDOW[0])
        return app

    yield factory
    for app in built:
        app.shutdown()
        app.store.close()


def restart(app: KioskApplication, factory: Factory, **kw: Any) -> KioskApplication:
    """Stop the app as the process would at exit, then start a new one on the same data."""
    app.shutdown()
    app.store.close()
    app.shutdown = app.store.close = lambda: None  # type: ignore[method-assign]
    return factory(**kw)


def long_press(qtbot: Any, app: KioskApplication, hold_until: Callable[[], bool]) -> None:
    """Press and hold the top-left corner with real mouse events until ``hold_until``, then release."""
    corner = find(app, "techCorner")
    spot = QPoint(int(corner.width() / 2), int(corner.height() / 2))
    QTest.mousePress(app.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, spot)
    try:
        qtbot.waitUntil(hold_until, timeout=5000)
    finally:
        QTest.mouseRelease(app.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, spot)


def enter_pin(qtbot: Any, app: KioskApplication, pin: str) -> None:
    qtbot.waitUntil(lambda: current_screen(app) == "techPinScreen")
    press_digits(qtbot, app, pin)
    click(qtbot, app, "techPinOk")


def log_in(qtbot: Any, app: KioskApplication) -> None:
    app.nav.push("TechPinScreen")
    enter_pin(qtbot, app, PIN)
    qtbot.waitUntil(lambda: current_screen(app) in ("techMenuScreen", "techWizardScreen"), timeout=5000)
    if current_screen(app) == "techWizardScreen":
        click(qtbot, app, "techWizardLater")
    qtbot.waitUntil(lambda: current_screen(app) == "techMenuScreen")


def test_long_press_on_the_corner_opens_the_pin_screen(qtbot: Any, kiosk: Factory) -> None:
    app = kiosk(technician={"long_press_s": 1.0})
    corner = find(app, "techCorner")
    spot = QPoint(int(corner.width() / 2), int(corner.height() / 2))
    QTest.mouseClick(app.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, spot)
    assert current_screen(app) == "homeOrdering"  # a tap is not a long press
    long_press(qtbot, app, lambda: current_screen(app) == "techPinScreen")
    enter_pin(qtbot, app, PIN)
    # Not enrolled yet: the PIN leads to the setup wizard, which can be left for the menu.
    qtbot.waitUntil(lambda: current_screen(app) == "techWizardScreen", timeout=5000)
    assert app.technician.active and app.technician.wizardStep == "station"
    click(qtbot, app, "techWizardLater")
    qtbot.waitUntil(lambda: current_screen(app) == "techMenuScreen")
    assert any(row["action"] == "technician.login" for row in audit(app))


def audit(app: KioskApplication) -> list[dict[str, Any]]:
    return [dict(row) for row in reversed(app.store.audit_entries(500))]


def test_wrong_pin_shows_attempts_left_then_a_lockout_that_survives_a_restart(qtbot: Any, kiosk: Factory) -> None:
    app = kiosk()
    app.nav.push("TechPinScreen")
    enter_pin(qtbot, app, "135790")
    qtbot.waitUntil(lambda: app.technician.problem == "wrong_pin", timeout=5000)
    assert "还可以再试 2 次，之后需要等待一会儿" in texts_on_screen(app)
    assert "密码不对，请再试一次" in texts_on_screen(app)
    for wrong in ("135791", "135792"):
        press_digits(qtbot, app, wrong)
        click(qtbot, app, "techPinOk")
        qtbot.waitUntil(lambda: not app.technician.busy, timeout=5000)
    qtbot.waitUntil(lambda: app.technician.property("lockedSeconds") > 0)
    assert any(t.startswith("为了安全，请等") for t in texts_on_screen(app))
    assert not find(app, "techKeypad").property("enabled")

    app = restart(app, kiosk)
    app.nav.push("TechPinScreen")
    qtbot.waitUntil(lambda: current_screen(app) == "techPinScreen")
    assert 0 < app.technician.property("lockedSeconds") <= 30
    qtbot.waitUntil(lambda: any(t.startswith("为了安全，请等") for t in texts_on_screen(app)))
    assert not find(app, "techPinOk").property("enabled")
    assert not app.technician.active


def test_technician_session_times_out_back_to_the_public_screens(qtbot: Any, kiosk: Factory) -> None:
    app = kiosk(technician={"session_timeout_s": 30})
    log_in(qtbot, app)
    # Thirty idle seconds are too long for a test: move the session's clock instead of waiting.
    session = app.technician._session
    assert session is not None
    session._last -= 31
    qtbot.waitUntil(lambda: current_screen(app) == "homeOrdering", timeout=3000)
    assert not app.technician.active
    assert any(row["action"] == "technician.session_expired" for row in audit(app))


def type_into(qtbot: Any, app: KioskApplication, name: str, text: str) -> None:
    """Focus a text field by tapping it, clear it, and type ASCII on the (hardware) keyboard."""
    scroll_to(qtbot, app, name)  # the on-screen keyboard may cover it otherwise
    click(qtbot, app, name)
    field = find(app, name)
    qtbot.waitUntil(lambda: bool(field.property("activeFocus")))
    QTest.keyClick(app.window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(app.window, Qt.Key.Key_Backspace)
    for char in text:
        QTest.keyClick(app.window, char)  # type: ignore[call-overload]
    qtbot.waitUntil(lambda: field.property("text") == text)


def scroll_to(qtbot: Any, app: KioskApplication, name: str) -> None:
    """Bring a setting of the long settings page into view, as a finger would by scrolling."""
    item = find(app, name)
    flick = item.parentItem()
    while flick is not None and not flick.inherits("QQuickFlickable"):
        flick = flick.parentItem()
    if flick is None:
        return
    top = item.mapToItem(flick.property("contentItem"), 0, 0).y()
    flick.setProperty("contentY", max(0.0, min(top - 10, flick.property("contentHeight") - flick.height())))


def test_a_config_error_is_shown_and_not_written(qtbot: Any, kiosk: Factory) -> None:
    app = kiosk()
    log_in(qtbot, app)
    click(qtbot, app, "techSettings")
    qtbot.waitUntil(lambda: current_screen(app) == "techSettingsScreen")
    local = app.technician.ports.loaded.local_file
    scroll_to(qtbot, app, "field_ui.idle_timeout_s")
    type_into(qtbot, app, "field_ui.idle_timeout_s", "5")  # the schema allows 10 to 3600
    click(qtbot, app, "techSave")
    qtbot.waitUntil(lambda: app.technician.problem == "invalid_settings")
    assert "有设置不正确，没有保存：请看标红的项目" in texts_on_screen(app)
    assert "这个值不能用（allowed: ≥ 10）" in texts_on_screen(app)
    assert not local.exists()
    assert app.config.ui.idle_timeout_s == 90

    type_into(qtbot, app, "field_ui.idle_timeout_s", "120")
    click(qtbot, app, "techSave")
    qtbot.waitUntil(lambda: app.technician.notice == "saved")
    assert app.config.ui.idle_timeout_s == 120  # applied at once
    assert "idle_timeout_s = 120" in local.read_text(encoding="utf-8")
    assert any(r["action"] == "technician.config_changed" and "ui.idle_timeout_s=120" in r["detail"]
               for r in audit(app))


def test_switch_to_the_image_printer_and_test_print(qtbot: Any, kiosk: Factory, tmp_path: Path) -> None:
    app = kiosk(printer={"kind": "none"})
    log_in(qtbot, app)
    click(qtbot, app, "techSettings")
    qtbot.waitUntil(lambda: current_screen(app) == "techSettingsScreen")
    click(qtbot, app, "choice_printer.kind_image")
    click(qtbot, app, "techSave")
    qtbot.waitUntil(lambda: app.technician.notice == "saved")
    scroll_to(qtbot, app, "techTestPrint")
    click(qtbot, app, "techTestPrint")
    qtbot.waitUntil(lambda: app.technician.notice == "printed", timeout=10000)
    assert "打印完成，请检查小票" in texts_on_screen(app)
    pngs = list((tmp_path / "data" / "receipts").glob("*.png"))
    assert len(pngs) == 1
    # Saved for the next start too, and still a valid config file.
    assert load(tmp_path / "no-site.toml", overrides={"storage": {"data_dir": str(tmp_path / "data")}}
                ).config.printer.kind == "image"


def test_remote_config_is_applied_on_heartbeat_and_shown_read_only(qtbot: Any, live: Live) -> None:
    app = live.make()
    Technician(app.store, app.config.technician).set_initial_pin(PIN)
    device = app.services.client.device_id if app.services.client else None
    assert device is not None
    live.cloud.admin.set_config(device, {"ui.idle_timeout_s": 150, "station.name": "医财巷新站"})
    assert app.services.sync is not None
    app.services.sync.sync_now()
    qtbot.waitUntil(lambda: app.config.ui.idle_timeout_s == 150, timeout=10000)
    qtbot.waitUntil(lambda: app.shell.property("stationName") == "医财巷新站")
    log_in(qtbot, app)
    click(qtbot, app, "techSettings")
    qtbot.waitUntil(lambda: current_screen(app) == "techSettingsScreen")
    scroll_to(qtbot, app, "field_ui.idle_timeout_s")
    assert find(app, "field_ui.idle_timeout_s").property("readOnly")
    assert "由服务平台统一管理，本机只读" in texts_on_screen(app)
    assert not app.technician.save({"ui.idle_timeout_s": 100})
    assert app.technician.fieldProblems == {"ui.idle_timeout_s": "remote_managed"}
    assert any(r["action"] == "config.remote_applied" for r in audit(app))


def test_remote_config_not_written_is_offered_again_and_applied_once_it_can_be(
    qtbot: Any, live: Live, caplog: pytest.LogCaptureFixture
) -> None:
    app = live.make()
    sync, client = app.services.sync, app.services.client
    assert sync is not None and client is not None and client.device_id is not None
    # The kiosk cannot write its settings file (a directory stands where the temporary file goes).
    blocker = app.technician.ports.loaded.local_file.with_suffix(".tmp")
    blocker.mkdir(parents=True)
    version = live.cloud.admin.set_config(client.device_id, {"ui.idle_timeout_s": 150})

    def not_written() -> int:
        return sum(f"remote config {version} not written" in r.getMessage() for r in caplog.records)

    assert sync.heartbeat_once()
    qtbot.waitUntil(lambda: not_written() >= 1, timeout=10000)
    refused = not_written()
    assert sync.heartbeat_once()  # offered again at the next heartbeat
    qtbot.waitUntil(lambda: not_written() > refused, timeout=10000)
    assert app.config.ui.idle_timeout_s != 150
    blocker.rmdir()
    assert sync.heartbeat_once()
    qtbot.waitUntil(lambda: app.config.ui.idle_timeout_s == 150, timeout=10000)
    applied = [r for r in audit(app) if r["action"] == "config.remote_applied"]
    assert len(applied) == 1 and f"version {version}" in applied[0]["detail"]
    assert not sync.refresh_config(version)  # applied now: not offered again


def test_setup_wizard_on_a_fresh_kiosk_enrols_with_the_cloud(qtbot: Any, kiosk: Factory, tmp_path: Path) -> None:
    from cloud.embedded import EmbeddedCloud
    from kiosk.cloud_client import CloudClient

    cloud = EmbeddedCloud(tmp_path / "cloud.sqlite3")
    cloud.start()
    exits: list[int] = []
    try:
        app = kiosk(KioskOptions(setup_wizard=True), pin=None)
        app.technician.ports.exit_app = exits.append
        qtbot.waitUntil(lambda: current_screen(app) == "techWizardScreen")
        assert app.technician.wizardStep == "pin"
        press_digits(qtbot, app, "123456")  # a run: refused
        click(qtbot, app, "techWizardNext")
        press_digits(qtbot, app, "123456")
        click(qtbot, app, "techWizardNext")
        qtbot.waitUntil(lambda: app.technician.problem == "pin_sequence")
        for _ in range(2):
            press_digits(qtbot, app, PIN)
            click(qtbot, app, "techWizardNext")
        qtbot.waitUntil(lambda: app.technician.wizardStep == "station", timeout=5000)
        type_into(qtbot, app, "techStationIdInput", "st-new")
        click(qtbot, app, "techRoleRedemption")
        click(qtbot, app, "techWizardNext")
        qtbot.waitUntil(lambda: app.technician.wizardStep == "cloud")
        code = cloud.admin.enrolment_code("st-yicaixiang-west").code
        app.services.scanner.inject(f"SKE1:{cloud.url}:{code}")  # type: ignore[attr-defined]  # the platform's enrolment QR
        qtbot.waitUntil(lambda: app.technician.wizardStep == "done", timeout=10000)
        local = load(tmp_path / "no-site.toml", overrides={"storage": {"data_dir": str(tmp_path / "data")}}).config
        expected = (cloud.url, "st-yicaixiang-west", "redemption")
        assert (local.cloud.url, local.station.id, local.station.role) == expected
        assert any(r["action"] == "technician.enrolled" for r in audit(app))
        assert CloudClient(cloud.url, connect_timeout=1, read_timeout=3, store=app.store).enrolled
        click(qtbot, app, "techWizardRestart")
        assert exits == [75]
    finally:
        cloud.stop()


def test_a_technician_card_on_a_scanning_screen_opens_the_pin(qtbot: Any, kiosk: Factory) -> None:
    app = kiosk()
    tech = Technician(app.store, app.config.technician)
    card = tech.issue_card(tech.login(PIN), "李师傅")
    app.nav.push("TrackScreen")
    qtbot.waitUntil(lambda: app.scanner.property("claimedBy") == "track")
    app.services.scanner.inject(card.payload)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: current_screen(app) == "techPinScreen")
    qtbot.waitUntil(lambda: "已读取技术员卡，请输入密码" in texts_on_screen(app))
    enter_pin(qtbot, app, PIN)
    qtbot.waitUntil(lambda: app.technician.active, timeout=5000)
    assert audit(app)[-1]["actor"] == f"card:{card.record.id}"


def test_health_says_what_to_do_about_a_printer_out_of_paper(qtbot: Any, kiosk: Factory) -> None:
    from drivers.printing.fake import FakeNetworkPrinter, FakePrinterEngine, FakeState
    from kiosk.devices import PaperState

    fake = FakeNetworkPrinter(FakePrinterEngine(FakeState(paper=PaperState.OUT)))
    try:
        app = kiosk(printer={"kind": "network", "host": fake.host, "port": fake.port})
        log_in(qtbot, app)
        click(qtbot, app, "techHealth")
        qtbot.waitUntil(lambda: any(r["name"] == "printer" for r in app.technician.property("health")),
                        timeout=5000)
        qtbot.waitUntil(lambda: "打印机缺纸：请装入新纸卷" in texts_on_screen(app))
        assert "还没有设置服务平台：请在设置里注册本机" in texts_on_screen(app)
        fake.engine.refill()
        click(qtbot, app, "techHealthRefresh")
        qtbot.waitUntil(lambda: "打印机缺纸：请装入新纸卷" not in texts_on_screen(app), timeout=5000)
        printer = next(r for r in app.technician.property("health") if r["name"] == "printer")
        assert (printer["level"], printer["problem"]) == ("ok", "")
    finally:
        fake.close()


def test_actions_print_reprint_export_and_exit(qtbot: Any, kiosk: Factory, tmp_path: Path) -> None:
    app = kiosk()
    exits: list[int] = []
    app.technician.ports.exit_app = exits.append
    app.technician.ports.usb_roots = [tmp_path / "media"]
    log_in(qtbot, app)
    receipts = tmp_path / "data" / "receipts"

    click(qtbot, app, "techReprint")
    qtbot.waitUntil(lambda: "还没有打印过小票" in texts_on_screen(app))
    click(qtbot, app, "techDiagnostic")
    qtbot.waitUntil(lambda: app.technician.notice == "printed", timeout=10000)
    assert len(list(receipts.glob("*.png"))) == 1
    app.services.print_queue.submit(Receipt().title("小票").cut(), "order", "L12345")
    qtbot.waitUntil(lambda: (job := app.services.print_queue.last_job()) is not None and job.state.value == "printed")
    click(qtbot, app, "techReprint")
    qtbot.waitUntil(lambda: app.technician.notice == "reprint_queued")
    qtbot.waitUntil(lambda: len(list(receipts.glob("*.png"))) == 3, timeout=5000)
    reprint = app.services.print_queue.last_job()
    assert reprint is not None and reprint.ref == "L12345" and reprint.reprint_of is not None
    assert Receipt.from_json(reprint.document).duplicate

    click(qtbot, app, "techSyncNow")
    qtbot.waitUntil(lambda: app.technician.problem == "cloud_not_set")
    click(qtbot, app, "techLogs")
    qtbot.waitUntil(lambda: current_screen(app) == "techLogsScreen")
    click(qtbot, app, "techExportLogs")
    qtbot.waitUntil(lambda: "没有找到U盘：请插入U盘后再试" in texts_on_screen(app))
    click(qtbot, app, "backButton")
    qtbot.waitUntil(lambda: current_screen(app) == "techMenuScreen")
    click(qtbot, app, "techRestart")
    click(qtbot, app, "techQuit")
    assert exits == [75, 10]
    actions = [r["action"] for r in audit(app)]
    assert {"technician.reprint", "technician.restart", "technician.exit"} <= set(actions)


def test_change_pin_from_the_settings_screen(qtbot: Any, kiosk: Factory) -> None:
    app = kiosk()
    log_in(qtbot, app)
    click(qtbot, app, "techSettings")
    qtbot.waitUntil(lambda: current_screen(app) == "techSettingsScreen")
    scroll_to(qtbot, app, "techNewPin")
    type_into(qtbot, app, "techNewPin", "975310")
    type_into(qtbot, app, "techNewPinAgain", "975311")
    click(qtbot, app, "techChangePin")
    qtbot.waitUntil(lambda: "两次输入的密码不一样，请重新输入" in texts_on_screen(app))
    type_into(qtbot, app, "techNewPin", "975310")
    type_into(qtbot, app, "techNewPinAgain", "975310")
    click(qtbot, app, "techChangePin")
    qtbot.waitUntil(lambda: app.technician.notice == "pin_changed", timeout=5000)
    assert "密码已修改" in texts_on_screen(app)
    assert Technician(app.store, app.config.technician).login("975310").active


def test_an_order_cut_off_before_its_receipt_is_listed_and_reprinted_as_a_duplicate(
    qtbot: Any, kiosk: Factory, tmp_path: Path
) -> None:
    from kiosk.receipt import QrCode, Row
    from kiosk.store.orders import Orders

    # What a power cut between storing an order and printing its receipt leaves for the next start.
    store, _ = open_store(tmp_path / "data")
    body = {"service_id": "svc-visit", "client_code": "LCUT23", "created_at": 1764400000.0,
            "time_slot": {"day": "today", "part": "morning"}}
    with store.transaction() as conn:
        Orders.insert_order(conn, "LCUT23", "key-cut-off", "5671", body, 1764400000.0)
    store.close()
    app = kiosk(cloud={"url": "http://127.0.0.1:9", "heartbeat_s": 3600})
    log_in(qtbot, app)
    click(qtbot, app, "techHealth")
    message = "有预约已存下，但居民没拿到小票（可能中途断电）：请点“补打小票”，交给居民"
    qtbot.waitUntil(lambda: message in texts_on_screen(app), timeout=5000)
    cut_off = next(r for r in app.technician.property("health") if r["name"] == "cut_off")
    assert (cut_off["level"], cut_off["value"]) == ("warn", 1)
    click(qtbot, app, "backButton")
    qtbot.waitUntil(lambda: current_screen(app) == "techMenuScreen")
    click(qtbot, app, "techReprint")
    qtbot.waitUntil(lambda: app.technician.notice == "reprint_queued")
    qtbot.waitUntil(lambda: (job := app.services.print_queue.last_job()) is not None and job.state.value == "printed",
                    timeout=10000)
    job = app.services.print_queue.last_job()
    assert job is not None and job.kind == "order" and job.ref == "LCUT23"
    receipt = Receipt.from_json(job.document)
    assert receipt.duplicate  # 补打
    assert any(isinstance(e, QrCode) and e.data == "SKO1:LCUT23:5671" for e in receipt.elements)
    assert any(isinstance(e, Row) and e.value == "上门探访" for e in receipt.elements)
    cut_off = next(r for r in app.technician.property("health") if r["name"] == "cut_off")
    assert (cut_off["value"], cut_off["problem"]) == (0, "")
