"""A realistic order receipt rendered by the image printer, for the docs and as a visual check.

    python -m drivers.printing.sample docs/     # writes receipt-58.png and receipt-80.png
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from drivers.printing.image_printer import ImagePrinter
from drivers.printing.raster import Painter
from kiosk.fonts import find_cjk_font
from kiosk.receipt import Align, Receipt, code_block, local_time

DOTS = {58: 384, 80: 576}


def order_receipt(at: dt.datetime | None = None) -> Receipt:
    moment = at or dt.datetime(2026, 11, 29, 9, 30, tzinfo=dt.UTC)
    return (
        Receipt()
        .title("城西区新时代文明实践站")
        .text("志愿服务点单凭条", align=Align.CENTER)
        .separator()
        .row("服务项目", "助老上门探访")
        .row("服务时段", "明天上午（9:00-12:00）")
        .row("联系电话", "138****5678")
        .row("下单时间", local_time(moment))
        .row("服务费用", "¥0.00（公益免费）")
        .separator()
        .add(*code_block("点单码", "A7K392"))
        .feed(1)
        .qr("https://kiosk.example.org/o/A7K392", module=6, caption="扫码查看进度、评价服务")
        .separator()
        .text("温馨提示：志愿者上门时会出示工作证，请核对后开门。", align=Align.LEFT)
        .footer("服务热线：0971-0000000")
        .footer("谢谢您的信任！")
        .feed(2)
        .cut()
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    args.directory.mkdir(parents=True, exist_ok=True)
    for paper_mm, dots in DOTS.items():
        png = ImagePrinter(Painter(dots, find_cjk_font()), args.directory).render_png(order_receipt())
        target = args.directory / f"receipt-{paper_mm}.png"
        target.write_bytes(png)
        print(f"wrote {target} ({dots} dots wide)")


if __name__ == "__main__":
    main()
