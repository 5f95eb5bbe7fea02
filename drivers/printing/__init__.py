"""Receipt printers: ESC/POS (USB, serial, network, device file), the PNG image printer, and Null.

``make_printer(cfg, data_dir)`` builds the configured one; switching between a real printer and the
image printer is a config change. A printer library or device that is absent raises
:class:`kiosk.devices.DeviceMissing` from the factory; the kiosk then runs with :class:`NullPrinter`
and says what is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from drivers.printing.image_printer import ImagePrinter
from drivers.printing.raster import Painter
from kiosk.config import PrinterConfig
from kiosk.devices import DeviceMissing, PaperState, Printer, PrinterError, PrinterErrorKind, PrinterStatus
from kiosk.fonts import FontMissing, find_cjk_font
from kiosk.receipt import Receipt

if TYPE_CHECKING:
    from drivers.printing.connections import Transport

DOTS = {58: 384, 80: 576}

# The ESC/POS printer (drivers.printing.escpos_printer) and its transports are imported by make_printer
# only when one is configured: they pull in pyserial and python-escpos.
__all__ = ["ImagePrinter", "NullPrinter", "make_painter", "make_printer"]


class NullPrinter:
    """No printer configured: status says so, printing raises ``NOT_CONFIGURED``."""

    def __init__(self, dots: int = 576, detail: str = "no printer configured") -> None:
        self.name = "none"
        self.dots_per_line = dots
        self.detail = detail

    def status(self) -> PrinterStatus:
        return PrinterStatus(online=False, paper=PaperState.UNKNOWN, configured=False, detail=self.detail)

    def print_receipt(self, receipt: Receipt) -> None:
        raise PrinterError(PrinterErrorKind.NOT_CONFIGURED, self.detail)

    def close(self) -> None:
        pass


def make_painter(cfg: PrinterConfig) -> Painter:
    try:
        font = find_cjk_font()
    except FontMissing as exc:
        raise DeviceMissing("printer", "no CJK font for receipts", str(exc)) from exc
    return Painter(DOTS[cfg.paper_mm], font)


def escpos_cache_dir(data_dir: Path) -> Path:
    """Where python-escpos keeps its parsed printer capabilities: with the kiosk's data, across starts."""
    return data_dir / "cache" / "escpos"


def _transport(cfg: PrinterConfig, data_dir: Path) -> Transport:
    from drivers.printing.connections import DeviceFileTransport, NetworkTransport, SerialTransport, UsbTransport

    cache = escpos_cache_dir(data_dir)
    if cfg.kind == "serial":
        return SerialTransport(cfg.serial_port, cfg.baudrate, cache_dir=cache)
    if cfg.kind == "network":
        return NetworkTransport(cfg.host, cfg.port, cache_dir=cache)
    if cfg.kind == "usb":
        return UsbTransport(cfg.usb_vendor_id, cfg.usb_product_id, cfg.usb_in_ep, cfg.usb_out_ep, cache_dir=cache)
    return DeviceFileTransport(cfg.device_path)


def make_printer(cfg: PrinterConfig, data_dir: Path) -> Printer:
    """The printer ``cfg`` describes. Opens nothing: the first status query or job connects."""
    if cfg.kind == "none":
        return NullPrinter(DOTS[cfg.paper_mm])
    painter = make_painter(cfg)
    if cfg.kind == "image":
        return ImagePrinter(painter, Path(cfg.image_dir) if cfg.image_dir else data_dir / "receipts")
    from drivers.printing.commands import Encoder
    from drivers.printing.escpos_printer import EscposPrinter

    encoder = Encoder(painter, cfg.text_mode, cfg.qr_mode)
    return EscposPrinter(_transport(cfg, data_dir), encoder, status_timeout_s=cfg.status_timeout_s)
