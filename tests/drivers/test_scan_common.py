"""What all scanners share: normalisation and double-read suppression, the factory with its Null
fallback, and the simulated scanner the demo drives."""

from __future__ import annotations

import queue
from pathlib import Path

import pytest

from drivers.scanning import NullScanner, ScannerIssue, issue_of, make_scanner, open_scanner
from drivers.scanning.base import Delivery
from drivers.scanning.camera import CameraScanner
from drivers.scanning.serialscan import SerialScanner
from drivers.scanning.simulated import SimulatedScanner, read_codes_file
from drivers.scanning.synthetic import place_code, qr_modules, scene, write_video
from drivers.scanning.wedge import KeyboardWedgeScanner
from kiosk.config import ScannerConfig
from kiosk.devices import DeviceMissing, ScanEvent, Scanner, ScannerStatus, ScanSource


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def delivery(window: float = 2.0) -> tuple[Delivery, list[ScanEvent], Clock]:
    events: list[ScanEvent] = []
    clock = Clock()
    return Delivery(events.append, ScanSource.SERIAL, window, clock), events, clock


def test_cr_lf_are_stripped_and_empty_reads_dropped() -> None:
    d, events, _ = delivery()
    d.deliver("ORDER-1\r\n", b"ORDER-1\r\n")
    d.deliver("\r\n", b"\r\n")
    assert [(e.text, e.raw, e.source) for e in events] == [("ORDER-1", b"ORDER-1", ScanSource.SERIAL)]


def test_same_code_within_the_window_is_delivered_once() -> None:
    d, events, clock = delivery(window=2.0)
    d.deliver("A", b"A")
    clock.now += 0.5
    d.deliver("A\r", b"A\r")  # CR+LF variants of the same read are the same code
    clock.now += 1.9  # 2.4 s after the first read, but 1.9 s after the last: still the same scan
    d.deliver("A", b"A")
    assert [e.text for e in events] == ["A"]


def test_different_code_passes_at_once_and_same_code_after_the_window_passes() -> None:
    d, events, clock = delivery(window=2.0)
    d.deliver("A", b"A")
    clock.now += 0.1
    d.deliver("B", b"B")
    clock.now += 2.01
    d.deliver("A", b"A")
    assert [e.text for e in events] == ["A", "B", "A"]


def test_two_codes_read_alternately_are_each_delivered_once() -> None:
    # Two QR codes in one camera frame come back as A, B, A, B … frame after frame.
    d, events, clock = delivery(window=2.0)
    for _ in range(10):
        d.deliver("A", b"A")
        d.deliver("B", b"B")
        clock.now += 0.05
    assert [e.text for e in events] == ["A", "B"]


def test_still_seen_extends_the_window() -> None:
    d, events, clock = delivery(window=2.0)
    d.deliver("A", b"A")
    for _ in range(5):
        clock.now += 1.0
        d.still_seen("A")
    clock.now += 1.0
    d.deliver("A", b"A")
    assert len(events) == 1


def test_zero_window_only_suppresses_simultaneous_reads() -> None:
    d, events, clock = delivery(window=0.0)
    d.deliver("A", b"A")
    clock.now += 0.001
    d.deliver("A", b"A")
    assert len(events) == 2


def test_a_failing_consumer_does_not_break_delivery() -> None:
    seen: list[str] = []

    def consumer(event: ScanEvent) -> None:
        seen.append(event.text)
        raise RuntimeError("screen gone")

    d = Delivery(consumer, ScanSource.CAMERA, 2.0)
    d.deliver("A", b"A")
    d.deliver("B", b"B")
    assert seen == ["A", "B"]


def test_simulated_inject_delivers_on_the_worker_only_while_started() -> None:
    scanner = SimulatedScanner(dedup_window_s=2.0)
    events: queue.Queue[ScanEvent] = queue.Queue()
    scanner.inject("BEFORE-START")
    scanner.start(events.put)
    try:
        scanner.inject("SKO1:LP3X9D:1234")
        scanner.inject("SKO1:LP3X9D:1234")
        scanner.inject("志愿者 0815")
        got = [events.get(timeout=3) for _ in range(2)]
        assert [(e.text, e.source) for e in got] == [
            ("SKO1:LP3X9D:1234", ScanSource.SIMULATED),
            ("志愿者 0815", ScanSource.SIMULATED),
        ]
    finally:
        scanner.stop()
    assert events.empty()
    assert not scanner.running


def test_simulated_codes_file(tmp_path: Path) -> None:
    codes = tmp_path / "codes.txt"
    codes.write_bytes("ORDER-1\n\n礼品 A\r\nORDER-2\n".encode("gb18030"))
    assert read_codes_file(codes) == ["ORDER-1", "礼品 A", "ORDER-2"]
    scanner = SimulatedScanner(codes_file=codes, interval_s=0.01)
    events: queue.Queue[ScanEvent] = queue.Queue()
    scanner.start(events.put)
    try:
        assert [events.get(timeout=3).text for _ in range(3)] == ["ORDER-1", "礼品 A", "ORDER-2"]
    finally:
        scanner.stop()


def test_start_twice_is_refused_and_stop_is_idempotent() -> None:
    scanner = SimulatedScanner()
    scanner.start(lambda event: None)
    try:
        with pytest.raises(RuntimeError):
            scanner.start(lambda event: None)
    finally:
        scanner.stop()
    scanner.stop()
    scanner.start(lambda event: None)  # and it can be started again
    scanner.stop()


def test_factory_none_is_a_null_scanner_that_says_so() -> None:
    scanner = make_scanner(ScannerConfig(kind="none"))
    assert isinstance(scanner, NullScanner) and isinstance(scanner, Scanner)
    scanner.start(lambda event: None)
    scanner.stop()
    assert issue_of(scanner.status()) is ScannerIssue.NOT_CONFIGURED
    assert not scanner.status().available


@pytest.mark.parametrize(
    ("cfg", "issue"),
    [
        ({"kind": "camera", "camera": "7"}, ScannerIssue.CAMERA_MISSING),
        ({"kind": "camera", "camera": "/dev/v4l/by-id/usb-none-video-index0"}, ScannerIssue.CAMERA_MISSING),
        ({"kind": "serial", "serial_port": "/dev/serial/by-id/usb-none-if00"}, ScannerIssue.SERIAL_MISSING),
    ],
)
def test_factory_missing_device_gives_null_scanner(cfg: dict[str, str], issue: ScannerIssue) -> None:
    config = ScannerConfig.model_validate(cfg)
    with pytest.raises(DeviceMissing):
        open_scanner(config)
    scanner = make_scanner(config)
    status = scanner.status()
    assert isinstance(scanner, NullScanner)
    assert not status.available and issue_of(status) is issue


def test_factory_builds_each_kind(tmp_path: Path) -> None:
    assert isinstance(make_scanner(ScannerConfig(kind="simulated")), SimulatedScanner)
    assert isinstance(make_scanner(ScannerConfig(kind="keyboard")), KeyboardWedgeScanner)
    port = tmp_path / "ttyACM0"
    port.touch()
    serial = make_scanner(ScannerConfig(kind="serial", serial_port=str(port), baudrate=115200))
    assert isinstance(serial, SerialScanner) and serial.baudrate == 115200
    codes = tmp_path / "codes.txt"
    codes.write_text("X\n", encoding="utf-8")
    assert isinstance(make_scanner(ScannerConfig(kind="simulated", camera=str(codes))), SimulatedScanner)


def test_factory_simulated_video_plays_through_the_camera_pipeline(tmp_path: Path) -> None:
    video = tmp_path / "demo.avi"
    frame = place_code(scene(320, 240), qr_modules("DEMO-QR-1"), 3.0)
    write_video(video, [frame] * 5, 10)
    scanner = make_scanner(ScannerConfig(kind="simulated", camera=str(video)))
    assert isinstance(scanner, CameraScanner)
    events: queue.Queue[ScanEvent] = queue.Queue()
    scanner.start(events.put)
    try:
        event = events.get(timeout=5)
    finally:
        scanner.stop()
    assert (event.text, event.source) == ("DEMO-QR-1", ScanSource.SIMULATED)


def test_issue_of_reads_the_stable_code() -> None:
    assert issue_of(ScannerStatus(False, "camera_lost: no frames from 0")) is ScannerIssue.CAMERA_LOST
    assert issue_of(ScannerStatus(True, "")) is None
    assert issue_of(ScannerStatus(False, "something else")) is None


def test_evdev_grab_without_python_evdev_gives_null_scanner_saying_so() -> None:
    try:
        import evdev  # type: ignore[import-not-found,unused-ignore]  # noqa: F401
    except ImportError:
        scanner = make_scanner(ScannerConfig(kind="keyboard", evdev_device="/dev/input/event7"))
        assert isinstance(scanner, NullScanner)
        assert issue_of(scanner.status()) is ScannerIssue.EVDEV_MISSING
    else:
        pytest.skip("python-evdev is installed here")
