"""A volunteer's redemption, clicked through the real QML against the real reference service on
loopback, with the image printer: scan → summary → gifts → cart → confirm → voucher (its QR decoded)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image

from tests.ui.conftest import Live, click, current_screen, texts_on_screen
from ui.app import KioskApplication

STATION = "st-nanguan"
ZHANG = "10000128"  # 张秀凤, 1200 points; took 2 boxes of eggs (the per-person limit) before


def redemption_kiosk(live: Live, **overrides: Any) -> KioskApplication:
    layers: dict[str, Any] = {"station": {"role": "redemption"}, "cloud": {"heartbeat_s": 3600}}
    for section, values in overrides.items():
        layers.setdefault(section, {}).update(values)
    app = live.make(**layers)
    assert app.services.sync is not None
    app.services.sync.refresh_keys()
    return app


def scan_member(qtbot: Any, app: KioskApplication, live: Live, member_no: str = ZHANG) -> None:
    app.services.scanner.inject(live.cloud.admin.member_token(member_no))  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: app.redemption.step == "summary" and current_screen(app) == "redeemScreen",
                    timeout=10000)


def vouchers(data: Path) -> list[str]:
    out = []
    for png in sorted((data / "receipts").glob("*.png")):
        out += [str(b.text) for b in zxingcpp.read_barcodes(Image.open(png)) if b.text.startswith("SKV1:")]
    return out


def model(app: KioskApplication) -> Any:
    """The redemption view model, its Qt properties read as plain values."""
    return app.redemption


def pick(qtbot: Any, app: KioskApplication, category: str, gift: str, times: int = 1) -> None:
    click(qtbot, app, f"giftCategory_{category}")
    start = model(app).cartCount
    for n in range(1, times + 1):
        click(qtbot, app, f"addGift_{gift}")
        qtbot.waitUntil(lambda wanted=start + n: model(app).cartCount == wanted)


def test_scan_redeem_voucher(qtbot: Any, live: Live) -> None:
    app = redemption_kiosk(live)
    scan_member(qtbot, app, live)
    shown = texts_on_screen(app)
    assert "张*凤，您好" in shown and "1200" in shown and "张秀凤" not in " ".join(shown)
    assert "信用时长" in shown and "荣誉时长" in shown
    assert any("120 积分将于 2026-12-31 到期" in t for t in shown)
    click(qtbot, app, "toGiftsButton")
    pick(qtbot, app, "souvenir", "gift-canvas-bag", 2)
    click(qtbot, app, "toCartButton")
    assert "1040" in texts_on_screen(app)  # 1200 − 2 × 80
    click(qtbot, app, "toConfirmButton")
    click(qtbot, app, "redeemButton")
    qtbot.waitUntil(lambda: app.redemption.step == "voucher", timeout=20000)
    voucher = model(app).voucher
    assert voucher["printed"] and voucher["balance_after"] == 1040
    assert live.cloud.admin.points(ZHANG) == 1040
    assert live.cloud.admin.stock(STATION, "gift-canvas-bag") == 18
    assert vouchers(live.data) == [f"SKV1:{voucher['redemption_no']}:{voucher['pickup_code']}"]
    click(qtbot, app, "finishButton")
    qtbot.waitUntil(lambda: current_screen(app) == "homeRedemption")
    assert model(app).member == {} and model(app).voucher == {}
