"""DOCX via python-docx: paragraphs in body order, headings build the section path,
tables become pipe-separated rows. ZIP bombs are refused before parsing."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from core.domain import LoadedDocument, Section
from core.errors import IngestError
from ingest.cleaning import clean_text

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ENTRIES = 2000
_HEADING_STYLE = re.compile(r"^(Heading|Überschrift|Titre|Title)\s*(\d*)", re.I)


def check_zip(name: str, data: bytes) -> None:
    """Refuse corrupt archives and decompression bombs (size and entry count)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise IngestError(name, f"Archiv hat zu viele Einträge ({len(infos)}).")
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED:
                raise IngestError(
                    name, f"Entpackt zu gross ({total / 1_048_576:.0f} MB): mögliche ZIP-Bombe."
                )
            if "word/document.xml" not in zf.namelist():
                raise IngestError(name, "DOCX beschädigt: word/document.xml fehlt.")
    except zipfile.BadZipFile as exc:
        raise IngestError(name, "DOCX beschädigt (kein gültiges ZIP-Archiv).") from exc


def load_docx(path: Path, data: bytes, limits: Any) -> LoadedDocument:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    name = path.name
    check_zip(name, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors, ...
        reason = f"DOCX beschädigt oder nicht lesbar ({type(exc).__name__})."
        raise IngestError(name, reason) from exc

    heading_path: list[tuple[int, str]] = []
    sections: list[Section] = []
    buf: list[str] = []
    title = (document.core_properties.title or "").strip()

    def flush() -> None:
        body = clean_text("\n".join(buf))
        if body:
            sections.append(Section(text=body, section=" › ".join(h for _, h in heading_path)))
        buf.clear()

    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(block, document)
            text = para.text.strip()
            style = para.style.name if para.style is not None else ""
            match = _HEADING_STYLE.match(style or "")
            if match and text:
                flush()
                level = int(match.group(2) or 1) if match.group(1).lower() != "title" else 0
                title = title or text
                heading_path = [(lv, h) for lv, h in heading_path if lv < level] + [(level, text)]
            elif text:
                buf.append(text)
        elif tag == "tbl":
            table = Table(block, document)
            for row in table.rows:
                cells = [c.text.strip().replace("\n", " ") for c in row.cells]
                if any(cells):
                    buf.append(" | ".join(cells))
    flush()
    return LoadedDocument(source=name, title=(title or path.stem)[:160], sections=tuple(sections))
