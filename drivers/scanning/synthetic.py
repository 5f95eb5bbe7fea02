"""Camera frames for the simulated camera: QR codes placed in a plausible scene, written to MJPG video
files that :class:`~drivers.scanning.camera.CameraScanner` plays like a camera. Used by the demo, the
tests and the benchmarks so they all exercise the real capture and decoding path."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np
import qrcode
import qrcode.constants

from drivers.scanning.decode import Frame


def qr_modules(payload: str | bytes, border: int = 4) -> Frame:
    """The QR symbol at one pixel per module (0 = dark, 255 = light), quiet zone included.

    ``str`` payloads are encoded as UTF-8; pass ``bytes`` for any other encoding (e.g. GB18030)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border, box_size=1)
    code.add_data(payload.encode("utf-8") if isinstance(payload, str) else payload)
    code.make(fit=True)
    matrix = np.array(code.get_matrix(), dtype=bool)
    return np.where(matrix, 0, 255).astype(np.uint8)


def scene(width: int, height: int, seed: int = 0) -> Frame:
    """A BGR counter-top-and-wall background: soft gradients, a few blurred objects, sensor noise."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    base = 90 + 60 * (xs / width) + 40 * (ys / height)
    img: Frame = np.dstack([base * f for f in (0.9, 1.0, 1.1)]).astype(np.float32)
    for _ in range(6):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = int(rng.integers(width // 10, width // 3)), int(rng.integers(height // 10, height // 3))
        colour = rng.integers(40, 220, size=3).tolist()
        cv2.rectangle(img, (x, y), (x + w, y + h), colour, thickness=-1)
    img = cv2.GaussianBlur(img, (0, 0), 3)
    img = img + rng.normal(0, 3, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def place_code(
    background: Frame,
    modules: Frame,
    module_px: float,
    center: tuple[float, float] | None = None,
    angle_deg: float = 0.0,
) -> Frame:
    """Paste a code (scaled to ``module_px`` pixels per module, rotated) onto a copy of the scene."""
    frame = background.copy()
    h, w = frame.shape[:2]
    cx, cy = center if center is not None else (w / 2, h / 2)
    size = modules.shape[0]
    matrix = cv2.getRotationMatrix2D((size / 2, size / 2), angle_deg, module_px)
    matrix[0, 2] += cx - size / 2
    matrix[1, 2] += cy - size / 2
    # Warp a mask alongside so only the code's own square replaces scene pixels.
    code = cv2.warpAffine(modules, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    mask = cv2.warpAffine(np.full_like(modules, 255), matrix, (w, h), flags=cv2.INTER_NEAREST)
    inside = mask > 0
    frame[inside] = code[inside][:, None]
    return frame


def write_video(path: Path, frames: Iterable[Frame], fps: float) -> int:
    """Write BGR frames to an MJPG ``.avi`` (what USB cameras deliver); returns the frame count."""
    writer: cv2.VideoWriter | None = None
    count = 0
    try:
        for frame in frames:
            if writer is None:
                h, w = frame.shape[:2]
                writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (w, h))
                if not writer.isOpened():
                    raise OSError(f"cannot write video {path}")
            writer.write(frame)
            count += 1
    finally:
        if writer is not None:
            writer.release()
    return count
