"""Building the configured scanner, and the Null scanner the kiosk runs with when there is none."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from drivers.scanning.base import ScannerIssue, issue_status
from kiosk.config import ScannerConfig
from kiosk.devices import DeviceMissing, ScanCallback, Scanner, ScannerStatus, ScanSource

log = logging.getLogger(__name__)

_VIDEO_SUFFIXES = {".avi", ".mp4", ".mkv", ".mov", ".mjpg", ".mjpeg", ".webm"}


class NullScanner:
    """No scanner: never delivers, and its status says why (the UI offers typing the code instead)."""

    def __init__(self, issue: ScannerIssue, detail: str = "", name: str = "none") -> None:
        self.name = name
        self._status = issue_status(False, issue, detail)

    def start(self, on_scan: ScanCallback) -> None:
        return None

    def stop(self) -> None:
        return None

    def status(self) -> ScannerStatus:
        return self._status


# DeviceMissing.device → the status code the UI shows.
_MISSING_ISSUES = {
    "scanner": ScannerIssue.NOT_CONFIGURED,
    "camera": ScannerIssue.CAMERA_MISSING,
    "serial": ScannerIssue.SERIAL_MISSING,
    "evdev": ScannerIssue.EVDEV_MISSING,
    "library": ScannerIssue.LIBRARY_MISSING,
}


def _camera_device_present(spec: str) -> bool:
    if spec.strip().isdigit():
        # Only Linux names capture devices predictably; elsewhere let OpenCV try at start().
        return not sys.platform.startswith("linux") or Path(f"/dev/video{int(spec)}").exists()
    return Path(spec).exists()


def _camera(cfg: ScannerConfig, source: ScanSource, loop: bool) -> Scanner:
    try:
        from drivers.scanning.camera import CameraScanner, camera_source
    except ImportError as exc:
        raise DeviceMissing("library", f"camera decoding needs OpenCV and zxing-cpp: {exc}") from exc
    return CameraScanner(
        camera_source(cfg.camera),
        width=cfg.camera_width,
        height=cfg.camera_height,
        dedup_window_s=cfg.dedup_window_s,
        scan_source=source,
        loop=loop,
    )


def open_scanner(cfg: ScannerConfig) -> Scanner:
    """The configured scanner; raises :class:`DeviceMissing` when its device or library is absent.

    ``kind = "simulated"`` takes its codes from :meth:`SimulatedScanner.inject`; if ``camera`` names a
    video file it plays that file (looping) through the camera pipeline, if it names a text file it
    delivers its lines."""
    if cfg.kind == "none":
        raise DeviceMissing("scanner", "no scanner configured")
    if cfg.kind == "camera":
        if not _camera_device_present(cfg.camera):
            raise DeviceMissing("camera", f"no camera at {cfg.camera}", "check the cable or scanner.camera")
        return _camera(cfg, ScanSource.CAMERA, loop=False)
    if cfg.kind == "serial":
        try:
            from drivers.scanning.serialscan import SerialScanner
        except ImportError as exc:
            raise DeviceMissing("library", f"pyserial is not installed: {exc}") from exc
        if not Path(cfg.serial_port).exists():
            raise DeviceMissing("serial", f"no device at {cfg.serial_port}", "prefer /dev/serial/by-id paths")
        return SerialScanner(cfg.serial_port, cfg.baudrate, dedup_window_s=cfg.dedup_window_s)
    if cfg.kind == "keyboard":
        from drivers.scanning.wedge import KeyboardWedgeScanner

        return KeyboardWedgeScanner(cfg)
    from drivers.scanning.simulated import SimulatedScanner

    path = Path(cfg.camera)
    if not cfg.camera.strip().isdigit() and path.is_file():
        if path.suffix.lower() in _VIDEO_SUFFIXES:
            return _camera(cfg, ScanSource.SIMULATED, loop=True)
        return SimulatedScanner(codes_file=path, dedup_window_s=cfg.dedup_window_s)
    return SimulatedScanner(dedup_window_s=cfg.dedup_window_s)


def make_scanner(cfg: ScannerConfig) -> Scanner:
    """Like :func:`open_scanner`, but a missing device gives a :class:`NullScanner` whose status says
    what is missing, so the kiosk always starts."""
    try:
        return open_scanner(cfg)
    except DeviceMissing as missing:
        issue = _MISSING_ISSUES.get(missing.device, ScannerIssue.LIBRARY_MISSING)
        log.warning("scanner unavailable: %s", missing)
        return NullScanner(issue, str(missing))
