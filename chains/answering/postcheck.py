"""Check an LLM answer's citations against the passages it was given.

A reference to a passage that does not exist is removed (a model inventing "[7]" with five
passages would otherwise send the reader to nothing); the answer keeps the valid ones,
normalised to "[n]". An answer left without any valid citation is not grounded.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

_CITE = re.compile(
    r"\[\s*(?:(?:passage|passages|quelle|quellen|source|sources|doc)\s*)?"
    r"(\d+(?:\s*(?:[,;–-]|and|und)\s*\d+)*)\s*\]",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:[,;]|and|und)\s*", re.IGNORECASE)
_RANGE = re.compile(r"^(\d+)\s*[–-]\s*(\d+)$")


@dataclass(frozen=True)
class CheckedText:
    """The answer with only valid citations, which passages it cites, and what was dropped."""

    text: str
    cited: tuple[int, ...]
    removed: tuple[int, ...]


def _numbers(group: str) -> list[int]:
    out: list[int] = []
    for part in _SPLIT.split(group.strip()):
        m = _RANGE.match(part)
        if m and 0 <= int(m.group(2)) - int(m.group(1)) <= 10:
            out.extend(range(int(m.group(1)), int(m.group(2)) + 1))
        elif part.strip().isdigit():
            out.append(int(part))
    return out


def check_citations(text: str, valid: Collection[int]) -> CheckedText:
    """Keep citations to passages in ``valid``; drop the rest (and the brackets they leave)."""
    cited: list[int] = []
    removed: list[int] = []

    def replace(match: re.Match[str]) -> str:
        keep = []
        for n in _numbers(match.group(1)):
            if n in valid:
                keep.append(n)
                if n not in cited:
                    cited.append(n)
            elif n not in removed:
                removed.append(n)
        return "".join(f"[{n}]" for n in dict.fromkeys(keep))

    checked = _CITE.sub(replace, text)
    checked = re.sub(r"[ \t]+([.,;:!?])", r"\1", checked)
    checked = re.sub(r"[ \t]{2,}", " ", checked)
    return CheckedText(checked.strip(), tuple(cited), tuple(removed))
