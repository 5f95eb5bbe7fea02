"""Races on the platform API, on SQLite and PostgreSQL: twenty volunteers take one open order at the same
instant and exactly one gets it; completion sent twice (one after the other, and at once) credits the
points exactly once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import sqlalchemy as sa

from cloud.db import hours_ledger, points_ledger
from cloud.embedded import EmbeddedCloud
from cloud.seeding import DEMO_STATION
from tests.cloud.people import Person, first_admin, invite, member_no
from tests.cloud.signed import enrol, new_key
from tests.kiosk.cloudkit import order_body

STATION = DEMO_STATION


_client_codes = iter(f"LRC{a}{b}{c}" for a in "ABCDEF" for b in "GHJKMN" for c in "23456789")


def pool_order(seeded_cloud: EmbeddedCloud) -> str:
    """A kiosk order routed to the station's open pool."""
    seeded_cloud.admin.set_routing(STATION, "elderly", "pool")
    kiosk = enrol(seeded_cloud.url, seeded_cloud.admin.enrolment_code(STATION).code)
    try:
        body = {**order_body(service_id="svc-elderly-visit"), "client_code": next(_client_codes),
                "created_at": time.time()}
        resp = kiosk.post("/v1/orders", body, key=new_key())
    finally:
        kiosk.close()
    assert resp.status_code == 201, resp.text
    return str(resp.json()["order_code"])


def test_twenty_volunteers_take_one_order_exactly_one_gets_it(seeded_cloud: EmbeddedCloud) -> None:
    admin = first_admin(seeded_cloud)
    volunteers = [invite(admin, "volunteer", f"志愿者{i}", station_id=STATION) for i in range(20)]
    try:
        code = pool_order(seeded_cloud)
        start = threading.Barrier(len(volunteers))

        def take(v: Person) -> httpx.Response:
            start.wait(timeout=30)
            return v.post(f"/api/orders/{code}/take")

        with ThreadPoolExecutor(len(volunteers)) as pool:
            results = list(pool.map(take, volunteers))
        winners = [v for v, r in zip(volunteers, results, strict=True) if r.status_code == 200]
        assert len(winners) == 1
        losers = [r for r in results if r.status_code != 200]
        # Refused either by the conditional UPDATE (already_taken) or, once the order left the pool,
        # by the scope check (no longer theirs to take).
        assert {(r.status_code, r.json()["error"]["code"]) for r in losers} <= {
            (409, "already_taken"), (403, "forbidden")}
        order = admin.get(f"/api/orders/{code}").json()
        assert [p["account_id"] for p in order["participants"]] == [winners[0].id]
        assert [e["status"] for e in order["timeline"]].count("accepted") == 1
    finally:
        for p in [admin, *volunteers]:
            p.close()


def test_completion_sent_twice_credits_once(seeded_cloud: EmbeddedCloud) -> None:
    admin = first_admin(seeded_cloud)
    volunteer = invite(admin, "volunteer", "赵师傅", station_id=STATION)
    staff = invite(admin, "staff", "站长", station_id=STATION)
    try:
        codes = []
        for _ in range(2):
            code = pool_order(seeded_cloud)
            assert volunteer.post(f"/api/orders/{code}/take").status_code == 200
            assert volunteer.post(f"/api/orders/{code}/check-in", {"started_at": time.time() - 3600}).status_code == 200
            assert volunteer.post(f"/api/orders/{code}/check-out", {}).status_code == 200
            codes.append(code)
        # One after the other: the second answers the completed order and credits nothing.
        first, second = (volunteer.post(f"/api/orders/{codes[0]}/complete") for _ in range(2))
        assert first.status_code == second.status_code == 200
        assert first.json()["status"] == second.json()["status"] == "completed"
        # At once, from the volunteer and the station staff.
        start = threading.Barrier(8)

        def complete(person: Person) -> httpx.Response:
            start.wait(timeout=30)
            return person.post(f"/api/orders/{codes[1]}/complete")

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(complete, [volunteer, staff] * 4))
        assert {r.status_code for r in results} == {200}
        number = member_no(volunteer)
        member = volunteer.get(f"/api/members/{number}").json()
        assert member["points"] == 20  # 1 h × 10 points, twice
        with seeded_cloud.engine.begin() as conn:
            per_order = conn.execute(
                sa.select(points_ledger.c.ref, sa.func.count()).where(points_ledger.c.reason == "service")
                .group_by(points_ledger.c.ref)).all()
            hours = conn.execute(sa.select(sa.func.count()).select_from(hours_ledger)
                                 .where(hours_ledger.c.reason == "service")).scalar_one()
        assert sorted(per_order) == sorted((c, 1) for c in codes) and hours == 2
    finally:
        for p in (admin, volunteer, staff):
            p.close()

