"""One rule for JSON the kiosk reads from outside (the service's answers, scanned codes): bounded
size, bounded nesting, finite numbers only.

Python's ``json`` accepts ``NaN``, ``Infinity`` and ``1e999`` (which becomes ``inf``), and every
comparison with NaN is false, so one such number slips past expiry and range checks. Deep nesting
(``[[[[…``) raises ``RecursionError`` from inside the decoder. Both are refused here, before any
caller sees a value, with :class:`JsonRejected` (a ``ValueError``).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, TypeGuard

# Integers beyond this lose precision in every JSON reader that uses doubles: no field of ours is that big.
MAX_MAGNITUDE = 2**53
# 2020-01-01 .. 2100-01-01 (Unix seconds): a service clock or timestamp outside this is a bug or an attack.
EARLIEST_TIME = 1_577_836_800.0
LATEST_TIME = 4_102_444_800.0

# A JSON string (no quote or backslash, or an escape), unrolled so long strings cost one pass.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class JsonRejected(ValueError):
    """Not acceptable JSON: too long, too deep, malformed, or with a non-finite or huge number."""


def _refuse_constant(name: str) -> Any:
    raise JsonRejected(f"non-finite number {name}")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonRejected(f"number {text[:32]} is out of range")
    return value


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in ``text`` (brackets inside strings do not count)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub('""', text))
    level = deepest = 0
    for char in brackets:
        if char in "[{":
            level += 1
            deepest = max(deepest, level)
        else:
            level -= 1
    return deepest


def loads(data: str | bytes, *, max_chars: int, max_depth: int) -> Any:
    """Parse JSON within the limits; raises :class:`JsonRejected`."""
    if len(data) > max_chars:
        raise JsonRejected(f"{len(data)} characters, more than the {max_chars} allowed")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JsonRejected("not UTF-8") from exc
    depth = nesting_depth(data)
    if depth > max_depth:
        raise JsonRejected(f"nested {depth} deep, more than the {max_depth} allowed")
    try:
        value = json.loads(data, parse_constant=_refuse_constant, parse_float=_finite_float)
    except JsonRejected:
        raise
    except (ValueError, RecursionError) as exc:  # ValueError covers JSONDecodeError and huge integers
        raise JsonRejected(f"not JSON: {exc}") from exc
    check_numbers(value)
    return value


def check_numbers(value: Any, where: str = "") -> None:
    """Every number in ``value`` is finite and within ±2^53; raises :class:`JsonRejected` naming it."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, int | float):
        if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            raise JsonRejected(f"{where or 'value'}: number {value!r:.32} is out of range")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            check_numbers(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_numbers(item, f"{where}[{index}]")


def is_sane_time(value: object) -> TypeGuard[int | float]:
    """A Unix time (seconds) a real clock could show: finite, between 2020 and 2100."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and EARLIEST_TIME <= value < LATEST_TIME
    )

