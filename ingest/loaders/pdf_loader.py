"""PDF via pypdf: one section per page (physical 1-based page numbers), cleaned.

Running headers/footers are removed, ligatures unfolded, line-end hyphenation joined,
tables read as rows of cells (``pdf_tables``; PDFs of up to ``TABLE_PAGES`` pages).
Section labels come from the PDF outline (bookmarks) where present, else from
heading-like lines found on the page. Instructions hidden in the document information
(/Subject, /Keywords, ...) are flagged, never indexed. Runs in the parser child process
(see ``isolation``): the page limit stops long files early, the child's timeout the rest.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path
from typing import Any

from core.domain import LoadedDocument, Section
from core.errors import IngestError
from ingest.cleaning import (
    clean_text,
    drop_contents_entries,
    join_wrapped_lines,
    remove_running_lines,
)
from ingest.flags import PDF_METADATA
from ingest.injection import looks_like_instruction
from ingest.loaders.pdf_tables import with_tables

log = logging.getLogger(__name__)

_NUMBERED_HEADING = re.compile(
    r"^(\d+(\.\d+)*\.?|[A-Z]{2,5}\d{2}(:\d{4})?|Art\.\s*\d+\w?)\s+\S.{2,90}$"
)


def _outline_titles(reader: Any) -> dict[int, str]:
    """Map 0-based page index -> first outline title starting on that page."""
    titles: dict[int, str] = {}

    def walk(items: Any) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            try:
                page = reader.get_destination_page_number(item)
            except Exception:  # broken outline entries are common; skip them
                continue
            title = str(getattr(item, "title", "") or "").strip()
            if title and page is not None and page >= 0:
                titles.setdefault(page, title)

    try:
        walk(reader.outline)
    except Exception:
        log.debug("PDF outline not readable", exc_info=True)
    return titles


def _heading_on_page(text: str) -> str:
    for line in text.split("\n")[:12]:
        line = line.strip()
        if _NUMBERED_HEADING.match(line) and not line.endswith((".", ",", ";")):
            return line[:100]
    return ""


# pypdf's layout mode (for tables) reads a page in about 1.5x the time of plain mode
# (OWASP AI Exchange: 49 vs 30 ms a page); beyond this many pages a PDF is read in plain
# mode only, so a long manual stays well inside the parse time limit (120 s by default)
TABLE_PAGES = 500


def _page_text(page: Any, tables: bool) -> str:
    """The page's text, its tables as Markdown tables (``pdf_tables``) if ``tables``."""
    plain = page.extract_text() or ""
    if not tables:
        return plain
    try:
        layout = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # layout mode fails on some pages plain mode reads; keep plain
        log.debug("PDF layout text not readable", exc_info=True)
        return plain
    return with_tables(plain, layout)


def load_pdf(path: Path, data: bytes, limits: Any) -> LoadedDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    name = path.name
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:
                opened = False
            if not opened:
                raise IngestError(
                    name,
                    "PDF ist verschlüsselt (Passwort nötig); bitte entschlüsselt hochladen.",
                    en="PDF is encrypted (password required); please upload it decrypted.",
                )
        n_pages = len(reader.pages)
        if n_pages > limits.max_pdf_pages:
            raise IngestError(
                name,
                f"PDF hat {n_pages} Seiten; Grenze {limits.max_pdf_pages} (LOTSE_MAX_PDF_PAGES).",
                en=f"PDF has {n_pages} pages; limit {limits.max_pdf_pages} (LOTSE_MAX_PDF_PAGES).",
            )
        raw_pages = [_page_text(page, n_pages <= TABLE_PAGES) for page in reader.pages]
        outline = _outline_titles(reader)
        meta: dict[str, Any] = dict(reader.metadata or {})
    except IngestError:
        raise
    except RecursionError as exc:
        raise IngestError(
            name,
            "PDF zu tief verschachtelt (mögliche Angriffsdatei).",
            en="PDF nested too deeply (possible attack file).",
        ) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        kind = type(exc).__name__
        reason = f"PDF beschädigt oder nicht lesbar ({kind})."
        raise IngestError(name, reason, en=f"PDF damaged or not readable ({kind}).") from exc
    except Exception as exc:  # pypdf raises many internal types on hostile files
        detail = f"{type(exc).__name__}: {exc}"
        raise IngestError(
            name, f"PDF nicht lesbar ({detail}).", en=f"PDF not readable ({detail})."
        ) from exc

    if not any(p.strip() for p in raw_pages):
        raise IngestError(
            name,
            "PDF enthält keine Textebene (nur Bilder/Scan?); bitte OCR anwenden.",
            en="PDF has no text layer (only images/scan?); please apply OCR.",
        )
    pages = remove_running_lines([drop_contents_entries(clean_text(p)) for p in raw_pages])
    sections: list[Section] = []
    current = ""
    for index, text in enumerate(pages):
        current = outline.get(index) or _heading_on_page(text) or current
        text = join_wrapped_lines(text, headings=(current, _heading_on_page(text)))
        if text.strip():
            sections.append(Section(text=text, section=current, page=index + 1))
    title = str(meta.get("/Title") or "").strip() or _first_line(pages) or path.stem
    flags = []
    if looks_like_instruction("\n".join(str(v) for v in meta.values())):
        flags.append(PDF_METADATA)
    return LoadedDocument(
        source=name,
        title=title[:160],
        sections=tuple(sections),
        pages=n_pages,
        suspicious=tuple(flags),
    )


def _first_line(pages: list[str]) -> str:
    for page in pages:
        for line in page.split("\n"):
            if len(line.strip()) > 3:
                return line.strip()
    return ""
