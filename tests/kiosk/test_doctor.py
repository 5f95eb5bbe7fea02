"""`kiosk doctor` reports honestly and fails when something required is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def doctor(tmp_path: Path, site: str, **env: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "site.toml"
    config.write_text(site + f'\n[storage]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "kiosk.cli", "doctor", "--config", str(config)],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, **env})


def test_healthy_machine_passes(tmp_path: Path) -> None:
    result = doctor(tmp_path, "")
    assert "CJK font" in result.stdout and "virtual keyboard" in result.stdout
    assert "FAIL" not in result.stdout, result.stdout
    assert result.returncode == 0


def test_broken_config_fails_with_the_reason(tmp_path: Path) -> None:
    result = doctor(tmp_path, '[ui]\nlanguage = "fr"\n')
    assert result.returncode == 1
    assert "ui.language = 'fr'" in result.stdout


def test_missing_camera_fails_when_the_scanner_is_a_camera(tmp_path: Path) -> None:
    if list(Path("/dev").glob("video*")):
        pytest.skip("this machine has a camera; the missing case cannot be shown here")
    result = doctor(tmp_path, '[scanner]\nkind = "camera"\n')
    assert result.returncode == 1
    assert "no camera found" in result.stdout and "→" in result.stdout
