"""Regenerate docs/screenshots/*.png: every screen as a resident sees it, in zh_CN, English and elderly
mode, on the demo setup (embedded reference cloud, image printer, simulated scanner).

Run with ``make screenshots`` (offscreen; no display needed). ``python docs/screenshots.py DIR`` writes
the pictures to DIR instead, to look at them without touching the committed ones.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtTest import QTest

from kiosk.store import open_store
from kiosk.technician import Technician
from ui.app import KioskApplication, KioskOptions
from ui.demo import DEMO_STATION, DEMO_STATION_NAME, prepare_kiosk, samples, start_cloud
from ui.main import demo_config
from ui.qt import QGuiApplication, QQuickItem

OUT = Path(__file__).resolve().parent / "screenshots"
SIZE = (720, 1280)
VARIANTS = (("zh_CN", False, "zh_CN"), ("en", False, "en"), ("zh_CN", True, "elderly"))

Scene = Callable[[KioskApplication], None]
CLOUD: list[Any] = []  # the running demo cloud, for scenes that need fresh member tokens
TECH_PIN = "246810"


def settle(ms: int = 400) -> None:
    QTest.qWait(ms)


def wait_for(predicate: Callable[[], bool], timeout_ms: int = 15000) -> None:
    waited = 0
    while not predicate():
        if waited > timeout_ms:
            raise TimeoutError("screen did not reach the expected state")
        QTest.qWait(50)
        waited += 50


def shoot(app: KioskApplication, name: str, variant: str) -> None:
    settle()
    path = OUT / f"{name}-{variant}.png"
    app.window.grabWindow().save(str(path))
    print(path)


def order_steps(app: KioskApplication, variant: str) -> None:
    """Home → categories → services → every question of the order form → done."""
    shoot(app, "home-ordering", variant)
    app.nav.push("CategoriesScreen")
    shoot(app, "order-1-categories", variant)
    app.nav.push("ServicesScreen", {"categoryId": "elderly"})
    shoot(app, "order-2-services", variant)
    app.ordering.start("svc-elderly-visit")
    app.nav.push("OrderScreen")
    shoot(app, "order-3-detail", variant)
    answers: list[tuple[str, Callable[[], None]]] = [
        ("for_whom", lambda: app.ordering.setForOther(False)),
        ("phone", lambda: app.ordering.setPhone("13800005678")),
        ("name", lambda: app.ordering.setName("王", "女士")),
        ("address", lambda: app.ordering.setAddress("1栋", "2单元", "301", "")),
        ("time", lambda: app.ordering.setTime("tomorrow", "morning")),
        ("notes", lambda: app.ordering.toggleTag("mobility")),
        ("consent", lambda: app.ordering.setConsent(True)),
    ]
    app.ordering.next()
    for number, (step, answer) in enumerate(answers, start=4):
        wait_for(lambda step=step: app.ordering.step == step)  # type: ignore[misc]
        answer()
        shoot(app, f"order-{number}-{step.replace('_', '-')}", variant)
        app.ordering.next()
    wait_for(lambda: app.ordering.step == "confirm")
    shoot(app, "order-11-confirm", variant)
    app.ordering.submit()
    wait_for(lambda: app.ordering.step == "done")
    shoot(app, "order-12-done", variant)
    app.nav.home()


def track_steps(app: KioskApplication, variant: str, *, rate: bool) -> None:
    app.nav.push("TrackScreen")
    shoot(app, "track-1-scan", variant)
    app.services.scanner.inject("SKO1:LP3X9D:1234")  # type: ignore[attr-defined]
    wait_for(lambda: app.tracking.step == "status")
    shoot(app, "track-2-status", variant)
    if rate:
        app.tracking.startRating()
        app.tracking.setStars(5)
        app.tracking.toggleTag("on_time")
        shoot(app, "track-3-rate", variant)
    app.nav.home()


def phone_order(app: KioskApplication, variant: str) -> None:
    app.nav.push("PhoneOrderScreen")
    shoot(app, "phone-order", variant)
    app.nav.home()


def idle_countdown(app: KioskApplication, variant: str) -> None:
    app.nav.push("CategoriesScreen")
    app.idle.configure(timeout_s=1, warning_s=15)
    wait_for(lambda: app.idle.warning)
    settle(1200)
    shoot(app, "idle-countdown", variant)
    app.idle.configure(timeout_s=app.config.ui.idle_timeout_s, warning_s=app.config.ui.idle_warning_s)
    app.nav.home()


def redemption_steps(app: KioskApplication, variant: str, cloud: Any) -> None:
    """Scan a volunteer code → summary → gifts → cart → confirm → voucher; then card + PIN."""
    shoot(app, "home-redemption", variant)
    scanner: Any = app.services.scanner
    # A different volunteer per variant: the ticket is limited to one per person.
    member = {"zh_CN": "10000128", "en": "10000412", "elderly": "10000231"}[variant]
    scanner.inject(cloud.admin.member_token(member))
    wait_for(lambda: app.redemption.step == "summary")
    shoot(app, "redeem-1-summary", variant)
    app.redemption.go("gifts")
    app.redemption.setCategory("ticket")
    settle(800)  # gift images load asynchronously
    shoot(app, "redeem-2-gifts", variant)
    app.redemption.add("gift-canvas-bag")
    app.redemption.add("gift-canvas-bag")
    app.redemption.add("gift-ticket-kumbum")
    app.redemption.go("cart")
    shoot(app, "redeem-3-cart", variant)
    app.redemption.go("confirm")
    shoot(app, "redeem-4-confirm", variant)
    app.redemption.redeem()
    wait_for(lambda: app.redemption.step == "voucher")
    shoot(app, "redeem-5-voucher", variant)
    app.nav.home()


def redemption_card(app: KioskApplication, variant: str) -> None:
    scanner: Any = app.services.scanner
    scanner.inject("SKC1.10000619")
    wait_for(lambda: app.redemption.step == "pin")
    shoot(app, "redeem-card-pin", variant)
    app.nav.home()


def browse_gifts(app: KioskApplication, variant: str) -> None:
    app.nav.push("GiftsScreen")
    wait_for(lambda: len(app.catalogue.gifts) > 0)
    settle(800)
    shoot(app, "gifts", variant)
    app.nav.home()


def technician_screens(app: KioskApplication, variant: str) -> None:
    """PIN (a wrong one first), menu, health, settings with a refused value, logs."""
    tech = app.technician
    app.nav.push("TechPinScreen")
    shoot(app, "tech-1-pin", variant)
    tech.login("111111")
    wait_for(lambda: not tech.busy and tech.problem != "")
    shoot(app, "tech-2-wrong-pin", variant)
    tech.login(TECH_PIN)
    wait_for(lambda: not tech.busy and current(app) == "techMenuScreen")
    shoot(app, "tech-3-menu", variant)
    app.nav.push("TechHealthScreen")
    tech.refreshHealth()
    wait_for(lambda: not tech.busy)
    shoot(app, "tech-4-health", variant)
    app.nav.back()
    app.nav.push("TechSettingsScreen")
    tech.save({"ui.idle_timeout_s": "5"})
    shoot(app, "tech-5-settings-error", variant)
    app.nav.back()
    app.nav.push("TechLogsScreen")
    tech.loadLogs()
    shoot(app, "tech-6-logs", variant)
    tech.logout()
    app.nav.home()


def current(app: KioskApplication) -> str:
    stack = app.window.findChild(QQuickItem, "stack")
    item = stack.property("currentItem") if stack is not None else None
    return item.objectName() if item is not None else ""


def run_role(qapp: QGuiApplication, work: Path, cloud: object, role: str,
             scenes: Callable[[KioskApplication, str, bool], None]) -> None:
    data = work / role
    loaded = demo_config(data, role=role, language="zh_CN", elderly=False, cloud_url=cloud.url)  # type: ignore[attr-defined]
    prepare_kiosk(loaded.config, cloud)
    store, _ = open_store(loaded.config.data_path())
    if Technician(store, loaded.config.technician).needs_setup:
        Technician(store, loaded.config.technician).set_initial_pin(TECH_PIN)
    app = KioskApplication(qapp, loaded, store, KioskOptions(window_size=SIZE, demo_samples=samples(cloud)))
    app.window.show()
    wait_for(lambda: app.shell.cloudState == "online" and len(app.catalogue.categories) > 0)
    try:
        for index, (language, elderly, variant) in enumerate(VARIANTS):
            app.shell.setLanguage(language)
            app.shell.setElderlyMode(elderly)
            scenes(app, variant, index == 0)
            # Going home restores the configured language and size; set them again for the next scene.
    finally:
        app.shutdown()
        store.close()


def ordering_scenes(app: KioskApplication, variant: str, first: bool) -> None:
    language, elderly = app.shell.language, app.shell.elderlyMode

    def again() -> None:
        app.shell.setLanguage(language)
        app.shell.setElderlyMode(elderly)

    order_steps(app, variant)
    again()
    track_steps(app, variant, rate=True)
    again()
    phone_order(app, variant)
    again()
    idle_countdown(app, variant)


def redemption_scenes(app: KioskApplication, variant: str, first: bool) -> None:
    language, elderly = app.shell.language, app.shell.elderlyMode
    for scene in (lambda: redemption_steps(app, variant, CLOUD[0]), lambda: redemption_card(app, variant),
                  lambda: browse_gifts(app, variant), lambda: technician_screens(app, variant)):
        app.shell.setLanguage(language)
        app.shell.setElderlyMode(elderly)
        scene()


def wizard(qapp: QGuiApplication, work: Path, cloud: Any) -> None:
    """First start of an unconfigured kiosk: PIN, station, cloud enrolment."""
    for language, elderly, variant in VARIANTS:
        data = work / f"wizard-{variant}"
        loaded = demo_config(data, role="ordering", language=language, elderly=elderly, cloud_url="")
        store, _ = open_store(loaded.config.data_path())
        app = KioskApplication(qapp, loaded, store, KioskOptions(window_size=SIZE, setup_wizard=True))
        app.window.show()
        try:
            tech = app.technician
            wait_for(lambda: current(app) == "techWizardScreen")  # noqa: B023
            shoot(app, "wizard-1-pin", variant)
            tech.setInitialPin(TECH_PIN, TECH_PIN)
            wait_for(lambda: tech.wizardStep == "station")  # noqa: B023
            shoot(app, "wizard-2-station", variant)
            tech.saveStation(DEMO_STATION, DEMO_STATION_NAME, "ordering")
            wait_for(lambda: tech.wizardStep == "cloud")  # noqa: B023
            shoot(app, "wizard-3-cloud", variant)
            tech.enrol(cloud.url, cloud.admin.enrolment_code(DEMO_STATION).code)
            wait_for(lambda: tech.wizardStep == "done")  # noqa: B023
            shoot(app, "wizard-4-done", variant)
        finally:
            app.shutdown()
            store.close()


def main() -> int:
    global OUT
    if len(sys.argv) > 1:
        OUT = Path(sys.argv[1]).resolve()
    OUT.mkdir(parents=True, exist_ok=True)
    qapp = QGuiApplication(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="kiosk-screenshots-"))
    cloud = start_cloud(work)
    CLOUD.append(cloud)
    try:
        run_role(qapp, work, cloud, "ordering", ordering_scenes)
        run_role(qapp, work, cloud, "redemption", redemption_scenes)
        wizard(qapp, work, cloud)
    finally:
        cloud.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
