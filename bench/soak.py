"""Soak: does the real application grow as it works? A kiosk runs for months.

The real application, offscreen, against the embedded reference service on loopback (its rate limits
lifted), is driven by clicks on its QML, with the UI tests' own helpers: N orders on an ordering kiosk
(every question answered, submitted, the receipt printed by the image printer), then N redemptions on
a redemption kiosk (a fresh volunteer's code scanned, a gift picked, redeemed, the voucher printed).
After a warm-up of a few cycles, the resident set size is sampled after every cycle and its
least-squares slope printed in MB per 10,000 cycles, with the process's open files and threads
before and after.

    python -m bench.soak [N]    (default 100 orders and 100 redemptions)
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench._driving import Bot
from cloud.embedded import EmbeddedCloud
from cloud.settings import RateLimit, Settings
from kiosk.store import open_store
from tests import conftest as test_environment  # offscreen, with the tests' keyboard and style
from tests.ui.conftest import WINDOW, Live, click, current_screen
from tests.ui.test_ordering import order_up_to_confirm
from tests.ui.test_redemption import pick, scan_member, set_stock
from ui.app import KioskApplication, KioskOptions
from ui.demo import prepare_kiosk
from ui.main import demo_config
from ui.qt import QGuiApplication

UNLIMITED = RateLimit(1_000_000, 60)
WARM_UP = 5  # cycles before measuring: caches, the lanes' connections, the HTTP session
GIFT = "gift-magnet"  # 30 points, a per-person limit of 3: every redemption is by a new volunteer
bot = Bot()


def rss_mb() -> float:
    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def slope_per_10k(samples: list[float]) -> float:
    """Least-squares slope of ``samples`` (one per cycle), times 10,000."""
    n = len(samples)
    mean_x, mean_y = (n - 1) / 2, sum(samples) / n
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(samples))
    variance = sum((x - mean_x) ** 2 for x in range(n))
    return covariance / variance * 10_000 if variance else 0.0


def order(app: KioskApplication, live: Live, cycle: int) -> None:
    order_up_to_confirm(bot, app)
    click(bot, app, "submitButton")
    bot.waitUntil(lambda: app.ordering.step == "done", timeout=15000)
    click(bot, app, "finishButton")
    bot.waitUntil(lambda: current_screen(app) == "homeOrdering")


def redeem(app: KioskApplication, live: Live, cycle: int) -> None:
    if cycle == 0:
        set_stock(live, GIFT, 1_000_000)  # one each, for as many volunteers as the soak brings
    member = f"9{cycle:07d}"
    live.cloud.admin.add_member(member, "测试志愿者", points=1000)
    scan_member(bot, app, live, member)
    click(bot, app, "toGiftsButton")
    pick(bot, app, "souvenir", GIFT)
    click(bot, app, "toCartButton")
    click(bot, app, "toConfirmButton")
    click(bot, app, "redeemButton")
    bot.waitUntil(lambda: app.redemption.step == "voucher", timeout=15000)
    click(bot, app, "finishButton")
    bot.waitUntil(lambda: current_screen(app) == "homeRedemption")


def soak(qt: QGuiApplication, cloud: EmbeddedCloud, data: Path, role: str, cycles: int,
         cycle: Callable[[KioskApplication, Live, int], None]) -> str:
    loaded = demo_config(data, role=role, language="zh_CN", elderly=False, cloud_url=cloud.url)
    prepare_kiosk(loaded.config, cloud)
    store, _ = open_store(loaded.config.data_path())
    app = KioskApplication(qt, loaded, store, KioskOptions(window_size=WINDOW))
    live = Live(cloud, None, data, lambda **_: app)
    try:
        app.window.show()
        bot.waitUntil(lambda: app.window.contentItem().width() == WINDOW[0])
        for n in range(WARM_UP):
            cycle(app, live, n)
        files, threads, rss = open_files(), threading.active_count(), [rss_mb()]
        for n in range(WARM_UP, WARM_UP + cycles):
            cycle(app, live, n)
            rss.append(rss_mb())
        return (f"{role}: {cycles} by clicks, RSS {rss[0]:.0f} → {rss[-1]:.0f} MB, "
                f"slope {slope_per_10k(rss):+.1f} MB per 10k cycles; "
                f"open files {files} → {open_files()}, threads {threads} → {threading.active_count()}")
    finally:
        app.shutdown()
        store.close()


def main(cycles: int) -> None:
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen", test_environment
    qt: Any = QGuiApplication.instance() or QGuiApplication(sys.argv)
    with tempfile.TemporaryDirectory(prefix="kiosk-soak-") as tmp:
        settings = Settings(resolve_per_device=UNLIMITED, resolve_per_member=UNLIMITED,
                            order_lookup_per_device=UNLIMITED)
        cloud = EmbeddedCloud(Path(tmp) / "cloud.sqlite3", settings=settings)
        cloud.start()
        try:
            print(soak(qt, cloud, Path(tmp) / "ordering", "ordering", cycles, order), flush=True)
            print(soak(qt, cloud, Path(tmp) / "redemption", "redemption", cycles, redeem), flush=True)
        finally:
            cloud.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
