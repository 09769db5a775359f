"""What a file really is, judged by its first bytes, not by its name.

A renamed file is the cheapest attack on an upload form: an executable called
``bericht.pdf``, an HTML page with scripts called ``notizen.txt``. Each suffix of the
loader registry names the content it expects; a file whose leading bytes say otherwise is
refused before any parser sees it, with a message naming what was found.
"""

from __future__ import annotations

import re
from typing import Literal

from core.errors import IngestError

Expected = Literal["pdf", "zip", "text", "html"]

# (signature at offset 0, what it is); checked in order
_SIGNATURES: list[tuple[bytes, str]] = [
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"PK\x07\x08", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"\x7fELF", "exe"),
    (b"\xcf\xfa\xed\xfe", "exe"),
    (b"\xce\xfa\xed\xfe", "exe"),
    (b"\xfe\xed\xfa\xce", "exe"),
    (b"\xfe\xed\xfa\xcf", "exe"),
    (b"\xca\xfe\xba\xbe", "exe"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"\x1f\x8b", "archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive"),
    (b"Rar!\x1a\x07", "archive"),
    (b"\xfd7zXZ\x00", "archive"),
    (b"\x28\xb5\x2f\xfd", "archive"),
    (b"{\\rtf", "rtf"),
]
LABELS = {  # kind -> (German, English)
    "pdf": ("PDF-Dokument", "PDF document"),
    "zip": ("ZIP-Archiv", "ZIP archive"),
    "ole": ("altes Office-Format (.doc/.xls)", "old Office format (.doc/.xls)"),
    "exe": ("ausführbares Programm", "executable program"),
    "image": ("Bild", "image"),
    "archive": ("Archiv", "archive"),
    "rtf": ("RTF-Dokument", "RTF document"),
    "svg": ("SVG-Grafik", "SVG graphic"),
    "active-markup": ("HTML/SVG mit Skript", "HTML/SVG with script"),
}
_PROLOG = rb"^(\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*"
_MARKUP_START = re.compile(_PROLOG + rb"<(!doctype\s+)?(html|svg)\b", re.I | re.S)
_SVG_START = re.compile(_PROLOG + rb"(<!doctype\s+svg[^>]*>\s*)?<svg\b", re.I | re.S)
_ACTIVE = re.compile(
    rb"<script\b|\bon[a-z]{3,20}\s*=|javascript:|<iframe\b|<object\b|<embed\b", re.I
)


def detect(data: bytes) -> str:
    """The kind of content by signature: a key of LABELS, or "text" when nothing matched."""
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            return kind
    if data.startswith(b"MZ") and (b"PE\x00\x00" in head or b"\x00" in head[:64]):
        return "exe"  # a DOS/Windows executable; plain "MZ" may start a text
    if data.startswith(b"BZh") and data[4:10] == b"1AY&SY":
        return "archive"
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        return "image"
    if _SVG_START.match(head):
        return "svg"
    return "text"


def _mismatch(name: str, suffix: str, found: str, hint: str = "", hint_en: str = "") -> IngestError:
    """ "Inhalt passt nicht zur Endung" naming what was found, in German and English."""
    what, what_en = LABELS.get(found, ("keine Kennung gefunden", "no known signature"))
    return IngestError(
        name,
        f"Inhalt passt nicht zur Endung {suffix} (erkannt: {what}{hint}).",
        en=f"Content does not match the extension {suffix} (found: {what_en}{hint_en}).",
    )


def check_content(name: str, suffix: str, expected: Expected, data: bytes) -> None:
    """Refuse a file whose content does not fit its suffix ("Inhalt passt nicht zur Endung")."""
    found = detect(data)
    if expected == "pdf" and b"%PDF-" in data[:1024]:
        return  # the format allows a few bytes of junk before the header
    if expected in ("pdf", "zip"):
        if found == expected:
            return
        if found == "ole":
            raise _mismatch(
                name,
                suffix,
                found,
                "; bitte in Word als .docx speichern",
                "; please save it in Word as .docx",
            )
        raise _mismatch(name, suffix, found)
    if found not in ("text", "svg"):
        raise _mismatch(name, suffix, found)
    if found == "svg" and expected == "html":
        raise _mismatch(name, suffix, "svg")
    if expected == "text" and _MARKUP_START.match(data[:4096]) and _ACTIVE.search(data):
        raise _mismatch(name, suffix, "active-markup")
