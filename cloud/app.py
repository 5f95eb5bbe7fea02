"""The HTTP API (docs/api.md, version 1) as an ASGI application."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends, FastAPI, Header, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Connection, Engine
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cloud import accounts as account_ops
from cloud import catalogue as catalogue_ops
from cloud import devices as device_ops
from cloud import jobs
from cloud import members as member_ops
from cloud import orders as order_ops
from cloud import redeem as redeem_ops
from cloud import schemas as s
from cloud.api_platform import build_router
from cloud.crypto import sha256_hex
from cloud.db import images, init_schema, make_engine, now
from cloud.devices import Device
from cloud.errors import ApiError, ErrorCode
from cloud.guards import check_and_count, purge_rate_windows, run_idempotent
from cloud.settings import Settings

log = logging.getLogger(__name__)
Json = dict[str, Any]
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": s.ErrorBody} for code in (400, 401, 403, 404, 409, 410, 429)
}


@dataclass
class Context:
    engine: Engine
    settings: Settings
    _last_purge: float = 0.0
    _purge_lock: threading.Lock = field(default_factory=threading.Lock)

    def purge_if_due(self, at: float) -> None:
        """Drop expired nonces, sessions and rate windows now and then, not on every request."""
        with self._purge_lock:
            if at - self._last_purge < self.settings.nonce_purge_every_s:
                return
            self._last_purge = at
        with self.engine.begin() as conn:
            device_ops.purge_nonces(conn, at)
            member_ops.purge_sessions(conn, at)
            account_ops.purge_sessions(conn, at)
            jobs.run_due(conn, at)
            member_ops.purge_token_nonces(conn, at, self.settings.offline_max_age_s)
            purge_rate_windows(conn, at - 86400)


class ServerTimeMiddleware:
    """``X-Server-Time`` on every response (errors and 304s included): kiosks learn their clock
    offset from it. Also turns an unexpected exception into the contract's error body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_time(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.append((b"x-server-time", f"{now():.3f}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_time)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            error = ApiError(ErrorCode.INTERNAL, "internal error; the request may be retried")
            await JSONResponse(error.body(), status_code=500)(scope, receive, send_with_time)


def _error_response(error: ApiError) -> JSONResponse:
    headers = {"Retry-After": str(error.retry_after_s)} if error.retry_after_s is not None else None
    return JSONResponse(error.body(), status_code=error.status, headers=headers)


def _path_with_query(request: Request) -> str:
    raw = request.scope.get("raw_path") or request.scope["path"].encode()
    query = request.scope.get("query_string", b"")
    return (raw + (b"?" + query if query else b"")).decode("latin-1")


def _ctx(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


async def authenticated(
    request: Request,
    x_device_id: Annotated[str | None, Header(description="device id from enrolment")] = None,
    x_timestamp: Annotated[str | None, Header(description="Unix seconds (server time)")] = None,
    x_nonce: Annotated[str | None, Header(description="32 hex characters, fresh per request")] = None,
    x_signature: Annotated[str | None, Header(description="hex HMAC-SHA256, see docs/api.md")] = None,
) -> Device:
    ctx = _ctx(request)
    body = await request.body()
    at = now()
    device = await run_in_threadpool(
        lambda: device_ops.authenticate(
            ctx.engine,
            method=request.method,
            path_with_query=_path_with_query(request),
            headers={"x-device-id": x_device_id, "x-timestamp": x_timestamp, "x-nonce": x_nonce,
                     "x-signature": x_signature},
            body=body,
            settings=ctx.settings,
            at=at,
        )
    )
    await run_in_threadpool(ctx.purge_if_due, at)
    return device


AuthDevice = Annotated[Device, Depends(authenticated)]
IdempotencyKey = Annotated[
    str, Header(alias="Idempotency-Key", min_length=8, max_length=128, description="a fresh uuid4 per operation")
]


def _body_hash(model: s.Body) -> str:
    return sha256_hex(json.dumps(model.model_dump(mode="json"), sort_keys=True, ensure_ascii=False).encode())


def _idempotent(
    ctx: Context,
    device: Device,
    key: str,
    endpoint: str,
    model: s.Body,
    action: Callable[[Connection], tuple[int, Json]],
) -> JSONResponse:
    status, body = run_idempotent(
        ctx.engine, device_id=device.id, key=key, endpoint=endpoint, body_hash=_body_hash(model), at=now(),
        action=action,
    )
    return JSONResponse(body, status_code=status)


def _etag_matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    # Lenient about weak markers and missing quotes: a false "unchanged" is impossible either way.
    candidates = {c.strip().removeprefix("W/").strip('"') for c in if_none_match.split(",")}
    return "*" in candidates or etag.strip('"') in candidates


def create_app(engine: Engine, settings: Settings | None = None) -> FastAPI:
    app = FastAPI(
        title="Station kiosk cloud",
        version="1",
        summary="Reference cloud service for the station kiosks (contract: docs/api.md)",
    )
    app.state.ctx = Context(engine=engine, settings=settings or Settings())
    app.add_middleware(ServerTimeMiddleware)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"] if part not in ("body",))
        return _error_response(ApiError(ErrorCode.BAD_REQUEST, f"{where}: {first['msg']}"))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = ErrorCode.NOT_FOUND if exc.status_code == 404 else ErrorCode.BAD_REQUEST
        return JSONResponse(
            {"error": {"code": code.value, "message": str(exc.detail)}}, status_code=exc.status_code
        )

    app.include_router(build_router())

    @app.get("/v1/time", response_model=s.TimeResponse, tags=["public"])
    def server_time() -> Json:
        return {"server_time": now()}

    @app.post("/v1/devices/enrol", status_code=201, response_model=s.EnrolResponse, responses=ERRORS,
              tags=["public"])
    def enrol(request: Request, body: s.EnrolRequest) -> Json:
        ctx = _ctx(request)
        with ctx.engine.begin() as conn:
            return device_ops.enrol(conn, body.enrolment_code, body.device_name, body.app_version, now())

    @app.get("/v1/catalogue", response_model=s.Catalogue, responses={304: {"description": "unchanged"}, **ERRORS})
    def get_catalogue(
        request: Request, device: AuthDevice, if_none_match: Annotated[str | None, Header()] = None
    ) -> Response:
        ctx = _ctx(request)
        with ctx.engine.begin() as conn:
            content = catalogue_ops.build(conn, device.station_id)
            device_ops.mark_catalogue_seen(conn, device, content["version"])
        etag = f'"{content["version"]}"'
        if _etag_matches(if_none_match, etag):
            return Response(status_code=304, headers={"ETag": etag})
        return JSONResponse(content, headers={"ETag": etag})

    @app.get("/v1/images/{name}", response_class=Response, responses={
        200: {"content": {"image/png": {}}}, 304: {"description": "unchanged"}, **ERRORS})
    def get_image(
        request: Request,
        device: AuthDevice,
        name: Annotated[str, Path(max_length=128)],
        if_none_match: Annotated[str | None, Header()] = None,
    ) -> Response:
        with _ctx(request).engine.begin() as conn:
            row = conn.execute(sa.select(images).where(images.c.name == name)).first()
        if row is None:
            raise ApiError(ErrorCode.NOT_FOUND, f"no image {name!r}")
        etag = f'"{row.etag}"'
        if _etag_matches(if_none_match, etag):
            return Response(status_code=304, headers={"ETag": etag})
        return Response(bytes(row.data), media_type="image/png", headers={"ETag": etag})

    @app.post("/v1/orders", status_code=201, response_model=s.OrderCreated,
              responses={200: {"model": s.OrderCreated, "description": "replayed"}, **ERRORS})
    def create_order(request: Request, device: AuthDevice, key: IdempotencyKey, body: s.OrderRequest) -> Response:
        def action(conn: Connection) -> tuple[int, Json]:
            created = order_ops.create(
                conn, station_id=device.station_id, device_id=device.id, body=body.model_dump(mode="json"), at=now()
            )
            return 201, created

        return _idempotent(_ctx(request), device, key, "POST /v1/orders", body, action)

    @app.get("/v1/orders/{code}", response_model=s.OrderView, responses=ERRORS)
    def get_order(
        request: Request,
        device: AuthDevice,
        code: Annotated[str, Path(min_length=4, max_length=32)],
        phone_last4: Annotated[str, Query(pattern=s.LAST4)],
    ) -> Json:
        ctx = _ctx(request)
        check_and_count(ctx.engine, f"lookup:device:{device.id}", ctx.settings.order_lookup_per_device, now(),
                        "order lookups")
        with ctx.engine.begin() as conn:
            return order_ops.view(conn, order_ops.find(conn, code, phone_last4))

    @app.post("/v1/orders/{code}/rating", status_code=201, response_model=s.RatingCreated,
              responses={200: {"model": s.RatingCreated, "description": "replayed"}, **ERRORS})
    def rate_order(
        request: Request,
        device: AuthDevice,
        key: IdempotencyKey,
        code: Annotated[str, Path(min_length=4, max_length=32)],
        body: s.RatingRequest,
    ) -> Response:
        def action(conn: Connection) -> tuple[int, Json]:
            return 201, order_ops.rate(conn, code=code, body=body.model_dump(mode="json"), device_id=device.id,
                                       at=now())

        return _idempotent(_ctx(request), device, key, f"POST /v1/orders/{code.upper()}/rating", body, action)

    @app.get("/v1/keys", response_model=s.Keys, responses=ERRORS)
    def get_keys(request: Request, device: AuthDevice) -> Json:
        with _ctx(request).engine.begin() as conn:
            rows = member_ops.published_keys(conn, now())
        return {"keys": [{"kid": r.kid, "alg": "Ed25519", "public_key": r.public_key, "not_after": r.not_after}
                         for r in rows]}

    @app.post("/v1/members/resolve", response_model=s.Resolved, responses=ERRORS)
    def resolve(request: Request, device: AuthDevice, body: s.ResolveRequest) -> Json:
        ctx = _ctx(request)
        return member_ops.resolve(
            ctx.engine, device_id=device.id, token=body.token, pin=body.pin, settings=ctx.settings, at=now()
        )

    @app.post("/v1/redemptions", status_code=201, response_model=s.Redemption, responses={
        200: {"model": s.Redemption | s.RedemptionConflict,
              "description": "replayed, or an offline redemption recorded as a conflict"},
        **ERRORS})
    def redeem(request: Request, device: AuthDevice, key: IdempotencyKey, body: s.RedemptionRequest) -> Response:
        ctx = _ctx(request)
        if (body.session is None) == (body.offline is None):
            raise ApiError(ErrorCode.BAD_REQUEST, "session: give exactly one of session and offline")
        items = [i.model_dump() for i in body.items]

        def action(conn: Connection) -> tuple[int, Json]:
            if body.offline is not None:
                return redeem_ops.redeem_offline(
                    conn, token=body.offline.token, redeemed_at=body.offline.redeemed_at, device_id=device.id,
                    station_id=device.station_id, items=items, settings=ctx.settings, at=now(),
                )
            assert body.session is not None
            return 201, redeem_ops.redeem_online(
                conn, session_id=body.session, device_id=device.id, station_id=device.station_id, items=items,
                at=now(),
            )

        return _idempotent(ctx, device, key, "POST /v1/redemptions", body, action)

    @app.post("/v1/heartbeat", response_model=s.HeartbeatResponse, responses=ERRORS)
    def heartbeat(request: Request, device: AuthDevice, body: s.HeartbeatRequest) -> Json:
        with _ctx(request).engine.begin() as conn:
            version = catalogue_ops.build(conn, device.station_id)["version"]
            return device_ops.heartbeat(conn, device, body.model_dump(mode="json"), version, now())

    @app.get("/v1/config", response_model=s.RemoteConfig, responses=ERRORS)
    def get_config(request: Request, device: AuthDevice) -> Json:
        with _ctx(request).engine.begin() as conn:
            return device_ops.remote_config(conn, device)

    return app


def app_for(url: str, settings: Settings | None = None) -> FastAPI:
    """A ready application for a database URL: tables created, a signing key present."""
    engine = make_engine(url)
    init_schema(engine)
    with engine.begin() as conn:
        member_ops.ensure_key(conn, now())
    return create_app(engine, settings)
