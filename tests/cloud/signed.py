"""A minimal signing client for the contract's device authentication, written from docs/api.md
independently of the kiosk's own client."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from base64 import b64decode
from typing import Any

import httpx


def signature(secret_b64: str, method: str, path: str, timestamp: int, nonce: str, body: bytes) -> str:
    message = f"{method}\n{path}\n{timestamp}\n{nonce}\n{hashlib.sha256(body).hexdigest()}".encode()
    return hmac.new(b64decode(secret_b64), message, hashlib.sha256).hexdigest()


class SignedClient:
    def __init__(self, base_url: str, device_id: str, secret_b64: str, station_id: str = "") -> None:
        self.http = httpx.Client(base_url=base_url, timeout=20)
        self.device_id = device_id
        self.secret = secret_b64
        self.station_id = station_id

    def close(self) -> None:
        self.http.close()

    def signed_headers(
        self, method: str, path: str, body: bytes, *, timestamp: int | None = None, nonce: str | None = None
    ) -> dict[str, str]:
        ts = int(time.time()) if timestamp is None else timestamp
        nonce = nonce or secrets.token_hex(16)
        return {
            "X-Device-Id": self.device_id,
            "X-Timestamp": str(ts),
            "X-Nonce": nonce,
            "X-Signature": signature(self.secret, method, path, ts, nonce, body),
        }

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        nonce: str | None = None,
    ) -> httpx.Response:
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
        return self.send_bytes(method, path, data, headers=headers, timestamp=timestamp, nonce=nonce)

    def send_bytes(
        self,
        method: str,
        path: str,
        data: bytes,
        *,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        nonce: str | None = None,
    ) -> httpx.Response:
        """Sign and send ``data`` as it is: JSON no encoder would write (``NaN``, ``1e999``) included."""
        all_headers = self.signed_headers(method, path, data, timestamp=timestamp, nonce=nonce)
        if data:
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        return self.http.request(method, path, content=data or None, headers=all_headers)

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any, *, key: str | None = None, **kw: Any) -> httpx.Response:
        headers = dict(kw.pop("headers", None) or {})
        if key is not None:
            headers["Idempotency-Key"] = key
        return self.request("POST", path, body, headers=headers, **kw)


def new_key() -> str:
    return str(uuid.uuid4())


def enrol(base_url: str, code: str, name: str = "test kiosk") -> SignedClient:
    resp = httpx.post(f"{base_url}/v1/devices/enrol",
                      json={"enrolment_code": code, "device_name": name, "app_version": "0.1.0"}, timeout=20)
    assert resp.status_code == 201, resp.text
    body = resp.json()
    return SignedClient(base_url, body["device_id"], body["device_secret"], body["station_id"])


def error_code(resp: httpx.Response) -> str:
    code: str = resp.json()["error"]["code"]
    return code
