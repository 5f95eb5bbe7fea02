"""Finding a CJK font file, for the screens (Qt loads it as an application font) and for raster
receipts (Pillow needs a file). Order: ``$KIOSK_CJK_FONT``, then the Debian font packages the README's
set-up installs, then fontconfig.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

KNOWN_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


class FontMissing(Exception):
    """No font with Chinese glyphs on this machine."""


def find_cjk_font() -> Path:
    env = os.environ.get("KIOSK_CJK_FONT")
    if env and Path(env).is_file():
        return Path(env)
    for candidate in KNOWN_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(
                ["fc-match", "-f", "%{file}", ":lang=zh-cn"], capture_output=True, text=True, timeout=5
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out and Path(out).is_file() and Path(out).suffix.lower() in (".ttf", ".ttc", ".otf"):
            return Path(out)
    raise FontMissing(
        "no CJK font found: install fonts-wqy-microhei (apt-get install fonts-wqy-microhei) "
        "or set KIOSK_CJK_FONT to a .ttf/.ttc/.otf file with Chinese glyphs"
    )
