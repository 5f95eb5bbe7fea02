"""Status over DLE EOT against the fake printer on a real pseudo-terminal (and loopback TCP), the factory,
the Null printer and the gate that refuses to print when the printer is not ready."""

from __future__ import annotations

import importlib.util
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.printing import NullPrinter, make_printer
from drivers.printing import status as dle_eot
from drivers.printing.escpos_printer import EscposPrinter
from drivers.printing.fake import FakeNetworkPrinter, FakePrinterEngine, FakeSerialPrinter, FakeState
from kiosk.config import PrinterConfig
from kiosk.devices import DeviceMissing, PaperState, PrinterError, PrinterErrorKind
from kiosk.receipt import Receipt


@pytest.fixture
def fake() -> Iterator[FakeSerialPrinter]:
    printer = FakeSerialPrinter()
    yield printer
    printer.close()


def serial_printer(port: str, tmp_path: Path, **kw: object) -> EscposPrinter:
    printer = make_printer(PrinterConfig(kind="serial", serial_port=port, paper_mm=58, **kw), tmp_path)
    assert isinstance(printer, EscposPrinter)
    return printer


def test_decode_answers() -> None:
    assert dle_eot.decode({}) == dle_eot.NO_ANSWER
    ok = dle_eot.decode({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12})
    assert ok.ready and ok.paper is PaperState.OK
    near = dle_eot.decode({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E})
    assert near.ready and near.paper is PaperState.NEAR_END
    out = dle_eot.decode({1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x7E})
    assert not out.online and out.paper is PaperState.OUT
    assert out.blocking_kind() is PrinterErrorKind.PAPER_OUT
    cover = dle_eot.decode({1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12})
    assert cover.blocking_kind() is PrinterErrorKind.COVER_OPEN
    cutter = dle_eot.decode({1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12})
    assert cutter.error and "cutter" in cutter.detail
    partial = dle_eot.decode({1: 0x12})  # answered once, then went quiet
    assert partial.paper is PaperState.UNKNOWN and not partial.ready
    assert not dle_eot.valid(b"\xff") and not dle_eot.valid(b"") and dle_eot.valid(b"\x12")


@pytest.mark.parametrize(
    "state,paper,kind",
    [
        (FakeState(), PaperState.OK, None),
        (FakeState(paper=PaperState.NEAR_END), PaperState.NEAR_END, None),
        (FakeState(paper=PaperState.OUT), PaperState.OUT, PrinterErrorKind.PAPER_OUT),
        (FakeState(cover_open=True), PaperState.OK, PrinterErrorKind.COVER_OPEN),
        (FakeState(error=True), PaperState.OK, PrinterErrorKind.HARDWARE),
        (FakeState(online=False), PaperState.OK, PrinterErrorKind.OFFLINE),
    ],
)
def test_status_over_a_pty(
    state: FakeState, paper: PaperState, kind: PrinterErrorKind | None, tmp_path: Path
) -> None:
    fake = FakeSerialPrinter(FakePrinterEngine(state))
    try:
        printer = serial_printer(fake.port, tmp_path)
        status = printer.status()
        assert status.paper is paper
        assert status.blocking_kind() is kind
        assert fake.engine.queries == 4
        receipt = Receipt().text("测试").cut()
        if kind is None:
            printer.print_receipt(receipt)
            assert fake.engine.wait_until(lambda e: e.jobs == 1)
        else:
            with pytest.raises(PrinterError) as info:
                printer.print_receipt(receipt)
            assert info.value.kind is kind
            assert b"\x1c&" not in fake.engine.received  # refused before sending the receipt
        printer.close()
    finally:
        fake.close()


def test_silent_printer_is_unknown_and_answers_within_the_timeout(
    fake: FakeSerialPrinter, tmp_path: Path
) -> None:
    fake.state.silent = True
    printer = serial_printer(fake.port, tmp_path, status_timeout_s=0.3)
    started = time.monotonic()
    status = printer.status()
    elapsed = time.monotonic() - started
    assert not status.online and status.paper is PaperState.UNKNOWN and not status.ready
    assert elapsed < 1.0  # one short query, not four and not python-escpos' full 1 s read
    assert fake.engine.queries == 1
    with pytest.raises(PrinterError) as info:
        printer.print_receipt(Receipt().text("x"))
    assert info.value.kind is PrinterErrorKind.OFFLINE
    printer.close()


def test_raster_payload_is_not_taken_for_a_status_query(fake: FakeSerialPrinter, tmp_path: Path) -> None:
    printer = serial_printer(fake.port, tmp_path, text_mode="image")
    printer.print_receipt(Receipt().text("测试 10 04 01").qr("\x10\x04\x01" * 5).cut())
    assert fake.engine.wait_until(lambda e: e.jobs == 1)
    assert fake.engine.queries == 8  # four before, four after the job
    assert fake.engine.probes == 1  # and one GS r 1 that waited for the paper to come out
    printer.close()


def test_paper_runs_out_mid_receipt(tmp_path: Path) -> None:
    fake = FakeSerialPrinter(FakePrinterEngine(paper_out_after_bytes=60))
    try:
        printer = serial_printer(fake.port, tmp_path)
        long_receipt = Receipt().text("中文" * 30).cut()
        with pytest.raises(PrinterError) as info:
            printer.print_receipt(long_receipt)
        assert info.value.kind is PrinterErrorKind.PAPER_OUT
        assert "after the job" in info.value.detail
        assert fake.engine.jobs == 0 and fake.engine.probes == 1  # the "printed" probe got no answer
        printer.close()
    finally:
        fake.close()


def test_unplugged_port_fails_offline_and_a_new_port_works_after_reopen(tmp_path: Path) -> None:
    link = tmp_path / "by-id-printer"
    first = FakeSerialPrinter()
    link.symlink_to(first.port)
    printer = serial_printer(str(link), tmp_path)
    printer.print_receipt(Receipt().text("one").cut())
    assert first.engine.wait_until(lambda e: e.jobs == 1)
    first.close()  # cable out
    with pytest.raises(PrinterError) as info:
        printer.print_receipt(Receipt().text("two").cut())
    assert info.value.kind is PrinterErrorKind.OFFLINE
    second = FakeSerialPrinter()  # cable in again: the by-id link points at the new port
    try:
        link.unlink()
        link.symlink_to(second.port)
        printer.print_receipt(Receipt().text("three").cut())
        assert second.engine.wait_until(lambda e: e.jobs == 1)
        assert b"three" in second.engine.received
        printer.close()
    finally:
        second.close()


def test_network_printer_on_loopback(tmp_path: Path) -> None:
    fake = FakeNetworkPrinter(FakePrinterEngine(FakeState(paper=PaperState.NEAR_END)))
    try:
        printer = make_printer(PrinterConfig(kind="network", host=fake.host, port=fake.port), tmp_path)
        assert printer.status().paper is PaperState.NEAR_END
        printer.print_receipt(Receipt().text("网络打印").cut())
        assert fake.engine.wait_until(lambda e: e.jobs == 1)
        fake.engine.state.silent = True
        started = time.monotonic()
        assert printer.status().paper is PaperState.UNKNOWN
        assert time.monotonic() - started < 1.0
        printer.close()
    finally:
        fake.close()


def test_file_kind_on_a_device_node_and_on_a_plain_file(fake: FakeSerialPrinter, tmp_path: Path) -> None:
    # A pty slave is a character device, like /dev/usb/lp0: one descriptor, both directions.
    node = make_printer(PrinterConfig(kind="file", device_path=fake.port), tmp_path)
    assert node.status().ready
    node.print_receipt(Receipt().text("设备文件").cut())
    assert fake.engine.wait_until(lambda e: e.jobs == 1)
    node.close()

    capture = tmp_path / "capture.bin"
    plain = make_printer(PrinterConfig(kind="file", device_path=str(capture)), tmp_path)
    assert plain.status().paper is PaperState.UNKNOWN
    plain.print_receipt(Receipt().text("文件").cut())
    plain.close()
    assert capture.read_bytes().endswith(b"\x1dVB\x00")


def test_missing_device_node_is_offline(tmp_path: Path) -> None:
    printer = make_printer(PrinterConfig(kind="file", device_path="/dev/usb/lp-does-not-exist"), tmp_path)
    assert isinstance(printer, EscposPrinter)
    with pytest.raises(PrinterError) as opened:
        printer.open()
    assert opened.value.kind is PrinterErrorKind.OFFLINE and "lp-does-not-exist" in opened.value.detail
    status = printer.status()
    assert not status.online and status.paper is PaperState.UNKNOWN
    with pytest.raises(PrinterError) as info:
        printer.print_receipt(Receipt().text("x"))
    assert info.value.kind is PrinterErrorKind.OFFLINE


def test_null_printer(tmp_path: Path) -> None:
    printer = make_printer(PrinterConfig(kind="none"), tmp_path)
    assert isinstance(printer, NullPrinter)
    assert not printer.status().configured and not printer.status().ready
    with pytest.raises(PrinterError) as info:
        printer.print_receipt(Receipt().text("x"))
    assert info.value.kind is PrinterErrorKind.NOT_CONFIGURED


@pytest.mark.skipif(importlib.util.find_spec("usb") is not None, reason="pyusb is installed here")
def test_usb_without_pyusb_is_a_typed_missing_device(tmp_path: Path) -> None:
    with pytest.raises(DeviceMissing) as info:
        make_printer(PrinterConfig(kind="usb"), tmp_path)
    assert info.value.device == "printer" and "pyusb" in info.value.hint


def test_missing_font_is_a_typed_missing_device(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("drivers.printing.find_cjk_font", _no_font)
    with pytest.raises(DeviceMissing):
        make_printer(PrinterConfig(kind="image"), tmp_path)


def _no_font() -> Path:
    from kiosk.fonts import FontMissing

    raise FontMissing("none here")


def test_no_device_work_at_construction(tmp_path: Path) -> None:
    before = set(os.listdir("/proc/self/fd"))
    make_printer(PrinterConfig(kind="serial", serial_port=str(tmp_path / "nope")), tmp_path)
    assert set(os.listdir("/proc/self/fd")) == before


def test_paper_runs_out_after_n_jobs_and_a_refill_restarts_the_count(tmp_path: Path) -> None:
    fake = FakeSerialPrinter(FakePrinterEngine(paper_out_after_jobs=2))
    try:
        printer = serial_printer(fake.port, tmp_path)
        printer.print_receipt(Receipt().text("1").cut())
        printer.print_receipt(Receipt().text("2").cut())  # the last one that fits on the roll
        with pytest.raises(PrinterError) as info:
            printer.print_receipt(Receipt().text("3").cut())
        assert info.value.kind is PrinterErrorKind.PAPER_OUT and "after the job" in info.value.detail
        assert printer.status().paper is PaperState.OUT
        with pytest.raises(PrinterError) as refused:
            printer.print_receipt(Receipt().text("4").cut())
        assert "before the job" in refused.value.detail
        fake.engine.refill()
        printer.print_receipt(Receipt().text("5").cut())
        assert fake.engine.jobs == 3 and printer.status().paper is PaperState.OK
        printer.close()
    finally:
        fake.close()
