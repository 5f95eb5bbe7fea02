"""The platform command line, run in-process against a real SQLite file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from cloud.admin import Admin
from cloud.cli import main
from cloud.embedded import EmbeddedCloud
from tests.cloud.signed import SignedClient


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--db", str(db)])
    out, err = capsys.readouterr()
    return code, out, err


def test_platform_workflow(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cloud.sqlite3"
    assert run(capsys, db, "init")[0] == 0
    code, out, _ = run(capsys, db, "station", "add", "st-test", "--name", "测试站", "--name-en", "Test station",
                       "--address", "城中区某路1号", "--hotline", "0971-0000000")
    assert code == 0 and "st-test" in out
    seed = json.loads((Path(__file__).resolve().parents[2] / "cloud" / "seed" / "catalogue.json").read_text("utf-8"))
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(json.dumps(seed, ensure_ascii=False), "utf-8")
    code, _, err = run(capsys, db, "catalogue", "load", str(catalogue))
    assert code == 1 and "unknown stations ['st-czq', 'st-nanguan', 'st-yinma']" in err
    for gift in seed["gifts"]:
        gift["stock"] = {"st-test": 10}
    seed["address_book"] = {"st-test": [{"building": "1号楼", "units": ["1单元"]}]}
    catalogue.write_text(json.dumps(seed, ensure_ascii=False), "utf-8")
    code, out, _ = run(capsys, db, "catalogue", "load", str(catalogue))
    assert code == 0 and "23 services" in out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"services": [{**seed["services"][0], "provider": "org-none"}]}), "utf-8")
    code, _, err = run(capsys, db, "catalogue", "load", str(bad))
    assert code == 1 and "refers to something unknown" in err
    code, out, _ = run(capsys, db, "member", "add", "20000001", "赵兰英", "--points", "300")
    assert code == 0 and out.strip().startswith("m_")
    assert run(capsys, db, "member", "hours", "20000001", "--kind", "credit", "--hours", "12.5")[0] == 0
    code, out, _ = run(capsys, db, "member", "points", "20000001", "-100")
    assert (code, out.strip()) == (0, "balance: 200")
    assert run(capsys, db, "member", "card-pin", "20000001", "4321")[0] == 0
    code, out, _ = run(capsys, db, "member", "token", "20000001")
    assert code == 0 and re.fullmatch(r"SKM1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", out.strip())
    code, out, _ = run(capsys, db, "enrol-code", "--station", "st-test", "--url", "https://cloud.example.cn")
    enrolment = re.search(r"code:\s+(\S+)", out)
    assert code == 0 and enrolment and f"SKE1:https://cloud.example.cn:{enrolment.group(1)}" in out
    assert run(capsys, db, "keys", "rotate")[0] == 0
    code, out, _ = run(capsys, db, "keys", "list")
    assert code == 0 and len(out.strip().splitlines()) == 2

    # A kiosk enrols with the printed code and orders; the platform dispatches it.
    with EmbeddedCloud(db, seed=False) as cloud:
        resp = httpx.post(f"{cloud.url}/v1/devices/enrol", json={
            "enrolment_code": enrolment.group(1), "device_name": "点单机1", "app_version": "0.1.0"})
        creds = resp.json()
        kiosk = SignedClient(cloud.url, creds["device_id"], creds["device_secret"])
        order = kiosk.post("/v1/orders", {
            "client_code": "LABCDE", "service_id": "svc-legal-advice",
            "contact": {"phone": "13800001234", "name": "赵", "title": "女士"}, "beneficiary": None,
            "address": {"building": "", "unit": "", "room": "", "text": "到站咨询"},
            "time_slot": {"day": "any", "part": "any"}, "tags": [], "note": "", "consent": True,
            "created_at": 1764400000.0}, key="3f0e8c5c-4b7e-4d1e-9a51-0c7c1f1e2a10").json()
        kiosk.post("/v1/heartbeat", {"app_version": "0.1.0", "role": "ordering", "printer": {"online": True},
                                     "scanner": {"available": False}, "outbox_depth": 0})
        kiosk.close()
    code, out, _ = run(capsys, db, "order", "list", "--status", "submitted")
    assert code == 0 and order["order_code"] in out and "LABCDE" in out
    code, out, _ = run(capsys, db, "order", "advance", "LABCDE", "--to", "dispatched", "--by", "org-legal-aid")
    assert (code, out.strip()) == (0, f"{order['order_code']} is now dispatched")
    code, out, _ = run(capsys, db, "device", "list")
    assert code == 0 and creds["device_id"] in out and '"role": "ordering"' in out
    code, out, _ = run(capsys, db, "config", "set", creds["device_id"], "ui.idle_timeout_s=90", "ui.greeting=您好")
    assert (code, out.strip()) == (0, "config version 1")
    values = {r["key"]: r["value"] for r in _config_rows(db)}
    assert values == {"ui.idle_timeout_s": 90, "ui.greeting": "您好"}
    assert run(capsys, db, "device", "revoke", creds["device_id"])[0] == 0


def _config_rows(db: Path) -> list[dict[str, object]]:
    import sqlalchemy as sa

    from cloud.db import device_config

    with Admin(db).engine.begin() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(device_config))]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("member", "token", "nobody"), "no member 'nobody'"),
        (("enrol-code", "--station", "st-none"), "no station 'st-none'"),
        (("order", "advance", "XN19990101-0001", "--to", "accepted"), "no order"),
        (("device", "revoke", "dev_none"), "no device"),
        (("member", "card-pin", "10000128", "12"), "4–8 digits"),
        (("catalogue", "load", "/nonexistent/catalogue.json"), "No such file"),
        (("config", "set", "dev_none", "novalue"), "expected key=value"),
    ],
)
def test_errors_exit_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...],
                              message: str) -> None:
    db = tmp_path / "cloud.sqlite3"
    assert run(capsys, db, "seed")[0] == 0
    code, _, err = run(capsys, db, *args)
    assert code == 1 and message in err and err.startswith("kiosk-cloud: error:")


def test_seed_refuses_a_populated_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cloud.sqlite3"
    assert run(capsys, db, "seed")[0] == 0
    code, _, err = run(capsys, db, "seed")
    assert code == 1 and "already has stations" in err
    code, out, _ = run(capsys, db, "member", "show", "10000231")
    assert code == 0 and json.loads(out)["masked_name"] == "马*国"


def test_operator_side_of_the_platform(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cloud.sqlite3"
    assert run(capsys, db, "seed")[0] == 0
    code, out, _ = run(capsys, db, "account", "invite", "13912340000", "文明办张主任")
    assert code == 0 and re.search(r"activation code: [A-Z2-9]{10}", out)
    code, _, err = run(capsys, db, "account", "invite", "13912340000", "重复")
    assert code == 1 and "exists already" in err
    code, _, err = run(capsys, db, "account", "invite", "13912340001", "无站点", "--role", "staff")
    assert code == 1 and "station staff belong to a station" in err
    code, out, _ = run(capsys, db, "rule", "set", "points.per_hour", "15")
    assert (code, out.strip()) == (0, "points.per_hour = 15")
    code, _, err = run(capsys, db, "rule", "set", "points.rounding", "sideways")
    assert code == 1 and "points.rounding: one of half_up, down, up" in err
    code, out, _ = run(capsys, db, "rule", "list")
    assert code == 0 and re.search(r"points.per_hour\s+15\s+default 10", out)
    code, out, _ = run(capsys, db, "routing", "set", "--station", "st-nanguan", "--category", "elderly",
                       "--route", "pool")
    assert code == 0 and "station st-nanguan category elderly → pool" in out
    code, _, err = run(capsys, db, "routing", "set", "--route", "organisation")
    assert code == 1 and "organisation_id" in err
    code, out, _ = run(capsys, db, "jobs", "run")
    assert code == 0 and "escalated orders:" in out and "expired vouchers:" in out
