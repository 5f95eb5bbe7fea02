"""Real-time status (``DLE EOT n``, n = 1..4): the queries, the answers' meaning, and what blocks a print.

Each answer is one byte with fixed bits 0 and 7 clear and 1 and 4 set (``b & 0x93 == 0x12``); anything
else is line noise and counts as no answer. A printer that does not answer the first query is offline
with unknown paper — never "paper OK".
"""

from __future__ import annotations

from kiosk.devices import PaperState, PrinterStatus

DLE_EOT = b"\x10\x04"
PRINTER, OFFLINE_CAUSE, ERROR_CAUSE, PAPER_SENSOR = 1, 2, 3, 4
FIXED_MASK, FIXED_BITS = 0x93, 0x12

# n=1
OFFLINE = 0x08
# n=2
COVER_OPEN = 0x04
PAPER_END_STOP = 0x20
ERROR_OCCURRED = 0x40
# n=3
CUTTER_ERROR = 0x08
UNRECOVERABLE = 0x20
AUTO_RECOVERABLE = 0x40
# n=4
NEAR_END = 0x0C
PAPER_END = 0x60


def query(n: int) -> bytes:
    return DLE_EOT + bytes([n])


def valid(answer: bytes) -> bool:
    return len(answer) == 1 and answer[0] & FIXED_MASK == FIXED_BITS


NO_ANSWER = PrinterStatus(online=False, paper=PaperState.UNKNOWN, detail="no answer to DLE EOT")


def decode(answers: dict[int, int]) -> PrinterStatus:
    """A status from the answers that came back (a missing key is a query that was not answered)."""
    if PRINTER not in answers:
        return NO_ANSWER
    offline_cause = answers.get(OFFLINE_CAUSE, FIXED_BITS)
    error_cause = answers.get(ERROR_CAUSE, FIXED_BITS)
    details = []
    cover_open = bool(offline_cause & COVER_OPEN)
    error = bool(offline_cause & ERROR_OCCURRED) or bool(
        error_cause & (CUTTER_ERROR | UNRECOVERABLE | AUTO_RECOVERABLE)
    )
    if error_cause & CUTTER_ERROR:
        details.append("cutter error")
    if error_cause & UNRECOVERABLE:
        details.append("unrecoverable error")
    if error_cause & AUTO_RECOVERABLE:
        details.append("auto-recoverable error (head temperature?)")
    if PAPER_SENSOR in answers:
        sensor = answers[PAPER_SENSOR]
        paper = (
            PaperState.OUT if sensor & PAPER_END else PaperState.NEAR_END if sensor & NEAR_END else PaperState.OK
        )
    elif offline_cause & PAPER_END_STOP:
        paper = PaperState.OUT
    else:
        paper = PaperState.UNKNOWN
        details.append("no answer from the paper sensor")
    missing = [str(n) for n in (OFFLINE_CAUSE, ERROR_CAUSE, PAPER_SENSOR) if n not in answers]
    if missing:
        details.append("unanswered DLE EOT " + ",".join(missing))
    return PrinterStatus(
        online=not answers[PRINTER] & OFFLINE,
        paper=paper,
        cover_open=cover_open,
        error=error,
        detail="; ".join(details),
    )


