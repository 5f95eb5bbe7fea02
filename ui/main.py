"""Entry points for ``kiosk run`` and ``kiosk demo``: set up logging and Qt, build, run, tear down."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import tempfile
from pathlib import Path

from kiosk.config import LoadedConfig, load
from kiosk.store import open_store
from ui.app import KioskApplication, KioskOptions
from ui.qt import QGuiApplication, QtMsgType, qInstallMessageHandler

log = logging.getLogger("kiosk")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_to_logging(kind: QtMsgType, context: object, message: str) -> None:
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


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


def _exec(loaded: LoadedConfig, options: KioskOptions) -> int:
    setup_logging(loaded)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    assert isinstance(app, QGuiApplication)
    app.setApplicationName("station-kiosk")
    store, recovery = open_store(loaded.config.data_path())
    if recovery is not None:
        log.error("local database was damaged and moved to %s (%s)", recovery.moved_to, recovery.reason)
    kiosk = KioskApplication(app, loaded, store, options)
    try:
        return app.exec()
    finally:
        kiosk.shutdown()
        store.close()


def run(loaded: LoadedConfig) -> int:
    return _exec(loaded, KioskOptions(fullscreen=loaded.config.ui.fullscreen))


def demo(*, role: str, language: str, elderly: bool, size: tuple[int, int], data_dir: Path | None) -> int:
    data = data_dir or Path(tempfile.mkdtemp(prefix="station-kiosk-demo-"))
    overrides = {
        "station": {"role": role},
        "ui": {"language": language, "elderly_mode": elderly, "fullscreen": False},
        "printer": {"kind": "image"},
        "scanner": {"kind": "simulated"},
        "storage": {"data_dir": str(data)},
    }
    loaded = load(Path("/nonexistent-site-config-for-demo"), overrides=overrides)
    print(f"demo data in {data}", file=sys.stderr)
    return _exec(loaded, KioskOptions(window_size=size))
