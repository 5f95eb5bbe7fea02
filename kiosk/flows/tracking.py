"""Following and rating an order: find it (receipt QR, or code + last four digits of the phone), show
its timeline, and — once completed and not yet rated — take one rating. Never sees Qt.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk.cloud_client import CloudRejected
from kiosk.sync import OrderLookup, SyncUnavailable
from kiosk.tokens import OrderReceipt, parse_scanned

STATUSES = ("submitted", "dispatched", "accepted", "in_service", "completed", "cancelled")
LAST4_RE = re.compile(r"^\d{4}$")
MAX_COMMENT = 200


class TrackStep(enum.StrEnum):
    ENTRY = "entry"
    STATUS = "status"
    RATE = "rate"
    THANKS = "thanks"


class TrackProblem(enum.StrEnum):
    CODE_MISSING = "code_missing"
    LAST4_INVALID = "last4_invalid"
    NOT_FOUND = "not_found"
    OFFLINE = "offline"
    RATE_LIMITED = "rate_limited"
    NOT_A_RECEIPT = "not_a_receipt"
    STARS_MISSING = "stars_missing"
    COMMENT_TOO_LONG = "comment_too_long"
    ALREADY_RATED = "already_rated"
    NOT_COMPLETED = "not_completed"


@dataclass(frozen=True)
class OrderView:
    """What the status screen shows; built from the cloud's answer or from an order made here."""

    code: str
    service_id: str
    service: Any  # multilingual name, when the cloud sent it
    status: str
    timeline: list[dict[str, Any]]
    organisation: Any
    rating: dict[str, Any] | None
    can_rate: bool
    live: bool  # False: the cloud has not confirmed it yet (or cannot be asked now)


def view_of(lookup: OrderLookup) -> OrderView:
    if lookup.live and lookup.data is not None:
        d = lookup.data
        return OrderView(
            code=str(d.get("order_code") or d.get("client_code") or ""),
            service_id=str((d.get("service") or {}).get("id", "")),
            service=(d.get("service") or {}).get("name"),
            status=str(d.get("status", "submitted")),
            timeline=list(d.get("timeline") or []),
            organisation=(d.get("organisation") or {}).get("name") if d.get("organisation") else None,
            rating=d.get("rating"),
            can_rate=bool(d.get("can_rate")),
            live=True,
        )
    local = lookup.local
    assert local is not None
    return OrderView(
        code=local.display_code,
        service_id=str(local.body.get("service_id", "")),
        service=None,
        status="submitted",
        timeline=[{"status": "submitted", "at": local.created_at, "by": None}],
        organisation=None,
        rating=None,
        can_rate=False,
        live=False,
    )


@dataclass(frozen=True)
class TrackPorts:
    lookup: Callable[[str, str], OrderLookup]  # (code, last4)
    rate: Callable[[str, dict[str, Any]], None]  # (code, body): persisted + queued
    rated_here: Callable[[str], bool]  # a rating for this code already queued on this kiosk


@dataclass
class TrackFlow:
    ports: TrackPorts
    step: TrackStep = TrackStep.ENTRY
    code: str = ""
    last4: str = ""
    order: OrderView | None = None
    stars: int = 0
    tags: list[str] = field(default_factory=list)
    comment: str = ""

    def reset(self) -> None:
        self.step, self.code, self.last4, self.order = TrackStep.ENTRY, "", "", None
        self.stars, self.tags, self.comment = 0, [], ""

    def scanned(self, text: str) -> TrackProblem | None:
        parsed = parse_scanned(text)
        if not isinstance(parsed, OrderReceipt):
            return TrackProblem.NOT_A_RECEIPT
        return self.find(parsed.code, parsed.phone_last4)

    def find(self, code: str, last4: str) -> TrackProblem | None:
        code = code.strip().upper()
        if not code:
            return TrackProblem.CODE_MISSING
        if not LAST4_RE.match(last4):
            return TrackProblem.LAST4_INVALID
        try:
            lookup = self.ports.lookup(code, last4)
        except SyncUnavailable:
            return TrackProblem.OFFLINE
        except CloudRejected as exc:
            if exc.code == "rate_limited":
                return TrackProblem.RATE_LIMITED
            return TrackProblem.NOT_FOUND
        self.code, self.last4 = code, last4
        self.order = view_of(lookup)
        self.step = TrackStep.STATUS
        return None

    def start_rating(self) -> TrackProblem | None:
        if self.order is None:
            return TrackProblem.NOT_FOUND
        if self.order.rating is not None or self.ports.rated_here(self.order.code):
            return TrackProblem.ALREADY_RATED
        if not self.order.can_rate:
            return TrackProblem.NOT_COMPLETED
        self.stars, self.tags, self.comment = 0, [], ""
        self.step = TrackStep.RATE
        return None

    def toggle_tag(self, tag: str) -> None:
        if tag in self.tags:
            self.tags.remove(tag)
        else:
            self.tags.append(tag)

    def submit_rating(self) -> TrackProblem | None:
        if self.order is None:
            return TrackProblem.NOT_FOUND
        if not 1 <= self.stars <= 5:
            return TrackProblem.STARS_MISSING
        if len(self.comment) > MAX_COMMENT:
            return TrackProblem.COMMENT_TOO_LONG
        if self.ports.rated_here(self.order.code):
            return TrackProblem.ALREADY_RATED
        body = {"phone_last4": self.last4, "stars": self.stars, "tags": list(self.tags),
                "comment": self.comment.strip()}
        self.ports.rate(self.order.code, body)
        self.step = TrackStep.THANKS
        return None

    def back(self) -> bool:
        """RATE → STATUS → ENTRY; False when there is nowhere further back inside the flow."""
        if self.step is TrackStep.RATE:
            self.step = TrackStep.STATUS
            return True
        if self.step is TrackStep.STATUS:
            self.step, self.order = TrackStep.ENTRY, None
            return True
        return False
