"""Gift redemption as QML sees it: the step, the member (masked), gifts with what they cost this
volunteer, the cart, the voucher. The flow itself is :mod:`kiosk.flows.redemption`; anything that talks
to the cloud or the printer runs on a worker thread and comes back through the GUI bridge.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class RedemptionView:
    """What the redemption screens show: taken from the flow on the GUI thread whenever no step runs on
    a worker (after an action here, or once a worker's outcome is back), so that the screens never read
    the flow while a worker moves it."""

    step: str
    manual: bool
    card_no: str
    member: dict[str, Any]
    reprinted: int
    offline_room: int  # points this volunteer may still redeem offline; -1: no cap applies (or online)
    gifts: list[dict[str, Any]]  # every gift, with what it costs this volunteer
    cart: list[dict[str, Any]]
    cart_count: int
    total: int
    balance_after: int  # -1: not known here (offline)
    voucher: dict[str, Any]

    @classmethod
    def of(cls, flow: RedemptionFlow) -> RedemptionView:
        m, room, after = flow.member, flow.offline_room(), flow.balance_after()
        member = {} if m is None else {
            "maskedName": m.masked_name, "memberNo": m.member_no, "offline": m.offline,
            "points": -1 if m.points is None else m.points, "hours": m.hours,
            "expiring": m.expiring or {}, "recent": m.recent}
        cart = []
        for line in flow.lines():
            problem = flow.cart_line_problem(line.gift["id"])
            cart.append({**_shown(flow, line.gift), "qty": line.qty, "linePoints": line.points,
                         "problem": problem.value if problem else ""})
        return cls(flow.step.value, flow.manual, flow.card_no, member, flow.reprinted,
                   -1 if room is None else room, [_shown(flow, g) for g in flow.gifts()], cart,
                   sum(flow.cart.values()), flow.total(), -1 if after is None else after, _voucher(flow))


def _shown(flow: RedemptionFlow, gift: dict[str, Any]) -> dict[str, Any]:
    return {**gift, "inCart": flow.cart.get(gift["id"], 0), "maxQty": flow.max_qty(gift),
            "missing": flow.missing_points(gift), "limit": gift.get("per_person_limit") or 0}


def _voucher(flow: RedemptionFlow) -> dict[str, Any]:
    if flow.result is None:
        return {}
    v = dict(flow.result.voucher or {})
    if v.get("pickup_code"):
        v["pickupSpaced"] = spaced_code(str(v["pickup_code"]))
        v["qr"] = voucher_qr(str(v["redemption_no"]), str(v["pickup_code"]))
    v["printProblem"] = flow.print_problem.value if flow.print_problem else ""
    v["printed"] = flow.print_problem is None
    return v


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
        def gifts() -> list[dict[str, Any]]:
            return list(catalogue.document.get("gifts", []))

        self._flow = RedemptionFlow(engine, config, gifts, desk)
        self._nobody = RedemptionFlow(None, config, gifts, None)  # what the screens show with no volunteer
        self._view = RedemptionView.of(self._flow)
        self._step = self._view.step
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
        catalogue.changed.connect(self._catalogue_changed)

    def clear(self) -> None:
        """Forget the volunteer (end of the session, home, idle timeout)."""
        self._poll.stop()
        self._operation.cancel()
        if not self._operation.busy:
            self._flow.reset()  # else the step running has the flow; it is reset when it ends
        self._view = RedemptionView.of(self._nobody)
        self._problem = ""
        self._category = ""
        self._emit()

    # -- moving the flow -----------------------------------------------------------------------------

    def _run(self, work: Callable[[], RedeemProblem | None], name: str) -> None:
        """A step that may talk to the cloud or the printer: on a worker, which has the flow until
        its outcome is back here."""
        before = self._view.step
        if self._operation.run(f"redeem-{name}", work, lambda problem: self._done(problem, before),
                               # a local failure (database, printer queue) is shown, never swallowed
                               lambda _error: self._done(RedeemProblem.SERVICE_ERROR, before),
                               on_stale=self._left):
            self._problem = ""
            self._emit()

    def _act(self, action: Callable[[], RedeemProblem | None]) -> bool:
        """A step taken here, on the GUI thread; none while a worker moves the flow (the screens
        disable these buttons while busy)."""
        if self._operation.busy:
            return False
        problem = action()
        self._view = self._look()
        return self._now(problem)

    def _look(self) -> RedemptionView:
        """The view of the flow now: on the GUI thread, only when no step runs on a worker."""
        return RedemptionView.of(self._flow)

    def _left(self) -> None:
        # The volunteer left (home, idle timeout) while a step ran: forget what it brought back.
        # A voucher it confirmed but could not print yet is printed by the recovery.
        self._flow.reset()
        self._view = self._look()
        self._now(None)
        self.recover()

    def _done(self, problem: RedeemProblem | None, before: str) -> None:
        self._view = self._look()  # the worker has handed the flow back
        self._now(problem)
        if self._view.step == RedeemStep.PENDING:
            self._poll.start()
        else:
            self._poll.stop()
        if before in (RedeemStep.SCAN, RedeemStep.VOUCHER, RedeemStep.QUEUED) and self._step in _FLOW_STEPS:
            self.opened.emit()

    def _emit(self) -> None:
        self._step = self._view.step
        self.changed.emit()

    def _now(self, problem: Enum | None) -> bool:
        if not super()._now(problem) and self._view.step == RedeemStep.SCAN:
            self._forget.start()
        return problem is None

    def _forget_problem(self) -> None:
        if self._view.step == RedeemStep.SCAN and not self._operation.busy:
            self._problem = ""
            self._emit()

    def _catalogue_changed(self) -> None:
        if not self._operation.busy:  # else the view is taken when the step running is done
            self._view = self._look()
        self.changed.emit()

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

    # -- state for the screens: the view, never the flow ---------------------------------------------

    @Property(str, notify=changed)
    def step(self) -> str:
        return self._step

    @Property(bool, notify=changed)
    def manual(self) -> bool:
        return self._view.manual

    @Property(str, notify=changed)
    def cardNumber(self) -> str:
        return self._view.card_no

    @Property(dict, notify=changed)
    def member(self) -> dict[str, Any]:
        return self._view.member

    @Property(int, notify=changed)
    def reprinted(self) -> int:
        return self._view.reprinted

    @Property(int, notify=changed)
    def offlineRoom(self) -> int:
        """Points this volunteer may still redeem offline; -1 when no cap applies (or online)."""
        return self._view.offline_room

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

    @Property(list, notify=changed)
    def gifts(self) -> list[dict[str, Any]]:
        category = self._current_category()
        return [g for g in self._view.gifts if not category or g.get("category_id") == category]

    @Property(list, notify=changed)
    def cart(self) -> list[dict[str, Any]]:
        return self._view.cart

    @Property(int, notify=changed)
    def cartCount(self) -> int:
        return self._view.cart_count

    @Property(int, notify=changed)
    def total(self) -> int:
        return self._view.total

    @Property(int, notify=changed)
    def balanceAfter(self) -> int:
        return self._view.balance_after

    @Property(dict, notify=changed)
    def voucher(self) -> dict[str, Any]:
        return self._view.voucher

    # -- actions -------------------------------------------------------------------------------------

    @Slot()
    def startManual(self) -> None:
        self._act(self._flow.start_manual)

    @Slot(str)
    def enterNumber(self, number: str) -> None:
        self._act(lambda: self._flow.enter_number(number))

    @Slot(str)
    def enterPin(self, pin: str) -> None:
        self._run(lambda: self._flow.enter_pin(pin), "pin")

    @Slot(result=bool)
    def back(self) -> bool:
        if self._operation.busy:
            return True  # taken: the step running decides where the volunteer is
        moved = self._flow.back()
        self._view = self._look()
        self._now(None)
        return moved

    @Slot(str)
    def go(self, step: str) -> None:
        self._act(lambda: self._flow.go(RedeemStep(step)))

    @Slot(str)
    def setCategory(self, category: str) -> None:
        self._category = category
        self._emit()

    @Slot(str)
    def add(self, gift_id: str) -> None:
        self._act(lambda: self._flow.add(gift_id))

    @Slot(str, int)
    def setQty(self, gift_id: str, qty: int) -> None:
        self._act(lambda: self._flow.set_qty(gift_id, qty))

    @Slot()
    def redeem(self) -> None:
        if self._view.step == RedeemStep.CONFIRM:
            self._run(self._flow.redeem, "redeem")


def _recovered(printed: int) -> None:
    if printed:
        log.info("printed %d voucher(s) left unprinted", printed)


def _ignore(_error: Exception) -> None:
    pass
