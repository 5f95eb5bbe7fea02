"""A database made by the first schema version is upgraded in place when the service starts."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from cloud.admin import Admin
from cloud.db import SCHEMA_VERSION, init_schema, make_engine, meta, organisations, stations

# The three tables as version 1 made them, before the hierarchy, team links and service gifts.
VERSION_1 = (
    "CREATE TABLE meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE stations (id VARCHAR(64) PRIMARY KEY, name JSON NOT NULL, hotline VARCHAR(32) DEFAULT '' NOT NULL, "
    "address JSON NOT NULL, pickup_location JSON NOT NULL, phone_order_url TEXT DEFAULT '' NOT NULL, "
    "created_at FLOAT NOT NULL)",
    "CREATE TABLE organisations (id VARCHAR(64) PRIMARY KEY, name JSON NOT NULL)",
    "CREATE TABLE gifts (id VARCHAR(64) PRIMARY KEY, category_id VARCHAR(64) NOT NULL, name JSON NOT NULL, "
    "description JSON NOT NULL, points INTEGER NOT NULL, per_person_limit INTEGER, "
    "voucher_valid_days INTEGER NOT NULL, image VARCHAR(128) NOT NULL, sort INTEGER NOT NULL, "
    "active BOOLEAN DEFAULT 1 NOT NULL)",
    "INSERT INTO meta VALUES ('schema_version', '1')",
    """INSERT INTO stations VALUES ('st-old', '{"zh_CN": "老站", "en": "Old station"}', '', """
    """'{"zh_CN": "某路1号", "en": "1 Some Road"}', '{"zh_CN": "服务台", "en": "Desk"}', '', 0)""",
    """INSERT INTO organisations VALUES ('org-old', '{"zh_CN": "老队", "en": "Old team"}')""",
)


def test_version_1_database_gains_the_new_columns(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "cloud.sqlite3")
    with engine.begin() as conn:
        for statement in VERSION_1:
            conn.exec_driver_sql(statement)
    init_schema(engine)
    with engine.begin() as conn:
        assert conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).scalar() == str(
            SCHEMA_VERSION)
        old = conn.execute(sa.select(stations).where(stations.c.id == "st-old")).one()
        assert (old.level, old.parent_id, old.practice_base) == ("station", None, False)
        team = conn.execute(sa.select(organisations).where(organisations.c.id == "org-old")).one()
        assert (team.station_id, team.parent_id) == (None, None)
    admin = Admin(engine)
    admin.add_station({"id": "centre", "level": "centre", "name": {"zh_CN": "中心", "en": "Centre"},
                       "address": {"zh_CN": "某路2号", "en": "2 Some Road"},
                       "pickup_location": {"zh_CN": "服务台", "en": "Desk"}})
    admin.load_catalogue({"organisations": [{"id": "org-old", "name": {"zh_CN": "老队", "en": "Old team"},
                                             "station": "centre"}]})
    with engine.begin() as conn:
        assert conn.execute(sa.select(organisations.c.station_id)).scalar() == "centre"
        with pytest.raises(sa.exc.IntegrityError):  # the level's CHECK came with the column
            conn.execute(sa.update(stations).where(stations.c.id == "st-old").values(level="village"))
    init_schema(engine)  # idempotent


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "cloud.sqlite3")
    init_schema(engine)
    with engine.begin() as conn:
        conn.execute(sa.update(meta).values(value=str(SCHEMA_VERSION + 1)))
    with pytest.raises(RuntimeError, match=f"schema version {SCHEMA_VERSION + 1} is not the supported version"):
        init_schema(engine)
