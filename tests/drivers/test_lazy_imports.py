"""A kiosk imports only the libraries its configured devices need, and python-escpos keeps its cache in
the kiosk's data directory instead of a new temporary folder per start.

Each check runs in a fresh interpreter: what matters is what one start of the process imports and leaves.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("escpos", "cv2", "zxingcpp", "pyzbar", "serial", "usb", "evdev")


def run_python(code: str, tmp_dir: Path) -> dict[str, object]:
    """Run ``code`` in a new interpreter with its own temp folder; it prints one JSON line."""
    tmp_dir.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(tmp_dir), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


BUILD = """
import json, sys
from pathlib import Path
from drivers.printing import make_printer
from drivers.scanning import make_scanner
from kiosk.config import PrinterConfig, ScannerConfig
printer = make_printer(PrinterConfig(kind={printer!r}, host="127.0.0.1"), Path({data!r}))
scanner = make_scanner(ScannerConfig(kind={scanner!r}, camera={camera!r}))
heavy = sorted(m for m in {heavy!r} if m in sys.modules)
print(json.dumps({{"printer": type(printer).__name__, "scanner": type(scanner).__name__, "heavy": heavy}}))
"""


def build(tmp_path: Path, printer: str, scanner: str, camera: str = "0") -> dict[str, object]:
    code = BUILD.format(printer=printer, scanner=scanner, camera=camera, data=str(tmp_path / "data"), heavy=HEAVY)
    return run_python(code, tmp_path / "tmp")


def test_image_printer_and_simulated_scanner_import_no_device_library(tmp_path: Path) -> None:
    result = build(tmp_path, "image", "simulated")
    assert (result["printer"], result["scanner"]) == ("ImagePrinter", "SimulatedScanner")
    assert result["heavy"] == []


def test_escpos_printer_imports_escpos_but_no_camera_library(tmp_path: Path) -> None:
    result = build(tmp_path, "network", "none")
    assert result["printer"] == "EscposPrinter"
    assert result["heavy"] == ["escpos", "serial"]  # the transports' module reads serial errors too


def test_escpos_cache_lives_in_the_data_dir_and_no_temp_folder_is_left(tmp_path: Path) -> None:
    cache = tmp_path / "data" / "cache" / "escpos"
    build(tmp_path, "network", "none")
    pickles = list(cache.glob("*.capabilities.pickle"))
    assert len(pickles) == 1
    written = pickles[0].stat().st_mtime_ns
    build(tmp_path, "network", "none")  # the second start reads the cache instead of parsing again
    assert pickles[0].stat().st_mtime_ns == written
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_half_written_escpos_cache_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "data" / "cache" / "escpos"
    cache.mkdir(parents=True)
    broken = cache / f"{'.'.join(map(str, sys.version_info[:3]))}.capabilities.pickle"
    broken.write_bytes(b"\x80\x02}q\x00(X")  # a pickle cut short, newer than the capabilities file
    future = time.time() + 3600
    os.utime(broken, (future, future))
    assert build(tmp_path, "network", "none")["printer"] == "EscposPrinter"
    with broken.open("rb") as f:
        assert "profiles" in pickle.load(f)


def test_a_missing_camera_imports_no_camera_library(tmp_path: Path) -> None:
    # The device is absent, so the kiosk runs with the Null scanner without loading OpenCV or zxing-cpp.
    result = build(tmp_path, "none", "camera", camera=str(tmp_path / "no-such-camera"))
    assert result["scanner"] == "NullScanner"
    assert result["heavy"] == []
