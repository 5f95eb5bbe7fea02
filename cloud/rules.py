"""The district's rules (points per hour, caps, expiry, deadlines, voucher policy …), each declared once
with its type, default and meaning. A district changes them in the database (``kiosk-cloud rule set``
or ``PUT /api/rules/{name}``); code reads them with :func:`get` inside the transaction that applies them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cloud.db import platform_rules
from cloud.errors import ApiError, ErrorCode


@dataclass(frozen=True)
class Rule:
    name: str
    default: Any
    description: str
    minimum: float | None = None
    choices: tuple[str, ...] = ()

    def check(self, value: Any) -> Any:
        """The value in the rule's type, or a bad_request naming the rule and what is allowed."""
        if self.choices:
            if value not in self.choices:
                raise ApiError(ErrorCode.BAD_REQUEST, f"{self.name}: one of {', '.join(self.choices)}")
            return value
        if isinstance(self.default, bool):
            if not isinstance(value, bool):
                raise ApiError(ErrorCode.BAD_REQUEST, f"{self.name}: true or false")
            return value
        kind = int if isinstance(self.default, int) else float
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ApiError(ErrorCode.BAD_REQUEST, f"{self.name}: a finite number")
        if kind is int and value != int(value):
            raise ApiError(ErrorCode.BAD_REQUEST, f"{self.name}: a whole number")
        if self.minimum is not None and value < self.minimum:
            raise ApiError(ErrorCode.BAD_REQUEST, f"{self.name}: at least {self.minimum:g}")
        return kind(value)


RULES: dict[str, Rule] = {r.name: r for r in (
    Rule("points.per_hour", 10, "points credited per hour of service", minimum=0),
    Rule("points.daily_cap", 80, "most service points one member earns per station-local day (0: no cap)",
         minimum=0),
    Rule("points.rounding", "half_up", "how points of a task are rounded to whole points",
         choices=("half_up", "down", "up")),
    Rule("hours.step_minutes", 15, "service time is rounded to the nearest multiple of this many minutes",
         minimum=1),
    Rule("hours.kind", "credit", "the kind of hours a completed task credits", choices=("credit", "honour")),
    Rule("hours.max_per_task", 12, "longest service time one check-in/check-out may credit, in hours",
         minimum=0.25),
    Rule("points.valid_days", 365, "days after it is earned that what is left of a credit expires", minimum=1),
    Rule("points.reminder_days", 30, "the member sees points that expire within this many days", minimum=0),
    Rule("dispatch.accept_minutes", 240, "minutes a routed order may wait to be accepted before escalation",
         minimum=1),
    Rule("vouchers.grace_days", 0, "days after a voucher's last valid day before it expires unclaimed",
         minimum=0),
    Rule("vouchers.return_points", True, "an expired voucher gives its points back"),
    Rule("vouchers.return_stock", True, "an expired voucher puts its gifts back into the station's stock"),
    Rule("accounts.free_failures", 3, "wrong passwords allowed before sign-in is delayed", minimum=0),
    Rule("accounts.lock_base_s", 30, "first delay after too many wrong passwords; doubles with each more",
         minimum=1),
    Rule("accounts.lock_max_s", 3600, "longest sign-in delay", minimum=1),
    Rule("accounts.session_hours", 12, "how long a sign-in lasts", minimum=0.1),
    Rule("accounts.invitation_days", 7, "how long an activation code is valid", minimum=0.1),
)}


def rule(name: str) -> Rule:
    found = RULES.get(name)
    if found is None:
        raise ApiError(ErrorCode.NOT_FOUND, f"no rule {name!r}; see GET /api/rules")
    return found


def get(conn: Connection, name: str) -> Any:
    value = conn.execute(sa.select(platform_rules.c.value).where(platform_rules.c.name == name)).scalar()
    return rule(name).default if value is None else value


def put(conn: Connection, name: str, value: Any, *, by: str | None, at: float) -> Any:
    checked = rule(name).check(value)
    updated = conn.execute(
        sa.update(platform_rules).where(platform_rules.c.name == name)
        .values(value=checked, changed_at=at, changed_by=by)
    )
    if updated.rowcount == 0:
        conn.execute(sa.insert(platform_rules).values(name=name, value=checked, changed_at=at, changed_by=by))
    return checked


def listing(conn: Connection) -> list[dict[str, Any]]:
    stored = {r.name: r for r in conn.execute(sa.select(platform_rules))}
    return [
        {"name": r.name, "value": stored[r.name].value if r.name in stored else r.default, "default": r.default,
         "description": r.description, "changed_at": stored[r.name].changed_at if r.name in stored else None,
         "changed_by": stored[r.name].changed_by if r.name in stored else None}
        for r in RULES.values()
    ]
