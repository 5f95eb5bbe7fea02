"""Monthly figures per station (rolled up along 中心 → 所 → 站) or per organisation: orders by state, time
to accept and to complete, completion rate, ratings, service hours, points issued / redeemed / expired,
vouchers verified. Orders count in the month they were placed; ledger rows and vouchers in the month
they were written. Months are station-local."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cloud import hierarchy, ledger
from cloud.db import accounts, hours_ledger, orders, organisations, points_ledger, ratings, redemptions, stations
from cloud.errors import ApiError, ErrorCode
from cloud.orders import STATUSES
from cloud.settings import STATION_TZ

Json = dict[str, Any]
GROUPS = ("station", "organisation")
COLUMNS = (
    "orders", *(f"orders_{s}" for s in STATUSES), "completion_rate", "avg_accept_minutes", "avg_complete_hours",
    "ratings", "avg_stars", "hours", "points_issued", "points_redeemed", "points_expired", "vouchers_verified",
)


def month_bounds(month: str) -> tuple[float, float]:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise ApiError(ErrorCode.BAD_REQUEST, "month: YYYY-MM")
    year, mon = int(month[:4]), int(month[5:])
    start = datetime(year, mon, 1, tzinfo=STATION_TZ)
    end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=STATION_TZ)
    return start.timestamp(), end.timestamp()


class _Figures:
    def __init__(self) -> None:
        self.n: dict[str, float] = defaultdict(float)

    def add(self, key: str, value: float = 1.0) -> None:
        self.n[key] += value

    def render(self) -> Json:
        n = self.n
        out: Json = {"orders": int(n["orders"])}
        out.update({f"orders_{s}": int(n[f"orders_{s}"]) for s in STATUSES})
        closed = n["orders"] - n["orders_cancelled"]
        out["completion_rate"] = round(n["orders_completed"] / closed, 3) if closed else None
        out["avg_accept_minutes"] = round(n["accept_s"] / n["accepted"] / 60, 1) if n["accepted"] else None
        out["avg_complete_hours"] = round(n["complete_s"] / n["orders_completed"] / 3600, 2) \
            if n["orders_completed"] else None
        out["ratings"] = int(n["ratings"])
        out["avg_stars"] = round(n["stars"] / n["ratings"], 2) if n["ratings"] else None
        out["hours"] = round(n["hours"], 2)
        for key in ("points_issued", "points_redeemed", "points_expired", "vouchers_verified"):
            out[key] = int(n[key])
        return out


def build(conn: Connection, month: str, group: str = "station", *, station_id: str | None = None,
          organisation_id: str | None = None) -> Json:
    """The month's figures, one row per station (or organisation) in the filter."""
    if group not in GROUPS:
        raise ApiError(ErrorCode.BAD_REQUEST, f"group: one of {', '.join(GROUPS)}")
    start, end = month_bounds(month)
    chains = hierarchy.chains(conn)
    figures: dict[str, _Figures] = defaultdict(_Figures)

    def keys(station: str | None, organisation: str | None) -> list[str]:
        if group == "organisation":
            return [organisation] if organisation else []
        return chains.get(station, []) if station else []

    in_month = (orders.c.created_at >= start, orders.c.created_at < end)
    for o in conn.execute(sa.select(orders, ratings.c.stars)
                          .outerjoin(ratings, ratings.c.order_id == orders.c.id).where(*in_month)):
        for key in keys(o.station_id, o.organisation_id):
            f = figures[key]
            f.add("orders")
            f.add(f"orders_{o.status}")
            if o.accepted_at is not None:
                f.add("accepted")
                f.add("accept_s", o.accepted_at - o.created_at)
            if o.status == "completed" and o.completed_at is not None:
                f.add("complete_s", o.completed_at - o.created_at)
            if o.stars is not None:
                f.add("ratings")
                f.add("stars", o.stars)
    def tally(query: sa.Select[Any], figure: str, value: Callable[[Any], float]) -> None:
        for row in conn.execute(query):
            for key in keys(row.station_id, getattr(row, "organisation_id", None)):
                figures[key].add(figure, value(row))

    def service_credits(table: sa.Table, column: sa.Column[Any]) -> sa.Select[Any]:
        return (sa.select(column.label("amount"), orders.c.station_id, orders.c.organisation_id)
                .join(orders, orders.c.order_code == table.c.ref)
                .where(table.c.reason == ledger.SERVICE, table.c.at >= start, table.c.at < end))

    tally(service_credits(hours_ledger, hours_ledger.c.hours), "hours", lambda r: r.amount)
    tally(service_credits(points_ledger, points_ledger.c.delta), "points_issued", lambda r: r.amount)
    tally(sa.select(points_ledger.c.delta, accounts.c.station_id, accounts.c.organisation_id)
          .join(accounts, accounts.c.member_id == points_ledger.c.member_id)
          .where(points_ledger.c.reason == ledger.EXPIRY, points_ledger.c.at >= start, points_ledger.c.at < end),
          "points_expired", lambda r: -r.delta)
    if group == "station":
        tally(sa.select(redemptions.c.station_id, redemptions.c.points_total)
              .where(redemptions.c.created_at >= start, redemptions.c.created_at < end),
              "points_redeemed", lambda r: r.points_total)
        tally(sa.select(redemptions.c.station_id)
              .where(redemptions.c.verified_at >= start, redemptions.c.verified_at < end),
              "vouchers_verified", lambda r: 1.0)
    return {"month": month, "group": group, "rows": _rows(conn, group, figures, station_id, organisation_id, chains)}


def _rows(conn: Connection, group: str, figures: dict[str, _Figures], station_id: str | None,
          organisation_id: str | None, chains: dict[str, list[str]]) -> list[Json]:
    if group == "organisation":
        names = dict(conn.execute(sa.select(organisations.c.id, organisations.c.name)).all())
        wanted = [organisation_id] if organisation_id else sorted(names)
        return [{"id": k, "name": names.get(k), "level": None, **figures[k].render()} for k in wanted]
    info = {r.id: r for r in conn.execute(sa.select(stations.c.id, stations.c.name, stations.c.level))}
    # A station filter shows the station and everything under it.
    wanted = sorted(sid for sid, chain in chains.items() if station_id is None or station_id in chain)
    return [{"id": k, "name": info[k].name, "level": info[k].level, **figures[k].render()} for k in wanted]


def to_csv(report: Json) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", report["group"], "name", "level", *COLUMNS])
    for row in report["rows"]:
        name = row["name"].get("zh_CN", "") if isinstance(row["name"], dict) else (row["name"] or "")
        writer.writerow([report["month"], row["id"], name, row["level"] or "",
                         *("" if row[c] is None else row[c] for c in COLUMNS)])
    return out.getvalue()
