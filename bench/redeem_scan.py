"""Scan to member summary on the redemption kiosk: how long a volunteer waits after showing the code.

The demo setup: the embedded reference service on loopback, an enrolled kiosk with its catalogue and
keys cached. ``core`` times :meth:`RedemptionFlow.scan` (check the token here, spend its nonce, open
the cloud session). ``app`` runs the real application offscreen and times from the simulated
scanner's inject until the view model has the member, and until the summary screen has finished
sliding in (the StackView transition). The service's lookup rate limits
are lifted so that many runs in a row measure latency, not the limiter. Printed as median and p95.

    python -m bench.redeem_scan [--runs 50] [--mode core|app|both]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtQuick import QQuickItem

from bench._driving import wait_until
from cloud.embedded import EmbeddedCloud
from cloud.settings import RateLimit, Settings
from kiosk.cloud_client import CloudClient
from kiosk.config import RedemptionConfig
from kiosk.flows.redemption import RedeemStep, RedemptionFlow
from kiosk.store import open_store
from kiosk.sync import SyncEngine

STATION = "st-nanguan"
MEMBER = "10000128"
UNLIMITED = RateLimit(1_000_000, 60)


def figures(label: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    median = statistics.median(ms)
    return f"{label}: scan → member summary over {len(ms)} runs: median {median:.1f} ms, p95 {p95:.1f} ms"


def bench_core(cloud: EmbeddedCloud, data: Path, runs: int) -> list[float]:
    store, _ = open_store(data)
    client = CloudClient(cloud.url, connect_timeout=2, read_timeout=10, store=store)
    client.enrol(cloud.admin.enrolment_code(STATION).code, "bench core")
    engine = SyncEngine(store, client, heartbeat_s=3600, health=dict)
    engine.refresh_catalogue()
    engine.refresh_keys()
    flow = RedemptionFlow(engine, RedemptionConfig(), lambda: (engine.catalogue() or {}).get("gifts", []), None)
    out = []
    try:
        for _ in range(runs):
            token = cloud.admin.member_token(MEMBER)
            started = time.perf_counter()
            problem = flow.scan(token)
            out.append(time.perf_counter() - started)
            assert problem is None and flow.step is RedeemStep.SUMMARY, problem
            flow.reset()
    finally:
        client.close()
        store.close()
    return out


def find_item(root: QQuickItem, name: str) -> QQuickItem:
    pending = [root]
    while pending:
        item = pending.pop()
        if item.objectName() == name:
            return item
        pending.extend(item.childItems())
    raise LookupError(name)


def bench_app(cloud: EmbeddedCloud, data: Path, runs: int, answered: list[float]) -> list[float]:
    """Seconds until the summary screen has finished sliding in; ``answered`` gets the time until
    the view model had the member (before the screen transition)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.app import KioskApplication, KioskOptions
    from ui.demo import prepare_kiosk
    from ui.main import demo_config
    from ui.qt import QGuiApplication

    qt = QGuiApplication.instance() or QGuiApplication(sys.argv)
    loaded = demo_config(data, role="redemption", language="zh_CN", elderly=False, cloud_url=cloud.url)
    prepare_kiosk(loaded.config, cloud)
    store, _ = open_store(loaded.config.data_path())
    kiosk = KioskApplication(qt, loaded, store, KioskOptions(window_size=(1080, 1920)))  # type: ignore[arg-type]
    kiosk.window.show()
    inject: Callable[[str], None] = kiosk.services.scanner.inject  # type: ignore[attr-defined]
    stack = find_item(kiosk.window.contentItem(), "stack")

    def screen() -> str:
        item = stack.property("currentItem")
        return str(item.objectName()) if item is not None else ""

    out: list[float] = []
    try:
        wait_until(lambda: screen() == "homeRedemption")
        for _ in range(runs):
            token = cloud.admin.member_token(MEMBER)
            started = time.perf_counter()
            inject(token)
            wait_until(lambda: kiosk.redemption.step == "summary")
            answered.append(time.perf_counter() - started)
            wait_until(lambda: screen() == "redeemScreen" and not stack.property("busy"))
            out.append(time.perf_counter() - started)
            kiosk.nav.home()
            wait_until(lambda: screen() == "homeRedemption" and not stack.property("busy"))
    finally:
        kiosk.shutdown()
        store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--mode", choices=("core", "app", "both"), default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(resolve_per_device=UNLIMITED, resolve_per_member=UNLIMITED)
        cloud = EmbeddedCloud(Path(tmp) / "cloud.sqlite3", settings=settings)
        cloud.start()
        try:
            if args.mode in ("core", "both"):
                print(figures("core path", bench_core(cloud, Path(tmp) / "core", args.runs)))
            if args.mode in ("app", "both"):
                answered: list[float] = []
                shown = bench_app(cloud, Path(tmp) / "app", args.runs, answered)
                print(figures("real app, offscreen, member known", answered))
                print(figures("real app, offscreen, screen settled", shown))
        finally:
            cloud.stop()


if __name__ == "__main__":
    main()
