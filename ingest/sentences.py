"""Sentence splitting for German and English, aware of common abbreviations, and Markdown
table rows made readable as statements."""

from __future__ import annotations

import re
from collections.abc import Sequence

_ABBREV = {
    "z.b",
    "d.h",
    "u.a",
    "bzw",
    "ca",
    "art",
    "abs",
    "lit",
    "nr",
    "ziff",
    "vgl",
    "etc",
    "e.g",
    "i.e",
    "dr",
    "prof",
    "sr",
    "bspw",
    "ggf",
    "usw",
    "inkl",
    "evtl",
    "vs",
    "no",
    "fig",
    "abb",
    "s",
    "u",
    "z",
    "d",
    "i",
    "e",
    "st",
    "mio",
    "mrd",
    "chf",
    "eur",
    "gem",
    "sog",
    "resp",
}
_BOUNDARY = re.compile(r"(?<=[.!?;])\s+(?=[\"„“(\[]?[A-ZÄÖÜ0-9•])")


def split_sentences(text: str, min_chars: int = 3) -> list[str]:
    """Split text into sentences; list items and lines ending a block count as sentences."""
    out: list[str] = []
    for block in re.split(r"\n+", text):
        block = block.strip()
        if not block:
            continue
        start = 0
        for match in _BOUNDARY.finditer(block):
            candidate = block[start : match.start()].strip()
            last_word = re.split(r"[\s(]", candidate)[-1].rstrip(".!?;").lower()
            if last_word in _ABBREV or re.fullmatch(r"\d{1,3}", last_word):
                continue
            if len(candidate) >= min_chars:
                out.append(candidate)
                start = match.end()
        tail = block[start:].strip()
        if len(tail) >= min_chars:
            out.append(tail)
    return out


CELL_SEPARATOR = " · "  # also how a reader of the text still knows a rendered table row
_MD_ROW = re.compile(r"^\s*\|(.+)\|\s*$")
_MD_RULE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*(?::?-{3,}:?\s*)?$")


def markdown_table(rows: Sequence[Sequence[str]], header: bool) -> list[str]:
    """Rows of cells as Markdown table lines (the form ``readable_tables`` reads back);
    ``header``: the first row is the header, so a row can be quoted as "Header: cell"."""
    lines: list[str] = []
    for cells in rows:
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
        if header and len(lines) == 1:
            lines.append("|" + " --- |" * len(cells))
    return lines


def readable_tables(text: str) -> str:
    """Markdown table rows as statements that can be quoted.

    A row under a header becomes "Header: cell · Header: cell", one without a known
    header its cells joined by ``CELL_SEPARATOR``; header and rule lines go. Without this
    an answer point read "| 7 Überprüfen und optimieren | Tag 14, danach vierteljährlich |
    … |"."""
    lines = text.split("\n")
    out: list[str] = []
    header: list[str] | None = None
    for i, line in enumerate(lines):
        row = _MD_ROW.match(line)
        if row is None:
            header = None
            out.append(line)
            continue
        if _MD_RULE.match(line):
            continue
        cells = [cell.strip() for cell in row.group(1).split("|")]
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if header is None and _MD_RULE.match(following):
            header = cells
            continue
        if header is not None and len(header) == len(cells):
            pairs = [f"{h}: {c}" if h else c for h, c in zip(header, cells, strict=True) if c]
        else:
            pairs = [c for c in cells if c]
        out.append(CELL_SEPARATOR.join(pairs))
    return "\n".join(out)


_FIELD = re.compile(r"^[\w][\w .-]{0,39}: \S.{0,79}$")


def readable_fields(text: str) -> str:
    """Runs of short "key: value" lines (a JSON/YAML record) as one quotable statement.

    "Nimbus Chat" over "hosting: USA" and "trains_on_customer_data: true" becomes
    "Nimbus Chat – hosting: USA · trains_on_customer_data: true": each line alone is too
    short to quote, and the record's title says whose facts they are."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _FIELD.match(lines[j].strip()):
            j += 1
        if j - i >= 2:
            run = CELL_SEPARATOR.join(line.strip() for line in lines[i:j])
            title = out[-1].strip() if out else ""
            if title and len(title) <= 80 and not _FIELD.match(title) and title[-1:] not in ".:!?":
                out[-1] = f"{title} – {run}"
            else:
                out.append(run)
            i = j
        else:
            out.append(lines[i])
            i += 1
    return "\n".join(out)
