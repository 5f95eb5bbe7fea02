"""Schema and engine. Portable SQL only (SQLite by default, PostgreSQL in production): balances, stock
and counters change through conditional UPDATEs whose row count is checked, inside one transaction."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

SCHEMA_VERSION = 2

metadata = sa.MetaData()


def _time(name: str, nullable: bool = False) -> sa.Column[Any]:
    # Unix seconds; Double so PostgreSQL keeps sub-second precision.
    return sa.Column(name, sa.Double, nullable=nullable)


meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

stations = sa.Table(
    "stations", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.JSON, nullable=False),
    sa.Column("hotline", sa.String(32), nullable=False, server_default=""),
    sa.Column("address", sa.JSON, nullable=False),
    sa.Column("pickup_location", sa.JSON, nullable=False),
    sa.Column("phone_order_url", sa.Text, nullable=False, server_default=""),
    _time("created_at"),
    # The hierarchy 中心 → 所 (街道/镇) → 站 (社区/村): reports roll up along it.
    sa.Column("parent_id", sa.String(64), sa.ForeignKey("stations.id"), nullable=True),
    sa.Column("level", sa.String(16), nullable=True),
)

organisations = sa.Table(
    "organisations", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.JSON, nullable=False),
)

categories = sa.Table(
    "categories", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.JSON, nullable=False),
    sa.Column("icon", sa.String(64), nullable=False),
    sa.Column("sort", sa.Integer, nullable=False),
)

services = sa.Table(
    "services", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("category_id", sa.String(64), sa.ForeignKey("categories.id"), nullable=False),
    sa.Column("name", sa.JSON, nullable=False),
    sa.Column("description", sa.JSON, nullable=False),
    sa.Column("provider_id", sa.String(64), sa.ForeignKey("organisations.id"), nullable=False),
    sa.Column("location", sa.String(16), nullable=False),
    sa.Column("sort", sa.Integer, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.CheckConstraint("location IN ('home', 'station')", name="service_location"),
)

gift_categories = sa.Table(
    "gift_categories", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.JSON, nullable=False),
    sa.Column("sort", sa.Integer, nullable=False),
)

gifts = sa.Table(
    "gifts", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("category_id", sa.String(64), sa.ForeignKey("gift_categories.id"), nullable=False),
    sa.Column("name", sa.JSON, nullable=False),
    sa.Column("description", sa.JSON, nullable=False),
    sa.Column("points", sa.Integer, nullable=False),
    sa.Column("per_person_limit", sa.Integer, nullable=True),
    sa.Column("voucher_valid_days", sa.Integer, nullable=False),
    sa.Column("image", sa.String(128), nullable=False),
    sa.Column("sort", sa.Integer, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    # A gift that is a service (家电维修 …): redeeming it orders this service for the volunteer.
    sa.Column("service_id", sa.String(64), sa.ForeignKey("services.id"), nullable=True),
    sa.CheckConstraint("points > 0", name="gift_points_positive"),
)

gift_stock = sa.Table(
    "gift_stock", metadata,
    sa.Column("station_id", sa.String(64), sa.ForeignKey("stations.id"), primary_key=True),
    sa.Column("gift_id", sa.String(64), sa.ForeignKey("gifts.id"), primary_key=True),
    sa.Column("stock", sa.Integer, nullable=False),
    sa.CheckConstraint("stock >= 0", name="stock_not_negative"),
)

images = sa.Table(
    "images", metadata,
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("etag", sa.String(80), nullable=False),
)

address_book = sa.Table(
    "address_book", metadata,
    sa.Column("station_id", sa.String(64), sa.ForeignKey("stations.id"), primary_key=True),
    sa.Column("building", sa.String(64), primary_key=True),
    sa.Column("units", sa.JSON, nullable=False),
    sa.Column("sort", sa.Integer, nullable=False),
)

quick_tags = sa.Table(
    "quick_tags", metadata,
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.JSON, nullable=False),
    sa.Column("sort", sa.Integer, nullable=False),
    sa.CheckConstraint("kind IN ('order', 'rating')", name="tag_kind"),
)

enrolment_codes = sa.Table(
    "enrolment_codes", metadata,
    sa.Column("code", sa.String(16), primary_key=True),
    sa.Column("station_id", sa.String(64), sa.ForeignKey("stations.id"), nullable=False),
    _time("created_at"),
    _time("expires_at"),
    _time("used_at", nullable=True),
    sa.Column("device_id", sa.String(64), nullable=True),
)

devices = sa.Table(
    "devices", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("station_id", sa.String(64), sa.ForeignKey("stations.id"), nullable=False),
    sa.Column("name", sa.String(128), nullable=False),
    # HMAC needs the secret itself; protect the database as you would a key store.
    sa.Column("secret", sa.String(64), nullable=False),
    sa.Column("app_version", sa.String(32), nullable=False),
    sa.Column("role", sa.String(32), nullable=True),
    _time("enrolled_at"),
    _time("last_seen_at", nullable=True),
    _time("revoked_at", nullable=True),
    sa.Column("config_version", sa.Integer, nullable=False, server_default="0"),
    sa.Column("catalogue_version", sa.String(64), nullable=True),
    sa.Column("health", sa.JSON, nullable=True),
    _time("health_at", nullable=True),
)

request_nonces = sa.Table(
    "request_nonces", metadata,
    sa.Column("device_id", sa.String(64), primary_key=True),
    sa.Column("nonce", sa.String(32), primary_key=True),
    _time("expires_at"),
    sa.Index("ix_request_nonces_expires", "expires_at"),
)

device_config = sa.Table(
    "device_config", metadata,
    sa.Column("device_id", sa.String(64), sa.ForeignKey("devices.id"), primary_key=True),
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("value", sa.JSON, nullable=False),
)

idempotency = sa.Table(
    "idempotency", metadata,
    sa.Column("device_id", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("endpoint", sa.String(128), nullable=False),
    sa.Column("body_hash", sa.String(64), nullable=False),
    sa.Column("response", sa.JSON, nullable=False),
    _time("created_at"),
)

rate_windows = sa.Table(
    "rate_windows", metadata,
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("window_start", sa.BigInteger, primary_key=True),
    sa.Column("hits", sa.Integer, nullable=False),
)

counters = sa.Table(
    "counters", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)

members = sa.Table(
    "members", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("member_no", sa.String(32), nullable=False, unique=True),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("name_en", sa.String(128), nullable=False, server_default=""),
    sa.Column("phone", sa.String(20), nullable=False, server_default=""),
    sa.Column("pin_hash", sa.Text, nullable=True),
    # Where a service gift is delivered ({"building", "unit", "room", "text"}); set by the volunteer.
    sa.Column("address", sa.JSON, nullable=True),
    # Bumped to revoke every printed card of the member (the card reads SKC1.<member_no>).
    _time("card_revoked_at", nullable=True),
    _time("created_at"),
)

# Append-only: balances and hours are sums of these rows, never stored elsewhere. Every row names its
# cause (``reason`` + ``ref``: an order, a redemption, an expiry, an adjustment) and who made it.
points_ledger = sa.Table(
    "points_ledger", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("member_id", sa.String(64), sa.ForeignKey("members.id"), nullable=False, index=True),
    sa.Column("delta", sa.Integer, nullable=False),
    sa.Column("balance_after", sa.Integer, nullable=False),
    sa.Column("reason", sa.String(32), nullable=False),
    sa.Column("ref", sa.String(64), nullable=True),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("actor", sa.String(64), nullable=True),
    # Credits only: the station-local day after which what is left of this credit expires.
    sa.Column("expires_on", sa.String(10), nullable=True),
    _time("at"),
    sa.CheckConstraint("balance_after >= 0", name="balance_not_negative"),
    # One service credit per member and order: completion sent twice credits once.
    sa.Index("ux_points_ledger_service", "member_id", "reason", "ref", unique=True,
             sqlite_where=sa.text("reason = 'service'"), postgresql_where=sa.text("reason = 'service'")),
)

hours_ledger = sa.Table(
    "hours_ledger", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("member_id", sa.String(64), sa.ForeignKey("members.id"), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("hours", sa.Double, nullable=False),
    sa.Column("reason", sa.String(32), nullable=False),
    sa.Column("ref", sa.String(64), nullable=True),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("actor", sa.String(64), nullable=True),
    _time("at"),
    sa.CheckConstraint("kind IN ('credit', 'honour')", name="hours_kind"),
    sa.Index("ux_hours_ledger_service", "member_id", "kind", "reason", "ref", unique=True,
             sqlite_where=sa.text("reason = 'service'"), postgresql_where=sa.text("reason = 'service'")),
)

signing_keys = sa.Table(
    "signing_keys", metadata,
    sa.Column("kid", sa.String(16), primary_key=True),
    sa.Column("seq", sa.Integer, nullable=False, unique=True),
    sa.Column("private_key", sa.String(64), nullable=False),
    sa.Column("public_key", sa.String(64), nullable=False),
    _time("created_at"),
    _time("not_after", nullable=True),
)

token_nonces = sa.Table(
    "token_nonces", metadata,
    sa.Column("member_id", sa.String(64), primary_key=True),
    sa.Column("nonce", sa.String(16), primary_key=True),
    _time("expires_at"),
    sa.Index("ix_token_nonces_expires", "expires_at"),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("member_id", sa.String(64), sa.ForeignKey("members.id"), nullable=False),
    sa.Column("device_id", sa.String(64), sa.ForeignKey("devices.id"), nullable=False),
    _time("created_at"),
    _time("expires_at"),
)

redemptions = sa.Table(
    "redemptions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("redemption_no", sa.String(32), nullable=False, unique=True),
    sa.Column("member_id", sa.String(64), sa.ForeignKey("members.id"), nullable=False),
    sa.Column("device_id", sa.String(64), nullable=True),
    sa.Column("station_id", sa.String(64), sa.ForeignKey("stations.id"), nullable=False),
    sa.Column("pickup_code", sa.String(8), nullable=False, unique=True),
    sa.Column("points_total", sa.Integer, nullable=False),
    sa.Column("balance_before", sa.Integer, nullable=False),
    sa.Column("balance_after", sa.Integer, nullable=False),
    sa.Column("valid_until_date", sa.String(10), nullable=False),
    sa.Column("offline", sa.Boolean, nullable=False, server_default=sa.false()),
    _time("created_at"),
    # Pickup (核销): set once by a conditional UPDATE; an unclaimed voucher expires by policy instead.
    _time("verified_at", nullable=True),
    sa.Column("verified_by", sa.String(64), nullable=True),
    _time("expired_at", nullable=True),
)

redemption_items = sa.Table(
    "redemption_items", metadata,
    sa.Column("redemption_id", sa.Integer, sa.ForeignKey("redemptions.id"), primary_key=True),
    sa.Column("gift_id", sa.String(64), sa.ForeignKey("gifts.id"), primary_key=True),
    sa.Column("name", sa.JSON, nullable=False),
    sa.Column("qty", sa.Integer, nullable=False),
    sa.Column("points", sa.Integer, nullable=False),
)

member_gift_counts = sa.Table(
    "member_gift_counts", metadata,
    sa.Column("member_id", sa.String(64), sa.ForeignKey("members.id"), primary_key=True),
    sa.Column("gift_id", sa.String(64), sa.ForeignKey("gifts.id"), primary_key=True),
    sa.Column("qty", sa.Integer, nullable=False),
)

redemption_conflicts = sa.Table(
    "redemption_conflicts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("device_id", sa.String(64), nullable=False),
    sa.Column("member_id", sa.String(64), nullable=True),
    sa.Column("reason", sa.String(32), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("token", sa.Text, nullable=False),
    sa.Column("items", sa.JSON, nullable=False),
    _time("redeemed_at"),
    _time("created_at"),
    _time("resolved_at", nullable=True),
)

orders = sa.Table(
    "orders", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("order_code", sa.String(32), nullable=False, unique=True),
    # Made offline by kiosks, so not globally unique: lookups also match the phone's last four digits.
    sa.Column("client_code", sa.String(16), nullable=False, index=True),
    sa.Column("device_id", sa.String(64), nullable=True),
    sa.Column("station_id", sa.String(64), sa.ForeignKey("stations.id"), nullable=False),
    sa.Column("service_id", sa.String(64), sa.ForeignKey("services.id"), nullable=False),
    sa.Column("contact", sa.JSON, nullable=False),
    sa.Column("contact_last4", sa.String(4), nullable=False),
    sa.Column("beneficiary", sa.JSON, nullable=True),
    sa.Column("beneficiary_last4", sa.String(4), nullable=True),
    sa.Column("address", sa.JSON, nullable=False),
    sa.Column("time_slot", sa.JSON, nullable=False),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("organisation_id", sa.String(64), sa.ForeignKey("organisations.id"), nullable=True),
    _time("client_created_at"),
    _time("created_at"),
    # Dispatch: who receives the order (station staff, an organisation, or the station's volunteer pool)
    # and by when someone must accept it before it is escalated.
    sa.Column("route", sa.String(16), nullable=False, server_default="station"),
    _time("accept_by", nullable=True),
    _time("escalated_at", nullable=True),
    _time("accepted_at", nullable=True),
    _time("checked_in_at", nullable=True),
    _time("checked_out_at", nullable=True),
    _time("completed_at", nullable=True),
    sa.Column("cancel_reason", sa.Text, nullable=True),
    # A service gift's order names its redemption.
    sa.Column("redemption_no", sa.String(32), nullable=True),
    sa.CheckConstraint("route IN ('station', 'organisation', 'pool')", name="order_route"),
)

order_events = sa.Table(
    "order_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), nullable=False, index=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("organisation_id", sa.String(64), sa.ForeignKey("organisations.id"), nullable=True),
    _time("at"),
    # The account that made the step (None: a kiosk, the operator's CLI or a scheduled job).
    sa.Column("actor", sa.String(64), nullable=True),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
)

ratings = sa.Table(
    "ratings", metadata,
    sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), primary_key=True),
    sa.Column("stars", sa.Integer, nullable=False),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("device_id", sa.String(64), nullable=True),
    _time("at"),
    sa.CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
)


# --- the platform: people, dispatch, tasks ---------------------------------------------------------

accounts = sa.Table(
    "accounts", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("phone", sa.String(20), nullable=False, unique=True),
    sa.Column("name", sa.String(64), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    # The scope: a staff account's station, a leader's (or volunteer's) organisation, a volunteer's member.
    sa.Column("station_id", sa.String(64), sa.ForeignKey("stations.id"), nullable=True),
    sa.Column("organisation_id", sa.String(64), sa.ForeignKey("organisations.id"), nullable=True),
    sa.Column("member_id", sa.String(64), sa.ForeignKey("members.id"), nullable=True, unique=True),
    sa.Column("password_hash", sa.Text, nullable=True),
    # Invitation: the SHA-256 of a one-time activation code, cleared when the account is activated.
    sa.Column("activation_hash", sa.String(64), nullable=True, unique=True),
    _time("activation_expires_at", nullable=True),
    sa.Column("failed_sign_ins", sa.Integer, nullable=False, server_default="0"),
    _time("locked_until", nullable=True),
    _time("disabled_at", nullable=True),
    sa.Column("invited_by", sa.String(64), nullable=True),
    _time("created_at"),
    sa.CheckConstraint("role IN ('admin', 'staff', 'leader', 'volunteer')", name="account_role"),
)

account_sessions = sa.Table(
    "account_sessions", metadata,
    # SHA-256 of the bearer token: a stolen database does not hand out sessions.
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("account_id", sa.String(64), sa.ForeignKey("accounts.id"), nullable=False, index=True),
    _time("created_at"),
    _time("expires_at"),
)

routing_rules = sa.Table(
    "routing_rules", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # NULL matches every station / category; the most specific rule wins.
    sa.Column("station_id", sa.String(64), sa.ForeignKey("stations.id"), nullable=True),
    sa.Column("category_id", sa.String(64), sa.ForeignKey("categories.id"), nullable=True),
    sa.Column("route", sa.String(16), nullable=False),
    sa.Column("organisation_id", sa.String(64), sa.ForeignKey("organisations.id"), nullable=True),
    sa.Column("accept_minutes", sa.Integer, nullable=True),
    sa.UniqueConstraint("station_id", "category_id", name="routing_rule_scope"),
    sa.CheckConstraint("route IN ('station', 'organisation', 'pool')", name="routing_rule_route"),
    sa.CheckConstraint("(route = 'organisation') = (organisation_id IS NOT NULL)", name="routing_rule_org"),
)

order_participants = sa.Table(
    "order_participants", metadata,
    sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id"), primary_key=True),
    sa.Column("account_id", sa.String(64), sa.ForeignKey("accounts.id"), primary_key=True),
    # Set at check-out: who actually took part (those assigned but absent stay False).
    sa.Column("present", sa.Boolean, nullable=True),
    _time("added_at"),
)

platform_rules = sa.Table(
    "platform_rules", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.JSON, nullable=False),
    _time("changed_at"),
    sa.Column("changed_by", sa.String(64), nullable=True),
)


def database_url(value: str | Path) -> str:
    """A SQLAlchemy URL; a bare file path means a SQLite file."""
    text = str(value)
    return text if "://" in text else f"sqlite:///{Path(text).resolve()}"


def make_engine(url: str | Path) -> Engine:
    url = database_url(url)
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below) so that SAVEPOINTs work and writers queue on the lock.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes
        # fails with SQLITE_BUSY instead of waiting when another writer got there first.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def init_schema(engine: Engine) -> None:
    metadata.create_all(engine)
    with engine.begin() as conn:
        row = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).first()
        if row is None:
            conn.execute(sa.insert(meta).values(key="schema_version", value=str(SCHEMA_VERSION)))
        elif int(row.value) != SCHEMA_VERSION:
            raise RuntimeError(
                f"database schema version {row.value} is not the supported version {SCHEMA_VERSION}"
            )


@contextmanager
def savepoint(conn: Connection) -> Iterator[None]:
    """A nested transaction, so one failed INSERT does not abort the whole (PostgreSQL) transaction."""
    with conn.begin_nested():
        yield


def try_insert(conn: Connection, table: sa.Table, values: dict[str, Any]) -> bool:
    """INSERT unless the key exists; False when it did. Portable stand-in for ON CONFLICT DO NOTHING."""
    try:
        with savepoint(conn):
            conn.execute(sa.insert(table).values(**values))
    except IntegrityError:
        return False
    return True


def next_counter(conn: Connection, name: str) -> int:
    """Atomically increment and return a named counter (row-locked on PostgreSQL, serialised on SQLite)."""
    bumped = conn.execute(sa.update(counters).where(counters.c.name == name).values(value=counters.c.value + 1))
    if bumped.rowcount == 0 and not try_insert(conn, counters, {"name": name, "value": 1}):
        conn.execute(sa.update(counters).where(counters.c.name == name).values(value=counters.c.value + 1))
    return int(conn.execute(sa.select(counters.c.value).where(counters.c.name == name)).scalar_one())


def now() -> float:
    return time.time()
