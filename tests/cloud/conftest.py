from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from cloud.db import make_engine, metadata
from cloud.embedded import EmbeddedCloud
from cloud.seeding import DEMO_STATION
from tests.cloud.signed import SignedClient, enrol
from tests.pgcluster import POSTGRES_ENV  # e.g. postgresql+psycopg://postgres@127.0.0.1:5432/kiosk_cloud_test

# $POSTGRES_ENV names a PostgreSQL database the tests may wipe; `make test` starts one of its own.

_member_numbers = itertools.count(50000001)


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedCloud]:
    """One seeded service per test module, on a real SQLite file (or on the PostgreSQL database named by
    ``$KIOSK_CLOUD_TEST_POSTGRES``, wiped first); tests make their own members."""
    url = os.environ.get(POSTGRES_ENV)
    server = EmbeddedCloud(_wiped(url) if url else tmp_path_factory.mktemp("cloud") / "cloud.sqlite3")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def device(cloud: EmbeddedCloud) -> Iterator[SignedClient]:
    client = enrol(cloud.url, cloud.admin.enrolment_code(DEMO_STATION).code)
    yield client
    client.close()


def new_member(cloud: EmbeddedCloud, points: int = 1000, name: str = "测试员") -> str:
    """A fresh member number with ``points``."""
    member_no = str(next(_member_numbers))
    cloud.admin.add_member(member_no, name, points=points)
    return member_no


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """A fresh database: a SQLite file, and PostgreSQL when ``$KIOSK_CLOUD_TEST_POSTGRES`` names one."""
    if request.param == "sqlite":
        return tmp_path / "cloud.sqlite3"
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"set {POSTGRES_ENV} to also run against PostgreSQL")
    # Not the module fixture's database, which a service may still be using.
    return _wiped(_sibling_database(url, "race"))



@pytest.fixture
def seeded_cloud(database: Path | str) -> Iterator[EmbeddedCloud]:
    """A seeded service of its own on each database of ``database``."""
    server = EmbeddedCloud(database, seed=True)
    server.start()
    yield server
    server.stop()


def _sibling_database(url: str, suffix: str) -> str:
    parsed = sa.engine.make_url(url)
    name = f"{parsed.database}_{suffix}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def _wiped(url: str) -> str:
    engine = make_engine(url)
    metadata.drop_all(engine)
    engine.dispose()
    return url
