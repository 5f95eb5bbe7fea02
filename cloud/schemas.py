"""Request and response bodies of the v1 contract (docs/api.md); docs/openapi.json is generated from
these. Unknown request fields are ignored so that newer kiosks can talk to this service.

Every number a request carries is finite and bounded, and every string has a maximum length, so the
published document is as strict as the service: what it calls valid is never refused as malformed."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

Text = dict[str, str]  # {"zh_CN": "…", "en": "…"}
CLIENT_CODE = r"^L[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{5}$"
LAST4 = r"^[0-9]{4}$"
# Unix seconds a kiosk reports: from 2020-01-01 (before any kiosk existed) to 2100-01-01 (UTC). Later
# than now is handled by each endpoint (an order made "in the future" is dated now, an offline
# redemption from the future is a conflict), so the document can state the whole rule.
TIMESTAMP_MIN = 1577836800.0
TIMESTAMP_MAX = 4102444800.0
Timestamp = Annotated[float, Field(ge=TIMESTAMP_MIN, lt=TIMESTAMP_MAX, allow_inf_nan=False,
                                   description="Unix seconds, 2020-01-01 ≤ t < 2100-01-01")]
# Durations a kiosk measures on its wall clock: a kiosk that booted at 1970 and then got the time
# from NTP reports an uptime of decades, which is wrong but no reason to refuse its heartbeat.
CENTURY_S = 100 * 365 * 86400
Seconds = Annotated[float, Field(ge=0, le=CENTURY_S, allow_inf_nan=False)]
TagId = Annotated[str, Field(min_length=1, max_length=64)]


def _integral(value: Any) -> Any:
    """JSON has one number type: 2.0 is an integer to JSON Schema, so it is one here too."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


# Strict bodies take no float for an int; these take the integral ones (never true or "2"). The
# bounds come before the validator, or the document shows them as unknown keywords.
Stars = Annotated[int, Field(ge=1, le=5), BeforeValidator(_integral)]
Quantity = Annotated[int, Field(ge=1, le=99), BeforeValidator(_integral)]
Count = Annotated[int, Field(ge=0, le=10**9), BeforeValidator(_integral)]
HealthDetail = Annotated[str, Field(max_length=2000)]


class Body(BaseModel):
    # Strict: JSON types as the document states them (no false for 0, no "5" for 5).
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False, strict=True)


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class TimeResponse(BaseModel):
    server_time: float


class EnrolRequest(Body):
    enrolment_code: str = Field(min_length=1, max_length=32)
    device_name: str = Field(min_length=1, max_length=128)
    app_version: str = Field(min_length=1, max_length=32)


class EnrolResponse(BaseModel):
    device_id: str
    device_secret: str
    station_id: str
    server_time: float


class Station(BaseModel):
    id: str
    name: Text
    hotline: str
    address: Text
    phone_order_url: str
    pickup_location: Text


class Category(BaseModel):
    id: str
    name: Text
    icon: str
    sort: int


class Service(BaseModel):
    id: str
    category_id: str
    name: Text
    description: Text
    provider: Text
    location: Literal["home", "station"]


class GiftCategory(BaseModel):
    id: str
    name: Text
    sort: int


class Gift(BaseModel):
    id: str
    category_id: str
    name: Text
    description: Text
    points: int
    stock: int
    per_person_limit: int | None
    voucher_valid_days: int
    image: str
    # "service": redeeming it creates an order for service_id (家政服务, 家电维修); kiosks may ignore both.
    fulfilment: Literal["goods", "service"] = "goods"
    service_id: str | None = None


class AddressEntry(BaseModel):
    building: str
    units: list[str]


class QuickTag(BaseModel):
    id: str
    name: Text


class QuickTags(BaseModel):
    order: list[QuickTag]
    rating: list[QuickTag]


class Catalogue(BaseModel):
    version: str
    station: Station
    categories: list[Category]
    services: list[Service]
    gift_categories: list[GiftCategory]
    gifts: list[Gift]
    address_book: list[AddressEntry]
    quick_tags: QuickTags


class Contact(Body):
    phone: str = Field(min_length=3, max_length=20)
    name: str = Field("", max_length=32)
    title: str = Field("", max_length=16)


class Beneficiary(Body):
    phone: str = Field(min_length=3, max_length=20)
    name: str = Field("", max_length=32)
    relation: str = Field("", max_length=32)


class Address(Body):
    building: str = Field("", max_length=64)
    unit: str = Field("", max_length=64)
    room: str = Field("", max_length=32)
    text: str = Field("", max_length=500)


class TimeSlot(Body):
    day: Literal["today", "tomorrow", "any"]
    part: Literal["morning", "afternoon", "any"]


class OrderRequest(Body):
    client_code: str = Field(pattern=CLIENT_CODE, max_length=6)
    service_id: str = Field(min_length=1, max_length=64)
    contact: Contact
    beneficiary: Beneficiary | None = None
    address: Address
    time_slot: TimeSlot
    tags: list[TagId] = Field(default_factory=list, max_length=20)
    note: str = Field("", max_length=500)
    consent: bool
    created_at: Timestamp


class OrderCreated(BaseModel):
    order_code: str
    client_code: str
    status: str
    created_at: float


class Organisation(BaseModel):
    id: str
    name: Text


class TimelineEntry(BaseModel):
    status: str
    at: float
    by: Organisation | None


class Rating(BaseModel):
    stars: int
    tags: list[str]
    comment: str
    at: float


class OrderService(BaseModel):
    id: str
    name: Text


class OrderView(BaseModel):
    order_code: str
    client_code: str
    service: OrderService
    status: Literal["submitted", "dispatched", "accepted", "in_service", "completed", "cancelled"]
    timeline: list[TimelineEntry]
    organisation: Organisation | None
    rating: Rating | None
    can_rate: bool


class RatingRequest(Body):
    phone_last4: str = Field(pattern=LAST4, max_length=4)
    stars: Stars
    tags: list[TagId] = Field(default_factory=list, max_length=20)
    comment: str = Field("", max_length=500)


class RatingCreated(BaseModel):
    rating: Rating


class PublicKey(BaseModel):
    kid: str
    alg: Literal["Ed25519"]
    public_key: str
    not_after: float | None


class Keys(BaseModel):
    keys: list[PublicKey]


class ResolveRequest(Body):
    token: str = Field(min_length=1, max_length=1024)
    pin: str | None = Field(None, max_length=16)


class HoursEntry(BaseModel):
    kind: Literal["credit", "honour"]
    label: Text
    hours: float


class Expiring(BaseModel):
    points: int
    date: str


class RecentItem(BaseModel):
    name: Text
    qty: int


class RecentRedemption(BaseModel):
    redemption_no: str
    at: float
    points: int
    items: list[RecentItem]


class Member(BaseModel):
    id: str
    member_no: str
    masked_name: str
    points: int
    hours: list[HoursEntry]
    expiring: Expiring | None
    recent: list[RecentRedemption]


class Resolved(BaseModel):
    session: str
    session_expires_at: float
    member: Member


class RedemptionItem(Body):
    gift_id: str = Field(min_length=1, max_length=64)
    qty: Quantity


class OfflineProof(Body):
    token: str = Field(min_length=1, max_length=1024)
    redeemed_at: Timestamp


class RedemptionRequest(Body):
    """Exactly one of ``session`` (online) and ``offline`` (a redemption the kiosk made offline)."""

    session: str | None = Field(None, max_length=128)
    offline: OfflineProof | None = None
    items: list[RedemptionItem] = Field(min_length=1, max_length=20)


class RedeemedItem(BaseModel):
    gift_id: str
    name: Text
    qty: int
    points: int = Field(description="points for this line: the gift's points × qty")


class Redemption(BaseModel):
    redemption_no: str
    pickup_code: str
    items: list[RedeemedItem]
    points_total: int
    balance_before: int
    balance_after: int
    valid_until_date: str
    pickup_location: Text


class RedemptionConflict(BaseModel):
    conflict: Literal[True]
    reason: str
    message: str
    conflict_id: int


class PrinterHealth(Body):
    online: bool | None = None
    paper: Literal["ok", "near_end", "out", "unknown"] | None = None
    detail: HealthDetail = ""


class ScannerHealth(Body):
    available: bool | None = None
    detail: HealthDetail = ""


class HeartbeatRequest(Body):
    """Every field may be missing: a kiosk whose health probe failed still learns its config version and
    commands."""

    app_version: str | None = Field(None, min_length=1, max_length=32)
    role: Literal["ordering", "redemption"] | None = None
    printer: PrinterHealth | None = None
    scanner: ScannerHealth | None = None
    outbox_depth: Count | None = None
    oldest_outbox_age_s: Seconds | None = None
    last_sync_at: Timestamp | None = None
    disk_free_mb: float | None = Field(None, ge=0, le=2**40, allow_inf_nan=False)
    uptime_s: Seconds | None = None


class HeartbeatResponse(BaseModel):
    server_time: float
    config_version: int
    commands: list[Literal["sync_catalogue"]]


class RemoteConfig(BaseModel):
    version: int
    values: dict[str, Any]


class KeptRequest(BaseModel):
    """What the service kept for an Idempotency-Key of this device: the status and body it answered."""

    idempotency_key: str
    status: int = Field(description="HTTP status of the kept response: 201, or 200 for a conflict")
    body: dict[str, Any] = Field(description="the kept response body, as it was answered")
