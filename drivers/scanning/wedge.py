"""USB keyboard-wedge scanners: telling a scanner's key burst from a person typing.

A wedge scanner types the code as keystrokes a few milliseconds apart; people type tens to hundreds of
milliseconds apart. :class:`BurstDetector` holds keys back while that is undecided (at most
``max_gap_ms`` after the last key), then either reports a code — its keys are swallowed, so a scan never
lands in a text field or the input method — or hands the held keys back to be replayed as typing.
It is Qt-free; ``ui/wedge.py`` feeds it Qt key events, :class:`EvdevReader` feeds it from an exclusively
grabbed Linux input device.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from drivers.scanning.base import Delivery, ScannerIssue, ThreadedScanner
from kiosk.config import ScannerConfig
from kiosk.devices import DeviceMissing, ScanCallback, ScannerStatus, ScanSource

log = logging.getLogger(__name__)

T = TypeVar("T")

# Shorter bursts are treated as typing: four keys each within ~35 ms is beyond people, even with
# key rollover.
DEFAULT_MIN_LENGTH = 4


class Verdict(enum.Enum):
    HOLD = "hold"  # key kept back until the burst is decided
    PASS = "pass"  # key is not part of a possible burst: deliver it normally now
    DROP = "drop"  # the second half of a CR+LF ending a code just delivered: swallow it


@dataclass
class Outcome(Generic[T]):
    """What the caller must do after a key or a timeout: replay ``released`` (in order) as typing
    and/or hand ``code`` to the scanner. ``verdict`` is about the key just fed (PASS on timeouts)."""

    verdict: Verdict = Verdict.PASS
    released: list[T] = field(default_factory=list)
    code: str | None = None


class BurstDetector(Generic[T]):
    """Decides scanner burst vs. typing from key timing. ``T`` is whatever the caller needs to replay
    a held key (a copied Qt event, a character).

    Timestamps are in seconds from any monotonic clock. The caller must call :meth:`timeout` once
    :meth:`deadline` has passed (a single-shot timer).
    """

    def __init__(
        self,
        max_gap_ms: float,
        prefix: str = "",
        suffix: str = "\r",
        min_length: int = DEFAULT_MIN_LENGTH,
    ) -> None:
        self._gap = max_gap_ms / 1000.0
        self._prefix = prefix
        # Scanners are configured for CR or LF; Qt reports Enter as "\r", evdev as "\n".
        self._suffixes = {suffix, suffix.replace("\r", "\n")} if suffix else set()
        self._min_length = max(1, min_length)
        self._chars: list[str] = []
        self._tokens: list[T] = []
        self._last = 0.0
        # When a code ended by its suffix, so a CR+LF scanner's second terminator is not typed.
        self._code_ended: float | None = None

    @property
    def holding(self) -> bool:
        return bool(self._chars)

    def deadline(self) -> float | None:
        """When the held keys must be decided if no further key arrives."""
        return self._last + self._gap if self._chars else None

    def key(self, char: str, at: float, token: T) -> Outcome[T]:
        outcome: Outcome[T] = Outcome()
        code_ended, self._code_ended = self._code_ended, None
        if code_ended is not None and char in "\r\n" and at - code_ended <= self._gap:
            outcome.verdict = Verdict.DROP
            return outcome
        if self._chars and at - self._last > self._gap:
            self._decide(outcome)
        if not char:
            # Arrows, modifiers …: never part of a code.
            outcome.released += self._flush()
            return outcome
        if self._chars and not self._prefix_allows(char):
            outcome.released += self._flush()
        if not self._chars and not self._may_start(char):
            return outcome
        self._chars.append(char)
        self._tokens.append(token)
        self._last = at
        outcome.verdict = Verdict.HOLD
        if self._suffixes and char in self._suffixes:
            self._decide(outcome)
            if outcome.code is not None:
                self._code_ended = at
        return outcome

    def timeout(self, now: float) -> Outcome[T]:
        outcome: Outcome[T] = Outcome()
        if self._chars and now - self._last >= self._gap:
            self._decide(outcome)
        return outcome

    def _may_start(self, char: str) -> bool:
        if self._prefix:
            return char == self._prefix[0]
        return char.isprintable()

    def _prefix_allows(self, char: str) -> bool:
        held = "".join(self._chars) + char
        return held.startswith(self._prefix) or self._prefix.startswith(held)

    def _decide(self, outcome: Outcome[T]) -> None:
        text = "".join(self._chars)
        if self._suffixes:
            ended = next((s for s in self._suffixes if text.endswith(s)), None)
            body = text[: -len(ended)] if ended else None
        else:
            body = text
        if body is not None and body.startswith(self._prefix):
            body = body[len(self._prefix) :]
            if len(body) >= self._min_length:
                self._chars.clear()
                self._tokens.clear()
                outcome.code = body
                return
        outcome.released += self._flush()

    def _flush(self) -> list[T]:
        tokens = self._tokens
        self._chars = []
        self._tokens = []
        return tokens


def detector_for(cfg: ScannerConfig) -> BurstDetector[Any]:
    return BurstDetector(cfg.keyboard_max_gap_ms, cfg.keyboard_prefix, cfg.keyboard_suffix)


class KeyboardWedgeScanner:
    """The ``keyboard`` scanner. Codes come from the UI's key-event filter (:meth:`submit`) — and, when
    ``evdev_device`` is set, from that device grabbed exclusively between ``start`` and ``stop`` so its
    keys never reach the UI. Codes are delivered only between ``start`` and ``stop``; a burst outside
    that (the device is not grabbed then) is still swallowed by the filter, and dropped here."""

    def __init__(self, cfg: ScannerConfig, name: str = "keyboard") -> None:
        self.name = name
        self.cfg = cfg
        self._lock = threading.Lock()
        self._delivery: Delivery | None = None
        self._evdev = EvdevReader(cfg) if cfg.evdev_device else None

    def start(self, on_scan: ScanCallback) -> None:
        delivery = Delivery(on_scan, ScanSource.KEYBOARD, self.cfg.dedup_window_s)
        with self._lock:
            self._delivery = delivery
        if self._evdev is not None:
            self._evdev.start(on_scan)

    def stop(self) -> None:
        with self._lock:
            self._delivery = None
        if self._evdev is not None:
            self._evdev.stop()

    def status(self) -> ScannerStatus:
        if self._evdev is not None:
            return self._evdev.status()
        return ScannerStatus(available=True)

    def submit(self, text: str) -> bool:
        """A burst the UI filter recognised. Returns whether it was delivered (scanner started)."""
        with self._lock:
            delivery = self._delivery
        if delivery is None:
            log.info("keyboard scan outside a scanning screen dropped")
            return False
        return delivery.deliver(text, text.encode("utf-8")) is not None


# evdev key codes (linux/input-event-codes.h) → characters on a US layout, which is what scanners emit.
_EV_KEY = 1
_KEYS = {
    2: "1!", 3: "2@", 4: "3#", 5: "4$", 6: "5%", 7: "6^", 8: "7&", 9: "8*", 10: "9(", 11: "0)",
    12: "-_", 13: "=+", 16: "qQ", 17: "wW", 18: "eE", 19: "rR", 20: "tT", 21: "yY", 22: "uU", 23: "iI",
    24: "oO", 25: "pP", 26: "[{", 27: "]}", 28: "\n\n", 30: "aA", 31: "sS", 32: "dD", 33: "fF", 34: "gG",
    35: "hH", 36: "jJ", 37: "kK", 38: "lL", 39: ";:", 40: "'\"", 41: "`~", 43: "\\|", 44: "zZ", 45: "xX",
    46: "cC", 47: "vV", 48: "bB", 49: "nN", 50: "mM", 51: ",<", 52: ".>", 53: "/?", 57: "  ", 96: "\n\n",
    15: "\t\t",
}  # fmt: skip
_SHIFTS = {42, 54}


def evdev_char(code: int, shifted: bool) -> str:
    """The character a key press types on a US layout, or ``""`` for keys that type none."""
    pair = _KEYS.get(code)
    return pair[1 if shifted else 0] if pair else ""


class EvdevReader(ThreadedScanner):
    """Reads an input device grabbed exclusively (``EVIOCGRAB``), so the scanner's keys reach only us.
    Everything from the grabbed device is scanner output: codes are framed by the suffix or a pause."""

    def __init__(self, cfg: ScannerConfig) -> None:
        super().__init__("evdev", ScanSource.KEYBOARD, cfg.dedup_window_s)
        try:
            import evdev  # type: ignore[import-not-found,unused-ignore]
        except ImportError as exc:
            raise DeviceMissing(
                "evdev", "python-evdev is not installed", "pip install evdev, or clear evdev_device"
            ) from exc
        self._evdev: Any = evdev
        self._cfg = cfg

    def _run(self, delivery: Delivery, stopping: threading.Event) -> None:
        import select

        cfg = self._cfg
        try:
            device = self._evdev.InputDevice(cfg.evdev_device)
            device.grab()
        except OSError as exc:
            self._set_status(False, ScannerIssue.EVDEV_MISSING, f"{cfg.evdev_device}: {exc}")
            return
        self._set_status(True)
        # The grabbed device sends nothing else, so the burst rule only frames codes.
        detector: BurstDetector[str] = BurstDetector(
            cfg.keyboard_max_gap_ms * 4, cfg.keyboard_prefix, cfg.keyboard_suffix, min_length=1
        )
        shifted = False
        try:
            while not stopping.is_set():
                ready, _, _ = select.select([device.fd], [], [], 0.05)
                if not ready:
                    # Event timestamps are wall-clock seconds, so the pause is measured on that clock.
                    self._emit(detector.timeout(time.time()), delivery)
                    continue
                for event in device.read():
                    if event.type != _EV_KEY:
                        continue
                    if event.code in _SHIFTS:
                        shifted = event.value != 0
                    elif event.value == 1:
                        at = event.timestamp()
                        self._emit(detector.key(evdev_char(event.code, shifted), at, ""), delivery)
        except OSError as exc:
            self._set_status(False, ScannerIssue.EVDEV_MISSING, f"{cfg.evdev_device}: {exc}")
        finally:
            with contextlib.suppress(OSError):
                device.ungrab()
            device.close()

    @staticmethod
    def _emit(outcome: Outcome[str], delivery: Delivery) -> None:
        if outcome.code is not None:
            delivery.deliver(outcome.code, outcome.code.encode("utf-8"))


__all__ = [
    "BurstDetector",
    "EvdevReader",
    "KeyboardWedgeScanner",
    "Outcome",
    "Verdict",
    "detector_for",
    "evdev_char",
]
