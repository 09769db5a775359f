"""HTML via BeautifulSoup: visible text only, headings build the section path.

Hidden elements (display:none, visibility:hidden, zero size or opacity, off-screen
positions, the hidden and aria-hidden attributes) are dropped and reported as suspicious:
hidden text is a classic carrier of indirect prompt injection. Instructions in comments or
<meta> tags are never indexed either, but flagged. Scripts and styles are dropped unread.

A saved web page also carries its site: menus, cookie banners, the footer. They are not
the document and would be retrieved as if they were, so navigation, page footers and
consent banners are dropped, and a page with a ``<main>`` element is read from it alone.
Tables become Markdown tables (a first row of header cells is their header).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from core.domain import LoadedDocument, Section
from ingest.cleaning import clean_text
from ingest.flags import HTML_HIDDEN, HTML_MARKUP
from ingest.injection import looks_like_instruction
from ingest.loaders.text_loader import decode_text
from ingest.sentences import markdown_table

_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])"
    r"|opacity\s*:\s*0(?![.\d]*[1-9])|(?<![-\w])(height|width)\s*:\s*0(px)?\s*(;|$)"
    r"|(left|top|text-indent)\s*:\s*-\d{3,}",
    re.I,
)
_CONSENT = re.compile(
    r"(?:cookie|consent)[-_ ]?(?:banner|notice|bar|popup|dialog|modal|layer|overlay|wall)"
    r"|(?:banner|notice|popup|dialog|modal|overlay)[-_ ]?(?:cookie|consent)"
    r"|cookiebot|onetrust|usercentrics|didomi",
    re.I,
)
_HEADING = re.compile(r"^h[1-6]$")
_SPACE = re.compile(r"\s+")  # a browser shows any run of whitespace as one space
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


def _block_start(tag: Any) -> str:
    """What a browser shows where a block begins: a new line, a list item's bullet or
    number ("3." in ``<ol start="3">``), a definition after its term ("AVV: …")."""
    before = tag.find_previous_sibling(["dt", "dd"]) if tag.name == "dd" else None
    if before is not None and before.name == "dt":
        return ": "
    if tag.name != "li":
        return "\n"
    parent = tag.find_parent(["ol", "ul"])
    if parent is None or parent.name != "ol":
        return "\n• "
    try:
        start = int(str(parent.get("start", "1")))
    except ValueError:
        start = 1
    return f"\n{start + len(tag.find_previous_siblings('li'))}. "


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


def _drop_page_chrome(soup: Any) -> None:
    """Menus, page footers and cookie banners: the site around the document."""
    from bs4.element import Tag

    chrome = [
        t
        for t in soup.find_all(True)
        if isinstance(t, Tag)
        and (
            t.name == "nav"
            or t.get("role") in ("navigation", "contentinfo", "search")
            or (t.name == "footer" and t.find_parent("article") is None)
            or _is_consent_banner(t)
        )
    ]
    for tag in chrome:
        if not tag.decomposed:
            tag.decompose()


def _is_consent_banner(tag: Any) -> bool:
    """A cookie or consent banner by its class or id; a privacy policy's own section on
    cookies has a heading and stays."""
    names = [v for v in [*tag.get_attribute_list("class"), tag.get("id")] if v]
    return any(_CONSENT.search(v) for v in names) and tag.find(_HEADING) is None


def _tables_as_rows(soup: Any) -> None:
    """Each table becomes a Markdown table, one line per row (innermost table first); a
    first row of ``<th>`` cells is its header, so that an answer can quote a row as
    "Header: cell · Header: cell" (``ingest.sentences.readable_tables``)."""
    for table in reversed(soup.find_all("table")):
        rows: list[list[str]] = []
        header = False
        for tr in table.find_all("tr"):
            cells = tr.find_all(["td", "th"])
            texts = [_visible(c) for c in cells]
            if any(texts):
                header = header or (not rows and all(c.name == "th" for c in cells))
                rows.append(texts)
        block = soup.new_tag("pre")  # its line breaks are kept: one line per row
        block.string = "\n".join(markdown_table(rows, header))
        table.replace_with(block)


def _main_content(soup: Any) -> tuple[Any, list[tuple[int, str]]]:
    """The page's ``<main>`` (or ``role=main``) if it has one, else its body; with the
    page heading above ``<main>`` (an ``<h1>`` in the page header) as the first level."""
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if main is None:
        return soup.body or soup, []
    h1 = main.find_previous("h1")
    return main, ([(1, _visible(h1))] if h1 is not None else [])


def _visible(tag: Any) -> str:
    """A heading's or a cell's text as shown: source line breaks inside it are spaces."""
    return _SPACE.sub(" ", tag.get_text(" ")).strip()


def load_html(path: Path, data: bytes, limits: Any) -> LoadedDocument:
    from bs4 import BeautifulSoup
    from bs4.element import Comment, NavigableString, Tag

    soup = BeautifulSoup(decode_text(path.name, data), "html.parser")
    flags: list[str] = []
    markup = [str(c) for c in soup.find_all(string=lambda s: isinstance(s, Comment))]
    markup += [str(m.get("content", "")) for m in soup.find_all("meta")]
    if looks_like_instruction("\n".join(markup)):
        flags.append(HTML_MARKUP)
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
        flags.append(HTML_HIDDEN)
    for t in hidden:
        t.decompose()
    title = _visible(soup.title) if soup.title else ""
    if soup.head:
        soup.head.decompose()
    _drop_page_chrome(soup)
    _tables_as_rows(soup)
    root, heading_path = _main_content(soup)
    title = title or (heading_path[0][1] if heading_path else "")

    sections: list[Section] = []
    buf: list[str] = []

    def flush() -> None:
        body_text = clean_text("".join(buf))
        if body_text:
            label = " › ".join(h for _, h in heading_path)
            sections.append(Section(text=body_text, section=label))
        buf.clear()

    for node in root.descendants:
        if isinstance(node, Tag):
            name = node.name or ""
            if _HEADING.match(name):
                flush()
                level, text = int(name[1]), _visible(node)
                title = title or text
                heading_path = [(lv, h) for lv, h in heading_path if lv < level]
                heading_path.append((level, text))
            elif name in _BLOCKS:
                buf.append(_block_start(node))
        elif (
            isinstance(node, NavigableString)
            and not isinstance(node, Comment)
            and node.find_parent(_HEADING) is None
        ):
            # source line breaks inside a paragraph are spaces, except in preformatted text
            buf.append(str(node) if node.find_parent("pre") else _SPACE.sub(" ", str(node)))
    flush()
    return LoadedDocument(
        source=path.name,
        title=(title or path.stem)[:160],
        sections=tuple(sections),
        suspicious=tuple(flags),
    )
