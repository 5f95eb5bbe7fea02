"""Find and decode codes in camera frames.

zxing-cpp runs first on every analysed frame (fast, decodes most real photos). Only when it cannot
decode *and* its detector located something code-like — finder patterns it could not turn into a
symbol, which it reports for free when asked for errors — do the slower passes run: zxing-cpp on a 2×
upscaled copy, pyzbar (when libzbar is installed), zxing-cpp on an adaptive-thresholded copy, pyzbar
on an inverted copy. Frames with no code — the common case at a kiosk, including busy ones full of
printed text that fool edge-density tests — cost one zxing-cpp call.

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
DEFAULT_FORMATS = zxingcpp.BarcodeFormats(
    [
        zxingcpp.BarcodeFormat.QRCode,
        zxingcpp.BarcodeFormat.MicroQRCode,
        zxingcpp.BarcodeFormat.Code128,
        zxingcpp.BarcodeFormat.EAN13,
    ]
)


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
    """The camera decoding pipeline. One instance per worker thread (zbar scanners are not shared)."""

    def __init__(self, *, use_pyzbar: bool = True, formats: Any = DEFAULT_FORMATS) -> None:
        self._formats = formats
        self._zbar = load_zbar() if use_pyzbar else None
        # Cheapest-per-rescue first (bench/decode.py): upscaling rescues most blurred and small codes,
        # zbar most codes under screen glare. zxing-cpp tries inverted codes itself; zbar does not.
        self._fallbacks: list[Pass] = [self._upscaled]
        if self._zbar is not None:
            self._fallbacks.append(self._zbar.decode)
        self._fallbacks.append(self._thresholded)
        if self._zbar is not None:
            self._fallbacks.append(self._zbar_inverted)
        # Frames that were worth the fallback passes (for benchmarks and tests).
        self.fallback_frames = 0

    @property
    def pyzbar_available(self) -> bool:
        return self._zbar is not None

    def _zxing(self, gray: Frame, decoder: str = "zxing") -> list[Decoded]:
        barcodes = zxingcpp.read_barcodes(gray, formats=self._formats)
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
        gray = to_gray(frame)
        barcodes = zxingcpp.read_barcodes(gray, formats=self._formats, return_errors=True)
        found = [_zxing_result(b, "zxing") for b in barcodes if b.valid]
        if found or not barcodes:
            return found
        self.fallback_frames += 1
        for fallback in self._fallbacks:
            found = fallback(gray)
            if found:
                return found
        return []
