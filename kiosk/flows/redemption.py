"""The volunteer's gift redemption as a table of steps: scan (or member number + PIN), see the summary,
pick gifts by category, adjust the cart, confirm, get the voucher. Never sees Qt.

Tokens are checked on this kiosk first (cached keys, the service's clock, the local spent-nonce list),
then the cloud opens a short session and consumes the nonce. A redemption is persisted with its
idempotency key before it is sent (:meth:`kiosk.sync.SyncEngine.redeem`); a voucher is printed only
once the cloud has confirmed it, and :class:`VoucherDesk` makes sure a confirmed voucher is printed
exactly once as an original, even across a crash or an empty paper roll.

Offline (only when the technician allows it): the token verified here is the proof, the redemption
goes through the outbox, and the points this kiosk may hand out before the cloud has seen them are
capped per member and in total.
"""

from __future__ import annotations

import base64
import binascii
import enum
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.cloud_client import (
    CloudAuthError,
    CloudError,
    CloudRateLimited,
    CloudRejected,
    CloudUnreachable,
)
from kiosk.config import RedemptionConfig
from kiosk.printing import FailReason, PrintQueue
from kiosk.receipt import Receipt
from kiosk.store.orders import Redemption, RedemptionState
from kiosk.store.print_jobs import JobState, PrintJob
from kiosk.store.voucher_jobs import VOUCHER_JOB_KIND, latest_voucher_job
from kiosk.strictjson import loads as strict_loads
from kiosk.sync import SyncEngine
from kiosk.tickets import VoucherFacts, VoucherLine
from kiosk.tokens import (
    MAX_CLAIMS_DEPTH,
    MAX_TOKEN_CHARS,
    MemberCard,
    MemberToken,
    TokenError,
    TokenErrorKind,
    parse_scanned,
)

log = logging.getLogger(__name__)

MEMBER_NO_RE = re.compile(r"^[0-9]{4,12}$")
PIN_RE = re.compile(r"^[0-9]{4,8}$")


class RedeemStep(enum.StrEnum):
    SCAN = "scan"  # waiting for a code (the home screen, or a new scan after the session expired)
    NUMBER = "number"  # no phone: the member number on the keypad
    PIN = "pin"  # a printed card or a typed number: the PIN on the keypad
    SUMMARY = "summary"
    GIFTS = "gifts"
    CART = "cart"
    CONFIRM = "confirm"
    PENDING = "pending"  # sent, no definite answer yet: the same key is being re-sent
    QUEUED = "queued"  # offline: recorded, the cloud will confirm it later
    VOUCHER = "voucher"


class RedeemProblem(enum.StrEnum):
    """Why a step did not go ahead; stable codes the UI turns into kind sentences."""

    NOT_A_MEMBER_CODE = "not_a_member_code"
    TOKEN_INVALID = "token_invalid"
    TOKEN_EXPIRED = "token_expired"
    TOKEN_REPLAYED = "token_replayed"
    UNKNOWN_KEY = "unknown_key"
    UNKNOWN_MEMBER = "unknown_member"
    MEMBER_NO_INVALID = "member_no_invalid"
    PIN_INVALID = "pin_invalid"
    PIN_WRONG = "pin_wrong"
    MEMBER_RATE_LIMITED = "member_rate_limited"
    CARD_NEEDS_NETWORK = "card_needs_network"
    REDEEM_OFFLINE = "redeem_offline"  # the cloud cannot be reached and offline redemption is off
    OFFLINE_TOO_LONG = "offline_too_long"  # offline allowed, but the last sync is too long ago
    NETWORK_UNSTABLE = "network_unstable"  # the lookup was sent and no answer came: show a new code
    DEVICE_REFUSED = "device_refused"
    SERVICE_ERROR = "service_error"
    SESSION_EXPIRED = "session_expired"
    INSUFFICIENT_POINTS = "insufficient_points"
    OUT_OF_STOCK = "out_of_stock"
    LIMIT_EXCEEDED = "limit_exceeded"
    UNKNOWN_GIFT = "unknown_gift"
    OVER_STOCK = "over_stock"
    OVER_LIMIT = "over_limit"
    OVER_BALANCE = "over_balance"
    CART_EMPTY = "cart_empty"
    OFFLINE_MEMBER_CAP = "offline_member_cap"
    OFFLINE_KIOSK_CAP = "offline_kiosk_cap"
    NOT_SENT = "redeem_not_sent"  # provably never reached the cloud: nothing was deducted


_TOKEN_PROBLEMS = {
    TokenErrorKind.TOKEN_INVALID: RedeemProblem.TOKEN_INVALID,
    TokenErrorKind.TOKEN_EXPIRED: RedeemProblem.TOKEN_EXPIRED,
    TokenErrorKind.TOKEN_REPLAYED: RedeemProblem.TOKEN_REPLAYED,
    TokenErrorKind.UNKNOWN_KEY: RedeemProblem.UNKNOWN_KEY,
    TokenErrorKind.CARD_NEEDS_PIN: RedeemProblem.PIN_INVALID,
}

# The cloud's error codes (docs/api.md) this flow has its own sentence for. The device codes come back
# as a redemption's reject code when the cloud refused this kiosk itself.
_DEVICE_CODES = ("unknown_device", "bad_signature", "clock_skew", "replayed_request", "device_revoked",
                 "not_enrolled")
_CLOUD_PROBLEMS = {
    **dict.fromkeys(_DEVICE_CODES, RedeemProblem.DEVICE_REFUSED),
    "token_invalid": RedeemProblem.TOKEN_INVALID,
    "token_expired": RedeemProblem.TOKEN_EXPIRED,
    "token_replayed": RedeemProblem.TOKEN_REPLAYED,
    "unknown_key": RedeemProblem.UNKNOWN_KEY,
    "unknown_member": RedeemProblem.UNKNOWN_MEMBER,
    "pin_required": RedeemProblem.PIN_INVALID,
    "pin_wrong": RedeemProblem.PIN_WRONG,
    "rate_limited": RedeemProblem.MEMBER_RATE_LIMITED,
    "session_expired": RedeemProblem.SESSION_EXPIRED,
    "insufficient_points": RedeemProblem.INSUFFICIENT_POINTS,
    "out_of_stock": RedeemProblem.OUT_OF_STOCK,
    "limit_exceeded": RedeemProblem.LIMIT_EXCEEDED,
    "unknown_gift": RedeemProblem.UNKNOWN_GIFT,
}


def problem_of(exc: CloudError) -> RedeemProblem:
    if isinstance(exc, CloudRateLimited):
        return RedeemProblem.MEMBER_RATE_LIMITED
    if isinstance(exc, CloudAuthError):
        return RedeemProblem.DEVICE_REFUSED
    if isinstance(exc, CloudRejected):
        return _CLOUD_PROBLEMS.get(exc.code, RedeemProblem.SERVICE_ERROR)
    if isinstance(exc, CloudUnreachable):
        return RedeemProblem.REDEEM_OFFLINE
    return RedeemProblem.NETWORK_UNSTABLE


def token_member(token: str) -> str:
    """The member id a token names, read without checking it (it was checked when it was taken)."""
    try:
        payload = token.split(".")[1]
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = strict_loads(raw, max_chars=MAX_TOKEN_CHARS, max_depth=MAX_CLAIMS_DEPTH)
    except (IndexError, ValueError, binascii.Error):
        return ""
    mid = claims.get("mid") if isinstance(claims, dict) else None
    return mid if isinstance(mid, str) else ""


def offline_token(redemption: Redemption) -> str:
    """The token an offline redemption carries ("" for one made online)."""
    proof = redemption.request.get("offline")
    token = proof.get("token") if isinstance(proof, Mapping) else None
    return token if isinstance(token, str) else ""


@dataclass
class Member:
    id: str
    member_no: str
    masked_name: str
    points: int | None  # None: offline, the balance is not known here
    hours: list[dict[str, Any]] = field(default_factory=list)
    expiring: dict[str, Any] | None = None
    recent: list[dict[str, Any]] = field(default_factory=list)
    session: str = ""  # the cloud's session (online)
    token: str = ""  # the verified token, the proof of an offline redemption
    presented_at: float = 0.0  # the service's time when the token was checked

    @property
    def offline(self) -> bool:
        return not self.session

    @classmethod
    def from_resolved(cls, answer: Mapping[str, Any]) -> Member:
        m = answer["member"]
        return cls(
            id=str(m["id"]),
            member_no=str(m.get("member_no", "")),
            masked_name=str(m.get("masked_name", "")),
            points=int(m["points"]),
            hours=list(m.get("hours") or []),
            expiring=m.get("expiring"),
            recent=list(m.get("recent") or []),
            session=str(answer["session"]),
        )


def voucher_facts(station: str, redemption: Redemption, pick: Callable[[Any], str]) -> VoucherFacts:
    """What the voucher prints, from the cloud's confirmation (names in the reader's language)."""
    v = redemption.voucher or {}
    return VoucherFacts(
        station=station,
        redemption_no=str(v["redemption_no"]),
        pickup_code=str(v["pickup_code"]),
        lines=tuple(VoucherLine(pick(i.get("name")), int(i["qty"]), int(i["points"])) for i in v["items"]),
        points_total=int(v["points_total"]),
        balance_before=int(v["balance_before"]),
        balance_after=int(v["balance_after"]),
        valid_until=str(v["valid_until_date"]),
        location=pick(v.get("pickup_location")),
        redeemed_at=redemption.created_at,
    )


# -- printing vouchers exactly once ----------------------------------------------------------------------


class VoucherDesk:
    """Prints confirmed vouchers, each once as an original. One lock serialises the live flow and the
    recovery, so a voucher is never queued twice; a print job left by a crash is found by its ref (the
    redemption's idempotency key) and waited for, or reprinted with the 补打 banner if it was cut off."""

    def __init__(
        self,
        engine: SyncEngine,
        queue: PrintQueue,
        receipt_for: Callable[[Redemption], Receipt],
        *,
        wait_s: float = 30.0,
    ) -> None:
        self.engine = engine
        self.queue = queue
        self.receipt_for = receipt_for
        self.wait_s = wait_s
        self._lock = threading.Lock()
        self._owners: dict[str, str] = {}  # redemption key → member id, for vouchers made in this run

    def note_member(self, key: str, member_id: str) -> None:
        with self._lock:
            self._owners[key] = member_id

    def owner(self, redemption: Redemption) -> str:
        token = offline_token(redemption)
        if token:
            return token_member(token)
        with self._lock:
            return self._owners.get(redemption.idempotency_key, "")

    def print_voucher(self, key: str) -> FailReason | None:
        """Print the confirmed voucher ``key`` unless it already was; None once it is printed."""
        with self._lock:
            redemption = self.engine.orders.redemption(key)
            if redemption is None or redemption.state is not RedemptionState.CONFIRMED:
                raise ValueError(f"redemption {key} is not confirmed: no voucher to print")
            if redemption.printed_at is not None:
                return None
            job = latest_voucher_job(self.engine.store, key)
            if job is not None and job.state in (JobState.QUEUED, JobState.PRINTING):
                job = self._wait(job.id)
            if job is None or job.state is JobState.FAILED:
                if job is not None and job.reason == FailReason.INTERRUPTED:
                    # It may have come out in full: any second copy says 补打 / DUPLICATE.
                    job_id = self.queue.reprint(job.id)
                else:
                    job_id = self.queue.submit(self.receipt_for(redemption), VOUCHER_JOB_KIND, key)
                job = self._wait(job_id)
            if job is not None and job.state is JobState.PRINTED:
                self.engine.mark_voucher_printed(key)
                return None
            if job is None or job.state is not JobState.FAILED:
                return FailReason.HARDWARE  # still queued at the deadline: it prints when it can
            try:
                return FailReason(job.reason)
            except ValueError:
                return FailReason.HARDWARE

    def print_unprinted(self, member_id: str | None = None) -> int:
        """Print confirmed vouchers still unprinted; returns how many came out.

        Without ``member_id`` (the kiosk recovering: start-up, the cloud or the printer back) only
        vouchers of online redemptions are printed, their member was here moments ago. An offline
        redemption is confirmed hours later: its voucher waits for its member to scan again."""
        printed = 0
        for redemption in self.engine.unprinted_vouchers():
            owner = self.owner(redemption)
            if member_id is None and offline_token(redemption):
                continue
            if member_id is not None and owner != member_id:
                continue
            if self.print_voucher(redemption.idempotency_key) is not None:
                break  # the printer is not printing: the rest wait for the next recovery
            printed += 1
        return printed

    def _wait(self, job_id: int) -> PrintJob | None:
        return self.queue.wait(job_id, self.wait_s)


# -- the flow ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CartLine:
    gift: dict[str, Any]
    qty: int

    @property
    def points(self) -> int:
        return int(self.gift["points"]) * self.qty


def _limit(gift: Mapping[str, Any]) -> int | None:
    limit = gift.get("per_person_limit")
    return int(limit) if isinstance(limit, int) and limit > 0 else None


class RedemptionFlow:
    """One volunteer at a time. Methods that talk to the cloud or the printer block: call them off the
    GUI thread. Each returns a :class:`RedeemProblem`, or None when it went ahead."""

    def __init__(
        self,
        engine: SyncEngine | None,
        config: RedemptionConfig,
        gifts: Callable[[], list[dict[str, Any]]],
        desk: VoucherDesk | None,
    ) -> None:
        self.engine = engine
        self.config = config
        self._gifts = gifts
        self.desk = desk
        self.step = RedeemStep.SCAN
        self.member: Member | None = None
        self.cart: dict[str, int] = {}
        self.card_no = ""
        self.manual = False
        self.result: Redemption | None = None
        self.print_problem: FailReason | None = None
        self.reprinted = 0
        self.pending_key = ""

    def reset(self) -> None:
        self.step, self.member, self.cart, self.card_no, self.manual = RedeemStep.SCAN, None, {}, "", False
        self.result, self.print_problem, self.reprinted, self.pending_key = None, None, 0, ""

    # -- who is there ----------------------------------------------------------------------------------

    def scan(self, text: str) -> RedeemProblem | None:
        parsed = parse_scanned(text)
        if isinstance(parsed, MemberCard):
            self._forget_member()
            self.card_no, self.manual, self.step = parsed.member_no, False, RedeemStep.PIN
            return None
        if not isinstance(parsed, MemberToken):
            return RedeemProblem.NOT_A_MEMBER_CODE
        return self._open_with_token(parsed.text)

    def start_manual(self) -> None:
        self._forget_member()
        self.card_no, self.manual, self.step = "", True, RedeemStep.NUMBER

    def enter_number(self, number: str) -> RedeemProblem | None:
        if not MEMBER_NO_RE.match(number):
            return RedeemProblem.MEMBER_NO_INVALID
        self.card_no, self.step = number, RedeemStep.PIN
        return None

    def enter_pin(self, pin: str) -> RedeemProblem | None:
        """Resolve the card (or typed number) with its PIN; cards always need the cloud."""
        if not PIN_RE.match(pin):
            return RedeemProblem.PIN_INVALID
        if self.engine is None:
            return RedeemProblem.DEVICE_REFUSED
        try:
            answer = self.engine.client.resolve_member(f"SKC1.{self.card_no}", pin)
        except CloudUnreachable:
            return RedeemProblem.CARD_NEEDS_NETWORK
        except CloudError as exc:
            return problem_of(exc)
        return self._opened(Member.from_resolved(answer))

    def _open_with_token(self, text: str) -> RedeemProblem | None:
        if self.engine is None:
            return RedeemProblem.DEVICE_REFUSED
        try:
            # Checked and spent here first: a replay is refused even if the cloud is away.
            token = self.engine.check_member_token(text, spend=True)
        except TokenError as exc:
            return _TOKEN_PROBLEMS[exc.kind]
        presented_at = self.engine.client.server_now()
        try:
            answer = self.engine.client.resolve_member(text, None)
        except CloudUnreachable:
            # Provably never sent, so the cloud has not consumed the nonce: the token can still be
            # the proof of an offline redemption.
            problem = self.offline_gate()
            if problem is not None:
                return problem
            return self._opened(Member(token.member_id, "", "", None, token=text, presented_at=presented_at))
        except CloudError as exc:
            return problem_of(exc)
        return self._opened(Member.from_resolved(answer))

    def _opened(self, member: Member) -> RedeemProblem | None:
        if self.member is None or self.member.id != member.id:
            self.cart = {}  # a new volunteer; the same one scanning again keeps their picks
        self.member = member
        self.card_no, self.result, self.print_problem, self.pending_key = "", None, None, ""
        self.reprinted = self.desk.print_unprinted(member.id) if self.desk is not None else 0
        self.step = RedeemStep.CONFIRM if self.cart and self._sendable() else RedeemStep.SUMMARY
        return None

    def _sendable(self) -> bool:
        return self._cart_problem() is None

    def _forget_member(self) -> None:
        self.member, self.cart, self.result, self.print_problem, self.pending_key = None, {}, None, None, ""

    # -- offline policy --------------------------------------------------------------------------------

    def offline_gate(self) -> RedeemProblem | None:
        if not self.config.offline_enabled or self.engine is None:
            return RedeemProblem.REDEEM_OFFLINE
        last = self.engine.state.last_sync_at
        max_s = self.config.offline_max_hours * 3600
        if last is None or (max_s > 0 and time.time() - last > max_s):
            return RedeemProblem.OFFLINE_TOO_LONG
        return None

    def _request_points(self, redemption: Redemption) -> int:
        prices = {g.get("id"): int(g.get("points", 0)) for g in self.gifts()}
        return sum(prices.get(i.get("gift_id"), 0) * int(i.get("qty", 0)) for i in redemption.request["items"])

    def offline_used(self) -> tuple[int, int]:
        """Points handed out offline and not yet seen by the cloud: (this member's, this kiosk's)."""
        if self.engine is None:
            return 0, 0
        mine = total = 0
        for r in self.engine.orders.redemptions_in(RedemptionState.SENDING):
            token = offline_token(r)
            if not token:
                continue
            points = self._request_points(r)
            total += points
            if self.member is not None and token_member(token) == self.member.id:
                mine += points
        return mine, total

    def offline_room(self) -> int | None:
        """How many more points this member may redeem offline now; None: no cap applies."""
        if self.member is None or not self.member.offline:
            return None
        mine, total = self.offline_used()
        rooms = []
        if self.config.offline_member_cap:
            rooms.append(self.config.offline_member_cap - mine)
        if self.config.offline_kiosk_cap:
            rooms.append(self.config.offline_kiosk_cap - total)
        return max(0, min(rooms)) if rooms else None

    def _cap_problem(self, points: int) -> RedeemProblem | None:
        if self.member is None or not self.member.offline:
            return None
        mine, total = self.offline_used()
        if self.config.offline_member_cap and mine + points > self.config.offline_member_cap:
            return RedeemProblem.OFFLINE_MEMBER_CAP
        if self.config.offline_kiosk_cap and total + points > self.config.offline_kiosk_cap:
            return RedeemProblem.OFFLINE_KIOSK_CAP
        return None

    # -- gifts and cart --------------------------------------------------------------------------------

    def gifts(self) -> list[dict[str, Any]]:
        return [g for g in self._gifts() if isinstance(g, dict) and "id" in g]

    def gift(self, gift_id: str) -> dict[str, Any] | None:
        return next((g for g in self.gifts() if g["id"] == gift_id), None)

    def lines(self) -> list[CartLine]:
        out = []
        for gift_id, qty in self.cart.items():
            gift = self.gift(gift_id)
            if gift is not None:
                out.append(CartLine(gift, qty))
        return out

    def total(self) -> int:
        return sum(line.points for line in self.lines())

    def balance_after(self) -> int | None:
        if self.member is None or self.member.points is None:
            return None
        return self.member.points - self.total()

    def missing_points(self, gift: Mapping[str, Any]) -> int:
        """Points short of one more of ``gift``, after what is already in the cart (0: affordable)."""
        after = self.balance_after()
        return 0 if after is None else max(0, int(gift["points"]) - after)

    @staticmethod
    def max_qty(gift: Mapping[str, Any]) -> int:
        stock = max(0, int(gift.get("stock", 0)))
        limit = _limit(gift)
        return stock if limit is None else min(stock, limit)

    def _qty_problem(self, gift: Mapping[str, Any], qty: int, total: int) -> RedeemProblem | None:
        if qty > int(gift.get("stock", 0)):
            return RedeemProblem.OVER_STOCK
        limit = _limit(gift)
        if limit is not None and qty > limit:
            return RedeemProblem.OVER_LIMIT
        if self.member is not None and self.member.points is not None and total > self.member.points:
            return RedeemProblem.OVER_BALANCE
        return self._cap_problem(total)

    def set_qty(self, gift_id: str, qty: int) -> RedeemProblem | None:
        gift = self.gift(gift_id)
        if gift is None:
            self.cart.pop(gift_id, None)
            return RedeemProblem.UNKNOWN_GIFT
        if qty <= 0:
            self.cart.pop(gift_id, None)
            return None
        total = self.total() - int(gift["points"]) * self.cart.get(gift_id, 0) + int(gift["points"]) * qty
        if qty > self.cart.get(gift_id, 0):  # taking one away is always allowed
            problem = self._qty_problem(gift, qty, total)
            if problem is not None:
                return problem
        self.cart[gift_id] = qty
        return None

    def add(self, gift_id: str) -> RedeemProblem | None:
        return self.set_qty(gift_id, self.cart.get(gift_id, 0) + 1)

    def _cart_problem(self) -> RedeemProblem | None:
        lines = self.lines()
        if not lines:
            return RedeemProblem.CART_EMPTY
        total = sum(line.points for line in lines)
        for line in lines:
            problem = self._qty_problem(line.gift, line.qty, total)
            if problem is not None:
                return problem
        return None

    # -- moving between steps --------------------------------------------------------------------------

    def go(self, step: RedeemStep) -> RedeemProblem | None:
        """Summary ⇄ gifts ⇄ cart → confirm, each only with a member; confirm only with a sound cart."""
        if self.member is None or step not in (
            RedeemStep.SUMMARY, RedeemStep.GIFTS, RedeemStep.CART, RedeemStep.CONFIRM
        ):
            return None
        if step is RedeemStep.CONFIRM:
            problem = self._cart_problem()
            if problem is not None:
                return problem
        self.step = step
        return None

    def back(self) -> bool:
        """One step back inside the flow; False when the volunteer is leaving it."""
        previous = {
            RedeemStep.GIFTS: RedeemStep.SUMMARY,
            RedeemStep.CART: RedeemStep.GIFTS,
            RedeemStep.CONFIRM: RedeemStep.CART,
        }
        if self.step is RedeemStep.PIN and self.manual:
            self.step = RedeemStep.NUMBER
            return True
        if self.step in previous:
            self.step = previous[self.step]
            return True
        return False

    # -- redeeming ---------------------------------------------------------------------------------------

    def redeem(self) -> RedeemProblem | None:
        if self.step is not RedeemStep.CONFIRM or self.member is None or self.engine is None:
            return None
        problem = self._cart_problem()
        if problem is not None:
            return problem
        items = [{"gift_id": gift_id, "qty": qty} for gift_id, qty in self.cart.items()]
        member = self.member
        if member.offline:
            self.result = self.engine.submit_offline_redemption(member.token, items, member.presented_at)
            self.cart = {}
            self.step = RedeemStep.QUEUED
            return None
        redemption = self.engine.redeem(items, member.session)
        if self.desk is not None:
            self.desk.note_member(redemption.idempotency_key, member.id)
        return self._settle(redemption, member)

    def poll(self) -> RedeemProblem | None:
        """While PENDING: look again at the redemption the sender keeps re-sending."""
        if self.step is not RedeemStep.PENDING or self.engine is None:
            return None
        self.engine.hurry(self.pending_key)
        redemption = self.engine.orders.redemption(self.pending_key)
        if redemption is None or redemption.state is RedemptionState.SENDING or self.member is None:
            return None
        return self._settle(redemption, self.member)

    def _settle(self, redemption: Redemption, member: Member) -> RedeemProblem | None:
        state = redemption.state
        if state is RedemptionState.SENDING:
            self.pending_key, self.step = redemption.idempotency_key, RedeemStep.PENDING
            return None
        self.pending_key = ""
        if state is RedemptionState.CONFIRMED:
            self.result = redemption
            self.cart = {}
            after = (redemption.voucher or {}).get("balance_after")
            if isinstance(after, int):
                member.points = after
            self.print_problem = (
                self.desk.print_voucher(redemption.idempotency_key) if self.desk is not None else None
            )
            self.step = RedeemStep.VOUCHER
            return None
        if state is RedemptionState.NOT_SENT:
            self.step = RedeemStep.CONFIRM
            return RedeemProblem.NOT_SENT
        problem = _CLOUD_PROBLEMS.get(redemption.reject_code, RedeemProblem.SERVICE_ERROR)
        if problem in (RedeemProblem.OUT_OF_STOCK, RedeemProblem.UNKNOWN_GIFT):
            self._refresh_catalogue()
        if problem is RedeemProblem.SESSION_EXPIRED:
            self.step = RedeemStep.SCAN  # the picks stay for the same volunteer's next scan
            return problem
        self.step = RedeemStep.CART
        return problem

    def _refresh_catalogue(self) -> None:
        assert self.engine is not None
        try:
            self.engine.refresh_catalogue()
        except CloudError as exc:
            log.info("catalogue refresh after a stock refusal failed: %s", exc)
        known = {g["id"] for g in self.gifts()}
        self.cart = {k: v for k, v in self.cart.items() if k in known}

    def cart_line_problem(self, gift_id: str) -> RedeemProblem | None:
        """What is wrong with one line of the cart now (e.g. stock fell below it)."""
        gift = self.gift(gift_id)
        if gift is None:
            return RedeemProblem.UNKNOWN_GIFT
        qty = self.cart.get(gift_id, 0)
        if qty > int(gift.get("stock", 0)):
            return RedeemProblem.OUT_OF_STOCK
        limit = _limit(gift)
        return RedeemProblem.OVER_LIMIT if limit is not None and qty > limit else None
