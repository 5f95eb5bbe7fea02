"""Request and response bodies of the v1 contract (docs/api.md); docs/openapi.json is generated from
these. Unknown request fields are ignored so that newer kiosks can talk to this service."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Text = dict[str, str]  # {"zh_CN": "…", "en": "…"}
CLIENT_CODE = r"^L[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{5}$"
LAST4 = r"^[0-9]{4}$"


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


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
    client_code: str = Field(pattern=CLIENT_CODE)
    service_id: str = Field(min_length=1, max_length=64)
    contact: Contact
    beneficiary: Beneficiary | None = None
    address: Address
    time_slot: TimeSlot
    tags: list[str] = Field(default_factory=list, max_length=20)
    note: str = Field("", max_length=500)
    consent: bool
    created_at: float


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
    phone_last4: str = Field(pattern=LAST4)
    stars: int = Field(ge=1, le=5)
    tags: list[str] = Field(default_factory=list, max_length=20)
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
    qty: int = Field(ge=1, le=99)


class OfflineProof(Body):
    token: str = Field(min_length=1, max_length=1024)
    redeemed_at: float


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
    paper: str | None = None
    detail: str = ""


class ScannerHealth(Body):
    available: bool | None = None
    detail: str = ""


class HeartbeatRequest(Body):
    """Every field may be missing: a kiosk whose health probe failed still learns its config version and
    commands."""

    app_version: str | None = Field(None, min_length=1, max_length=32)
    role: str | None = Field(None, min_length=1, max_length=32)
    printer: PrinterHealth | None = None
    scanner: ScannerHealth | None = None
    outbox_depth: int | None = Field(None, ge=0)
    oldest_outbox_age_s: float | None = None
    last_sync_at: float | None = None
    disk_free_mb: float | None = None
    uptime_s: float | None = None


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
