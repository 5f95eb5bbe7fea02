"""The demo's embedded cloud and its "scan a sample code" panel.

``kiosk demo`` runs the reference cloud service in-process, enrols the kiosk against it, and offers
sample codes (receipts, volunteer codes) that a click "shows" to the simulated scanner.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.cloud_client import CloudClient
from kiosk.config import KioskConfig
from kiosk.store import open_store
from kiosk.sync import SyncEngine
from ui.qt import Property, QObject, Signal, Slot

log = logging.getLogger(__name__)

DEMO_STATION = "st-nanguan"
DEMO_STATION_NAME = "南关街社区新时代文明实践站"


@dataclass(frozen=True)
class Sample:
    label: str  # shown in the panel (Chinese and English, the panel is for presenters)
    role: str  # which kiosk role it is for
    text: Callable[[], str]  # made on click: member tokens expire within a minute


def start_cloud(data_dir: Path) -> Any:
    """Start the reference service on a free loopback port with the seeded demo district: a copy of the
    seeded template (built once, see cloud.template) unless the data folder has a database already."""
    from cloud.embedded import EmbeddedCloud  # the demo needs the [cloud] extra; `run` never does
    from cloud.template import seeded_copy

    database = data_dir / "cloud.sqlite3"
    if not database.exists():
        seeded_copy(database)
    cloud = EmbeddedCloud(database)
    cloud.start()
    return cloud


def prepare_kiosk(config: KioskConfig, cloud: Any) -> None:
    """Enrol the kiosk (first start only) and fetch the catalogue, so the first frame has it."""
    store, _ = open_store(config.data_path())
    client = CloudClient(cloud.url, connect_timeout=config.cloud.connect_timeout_s,
                         read_timeout=config.cloud.read_timeout_s, store=store)
    try:
        if not client.enrolled:
            client.enrol(cloud.admin.enrolment_code(config.station.id).code, "demo kiosk")
        engine = SyncEngine(store, client, heartbeat_s=config.cloud.heartbeat_s, health=dict,
                            data_dir=config.data_path())
        engine.refresh_catalogue()
        engine.refresh_keys()
    finally:
        client.close()
        store.close()


def samples(cloud: Any) -> list[Sample]:
    admin = cloud.admin
    return [
        Sample("小票：已完成，可评价 / receipt: done, rate it", "ordering", lambda: "SKO1:LP3X9D:1234"),
        Sample("小票：已评价 / receipt: already rated", "ordering", lambda: "SKO1:LK7M2Q:5678"),
        Sample("志愿者码：张秀凤 / volunteer code", "redemption", lambda: admin.member_token("10000128")),
        Sample("志愿者码：马建国 / volunteer code", "redemption", lambda: admin.member_token("10000231")),
        Sample("志愿者卡（需密码 123456）/ card + PIN", "redemption", lambda: "SKC1.10000619"),
    ]


class DemoModel(QObject):
    """The presenter's panel. In production it is present but disabled, so screens need no checks."""

    changed = Signal()

    def __init__(self, role: str, samples: list[Sample], inject: Callable[[str], None] | None) -> None:
        super().__init__()
        self._samples = [s for s in samples if s.role == role]
        self._inject = inject
        self._extra: list[tuple[str, str]] = []

    @Property(bool, constant=True)
    def enabled(self) -> bool:
        return self._inject is not None

    @Property(list, notify=changed)
    def labels(self) -> list[str]:
        return [s.label for s in self._samples] + [label for label, _ in self._extra]

    def offer(self, label: str, text: str) -> None:
        """Add a code made during the demo (the receipt just printed) to the panel."""
        self._extra = [(label, text)]
        self.changed.emit()

    @Slot(int)
    def scan(self, index: int) -> None:
        if self._inject is None:
            return
        if index < len(self._samples):
            self._inject(self._samples[index].text())
        elif index - len(self._samples) < len(self._extra):
            self._inject(self._extra[index - len(self._samples)][1])
