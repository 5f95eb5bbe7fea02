"""Run the simulated printer on a pseudo-terminal, e.g. for the demo or to try the technician screens:

    python -m drivers.printing --paper-out-after-jobs 3

then set ``printer.kind = "serial"`` and ``printer.serial_port`` to the port it prints. Type a state
(refill, near_end, out, cover, closed, error, silent, online) and Enter to change what it reports.
"""

from __future__ import annotations

import argparse
import sys

from drivers.printing.fake import FakePrinterEngine, FakeSerialPrinter, FakeState
from kiosk.devices import PaperState

COMMANDS: dict[str, dict[str, object]] = {
    "refill": {},
    "near_end": {"paper": PaperState.NEAR_END},
    "out": {"paper": PaperState.OUT},
    "cover": {"cover_open": True},
    "closed": {"cover_open": False},
    "error": {"error": True},
    "silent": {"silent": True},
    "online": {"silent": False, "online": True},
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="simulated ESC/POS printer on a pseudo-terminal")
    parser.add_argument("--paper-out-after-bytes", type=int)
    parser.add_argument("--paper-out-after-jobs", type=int)
    args = parser.parse_args(argv)
    engine = FakePrinterEngine(
        FakeState(),
        paper_out_after_bytes=args.paper_out_after_bytes,
        paper_out_after_jobs=args.paper_out_after_jobs,
    )
    fake = FakeSerialPrinter(engine)
    print(f"simulated printer on {fake.port}; states: {', '.join(COMMANDS)}", flush=True)
    try:
        for line in sys.stdin:
            change = COMMANDS.get(line.strip())
            if change is None:
                print(f"unknown state {line.strip()!r}", flush=True)
                continue
            if line.strip() == "refill":
                engine.refill()
            with engine.lock:
                for name, value in change.items():
                    setattr(engine.state, name, value)
            print(f"{engine.state} — {engine.jobs} jobs, {len(engine.received)} bytes", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        fake.close()


if __name__ == "__main__":
    main()
