"""The platform side, in Python: stations, enrolment codes, catalogue, members, orders, devices,
remote config and signing keys. The CLI (``kiosk-cloud``) is a thin layer over this class; the demo
and the tests call it directly."""

from __future__ import annotations

import math
import re
import secrets
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from cloud import accounts as account_ops
from cloud import crypto, images, jobs, ledger, routing
from cloud import devices as device_ops
from cloud import members as member_ops
from cloud import orders as order_ops
from cloud import rules as rule_ops
from cloud.db import (
    address_book,
    categories,
    devices,
    gift_categories,
    gift_stock,
    gifts,
    init_schema,
    make_engine,
    members,
    organisations,
    quick_tags,
    redemption_conflicts,
    services,
    stations,
)
from cloud.db import images as images_table
from cloud.errors import AdminError, ApiError, ErrorCode
from cloud.settings import Settings

Json = dict[str, Any]
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,63}$")


@dataclass(frozen=True)
class EnrolmentCode:
    code: str
    station_id: str
    expires_at: float

    def qr_text(self, base_url: str) -> str:
        return f"SKE1:{base_url.rstrip('/')}:{self.code}"


def _upsert(conn: Connection, table: sa.Table, key: Json, values: Json) -> None:
    where = [table.c[k] == v for k, v in key.items()]
    if conn.execute(sa.update(table).where(*where).values(**values)).rowcount == 0:
        conn.execute(sa.insert(table).values(**key, **values))


def _text(value: Any, field: str) -> dict[str, str]:
    if not (isinstance(value, dict) and isinstance(value.get("zh_CN"), str) and isinstance(value.get("en"), str)):
        raise AdminError(f"{field}: expected {{\"zh_CN\": \"…\", \"en\": \"…\"}}")
    return {"zh_CN": value["zh_CN"], "en": value["en"]}


class Admin:
    def __init__(self, engine: Engine | str | Path, settings: Settings | None = None) -> None:
        self.engine = engine if isinstance(engine, Engine) else make_engine(engine)
        self.settings = settings or Settings()

    # --- set-up -------------------------------------------------------------------------------------

    def init(self) -> None:
        """Create the tables (idempotent) and a first signing key."""
        init_schema(self.engine)
        with self.engine.begin() as conn:
            member_ops.ensure_key(conn, time.time())

    def seed(self) -> None:
        """Load the demo district (stations, catalogue, images, members, orders); only into an empty
        database."""
        from cloud.seeding import seed

        self.init()
        with self.engine.begin() as conn:
            if conn.execute(sa.select(sa.func.count()).select_from(stations)).scalar_one():
                raise AdminError("the database already has stations; seed only an empty database")
        seed(self)

    def add_station(self, station: Json) -> str:
        sid = station["id"]
        if not _ID.fullmatch(sid):
            raise AdminError(f"station id {sid!r}: use lower-case letters, digits, '-' or '_'")
        values = {
            "name": _text(station["name"], "name"),
            "hotline": station.get("hotline", ""),
            "address": _text(station["address"], "address"),
            "pickup_location": _text(station["pickup_location"], "pickup_location"),
            "phone_order_url": station.get("phone_order_url", ""),
        }
        with self.engine.begin() as conn:
            if conn.execute(sa.select(stations.c.id).where(stations.c.id == sid)).first():
                raise AdminError(f"station {sid!r} exists already")
            conn.execute(sa.insert(stations).values(id=sid, created_at=time.time(), **values))
        return str(sid)

    def enrolment_code(self, station_id: str, ttl_s: int | None = None) -> EnrolmentCode:
        with self.engine.begin() as conn:
            code, expires = device_ops.create_enrolment_code(
                conn, station_id, time.time(), ttl_s if ttl_s is not None else self.settings.enrolment_code_ttl_s
            )
        return EnrolmentCode(code, station_id, expires)

    # --- catalogue ----------------------------------------------------------------------------------

    def load_catalogue(self, data: Json) -> dict[str, int]:
        """Insert or update everything in a catalogue file (format: cloud/seed/catalogue.json); gift
        images are drawn from each gift's ``tile``. Counts of what was loaded."""
        try:
            with self.engine.begin() as conn:
                return self._load_catalogue(conn, data)
        except (KeyError, TypeError, ValueError) as exc:
            raise AdminError(f"catalogue file: missing or malformed field {exc}") from None
        except IntegrityError as exc:
            raise AdminError(f"catalogue file refers to something unknown: {exc.orig}") from None

    def _load_catalogue(self, conn: Connection, data: Json) -> dict[str, int]:
        known_stations = set(conn.execute(sa.select(stations.c.id)).scalars())
        referenced = set(data.get("address_book", {})) | {
            sid for gift in data.get("gifts", []) for sid in gift.get("stock", {})}
        if referenced - known_stations:
            raise AdminError(f"catalogue file names unknown stations {sorted(referenced - known_stations)}; "
                             "add them first (station add)")
        for org in data.get("organisations", []):
            _upsert(conn, organisations, {"id": org["id"]}, {"name": _text(org["name"], f"{org['id']}.name")})
        for cat in data.get("categories", []):
            _upsert(conn, categories, {"id": cat["id"]},
                    {"name": _text(cat["name"], f"{cat['id']}.name"), "icon": cat.get("icon", cat["id"]),
                     "sort": cat["sort"]})
        for sort, svc in enumerate(data.get("services", []), start=1):
            if svc.get("location") not in ("home", "station"):
                raise AdminError(f"service {svc['id']}: location must be home or station")
            _upsert(conn, services, {"id": svc["id"]},
                    {"category_id": svc["category_id"], "name": _text(svc["name"], f"{svc['id']}.name"),
                     "description": _text(svc["description"], f"{svc['id']}.description"),
                     "provider_id": svc["provider"], "location": svc["location"], "sort": sort, "active": True})
        for cat in data.get("gift_categories", []):
            _upsert(conn, gift_categories, {"id": cat["id"]},
                    {"name": _text(cat["name"], f"{cat['id']}.name"), "sort": cat["sort"]})
        for sort, gift in enumerate(data.get("gifts", []), start=1):
            self._load_gift(conn, gift, sort)
        for station_id, entries in data.get("address_book", {}).items():
            for sort, entry in enumerate(entries, start=1):
                _upsert(conn, address_book, {"station_id": station_id, "building": entry["building"]},
                        {"units": list(entry["units"]), "sort": sort})
        for kind, tags in data.get("quick_tags", {}).items():
            for sort, tag in enumerate(tags, start=1):
                _upsert(conn, quick_tags, {"kind": kind, "id": tag["id"]},
                        {"name": _text(tag["name"], f"{tag['id']}.name"), "sort": sort})
        return {k: len(data.get(k, [])) for k in ("organisations", "categories", "services", "gifts")}

    def _load_gift(self, conn: Connection, gift: Json, sort: int) -> None:
        if int(gift["points"]) <= 0:
            raise AdminError(f"gift {gift['id']}: points must be positive")
        tile = gift["tile"]
        png = images.gift_tile(tile["emblem"], tile["caption_zh"], tile["caption_en"], tile["colour"])
        image = f"{gift['id']}.png"
        _upsert(conn, images_table, {"name": image}, {"data": png, "etag": images.etag(png)})
        _upsert(conn, gifts, {"id": gift["id"]},
                {"category_id": gift["category_id"], "name": _text(gift["name"], f"{gift['id']}.name"),
                 "description": _text(gift["description"], f"{gift['id']}.description"),
                 "points": int(gift["points"]), "per_person_limit": gift.get("per_person_limit"),
                 "voucher_valid_days": int(gift["voucher_valid_days"]), "image": image, "sort": sort,
                 "active": True, "service_id": gift.get("service_id")})
        for station_id, stock in gift.get("stock", {}).items():
            if int(stock) < 0:
                raise AdminError(f"gift {gift['id']}: stock at {station_id} must not be negative")
            _upsert(conn, gift_stock, {"station_id": station_id, "gift_id": gift["id"]}, {"stock": int(stock)})

    # --- members ------------------------------------------------------------------------------------

    def _member(self, conn: Connection, ref: str) -> sa.Row[Any]:
        try:
            return member_ops.find_member(conn, ref)
        except ApiError:
            raise AdminError(f"no member {ref!r}") from None

    def add_member(self, member_no: str, name: str, *, name_en: str = "", phone: str = "", points: int = 0) -> str:
        if not re.fullmatch(r"[0-9A-Za-z]{4,32}", member_no):
            raise AdminError("member number: 4–32 letters or digits")
        if points < 0:
            raise AdminError("points must not be negative")
        member_id = f"m_{secrets.token_hex(6)}"
        at = time.time()
        with self.engine.begin() as conn:
            if conn.execute(sa.select(members.c.id).where(members.c.member_no == member_no)).first():
                raise AdminError(f"member number {member_no} is taken")
            conn.execute(sa.insert(members).values(
                id=member_id, member_no=member_no, name=name, name_en=name_en, phone=phone, created_at=at))
            if points:
                ledger.credit(conn, member_id, points, ledger.OPENING, at=at)
        return member_id

    def set_hours(self, member: str, kind: str, hours: float) -> None:
        """Bring the member's hours of ``kind`` to ``hours`` with one adjustment row in the hours ledger."""
        if kind not in member_ops.HOUR_LABELS:
            raise AdminError(f"hours kind must be one of {sorted(member_ops.HOUR_LABELS)}")
        if not (math.isfinite(hours) and hours >= 0):
            raise AdminError("hours must be a non-negative number")
        with self.engine.begin() as conn:
            mid = self._member(conn, member).id
            change = hours - ledger.hours(conn, mid).get(kind, 0.0)
            if change:
                ledger.post_hours(conn, mid, kind, change, ledger.ADJUSTMENT, at=time.time(),
                                  note="set by the operator")

    def add_points(self, member: str, delta: int, reason: str = "platform adjustment") -> int:
        """Credit (or, negative, debit) points; a debit never takes the balance below zero. The new balance."""
        with self.engine.begin() as conn:
            mid = self._member(conn, member).id
            try:
                return ledger.adjust(conn, mid, delta, note=reason, actor=None, at=time.time())
            except ApiError as exc:
                raise AdminError("the balance cannot go below zero" if exc.code is ErrorCode.INSUFFICIENT_POINTS
                                 else exc.message) from None

    def set_expiring(self, member: str, points: int, on: date) -> None:
        """Make ``points`` of the member's balance expire on ``on`` (recorded in the ledger)."""
        with self.engine.begin() as conn:
            mid = self._member(conn, member).id
            try:
                ledger.redate(conn, mid, points, on, at=time.time())
            except ApiError as exc:
                raise AdminError(exc.message) from None

    def set_card_pin(self, member: str, pin: str) -> None:
        if not re.fullmatch(r"\d{4,8}", pin):
            raise AdminError("a PIN is 4–8 digits")
        pin_hash = crypto.hash_pin(pin)
        with self.engine.begin() as conn:
            member_ops.issue_card(conn, self._member(conn, member).id, pin_hash)

    def member_token(self, member: str, *, issued_at: float | None = None, lifetime_s: int | None = None) -> str:
        """A fresh SKM1 token, as the volunteers' phone app would show it."""
        iat = int(issued_at if issued_at is not None else time.time())
        with self.engine.begin() as conn:
            mid = self._member(conn, member).id
            return member_ops.issue_token(conn, mid, iat, lifetime_s or self.settings.token_max_lifetime_s)

    def member_info(self, member: str) -> Json:
        with self.engine.begin() as conn:
            row = self._member(conn, member)
            return {"name": row.name, **member_ops.summary(conn, row, time.time(), 5)}

    def rotate_keys(self) -> str:
        with self.engine.begin() as conn:
            return member_ops.rotate_keys(conn, time.time(), self.settings.key_rotation_grace_s)

    def signing_keys(self) -> list[Json]:
        with self.engine.begin() as conn:
            return [{"kid": r.kid, "public_key": r.public_key, "created_at": r.created_at, "not_after": r.not_after}
                    for r in member_ops.published_keys(conn, time.time())]

    # --- orders -------------------------------------------------------------------------------------

    def orders(self, status: str | None = None) -> list[Json]:
        if status is not None and status not in order_ops.STATUSES:
            raise AdminError(f"status must be one of {', '.join(order_ops.STATUSES)}")
        with self.engine.begin() as conn:
            return order_ops.listing(conn, status)

    def advance_order(self, code: str, to: str, by: str | None = None) -> Json:
        if to not in order_ops.STATUSES:
            raise AdminError(f"status must be one of {', '.join(order_ops.STATUSES)}")
        with self.engine.begin() as conn:
            return order_ops.advance(conn, code, to, by, time.time())

    # --- the platform: people, rules, jobs -----------------------------------------------------------

    def invite(self, phone: str, name: str, role: str = "admin", *, station_id: str | None = None,
               organisation_id: str | None = None, member_no: str | None = None) -> tuple[Json, str]:
        """An invited account and its one-time activation code (the operator invites the first
        administrator this way; administrators invite everyone else through the API)."""
        with self.engine.begin() as conn:
            try:
                return account_ops.invite(conn, phone=phone, name=name, role=role, station_id=station_id,
                                          organisation_id=organisation_id, member_no=member_no, by=None,
                                          at=time.time())
            except ApiError as exc:
                raise AdminError(exc.message) from None

    def run_jobs(self, at: float | None = None) -> Json:
        """Escalate overdue orders, expire points and unclaimed vouchers (idempotent)."""
        with self.engine.begin() as conn:
            return jobs.run_due(conn, time.time() if at is None else at)

    def rules(self) -> list[Json]:
        with self.engine.begin() as conn:
            return rule_ops.listing(conn)

    def set_rule(self, name: str, value: Any) -> Any:
        with self.engine.begin() as conn:
            try:
                return rule_ops.put(conn, name, value, by=None, at=time.time())
            except ApiError as exc:
                raise AdminError(exc.message) from None

    def set_routing(self, station_id: str | None, category_id: str | None, route: str,
                    organisation_id: str | None = None, accept_minutes: int | None = None) -> Json:
        with self.engine.begin() as conn:
            try:
                return routing.set_rule(conn, station_id=station_id, category_id=category_id, route=route,
                                        organisation_id=organisation_id, accept_minutes=accept_minutes)
            except ApiError as exc:
                raise AdminError(exc.message) from None

    # --- devices ------------------------------------------------------------------------------------

    def devices(self) -> list[Json]:
        with self.engine.begin() as conn:
            rows = conn.execute(sa.select(devices).order_by(devices.c.enrolled_at)).all()
        return [
            {"id": r.id, "station_id": r.station_id, "name": r.name, "role": r.role, "app_version": r.app_version,
             "enrolled_at": r.enrolled_at, "last_seen_at": r.last_seen_at, "revoked": r.revoked_at is not None,
             "config_version": r.config_version, "health": r.health, "health_at": r.health_at}
            for r in rows
        ]

    def revoke_device(self, device_id: str) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(
                sa.update(devices).where(devices.c.id == device_id, devices.c.revoked_at.is_(None))
                .values(revoked_at=time.time())
            )
            if done.rowcount != 1:
                exists = conn.execute(sa.select(devices.c.id).where(devices.c.id == device_id)).first()
                raise AdminError(f"device {device_id} is already revoked" if exists else f"no device {device_id!r}")

    def set_config(self, device_id: str, values: Json) -> int:
        """Set (or, with None, remove) remote config values of a device; the new config version."""
        with self.engine.begin() as conn:
            return device_ops.set_config(conn, device_id, values)

    def conflicts(self) -> list[Json]:
        with self.engine.begin() as conn:
            rows = conn.execute(sa.select(redemption_conflicts).order_by(redemption_conflicts.c.id)).all()
        return [
            {"id": r.id, "device_id": r.device_id, "member_id": r.member_id, "reason": r.reason, "detail": r.detail,
             "items": r.items, "redeemed_at": r.redeemed_at, "resolved": r.resolved_at is not None}
            for r in rows
        ]

    def stock(self, station_id: str, gift_id: str) -> int:
        with self.engine.begin() as conn:
            value = conn.execute(sa.select(gift_stock.c.stock).where(
                gift_stock.c.station_id == station_id, gift_stock.c.gift_id == gift_id)).scalar()
        return int(value or 0)

    def points(self, member: str) -> int:
        with self.engine.begin() as conn:
            return ledger.balance(conn, self._member(conn, member).id)
