"""The demo district, 城西区: its hierarchy, teams, service menu and gifts as seeded into a real database,
and the seed files' validation (a malformed file is refused whole, naming the file and the key)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import sqlalchemy as sa

from cloud.admin import Admin
from cloud.db import gifts, members, organisations, services, stations
from cloud.embedded import EmbeddedCloud
from cloud.errors import AdminError
from cloud.seeding import DEMO_STATION, seed, seed_file, seed_json
from tests.cloud.signed import SignedClient

Json = dict[str, Any]


def _rows(cloud: EmbeddedCloud, table: sa.Table) -> dict[str, Any]:
    with cloud.admin.engine.begin() as conn:
        return {r.id: r for r in conn.execute(sa.select(table))}


def test_hierarchy_centre_institutes_stations_and_bases(cloud: EmbeddedCloud) -> None:
    rows = _rows(cloud, stations)
    by_level: dict[str, list[Any]] = {}
    for row in rows.values():
        by_level.setdefault(row.level, []).append(row)
    (centre,) = by_level["centre"]
    assert centre.name["zh_CN"] == "城西区新时代文明实践中心" and centre.parent_id is None
    institutes = {r.name["zh_CN"].removesuffix("新时代文明实践所") for r in by_level["institute"]}
    streets = {"古城台街道", "西关大街街道", "胜利路街道", "虎台街道", "兴海路街道", "通海路街道", "彭家寨镇"}
    assert streets <= institutes
    assert len(institutes) == 8 and all(r.parent_id == centre.id for r in by_level["institute"])
    community = [r for r in by_level["station"] if not r.practice_base]
    bases = [r for r in by_level["station"] if r.practice_base]
    assert (len(community), len(bases)) == (43, 8)
    assert all(rows[r.parent_id].level == "institute" for r in community)
    assert all(rows[r.parent_id].level in ("institute", "centre") for r in bases)
    assert rows[DEMO_STATION].name["zh_CN"] == "医财巷西社区新时代文明实践站"
    assert rows[rows[DEMO_STATION].parent_id].name["zh_CN"] == "胜利路街道新时代文明实践所"
    for row in rows.values():
        for field in (row.name, row.address, row.pickup_location):
            assert field["zh_CN"].strip() and field["en"].strip() and field["zh_CN"] != field["en"], row.id
        assert row.address["zh_CN"].startswith("青海省西宁市城西区"), row.id
        assert row.hotline.startswith("0971-"), row.id
        url = urlparse(row.phone_order_url)
        assert url.scheme == "https" and url.hostname and url.hostname.endswith(".example.cn"), row.id
        assert url.query == f"station={row.id}", row.id


def test_teams_are_attached_to_a_station_or_the_centre(cloud: EmbeddedCloud) -> None:
    orgs = _rows(cloud, organisations)
    station_rows = _rows(cloud, stations)
    assert all(org.station_id in station_rows for org in orgs.values())
    by_name = {org.name["zh_CN"]: org for org in orgs.values()}
    assert station_rows[by_name["蓝天应急救援志愿服务队"].station_id].level == "centre"
    association = by_name["青海省环境教育协会环保志愿服务队"]
    xixiaoling = [org for org in orgs.values() if "西小羚" in org.name["zh_CN"]]
    assert len(xixiaoling) == 7 and all(org.parent_id == association.id for org in xixiaoling)
    assert len({org.station_id for org in xixiaoling}) == 7
    shiliuzi = next(org for name, org in by_name.items() if "石榴籽" in name)
    assert station_rows[shiliuzi.station_id].name["zh_CN"] == "胜利路街道新时代文明实践所"
    qicai = next(org for name, org in by_name.items() if "七彩" in name)
    assert qicai.station_id == DEMO_STATION


def test_service_menu_and_gifts_at_the_kiosk(cloud: EmbeddedCloud, device: SignedClient) -> None:
    cat = device.get("/v1/catalogue").json()
    menu = " ".join(c["name"]["zh_CN"] for c in cat["categories"]) + " " + " ".join(
        s["name"]["zh_CN"] for s in cat["services"])
    for offered in ("关爱空巢老人", "留守儿童", "反诈宣传", "残疾人", "生态环保", "应急救援", "文化健身", "法律法规",
                    "民族团结进步", "健康义诊", "结对帮扶", "圆梦微心愿", "代购米面油", "手语"):
        assert offered in menu, offered
    # The kiosk shows each category with its first character: they must tell the tiles apart.
    firsts = [c["name"]["zh_CN"][0] for c in cat["categories"]]
    assert len(set(firsts)) == len(firsts)
    kinds = [c["name"]["zh_CN"] for c in sorted(cat["gift_categories"], key=lambda c: c["sort"])]
    assert kinds == ["文创产品", "景区门票", "购物折扣券", "日用品", "家政服务 / 家电维修"]
    names = {g["name"]["zh_CN"] for g in cat["gifts"]}
    assert any("鸡蛋" in n for n in names) and any("洗洁精" in n for n in names)
    service_ids = {s["id"] for s in cat["services"]}
    household = [g for g in cat["gifts"] if g["category_id"] == "household"]
    assert household and all(g["fulfilment"] == "service" and g["service_id"] in service_ids for g in household)
    assert all(g["fulfilment"] == "goods" and g["service_id"] is None
               for g in cat["gifts"] if g["category_id"] != "household")
    with cloud.admin.engine.begin() as conn:
        stored = {r.id: r.service_id for r in conn.execute(sa.select(gifts.c.id, gifts.c.service_id))}
        active = set(conn.execute(sa.select(services.c.id).where(services.c.active.is_(True))).scalars())
    assert {g["id"]: g["service_id"] for g in cat["gifts"]} == stored
    assert {g["service_id"] for g in household} <= active


def test_demo_members_and_the_kiosk_demo_agree_with_the_seed(cloud: EmbeddedCloud) -> None:
    from ui.demo import DEMO_STATION as KIOSK_DEMO_STATION
    from ui.demo import DEMO_STATION_NAME

    seeded_name = _rows(cloud, stations)[DEMO_STATION].name["zh_CN"]
    assert (DEMO_STATION, seeded_name) == (KIOSK_DEMO_STATION, DEMO_STATION_NAME)
    with cloud.admin.engine.begin() as conn:
        numbers = set(conn.execute(sa.select(members.c.member_no)).scalars())
    assert {m["member_no"] for m in seed_file("demo.json")["members"]} <= numbers
    zhang = cloud.admin.member_info("10000128")
    assert zhang["name"] == "张秀凤" and zhang["points"] == 1200


def test_a_gift_that_names_a_service_is_a_service_gift(tmp_path: Path) -> None:
    admin = Admin(tmp_path / "cloud.sqlite3")
    admin.init()
    seed(admin)
    repair = {"id": "gift-lamp-repair", "category_id": "household", "points": 50, "voucher_valid_days": 30,
              "service_id": "svc-repair-home", "name": {"zh_CN": "上门修灯", "en": "Lamp repair"},
              "description": {"zh_CN": "", "en": ""},
              "tile": {"emblem": "修", "caption_zh": "修灯", "caption_en": "Repair", "colour": "#336699"}}
    admin.load_catalogue({"gifts": [repair]})
    with admin.engine.begin() as conn:
        row = conn.execute(sa.select(gifts).where(gifts.c.id == "gift-lamp-repair")).one()
    assert (row.fulfilment, row.service_id) == ("service", "svc-repair-home")
    with pytest.raises(AdminError, match=r"^catalogue file: gifts\[gift-lamp-repair\]: Value error, a gift with "
                                         "fulfilment 'service' needs a service_id, and only such a gift has one"):
        admin.load_catalogue({"gifts": [{**repair, "fulfilment": "goods"}]})


# --- malformed seeds ---------------------------------------------------------------------------------

def _station(data: Json, station_id: str) -> Json:
    entry: Json = next(s for s in data["stations"] if s["id"] == station_id)
    return entry


def _gift(data: Json, gift_id: str) -> Json:
    entry: Json = next(g for g in data["gifts"] if g["id"] == gift_id)
    return entry


Breakage = Callable[[dict[str, Json]], None]
BROKEN: list[tuple[str, Breakage, str]] = [
    ("english address missing", lambda f: _station(f["stations.json"], "ins-shengli")["address"].pop("en"),
     "cloud/seed/stations.json: stations[ins-shengli].address.en: Field required"),
    ("unknown parent", lambda f: _station(f["stations.json"], "st-huoxi").update(parent="ins-nowhere"),
     "cloud/seed/stations.json: stations[st-huoxi].parent: unknown station 'ins-nowhere'"),
    ("station under a station", lambda f: _station(f["stations.json"], "st-lirangjie").update(parent="st-datongjie"),
     "cloud/seed/stations.json: stations[st-lirangjie].parent: a station of level 'station' cannot be under "
     "'st-datongjie' of level 'station'"),
    ("parent listed after its child", lambda f: _station(f["stations.json"], "ins-xiguan").update(parent="ins-hutai"),
     "cloud/seed/stations.json: stations[ins-xiguan].parent: unknown station 'ins-hutai' "
     "(a parent comes before its children)"),
    ("bad level", lambda f: _station(f["stations.json"], "st-hutai").update(level="village"),
     "cloud/seed/stations.json: stations[st-hutai].level: Input should be 'centre', 'institute' or 'station'"),
    ("misspelt key", lambda f: f["catalogue.json"]["services"][0].update(provder="org-qicai"),
     "cloud/seed/catalogue.json: services[svc-elderly-visit].provder: Extra inputs are not permitted"),
    ("bad colour", lambda f: _gift(f["catalogue.json"], "gift-eggs")["tile"].update(colour="yellow"),
     "cloud/seed/catalogue.json: gifts[gift-eggs].tile.colour: String should match pattern"),
    ("service gift without its service", lambda f: _gift(f["catalogue.json"], "gift-cleaning").pop("service_id"),
     "cloud/seed/catalogue.json: gifts[gift-cleaning]: Value error, a gift with fulfilment 'service' needs a "
     "service_id"),
    ("service gift naming no service", lambda f: _gift(f["catalogue.json"], "gift-cleaning").update(service_id="svc-x"),
     "cloud/seed/catalogue.json: gifts[gift-cleaning].service_id: unknown service 'svc-x'"),
    ("team of no organisation", lambda f: f["catalogue.json"]["organisations"][3].update(parent="org-x"),
     "cloud/seed/catalogue.json: organisations[org-xixiaoling-guchengtai].parent: unknown organisation 'org-x'"),
    ("redemption at no station", lambda f: f["demo.json"]["members"][0]["redemptions"][0].update(station="st-x"),
     "cloud/seed/demo.json: members[10000128].redemptions[0].station: unknown station 'st-x'"),
    ("negative points", lambda f: f["demo.json"]["members"][1].update(points=-5),
     "cloud/seed/demo.json: members[1].points: Input should be greater than or equal to 0"),
]


@pytest.mark.parametrize(("breakage", "expected"), [pytest.param(b, e, id=i) for i, b, e in BROKEN])
def test_a_malformed_seed_names_the_file_and_key(tmp_path: Path, breakage: Breakage, expected: str) -> None:
    files = {name: seed_file(name) for name in ("stations.json", "catalogue.json", "demo.json")}
    broken = copy.deepcopy(files)
    breakage(broken)
    assert broken != files
    admin = Admin(tmp_path / "cloud.sqlite3")
    admin.init()
    with pytest.raises(AdminError) as refused:
        seed(admin, broken.__getitem__)
    assert expected in str(refused.value)
    if not expected.startswith("cloud/seed/demo.json"):
        # A stations or catalogue file is loaded all or nothing.
        bad_file = expected.split(":")[0].removeprefix("cloud/seed/")
        table = stations if bad_file == "stations.json" else services
        with admin.engine.begin() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0


def test_a_seed_file_that_is_not_json_is_named() -> None:
    with pytest.raises(AdminError, match=r"^cloud/seed/stations.json: not JSON: Expecting value: line 1 column 15"):
        seed_json('{"stations": [', "stations.json")
    with pytest.raises(AdminError, match=r"^cloud/seed/demo.json: expected a JSON object"):
        seed_json("[]", "demo.json")
