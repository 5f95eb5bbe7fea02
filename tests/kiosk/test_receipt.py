"""Receipts as documents: building, validation, JSON round-trip and the app's receipt builders."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kiosk.receipt import (
    Align,
    Barcode,
    QrCode,
    Receipt,
    ReceiptFormatError,
    Row,
    Size,
    Text,
    Title,
    code_block,
    local_time,
    self_test_receipt,
    text_columns,
)


def full_receipt() -> Receipt:
    return (
        Receipt()
        .title("城西区新时代文明实践站")
        .text("双倍", size=Size.DOUBLE, bold=True, align=Align.CENTER)
        .row("金额", "¥12.50", bold=True)
        .separator("=")
        .qr("https://example.org/o/1", module=5, caption="扫码")
        .barcode("A7K392")
        .feed(2)
        .footer("谢谢")
        .cut()
    )


def test_json_round_trip_keeps_everything() -> None:
    original = full_receipt().as_duplicate()
    restored = Receipt.from_json(original.to_json())
    assert restored == original
    assert restored.duplicate
    assert isinstance(restored.elements[1], Text) and restored.elements[1].size is Size.DOUBLE
    assert "城西区" in original.to_json()  # stored readable, not \\u-escaped


def test_as_duplicate_leaves_the_original_alone() -> None:
    original = full_receipt()
    copy = original.as_duplicate()
    copy.text("more")
    assert not original.duplicate and len(original.elements) == len(copy.elements) - 1


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[]",
        json.dumps({"version": 2, "elements": []}),
        json.dumps({"version": 1, "elements": [{"type": "poem"}]}),
        json.dumps({"version": 1, "elements": [{"type": "text", "text": "x", "size": "huge"}]}),
        json.dumps({"version": 1, "elements": [{"type": "text", "text": 5}]}),
        json.dumps({"version": 1, "elements": [{"type": "qr", "data": "x", "module": True}]}),
        json.dumps({"version": 1, "elements": [{"type": "feed", "lines": 99}]}),
        json.dumps({"version": 1, "elements": [{"type": "row", "label": "a"}]}),
        json.dumps({"version": 1, "elements": [{"type": "text", "text": "a\nb"}]}),
    ],
)
def test_bad_documents_are_typed_errors(raw: str) -> None:
    with pytest.raises(ReceiptFormatError):
        Receipt.from_json(raw)


def test_builder_validates_as_it_goes() -> None:
    with pytest.raises(ReceiptFormatError):
        Receipt().barcode("中文")
    with pytest.raises(ReceiptFormatError):
        Receipt().separator("＝")  # a wide separator would break the column count
    with pytest.raises(ReceiptFormatError):
        Receipt().qr("")
    with pytest.raises(ReceiptFormatError):
        Receipt().add(QrCode("x", module=0))
    Receipt().add(Barcode("ABC-123"), Row("a", "b"), Title("t"))


def test_columns_count_wide_characters_twice() -> None:
    assert text_columns("ABC") == 3
    assert text_columns("中文") == 4
    assert text_columns("：（）￥") == 8
    assert text_columns("¥") == 1  # half-width; the layout swaps it for ￥


def test_code_block_puts_the_code_in_large_type() -> None:
    label, code = code_block("核销码", "8842 1937")
    assert isinstance(label, Text) and label.text == "核销码"
    assert isinstance(code, Text) and code.size is Size.DOUBLE and code.bold and code.align is Align.CENTER


def test_self_test_receipt_lists_known_facts_first_then_the_rest() -> None:
    info = {"extra": "42", "printer": "online, paper ok", "station": "城西区站", "network": "10.0.0.5"}
    receipt = self_test_receipt(info, "SELFTEST-123")
    rows = [e for e in receipt.elements if isinstance(e, Row)]
    assert [(r.label, r.value) for r in rows] == [
        ("站点", "城西区站"),
        ("网络", "10.0.0.5"),
        ("打印机", "online, paper ok"),
        ("extra", "42"),
    ]
    assert [e.data for e in receipt.elements if isinstance(e, QrCode)] == ["SELFTEST-123"]
    assert receipt.elements[-1].type == "cut"


def test_local_time_formats_in_the_machine_zone() -> None:
    moment = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)
    assert local_time(moment) == moment.astimezone().strftime("%Y-%m-%d %H:%M")
    assert local_time(moment.timestamp()) == local_time(moment)
