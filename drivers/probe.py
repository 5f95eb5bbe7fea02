"""Device checks for ``kiosk doctor`` and the technician's health screen: is the configured printer and
scanner there and answering, and the self-test ticket (``kiosk doctor --print-test``).

A printer that does not answer is never reported OK: "unknown" paper or an offline printer is a FAIL
with what to do about it.
"""

from __future__ import annotations

import array
import fcntl
import glob
import socket
import struct
import time
from collections.abc import Callable
from pathlib import Path

from drivers.printing import make_printer
from drivers.scanning import ScannerIssue, issue_of, make_scanner
from kiosk import __version__
from kiosk.config import KioskConfig
from kiosk.devices import (
    DeviceMissing,
    PaperState,
    Printer,
    PrinterError,
    PrinterErrorKind,
    PrinterStatus,
    ScannerStatus,
)
from kiosk.doctor import Check, Level
from kiosk.receipt import local_time, self_test_receipt

# What to do when the printer cannot print, by reason (technician wording, plain English).
PRINTER_HINTS: dict[PrinterErrorKind, str] = {
    PrinterErrorKind.NOT_CONFIGURED: "set printer.kind (usb, serial, network, file or image) in the site config",
    PrinterErrorKind.PAPER_OUT: "load a new paper roll",
    PrinterErrorKind.COVER_OPEN: "close the printer cover",
    PrinterErrorKind.OFFLINE: "the printer did not answer: check its power, cable and the printer.* connection keys",
    PrinterErrorKind.HARDWARE: "the printer reports an error: switch it off and on, clear any paper jam",
}

SCANNER_HINTS: dict[ScannerIssue, str] = {
    ScannerIssue.NOT_CONFIGURED: "set scanner.kind (camera, keyboard, serial) in the site config",
    ScannerIssue.CAMERA_MISSING: "plug in the camera, check `ls /dev/video*` and scanner.camera",
    ScannerIssue.CAMERA_LOST: "the camera went away: check its cable",
    ScannerIssue.VIDEO_ENDED: "the test video ended: check scanner.camera",
    ScannerIssue.SERIAL_MISSING: "plug in the scanner, check scanner.serial_port (prefer /dev/serial/by-id)",
    ScannerIssue.SERIAL_LOST: "the serial scanner went away: check its cable",
    ScannerIssue.EVDEV_MISSING: "check scanner.evdev_device and the input group permissions",
    ScannerIssue.LIBRARY_MISSING: "install the missing library named above",
    ScannerIssue.PYZBAR_MISSING: "apt-get install libzbar0 for the second QR decoder",
    ScannerIssue.WORKER_FAILED: "restart the app; if it happens again, send the log",
}


def describe_printer(status: PrinterStatus) -> str:
    """One line for the ticket and the doctor: online/offline, paper, cover."""
    if not status.configured:
        return "not configured"
    parts = ["online" if status.online else "offline", f"paper {status.paper.value}"]
    if status.cover_open:
        parts.append("cover open")
    if status.error:
        parts.append("error")
    return ", ".join(parts) + (f" ({status.detail})" if status.detail else "")


def describe_scanner(status: ScannerStatus) -> str:
    return ("ok" if status.available else "unavailable") + (f" ({status.detail})" if status.detail else "")


def printer_check(status: PrinterStatus) -> Check:
    """OK only when the printer answered and can print now; near-end paper is a warning."""
    kind = status.blocking_kind()
    detail = describe_printer(status)
    if kind is None:
        if status.paper is PaperState.NEAR_END:
            return Check("printer", Level.WARN, detail, "paper is running low: have a new roll ready")
        return Check("printer", Level.OK, detail)
    level = Level.WARN if kind is PrinterErrorKind.NOT_CONFIGURED else Level.FAIL
    return Check("printer", level, detail, PRINTER_HINTS[kind])


def scanner_check(status: ScannerStatus, kind: str) -> Check:
    issue = issue_of(status)
    hint = SCANNER_HINTS.get(issue, "") if issue else ""
    if status.available:
        return Check("scanner", Level.WARN if issue else Level.OK, f"{kind}: {describe_scanner(status)}", hint)
    level = Level.WARN if issue is ScannerIssue.NOT_CONFIGURED else Level.FAIL
    return Check("scanner", level, f"{kind}: {describe_scanner(status)}", hint or "check the scanner.* keys")


def _open_printer(config: KioskConfig) -> Printer:
    return make_printer(config.printer, config.data_path())


def printer_status(config: KioskConfig) -> PrinterStatus:
    """Ask the configured printer now (opens and closes it); a missing device is an offline status."""
    try:
        printer = _open_printer(config)
    except DeviceMissing as missing:
        return PrinterStatus(online=False, paper=PaperState.UNKNOWN, error=True, detail=str(missing))
    try:
        return printer.status()
    finally:
        printer.close()


def _printer(config: KioskConfig) -> Check:
    return printer_check(printer_status(config))


def _scanner(config: KioskConfig) -> Check:
    scanner = make_scanner(config.scanner)
    try:
        return scanner_check(scanner.status(), config.scanner.kind)
    finally:
        scanner.stop()


def _camera(config: KioskConfig) -> Check:
    devices = sorted(glob.glob("/dev/video*"))
    wanted = config.scanner.kind == "camera"
    if devices:
        return Check("camera", Level.OK, ", ".join(devices))
    level = Level.FAIL if wanted else Level.OK
    detail = "no camera found" + ("" if wanted else " (not needed: scanner kind is " + config.scanner.kind + ")")
    return Check("camera", level, detail, "plug in the camera, check `ls /dev/video*` and the udev rules")


def probes(config: KioskConfig) -> list[Callable[[], Check]]:
    return [lambda: _camera(config), lambda: _printer(config), lambda: _scanner(config)]


_SIOCGIFADDR = 0x8915


def network_addresses() -> list[str]:
    """IPv4 addresses of the machine's interfaces other than loopback, as ``name address``."""
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _, name in socket.if_nameindex():
            if name == "lo":
                continue
            request = array.array("B", struct.pack("256s", name.encode()[:15]))
            try:
                fcntl.ioctl(sock.fileno(), _SIOCGIFADDR, request)
            except OSError:
                continue  # interface without an IPv4 address (down, or IPv6 only)
            found.append(f"{name} {socket.inet_ntoa(request.tobytes()[20:24])}")
    return found


def self_test_facts(config: KioskConfig, printer: PrinterStatus, scanner: ScannerStatus) -> dict[str, str]:
    """What the self-test ticket prints (the technician's diagnostic ticket uses the same facts)."""
    return {
        "station": f"{config.station.name} ({config.station.id})",
        "role": config.station.role,
        "version": __version__,
        "network": ", ".join(network_addresses()) or "no network address",
        "printer": describe_printer(printer),
        "scanner": f"{config.scanner.kind}: {describe_scanner(scanner)}",
        "time": local_time(time.time(), "%Y-%m-%d %H:%M:%S"),
    }


def self_test_qr(config: KioskConfig) -> str:
    return f"SELFTEST-{config.station.id}-{int(time.time())}"


def print_test(config: KioskConfig, checks: list[Check]) -> Check:
    """Print the self-test ticket on the configured printer; FAIL says why and what to do."""
    name = "test print"
    try:
        printer = _open_printer(config)
    except DeviceMissing as missing:
        return Check(name, Level.FAIL, str(missing), missing.hint or PRINTER_HINTS[PrinterErrorKind.HARDWARE])
    try:
        status = printer.status()
        kind = status.blocking_kind()
        if kind is not None:
            return Check(name, Level.FAIL, f"not printed: {describe_printer(status)}", PRINTER_HINTS[kind])
        scanner = make_scanner(config.scanner)
        try:
            facts = self_test_facts(config, status, scanner.status())
        finally:
            scanner.stop()
        try:
            printer.print_receipt(self_test_receipt(facts, self_test_qr(config)))
        except PrinterError as exc:
            return Check(name, Level.FAIL, f"not printed: {exc}", PRINTER_HINTS[exc.kind])
    finally:
        printer.close()
    where = f" to {Path(config.printer.image_dir or config.data_path() / 'receipts')}" \
        if config.printer.kind == "image" else ""
    return Check(name, Level.OK, f"self-test ticket printed{where}: check the Chinese text and scan its QR")
