"""Run a child process that works against the real service, and SIGKILL it at a chosen moment."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 30.0


def run_and_kill(module: str, args: list[str], delay_s: float, log: Path) -> list[str]:
    """Start ``module.child_main(*args)`` in a child; once it prints "ready", let it work ``delay_s``,
    then SIGKILL it. Returns the whole lines it printed after "ready" (a kill can cut one short)."""
    code = f"from {module} import child_main; import sys; child_main(*sys.argv[1:])"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(log, "ab") as err:
        proc = subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=err)
    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        ready = sel.select(READY_TIMEOUT_S)
    first = proc.stdout.readline() if ready else b""
    if first != b"ready\n":
        proc.kill()
        proc.wait()
        pytest.fail(f"child not ready within {READY_TIMEOUT_S} s ({first!r}); see {log}")
    try:
        proc.wait(timeout=delay_s)
        pytest.fail(f"child exited on its own with {proc.returncode}; see {log}")
    except subprocess.TimeoutExpired:
        pass
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    return [line.strip() for line in out.decode().splitlines(keepends=True) if line.endswith("\n")]
