"""Receipts as pure documents: what to print, not how.

A :class:`Receipt` is a list of elements (title, text, two-column rows, separators, QR, barcode, feed,
footer, cut) plus a ``duplicate`` flag. Drivers render the same document to ESC/POS bytes or to a PNG;
the document round-trips through JSON so a print job can be persisted before any byte is sent.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from typing import Any, ClassVar


class ReceiptFormatError(ValueError):
    """A receipt document (usually from JSON) that cannot be understood."""


class Align(enum.StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class Size(enum.StrEnum):
    NORMAL = "normal"
    DOUBLE_HEIGHT = "double_height"
    DOUBLE_WIDTH = "double_width"
    DOUBLE = "double"

    @property
    def width_factor(self) -> int:
        return 2 if self in (Size.DOUBLE_WIDTH, Size.DOUBLE) else 1

    @property
    def height_factor(self) -> int:
        return 2 if self in (Size.DOUBLE_HEIGHT, Size.DOUBLE) else 1


def char_columns(ch: str) -> int:
    """Printer columns a character takes: wide/full-width (CJK, full-width punctuation) count 2."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_columns(text: str) -> int:
    return sum(char_columns(ch) for ch in text)


@dataclass(frozen=True)
class Title:
    text: str
    type: ClassVar[str] = "title"


@dataclass(frozen=True)
class Text:
    text: str
    size: Size = Size.NORMAL
    bold: bool = False
    align: Align = Align.LEFT
    type: ClassVar[str] = "text"


@dataclass(frozen=True)
class Row:
    """``label … value`` on one line, the value right-aligned (wraps when both do not fit)."""

    label: str
    value: str
    bold: bool = False
    # Personal data (a resident's address) printed once for them and dropped from the stored copy
    # when the job has finished, so a reprint (补打) shows everything else.
    private: bool = False
    type: ClassVar[str] = "row"


@dataclass(frozen=True)
class Separator:
    char: str = "-"
    type: ClassVar[str] = "separator"


@dataclass(frozen=True)
class QrCode:
    data: str
    module: int = 6
    caption: str = ""
    type: ClassVar[str] = "qr"


@dataclass(frozen=True)
class Barcode:
    """CODE128 (printable ASCII only)."""

    data: str
    type: ClassVar[str] = "barcode"


@dataclass(frozen=True)
class Feed:
    lines: int = 1
    type: ClassVar[str] = "feed"


@dataclass(frozen=True)
class Footer:
    text: str
    type: ClassVar[str] = "footer"


@dataclass(frozen=True)
class Cut:
    type: ClassVar[str] = "cut"


Element = Title | Text | Row | Separator | QrCode | Barcode | Feed | Footer | Cut
_TYPES: dict[str, type[Element]] = {
    cls.type: cls for cls in (Title, Text, Row, Separator, QrCode, Barcode, Feed, Footer, Cut)
}

DUPLICATE_BANNER = "补打 / DUPLICATE"
MAX_QR_MODULE = 16
MAX_FEED = 20


def _validate(element: Element) -> None:
    if isinstance(element, Separator) and (len(element.char) != 1 or char_columns(element.char) != 1):
        raise ReceiptFormatError(f"separator must be one narrow character, not {element.char!r}")
    if isinstance(element, QrCode):
        if not element.data:
            raise ReceiptFormatError("QR code without data")
        if not 1 <= element.module <= MAX_QR_MODULE:
            raise ReceiptFormatError(f"QR module size {element.module} outside 1..{MAX_QR_MODULE}")
    if isinstance(element, Barcode) and not (
        0 < len(element.data) <= 80 and all(" " <= ch <= "~" for ch in element.data)
    ):
        raise ReceiptFormatError(f"CODE128 takes 1-80 printable ASCII characters, not {element.data!r}")
    if isinstance(element, Feed) and not 0 <= element.lines <= MAX_FEED:
        raise ReceiptFormatError(f"feed of {element.lines} lines outside 0..{MAX_FEED}")
    for name in ("text", "label", "value"):
        value = getattr(element, name, "")
        if any(ch in "\r\n\t" or unicodedata.category(ch) == "Cc" for ch in value):
            raise ReceiptFormatError(f"{element.type}.{name} contains control characters: {value!r}")


@dataclass
class Receipt:
    """A printable document. Build it with the chaining methods; render it with a driver."""

    elements: list[Element] = field(default_factory=list)
    duplicate: bool = False

    def add(self, *elements: Element) -> Receipt:
        for element in elements:
            _validate(element)
            self.elements.append(element)
        return self

    def title(self, text: str) -> Receipt:
        return self.add(Title(text))

    def text(
        self, text: str, *, size: Size = Size.NORMAL, bold: bool = False, align: Align = Align.LEFT
    ) -> Receipt:
        return self.add(Text(text, size, bold, align))

    def row(self, label: str, value: str, *, bold: bool = False, private: bool = False) -> Receipt:
        return self.add(Row(label, value, bold, private))

    def separator(self, char: str = "-") -> Receipt:
        return self.add(Separator(char))

    def qr(self, data: str, *, module: int = 6, caption: str = "") -> Receipt:
        return self.add(QrCode(data, module, caption))

    def barcode(self, data: str) -> Receipt:
        return self.add(Barcode(data))

    def feed(self, lines: int = 1) -> Receipt:
        return self.add(Feed(lines))

    def footer(self, text: str) -> Receipt:
        return self.add(Footer(text))

    def cut(self) -> Receipt:
        return self.add(Cut())

    @property
    def has_private(self) -> bool:
        return any(isinstance(e, Row) and e.private for e in self.elements)

    def without_private(self) -> Receipt:
        """The same document without its private rows (what is kept once it has printed)."""
        kept = [e for e in self.elements if not (isinstance(e, Row) and e.private)]
        return replace(self, elements=kept)

    def as_duplicate(self) -> Receipt:
        """The same document marked as a reprint (it prints a 补打 / DUPLICATE banner)."""
        return replace(self, elements=list(self.elements), duplicate=True)

    # -- persistence -------------------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": 1,
                "duplicate": self.duplicate,
                "elements": [{"type": e.type, **asdict(e)} for e in self.elements],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, raw: str) -> Receipt:
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, TypeError) as exc:
            raise ReceiptFormatError(f"receipt is not JSON: {exc}") from None
        if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("elements"), list):
            raise ReceiptFormatError("receipt JSON must be an object with version 1 and an elements list")
        receipt = cls(duplicate=bool(data.get("duplicate", False)))
        for item in data["elements"]:
            receipt.add(_element_from(item))
        return receipt


def _element_from(item: Any) -> Element:
    if not isinstance(item, dict) or item.get("type") not in _TYPES:
        raise ReceiptFormatError(f"unknown receipt element: {item!r}")
    fields = {k: v for k, v in item.items() if k != "type"}
    cls = _TYPES[item["type"]]
    try:
        element = cls(**fields)
    except TypeError as exc:
        raise ReceiptFormatError(f"bad {cls.type} element {item!r}: {exc}") from None
    if isinstance(element, Text):
        try:
            element = replace(element, size=Size(element.size), align=Align(element.align))
        except ValueError as exc:
            raise ReceiptFormatError(f"bad text element {item!r}: {exc}") from None
    _check_types(element, item)
    return element


_FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "text": str, "label": str, "value": str, "data": str, "caption": str, "char": str,
    "bold": bool, "private": bool, "module": int, "lines": int,
}


def _check_types(element: Element, item: dict[str, Any]) -> None:
    for name, expected in _FIELD_TYPES.items():
        if hasattr(element, name):
            value = getattr(element, name)
            # bool is an int in Python; a JSON true where a number belongs is still wrong.
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise ReceiptFormatError(f"{element.type}.{name} has the wrong type in {item!r}")


# -- builders for the app's receipts ----------------------------------------------------------------


def local_time(at: float | dt.datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A timestamp (epoch seconds or aware datetime) in the machine's local time zone."""
    moment = dt.datetime.fromtimestamp(at) if isinstance(at, int | float) else at.astimezone()
    return moment.strftime(fmt)


def code_block(label: str, code: str) -> list[Element]:
    """A code the resident reads out or types (order code, 核销码): label, then the code in large type."""
    return [
        Text(label, align=Align.CENTER),
        Text(code, size=Size.DOUBLE, bold=True, align=Align.CENTER),
    ]


SELF_TEST_KEYS = (
    ("station", "站点"),
    ("role", "角色"),
    ("version", "版本"),
    ("network", "网络"),
    ("printer", "打印机"),
    ("scanner", "扫码器"),
    ("time", "时间"),
)


def self_test_receipt(info: dict[str, str], qr: str) -> Receipt:
    """The technician's printer self-test ticket: the machine's identity and health plus a test QR.

    Known keys print first with Chinese labels (station, role, version, network, printer, scanner,
    time); any other keys follow as they are, so new facts need no change here.
    """
    receipt = Receipt().title("打印自检 / SELF TEST").separator()
    known = dict(SELF_TEST_KEYS)
    for key, label in SELF_TEST_KEYS:
        if key in info:
            receipt.row(label, info[key])
    for key, value in info.items():
        if key not in known:
            receipt.row(key, value)
    receipt.separator()
    receipt.text("中文：（）￥，。 ASCII 0123456789", align=Align.CENTER)
    receipt.text("倍高 DOUBLE HEIGHT", size=Size.DOUBLE_HEIGHT)
    receipt.text("倍宽 WIDE", size=Size.DOUBLE_WIDTH)
    receipt.qr(qr, caption="扫码测试 / scan test")
    return receipt.feed(2).cut()
