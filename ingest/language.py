"""Tiny German/English detector: stop-word counts are enough for these two languages."""

from __future__ import annotations

import re

_DE_WORDS = (
    "der die das und ist nicht mit von zu den dem des ein eine einer eines auf für sich auch "
    "werden wird sind im bei oder wie sie es als an nach aus über durch wenn muss sollte kann "
    "dass daten diese dieser zum zur unsere unser wir ob"
)
_EN_WORDS = (
    "the and is are not with of to in a an on for also be will by or as at from that this "
    "which should must can data these if how what our we it its have has"
)
_DE = set(_DE_WORDS.split())
_EN = set(_EN_WORDS.split())
_WORD = re.compile(r"[a-zA-ZäöüÄÖÜß]+")


def detect_language(text: str, default: str = "en") -> str:
    """Return 'de' or 'en'; umlauts tip the balance for short German text."""
    words = [w.lower() for w in _WORD.findall(text[:5000])]
    de = sum(w in _DE for w in words) + 2 * len(re.findall(r"[äöüÄÖÜß]", text[:5000]))
    en = sum(w in _EN for w in words)
    if de == en:
        return default
    return "de" if de > en else "en"
