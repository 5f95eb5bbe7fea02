"""Rate-limit windows and Idempotency-Key replay, both kept in the database so they hold across
worker processes and restarts."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from cloud.db import idempotency, rate_windows, try_insert
from cloud.errors import ApiError, ErrorCode
from cloud.settings import RateLimit

Json = dict[str, Any]


def _window(rate: RateLimit, at: float) -> int:
    return int(at // rate.window_s) * rate.window_s


def _refuse(rate: RateLimit, start: int, at: float, what: str) -> ApiError:
    retry = max(1, math.ceil(start + rate.window_s - at))
    return ApiError(ErrorCode.RATE_LIMITED, f"too many {what}; try again in {retry} s", retry_after_s=retry)


def record_hit(conn: Connection, key: str, rate: RateLimit, at: float) -> int:
    """Count one hit in the current window; the count after it."""
    start = _window(rate, at)
    where = (rate_windows.c.key == key, rate_windows.c.window_start == start)
    bump = sa.update(rate_windows).where(*where).values(hits=rate_windows.c.hits + 1)
    if conn.execute(bump).rowcount == 0 and not try_insert(
        conn, rate_windows, {"key": key, "window_start": start, "hits": 1}
    ):
        conn.execute(bump)
    return int(conn.execute(sa.select(rate_windows.c.hits).where(*where)).scalar_one())


def check_and_count(engine: Engine, key: str, rate: RateLimit, at: float, what: str) -> None:
    """Count an attempt (committed even if the request then fails) and refuse it beyond the limit."""
    with engine.begin() as conn:
        count = record_hit(conn, key, rate, at)
    if count > rate.limit:
        raise _refuse(rate, _window(rate, at), at, what)


def forgive_hit(engine: Engine, key: str, rate: RateLimit, at: float) -> None:
    """Take back a hit counted by ``check_and_count`` (same ``at``): used to count only failures while
    still reserving the attempt up front, so parallel guesses cannot overshoot the limit."""
    with engine.begin() as conn:
        conn.execute(
            sa.update(rate_windows)
            .where(rate_windows.c.key == key, rate_windows.c.window_start == _window(rate, at), rate_windows.c.hits > 0)
            .values(hits=rate_windows.c.hits - 1)
        )


def purge_rate_windows(conn: Connection, before: float) -> None:
    conn.execute(sa.delete(rate_windows).where(rate_windows.c.window_start < int(before)))


def run_idempotent(
    engine: Engine,
    *,
    device_id: str,
    key: str,
    endpoint: str,
    body_hash: str,
    at: float,
    action: Callable[[Connection], tuple[int, Json]],
) -> tuple[int, Json]:
    """Run ``action`` once per (device, key): the stored response is replayed with 200 for the same
    body and refused with 409 for another. Only successful responses are stored, so a refused request
    (no points, out of stock …) can be retried with the same key once the cause is fixed. The action
    and the stored response commit together."""
    for attempt in range(2):
        try:
            with engine.begin() as conn:
                stored = conn.execute(
                    sa.select(idempotency).where(idempotency.c.device_id == device_id, idempotency.c.key == key)
                ).first()
                if stored is not None:
                    if stored.endpoint != endpoint or stored.body_hash != body_hash:
                        raise ApiError(
                            ErrorCode.IDEMPOTENCY_MISMATCH,
                            "this Idempotency-Key was already used with a different request",
                        )
                    return 200, dict(stored.response)
                status, body = action(conn)
                conn.execute(
                    sa.insert(idempotency).values(
                        device_id=device_id, key=key, endpoint=endpoint, body_hash=body_hash,
                        response=body, created_at=at,
                    )
                )
                return status, body
        except IntegrityError:
            # A concurrent request with the same key committed first (PostgreSQL): answer as it did.
            if attempt:
                raise
    raise AssertionError("unreachable")


def kept_response(engine: Engine, *, device_id: str, key: str) -> tuple[int, Json] | None:
    """The successful response kept for this device's ``key`` with its original status, or None when
    none was kept (the request was never applied). Kept responses are 201 (created), except an
    offline redemption recorded as a conflict, answered 200 with ``"conflict": true``."""
    with engine.begin() as conn:
        stored = conn.execute(
            sa.select(idempotency.c.response).where(idempotency.c.device_id == device_id, idempotency.c.key == key)
        ).first()
    if stored is None:
        return None
    body = dict(stored.response)
    return (200 if body.get("conflict") is True else 201), body
