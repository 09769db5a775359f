"""The stored name of a file: what the user sees in sources, and what the document id is from.

A name comes from a browser or a file system and is not trusted: it may carry a path
("../../etc/passwd", "C:\\Users\\anna\\x.pdf"), control characters (a newline forges log
lines, an escape sequence repaints a terminal), or invisible formatting characters (a
right-to-left override makes "rechnung\u202etxt.exe" read as "rechnungexe.txt"). Only the
last path component is kept, those characters are removed, and a name that is empty
afterwards is refused. Nothing is ever written under this name.
"""

from __future__ import annotations

import os
import re
import unicodedata

from core.errors import IngestError

MAX_NAME_CHARS = 180
_SPACES = re.compile(r"\s+")


def printable(name: str, limit: int | None = MAX_NAME_CHARS) -> str:
    """The name with unprintable characters escaped, for messages and reports."""
    out = "".join(
        c if unicodedata.category(c)[0] != "C" else c.encode("unicode_escape").decode("ascii")
        for c in name
    )
    return out[:limit] or "(ohne Namen)"


def source_name(raw: str) -> str:
    """Last path component, without control/format characters, trimmed; empty is an error."""
    base = re.split(r"[/\\]", raw)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(" " if c in "\t\n\r\v\f" else c for c in base)
    base = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co"))
    base = _SPACES.sub(" ", base).strip().rstrip(". ").strip()
    if base in ("", ".", "..") or not base.strip("."):
        raise IngestError(
            printable(raw),
            "Ungültiger Dateiname (leer nach dem Bereinigen).",
            en="Invalid file name (empty after cleaning).",
        )
    if len(base) > MAX_NAME_CHARS:
        stem, suffix = os.path.splitext(base)
        suffix = suffix if len(suffix) <= 10 else ""
        base = stem[: MAX_NAME_CHARS - len(suffix)].rstrip() + suffix
    return base
