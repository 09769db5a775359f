"""The suffix -> loader table and the checks every file passes before its loader runs.

Order of the checks, cheapest first: type by suffix, size, emptiness, content by its
leading bytes (``content.check_content``), then the parse itself, by default in a child
process with a time and memory limit (``isolation``), then "is there any text".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.domain import LoadedDocument
from core.errors import IngestError
from ingest.loaders import (
    docx_loader,
    html_loader,
    markdown_loader,
    pdf_loader,
    structured_loader,
    text_loader,
)
from ingest.loaders.content import Expected, check_content
from ingest.loaders.isolation import POOL

if TYPE_CHECKING:
    from core.settings import Settings

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Input limits from settings; they protect the machine from hostile or huge files.

    ``parse_timeout_s`` > 0 parses in a child process that is killed after that many
    seconds; 0 parses in this process (no time or memory limit, for trusted input only).
    """

    max_bytes: int = 50 * MB
    max_pdf_pages: int = 3000
    max_unpacked_bytes: int = 200 * MB
    max_archive_entries: int = 2000
    max_compression_ratio: int = 200
    parse_timeout_s: float = 120.0
    parse_memory_mb: int = 2048

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            max_bytes=int(settings.max_file_mb * MB),
            max_pdf_pages=settings.max_pdf_pages,
            max_unpacked_bytes=int(settings.max_unpacked_mb * MB),
            max_archive_entries=settings.max_archive_entries,
            parse_timeout_s=settings.parse_timeout_s,
            parse_memory_mb=settings.parse_memory_mb,
        )


Loader = Callable[[Path, bytes, Limits], LoadedDocument]

LOADERS: dict[str, Loader] = {
    ".pdf": pdf_loader.load_pdf,
    ".docx": docx_loader.load_docx,
    ".md": markdown_loader.load_markdown,
    ".markdown": markdown_loader.load_markdown,
    ".html": html_loader.load_html,
    ".htm": html_loader.load_html,
    ".txt": text_loader.load_text,
    ".json": structured_loader.load_json,
    ".yaml": structured_loader.load_yaml,
    ".yml": structured_loader.load_yaml,
}


CONTENT: dict[str, Expected] = {
    ".pdf": "pdf",
    ".docx": "zip",
    ".html": "html",
    ".htm": "html",
    ".md": "text",
    ".markdown": "text",
    ".txt": "text",
    ".json": "text",
    ".yaml": "text",
    ".yml": "text",
}


def supported_suffixes() -> list[str]:
    return sorted(LOADERS)


def loader_for(path: Path) -> Loader:
    """The loader for the file's suffix; an unsupported type is an IngestError."""
    suffix = path.suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        supported = ", ".join(supported_suffixes())
        raise IngestError(
            path.name,
            f"Dateityp '{suffix or '(keiner)'}' wird nicht unterstützt (unterstützt: {supported}).",
            en=f"File type '{suffix or '(none)'}' is not supported (supported: {supported}).",
        )
    return loader


def load_file(path: Path, limits: Limits, data: bytes | None = None) -> LoadedDocument:
    """Read, check and parse one file; every failure is an IngestError naming the file."""
    name = path.name
    loader_for(path)
    if data is None:
        try:
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise too_large(name, size, limits)
            data = path.read_bytes()
        except OSError as exc:
            detail = exc.strerror or exc
            raise IngestError(
                name, f"Datei nicht lesbar: {detail}.", en=f"File not readable: {detail}."
            ) from exc
    if len(data) > limits.max_bytes:
        raise too_large(name, len(data), limits)
    if not data.strip():
        raise IngestError(name, "Die Datei ist leer.", en="The file is empty.")
    suffix = path.suffix.lower()
    check_content(name, suffix, CONTENT[suffix], data)
    if limits.parse_timeout_s > 0:
        doc = POOL.parse(name, data, limits)
    else:
        doc = parse_in_process(path, data, limits)
    if not any(s.text.strip() for s in doc.sections):
        raise IngestError(
            name,
            "Die Datei enthält keinen lesbaren Text.",
            en="The file contains no readable text.",
        )
    return doc


def parse_in_process(path: Path, data: bytes, limits: Limits) -> LoadedDocument:
    """Run the suffix's loader here (the parser child calls this for each file)."""
    return loader_for(path)(path, data, limits)


def too_large(name: str, size: int, limits: Limits) -> IngestError:
    """The error for a file of ``size`` bytes over the size limit."""
    mb, limit = f"{size / 1_048_576:.1f}", f"{limits.max_bytes / 1_048_576:.0f}"
    return IngestError(
        name,
        f"Datei zu gross ({mb} MB; Grenze {limit} MB, einstellbar mit LOTSE_MAX_FILE_MB).",
        en=f"File too large ({mb} MB; limit {limit} MB, adjustable with LOTSE_MAX_FILE_MB).",
    )
