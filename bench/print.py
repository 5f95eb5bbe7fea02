"""Receipt printing figures: encode and render times, bytes per receipt, status query latency.

The status figures run against the fake printer on a pseudo-terminal through the real serial path,
and compare python-escpos' own ``paper_status()`` on a printer that never answers.

    python -m bench.print [--rounds 50]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from escpos.printer import Serial

from drivers.printing import make_printer
from drivers.printing.commands import Encoder
from drivers.printing.fake import FakeSerialPrinter
from drivers.printing.image_printer import ImagePrinter
from drivers.printing.raster import Painter
from drivers.printing.sample import order_receipt
from kiosk.config import PrinterConfig
from kiosk.fonts import find_cjk_font


def timed(fn: Callable[[], object], rounds: int) -> float:
    """Median milliseconds of ``rounds`` calls."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    rounds = parser.parse_args().rounds
    receipt = order_receipt()
    font = find_cjk_font()
    print(f"order receipt, median of {rounds}")
    for dots in (384, 576):
        painter = Painter(dots, font)
        parts = [f"  {dots} dots:"]
        for mode in ("native", "image"):
            encode = functools.partial(Encoder(painter, mode).encode, receipt)
            parts.append(f"{mode} mode {len(encode()):6d} B in {timed(encode, rounds):6.2f} ms |")
        png = ImagePrinter(painter, Path(tempfile.gettempdir())).render_png(receipt)
        print(*parts, f"PNG {len(png):6d} B")

    with tempfile.TemporaryDirectory() as tmp:
        fake = FakeSerialPrinter()
        try:
            printer = make_printer(PrinterConfig(kind="serial", serial_port=fake.port), Path(tmp))
            print(f"status (4 x DLE EOT) over a pty, answering: {timed(printer.status, rounds):.2f} ms median")
            printer.print_receipt(receipt)
            job = timed(functools.partial(printer.print_receipt, receipt), 10)
            print(f"print job over a pty incl. status before/after: {job:.1f} ms")
            fake.state.silent = True
            print(f"status, printer silent (timeout 0.3 s): {timed(printer.status, 3):.0f} ms")
            printer.close()
            legacy = Serial(devfile=fake.port, dsrdtr=False)
            legacy.open()
            started = time.perf_counter()
            answer = legacy.paper_status()
            elapsed = (time.perf_counter() - started) * 1000
            print(f"python-escpos paper_status(), printer silent: {elapsed:.0f} ms, says {answer} (2 = 'paper OK')")
            legacy.close()
            legacy._device = False
        finally:
            fake.close()


if __name__ == "__main__":
    main()
