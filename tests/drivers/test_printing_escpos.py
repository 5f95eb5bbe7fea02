"""Golden ESC/POS bytes. Expected sequences are spelled out here from the ESC/POS manual, not produced
by the code under test: GB18030 codes are written as hex, command bytes as literals."""

from __future__ import annotations

import pytest
from escpos.printer import Dummy

from drivers.printing.commands import Encoder
from drivers.printing.connections import DummyTransport
from drivers.printing.escpos_printer import EscposPrinter
from drivers.printing.layout import in_printer_font, wrap
from drivers.printing.raster import Painter
from kiosk.fonts import find_cjk_font
from kiosk.receipt import Align, Receipt, ReceiptFormatError, Size

START = b"\x1b@" + b"\x1b3\x1e" + b"\x1c."  # ESC @, ESC 3 30, FS .
CUT = b"\x1dVB\x00"
FS_ON, FS_OFF = b"\x1c&", b"\x1c."


def head(align: int = 0, size: int = 0x00, bold: int = 0) -> bytes:
    return bytes([0x1B, 0x61, align, 0x1D, 0x21, size, 0x1B, 0x45, bold])


def encoder(dots: int, text_mode: str = "native", qr_mode: str = "native") -> Encoder:
    return Encoder(Painter(dots, find_cjk_font()), text_mode, qr_mode)  # type: ignore[arg-type]


@pytest.mark.parametrize("dots,columns", [(384, 32), (576, 48)])
def test_chinese_lines_rows_and_yen_amounts(dots: int, columns: int) -> None:
    receipt = Receipt().text("取件码：A7K-392").row("金额", "¥12.50").cut()
    gap = columns - 4 - 7  # 金额 is 4 columns, ￥12.50 is 2 + 5
    expected = (
        START
        + head() + FS_ON + bytes.fromhex("c8a1bcfec2eb" "a3ba") + b"A7K-392" + FS_OFF + b"\n"
        + head() + FS_ON + bytes.fromhex("bdf0b6ee") + b" " * gap + bytes.fromhex("a3a4") + b"12.50"
        + FS_OFF + b"\n"
        + CUT
    )
    assert encoder(dots).encode(receipt) == expected


def test_full_width_punctuation_alone_goes_through_chinese_mode() -> None:
    out = encoder(384).encode(Receipt().text("：（）￥，。"))
    assert out == START + head() + FS_ON + bytes.fromhex("a3ba a3a8 a3a9 a3a4 a3ac a1a3") + FS_OFF + b"\n"
    assert b"?" not in out


def test_python_escpos_magic_encode_loses_the_same_line() -> None:
    # Why the explicit path exists: python-escpos 3.1 prints this line as question marks.
    dummy = Dummy()
    dummy.text("：（）\n")
    assert b"?" in dummy.output


def test_ascii_title_duplicate_banner_and_sizes() -> None:
    receipt = Receipt().title("ABC").text("x", size=Size.DOUBLE_WIDTH, align=Align.RIGHT, bold=True)
    out = encoder(384).encode(receipt.as_duplicate())
    stars = head() + b"*" * 32 + b"\n"
    expected = (
        START
        + stars
        + head(1, 0x01, 1) + b"\x1b3\x36" + FS_ON + bytes.fromhex("b2b9b4f2") + b" / DUPLICATE" + FS_OFF
        + b"\n\x1b3\x1e"  # double height: 54-dot spacing for that line, then back to 30
        + stars
        + head(1, 0x11, 1) + b"\x1b3\x36" + b"ABC\n" + b"\x1b3\x1e"
        + head(2, 0x10, 1) + b"x\n"
    )
    assert out == expected


def test_long_text_wraps_by_columns_counting_cjk_as_two() -> None:
    out = encoder(384).encode(Receipt().text("中文" * 9))  # 36 columns on a 32-column line
    assert out == (
        START
        + head() + FS_ON + bytes.fromhex("d6d0cec4") * 8 + FS_OFF + b"\n"
        + head() + FS_ON + bytes.fromhex("d6d0cec4") + FS_OFF + b"\n"
    )


@pytest.mark.parametrize("dots", [384, 576])
def test_native_qr_centred_with_quiet_zone(dots: int) -> None:
    data = b"https://example.org/orders/A7K392"  # 33 bytes: QR version 3-M, 29 modules
    out = encoder(dots).encode(Receipt().qr(data.decode(), module=16))
    module = dots // (29 + 8)  # 16 does not fit: 10 on 58 mm, 15 on 80 mm, quiet zone included
    quiet = b"\x1bJ" + bytes([4 * module])
    expected = (
        START
        + b"\x1ba\x01"
        + quiet
        + b"\x1d(k\x04\x00" + b"1A2\x00"  # model 2
        + b"\x1d(k\x03\x00" + b"1C" + bytes([module])  # module size
        + b"\x1d(k\x03\x00" + b"1E1"  # error correction M
        + b"\x1d(k" + bytes([len(data) + 3, 0]) + b"1P0" + data  # store
        + b"\x1d(k\x03\x00" + b"1Q0"  # print
        + quiet
        + b"\x1ba\x00"
    )
    assert out == expected


def test_code128_barcode() -> None:
    out = encoder(576).encode(Receipt().barcode("A7K392"))
    assert out == START + (
        b"\x1ba\x01\x1dh\x50\x1dw\x02\x1dH\x02\x1df\x00\x1dkI\x08{BA7K392\x1ba\x00"
    )


def _raster_header(out: bytes, at: int) -> tuple[int, int]:
    assert out[at : at + 4] == b"\x1dv0\x00"
    return int.from_bytes(out[at + 4 : at + 6], "little"), int.from_bytes(out[at + 6 : at + 8], "little")


@pytest.mark.parametrize("dots", [384, 576])
def test_character_outside_gb2312_goes_raster_not_question_mark(dots: int) -> None:
    # 堃 (GBK 88D2) is outside GB2312, so printer ROM fonts lack it; the line is painted instead.
    out = encoder(dots).encode(Receipt().text("堃"))
    assert out[: len(START)] == START
    body = out[len(START) :]
    assert body[:3] == b"\x1ba\x00"
    width_bytes, rows = _raster_header(body, 3)
    assert (width_bytes, rows) == (dots // 8, 30)
    bitmap = body[11:]
    assert len(bitmap) == width_bytes * rows
    assert b"?" not in body[:11] and FS_ON not in body[:11]
    # The glyph sits in the first two columns (24 dots = 3 bytes) of the 24-dot cell, nothing beyond.
    glyph_rows = [bitmap[r * width_bytes : (r + 1) * width_bytes] for r in range(rows)]
    assert sum(bin(b).count("1") for row in glyph_rows for b in row[:3]) > 40
    assert all(not any(row[3:]) for row in glyph_rows)
    assert not any(any(row) for row in glyph_rows[24:])  # the leading below the glyph is blank


def test_rare_character_rule() -> None:
    for common in ("中", "￥", "·", "—", "é", "A"):  # é: GB2312 has the pinyin letters
        assert in_printer_font(common)
    for rare in ("堃", "喆", "镕", "䶮", "𠀀", "€", "😀"):
        assert not in_printer_font(rare)


def test_raster_qr_and_image_text_mode() -> None:
    out = encoder(384, qr_mode="raster").encode(Receipt().qr("hi", module=4))
    width_bytes, rows = _raster_header(out, len(START) + 3)
    assert (width_bytes, rows) == (48, (21 + 8) * 4)  # version 1: 21 modules + quiet zone
    assert b"\x1d(k" not in out

    receipt = Receipt().title("测试").text("：（）").qr("hi").cut().text("after the cut")
    out = encoder(576, text_mode="image").encode(receipt)
    assert FS_ON not in out and b"\x1d(k" not in out
    first = len(START) + 3
    width_bytes, rows = _raster_header(out, first)
    assert width_bytes == 72 and rows > 0
    cut_at = out.index(CUT)
    assert out[cut_at + len(CUT) : cut_at + len(CUT) + 3] == b"\x1ba\x00"
    assert _raster_header(out, cut_at + len(CUT) + 3) == (72, 30)


def test_tall_images_are_sent_in_fragments() -> None:
    out = encoder(384, text_mode="image").encode(Receipt().feed(20).feed(20))  # 40 lines = 1200 rows
    assert out.count(b"\x1dv0\x00") == 5  # 240-row fragments
    assert sum(_raster_header(out, i)[1] for i in range(len(out)) if out[i : i + 4] == b"\x1dv0\x00") == 1200


def test_printer_on_dummy_transport_sends_the_encoded_bytes() -> None:
    transport = DummyTransport()
    printer = EscposPrinter(transport, encoder(384))
    receipt = Receipt().text("中文").cut()
    printer.print_receipt(receipt)
    assert transport.output == encoder(384).encode(receipt)
    assert printer.status().paper.value == "unknown"  # no status channel is never "paper OK"


def test_qr_too_long_for_the_paper_is_a_format_error() -> None:
    with pytest.raises(ReceiptFormatError):
        encoder(384).encode(Receipt().qr("x" * 3000))


def test_wrap_prefers_spaces_and_never_splits_wide_characters() -> None:
    assert wrap("hello wonderful world", 12) == ["hello", "wonderful", "world"]
    assert wrap("中文中文中", 5) == ["中文", "中文", "中"]
    assert wrap("请核对后开门。", 12) == ["请核对后开", "门。"]  # 。 never starts a line


def test_job_length_counts_the_paper() -> None:
    job = encoder(384).job(Receipt().text("a").title("T").feed(2).qr("hi", module=4).cut())
    assert job.length_dots == 30 + 54 + 2 * 30 + (21 + 8) * 4 + 120


def test_a_row_too_long_for_one_line_puts_the_value_under_its_label() -> None:
    out = encoder(384).encode(Receipt().row("地址", "中" * 20).row("姓名" * 8, "中文"))
    zhong, wen = bytes.fromhex("d6d0"), bytes.fromhex("cec4")
    assert out == (
        START
        + head() + FS_ON + bytes.fromhex("b5d8d6b7") + FS_OFF + b"\n"  # 地址
        + head() + FS_ON + zhong * 16 + FS_OFF + b"\n"  # a wrapped value reads left to right
        + head() + FS_ON + zhong * 4 + FS_OFF + b"\n"
        + head() + FS_ON + bytes.fromhex("d0d5c3fb") * 8 + FS_OFF + b"\n"  # 姓名 x 8 fills the line
        + head(2) + FS_ON + zhong + wen + FS_OFF + b"\n"  # a short value stays on the right
    )
