"""The ordering flow as QML sees it: the current step, the answers (phone masked), the problem with
the last answer, and the outcome of submitting. The flow itself lives in :mod:`kiosk.flows.ordering`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from kiosk.flows.ordering import Draft, OrderFlow, PlacedOrder, Step, mask_phone
from ui.catalogue import CatalogueModel
from ui.qt import Property, QObject, Signal, Slot
from ui.runner import Operation, status_properties

Placer = Callable[[Draft], PlacedOrder]


class OrderingModel(QObject):
    changed = Signal()
    placed = Signal()
    problem, busy = status_properties(changed)

    def __init__(self, catalogue: CatalogueModel, operation: Operation, place: Placer,
                 printer_state: Callable[[], str]) -> None:
        super().__init__()
        self._catalogue = catalogue
        self._operation = operation  # placing an order (stored, sent, printed)
        self._place = place
        self._printer_state = printer_state
        self._flow = OrderFlow()
        self._problem = ""
        self._printer_warning = ""
        self._result: dict[str, Any] = {}

    def clear(self) -> None:
        """Forget everything the resident entered (end of order, home, idle timeout)."""
        # An order being placed is still stored and printed; only its answer is not shown to the next person.
        self._operation.cancel()
        self._flow.reset()
        self._problem = ""
        self._result = {}
        self._printer_warning = ""
        self.changed.emit()

    def _update(self, problem: object = None) -> None:
        self._problem = str(problem) if problem else ""
        self.changed.emit()

    # -- state for the screens -----------------------------------------------------------------------

    @Property(str, notify=changed)
    def step(self) -> str:
        return self._flow.step.value

    @Property(int, notify=changed)
    def progressIndex(self) -> int:
        return self._flow.progress()[0]

    @Property(int, notify=changed)
    def progressTotal(self) -> int:
        return self._flow.progress()[1]

    @Property(str, notify=changed)
    def printerWarning(self) -> str:
        return self._printer_warning

    @Property(dict, notify=changed)
    def service(self) -> dict[str, Any]:
        return self._flow.draft.service or {}

    @Property(dict, notify=changed)
    def draft(self) -> dict[str, Any]:
        """The answers for display: phone numbers only ever masked."""
        d = self._flow.draft
        shown = asdict(d)
        shown["phone"] = mask_phone(d.phone) if d.phone else ""
        shown["beneficiary_phone"] = mask_phone(d.beneficiary_phone) if d.beneficiary_phone else ""
        shown["address_line"] = d.address_line()
        shown["at_home"] = d.at_home
        return shown

    def receipt_qr(self) -> str:
        return str(self._result.get("receipt_qr", ""))

    @Slot(str, result=str)
    def entryDigits(self, which: str) -> str:
        """The digits typed at a phone question, only to refill its keypad when the resident comes back."""
        d = self._flow.draft
        return {"phone": d.phone, "beneficiary": d.beneficiary_phone}.get(which, "")

    @Property(dict, notify=changed)
    def result(self) -> dict[str, Any]:
        return self._result

    # -- answers ---------------------------------------------------------------------------------------

    @Slot(str)
    def start(self, service_id: str) -> None:
        service = self._catalogue.service(service_id)
        if service is None:
            return
        self._flow.start(service)
        self._result = {}
        self._update()

    @Slot(result=bool)
    def next(self) -> bool:
        before = self._flow.step
        problem = self._flow.advance()
        if self._flow.step is Step.CONFIRM and before is not Step.CONFIRM:
            self._printer_warning = self._printer_state()
        self._update(problem)
        return problem is None

    @Slot(result=bool)
    def back(self) -> bool:
        moved = self._flow.back()
        self._update()
        return moved

    @Slot(bool)
    def setForOther(self, for_other: bool) -> None:
        self._flow.set_for_other(for_other)
        self._update()

    @Slot(str)
    def setPhone(self, phone: str) -> None:
        self._flow.draft.phone = phone
        self._update()

    @Slot(str, str)
    def setName(self, surname: str, title: str) -> None:
        self._flow.draft.surname, self._flow.draft.title = surname.strip(), title
        self._update()

    @Slot(str, str, str)
    def setBeneficiary(self, phone: str, name: str, relation: str) -> None:
        d = self._flow.draft
        d.beneficiary_phone, d.beneficiary_name, d.relation = phone, name.strip(), relation
        self._update()

    @Slot(str, str, str, str)
    def setAddress(self, building: str, unit: str, room: str, text: str) -> None:
        d = self._flow.draft
        d.building, d.unit, d.room, d.address_text = building, unit, room, text
        self._update()

    @Slot(str, str)
    def setTime(self, day: str, part: str) -> None:
        self._flow.draft.day, self._flow.draft.part = day, part
        self._update()

    @Slot(str)
    def toggleTag(self, tag: str) -> None:
        self._flow.toggle_tag(tag)
        self._update()

    @Slot(str)
    def setNote(self, note: str) -> None:
        self._flow.draft.note = note
        self._update()

    @Slot(bool)
    def setConsent(self, consent: bool) -> None:
        self._flow.draft.consent = consent
        self._update()

    # -- submitting ------------------------------------------------------------------------------------

    @Slot()
    def submit(self) -> None:
        if self._flow.step is not Step.CONFIRM:
            return
        draft = self._flow.draft
        # A failure is shown as "could not save": nothing was committed.
        if self._operation.run("place-order", lambda: self._place(draft), self._placed,
                               lambda _error: self._update("save_failed")):
            self._update()

    def _placed(self, placed: PlacedOrder) -> None:
        self._result = asdict(placed)
        self._flow.finished()
        self._update()
        self.placed.emit()
