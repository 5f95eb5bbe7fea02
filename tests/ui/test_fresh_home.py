"""A first start in a home that is new and read-only (systemd ProtectHome=, a fresh kiosk user): typing
Pinyin logs no warning and nothing is written under $HOME. Qt's own folders live under the data
directory (ui.qt.use_private_user_dirs), and its keyboard's user dictionary is there from the start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui.qt import PINYIN_USER_DICTIONARY, use_private_user_dirs

ROOT = Path(__file__).resolve().parents[2]
# The UI test that starts the Pinyin engine (it fails on any Qt warning, as every UI test does).
PINYIN_TEST = "tests/ui/test_text_input.py::test_pinyin_zhang_becomes_the_surname"


def test_typing_pinyin_in_a_new_read_only_home_warns_of_nothing_and_writes_nothing_there(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o555)  # root may still write, hence the check that it stays empty
    env = {name: value for name, value in os.environ.items() if not name.startswith("XDG_")}
    env["HOME"] = str(home)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", PINYIN_TEST],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout[-4000:] + run.stderr[-2000:]
    assert sorted(home.rglob("*")) == []


def test_private_user_dirs_hold_the_folders_and_keep_the_pinyin_dictionary(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    variables = {"XDG_CONFIG_HOME": "config", "XDG_CACHE_HOME": "cache", "XDG_DATA_HOME": "data",
                 "XDG_STATE_HOME": "state"}
    for name in variables:
        monkeypatch.delenv(name, raising=False)  # restored after the test
    use_private_user_dirs(tmp_path / "qt")
    assert {name: os.environ[name] for name in variables} == {
        name: str(tmp_path / "qt" / folder) for name, folder in variables.items()}
    assert all((tmp_path / "qt" / folder).is_dir() for folder in variables.values())
    dictionary = tmp_path / "qt" / "config" / PINYIN_USER_DICTIONARY
    assert dictionary.read_bytes() == b""
    dictionary.write_bytes(b"words a resident typed")
    use_private_user_dirs(tmp_path / "qt")  # the next start keeps them
    assert dictionary.read_bytes() == b"words a resident typed"


def test_a_cache_folder_the_deployment_chose_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/station-kiosk")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "somewhere"))
    use_private_user_dirs(tmp_path / "qt")
    assert os.environ["XDG_CACHE_HOME"] == "/var/cache/station-kiosk"
    assert os.environ["XDG_CONFIG_HOME"] == str(tmp_path / "qt" / "config")
