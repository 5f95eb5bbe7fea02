"""The one place the UI imports Qt from, so versions and environment set-up live together.

Importing this module sets the environment Qt reads at start-up (virtual keyboard input method, Quick
Controls style) unless the caller already chose something else.

Import the Qt-free modules a UI module needs before this one: once PySide6 is loaded it reads the source
of every module imported after it (looking for its ``__feature__`` switches), about a millisecond each.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QEvent,
    QLocale,
    QObject,
    QSize,
    Qt,
    QTimer,
    QtMsgType,
    QTranslator,
    QUrl,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QImage
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickImageProvider, QQuickItem, QQuickWindow
from shiboken6 import delete as delete_now  # destroy the C++ object at once, not when Python lets go

# The XDG user folders, each a sub-folder of the one use_private_user_dirs() is given.
_USER_DIRS = {"XDG_CONFIG_HOME": "config", "XDG_CACHE_HOME": "cache", "XDG_DATA_HOME": "data",
              "XDG_STATE_HOME": "state"}
# A cache folder the deployment chose is kept (the systemd unit's /var/cache/station-kiosk).
_KEPT_WHEN_SET = frozenset({"XDG_CACHE_HOME"})
# Where Qt Virtual Keyboard's Pinyin engine keeps the words a user typed (QStandardPaths::ConfigLocation).
PINYIN_USER_DICTIONARY = Path("qtvirtualkeyboard/pinyin/usr_dict.dat")


def use_private_user_dirs(folder: Path) -> None:
    """Point this process's XDG user folders (config, data, state, and cache unless one is set) at
    sub-folders of ``folder``, so Qt and what it loads (the keyboard's user dictionary, the QML disk
    cache, fontconfig's cache) write there and never under $HOME, which may be new or read-only
    (systemd ProtectHome=). Call it before QGuiApplication exists: fontconfig reads them once.

    The Pinyin engine warns on every start whose user dictionary file does not exist yet, and creates
    it only after the warning. An empty file is a valid start: the engine writes a fresh dictionary over
    a file it cannot validate."""
    for variable, name in _USER_DIRS.items():
        if variable in _KEPT_WHEN_SET and os.environ.get(variable):
            continue
        (folder / name).mkdir(parents=True, exist_ok=True)
        os.environ[variable] = str(folder / name)
    dictionary = folder / _USER_DIRS["XDG_CONFIG_HOME"] / PINYIN_USER_DICTIONARY
    dictionary.parent.mkdir(parents=True, exist_ok=True)
    dictionary.touch(exist_ok=True)


__all__ = [
    "Property",
    "QCoreApplication",
    "QEvent",
    "QFont",
    "QFontDatabase",
    "QGuiApplication",
    "QImage",
    "QLocale",
    "QObject",
    "QQmlApplicationEngine",
    "QQuickImageProvider",
    "QQuickItem",
    "QQuickWindow",
    "QSize",
    "QTimer",
    "QTranslator",
    "QUrl",
    "Qt",
    "QtMsgType",
    "Signal",
    "Slot",
    "delete_now",
    "qInstallMessageHandler",
    "use_private_user_dirs",
]
