"""Device checks for ``kiosk doctor``: is the configured printer and scanner there and answering."""

from __future__ import annotations

import glob
from collections.abc import Callable

from kiosk.config import KioskConfig
from kiosk.doctor import Check, Level


def _camera(config: KioskConfig) -> Check:
    devices = sorted(glob.glob("/dev/video*"))
    wanted = config.scanner.kind == "camera"
    if devices:
        return Check("camera", Level.OK, ", ".join(devices))
    level = Level.FAIL if wanted else Level.OK
    detail = "no camera found" + ("" if wanted else " (not needed: scanner kind is " + config.scanner.kind + ")")
    return Check("camera", level, detail, "plug in the camera, check `ls /dev/video*` and the udev rules")


def probes(config: KioskConfig) -> list[Callable[[], Check]]:
    return [lambda: _camera(config)]


def print_test(config: KioskConfig, checks: list[Check]) -> Check:
    return Check("test print", Level.FAIL, "printing is not available in this build")
