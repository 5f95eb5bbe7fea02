"""What the service accepts on the wire before any handler runs: how large a body and its headers may
be, how deeply its JSON may nest, and which numbers and strings it may hold (docs/api.md, "Limits").

Python's ``json`` reads ``NaN``, ``Infinity`` and ``1e999`` as floats that compare false with
everything; they would pass every range check and reach the database. Here they are refused while the
body is parsed, with the field named, so no handler ever sees one."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cloud.errors import ApiError, ErrorCode

# Request bodies, per route: at least the largest body the route's schema admits (every string at
# its maximum length, every character written as a 12-byte escaped surrogate pair), plus a margin;
# tests/cloud/test_limits.py computes that bound from docs/openapi.json. A kiosk's real bodies are
# far smaller. Routes declaring none (see body_limit) get DEFAULT_BODY_MAX.
ENROL_BODY_MAX = 4 * 1024
ORDER_BODY_MAX = 48 * 1024
RATING_BODY_MAX = 32 * 1024
RESOLVE_BODY_MAX = 16 * 1024
REDEMPTION_BODY_MAX = 48 * 1024
HEARTBEAT_BODY_MAX = 64 * 1024
NO_BODY_MAX = 1024  # GET routes: a kiosk sends no body at all
DEFAULT_BODY_MAX = 1024 * 1024
# The request line and all headers together; a kiosk sends well under 1 KiB.
HEADERS_MAX = 16 * 1024
# Arrays and objects inside one another; the deepest kiosk body has 3 levels.
JSON_DEPTH_MAX = 16


class BodyRejected(json.JSONDecodeError):
    """A body that is not JSON this service accepts; ``msg`` says why and names the field. A
    ``JSONDecodeError`` so that FastAPI reports it as invalid JSON (400) instead of a server error."""

    def __init__(self, reason: str, doc: str = "", pos: int = 0) -> None:
        super().__init__(reason, doc, pos)


def _field(path: list[str | int]) -> str:
    return ".".join(str(p) for p in path) or "body"


def _check(value: Any, path: list[str | int]) -> None:
    if len(path) > JSON_DEPTH_MAX:
        raise BodyRejected(f"{_field(path)}: nested deeper than {JSON_DEPTH_MAX} levels")
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BodyRejected(f"{_field(path)}: numbers must be finite (no NaN, Infinity or overflow)")
    elif isinstance(value, str):
        _check_text(value, path)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, path)
            _check(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, [*path, index])


def _check_text(text: str, path: list[str | int]) -> None:
    # "\ud800" is valid JSON but not text: neither SQLite nor PostgreSQL can store it.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BodyRejected(f"{_field(path)}: text contains an unpaired surrogate (\\uD800-\\uDFFF)") from None


def loads(raw: bytes) -> Any:
    """Parse a request body: UTF-8 JSON with finite numbers, storable text and at most
    ``JSON_DEPTH_MAX`` levels; anything else raises :class:`BodyRejected`. (Integers are bounded by
    the schemas: Python's have no overflow to exploit.)"""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyRejected(f"body is not UTF-8 (byte {exc.start})") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BodyRejected(f"body is not valid JSON: {exc.msg} (line {exc.lineno} column {exc.colno})",
                           text, exc.pos) from None
    except RecursionError:
        raise BodyRejected(f"body: nested deeper than {JSON_DEPTH_MAX} levels") from None
    except ValueError as exc:  # an integer literal of thousands of digits
        raise BodyRejected(f"body: {exc}") from None
    _check(value, [])
    return value


class StrictJsonRequest(Request):
    """A request whose JSON body is parsed by :func:`loads`."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads(await self.body())
        return self._json


class StrictJsonRoute(APIRoute):
    """The route class of every JSON endpoint (``APIRouter(route_class=StrictJsonRoute)`` for a new
    router): FastAPI reads bodies through ``Request.json``, which this replaces with :func:`loads`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict_handler


def server_options() -> dict[str, Any]:
    """uvicorn settings for ``kiosk-cloud serve`` and the embedded service alike: h11 (httptools, were
    it installed, has no header limit) stops reading headers still incomplete past twice HEADERS_MAX;
    RequestLimitsMiddleware refuses anything past HEADERS_MAX itself, in the contract's error shape."""
    return {"http": "h11", "h11_max_incomplete_event_size": 2 * HEADERS_MAX}


BODY_LIMIT_KEY = "x-body-limit"


def body_limit(limit: int) -> dict[str, Any]:
    """A route's body limit (``openapi_extra=body_limit(…)``), published in docs/openapi.json; a route
    without one gets DEFAULT_BODY_MAX."""
    return {BODY_LIMIT_KEY: limit}


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a body outgrows its limit. An HTTPException, so that FastAPI
    passes it on as it is instead of calling it a parse error, and the app answers 413."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail="request body too large for this endpoint")


class RequestLimitsMiddleware:
    """Refuses headers larger than HEADERS_MAX with 431 ``headers_too_large`` (uvicorn's h11 limit
    only applies to headers still incomplete after a read, so it is not exact), and a
    body larger than its route's limit with 413 ``body_too_large`` before reading it: at once when
    ``Content-Length`` announces it, and as soon as a streamed (chunked) body passes it. The rest of
    such a body is never read: the server closes the connection after the answer."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[Scope], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header_bytes = len(scope.get("raw_path") or b"") + len(scope.get("query_string", b"")) + sum(
            len(name) + len(value) + 4 for name, value in scope["headers"])
        if header_bytes > HEADERS_MAX:
            await _refuse(ApiError(ErrorCode.HEADERS_TOO_LARGE, f"request headers over {HEADERS_MAX} bytes"),
                          scope, receive, send)
            return
        limit = self.limit_for(scope)
        announced = Headers(scope=scope).get("content-length")
        if announced is not None and announced.isdigit() and int(announced) > limit:
            await _refuse(too_large(), scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def noting_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, noting_send)
        except BodyTooLarge:
            if started:
                raise
            await _refuse(too_large(), scope, receive, send)


def too_large() -> ApiError:
    return ApiError(ErrorCode.BODY_TOO_LARGE, "request body too large for this endpoint")


async def _refuse(error: ApiError, scope: Scope, receive: Receive, send: Send) -> None:
    # Connection: close, so that the server does not read the rest of the body to reuse the connection.
    response = JSONResponse(error.body(), status_code=error.status, headers={"Connection": "close"})
    await response(scope, receive, send)
