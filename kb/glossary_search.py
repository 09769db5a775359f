"""Find glossary entries the way people type: any case, with or without umlauts.

"Folgenabschaetzung", "folgenabschätzung" and "DSFA" all find the Datenschutz-
Folgenabschätzung; a term hit ranks above a hit in the definition only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from knowledge.common import Lang
from knowledge.glossary import GlossaryEntry

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def fold(text: str) -> str:
    """Casefold, spell umlauts as ae/oe/ue and drop other accents (é -> e)."""
    text = text.casefold().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _plain(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").split())


@lru_cache(maxsize=4096)
def _folded_texts(terms: tuple[str, ...], definition: str) -> tuple[tuple[str, ...], str]:
    return tuple(_plain(n) for n in terms), _plain(definition)


def _folded(entry: GlossaryEntry) -> tuple[tuple[str, ...], str]:
    """Terms and definition of an entry, folded once per distinct text."""
    return _folded_texts(tuple(entry.terms()), f"{entry.definition.de} {entry.definition.en}")


def search_glossary(
    entries: Sequence[GlossaryEntry], query: str, lang: Lang = "de"
) -> list[GlossaryEntry]:
    """Entries matching every word of ``query``; all entries (sorted by term) when empty.

    Rank: a term or synonym equal to the query, then one that starts with it, then all
    words in the terms, then words found in the definition only; alphabetical within.
    """

    def term(entry: GlossaryEntry) -> str:
        return entry.de if lang == "de" else entry.en

    wanted = _plain(query)
    words = wanted.split()
    if not words:
        return sorted(entries, key=lambda e: fold(term(e)))
    ranked: list[tuple[int, str, GlossaryEntry]] = []
    for entry in entries:
        names, definition = _folded(entry)
        joined = " | ".join(names)
        if not all(w in joined or w in definition for w in words):
            continue
        if wanted in names or sorted(words) in (sorted(n.split()) for n in names):
            rank = 0
        elif any(n.startswith(wanted) for n in names):
            rank = 1
        elif all(w in joined for w in words):
            rank = 2
        else:
            rank = 3
        ranked.append((rank, fold(term(entry)), entry))
    return [entry for *_, entry in sorted(ranked, key=lambda r: (r[0], r[1]))]
