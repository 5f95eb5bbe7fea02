"""The receipts the kiosk prints for residents: the order receipt (and, with the redemption flow,
the voucher). Words come in from the caller already translated, so the resident's language is used
and the core stays free of Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.receipt import Receipt, Size, code_block, local_time


def order_qr(code: str, phone_last4: str) -> str:
    """What the receipt's QR says (docs/api.md): enough to look the order up, nothing personal."""
    return f"SKO1:{code}:{phone_last4}"


@dataclass(frozen=True)
class OrderReceiptWords:
    title: str = "志愿服务预约单"
    code: str = "预约号"
    pending: str = "待同步：联网后自动上传，预约号不变"
    service: str = "服务"
    provider: str = "服务方"
    slot: str = "预约时间"
    contact: str = "联系电话"
    beneficiary: str = "被服务人"
    address: str = "服务地址"
    created: str = "下单时间"
    scan: str = "扫码查询进度、评价服务"
    hotline: str = "服务站电话"
    thanks: str = "感谢您的信任，志愿者会尽快联系您。"


@dataclass(frozen=True)
class OrderReceiptFacts:
    station: str
    hotline: str
    code: str
    synced: bool
    service: str
    provider: str
    slot: str
    contact_masked: str
    beneficiary_masked: str
    address: str
    created_at: float
    qr: str


def order_receipt(facts: OrderReceiptFacts, words: OrderReceiptWords) -> Receipt:
    receipt = Receipt().title(facts.station).text(words.title, size=Size.DOUBLE_HEIGHT, bold=True)
    receipt.separator()
    receipt.add(*code_block(words.code, facts.code))
    if not facts.synced:
        receipt.text(words.pending, bold=True)
    receipt.separator()
    receipt.row(words.service, facts.service, bold=True)
    if facts.provider:
        receipt.row(words.provider, facts.provider)
    receipt.row(words.slot, facts.slot)
    receipt.row(words.contact, facts.contact_masked)
    if facts.beneficiary_masked:
        receipt.row(words.beneficiary, facts.beneficiary_masked)
    if facts.address:
        receipt.row(words.address, facts.address)
    receipt.row(words.created, local_time(facts.created_at))
    receipt.separator()
    receipt.qr(facts.qr, caption=words.scan)
    receipt.row(words.hotline, facts.hotline)
    receipt.footer(words.thanks)
    return receipt.feed(2).cut()
