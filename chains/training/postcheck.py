"""Post-check: is a quiz answer (or handout statement) supported by its cited passage?

A question passes when its source passage exists and shares key terms with it: at least
half of the word stems of the correct option (and at least ``MIN_OPTION_TERMS`` of them),
and at least half of the stems of option and explanation together. Shares rather than
counts, because a long answer shares a few common words with almost any passage; on the
shipped bank a question checked against another question's source passes in well under one
case in a hundred. Stems come from the
keyword index's analyser in the passage's language; stop words, very short stems and words
that occur in almost every passage ("KI", "Dienst") do not count, so a passage about
something else does not pass by accident. Failing questions are dropped and reported,
never repaired.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.analysis import doc_terms
from knowledge.common import Lang

MIN_OPTION_TERMS = 2
MIN_OPTION_SHARE = 0.5
MIN_TOTAL_SHARE = 0.5
MIN_STEM_CHARS = 3
# Stems so common in this domain that sharing them says nothing about support.
GENERIC_STEMS = frozenset(
    {
        "ki",
        "dien",
        "dienst",
        "servic",
        "unternehm",
        "unternehmen",
        "compani",
        "company",
        "mitarbeit",
        "mitarbeitend",
        "staff",
        "dat",
        "daten",
        "data",
        "use",
        "used",
        "nutzung",
        "nutz",
    }
)


@dataclass(frozen=True)
class Support:
    ok: bool
    shared: tuple[str, ...]
    reason: str = ""


def key_terms(text: str, lang: Lang) -> set[str]:
    """Content stems of ``text`` that can count as evidence."""
    return {t for t in doc_terms(text, lang) if len(t) >= MIN_STEM_CHARS and t not in GENERIC_STEMS}


def check_support(passage: str | None, answer: str, explanation: str, lang: Lang) -> Support:
    """Does ``passage`` back ``answer`` (the correct option) and its ``explanation``?"""
    if not passage or not passage.strip():
        return Support(False, (), "source passage not found")
    found = key_terms(passage, lang)
    option = key_terms(answer, lang)
    both = option | key_terms(explanation, lang)
    shared_option = option & found
    shared = both & found
    needed = max(min(MIN_OPTION_TERMS, len(option)), 1)
    if len(shared_option) < needed or len(shared_option) < MIN_OPTION_SHARE * len(option):
        return Support(
            False,
            tuple(sorted(shared)),
            f"correct option shares {len(shared_option)} of {len(option)} key terms with the "
            "source",
        )
    if len(shared) < MIN_TOTAL_SHARE * len(both):
        return Support(
            False,
            tuple(sorted(shared)),
            f"answer and explanation share {len(shared)} of {len(both)} key terms with the source",
        )
    return Support(True, tuple(sorted(shared)))
