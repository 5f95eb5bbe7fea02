"""The people-facing API under ``/api`` (docs/api.md § Platform API): accounts, dispatch, tasks, the
ledger, vouchers, member codes, reports. A route parses, authorises through the one dependency built
from :data:`cloud.authz.MATRIX`, calls one domain function, and answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.engine import Connection, Engine

from cloud import accounts, authz, hierarchy, jobs, ledger, reports, routing, rules, tasks, vouchers
from cloud import members as member_ops
from cloud.authz import MATRIX, Grant
from cloud.crypto import hash_pin
from cloud.db import members, now
from cloud.errors import ApiError, ErrorCode
from cloud.settings import Settings

Json = dict[str, Any]
ERRORS: dict[int | str, dict[str, Any]] = {code: {"description": "error body {error: {code, message}}"}
                                           for code in (400, 401, 403, 404, 409, 429)}


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ActivateRequest(In):
    code: str = Field(min_length=4, max_length=32)
    password: str = Field(min_length=1, max_length=256)


class SignInRequest(In):
    phone: str = Field(min_length=3, max_length=20)
    password: str = Field(min_length=1, max_length=256)


class InviteRequest(In):
    phone: str = Field(min_length=3, max_length=20)
    name: str = Field(min_length=1, max_length=64)
    role: Literal["admin", "staff", "leader", "volunteer"]
    station_id: str | None = Field(None, max_length=64)
    organisation_id: str | None = Field(None, max_length=64)
    member_no: str | None = Field(None, max_length=32, description="link a volunteer to an existing member")


class RuleValue(In):
    value: bool | int | float | str


class RoutingRuleRequest(In):
    station_id: str | None = Field(None, max_length=64, description="null: every station")
    category_id: str | None = Field(None, max_length=64, description="null: every category")
    route: Literal["station", "organisation", "pool"]
    organisation_id: str | None = Field(None, max_length=64)
    accept_minutes: int | None = Field(None, ge=1, le=60 * 24 * 30)


class RouteRequest(In):
    route: Literal["station", "organisation", "pool"]
    organisation_id: str | None = Field(None, max_length=64)
    accept_minutes: int | None = Field(None, ge=1, le=60 * 24 * 30)


class AssignRequest(In):
    volunteers: list[str] = Field(min_length=1, max_length=50, description="account ids")


class CheckInRequest(In):
    started_at: float | None = Field(None, description="Unix seconds; default: now")


class CheckOutRequest(In):
    ended_at: float | None = Field(None, description="Unix seconds; default: now")
    present: list[str] | None = Field(None, max_length=50, description="account ids; default: everyone assigned")


class CancelRequest(In):
    reason: str = Field(min_length=1, max_length=500)


class AdjustRequest(In):
    delta: int = Field(ge=-1_000_000, le=1_000_000)
    note: str = Field(min_length=1, max_length=500)


class CardRequest(In):
    pin: str = Field(min_length=4, max_length=8)


class AddressRequest(In):
    building: str = Field("", max_length=64)
    unit: str = Field("", max_length=64)
    room: str = Field("", max_length=32)
    text: str = Field("", max_length=500)


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.ctx.engine
    return engine


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.ctx.settings
    return settings


def _bearer(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(ErrorCode.NOT_SIGNED_IN, "sign in first: send Authorization: Bearer <token>")
    return token.strip()


def authorised(
    request: Request,
    authorization: Annotated[str | None, Header(description="Bearer <token> from /api/sign-in")] = None,
) -> Grant:
    """The one dependency: a signed-in actor whose role and scope allow the route's action (its name in
    :data:`cloud.authz.MATRIX`)."""
    action = request.scope["route"].name
    token = _bearer(authorization)
    with _engine(request).begin() as conn:
        actor = accounts.session_actor(conn, token, now())
        return authz.check(conn, action, actor, dict(request.path_params))


Granted = Annotated[Grant, Depends(authorised)]


def _member_id(conn: Connection, member_no: str) -> str:
    return member_ops.find_member(conn, member_no).id


def build_router() -> APIRouter:
    router = APIRouter(tags=["platform"], responses=ERRORS)

    def endpoint(action: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        entry = MATRIX[action]
        roles = ", ".join(f"{role} ({scope.value})" for role, scope in entry.roles.items())
        return router.api_route(entry.path, methods=[entry.method], name=action, summary=entry.summary,
                                description=f"Allowed: {roles}.", operation_id=action.replace(".", "_"))

    # --- signing in (no session yet) ------------------------------------------------------------------

    @router.post("/api/activate", summary="set the password of an invited account (one-time code)")
    def activate(request: Request, body: ActivateRequest) -> Json:
        return accounts.activate(_engine(request), body.code, body.password, now())

    @router.post("/api/sign-in", summary="phone + password → bearer token")
    def sign_in(request: Request, body: SignInRequest) -> Json:
        return accounts.sign_in(_engine(request), body.phone.strip(), body.password, now())

    @router.post("/api/sign-out", status_code=204, summary="end this session")
    def sign_out(request: Request, authorization: Annotated[str | None, Header()] = None) -> Response:
        with _engine(request).begin() as conn:
            accounts.sign_out(conn, _bearer(authorization))
        return Response(status_code=204)

    # --- me ---------------------------------------------------------------------------------------------

    @endpoint("me.read")
    def me(request: Request, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            out = accounts.view(accounts.get(conn, g.actor.id))
            if g.actor.member_id:
                member = member_ops.find_member(conn, g.actor.member_id)
                out["member"] = member_ops.summary(conn, member, now(), _settings(request).recent_redemptions)
        return out

    @endpoint("me.address")
    def set_address(request: Request, body: AddressRequest, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            conn.execute(members.update().where(members.c.id == g.actor.member_id).values(address=body.model_dump()))
        return {"address": body.model_dump()}

    @endpoint("me.member_token")
    def member_token(request: Request, g: Granted) -> Json:
        lifetime = _settings(request).token_max_lifetime_s
        at = int(now())
        with _engine(request).begin() as conn:
            assert g.actor.member_id is not None
            token = member_ops.issue_token(conn, g.actor.member_id, at, lifetime)
        return {"token": token, "expires_at": at + lifetime}

    # --- accounts and rules -------------------------------------------------------------------------------

    @endpoint("accounts.invite")
    def invite(request: Request, body: InviteRequest, g: Granted) -> Response:
        with _engine(request).begin() as conn:
            account, code = accounts.invite(conn, **body.model_dump(), by=g.actor.id, at=now())
        return JSONResponse({"account": account, "activation_code": code}, status_code=201)

    @endpoint("accounts.list")
    def list_accounts(request: Request, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            return {"accounts": accounts.listing(
                conn, stations=hierarchy.under(conn, g.actor.station_id)
                if g.scope is authz.Scope.STATION and g.actor.station_id else None,
                organisation_id=g.actor.organisation_id if g.scope is authz.Scope.TEAM else None)}

    @endpoint("rules.read")
    def list_rules(request: Request, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            return {"rules": rules.listing(conn)}

    @endpoint("rules.write")
    def put_rule(request: Request, name: str, body: RuleValue, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            return {"name": name, "value": rules.put(conn, name, body.value, by=g.actor.id, at=now())}

    # --- dispatch -------------------------------------------------------------------------------------------

    @endpoint("routing.list")
    def list_routing(request: Request, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            station = g.actor.station_id if g.scope is authz.Scope.STATION else None
            return {"rules": routing.list_rules(conn, station)}

    @endpoint("routing.write")
    def put_routing(request: Request, body: RoutingRuleRequest, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            authz.require(conn, g, station_id=body.station_id)
            return routing.set_rule(conn, **body.model_dump())

    # --- orders -----------------------------------------------------------------------------------------------

    @endpoint("orders.list")
    def list_orders(
        request: Request,
        g: Granted,
        status: Annotated[str | None, Query(max_length=16)] = None,
        overdue: bool = False,
    ) -> Json:
        with _engine(request).begin() as conn:
            return {"orders": tasks.listing(conn, g, now(), status=status, overdue=overdue)}

    @endpoint("orders.read")
    def read_order(request: Request, code: str, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            return tasks.read(conn, code, g, now())

    @endpoint("orders.route")
    def route_order(request: Request, code: str, body: RouteRequest, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            return tasks.reroute(conn, code, g.actor, body.route, body.organisation_id, body.accept_minutes, now())

    @endpoint("orders.assign")
    def assign(request: Request, code: str, body: AssignRequest, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            return tasks.assign(conn, code, g, body.volunteers, now())

    @endpoint("orders.take")
    def take(request: Request, code: str, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            return tasks.take(conn, code, g.actor, now())

    @endpoint("orders.check_in")
    def check_in(request: Request, code: str, body: CheckInRequest, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            return tasks.check_in(conn, code, g, body.started_at, now())

    @endpoint("orders.check_out")
    def check_out(request: Request, code: str, body: CheckOutRequest, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            return tasks.check_out(conn, code, g, body.ended_at, body.present, now())

    @endpoint("orders.complete")
    def complete(request: Request, code: str, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            return tasks.complete(conn, code, g, now())

    @endpoint("orders.cancel")
    def cancel(request: Request, code: str, body: CancelRequest, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            return tasks.cancel(conn, code, g.actor, body.reason, now())

    # --- members, cards and the ledger -----------------------------------------------------------------------

    @endpoint("members.read")
    def read_member(request: Request, member_no: str, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            member = member_ops.find_member(conn, member_no)
            out = member_ops.summary(conn, member, now(), _settings(request).recent_redemptions)
            return {**out, "name": member.name, "ledger": ledger.statement(conn, member.id)}

    @endpoint("members.adjust")
    def adjust(request: Request, member_no: str, body: AdjustRequest, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            balance = ledger.adjust(conn, _member_id(conn, member_no), body.delta, note=body.note, actor=g.actor.id,
                                    at=now())
        return {"balance": balance}

    @endpoint("cards.issue")
    def issue_card(request: Request, member_no: str, body: CardRequest, g: Granted) -> Json:
        member_ops.check_pin_format(body.pin)
        pin_hash = hash_pin(body.pin)  # slow on purpose: outside the transaction
        with _engine(request).begin() as conn:
            return {"card": member_ops.issue_card(conn, _member_id(conn, member_no), pin_hash)}

    @endpoint("cards.revoke")
    def revoke_card(request: Request, member_no: str, g: Granted) -> Response:
        with _engine(request).begin() as conn:
            member_ops.revoke_card(conn, _member_id(conn, member_no), now())
        return Response(status_code=204)

    # --- vouchers --------------------------------------------------------------------------------------------

    @endpoint("vouchers.read")
    def read_voucher(request: Request, pickup_code: str, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            return vouchers.read(conn, pickup_code, now())

    @endpoint("vouchers.verify")
    def verify_voucher(request: Request, pickup_code: str, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            return vouchers.verify(conn, pickup_code, g.actor, now())

    # --- reports and jobs ------------------------------------------------------------------------------------

    @endpoint("reports.read")
    def report(
        request: Request,
        month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$")],
        g: Granted,
        group: Literal["station", "organisation"] = "station",
        station_id: Annotated[str | None, Query(max_length=64)] = None,
        organisation_id: Annotated[str | None, Query(max_length=64)] = None,
        format: Literal["json", "csv"] = "json",
    ) -> Any:
        with _engine(request).begin() as conn:
            if g.scope is authz.Scope.STATION:
                station_id = station_id or g.actor.station_id
                authz.require(conn, g, station_id=station_id)
                if group != "station":
                    raise ApiError(ErrorCode.FORBIDDEN, "station staff see their stations' figures")
            if g.scope is authz.Scope.TEAM:
                organisation_id, group = organisation_id or g.actor.organisation_id, "organisation"
                authz.require(conn, g, organisation_id=organisation_id)
            built = reports.build(conn, month, group, station_id=station_id, organisation_id=organisation_id)
        if format == "csv":
            return Response(reports.to_csv(built), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="report-{month}.csv"'})
        return built

    @endpoint("jobs.run")
    def run_jobs(request: Request, g: Granted) -> Json:
        with _engine(request).begin() as conn:
            return jobs.run_due(conn, now())

    return router
