"""The camera scanner on real MJPG video files (the simulated camera), through capture, the frame gate,
the decoding pipeline and de-duplication."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.scanning.base import ScannerIssue, issue_of
from drivers.scanning.camera import CameraScanner, camera_source, is_file_source, v4l2_index
from drivers.scanning.decode import Decoder, Frame
from drivers.scanning.synthetic import place_code, qr_modules, scene, write_video
from kiosk.devices import ScanEvent, ScanSource
from tests.drivers.test_scan_serial import wait_until

FPS = 15
SIZE = (640, 480)


def held(payload: str | bytes | None, seconds: float, seed: int = 0) -> Iterator[Frame]:
    """``seconds`` of video of a code held in front of the camera by a hand: it drifts a few pixels
    and every frame has fresh sensor noise, so frames really differ and are really decoded."""
    rng = np.random.default_rng(seed)
    background = scene(*SIZE, seed=seed)
    modules = qr_modules(payload) if payload is not None else None
    for i in range(int(seconds * FPS)):
        noisy = np.clip(background + rng.normal(0, 2, background.shape), 0, 255).astype(np.uint8)
        if modules is None:
            yield noisy
            continue
        centre = (SIZE[0] / 2 + 6 * np.sin(i / 3), SIZE[1] / 2 + 4 * np.cos(i / 4))
        yield place_code(noisy, modules, 5.0, centre, angle_deg=3 * np.sin(i / 5))


def play(
    path: Path, *clips: Iterator[Frame], dedup_window_s: float = 2.0
) -> tuple[list[ScanEvent], CameraScanner]:
    write_video(path, (frame for clip in clips for frame in clip), FPS)
    events: list[ScanEvent] = []
    scanner = CameraScanner(str(path), realtime=False, dedup_window_s=dedup_window_s)
    scanner.start(events.append)
    assert scanner.wait(20), "video did not finish"
    scanner.stop()
    assert issue_of(scanner.status()) is ScannerIssue.VIDEO_ENDED
    return events, scanner


def test_no_code_gives_no_event(tmp_path: Path) -> None:
    events, scanner = play(tmp_path / "empty.avi", held(None, 2))
    assert events == []
    assert scanner.frames_read == 2 * FPS


def test_one_code_gives_one_event(tmp_path: Path) -> None:
    events, _ = play(tmp_path / "one.avi", held(None, 0.5), held("ORDER-2024-0001", 1), held(None, 0.5))
    assert [(e.text, e.raw, e.source) for e in events] == [
        ("ORDER-2024-0001", b"ORDER-2024-0001", ScanSource.CAMERA)
    ]


def test_code_held_for_three_seconds_is_one_event(tmp_path: Path) -> None:
    events, scanner = play(tmp_path / "held.avi", held("VOL-88", 3))
    assert [e.text for e in events] == ["VOL-88"]
    # The hand moves: most frames are decoded, so de-duplication (not the frame gate) kept it to one.
    assert scanner.frames_analysed > FPS * 2


def test_two_codes_give_two_events(tmp_path: Path) -> None:
    events, _ = play(tmp_path / "two.avi", held("CODE-A", 1, seed=1), held("CODE-B", 1, seed=2))
    assert [e.text for e in events] == ["CODE-A", "CODE-B"]


def test_two_codes_in_one_frame_held_give_one_event_each(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    background = scene(*SIZE, seed=5)
    left, right = qr_modules("RECEIPT-1"), qr_modules("GIFT-2")

    def frames() -> Iterator[Frame]:
        for i in range(2 * FPS):
            noisy = np.clip(background + rng.normal(0, 2, background.shape), 0, 255).astype(np.uint8)
            both = place_code(noisy, left, 4.0, (170 + 3 * np.sin(i / 3), 240))
            yield place_code(both, right, 4.0, (470, 240 + 3 * np.cos(i / 4)))

    events, _ = play(tmp_path / "pair.avi", frames())
    assert sorted(e.text for e in events) == ["GIFT-2", "RECEIPT-1"]


def test_same_code_after_the_window_is_a_new_event(tmp_path: Path) -> None:
    events, _ = play(
        tmp_path / "again.avi", held("CODE-A", 1), held(None, 2.5), held("CODE-A", 1), dedup_window_s=2.0
    )
    assert [e.text for e in events] == ["CODE-A", "CODE-A"]


def test_same_code_after_a_short_gap_is_suppressed(tmp_path: Path) -> None:
    events, _ = play(tmp_path / "blip.avi", held("CODE-A", 1), held(None, 1), held("CODE-A", 1))
    assert [e.text for e in events] == ["CODE-A"]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("志愿服务积分：120".encode(), "志愿服务积分：120"),
        ("礼品兑换 核销码 8812".encode("gb18030"), "礼品兑换 核销码 8812"),
    ],
    ids=["utf8", "gb18030"],
)
def test_chinese_payloads_are_not_mojibake(tmp_path: Path, payload: bytes, expected: str) -> None:
    events, _ = play(tmp_path / "zh.avi", held(payload, 1))
    assert [(e.text, e.raw) for e in events] == [(expected, payload)]


def test_preview_frames_are_throttled_bgr_arrays(tmp_path: Path) -> None:
    path = tmp_path / "preview.avi"
    write_video(path, held("P", 1), FPS)
    frames: queue.Queue[Frame] = queue.Queue()
    scanner = CameraScanner(str(path), realtime=True, preview_fps=5)
    scanner.set_preview(frames.put)
    scanner.start(lambda event: None)
    assert scanner.wait(5)
    scanner.stop()
    shown = [frames.get_nowait() for _ in range(frames.qsize())]
    # 1 s of video at real-time rate, preview capped at 5 fps (the first frame is shown at once).
    assert 4 <= len(shown) <= 6
    assert shown[0].shape == (SIZE[1], SIZE[0], 3) and shown[0].dtype == np.uint8


def test_stop_ends_a_looping_source_promptly(tmp_path: Path) -> None:
    path = tmp_path / "loop.avi"
    write_video(path, held("LOOP-1", 0.5), FPS)
    seen = threading.Event()
    scanner = CameraScanner(str(path), realtime=True, loop=True, scan_source=ScanSource.SIMULATED)
    scanner.start(lambda event: seen.set())
    assert seen.wait(5)
    assert scanner.status().available
    scanner.stop()
    assert not scanner.running


def test_without_libzbar_the_camera_still_scans_and_says_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "nozbar.avi"
    write_video(path, held("NO-ZBAR-1", 0.5), FPS)
    events: queue.Queue[ScanEvent] = queue.Queue()
    scanner = CameraScanner(
        str(path), realtime=True, loop=True, decoder_factory=lambda: Decoder(use_pyzbar=False)
    )
    scanner.start(events.put)
    try:
        assert events.get(timeout=5).text == "NO-ZBAR-1"
        status = scanner.status()
        assert status.available and issue_of(status) is ScannerIssue.PYZBAR_MISSING
    finally:
        scanner.stop()


def test_source_that_disappears_is_reopened_when_it_comes_back(tmp_path: Path) -> None:
    # A file standing in for an unplugged and re-plugged camera: the same path, gone, then back.
    path = tmp_path / "camera.avi"
    write_video(path, held("BEFORE-UNPLUG", 0.5), FPS)
    events: queue.Queue[ScanEvent] = queue.Queue()
    scanner = CameraScanner(str(path), realtime=True, loop=True)
    scanner.start(events.put)
    try:
        assert events.get(timeout=5).text == "BEFORE-UNPLUG"
        path.unlink()
        wait_until(lambda: issue_of(scanner.status()) is ScannerIssue.CAMERA_LOST)
        replug = tmp_path / "replug.avi"
        write_video(replug, held("AFTER-REPLUG", 0.5, seed=4), FPS)
        replug.replace(path)
        assert events.get(timeout=10).text == "AFTER-REPLUG"
        assert scanner.status().available
    finally:
        scanner.stop()


def test_missing_camera_is_reported_and_retried_until_stopped(tmp_path: Path) -> None:
    scanner = CameraScanner(str(tmp_path / "no-such-camera"))
    scanner.start(lambda event: None)
    try:
        assert not scanner.wait(0.5), "the worker keeps retrying with back-off"
        status = scanner.status()
        assert not status.available and issue_of(status) is ScannerIssue.CAMERA_MISSING
    finally:
        scanner.stop()
    assert not scanner.running


def test_camera_source_spec(tmp_path: Path) -> None:
    assert camera_source("0") == 0
    assert camera_source("/dev/v4l/by-id/usb-cam-video-index0") == "/dev/v4l/by-id/usb-cam-video-index0"
    assert not is_file_source(0)
    assert not is_file_source("/dev/video0")
    # A by-id link is followed to the device number it points at now.
    link = tmp_path / "usb-Webcam_C270-video-index0"
    link.symlink_to("/dev/video3")
    assert [v4l2_index(s) for s in (2, "/dev/video1", str(link))] == [2, 1, 3]
    assert v4l2_index(str(tmp_path / "demo.avi")) is None


def test_an_idle_view_is_looked_at_less_often_and_a_code_still_comes_through(tmp_path: Path) -> None:
    # 6 s of an empty counter, then a code. Played faster than real time, the scanner counts video time.
    events, scanner = play(tmp_path / "idle.avi", held(None, 6), held("AFTER-IDLE-1", 1))
    assert [e.text for e in events] == ["AFTER-IDLE-1"]
    assert scanner.jpeg_input  # the change test ran on the JPEG bytes, decoded small
    # 15 a second for the first 2 s, then 5 a second until the code moves in: far fewer than 6 × 15.
    assert scanner.frames_looked_at < 2 * FPS + 5 * 4 + FPS + 5
    assert scanner.frames_looked_at < scanner.frames_read * 0.75


def test_linear_codes_come_through_the_camera(tmp_path: Path) -> None:
    from tests.drivers.test_scan_decode import linear

    printed, text = linear("code128", "VOUCHER-4711")
    voucher = cv2.resize(printed, (500, 140), interpolation=cv2.INTER_AREA)  # held at arm's length
    background = scene(*SIZE, seed=5)
    h, w = voucher.shape
    frames = []
    for i in range(FPS):
        frame = background.copy()
        x, y = 60 + i % 3, 120
        frame[y:y + h, x:x + w] = voucher[:, :, None]
        frames.append(frame)
    events, _ = play(tmp_path / "voucher.avi", iter(frames))
    assert [e.text for e in events] == [text]


def test_a_video_that_is_not_mjpg_still_scans(tmp_path: Path) -> None:
    # The simulated camera also plays .mp4 files: their packets are not JPEGs to decode small.
    path = tmp_path / "held.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), FPS, SIZE)
    for image in held("MP4-CODE-7", 1):
        writer.write(image)
    writer.release()
    events: list[ScanEvent] = []
    scanner = CameraScanner(str(path), realtime=False)
    scanner.start(events.append)
    assert scanner.wait(20), "video did not finish"
    scanner.stop()
    assert [e.text for e in events] == ["MP4-CODE-7"]
    assert not scanner.jpeg_input
