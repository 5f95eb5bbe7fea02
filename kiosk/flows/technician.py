"""Technician mode without Qt: the first-start wizard's steps, validated config changes, remote config,
and the maintenance chores (log export to a USB stick, log tail).

Config changes go through :func:`plan_changes`: each value is coerced and checked by its section's
schema (so "90" typed on the screen is stored as 90, and a bad value names its key), then
:func:`kiosk.config.write_local` merges it into the local override file atomically. Keys the cloud
manages are refused here; :func:`remote_changes` turns the cloud's dotted keys into the same shape.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from kiosk.config import ConfigError, KioskConfig, iter_keys, value_of


class WizardStep(StrEnum):
    PIN = "pin"  # set the technician PIN (only on a kiosk that has none)
    STATION = "station"  # station id, name and role
    CLOUD = "cloud"  # enrol with the cloud (scan the SKE1 QR or type URL and code)
    DONE = "done"  # saved: restart to start syncing


WIZARD_ORDER = (WizardStep.PIN, WizardStep.STATION, WizardStep.CLOUD, WizardStep.DONE)


class Wizard:
    """The setup wizard's position; the PIN step is skipped when a PIN already exists."""

    def __init__(self, needs_pin: bool) -> None:
        self.steps = WIZARD_ORDER if needs_pin else WIZARD_ORDER[1:]
        self.step = self.steps[0]

    def next(self) -> WizardStep:
        index = self.steps.index(self.step)
        self.step = self.steps[min(index + 1, len(self.steps) - 1)]
        return self.step

    def back(self) -> bool:
        """One step back; False at the first step, and never back into the PIN step once it is set."""
        index = self.steps.index(self.step)
        if index == 0 or self.steps[index - 1] is WizardStep.PIN or self.step is WizardStep.DONE:
            return False
        self.step = self.steps[index - 1]
        return True


def needs_setup(config: KioskConfig, pin_set: bool, enrolled: bool) -> bool:
    """An unconfigured kiosk: no PIN yet, no cloud URL, or not enrolled."""
    return not pin_set or not config.cloud.url or not enrolled


# --- config changes ----------------------------------------------------------------------------------

# Keys that take effect at once; everything else says "after restart" (the services are built from
# them at start: cloud client, sync engine, scanner, role's home screen, logging, data dir).
LIVE_KEYS = ("ui.", "station.name", "station.hotline", "redemption.", "technician.", "printer.")

EDITABLE = frozenset(key for key, _ in iter_keys() if "." in key and not key.startswith(("storage.", "logging.")))


def is_live(key: str) -> bool:
    return key.startswith(LIVE_KEYS)


class ChangeProblem(StrEnum):
    INVALID = "invalid_value"  # the schema refuses it; detail says what is allowed
    REMOTE = "remote_managed"  # the cloud sets this key
    UNKNOWN = "unknown_key"


@dataclass(frozen=True)
class KeyProblem:
    key: str
    problem: ChangeProblem
    detail: str = ""


@dataclass
class ChangePlan:
    values: dict[str, Any] = field(default_factory=dict)  # dotted key → coerced value, only real changes
    problems: list[KeyProblem] = field(default_factory=list)

    @property
    def restart_needed(self) -> bool:
        return any(not is_live(key) for key in self.values)

    def nested(self) -> dict[str, dict[str, Any]]:
        return nest(self.values)


def nest(values: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for dotted, value in values.items():
        section, key = dotted.split(".", 1)
        out.setdefault(section, {})[key] = value
    return out


def _allowed(error: Mapping[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    if "expected" in ctx:
        return f"allowed: {ctx['expected']}"
    bounds = [f"{sign} {ctx[k]}" for k, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")) if k in ctx]
    return "allowed: " + ", ".join(bounds) if bounds else str(error.get("msg", ""))


def plan_changes(config: KioskConfig, edits: Mapping[str, Any], remote: Iterable[str] = ()) -> ChangePlan:
    """Check ``edits`` (dotted key → value as typed) against the schema; keep only values that change."""
    plan = ChangePlan()
    managed = set(remote)
    by_section: dict[str, dict[str, Any]] = {}
    for key, value in edits.items():
        if key not in EDITABLE:
            plan.problems.append(KeyProblem(key, ChangeProblem.UNKNOWN))
        elif key in managed:
            plan.problems.append(KeyProblem(key, ChangeProblem.REMOTE))
        else:
            section, name = key.split(".", 1)
            by_section.setdefault(section, {})[name] = value.strip() if isinstance(value, str) else value
    for section, values in by_section.items():
        current: BaseModel = getattr(config, section)
        try:
            checked = type(current).model_validate({**current.model_dump(), **values})
        except ValidationError as exc:
            for error in exc.errors():
                name = ".".join(str(p) for p in error["loc"])
                plan.problems.append(KeyProblem(f"{section}.{name}", ChangeProblem.INVALID, _allowed(error)))
            continue
        for name in values:
            new = getattr(checked, name)
            if new != getattr(current, name):
                plan.values[f"{section}.{name}"] = new
    return plan


def config_error_problems(error: ConfigError, keys: Iterable[str]) -> list[KeyProblem]:
    """Attach the lines of a :class:`ConfigError` to the keys they name (whole-file problems to "")."""
    found = []
    for line in error.problems:
        key = next((k for k in keys if f" {k} " in line or f" {k}:" in line), "")
        found.append(KeyProblem(key, ChangeProblem.INVALID, line.rsplit(": ", 1)[-1]))
    return found


def apply_live(config: KioskConfig, values: Mapping[str, Any]) -> None:
    """Set already-checked values on the running config (sections validate on assignment)."""
    for dotted, value in values.items():
        section, name = dotted.split(".", 1)
        setattr(getattr(config, section), name, value)


def remote_changes(values: Mapping[str, Any]) -> dict[str, Any]:
    """The cloud's ``{"ui.idle_timeout_s": 120}`` restricted to keys the kiosk has and may take."""
    return {key: value for key, value in values.items() if key in EDITABLE}


def current_values(config: KioskConfig) -> dict[str, Any]:
    return {key: value_of(config, key) for key in sorted(EDITABLE)}


# --- maintenance ---------------------------------------------------------------------------------------

USB_ROOTS = (Path("/media"), Path("/run/media"))


def usb_mounts(roots: Iterable[Path] = USB_ROOTS) -> list[Path]:
    """Writable mount points of removable media: ``/media/<label>`` or ``/media/<user>/<label>``."""
    found: list[Path] = []
    for root in roots:
        if not root.is_dir():
            continue
        for first in sorted(p for p in root.iterdir() if p.is_dir()):
            levels = [first] if first.is_mount() else sorted(p for p in first.iterdir() if p.is_dir())
            found.extend(p for p in levels if p.is_mount() and _writable(p))
    return found


def _writable(path: Path) -> bool:
    probe = path / ".station-kiosk-write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    return True


def export_logs(log_dir: Path, target: Path, station_id: str, now: float | None = None) -> Path:
    """Copy every log file to a new folder on ``target``; returns it. Raises OSError when it fails."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now if now is not None else time.time()))
    out = target / f"station-kiosk-logs-{station_id}-{stamp}"
    out.mkdir(parents=True)
    for path in sorted(log_dir.glob("*.log*")) if log_dir.is_dir() else []:
        shutil.copy2(path, out / path.name)
    return out


def tail_lines(path: Path, count: int = 200, chunk: int = 64 * 1024) -> list[str]:
    """The last ``count`` lines of a text file (reads only its end)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - chunk))
            data = fh.read()
    except OSError:
        return []
    lines = data.decode("utf-8", "replace").splitlines()
    return lines[-count:] if size <= chunk else lines[1:][-count:]
