"""Deployment files: the systemd unit's key settings, udev rule syntax, the PAM and tmpfiles entries,
the install script (bash -n, shellcheck, a dry run), and `systemd-analyze verify` where it exists."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import check_file

ROOT = Path(__file__).resolve().parent.parent.parent
DEPLOY = ROOT / "deploy"
UNIT = DEPLOY / "systemd" / "station-kiosk.service"
RULES = DEPLOY / "udev" / "70-station-kiosk.rules"
INSTALL = DEPLOY / "install.sh"

Unit = dict[str, dict[str, list[str]]]


def parse_unit(text: str) -> Unit:
    """systemd's INI dialect: repeated keys accumulate, '\\' continues a line, '#'/';' comment."""
    sections: Unit = {}
    current: dict[str, list[str]] | None = None
    pending = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = pending + raw.strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if not line or line[0] in "#;":
            continue
        header = re.fullmatch(r"\[([A-Za-z]+)\]", line)
        if header:
            current = sections.setdefault(header.group(1), {})
            continue
        assert current is not None, f"line {number}: setting outside a section"
        key, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", key), f"line {number}: not key=value: {raw!r}"
        current.setdefault(key, []).append(value)
    return sections


@pytest.fixture(scope="module")
def unit() -> Unit:
    return parse_unit(UNIT.read_text(encoding="utf-8"))


def one(unit: Unit, section: str, key: str) -> str:
    values = unit[section].get(key, [])
    assert len(values) == 1, f"[{section}] {key}: expected one value, got {values}"
    return values[0]


def test_unit_runs_the_kiosk_under_cage_as_a_notify_service_with_a_watchdog(unit: Unit) -> None:
    assert one(unit, "Service", "Type") == "notify"
    assert one(unit, "Service", "NotifyAccess") == "all"  # pings come from cage's child
    assert one(unit, "Service", "WatchdogSec") == "30"
    assert one(unit, "Service", "Restart") == "always"
    assert one(unit, "Unit", "StartLimitIntervalSec") == "0"
    assert one(unit, "Service", "User") == "kiosk"
    exec_start = one(unit, "Service", "ExecStart").split()
    assert exec_start[:2] == ["/usr/bin/cage", "--"]
    assert exec_start[2].endswith("/kiosk") and exec_start[3:] == ["run"]
    assert one(unit, "Install", "WantedBy") == "graphical.target"


def test_unit_environment_for_qt_and_the_site_config(unit: Unit) -> None:
    env = dict(item.split("=", 1) for item in unit["Service"]["Environment"])
    assert env["QT_QPA_PLATFORM"] == "wayland"
    assert env["QT_IM_MODULE"] == "qtvirtualkeyboard"
    assert env["KIOSK_CONFIG"] == "/etc/station-kiosk/kiosk.toml"
    assert env["PYTHONFAULTHANDLER"] == "1"


def test_unit_owns_a_tty_with_blanking_off(unit: Unit) -> None:
    tty = one(unit, "Service", "TTYPath")
    assert one(unit, "Service", "StandardInput") == "tty-fail"
    assert f"getty@{Path(tty).name}.service" in one(unit, "Unit", "Conflicts")
    pre = one(unit, "Service", "ExecStartPre")
    assert pre.startswith("-") and "--blank 0" in pre and "--powerdown 0" in pre


def test_pam_stack_named_by_the_unit_opens_a_logind_session(unit: Unit) -> None:
    pam = DEPLOY / "pam" / one(unit, "Service", "PAMName")
    rules = [line.split() for line in pam.read_text().splitlines() if line and not line.startswith("#")]
    assert all(len(r) == 3 and r[0] in {"auth", "account", "session", "password"} for r in rules)
    assert ["session", "required", "pam_systemd.so"] in rules
    assert not any("pam_permit" in r[2] for r in rules if r[0] == "auth")


def test_data_dir_agrees_across_unit_tmpfiles_and_the_installed_site_config(unit: Unit) -> None:
    state = "/var/lib/" + one(unit, "Service", "StateDirectory")
    assert one(unit, "Service", "WorkingDirectory") == state
    entries = [
        line.split()
        for line in (DEPLOY / "tmpfiles.d" / "station-kiosk.conf").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert ["d", state, "0750", "kiosk", "kiosk", "-"] in entries
    # install.sh installs this example as /etc/station-kiosk/kiosk.toml when none exists.
    site = check_file(ROOT / "config" / "station.example.toml")
    assert str(site.data_path()) == state


# --- udev ------------------------------------------------------------------------------------------

MATCH_KEYS = {"ACTION", "KERNEL", "SUBSYSTEM", "SUBSYSTEMS", "DRIVER", "ATTR", "ATTRS", "ENV", "TAG"}
ASSIGN_KEYS = {"GROUP", "OWNER", "MODE", "SYMLINK", "TAG", "ENV", "RUN", "NAME"}
TOKEN = re.compile(r'\s*([A-Z]+)(\{[A-Za-z0-9_]+\})?(==|!=|\+=|:=|=)"([^"]*)"\s*(,|$)')


def udev_rules() -> list[list[tuple[str, str, str]]]:
    rules = []
    for number, line in enumerate(RULES.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        tokens, pos = [], 0
        while pos < len(line):
            match = TOKEN.match(line, pos)
            assert match, f"{RULES.name}:{number}: cannot parse at column {pos + 1}: {line[pos:]!r}"
            key, attr, op, value, _ = match.groups()
            tokens.append((key + (attr or ""), op, value))
            pos = match.end()
        rules.append(tokens)
        for key, op, value in tokens:
            base = key.split("{")[0]
            if op in ("==", "!="):
                assert base in MATCH_KEYS, f"{RULES.name}:{number}: {key} cannot be matched"
            else:
                assert base in ASSIGN_KEYS, f"{RULES.name}:{number}: {key} cannot be assigned"
            if base in {"ATTR", "ATTRS", "ENV"}:
                assert "{" in key, f"{RULES.name}:{number}: {base} needs {{name}}"
            if base == "MODE":
                assert re.fullmatch(r"0[0-7]{3}", value)
        assert any(op in ("==", "!=") for _, op, _ in tokens), f"{RULES.name}:{number}: matches everything"
    return rules


def test_udev_rules_parse_and_grant_the_kiosk_group() -> None:
    rules = udev_rules()
    assert rules
    for tokens in rules:
        assigned = {k: v for k, op, v in tokens if op in ("=", "+=", ":=")}
        if "GROUP" in assigned:
            assert assigned["GROUP"] == "kiosk" and assigned.get("MODE") == "0660"


@pytest.mark.parametrize(
    ("what", "needle"),
    [
        ("ESC/POS 0416:5011", 'ATTR{idVendor}=="0416", ATTR{idProduct}=="5011"'),
        ("ESC/POS 0483:5743", 'ATTR{idVendor}=="0483", ATTR{idProduct}=="5743"'),
        ("Epson", 'ATTR{idVendor}=="04b8"'),
        ("usblp", 'SUBSYSTEM=="usbmisc", KERNEL=="lp[0-9]*"'),
        ("serial scanners", 'KERNEL=="ttyACM[0-9]*|ttyUSB[0-9]*"'),
        ("camera", 'SUBSYSTEM=="video4linux"'),
    ],
)
def test_udev_rules_cover_the_devices(what: str, needle: str) -> None:
    assert needle in RULES.read_text(encoding="utf-8"), what


def test_udevadm_verify_if_available(tmp_path: Path) -> None:
    # The venv's own udevadm first: on Debian 12 `make setup` puts the backports build there.
    udevadm = shutil.which("udevadm", path=os.pathsep.join([str(Path(sys.executable).parent),
                                                            os.environ.get("PATH", os.defpath)]))
    if udevadm is None:
        pytest.skip("udevadm is not installed here")
    probe = subprocess.run([udevadm, "verify", "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip("this udevadm has no `verify` (systemd < 253)")
    # The kiosk group exists only once the installer ran, so names are not resolved here.
    result = subprocess.run([udevadm, "verify", "--resolve-names=never", str(RULES)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# --- scripts ---------------------------------------------------------------------------------------

SCRIPTS = sorted(DEPLOY.rglob("*.sh"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_parse(script: Path) -> None:
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert os.access(script, os.X_OK), f"{script.name} is not executable"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_pass_shellcheck(script: Path) -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (apt install shellcheck)")
    result = subprocess.run([shellcheck, str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_install_dry_run_plans_every_step_and_changes_nothing(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", str(INSTALL), "--dry-run", "--skip-apt"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    planned = [line[2:] for line in result.stdout.splitlines() if line.startswith("+ ")]
    for source, target in [
        ("systemd/station-kiosk.service", "/etc/systemd/system/station-kiosk.service"),
        ("pam/station-kiosk", "/etc/pam.d/station-kiosk"),
        ("udev/70-station-kiosk.rules", "/etc/udev/rules.d/70-station-kiosk.rules"),
        ("tmpfiles.d/station-kiosk.conf", "/etc/tmpfiles.d/station-kiosk.conf"),
        ("journald/station-kiosk.conf", "/etc/systemd/journald.conf.d/station-kiosk.conf"),
    ]:
        assert f"install -m 0644 {DEPLOY / source} {target}" in planned
    for expected in (
        "systemctl daemon-reload",
        "udevadm control --reload",
        "systemctl enable station-kiosk.service",
    ):
        assert expected in planned
    assert any(p.startswith("/opt/station-kiosk/venv/bin/python -m pip install") for p in planned)
    assert not any("apt-get" in p for p in planned)


def test_install_refuses_unknown_options_and_missing_sources() -> None:
    bad = subprocess.run(["bash", str(INSTALL), "--dry-run", "--frobnicate"], capture_output=True, text=True)
    assert bad.returncode != 0 and "unknown option" in bad.stderr
    missing = subprocess.run(
        ["bash", str(INSTALL), "--dry-run", "--source", "/nonexistent/wheel.whl"], capture_output=True, text=True
    )
    assert missing.returncode != 0 and "does not exist" in missing.stderr


def test_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here")
    text = UNIT.read_text(encoding="utf-8")
    if not Path("/usr/bin/cage").exists():
        # verify checks that ExecStart's program exists; stand in for cage, keep everything else.
        stub = tmp_path / "cage"
        stub.write_text("#!/bin/sh\n")
        stub.chmod(0o755)
        text = text.replace("/usr/bin/cage", str(stub))
    copy = tmp_path / UNIT.name
    copy.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [analyze, "verify", "--man=no", str(copy)], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    # verify exits 0 on unknown keys and bad values but reports them: any output is a finding.
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
