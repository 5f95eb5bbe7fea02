"""The authorisation matrix (cloud/authz.py), cell by cell: every action × every role, plus no session and
another station's staff. The expectations are derived from the matrix itself; the things acted on (an
order, a member, a voucher) are in the scope of the station's staff, the team's leader and the volunteer."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from cloud.authz import MATRIX, Resource
from cloud.embedded import EmbeddedCloud
from cloud.openapi import document
from tests.cloud.people import Person, first_admin, invite, member_no, new_phone
from tests.cloud.signed import enrol, new_key
from tests.kiosk.cloudkit import order_body

STATION, OTHER_STATION, TEAM = "st-nanguan", "st-czq", "org-nanguan-team"
ROLES = ("admin", "staff", "leader", "volunteer")
# Listings filter by scope; these two name a station or organisation in the request, so another
# station's staff are refused for them too.
NAMES_A_STATION = {"routing.write", "reports.read"}


@dataclass
class World:
    people: dict[str, Person]
    order: str
    member_no: str
    pickup_code: str


@pytest.fixture(scope="module")
def world(cloud: EmbeddedCloud) -> Iterator[World]:
    admin = first_admin(cloud)
    people = {
        "admin": admin,
        "staff": invite(admin, "staff", "南关站工作人员", station_id=STATION),
        "other_staff": invite(admin, "staff", "城中站工作人员", station_id=OTHER_STATION),
        "leader": invite(admin, "leader", "南关队长", organisation_id=TEAM),
        "volunteer": invite(admin, "volunteer", "南关志愿者", station_id=STATION, organisation_id=TEAM),
    }
    cloud.admin.set_routing(STATION, "elderly", "organisation", TEAM)
    kiosk = enrol(cloud.url, cloud.admin.enrolment_code(STATION).code)
    try:
        body = {**order_body(service_id="svc-elderly-visit"), "client_code": "LAZ234", "created_at": time.time()}
        code = kiosk.post("/v1/orders", body, key=new_key()).json()["order_code"]
        assigned = people["leader"].post(f"/api/orders/{code}/assign", {"volunteers": [people["volunteer"].id]})
        assert assigned.status_code == 200, assigned.text
        number = member_no(people["volunteer"])
        assert admin.post(f"/api/members/{number}/adjustments", {"delta": 100, "note": "开户"}).status_code == 200
        session = kiosk.post("/v1/members/resolve", {"token": cloud.admin.member_token(number)}).json()["session"]
        redeemed = kiosk.post("/v1/redemptions", {"session": session, "items": [{"gift_id": "gift-magnet", "qty": 1}]},
                              key=new_key())
        assert redeemed.status_code == 201, redeemed.text
    finally:
        kiosk.close()
    yield World(people, code, number, redeemed.json()["pickup_code"])
    for person in people.values():
        person.close()


def request_for(action: str, world: World) -> tuple[str, str, Any]:
    """Method, path and body of a valid request for ``action`` on the world's order / member / voucher."""
    entry = MATRIX[action]
    path = entry.path.format(code=world.order, member_no=world.member_no, pickup_code=world.pickup_code,
                             name="points.per_hour")
    bodies: dict[str, Any] = {
        "me.address": {"building": "3栋", "unit": "1单元", "room": "502"},
        "accounts.invite": {"phone": new_phone(), "name": "新志愿者", "role": "volunteer", "station_id": STATION},
        "rules.write": {"value": 10},
        "routing.write": {"station_id": STATION, "category_id": "elderly", "route": "organisation",
                          "organisation_id": TEAM},
        "orders.route": {"route": "organisation", "organisation_id": TEAM},
        "orders.assign": {"volunteers": [world.people["volunteer"].id]},
        "orders.check_in": {}, "orders.check_out": {}, "orders.cancel": {"reason": "居民取消"},
        "members.adjust": {"delta": 1, "note": "核对"},
        "cards.issue": {"pin": "246810"},
    }
    if action == "reports.read":
        path += f"?month=2026-12&station_id={STATION}"
    return entry.method, path, bodies.get(action)


def call(http: httpx.Client, method: str, path: str, body: Any) -> httpx.Response:
    return http.request(method, path, json=body) if body is not None else http.request(method, path)


def expected_allowed(action: str, role: str) -> bool:
    entry = MATRIX[action]
    if role == "other_staff":
        return "staff" in entry.roles and entry.resource is Resource.NONE and action not in NAMES_A_STATION
    return role in entry.roles


CELLS = [(action, role) for action in MATRIX for role in (*ROLES, "other_staff", "none")]


@pytest.mark.parametrize(("action", "role"), CELLS, ids=[f"{a}-{r}" for a, r in CELLS])
def test_cell(world: World, cloud: EmbeddedCloud, action: str, role: str) -> None:
    method, path, body = request_for(action, world)
    if role == "none":
        with httpx.Client(base_url=cloud.url, timeout=20) as anonymous:
            resp = call(anonymous, method, path, body)
        assert (resp.status_code, resp.json()["error"]["code"]) == (401, "not_signed_in"), resp.text
        return
    resp = call(world.people[role].http, method, path, body)
    if expected_allowed(action, role):
        assert resp.status_code not in (401, 403), resp.text
    else:
        assert (resp.status_code, resp.json()["error"]["code"]) == (403, "forbidden"), resp.text


def test_every_api_route_is_in_the_matrix() -> None:
    public = {("POST", "/api/activate"), ("POST", "/api/sign-in"), ("POST", "/api/sign-out")}
    routes = {(method.upper(), path) for path, item in document()["paths"].items() if path.startswith("/api/")
              for method in item}
    assert routes == public | {(a.method, a.path) for a in MATRIX.values()}


def test_a_volunteer_cannot_act_on_another_volunteers_member(world: World, cloud: EmbeddedCloud) -> None:
    stranger = invite(world.people["admin"], "volunteer", "别站志愿者", station_id=OTHER_STATION)
    try:
        resp = stranger.get(f"/api/members/{world.member_no}")
        assert (resp.status_code, resp.json()["error"]["code"]) == (403, "forbidden")
        resp = stranger.post(f"/api/orders/{world.order}/check-in", {})
        assert (resp.status_code, resp.json()["error"]["code"]) == (403, "forbidden")
    finally:
        stranger.close()
