"""Second pass over the best fused candidates: does one sentence carry the question?

An answer usually sits in one sentence. A chunk whose single sentence contains most of the
question's rare words is a better passage than one that scatters them over a page, but
chunk-level BM25 and a chunk embedding cannot tell the two apart. The coverage of a
sentence is the idf-weighted share of the question's words it contains (a word counts
once, whichever of its German or English stems matches); a candidate gains
``weight x`` its best sentence's coverage (the fused scores are z-scores, so a weight of 1
is one standard deviation).

Only text work, no model call: sentence term sets are cached per chunk text, so the pass
costs a few milliseconds for 30 candidates (measured in docs/retrieval.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from core.domain import Chunk
from ingest.sentences import split_sentences
from kb.analysis import doc_terms


@lru_cache(maxsize=50_000)
def sentence_terms(text: str, language: str) -> tuple[frozenset[str], ...]:
    """Index terms of each sentence of a chunk (cached: chunk texts never change)."""
    return tuple(
        frozenset(terms) for sent in split_sentences(text) if (terms := doc_terms(sent, language))
    )


def best_sentence_coverage(
    chunk: Chunk, groups: Sequence[frozenset[str]], idf: Callable[[str], float]
) -> float:
    """Largest idf-weighted share of the query's words found in a single sentence (0..1).

    ``groups`` holds one set of alternative index terms per query word; a word counts
    when any of its terms is in the sentence, weighted by its rarest known term.
    """
    weighted = [(g, max(idf(t) for t in g)) for g in groups]
    total = sum(w for _, w in weighted)
    if total <= 0:
        return 0.0
    best = 0.0
    for sentence in sentence_terms(chunk.text, chunk.language):
        best = max(best, sum(w for g, w in weighted if not g.isdisjoint(sentence)))
    return best / total


@dataclass(frozen=True)
class SentenceReranker:
    """Adds ``weight x coverage`` to the fused score of the ``depth`` best candidates."""

    depth: int = 30
    weight: float = 2.0

    def rerank(
        self,
        fused: Mapping[str, float],
        chunks: Mapping[str, Chunk],
        groups: Sequence[frozenset[str]],
        idf: Callable[[str], float],
    ) -> dict[str, float]:
        """New scores for the top ``depth`` candidates (others keep theirs)."""
        scores = dict(fused)
        if self.weight <= 0 or self.depth <= 0:
            return scores
        idf_cached = lru_cache(maxsize=None)(idf)
        for cid in sorted(fused, key=lambda c: -fused[c])[: self.depth]:
            chunk = chunks.get(cid)
            if chunk is not None:
                scores[cid] += self.weight * best_sentence_coverage(chunk, groups, idf_cached)
        return scores
