"""The shape of the district's data files (stations, catalogue, demo members and orders), checked before
anything is written: a malformed file is refused with its name and the key at fault, e.g.
``cloud/seed/catalogue.json: gifts[gift-eggs].tile.colour: String should match pattern …``."""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, PositiveInt, ValidationError, model_validator

from cloud import schemas
from cloud.errors import AdminError

ID = r"^[a-z0-9][a-z0-9_-]{1,63}$"
LEVELS = ("centre", "institute", "station")
# Which levels a station of each level may hang under (中心 → 所 → 站; a 站 may also sit under the 中心).
PARENT_LEVELS: dict[str, tuple[str, ...]] = {"centre": (), "institute": ("centre",), "station": ("institute", "centre")}


class Entry(BaseModel):
    # Unknown keys are refused: a misspelt key would otherwise be dropped without a word.
    model_config = ConfigDict(extra="forbid")


class Text(Entry):
    zh_CN: str
    en: str


class Station(Entry):
    id: str = Field(pattern=ID)
    name: Text
    level: Literal["centre", "institute", "station"] = "station"
    parent: str | None = None
    practice_base: bool = False
    hotline: str = ""
    address: Text
    pickup_location: Text
    phone_order_url: str = ""

    @model_validator(mode="after")
    def _base_is_a_station(self) -> Station:
        if self.practice_base and self.level != "station":
            raise ValueError("a practice base has level 'station'")
        return self


class StationsFile(Entry):
    description: str = ""
    stations: list[Station]


class Organisation(Entry):
    id: str = Field(pattern=ID)
    name: Text
    station: str | None = None
    parent: str | None = None


class Category(Entry):
    id: str = Field(pattern=ID)
    name: Text
    icon: str | None = None
    sort: int


class Service(Entry):
    id: str = Field(pattern=ID)
    category_id: str
    provider: str
    location: Literal["home", "station"]
    name: Text
    description: Text


class GiftCategory(Entry):
    id: str = Field(pattern=ID)
    name: Text
    sort: int


class Tile(Entry):
    emblem: str = Field(min_length=1, max_length=1)
    caption_zh: str = Field(min_length=1)
    caption_en: str = Field(min_length=1)
    colour: str = Field(pattern=r"^#[0-9A-Fa-f]{6}$")


class Gift(Entry):
    id: str = Field(pattern=ID)
    category_id: str
    points: PositiveInt
    per_person_limit: PositiveInt | None = None
    voucher_valid_days: PositiveInt
    name: Text
    description: Text
    tile: Tile
    stock: dict[str, NonNegativeInt] = Field(default_factory=dict)
    # Left out, it follows service_id: a gift that names a service is a service gift.
    fulfilment: Literal["goods", "service"] | None = None
    service_id: str | None = None

    @model_validator(mode="after")
    def _service_gift_names_its_service(self) -> Gift:
        if self.fulfilment is None:
            self.fulfilment = "goods" if self.service_id is None else "service"
        if (self.fulfilment == "service") != (self.service_id is not None):
            raise ValueError("a gift with fulfilment 'service' needs a service_id, and only such a gift has one")
        return self


class AddressEntry(Entry):
    building: str = Field(min_length=1)
    units: list[str]


class QuickTag(Entry):
    id: str = Field(pattern=ID)
    name: Text


class CatalogueFile(Entry):
    description: str = ""
    organisations: list[Organisation] = Field(default_factory=list)
    categories: list[Category] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    gift_categories: list[GiftCategory] = Field(default_factory=list)
    gifts: list[Gift] = Field(default_factory=list)
    address_book: dict[str, list[AddressEntry]] = Field(default_factory=dict)
    quick_tags: dict[Literal["order", "rating"], list[QuickTag]] = Field(default_factory=dict)


class RedeemedItem(Entry):
    gift_id: str
    qty: PositiveInt


class PastRedemption(Entry):
    days_ago: NonNegativeInt
    station: str
    items: list[RedeemedItem] = Field(min_length=1)


class Expiring(Entry):
    points: NonNegativeInt
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")


class Member(Entry):
    member_no: str = Field(pattern=r"^[0-9A-Za-z]{4,32}$")
    name: str = Field(min_length=1)
    name_en: str = ""
    phone: str = ""
    points: NonNegativeInt
    hours: dict[Literal["credit", "honour"], float] = Field(default_factory=dict)
    expiring: Expiring | None = None
    card_pin: str | None = Field(None, pattern=r"^\d{4,8}$")
    redemptions: list[PastRedemption] = Field(default_factory=list)


class Rating(Entry):
    stars: int = Field(ge=1, le=5)
    tags: list[str] = Field(default_factory=list)
    comment: str = ""


class DemoOrder(Entry):
    station: str
    days_ago: NonNegativeInt
    client_code: str
    service_id: str
    contact: schemas.Contact
    beneficiary: schemas.Beneficiary | None = None
    address: schemas.Address
    time_slot: schemas.TimeSlot
    tags: list[str] = Field(default_factory=list)
    note: str = ""
    advance: list[tuple[str, str | None]] = Field(default_factory=list)
    rating: Rating | None = None


class DemoFile(Entry):
    description: str = ""
    members: list[Member] = Field(default_factory=list)
    orders: list[DemoOrder] = Field(default_factory=list)


M = TypeVar("M", bound=BaseModel)


def where(data: Any, loc: tuple[int | str, ...]) -> str:
    """``gifts[gift-eggs].tile.colour`` for a pydantic location: list entries by their id when they have one."""
    path, node = "", data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
            label = node.get("id") if isinstance(node, dict) else None
            path += f"[{label if isinstance(label, str) else part}]"
        else:
            node = node.get(part) if isinstance(node, dict) else None
            path += f".{part}" if path else str(part)
    return path or "(top level)"


def parse(model: type[M], data: Any, source: str) -> M:
    """``data`` as ``model``, or an AdminError naming ``source`` and the key of each problem (up to five)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [f"{source}: {where(data, tuple(e['loc']))}: {e['msg']}" for e in exc.errors()]
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise AdminError("; ".join(problems[:5]) + more) from None


def unknown(source: str, key: str, kind: str, value: str) -> AdminError:
    return AdminError(f"{source}: {key}: unknown {kind} {value!r}")
