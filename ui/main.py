"""Entry points for ``kiosk run`` and ``kiosk demo``: set up logging and Qt, build, run, tear down."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.config import LoadedConfig, load
from kiosk.store import open_store
from ui.app import KioskApplication, KioskOptions
from ui.demo import DEMO_STATION, DEMO_STATION_NAME, prepare_kiosk, samples, start_cloud
from ui.qt import QGuiApplication, QtMsgType, qInstallMessageHandler, use_private_user_dirs
from ui.watchdog import attach_watchdog

log = logging.getLogger("kiosk")

# Under the data directory: what Qt would otherwise write under $HOME (see use_private_user_dirs).
QT_USER_DIRS = "qt"
# Called once the kiosk is built, before the event loop runs (benchmarks watch for the first frame).
Ready = Callable[[KioskApplication], None]

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


# What Qt itself says on every start of a machine without PipeWire, and about its own keyboard's QML:
# not ours to fix, and not worth a technician's attention.
QT_NOISE_CATEGORIES = frozenset({"qt.multimedia.symbolsresolver", "qt.qml.propertyCache.append"})


def _qt_to_logging(kind: QtMsgType, context: Any, message: str) -> None:
    category = getattr(context, "category", "") or "default"
    level = logging.DEBUG if category in QT_NOISE_CATEGORIES else _QT_LEVELS.get(kind, logging.WARNING)
    logging.getLogger(f"qt.{category}").log(level, "%s", message)


def setup_logging(loaded: LoadedConfig) -> None:
    cfg = loaded.config
    log_dir = cfg.data_path() / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_dir / "kiosk.log", maxBytes=cfg.logging.max_bytes, backupCount=cfg.logging.backups, encoding="utf-8"
    )
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler.setFormatter(fmt)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(fmt)
    root = logging.getLogger()
    root.handlers[:] = [handler, console]
    root.setLevel(cfg.logging.level)
    qInstallMessageHandler(_qt_to_logging)


def _exec(loaded: LoadedConfig, options: KioskOptions, ready: Ready | None = None) -> int:
    setup_logging(loaded)
    use_private_user_dirs(loaded.config.data_path() / QT_USER_DIRS)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    assert isinstance(app, QGuiApplication)
    app.setApplicationName("station-kiosk")
    store, recovery = open_store(loaded.config.data_path())
    if recovery is not None:
        log.error("local database was damaged and moved to %s (%s)", recovery.moved_to, recovery.reason)
    kiosk = KioskApplication(app, loaded, store, options)
    if ready is not None:
        ready(kiosk)
    watchdog = attach_watchdog(kiosk.window, status=f"{loaded.config.station.role} kiosk running")
    try:
        return app.exec()
    finally:
        watchdog.stopping()
        kiosk.shutdown()
        store.close()
        watchdog.close()


def run(loaded: LoadedConfig, ready: Ready | None = None) -> int:
    return _exec(loaded, KioskOptions(fullscreen=loaded.config.ui.fullscreen, setup_wizard=True), ready)


def demo_config(data: Path, *, role: str, language: str, elderly: bool, cloud_url: str) -> LoadedConfig:
    """The demo's settings: built-in defaults plus these, never the machine's site file."""
    overrides = {
        "station": {"id": DEMO_STATION, "name": DEMO_STATION_NAME, "role": role},
        "ui": {"language": language, "elderly_mode": elderly, "fullscreen": False},
        "cloud": {"url": cloud_url},
        "printer": {"kind": "image"},
        "scanner": {"kind": "simulated"},
        "storage": {"data_dir": str(data)},
    }
    return load(data / "no-site-config.toml", overrides=overrides)


def demo(*, role: str, language: str, elderly: bool, size: tuple[int, int], data_dir: Path | None,
         ready: Ready | None = None) -> int:
    data = data_dir or Path(tempfile.mkdtemp(prefix="station-kiosk-demo-"))
    data.mkdir(parents=True, exist_ok=True)
    cloud = start_cloud(data)
    try:
        loaded = demo_config(data, role=role, language=language, elderly=elderly, cloud_url=cloud.url)
        prepare_kiosk(loaded.config, cloud)
        print(f"demo: cloud at {cloud.url}, data in {data}", file=sys.stderr)
        return _exec(loaded, KioskOptions(window_size=size, demo_samples=samples(cloud)), ready)
    finally:
        cloud.stop()
