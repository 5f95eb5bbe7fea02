"""Building the kiosk's long-lived services from config: printer and its queue, scanner, cloud client
and sync engine. The application object owns the result and stops it; nothing here is global.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.printing import NullPrinter, make_printer
from drivers.scanning import make_scanner
from kiosk import __version__
from kiosk.cloud_client import CloudClient
from kiosk.config import KioskConfig
from kiosk.devices import DeviceMissing, PaperState, Printer, PrinterErrorKind, PrinterStatus, Scanner
from kiosk.printing import NOT_CHECKED, PrintJobEvent, PrintQueue
from kiosk.store import Store
from kiosk.sync import SyncEngine, SyncState

log = logging.getLogger(__name__)


def printer_state_code(status: PrinterStatus) -> str:
    """The status strip's code for a printer status (see StatusStrip.qml)."""
    kind = status.blocking_kind()
    if kind is None:
        return "near_end" if status.paper is PaperState.NEAR_END else "ok"
    if kind is PrinterErrorKind.OFFLINE and status is NOT_CHECKED:
        return "unknown"
    return "error" if kind is PrinterErrorKind.HARDWARE else kind.value


@dataclass
class Services:
    printer: Printer
    print_queue: PrintQueue
    scanner: Scanner
    client: CloudClient | None
    sync: SyncEngine | None
    data_dir: Path
    role: str
    started_at: float

    def health(self) -> dict[str, Any]:
        """The heartbeat body (docs/api.md)."""
        status = self.print_queue.status()
        scanner = self.scanner.status()
        sync = self.sync.state if self.sync else None
        return {
            "app_version": __version__,
            "role": self.role,
            "printer": {"online": status.online, "paper": status.paper.value, "detail": status.detail},
            "scanner": {"available": scanner.available, "detail": scanner.detail},
            "outbox_depth": sync.outbox_depth if sync else 0,
            "oldest_outbox_age_s": sync.oldest_age_s if sync else 0.0,
            "last_sync_at": sync.last_sync_at if sync else None,
            "disk_free_mb": shutil.disk_usage(self.data_dir).free // 2**20,
            "uptime_s": time.time() - self.started_at,
        }

    def stop(self) -> None:
        if self.sync is not None:
            self.sync.stop()
        self.scanner.stop()
        self.print_queue.stop(timeout=10.0)
        if self.client is not None:
            self.client.close()


def build_services(
    config: KioskConfig,
    store: Store,
    *,
    on_print_event: Callable[[PrintJobEvent], None],
    on_printer_status: Callable[[PrinterStatus], None],
    on_sync_state: Callable[[SyncState], None],
    on_remote_config: Callable[[dict[str, Any], int], None],
    on_catalogue: Callable[[dict[str, Any]], None],
) -> Services:
    data_dir = config.data_path()
    printer: Printer
    try:
        printer = make_printer(config.printer, data_dir)
    except DeviceMissing as missing:
        log.error("printer unavailable: %s", missing)
        printer = NullPrinter(detail=str(missing))
    queue = PrintQueue(store, printer, on_print_event, on_status=on_printer_status)
    scanner = make_scanner(config.scanner)
    client = sync = None
    services = Services(printer, queue, scanner, None, None, data_dir, config.station.role, time.time())
    if config.cloud.url:
        client = CloudClient(config.cloud.url, connect_timeout=config.cloud.connect_timeout_s,
                             read_timeout=config.cloud.read_timeout_s, store=store)
        sync = SyncEngine(store, client, heartbeat_s=config.cloud.heartbeat_s, health=services.health,
                          on_change=on_sync_state, on_remote_config=on_remote_config, on_catalogue=on_catalogue,
                          data_dir=data_dir)
        services.client, services.sync = client, sync
    else:
        log.warning("cloud.url is not set: orders stay on this kiosk until a technician sets it up")
    queue.start()
    if sync is not None:
        sync.start()
    return services
