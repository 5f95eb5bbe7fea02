"""A resident's order, clicked through the real QML against the real reference service on loopback,
with the image printer (or a fake ESC/POS printer on a loopback port that runs out of paper)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image
from PySide6.QtCore import QPointF

from drivers.printing.fake import FakeNetworkPrinter, FakePrinterEngine, FakeState
from kiosk.devices import PaperState
from tests.ui.conftest import (
    MOBILE,
    Live,
    click,
    current_screen,
    find,
    press_digits,
    texts_on_screen,
    visible_item,
)
from tests.ui.test_wedge import Keys
from ui.app import KioskApplication

PHONE = "13800005678"


def order_up_to_confirm(qtbot: Any, app: KioskApplication, *, for_other: bool = False) -> None:
    click(qtbot, app, "orderButton")
    click(qtbot, app, "category_elderly")
    click(qtbot, app, "service_svc-elderly-visit")
    click(qtbot, app, "bookButton")
    click(qtbot, app, "forOtherButton" if for_other else "forSelfButton")
    press_digits(qtbot, app, PHONE)
    click(qtbot, app, "nextButton")
    qtbot.waitUntil(lambda: app.ordering.step == "name")
    click(qtbot, app, "titleMs")
    click(qtbot, app, "nextButton")
    if for_other:
        click(qtbot, app, "relation_family")
        press_digits(qtbot, app, "13900001234")
        click(qtbot, app, "nextButton")
    qtbot.waitUntil(lambda: app.ordering.step == "address")
    click(qtbot, app, "building_0")
    click(qtbot, app, "unit_1")
    press_digits(qtbot, app, "301")
    click(qtbot, app, "nextButton")
    click(qtbot, app, "day_tomorrow")
    click(qtbot, app, "part_morning")
    click(qtbot, app, "nextButton")
    click(qtbot, app, "tag_mobility")
    click(qtbot, app, "nextButton")
    click(qtbot, app, "agreeButton")
    qtbot.waitUntil(lambda: app.ordering.step == "confirm")


def cloud_order(live: Live, client_code: str) -> dict[str, Any] | None:
    """The order as the cloud stored it, read from its database, with its rating if any."""
    from cloud.db import orders, ratings

    query = sa.select(orders, ratings.c.stars).outerjoin(ratings, ratings.c.order_id == orders.c.id)
    with live.cloud.engine.begin() as conn:
        row = conn.execute(query.where(orders.c.client_code == client_code)).first()
    return dict(row._mapping) if row else None


def receipt_qr(data: Path) -> str:
    pngs = sorted((data / "receipts").glob("*.png"))
    assert pngs, "no receipt was printed"
    return str(zxingcpp.read_barcodes(Image.open(pngs[-1]))[0].text)


def assert_no_phone_in_receipts_or_logs(app: KioskApplication, caplog: pytest.LogCaptureFixture) -> None:
    documents = [row["document"] for row in app.store.query("SELECT document FROM print_jobs")]
    assert documents and not [d for d in documents if MOBILE.search(d)]
    assert not [r.getMessage() for r in caplog.records if MOBILE.search(r.getMessage())]


def test_full_order_online(qtbot: Any, live: Live, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    app = live.make()
    order_up_to_confirm(qtbot, app)
    assert "138****5678" in texts_on_screen(app)
    click(qtbot, app, "submitButton")
    qtbot.waitUntil(lambda: app.ordering.step == "done", timeout=15000)

    order = cloud_order(live, app.ordering.result["client_code"])
    assert order is not None
    code = order["order_code"]
    qtbot.waitUntil(lambda: find(app, "orderCode").property("text") == code)
    assert not find(app, "pendingSync").isVisible()
    assert app.ordering.result["printed"]
    assert receipt_qr(live.data) == f"SKO1:{code}:5678"
    assert order["address"] == {"building": "1栋", "unit": "2单元", "room": "301", "text": ""}
    assert order["time_slot"] == {"day": "tomorrow", "part": "morning"}
    assert_no_phone_in_receipts_or_logs(app, caplog)
    assert app.services.sync is not None and app.services.sync.orders.untold() == []  # the resident has it

    click(qtbot, app, "receiptPreviewButton")  # the demo's image printer: the receipt on screen
    qtbot.waitUntil(lambda: find(app, "receiptPreview").isVisible())
    click(qtbot, app, "closePreviewButton")
    qtbot.waitUntil(lambda: not find(app, "receiptPreview").isVisible())
    click(qtbot, app, "finishButton")
    qtbot.waitUntil(lambda: current_screen(app) == "homeOrdering")
    assert app.ordering.draft["phone"] == ""


def test_order_offline_keeps_its_code_and_syncs_later(qtbot: Any, live: Live) -> None:
    app = live.make()
    order_up_to_confirm(qtbot, app, for_other=True)
    live.proxy.down()
    click(qtbot, app, "submitButton")
    qtbot.waitUntil(lambda: app.ordering.step == "done", timeout=20000)
    client_code = app.ordering.result["client_code"]
    assert find(app, "orderCode").property("text") == client_code
    assert find(app, "pendingSync").isVisible()
    assert receipt_qr(live.data) == f"SKO1:{client_code}:5678"
    assert cloud_order(live, client_code) is None

    live.proxy.up()
    assert app.services.sync is not None
    app.services.sync.sync_now()
    qtbot.waitUntil(lambda: cloud_order(live, client_code) is not None, timeout=20000)
    order = cloud_order(live, client_code)
    assert order is not None and order["beneficiary"]["relation"] == "family"
    assert order["contact"]["phone"] == PHONE


def test_printer_out_of_paper_shows_the_qr_instead(qtbot: Any, live: Live) -> None:
    printer = FakeNetworkPrinter(FakePrinterEngine(FakeState(paper=PaperState.OUT)))
    try:
        app = live.make(printer={"kind": "network", "host": printer.host, "port": printer.port})
        order_up_to_confirm(qtbot, app)
        qtbot.waitUntil(lambda: find(app, "printerWarning").isVisible())
        click(qtbot, app, "submitButton")
        qtbot.waitUntil(lambda: app.ordering.step == "done", timeout=20000)
        assert app.ordering.result["print_problem"] == "paper_out"
        assert "打印机缺纸，小票没有打出来。请用手机拍下这个二维码，凭它查询进度。" in texts_on_screen(app)
        assert find(app, "receiptQr").isVisible()
        assert app.shell.printerState == "paper_out"
        assert printer.engine.jobs == 0
        # The order itself is safe on the cloud.
        code = app.ordering.result["order_code"]
        assert code and any(o["order_code"] == code for o in live.cloud.admin.orders())
    finally:
        printer.close()


def test_every_category_of_the_district_fits_on_one_screen(qtbot: Any, live: Live) -> None:
    app = live.make()
    click(qtbot, app, "orderButton")
    qtbot.waitUntil(lambda: current_screen(app) == "categoriesScreen")
    grid = find(app, "categoryGrid")
    names = [f"category_{c['id']}" for c in app.catalogue.categories]
    assert len(names) == 12

    def all_shown_whole() -> bool:
        tiles = [visible_item(app, name) for name in names]
        return all(tile is not None and tile.mapToItem(grid, QPointF(0, tile.height())).y() <= grid.height()
                   for tile in tiles)

    qtbot.waitUntil(all_shown_whole)


def test_phone_number_is_checked_with_a_clear_message(qtbot: Any, live: Live) -> None:
    app = live.make()
    click(qtbot, app, "orderButton")
    click(qtbot, app, "category_repair")
    services = app.catalogue.services("repair")
    click(qtbot, app, f"service_{services[0]['id']}")
    click(qtbot, app, "bookButton")
    click(qtbot, app, "forSelfButton")
    press_digits(qtbot, app, "1380000")
    click(qtbot, app, "nextButton")
    qtbot.waitUntil(lambda: "手机号码应为1开头的11位数字，请检查" in texts_on_screen(app))
    assert app.ordering.step == "phone"
    click(qtbot, app, "backButton")
    qtbot.waitUntil(lambda: app.ordering.step == "for_whom")


def test_idle_timeout_in_the_middle_of_the_form_clears_it(qtbot: Any, live: Live) -> None:
    app = live.make()
    click(qtbot, app, "orderButton")
    click(qtbot, app, "category_elderly")
    click(qtbot, app, "service_svc-elderly-visit")
    click(qtbot, app, "bookButton")
    click(qtbot, app, "forSelfButton")
    press_digits(qtbot, app, PHONE)
    click(qtbot, app, "nextButton")
    qtbot.waitUntil(lambda: app.ordering.step == "name")
    app.idle.configure(timeout_s=1, warning_s=1)
    qtbot.waitUntil(lambda: current_screen(app) == "homeOrdering", timeout=5000)
    assert app.ordering.draft["phone"] == "" and app.ordering.entryDigits("phone") == ""
    app.idle.configure(timeout_s=90, warning_s=20)
    click(qtbot, app, "orderButton")
    click(qtbot, app, "category_elderly")
    click(qtbot, app, "service_svc-elderly-visit")
    click(qtbot, app, "bookButton")
    click(qtbot, app, "forSelfButton")
    qtbot.waitUntil(lambda: find(app, "phoneDisplay").property("digits") == "")


def test_follow_and_rate_a_completed_order_then_rating_again_is_refused(qtbot: Any, live: Live) -> None:
    app = live.make()
    click(qtbot, app, "trackButton")
    qtbot.waitUntil(lambda: app.scanner.claimedBy == "track")
    app.services.scanner.inject("SKO1:LP3X9D:1234")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: app.tracking.step == "status", timeout=10000)
    assert find(app, "stage_completed").property("font").bold()
    click(qtbot, app, "rateButton")
    click(qtbot, app, "star_4")
    click(qtbot, app, "rateTag_on_time")
    click(qtbot, app, "submitRatingButton")
    qtbot.waitUntil(lambda: app.tracking.step == "thanks", timeout=10000)

    def stars() -> int | None:
        order = cloud_order(live, "LP3X9D")
        return order["stars"] if order else None

    qtbot.waitUntil(lambda: stars() == 4, timeout=15000)
    click(qtbot, app, "doneButton")
    qtbot.waitUntil(lambda: current_screen(app) == "homeOrdering")

    click(qtbot, app, "trackButton")
    click(qtbot, app, "typeCodeButton")
    find(app, "codeField").setProperty("text", "LP3X9D")
    press_digits(qtbot, app, "1234")
    click(qtbot, app, "findButton")
    qtbot.waitUntil(lambda: app.tracking.step == "status", timeout=10000)
    qtbot.waitUntil(lambda: "您已评价：4 星" in texts_on_screen(app))
    assert not find(app, "rateButton").isVisible()


def test_a_wrong_last4_finds_nothing(qtbot: Any, live: Live) -> None:
    app = live.make()
    click(qtbot, app, "trackButton")
    app.services.scanner.inject("SKO1:LP3X9D:0000")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "没有找到这个预约，请核对预约号和手机后4位" in texts_on_screen(app), timeout=10000)
    assert app.tracking.step == "entry"


def test_a_usb_keyboard_scanner_finds_the_order_and_types_nothing(qtbot: Any, live: Live) -> None:
    app = live.make(scanner={"kind": "keyboard", "keyboard_suffix": "\r"})
    click(qtbot, app, "trackButton")
    click(qtbot, app, "typeCodeButton")
    click(qtbot, app, "codeField")  # even with a text field focused, a scan is a scan
    field = find(app, "codeField")
    Keys(app.window).type("SKO1:LP3X9D:1234\r", every_ms=4)  # a scanner types fast
    assert field.property("text") == ""  # the lookup runs off the GUI thread: the field is still here
    qtbot.waitUntil(lambda: app.tracking.step == "status", timeout=10000)
    assert app.tracking.order["code"].startswith("XN")
