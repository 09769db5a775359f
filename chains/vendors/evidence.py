"""Candidate sentences from a vendor's documents and how relevant each is to a criterion.

Relevance mixes two signals, because each misses what the other sees: shared word stems
with the criterion's queries (exact terms such as "SOC 2", "AVV") and the embedding
cosine to the queries (paraphrases, the other language). The section heading adds a little,
since vendor sheets put each topic under its own heading. Sentence vectors are computed in
batches and cached by text, so a sentence found for several criteria is embedded once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from chains.vendors.cues import clean_sentence
from core.domain import Chunk
from ingest.sentences import split_sentences
from kb.analysis import query_terms
from kb.embeddings import Embedder, Vectors
from knowledge.vendor_criteria import Criterion

log = logging.getLogger(__name__)

_INLINE_ITEM = re.compile(r"(?<=[.!?:])\s+[-•]\s+(?=[A-ZÄÖÜ])")

MIN_SENTENCE_CHARS = 20
MIN_WORDS = 4
MAX_SENTENCE_CHARS = 700
# Weights of the relevance signals (sum 1): sentence cosine, heading cosine, stem overlap.
W_SENTENCE, W_HEADING, W_STEMS = 0.6, 0.15, 0.25
STEMS_FOR_FULL_OVERLAP = 3


@dataclass(frozen=True)
class Sentence:
    """One cleaned sentence and the chunk it came from (for the citation)."""

    text: str
    chunk: Chunk

    @property
    def heading(self) -> str:
        return self.chunk.section.split(" › ")[-1] if self.chunk.section else self.chunk.title


def sentences_of(chunks: Iterable[Chunk]) -> list[Sentence]:
    """Split chunks into sentences; overlapping chunks give each sentence once.

    List items run together on one line ("… data. - Can be deleted …") are split too;
    headings and fragments (fewer than four words) are left out.
    """
    seen: set[str] = set()
    out: list[Sentence] = []
    for chunk in chunks:
        for raw in split_sentences(chunk.text):
            for part in _INLINE_ITEM.split(raw):
                text = clean_sentence(part)
                key = text.lower()
                if len(text) < MIN_SENTENCE_CHARS or len(text.split()) < MIN_WORDS:
                    continue
                if key in seen:
                    continue
                seen.add(key)
                out.append(Sentence(text[:MAX_SENTENCE_CHARS], chunk))
    return out


class RelevanceScorer:
    """Scores sentences against criteria; vectors are batched and cached by text."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._vectors: dict[str, Vectors] = {}
        self._queries: dict[str, Vectors] = {}
        self._terms: dict[str, frozenset[str]] = {}

    def prepare(self, texts: Iterable[str]) -> None:
        """Embed every text not seen yet, in one batch."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if not missing:
            return
        vectors = self.embedder.embed_documents(missing)
        for text, vector in zip(missing, vectors, strict=True):
            self._vectors[text] = vector
        log.debug("embedded %d sentences", len(missing))

    def prepare_queries(self, criteria: Iterable[Criterion]) -> None:
        """Embed the queries of all criteria in one batch.

        They are embedded like the sentences (as passages): relevance here is similarity
        between two statements, and one batch is far cheaper than a call per query.
        """
        todo = [c for c in criteria if c.id not in self._queries]
        texts = [q for c in todo for q in c.queries.all()]
        if not texts:
            return
        vectors = self.embedder.embed_documents(texts)
        start = 0
        for c in todo:
            count = len(c.queries.all())
            self._queries[c.id] = vectors[start : start + count]
            self._terms[c.id] = frozenset(query_terms(" ".join(c.queries.all())))
            start += count

    def _query_vectors(self, criterion: Criterion) -> Vectors:
        if criterion.id not in self._queries:
            self.prepare_queries([criterion])
        return self._queries[criterion.id]

    def _cosine(self, text: str, queries: Vectors) -> float:
        if not text:
            return 0.0
        if text not in self._vectors:
            self.prepare([text])
        return float(np.max(queries @ self._vectors[text]))

    def score(self, sentence: Sentence, criterion: Criterion) -> float:
        """0..1: how much the sentence is about the criterion."""
        queries = self._query_vectors(criterion)
        shared = set(query_terms(sentence.text)) & self._terms[criterion.id]
        overlap = min(1.0, len(shared) / STEMS_FOR_FULL_OVERLAP)
        return (
            W_SENTENCE * max(0.0, self._cosine(sentence.text, queries))
            + W_HEADING * max(0.0, self._cosine(sentence.heading, queries))
            + W_STEMS * overlap
        )

    def rank(
        self, sentences: Sequence[Sentence], criterion: Criterion
    ) -> list[tuple[float, Sentence]]:
        """Sentences by relevance, best first."""
        self.prepare([s.text for s in sentences] + [s.heading for s in sentences])
        scored = [(self.score(s, criterion), s) for s in sentences]
        return sorted(scored, key=lambda pair: -pair[0])
