"""The outbox and local order tables on real SQLite files: atomic enqueue, order of delivery, holds,
backoff bookkeeping, terminal states and survival across a reopen."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kiosk.store import Store, open_store
from kiosk.store.orders import LocalState, Orders, RedemptionState
from kiosk.store.outbox import Outbox, OutboxState


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store, _ = open_store(tmp_path)
    return store


def _queue_order(store: Store, code: str, key: str, now: float = 1000.0) -> int:
    body = {"client_code": code, "contact": {"phone": "13800005678"}}
    with store.transaction() as conn:
        Orders.insert_order(conn, code, key, "5678", body, now)
        return Outbox.enqueue(conn, "order", key, body, now=now)


def test_order_and_outbox_row_commit_together_or_not_at_all(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as conn:
        Orders.insert_order(conn, "LAAAAA", "k-1", "5678", {}, 1.0)
        Outbox.enqueue(conn, "order", "k-1", {}, now=1.0)
        raise RuntimeError("crash before commit")
    assert Orders(store).order("LAAAAA") is None
    assert Outbox(store).by_key("k-1") is None
    _queue_order(store, "LAAAAA", "k-1")
    assert Orders(store).order("LAAAAA") is not None
    assert Outbox(store).by_key("k-1") is not None


def test_same_idempotency_key_cannot_be_queued_twice(store: Store) -> None:
    _queue_order(store, "LAAAAA", "k-1")
    with pytest.raises(Exception, match="UNIQUE"):
        _queue_order(store, "LBBBBB", "k-1")
    assert [o.client_code for o in Orders(store).orders()] == ["LAAAAA"]


def test_rows_go_oldest_first_and_failures_hold_them(store: Store) -> None:
    outbox = Outbox(store)
    first = _queue_order(store, "LAAAAA", "k-1")
    second = _queue_order(store, "LBBBBB", "k-2")
    due = outbox.next_due(2000.0)
    assert due is not None and due.id == first
    outbox.record_failure(first, "unreachable", "connect refused", retry_at=2100.0)
    due = outbox.next_due(2000.0)
    assert due is not None and due.id == second
    assert outbox.next_attempt_at() == 0.0
    held = outbox.get(first)
    assert held is not None and (held.attempts, held.error_code, held.next_attempt_at) == (1, "unreachable", 2100.0)
    due = outbox.next_due(2100.0)
    assert due is not None and due.id == first


def test_retry_now_leaves_rows_held_by_their_owner(store: Store) -> None:
    outbox = Outbox(store)
    backed_off = _queue_order(store, "LAAAAA", "k-1")
    outbox.record_failure(backed_off, "server_error", "503", retry_at=time.time() + 600)
    with store.transaction() as conn:
        held = Outbox.enqueue(conn, "redemption", "k-r", {}, now=1.0, not_before=time.time() + 600)
    assert outbox.retry_now() == 1
    assert outbox.next_due(time.time()) is not None
    item = outbox.get(held)
    assert item is not None and item.next_attempt_at > time.time()
    outbox.release(held, at=0.0)
    item = outbox.get(held)
    assert item is not None and item.next_attempt_at == 0.0


def test_terminal_states_are_final(store: Store) -> None:
    outbox = Outbox(store)
    done, rejected, cancelled = (_queue_order(store, f"L{c * 5}", f"k-{c}") for c in "ABC")
    with store.transaction() as conn:
        assert Outbox.complete(conn, done, {"order_code": "XN-1"}, now=5.0)
        Orders.order_synced(conn, "k-A", "XN-1", 5.0)
        assert Outbox.reject(conn, rejected, "unknown_service", "no such service", now=5.0)
        Orders.order_rejected(conn, "k-B", "unknown_service")
        assert Outbox.cancel(conn, cancelled, "withdrawn", now=5.0)
        # A second outcome for a finished row changes nothing.
        assert not Outbox.complete(conn, rejected, {}, now=6.0)
        assert not Outbox.reject(conn, done, "x", "", now=6.0)
        assert not Outbox.cancel(conn, done, "x", now=6.0)
    states = {i: outbox.get(i).state for i in (done, rejected, cancelled)}  # type: ignore[union-attr]
    assert states == {done: OutboxState.DONE, rejected: OutboxState.REJECTED, cancelled: OutboxState.CANCELLED}
    assert outbox.next_due(1e12) is None
    orders = Orders(store)
    synced = orders.order("LAAAAA")
    assert synced is not None and synced.synced and synced.display_code == "XN-1"
    refused = orders.order("LBBBBB")
    assert refused is not None and (refused.state, refused.reject_code) == (LocalState.REJECTED, "unknown_service")
    assert [r.error_code for r in outbox.rejected()] == ["unknown_service"]
    stats = outbox.stats(now=1010.0)
    assert (stats.depth, stats.rejected, stats.oldest_age_s) == (0, 1, 0.0)


def test_stats_count_pending_and_oldest_age(store: Store) -> None:
    _queue_order(store, "LAAAAA", "k-1", now=1000.0)
    _queue_order(store, "LBBBBB", "k-2", now=1030.0)
    stats = Outbox(store).stats(now=1100.0)
    assert (stats.depth, stats.oldest_age_s, stats.rejected) == (2, 100.0, 0)


def test_queue_survives_reopen_with_payload_bytes_unchanged(tmp_path: Path, store: Store) -> None:
    body = {"client_code": "LAAAAA", "contact": {"phone": "13800005678", "name": "王"}, "note": "三楼"}
    with store.transaction() as conn:
        Orders.insert_order(conn, "LAAAAA", "k-1", "5678", body, 1.0)
        Outbox.enqueue(conn, "order", "k-1", body, now=1.0)
    store.close()
    reopened, recovery = open_store(tmp_path)
    assert recovery is None
    item = Outbox(reopened).next_due(10.0)
    assert item is not None and item.payload == body and item.idempotency_key == "k-1"
    assert reopened.integrity_ok() == (True, "ok")


def test_find_order_needs_the_right_phone_digits(store: Store) -> None:
    _queue_order(store, "LAAAAA", "k-1")
    orders = Orders(store)
    assert orders.find_order("LAAAAA", "5678") is not None
    assert orders.find_order("LAAAAA", "0000") is None
    with store.transaction() as conn:
        Orders.order_synced(conn, "k-1", "XN20261129-0001", 2.0)
    found = orders.find_order("XN20261129-0001", "5678")
    assert found is not None and found.client_code == "LAAAAA"


def test_voucher_printed_once(store: Store) -> None:
    orders = Orders(store)
    with store.transaction() as conn:
        Orders.insert_redemption(conn, "r-1", {"session": "s", "items": []}, 1.0)
        Orders.insert_redemption(conn, "r-2", {"session": "s", "items": []}, 2.0)
        Orders.redemption_answered(conn, "r-1", {"redemption_no": "R1", "pickup_code": "12345678"}, 3.0)
        Orders.redemption_answered(conn, "r-2", {"conflict": True, "reason": "insufficient_points"}, 3.0)
    assert [r.redemption_no for r in orders.unprinted_vouchers()] == ["R1"]
    conflict = orders.redemption("r-2")
    assert conflict is not None and conflict.state is RedemptionState.CONFLICT
    assert orders.mark_voucher_printed("r-1", 4.0)
    assert not orders.mark_voucher_printed("r-1", 5.0)
    assert orders.unprinted_vouchers() == []


def test_rated_here_by_either_code_unless_refused(store: Store) -> None:
    orders = Orders(store)
    _queue_order(store, "LAAAAA", "k-1")
    with store.transaction() as conn:
        Orders.order_synced(conn, "k-1", "XN20261129-0001", 2.0)
    assert not orders.rated_here("LAAAAA")
    with store.transaction() as conn:
        Orders.insert_rating(conn, "r-1", "XN20261129-0001", {"stars": 5}, 3.0)
    assert orders.rated_here("LAAAAA") and orders.rated_here("XN20261129-0001")
    with store.transaction() as conn:
        Orders.rating_rejected(conn, "r-1", "not_completed")
    assert not orders.rated_here("LAAAAA")
    with store.transaction() as conn:
        Orders.insert_rating(conn, "r-2", "XN20990101-0009", {"stars": 4}, 4.0)  # an order made elsewhere
    assert orders.rated_here("XN20990101-0009") and not orders.rated_here("LAAAAA")


def test_rows_held_by_a_previous_run_are_due_at_start(tmp_path: Path) -> None:
    store, _ = open_store(tmp_path)
    outbox = Outbox(store)
    with store.transaction() as conn:
        held = Outbox.enqueue(conn, "redemption", "key-held", {"n": 1}, now=100.0)
        backed_off = Outbox.enqueue(conn, "order", "key-backoff", {"n": 2}, now=100.0)
    outbox.release(held, at=10_000.0)  # an inline sender was holding it when the process died
    outbox.record_failure(backed_off, "unreachable", "down", retry_at=10_000.0)
    assert outbox.release_held() == 1
    assert {i.idempotency_key: i.next_attempt_at for i in (outbox.get(held), outbox.get(backed_off)) if i} == {
        "key-held": 0.0, "key-backoff": 10_000.0}


def test_prune_forgets_old_delivered_rows_and_keeps_refused_and_pending_ones(tmp_path: Path) -> None:
    store, _ = open_store(tmp_path)
    outbox = Outbox(store)
    with store.transaction() as conn:
        old_done = Outbox.enqueue(conn, "order", "k-old", {"n": 1}, now=0.0)
        new_done = Outbox.enqueue(conn, "order", "k-new", {"n": 2}, now=0.0)
        refused = Outbox.enqueue(conn, "order", "k-refused", {"n": 3}, now=0.0)
        Outbox.enqueue(conn, "order", "k-pending", {"n": 4}, now=0.0)
        Outbox.complete(conn, old_done, {"order_code": "A"}, now=100.0)
        Outbox.complete(conn, new_done, {"order_code": "B"}, now=10_000.0)
        Outbox.reject(conn, refused, "unknown_service", "gone", now=100.0)
    assert outbox.prune(finished_before=5_000.0) == 1
    keys = {row["idempotency_key"] for row in store.query("SELECT idempotency_key FROM outbox")}
    assert keys == {"k-new", "k-refused", "k-pending"}
