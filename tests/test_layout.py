"""House rules that keep the architecture honest."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT_FREE = ("kiosk", "drivers")
HARDWARE_LIBS = ("cv2", "escpos", "serial", "zxingcpp", "pyzbar", "usb", "evdev")


def modules_of(package: str) -> list[str]:
    return sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / package).rglob("*.py")
    )


def test_core_and_drivers_never_load_qt() -> None:
    modules = [m for pkg in QT_FREE for m in modules_of(pkg)]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_import_statement_of_pyside6_in_core_or_drivers() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+(PySide6|shiboken6|ui)\b", re.M)
    offenders = [str(p.relative_to(ROOT)) for pkg in QT_FREE for p in (ROOT / pkg).rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_core_does_not_import_hardware_libraries() -> None:
    pattern = re.compile(rf"^\s*(from|import)\s+({'|'.join(HARDWARE_LIBS)}|drivers)\b", re.M)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "kiosk").rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_only_the_store_writes_sql_in_the_core() -> None:
    sql = re.compile(r"\.execute(many|script)?\(|sqlite3\.connect")
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "kiosk").rglob("*.py")
                 if "store" not in p.relative_to(ROOT).parts and sql.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_package_says_what_lives_there() -> None:
    for package in ("kiosk", "ui", "drivers", "cloud"):
        init = ROOT / package / "__init__.py"
        assert init.exists() and '"""' in init.read_text(encoding="utf-8"), package


def test_view_models_start_no_threads_of_their_own() -> None:
    """UI work runs on the operation runner's fixed lanes (ui/runner.py), never on a thread per action."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py")
                 if p.name != "runner.py" and "threading.Thread(" in p.read_text(encoding="utf-8")]
    assert offenders == []
