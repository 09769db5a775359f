"""Take the passage language out of the second model's cosines.

multilingual-e5-small places a question nearer to every passage in its own language: over
the evaluation corpus a German question's mean cosine is 0.660 to German passages and
0.600 to English ones (the spread within a language is about 0.02), and an English
question shows the mirror image. So e5 votes for the question's language, not for the
answer: the gold passage of a cross-lingual question sat at median rank 367 among 2,262
chunks by raw e5 cosine and at rank 26 once each language's offset was removed
(docs/retrieval.md, session 21). USE-multilingual shows a far smaller offset (0.4 of its
spread) and removing it gained nothing, so only the second model is balanced.

The offset is measured per question on the workspace's cached vector sample: the mean
cosine to the sampled passages of one language minus the mean over the whole sample. A
passage's cosine loses its language's offset (times ``share``), so the passages of each
language are standardised around the same centre. Languages with fewer than
``MIN_SAMPLED`` sampled passages keep their raw cosines (too few to estimate an offset).
A document the workspace also holds in the question's language (``twin_languages``, found
by its translated title) is balanced as if written in that language: its own rendering
keeps the lead, as before.

The grounding decision (``chains.answering.grounding``) meets the same bias at the
nearest passage: ``cross_lingual_closeness`` gives a passage in the other language a
calibrated gap back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from core.domain import DocumentInfo
from kb.analysis import STOPWORDS, fold, stem, tokens
from kb.embeddings import Vectors
from kb.keyword import KeywordIndex
from kb.lexicon import Lexicon
from kb.sidestore import ScoreStats

MIN_SAMPLED = 20
TWIN_TITLE_SHARE = 0.5


class ChunkLanguages:
    """Chunk id -> its document's language, resolved in memory through the keyword
    index (chunk -> document) and the registry (document -> language)."""

    def __init__(self, index: KeywordIndex, docs: Mapping[str, DocumentInfo]) -> None:
        self._index, self._docs = index, docs
        self._known: dict[str, DocumentInfo | None] = {}

    def __call__(self, chunk_ids: Sequence[str]) -> list[str | None]:
        return [self.of(cid) for cid in self._resolved(chunk_ids)]

    def of(self, chunk_id: str) -> str | None:
        info = self._info(chunk_id)
        return info.language if info is not None else None

    def balanced_as(
        self, question_language: str, twins: Mapping[str, frozenset[str]]
    ) -> Callable[[str], str | None]:
        """The language a chunk is balanced as: a document with a twin in the question's
        language (``twin_languages``) counts as written in it, so its rendering in the
        other language gets no lift and the question's own rendering keeps the lead."""

        def language(chunk_id: str) -> str | None:
            info = self._info(chunk_id)
            if info is None:
                return None
            if question_language in twins.get(info.doc_id, frozenset()):
                return question_language
            return info.language

        return language

    def _info(self, chunk_id: str) -> DocumentInfo | None:
        self._resolved([chunk_id])
        return self._known[chunk_id]

    def _resolved(self, chunk_ids: Sequence[str]) -> Sequence[str]:
        missing = [cid for cid in chunk_ids if cid not in self._known]
        if missing:
            doc_of = self._index.documents_of(missing)
            for cid in missing:
                self._known[cid] = self._docs.get(doc_of.get(cid, ""))
        return chunk_ids


def _title_terms(
    info: DocumentInfo, lexicon: Lexicon | None
) -> tuple[list[frozenset[str]], frozenset[str]]:
    """A title's words as sets of English stems (German words with their lexicon
    translations) and its numbers, which must match exactly ("Schritt 5" is not "Step 1")."""
    words = [w for w in tokens(fold(info.title)) if w not in STOPWORDS]
    numbers = frozenset(w for w in words if any(c.isdigit() for c in w))
    translated = lexicon.translate(info.title) if lexicon and info.language != "en" else {}
    return [
        frozenset({stem(w, "en"), *translated.get(w, ())}) for w in words if w not in numbers
    ], numbers


def twin_languages(
    docs: Mapping[str, DocumentInfo], lexicon: Lexicon | None
) -> dict[str, frozenset[str]]:
    """Document id -> the other languages the workspace holds it in.

    Two documents in different languages are taken as one document translated when at
    least ``TWIN_TITLE_SHARE`` of the longer title's words match (through the lexicon)
    and their numbers are equal: on the shipped guide all ten German/English pairs score
    0.5-1.0 and every other pair at most 0.33; on the evaluation corpus the one translated
    pair (OWASP LLM01) scores 1.0 and every other pair at most 0.33.
    """
    terms = {d: _title_terms(info, lexicon) for d, info in docs.items()}
    holding: dict[str, set[str]] = {}  # an English stem -> the documents whose title has it
    for d, (words, _) in terms.items():
        for stem_ in set().union(*words) if words else ():
            holding.setdefault(stem_, set()).add(d)
    out: dict[str, set[str]] = {}
    for a, (words_a, numbers_a) in terms.items():
        lang_a = docs[a].language
        candidates = set().union(*(holding.get(t, set()) for w in words_a for t in w))
        for b in candidates:
            lang_b = docs[b].language
            words_b, numbers_b = terms[b]
            if lang_a >= lang_b or numbers_a != numbers_b:
                continue  # each pair once, and only across languages
            have = set().union(*words_b)
            matched = [alternatives for alternatives in words_a if alternatives & have]
            found = set().union(*matched) if matched else set()
            covered = sum(1 for word in words_b if word & found)
            # one word matched many times ("Datenschutz", "Datenschutzgesetz" -> "data")
            # counts once: the pairs matched are at most the words covered on either side
            if min(len(matched), covered) / max(len(words_a), len(words_b)) >= TWIN_TITLE_SHARE:
                out.setdefault(a, set()).add(lang_b)
                out.setdefault(b, set()).add(lang_a)
    return {d: frozenset(langs) for d, langs in out.items()}


def cross_lingual_closeness(
    cosines: Mapping[str, float],
    language_of: Callable[[str], str | None],
    question_language: str,
    gap: float,
) -> float:
    """The best cosine among ``cosines`` once a passage in another language than the
    question gets ``gap`` back (0.0 when empty): the model scores such passages lower."""
    best = 0.0
    for cid, cos in cosines.items():
        lang = language_of(cid)
        foreign = bool(lang and question_language and lang != question_language)
        best = max(best, cos + gap if foreign else cos)
    return best


@dataclass(frozen=True)
class LanguageOffsets:
    """One question's cosine offset per passage language, and the balanced statistics."""

    by_language: Mapping[str, float] = field(default_factory=dict)
    stats: ScoreStats | None = None

    def apply(
        self, scores: Mapping[str, float], language_of: Callable[[str], str | None]
    ) -> dict[str, float]:
        """``scores`` (chunk id -> cosine) with each chunk's language offset taken off."""
        return {
            cid: score - self.by_language.get(language_of(cid) or "", 0.0)
            for cid, score in scores.items()
        }


def language_offsets(
    sample: Vectors, languages: Sequence[str | None], vector: Vectors, share: float
) -> LanguageOffsets:
    """Offsets of ``vector``'s cosines per language of the sampled passages (``languages``,
    row by row; None: unknown, never balanced) and the statistics after balancing."""
    if len(sample) < 2 or share <= 0:
        return LanguageOffsets()
    cos = sample @ np.asarray(vector, dtype=np.float32)
    overall = float(cos.mean())
    labels = np.asarray([lang or "" for lang in languages])
    offsets: dict[str, float] = {}
    for lang in sorted(set(labels) - {""}):
        rows = labels == lang
        if int(rows.sum()) >= MIN_SAMPLED:
            offsets[lang] = share * (float(cos[rows].mean()) - overall)
    if len(offsets) < 2:
        return LanguageOffsets()  # one language: nothing to balance
    balanced = cos - np.asarray([offsets.get(lang, 0.0) for lang in labels], dtype=np.float32)
    sd = float(balanced.std())
    stats = ScoreStats(float(balanced.mean()), sd) if sd > 1e-9 else None
    return LanguageOffsets(offsets, stats)
