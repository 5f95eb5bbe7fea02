"""Kiosk devices: enrolment with one-time codes, request authentication, heartbeat and remote config."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from cloud import crypto
from cloud.db import device_config, devices, enrolment_codes, request_nonces, stations, try_insert
from cloud.errors import AdminError, ApiError, ErrorCode
from cloud.settings import Settings

# No 0/O, 1/I: codes are typed by technicians from a printed sheet.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_NONCE32 = re.compile(r"^[0-9a-fA-F]{32}$")
_SIGNATURE = re.compile(r"^[0-9a-fA-F]{64}$")


@dataclass(frozen=True)
class Device:
    id: str
    station_id: str
    name: str


def new_enrolment_code() -> str:
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def normalise_enrolment_code(text: str) -> str:
    chars = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}" if len(chars) == 12 else chars


def create_enrolment_code(conn: Connection, station_id: str, at: float, ttl_s: int) -> tuple[str, float]:
    if conn.execute(sa.select(stations.c.id).where(stations.c.id == station_id)).first() is None:
        raise AdminError(f"no station {station_id!r}")
    while True:
        code = new_enrolment_code()
        values = {"code": code, "station_id": station_id, "created_at": at, "expires_at": at + ttl_s}
        if try_insert(conn, enrolment_codes, values):
            return code, at + ttl_s


def enrol(conn: Connection, code_text: str, device_name: str, app_version: str, at: float) -> dict[str, Any]:
    code = normalise_enrolment_code(code_text)
    row = conn.execute(sa.select(enrolment_codes).where(enrolment_codes.c.code == code)).first()
    if row is None:
        raise ApiError(ErrorCode.ENROLMENT_CODE_INVALID, "no such enrolment code")
    if row.used_at is not None:
        raise ApiError(ErrorCode.ENROLMENT_CODE_USED, "this enrolment code was already used")
    if row.expires_at <= at:
        raise ApiError(ErrorCode.ENROLMENT_CODE_EXPIRED, "this enrolment code has expired")
    device_id = f"dev_{secrets.token_hex(8)}"
    claimed = conn.execute(
        sa.update(enrolment_codes)
        .where(enrolment_codes.c.code == code, enrolment_codes.c.used_at.is_(None))
        .values(used_at=at, device_id=device_id)
    )
    if claimed.rowcount != 1:
        raise ApiError(ErrorCode.ENROLMENT_CODE_USED, "this enrolment code was already used")
    secret = crypto.new_device_secret()
    conn.execute(
        sa.insert(devices).values(
            id=device_id, station_id=row.station_id, name=device_name, secret=secret,
            app_version=app_version, enrolled_at=at,
        )
    )
    return {"device_id": device_id, "device_secret": secret, "station_id": row.station_id, "server_time": at}


def authenticate(
    engine: Engine,
    *,
    method: str,
    path_with_query: str,
    headers: dict[str, str | None],
    body: bytes,
    settings: Settings,
    at: float,
    allow_revoked: bool = False,
) -> Device:
    """Check the signed headers of a request; the nonce is stored (and committed) before the handler
    runs, so even a request that then fails cannot be replayed. ``allow_revoked`` lets a revoked
    device through (its signature still checked) for what only tells it what it already did."""
    device_id = headers.get("x-device-id")
    if not device_id:
        raise ApiError(ErrorCode.UNKNOWN_DEVICE, "X-Device-Id header missing")
    timestamp, nonce, signature = (headers.get(h) for h in ("x-timestamp", "x-nonce", "x-signature"))
    if timestamp is None or not re.fullmatch(r"-?\d{1,12}", timestamp):
        raise ApiError(ErrorCode.BAD_SIGNATURE, "X-Timestamp must be integer Unix seconds")
    if nonce is None or not _NONCE32.fullmatch(nonce):
        raise ApiError(ErrorCode.BAD_SIGNATURE, "X-Nonce must be 32 hex characters")
    if signature is None or not _SIGNATURE.fullmatch(signature):
        raise ApiError(ErrorCode.BAD_SIGNATURE, "X-Signature must be 64 hex characters")
    with engine.begin() as conn:
        row = conn.execute(sa.select(devices).where(devices.c.id == device_id)).first()
        if row is None:
            raise ApiError(ErrorCode.UNKNOWN_DEVICE, "no such device")
        message = crypto.signing_string(method, path_with_query, timestamp, nonce, body)
        if not crypto.signature_matches(row.secret, message, signature):
            raise ApiError(ErrorCode.BAD_SIGNATURE, "signature does not match")
        if row.revoked_at is not None and not allow_revoked:
            raise ApiError(ErrorCode.DEVICE_REVOKED, "this device was revoked on the platform")
        if abs(at - int(timestamp)) > settings.signature_window_s:
            raise ApiError(
                ErrorCode.CLOCK_SKEW,
                f"X-Timestamp is {at - int(timestamp):+.0f} s from server time; see X-Server-Time",
            )
        fresh = try_insert(
            conn,
            request_nonces,
            {"device_id": device_id, "nonce": nonce.lower(),
             "expires_at": int(timestamp) + settings.signature_window_s + 1},
        )
        if not fresh:
            raise ApiError(ErrorCode.REPLAYED_REQUEST, "this nonce was already used")
        conn.execute(sa.update(devices).where(devices.c.id == device_id).values(last_seen_at=at))
    return Device(id=row.id, station_id=row.station_id, name=row.name)


def purge_nonces(conn: Connection, at: float) -> None:
    conn.execute(sa.delete(request_nonces).where(request_nonces.c.expires_at < at))


def heartbeat(
    conn: Connection, device: Device, health: dict[str, Any], catalogue_version: str, at: float
) -> dict[str, Any]:
    reported = {k: health[k] for k in ("app_version", "role") if health.get(k) is not None}
    conn.execute(sa.update(devices).where(devices.c.id == device.id).values(health=health, health_at=at, **reported))
    row = conn.execute(
        sa.select(devices.c.config_version, devices.c.catalogue_version).where(devices.c.id == device.id)
    ).one()
    commands = [] if row.catalogue_version == catalogue_version else ["sync_catalogue"]
    return {"server_time": at, "config_version": row.config_version, "commands": commands}


def mark_catalogue_seen(conn: Connection, device: Device, version: str) -> None:
    conn.execute(sa.update(devices).where(devices.c.id == device.id).values(catalogue_version=version))


def remote_config(conn: Connection, device: Device) -> dict[str, Any]:
    version = conn.execute(sa.select(devices.c.config_version).where(devices.c.id == device.id)).scalar_one()
    rows = conn.execute(
        sa.select(device_config.c.key, device_config.c.value)
        .where(device_config.c.device_id == device.id)
        .order_by(device_config.c.key)
    )
    return {"version": version, "values": {r.key: r.value for r in rows}}


def set_config(conn: Connection, device_id: str, values: dict[str, Any]) -> int:
    try:  # what cannot be written as JSON would break GET /v1/config for good (and PostgreSQL refuses it)
        json.dumps(values, allow_nan=False)
    except (TypeError, ValueError):
        raise AdminError("config values must be text, finite numbers, true/false, or lists and objects of "
                         "those") from None
    bumped = conn.execute(
        sa.update(devices).where(devices.c.id == device_id).values(config_version=devices.c.config_version + 1)
    )
    if bumped.rowcount != 1:
        raise AdminError(f"no device {device_id!r}")
    for key, value in values.items():
        where = (device_config.c.device_id == device_id, device_config.c.key == key)
        if value is None:
            conn.execute(sa.delete(device_config).where(*where))
        elif conn.execute(sa.update(device_config).where(*where).values(value=value)).rowcount == 0:
            conn.execute(sa.insert(device_config).values(device_id=device_id, key=key, value=value))
    return int(conn.execute(sa.select(devices.c.config_version).where(devices.c.id == device_id)).scalar_one())
