"""Sentence splitting for German and English, aware of common abbreviations."""

from __future__ import annotations

import re

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
