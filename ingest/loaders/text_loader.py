"""Plain text: decoded strictly, so binary junk is rejected instead of indexed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.domain import LoadedDocument, Section
from core.errors import IngestError
from ingest.cleaning import clean_text, unwrap_plain_text


def decode_text(name: str, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 if it looks like text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise IngestError(
            name,
            "Inhalt passt nicht zur Endung: Binärdaten, als Text nicht dekodierbar.",
            en="Content does not match the extension: binary data, not decodable as text.",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    bad = text.count("\ufffd") + sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t")
    if bad > max(3, len(text) // 200):
        raise IngestError(
            name,
            "Inhalt passt nicht zur Endung: als Text nicht dekodierbar "
            "(weder UTF-8 noch Windows-1252).",
            en="Content does not match the extension: not decodable as text "
            "(neither UTF-8 nor Windows-1252).",
        )
    return text


def load_text(path: Path, data: bytes, limits: Any) -> LoadedDocument:
    """TXT: paragraphs as one section (hard-wrapped lines joined); title from the first line."""
    raw = clean_text(decode_text(path.name, data))
    first = next((ln.strip() for ln in raw.split("\n") if ln.strip()), path.stem)
    text = unwrap_plain_text(raw)
    return LoadedDocument(
        source=path.name, title=first[:120], sections=(Section(text=text, section=""),)
    )
