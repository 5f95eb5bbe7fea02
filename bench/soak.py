"""Soak: does the real application grow as it works? A kiosk runs for months.

The real application, offscreen, against the reference service on loopback (in a process of its own,
so that its memory and files are not counted; its rate limits lifted), is driven by clicks on its
QML, with the UI tests' own helpers: N orders on an ordering kiosk
(every question answered, submitted, the receipt printed by the image printer), then N redemptions on
a redemption kiosk (a fresh volunteer's code scanned, a gift picked, redeemed, the voucher printed).
After a warm-up of a few cycles, the resident set size is sampled after every cycle and its
least-squares slope printed in MB per 10,000 cycles, with the process's open files and threads
before and after (loopback connections apart, which keep-alive opens and closes).

    python -m bench.soak [N]    (default 100 orders and 100 redemptions)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench._driving import Bot
from cloud.admin import Admin
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
SETTINGS = Settings(resolve_per_device=UNLIMITED, resolve_per_member=UNLIMITED, order_lookup_per_device=UNLIMITED)
WARM_UP = 5  # cycles before measuring: caches, the lanes' connections, the HTTP session
GIFT = "gift-magnet"  # 30 points, a per-person limit of 3: every redemption is by a new volunteer
bot = Bot()


def rss_mb() -> float:
    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def open_files() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += not os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            continue  # the listing's own descriptor, closed by now
    return count


class CloudProcess:
    """The reference service in a child process; ``admin`` works on its database from here."""

    def __init__(self, db: Path) -> None:
        self._child = subprocess.Popen([sys.executable, "-m", "bench.soak", "--serve", str(db)],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self._child.stdout is not None
        self.url = self._child.stdout.readline().strip()
        if not self.url:
            raise RuntimeError("the reference service did not start")
        self.admin = Admin(db, SETTINGS)
        self.engine = self.admin.engine

    def stop(self) -> None:
        self._child.communicate(timeout=30)  # its stdin closes: it stops


def serve(db: Path) -> None:
    cloud = EmbeddedCloud(db, settings=SETTINGS)
    print(cloud.start(), flush=True)
    sys.stdin.read()  # until the soak closes our stdin
    cloud.stop()


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


def soak(qt: QGuiApplication, cloud: CloudProcess, data: Path, role: str, cycles: int,
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
        cloud = CloudProcess(Path(tmp) / "cloud.sqlite3")
        try:
            print(soak(qt, cloud, Path(tmp) / "ordering", "ordering", cycles, order), flush=True)
            print(soak(qt, cloud, Path(tmp) / "redemption", "redemption", cycles, redeem), flush=True)
        finally:
            cloud.stop()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(Path(sys.argv[2]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
        # Everything is shut down and printed. After a few hundred cycles the interpreter's final
        # garbage collection aborts in PySide6 6.12 on Python 3.11 ("bool_dealloc": a binding drops a
        # reference to True or False somewhere along the way), so leave without it.
        sys.stdout.flush()
        os._exit(0)
