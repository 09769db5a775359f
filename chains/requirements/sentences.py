"""Citable sentences of a chunk, each with the section it really stands in.

Two things the generic splitter leaves to callers are fixed here for citations:

- A chunk may span several short sections; only the first one is in ``chunk.section``,
  later headings are plain lines in the text. Heading lines are tracked so a sentence
  under "Data location and hosting" is cited with that section, not the previous one.
- "z. B." / "d. h." with a space end a fragment in ``split_sentences``; fragments that end
  in a single-letter abbreviation are joined with the next one.
"""

from __future__ import annotations

import re

from core.domain import Chunk
from ingest.sentences import split_sentences

SECTION_SEP = " › "
_MARKUP = re.compile(r"^\s*(?:[-*•>]|\d+[.)])\s+|\*\*|__|`")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s")
_LETTER_ABBREV = re.compile(r"(?:^|\s)\(?[A-Za-zÄÖÜäöü]\.$")


def clean_sentence(text: str) -> str:
    """Drop list bullets and emphasis marks so a citation reads like the document."""
    return re.sub(r"\s+", " ", _MARKUP.sub("", text)).strip()


def is_heading(line: str) -> bool:
    """A short line without closing punctuation that starts like a title."""
    if not line or line[0] in "-*|>•" or line[-1] in '.!?:;,»"“':
        return False
    return len(line.split()) <= 10 and (line[0].isupper() or line[0].isdigit())


def nest(parts: list[str], heading: str) -> list[str]:
    """The section path after ``heading``: numbered headings replace the part of equal
    depth ("6." replaces "5. ..." and what follows); others replace the last part."""
    if not parts:
        return [heading]
    match = _NUMBERED.match(heading)
    if match:
        depth = match.group(1).count(".") + 1
        for i in range(len(parts) - 1, -1, -1):
            other = _NUMBERED.match(parts[i])
            if other and other.group(1).count(".") + 1 == depth:
                return [*parts[:i], heading]
    return [*parts[:-1], heading]


def _joined(sentences: list[str]) -> list[str]:
    out: list[str] = []
    for sentence in sentences:
        if out and _LETTER_ABBREV.search(out[-1]):
            out[-1] = f"{out[-1]} {sentence}"
        else:
            out.append(sentence)
    return out


def sectioned_sentences(chunk: Chunk) -> list[tuple[str, str]]:
    """(cleaned sentence, section path) in reading order; headings are not sentences."""
    parts = chunk.section.split(SECTION_SEP) if chunk.section else []
    out: list[tuple[str, str]] = []
    for raw_line in chunk.text.split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        if is_heading(line):
            parts = nest(parts, line)
            continue
        section = SECTION_SEP.join(parts)
        out += [(clean_sentence(s), section) for s in _joined(split_sentences(line))]
    return out
