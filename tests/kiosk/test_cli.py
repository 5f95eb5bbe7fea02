"""`kiosk enrol` and `kiosk pin set` as a technician runs them, against the real reference service."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cloud.embedded import EmbeddedCloud
from kiosk.config import check_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cloud(tmp_path: Path) -> Iterator[EmbeddedCloud]:
    service = EmbeddedCloud(tmp_path / "cloud.sqlite3")
    service.start()
    yield service
    service.stop()


def kiosk(*args: str, site: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk.cli", *args, "--config", str(site)], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def site_file(tmp_path: Path, extra: str = "") -> Path:
    site = tmp_path / "site.toml"
    site.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n{extra}', encoding="utf-8")
    return site


def test_enrol_with_the_qr_text_sets_the_cloud_url_and_the_code_is_one_time(
    tmp_path: Path, cloud: EmbeddedCloud
) -> None:
    site = site_file(tmp_path)
    code = cloud.admin.enrolment_code("st-yicaixiang-west")
    result = kiosk("enrol", code.qr_text(cloud.url), "--name", "医财巷1号机", site=site)
    assert result.returncode == 0, result.stderr
    assert "station st-yicaixiang-west" in result.stdout
    assert check_file(tmp_path / "data" / "local.toml").cloud.url == cloud.url
    assert [d["name"] for d in cloud.admin.devices()] == ["医财巷1号机"]

    again = kiosk("enrol", code.code, site=site)
    assert again.returncode == 1
    assert "enrolment refused: enrolment_code_used" in again.stderr


def test_enrol_without_a_cloud_url_says_what_to_do(tmp_path: Path) -> None:
    result = kiosk("enrol", "ABCD-EFGH-JKLM", site=site_file(tmp_path))
    assert result.returncode == 2
    assert "cloud.url is not set" in result.stderr


def test_enrol_when_the_cloud_is_down(tmp_path: Path) -> None:
    result = kiosk("enrol", "ABCD-EFGH-JKLM", site=site_file(tmp_path, '[cloud]\nurl = "http://127.0.0.1:9"\n'))
    assert result.returncode == 1
    assert "cannot reach the cloud" in result.stderr
