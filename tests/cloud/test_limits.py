"""Limits before work (docs/api.md § Limits): a body larger than its route allows is refused with 413
``body_too_large`` before it is read, whether its size is announced or it streams in chunks; request
headers are bounded by the HTTP server; JSON nests at most 16 levels. Real HTTP on loopback, with raw
sockets where a client library would not send what an attacker sends."""

from __future__ import annotations

import json
import math
import re
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from cloud import wire
from cloud.embedded import EmbeddedCloud
from tests.cloud.signed import SignedClient, error_code, new_key
from tests.cloud.test_numbers import heartbeat_body, order_body
from tests.cloud.test_openapi import DOC

MB = 1024 * 1024
CHUNK = b"x" * (64 * 1024)


def _rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def _address(cloud: EmbeddedCloud) -> tuple[str, int]:
    parts = urlsplit(cloud.url)
    assert parts.hostname and parts.port
    return parts.hostname, parts.port


def _parse_response(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, body


def offer(address: tuple[str, int], head: bytes, body: Iterator[bytes], deadline_s: float = 30.0
          ) -> tuple[bytes, int]:
    """Send ``head``, then ``body`` for as long as the server takes it and has not answered; returns
    the answer and how many body bytes the server accepted."""
    sock = socket.create_connection(address, timeout=deadline_s)
    sock.sendall(head)
    sock.setblocking(False)
    sent, answer = 0, b""
    deadline = time.monotonic() + deadline_s
    pending = b""
    try:
        while time.monotonic() < deadline:
            readable, writable, _ = select.select([sock], [sock] if pending or body else [], [], 1.0)
            if readable:
                break
            if writable:
                if not pending:
                    pending = next(body, b"")
                    if not pending:
                        body = iter(())
                        continue
                try:
                    n = sock.send(pending)
                except BlockingIOError:
                    continue
                except (BrokenPipeError, ConnectionResetError):
                    break
                sent, pending = sent + n, pending[n:]
        sock.setblocking(True)
        sock.settimeout(10)
        while True:
            try:
                data = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not data:
                break
            answer += data
            status_head, _, rest = answer.partition(b"\r\n\r\n")
            length = re.search(rb"(?i)content-length:\s*(\d+)", status_head)
            if length and len(rest) >= int(length.group(1)):
                break
    finally:
        sock.close()
    return answer, sent


def _body_of(total: int) -> Iterator[bytes]:
    for _ in range(total // len(CHUNK)):
        yield CHUNK


def _chunked(total: int) -> Iterator[bytes]:
    for piece in _body_of(total):
        yield b"%x\r\n" % len(piece) + piece + b"\r\n"
    yield b"0\r\n\r\n"


def _assert_too_large(answer: bytes) -> None:
    status, headers, body = _parse_response(answer)
    assert status == 413, answer[:300]
    assert json.loads(body)["error"]["code"] == "body_too_large"
    assert "x-server-time" in headers


def test_announced_64_mb_body_is_refused_before_it_is_read(cloud: EmbeddedCloud) -> None:
    """An unauthenticated POST /v1/orders announcing 64 MB used to be read whole (RSS +128 MB). The
    service runs in this process: what it read is at most what the client got into the connection
    (the kernel's socket buffers hold a few MB of that), and it would show in this process's RSS."""
    rss_before = _rss()
    head = (b"POST /v1/orders HTTP/1.1\r\nHost: kiosk\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % (64 * MB))
    answer, sent = offer(_address(cloud), head, _body_of(64 * MB))
    _assert_too_large(answer)
    assert sent < 16 * MB, sent
    assert _rss() - rss_before < 32 * MB


def test_chunked_body_is_cut_off_at_the_route_limit(cloud: EmbeddedCloud) -> None:
    rss_before = _rss()
    head = (b"POST /v1/heartbeat HTTP/1.1\r\nHost: kiosk\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")
    answer, sent = offer(_address(cloud), head, _chunked(64 * MB))
    _assert_too_large(answer)
    assert sent < 16 * MB, sent
    assert _rss() - rss_before < 32 * MB


def test_get_routes_take_no_body(device: SignedClient) -> None:
    resp = device.send_bytes("GET", "/v1/catalogue", b"x" * (wire.NO_BODY_MAX + 1))
    assert (resp.status_code, error_code(resp)) == (413, "body_too_large")
    assert device.get("/v1/catalogue").status_code == 200


def test_a_body_just_over_its_route_limit_is_refused_and_one_under_is_parsed(device: SignedClient) -> None:
    body = heartbeat_body()
    padding = wire.HEARTBEAT_BODY_MAX - len(json.dumps(body)) - len(', "pad": ""')
    fits = json.dumps({**body, "pad": "x" * padding}).encode()
    assert len(fits) == wire.HEARTBEAT_BODY_MAX
    assert device.send_bytes("POST", "/v1/heartbeat", fits).status_code == 200
    over = json.dumps({**body, "pad": "x" * (padding + 1)}).encode()
    resp = device.send_bytes("POST", "/v1/heartbeat", over)
    assert (resp.status_code, error_code(resp)) == (413, "body_too_large")


# --- the limits against what the contract admits -------------------------------------------------------

def _largest(schema: dict[str, Any], components: dict[str, Any]) -> float:
    """An upper bound on the JSON size of any value ``schema`` admits (infinite when a string or array
    has no maximum): every character escaped as a surrogate pair (12 bytes)."""
    if "$ref" in schema:
        return _largest(components[schema["$ref"].split("/")[-1]], components)
    if "anyOf" in schema:
        return max(_largest(option, components) for option in schema["anyOf"])
    if "enum" in schema or "const" in schema:
        return max(len(json.dumps(v)) for v in schema.get("enum", [schema.get("const")]))
    kind = schema.get("type")
    if kind == "string":
        return 2 + 12 * schema.get("maxLength", math.inf)
    if kind in ("number", "integer"):
        return 25
    if kind in ("boolean", "null"):
        return 5
    if kind == "object":
        assert "additionalProperties" not in schema, schema
        return 2 + sum(len(json.dumps(k)) + 2 + _largest(v, components) for k, v in schema["properties"].items())
    if kind == "array":
        return 2 + schema.get("maxItems", math.inf) * (_largest(schema["items"], components) + 1)
    raise AssertionError(f"unexpected schema {schema}")


def test_every_body_the_contract_admits_fits_its_route_limit() -> None:
    """So that a schema-valid body is never refused for its size, and every route has a limit."""
    doc = json.loads(DOC.read_text("utf-8"))
    kiosk_paths = {path: item for path, item in doc["paths"].items() if path.startswith("/v1/")}
    assert kiosk_paths
    # The kiosk contract; the platform's own API takes DEFAULT_BODY_MAX unless a route declares less.
    for path, item in kiosk_paths.items():
        for method, operation in item.items():
            limit = operation.get(wire.BODY_LIMIT_KEY)
            assert limit is not None and limit <= wire.DEFAULT_BODY_MAX, (
                f"{method} {path}: declare openapi_extra=wire.body_limit(…) on the route")
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if content is None:
                assert limit == wire.NO_BODY_MAX, f"{method} {path} takes no body: wire.body_limit(wire.NO_BODY_MAX)"
                continue
            largest = _largest(content["schema"], doc["components"]["schemas"])
            assert largest * 1.2 <= limit, (method, path, largest, limit)


# --- JSON depth and headers -----------------------------------------------------------------------------

def test_json_nesting_is_bounded(device: SignedClient) -> None:
    nested: Any = 0
    for _ in range(wire.JSON_DEPTH_MAX):
        nested = [nested]
    resp = device.post("/v1/heartbeat", {**heartbeat_body(), "extra": nested})
    assert resp.status_code == 400 and "nested deeper" in resp.json()["error"]["message"]
    assert "extra" in resp.json()["error"]["message"]
    # Deeper than Python's own recursion limit, and still under the size limit: a 400, not a crash.
    deep = b'{"extra": ' + b"[" * 6000 + b"]" * 6000 + b"}"
    resp = device.send_bytes("POST", "/v1/heartbeat", deep)
    assert (resp.status_code, error_code(resp)) == (400, "bad_request")
    assert device.post("/v1/heartbeat", {**heartbeat_body(), "extra": [[[0]]]}).status_code == 200


def test_text_that_cannot_be_stored_is_refused(cloud: EmbeddedCloud, device: SignedClient) -> None:
    raw = json.dumps(order_body(), ensure_ascii=True).replace('"note": ""', '"note": "\\ud800"').encode()
    resp = device.send_bytes("POST", "/v1/orders", raw, headers={"Idempotency-Key": new_key()})
    assert (resp.status_code, error_code(resp)) == (400, "bad_request")
    assert "note" in resp.json()["error"]["message"]
    resp = device.send_bytes("POST", "/v1/orders", b'{"note": "\xff"}', headers={"Idempotency-Key": new_key()})
    assert (resp.status_code, error_code(resp)) == (400, "bad_request")


@pytest.mark.parametrize("size, refused_by", [(8 * 1024, None), (wire.HEADERS_MAX + 1024, "service"),
                                              (4 * MB, "server")])
def test_headers_are_bounded(cloud: EmbeddedCloud, size: int, refused_by: str | None) -> None:
    """Up to HEADERS_MAX: served. Beyond it: 431 from the service; far beyond, the HTTP server gives up
    on the request after its first read and does not read the rest."""
    head = b"GET /v1/time HTTP/1.1\r\nHost: kiosk\r\nX-Filler: "
    filler = [b"a" * min(65536, size - at) for at in range(0, size, 65536)] + [b"\r\n\r\n"]
    answer, _ = offer(_address(cloud), head, iter(filler))
    status, _, body = _parse_response(answer)
    if refused_by is None:
        assert status == 200, answer[:200]
    elif refused_by == "service":
        assert status == 431 and json.loads(body)["error"]["code"] == "headers_too_large", answer[:300]
    else:
        assert status in (400, 431), answer[:200]
    assert httpx.get(f"{cloud.url}/v1/time").status_code == 200


def test_kiosk_cloud_serve_applies_the_same_limits(tmp_path: Path) -> None:
    """``kiosk-cloud serve`` runs uvicorn with the header bound of the embedded service, and the
    service's own limits apply there as everywhere."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "cloud.cli", "serve", "--db", str(tmp_path / "cloud.sqlite3"),
               "--port", str(port), "--log-level", "info"]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stderr is not None
        for line in server.stderr:  # wait until uvicorn says it listens
            if "Uvicorn running on" in line:
                break
        else:
            raise AssertionError(f"kiosk-cloud serve exited with {server.wait()}")
        address = ("127.0.0.1", port)
        huge = [b"a" * 65536] * 64 + [b"\r\n\r\n"]
        answer, _ = offer(address, b"GET /v1/time HTTP/1.1\r\nHost: kiosk\r\nX-Filler: ", iter(huge))
        assert _parse_response(answer)[0] in (400, 431), answer[:200]
        # Headers still incomplete at 20 KiB: uvicorn's default (16 KiB) would refuse them at once with a
        # plain 400; with the service's bound (32 KiB) they reach the service, which answers 431.
        with socket.create_connection(address, timeout=10) as sock:
            sock.sendall(b"GET /v1/time HTTP/1.1\r\nHost: kiosk\r\nX-Filler: " + b"a" * (20 * 1024))
            assert select.select([sock], [], [], 1.0)[0] == [], "the server refused incomplete headers of 20 KiB"
            sock.sendall(b"\r\n\r\n")
            assert sock.recv(65536).startswith(b"HTTP/1.1 431 ")
        head = b"POST /v1/orders HTTP/1.1\r\nHost: kiosk\r\nContent-Length: %d\r\n\r\n" % (64 * MB)
        _assert_too_large(offer(address, head, _body_of(64 * MB))[0])
    finally:
        server.terminate()
        server.wait(10)
