"""``image://qr/<text>``: QR codes generated for the screen (phone ordering, receipt fallback)."""

from __future__ import annotations

import io
from urllib.parse import unquote

import qrcode
import qrcode.constants

from ui.qt import QImage, QQuickImageProvider, QSize


def qr_png(text: str, box_size: int) -> bytes:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=box_size)
    qr.add_data(text.encode("utf-8"))
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


class QrImageProvider(QQuickImageProvider):
    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)

    def requestImage(self, id: str, size: QSize, requested: QSize) -> QImage:
        target = max(requested.width(), requested.height(), 256)
        # ~45 modules with the quiet zone for typical payloads; scale up in whole pixels only.
        image = QImage.fromData(qr_png(unquote(id), box_size=max(4, target // 45)))
        if size is not None:
            size.setWidth(image.width())
            size.setHeight(image.height())
        return image
