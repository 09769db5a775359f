"""The suffix -> loader table and the checks every file passes before its loader runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class Limits:
    """Input limits from settings; they protect the machine from hostile or huge files."""

    max_bytes: int = 50 * 1024 * 1024
    max_pdf_pages: int = 3000


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


def supported_suffixes() -> list[str]:
    return sorted(LOADERS)


def loader_for(path: Path) -> Loader:
    """The loader for the file's suffix; an unsupported type is an IngestError."""
    suffix = path.suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        raise IngestError(
            path.name,
            f"Dateityp '{suffix or '(keiner)'}' wird nicht unterstützt "
            f"(unterstützt: {', '.join(supported_suffixes())}).",
        )
    return loader


def load_file(path: Path, limits: Limits, data: bytes | None = None) -> LoadedDocument:
    """Read, check and parse one file; every failure is an IngestError naming the file."""
    name = path.name
    loader = loader_for(path)
    if data is None:
        try:
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise IngestError(name, too_large_message(size, limits))
            data = path.read_bytes()
        except OSError as exc:
            raise IngestError(name, f"Datei nicht lesbar: {exc.strerror or exc}.") from exc
    if len(data) > limits.max_bytes:
        raise IngestError(name, too_large_message(len(data), limits))
    if not data.strip():
        raise IngestError(name, "Die Datei ist leer.")
    doc = loader(path, data, limits)
    if not any(s.text.strip() for s in doc.sections):
        raise IngestError(name, "Die Datei enthält keinen lesbaren Text.")
    return doc


def too_large_message(size: int, limits: Limits) -> str:
    return (
        f"Datei zu gross ({size / 1_048_576:.1f} MB; Grenze "
        f"{limits.max_bytes / 1_048_576:.0f} MB, einstellbar mit LOTSE_MAX_FILE_MB)."
    )
