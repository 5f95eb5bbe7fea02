"""The service and gift catalogue as QML sees it (the cloud's catalogue document, docs/api.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ui.qt import Property, QObject, QUrl, Signal, Slot

# Category emblem colours, cycled: distinct for neighbours, dark enough for white text.
TINTS = ("#B3261E", "#1E5A8C", "#2E7D32", "#8E24AA", "#C25E00", "#00796B", "#5D4037", "#3949AB")


class CatalogueModel(QObject):
    changed = Signal()

    def __init__(self, image_dir: Path | None = None) -> None:
        super().__init__()
        self._doc: dict[str, Any] = {}
        self._image_dir = image_dir

    def load(self, document: dict[str, Any] | None) -> None:
        self._doc = document or {}
        self.changed.emit()

    @property
    def document(self) -> dict[str, Any]:
        return self._doc

    @Property(list, notify=changed)
    def categories(self) -> list[dict[str, Any]]:
        return sorted(self._doc.get("categories", []), key=lambda c: c.get("sort", 0))

    @Property(list, notify=changed)
    def gifts(self) -> list[dict[str, Any]]:
        return list(self._doc.get("gifts", []))

    @Property(list, notify=changed)
    def addressBook(self) -> list[dict[str, Any]]:
        return list(self._doc.get("address_book", []))

    @Property(list, notify=changed)
    def orderTags(self) -> list[dict[str, Any]]:
        return list(self._doc.get("quick_tags", {}).get("order", []))

    @Property(list, notify=changed)
    def ratingTags(self) -> list[dict[str, Any]]:
        return list(self._doc.get("quick_tags", {}).get("rating", []))

    @Property(str, notify=changed)
    def phoneOrderUrl(self) -> str:
        return str(self._doc.get("station", {}).get("phone_order_url", ""))

    @Slot(str, result="QVariant")
    def category(self, category_id: str) -> dict[str, Any] | None:
        return next((c for c in self._doc.get("categories", []) if c.get("id") == category_id), None)

    @Slot(str, result="QVariantList")
    def services(self, category_id: str) -> list[dict[str, Any]]:
        return [s for s in self._doc.get("services", []) if s.get("category_id") == category_id]

    @Slot(str, result="QVariant")
    def service(self, service_id: str) -> dict[str, Any] | None:
        return next((s for s in self._doc.get("services", []) if s.get("id") == service_id), None)

    @Slot(int, result=str)
    def tint(self, index: int) -> str:
        return TINTS[index % len(TINTS)]

    @Slot(str, result=str)
    def imageUrl(self, name: str) -> str:
        if not name or self._image_dir is None:
            return ""
        path = self._image_dir / Path(name).name
        return QUrl.fromLocalFile(str(path)).toString() if path.is_file() else ""
