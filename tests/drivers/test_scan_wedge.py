"""Keyboard-wedge burst detection on synthetic key timings: a scanner's burst becomes one code and its
keys are swallowed; people typing get every key back, in order."""

from __future__ import annotations

import pytest

from drivers.scanning.wedge import BurstDetector, KeyboardWedgeScanner, Outcome, Verdict, evdev_char
from kiosk.config import ScannerConfig
from kiosk.devices import DeviceMissing, ScanEvent, ScanSource

GAP_MS = 35


class Keyboard:
    """Feeds a detector the way the UI filter does, recording what reaches the application."""

    def __init__(self, detector: BurstDetector[str]) -> None:
        self.detector = detector
        self.typed: list[str] = []
        self.codes: list[str] = []
        self.dropped: list[str] = []
        self.now = 0.0

    def _apply(self, outcome: Outcome[str]) -> Verdict:
        self.typed += outcome.released
        if outcome.code is not None:
            self.codes.append(outcome.code)
        return outcome.verdict

    def press(self, char: str, after_ms: float) -> None:
        self.now += after_ms / 1000
        # The filter's timer fires when the deadline passes before the next key.
        deadline = self.detector.deadline()
        if deadline is not None and deadline < self.now:
            self._apply(self.detector.timeout(deadline))
        verdict = self._apply(self.detector.key(char, self.now, char))
        if verdict is Verdict.PASS:
            self.typed.append(char)
        elif verdict is Verdict.DROP:
            self.dropped.append(char)

    def type(self, text: str, every_ms: float) -> None:
        for char in text:
            self.press(char, every_ms)

    def idle(self, ms: float = 1000) -> None:
        self.now += ms / 1000
        deadline = self.detector.deadline()
        if deadline is not None:
            self._apply(self.detector.timeout(self.now))


def keyboard(prefix: str = "", suffix: str = "\r", min_length: int = 4) -> Keyboard:
    return Keyboard(BurstDetector(GAP_MS, prefix, suffix, min_length))


def test_scanner_burst_with_suffix_is_one_code_and_nothing_is_typed() -> None:
    kb = keyboard()
    kb.type("VOL-2024-0815\r", every_ms=4)
    assert kb.codes == ["VOL-2024-0815"]
    assert kb.typed == []
    assert not kb.detector.holding


def test_human_typing_reaches_the_field_in_order() -> None:
    kb = keyboard()
    kb.type("13800138000", every_ms=180)
    kb.idle()
    assert kb.codes == []
    assert "".join(kb.typed) == "13800138000"


def test_fast_typist_with_enter_is_not_a_scan() -> None:
    kb = keyboard()
    kb.type("abc", every_ms=90)
    kb.press("\r", after_ms=20)
    kb.idle()
    assert kb.codes == []
    assert "".join(kb.typed) == "abc\r"


def test_short_burst_is_typing_not_a_code() -> None:
    # Two keys rolled over by a person, then Enter: below the minimum length.
    kb = keyboard()
    kb.type("ok\r", every_ms=10)
    kb.idle()
    assert kb.codes == []
    assert "".join(kb.typed) == "ok\r"


def test_typing_right_before_a_scan_is_kept_and_the_scan_still_recognised() -> None:
    kb = keyboard()
    kb.type("12", every_ms=200)
    kb.press("Q", after_ms=150)
    kb.type("R-77\r", every_ms=5)
    kb.idle()
    assert kb.codes == ["QR-77"]
    assert kb.typed == ["1", "2"]


def test_burst_without_suffix_is_decided_by_the_pause() -> None:
    kb = keyboard(suffix="")
    kb.type("GIFT-9001", every_ms=6)
    assert kb.codes == [] and kb.detector.holding
    kb.idle()
    assert kb.codes == ["GIFT-9001"]
    assert kb.typed == []


def test_burst_that_stalls_before_the_suffix_is_released_as_typing() -> None:
    kb = keyboard()
    kb.type("ABCDEF", every_ms=5)
    kb.idle(GAP_MS + 5)
    assert kb.codes == []
    assert "".join(kb.typed) == "ABCDEF"


def test_prefix_frames_the_code_and_other_keys_pass_without_delay() -> None:
    kb = keyboard(prefix="~", suffix="\r")
    kb.press("x", after_ms=300)
    assert kb.typed == ["x"]  # not a possible prefix: delivered at once, never held
    kb.type("~SCAN-1\r", every_ms=5)
    kb.press("y", after_ms=300)
    assert kb.codes == ["SCAN-1"]
    assert kb.typed == ["x", "y"]


def test_wrong_prefix_continuation_is_released() -> None:
    kb = keyboard(prefix="]C", suffix="\r")
    kb.type("]x", every_ms=5)
    assert kb.typed == ["]", "x"]
    assert not kb.detector.holding
    kb.type("]]CQR-77\r", every_ms=5)  # a stray "]" before the real prefix
    assert kb.typed == ["]", "x", "]"]
    assert kb.codes == ["QR-77"]


def test_non_text_key_ends_a_held_sequence() -> None:
    kb = keyboard()
    kb.type("ab", every_ms=5)
    kb.press("", after_ms=5)  # e.g. an arrow key, delivered right after the held keys
    assert kb.typed == ["a", "b", ""]
    assert kb.codes == []


def test_chinese_text_through_the_wedge() -> None:
    kb = keyboard()
    kb.type("兑换码8812\r", every_ms=3)
    assert kb.codes == ["兑换码8812"]


def test_cr_lf_scanner_types_no_stray_enter() -> None:
    kb = keyboard(suffix="\r")
    kb.type("CODE-1\r\n", every_ms=3)
    kb.press("\r", after_ms=500)  # a person pressing Enter afterwards still gets it
    assert kb.codes == ["CODE-1"]
    assert kb.dropped == ["\n"]
    assert kb.typed == ["\r"]


def test_lf_counts_as_the_cr_suffix() -> None:
    kb = keyboard(suffix="\r")
    kb.type("CODE-LF\n", every_ms=3)
    assert kb.codes == ["CODE-LF"]


def test_keyboard_scanner_delivers_only_while_started_and_dedups() -> None:
    scanner = KeyboardWedgeScanner(ScannerConfig(kind="keyboard", dedup_window_s=2))
    events: list[ScanEvent] = []
    assert not scanner.submit("EARLY")
    scanner.start(events.append)
    assert scanner.submit("CODE-1")
    assert not scanner.submit("CODE-1")
    assert scanner.submit("CODE-2")
    scanner.stop()
    assert not scanner.submit("CODE-3")
    assert [(e.text, e.source) for e in events] == [
        ("CODE-1", ScanSource.KEYBOARD),
        ("CODE-2", ScanSource.KEYBOARD),
    ]
    assert scanner.status().available


def test_evdev_grab_without_python_evdev_is_a_clear_device_missing() -> None:
    try:
        import evdev  # type: ignore[import-not-found,unused-ignore]  # noqa: F401
    except ImportError:
        with pytest.raises(DeviceMissing, match="python-evdev"):
            KeyboardWedgeScanner(ScannerConfig(kind="keyboard", evdev_device="/dev/input/event7"))
    else:
        pytest.skip("python-evdev is installed here")


def test_evdev_key_map_is_us_layout() -> None:
    assert [evdev_char(c, False) for c in (30, 2, 12, 28)] == ["a", "1", "-", "\n"]
    assert [evdev_char(c, True) for c in (30, 2, 53)] == ["A", "!", "?"]
    assert evdev_char(42, False) == ""  # shift itself types nothing
