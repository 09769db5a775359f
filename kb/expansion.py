"""Glossary-based query expansion: a German term pulls in its English twin and synonyms.

This is what lets "Datenschutz-Folgenabschätzung" find a passage on "DPIA", and
"Schulung" find "awareness training". Expansion terms get a lower weight than the
words the user typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kb.analysis import query_terms, tokens
from knowledge.glossary import GlossaryEntry

EXPANSION_WEIGHT = 0.5


@dataclass(frozen=True)
class ExpandedQuery:
    text: str
    terms: list[tuple[str, float]]
    added: list[str]


class GlossaryExpander:
    """Matches glossary terms in a query by stems and adds the entry's other terms."""

    def __init__(self, entries: Sequence[GlossaryEntry]) -> None:
        self._entries: list[tuple[frozenset[str], GlossaryEntry]] = []
        for entry in entries:
            for term in entry.terms():
                stems = frozenset(query_terms(term))
                if stems:
                    self._entries.append((stems, entry))

    def expand(self, query: str) -> ExpandedQuery:
        base = query_terms(query)
        have = set(base)
        weights: dict[str, float] = {t: 1.0 for t in base}
        added: list[str] = []
        matched: set[str] = set()
        for stems, entry in self._entries:
            if entry.id in matched or not stems <= have:
                continue
            matched.add(entry.id)
            for term in entry.terms():
                if term.lower() in query.lower():
                    continue
                added.append(term)
                for t in query_terms(term):
                    weights.setdefault(t, EXPANSION_WEIGHT)
        return ExpandedQuery(text=query, terms=list(weights.items()), added=added)


class NoExpansion:
    """Used when no glossary is available (e.g. a custom knowledge dir without one)."""

    def expand(self, query: str) -> ExpandedQuery:
        return ExpandedQuery(query, [(t, 1.0) for t in query_terms(query)], [])


__all__ = ["ExpandedQuery", "GlossaryExpander", "NoExpansion", "tokens"]
