"""The one place the UI imports Qt from, so versions and environment set-up live together.

Importing this module sets the environment Qt reads at start-up (virtual keyboard input method, Quick
Controls style) unless the caller already chose something else.

Import the Qt-free modules a UI module needs before this one: once PySide6 is loaded it reads the source
of every module imported after it (looking for its ``__feature__`` switches), about a millisecond each.
"""

from __future__ import annotations

import os

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
]
