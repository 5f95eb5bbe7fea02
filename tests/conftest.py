"""Session-wide test set-up: Qt offscreen with the virtual keyboard, and a guard that fails any test
during which QML printed a warning or an error (QML reports its errors as warnings)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")
