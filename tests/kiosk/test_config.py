"""Layered config: defaults → site → local, errors naming key/file/line, upgrades, atomic writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import config
from kiosk.config import ConfigError, check_file, load, render_defaults, write_local

ROOT = Path(__file__).resolve().parents[2]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_committed_default_file_is_generated_from_the_schema() -> None:
    assert (ROOT / "config" / "default.toml").read_text(encoding="utf-8") == render_defaults()


def test_layers_apply_in_order_and_report_their_source(tmp_path: Path) -> None:
    data = tmp_path / "data"
    site = write(tmp_path / "site.toml", f"""
[station]
name = "医财巷西社区实践站"
role = "redemption"
[ui]
idle_timeout_s = 120
[storage]
data_dir = "{data}"
""")
    data.mkdir()
    write(data / "local.toml", "config_version = 2\n[ui]\nidle_timeout_s = 150\n")
    loaded = load(site)
    assert loaded.config.station.role == "redemption"
    assert loaded.config.ui.idle_timeout_s == 150
    assert loaded.source_of("ui.idle_timeout_s") == str(data / "local.toml")
    assert loaded.source_of("station.name") == str(site)
    assert loaded.source_of("printer.kind").endswith("default.toml")


def test_bad_value_names_key_file_line_and_what_is_allowed(tmp_path: Path) -> None:
    site = write(tmp_path / "site.toml", '[station]\nname = "x"\n\n[ui]\nlanguage = "fr"\nidle_timeout_s = 2\n')
    with pytest.raises(ConfigError) as err:
        load(site)
    problems = "\n".join(err.value.problems)
    assert f"{site}:5: ui.language = 'fr': allowed: 'zh_CN' or 'en'" in problems
    assert f"{site}:6: ui.idle_timeout_s = 2: allowed: ≥ 10" in problems


def test_unknown_key_and_broken_toml_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"printer.colour.*unknown key"):
        check_file(write(tmp_path / "a.toml", '[printer]\ncolour = "red"\n'))
    with pytest.raises(ConfigError, match="not valid TOML"):
        check_file(write(tmp_path / "b.toml", "[printer\nkind = \n"))
    with pytest.raises(ConfigError, match=r"config_version = 9 is not supported"):
        check_file(write(tmp_path / "c.toml", "config_version = 9\n"))


def test_version_1_file_is_upgraded(tmp_path: Path) -> None:
    cfg = check_file(write(tmp_path / "old.toml", 'config_version = 1\nmode = "redemption"\nidle_timeout = 45\n'))
    assert cfg.station.role == "redemption"
    assert cfg.ui.idle_timeout_s == 45


def test_write_local_validates_and_replaces_atomically(tmp_path: Path) -> None:
    local = tmp_path / "local.toml"
    write_local(local, {"ui": {"idle_timeout_s": 200}})
    write_local(local, {"printer": {"kind": "serial", "serial_port": "/dev/serial/by-id/usb-printer"}})
    cfg = check_file(local)
    assert (cfg.ui.idle_timeout_s, cfg.printer.kind) == (200, "serial")
    before = local.read_bytes()
    with pytest.raises(ConfigError, match=r"printer\.paper_mm"):
        write_local(local, {"printer": {"paper_mm": 100}})
    assert local.read_bytes() == before  # a rejected change leaves the file as it was
    assert not list(tmp_path.glob("*.tmp"))


def test_strings_with_quotes_and_newlines_round_trip(tmp_path: Path) -> None:
    local = tmp_path / "local.toml"
    write_local(local, {"station": {"name": 'A "quoted"\\ name'}, "scanner": {"keyboard_suffix": "\r\n"}})
    cfg = check_file(local)
    assert cfg.station.name == 'A "quoted"\\ name'
    assert cfg.scanner.keyboard_suffix == "\r\n"


def test_config_cli_check_and_show(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.toml", "[printer]\npaper_mm = 100\n")
    result = subprocess.run([sys.executable, "-m", "kiosk.cli", "config", "check", str(bad)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert "printer.paper_mm = 100: allowed: 58 or 80" in result.stderr
    good = write(tmp_path / "good.toml", "[printer]\npaper_mm = 58\n")
    shown = subprocess.run([sys.executable, "-m", "kiosk.cli", "config", "show", "--config", str(good)],
                           capture_output=True, text=True, cwd=ROOT, check=True).stdout
    line = next(x for x in shown.splitlines() if x.startswith("printer.paper_mm"))
    assert "58" in line and str(good) in line


def test_every_key_has_a_description() -> None:
    missing = [key for key, info in config.iter_keys() if not info.description]
    assert missing == []


@pytest.mark.parametrize("example", sorted((ROOT / "config").glob("*.example.toml")), ids=lambda p: p.name)
def test_example_files_are_valid(example: Path) -> None:
    check_file(example)


@pytest.mark.parametrize("depth", [20, 1000, 5000])
def test_deeply_nested_values_are_a_config_error_not_a_crash(tmp_path: Path, depth: int) -> None:
    nested = write(tmp_path / "deep.toml", "[station]\nname = " + "[" * depth + "]" * depth + "\n")
    with pytest.raises(ConfigError, match="nested"):
        check_file(nested)


def test_an_oversized_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    huge = write(tmp_path / "huge.toml", "# " + "x" * (config.MAX_CONFIG_BYTES + 10) + "\n")
    with pytest.raises(ConfigError, match="larger than 256 KiB"):
        check_file(huge)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_numbers_are_refused_with_the_key(tmp_path: Path, value: str) -> None:
    site = write(tmp_path / "site.toml", f'[station]\nname = "x"\n[cloud]\nread_timeout_s = {value}\n')
    with pytest.raises(ConfigError, match=r"cloud.read_timeout_s"):
        load(site)
