"""The one layout of a receipt on a character grid, shared by the ESC/POS and the image renderers.

Both renderers see the same list of blocks: lines already wrapped and padded to the printer's font A
grid (12 × 24 dots; 32 columns on 58 mm / 384 dots, 48 on 80 mm / 576 dots; wide characters take two
columns), QR codes with a module size that fits the paper with its quiet zone, CODE128 barcodes in code
set B, feeds and cuts. The ESC/POS renderer sends a line as text and the image renderer paints it cell
by cell, so a PNG shows what the printer prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import qrcode
import qrcode.constants
import qrcode.exceptions
from barcode.charsets import code128

from kiosk.receipt import (
    DUPLICATE_BANNER,
    Align,
    Barcode,
    Cut,
    Element,
    Feed,
    Footer,
    QrCode,
    Receipt,
    ReceiptFormatError,
    Row,
    Separator,
    Size,
    Text,
    Title,
    char_columns,
    text_columns,
)

CELL_W = 12
CELL_H = 24
LINE_PITCH = 30  # dots per text line (ESC 3 30), i.e. 24-dot glyphs plus 6 dots of leading
QR_QUIET_MODULES = 4
BARCODE_HEIGHT = 80
MIN_MODULE = 1

# The half-width yen sign has no glyph in the printers' GB2312 font and no place in most code pages;
# the full-width one (GB2312 A3A4) prints everywhere, so receipts use it for amounts.
_NORMALISE = str.maketrans({"\u00a5": "\uffe5"})


def normalise(text: str) -> str:
    return text.translate(_NORMALISE)


def in_printer_font(ch: str) -> bool:
    """Whether the printer can print ``ch`` from ROM: printable ASCII, or a character in the GB2312 area.

    The test: its GB18030 encoding is two bytes that are an assigned GB2312 code (they decode as
    GB2312), which every Chinese ESC/POS font has — hanzi level 1 and 2, full-width punctuation, pinyin
    letters. GBK/GB18030 extensions (堃 88D2, 䶮 FE9F, 𠀀 95328236) and unassigned cells (€ A2E3) are
    not reliably in printer ROMs and go to the raster path instead of printing '?'. (Python's own
    gb2312 codec is not used for the encoding: it maps · and — to other code points than GB18030.)
    """
    if " " <= ch <= "~":
        return True
    try:
        encoded = ch.encode("gb18030")
        encoded.decode("gb2312")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    return len(encoded) == 2


def needs_raster(text: str) -> bool:
    return not all(in_printer_font(ch) for ch in text)


@dataclass(frozen=True)
class Line:
    """One printed line: ``text`` fits ``columns // size.width_factor`` columns."""

    text: str
    size: Size = Size.NORMAL
    bold: bool = False
    align: Align = Align.LEFT

    @property
    def pitch(self) -> int:
        """Paper advance of this line in dots: the glyph height plus the same 6 dots of leading."""
        return LINE_PITCH + CELL_H * (self.size.height_factor - 1)

    @property
    def width_dots(self) -> int:
        return text_columns(self.text) * CELL_W * self.size.width_factor


@dataclass(frozen=True)
class QrBlock:
    data: str
    module: int
    modules: int  # symbol width in modules, without the quiet zone

    @property
    def height(self) -> int:
        return (self.modules + 2 * QR_QUIET_MODULES) * self.module


@dataclass(frozen=True)
class BarcodeBlock:
    data: str
    module: int
    bars: str  # '1' bar / '0' space per module, code set B, start to stop

    @property
    def height(self) -> int:
        return BARCODE_HEIGHT + LINE_PITCH  # bars, then the human-readable line


@dataclass(frozen=True)
class FeedBlock:
    lines: int


@dataclass(frozen=True)
class CutBlock:
    pass


Block = Line | QrBlock | BarcodeBlock | FeedBlock | CutBlock


CUT_FEED_DOTS = 120  # what a cutter feeds before it cuts, roughly


def paper_length(blocks: Sequence[Block]) -> int:
    """Dots of paper the blocks take (what the printer has to print before the job is done)."""
    total = 0
    for block in blocks:
        match block:
            case Line():
                total += block.pitch
            case QrBlock() | BarcodeBlock():
                total += block.height
            case FeedBlock():
                total += block.lines * LINE_PITCH
            case CutBlock():
                total += CUT_FEED_DOTS
    return total


def columns_for(dots: int) -> int:
    return dots // CELL_W


# Chinese line-breaking rule (禁则): these never start a line; the character before them moves down too.
NO_LINE_START = frozenset("，。、：；！？）」』》〉】”’…,.:;!?)")


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrap by printer columns; a break goes at the line's last space when it has one, and
    closing punctuation never starts a line."""
    lines: list[str] = []
    current = ""
    for ch in text:
        if text_columns(current) + char_columns(ch) > width:
            cut = current.rfind(" ")
            if ch != " " and cut > 0:
                lines.append(current[:cut])
                current = current[cut + 1 :]
            elif ch in NO_LINE_START and len(current) > 1:
                lines.append(current[:-1])
                current = current[-1]
            else:
                lines.append(current)
                current = ""
            if ch == " " and not current:
                continue
        current += ch
    if current or not lines:
        lines.append(current)
    return [line.rstrip() for line in lines]


def _lines(text: str, columns: int, size: Size, bold: bool, align: Align) -> list[Line]:
    return [Line(part, size, bold, align) for part in wrap(normalise(text), columns // size.width_factor)]


def _row(row: Row, columns: int) -> list[Line]:
    label, value = normalise(row.label), normalise(row.value)
    gap = columns - text_columns(label) - text_columns(value)
    if gap >= 1:
        return [Line(label + " " * gap + value, bold=row.bold)]
    out = [Line(part, bold=row.bold) for part in wrap(label, columns)]
    # Under its label, a one-line value keeps to the right; a longer one reads as a paragraph.
    values = wrap(value, columns)
    align = Align.RIGHT if len(values) == 1 else Align.LEFT
    return out + [Line(part, bold=row.bold, align=align) for part in values]


def qr_symbol_modules(data: str) -> int:
    """Width in modules of the smallest QR (error correction M) holding ``data`` as UTF-8 bytes."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(data.encode("utf-8"))
    try:
        qr.make(fit=True)
    except (qrcode.exceptions.DataOverflowError, ValueError):
        raise ReceiptFormatError(f"QR data too long ({len(data.encode('utf-8'))} bytes)") from None
    return int(qr.modules_count)


def _qr(element: QrCode, dots: int) -> QrBlock:
    modules = qr_symbol_modules(element.data)
    module = min(element.module, dots // (modules + 2 * QR_QUIET_MODULES))
    if module < MIN_MODULE:
        raise ReceiptFormatError(f"QR of {modules} modules does not fit {dots} dots")
    return QrBlock(element.data, module, modules)


def code128_bars(data: str) -> str:
    """CODE128 code set B modules (the same symbol the printer draws for ``GS k 73 {B…``)."""
    values = [ord(ch) - 32 for ch in data]
    start = code128.START_CODES["B"]
    check = (start + sum(i * v for i, v in enumerate(values, start=1))) % 103
    return "".join(code128.CODES[v] for v in (start, *values, check)) + code128.STOP + "11"


def _barcode(element: Barcode, dots: int) -> BarcodeBlock:
    bars = code128_bars(element.data)
    # Two-dot modules read best; fall back to one dot, and refuse what still leaves no quiet zone.
    for module in (2, 1):
        if len(bars) * module + 20 * module <= dots:
            return BarcodeBlock(element.data, module, bars)
    raise ReceiptFormatError(f"barcode {element.data!r} is too long for {dots} dots")


def _element(element: Element, dots: int) -> Sequence[Block]:
    columns = columns_for(dots)
    match element:
        case Title():
            # Double size when it fits on one line; a long station name wraps in double height only.
            fits = text_columns(normalise(element.text)) * 2 <= columns
            return _lines(element.text, columns, Size.DOUBLE if fits else Size.DOUBLE_HEIGHT, True, Align.CENTER)
        case Text():
            return _lines(element.text, columns, element.size, element.bold, element.align)
        case Row():
            return _row(element, columns)
        case Separator():
            return [Line(element.char * columns)]
        case QrCode():
            caption = _lines(element.caption, columns, Size.NORMAL, False, Align.CENTER)
            return [_qr(element, dots), *(caption if element.caption else [])]
        case Barcode():
            return [_barcode(element, dots)]
        case Feed():
            return [FeedBlock(element.lines)] if element.lines else []
        case Footer():
            return _lines(element.text, columns, Size.NORMAL, False, Align.CENTER)
        case Cut():
            return [CutBlock()]
    raise ReceiptFormatError(f"unknown element {element!r}")


def layout(receipt: Receipt, dots: int) -> list[Block]:
    """The blocks of ``receipt`` on paper ``dots`` wide; a duplicate starts with a banner."""
    columns = columns_for(dots)
    blocks: list[Block] = []
    if receipt.duplicate:
        blocks += [
            Line("*" * columns),
            *_lines(DUPLICATE_BANNER, columns, Size.DOUBLE_HEIGHT, True, Align.CENTER),
            Line("*" * columns),
        ]
    for element in receipt.elements:
        blocks += _element(element, dots)
    return blocks
