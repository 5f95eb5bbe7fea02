"""Fixtures shared by the kiosk core's tests: the real reference service on loopback, a fault proxy
in front of it, and a store enrolled with it. A test module that needs something else defines its own
fixture of the same name."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from cloud.embedded import EmbeddedCloud
from kiosk.store import Store
from tests.kiosk.cloudkit import enrol, running_cloud
from tests.kiosk.faultproxy import FaultProxy


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedCloud]:
    with running_cloud(tmp_path_factory.mktemp("cloud")) as cloud:
        yield cloud


@pytest.fixture
def proxy(cloud: EmbeddedCloud) -> Iterator[FaultProxy]:
    proxy = FaultProxy(int(cloud.url.rsplit(":", 1)[1]))
    proxy.start()
    yield proxy
    proxy.stop()


@pytest.fixture
def store(cloud: EmbeddedCloud, tmp_path: Path) -> Iterator[Store]:
    store = enrol(cloud, tmp_path / "kiosk")
    yield store
    store.close()


@pytest.fixture
def member(cloud: EmbeddedCloud) -> str:
    """A member of its own with 1000 points, so per-person limits do not carry over between tests."""
    member_no = f"T{uuid.uuid4().hex[:10]}"
    cloud.admin.add_member(member_no, "测试", points=1000)
    return member_no
