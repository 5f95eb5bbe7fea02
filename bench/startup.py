"""Start-up time of `kiosk demo` to its first rendered frame, and memory at that point.

Each run is a fresh process (as a resident would meet it after a reboot): the embedded cloud starts,
the kiosk enrols and fetches the catalogue, the QML loads, and the first frame is swapped. Printed as
median and worst over the runs.  python -m bench.startup [runs]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import resource

    from kiosk.store import open_store
    from ui.app import KioskApplication, KioskOptions
    from ui.demo import prepare_kiosk, samples, start_cloud
    from ui.main import demo_config
    from ui.qt import QGuiApplication

    data = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    app = QGuiApplication(sys.argv)
    cloud = start_cloud(data)
    loaded = demo_config(data, role="ordering", language="zh_CN", elderly=False, cloud_url=cloud.url)
    prepare_kiosk(loaded.config, cloud)
    store, _ = open_store(loaded.config.data_path())
    kiosk = KioskApplication(app, loaded, store, KioskOptions(window_size=(1080, 1920), demo_samples=samples(cloud)))
    kiosk.window.show()

    def first_frame() -> None:
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"first_frame_at": time.time(), "max_rss_mb": round(rss_mb, 1)}), flush=True)
        app.quit()

    kiosk.window.frameSwapped.connect(first_frame)
    app.exec()
    kiosk.shutdown()
    store.close()
    cloud.stop()


def main(runs: int) -> None:
    times, rss = [], []
    for _ in range(runs):
        started = time.time()
        out = subprocess.run([sys.executable, "-m", "bench.startup", "--child"], cwd=ROOT, capture_output=True,
                             text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
        report = json.loads(out.strip().splitlines()[-1])
        times.append(report["first_frame_at"] - started)
        rss.append(report["max_rss_mb"])
    print(f"kiosk demo start-up to first frame over {runs} runs: median {statistics.median(times):.2f} s, "
          f"worst {max(times):.2f} s; peak memory median {statistics.median(rss):.0f} MB")


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
