"""Painting layout blocks into 1-bit images: the image printer, the raster fallback for characters the
printer's font lacks, and ``text_mode = "image"`` all go through here.

Text is painted cell by cell on the printer's 12 × 24 grid and scaled by nearest neighbour for double
sizes, as the printer does, so the PNG keeps the printer's columns and line breaks.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

import qrcode
import qrcode.constants
from PIL import Image, ImageDraw, ImageFont

from drivers.printing.layout import (
    BARCODE_HEIGHT,
    CELL_H,
    CELL_W,
    LINE_PITCH,
    QR_QUIET_MODULES,
    BarcodeBlock,
    Block,
    CutBlock,
    FeedBlock,
    Line,
    QrBlock,
)
from kiosk.receipt import Align, char_columns

WHITE = 255
BLACK = 0
WIDE_FONT_PX = 24
NARROW_FONT_PX = 20
BASELINE = 20  # glyph baseline inside the 24-dot cell
CUT_MARGIN = 24


@functools.lru_cache(maxsize=16)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    # Prefer the monospaced face of a collection (WenQuanYi Micro Hei Mono is index 1).
    if path.lower().endswith(".ttc"):
        try:
            mono = ImageFont.truetype(path, size, index=1)
            if "mono" in " ".join(filter(None, mono.getname())).lower():
                return mono
        except OSError:
            pass
    return ImageFont.truetype(path, size)


_NOT_A_CHARACTER = "\U000ffffd"  # private use, in no font: renders as the font's "missing" box


def _has_glyph(font: ImageFont.FreeTypeFont, ch: str) -> bool:
    mask, missing = font.getmask(ch), font.getmask(_NOT_A_CHARACTER)
    return mask.size != missing.size or bytes(mask) != bytes(missing)


@functools.lru_cache(maxsize=256)
def _fallback_font(ch: str) -> str | None:
    """Another installed font with ``ch`` (rare hanzi such as 䶮 are in few fonts), via fontconfig."""
    if not shutil.which("fc-list"):
        return None
    try:
        out = subprocess.run(
            ["fc-list", f":charset={ord(ch):x}", "file"], capture_output=True, text=True, timeout=5
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(line.strip().rstrip(":") for line in out.splitlines() if line.strip())
    return files[0] if files else None


class Painter:
    """Paints blocks at the paper's dot width; images are mode ``L`` holding only 0 and 255."""

    def __init__(self, dots: int, font_path: Path) -> None:
        self.dots = dots
        self.font_path = str(font_path)

    def _blank(self, height: int) -> Image.Image:
        return Image.new("L", (self.dots, max(height, 1)), WHITE)

    def _font_for(self, ch: str, size: int) -> ImageFont.FreeTypeFont:
        font = _font(self.font_path, size)
        if ch.isascii() or _has_glyph(font, ch):
            return font
        fallback = _fallback_font(ch)
        # With no font for it anywhere the box is still drawn: a visible gap beats a silent '?'.
        return _font(fallback, size) if fallback else font

    def line(self, line: Line) -> Image.Image:
        """One text line, exactly ``line.pitch`` dots high."""
        canvas = self._blank(line.pitch)
        if not line.text:
            return canvas
        base_w = line.width_dots // line.size.width_factor
        cells = Image.new("L", (max(base_w, 1), CELL_H), WHITE)
        draw = ImageDraw.Draw(cells)
        x = 0
        for ch in line.text:
            width = char_columns(ch) * CELL_W
            font = self._font_for(ch, WIDE_FONT_PX if width > CELL_W else NARROW_FONT_PX)
            if not ch.isspace():
                draw.text(
                    (x + width / 2, BASELINE), ch, font=font, fill=BLACK, anchor="ms",
                    stroke_width=1 if line.bold else 0, stroke_fill=BLACK,
                )
            x += width
        cells = cells.point(lambda v: BLACK if v < 128 else WHITE)
        scaled = cells.resize(
            (base_w * line.size.width_factor, CELL_H * line.size.height_factor), Image.Resampling.NEAREST
        )
        if line.align is Align.CENTER:
            left = (self.dots - scaled.width) // 2
        elif line.align is Align.RIGHT:
            left = self.dots - scaled.width
        else:
            left = 0
        canvas.paste(scaled, (max(left, 0), 0))
        return canvas

    def qr(self, block: QrBlock) -> Image.Image:
        """The symbol with its quiet zone (4 modules on every side), centred."""
        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QR_QUIET_MODULES)
        qr.add_data(block.data.encode("utf-8"))
        qr.make(fit=True)
        matrix = qr.get_matrix()
        side = len(matrix)
        symbol = Image.new("L", (side, side), WHITE)
        symbol.putdata([BLACK if cell else WHITE for row in matrix for cell in row])
        symbol = symbol.resize((side * block.module, side * block.module), Image.Resampling.NEAREST)
        canvas = self._blank(symbol.height)
        canvas.paste(symbol, ((self.dots - symbol.width) // 2, 0))
        return canvas

    def barcode(self, block: BarcodeBlock) -> Image.Image:
        """Bars centred, the human-readable text centred under them (as ``GS H 2`` prints it)."""
        canvas = self._blank(block.height)
        draw = ImageDraw.Draw(canvas)
        left = (self.dots - len(block.bars) * block.module) // 2
        for i, bit in enumerate(block.bars):
            if bit == "1":
                x = left + i * block.module
                draw.rectangle((x, 0, x + block.module - 1, BARCODE_HEIGHT - 1), fill=BLACK)
        canvas.paste(self.line(Line(block.data, align=Align.CENTER)), (0, BARCODE_HEIGHT))
        return canvas

    def cut(self) -> Image.Image:
        """A dashed tear line where the printer would cut."""
        canvas = self._blank(CUT_MARGIN)
        draw = ImageDraw.Draw(canvas)
        for x in range(0, self.dots, 12):
            draw.line((x, CUT_MARGIN // 2, x + 5, CUT_MARGIN // 2), fill=BLACK)
        return canvas

    def block(self, block: Block) -> Image.Image:
        match block:
            case Line():
                return self.line(block)
            case QrBlock():
                return self.qr(block)
            case BarcodeBlock():
                return self.barcode(block)
            case FeedBlock():
                return self._blank(block.lines * LINE_PITCH)
            case CutBlock():
                return self.cut()
        raise TypeError(f"unknown block {block!r}")

    def render(self, blocks: list[Block]) -> Image.Image:
        """All blocks stacked, top to bottom."""
        parts = [self.block(b) for b in blocks]
        out = self._blank(sum(p.height for p in parts))
        y = 0
        for part in parts:
            out.paste(part, (0, y))
            y += part.height
        return out
