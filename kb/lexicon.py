"""Word-by-word German <-> English translation of a question, for the keyword ranking.

USE and e5 are multilingual, yet both rank passages in the question's own language first,
and BM25 cannot cross languages at all: on a held-out set of 50 questions, a German
question found its English answer passage in the top 5 for 4 of 23 cross-lingual questions,
against 10 of 27 in its own language. A lexicon (``data/lexicon_de_en.tsv``) translates
each content word into the other language; the translations join the keyword query and
count, in the sentence pass, as alternatives of the word they translate
(docs/retrieval.md, "Cross-lingual lexicon").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import KnowledgeError
from kb.analysis import STOPWORDS, fold, stem, tokens

# Two senses per word: the third and fourth added noise on the held-out set (R@5 ±0,
# dev −1 question); one sense lost the words whose first sense is not the document's.
SENSES = 2
_MIN_WORD = 3
_MIN_PART = 4
# Inflected words back to a lemma the lexicon may hold: adjective endings ("internen" ->
# intern), past participles and finite verb forms ("beschriftet" -> beschriften,
# "gebuchten" -> buchen, "hochgeladener" -> hochladen), zu-infinitives ("herauszugeben" ->
# herausgeben). A guess that is no lemma costs nothing: only forms the lexicon knows count.
_ADJECTIVE_ENDINGS = ("en", "er", "es", "em", "e")
_VERB_ENDINGS = (
    ("ert", "ern"),
    ("elt", "eln"),
    ("et", "en"),
    ("t", "en"),
    ("te", "en"),
    ("ten", "en"),
    ("st", "en"),
)
_PARTICLE_VERB = re.compile(
    r"^(ab|an|auf|aus|bei|ein|fest|her|heraus|herunter|hin|hoch|mit|nach|vor|weg|weiter"
    r"|wieder|zu|zurück|zusammen)(ge|zu)(.{4,})$"
)


def _lemma_forms(word: str) -> Iterator[str]:
    """The word itself, then the lemmas it may be an inflected form of."""
    yield word
    yield from _infinitives(word)
    for ending in _ADJECTIVE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_PART:
            base = word[: -len(ending)]
            yield base
            yield from _infinitives(base)


def _infinitives(word: str) -> Iterator[str]:
    for ending, infinitive in _VERB_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_PART:
            base = word[: -len(ending)]
            yield base + infinitive
            if base.startswith("ge") and len(base) >= 5:
                yield base[2:] + infinitive  # gespeichert -> speichern
    if word.startswith("ge") and word.endswith("en") and len(word) > 6:
        yield word[2:]  # geladen -> laden
    particle = _PARTICLE_VERB.match(word)
    if particle:
        rest = particle.group(3)
        for form in (rest, *_infinitives(rest)):
            yield particle.group(1) + form  # aufbewahrt -> aufbewahren


def _rows(path: Path, expected: str) -> Iterator[tuple[str, list[str]]]:
    """(left column, right column split at ";") of each line; "#" starts a comment line."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        left, sep, right = line.partition("\t")
        parts = [p.strip() for p in right.split(";") if p.strip()]
        if not sep or not left.strip() or not parts:
            raise KnowledgeError(f"{path.name}, line {number}: expected '{expected}'.")
        yield left.strip(), parts


def _forms(path: Path) -> dict[str, str]:
    forms: dict[str, str] = {}
    for form, (infinitive, *_) in _rows(path, "form<TAB>infinitive"):
        forms.setdefault(fold(form), fold(infinitive))
    return forms


@dataclass(frozen=True)
class Lexicon:
    """German lemmas and stems to English translations, English stems to German lemmas.

    A word is looked up as a lemma first: "Vertrag" and "vertraglich" share the stem
    "vertrag", and only the lemma knows which of them means "contract".
    """

    de_en: Mapping[str, tuple[str, ...]]
    de_stems: Mapping[str, tuple[str, ...]]
    en_de: Mapping[str, tuple[str, ...]]
    forms: Mapping[str, str] = field(default_factory=dict)  # "empfiehlt" -> "empfehlen"

    @classmethod
    def load(cls, path: Path, forms: Path | None = None) -> Lexicon:
        """Read ``German<TAB>english; english`` lines (``#`` starts a comment line) and,
        if given, ``form<TAB>infinitive`` lines of irregular verbs, whose forms no ending
        rule reaches ("empfiehlt", "entschieden")."""
        de_en: dict[str, list[str]] = {}
        de_stems: dict[str, list[str]] = {}
        en_de: dict[str, list[str]] = {}
        for german, senses in _rows(path, "German<TAB>english; english"):
            lemma = fold(german)
            known = de_en.setdefault(lemma, [])
            known += [s for s in senses if s not in known]
            lemmas = de_stems.setdefault(stem(lemma, "de"), [])
            if lemma not in lemmas:
                lemmas.append(lemma)
            for sense in senses:
                if " " not in sense:
                    back = en_de.setdefault(stem(sense.lower(), "en"), [])
                    if lemma not in back:
                        back.append(lemma)
        by_stem = {  # "Verträge": the senses of "Vertrag" before those of "vertraglich"
            key: tuple(dict.fromkeys(s for lemma in sorted(group, key=len) for s in de_en[lemma]))
            for key, group in de_stems.items()
        }
        return cls(
            {k: tuple(v) for k, v in de_en.items()},
            by_stem,
            {k: tuple(v) for k, v in en_de.items()},
            _forms(forms) if forms is not None else {},
        )

    def _german(self, form: str) -> tuple[str, ...]:
        return (
            self.de_en.get(form)
            or self.de_en.get(self.forms.get(form, ""))
            or self.de_stems.get(stem(form, "de"), ())
        )

    def senses(self, word: str) -> tuple[str, tuple[str, ...]]:
        """(target language, translations) of one lower-case word; ("", ()) if unknown."""
        for found in map(self._german, _lemma_forms(word)):
            if found:
                return "en", found
        german = self.en_de.get(stem(word, "en"))
        if german:
            return "de", german
        return "", self._compound(word)

    def _compound(self, word: str) -> tuple[str, ...]:
        """A German compound the lexicon lacks, as its longest known head and its tail:
        "Trainingsverlust" -> training, loss."""
        for cut in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
            tail = self._german(word[cut:])
            if not tail:
                continue
            head = word[:cut]
            for form in (head, head[:-1] if head.endswith("s") else ""):
                found = self._german(form) if len(form) >= _MIN_PART else None
                if found:
                    return found[:1] + tail[:1]
        return ()

    def translate(self, text: str) -> dict[str, tuple[str, ...]]:
        """Index terms of each content word's translations, keyed by the word."""
        out: dict[str, tuple[str, ...]] = {}
        for word in tokens(fold(text)):
            if word in out or word in STOPWORDS or len(word) < _MIN_WORD or word.isdigit():
                continue
            lang, senses = self.senses(word)
            target = lang or "en"  # a compound split is German -> English
            terms: list[str] = []
            for sense in senses[:SENSES]:
                for part in tokens(sense):
                    if part not in STOPWORDS and len(part) > 1:
                        term = stem(part, target)
                        if term not in terms:
                            terms.append(term)
            if terms:
                out[word] = tuple(terms)
        return out
