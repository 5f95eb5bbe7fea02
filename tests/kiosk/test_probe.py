"""Device probes and the self-test print of ``kiosk doctor``, against the fake network printer."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.printing.fake import FakeNetworkPrinter, FakePrinterEngine, FakeState
from drivers.probe import network_addresses, print_test, probes, self_test_facts
from kiosk.config import KioskConfig
from kiosk.devices import PaperState, PrinterStatus, ScannerStatus
from kiosk.doctor import Check, Level, run_probes

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake() -> Iterator[FakeNetworkPrinter]:
    printer = FakeNetworkPrinter(FakePrinterEngine(FakeState()))
    yield printer
    printer.close()


def config(tmp_path: Path, fake: FakeNetworkPrinter | None = None, **sections: dict[str, Any]) -> KioskConfig:
    data: dict[str, Any] = {"storage": {"data_dir": str(tmp_path / "data")},
                            "station": {"id": "st-yicaixiang-west", "name": "医财巷西社区新时代文明实践站"}}
    if fake is not None:
        data["printer"] = {"kind": "network", "host": fake.host, "port": fake.port, "status_timeout_s": 0.3}
    data.update(sections)
    return KioskConfig.model_validate(data)


def by_name(checks: list[Check], name: str) -> Check:
    return next(c for c in checks if c.name == name)


def test_print_test_prints_the_self_test_ticket(tmp_path: Path, fake: FakeNetworkPrinter) -> None:
    result = print_test(config(tmp_path, fake), [])
    assert result.level is Level.OK, result
    assert fake.engine.wait_until(lambda e: e.jobs == 1)
    received = bytes(fake.engine.received)
    assert "医财巷西社区新时代文明实践站".encode("gb18030") in received  # native Chinese text mode
    assert b"SELFTEST-st-yicaixiang-west-" in received  # the QR payload (GS ( k)
    assert b"\x1dV" in received  # cut


def test_print_test_with_paper_out_fails_and_says_what_to_do(tmp_path: Path, fake: FakeNetworkPrinter) -> None:
    fake.engine.state.paper = PaperState.OUT
    result = print_test(config(tmp_path, fake), [])
    assert result.level is Level.FAIL
    assert "paper out" in result.detail and result.hint == "load a new paper roll"
    assert fake.engine.jobs == 0


def test_print_test_with_a_silent_printer_fails(tmp_path: Path, fake: FakeNetworkPrinter) -> None:
    fake.engine.state.silent = True
    result = print_test(config(tmp_path, fake), [])
    assert result.level is Level.FAIL
    assert "power" in result.hint


def test_print_test_on_the_image_printer_writes_a_png(tmp_path: Path) -> None:
    cfg = config(tmp_path, printer={"kind": "image", "image_dir": str(tmp_path / "png")})
    result = print_test(cfg, [])
    assert result.level is Level.OK
    assert len(list((tmp_path / "png").glob("*.png"))) == 1


def test_printer_probe_reads_online_paper_and_cover(tmp_path: Path, fake: FakeNetworkPrinter) -> None:
    cfg = config(tmp_path, fake)
    printer = by_name(run_probes(probes(cfg)), "printer")
    assert printer.level is Level.OK and "paper ok" in printer.detail
    fake.engine.state.paper = PaperState.NEAR_END
    assert by_name(run_probes(probes(cfg)), "printer").level is Level.WARN
    fake.engine.state.paper = PaperState.OK
    fake.engine.state.cover_open = True
    cover = by_name(run_probes(probes(cfg)), "printer")
    assert cover.level is Level.FAIL and cover.hint == "close the printer cover"


def test_unknown_printer_status_is_not_ok(tmp_path: Path, fake: FakeNetworkPrinter) -> None:
    fake.engine.state.silent = True
    printer = by_name(run_probes(probes(config(tmp_path, fake))), "printer")
    assert printer.level is Level.FAIL and "paper unknown" in printer.detail


def test_no_printer_and_no_scanner_are_warnings_not_failures(tmp_path: Path) -> None:
    checks = run_probes(probes(config(tmp_path)))
    assert by_name(checks, "printer").level is Level.WARN
    assert by_name(checks, "scanner").level is Level.WARN


def test_scanner_probe(tmp_path: Path) -> None:
    simulated = by_name(run_probes(probes(config(tmp_path, scanner={"kind": "simulated"}))), "scanner")
    assert simulated.level is Level.OK
    missing = by_name(run_probes(probes(config(tmp_path, scanner={
        "kind": "serial", "serial_port": str(tmp_path / "no-such-tty")}))), "scanner")
    assert missing.level is Level.FAIL and "serial_port" in missing.hint


def test_self_test_facts_name_the_machine(tmp_path: Path) -> None:
    facts = self_test_facts(config(tmp_path), PrinterStatus(online=True, paper=PaperState.OK),
                            ScannerStatus(available=True))
    assert facts["station"] == "医财巷西社区新时代文明实践站 (st-yicaixiang-west)"
    assert facts["printer"] == "online, paper ok" and facts["scanner"] == "none: ok"
    assert all(" " in entry for entry in network_addresses())


def test_doctor_print_test_command(tmp_path: Path, fake: FakeNetworkPrinter) -> None:
    site = tmp_path / "site.toml"
    site.write_text(
        f'[printer]\nkind = "network"\nhost = "{fake.host}"\nport = {fake.port}\n'
        f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kiosk.cli", "doctor", "--config", str(site), "--print-test"],
                         capture_output=True, text=True, cwd=ROOT, env=dict(os.environ), timeout=60)
    assert "test print" in run.stdout and "self-test ticket printed" in run.stdout, run.stdout + run.stderr
    assert fake.engine.jobs == 1
    fake.engine.state.paper = PaperState.OUT
    run = subprocess.run([sys.executable, "-m", "kiosk.cli", "doctor", "--config", str(site), "--print-test"],
                         capture_output=True, text=True, cwd=ROOT, env=dict(os.environ), timeout=60)
    assert run.returncode == 1
    assert "load a new paper roll" in run.stdout
