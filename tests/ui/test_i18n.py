"""Translations: every qsTr string is in the English .ts, translated, and the .qm is fresh."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ui import i18n


def messages(ts: Path) -> dict[str, ET.Element]:
    return {m.findtext("source") or "": m for m in ET.parse(ts).getroot().iter("message")}


def test_english_is_complete_and_matches_the_qml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    committed = i18n.ts_path("en")
    # Re-extract from the QML into a copy: any string added to a screen but not to the .ts shows up.
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    shutil.copy(committed, tmp_path / committed.name)
    i18n.update_sources()
    fresh = messages(tmp_path / committed.name)
    current = {src for src, m in fresh.items() if m.find("translation").get("type") != "vanished"}  # type: ignore[union-attr]
    assert current == set(messages(committed)), "run `make i18n` and translate the new strings"
    untranslated = [src for src, m in fresh.items()
                    if src in current and (m.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
                                           or not (m.findtext("translation") or "").strip())]
    assert untranslated == []


def test_placeholders_survive_translation() -> None:
    for source, message in messages(i18n.ts_path("en")).items():
        translation = message.findtext("translation") or ""
        for n in range(1, 10):
            assert (f"%{n}" in source) == (f"%{n}" in translation), source


def test_compiled_translation_is_rebuilt_when_stale() -> None:
    qm = i18n.qm_path("en")
    i18n.compile_translations()
    ts_mtime = i18n.ts_path("en").stat().st_mtime
    os.utime(qm, (ts_mtime - 10, ts_mtime - 10))
    assert i18n.compile_translations() == [qm]
    assert qm.stat().st_mtime >= ts_mtime
