"""The offline-first sync engine: outbox delivery, heartbeat, catalogue/keys/config caches, redemptions.

Everything the cloud must receive is committed locally first (its own row + an outbox row, one
``BEGIN IMMEDIATE`` transaction) and only then sent. A sender thread delivers the outbox oldest first,
at least once, with each row's idempotency key, so the cloud applies it exactly once; transient failures
back off exponentially with full jitter, contract rejections end the row with their code. A heartbeat
thread reports health, learns when the cloud is back, and refreshes the cached catalogue, keys and
remote config. Callbacks (``on_change``, ``on_remote_config``, ``on_catalogue``) run on these worker
threads.
"""

from __future__ import annotations

import logging
import math
import os
import random
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.cloud_client import (
    CloudAuthError,
    CloudClient,
    CloudError,
    CloudOutcomeUnknown,
    CloudRateLimited,
    CloudRejected,
    CloudServerError,
    CloudUnreachable,
    NotEnrolled,
)
from kiosk.store import Store
from kiosk.store.cache import DocumentCache
from kiosk.store.nonces import SpentNonces
from kiosk.store.orders import LocalOrder, LocalRating, Orders, Redemption, RedemptionState
from kiosk.store.outbox import Outbox, OutboxItem, OutboxState
from kiosk.strictjson import JsonRejected, check_numbers, is_sane_time
from kiosk.tokens import KeyRing, TokenError, TokenErrorKind, TokenVerifier, VerifiedToken

log = logging.getLogger(__name__)

CLIENT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CATALOGUE = "catalogue"
KEYS = "keys"
META_CONFIG_VERSION = "cloud.config_version"
META_LAST_SYNC = "sync.last_sync_at"
_IMAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_IDLE_WAIT_S = 30.0
OUTBOX_KEEP_S = 90 * 24 * 3600.0  # delivered rows kept this long, for the technician's history
ORDERS_KEEP_S = 90 * 24 * 3600.0  # confirmed orders (code, service, last four digits) kept this long


class SyncStatus(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"  # the cloud cannot be reached (or did not answer)
    DEGRADED = "degraded"  # reachable, but failing: 5xx, the device is not accepted, rate limited


class SyncIssue(StrEnum):
    """Why the engine is not ONLINE; stable codes the UI maps to text."""

    NONE = ""
    UNREACHABLE = "unreachable"
    NO_ANSWER = "no_answer"
    SERVER_ERROR = "server_error"
    RATE_LIMITED = "rate_limited"
    DEVICE_REFUSED = "device_refused"  # 401/403: see SyncState.auth_code
    NOT_ENROLLED = "not_enrolled"


@dataclass(frozen=True)
class SyncState:
    status: SyncStatus
    issue: SyncIssue
    auth_code: str  # the cloud's code when issue is DEVICE_REFUSED (bad_signature, device_revoked, …)
    last_sync_at: float | None
    outbox_depth: int
    oldest_age_s: float
    rejected: int  # outbox rows the cloud refused; listed by SyncEngine.rejected()
    clock_offset_s: float


@dataclass(frozen=True)
class OrderLookup:
    """``live``: the cloud's answer in ``data``. Otherwise ``local`` is an order made here that the
    cloud has not confirmed yet (or cannot be asked about now)."""

    live: bool
    data: dict[str, Any] | None
    local: LocalOrder | None


class SyncUnavailable(Exception):
    """The cloud is needed for this and cannot be reached; ``issue`` says why."""

    def __init__(self, issue: SyncIssue) -> None:
        super().__init__(issue.value)
        self.issue = issue


class InvalidRequest(ValueError):
    """A body the kiosk must not queue (it could never be delivered); ``field`` names the problem."""

    def __init__(self, field: str) -> None:
        super().__init__(f"invalid or missing field: {field}")
        self.field = field


def new_client_code() -> str:
    """``L`` + five characters: the order's code before (or without) the cloud's order code."""
    return "L" + "".join(secrets.choice(CLIENT_CODE_ALPHABET) for _ in range(5))


def full_jitter(attempt: int, base_s: float, cap_s: float) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base·2^attempt)]."""
    return random.uniform(0.0, min(cap_s, base_s * 2 ** min(attempt, 30)))


_NOT_THE_ROWS_FAULT = frozenset(
    {SyncIssue.UNREACHABLE, SyncIssue.DEVICE_REFUSED, SyncIssue.NOT_ENROLLED, SyncIssue.RATE_LIMITED}
)


def _issue_of(exc: BaseException) -> SyncIssue:
    if isinstance(exc, NotEnrolled):
        return SyncIssue.NOT_ENROLLED
    if isinstance(exc, CloudUnreachable):
        return SyncIssue.UNREACHABLE
    if isinstance(exc, CloudOutcomeUnknown):
        return SyncIssue.NO_ANSWER
    if isinstance(exc, CloudRateLimited):
        return SyncIssue.RATE_LIMITED
    if isinstance(exc, CloudAuthError):
        return SyncIssue.DEVICE_REFUSED
    return SyncIssue.SERVER_ERROR


def _phone_last4(body: Mapping[str, Any]) -> str:
    contact = body.get("contact")
    phone = contact.get("phone") if isinstance(contact, Mapping) else None
    if not isinstance(phone, str) or not re.fullmatch(r"\+?[0-9]{4,20}", phone):
        raise InvalidRequest("contact.phone")
    return phone[-4:]


def _refuse_non_finite(body: Mapping[str, Any]) -> None:
    """A body with NaN or ±Infinity anywhere could never be delivered: refuse it before it is queued."""
    try:
        check_numbers(body)
    except JsonRejected as exc:
        raise InvalidRequest(str(exc).split(":", 1)[0]) from exc


def _finite_only(health: dict[str, Any]) -> dict[str, Any]:
    """The health report with NaN and ±Infinity (a failed probe's figure) sent as null: the contract
    allows no non-finite number, and one bad figure must not cost the whole heartbeat."""
    out: dict[str, Any] = {}
    for key, value in health.items():
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        elif isinstance(value, dict):
            value = _finite_only(value)
        out[key] = value
    return out


# -- what each outbox kind sends and records -------------------------------------------------------------


def _send_order(client: CloudClient, item: OutboxItem) -> dict[str, Any]:
    answer = client.create_order(item.idempotency_key, item.payload)
    if not isinstance(answer.get("order_code"), str):
        raise CloudServerError(200, "bad_response", "order answer without order_code")
    return answer


def _send_rating(client: CloudClient, item: OutboxItem) -> dict[str, Any]:
    return client.rate_order(item.idempotency_key, item.payload["code"], item.payload["body"])


def _send_redemption(client: CloudClient, item: OutboxItem) -> dict[str, Any]:
    return client.redeem(item.idempotency_key, item.payload)


@dataclass(frozen=True)
class _Kind:
    send: Callable[[CloudClient, OutboxItem], dict[str, Any]]
    done: Callable[[Any, OutboxItem, dict[str, Any], float], None]
    rejected: Callable[[Any, OutboxItem, str, float], None]


KINDS: dict[str, _Kind] = {
    "order": _Kind(
        _send_order,
        lambda conn, item, answer, now: Orders.order_synced(conn, item.idempotency_key, answer["order_code"], now),
        lambda conn, item, code, now: Orders.order_rejected(conn, item.idempotency_key, code),
    ),
    "rating": _Kind(
        _send_rating,
        lambda conn, item, answer, now: Orders.rating_synced(conn, item.idempotency_key, now),
        lambda conn, item, code, now: Orders.rating_rejected(conn, item.idempotency_key, code),
    ),
    "redemption": _Kind(
        _send_redemption,
        lambda conn, item, answer, now: Orders.redemption_answered(conn, item.idempotency_key, answer, now),
        lambda conn, item, code, now: Orders.redemption_failed(
            conn, item.idempotency_key, RedemptionState.REJECTED, code, now
        ),
    ),
}


class SyncEngine:
    def __init__(
        self,
        store: Store,
        client: CloudClient,
        *,
        heartbeat_s: float,
        health: Callable[[], dict[str, Any]],
        on_change: Callable[[SyncState], None] | None = None,
        on_remote_config: Callable[[dict[str, Any], int], None] | None = None,
        on_catalogue: Callable[[dict[str, Any]], None] | None = None,
        data_dir: Path | None = None,
        submit_wait_s: float = 3.0,
        redeem_deadline_s: float = 15.0,
        backoff_base_s: float = 1.0,
        backoff_cap_s: float = 60.0,
        keys_refresh_s: float = 600.0,
    ) -> None:
        self.store = store
        self.client = client
        self.outbox = Outbox(store)
        self.orders = Orders(store)
        self.cache = DocumentCache(store)
        self.heartbeat_s = heartbeat_s
        self.health = health
        self.on_change = on_change
        self.on_remote_config = on_remote_config
        self.on_catalogue = on_catalogue
        self.images_dir = (data_dir or store.path.parent) / "images"
        self.submit_wait_s = submit_wait_s
        self.redeem_deadline_s = redeem_deadline_s
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self.keys_refresh_s = keys_refresh_s

        self._stop = threading.Event()
        self._wake_sender = threading.Event()
        self._wake_heartbeat = threading.Event()
        self._full_sync = threading.Event()
        self._delivered = threading.Condition()
        self._failures_seen = 0
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._status = SyncStatus.OFFLINE
        self._issue = SyncIssue.UNREACHABLE
        self._auth_code = ""
        self._failures = 0
        self._pause_until = 0.0
        self._keys_fetched_at = float("-inf")
        stored = store.get_meta(META_LAST_SYNC)
        self._last_sync_at: float | None = float(stored) if stored else None
        self._emitted: tuple[object, ...] | None = None

    # -- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> None:
        if self._threads:
            return
        self._stop.clear()
        self.outbox.prune(time.time() - OUTBOX_KEEP_S)
        with self.store.transaction() as conn:
            minimised = Orders.minimise_confirmed(conn)
            forgotten = Orders.forget_before(conn, time.time() - ORDERS_KEEP_S)
        if minimised or forgotten:
            log.info("personal data of %d order(s) forgotten (%d past retention)", minimised + forgotten, forgotten)
            self.store.checkpoint()
        released = self.outbox.release_held()
        if released:
            log.info("%d outbox row(s) held by the previous run are due now", released)
        self._full_sync.set()  # catalogue, keys and config once at start
        for name, target in (("sync-sender", self._sender_loop), ("sync-heartbeat", self._heartbeat_loop)):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop and join the threads; an HTTP call in flight ends within its own timeouts."""
        self._stop.set()
        self._wake_sender.set()
        self._wake_heartbeat.set()
        with self._delivered:
            self._delivered.notify_all()  # a submission waiting for the sender returns now
        deadline = time.monotonic() + timeout_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                log.warning("%s did not stop within %.1f s", thread.name, timeout_s)
        self._threads = []

    @property
    def running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    # -- state -------------------------------------------------------------------------------------------

    @property
    def state(self) -> SyncState:
        stats = self.outbox.stats()
        with self._lock:
            return SyncState(
                status=self._status,
                issue=self._issue,
                auth_code=self._auth_code,
                last_sync_at=self._last_sync_at,
                outbox_depth=stats.depth,
                oldest_age_s=stats.oldest_age_s,
                rejected=stats.rejected,
                clock_offset_s=self.client.clock_offset,
            )

    def _emit(self) -> None:
        if self.on_change is None:
            return
        state = self.state
        key = (state.status, state.issue, state.auth_code, state.outbox_depth, state.rejected)
        with self._lock:
            if key == self._emitted:
                return
            self._emitted = key
        try:
            self.on_change(state)
        except Exception:
            log.exception("on_change callback failed")

    def _contact_ok(self, persist: bool = False) -> None:
        now = time.time()
        with self._lock:
            came_back = self._status is not SyncStatus.ONLINE
            self._status, self._issue, self._auth_code = SyncStatus.ONLINE, SyncIssue.NONE, ""
            self._failures = 0
            self._pause_until = 0.0
            self._last_sync_at = now
        if persist or came_back:
            self.store.set_meta(META_LAST_SYNC, repr(now))
        if came_back:
            # Rows backed off while the cloud was away go now, not at the end of their backoff.
            self.outbox.retry_now()
            self._wake_sender.set()
        self._emit()

    def _contact_failed(self, exc: BaseException) -> float:
        """Note a transient failure; returns how long to wait before the next attempt."""
        issue = _issue_of(exc)
        with self._lock:
            offline = issue in (SyncIssue.UNREACHABLE, SyncIssue.NO_ANSWER)
            self._status = SyncStatus.OFFLINE if offline else SyncStatus.DEGRADED
            self._issue = issue
            self._auth_code = exc.code if isinstance(exc, CloudAuthError) else ""
            self._failures += 1
            if isinstance(exc, CloudRateLimited):
                delay = exc.retry_after_s
            else:
                delay = full_jitter(self._failures, self.backoff_base_s, self.backoff_cap_s)
            self._pause_until = time.time() + delay
        self._emit()
        return delay

    # -- the sender --------------------------------------------------------------------------------------

    def _sender_loop(self) -> None:
        kicked = False  # woken by a submission or sync_now(): one try even during a backoff pause
        while not self._stop.is_set():
            now = time.time()
            pause = self._pause_until - now
            if pause > 0 and not kicked:
                kicked = self._wake_sender.wait(pause)
                self._wake_sender.clear()
                continue
            kicked = False
            item = self.outbox.next_due(now)
            if item is None:
                nxt = self.outbox.next_attempt_at()
                wait = _IDLE_WAIT_S if nxt is None else min(_IDLE_WAIT_S, max(0.0, nxt - now))
                kicked = self._wake_sender.wait(wait)
                self._wake_sender.clear()
                continue
            try:
                self.deliver(item)
            except Exception:  # the local database failing (disk full …): keep the thread, try later
                log.exception("outbox %s %d: could not record the outcome", item.kind, item.id)
                self._stop.wait(self.backoff_cap_s)

    def deliver(self, item: OutboxItem) -> OutboxState:
        """Send one outbox row and record the outcome; returns the row's state afterwards."""
        kind = KINDS.get(item.kind)
        try:
            if kind is None:
                raise CloudRejected("unknown_kind", 0, f"no sender for outbox kind {item.kind!r}")
            answer = kind.send(self.client, item)
        except CloudRejected as exc:
            if isinstance(exc, CloudRateLimited):
                return self._failed(item, exc)
            if item.outcome_unknown and kind is not None:
                # An earlier send may have been applied: this refusal says nothing about that one.
                try:
                    kept = self.client.kept_response(item.idempotency_key)
                except CloudError as lookup_exc:
                    log.info("outbox %s %d refused (%s) after an unknown outcome; cannot ask yet: %s",
                             item.kind, item.id, exc.code, lookup_exc)
                    return self._failed(item, exc, outcome_unknown=True)
                if kept is not None:
                    log.warning("outbox %s %d refused (%s) but the cloud kept an earlier send: delivered",
                                item.kind, item.id, exc.code)
                    return self._delivered_now(item, kind, kept)
            if isinstance(exc, CloudAuthError):
                return self._failed(item, exc)
            now = time.time()
            with self.store.transaction() as conn:
                if Outbox.reject(conn, item.id, exc.code, exc.message, now=now) and kind is not None:
                    kind.rejected(conn, item, exc.code, now)
            log.warning("outbox %s %d rejected by the cloud: %s", item.kind, item.id, exc.code)
            self._contact_ok()
            state = OutboxState.REJECTED
        except CloudError as exc:
            return self._failed(item, exc, outcome_unknown=not isinstance(exc, CloudUnreachable))
        except Exception as exc:  # a bug must not kill the sender or lose the row: it stays pending
            log.exception("outbox %s %d: unexpected failure", item.kind, item.id)
            return self._failed(item, exc)
        else:
            return self._delivered_now(item, kind, answer)
        with self._delivered:
            self._delivered.notify_all()
        return state

    def _delivered_now(self, item: OutboxItem, kind: _Kind, answer: dict[str, Any]) -> OutboxState:
        now = time.time()
        with self.store.transaction() as conn:
            if Outbox.complete(conn, item.id, answer, now=now):
                kind.done(conn, item, answer, now)
        if item.kind == "order" and not self.store.checkpoint():
            log.debug("checkpoint after order %s held back by a reader; the next one will do", item.id)
        self._contact_ok()
        with self._delivered:
            self._delivered.notify_all()
        return OutboxState.DONE

    def _failed(self, item: OutboxItem, exc: BaseException, *, outcome_unknown: bool = False) -> OutboxState:
        delay = self._contact_failed(exc)
        issue = _issue_of(exc)
        code = getattr(exc, "code", issue.value)
        # When the cloud or the device is the problem, the row keeps its place (rows then go out oldest
        # first once it is back) and only the engine pauses; an error that may be the row's own (5xx,
        # no answer) also backs the row off, so one bad row cannot hold up the queue behind it.
        retry_at = 0.0 if issue in _NOT_THE_ROWS_FAULT else time.time() + delay
        self.outbox.record_failure(item.id, str(code), str(exc), retry_at=retry_at, outcome_unknown=outcome_unknown)
        log.info("outbox %s %d not delivered (%s); next try in %.1f s", item.kind, item.id, code, delay)
        with self._delivered:
            self._failures_seen += 1
            self._delivered.notify_all()
        return OutboxState.PENDING

    def _await(self, item_id: int, failures_before: int, timeout_s: float) -> None:
        """Wait (bounded) until ``item_id`` is delivered or rejected, or a delivery has failed since it
        was queued (the cloud is not answering now: no point keeping the resident waiting)."""
        if not self.running or timeout_s <= 0:
            return
        self._wake_sender.set()
        deadline = time.monotonic() + timeout_s
        with self._delivered:
            while True:
                item = self.outbox.get(item_id)
                remaining = deadline - time.monotonic()
                if (
                    item is None
                    or item.state is not OutboxState.PENDING
                    or self._failures_seen != failures_before
                    or self._stop.is_set()
                    or remaining <= 0
                ):
                    return
                self._delivered.wait(remaining)

    def _failure_count(self) -> int:
        with self._delivered:
            return self._failures_seen

    # -- orders and ratings ------------------------------------------------------------------------------

    def submit_order(self, body: dict[str, Any]) -> LocalOrder:
        """Persist the order with its outbox row, then give the sender a short chance to deliver it.

        Returns the local order: its client code at once, the cloud's order code if it answered in time.
        """
        last4 = _phone_last4(body)
        if not isinstance(body.get("service_id"), str):
            raise InvalidRequest("service_id")
        if "created_at" in body and not is_sane_time(body["created_at"]):
            raise InvalidRequest("created_at")
        _refuse_non_finite(body)
        failures = self._failure_count()
        now = time.time()
        key = str(uuid.uuid4())
        with self.store.transaction() as conn:
            code = new_client_code()
            while Orders.client_code_taken(conn, code):
                code = new_client_code()
            full = {**body, "client_code": code, "created_at": body.get("created_at", now)}
            Orders.insert_order(conn, code, key, last4, full, now)
            item_id = Outbox.enqueue(conn, "order", key, full, now=now)
        self._emit()
        self._await(item_id, failures, self.submit_wait_s)
        order = self.orders.order(code)
        assert order is not None
        return order

    def submit_rating(self, code: str, body: dict[str, Any]) -> LocalRating:
        if not isinstance(body.get("stars"), int) or not 1 <= body["stars"] <= 5:
            raise InvalidRequest("stars")
        failures = self._failure_count()
        now = time.time()
        key = str(uuid.uuid4())
        with self.store.transaction() as conn:
            Orders.insert_rating(conn, key, code, body, now)
            item_id = Outbox.enqueue(conn, "rating", key, {"code": code, "body": body}, now=now)
        self._emit()
        self._await(item_id, failures, self.submit_wait_s)
        rating = self.orders.rating(key)
        assert rating is not None
        return rating

    def order_status(self, code: str, last4: str) -> OrderLookup:
        """Ask the cloud; when it cannot answer, fall back to an order made here (marked not live)."""
        try:
            data = self.client.order_status(code, last4)
        except CloudRejected as exc:
            if isinstance(exc, CloudAuthError | CloudRateLimited) or exc.code != "not_found":
                raise
            local = self.orders.find_order(code, last4)
            if local is not None and not local.synced:  # not delivered yet, so the cloud cannot know it
                return OrderLookup(False, None, local)
            raise
        except CloudError as exc:
            local = self.orders.find_order(code, last4)
            if local is None:
                raise SyncUnavailable(_issue_of(exc)) from exc
            return OrderLookup(False, None, local)
        return OrderLookup(True, data, None)

    def rejected(self, limit: int = 100) -> list[OutboxItem]:
        return self.outbox.rejected(limit)

    # -- redemptions -------------------------------------------------------------------------------------

    def redeem(self, items: list[dict[str, Any]], session: str) -> Redemption:
        """Redeem online. The request is persisted with its key first; while the outcome is unknown the
        same key is re-sent until a definite answer or ``redeem_deadline_s``, after which the sender
        keeps re-sending it and a late voucher appears in :meth:`unprinted_vouchers`.

        The returned state: CONFIRMED (voucher), REJECTED (``reject_code``), NOT_SENT (provably never
        reached the cloud: nothing was deducted), or SENDING (outcome still unknown)."""
        if not items:
            raise InvalidRequest("items")
        return self._redeem_inline({"session": session, "items": items})

    def submit_offline_redemption(self, token: str, items: list[dict[str, Any]], redeemed_at: float) -> Redemption:
        """Queue a redemption made while offline; the sender delivers it when the cloud is back."""
        if not items:
            raise InvalidRequest("items")
        if not is_sane_time(redeemed_at):
            raise InvalidRequest("redeemed_at")
        body = {"offline": {"token": token, "redeemed_at": redeemed_at}, "items": items}
        _refuse_non_finite(body)
        key, _ = self._persist_redemption(body, hold_s=0.0)
        self._wake_sender.set()
        redemption = self.orders.redemption(key)
        assert redemption is not None
        return redemption

    def _persist_redemption(self, body: dict[str, Any], *, hold_s: float) -> tuple[str, int]:
        now = time.time()
        key = str(uuid.uuid4())
        with self.store.transaction() as conn:
            Orders.insert_redemption(conn, key, body, now)
            # Only an inline send holds its row; a held row found at start-up had an owner that died.
            not_before = now + hold_s if hold_s > 0 else 0.0
            item_id = Outbox.enqueue(conn, "redemption", key, body, now=now, not_before=not_before)
        return key, item_id

    def _redeem_inline(self, body: dict[str, Any]) -> Redemption:
        connect_s, read_s = self.client.timeouts
        # The outbox row is held back while this thread sends it, long enough to outlive our attempts.
        hold_s = self.redeem_deadline_s + connect_s + read_s + 30.0
        key, item_id = self._persist_redemption(body, hold_s=hold_s)
        item = self.outbox.get(item_id)
        assert item is not None
        deadline = time.monotonic() + self.redeem_deadline_s
        maybe_sent = False
        attempt = 0
        while True:
            try:
                answer = self.client.redeem(key, body)
            except CloudRejected as exc:
                if isinstance(exc, CloudRateLimited):
                    delay = exc.retry_after_s
                else:
                    try:
                        # An earlier send may have been applied: ask before taking the refusal.
                        kept = self.client.kept_response(key) if maybe_sent else None
                    except CloudError as lookup_exc:
                        # Cannot tell yet: go on as after any attempt whose outcome is unknown.
                        self._contact_failed(lookup_exc)
                        delay = full_jitter(attempt, 0.25, 2.0)
                    else:
                        if kept is not None:
                            self._redemption_answered(item_id, key, kept)
                        else:
                            now = time.time()
                            with self.store.transaction() as conn:
                                Outbox.reject(conn, item_id, exc.code, exc.message, now=now)
                                Orders.redemption_failed(conn, key, RedemptionState.REJECTED, exc.code, now)
                        break
            except CloudError as exc:
                # A 5xx may come after the service applied it; only a failed connect proves nothing left.
                maybe_sent = maybe_sent or not isinstance(exc, CloudUnreachable)
                self._contact_failed(exc)
                delay = full_jitter(attempt, 0.25, 2.0)
            else:
                self._redemption_answered(item_id, key, answer)
                break
            attempt += 1
            if time.monotonic() + delay > deadline or self._stop.is_set():
                now = time.time()
                if maybe_sent:
                    self.outbox.release(item_id, at=now, outcome_unknown=True)
                    self._wake_sender.set()
                else:
                    with self.store.transaction() as conn:
                        Outbox.cancel(conn, item_id, "never reached the cloud", now=now)
                        Orders.redemption_failed(conn, key, RedemptionState.NOT_SENT, "unreachable", now)
                break
            self._stop.wait(delay)
        self._emit()
        redemption = self.orders.redemption(key)
        assert redemption is not None
        return redemption

    def _redemption_answered(self, item_id: int, key: str, answer: dict[str, Any]) -> None:
        now = time.time()
        with self.store.transaction() as conn:
            if Outbox.complete(conn, item_id, answer, now=now):
                Orders.redemption_answered(conn, key, answer, now)
        self._contact_ok()

    def hurry(self, key: str, every_s: float = 3.0) -> None:
        """Someone is waiting at the kiosk for this row's answer: re-send it within ``every_s`` instead
        of at the end of its backoff (which may be a minute after an outage)."""
        item = self.outbox.by_key(key)
        if item is None or item.state is not OutboxState.PENDING or item.attempts == 0:
            return  # unknown, settled, or still being sent by its inline owner
        if item.next_attempt_at - time.time() > every_s:
            self.outbox.release(item.id, at=time.time() + every_s)
        self._wake_sender.set()

    def unprinted_vouchers(self) -> list[Redemption]:
        return self.orders.unprinted_vouchers()

    def mark_voucher_printed(self, key: str) -> bool:
        return self.orders.mark_voucher_printed(key, time.time())

    # -- catalogue, keys, remote config -------------------------------------------------------------------

    def catalogue(self) -> dict[str, Any] | None:
        """The last catalogue received (kept across restarts); None before the first sync."""
        doc = self.cache.get(CATALOGUE)
        return None if doc is None else dict(doc.body)

    def image_path(self, name: str) -> Path | None:
        path = self.images_dir / name
        return path if _IMAGE_NAME.match(name) and path.is_file() else None

    def key_ring(self) -> KeyRing:
        doc = self.cache.get(KEYS)
        return KeyRing.from_document(doc.body) if doc else KeyRing()

    def refresh_catalogue(self) -> bool:
        """Fetch the catalogue if changed (ETag) and any missing images; True if it changed."""
        cached = self.cache.get(CATALOGUE)
        fetched = self.client.catalogue(cached.etag if cached else None)
        now = time.time()
        if fetched.not_modified:
            self.cache.touch(CATALOGUE, now)
            body = cached.body if cached else {}
        else:
            body = fetched.body
            self.cache.put(CATALOGUE, body, etag=fetched.etag, now=now)
        self._fetch_images(body, refresh=not fetched.not_modified)
        if not fetched.not_modified and self.on_catalogue is not None:
            self.on_catalogue(dict(body))  # after the images, so a new catalogue never shows without them
        return not fetched.not_modified

    def _fetch_images(self, catalogue: Mapping[str, Any], *, refresh: bool) -> None:
        names = {g.get("image") for g in catalogue.get("gifts", []) if isinstance(g, Mapping)}
        self.images_dir.mkdir(parents=True, exist_ok=True)
        for name in sorted(n for n in names if isinstance(n, str)):
            if not _IMAGE_NAME.match(name):
                log.warning("catalogue image name %r refused", name)
                continue
            path = self.images_dir / name
            etag_doc = self.cache.get(f"image:{name}")
            if path.is_file() and not refresh:
                continue
            try:
                data, etag = self.client.image(name, etag_doc.body if etag_doc and path.is_file() else None)
            except CloudRejected as exc:
                if isinstance(exc, CloudAuthError | CloudRateLimited):
                    raise
                log.warning("catalogue image %s not available: %s", name, exc.code)  # the rest still come
                continue
            if data is None:
                continue
            tmp = path.with_name(f".{name}.tmp")
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            self.cache.put(f"image:{name}", etag, etag="", now=time.time())

    def check_member_token(self, text: str, *, spend: bool) -> VerifiedToken:
        """Verify a member token offline (cached keys, the service's clock as learnt); with ``spend``
        its nonce is consumed here so it cannot be used again at this kiosk.

        A token signed with a key this kiosk has not cached yet (just rotated) triggers one refresh of
        the keys when the cloud can be reached. Raises :class:`kiosk.tokens.TokenError`."""
        verifier = TokenVerifier(SpentNonces(self.store))
        check = verifier.spend if spend else verifier.verify
        try:
            return check(text, self.key_ring(), server_now=self.client.server_now())
        except TokenError as exc:
            if exc.kind is not TokenErrorKind.UNKNOWN_KEY:
                raise
            try:
                ring = self.refresh_keys()
            except CloudError:
                raise exc from None
            return check(text, ring, server_now=self.client.server_now())

    def refresh_keys(self) -> KeyRing:
        keys = self.client.keys()
        ring = KeyRing.from_document(keys)  # parse before caching: a bad document must not replace a good one
        self.cache.put(KEYS, keys, etag="", now=time.time())
        self._keys_fetched_at = time.monotonic()
        return ring

    def refresh_config(self, version: int | None = None) -> bool:
        """Fetch remote config when its version differs from the one applied; True if handed over.

        The receiver calls :meth:`config_applied` once the values are written and in effect; a version
        it refused or could not write is offered again at the next heartbeat.
        """
        applied = self.store.get_meta(META_CONFIG_VERSION)
        if version is not None and applied is not None and int(applied) == version:
            return False
        reply = self.client.remote_config()
        new_version = int(reply["version"])
        if applied is not None and int(applied) == new_version:
            return False
        values = reply.get("values") or {}
        if self.on_remote_config is None:
            self.config_applied(new_version)
        else:
            self.on_remote_config(dict(values), new_version)
        return True

    def config_applied(self, version: int) -> None:
        """Remote config ``version`` is written and in effect: it is not fetched again."""
        self.store.set_meta(META_CONFIG_VERSION, str(version))

    # -- heartbeat ---------------------------------------------------------------------------------------

    def sync_now(self) -> None:
        """Retry every queued row now and refresh catalogue, keys and config (returns at once)."""
        self.outbox.retry_now()
        with self._lock:
            self._pause_until = 0.0
        self._full_sync.set()
        self._wake_sender.set()
        self._wake_heartbeat.set()

    def _heartbeat_loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.heartbeat_once()
            except Exception:  # a local failure must not end the heartbeat for good
                log.exception("heartbeat failed")
            if self._wake_heartbeat.wait(self.heartbeat_s):
                self._wake_heartbeat.clear()

    def heartbeat_once(self) -> bool:
        """One heartbeat and whatever its reply asks for; False when the cloud could not be reached."""
        try:
            body = _finite_only(dict(self.health()))
        except Exception:
            log.exception("health callback failed; heartbeat sent with outbox figures only")
            body = {}
        state = self.state
        body.update(
            outbox_depth=state.outbox_depth,
            oldest_outbox_age_s=round(state.oldest_age_s, 1),
            last_sync_at=state.last_sync_at,
        )
        try:
            reply = self.client.heartbeat(body)
        except CloudRejected as exc:
            if isinstance(exc, CloudAuthError | CloudRateLimited):
                self._contact_failed(exc)
            else:  # the cloud answered; the body is wrong (a local bug), not the connection
                log.warning("heartbeat refused: %s", exc)
                self._contact_ok()
            return False
        except CloudError as exc:
            self._contact_failed(exc)
            return False
        self._contact_ok(persist=True)
        full = self._full_sync.is_set()
        self._full_sync.clear()
        commands = reply.get("commands") or []
        try:
            if full or "sync_catalogue" in commands:
                self.refresh_catalogue()
            if full or time.monotonic() - self._keys_fetched_at > self.keys_refresh_s:
                self.refresh_keys()
            version = reply.get("config_version")
            if full:
                self.refresh_config()
            elif version is not None:
                self.refresh_config(int(version))
        except CloudError as exc:
            log.info("refresh after heartbeat failed: %s", exc)
            if full:
                self._full_sync.set()
            self._contact_failed(exc)
            return False
        except Exception:
            log.exception("refresh after heartbeat failed")
            if full:
                self._full_sync.set()
        return True
