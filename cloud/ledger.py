"""The points and hours ledgers: append-only rows, balances are their sums. Every row names its cause
(``reason`` and ``ref``: an order, a redemption, an expiry, an adjustment with its note) and who made it.

Concurrency: a member's postings are serialised by a row lock on the member (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises writers), so a debit can never take the sum
below zero; a service credit is unique per member and order (a partial unique index), so completion sent
twice credits once."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from cloud import rules
from cloud.db import hours_ledger, members, points_ledger, savepoint
from cloud.errors import ApiError, ErrorCode
from cloud.settings import STATION_TZ

Json = dict[str, Any]
HOUR_KINDS = ("credit", "honour")
# The causes a row may name.
SERVICE, REDEMPTION, EXPIRY, ADJUSTMENT, OPENING, VOUCHER_EXPIRED, REDATED = (
    "service", "redemption", "expiry", "adjustment", "opening", "voucher_expired", "redated")
_ROUNDING = {"half_up": ROUND_HALF_UP, "down": ROUND_FLOOR, "up": ROUND_CEILING}


def local_date(at: float) -> date:
    return datetime.fromtimestamp(at, STATION_TZ).date()


def _day_bounds(day: date) -> tuple[float, float]:
    start = datetime(day.year, day.month, day.day, tzinfo=STATION_TZ).timestamp()
    return start, start + 86400


def lock_member(conn: Connection, member_id: str) -> None:
    found = conn.execute(sa.select(members.c.id).where(members.c.id == member_id).with_for_update()).first()
    if found is None:
        raise ApiError(ErrorCode.UNKNOWN_MEMBER, "no such member")


def balance(conn: Connection, member_id: str) -> int:
    total = conn.execute(
        sa.select(sa.func.coalesce(sa.func.sum(points_ledger.c.delta), 0)).where(points_ledger.c.member_id == member_id)
    ).scalar_one()
    return int(total)


def post(
    conn: Connection, member_id: str, delta: int, reason: str, *, at: float, ref: str | None = None,
    note: str = "", actor: str | None = None, expires_on: str | None = None,
) -> int:
    """Append one row; the balance after it. A debit beyond the balance is refused (insufficient_points)."""
    lock_member(conn, member_id)
    after = balance(conn, member_id) + delta
    if after < 0:
        raise ApiError(ErrorCode.INSUFFICIENT_POINTS, f"{-delta} points needed, {after - delta} available")
    conn.execute(sa.insert(points_ledger).values(
        member_id=member_id, delta=delta, balance_after=after, reason=reason, ref=ref, note=note, actor=actor,
        expires_on=expires_on, at=at))
    return after


def credit(
    conn: Connection, member_id: str, points: int, reason: str, *, at: float, ref: str | None = None,
    note: str = "", actor: str | None = None,
) -> int:
    """A credit that expires by the district's rule (``points.valid_days`` after the day it is earned)."""
    valid_days = int(rules.get(conn, "points.valid_days"))
    expires_on = (local_date(at) + timedelta(days=valid_days)).isoformat()
    return post(conn, member_id, points, reason, at=at, ref=ref, note=note, actor=actor, expires_on=expires_on)


def adjust(conn: Connection, member_id: str, delta: int, *, note: str, actor: str | None, at: float) -> int:
    """A manual correction: needs a reason, and is recorded with who made it."""
    if not note.strip():
        raise ApiError(ErrorCode.BAD_REQUEST, "note: an adjustment needs a reason")
    if delta == 0:
        raise ApiError(ErrorCode.BAD_REQUEST, "delta: must not be zero")
    if delta > 0:
        return credit(conn, member_id, delta, ADJUSTMENT, at=at, note=note.strip(), actor=actor)
    return post(conn, member_id, delta, ADJUSTMENT, at=at, note=note.strip(), actor=actor)


def redate(conn: Connection, member_id: str, points: int, on: date, *, at: float, actor: str | None = None) -> None:
    """Make ``points`` of the balance expire on ``on`` (a migration or an operator's correction): the
    oldest credits give them up and a credit dated ``on`` takes them, both rows in the ledger."""
    post(conn, member_id, -points, REDATED, at=at, ref=on.isoformat(), actor=actor)
    post(conn, member_id, points, REDATED, at=at, ref=on.isoformat(), actor=actor, expires_on=on.isoformat())


# --- hours ------------------------------------------------------------------------------------------------


def hours(conn: Connection, member_id: str) -> dict[str, float]:
    rows = conn.execute(
        sa.select(hours_ledger.c.kind, sa.func.sum(hours_ledger.c.hours))
        .where(hours_ledger.c.member_id == member_id).group_by(hours_ledger.c.kind)
    )
    return {kind: round(float(total), 2) for kind, total in rows if total}


def post_hours(
    conn: Connection, member_id: str, kind: str, amount: float, reason: str, *, at: float, ref: str | None = None,
    note: str = "", actor: str | None = None,
) -> None:
    if kind not in HOUR_KINDS:
        raise ApiError(ErrorCode.BAD_REQUEST, f"kind: one of {', '.join(HOUR_KINDS)}")
    if not math.isfinite(amount):
        raise ApiError(ErrorCode.BAD_REQUEST, "hours: a finite number")
    if hours(conn, member_id).get(kind, 0.0) + amount < -1e-9:
        raise ApiError(ErrorCode.BAD_REQUEST, "hours: the total would go below zero")
    conn.execute(sa.insert(hours_ledger).values(
        member_id=member_id, kind=kind, hours=amount, reason=reason, ref=ref, note=note, actor=actor, at=at))


# --- service credit ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceCredit:
    member_id: str
    hours: float
    points: int
    credited: bool  # False: this order had already credited this member


def service_hours(conn: Connection, started: float, ended: float) -> float:
    """Service time rounded to the district's step, capped per task."""
    step = float(rules.get(conn, "hours.step_minutes"))
    minutes = max(0.0, ended - started) / 60
    rounded = math.floor(minutes / step + 0.5) * step / 60
    return min(rounded, float(rules.get(conn, "hours.max_per_task")))


def service_points(conn: Connection, member_id: str, task_hours: float, at: float) -> int:
    """Points for ``task_hours`` by rate and rounding, within what the daily cap still allows."""
    raw = Decimal(str(task_hours)) * Decimal(str(rules.get(conn, "points.per_hour")))
    points = int(raw.quantize(Decimal(1), rounding=_ROUNDING[rules.get(conn, "points.rounding")]))
    cap = int(rules.get(conn, "points.daily_cap"))
    if cap <= 0:
        return points
    start, end = _day_bounds(local_date(at))
    earned = conn.execute(
        sa.select(sa.func.coalesce(sa.func.sum(points_ledger.c.delta), 0)).where(
            points_ledger.c.member_id == member_id, points_ledger.c.reason == SERVICE,
            points_ledger.c.at >= start, points_ledger.c.at < end)
    ).scalar_one()
    return max(0, min(points, cap - int(earned)))


def credit_service(conn: Connection, member_id: str, order_code: str, task_hours: float, at: float,
                   actor: str | None) -> ServiceCredit:
    """Hours (of the district's kind) and points for one participant of one order, exactly once."""
    lock_member(conn, member_id)
    kind = str(rules.get(conn, "hours.kind"))
    points = service_points(conn, member_id, task_hours, at)
    try:
        with savepoint(conn):
            conn.execute(sa.insert(hours_ledger).values(
                member_id=member_id, kind=kind, hours=task_hours, reason=SERVICE, ref=order_code, actor=actor, at=at))
            credit(conn, member_id, points, SERVICE, at=at, ref=order_code, actor=actor)
    except IntegrityError:
        return ServiceCredit(member_id, task_hours, 0, credited=False)
    return ServiceCredit(member_id, task_hours, points, credited=True)


# --- expiry -----------------------------------------------------------------------------------------------


def _entries(conn: Connection, member_id: str) -> list[Row[Any]]:
    return list(conn.execute(
        sa.select(points_ledger.c.delta, points_ledger.c.reason, points_ledger.c.ref, points_ledger.c.expires_on)
        .where(points_ledger.c.member_id == member_id).order_by(points_ledger.c.id)
    ))


def open_credits(entries: list[Row[Any]]) -> list[list[Any]]:
    """What is left of each credit, oldest first, as ``[expires_on, points]``: debits use the oldest
    credits first; an expiry row (``ref`` = the day it ran) uses only credits expired before that day."""
    left: list[list[Any]] = []
    for e in entries:
        if e.delta > 0:
            left.append([e.expires_on, e.delta])
            continue
        due = -e.delta
        for credit_left in left:
            if due == 0:
                break
            if e.reason == EXPIRY and not (credit_left[0] is not None and credit_left[0] < e.ref):
                continue
            used = min(due, credit_left[1])
            credit_left[1] -= used
            due -= used
    return [c for c in left if c[1] > 0]


def expiring(conn: Connection, member_id: str, at: float) -> Json | None:
    """Points that expire within the reminder period, with the first day they are gone after."""
    today = local_date(at)
    horizon = (today + timedelta(days=int(rules.get(conn, "points.reminder_days")))).isoformat()
    soon = [c for c in open_credits(_entries(conn, member_id))
            if c[0] is not None and today.isoformat() <= c[0] <= horizon]
    if not soon:
        return None
    first = min(c[0] for c in soon)
    return {"points": sum(c[1] for c in soon if c[0] == first), "date": first}


def expire_member(conn: Connection, member_id: str, at: float) -> int:
    """Expire what is left of credits whose last day has passed; the points expired (0: nothing due)."""
    lock_member(conn, member_id)
    today = local_date(at).isoformat()
    due = sum(c[1] for c in open_credits(_entries(conn, member_id)) if c[0] is not None and c[0] < today)
    due = min(due, balance(conn, member_id))
    if due > 0:
        post(conn, member_id, -due, EXPIRY, at=at, ref=today)
    return due


def expire_all(conn: Connection, at: float) -> dict[str, int]:
    """The expiry job: every member with a credit past its day. Running it twice expires nothing more."""
    today = local_date(at).isoformat()
    candidates = conn.execute(
        sa.select(points_ledger.c.member_id).where(points_ledger.c.expires_on < today).distinct()
    ).scalars().all()
    expired = {mid: expire_member(conn, mid, at) for mid in candidates}
    return {mid: n for mid, n in expired.items() if n}


def statement(conn: Connection, member_id: str, limit: int = 100) -> list[Json]:
    rows = conn.execute(
        sa.select(points_ledger).where(points_ledger.c.member_id == member_id)
        .order_by(points_ledger.c.id.desc()).limit(limit)
    )
    return [{"id": r.id, "delta": r.delta, "balance_after": r.balance_after, "reason": r.reason, "ref": r.ref,
             "note": r.note, "actor": r.actor, "expires_on": r.expires_on, "at": r.at} for r in rows]
