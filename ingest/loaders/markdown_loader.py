"""Markdown: one section per heading (ATX "# x" or setext "x" over "==="/"---"), with the
heading path as section label. Outside code blocks, inline HTML tags, footnote markers and
reference-link definitions are removed (``ingest.markup``); inline links stay."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from core.domain import LoadedDocument, Section
from ingest.cleaning import clean_text
from ingest.loaders.text_loader import decode_text
from ingest.markup import strip_markup

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_NOT_A_TITLE = re.compile(r"^\s*(?:[-*+>|#]|\d+[.)]\s|```|~~~)")  # list, quote, table, code


def split_headings(text: str) -> tuple[str, list[Section]]:
    """Split Markdown text into sections by ATX headings; return (first title, sections)."""
    text = _FRONT_MATTER.sub("", text)
    path: list[tuple[int, str]] = []
    title = ""
    sections: list[Section] = []
    buf: list[str] = []
    in_fence = False

    def flush() -> None:
        body = clean_text("\n".join(buf))
        if body:
            label = " › ".join(h for _, h in path)
            sections.append(Section(text=body, section=label))
        buf.clear()

    def open_section(level: int, heading: str) -> None:
        nonlocal path, title
        flush()
        title = title or heading
        path = [(lv, h) for lv, h in path if lv < level] + [(level, heading)]

    for line in text.split("\n"):
        fence = line.lstrip().startswith(("```", "~~~"))
        if fence:
            in_fence = not in_fence
        if in_fence or fence:
            buf.append(line)
            continue
        match = _HEADING.match(line)
        underline = _SETEXT.match(line)
        if match:
            open_section(len(match.group(1)), _strip_md(match.group(2)))
        elif underline and buf and buf[-1].strip() and not _NOT_A_TITLE.match(buf[-1]):
            heading = _strip_md(buf.pop())
            open_section(1 if underline.group(1)[0] == "=" else 2, heading)
        else:
            buf.append(strip_markup(line))
    flush()
    return title, sections


def _strip_md(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]", "", text).strip()


def load_markdown(path: Path, data: bytes, limits: Any) -> LoadedDocument:
    title, sections = split_headings(decode_text(path.name, data))
    return LoadedDocument(source=path.name, title=title or path.stem, sections=tuple(sections))
