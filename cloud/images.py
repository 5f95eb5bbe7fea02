"""Gift pictures for the catalogue: a coloured tile with the gift's emblem character, drawn at seed
time so the repository carries no binary assets and every gift is recognisable on the kiosk."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = 240
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


def _cjk_font(size: int) -> ImageFont.FreeTypeFont | None:
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    return None


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def gift_tile(emblem: str, caption_zh: str, caption_en: str, colour: str) -> bytes:
    """PNG bytes: a rounded tile in ``colour``, a white disc with ``emblem`` (one Chinese character)
    and a caption; in English with a Latin initial where no CJK font is installed."""
    image = Image.new("RGB", (SIZE, SIZE), "white")
    draw = ImageDraw.Draw(image)
    rgb = _hex(colour)
    draw.rounded_rectangle((4, 4, SIZE - 5, SIZE - 5), radius=28, fill=rgb)
    draw.ellipse((50, 28, SIZE - 50, SIZE - 72), fill="white")
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont | None = _cjk_font(84)
    small: ImageFont.FreeTypeFont | ImageFont.ImageFont | None = _cjk_font(30)
    caption = caption_zh
    if font is None or small is None:
        # Pillow's bundled font has no Chinese glyphs.
        emblem, caption = caption_en[:1].upper(), caption_en
        font = ImageFont.load_default(84)
        small = ImageFont.load_default(26)
    centre_y = (28 + SIZE - 72) / 2
    draw.text((SIZE / 2, centre_y), emblem, font=font, fill=rgb, anchor="mm")
    draw.text((SIZE / 2, SIZE - 38), caption, font=small, fill="white", anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def etag(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]
