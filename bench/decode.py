"""Decode rate and time per frame: zxing-cpp alone (QR only, and all the kiosk's formats), pyzbar
alone, and the kiosk's camera pipeline; the figure that matters is the pipeline's time per frame
against zxing-cpp looking for QR only, with no fewer codes read.

Generated frames: QR codes as residents and volunteers present them (clean, rotated, small, blurred,
in perspective, low contrast, on a phone screen with glare) plus frames with no code (plain, and busy
with printed text and stripes), at 640×480 and 1280×720. A frame counts as decoded when the expected
payload comes out in any of 4 consecutive frames of the scene (as a camera sees a code held up; the
pipeline is thorough on one frame in four); a frame with no code counts as clear when nothing comes out.

Real images: whatever this machine ships — pyzbar's test photos (QR, Code 128, Code 39) and the
repository's receipts and screenshots (QR codes on screen), also as 4 consecutive frames each.

Times are the decoding thread's CPU time per call (OpenCV limited to one thread), so load from other
processes on a shared box does not count.

    python -m bench.decode [--frames 40] [--seed 1] [--rounds 4]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

from drivers.scanning.decode import DEFAULT_FORMATS, QR_FORMATS, Decoder, Frame, decode_payload, load_zbar
from drivers.scanning.synthetic import place_code, qr_modules, scene

CATEGORIES = (
    "clean", "rotated", "small", "blurred", "perspective", "low contrast", "phone screen", "no code",
    "busy no code",
)
EMPTY = ("no code", "busy no code")
RESOLUTIONS = ((640, 480), (1280, 720))
ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 4  # consecutive frames per real image
ANCHOR = "zxing QR"


def payload(rng: np.random.Generator, i: int) -> str:
    kinds = (
        f"https://kiosk.example.cn/o/ORD-{rng.integers(10**9):09d}",
        f"VOL:{rng.integers(10**6):06d}:{rng.bytes(12).hex()}",
        f"核销码 {rng.integers(10**8):08d}",
    )
    return kinds[i % len(kinds)]


def _perspective(frame: Frame, rng: np.random.Generator) -> Frame:
    h, w = frame.shape[:2]
    d = rng.uniform(0.12, 0.22)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    dst = np.array(
        [[w * d, h * d * 0.6], [w * (1 - d * 0.3), 0], [w, h], [w * d * 0.5, h * (1 - d)]], dtype=np.float32
    )
    return cv2.warpPerspective(frame, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=(90, 90, 90))


def _phone(background: Frame, modules: Frame, module_px: float, rng: np.random.Generator) -> Frame:
    frame = background.copy()
    h, w = frame.shape[:2]
    code_px = modules.shape[0] * module_px
    sw, sh = int(code_px * 1.3), int(code_px * 2.0)
    cx, cy = w // 2 + int(rng.integers(-w // 10, w // 10)), h // 2
    body = (cx - sw // 2 - 14, cy - sh // 2 - 30, cx + sw // 2 + 14, cy + sh // 2 + 30)
    for colour, (x0, y0, x1, y1), radius in (
        ((25, 25, 28), body, 28),
        ((250, 244, 238), (cx - sw // 2, cy - sh // 2, cx + sw // 2, cy + sh // 2), 12),
    ):
        cv2.rectangle(frame, (x0 + radius, y0), (x1 - radius, y1), colour, -1)
        cv2.rectangle(frame, (x0, y0 + radius), (x1, y1 - radius), colour, -1)
        for px, py in ((x0 + radius, y0 + radius), (x1 - radius, y0 + radius),
                       (x0 + radius, y1 - radius), (x1 - radius, y1 - radius)):
            cv2.circle(frame, (px, py), radius, colour, -1)
    frame = place_code(frame, modules, module_px, (cx, cy), angle_deg=float(rng.uniform(-8, 8)))
    # Screen glare: a soft bright ellipse over part of the code.
    glare: Frame = np.zeros((h, w), np.float32)
    gx, gy = cx + int(code_px * rng.uniform(-0.3, 0.3)), cy - int(code_px * rng.uniform(0.1, 0.4))
    cv2.ellipse(glare, (gx, gy), (int(code_px * 0.5), int(code_px * 0.22)), float(rng.uniform(-30, 30)),
                0, 360, 1.0, -1)
    glare = cv2.GaussianBlur(glare, (0, 0), code_px * 0.08)
    out = frame.astype(np.float32) + glare[..., None] * rng.uniform(150, 255)
    return np.clip(out, 0, 255).astype(np.uint8)


def _busy(background: Frame, rng: np.random.Generator) -> Frame:
    """What a camera at a counter also sees: a printed notice and a striped shirt — edges everywhere."""
    frame = background.copy()
    h, w = frame.shape[:2]
    x0, y0 = int(w * rng.uniform(0.05, 0.4)), int(h * rng.uniform(0.05, 0.3))
    cv2.rectangle(frame, (x0, y0), (x0 + w // 2, y0 + h // 2), (235, 235, 235), -1)
    scale = w / 1600
    for line in range(12):
        words = "".join(chr(int(c)) for c in rng.integers(65, 91, size=28))
        cv2.putText(frame, words, (x0 + 10, y0 + int((line + 1) * h / 26)), cv2.FONT_HERSHEY_SIMPLEX,
                    scale, (20, 20, 20), max(1, int(scale * 2)), cv2.LINE_AA)
    stripe = max(3, w // 120)
    for x in range(0, w // 3, stripe * 2):
        cv2.rectangle(frame, (w - w // 3 + x, h // 2), (w - w // 3 + x + stripe, h), (40, 40, 140), -1)
    return frame


def make_frame(category: str, size: tuple[int, int], rng: np.random.Generator, i: int) -> tuple[Frame, str]:
    w, h = size
    background = scene(w, h, seed=int(rng.integers(1 << 30)))
    text = payload(rng, i)
    if category == "no code":
        return background, ""
    if category == "busy no code":
        return _busy(background, rng), ""
    modules = qr_modules(text)
    fit = min(w, h) * 0.55 / modules.shape[0]  # the code fills about half the view
    module_px = float(rng.uniform(0.6, 1.0) * fit)
    centre = (w / 2 + rng.uniform(-w, w) * 0.12, h / 2 + rng.uniform(-h, h) * 0.1)
    if category == "clean":
        frame = place_code(background, modules, module_px, centre)
    elif category == "rotated":
        frame = place_code(background, modules, module_px, centre, float(rng.uniform(15, 345)))
    elif category == "small":
        frame = place_code(background, modules, float(rng.uniform(1.1, 1.8)), centre)
    elif category == "blurred":
        frame = cv2.GaussianBlur(place_code(background, modules, module_px, centre), (0, 0),
                                 float(rng.uniform(0.35, 0.6) * module_px))
    elif category == "perspective":
        frame = _perspective(place_code(background, modules, module_px, centre), rng)
    elif category == "low contrast":
        frame = place_code(background, modules, module_px, centre).astype(np.float32)
        frame = (frame.mean() + (frame - frame.mean()) * rng.uniform(0.05, 0.12)
                 + rng.normal(0, 2.5, frame.shape))
        frame = np.clip(frame, 0, 255).astype(np.uint8)
    elif category == "phone screen":
        frame = _phone(background, modules, module_px * 0.8, rng)
    else:
        raise ValueError(category)
    return frame, text


Decode = Callable[[Frame], list[str]]


def decoders() -> dict[str, Decode]:
    zbar = load_zbar()
    pipeline = Decoder()
    qr = zxingcpp.BarcodeFormats(list(QR_FORMATS))
    found: dict[str, Decode] = {
        # The anchor: zxing-cpp with its default options, looking for QR codes only.
        ANCHOR: lambda g: [decode_payload(bytes(b.bytes)) for b in zxingcpp.read_barcodes(g, formats=qr)],
        # All the formats the pipeline looks for, on every frame (what the pipeline did before).
        "zxing all": lambda g: [decode_payload(bytes(b.bytes))
                                for b in zxingcpp.read_barcodes(g, formats=DEFAULT_FORMATS)],
    }
    if zbar is not None:
        from pyzbar import pyzbar  # plain pyzbar, as an application would call it

        found["pyzbar"] = lambda g: [d.data.decode("utf-8", "replace") for d in pyzbar.decode(g)]
    found["pipeline"] = lambda g: [d.text for d in pipeline.decode(g)]
    return found


def in_turn(runners: dict[str, Decode], round_: int) -> list[tuple[str, Decode]]:
    items = list(runners.items())
    start = round_ % len(items)
    return items[start:] + items[:start]


@dataclass
class Tally:
    decoded: int = 0
    ms: list[float] = field(default_factory=list)

    def cell(self, frames: int, empty: bool = False) -> str:
        shown = f"{self.decoded}/{frames}" + (" clear" if empty else "")
        return f"{shown} {statistics.median(self.ms):6.2f}".rjust(20)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frames", type=int, default=40, help="frames per category and resolution")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help="consecutive camera frames per scene: a code counts as read when any reads it")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    for size in RESOLUTIONS:
        rng = np.random.default_rng(args.seed)
        runners = decoders()
        totals = {name: Tally() for name in runners}
        print(f"\n{size[0]}×{size[1]}, {args.frames} frames per category (decoded / median ms)")
        print(f"{'category':<14}" + "".join(f"{name:>20}" for name in runners))
        for category in CATEGORIES:
            rows = {name: Tally() for name in runners}
            for i in range(args.frames):
                frame, expected = make_frame(category, size, rng, i)
                gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
                read: dict[str, set[str]] = {name: set() for name in runners}
                # Consecutive frames of the scene; decoders take turns on each, each round starting
                # with the next one, so none always runs after the cache-thrashing pyzbar.
                for round_ in range(args.rounds):
                    for name, decode in in_turn(runners, round_):
                        start = time.thread_time()
                        read[name].update(decode(gray))
                        rows[name].ms.append((time.thread_time() - start) * 1000)
                for name, texts in read.items():
                    rows[name].decoded += expected in texts if expected else not texts
            empty = category in EMPTY
            print(f"{category:<14}" + "".join(t.cell(args.frames, empty) for t in rows.values()))
            for name, tally in rows.items():
                totals[name].ms += tally.ms
                totals[name].decoded += 0 if empty else tally.decoded
        coded = args.frames * (len(CATEGORIES) - len(EMPTY))
        print(f"{'all':<14}" + "".join(t.cell(coded) for t in totals.values()))
        print(compare(totals["pipeline"], totals[ANCHOR], "frames"))
    real_images(args.rounds)


def compare(pipeline: Tally, anchor: Tally, unit: str) -> str:
    return (f"pipeline vs zxing-cpp QR-only: {pipeline.decoded - anchor.decoded:+d} {unit} decoded, time per "
            f"frame ×{statistics.median(pipeline.ms) / statistics.median(anchor.ms):.2f} median, "
            f"×{statistics.fmean(pipeline.ms) / statistics.fmean(anchor.ms):.2f} mean")


def shipped_images() -> list[Path]:
    """Real photos and screenshots with codes that this machine has: pyzbar's test images and the
    repository's receipts and screenshots."""
    images: list[Path] = []
    spec = find_spec("pyzbar")
    if spec is not None and spec.origin:
        images += sorted((Path(spec.origin).parent / "tests").glob("*.png"))
    images += sorted((ROOT / "docs").glob("*.png")) + sorted((ROOT / "docs" / "screenshots").glob("*.png"))
    return images


def real_images(rounds: int) -> None:
    images = shipped_images()
    runners = decoders()
    coded = {name: Tally() for name in runners}
    empty = {name: Tally() for name in runners}
    for path in images:
        gray = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        if gray is None:
            continue
        seen: dict[str, set[str]] = {name: set() for name in runners}
        ms: dict[str, list[float]] = {name: [] for name in runners}
        for round_ in range(rounds):
            for name, decode in in_turn(runners, round_):
                start = time.thread_time()
                seen[name].update(decode(gray))
                ms[name].append((time.thread_time() - start) * 1000)
        # Images with a code any decoder reads are what the camera is for; the rest are screens
        # without a code, as a camera also sees.
        tallies = coded if any(seen.values()) else empty
        for name in runners:
            tallies[name].ms += ms[name]
            tallies[name].decoded += len(seen[name])
    with_codes = len(coded[ANCHOR].ms) // rounds
    print(f"\nreal images shipped here, {rounds} frames each (codes read / median ms)")
    print(f"{'':<14}" + "".join(f"{name:>20}" for name in runners))
    for label, tallies, count in (("with a code", coded, with_codes),
                                  ("without", empty, len(empty[ANCHOR].ms) // rounds)):
        print(f"{label:<14}" + "".join(f"{t.decoded} {statistics.median(t.ms):6.2f}".rjust(20)
                                       for t in tallies.values()) + f"   ({count} images)")
    print("with a code:", compare(coded["pipeline"], coded[ANCHOR], "codes"))
    print("without:    ", compare(empty["pipeline"], empty[ANCHOR], "codes"))


if __name__ == "__main__":
    main()
