"""Tokenising and stemming for the keyword index (German and English).

Documents are stemmed in their own language; queries with both stemmers, because a German
question may be answered by an English passage and vice versa. Long German compounds
are split into parts the index already knows ("Kundendaten" -> "kunden", "daten").
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Container, Mapping, Sequence
from functools import lru_cache
from typing import Any

import snowballstemmer


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOKEN = re.compile(r"[a-zäöüß0-9]+(?:[.:][0-9]+)*", re.IGNORECASE)
STOP_DE = _words(
    "aber alle als also am an auch auf aus bei bin bis da damit dann das dass dem den der des "
    "die dies diese diesem diesen dieser doch dort du durch ein eine einem einen einer eines "
    "er es etwa für gegen hat hatte haben ich ihr im in ist ja jede jeder jedoch kann kein "
    "keine man mit muss müssen nach nicht noch nur ob oder sein seine sich sie sind so soll "
    "sollen sollte sowie über um und uns unser unsere unter vom von vor war was weil welche "
    "wenn wer werden wie wir wird wo zu zum zur zwischen wurde wurden werden dürfen darf "
    "können könnte wollen gibt einfach schon bereits "
    "unserer unseres unseren unserem ihre ihren ihrem ihrer ihres seinen seinem seiner seines "
    "mein meine meinen meinem meiner euer eure euren eurem eurer keinen keinem keiner keines "
    "jedes jedem jeden welcher welches welchem welchen allen aller alles dieses "
    "viel viele vielen vieles waren wäre wären hätte hätten habe musste müsste müssten "
    "sollten konnte könnten dürfte dürften will wollte wollten möchte möchten"
)
STOP_EN = _words(
    "a about all also am an and any are as at be been but by can could do does for from had "
    "has have how i if in into is it its may me might more most must my no not of on or our "
    "should so such than that the their them then there these they this those to too us was "
    "we were what when where which who why will with would you your ours many much did"
)
STOPWORDS = STOP_DE | STOP_EN
_STEMMER_NAMES = {"de": "german", "en": "english"}
# Snowball stemmer objects keep the word being stemmed in instance state, so one shared
# object is not thread-safe (Streamlit sessions and server-mode clients are threads):
# each thread gets its own pair.
_LOCAL = threading.local()


def _stemmer(lang: str) -> Any:
    stemmers: dict[str, Any] | None = getattr(_LOCAL, "stemmers", None)
    if stemmers is None:
        stemmers = {k: snowballstemmer.stemmer(v) for k, v in _STEMMER_NAMES.items()}
        _LOCAL.stemmers = stemmers
    return stemmers.get(lang, stemmers["en"])


def fold(word: str) -> str:
    """A word as the lexicon keys it: lower case, "ß" as "ss" (Swiss spelling)."""
    return word.lower().replace("ß", "ss")


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


@lru_cache(maxsize=200_000)
def stem(token: str, lang: str) -> str:
    return str(_stemmer(lang).stemWord(token))


def doc_terms(text: str, lang: str) -> list[str]:
    """Index terms of a passage: stems in the passage's language, stop words dropped."""
    return [stem(t, lang) for t in tokens(text) if t not in STOPWORDS and len(t) > 1]


def query_terms(text: str) -> list[str]:
    """Query terms: German and English stems of every non-stop word (deduplicated)."""
    out: list[str] = []
    for tok in tokens(text):
        if tok in STOPWORDS or len(tok) < 2:
            continue
        for lang in ("de", "en"):
            term = stem(tok, lang)
            if term not in out:
                out.append(term)
    return out


def split_compound(token: str, vocab: Container[str], min_part: int = 4) -> list[str]:
    """Split a German compound into two stems the index knows, allowing a linking s/n/es/en.

    Splits nearest the middle win, so "Datenschutzverantwortliche" prefers
    "datenschutz" + "verantwort" over shorter heads.
    """
    if len(token) < 2 * min_part + 1:
        return []
    middle = len(token) / 2
    cuts = sorted(range(min_part, len(token) - min_part + 1), key=lambda i: abs(i - middle))
    for i in cuts:
        head, tail = token[:i], token[i:]
        tail_stem = stem(tail, "de")
        if tail_stem not in vocab:
            continue
        heads = [head] + [
            head[: -len(link)]
            for link in ("s", "n", "es", "en")
            if head.endswith(link) and len(head) - len(link) >= min_part
        ]
        for h in heads:
            h_stem = stem(h, "de")
            if h_stem in vocab:
                return [h_stem, tail_stem]
    return []


QUERY_MIN_PART = 5
COMMON_DF = 3


def _compound_parts(tok: str, vocab: Container[str], doc_freq: Callable[[str], int]) -> list[str]:
    if len(tok) < 2 * QUERY_MIN_PART or doc_freq(stem(tok, "de")) >= COMMON_DF:
        return []
    return split_compound(tok, vocab, min_part=QUERY_MIN_PART)


def query_compound_parts(
    text: str, vocab: Container[str], doc_freq: Callable[[str], int]
) -> list[str]:
    """Parts of the query's German compounds that the index knows, for matching passages
    that use the parts on their own ("Zugangsschlüssel" -> "zugang", "schlussel").

    A compound the index already holds in a few chunks is matched as it is; splitting it
    too only adds noise. Parts must be at least five letters: shorter heads ("unt", "lag")
    match everything.
    """
    parts: list[str] = []
    for tok in tokens(text):
        if tok in STOPWORDS:
            continue
        for part in _compound_parts(tok, vocab, doc_freq):
            if part not in parts:
                parts.append(part)
    return parts


# Particles of German separable verbs: "Wie bereiten wir die Daten auf?" asks about
# "aufbereiten", which a passage spells as one word.
SEPARABLE_PARTICLES = _words(
    "ab an auf aus bei ein fest fort her hin los mit nach vor weg weiter zu zurück zusammen"
)
_CLAUSE_END = re.compile(r"[.?!;:,]")
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")
_FINITE_ENDING = re.compile(r"(?:e?s?t|e)$")


def query_particle_verbs(text: str, vocab: Container[str]) -> list[str]:
    """Stems of German particle verbs a question splits in two ("bereiten ... auf" ->
    "aufbereit"): a clause ending in a particle joins it to each lower-case word of the
    clause (German verbs are not capitalised); only joins the index knows are kept."""
    found: list[str] = []
    for clause in _CLAUSE_END.split(text):
        words = _WORD.findall(clause)
        if len(words) < 2 or words[-1].lower() not in SEPARABLE_PARTICLES:
            continue
        particle = words[-1].lower()
        for word in words[:-1]:
            if not word.islower() or word in STOPWORDS or len(word) < 3:
                continue
            lower = word.lower()
            for form in (lower, _FINITE_ENDING.sub("", lower) + "en"):  # legt -> legen
                joined = stem(particle + form, "de")
                if joined in vocab and joined not in found:
                    found.append(joined)
    return found


def query_term_groups(
    text: str,
    vocab: Container[str],
    doc_freq: Callable[[str], int],
    translations: Mapping[str, Sequence[str]] | None = None,
) -> list[frozenset[str]]:
    """One group per distinct query word: the index terms any of which stands for it
    (its German and English stem, the parts of a compound, its translations into the other
    language). Used to ask "how many of the question's words does this sentence contain"
    without counting a word twice."""
    translations = translations or {}
    groups: list[frozenset[str]] = []
    for tok in tokens(text):
        if tok in STOPWORDS or len(tok) < 2:
            continue
        group = frozenset(
            {
                stem(tok, "de"),
                stem(tok, "en"),
                *_compound_parts(tok, vocab, doc_freq),
                *translations.get(fold(tok), ()),
            }
        )
        if group not in groups:
            groups.append(group)
    return groups
