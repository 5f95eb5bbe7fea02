"""Find and decode codes in camera frames.

zxing-cpp runs first on every analysed frame (fast, decodes most real photos), looking for QR codes —
what receipts, volunteer codes and cards carry. The linear formats (Code 128, EAN-13) double the cost
of that search, so they are looked for only on every ``linear_every``-th frame, or on every frame
while a screen says it accepts them (:meth:`Decoder.want_linear`). When zxing-cpp cannot decode *and*
its detector located something code-like — finder patterns it could not turn into a symbol, which it
reports for free when asked for errors — the slower passes run: zxing-cpp on a 2× upscaled copy, pyzbar
(when libzbar is installed), zxing-cpp on an adaptive-thresholded copy, pyzbar on an inverted copy.
When zxing-cpp finds nothing at all, pyzbar alone has a look: it reads some real photos zxing-cpp
misses, and the camera only asks about frames that changed, so a still, empty view costs nothing.

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
# Linear formats on one analysed frame in this many (at 15 analysed frames a second: about four times a
# second, well within the time a voucher is held up).
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

    ``formats`` are searched on every frame, ``linear_formats`` in addition on every
    ``linear_every``-th frame (``linear_every=1``: always), or always while :meth:`want_linear` says so.
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
        self._with_linear = zxingcpp.BarcodeFormats([*formats, *linear_formats])
        self._linear_every = linear_every
        self._linear_wanted = False
        self._frames = 0
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

    def _formats(self) -> Any:
        """The formats for the frame being decoded now."""
        self._frames += 1
        if self._linear_wanted or self._frames % self._linear_every == 0:
            return self._with_linear
        return self._every_frame

    def _zxing(self, gray: Frame, decoder: str = "zxing") -> list[Decoded]:
        barcodes = zxingcpp.read_barcodes(gray, formats=self._with_linear)
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
        barcodes = zxingcpp.read_barcodes(gray, formats=self._formats(), return_errors=True)
        found = [_zxing_result(b, "zxing") for b in barcodes if b.valid]
        if found:
            return found
        if not barcodes:
            if self._zbar is None:
                return []
            self.second_opinion_frames += 1
            return self._zbar.decode(gray)
        self.fallback_frames += 1
        for fallback in self._fallbacks:
            found = fallback(gray)
            if found:
                return found
        return []
