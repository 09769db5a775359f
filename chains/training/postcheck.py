"""Post-check: is a quiz answer (or handout statement) supported by its cited passage?

A question passes when its source passage exists and shares key terms with it: at least
``MIN_OPTION_TERMS`` word stems of the correct option itself (all of them if it has fewer)
and ``MIN_TOTAL_TERMS`` stems of option and explanation together. Stems come from the
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
MIN_TOTAL_TERMS = 4
MIN_STEM_CHARS = 3
# Stems so common in this domain that sharing them says nothing about support.
GENERIC_STEMS = frozenset({
    "ki", "dien", "dienst", "servic", "unternehm", "unternehmen", "compani", "company",
    "mitarbeit", "mitarbeitend", "staff", "dat", "daten", "data", "use", "used", "nutzung",
    "nutz",
})


@dataclass(frozen=True)
class Support:
    ok: bool
    shared: tuple[str, ...]
    reason: str = ""


def key_terms(text: str, lang: Lang) -> set[str]:
    """Content stems of ``text`` that can count as evidence."""
    return {
        t for t in doc_terms(text, lang) if len(t) >= MIN_STEM_CHARS and t not in GENERIC_STEMS
    }


def check_support(passage: str | None, answer: str, explanation: str, lang: Lang) -> Support:
    """Does ``passage`` back ``answer`` (the correct option) and its ``explanation``?"""
    if not passage or not passage.strip():
        return Support(False, (), "source passage not found")
    found = key_terms(passage, lang)
    option = key_terms(answer, lang)
    both = option | key_terms(explanation, lang)
    shared_option = option & found
    shared = both & found
    needed = min(MIN_OPTION_TERMS, len(option))
    if needed == 0 or len(shared_option) < needed:
        return Support(
            False,
            tuple(sorted(shared)),
            f"correct option shares {len(shared_option)} key terms with the source "
            f"(needs {max(needed, 1)})",
        )
    if len(shared) < MIN_TOTAL_TERMS:
        return Support(
            False,
            tuple(sorted(shared)),
            f"answer and explanation share {len(shared)} key terms with the source "
            f"(needs {MIN_TOTAL_TERMS})",
        )
    return Support(True, tuple(sorted(shared)))
