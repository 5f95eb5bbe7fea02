"""``kiosk doctor``: what this machine has and lacks, in plain words, each problem with what to do.

Checks here use only the standard library and the kiosk core; device checks (printer status, camera
open) are supplied by ``drivers`` and run by the command line.
"""

from __future__ import annotations

import ctypes.util
import enum
import importlib.util
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import ConfigError, LoadedConfig
from kiosk.fonts import FontMissing, find_cjk_font


class Level(enum.IntEnum):
    OK = 0
    WARN = 1  # works, but something is degraded or optional is missing
    FAIL = 2  # a required part is missing: the kiosk cannot do its job


@dataclass(frozen=True)
class Check:
    name: str
    level: Level
    detail: str
    hint: str = ""


Probe = Callable[[], Check]


def check_config(loaded: LoadedConfig | None, error: ConfigError | None) -> Check:
    if error is not None:
        return Check("config", Level.FAIL, "; ".join(error.problems), "fix the file named above")
    assert loaded is not None
    files = ", ".join(str(layer.path) for layer in loaded.layers) or "built-in defaults only"
    return Check("config", Level.OK, f"valid ({files})")


def check_font() -> Check:
    try:
        return Check("CJK font", Level.OK, str(find_cjk_font()))
    except FontMissing as exc:
        return Check("CJK font", Level.FAIL, "no font with Chinese glyphs", str(exc).split(": ", 1)[-1])


def check_decoders() -> list[Check]:
    checks = []
    if importlib.util.find_spec("zxingcpp") is None:
        checks.append(Check("QR decoder zxing-cpp", Level.FAIL, "not installed", "pip install zxing-cpp"))
    else:
        checks.append(Check("QR decoder zxing-cpp", Level.OK, "installed"))
    if importlib.util.find_spec("pyzbar") is None:
        checks.append(Check("QR decoder pyzbar", Level.WARN, "not installed (optional second decoder)",
                            "pip install pyzbar"))
    elif ctypes.util.find_library("zbar") is None:
        checks.append(Check("QR decoder pyzbar", Level.WARN, "libzbar missing (optional second decoder)",
                            "apt-get install libzbar0"))
    else:
        checks.append(Check("QR decoder pyzbar", Level.OK, "installed with libzbar"))
    return checks


def check_virtual_keyboard() -> Check:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        return Check("virtual keyboard", Level.FAIL, "PySide6 not installed", "run the set-up again")
    plugins = Path(spec.origin).parent / "Qt" / "plugins" / "platforminputcontexts"
    if not any(plugins.glob("libqtvirtualkeyboardplugin*")):
        return Check("virtual keyboard", Level.FAIL, "Qt Virtual Keyboard plugin missing",
                     "install PySide6-Essentials 6.12")
    if ctypes.util.find_library("pulse") is None:
        return Check("virtual keyboard", Level.FAIL, "libpulse missing (the Pinyin keyboard needs it)",
                     "apt-get install libpulse0")
    return Check("virtual keyboard", Level.OK, "Qt Virtual Keyboard with Pinyin")


def check_disk(path: Path, warn_mb: int = 500, fail_mb: int = 50) -> Check:
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free_mb = shutil.disk_usage(probe).free // (1024 * 1024)
    detail = f"{free_mb} MB free at {path}"
    if free_mb < fail_mb:
        return Check("disk", Level.FAIL, detail, "free space: delete old logs and receipts")
    if free_mb < warn_mb:
        return Check("disk", Level.WARN, detail, "free space soon")
    return Check("disk", Level.OK, detail)


def base_checks(loaded: LoadedConfig | None, error: ConfigError | None) -> list[Check]:
    checks = [check_config(loaded, error), check_font(), *check_decoders(), check_virtual_keyboard()]
    if loaded is not None:
        checks.append(check_disk(loaded.config.data_path()))
    return checks


def run_probes(probes: Iterable[Probe]) -> list[Check]:
    results = []
    for probe in probes:
        try:
            results.append(probe())
        except Exception as exc:  # a probe that crashes is itself a finding, not a doctor crash
            results.append(Check(getattr(probe, "__name__", "check"), Level.FAIL, f"check crashed: {exc}"))
    return results


def render(checks: list[Check]) -> str:
    marks = {Level.OK: "  ok ", Level.WARN: " WARN", Level.FAIL: " FAIL"}
    width = max((len(c.name) for c in checks), default=0)
    lines = []
    for check in checks:
        lines.append(f"{marks[check.level]}  {check.name.ljust(width)}  {check.detail}")
        if check.hint and check.level is not Level.OK:
            lines.append(f"       {' ' * width}  → {check.hint}")
    worst = max((c.level for c in checks), default=Level.OK)
    summary = {Level.OK: "All checks passed.", Level.WARN: "Usable, with warnings.",
               Level.FAIL: "Something required is missing: see FAIL above."}[worst]
    return "\n".join([*lines, "", summary])
