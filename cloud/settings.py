"""Tunable limits and lifetimes of the service, in one place so a district (or a test) can change them
without touching the handlers."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

# Order and redemption numbers, voucher validity and `*_date` fields use the stations' local day.
STATION_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` hits per fixed window of ``window_s`` seconds (DB-backed, so it holds across
    worker processes)."""

    limit: int
    window_s: int


@dataclass(frozen=True)
class Settings:
    signature_window_s: int = 300
    enrolment_code_ttl_s: int = 7 * 24 * 3600
    session_ttl_s: int = 300
    token_max_lifetime_s: int = 60
    # Tokens are made on phones; allow their clocks to run this far ahead of ours.
    token_future_leeway_s: int = 30
    # An offline redemption must reach us within this time of its token's expiry.
    offline_max_age_s: int = 7 * 24 * 3600
    # After `keys rotate`, the previous key stays published (and accepted) this long.
    key_rotation_grace_s: int = 3600
    recent_redemptions: int = 3
    resolve_per_device: RateLimit = RateLimit(30, 60)
    resolve_per_member: RateLimit = RateLimit(10, 60)
    pin_failures_per_member: RateLimit = RateLimit(5, 900)
    order_lookup_per_device: RateLimit = RateLimit(30, 60)
    nonce_purge_every_s: int = 60
