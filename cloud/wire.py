"""What the service accepts on the wire before any handler runs: how large a body and its headers may
be, how deeply its JSON may nest, and which numbers and strings it may hold (docs/api.md, "Limits").

Python's ``json`` reads ``NaN``, ``Infinity`` and ``1e999`` as floats that compare false with
everything; they would pass every range check and reach the database. Here they are refused while the
body is parsed, with the field named, so no handler ever sees one."""

from __future__ import annotations

import json
import math
from typing import Any

# Request bodies, per route: the largest body a kiosk legitimately sends (every string at its
# schema's maximum, escaped as \uXXXX) plus a margin. Routes not listed get DEFAULT_BODY_MAX.
ENROL_BODY_MAX = 4 * 1024
ORDER_BODY_MAX = 24 * 1024
RATING_BODY_MAX = 8 * 1024
RESOLVE_BODY_MAX = 4 * 1024
REDEMPTION_BODY_MAX = 8 * 1024
HEARTBEAT_BODY_MAX = 16 * 1024
NO_BODY_MAX = 1024  # GET routes: a kiosk sends no body at all
DEFAULT_BODY_MAX = 1024 * 1024
# The request line and all headers together (uvicorn's h11 limit on an incomplete event).
HEADERS_MAX = 16 * 1024
# Arrays and objects inside one another; the deepest kiosk body has 3 levels.
JSON_DEPTH_MAX = 16
# Integers must fit the databases' 64-bit columns.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


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
    elif isinstance(value, int):
        if not INT_MIN <= value <= INT_MAX:
            raise BodyRejected(f"{_field(path)}: integer out of the 64-bit range")
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
    """Parse a request body: UTF-8 JSON with finite numbers, 64-bit integers, storable text and at
    most ``JSON_DEPTH_MAX`` levels; anything else raises :class:`BodyRejected`."""
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


def server_options() -> dict[str, Any]:
    """uvicorn settings that enforce HEADERS_MAX, for ``kiosk-cloud serve`` and the embedded service
    alike (httptools, were it installed, has no such limit)."""
    return {"http": "h11", "h11_max_incomplete_event_size": HEADERS_MAX}
