"""Session-wide test set-up: Qt offscreen with the virtual keyboard, and a guard that fails any test
during which QML printed a warning or an error (QML reports its errors as warnings)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")

from ui.qt import use_private_user_dirs  # after the environment above, which Qt reads on import

# As `kiosk run` does before its QGuiApplication: Qt writes into a folder of this run, never under $HOME.
_QT_USER_DIRS = Path(tempfile.mkdtemp(prefix="kiosk-tests-qt-"))
use_private_user_dirs(_QT_USER_DIRS)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_QT_USER_DIRS, ignore_errors=True)
