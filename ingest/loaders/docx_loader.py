"""DOCX via python-docx: paragraphs in body order, headings build the section path, list
paragraphs keep the bullet or number Word shows (``docx_lists``), tables become Markdown
tables (with a header rule when Word marks the first row as a header or sets it bold). ZIP
bombs are refused before parsing; hidden runs and instructions in the document properties
are flagged."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.domain import LoadedDocument, Section
from core.errors import IngestError
from ingest.cleaning import clean_text
from ingest.flags import DOCX_HIDDEN, DOCX_METADATA
from ingest.injection import looks_like_instruction
from ingest.loaders.docx_lists import ListMarkers
from ingest.sentences import markdown_table

_HEADING_STYLE = re.compile(r"^(Heading|Überschrift|Titre|Title)\s*(\d*)", re.I)
_RATIO_FLOOR = 1024 * 1024  # below this an entry may compress as well as it likes
_READ = 1 << 20


def check_zip(name: str, data: bytes, limits: Any) -> None:
    """Refuse corrupt archives and decompression bombs before python-docx opens them.

    The sizes in a ZIP directory are claims, so every entry is inflated once, in pieces,
    counting the real bytes: the total, and each entry's ratio to its compressed size, stop
    a bomb after at most ``max_unpacked_bytes`` of work, whatever the header says.
    """
    bomb, bomb_en = "mögliche ZIP-Bombe", "possible ZIP bomb"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > limits.max_archive_entries:
                raise IngestError(
                    name,
                    f"Archiv hat zu viele Einträge ({len(infos)}; Grenze "
                    f"{limits.max_archive_entries}): {bomb}.",
                    en=f"Archive has too many entries ({len(infos)}; limit "
                    f"{limits.max_archive_entries}): {bomb_en}.",
                )
            if "word/document.xml" not in zf.namelist():
                raise IngestError(
                    name,
                    "DOCX beschädigt: word/document.xml fehlt.",
                    en="DOCX damaged: word/document.xml is missing.",
                )
            total = 0
            for info in infos:
                size = 0
                with zf.open(info) as entry:
                    while part := entry.read(_READ):
                        size += len(part)
                        total += len(part)
                        if total > limits.max_unpacked_bytes:
                            raise IngestError(
                                name,
                                f"Entpackt grösser als "
                                f"{limits.max_unpacked_bytes // 1_048_576} MB "
                                f"(LOTSE_MAX_UNPACKED_MB): {bomb}.",
                                en=f"Unpacks to more than "
                                f"{limits.max_unpacked_bytes // 1_048_576} MB "
                                f"(LOTSE_MAX_UNPACKED_MB): {bomb_en}.",
                            )
                if size > _RATIO_FLOOR and size > limits.max_compression_ratio * max(
                    info.compress_size, 1
                ):
                    raise IngestError(
                        name,
                        f"Eintrag {info.filename[:60]} ist "
                        f"{size // max(info.compress_size, 1)}-fach komprimiert: "
                        f"{bomb}.",
                        en=f"Entry {info.filename[:60]} is compressed "
                        f"{size // max(info.compress_size, 1)}-fold: "
                        f"{bomb_en}.",
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise IngestError(
            name,
            "DOCX beschädigt (kein gültiges ZIP-Archiv).",
            en="DOCX damaged (not a valid ZIP archive).",
        ) from exc
    except (RuntimeError, ValueError, OSError) as exc:  # encrypted entries, bad headers
        kind = type(exc).__name__
        raise IngestError(name, f"DOCX beschädigt ({kind}).", en=f"DOCX damaged ({kind}).") from exc


def _flags(document: Any) -> list[str]:
    props = document.core_properties
    meta = "\n".join(
        str(getattr(props, key, "") or "")
        for key in ("title", "subject", "keywords", "comments", "author", "category")
    )
    flags = [DOCX_METADATA] if looks_like_instruction(meta) else []
    body = document.element.body
    hidden = body.xpath(".//w:r[w:rPr/w:vanish[not(@w:val) or @w:val!='0' and @w:val!='false']]")
    if any("".join(r.itertext()).strip() for r in hidden):
        flags.append(DOCX_HIDDEN)
    return flags


_BOLD_LEVEL = 10  # below every styled heading level
_BOLD_MAX_CHARS = 90


def _bold_heading(para: Any, text: str) -> bool:
    """A short paragraph set entirely in bold, not ending like a sentence: the heading of
    a document written without heading styles ("Datenschutz", "Dürfen wir …?")."""
    if not text or len(text) > _BOLD_MAX_CHARS or text.endswith((".", ":", ";", ",")):
        return False
    runs = [r for r in para.runs if r.text.strip()]
    style_bold = bool(para.style is not None and para.style.font.bold)
    return bool(runs) and all(r.bold or (r.bold is None and style_bold) for r in runs)


def _is_header_row(row: Any, cells: Sequence[Any]) -> bool:
    """Word marks a header row as "repeat as header row"; many writers just set it bold."""
    props = row._tr.trPr
    if props is not None and any(el.tag.endswith("}tblHeader") for el in props):
        return True
    runs = [r for cell in cells for p in cell.paragraphs for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def _table_lines(table: Any) -> list[str]:
    """One Markdown row per table row, a cell merged across columns once (python-docx lists
    it once per column it spans), the first row as header when Word marks it as one."""
    rows: list[list[str]] = []
    header = False
    for row in table.rows:
        listed = row.cells
        unique = [c for i, c in enumerate(listed) if i == 0 or c._tc is not listed[i - 1]._tc]
        cells = [c.text.strip().replace("\n", " ") for c in unique]
        if any(cells):
            header = header or (not rows and _is_header_row(row, unique))
            rows.append(cells)
    return markdown_table(rows, header)


def load_docx(path: Path, data: bytes, limits: Any) -> LoadedDocument:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    name = path.name
    check_zip(name, data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors, ...
        kind = type(exc).__name__
        reason = f"DOCX beschädigt oder nicht lesbar ({kind})."
        raise IngestError(name, reason, en=f"DOCX damaged or not readable ({kind}).") from exc

    heading_path: list[tuple[int, str]] = []
    sections: list[Section] = []
    buf: list[str] = []
    title = (document.core_properties.title or "").strip()
    markers = ListMarkers(document)

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
            level = None
            if match and text:
                level = int(match.group(2) or 1) if match.group(1).lower() != "title" else 0
            elif _bold_heading(para, text):
                level = _BOLD_LEVEL
            if level is not None:
                flush()
                title = title or text
                heading_path = [(lv, h) for lv, h in heading_path if lv < level] + [(level, text)]
            elif text:
                buf.append(markers.marker(para) + text)
        elif tag == "tbl":
            buf.extend(_table_lines(Table(block, document)))
    flush()
    return LoadedDocument(
        source=name,
        title=(title or path.stem)[:160],
        sections=tuple(sections),
        suspicious=tuple(_flags(document)),
    )
