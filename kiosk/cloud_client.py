"""HTTP client for the cloud contract (docs/api.md): device signing, clock offset, typed errors.

Every call has explicit (connect, read) timeouts and ends in exactly one of: a parsed answer,
:class:`CloudUnreachable` (nothing was sent), :class:`CloudOutcomeUnknown` (the request may have been
applied: re-send the same idempotency key), :class:`CloudRejected` (a contract error; ``code`` drives
the UI) or :class:`CloudServerError` (5xx). The device secret lives in the store's meta table and is
never logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import math
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

from kiosk import __version__
from kiosk.store import Store
from kiosk.strictjson import JsonRejected, is_sane_time
from kiosk.strictjson import loads as strict_loads

log = logging.getLogger(__name__)

META_DEVICE_ID = "cloud.device_id"
META_DEVICE_SECRET = "cloud.device_secret"
META_STATION_ID = "cloud.station_id"
META_CLOCK_OFFSET = "cloud.clock_offset_s"

# Persisting the offset costs an fsync; only a real change is worth one.
_OFFSET_PERSIST_DELTA_S = 1.0
# Limits on what the service may send back. The largest real answer (a district's catalogue) is about
# 20 KB and 5 levels deep; gift images are small PNGs.
MAX_JSON_BYTES = 1 << 20
MAX_JSON_DEPTH = 32
MAX_IMAGE_BYTES = 4 << 20
# A Retry-After beyond this is not believed: the kiosk asks again an hour later at the latest.
MAX_RETRY_AFTER_S = 3600.0


class CloudError(Exception):
    """Base of every failure of a cloud call."""


class CloudUnreachable(CloudError):
    """The request never reached the service (connect refused, connect timeout, name lookup)."""


class CloudOutcomeUnknown(CloudError):
    """The request was sent but no answer came back; it may or may not have been applied."""


class CloudServerError(CloudError):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class CloudRejected(CloudError):
    """A contract error: the service understood the request and refused it for ``code``."""

    def __init__(self, code: str, status: int, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.code = code
        self.status = status
        self.message = message


class CloudAuthError(CloudRejected):
    """The device is not accepted (401/403): not the request's fault, so queued work stays queued."""


class CloudRateLimited(CloudRejected):
    def __init__(self, code: str, status: int, message: str, retry_after_s: float) -> None:
        super().__init__(code, status, message)
        self.retry_after_s = retry_after_s


class NotEnrolled(CloudAuthError):
    """No device credential in the store yet: the technician must enrol the kiosk."""

    def __init__(self) -> None:
        super().__init__("not_enrolled", 0, "this kiosk has no device credential; enrol it first")


@dataclass(frozen=True)
class Enrolment:
    device_id: str
    station_id: str
    server_time: float


@dataclass(frozen=True)
class Fetched:
    """A cacheable GET: ``body`` is None when the service answered 304 Not Modified."""

    body: Any
    etag: str

    @property
    def not_modified(self) -> bool:
        return self.body is None


@dataclass(frozen=True)
class _Credential:
    device_id: str
    secret: bytes


def sign(secret: bytes, method: str, path_with_query: str, timestamp: int, nonce: str, body: bytes) -> str:
    """The contract's request signature (hex HMAC-SHA256)."""
    message = "\n".join(
        [method.upper(), path_with_query, str(timestamp), nonce, hashlib.sha256(body).hexdigest()]
    )
    return hmac.new(secret, message.encode("ascii"), hashlib.sha256).hexdigest()


def encode_body(body: dict[str, Any]) -> bytes:
    """The request body; ``ValueError`` for NaN or ±Infinity, which the contract does not allow."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def _never_sent(exc: requests.ConnectionError) -> bool:
    """True only when urllib3 failed while connecting, i.e. no byte of the request left the kiosk."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    inner = getattr(reason, "reason", reason)
    return isinstance(inner, NewConnectionError | ConnectTimeoutError | NameResolutionError)


class CloudClient:
    def __init__(self, base_url: str, *, connect_timeout: float, read_timeout: float, store: Store) -> None:
        self.base_url = base_url.rstrip("/")
        self._base_path = urlsplit(self.base_url).path
        self.timeouts = (connect_timeout, read_timeout)
        self.store = store
        self.session = requests.Session()
        # No silent retries underneath us: every send is a decision of the caller (idempotency keys).
        adapter = HTTPAdapter(max_retries=0, pool_connections=1, pool_maxsize=8)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = f"station-kiosk/{__version__}"
        self._lock = threading.Lock()
        self._credential: _Credential | None = None
        stored = _stored_offset(store)
        self._offset = 0.0 if stored is None else stored
        self._persisted_offset = self._offset
        self._offset_known = stored is not None
        self._refused_time_header: str | None = None

    # -- clock -----------------------------------------------------------------------------------------

    @property
    def clock_offset(self) -> float:
        """Seconds to add to the local clock to get the service's clock."""
        with self._lock:
            return self._offset

    @property
    def clock_offset_known(self) -> bool:
        with self._lock:
            return self._offset_known

    def server_now(self) -> float:
        return time.time() + self.clock_offset

    def _learn_offset(self, header: str | None, sent_at: float, received_at: float) -> None:
        if not header:
            return
        server = _server_time_of(header)
        if server is None:
            # inf, nan, 1e300, -5 …: keep the last good offset, or every signed call would fail.
            if header != self._refused_time_header:
                self._refused_time_header = header
                log.warning("X-Server-Time %r ignored: not a plausible clock", header[:40])
            return
        offset = server - (sent_at + received_at) / 2
        with self._lock:
            self._offset = offset
            self._offset_known = True
            persist = abs(offset - self._persisted_offset) >= _OFFSET_PERSIST_DELTA_S
            if persist:
                self._persisted_offset = offset
        if persist:
            self.store.set_meta(META_CLOCK_OFFSET, repr(offset))

    # -- credential --------------------------------------------------------------------------------------

    @property
    def enrolled(self) -> bool:
        return self._load_credential() is not None

    @property
    def device_id(self) -> str | None:
        cred = self._load_credential()
        return cred.device_id if cred else None

    def _load_credential(self) -> _Credential | None:
        with self._lock:
            if self._credential is not None:
                return self._credential
        device_id = self.store.get_meta(META_DEVICE_ID)
        secret = self.store.get_meta(META_DEVICE_SECRET)
        if not device_id or not secret:
            return None
        cred = _Credential(device_id, base64.b64decode(secret))
        with self._lock:
            self._credential = cred
        return cred

    # -- transport ---------------------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        signed: bool = True,
        retry_on_skew: bool = True,
        max_bytes: int = MAX_JSON_BYTES,
    ) -> requests.Response:
        suffix = path + (f"?{urlencode(query)}" if query else "")
        path_with_query = self._base_path + suffix
        data = encode_body(body) if body is not None else b""
        all_headers = dict(headers or {})
        if body is not None:
            all_headers["Content-Type"] = "application/json"
        if signed:
            cred = self._load_credential()
            if cred is None:
                raise NotEnrolled()
            timestamp = int(self.server_now())
            nonce = secrets.token_hex(16)
            all_headers.update(
                {
                    "X-Device-Id": cred.device_id,
                    "X-Timestamp": str(timestamp),
                    "X-Nonce": nonce,
                    "X-Signature": sign(cred.secret, method, path_with_query, timestamp, nonce, data),
                }
            )
        sent_at = time.time()
        try:
            resp = self.session.request(
                method,
                self.base_url + suffix,
                data=data or None,
                headers=all_headers,
                timeout=self.timeouts,
                allow_redirects=False,
                stream=True,  # read by _read_capped, so an endless answer cannot fill the memory
            )
            _read_capped(resp, max_bytes, f"{method} {path}")
        except requests.ConnectionError as exc:
            if _never_sent(exc):
                raise CloudUnreachable(f"{method} {path}: {exc.__class__.__name__}") from exc
            raise CloudOutcomeUnknown(f"{method} {path}: {exc.__class__.__name__}") from exc
        except requests.Timeout as exc:  # a read timeout: the request is out, the answer is not
            raise CloudOutcomeUnknown(f"{method} {path}: read timeout") from exc
        except requests.RequestException as exc:
            raise CloudOutcomeUnknown(f"{method} {path}: {exc.__class__.__name__}") from exc
        self._learn_offset(resp.headers.get("X-Server-Time"), sent_at, time.time())
        if resp.status_code < 400:
            return resp
        code, message = _error_of(resp)
        log.info("%s %s → %d %s", method, path, resp.status_code, code)
        if resp.status_code >= 500:
            raise CloudServerError(resp.status_code, code, message)
        if resp.status_code == 429:
            raise CloudRateLimited(code, 429, message, _retry_after(resp))
        if resp.status_code == 401 and code == "clock_skew" and retry_on_skew:
            # The answer taught us the service's clock; one more try with a fresh timestamp and nonce.
            return self._request(
                method, path, query=query, body=body, headers=headers, signed=signed, retry_on_skew=False,
                max_bytes=max_bytes,
            )
        if resp.status_code in (401, 403):
            raise CloudAuthError(code, resp.status_code, message)
        raise CloudRejected(code, resp.status_code, message)

    def _json(self, resp: requests.Response) -> dict[str, Any]:
        """The answer as a JSON object, refused (``bad_response``) unless every number in it is finite,
        within ±2^53, a plausible time where the field is a time, and not negative elsewhere."""
        try:
            value = strict_loads(resp.content, max_chars=MAX_JSON_BYTES, max_depth=MAX_JSON_DEPTH)
        except JsonRejected as exc:
            log.warning("%s answer refused: %s", resp.url, exc)
            raise CloudServerError(resp.status_code, "bad_response", f"the answer is not usable JSON: {exc}") from exc
        if not isinstance(value, dict):
            raise CloudServerError(resp.status_code, "bad_response", "the answer is not a JSON object")
        problem = _implausible_number(value)
        if problem:
            log.warning("%s answer refused: %s", resp.url, problem)
            raise CloudServerError(resp.status_code, "bad_response", problem)
        return value

    def close(self) -> None:
        self.session.close()

    # -- endpoints ---------------------------------------------------------------------------------------

    def server_time(self) -> float:
        resp = self._request("GET", "/v1/time", signed=False)
        value = self._json(resp).get("server_time")
        if not is_sane_time(value):
            raise CloudServerError(resp.status_code, "bad_response", "server_time missing or implausible")
        return float(value)

    def enrol(self, code: str, device_name: str) -> Enrolment:
        """Exchange a one-time enrolment code for the device credential, stored in meta."""
        resp = self._request(
            "POST",
            "/v1/devices/enrol",
            body={"enrolment_code": code, "device_name": device_name, "app_version": __version__},
            signed=False,
        )
        answer = self._json(resp)
        try:
            device_id = str(answer["device_id"])
            secret = base64.b64decode(answer["device_secret"], validate=True)
            station_id = str(answer["station_id"])
        except (KeyError, ValueError, TypeError) as exc:
            raise CloudServerError(resp.status_code, "bad_response", "enrolment answer incomplete") from exc
        self.store.set_meta_many({
            META_DEVICE_ID: device_id,
            META_DEVICE_SECRET: base64.b64encode(secret).decode("ascii"),
            META_STATION_ID: station_id,
        })
        with self._lock:
            self._credential = _Credential(device_id, secret)
        log.info("enrolled as device %s at station %s", device_id, station_id)
        server_time = answer.get("server_time")
        return Enrolment(device_id, station_id, float(server_time) if is_sane_time(server_time) else self.server_now())

    def catalogue(self, etag: str | None = None) -> Fetched:
        resp = self._request("GET", "/v1/catalogue", headers={"If-None-Match": etag} if etag else None)
        if resp.status_code == 304:
            return Fetched(None, etag or "")
        return Fetched(self._json(resp), resp.headers.get("ETag", ""))

    def image(self, name: str, etag: str | None = None) -> tuple[bytes | None, str]:
        """The PNG bytes and ETag; bytes are None when unchanged (304)."""
        resp = self._request(
            "GET",
            f"/v1/images/{quote(name, safe='')}",
            headers={"If-None-Match": etag} if etag else None,
            max_bytes=MAX_IMAGE_BYTES,
        )
        if resp.status_code == 304:
            return None, etag or ""
        return resp.content, resp.headers.get("ETag", "")

    def create_order(self, key: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._json(self._request("POST", "/v1/orders", body=body, headers={"Idempotency-Key": key}))

    def order_status(self, code: str, last4: str) -> dict[str, Any]:
        resp = self._request("GET", f"/v1/orders/{quote(code, safe='')}", query={"phone_last4": last4})
        return self._json(resp)

    def rate_order(self, key: str, code: str, body: dict[str, Any]) -> dict[str, Any]:
        resp = self._request(
            "POST", f"/v1/orders/{quote(code, safe='')}/rating", body=body, headers={"Idempotency-Key": key}
        )
        return self._json(resp)

    def keys(self) -> list[dict[str, Any]]:
        keys = self._json(self._request("GET", "/v1/keys")).get("keys")
        if not isinstance(keys, list):
            raise CloudServerError(200, "bad_response", "keys missing")
        return keys

    def resolve_member(self, token: str, pin: str | None) -> dict[str, Any]:
        return self._json(self._request("POST", "/v1/members/resolve", body={"token": token, "pin": pin}))

    def redeem(self, key: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._json(
            self._request("POST", "/v1/redemptions", body=body, headers={"Idempotency-Key": key})
        )

    def kept_response(self, key: str) -> dict[str, Any] | None:
        """The successful answer the service kept for this device's Idempotency-Key ``key``, or None
        when it kept none (no request with that key changed anything). Answered to a revoked device
        too. Raises :class:`CloudError` when the service cannot tell."""
        try:
            resp = self._request("GET", f"/v1/requests/{quote(key, safe='')}")
        except CloudRejected as exc:
            if exc.status == 404 and exc.code == "not_found":
                return None
            raise
        answer = self._json(resp)
        body, status = answer.get("body"), answer.get("status")
        if answer.get("idempotency_key") != key or not isinstance(body, dict) or status not in (200, 201):
            raise CloudServerError(resp.status_code, "bad_response", "kept response malformed")
        return body

    def heartbeat(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._json(self._request("POST", "/v1/heartbeat", body=body))

    def remote_config(self) -> dict[str, Any]:
        return self._json(self._request("GET", "/v1/config"))


def _error_of(resp: requests.Response) -> tuple[str, str]:
    try:
        err = strict_loads(resp.content, max_chars=MAX_JSON_BYTES, max_depth=MAX_JSON_DEPTH)["error"]
        return str(err["code"])[:64], str(err.get("message", ""))[:500]
    except (ValueError, KeyError, TypeError, AttributeError):
        return f"http_{resp.status_code}", resp.reason or ""


def _retry_after(resp: requests.Response) -> float:
    """Retry-After in seconds, within [0, MAX_RETRY_AFTER_S]; 1 s when missing or not a number."""
    try:
        value = float(resp.headers.get("Retry-After", "1"))
    except ValueError:
        return 1.0
    if math.isnan(value):
        return 1.0
    return min(MAX_RETRY_AFTER_S, max(0.0, value))


def _server_time_of(header: str) -> float | None:
    """The service's clock from ``X-Server-Time``; None unless it is a plausible time."""
    try:
        value = float(header)
    except ValueError:
        return None
    return value if is_sane_time(value) else None


def _plausible_offset(offset: float) -> bool:
    return math.isfinite(offset) and is_sane_time(time.time() + offset)


def _stored_offset(store: Store) -> float | None:
    """The clock offset kept by an earlier run. One that is not a number or would put the service's
    clock outside 2020–2100 (an older version stored ``inf`` or ``nan`` from a hostile header) is
    forgotten here, so the kiosk signs with its own clock until the service answers again."""
    stored = store.get_meta(META_CLOCK_OFFSET)
    if stored is None:
        return None
    try:
        offset = float(stored)
    except ValueError:
        offset = math.nan
    if _plausible_offset(offset):
        return offset
    log.warning("stored clock offset %r is not plausible; forgotten", stored[:40])
    store.delete_meta(META_CLOCK_OFFSET)
    return None


def _read_capped(resp: requests.Response, max_bytes: int, what: str) -> None:
    """Read the body of a streamed response, refusing (``bad_response``) one longer than ``max_bytes``
    before more than that is held in memory. The body is then available as ``resp.content``."""
    declared = resp.headers.get("Content-Length", "")
    too_long = CloudServerError(resp.status_code, "bad_response", f"{what}: answer longer than {max_bytes} bytes")
    if declared.isdigit() and int(declared) > max_bytes:
        resp.close()
        raise too_long
    chunks, size = [], 0
    for chunk in resp.iter_content(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            resp.close()
            raise too_long
        chunks.append(chunk)
    resp._content = b"".join(chunks)  # where requests keeps a body it has read itself


def _is_time_field(name: str) -> bool:
    return name in ("at", "server_time", "not_after") or name.endswith("_at")


def _implausible_number(value: Any, name: str = "", where: str = "") -> str:
    """Where the contract's numbers cannot be what the service sent: times outside 2020–2100 and
    negative counts (points, stock, hours, versions…). ``values`` of the remote config is left to the
    config schema, which knows each key's range. Returns the problem, or "" when there is none."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return ""
    if isinstance(value, int | float):
        if _is_time_field(name):
            return "" if is_sane_time(value) else f"{where}: {value!r} is not a plausible time"
        return f"{where}: {value!r} is negative" if value < 0 else ""
    if isinstance(value, dict):
        if where == "values":
            return ""
        for key, item in value.items():
            problem = _implausible_number(item, str(key), f"{where}.{key}" if where else str(key))
            if problem:
                return problem
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problem = _implausible_number(item, name, f"{where}[{index}]")
            if problem:
                return problem
    return ""
