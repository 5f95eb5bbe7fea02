"""The resident's ordering flow as a table of steps: which question comes next, which are skipped,
what each one checks. Screens only show the current step and send answers; this module never sees Qt.

One question per screen, a way back from each, and a progress count that ignores skipped steps.
"""

from __future__ import annotations

import enum
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from kiosk.devices import PrinterErrorKind, PrinterStatus
from kiosk.receipt import Receipt
from kiosk.tickets import order_qr

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
MAX_NOTE = 200
MAX_NAME = 20


class Step(enum.StrEnum):
    DETAIL = "detail"
    FOR_WHOM = "for_whom"
    PHONE = "phone"
    NAME = "name"
    BENEFICIARY = "beneficiary"
    ADDRESS = "address"
    TIME = "time"
    NOTES = "notes"
    CONSENT = "consent"
    CONFIRM = "confirm"
    DONE = "done"


class Problem(enum.StrEnum):
    """Why an answer was not accepted; the UI turns each into a sentence."""

    PHONE_EMPTY = "phone_empty"
    PHONE_INVALID = "phone_invalid"
    NAME_TOO_LONG = "name_too_long"
    BENEFICIARY_PHONE_INVALID = "beneficiary_phone_invalid"
    BENEFICIARY_SAME_PHONE = "beneficiary_same_phone"
    RELATION_MISSING = "relation_missing"
    ADDRESS_MISSING = "address_missing"
    NOTE_TOO_LONG = "note_too_long"
    CONSENT_MISSING = "consent_missing"
    NO_SERVICE = "no_service"


def mask_phone(phone: str) -> str:
    """138****5678: the only form a phone number takes after it was typed."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"


@dataclass
class Draft:
    """What the resident has answered so far; cleared at the end of every order."""

    service: dict[str, Any] | None = None
    for_other: bool = False
    phone: str = ""
    surname: str = ""
    title: str = ""  # 先生 / 女士, or empty
    beneficiary_phone: str = ""
    beneficiary_name: str = ""
    relation: str = ""  # family / neighbour / friend
    building: str = ""
    unit: str = ""
    room: str = ""
    address_text: str = ""
    day: str = "any"
    part: str = "any"
    tags: list[str] = field(default_factory=list)
    note: str = ""
    consent: bool = False

    @property
    def at_home(self) -> bool:
        return bool(self.service and self.service.get("location") == "home")

    def address_line(self) -> str:
        parts = [self.building, self.unit, f"{self.room}室" if self.room else ""]
        structured = "".join(p for p in parts if p)
        return " ".join(p for p in (structured, self.address_text.strip()) if p)

    def request_body(self, created_at: float) -> dict[str, Any]:
        """The order as the cloud contract (docs/api.md) wants it; the sync engine adds the client code."""
        assert self.service is not None
        return {
            "service_id": self.service["id"],
            "contact": {"phone": self.phone, "name": self.surname, "title": self.title},
            "beneficiary": (
                {"phone": self.beneficiary_phone, "name": self.beneficiary_name, "relation": self.relation}
                if self.for_other else None
            ),
            "address": {"building": self.building, "unit": self.unit, "room": self.room,
                        "text": self.address_text.strip()},
            "time_slot": {"day": self.day, "part": self.part},
            "tags": list(self.tags),
            "note": self.note.strip(),
            "consent": self.consent,
            "created_at": created_at,
        }


def _check_phone(d: Draft) -> Problem | None:
    if not d.phone:
        return Problem.PHONE_EMPTY
    return None if MOBILE_RE.match(d.phone) else Problem.PHONE_INVALID


def _check_name(d: Draft) -> Problem | None:
    return Problem.NAME_TOO_LONG if len(d.surname.strip()) > MAX_NAME else None


def _check_beneficiary(d: Draft) -> Problem | None:
    if not MOBILE_RE.match(d.beneficiary_phone):
        return Problem.BENEFICIARY_PHONE_INVALID
    if d.beneficiary_phone == d.phone:
        return Problem.BENEFICIARY_SAME_PHONE
    if not d.relation:
        return Problem.RELATION_MISSING
    return Problem.NAME_TOO_LONG if len(d.beneficiary_name.strip()) > MAX_NAME else None


def _check_address(d: Draft) -> Problem | None:
    has_structured = bool(d.building and d.room)
    return None if has_structured or d.address_text.strip() else Problem.ADDRESS_MISSING


def _check_notes(d: Draft) -> Problem | None:
    return Problem.NOTE_TOO_LONG if len(d.note) > MAX_NOTE else None


def _check_consent(d: Draft) -> Problem | None:
    return None if d.consent else Problem.CONSENT_MISSING


def _check_service(d: Draft) -> Problem | None:
    return None if d.service else Problem.NO_SERVICE


@dataclass(frozen=True)
class StepRule:
    step: Step
    check: Callable[[Draft], Problem | None] = lambda d: None
    applies: Callable[[Draft], bool] = lambda d: True
    counted: bool = True  # part of the "question n of m" form


STEPS: tuple[StepRule, ...] = (
    StepRule(Step.DETAIL, check=_check_service, counted=False),
    StepRule(Step.FOR_WHOM),
    StepRule(Step.PHONE, check=_check_phone),
    StepRule(Step.NAME, check=_check_name),
    StepRule(Step.BENEFICIARY, check=_check_beneficiary, applies=lambda d: d.for_other),
    StepRule(Step.ADDRESS, check=_check_address, applies=lambda d: d.at_home),
    StepRule(Step.TIME),
    StepRule(Step.NOTES, check=_check_notes),
    StepRule(Step.CONSENT, check=_check_consent),
    StepRule(Step.CONFIRM, counted=False),
    StepRule(Step.DONE, counted=False),
)
_INDEX = {rule.step: i for i, rule in enumerate(STEPS)}


class OrderFlow:
    """Where the resident is and what they answered. ``advance``/``back`` move along the table.

    Browsing categories and services happens before the flow; it starts on a service's detail page.
    """

    def __init__(self) -> None:
        self.draft = Draft()
        self.step = Step.DETAIL

    def start(self, service: dict[str, Any]) -> None:
        self.draft = Draft(service=service)
        self.step = Step.DETAIL

    def reset(self) -> None:
        self.draft = Draft()
        self.step = Step.DETAIL

    # -- moving ------------------------------------------------------------------------------------

    def _neighbour(self, direction: int) -> Step | None:
        i = _INDEX[self.step] + direction
        while 0 <= i < len(STEPS):
            if STEPS[i].applies(self.draft):
                return STEPS[i].step
            i += direction
        return None

    def advance(self) -> Problem | None:
        """Check the current answer; move on only when it is acceptable."""
        if self.step in (Step.CONFIRM, Step.DONE):
            return None  # submitting is not a move: the caller does it and then calls finished()
        problem = STEPS[_INDEX[self.step]].check(self.draft)
        if problem is None:
            following = self._neighbour(+1)
            if following is not None:
                self.step = following
        return problem

    def back(self) -> bool:
        """One step back; False at the first step (the caller then leaves the flow)."""
        if self.step is Step.DONE:
            return False
        previous = self._neighbour(-1)
        if previous is None:
            return False
        self.step = previous
        return True

    def finished(self) -> None:
        self.step = Step.DONE

    def progress(self) -> tuple[int, int]:
        """(n, m): this is question n of m, counting only the questions that apply."""
        counted = [r.step for r in STEPS if r.counted and r.applies(self.draft)]
        n = counted.index(self.step) + 1 if self.step in counted else 0
        return n, len(counted)

    # -- answers -----------------------------------------------------------------------------------

    def set_for_other(self, for_other: bool) -> None:
        self.draft.for_other = for_other
        if not for_other:
            self.draft.beneficiary_phone = self.draft.beneficiary_name = self.draft.relation = ""

    def toggle_tag(self, tag: str) -> None:
        if tag in self.draft.tags:
            self.draft.tags.remove(tag)
        else:
            self.draft.tags.append(tag)


# -- placing the order -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacedOrder:
    """What the resident is told once the order is safely stored (and possibly sent and printed)."""

    client_code: str
    order_code: str  # the cloud's code; empty while the order waits in the outbox
    synced: bool
    printed: bool
    print_problem: str  # a PrinterErrorKind value when the receipt did not print
    receipt_qr: str
    phone_masked: str
    receipt_image: str = ""  # the image printer's PNG of the receipt, shown on screen (demo, tests)

    @property
    def code(self) -> str:
        return self.order_code or self.client_code


class StoredOrder(Protocol):
    @property
    def client_code(self) -> str: ...

    @property
    def order_code(self) -> str | None: ...

    @property
    def synced(self) -> bool: ...


@dataclass(frozen=True)
class OrderPorts:
    """What placing an order needs from the rest of the kiosk, passed in (no globals)."""

    printer_ready: Callable[[], PrinterStatus]
    submit: Callable[[dict[str, Any]], StoredOrder]
    print_receipt: Callable[[Receipt, str], PrinterErrorKind | None]  # (receipt, order code)
    receipt_for: Callable[[Draft, PlacedOrder, float], Receipt]
    clock: Callable[[], float] = time.time
    # (client code): the resident now has the code; an order never marked so is offered after a restart
    told: Callable[[str], None] = lambda client_code: None


def place_order(draft: Draft, ports: OrderPorts) -> PlacedOrder:
    """Store the order (outbox), then print its receipt. The printer is checked first, but a printer
    that cannot print does not stop the order: the done screen then shows the receipt QR to photograph.
    """
    status = ports.printer_ready()
    now = ports.clock()
    stored = ports.submit(draft.request_body(now))
    code = stored.order_code or stored.client_code
    placed = PlacedOrder(
        client_code=stored.client_code,
        order_code=stored.order_code or "",
        synced=stored.synced,
        printed=False,
        print_problem="",
        receipt_qr=order_qr(code, draft.phone[-4:]),
        phone_masked=mask_phone(draft.phone),
    )
    problem = status.blocking_kind()
    if problem is None:
        problem = ports.print_receipt(ports.receipt_for(draft, placed, now), placed.code)
    # Printed, or shown on the done screen as a QR to photograph: either way the code reaches them now.
    ports.told(stored.client_code)
    return replace(placed, printed=problem is None, print_problem=problem.value if problem else "")

