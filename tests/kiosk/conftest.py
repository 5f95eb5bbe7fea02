"""Fixtures shared by the kiosk core's tests: the real reference service on loopback, a fault proxy
in front of it, and a store enrolled with it. A test module that needs something else defines its own
fixture of the same name."""

from __future__ import annotations

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
