"""Receipt wording in the resident's language, through Qt's translation like every other string.

Each call is spelled out with literal text so ``lupdate`` can collect it.
"""

from __future__ import annotations

from kiosk.tickets import OrderReceiptWords, VoucherWords
from ui.qt import QCoreApplication


def order_receipt_words() -> OrderReceiptWords:
    return OrderReceiptWords(
        title=QCoreApplication.translate("Receipt", "志愿服务预约单"),
        code=QCoreApplication.translate("Receipt", "预约号"),
        pending=QCoreApplication.translate("Receipt", "待同步：联网后自动上传，预约号不变"),
        service=QCoreApplication.translate("Receipt", "服务"),
        provider=QCoreApplication.translate("Receipt", "服务方"),
        slot=QCoreApplication.translate("Receipt", "预约时间"),
        contact=QCoreApplication.translate("Receipt", "联系电话"),
        beneficiary=QCoreApplication.translate("Receipt", "被服务人"),
        address=QCoreApplication.translate("Receipt", "服务地址"),
        created=QCoreApplication.translate("Receipt", "下单时间"),
        scan=QCoreApplication.translate("Receipt", "扫码查询进度、评价服务"),
        hotline=QCoreApplication.translate("Receipt", "服务站电话"),
        thanks=QCoreApplication.translate("Receipt", "感谢您的信任，志愿者会尽快联系您。"),
    )


def slot_text(day: str, part: str) -> str:
    days = {
        "today": QCoreApplication.translate("Receipt", "今天"),
        "tomorrow": QCoreApplication.translate("Receipt", "明天"),
        "any": QCoreApplication.translate("Receipt", "哪天都可以"),
    }
    parts = {
        "morning": QCoreApplication.translate("Receipt", "上午"),
        "afternoon": QCoreApplication.translate("Receipt", "下午"),
        "any": QCoreApplication.translate("Receipt", "时间都可以"),
    }
    return f"{days.get(day, day)} {parts.get(part, part)}"


def voucher_words() -> VoucherWords:
    return VoucherWords(
        title=QCoreApplication.translate("Receipt", "礼品兑换券"),
        pickup_code=QCoreApplication.translate("Receipt", "核销码"),
        number=QCoreApplication.translate("Receipt", "兑换单号"),
        items=QCoreApplication.translate("Receipt", "兑换礼品"),
        points=QCoreApplication.translate("Receipt", "{points} 积分"),
        total=QCoreApplication.translate("Receipt", "合计"),
        balance_before=QCoreApplication.translate("Receipt", "兑换前积分"),
        balance_after=QCoreApplication.translate("Receipt", "兑换后积分"),
        valid_until=QCoreApplication.translate("Receipt", "有效期至"),
        location=QCoreApplication.translate("Receipt", "领取地点"),
        redeemed=QCoreApplication.translate("Receipt", "兑换时间"),
        scan=QCoreApplication.translate("Receipt", "领取时请出示本券，工作人员扫码核销"),
        thanks=QCoreApplication.translate("Receipt", "感谢您的志愿服务！"),
    )
