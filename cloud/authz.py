"""Who may do what: the authorisation matrix of the platform API, written once as data.

Each action names its endpoint and, per role, the scope it is allowed in:

- ``any``: everything (the district administrator);
- ``station``: the actor's station (station staff) — orders placed there, its volunteers, its vouchers;
- ``team``: the actor's organisation or team (a leader) — orders routed to it, its volunteers;
- ``own``: the actor's own things (a volunteer) — tasks they take part in or may take, their member.

A role missing from an action is refused (403). Actions on one thing (an order, a member, a voucher)
check the thing against the scope here, before the route runs; listings are filtered by the scope in
the domain function the route calls. ``tests/cloud/test_authz.py`` tries every cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cloud import hierarchy
from cloud.accounts import Actor
from cloud.db import accounts, members, order_participants, orders, redemptions
from cloud.errors import ApiError, ErrorCode
from cloud.vouchers import pickup_code_of


class Scope(StrEnum):
    ANY = "any"
    STATION = "station"
    TEAM = "team"
    OWN = "own"


class Resource(StrEnum):
    NONE = "none"  # a listing, or the actor themself
    ORDER = "order"  # path parameter {code}
    MEMBER = "member"  # path parameter {member_no}
    VOUCHER = "voucher"  # path parameter {pickup_code}


@dataclass(frozen=True)
class Action:
    method: str
    path: str
    resource: Resource
    roles: dict[str, Scope]
    summary: str


A, S, T, OWN = Scope.ANY, Scope.STATION, Scope.TEAM, Scope.OWN
_ORDER_WORK = {"admin": A, "staff": S, "leader": T, "volunteer": OWN}

MATRIX: dict[str, Action] = {
    "me.read": Action("GET", "/api/me", Resource.NONE, {"admin": A, "staff": A, "leader": A, "volunteer": A},
                      "the signed-in account (and its member, for a volunteer)"),
    "me.address": Action("PUT", "/api/me/address", Resource.NONE, {"volunteer": OWN},
                         "where service gifts are delivered"),
    "me.member_token": Action("POST", "/api/me/member-token", Resource.NONE, {"volunteer": OWN},
                              "a short-lived member token (SKM1) to show at the gift kiosk"),
    "accounts.invite": Action("POST", "/api/accounts", Resource.NONE, {"admin": A},
                              "invite an account; answers its one-time activation code"),
    "accounts.list": Action("GET", "/api/accounts", Resource.NONE, {"admin": A, "staff": S, "leader": T},
                            "accounts in scope"),
    "rules.read": Action("GET", "/api/rules", Resource.NONE, {"admin": A, "staff": A, "leader": A},
                         "the district's rules with their defaults"),
    "rules.write": Action("PUT", "/api/rules/{name}", Resource.NONE, {"admin": A}, "change a rule"),
    "routing.list": Action("GET", "/api/routing-rules", Resource.NONE, {"admin": A, "staff": S},
                           "dispatch rules in scope"),
    "routing.write": Action("PUT", "/api/routing-rules", Resource.NONE, {"admin": A, "staff": S},
                            "set the dispatch rule of a station (or the district) and category"),
    "orders.list": Action("GET", "/api/orders", Resource.NONE, _ORDER_WORK,
                          "orders in scope (a volunteer: their tasks and the open pool of their station)"),
    "orders.read": Action("GET", "/api/orders/{code}", Resource.ORDER, _ORDER_WORK,
                          "an order with its full timeline"),
    "orders.route": Action("POST", "/api/orders/{code}/route", Resource.ORDER, {"admin": A, "staff": S},
                           "re-route an order (station / organisation / pool)"),
    "orders.assign": Action("POST", "/api/orders/{code}/assign", Resource.ORDER,
                            {"admin": A, "staff": S, "leader": T}, "assign volunteers"),
    "orders.take": Action("POST", "/api/orders/{code}/take", Resource.ORDER, {"volunteer": OWN},
                          "take an open order of the station's pool"),
    "orders.check_in": Action("POST", "/api/orders/{code}/check-in", Resource.ORDER, _ORDER_WORK,
                              "service starts"),
    "orders.check_out": Action("POST", "/api/orders/{code}/check-out", Resource.ORDER, _ORDER_WORK,
                               "service ends; who took part"),
    "orders.complete": Action("POST", "/api/orders/{code}/complete", Resource.ORDER, _ORDER_WORK,
                              "close the order; credits hours and points"),
    "orders.cancel": Action("POST", "/api/orders/{code}/cancel", Resource.ORDER,
                            {"admin": A, "staff": S, "leader": T}, "cancel with a reason"),
    "members.read": Action("GET", "/api/members/{member_no}", Resource.MEMBER, _ORDER_WORK,
                           "a member's balance, hours and ledger"),
    "members.adjust": Action("POST", "/api/members/{member_no}/adjustments", Resource.MEMBER,
                             {"admin": A, "staff": S}, "credit or debit points with a reason"),
    "cards.issue": Action("PUT", "/api/members/{member_no}/card", Resource.MEMBER,
                          {"admin": A, "staff": S, "leader": T}, "issue a printed card with a PIN"),
    "cards.revoke": Action("DELETE", "/api/members/{member_no}/card", Resource.MEMBER,
                           {"admin": A, "staff": S, "leader": T}, "revoke the member's printed card"),
    "vouchers.read": Action("GET", "/api/vouchers/{pickup_code}", Resource.VOUCHER,
                            {"admin": A, "staff": S, "volunteer": OWN}, "a voucher and its state"),
    "vouchers.verify": Action("POST", "/api/vouchers/{pickup_code}/verify", Resource.VOUCHER,
                              {"admin": A, "staff": S}, "hand over the gifts (核销): once"),
    "reports.read": Action("GET", "/api/reports", Resource.NONE, {"admin": A, "staff": S, "leader": T},
                           "monthly figures per station or organisation (JSON or CSV)"),
    "jobs.run": Action("POST", "/api/jobs/run", Resource.NONE, {"admin": A},
                       "run the due jobs: escalation, points expiry, voucher expiry"),
}


@dataclass(frozen=True)
class Facts:
    """What a scope is judged on: the thing's station, organisation and owners."""

    stations: frozenset[str] = field(default_factory=frozenset)  # its station and the ones above it
    organisation_id: str | None = None
    owners: frozenset[str] = field(default_factory=frozenset)  # account or member ids that count as "own"


@dataclass(frozen=True)
class Grant:
    actor: Actor
    scope: Scope


def in_scope(actor: Actor, scope: Scope, facts: Facts) -> bool:
    if scope is Scope.ANY:
        return True
    if scope is Scope.STATION:
        # Staff of a 所 (or the 中心) act for the stations under it.
        return actor.station_id is not None and actor.station_id in facts.stations
    if scope is Scope.TEAM:
        return actor.organisation_id is not None and facts.organisation_id == actor.organisation_id
    return actor.id in facts.owners or (actor.member_id is not None and actor.member_id in facts.owners)


def _order_facts(conn: Connection, code: str, actor: Actor) -> Facts:
    row = conn.execute(sa.select(orders).where(orders.c.order_code == code.upper())).first()
    if row is None:
        raise ApiError(ErrorCode.NOT_FOUND, f"no order {code!r}")
    owners = set(conn.execute(
        sa.select(order_participants.c.account_id).where(order_participants.c.order_id == row.id)).scalars())
    # An open order of the pool belongs to every volunteer of its station until one takes it.
    if row.route == "pool" and row.status == "dispatched" and actor.station_id == row.station_id:
        owners.add(actor.id)
    return Facts(hierarchy.ancestry(conn, row.station_id), row.organisation_id, frozenset(owners))


def _member_facts(conn: Connection, member_no: str) -> Facts:
    row = conn.execute(
        sa.select(members.c.id, accounts.c.station_id, accounts.c.organisation_id)
        .select_from(members.outerjoin(accounts, accounts.c.member_id == members.c.id))
        .where(members.c.member_no == member_no)
    ).first()
    if row is None:
        raise ApiError(ErrorCode.UNKNOWN_MEMBER, f"no member {member_no}")
    return Facts(hierarchy.ancestry(conn, row.station_id), row.organisation_id, frozenset({row.id}))


def _voucher_facts(conn: Connection, pickup_code: str) -> Facts:
    row = conn.execute(
        sa.select(redemptions.c.station_id, redemptions.c.member_id)
        .where(redemptions.c.pickup_code == pickup_code_of(pickup_code))
    ).first()
    if row is None:
        raise ApiError(ErrorCode.NOT_FOUND, "no voucher with this pickup code")
    return Facts(hierarchy.ancestry(conn, row.station_id), None, frozenset({row.member_id}))


def facts_of(conn: Connection, resource: Resource, params: dict[str, Any], actor: Actor) -> Facts | None:
    if resource is Resource.ORDER:
        return _order_facts(conn, str(params["code"]), actor)
    if resource is Resource.MEMBER:
        return _member_facts(conn, str(params["member_no"]))
    if resource is Resource.VOUCHER:
        return _voucher_facts(conn, str(params["pickup_code"]))
    return None


def check(conn: Connection, action: str, actor: Actor, params: dict[str, Any]) -> Grant:
    """The one check: the actor's role may do ``action``, and the thing it is about is in the scope."""
    entry = MATRIX[action]
    scope = entry.roles.get(actor.role)
    if scope is None:
        raise ApiError(ErrorCode.FORBIDDEN, f"{actor.role} accounts may not call {entry.method} {entry.path}")
    facts = facts_of(conn, entry.resource, params, actor)
    if facts is not None and not in_scope(actor, scope, facts):
        raise ApiError(ErrorCode.FORBIDDEN, f"outside your scope ({scope.value})")
    return Grant(actor, scope)


def require(conn: Connection, grant: Grant, *, station_id: str | None = None,
            organisation_id: str | None = None) -> None:
    """For a station or organisation named in a request (a routing rule's, a report's): the same rule."""
    facts = Facts(hierarchy.ancestry(conn, station_id), organisation_id)
    if not in_scope(grant.actor, grant.scope, facts):
        raise ApiError(ErrorCode.FORBIDDEN, f"outside your scope ({grant.scope.value})")
