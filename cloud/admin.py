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

from cloud import accounts as account_ops
from cloud import crypto, images, jobs, ledger, routing, seedfiles
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

    def seed(self) -> dict[str, int]:
        """Load the demo district (stations, catalogue, images, members, orders); only into an empty
        database. Counts of what was loaded."""
        from cloud.seeding import seed

        self.init()
        with self.engine.begin() as conn:
            if conn.execute(sa.select(sa.func.count()).select_from(stations)).scalar_one():
                raise AdminError("the database already has stations; seed only an empty database")
        return seed(self)

    def add_station(self, station: Json, source: str = "station") -> str:
        """One station (the fields of a stations file entry); its parent must exist already."""
        entry = seedfiles.parse(seedfiles.Station, station, source)
        with self.engine.begin() as conn:
            self._insert_stations(conn, [entry], source)
        return entry.id

    def load_stations(self, data: Json, source: str = "stations file") -> int:
        """Add every station of a stations file (format: cloud/seed/stations.json), parents before their
        children, all or none; the number added."""
        parsed = seedfiles.parse(seedfiles.StationsFile, data, source)
        with self.engine.begin() as conn:
            self._insert_stations(conn, parsed.stations, source)
        return len(parsed.stations)

    def _insert_stations(self, conn: Connection, entries: list[seedfiles.Station], source: str) -> None:
        levels: dict[str, str] = {r.id: r.level for r in conn.execute(sa.select(stations.c.id, stations.c.level))}
        at = time.time()
        for entry in entries:
            key = f"stations[{entry.id}]" if len(entries) > 1 else entry.id
            if entry.id in levels:
                raise AdminError(f"{source}: {key}: station {entry.id!r} exists already")
            allowed = seedfiles.PARENT_LEVELS[entry.level]
            if entry.parent is None and allowed:
                raise AdminError(f"{source}: {key}.parent: a station of level {entry.level!r} needs a parent "
                                 f"({' or '.join(allowed)})")
            if entry.parent is not None:
                if entry.parent not in levels:
                    raise AdminError(f"{source}: {key}.parent: unknown station {entry.parent!r} "
                                     "(a parent comes before its children)")
                if levels[entry.parent] not in allowed:
                    raise AdminError(f"{source}: {key}.parent: a station of level {entry.level!r} cannot be under "
                                     f"{entry.parent!r} of level {levels[entry.parent]!r}")
            conn.execute(sa.insert(stations).values(
                id=entry.id, name=entry.name.model_dump(), hotline=entry.hotline,
                address=entry.address.model_dump(), pickup_location=entry.pickup_location.model_dump(),
                phone_order_url=entry.phone_order_url, parent_id=entry.parent, level=entry.level,
                practice_base=entry.practice_base, created_at=at))
            levels[entry.id] = entry.level

    def station_tree(self) -> list[tuple[int, Json]]:
        """Every station with its depth, each after its parent (中心 → 所 → 站), siblings by id."""
        with self.engine.begin() as conn:
            rows = conn.execute(sa.select(stations.c.id, stations.c.name, stations.c.level, stations.c.parent_id,
                                          stations.c.practice_base).order_by(stations.c.id)).all()
        children: dict[str | None, list[Any]] = {}
        for row in rows:
            children.setdefault(row.parent_id, []).append(row)
        out: list[tuple[int, Json]] = []

        def walk(parent: str | None, depth: int) -> None:
            for row in children.get(parent, []):
                out.append((depth, {"id": row.id, "name": row.name, "level": row.level,
                                    "practice_base": row.practice_base}))
                walk(row.id, depth + 1)

        walk(None, 0)
        return out

    def enrolment_code(self, station_id: str, ttl_s: int | None = None) -> EnrolmentCode:
        with self.engine.begin() as conn:
            code, expires = device_ops.create_enrolment_code(
                conn, station_id, time.time(), ttl_s if ttl_s is not None else self.settings.enrolment_code_ttl_s
            )
        return EnrolmentCode(code, station_id, expires)

    # --- catalogue ----------------------------------------------------------------------------------

    def load_catalogue(self, data: Json, source: str = "catalogue file") -> dict[str, int]:
        """Insert or update everything in a catalogue file (format: cloud/seed/catalogue.json), all or
        nothing; gift images are drawn from each gift's ``tile``. Counts of what was loaded."""
        parsed = seedfiles.parse(seedfiles.CatalogueFile, data, source)
        with self.engine.begin() as conn:
            self._check_references(conn, parsed, source)
            return self._load_catalogue(conn, parsed)

    def _check_references(self, conn: Connection, cat: seedfiles.CatalogueFile, source: str) -> None:
        """Every id a catalogue names exists in the file or the database, so errors name the key."""
        def known(table: sa.Table, listed: list[Any]) -> set[str]:
            return set(conn.execute(sa.select(table.c.id)).scalars()) | {e.id for e in listed}

        station_ids = known(stations, [])
        stocked = {sid for gift in cat.gifts for sid in gift.stock} | set(cat.address_book)
        if stocked - station_ids:
            raise AdminError(f"{source}: names unknown stations {sorted(stocked - station_ids)}; "
                             "add them first (station add, station load)")
        org_ids = known(organisations, cat.organisations)
        for org in cat.organisations:
            if org.station is not None and org.station not in station_ids:
                raise seedfiles.unknown(source, f"organisations[{org.id}].station", "station", org.station)
            if org.parent is not None and org.parent not in org_ids:
                raise seedfiles.unknown(source, f"organisations[{org.id}].parent", "organisation", org.parent)
        category_ids = known(categories, cat.categories)
        for svc in cat.services:
            if svc.category_id not in category_ids:
                raise seedfiles.unknown(source, f"services[{svc.id}].category_id", "category", svc.category_id)
            if svc.provider not in org_ids:
                raise seedfiles.unknown(source, f"services[{svc.id}].provider", "organisation", svc.provider)
        gift_category_ids = known(gift_categories, cat.gift_categories)
        service_ids = known(services, cat.services)
        for gift in cat.gifts:
            if gift.category_id not in gift_category_ids:
                raise seedfiles.unknown(source, f"gifts[{gift.id}].category_id", "gift category", gift.category_id)
            if gift.service_id is not None and gift.service_id not in service_ids:
                raise seedfiles.unknown(source, f"gifts[{gift.id}].service_id", "service", gift.service_id)

    def _load_catalogue(self, conn: Connection, cat: seedfiles.CatalogueFile) -> dict[str, int]:
        # Organisations first without their parent team link, so a team may be listed before its organisation.
        for org in cat.organisations:
            _upsert(conn, organisations, {"id": org.id}, {"name": org.name.model_dump(), "station_id": org.station})
        for org in cat.organisations:
            conn.execute(sa.update(organisations).where(organisations.c.id == org.id).values(parent_id=org.parent))
        for category in cat.categories:
            _upsert(conn, categories, {"id": category.id},
                    {"name": category.name.model_dump(), "icon": category.icon or category.id, "sort": category.sort})
        for sort, svc in enumerate(cat.services, start=1):
            _upsert(conn, services, {"id": svc.id},
                    {"category_id": svc.category_id, "name": svc.name.model_dump(),
                     "description": svc.description.model_dump(), "provider_id": svc.provider,
                     "location": svc.location, "sort": sort, "active": True})
        for gift_category in cat.gift_categories:
            _upsert(conn, gift_categories, {"id": gift_category.id},
                    {"name": gift_category.name.model_dump(), "sort": gift_category.sort})
        for sort, gift in enumerate(cat.gifts, start=1):
            self._load_gift(conn, gift, sort)
        for station_id, entries in cat.address_book.items():
            for sort, entry in enumerate(entries, start=1):
                _upsert(conn, address_book, {"station_id": station_id, "building": entry.building},
                        {"units": list(entry.units), "sort": sort})
        for kind, tags in cat.quick_tags.items():
            for sort, tag in enumerate(tags, start=1):
                _upsert(conn, quick_tags, {"kind": kind, "id": tag.id}, {"name": tag.name.model_dump(), "sort": sort})
        return {"organisations": len(cat.organisations), "categories": len(cat.categories),
                "services": len(cat.services), "gifts": len(cat.gifts)}

    def _load_gift(self, conn: Connection, gift: seedfiles.Gift, sort: int) -> None:
        tile = gift.tile
        png = images.gift_tile(tile.emblem, tile.caption_zh, tile.caption_en, tile.colour)
        image = f"{gift.id}.png"
        _upsert(conn, images_table, {"name": image}, {"data": png, "etag": images.etag(png)})
        _upsert(conn, gifts, {"id": gift.id},
                {"category_id": gift.category_id, "name": gift.name.model_dump(),
                 "description": gift.description.model_dump(), "points": gift.points,
                 "per_person_limit": gift.per_person_limit, "voucher_valid_days": gift.voucher_valid_days,
                 "image": image, "sort": sort, "active": True, "fulfilment": gift.fulfilment,
                 "service_id": gift.service_id})
        for station_id, stock in gift.stock.items():
            _upsert(conn, gift_stock, {"station_id": station_id, "gift_id": gift.id}, {"stock": stock})

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
