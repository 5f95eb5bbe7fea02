"""The decoding pipeline on generated frames: payload charsets, and fallback passes that run only when
zxing-cpp located a code it could not read, so frames without codes stay cheap."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import zxingcpp

from drivers.scanning.decode import Decoder, decode_payload, load_zbar, to_gray
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
    raw = ZH.encode("gb18030")
    # Plain pyzbar may hand back zbar's Shift_JIS guess re-encoded to UTF-8 (pyzbar issues #55, #95);
    # binary mode promises the symbol's own bytes.
    assert [(d.text, d.raw) for d in zbar.decode(to_gray(frame(raw)))] == [(ZH, raw)]


def busy(seed: int) -> np.ndarray:
    """No code, but printed text and stripes: edges everywhere."""
    image = scene(640, 480, seed=seed)
    cv2.rectangle(image, (40, 40), (400, 300), (235, 235, 235), -1)
    for line in range(10):
        cv2.putText(image, f"NOTICE {seed} LINE {line} ABCDEFGHJK 0123456789", (50, 70 + 22 * line),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.45, (20, 20, 20), 1, cv2.LINE_AA)
    for x in range(420, 640, 10):
        cv2.rectangle(image, (x, 240), (x + 5, 480), (40, 40, 140), -1)
    return image


def test_frames_without_codes_cost_one_pass() -> None:
    decoder = Decoder()
    for seed in range(6):
        assert decoder.decode(scene(640, 480, seed=seed)) == []
        assert decoder.decode(busy(seed)) == []
    assert decoder.fallback_frames == 0


def hand_blurred(payload: str) -> np.ndarray:
    """A small code blurred by hand motion, at camera resolution."""
    return cv2.GaussianBlur(to_gray(frame(payload, module_px=2.5, seed=3)), (0, 0), 1.0)


def test_a_hand_blurred_small_code_is_read() -> None:
    # Whichever pass reads it: which one does depends on the decoder libraries' releases, not on us.
    found = Decoder().decode(hand_blurred("VOL-77-8812"))
    assert [d.text for d in found] == ["VOL-77-8812"]


def test_the_upscaled_pass_reads_a_hand_blurred_small_code() -> None:
    # The first fallback on its own, for the frames the fast pass gives up on.
    found = Decoder(use_pyzbar=False)._upscaled(hand_blurred("VOL-77-8812"))
    assert [(d.text, d.decoder) for d in found] == [("VOL-77-8812", "zxing-2x")]


def damaged(payload: str) -> np.ndarray:
    """A code whose finder patterns are intact but whose data is inverted far beyond what its error
    correction repairs: every decoder locates it, none can read it."""
    modules = qr_modules(payload)
    data = modules[4 + 9 : -4, 4 + 9 : -4]  # quiet zone, then the finder pattern, separator and format rows
    data[...] = 255 - data
    return place_code(scene(640, 480, seed=5), modules, 4.0)


def test_a_code_no_pass_can_read_yields_nothing_after_the_fallback_passes() -> None:
    decoder = Decoder()
    assert decoder.decode(damaged("VOL-77-8812")) == []
    assert decoder.fallback_frames == 1


def test_inverted_code_is_read_in_the_first_pass() -> None:
    # Light on dark, as a phone in dark mode shows it.
    gray = to_gray(frame("INV-1"))
    decoder = Decoder(use_pyzbar=False)
    found = decoder.decode(cv2.bitwise_not(gray))
    assert [d.text for d in found] == ["INV-1"]
    assert decoder.fallback_frames == 0


def test_empty_frame_decodes_to_nothing() -> None:
    assert Decoder().decode(scene(1280, 720, seed=4)) == []


def linear(kind: str, payload: str) -> tuple[np.ndarray, str]:
    """A printed linear barcode (python-barcode, as the receipts use), grey, with what it encodes."""
    import barcode
    from barcode.writer import ImageWriter

    code = barcode.get(kind, payload, writer=ImageWriter())
    image = code.render({"write_text": False, "module_width": 0.3, "quiet_zone": 6})
    return np.array(image.convert("L")), code.get_fullcode()


def test_linear_codes_are_looked_for_on_every_fourth_frame_in_either_direction() -> None:
    voucher, text = linear("code128", "VOUCHER-4711")
    for printed, read_on in ((voucher, 4), (np.ascontiguousarray(np.rot90(voucher)), 8)):
        decoder = Decoder(use_pyzbar=False)
        reads = [[d.text for d in decoder.decode(printed)] for _ in range(8)]
        # Thorough frames (every fourth) scan rows, then columns: any orientation within two of them.
        assert reads == [[text] if frame == read_on else [] for frame in range(1, 9)]
    # The QR search stays on every frame.
    assert all(Decoder(use_pyzbar=False).decode(frame("QR-EVERY-FRAME")) for _ in range(4))


def test_a_screen_that_accepts_linear_codes_gets_them_within_two_frames() -> None:
    voucher, text = linear("ean13", "690123456789")
    decoder = Decoder(use_pyzbar=False)
    decoder.want_linear(True)
    reads = [[d.text for d in decoder.decode(voucher)] for _ in range(4)]
    assert reads == [[text], [], [text], []]
    decoder.want_linear(False)  # back to one frame in four
    assert sum(bool(decoder.decode(voucher)) for _ in range(16)) == 2


@pytest.mark.skipif(load_zbar() is None, reason="libzbar not installed")
def test_pyzbar_looks_at_a_thorough_frame_where_zxing_found_nothing() -> None:
    # Code 39: a code zxing-cpp is not asked for, so it finds nothing at all — not even something
    # undecodable, which is what used to be needed before pyzbar ran.
    card, text = linear("code39", "KIOSK-39")
    assert zxingcpp.read_barcodes(card, formats=zxingcpp.BarcodeFormats([zxingcpp.BarcodeFormat.QRCode]),
                                  return_errors=True) == []
    decoder = Decoder()
    reads = [decoder.decode(card) for _ in range(4)]
    # On the thorough frame, one in four: pyzbar costs ten times what zxing-cpp does.
    assert reads[:3] == [[], [], []]
    assert [(d.text, d.decoder) for d in reads[3]] == [(text, "pyzbar")]
    assert (decoder.second_opinion_frames, decoder.fallback_frames) == (1, 0)


def test_linear_every_must_be_positive() -> None:
    with pytest.raises(ValueError, match="linear_every"):
        Decoder(use_pyzbar=False, linear_every=0)
