"""A kiosk runs for months: actions driven through the real app leave no file descriptor behind
(each used to leave its worker thread's SQLite connection open)."""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import pytest

from cloud.settings import RateLimit, Settings
from tests.ui.conftest import Live, click, current_screen
from tests.ui.test_redemption import redemption_kiosk, scan_member
from ui.app import KioskApplication

ACTIONS = 50
UNLIMITED = RateLimit(1_000_000, 60)


@pytest.fixture
def cloud_settings() -> Settings:
    return Settings(resolve_per_device=UNLIMITED, resolve_per_member=UNLIMITED)  # the kiosk, not the limiter


def open_files() -> dict[str, str]:
    out = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            out[fd] = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # the listing's own descriptor, closed by now
    return out


def files(descriptors: dict[str, str]) -> list[str]:
    return [target for target in descriptors.values() if not target.startswith("socket:")]


def volunteer_comes_and_goes(qtbot: Any, app: KioskApplication, live: Live) -> None:
    """A volunteer's code scanned (checked, its nonce spent in the store, the cloud asked on a worker),
    the summary shown, then home by a click."""
    scan_member(qtbot, app, live)
    click(qtbot, app, "homeButton")
    qtbot.waitUntil(lambda: current_screen(app) == "homeRedemption" and app.redemption.step == "scan")


def test_file_descriptors_unchanged_after_fifty_actions(qtbot: Any, live: Live) -> None:
    app = redemption_kiosk(live)
    volunteer_comes_and_goes(qtbot, app, live)  # the lane's connection and the HTTP session open once, here
    before = open_files()
    for _ in range(ACTIONS):
        volunteer_comes_and_goes(qtbot, app, live)
    after = open_files()
    opened = Counter(after.values()) - Counter(before.values())
    closed = Counter(before.values()) - Counter(after.values())
    why = f"after {ACTIONS} actions, opened: {dict(opened)}, closed: {dict(closed)}"
    # Files exactly as before; loopback HTTP connections to the cloud may have been closed since, as
    # keep-alive connections are, but no more of them are open.
    assert len(files(after)) == len(files(before)), why
    assert len(after) - len(files(after)) <= len(before) - len(files(before)), why
