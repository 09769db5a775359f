"""Text repair for extracted PDF/DOCX text: ligatures, hyphenation, bullets, whitespace."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
    "\u00ad": "",
}
_LIG_RE = re.compile("|".join(map(re.escape, LIGATURES)))
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# "Verhal-\nten" -> "Verhalten"; keep the hyphen before a capital ("KI-\nDienste").
_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n[ \t]*([a-zäöüß])")
_PAGE_LABEL = re.compile(
    r"^\s*(seite|page|s\.)?\s*\d{1,4}\s*((von|of|/)\s*\d{1,4})?\s*$", re.IGNORECASE
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def unfold_ligatures(text: str) -> str:
    return _LIG_RE.sub(lambda m: LIGATURES[m.group(0)], text)


def clean_text(text: str) -> str:
    """Normalise one page or section of extracted text for reading and indexing."""
    text = unicodedata.normalize("NFC", unfold_ligatures(text))
    text = _PRIVATE_USE.sub("•", text)
    text = _CONTROL.sub(" ", text)
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


_ITEM = re.compile(r"^([•\-*–|]|\d{1,2}[.)]|[a-z][.)])\s")  # "| " a Markdown table row


def join_wrapped_lines(text: str, headings: Collection[str] = ()) -> str:
    """Join hard-wrapped lines into paragraphs; keep list items, blank lines and the lines
    listed in ``headings`` (e.g. the page's section title) on lines of their own."""
    out: list[str] = []
    apart = {h.strip() for h in headings if h.strip()}
    for line in text.split("\n"):
        stripped = line.strip()
        starts_item = bool(_ITEM.match(stripped))
        joinable = (
            bool(out)
            and bool(stripped)
            and bool(out[-1])
            and not starts_item
            and stripped not in apart
            and out[-1] not in apart
        )
        if joinable and (
            (not out[-1].endswith((":", ".")) and not re.match(r"^#+ ", out[-1]))
            or stripped[:1].islower()
        ):
            out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(stripped)
    return "\n".join(out).strip()


_WRAPPED_SHARE = 0.6  # a line this full (of the text's usual width) was wrapped, not ended


def unwrap_plain_text(text: str) -> str:
    """Join the lines of hard-wrapped plain text (e-mails, text exports wrapped at ~72-80
    characters) into paragraphs. A line is continued when it filled most of the text's
    usual width, so short lines (addresses, "Name: value" lists, a paragraph's last line)
    and list items stay on lines of their own."""
    lines = text.split("\n")
    lengths = sorted(len(ln) for ln in lines if ln.strip())
    if len(lengths) < 5:
        return text
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if width < 40:
        return text
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        previous = out[-1] if out else ""
        if (
            stripped
            and previous
            and len(previous) >= _WRAPPED_SHARE * width
            and not _ITEM.match(stripped)
        ):
            out[-1] = f"{previous} {stripped}"
        else:
            out.append(stripped)
    return "\n".join(out)


def _line_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def remove_running_lines(pages: Sequence[str], edge: int = 3) -> list[str]:
    """Drop headers/footers: lines near a page edge repeated on at least half the pages."""
    if len(pages) < 3:
        return [_drop_page_labels(p) for p in pages]
    counts: Counter[str] = Counter()
    for page in pages:
        lines = [ln for ln in page.split("\n") if ln.strip()]
        keys = {_line_key(ln) for ln in lines[:edge] + lines[-edge:]}
        counts.update(keys)
    threshold = max(2, len(pages) // 2)
    running = {k for k, n in counts.items() if n >= threshold and len(k) < 160}
    cleaned = []
    for page in pages:
        lines = page.split("\n")
        nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
        edges = set(nonblank[:edge] + nonblank[-edge:])
        kept = [ln for i, ln in enumerate(lines) if not (i in edges and _line_key(ln) in running)]
        cleaned.append(_drop_page_labels("\n".join(kept)))
    return cleaned


# a table-of-contents entry: a title, a dot (or ellipsis) leader, a page number
_CONTENTS_ENTRY = re.compile(r"(?:(?:\s*\.){4,}|\s*…+)\s*[\divxlcIVXLC]{1,5}\s*$")


def drop_contents_entries(page: str) -> str:
    """Drop the entries of a table of contents ("1.2 Who is This For? . . . . . 7"): they
    are navigation, not content, and hold many headings' words, so a search would find
    the contents page instead of the section. Only lines with a leader go; a plain
    "title 12" line may be a table row."""
    lines = page.split("\n")
    return "\n".join(ln for ln in lines if not _CONTENTS_ENTRY.search(ln))


def _drop_page_labels(page: str, edge: int = 2) -> str:
    """Drop bare page labels ("12", "Seite 3 von 9") among the first or last lines of a
    page; a number alone on a line further inside (a table cell) is content."""
    lines = page.split("\n")
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    edges = set(nonblank[:edge] + nonblank[-edge:])
    return "\n".join(ln for i, ln in enumerate(lines) if not (i in edges and _PAGE_LABEL.match(ln)))
