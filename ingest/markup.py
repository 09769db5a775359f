"""Markdown, inline HTML and comments that readers never see, removed before indexing.

A rendered page hides tags, footnote markers and the definitions of reference links; left
in, "[<sup>\\[1\\]</sup>][1]" or "[anh]: https://…" end up in chunks, keyword statistics
and quoted answers. Inline links ``[text](url)`` are the caller's choice: a Markdown
document keeps them (the reader may follow them), a value inside JSON/YAML keeps its
words only.
"""

from __future__ import annotations

import html
import re

_INLINE_TAG = re.compile(
    r"</?(?:a|b|i|u|s|em|strong|small|big|mark|sup|sub|span|font|img|kbd|code|samp|var|abbr"
    r"|cite|dfn|q|ins|del|strike|tt|time|wbr|nobr|picture|source)\b[^>]*>",
    re.IGNORECASE,
)
_BLOCK_TAG = re.compile(
    r"</?(?:div|p|br|hr|center|details|summary|figure|figcaption|section|article|table"
    r"|thead|tbody|tr|td|th|ul|ol|li|dl|dt|dd)\b[^>]*>",
    re.IGNORECASE,
)  # a block ends a word: "<summary>Mehr</summary>Text" is "Mehr Text"
_ESCAPED_FOOTNOTE = re.compile(r"\s*\[\\\[\d+\\\]\]\[[^\[\]]*\]")  # "[\[1\]][1]", "[\[2\]][zoo]"
_FOOTNOTE_MARK = re.compile(r"\[\^[\w-]+\](?!:)")  # "[^1]" in the text
_FOOTNOTE_DEF = re.compile(r"^\s*\[\^[\w-]+\]:\s*", re.MULTILINE)  # "[^1]: " before its text
_REF_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")  # "[text][ref]"
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]^]+\]:\s*\S+.*$", re.MULTILINE)  # "[ref]: https://…"
_INLINE_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*\)")
_EMPTY_LINK = re.compile(r"\[\s*\]\([^)\s]*\)")  # a badge's link once its image is gone
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")  # "![alt](src)": a reader sees the picture
# code is quoted as written: fenced blocks and `inline spans` are left alone
_CODE = re.compile(r"(^ {0,3}(```|~~~).*?(?:^ {0,3}\2[^\n]*$|\Z)|`[^`\n]+`)", re.M | re.S)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # "\\*" shows "*": a backslash escapes punctuation
# a character reference with its ";" only: "?a=1&copy=2" in a URL stays as written
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)  # closed only: a stray "<!--" hides nothing


def split_comments(text: str) -> tuple[str, list[str]]:
    """``text`` without HTML comments outside code, and the comments it had.

    A rendered page never shows a comment, so it is no passage to retrieve or quote; it
    is returned because a hidden instruction in one is worth a warning."""
    comments: list[str] = []

    def drop(part: str) -> str:
        comments.extend(m.group(0) for m in _COMMENT.finditer(part))
        return _COMMENT.sub("", part)

    parts: list[str] = []
    last = 0
    for code in _CODE.finditer(text):
        parts += [drop(text[last : code.start()]), code.group(0)]
        last = code.end()
    return "".join([*parts, drop(text[last:])]), comments


def strip_markup(text: str, links: bool = True) -> str:
    """``text`` without HTML tags (their content stays), footnote markers, reference-link
    definitions and reference-link syntax, images (a describing alt text stays), with
    backslash escapes and character references ("&lt;", "&#35;") shown as the characters
    they stand for, except inside code; ``links=False`` also reduces inline links to their
    words."""
    parts: list[str] = []
    last = 0
    for code in _CODE.finditer(text):
        parts += [_strip(text[last : code.start()], links), code.group(0)]
        last = code.end()
    return "".join([*parts, _strip(text[last:], links)])


def _alt_text(image: re.Match[str]) -> str:
    """An image's alt text if it describes the picture; "0_image_0.png" says nothing."""
    alt = image.group(1).strip()
    return alt if " " in alt else ""


def _strip(text: str, links: bool) -> str:
    text = _EMPTY_LINK.sub("", _IMAGE.sub(_alt_text, text))
    text = _INLINE_TAG.sub("", text)
    text = _BLOCK_TAG.sub("\0", text)
    text = re.sub("\0+(?=[,.;:!?)])", "", text).replace("\0", " ")
    text = _ESCAPED_FOOTNOTE.sub("", text)
    text = _FOOTNOTE_MARK.sub("", text)
    text = _FOOTNOTE_DEF.sub("", text)
    if not links:
        text = _INLINE_LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _REF_DEF.sub("", text)
    # last: an escaped "&lt;b&gt;" or "\\<b>" is text the reader sees, not a tag to remove
    return unescape(text)


def unescape(text: str) -> str:
    """Backslash escapes and character references as the characters a reader sees."""
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), _ESCAPE.sub(r"\1", text))
