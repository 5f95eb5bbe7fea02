"""The application object: builds the store, the view models and the QML engine, and wires them.

Services are passed in here and handed to view models; nothing in the UI reaches for a global.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shiboken6

from kiosk import __version__
from kiosk.config import LoadedConfig
from kiosk.fonts import FontMissing, find_cjk_font
from kiosk.store import Store
from ui.bridge import GuiBridge
from ui.catalogue import CatalogueModel
from ui.i18n import Translator, compile_translations
from ui.navigation import Navigator
from ui.qrimage import QrImageProvider
from ui.qt import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QObject,
    QQmlApplicationEngine,
    QQuickWindow,
    Qt,
    QUrl,
)
from ui.session import IdleMonitor, ResidentSession, ShellModel

log = logging.getLogger(__name__)

MAIN_QML = Path(__file__).resolve().parent / "qml" / "Main.qml"


def load_cjk_font(app: QGuiApplication) -> str | None:
    """Make a CJK font the application default so no screen shows boxes; return its family."""
    try:
        path = find_cjk_font()
    except FontMissing as exc:
        log.error("%s", exc)
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.error("font %s could not be loaded", path)
        return None
    app.setFont(QFont(families[0]))
    return str(families[0])


@dataclass
class KioskOptions:
    """How this process shows the kiosk (run: fullscreen kiosk; demo: a window)."""

    fullscreen: bool = False
    window_size: tuple[int, int] | None = None
    catalogue: dict[str, Any] | None = None
    image_dir: Path | None = None
    extra_context: dict[str, QObject] = field(default_factory=dict)


class KioskApplication:
    def __init__(self, app: QGuiApplication, loaded: LoadedConfig, store: Store,
                 options: KioskOptions | None = None) -> None:
        options = options or KioskOptions()
        self.app = app
        self.config = loaded.config
        self.store = store
        self.font_family = load_cjk_font(app)
        compile_translations()

        self.bridge = GuiBridge()
        self.session = ResidentSession()
        self.translator = Translator(app)
        self.shell = ShellModel(self.config, self.session, __version__, self._set_language)
        self.translator.set_language(self.config.ui.language)
        self.idle = IdleMonitor(self.config.ui.idle_timeout_s, self.config.ui.idle_warning_s)
        app.installEventFilter(self.idle)
        self.nav = Navigator()
        self.catalogue = CatalogueModel(options.image_dir)
        self.catalogue.load(options.catalogue)

        self.engine = QQmlApplicationEngine()
        self.engine.addImageProvider("qr", QrImageProvider())
        context = self.engine.rootContext()
        for name, obj in {
            "shell": self.shell,
            "idle": self.idle,
            "nav": self.nav,
            "catalogue": self.catalogue,
            **options.extra_context,
        }.items():
            context.setContextProperty(name, obj)
        self.engine.load(QUrl.fromLocalFile(str(MAIN_QML)))
        roots = self.engine.rootObjects()
        if not roots:
            raise RuntimeError(f"{MAIN_QML} failed to load (see the QML errors above)")
        window = roots[0]
        assert isinstance(window, QQuickWindow)
        self.window = window
        if options.window_size:
            self.window.resize(*options.window_size)
        if options.fullscreen:
            self.window.showFullScreen()
            app.setOverrideCursor(Qt.CursorShape.BlankCursor)

    def _set_language(self, language: str) -> None:
        self.translator.set_language(language)
        self.engine.retranslate()

    def shutdown(self) -> None:
        """Tear down the QML before the view models it binds to, so no binding sees them vanish."""
        self.app.removeEventFilter(self.idle)
        self.window.close()
        shiboken6.delete(self.engine)
        self.translator.remove()
