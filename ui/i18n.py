"""Translations: Chinese is the source language of every ``qsTr``; English lives in
``ui/i18n/station_kiosk_en.ts``. The ``.qm`` is compiled from the ``.ts`` at set-up and again whenever
it is missing or older than its source, so a stale translation never ships.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import PySide6

from ui.qt import QCoreApplication, QTranslator

I18N_DIR = Path(__file__).resolve().parent / "i18n"
QML_DIR = Path(__file__).resolve().parent / "qml"
LANGUAGES = ("en",)  # zh_CN is the source text


def _tool(name: str) -> str:
    bundled = Path(PySide6.__file__).parent / name
    if bundled.exists():
        return str(bundled)
    return str(Path(sys.executable).parent / f"pyside6-{name}")


def ts_path(language: str) -> Path:
    return I18N_DIR / f"station_kiosk_{language}.ts"


def qm_path(language: str) -> Path:
    return I18N_DIR / f"station_kiosk_{language}.qm"


def compile_translations(force: bool = False) -> list[Path]:
    """Run lrelease for every language whose .qm is missing or stale; return what was built."""
    built = []
    for language in LANGUAGES:
        ts, qm = ts_path(language), qm_path(language)
        if force or not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            subprocess.run([_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
            built.append(qm)
    return built


def update_sources() -> None:
    """Collect every qsTr from the QML into the .ts files (developers run this after editing QML)."""
    sources = sorted(str(p) for p in QML_DIR.rglob("*.qml"))
    sources += sorted(str(p) for p in QML_DIR.parent.glob("*.py"))  # QCoreApplication.translate calls
    for language in LANGUAGES:
        subprocess.run(
            [_tool("lupdate"), "-silent", "-locations", "none", "-source-language", "zh_CN",
             "-target-language", language, *sources, "-ts", str(ts_path(language))],
            check=True,
        )


class Translator:
    """Installs the translator for the chosen language on the running application."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._current: QTranslator | None = None

    def remove(self) -> None:
        if self._current is not None:
            self._app.removeTranslator(self._current)
            self._current = None

    def set_language(self, language: str) -> None:
        self.remove()
        if language in LANGUAGES:
            translator = QTranslator(self._app)
            if not translator.load(str(qm_path(language))):
                raise FileNotFoundError(f"translation {qm_path(language)} missing: run `make setup`")
            self._app.installTranslator(translator)
            self._current = translator


if __name__ == "__main__":
    if sys.argv[1:] == ["update"]:
        update_sources()
    compile_translations(force=True)
