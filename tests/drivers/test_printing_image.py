"""The image printer: PNGs at the paper's dot width, the same layout as the ESC/POS path."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from drivers.printing import ImagePrinter, make_printer
from drivers.printing.layout import LINE_PITCH
from drivers.printing.sample import order_receipt
from kiosk.config import PrinterConfig
from kiosk.receipt import Receipt


def image_printer(tmp_path: Path, paper_mm: int) -> ImagePrinter:
    printer = make_printer(PrinterConfig(kind="image", paper_mm=paper_mm), tmp_path)
    assert isinstance(printer, ImagePrinter)
    return printer


@pytest.mark.parametrize("paper_mm,dots", [(58, 384), (80, 576)])
def test_order_receipt_png_width_height_and_qr(tmp_path: Path, paper_mm: int, dots: int) -> None:
    printer = image_printer(tmp_path, paper_mm)
    assert printer.status().ready
    printer.print_receipt(order_receipt())
    assert printer.last_path is not None and printer.last_path.parent == tmp_path / "receipts"
    assert printer.last_path.read_bytes() == printer.last_png
    image = Image.open(printer.last_path)
    assert image.width == dots
    assert 600 < image.height < 2500
    decoded = zxingcpp.read_barcodes(image.convert("L"))
    assert [d.text for d in decoded if d.format == zxingcpp.BarcodeFormat.QRCode] == [
        "https://kiosk.example.org/o/A7K392"
    ]


def _ink_rows(png: bytes) -> list[int]:
    image = Image.open(io.BytesIO(png)).convert("L")
    return [y for y in range(image.height) if min(image.crop((0, y, image.width, y + 1)).tobytes()) < 128]


def test_each_line_is_one_pitch_and_blank_lines_are_blank(tmp_path: Path) -> None:
    printer = image_printer(tmp_path, 58)
    png = printer.render_png(Receipt().text("中文").feed(1).text("ABC"))
    image = Image.open(io.BytesIO(png))
    assert image.height == 3 * LINE_PITCH
    rows = _ink_rows(png)
    assert rows and all(y < LINE_PITCH or y >= 2 * LINE_PITCH for y in rows)


def test_duplicate_adds_the_banner(tmp_path: Path) -> None:
    printer = image_printer(tmp_path, 80)
    receipt = Receipt().text("x").cut()
    plain = Image.open(io.BytesIO(printer.render_png(receipt)))
    dup = Image.open(io.BytesIO(printer.render_png(receipt.as_duplicate())))
    assert dup.height == plain.height + 2 * LINE_PITCH + 54  # two star lines, one double-height line


def test_rare_characters_are_drawn(tmp_path: Path) -> None:
    printer = image_printer(tmp_path, 58)
    png = printer.render_png(Receipt().text("堃"))
    image = Image.open(io.BytesIO(png)).convert("L")
    assert min(image.crop((0, 0, 24, 24)).tobytes()) == 0
    assert min(image.crop((24, 0, image.width, image.height)).tobytes()) == 255


def test_unwritable_directory_is_an_error_not_a_silent_loss(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    printer = ImagePrinter(image_printer(tmp_path, 58).painter, blocker / "receipts")
    assert not printer.status().ready
    with pytest.raises(Exception) as info:
        printer.print_receipt(Receipt().text("x"))
    assert getattr(info.value, "kind", None) is not None


def test_a_glyph_missing_from_the_cjk_font_comes_from_another_installed_font(tmp_path: Path) -> None:
    from drivers.printing.raster import _fallback_font

    if _fallback_font("䶮") is None:
        pytest.skip("no installed font has 䶮 (Debian: fonts-droid-fallback or fonts-noto-cjk)")
    printer = image_printer(tmp_path, 58)
    rare = printer.render_png(Receipt().text("䶮"))
    missing = printer.render_png(Receipt().text("\U000ffffd"))  # in no font: the "missing" box
    assert rare != missing


def test_only_the_newest_receipts_are_kept(tmp_path: Path) -> None:
    printer = ImagePrinter(image_printer(tmp_path, 58).painter, tmp_path / "out", keep=2)
    for text in ("one", "two", "three"):
        printer.print_receipt(Receipt().text(text))
    kept = sorted((tmp_path / "out").glob("receipt-*.png"))
    assert len(kept) == 2 and kept[-1] == printer.last_path
