"""ESC/POS bytes for a laid-out receipt.

Chinese goes through an explicit path instead of python-escpos' ``text()``/MagicEncode: a line with any
non-ASCII character is sent as ``FS &`` + GB18030 bytes + ``FS .``, so full-width punctuation alone
(``：（）￥``) prints from the Chinese font instead of becoming ``?``. A line with a character outside the
printer's font (see :func:`~drivers.printing.layout.in_printer_font`) is painted and sent as a raster
image (``GS v 0``) of exactly the line's height. Every text line carries its own alignment, size and
emphasis, so a line never depends on the state a previous one left behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from PIL import Image

from drivers.printing.layout import (
    LINE_PITCH,
    QR_QUIET_MODULES,
    BarcodeBlock,
    Block,
    CutBlock,
    FeedBlock,
    Line,
    QrBlock,
    layout,
    needs_raster,
    paper_length,
)
from drivers.printing.raster import Painter
from kiosk.receipt import Align, Receipt, Size

ESC, GS, FS, LF = b"\x1b", b"\x1d", b"\x1c", b"\n"
INIT = ESC + b"@"
CHINESE_ON = FS + b"&"
CHINESE_OFF = FS + b"."
RASTER_FRAGMENT_ROWS = 240  # keep each GS v 0 image small enough for cheap printers' buffers
CUT = GS + b"VB\x00"  # feed to the cutter and cut (partial where the cutter can)
# GS r 1 (paper sensor status) is not real-time: the printer answers once everything before it has
# printed, and not at all while it stopped (paper out, cover open). That makes it the "done" marker.
PRINTED_PROBE = GS + b"r\x01"

TextMode = Literal["native", "image"]
QrMode = Literal["native", "raster"]

_ALIGN = {Align.LEFT: 0, Align.CENTER: 1, Align.RIGHT: 2}


def align(value: Align) -> bytes:
    return ESC + b"a" + bytes([_ALIGN[value]])


def char_size(size: Size) -> bytes:
    return GS + b"!" + bytes([(size.width_factor - 1) << 4 | (size.height_factor - 1)])


def bold(on: bool) -> bytes:
    return ESC + b"E" + bytes([int(on)])


def line_spacing(dots: int) -> bytes:
    return ESC + b"3" + bytes([dots])


def feed_lines(n: int) -> bytes:
    return ESC + b"d" + bytes([n])


def feed_dots(n: int) -> bytes:
    return ESC + b"J" + bytes([n])


def start() -> bytes:
    """Reset, fixed line spacing, and out of Chinese mode (some printers power up in it)."""
    return INIT + line_spacing(LINE_PITCH) + CHINESE_OFF


def text_line(line: Line) -> bytes:
    head = align(line.align) + char_size(line.size) + bold(line.bold)
    text = line.text
    body = text.encode("ascii") if text.isascii() else CHINESE_ON + text.encode("gb18030") + CHINESE_OFF
    if line.pitch == LINE_PITCH:
        return head + body + LF
    # A tall line gets its own spacing, so its leading matches the picture the image printer makes.
    return head + line_spacing(line.pitch) + body + LF + line_spacing(LINE_PITCH)


def raster(image: Image.Image) -> bytes:
    """``GS v 0`` images of a paper-wide mode-L picture (black < 128), in fragments, left-aligned."""
    if image.width % 8:
        raise ValueError(f"raster width {image.width} is not a multiple of 8")
    bits = image.point(lambda v: 255 if v < 128 else 0).convert("1", dither=Image.Dither.NONE)
    width_bytes = image.width // 8
    out = [align(Align.LEFT)]
    for top in range(0, image.height, RASTER_FRAGMENT_ROWS):
        rows = min(RASTER_FRAGMENT_ROWS, image.height - top)
        data = bits.crop((0, top, image.width, top + rows)).tobytes()
        out.append(GS + b"v0\x00" + width_bytes.to_bytes(2, "little") + rows.to_bytes(2, "little") + data)
    return b"".join(out)


def _qr_cmd(fn: bytes, payload: bytes) -> bytes:
    return GS + b"(k" + (len(payload) + 2).to_bytes(2, "little") + b"1" + fn + payload


def qr_native(block: QrBlock) -> bytes:
    """Model 2, error correction M, centred; the quiet zone above and below as an exact dot feed."""
    quiet = feed_dots(QR_QUIET_MODULES * block.module)
    return (
        align(Align.CENTER)
        + quiet
        + _qr_cmd(b"A", b"2\x00")
        + _qr_cmd(b"C", bytes([block.module]))
        + _qr_cmd(b"E", b"1")
        + _qr_cmd(b"P", b"0" + block.data.encode("utf-8"))
        + _qr_cmd(b"Q", b"0")
        + quiet
        + align(Align.LEFT)
    )


def barcode_native(block: BarcodeBlock) -> bytes:
    """CODE128 code set B, 80 dots high, text below in font A, centred."""
    data = b"{B" + block.data.encode("ascii")
    return (
        align(Align.CENTER)
        + GS + b"h" + bytes([80])
        + GS + b"w" + bytes([block.module])
        + GS + b"H\x02"
        + GS + b"f\x00"
        + GS + b"kI" + bytes([len(data)]) + data
        + align(Align.LEFT)
    )


@dataclass(frozen=True)
class EncodedJob:
    data: bytes
    length_dots: int  # paper the job prints, to know how long printing may take


class Encoder:
    """Receipt → bytes for one printer's paper width and modes."""

    def __init__(self, painter: Painter, text_mode: TextMode = "native", qr_mode: QrMode = "native") -> None:
        self.painter = painter
        self.text_mode = text_mode
        self.qr_mode = qr_mode

    def encode(self, receipt: Receipt) -> bytes:
        return self.job(receipt).data

    def job(self, receipt: Receipt) -> EncodedJob:
        blocks = layout(receipt, self.painter.dots)
        parts = self._as_images(blocks) if self.text_mode == "image" else (self.block(b) for b in blocks)
        return EncodedJob(start() + b"".join(parts), paper_length(blocks))

    def block(self, block: Block) -> bytes:
        match block:
            case Line():
                return raster(self.painter.line(block)) if needs_raster(block.text) else text_line(block)
            case QrBlock():
                return qr_native(block) if self.qr_mode == "native" else raster(self.painter.qr(block))
            case BarcodeBlock():
                # GS w starts at 2 on most printers; a one-dot module has to be painted.
                return barcode_native(block) if block.module >= 2 else raster(self.painter.barcode(block))
            case FeedBlock():
                return feed_lines(block.lines)
            case CutBlock():
                return CUT
        raise TypeError(f"unknown block {block!r}")

    def _as_images(self, blocks: list[Block]) -> Iterator[bytes]:
        """Everything between cuts painted as one picture (for printers without a Chinese font)."""
        run: list[Block] = []
        for block in blocks:
            if isinstance(block, CutBlock):
                if run:
                    yield raster(self.painter.render(run))
                run = []
                yield CUT
            else:
                run.append(block)
        if run:
            yield raster(self.painter.render(run))
