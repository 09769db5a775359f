"""Markdown: one section per heading, with the heading path as section label."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from core.domain import LoadedDocument, Section
from ingest.cleaning import clean_text
from ingest.loaders.text_loader import decode_text

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


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

    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match:
            flush()
            level, heading = len(match.group(1)), _strip_md(match.group(2))
            title = title or heading
            path = [(lv, h) for lv, h in path if lv < level] + [(level, heading)]
        else:
            buf.append(line)
    flush()
    return title, sections


def _strip_md(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]", "", text).strip()


def load_markdown(path: Path, data: bytes, limits: Any) -> LoadedDocument:
    title, sections = split_headings(decode_text(path.name, data))
    return LoadedDocument(source=path.name, title=title or path.stem, sections=tuple(sections))
