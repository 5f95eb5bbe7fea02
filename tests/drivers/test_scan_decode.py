"""The decoding pipeline on generated frames: payload charsets, the fallback passes, and the cheap
"is there a code at all" test that keeps empty frames cheap."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import zxingcpp

from drivers.scanning.decode import Decoder, decode_payload, load_zbar, looks_like_code, to_gray
from drivers.scanning.synthetic import place_code, qr_modules, scene

ZH = "志愿服务积分：120，礼品兑换"


def frame(payload: str | bytes, module_px: float = 4.0, angle: float = 0.0, seed: int = 0) -> np.ndarray:
    return place_code(scene(640, 480, seed=seed), qr_modules(payload), module_px, angle_deg=angle)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (ZH.encode("utf-8"), ZH),
        (ZH.encode("gb18030"), ZH),
        ("𠮷野家".encode("gb18030"), "𠮷野家"),  # outside the BMP: four-byte GB18030
        (b"SKO1:LP3X9D:1234", "SKO1:LP3X9D:1234"),
        (b"caf\xe9", "café"),  # neither UTF-8 nor GB18030: ISO-8859-1
    ],
)
def test_decode_payload(raw: bytes, text: str) -> None:
    assert decode_payload(raw) == text


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_zxing_pass_returns_chinese_text_and_the_raw_bytes(encoding: str) -> None:
    raw = ZH.encode(encoding)
    found = Decoder(use_pyzbar=False).decode(frame(raw, angle=12))
    assert [(d.text, d.raw, d.decoder) for d in found] == [(ZH, raw, "zxing")]


def test_zbar_binary_mode_keeps_gb18030_intact() -> None:
    zbar = load_zbar()
    if zbar is None:
        pytest.skip("libzbar is not installed")
    from pyzbar import pyzbar

    raw = ZH.encode("gb18030")
    gray = to_gray(frame(raw))
    # What plain pyzbar returns: zbar guessed Shift_JIS and re-encoded to UTF-8 (pyzbar issues #55, #95).
    assert [d.data for d in pyzbar.decode(gray)] != [raw]
    assert [(d.text, d.raw) for d in zbar.decode(gray)] == [(ZH, raw)]


def test_empty_frames_do_not_look_like_codes() -> None:
    for seed in range(10):
        assert not looks_like_code(to_gray(scene(640, 480, seed=seed)))


def test_frames_with_codes_look_like_codes() -> None:
    for seed in range(5):
        assert looks_like_code(to_gray(frame("ORDER-1", module_px=3.0, seed=seed)))
    # Low contrast still counts: a grey code on a grey background.
    gray = to_gray(frame("ORDER-1")).astype(np.float32)
    faint = np.clip(128 + (gray - 128) * 0.3, 0, 255).astype(np.uint8)
    assert looks_like_code(faint)


def test_fallback_pass_decodes_what_zxing_alone_misses() -> None:
    # A blurred code (hand motion) that zxing-cpp misses at camera resolution but reads upscaled.
    blurred = cv2.GaussianBlur(to_gray(frame("VOL-77-8812", module_px=3.0, seed=3)), (0, 0), 1.2)
    assert zxingcpp.read_barcodes(blurred) == []
    found = Decoder().decode(blurred)
    assert [d.text for d in found] == ["VOL-77-8812"]
    assert found[0].decoder != "zxing"


def test_inverted_code_is_read() -> None:
    gray = to_gray(frame("INV-1"))
    found = Decoder(use_pyzbar=False).decode(cv2.bitwise_not(gray))
    assert [d.text for d in found] == ["INV-1"]


def test_empty_frame_decodes_to_nothing() -> None:
    assert Decoder().decode(scene(1280, 720, seed=4)) == []
