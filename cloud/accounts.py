"""People who use the platform: invited by an administrator with a one-time activation code, signed in
with phone number + password (Argon2id), locked out for a growing delay after repeated wrong passwords,
and acting within their role's scope (a station, an organisation, their own member)."""

from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, Row

from cloud import crypto, rules
from cloud.crypto import sha256_hex
from cloud.db import account_sessions, accounts, members, next_counter, organisations, stations
from cloud.errors import ApiError, ErrorCode

Json = dict[str, Any]
ROLES = ("admin", "staff", "leader", "volunteer")
ROLE_LABELS = {"admin": "文明办（区管理员）", "staff": "所/站工作人员", "leader": "组织/队伍负责人",
               "volunteer": "志愿者"}
MOBILE = re.compile(r"^1[3-9]\d{9}$")
# No 0/O, 1/I/L: read aloud or typed from a message.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
MIN_PASSWORD = 8
# Compared against when the phone is unknown, so a wrong phone costs as much time as a wrong password.
_DUMMY_HASH = crypto.hash_password("not a password of anyone")


@dataclass(frozen=True)
class Actor:
    """A signed-in account, as the authorisation check and the domain functions see it."""

    id: str
    role: str
    name: str
    station_id: str | None
    organisation_id: str | None
    member_id: str | None


def actor_of(row: Row[Any]) -> Actor:
    return Actor(row.id, row.role, row.name, row.station_id, row.organisation_id, row.member_id)


def view(row: Row[Any]) -> Json:
    return {"id": row.id, "phone": row.phone, "name": row.name, "role": row.role, "station_id": row.station_id,
            "organisation_id": row.organisation_id, "member_id": row.member_id,
            "active": row.password_hash is not None and row.disabled_at is None}


def _exists(conn: Connection, table: sa.Table, key: str | None) -> bool:
    return key is not None and conn.execute(sa.select(table.c.id).where(table.c.id == key)).first() is not None


def _new_member(conn: Connection, name: str, phone: str, at: float) -> str:
    member_id = f"m_{secrets.token_hex(6)}"
    member_no = str(20000000 + next_counter(conn, "member_no"))
    # Numbers may also be given by hand (kiosk-cloud member add): skip the taken ones.
    while conn.execute(sa.select(members.c.id).where(members.c.member_no == member_no)).first():
        member_no = str(20000000 + next_counter(conn, "member_no"))
    conn.execute(sa.insert(members).values(id=member_id, member_no=member_no, name=name, phone=phone, created_at=at))
    return member_id


def invite(
    conn: Connection, *, phone: str, name: str, role: str, station_id: str | None = None,
    organisation_id: str | None = None, member_no: str | None = None, by: str | None, at: float,
) -> tuple[Json, str]:
    """A new (not yet active) account and its one-time activation code. A volunteer is linked to a member
    (the one who redeems at the gift kiosk): the member numbered ``member_no``, else a new member."""
    if role not in ROLES:
        raise ApiError(ErrorCode.BAD_REQUEST, f"role: one of {', '.join(ROLES)}")
    if not MOBILE.fullmatch(phone):
        raise ApiError(ErrorCode.INVALID_PHONE, "phone: a mainland mobile number signs in")
    if not name.strip():
        raise ApiError(ErrorCode.BAD_REQUEST, "name: required")
    if station_id is not None and not _exists(conn, stations, station_id):
        raise ApiError(ErrorCode.BAD_REQUEST, f"station_id: no station {station_id!r}")
    if organisation_id is not None and not _exists(conn, organisations, organisation_id):
        raise ApiError(ErrorCode.BAD_REQUEST, f"organisation_id: no organisation {organisation_id!r}")
    if role == "staff" and station_id is None:
        raise ApiError(ErrorCode.BAD_REQUEST, "station_id: station staff belong to a station")
    if role == "leader" and organisation_id is None:
        raise ApiError(ErrorCode.BAD_REQUEST, "organisation_id: a leader leads an organisation or team")
    if role == "volunteer" and station_id is None and organisation_id is None:
        raise ApiError(ErrorCode.BAD_REQUEST, "station_id: a volunteer belongs to a station or an organisation")
    if conn.execute(sa.select(accounts.c.id).where(accounts.c.phone == phone)).first():
        raise ApiError(ErrorCode.CONFLICT, f"an account with phone {phone} exists already")
    member_id = None
    if role == "volunteer":
        if member_no is None:
            member_id = _new_member(conn, name.strip(), phone, at)
        else:
            member_id = conn.execute(sa.select(members.c.id).where(members.c.member_no == member_no)).scalar()
            if member_id is None:
                raise ApiError(ErrorCode.UNKNOWN_MEMBER, f"no member {member_no}")
            if conn.execute(sa.select(accounts.c.id).where(accounts.c.member_id == member_id)).first():
                raise ApiError(ErrorCode.CONFLICT, f"member {member_no} has an account already")
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    account_id = f"a_{secrets.token_hex(6)}"
    days = float(rules.get(conn, "accounts.invitation_days"))
    conn.execute(sa.insert(accounts).values(
        id=account_id, phone=phone, name=name.strip(), role=role, station_id=station_id,
        organisation_id=organisation_id, member_id=member_id, activation_hash=sha256_hex(code.encode()),
        activation_expires_at=at + days * 86400, invited_by=by, created_at=at))
    row = conn.execute(sa.select(accounts).where(accounts.c.id == account_id)).one()
    return view(row), code


def activate(engine: Engine, code: str, password: str, at: float) -> Json:
    """Set the password of an invited account; the code works once."""
    if len(password) < MIN_PASSWORD:
        raise ApiError(ErrorCode.BAD_REQUEST, f"password: at least {MIN_PASSWORD} characters")
    password_hash = crypto.hash_password(password)  # slow on purpose: outside the transaction
    code_hash = sha256_hex(code.strip().upper().encode())
    with engine.begin() as conn:
        done = conn.execute(
            sa.update(accounts)
            .where(accounts.c.activation_hash == code_hash, accounts.c.activation_expires_at > at)
            .values(password_hash=password_hash, activation_hash=None, activation_expires_at=None)
        )
        if done.rowcount != 1:
            raise ApiError(ErrorCode.ACTIVATION_INVALID, "this activation code is unknown, used or expired")
        return view(conn.execute(sa.select(accounts).where(accounts.c.password_hash == password_hash)).one())


def _lock_delay(conn: Connection, failures: int) -> float:
    over = failures - int(rules.get(conn, "accounts.free_failures"))
    if over <= 0:
        return 0.0
    base, cap = float(rules.get(conn, "accounts.lock_base_s")), float(rules.get(conn, "accounts.lock_max_s"))
    return min(cap, base * 2 ** min(over - 1, 30))


def sign_in(engine: Engine, phone: str, password: str, at: float) -> Json:
    """A bearer token for the account, or wrong_password / account_locked (with Retry-After)."""
    with engine.begin() as conn:
        row = conn.execute(sa.select(accounts).where(accounts.c.phone == phone)).first()
    if row is not None and row.locked_until is not None and row.locked_until > at:
        wait = max(1, math.ceil(row.locked_until - at))
        raise ApiError(ErrorCode.ACCOUNT_LOCKED, f"too many wrong passwords; try again in {wait} s",
                       retry_after_s=wait)
    usable = row is not None and row.password_hash is not None and row.disabled_at is None
    matches = crypto.password_matches(row.password_hash if usable and row else _DUMMY_HASH, password)
    if not (usable and matches and row):
        if row is not None:
            _count_failure(engine, row.id, at)
        raise ApiError(ErrorCode.WRONG_PASSWORD, "wrong phone number or password")
    with engine.begin() as conn:
        conn.execute(sa.update(accounts).where(accounts.c.id == row.id).values(failed_sign_ins=0, locked_until=None))
        token = secrets.token_urlsafe(32)
        expires = at + float(rules.get(conn, "accounts.session_hours")) * 3600
        conn.execute(sa.insert(account_sessions).values(
            token_hash=sha256_hex(token.encode()), account_id=row.id, created_at=at, expires_at=expires))
        return {"token": token, "expires_at": expires, "account": view(row)}


def _count_failure(engine: Engine, account_id: str, at: float) -> None:
    """Committed on its own, before the refusal is raised: a failed sign-in must count."""
    with engine.begin() as conn:
        conn.execute(sa.update(accounts).where(accounts.c.id == account_id)
                     .values(failed_sign_ins=accounts.c.failed_sign_ins + 1))
        failures = int(conn.execute(
            sa.select(accounts.c.failed_sign_ins).where(accounts.c.id == account_id)).scalar_one())
        delay = _lock_delay(conn, failures)
        if delay:
            conn.execute(sa.update(accounts).where(accounts.c.id == account_id).values(locked_until=at + delay))


def session_actor(conn: Connection, token: str, at: float) -> Actor:
    row = conn.execute(
        sa.select(accounts)
        .join(account_sessions, account_sessions.c.account_id == accounts.c.id)
        .where(account_sessions.c.token_hash == sha256_hex(token.encode()), account_sessions.c.expires_at > at,
               accounts.c.disabled_at.is_(None))
    ).first()
    if row is None:
        raise ApiError(ErrorCode.NOT_SIGNED_IN, "sign in first (the session is missing or has expired)")
    return actor_of(row)


def sign_out(conn: Connection, token: str) -> None:
    conn.execute(sa.delete(account_sessions).where(account_sessions.c.token_hash == sha256_hex(token.encode())))


def purge_sessions(conn: Connection, at: float) -> None:
    conn.execute(sa.delete(account_sessions).where(account_sessions.c.expires_at < at))


def get(conn: Connection, account_id: str) -> Row[Any]:
    row = conn.execute(sa.select(accounts).where(accounts.c.id == account_id)).first()
    if row is None:
        raise ApiError(ErrorCode.NOT_FOUND, f"no account {account_id!r}")
    return row


def listing(conn: Connection, *, stations: list[str] | None = None, organisation_id: str | None = None) -> list[Json]:
    query = sa.select(accounts).order_by(accounts.c.created_at)
    if stations is not None:
        query = query.where(accounts.c.station_id.in_(stations))
    if organisation_id is not None:
        query = query.where(accounts.c.organisation_id == organisation_id)
    return [view(r) for r in conn.execute(query)]
