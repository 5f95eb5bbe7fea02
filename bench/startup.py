"""Cold start to the first rendered frame, against a bare QML window measured in the same run.

Three kinds of fresh process (as after a reboot), interleaved run by run so load from elsewhere hits
them alike, each timed from spawn to its first swapped frame, with its peak memory (RSS) there:

- **bare**: the anchor — a QGuiApplication and a QQmlApplicationEngine loading a trivial Window;
- **app**: ``kiosk run`` (image printer, simulated scanner) on an already running cloud, enrolled,
  its catalogue already synced — a kiosk rebooting at its station;
- **demo**: ``kiosk demo`` from nothing: embedded cloud, enrolment, catalogue, then the window.

Prints medians and the ratios to the bare window (wall time and peak memory).

    python -m bench.startup [--runs 5] [--profile app|demo|bare [--profiler cProfile]]

``--profile`` runs one start of that kind under pyinstrument (``pip install pyinstrument``) instead, or
under cProfile, which also shows the time spent inside Qt's own calls (with ``BENCH_PROFILE_OUT=file``
its data is kept for ``pstats`` instead of printed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1080, 1920)  # Main.qml's own size, so all three draw the same number of pixels
KINDS = ("bare", "app", "demo")
PROFILERS = {"pyinstrument": ["-m", "pyinstrument"], "cProfile": ["-m", "cProfile", "-s", "tottime"]}
if os.environ.get("BENCH_PROFILE_OUT"):  # keep cProfile's data for pstats
    PROFILERS["cProfile"] = ["-m", "cProfile", "-o", os.environ["BENCH_PROFILE_OUT"]]

BARE_QML = f"""
import QtQuick
Window {{ width: {SIZE[0]}; height: {SIZE[1]}; visible: true; color: "white"
    Text {{ anchors.centerIn: parent; text: "社区志愿服务站" }} }}
"""


def peak_rss_mb() -> float:
    """This process's peak RSS. Not ``ru_maxrss``: Linux carries that across exec from the parent."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmHWM in /proc/self/status")


def _report_first_frame(window: Any, app: Any) -> None:
    """On the first swapped frame print the moment and the peak RSS, then quit."""

    def first_frame() -> None:
        window.frameSwapped.disconnect(first_frame)
        print(json.dumps({"first_frame_at": time.time(), "max_rss_mb": peak_rss_mb()}), flush=True)
        app.quit()

    window.frameSwapped.connect(first_frame)


def child_bare() -> None:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQml import QQmlApplicationEngine

    app = QGuiApplication(sys.argv)
    engine = QQmlApplicationEngine()
    engine.loadData(BARE_QML.encode())
    _report_first_frame(engine.rootObjects()[0], app)
    app.exec()


def child_app(config_file: str) -> None:
    from kiosk.config import load
    from ui import main

    main.run(load(Path(config_file)), ready=lambda kiosk: _report_first_frame(kiosk.window, kiosk.app))


def child_demo(data_dir: str) -> None:
    from ui import main

    main.demo(role="ordering", language="zh_CN", elderly=False, size=SIZE, data_dir=Path(data_dir),
              ready=lambda kiosk: _report_first_frame(kiosk.window, kiosk.app))


def prepare_app(work: Path) -> tuple[Any, Path]:
    """A running cloud and an enrolled kiosk with its catalogue synced; returns (cloud, config file)."""
    from ui.demo import prepare_kiosk, start_cloud
    from ui.main import demo_config

    cloud_dir = work / "cloud"
    cloud_dir.mkdir()
    cloud = start_cloud(cloud_dir)
    data = work / "kiosk"
    loaded = demo_config(data, role="ordering", language="zh_CN", elderly=False, cloud_url=cloud.url)
    prepare_kiosk(loaded.config, cloud)
    config_file = work / "kiosk.toml"
    config_file.write_text(
        f'[station]\nid = "{loaded.config.station.id}"\nrole = "ordering"\n'
        f'[ui]\nfullscreen = false\n[cloud]\nurl = "{cloud.url}"\n'
        f'[printer]\nkind = "image"\n[scanner]\nkind = "simulated"\n'
        f'[storage]\ndata_dir = "{data}"\n', encoding="utf-8")
    return cloud, config_file


def _child_command(kind: str, work: Path, config_file: Path, run: int) -> list[str]:
    if kind == "bare":
        return ["--child", "bare"]
    if kind == "app":
        return ["--child", "app", str(config_file)]
    return ["--child", "demo", str(work / f"demo-{run}")]


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def start_once(kind: str, args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds to the first frame, peak RSS in MB, CPU seconds of the whole process)."""
    cpu_before = _children_cpu_s()
    started = time.time()
    done = subprocess.run([sys.executable, "-m", "bench.startup", *args], cwd=ROOT, capture_output=True,
                          text=True, env=env)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{kind} start failed ({done.returncode}):\n{done.stderr[-3000:]}")
    report = json.loads(lines[-1])
    return report["first_frame_at"] - started, report["max_rss_mb"], _children_cpu_s() - cpu_before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", choices=KINDS, help="profile one start of this kind instead")
    parser.add_argument("--profiler", choices=PROFILERS, default="pyinstrument")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kiosk-bench-startup-"))
    # Own temp and cache folders: what a start leaves behind is counted, and nothing of the user's is used.
    tmp, cache = work / "tmp", work / "cache"
    tmp.mkdir()
    cache.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp),
           "XDG_CACHE_HOME": str(cache), "PYTHONPYCACHEPREFIX": str(cache / "pycache")}
    # Bytecode cached as on an installed kiosk, even where the shell says not to write it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cloud, config_file = prepare_app(work)
    try:
        if args.profile:
            command = _child_command(args.profile, work, config_file, 0)
            start_once(args.profile, command, env)  # warm: bytecode and QML caches written
            if args.profile == "demo":
                shutil.rmtree(work / "demo-0")
            subprocess.run([sys.executable, *PROFILERS[args.profiler], "-m", "bench.startup", *command],
                           cwd=ROOT, env=env, check=True)
            return
        # One demo start first, as on any machine after its first: caches are built once, not per start.
        start_once("demo", _child_command("demo", work, config_file, -1), env)
        shutil.rmtree(work / "demo--1")
        left_before = {p.name for p in tmp.iterdir()}
        wall: dict[str, list[float]] = {kind: [] for kind in KINDS}
        rss: dict[str, list[float]] = {kind: [] for kind in KINDS}
        cpu: dict[str, list[float]] = {kind: [] for kind in KINDS}
        for run in range(args.runs):
            for kind in KINDS:
                seconds, mb, cpu_s = start_once(kind, _child_command(kind, work, config_file, run), env)
                wall[kind].append(seconds)
                rss[kind].append(mb)
                cpu[kind].append(cpu_s)
        left_behind = len({p.name for p in tmp.iterdir()} - left_before)
    finally:
        cloud.stop()
        shutil.rmtree(work, ignore_errors=True)
    bare_wall, bare_rss = statistics.median(wall["bare"]), statistics.median(rss["bare"])
    bare_cpu = statistics.median(cpu["bare"])
    print(f"cold start to first frame, {args.runs} runs each, interleaved (medians; CPU: the whole process's"
          f" user+system time, which load from other processes does not inflate)")
    for kind in KINDS:
        w, m, c = statistics.median(wall[kind]), statistics.median(rss[kind]), statistics.median(cpu[kind])
        print(f"  {kind:<5} {w:5.2f} s wall (worst {max(wall[kind]):5.2f}) {m:5.0f} MB {c:5.2f} s CPU"
              f"   ×{w / bare_wall:4.2f} wall  ×{m / bare_rss:4.2f} memory  ×{c / bare_cpu:4.2f} CPU")
    print(f"  entries left in the temp folder by {args.runs * len(KINDS)} starts: {left_behind}")


if __name__ == "__main__":
    if "--child" in sys.argv:
        kind, *rest = sys.argv[sys.argv.index("--child") + 1:]
        children: dict[str, Callable[..., None]] = {"bare": child_bare, "app": child_app, "demo": child_demo}
        children[kind](*rest)
    else:
        main()
