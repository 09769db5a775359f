"""Markdown: one section per heading (ATX "# x" or setext "x" over "==="/"---"), with the
heading path as section label. Outside code blocks, HTML comments, inline HTML tags,
footnote markers and reference-link definitions are removed (``ingest.markup``); inline
links stay; soft-wrapped lines of a paragraph or list item are joined, as a Markdown reader
shows them; block quotes lose their "> " markers and a GitHub alert ("> [!NOTE]") reads
"Note: …", as do MkDocs and Docusaurus admonitions ("!!! warning", ":::tip"). A comment
that addresses an AI flags the document, as in HTML."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from core.domain import LoadedDocument, Section
from ingest.cleaning import clean_text
from ingest.flags import MARKDOWN_COMMENT
from ingest.injection import looks_like_instruction
from ingest.loaders.text_loader import decode_text
from ingest.markup import split_comments, strip_markup, unescape

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_NOT_A_TITLE = re.compile(r"^\s*(?:[-*+>|#]|\d+[.)]\s|```|~~~)")  # list, quote, table, code
# a line that starts a block of its own: list item (also "a." / "•", as legal texts and
# exports write them), quote, table row, heading, code
_STARTS_BLOCK = re.compile(r"^\s*(?:[-*+•]\s|\d+[.)]\s|[a-z][.)]\s|[>|#]|```|~~~)|^ {4}")
_HARD_BREAK = re.compile(r"(?: {2,}|\\)$")
_RULE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")  # a horizontal line, no text
_QUOTE = re.compile(r"^ {0,3}(?:> ?)+")
# a GitHub alert ("> [!NOTE]") is shown as a titled box: its title, then its text
_ALERT = re.compile(r"^\s*\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*$", re.IGNORECASE)
# an admonition of MkDocs ("!!! note \"Title\"", then text indented by four spaces) or
# Docusaurus (":::tip Title" ... ":::"): a box with a title, which a reader sees as such
_MKDOCS_BOX = re.compile(r'^(?:!!!|\?\?\?\+?)\s+(\w[\w-]*)(?:\s+"([^"]*)")?\s*$')
_DOCUSAURUS_BOX = re.compile(r"^ {0,3}:::\s*(\w[\w-]*)?(?:\s+(.*?))?\s*$")
# Microsoft Learn's ":::image ... alt-text="…":::": a picture, read as its description
_LEARN_IMAGE = re.compile(r"^\s*:::image\b.*:::\s*$")
_ALT_TEXT = re.compile(r'\balt-text="([^"]*)"')


def _continues(previous: str, line: str) -> bool:
    """Is ``line`` a soft-wrapped continuation of the paragraph or list item ``previous``?
    (Markdown shows such a line break as a space; kept, it would cut sentences in two.)"""
    return (
        bool(previous.strip())
        and bool(line.strip())
        and not previous.lstrip().startswith("|")
        and not _HARD_BREAK.search(previous)
        and not _STARTS_BLOCK.match(line)
    )


def split_headings(text: str) -> tuple[str, list[Section]]:
    """Split Markdown text into sections by ATX headings; return (first title, sections)."""
    text = _FRONT_MATTER.sub("", text)
    path: list[tuple[int, str]] = []
    title = ""
    sections: list[Section] = []
    buf: list[str] = []
    in_fence = False
    prose = False  # the last line in buf is paragraph text (not code, not a table)
    quoted = False  # ... of a block quote, whose "> " markers a reader does not see

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

    def add(line: str, joins: bool) -> None:
        """A new line of text, or (``joins``) the soft-wrapped rest of the last one."""
        if joins:
            buf[-1] = f"{buf[-1].rstrip()} {strip_markup(line).strip()}"
        else:
            buf.append(strip_markup(line))

    for line in text.split("\n"):
        fence = line.lstrip().startswith(("```", "~~~"))
        if fence:
            in_fence = not in_fence
        if in_fence or fence:
            buf.append(line)
            prose = False
            continue
        quote = _QUOTE.match(line)
        if quote:
            line = _ALERT.sub(lambda m: m.group(1).capitalize() + ":", line[quote.end() :])
            add(line, joins=prose and quoted and _continues(buf[-1], line))
            prose, quoted = bool(line.strip()), True
            continue
        match = _HEADING.match(line)
        underline = _SETEXT.match(line)
        if match:
            open_section(len(match.group(1)), _strip_md(match.group(2)))
            prose = False
        elif (
            underline
            and not quoted
            and buf[-1:]
            and buf[-1].strip()
            and not _NOT_A_TITLE.match(buf[-1])
        ):
            heading = _strip_md(buf.pop())
            open_section(1 if underline.group(1)[0] == "=" else 2, heading)
            prose = False
        elif _RULE.match(line):
            buf.append("")
            prose = False
        elif prose and not quoted and buf and _continues(buf[-1], line):
            add(line, joins=True)
        else:
            add(line, joins=False)
            prose = bool(line.strip())
        quoted = False
    flush()
    return title, sections


def _strip_md(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return unescape(re.sub(r"(?<!\\)[*_`]", "", text)).strip()  # "Scenario \\#2" -> "#2"


def unbox_admonitions(text: str) -> str:
    """Admonitions as a reader sees them: the box title as a line of its own ("Note:",
    "Wichtig:"), the box text unindented (four spaces would otherwise read as code); a
    Microsoft Learn image directive as its alt text."""
    out: list[str] = []
    in_fence = boxed = False
    for line in text.split("\n"):
        if boxed and (not line.strip() or line.startswith(("    ", "\t"))):
            out.append(line[4:] if line.startswith("    ") else line.lstrip("\t"))
            continue
        boxed = False
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if not in_fence and _LEARN_IMAGE.match(line):
            alt = _ALT_TEXT.search(line)
            out.append(alt.group(1) if alt else "")
            continue
        box = None if in_fence else _MKDOCS_BOX.match(line) or _DOCUSAURUS_BOX.match(line)
        if box is None:
            out.append(line)
            continue
        boxed = box.re is _MKDOCS_BOX
        kind, title = box.group(1), box.group(2)
        out.append(f"{title or kind.capitalize()}:" if title or kind else "")
    return "\n".join(out)


def load_markdown(path: Path, data: bytes, limits: Any) -> LoadedDocument:
    text, comments = split_comments(decode_text(path.name, data))
    title, sections = split_headings(unbox_admonitions(text))
    flags = (MARKDOWN_COMMENT,) if looks_like_instruction("\n".join(comments)) else ()
    return LoadedDocument(
        source=path.name, title=title or path.stem, sections=tuple(sections), suspicious=flags
    )
