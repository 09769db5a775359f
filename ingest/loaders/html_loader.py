"""HTML via BeautifulSoup: visible text only, headings build the section path.

Hidden elements (display:none, visibility:hidden, zero size or opacity, off-screen
positions, the hidden and aria-hidden attributes) are dropped and reported as suspicious:
hidden text is a classic carrier of indirect prompt injection. Instructions in comments or
<meta> tags are never indexed either, but flagged. Scripts and styles are dropped unread.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from core.domain import LoadedDocument, Section
from ingest.cleaning import clean_text
from ingest.injection import looks_like_instruction
from ingest.loaders.text_loader import decode_text

HIDDEN_FLAG = "hidden text in HTML removed"
MARKUP_FLAG = "instructions in HTML comments or metadata"
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])"
    r"|opacity\s*:\s*0(?![.\d]*[1-9])|(?<![-\w])(height|width)\s*:\s*0(px)?\s*(;|$)"
    r"|(left|top|text-indent)\s*:\s*-\d{3,}",
    re.I,
)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"[.#][\w-]+")
_BLOCKS = {
    "p",
    "li",
    "td",
    "th",
    "tr",
    "pre",
    "blockquote",
    "dd",
    "dt",
    "figcaption",
    "caption",
    "div",
    "br",
    "section",
    "article",
    "table",
    "ul",
    "ol",
}


def _hidden_selectors(css: str) -> tuple[set[str], set[str]]:
    """Class and id names that a <style> block hides (simple ``.x`` / ``#y`` selectors only)."""
    classes: set[str] = set()
    ids: set[str] = set()
    for selectors, body in _CSS_RULE.findall(css):
        if _HIDDEN_STYLE.search(body):
            for selector in selectors.split(","):
                selector = selector.strip()
                if _SIMPLE_SELECTOR.fullmatch(selector):
                    (classes if selector[0] == "." else ids).add(selector[1:])
    return classes, ids


def load_html(path: Path, data: bytes, limits: Any) -> LoadedDocument:
    from bs4 import BeautifulSoup
    from bs4.element import Comment, NavigableString, Tag

    soup = BeautifulSoup(decode_text(path.name, data), "html.parser")
    flags: list[str] = []
    markup = [str(c) for c in soup.find_all(string=lambda s: isinstance(s, Comment))]
    markup += [str(m.get("content", "")) for m in soup.find_all("meta")]
    if looks_like_instruction("\n".join(markup)):
        flags.append(MARKUP_FLAG)
    classes, ids = _hidden_selectors(" ".join(t.get_text() for t in soup.find_all("style")))
    for tag in soup(["script", "style", "template", "noscript", "head", "svg"]):
        if tag.name == "head" and soup.title:
            continue
        tag.decompose()
    hidden = [
        t
        for t in soup.find_all(True)
        if isinstance(t, Tag)
        and (
            t.has_attr("hidden")
            or t.get("aria-hidden") == "true"
            or _HIDDEN_STYLE.search(str(t.get("style", "")))
            or not classes.isdisjoint(t.get_attribute_list("class"))
            or t.get("id") in ids
        )
    ]
    if any(t.get_text(strip=True) for t in hidden):
        flags.append(HIDDEN_FLAG)
    for t in hidden:
        t.decompose()
    title = soup.title.get_text(strip=True) if soup.title else ""
    if soup.head:
        soup.head.decompose()

    sections: list[Section] = []
    heading_path: list[tuple[int, str]] = []
    buf: list[str] = []

    def flush() -> None:
        body_text = clean_text("".join(buf))
        if body_text:
            label = " › ".join(h for _, h in heading_path)
            sections.append(Section(text=body_text, section=label))
        buf.clear()

    root = soup.body or soup
    for node in root.descendants:
        if isinstance(node, Tag):
            name = node.name or ""
            if re.fullmatch(r"h[1-6]", name):
                flush()
                level, text = int(name[1]), node.get_text(" ", strip=True)
                title = title or text
                heading_path = [(lv, h) for lv, h in heading_path if lv < level]
                heading_path.append((level, text))
            elif name in _BLOCKS:
                buf.append("\n• " if name == "li" else "\n")
        elif (
            isinstance(node, NavigableString)
            and not isinstance(node, Comment)
            and node.find_parent(re.compile(r"^h[1-6]$")) is None
        ):
            buf.append(str(node))
    flush()
    return LoadedDocument(
        source=path.name,
        title=(title or path.stem)[:160],
        sections=tuple(sections),
        suspicious=tuple(flags),
    )
