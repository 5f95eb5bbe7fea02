"""Following and rating an order, as QML sees it (the flow is :mod:`kiosk.flows.tracking`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from kiosk.flows.tracking import TrackFlow, TrackPorts, TrackProblem
from ui.catalogue import CatalogueModel
from ui.qt import Property, QObject, Signal, Slot
from ui.runner import FlowStatus, Operation, status_properties


class TrackingModel(QObject, FlowStatus):
    _flow: TrackFlow
    changed = Signal()
    problem, busy = status_properties(changed)

    def __init__(self, ports: TrackPorts, catalogue: CatalogueModel, operation: Operation) -> None:
        super().__init__()
        self._flow = TrackFlow(ports)
        self._catalogue = catalogue
        self._operation = operation  # lookups and ratings may touch the network
        self._problem = ""
        self._step = self._flow.step.value

    def clear(self) -> None:
        self._operation.cancel()
        self._flow.reset()
        self._problem = ""
        self._emit()

    def _run(self, work: Callable[[], TrackProblem | None]) -> None:
        if self._operation.run("track-order", work, self._now, self._failed, on_stale=self.clear):
            self._problem = ""
            self._emit()

    def _failed(self, error: Exception) -> None:
        self._now(TrackProblem.OFFLINE)  # an unexpected failure is still shown, never swallowed

    # -- state -------------------------------------------------------------------------------------

    @Property(str, notify=changed)
    def step(self) -> str:
        return self._step

    @Property(dict, notify=changed)
    def order(self) -> dict[str, Any]:
        view = self._flow.order
        if view is None:
            return {}
        shown = asdict(view)
        if not shown["service"]:
            service = self._catalogue.service(view.service_id) or {}
            shown["service"] = service.get("name", "")
        return shown

    @Property(int, notify=changed)
    def stars(self) -> int:
        return self._flow.stars

    @Property(list, notify=changed)
    def tags(self) -> list[str]:
        return list(self._flow.tags)

    # -- actions -----------------------------------------------------------------------------------

    def scanned(self, text: str) -> None:
        self._run(lambda: self._flow.scanned(text))

    @Slot(str, str)
    def find(self, code: str, last4: str) -> None:
        self._run(lambda: self._flow.find(code, last4))

    @Slot(result=bool)
    def back(self) -> bool:
        moved = self._flow.back()
        self._problem = ""
        self._emit()
        return moved

    @Slot()
    def startRating(self) -> None:
        self._now(self._flow.start_rating())

    @Slot(int)
    def setStars(self, stars: int) -> None:
        self._flow.stars = stars
        self._emit()

    @Slot(str)
    def toggleTag(self, tag: str) -> None:
        self._flow.toggle_tag(tag)
        self._emit()

    @Slot(str)
    def submitRating(self, comment: str) -> None:
        self._flow.comment = comment
        self._run(self._flow.submit_rating)
