"""A volunteer's redemption, clicked through the real QML against the real reference service on
loopback, with the image printer: scan → summary → gifts → cart → confirm → voucher (its QR decoded)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import zxingcpp
from PIL import Image

from drivers.printing.fake import FakeNetworkPrinter, FakePrinterEngine, FakeState
from kiosk.devices import PaperState
from tests.kiosk.faultproxy import Fault
from tests.ui.conftest import Live, click, current_screen, find, press_digits, texts_on_screen, visible_item
from ui.app import KioskApplication

STATION = "st-yicaixiang-west"
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


def confirm_a_magnet(qtbot: Any, app: Any, live: Live) -> None:
    """Zhang scans in, picks one fridge magnet and reaches the confirm page."""
    scan_member(qtbot, app, live)
    click(qtbot, app, "toGiftsButton")
    pick(qtbot, app, "souvenir", "gift-magnet")
    click(qtbot, app, "toCartButton")
    click(qtbot, app, "toConfirmButton")


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


def set_stock(live: Live, gift: str, stock: int) -> None:
    from cloud.db import gift_stock

    with live.cloud.engine.begin() as conn:
        conn.execute(sa.update(gift_stock).where(gift_stock.c.station_id == STATION, gift_stock.c.gift_id == gift)
                     .values(stock=stock))


def cloud_redemptions(live: Live, member_no: str) -> list[Any]:
    from cloud.db import members, redemptions

    with live.cloud.engine.begin() as conn:
        return list(conn.execute(sa.select(redemptions).join(members, members.c.id == redemptions.c.member_id)
                                 .where(members.c.member_no == member_no, redemptions.c.device_id != "seed")))


def test_codes_refused_on_the_home_screen_say_why(qtbot: Any, live: Live) -> None:
    app = redemption_kiosk(live)
    inject = app.services.scanner.inject  # type: ignore[attr-defined]
    inject(live.cloud.admin.member_token(ZHANG, issued_at=time.time() - 300))
    qtbot.waitUntil(lambda: "志愿者码已过期，请在手机上刷新后重新扫码" in texts_on_screen(app), timeout=10000)
    inject("SKO1:LP3X9D:1234")
    qtbot.waitUntil(lambda: "这不是志愿者码，请打开手机上的志愿者码再扫" in texts_on_screen(app), timeout=10000)
    token = live.cloud.admin.member_token(ZHANG)
    inject(token)
    qtbot.waitUntil(lambda: current_screen(app) == "redeemScreen", timeout=10000)
    click(qtbot, app, "homeButton")
    qtbot.waitUntil(lambda: current_screen(app) == "homeRedemption" and model(app).member == {})
    inject(token)
    qtbot.waitUntil(lambda: "这个志愿者码已经用过了，请刷新出新的码再扫" in texts_on_screen(app), timeout=10000)
    assert current_screen(app) == "homeRedemption"


def test_card_and_pin_on_the_keypad(qtbot: Any, live: Live) -> None:
    app = redemption_kiosk(live)
    click(qtbot, app, "manualEntryButton")
    press_digits(qtbot, app, "10000619")
    click(qtbot, app, "numberNextButton")
    qtbot.waitUntil(lambda: model(app).step == "pin")
    assert "10000619" in " ".join(texts_on_screen(app))
    press_digits(qtbot, app, "111111")
    assert "111111" not in " ".join(texts_on_screen(app))  # dots only
    click(qtbot, app, "pinNextButton")
    qtbot.waitUntil(lambda: "密码不对，请再试一次" in texts_on_screen(app), timeout=10000)
    press_digits(qtbot, app, "123456")
    click(qtbot, app, "pinNextButton")
    qtbot.waitUntil(lambda: model(app).step == "summary", timeout=10000)
    assert "王*，您好" in texts_on_screen(app)


def test_insufficient_points(qtbot: Any, live: Live) -> None:
    app = redemption_kiosk(live)
    han = "10000507"  # 韩德明, 45 points
    scan_member(qtbot, app, live, han)
    click(qtbot, app, "toGiftsButton")
    click(qtbot, app, "giftCategory_souvenir")
    qtbot.waitUntil(lambda: "还差 35 积分" in texts_on_screen(app))  # the 80-point bag
    assert not find(app, "addGift_gift-canvas-bag").property("enabled")
    pick(qtbot, app, "souvenir", "gift-magnet")
    click(qtbot, app, "toCartButton")
    click(qtbot, app, "toConfirmButton")
    live.cloud.admin.add_points(han, -30)  # spent elsewhere meanwhile
    click(qtbot, app, "redeemButton")
    qtbot.waitUntil(lambda: model(app).step == "cart", timeout=15000)
    assert "积分不够兑换这些礼品，请减少一些" in texts_on_screen(app)
    assert live.cloud.admin.points(han) == 15 and cloud_redemptions(live, han) == []


def test_out_of_stock_while_in_the_cart(qtbot: Any, live: Live) -> None:
    app = redemption_kiosk(live)
    scan_member(qtbot, app, live)
    click(qtbot, app, "toGiftsButton")
    pick(qtbot, app, "souvenir", "gift-canvas-bag", 2)
    click(qtbot, app, "toCartButton")
    click(qtbot, app, "toConfirmButton")
    set_stock(live, "gift-canvas-bag", 1)
    click(qtbot, app, "redeemButton")
    qtbot.waitUntil(lambda: model(app).step == "cart", timeout=15000)
    qtbot.waitUntil(lambda: "本机只剩 1 份了，请减少数量" in texts_on_screen(app), timeout=10000)
    assert "有礼品刚刚被兑完了，请看下面的提示调整" in texts_on_screen(app)
    assert live.cloud.admin.points(ZHANG) == 1200
    click(qtbot, app, "minus_gift-canvas-bag")
    click(qtbot, app, "toConfirmButton")
    click(qtbot, app, "redeemButton")
    qtbot.waitUntil(lambda: model(app).step == "voucher", timeout=15000)
    assert live.cloud.admin.points(ZHANG) == 1120 and live.cloud.admin.stock(STATION, "gift-canvas-bag") == 0


def test_per_person_limit(qtbot: Any, live: Live) -> None:
    app = redemption_kiosk(live)
    scan_member(qtbot, app, live)
    click(qtbot, app, "toGiftsButton")
    pick(qtbot, app, "daily", "gift-eggs", 2)
    assert not find(app, "addGift_gift-eggs").property("enabled")  # two per person
    click(qtbot, app, "toCartButton")
    assert not find(app, "plus_gift-eggs").property("enabled")
    click(qtbot, app, "toConfirmButton")
    click(qtbot, app, "redeemButton")  # she took two boxes 40 days ago
    qtbot.waitUntil(lambda: model(app).step == "cart", timeout=15000)
    assert "有礼品超过了每人可兑换的数量（包括以前兑换的），请减少" in texts_on_screen(app)
    assert live.cloud.admin.points(ZHANG) == 1200


def test_answer_lost_after_the_cloud_committed(qtbot: Any, live: Live) -> None:
    app = redemption_kiosk(live)
    confirm_a_magnet(qtbot, app, live)
    live.proxy.inject(Fault.DROP_RESPONSE, count=1)
    click(qtbot, app, "redeemButton")
    qtbot.waitUntil(lambda: model(app).step == "voucher", timeout=20000)
    assert live.proxy.faults_injected == 1
    assert live.cloud.admin.points(ZHANG) == 1170 and len(cloud_redemptions(live, ZHANG)) == 1
    voucher = model(app).voucher
    assert voucher["printed"] and vouchers(live.data) == [f"SKV1:{voucher['redemption_no']}:{voucher['pickup_code']}"]


def test_offline_redemption_is_recorded_not_printed(qtbot: Any, live: Live) -> None:
    app = redemption_kiosk(live, redemption={"offline_enabled": True, "offline_member_cap": 100})
    token = live.cloud.admin.member_token(ZHANG)
    live.proxy.down()
    app.services.scanner.inject(token)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: model(app).step == "summary", timeout=15000)
    assert any("本次最多可兑换 100 积分" in t for t in texts_on_screen(app))
    click(qtbot, app, "toGiftsButton")
    pick(qtbot, app, "souvenir", "gift-magnet", 3)
    click(qtbot, app, "toCartButton")
    assert not find(app, "plus_gift-magnet").property("enabled")
    click(qtbot, app, "toConfirmButton")
    click(qtbot, app, "redeemButton")
    qtbot.waitUntil(lambda: model(app).step == "queued", timeout=15000)
    assert vouchers(live.data) == []
    click(qtbot, app, "finishButton")
    qtbot.waitUntil(lambda: current_screen(app) == "homeRedemption" and model(app).member == {})


def test_leaving_while_the_redemption_is_under_way(qtbot: Any, live: Live) -> None:
    app = redemption_kiosk(live)
    confirm_a_magnet(qtbot, app, live)
    live.proxy.inject(Fault.HOLD_RESPONSE, count=1)  # the answer does not come: a read timeout
    click(qtbot, app, "redeemButton")
    qtbot.waitUntil(lambda: model(app).busy)
    click(qtbot, app, "homeButton")
    qtbot.waitUntil(lambda: current_screen(app) == "homeRedemption")
    qtbot.waitUntil(lambda: not model(app).busy, timeout=20000)
    # Nothing of the volunteer comes back on screen; the confirmed voucher still prints, once.
    assert model(app).member == {} and model(app).step == "scan" and current_screen(app) == "homeRedemption"
    qtbot.waitUntil(lambda: len(vouchers(live.data)) == 1, timeout=15000)
    assert live.cloud.admin.points(ZHANG) == 1170 and len(cloud_redemptions(live, ZHANG)) == 1


def test_the_cart_stays_as_confirmed_while_its_redemption_is_under_way(qtbot: Any, live: Live) -> None:
    app = redemption_kiosk(live)
    confirm_a_magnet(qtbot, app, live)
    live.proxy.inject(Fault.HOLD_RESPONSE, count=1)  # the answer does not come: the step stays on its worker
    click(qtbot, app, "redeemButton")
    qtbot.waitUntil(lambda: model(app).busy)
    # Taps that raced the buttons' disabling: the flow belongs to the step running on the worker.
    model(app).setQty("gift-magnet", 3)
    model(app).go("gifts")
    assert model(app).cartCount == 1 and model(app).step == "confirm"
    qtbot.waitUntil(lambda: model(app).step == "voucher", timeout=20000)
    assert live.cloud.admin.points(ZHANG) == 1170 and model(app).voucher["printed"]


def test_scan_while_browsing_the_gifts_opens_the_summary(qtbot: Any, live: Live) -> None:
    app = redemption_kiosk(live)
    click(qtbot, app, "browseGiftsButton")
    click(qtbot, app, "giftCategory_ticket")
    qtbot.waitUntil(lambda: "塔尔寺门票" in texts_on_screen(app))
    assert visible_item(app, "addGift_gift-ticket-kumbum") is None  # nobody to add it for yet
    scan_member(qtbot, app, live)
    click(qtbot, app, "backButton")  # leaving the flow ends the session
    qtbot.waitUntil(lambda: current_screen(app) == "homeRedemption" and model(app).member == {})


def test_no_answer_past_the_deadline_waits_then_shows_the_voucher(qtbot: Any, live: Live) -> None:
    app = redemption_kiosk(live)
    assert app.services.sync is not None
    app.services.sync.redeem_deadline_s = 1.0
    confirm_a_magnet(qtbot, app, live)
    live.proxy.inject(Fault.DROP_RESPONSE)  # every answer lost until further notice
    click(qtbot, app, "redeemButton")
    qtbot.waitUntil(lambda: model(app).step == "pending", timeout=15000)
    assert "网络不稳定，正在确认兑换结果，请稍候。积分只会扣一次。" in texts_on_screen(app)
    assert vouchers(live.data) == []
    live.proxy.inject(Fault.NONE)
    qtbot.waitUntil(lambda: model(app).step == "voucher", timeout=30000)
    assert model(app).voucher["printed"] and len(vouchers(live.data)) == 1
    assert live.cloud.admin.points(ZHANG) == 1170 and len(cloud_redemptions(live, ZHANG)) == 1


def test_paper_out_shows_the_code_and_prints_when_the_volunteer_scans_again(qtbot: Any, live: Live) -> None:
    printer = FakeNetworkPrinter(FakePrinterEngine(FakeState(paper=PaperState.OUT)))
    try:
        app = redemption_kiosk(live, printer={"kind": "network", "host": printer.host, "port": printer.port})
        scan_member(qtbot, app, live)
        click(qtbot, app, "toGiftsButton")
        pick(qtbot, app, "souvenir", "gift-magnet")
        click(qtbot, app, "toCartButton")
        click(qtbot, app, "toConfirmButton")
        click(qtbot, app, "redeemButton")
        qtbot.waitUntil(lambda: model(app).step == "voucher", timeout=20000)
        voucher = model(app).voucher
        assert voucher["printProblem"] == "paper_out" and not voucher["printed"]
        assert voucher["pickupSpaced"] in texts_on_screen(app)
        assert ("打印机缺纸，兑换券没有打出来。请记下核销码，或用手机拍下二维码，凭它领取。"
                in texts_on_screen(app))
        assert printer.engine.jobs == 0 and live.cloud.admin.points(ZHANG) == 1170
        click(qtbot, app, "finishButton")
        qtbot.waitUntil(lambda: current_screen(app) == "homeRedemption")
        printer.engine.refill()
        scan_member(qtbot, app, live)
        assert "您之前兑换的 1 张兑换券已打印，请从出纸口取走。" in texts_on_screen(app)
        assert printer.engine.jobs == 1
        assert app.services.sync is not None and app.services.sync.unprinted_vouchers() == []
    finally:
        printer.close()
