from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from cloud.embedded import EmbeddedCloud
from tests.cloud.signed import SignedClient, enrol

_member_numbers = itertools.count(50000001)


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedCloud]:
    """One seeded service per test module (on a real SQLite file); tests make their own members."""
    server = EmbeddedCloud(tmp_path_factory.mktemp("cloud") / "cloud.sqlite3")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def device(cloud: EmbeddedCloud) -> Iterator[SignedClient]:
    client = enrol(cloud.url, cloud.admin.enrolment_code("st-nanguan").code)
    yield client
    client.close()


def new_member(cloud: EmbeddedCloud, points: int = 1000, name: str = "测试员") -> str:
    """A fresh member number with ``points``."""
    member_no = str(next(_member_numbers))
    cloud.admin.add_member(member_no, name, points=points)
    return member_no
