"""The receipts the kiosk prints for residents: the order receipt and the gift voucher. Words come in
from the caller already translated, so the resident's language is used and the core stays free of Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.receipt import Align, Receipt, Size, code_block, local_time

VOUCHER_PREFIX = "SKV1:"


def _heading(station: str, title: str) -> Receipt:
    """Every resident's receipt starts the same way: the station, then what this paper is."""
    return Receipt().title(station).text(title, size=Size.DOUBLE_HEIGHT, bold=True, align=Align.CENTER)


def order_qr(code: str, phone_last4: str) -> str:
    """What the receipt's QR says (docs/api.md): enough to look the order up, nothing personal."""
    return f"SKO1:{code}:{phone_last4}"


def voucher_qr(redemption_no: str, pickup_code: str) -> str:
    """What the voucher's QR says: the redemption and its 核销码, scanned by staff at the pickup desk."""
    return f"{VOUCHER_PREFIX}{redemption_no}:{pickup_code}"


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
    receipt = _heading(facts.station, words.title)
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
        receipt.row(words.address, facts.address, private=True)
    receipt.row(words.created, local_time(facts.created_at))
    receipt.separator()
    receipt.qr(facts.qr, caption=words.scan)
    receipt.row(words.hotline, facts.hotline)
    receipt.footer(words.thanks)
    return receipt.feed(2).cut()


@dataclass(frozen=True)
class VoucherWords:
    title: str = "礼品兑换券"
    pickup_code: str = "核销码"
    number: str = "兑换单号"
    items: str = "兑换礼品"
    points: str = "{points} 积分"
    total: str = "合计"
    balance_before: str = "兑换前积分"
    balance_after: str = "兑换后积分"
    valid_until: str = "有效期至"
    location: str = "领取地点"
    redeemed: str = "兑换时间"
    scan: str = "领取时请出示本券，工作人员扫码核销"
    thanks: str = "感谢您的志愿服务！"


@dataclass(frozen=True)
class VoucherLine:
    name: str
    qty: int
    points: int  # for the line (gift points × qty)


@dataclass(frozen=True)
class VoucherFacts:
    station: str
    redemption_no: str
    pickup_code: str
    lines: tuple[VoucherLine, ...]
    points_total: int
    balance_before: int
    balance_after: int
    valid_until: str
    location: str
    redeemed_at: float


def spaced_code(code: str) -> str:
    """1234 5678: an eight-digit code read out in two halves."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def voucher_receipt(facts: VoucherFacts, words: VoucherWords) -> Receipt:
    receipt = _heading(facts.station, words.title)
    receipt.separator()
    receipt.add(*code_block(words.pickup_code, spaced_code(facts.pickup_code)))
    receipt.row(words.number, facts.redemption_no)
    receipt.separator()
    receipt.text(words.items, bold=True)
    for line in facts.lines:
        receipt.row(f"{line.name} ×{line.qty}", words.points.format(points=line.points))
    receipt.row(words.total, words.points.format(points=facts.points_total), bold=True)
    receipt.separator()
    receipt.row(words.balance_before, str(facts.balance_before))
    receipt.row(words.balance_after, str(facts.balance_after), bold=True)
    receipt.row(words.valid_until, facts.valid_until, bold=True)
    if facts.location:
        receipt.row(words.location, facts.location)
    receipt.row(words.redeemed, local_time(facts.redeemed_at))
    receipt.separator()
    receipt.qr(voucher_qr(facts.redemption_no, facts.pickup_code), caption=words.scan)
    receipt.footer(words.thanks)
    return receipt.feed(2).cut()
