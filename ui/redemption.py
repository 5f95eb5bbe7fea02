"""Gift redemption as QML sees it: the step, the member (masked), gifts with what they cost this
volunteer, the cart, the voucher. The flow itself is :mod:`kiosk.flows.redemption`; anything that talks
to the cloud or the printer runs on a worker thread and comes back through the GUI bridge.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import Enum
from typing import Any

from kiosk.config import RedemptionConfig
from kiosk.flows.redemption import RedeemProblem, RedeemStep, RedemptionFlow, VoucherDesk
from kiosk.sync import SyncEngine
from kiosk.tickets import spaced_code, voucher_qr
from ui.catalogue import CatalogueModel
from ui.qt import Property, QObject, QTimer, Signal, Slot
from ui.runner import FlowStatus, Operation, status_properties

log = logging.getLogger(__name__)

_FLOW_STEPS = frozenset(s.value for s in RedeemStep) - {RedeemStep.SCAN.value}
POLL_MS = 1000
HOME_PROBLEM_MS = 20_000  # a refusal on the home screen is not left for the next person to read


class RedemptionModel(QObject, FlowStatus):
    _flow: RedemptionFlow
    changed = Signal()
    opened = Signal()  # a volunteer's code was taken on the home screen: show the flow
    problem, busy = status_properties(changed)

    def __init__(self, engine: SyncEngine | None, config: RedemptionConfig, catalogue: CatalogueModel,
                 desk: VoucherDesk | None, operation: Operation, recovery: Operation) -> None:
        super().__init__()
        self._catalogue = catalogue
        self._desk = desk
        self._flow = RedemptionFlow(engine, config, lambda: list(catalogue.document.get("gifts", [])), desk)
        self._step = self._flow.step.value
        self._problem = ""
        self._operation = operation  # the volunteer's steps; cancelled per volunteer
        self._recovery = recovery  # vouchers left unprinted: may wait for the printer, so on its own lane
        self._category = ""
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._poll_once)
        self._forget = QTimer(self)
        self._forget.setSingleShot(True)
        self._forget.setInterval(HOME_PROBLEM_MS)
        self._forget.timeout.connect(self._forget_problem)
        catalogue.changed.connect(self.changed)

    def clear(self) -> None:
        """Forget the volunteer (end of the session, home, idle timeout)."""
        self._poll.stop()
        self._operation.cancel()
        self._flow.reset()
        self._problem = ""
        self._category = ""
        self._emit()

    # -- running flow steps --------------------------------------------------------------------------

    def _run(self, work: Callable[[], RedeemProblem | None], name: str) -> None:
        before = self._flow.step
        if self._operation.run(f"redeem-{name}", work, lambda problem: self._done(problem, before),
                               # a local failure (database, printer queue) is shown, never swallowed
                               lambda _error: self._done(RedeemProblem.SERVICE_ERROR, before),
                               on_stale=self._left):
            self._problem = ""
            self._emit()

    def _left(self) -> None:
        # The volunteer left (home, idle timeout) while a step ran: forget what it brought back.
        # A voucher it confirmed but could not print yet is printed by the recovery.
        self._flow.reset()
        self._now(None)
        self.recover()

    def _done(self, problem: RedeemProblem | None, before: RedeemStep) -> None:
        self._now(problem)
        if self._flow.step is RedeemStep.PENDING:
            self._poll.start()
        else:
            self._poll.stop()
        if before in (RedeemStep.SCAN, RedeemStep.VOUCHER, RedeemStep.QUEUED) and self._step in _FLOW_STEPS:
            self.opened.emit()

    def _now(self, problem: Enum | None) -> bool:
        if not super()._now(problem) and self._flow.step is RedeemStep.SCAN:
            self._forget.start()
        return problem is None

    def _forget_problem(self) -> None:
        if self._flow.step is RedeemStep.SCAN and not self._operation.busy:
            self._problem = ""
            self._emit()

    def _poll_once(self) -> None:
        self._run(self._flow.poll, "poll")

    def scanned(self, text: str) -> None:
        """A code shown to the scanner (any step: a new volunteer, or the same one again)."""
        self._run(lambda: self._flow.scan(text), "scan")

    def recover(self) -> None:
        """Print confirmed vouchers left unprinted (start-up, the cloud or the printer is back)."""
        if self._desk is not None:
            # Failures are logged by the runner; the next trigger (printer or cloud back) tries again.
            self._recovery.run("voucher-recovery", self._desk.print_unprinted, _recovered, _ignore)

    # -- state for the screens -----------------------------------------------------------------------

    @Property(str, notify=changed)
    def step(self) -> str:
        return self._step

    @Property(bool, notify=changed)
    def manual(self) -> bool:
        return self._flow.manual

    @Property(str, notify=changed)
    def cardNumber(self) -> str:
        return self._flow.card_no

    @Property(dict, notify=changed)
    def member(self) -> dict[str, Any]:
        m = self._flow.member
        if m is None:
            return {}
        return {"maskedName": m.masked_name, "memberNo": m.member_no, "offline": m.offline,
                "points": -1 if m.points is None else m.points, "hours": m.hours,
                "expiring": m.expiring or {}, "recent": m.recent}

    @Property(int, notify=changed)
    def reprinted(self) -> int:
        return self._flow.reprinted

    @Property(int, notify=changed)
    def offlineRoom(self) -> int:
        """Points this volunteer may still redeem offline; -1 when no cap applies (or online)."""
        room = self._flow.offline_room()
        return -1 if room is None else room

    def _categories(self) -> list[dict[str, Any]]:
        cats = self._catalogue.document.get("gift_categories", [])
        return sorted((c for c in cats if isinstance(c, dict)), key=lambda c: c.get("sort", 0))

    @Property(list, notify=changed)
    def categories(self) -> list[dict[str, Any]]:
        return self._categories()

    def _current_category(self) -> str:
        return self._category or next((str(c.get("id", "")) for c in self._categories()), "")

    @Property(str, notify=changed)
    def category(self) -> str:
        return self._current_category()

    def _shown(self, gift: dict[str, Any]) -> dict[str, Any]:
        flow = self._flow
        qty = flow.cart.get(gift["id"], 0)
        return {**gift, "inCart": qty, "maxQty": flow.max_qty(gift), "missing": flow.missing_points(gift),
                "limit": gift.get("per_person_limit") or 0}

    @Property(list, notify=changed)
    def gifts(self) -> list[dict[str, Any]]:
        category = self._current_category()
        return [self._shown(g) for g in self._flow.gifts() if not category or g.get("category_id") == category]

    @Property(list, notify=changed)
    def cart(self) -> list[dict[str, Any]]:
        out = []
        for line in self._flow.lines():
            problem = self._flow.cart_line_problem(line.gift["id"])
            out.append({**self._shown(line.gift), "qty": line.qty, "linePoints": line.points,
                        "problem": problem.value if problem else ""})
        return out

    @Property(int, notify=changed)
    def cartCount(self) -> int:
        return sum(self._flow.cart.values())

    @Property(int, notify=changed)
    def total(self) -> int:
        return self._flow.total()

    @Property(int, notify=changed)
    def balanceAfter(self) -> int:
        after = self._flow.balance_after()
        return -1 if after is None else after

    @Property(dict, notify=changed)
    def voucher(self) -> dict[str, Any]:
        result = self._flow.result
        if result is None:
            return {}
        v = dict(result.voucher or {})
        if v.get("pickup_code"):
            v["pickupSpaced"] = spaced_code(str(v["pickup_code"]))
            v["qr"] = voucher_qr(str(v["redemption_no"]), str(v["pickup_code"]))
        v["printProblem"] = self._flow.print_problem.value if self._flow.print_problem else ""
        v["printed"] = self._flow.print_problem is None
        return v

    # -- actions -------------------------------------------------------------------------------------

    @Slot()
    def startManual(self) -> None:
        self._flow.start_manual()
        self._now(None)

    @Slot(str)
    def enterNumber(self, number: str) -> None:
        self._now(self._flow.enter_number(number))

    @Slot(str)
    def enterPin(self, pin: str) -> None:
        self._run(lambda: self._flow.enter_pin(pin), "pin")

    @Slot(result=bool)
    def back(self) -> bool:
        moved = self._flow.back()
        self._now(None)
        return moved

    @Slot(str)
    def go(self, step: str) -> None:
        self._now(self._flow.go(RedeemStep(step)))

    @Slot(str)
    def setCategory(self, category: str) -> None:
        self._category = category
        self._emit()

    @Slot(str)
    def add(self, gift_id: str) -> None:
        self._now(self._flow.add(gift_id))

    @Slot(str, int)
    def setQty(self, gift_id: str, qty: int) -> None:
        self._now(self._flow.set_qty(gift_id, qty))

    @Slot()
    def redeem(self) -> None:
        if self._flow.step is RedeemStep.CONFIRM:
            self._run(self._flow.redeem, "redeem")


def _recovered(printed: int) -> None:
    if printed:
        log.info("printed %d voucher(s) left unprinted", printed)


def _ignore(_error: Exception) -> None:
    pass
