"""CPU use of the camera scanner while nothing is in view: the common state of a kiosk's camera.

A generated MJPG video (a counter-top scene with sensor noise and slow light changes, no code) is
played through the real capture and decoding path at its real frame rate, as a camera delivers it.
CPU use is process CPU time / wall time, as a fraction of one core; the capture's own MJPG decoding
is included, as it is with a USB camera. "As configured" is the scanner's defaults (at most 15 frames
a second looked at, 5 once nothing has changed for 2 s; the change test on an eighth-size grey decode
of the JPEG; unchanged frames not decoded); ``--compare`` adds decoding every frame.

    python -m bench.scan_idle [--seconds 10] [--fps 30]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from drivers.scanning.camera import CameraScanner
from drivers.scanning.decode import Frame
from drivers.scanning.synthetic import scene, write_video


def idle_frames(size: tuple[int, int], seconds: float, fps: float) -> Iterator[Frame]:
    rng = np.random.default_rng(7)
    background = scene(*size, seed=7).astype(np.float32)
    for i in range(int(seconds * fps)):
        light = 1.0 + 0.03 * np.sin(i / fps)  # clouds, a door opening
        yield np.clip(background * light + rng.normal(0, 2.5, background.shape), 0, 255).astype(np.uint8)


def measure(path: Path, fps: float, skip: bool) -> tuple[float, CameraScanner]:
    """CPU share of the scanner as configured (``skip``), or decoding every frame it gets."""
    if skip:
        scanner = CameraScanner(str(path), realtime=True)
    else:
        scanner = CameraScanner(str(path), realtime=True, skip_unchanged=False, analyse_fps=fps * 2)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    scanner.start(lambda event: print(f"unexpected scan: {event.text}"))
    scanner.wait(600)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    scanner.stop()
    return cpu / wall, scanner


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument(
        "--compare", action="store_true", help="also measure decoding every frame, for comparison"
    )
    args = parser.parse_args()
    cv2.setNumThreads(1)
    with tempfile.TemporaryDirectory() as tmp:
        for size in ((640, 480), (1280, 720)):
            path = Path(tmp) / f"idle-{size[0]}.avi"
            write_video(path, idle_frames(size, args.seconds, args.fps), args.fps)
            modes = (True, False) if args.compare else (True,)
            for skip in modes:
                share, scanner = measure(path, args.fps, skip)
                label = "as configured" if skip else "decoding every frame"
                print(
                    f"{size[0]}×{size[1]} @ {args.fps:g} fps, {label}: CPU {share:.3f} of one core "
                    f"({scanner.frames_looked_at} of {scanner.frames_read} frames looked at, "
                    f"{scanner.frames_analysed} decoded; change test on "
                    f"{'the JPEG decoded small' if scanner.jpeg_input else 'full decoded frames'})"
                )


if __name__ == "__main__":
    main()
