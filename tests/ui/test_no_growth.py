"""A kiosk runs for months: actions driven through the real app leave no file descriptor behind
(each used to leave its worker thread's SQLite connection open)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from cloud.settings import RateLimit, Settings
from tests.ui.conftest import Live, click
from ui.app import KioskApplication

ACTIONS = 50


@pytest.fixture
def cloud_settings() -> Settings:
    return Settings(order_lookup_per_device=RateLimit(1_000_000, 60))  # measure the kiosk, not the limiter


def open_files() -> dict[str, str]:
    out = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            out[fd] = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # the listing's own descriptor, closed by now
    return out


def look_up_an_order(qtbot: Any, app: KioskApplication) -> None:
    """Scan a receipt on the tracking screen (a lookup on a worker), see the timeline, go back."""
    app.services.scanner.inject("SKO1:LP3X9D:1234")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: app.tracking.step == "status", timeout=10000)
    click(qtbot, app, "backButton")
    qtbot.waitUntil(lambda: app.tracking.step == "entry")


def test_file_descriptors_unchanged_after_fifty_actions(qtbot: Any, live: Live) -> None:
    app = live.make()
    click(qtbot, app, "trackButton")
    qtbot.waitUntil(lambda: app.scanner.claimedBy == "track")
    look_up_an_order(qtbot, app)  # the lane's connection and the HTTP session open once, here
    before = open_files()
    for _ in range(ACTIONS):
        look_up_an_order(qtbot, app)
    after = open_files()
    grown = sorted(set(after.values()) - set(before.values())) or sorted(after.values())
    assert len(after) == len(before), f"{len(after) - len(before):+d} descriptors after {ACTIONS} actions: {grown}"
