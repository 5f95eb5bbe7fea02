"""Following and rating an order, without Qt. The ports are plain functions standing in for the sync
engine, whose own behaviour against the real service is tested in tests/kiosk/test_sync*.py."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.cloud_client import CloudRejected
from kiosk.flows.tracking import TrackFlow, TrackPorts, TrackProblem, TrackStep
from kiosk.store.orders import LocalOrder, LocalState
from kiosk.sync import OrderLookup, SyncIssue, SyncUnavailable

COMPLETED: dict[str, Any] = {"order_code": "XN20261129-0001", "client_code": "LABCDE",
                             "service": {"id": "svc", "name": {}}, "status": "completed", "timeline": [],
                             "organisation": None, "rating": None, "can_rate": True}


class Cloud:
    """Orders by (code, last4) and the ratings queued, in memory."""

    def __init__(self, answer: dict[str, Any] | Exception) -> None:
        self.answer = answer
        self.ratings: list[tuple[str, dict[str, Any]]] = []

    def lookup(self, code: str, last4: str) -> OrderLookup:
        if isinstance(self.answer, Exception):
            raise self.answer
        if last4 != "5678":
            raise CloudRejected("not_found", 404, "no such order")
        return OrderLookup(True, self.answer, None)

    def ports(self) -> TrackPorts:
        return TrackPorts(self.lookup, lambda code, body: self.ratings.append((code, body)),
                          lambda code: any(c == code for c, _ in self.ratings))


def test_scan_a_receipt_then_rate_once() -> None:
    cloud = Cloud(COMPLETED)
    flow = TrackFlow(cloud.ports())
    assert flow.scanned("SKO1:XN20261129-0001:5678") is None
    assert flow.step is TrackStep.STATUS and flow.order and flow.order.can_rate
    assert flow.start_rating() is None
    assert flow.submit_rating() is TrackProblem.STARS_MISSING
    flow.stars = 5
    flow.toggle_tag("on_time")
    assert flow.submit_rating() is None
    assert cloud.ratings == [("XN20261129-0001", {"phone_last4": "5678", "stars": 5, "tags": ["on_time"],
                                                   "comment": ""})]
    assert flow.step is TrackStep.THANKS
    flow.step = TrackStep.STATUS
    assert flow.start_rating() is TrackProblem.ALREADY_RATED  # queued here, not yet on the cloud


@pytest.mark.parametrize(
    "code,last4,problem",
    [("", "5678", TrackProblem.CODE_MISSING), ("XN1", "56", TrackProblem.LAST4_INVALID),
     ("XN1", "0000", TrackProblem.NOT_FOUND)],
)
def test_typed_lookups_are_checked(code: str, last4: str, problem: TrackProblem) -> None:
    flow = TrackFlow(Cloud(COMPLETED).ports())
    assert flow.find(code, last4) is problem
    assert flow.step is TrackStep.ENTRY


def test_other_codes_are_not_receipts() -> None:
    flow = TrackFlow(Cloud(COMPLETED).ports())
    assert flow.scanned("SKC1.M0001") is TrackProblem.NOT_A_RECEIPT
    assert flow.scanned("hello") is TrackProblem.NOT_A_RECEIPT


def test_offline_and_rate_limited() -> None:
    assert TrackFlow(Cloud(SyncUnavailable(SyncIssue.UNREACHABLE)).ports()).find("X", "5678") is TrackProblem.OFFLINE
    limited = CloudRejected("rate_limited", 429, "slow down")
    assert TrackFlow(Cloud(limited).ports()).find("X", "5678") is TrackProblem.RATE_LIMITED


def test_not_completed_or_already_rated_on_the_cloud() -> None:
    flow = TrackFlow(Cloud({**COMPLETED, "status": "accepted", "can_rate": False}).ports())
    flow.find("XN20261129-0001", "5678")
    assert flow.start_rating() is TrackProblem.NOT_COMPLETED
    flow = TrackFlow(Cloud({**COMPLETED, "rating": {"stars": 4}, "can_rate": False}).ports())
    flow.find("XN20261129-0001", "5678")
    assert flow.start_rating() is TrackProblem.ALREADY_RATED


def test_an_order_made_here_and_not_yet_synced_shows_as_submitted() -> None:
    local = LocalOrder("LABCDE", "k", "5678", {"service_id": "svc-visit"}, LocalState.QUEUED, None, "", 1.0, None)
    ports = TrackPorts(lambda c, l4: OrderLookup(False, None, local), lambda c, b: None, lambda c: False)
    flow = TrackFlow(ports)
    assert flow.find("labcde", "5678") is None
    assert flow.order is not None and not flow.order.live
    assert (flow.order.code, flow.order.status, flow.order.service_id) == ("LABCDE", "submitted", "svc-visit")
    assert flow.start_rating() is TrackProblem.NOT_COMPLETED


def test_back_walks_out_of_the_flow() -> None:
    flow = TrackFlow(Cloud(COMPLETED).ports())
    flow.find("XN20261129-0001", "5678")
    flow.start_rating()
    assert flow.back() and flow.step is TrackStep.STATUS
    assert flow.back() and flow.step is TrackStep.ENTRY
    assert not flow.back()
