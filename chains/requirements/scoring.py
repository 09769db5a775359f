"""How relevant one sentence is to one requirement, on a 0..1 scale.

Three signals (weights fitted by hand on labelled sentence/requirement pairs from the
shipped example policy and vendor sheets; AUC 0.99 against all other sentences):

- ``lexical`` (0.65): stems shared with the requirement's title and search terms in both
  languages, each weighted by how *specific* it is within the catalog (a stem used by one
  requirement weighs 1, "Daten"/"data" used by dozens almost nothing). Stems of the
  sentence's section heading count like its own: a sentence under "Datenstandort und
  Hosting" is about data location even when it only says "Rechenzentren in Zürich".
  Saturating: ``w / (w + 1)``.
- ``heading`` (0.25): embedding cosine between the requirement and the section heading.
  Headings of policies and fact sheets are short and topical, which suits the model.
- ``sentence`` (0.10): embedding cosine between the requirement and "heading: sentence".

Without a single shared stem (sentence or heading) a sentence is never evidence. To
*decide* a status (covered, conflicting) a sentence must also share stems of total
specificity ``specific`` by itself, not only through its heading: a policy sentence under
"Zweck und Grenzen" that says nothing about purposes does not cover "document purpose
and limits".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from kb.analysis import doc_terms, query_terms, split_compound, stem
from knowledge.catalog import Requirement


@dataclass(frozen=True)
class ScoringConfig:
    """Weights of the three signals and the thresholds statuses are decided on."""

    lexical_weight: float = 0.65
    heading_weight: float = 0.25
    sentence_weight: float = 0.10
    lexical_half: float = 1.0
    heading_floor: float = 0.10
    heading_span: float = 0.50
    sentence_floor: float = 0.15
    sentence_span: float = 0.45
    weak: float = 0.50
    strong: float = 0.56
    specific: float = 1.0  # specificity a sentence must share on its own to decide a status


def requirement_topic(req: Requirement) -> str:
    """Title and search terms in both languages: what is searched and matched."""
    terms = req.search_terms
    parts = [req.title.de, req.title.en]
    if terms is not None:
        parts += [terms.de, terms.en]
    return " ".join(parts)


def requirement_terms(req: Requirement) -> frozenset[str]:
    return frozenset(query_terms(requirement_topic(req)))


def probe(req: Requirement, lang: str) -> str:
    """The text embedded for a requirement: title and search terms in the language of the
    sentence it is compared with (German for German documents, English otherwise)."""
    terms = req.search_terms
    if lang == "de":
        return f"{req.title.de}. {terms.de}" if terms else req.title.de
    return f"{req.title.en}. {terms.en}" if terms else req.title.en


PROBE_LANGS = ("de", "en")


def probe_lang(lang: str) -> int:
    """Index into ``PROBE_LANGS`` for a chunk language (anything else compares in English)."""
    return 0 if lang == "de" else 1


def sentence_terms(text: str, lang: str, vocab: set[str]) -> frozenset[str]:
    """Stems of a text plus compound parts the requirements know ("Datenstandort")."""
    terms = set(doc_terms(text, lang))
    for token in re.findall(r"[a-zäöü]{9,}", text.lower()):
        if stem(token, lang) not in vocab:
            terms.update(split_compound(token, vocab))
    return frozenset(terms)


class TermSpecificity:
    """How specific a stem is within a catalog: ``log(1 + N/df) / log(1 + N)``, 0..1."""

    def __init__(self, reqs: Iterable[Requirement]) -> None:
        self._df: Counter[str] = Counter()
        self._n = 0
        for req in reqs:
            self._df.update(requirement_terms(req))
            self._n += 1

    @property
    def vocabulary(self) -> set[str]:
        return set(self._df)

    def __call__(self, term: str) -> float:
        if self._n == 0:
            return 1.0
        return math.log(1 + self._n / max(1, self._df[term])) / math.log(1 + self._n)

    def weight(self, terms: Iterable[str]) -> float:
        return sum(self(t) for t in terms)


def _ramp(value: float, floor: float, span: float) -> float:
    return min(1.0, max(0.0, (value - floor) / span))


def partial_relevance(
    shared: frozenset[str],
    heading_cosine: float,
    specificity: TermSpecificity,
    cfg: ScoringConfig,
) -> float:
    """Lexical and heading parts of the score; 0 when no stem is shared.

    The sentence part adds at most ``cfg.sentence_weight``, so a sentence whose partial
    score is below ``weak - sentence_weight`` is never embedded.
    """
    if not shared:
        return 0.0
    weight = specificity.weight(shared)
    lexical = weight / (weight + cfg.lexical_half)
    return cfg.lexical_weight * lexical + cfg.heading_weight * _ramp(
        heading_cosine, cfg.heading_floor, cfg.heading_span
    )


def sentence_part(sentence_cosine: float, cfg: ScoringConfig) -> float:
    return cfg.sentence_weight * _ramp(sentence_cosine, cfg.sentence_floor, cfg.sentence_span)
