"""The application object: builds the services and view models, wires them, and owns their lifetime.

Services are passed in to view models; nothing in the UI reaches for a global. Worker threads (print
queue, sync engine, scanner) report through the one GUI bridge.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from drivers.printing import ImagePrinter
from drivers.scanning.wedge import KeyboardWedgeScanner
from kiosk import __version__
from kiosk.config import LoadedConfig
from kiosk.devices import PrinterErrorKind, PrinterStatus
from kiosk.flows.ordering import Draft, OrderPorts, PlacedOrder, StoredOrder, mask_phone, place_order
from kiosk.flows.redemption import VoucherDesk, voucher_facts
from kiosk.flows.tracking import TrackPorts
from kiosk.fonts import FontMissing, find_cjk_font
from kiosk.operations import print_and_wait
from kiosk.printing import PrintJobEvent
from kiosk.receipt import Receipt
from kiosk.store import Store
from kiosk.store.orders import Redemption
from kiosk.sync import OrderLookup, SyncIssue, SyncState, SyncStatus, SyncUnavailable
from kiosk.technician import Technician, is_card_payload
from kiosk.tickets import OrderReceiptFacts, order_receipt, voucher_receipt
from ui.bridge import GuiBridge
from ui.catalogue import CatalogueModel
from ui.demo import DemoModel, Sample
from ui.i18n import Translator, compile_translations
from ui.navigation import Navigator
from ui.ordering import OrderingModel
from ui.qrimage import QrImageProvider
from ui.qt import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QQmlApplicationEngine,
    QQuickWindow,
    Qt,
    QUrl,
    delete_now,
)
from ui.receipt_words import order_receipt_words, slot_text, voucher_words
from ui.redemption import RedemptionModel
from ui.scanning import ScanRouter
from ui.services import Services, build_services, printer_state_code
from ui.session import IdleMonitor, ResidentSession, ShellModel
from ui.technician import TechnicianModel, TechnicianPorts
from ui.tracking import TrackingModel
from ui.wedge import install_wedge

log = logging.getLogger(__name__)

MAIN_QML = Path(__file__).resolve().parent / "qml" / "Main.qml"


def load_cjk_font(app: QGuiApplication) -> str | None:
    """Make a CJK font the application default so no screen shows boxes; return its family."""
    try:
        path = find_cjk_font()
    except FontMissing as exc:
        log.error("%s", exc)
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.error("font %s could not be loaded", path)
        return None
    app.setFont(QFont(families[0]))
    return str(families[0])


@dataclass
class KioskOptions:
    """How this process shows the kiosk (run: fullscreen kiosk; demo: a window)."""

    fullscreen: bool = False
    window_size: tuple[int, int] | None = None
    catalogue: dict[str, Any] | None = None  # instead of the synced one (tests of the shell alone)
    demo_samples: list[Sample] | None = None  # the demo's sample codes for the simulated scanner
    setup_wizard: bool = False  # an unconfigured kiosk opens the setup wizard at start (kiosk run)


class KioskApplication:
    def __init__(self, app: QGuiApplication, loaded: LoadedConfig, store: Store,
                 options: KioskOptions | None = None) -> None:
        options = options or KioskOptions()
        self.app = app
        self.config = loaded.config
        self.store = store
        self.font_family = load_cjk_font(app)
        compile_translations()

        self.bridge = GuiBridge()
        self.session = ResidentSession()
        self.translator = Translator(app)
        self.shell = ShellModel(self.config, self.session, __version__, self._set_language)
        self.translator.set_language(self.config.ui.language)
        self.idle = IdleMonitor(self.config.ui.idle_timeout_s, self.config.ui.idle_warning_s)
        app.installEventFilter(self.idle)
        self.nav = Navigator()

        self.services: Services = build_services(
            self.config,
            store,
            on_print_event=self.bridge.wrap(self._print_event),
            on_printer_status=self.bridge.wrap(self._printer_status),
            on_sync_state=self.bridge.wrap(self._sync_state),
            on_remote_config=self.bridge.wrap(self._remote_config),
            on_catalogue=self.bridge.wrap(self._catalogue_changed),
        )
        sync = self.services.sync
        self.catalogue = CatalogueModel(sync.images_dir if sync else None)
        self.catalogue.load(options.catalogue if options.catalogue is not None else
                            (sync.catalogue() if sync else None))
        self._fixed_catalogue = options.catalogue is not None
        self.ordering = OrderingModel(self.catalogue, self.bridge, self._place_order,
                                      self.shell.printer_state)
        self.session.register(self.ordering.clear)
        self.scanner = ScanRouter(self.services.scanner, self.bridge)
        self.technician = TechnicianModel(
            TechnicianPorts(Technician(store, self.config.technician), loaded, store, self.services,
                            self._config_applied, app.exit),
            self.bridge, start_wizard=options.setup_wizard)
        self.session.register(self.technician.clear)
        self.scanner.register("tech", self.technician.scanned)
        app.installEventFilter(self.technician)
        logging.getLogger().addHandler(self.technician.recent_log)
        # A keyboard-mode scanner types into the application: its bursts are taken out of the key
        # stream before any text field or the input method sees them.
        self._wedge = (install_wedge(app, self.services.scanner)
                       if isinstance(self.services.scanner, KeyboardWedgeScanner) else None)
        self.tracking = TrackingModel(self._track_ports(), self.catalogue, self.bridge)
        self.session.register(self.tracking.clear)
        self.scanner.register("track", self._or_card(self.tracking.scanned))
        desk = VoucherDesk(sync, self.services.print_queue, self._voucher_receipt) if sync else None
        self.redemption = RedemptionModel(sync, self.config.redemption, self.catalogue, desk, self.bridge)
        self.session.register(self.redemption.clear)
        self.scanner.register("redeem", self._or_card(self.redemption.scanned))
        inject = getattr(self.services.scanner, "inject", None)
        self.demo = DemoModel(self.config.station.role, options.demo_samples or [],
                              inject if options.demo_samples is not None else None)
        self.ordering.placed.connect(lambda: self.demo.offer(
            "小票：刚下的单 / receipt just printed", self.ordering.receipt_qr()))
        self.shell.set_status(scanner="ok" if self.services.scanner.status().available else "missing")

        self.engine = QQmlApplicationEngine()
        self.engine.addImageProvider("qr", QrImageProvider())
        context = self.engine.rootContext()
        for name, obj in {"shell": self.shell, "idle": self.idle, "nav": self.nav,
                          "catalogue": self.catalogue, "ordering": self.ordering, "scanner": self.scanner,
                          "tracking": self.tracking, "redemption": self.redemption,
                          "demo": self.demo, "technician": self.technician}.items():
            context.setContextProperty(name, obj)
        self.engine.load(QUrl.fromLocalFile(str(MAIN_QML)))
        roots = self.engine.rootObjects()
        if not roots:
            self.services.stop()
            raise RuntimeError(f"{MAIN_QML} failed to load (see the QML errors above)")
        window = roots[0]
        assert isinstance(window, QQuickWindow)
        self.window = window
        if options.window_size:
            self.window.resize(*options.window_size)
        if options.fullscreen:
            self.window.showFullScreen()
            app.setOverrideCursor(Qt.CursorShape.BlankCursor)
        self.redemption.recover()  # vouchers confirmed but not printed before a crash

    # -- events from worker threads (already on the GUI thread here) --------------------------------

    def _print_event(self, event: PrintJobEvent) -> None:
        self._printer_status(event.status)

    def _printer_status(self, status: PrinterStatus) -> None:
        code = printer_state_code(status)
        if code in ("ok", "near_end") and self.shell.printer_state() != code:
            self.redemption.recover()  # paper refilled, cover closed: vouchers waiting can come out
        self.shell.set_status(printer=code)

    def _sync_state(self, state: SyncState) -> None:
        self.shell.set_status(cloud=state.status.value)
        if state.status is SyncStatus.ONLINE:
            self.redemption.recover()  # a redemption whose answer was late may be confirmed now

    def _catalogue_changed(self, document: dict[str, Any]) -> None:
        if not self._fixed_catalogue:
            self.catalogue.load(document)

    def _remote_config(self, values: dict[str, Any], version: int) -> None:
        self.technician.remote_config(values, version)

    def _config_applied(self, values: dict[str, Any]) -> None:
        """Settings a technician or the cloud changed that take effect at once."""
        if any(key.startswith("ui.idle_") for key in values):
            self.idle.configure(self.config.ui.idle_timeout_s, self.config.ui.idle_warning_s)
        self.shell.changed.emit()

    def _or_card(self, handler: Callable[[str], None]) -> Callable[[str], None]:
        """A technician card shown on any scanning screen opens technician entry instead."""

        def route(text: str) -> None:
            if is_card_payload(text):
                self.technician.card_scanned(text)
            else:
                handler(text)

        return route

    # -- operations (run on worker threads) -------------------------------------------------------

    def _place_order(self, draft: Draft) -> PlacedOrder:
        sync = self.services.sync
        if sync is None:
            raise RuntimeError("no cloud configured: the order cannot be queued")
        queue = self.services.print_queue
        words = order_receipt_words()

        def receipt_for(d: Draft, placed: PlacedOrder, at: float) -> Receipt:
            service = d.service or {}
            station = self.catalogue.document.get("station", {})
            facts = OrderReceiptFacts(
                station=self.config.station.name,
                hotline=str(station.get("hotline") or self.config.station.hotline),
                code=placed.code, synced=placed.synced,
                service=self.shell.pick(service.get("name")), provider=self.shell.pick(service.get("provider")),
                slot=slot_text(d.day, d.part), contact_masked=placed.phone_masked,
                beneficiary_masked=mask_phone(d.beneficiary_phone) if d.for_other else "",
                address=d.address_line() if d.at_home else "", created_at=at, qr=placed.receipt_qr,
            )
            return order_receipt(facts, words)

        def submit(body: dict[str, Any]) -> StoredOrder:
            return sync.submit_order(body)

        def print_receipt(receipt: Receipt, ref: str) -> PrinterErrorKind | None:
            return print_and_wait(queue, receipt, "order", ref)

        placed = place_order(draft, OrderPorts(printer_ready=queue.check_ready, submit=submit,
                                               print_receipt=print_receipt, receipt_for=receipt_for))
        printer = self.services.printer
        if placed.printed and isinstance(printer, ImagePrinter) and printer.last_path is not None:
            placed = replace(placed, receipt_image=QUrl.fromLocalFile(str(printer.last_path)).toString())
        return placed

    def _voucher_receipt(self, redemption: Redemption) -> Receipt:
        return voucher_receipt(voucher_facts(self.config.station.name, redemption, self.shell.pick), voucher_words())

    def _track_ports(self) -> TrackPorts:
        sync = self.services.sync

        def lookup(code: str, last4: str) -> OrderLookup:
            if sync is None:
                raise SyncUnavailable(SyncIssue.NOT_ENROLLED)
            return sync.order_status(code, last4)

        def rate(code: str, body: dict[str, Any]) -> None:
            if sync is None:
                raise SyncUnavailable(SyncIssue.NOT_ENROLLED)
            sync.submit_rating(code, body)

        def rated_here(code: str) -> bool:
            return sync is not None and sync.orders.rated_here(code)

        return TrackPorts(lookup=lookup, rate=rate, rated_here=rated_here)

    def _set_language(self, language: str) -> None:
        self.translator.set_language(language)
        self.engine.retranslate()

    def shutdown(self) -> None:
        """Tear down the QML before the view models it binds to, then stop the worker threads."""
        self.app.removeEventFilter(self.idle)
        self.app.removeEventFilter(self.technician)
        logging.getLogger().removeHandler(self.technician.recent_log)
        if self._wedge is not None:
            self.app.removeEventFilter(self._wedge)
        self.window.close()
        delete_now(self.engine)
        self.translator.remove()
        self.services.stop()
