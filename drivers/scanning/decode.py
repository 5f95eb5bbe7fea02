"""Find and decode codes in camera frames.

zxing-cpp runs first on every analysed frame (fast, decodes most real photos), looking for QR codes —
what receipts, volunteer codes and cards carry. Every ``linear_every``-th frame is a thorough one (or
every frame, while a screen says it accepts linear codes: :meth:`Decoder.want_linear`): zxing-cpp
also looks for Code 128 and EAN-13 there (unless a QR code was read), and when it finds nothing at
all pyzbar has a look too — it reads some real photos zxing-cpp misses, at ten times zxing-cpp's
cost. Searching for linear codes in every direction costs zxing-cpp six times its QR search
(zxing-cpp 3.1), so a thorough frame scans
along the rows and the next one along the columns (of a transposed copy): any orientation within two
thorough frames, at a third of the cost. A code held up to the camera is in view for many frames, so
it meets thorough frames within a fraction of a second; and the camera only asks about frames that
changed, so a still view costs nothing.

When zxing-cpp cannot decode *and* its detector located something code-like — finder patterns it could
not turn into a symbol, which it reports for free when asked for errors — the slower passes run on any
frame: zxing-cpp on a 2× upscaled copy, pyzbar (when libzbar is installed), zxing-cpp on an
adaptive-thresholded copy, pyzbar on an inverted copy.

Payloads: QR byte mode carries no charset unless the code has an ECI. zxing-cpp guesses one
(ISO-8859-1 or Shift_JIS) and zbar guesses Shift_JIS and re-encodes to UTF-8, which garbles GB18030
Chinese. We take the raw bytes from both (zbar in binary mode) and decode them ourselves: UTF-8, else
GB18030; only a code that declares its charset by ECI keeps zxing-cpp's text.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp

log = logging.getLogger(__name__)

# Whatever OpenCV hands back (uint8 BGR or grey in practice).
Frame = npt.NDArray[Any]

# QR (incl. Micro QR) is what receipts and volunteer cards carry; Code 128 and EAN-13 cover printed
# vouchers and goods. Fewer formats keep the empty-frame cost down.
QR_FORMATS = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.MicroQRCode)
LINEAR_FORMATS = (zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.EAN13)
DEFAULT_FORMATS = zxingcpp.BarcodeFormats([*QR_FORMATS, *LINEAR_FORMATS])
# One analysed frame in this many is thorough: linear formats, and pyzbar when zxing-cpp found nothing
# (at 15 analysed frames a second: about four times a second, well within the time a code is held up).
LINEAR_EVERY = 4


@dataclass(frozen=True)
class Decoded:
    text: str
    raw: bytes
    format: str
    decoder: str


def decode_payload(raw: bytes) -> str:
    """Text of a payload without a declared charset: UTF-8, else GB18030, else ISO-8859-1 (never fails)."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


# Symbology identifiers ]Q2/]Q4/]Q6 (and ]d2… for Data Matrix) say the symbol carries an ECI, so
# zxing-cpp's own text used the declared charset and is right.
_ECI_IDENTIFIERS = frozenset({"]Q2", "]Q4", "]Q6", "]d4", "]d5", "]d6"})


def _zxing_result(barcode: Any, decoder: str) -> Decoded:
    raw = bytes(barcode.bytes)
    has_eci = barcode.symbology_identifier in _ECI_IDENTIFIERS
    text = barcode.text if has_eci else decode_payload(raw)
    return Decoded(text=text, raw=raw, format=str(barcode.format.name), decoder=decoder)


class _Zbar:
    """pyzbar with zbar's binary mode on, so QR payloads come back as the bytes in the symbol."""

    # ZBAR_CFG_BINARY in zbar ≥ 0.23 (pyzbar 0.1.9's enum predates it).
    _CFG_BINARY = 4

    def __init__(self) -> None:
        from pyzbar import pyzbar  # raises ImportError when libzbar is missing
        from pyzbar.wrapper import ZBarSymbol, zbar_image_scanner_set_config

        self._pyzbar = pyzbar
        self._qr = ZBarSymbol.QRCODE
        self._set_config = zbar_image_scanner_set_config

    def decode(self, gray: Frame) -> list[Decoded]:
        pz = self._pyzbar
        height, width = gray.shape[:2]
        pixels = np.ascontiguousarray(gray).tobytes()
        # pyzbar.decode() offers no way to set a config, so this mirrors it with the pinned release's
        # helpers plus one set_config call.
        with pz._image_scanner() as scanner:
            self._set_config(scanner, self._qr, self._CFG_BINARY, 1)
            with pz._image() as image:
                pz.zbar_image_set_format(image, pz._FOURCC["L800"])
                pz.zbar_image_set_size(image, width, height)
                data = ctypes.cast(ctypes.c_char_p(pixels), ctypes.c_void_p)
                pz.zbar_image_set_data(image, data, len(pixels), None)
                pz.zbar_scan_image(scanner, image)
                symbols = list(pz._decode_symbols(pz._symbols_for_image(image)))
        return [
            Decoded(text=decode_payload(s.data), raw=bytes(s.data), format=str(s.type), decoder="pyzbar")
            for s in symbols
        ]


def load_zbar() -> _Zbar | None:
    try:
        return _Zbar()
    except (ImportError, OSError) as exc:
        log.warning("pyzbar/libzbar not available, camera decoding uses zxing-cpp only: %s", exc)
        return None


def to_gray(frame: Frame) -> Frame:
    if frame.ndim == 2:
        return frame
    return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)


Pass = Callable[[Frame], list[Decoded]]


class Decoder:
    """The camera decoding pipeline. One instance per worker thread (zbar scanners are not shared).

    ``formats`` are searched on every frame; every ``linear_every``-th frame (``linear_every=1``:
    every one), or every frame while :meth:`want_linear` says so, is thorough: ``linear_formats`` are
    searched too, and pyzbar looks when zxing-cpp found nothing.
    """

    def __init__(
        self,
        *,
        use_pyzbar: bool = True,
        formats: Any = QR_FORMATS,
        linear_formats: Any = LINEAR_FORMATS,
        linear_every: int = LINEAR_EVERY,
    ) -> None:
        if linear_every < 1:
            raise ValueError(f"linear_every must be at least 1, not {linear_every}")
        self._every_frame = zxingcpp.BarcodeFormats(list(formats))
        self._linear = zxingcpp.BarcodeFormats(list(linear_formats))
        self._linear_every = linear_every
        self._linear_wanted = False
        self._frames = self._thorough_frames = 0
        self._zbar = load_zbar() if use_pyzbar else None
        # Cheapest-per-rescue first (bench/decode.py): upscaling rescues most blurred and small codes,
        # zbar most codes under screen glare. zxing-cpp tries inverted codes itself; zbar does not.
        self._fallbacks: list[Pass] = [self._upscaled]
        if self._zbar is not None:
            self._fallbacks.append(self._zbar.decode)
        self._fallbacks.append(self._thresholded)
        if self._zbar is not None:
            self._fallbacks.append(self._zbar_inverted)
        # Frames that were worth the fallback passes, and frames where zxing-cpp found nothing and
        # pyzbar had a look (for benchmarks and tests).
        self.fallback_frames = 0
        self.second_opinion_frames = 0

    @property
    def pyzbar_available(self) -> bool:
        return self._zbar is not None

    def want_linear(self, wanted: bool) -> None:
        """Look for the linear formats on every frame (a screen that accepts them is showing), or only
        on every ``linear_every``-th. May be called from any thread."""
        self._linear_wanted = wanted

    def _thorough(self) -> bool:
        """Whether the frame being decoded now is a thorough one."""
        self._frames += 1
        if not (self._linear_wanted or self._frames % self._linear_every == 0):
            return False
        self._thorough_frames += 1
        return True

    def _linear_codes(self, gray: Frame) -> list[Any]:
        """Linear codes along the rows, or on every other thorough frame along the columns."""
        along = cv2.transpose(gray) if self._thorough_frames % 2 == 0 else gray
        return list(zxingcpp.read_barcodes(along, formats=self._linear, try_rotate=False))

    def _zxing(self, gray: Frame, decoder: str = "zxing") -> list[Decoded]:
        barcodes = zxingcpp.read_barcodes(gray, formats=self._every_frame)
        return [_zxing_result(b, decoder) for b in barcodes]

    def _upscaled(self, gray: Frame) -> list[Decoded]:
        if max(gray.shape) > 1280:
            return []
        big = cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
        return self._zxing(big, "zxing-2x")

    def _thresholded(self, gray: Frame) -> list[Decoded]:
        binary = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 31, 5)
        return self._zxing(binary, "zxing-threshold")

    def _zbar_inverted(self, gray: Frame) -> list[Decoded]:
        assert self._zbar is not None
        return self._zbar.decode(cv2.bitwise_not(gray))

    def decode(self, frame: Frame) -> list[Decoded]:
        """The codes in a frame that changed since the last one decoded."""
        gray = to_gray(frame)
        thorough = self._thorough()
        barcodes = list(zxingcpp.read_barcodes(gray, formats=self._every_frame, return_errors=True))
        if thorough and not any(b.valid for b in barcodes):
            barcodes += self._linear_codes(gray)  # a QR code in view is what the screen wants
        found = [_zxing_result(b, "zxing") for b in barcodes if b.valid]
        if found:
            return found
        if not barcodes:
            if self._zbar is None or not thorough:
                return []
            self.second_opinion_frames += 1
            return self._zbar.decode(gray)
        self.fallback_frames += 1
        for fallback in self._fallbacks:
            found = fallback(gray)
            if found:
                return found
        return []
