"""Catalogue and images with ETags (docs/api.md § Catalogue)."""

from __future__ import annotations

import io
from typing import Any

import httpx
from PIL import Image

from cloud.embedded import EmbeddedCloud
from cloud.seeding import DEMO_STATION
from tests.cloud.signed import SignedClient, enrol, error_code


def test_catalogue_shape_and_station_stock(cloud: EmbeddedCloud, device: SignedClient) -> None:
    resp = device.get("/v1/catalogue")
    assert resp.status_code == 200
    cat = resp.json()
    assert resp.headers["ETag"] == f'"{cat["version"]}"'
    assert cat["station"]["id"] == DEMO_STATION
    assert cat["station"]["name"]["zh_CN"] == "医财巷西社区新时代文明实践站"
    assert set(cat["station"]) == {"id", "name", "hotline", "address", "phone_order_url", "pickup_location"}
    assert len(cat["categories"]) == 12
    assert [c["sort"] for c in cat["categories"]] == sorted(c["sort"] for c in cat["categories"])
    per_category: dict[str, int] = {}
    for svc in cat["services"]:
        per_category[svc["category_id"]] = per_category.get(svc["category_id"], 0) + 1
        assert svc["location"] in ("home", "station") and svc["provider"]["zh_CN"]
    assert set(per_category) == {c["id"] for c in cat["categories"]}
    assert all(2 <= n <= 5 for n in per_category.values())
    gifts = {g["id"]: g for g in cat["gifts"]}
    assert gifts["gift-eggs"]["stock"] == cloud.admin.stock(DEMO_STATION, "gift-eggs")
    assert {g["category_id"] for g in cat["gifts"]} == {c["id"] for c in cat["gift_categories"]}
    assert cat["address_book"][0] == {"building": "1栋", "units": ["1单元", "2单元", "3单元"]}
    assert {"mobility", "lives_alone"} <= {t["id"] for t in cat["quick_tags"]["order"]}
    assert {"on_time", "patient"} <= {t["id"] for t in cat["quick_tags"]["rating"]}
    # Another station's kiosk sees that station's stock.
    other = enrol(cloud.url, cloud.admin.enrolment_code("st-gongyuanxiang").code)
    other_gifts = {g["id"]: g for g in other.get("/v1/catalogue").json()["gifts"]}
    other.close()
    assert other_gifts["gift-ticket-kumbum"]["stock"] == 0
    assert other_gifts["gift-eggs"]["stock"] == cloud.admin.stock("st-gongyuanxiang", "gift-eggs")


def test_etag_gives_304_until_something_changes(cloud: EmbeddedCloud, device: SignedClient) -> None:
    first = device.get("/v1/catalogue")
    etag = first.headers["ETag"]
    unchanged = device.get("/v1/catalogue", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["ETag"] == etag and "X-Server-Time" in unchanged.headers
    assert device.get("/v1/catalogue", headers={"If-None-Match": '"stale"'}).status_code == 200
    cloud.admin.load_catalogue({"gifts": [_gift_with_stock(cloud, first.json(), "gift-towels", 99)]})
    changed = device.get("/v1/catalogue", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert {g["id"]: g["stock"] for g in changed.json()["gifts"]}["gift-towels"] == 99


def _gift_with_stock(cloud: EmbeddedCloud, catalogue: dict[str, Any], gift_id: str, stock: int) -> dict[str, Any]:
    gift = next(g for g in catalogue["gifts"] if g["id"] == gift_id)
    del gift["image"]  # drawn from the tile; a catalogue file has no such key
    return {**gift, "stock": {DEMO_STATION: stock},
            "tile": {"emblem": "巾", "caption_zh": "毛巾", "caption_en": "Towels", "colour": "#48C9B0"}}


def test_images_are_pngs_with_etags(device: SignedClient) -> None:
    names = [g["image"] for g in device.get("/v1/catalogue").json()["gifts"]]
    assert len(set(names)) == len(names)
    resp = device.get(f"/v1/images/{names[0]}")
    assert resp.status_code == 200 and resp.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(resp.content))
    assert image.format == "PNG" and image.size == (240, 240)
    # A coloured tile, not a blank square.
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is not None and len(colours) > 10
    again = device.get(f"/v1/images/{names[0]}", headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304
    other = device.get(f"/v1/images/{names[1]}")
    assert other.headers["ETag"] != resp.headers["ETag"]
    missing = device.get("/v1/images/none.png")
    assert (missing.status_code, error_code(missing)) == (404, "not_found")


def test_catalogue_needs_authentication(cloud: EmbeddedCloud) -> None:
    resp = httpx.get(f"{cloud.url}/v1/catalogue")
    assert (resp.status_code, error_code(resp)) == (401, "unknown_device")
