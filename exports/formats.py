"""One generic suffix -> writer registry, shared by every export family.

Each family (requirements, schedule, vendor comparison) lists its formats once; lookup by
suffix, bare name or file name, bytes for download buttons, and writing a file with a
clear error all live here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from core.errors import ExportError

T = TypeVar("T")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Format(Generic[T]):
    suffix: str
    media_type: str
    write: Callable[[T], bytes]


class FormatRegistry(Generic[T]):
    """The formats of one artefact kind; ``what`` and ``what_en`` name it in messages
    ("den Zeitplan", "the schedule")."""

    def __init__(self, what: str, formats: Iterable[Format[T]], *, what_en: str) -> None:
        self.what = what
        self.what_en = what_en
        self.formats: dict[str, Format[T]] = {f.suffix: f for f in formats}

    def lookup(self, name: str) -> Format[T]:
        """By suffix (``.ics``), bare format (``ics``) or file name (``plan.ics``)."""
        key = name.strip().lower()
        if not key.startswith("."):
            key = Path(key).suffix.lower() or f".{key}"
        try:
            return self.formats[key]
        except KeyError:
            supported = ", ".join(self.formats)
            raise ExportError(
                f"Unbekanntes Exportformat '{name}' für {self.what}. Unterstützt: {supported}.",
                en=f"Unknown export format '{name}' for {self.what_en}. Supported: {supported}.",
            ) from None

    def to_bytes(self, item: T, fmt: str) -> bytes:
        """The file content for a format, e.g. for a download button."""
        return self.lookup(fmt).write(item)

    def write(self, item: T, path: Path) -> Path:
        """Write ``item`` in the format its suffix names; creates missing parent folders."""
        content = self.to_bytes(item, path.name)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        except OSError as exc:
            raise ExportError(
                f"{path}: {self.what} konnte nicht geschrieben werden: {exc}"
            ) from exc
        return path
