"""Hybrid retrieval: dense (embeddings in Chroma) + BM25, fused, then a sentence-level pass.

1. The query's terms: German and English stems, glossary expansion, and the index-known
   parts of German compounds the index does not hold as a whole.
2. Candidate lists: nearest chunks by embedding, nearest by the second embedding model
   when the workspace has one (``kb.second``), best chunks by BM25. Both question
   vectors lose half the workspace's mean vector first (``kb.sidestore.centre_query``);
   the second model's cosines lose their passage language's offset
   (``kb.language_balance``), so a German question can find an English passage there.
   Opt-in: the dense score mixes the chunk cosine with its best sentence window's
   (``kb.windows``), and the question vector includes its last sentence when it has several.
3. Fusion (``kb.fusion``): each candidate's score in every ranking, standardised against
   that ranking's distribution over the workspace, summed (RRF as an option).
4. Second pass (``kb.rerank``) over the best fused candidates: a chunk gains when one of
   its sentences carries most of the query's rare terms.
5. Spread (``kb.diversity``): each further chunk of a document already ranked loses a
   little, so one long document does not fill the whole list.

Filters (category, documents, vendor) are applied to both lists before fusion, and only
committed document versions of this workspace are ever seen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from core.domain import Chunk, SearchHit
from ingest.language import detect_language
from kb.analysis import query_compound_parts, query_particle_verbs, query_term_groups
from kb.diversity import spread_documents
from kb.embeddings import Vectors
from kb.expansion import ExpandedQuery
from kb.fusion import FusionMethod, Lookup, Signal, fuse
from kb.keyword import KeywordIndex
from kb.language_balance import ChunkLanguages, LanguageOffsets, language_offsets
from kb.lexicon import Lexicon
from kb.rerank import SentenceReranker
from kb.sidestore import ScoreStats, SideStore, centre_query
from kb.windows import combine, query_vector
from kb.workspace import Workspace

COMPOUND_PART_WEIGHT = 1.0
_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """Threads for the second model's question embedding (created on first use)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="lotse-second")
        return _POOL


def _signal(
    weight: float,
    ranking: Sequence[tuple[str, float]],
    stats: ScoreStats | None,
    lookup: Lookup,
) -> Signal:
    """A dense ranking standardised by its workspace statistics (none: by its own list)."""
    return Signal(
        weight, ranking, stats.mean if stats else None, stats.sd if stats else None, lookup
    )


def _balanced(
    lookup: Lookup, offsets: LanguageOffsets, language_of: Callable[[str], str | None]
) -> Lookup:
    """``lookup`` with each chunk's language offset taken off its cosine."""

    def scores(ids: Sequence[str]) -> dict[str, float]:
        return offsets.apply(lookup(ids), language_of)

    return scores


class StoredVectors:
    """The stored vectors of one search's candidates under one model, read once.

    Reads happen while the second model still embeds the question (``prefetch``), so the
    fusion's exact scores of candidates a ranking did not return cost a dot product
    instead of a store round trip after the question vector arrives (docs/scaling.md).
    """

    def __init__(self, fetch: Callable[[Sequence[str]], Mapping[str, Vectors]]) -> None:
        self._fetch = fetch  # chunk id -> its vectors, one row per record
        self._held: dict[str, Vectors] = {}
        self._asked: set[str] = set()

    def prefetch(self, ids: Iterable[str]) -> None:
        missing = [cid for cid in dict.fromkeys(ids) if cid not in self._asked]
        if missing:
            self._asked.update(missing)
            self._held.update(self._fetch(missing))

    def lookup(self, vector: Vectors) -> Lookup:
        """Exact cosines of ``vector`` to the chunks asked for (best record per chunk)."""
        query = np.asarray(vector, dtype=np.float32)

        def scores(ids: Sequence[str]) -> dict[str, float]:
            self.prefetch(ids)
            return {cid: float(np.max(self._held[cid] @ query)) for cid in ids if cid in self._held}

        return scores


class Expander(Protocol):
    lexicon: Lexicon | None

    def expand(self, query: str) -> ExpandedQuery: ...


@dataclass(frozen=True)
class RetrievalConfig:
    dense_candidates: int = 40
    keyword_candidates: int = 40
    dense_weight: float = 1.0
    second_weight: float = 1.0
    keyword_weight: float = 1.0
    fusion: FusionMethod = "zscore"
    rerank_depth: int = 30
    rerank_weight: float = 2.0
    window_weight: float = 0.5
    window_candidates: int = 200
    question_focus: bool = False
    query_centring: float = 0.5
    document_penalty: float = 0.5
    language_balance: float = 1.0


class HybridRetriever:
    """Search one workspace; the only way chains and pages read passages."""

    def __init__(self, ws: Workspace, expander: Expander, config: RetrievalConfig) -> None:
        self.ws = ws
        self.expander = expander
        self.config = config

    def allowed_docs(
        self,
        category: str | None = None,
        doc_ids: Sequence[str] | None = None,
        vendor: str | None = None,
    ) -> set[str] | None:
        if category is None and doc_ids is None and vendor is None:
            return None
        docs = self.ws.documents()
        return {
            d.doc_id
            for d in docs.values()
            if (category is None or d.category == category)
            and (doc_ids is None or d.doc_id in doc_ids or d.source in doc_ids)
            and (vendor is None or (d.vendor or "").lower() == vendor.lower())
        }

    def search(
        self,
        query: str,
        k: int = 10,
        category: str | None = None,
        doc_ids: Sequence[str] | None = None,
        vendor: str | None = None,
    ) -> list[SearchHit]:
        query = query.strip()
        if not query:
            return []
        cfg = self.config
        allowed = self.allowed_docs(category, doc_ids, vendor)
        index = self.ws.keyword_index()
        expanded = self.expander.expand(query)
        terms = dict(expanded.terms)
        for part in query_compound_parts(query, index.vocab, index.doc_freq):
            terms.setdefault(part, COMPOUND_PART_WEIGHT)
        for verb in query_particle_verbs(query, index.vocab):
            terms.setdefault(verb, 1.0)
        # the second model embeds the question (40-50 ms, outside the GIL) while the first
        # one, BM25 and the candidates' reads work; about 15 ms remain once it is done
        # (100k chunks, docs/scaling.md)
        second_vector = self._embed_second(query)
        vector = centre_query(
            query_vector(self.ws.embedder, query, cfg.question_focus),
            self.ws.dense_mean(),
            cfg.query_centring,
        )
        dense = self._dense(vector, allowed)
        keyword = index.ranked(list(terms.items()), cfg.keyword_candidates, allowed)
        chunks: dict[str, Chunk] = {chunk.id: chunk for chunk, _ in dense}
        # read the keyword-only candidates (text and vector) while e5 is still at work
        held = StoredVectors(lambda ids: self._main_vectors(ids, chunks))
        held.prefetch(cid for cid, _ in keyword.top if cid not in chunks)
        signals = [
            self._dense_signal(vector, dense, held),
            Signal(cfg.keyword_weight, keyword.top, keyword.mean, keyword.sd, keyword.lookup),
        ]
        second = self._second_signal(
            allowed, second_vector, list(chunks), index, detect_language(query)
        )
        if second is not None:
            signals.append(second)
        scores = fuse(signals, cfg.fusion)
        reranker = SentenceReranker(cfg.rerank_depth, cfg.rerank_weight)
        if reranker.weight > 0:
            self._load(chunks, sorted(scores, key=lambda c: -scores[c])[: reranker.depth])
            groups = query_term_groups(query, index.vocab, index.doc_freq, expanded.translations)
            scores = reranker.rerank(scores, chunks, groups, index.idf)
        if cfg.fusion == "zscore":  # the penalty is in z-score units
            doc_of = {cid: chunk.doc_id for cid, chunk in chunks.items()}
            scores = spread_documents(scores, doc_of, cfg.document_penalty)
        ranked = sorted(scores, key=lambda c: -scores[c])[: max(k, 1)]
        self._load(chunks, ranked)
        hits = [cid for cid in ranked if cid in chunks]
        return [SearchHit(chunks[cid], scores[cid], i + 1) for i, cid in enumerate(hits)]

    def _dense_signal(
        self, vector: Vectors, dense: list[tuple[Chunk, float]], held: StoredVectors
    ) -> Signal:
        """The main model's ranking; with sentence windows mixed in, standardised over
        its own list (the workspace statistics describe plain chunk cosines)."""
        ranking = [(chunk.id, score) for chunk, score in dense]
        if self._windows() is not None:
            return Signal(self.config.dense_weight, ranking)
        stats = self.ws.dense_stats(vector)
        return _signal(self.config.dense_weight, ranking, stats, held.lookup(vector))

    def _main_vectors(self, ids: Sequence[str], chunks: dict[str, Chunk]) -> dict[str, Vectors]:
        """Stored main-model vectors of ``ids``; the chunks read with them join ``chunks``."""
        found = self.ws.chunk_vectors(ids)
        chunks.update((cid, chunk) for cid, (chunk, _) in found.items())
        return {cid: emb[None, :] for cid, (_, emb) in found.items()}

    def _embed_second(self, query: str) -> Future[Vectors] | None:
        """Start embedding the question with the second model, if it will be used."""
        store = self.ws.second
        if store is None or not self.ws.second_ready():
            return None
        return _pool().submit(store.embedder.embed_query, query)

    def _second_signal(
        self,
        allowed: set[str] | None,
        pending: Future[Vectors] | None,
        known: Sequence[str],
        index: KeywordIndex,
        question_language: str = "",
    ) -> Signal | None:
        """The second model's ranking (``kb.second``) from the question vector that
        ``_embed_second`` started (None: no second model, or not every chunk has one).
        The ``known`` candidates' vectors are read before that vector is awaited. Its
        cosines lose their passage language's offset (``kb.language_balance``); the
        keyword index knows each chunk's document, and so its language, in memory. A
        document the workspace also holds in the question's language gets no lift."""
        store = self.ws.second
        if pending is None or store is None:
            return None
        docs = self.ws.documents()
        held = StoredVectors(lambda ids: store.vectors(ids, docs))
        held.prefetch(known)
        size = self.ws.count_chunks()
        vector = centre_query(pending.result(), store.mean(size), self.config.query_centring)
        nearest = store.nearest(vector, self.config.dense_candidates, allowed, docs)
        lookup = held.lookup(vector)
        language = ChunkLanguages(index, docs)
        offsets = LanguageOffsets()
        if self.config.language_balance > 0:
            sample_ids, sample = store.sample(size)
            share = self.config.language_balance
            offsets = language_offsets(sample, language(sample_ids), vector, share)
        if offsets.by_language:
            balanced_as = language.balanced_as(
                question_language, self.ws.twin_languages(self.expander.lexicon)
            )
            nearest = offsets.apply(nearest, balanced_as)
            lookup = _balanced(lookup, offsets, balanced_as)
            stats = offsets.stats
        else:
            stats = store.stats(vector, size)
        ranking = sorted(nearest.items(), key=lambda item: -item[1])
        return _signal(self.config.second_weight, ranking, stats, lookup)

    def _dense(self, vector: Vectors, allowed: set[str] | None) -> list[tuple[Chunk, float]]:
        """Dense candidates, best first: chunk cosine mixed with the best window cosine."""
        cfg = self.config
        dense = self.ws.dense_search(vector, cfg.dense_candidates, allowed)
        store = self._windows()
        if store is None:
            return dense
        windows = store.nearest(vector, cfg.window_candidates, allowed, self.ws.documents())
        found = {chunk.id for chunk, _ in dense}
        extra = sorted((cid for cid in windows if cid not in found), key=lambda c: -windows[c])
        dense += self.ws.chunk_similarities(extra[: cfg.dense_candidates], vector)
        by_id = {chunk.id: chunk for chunk, _ in dense}
        mixed = combine({chunk.id: s for chunk, s in dense}, windows, cfg.window_weight)
        best = sorted(mixed, key=lambda c: -mixed[c])[: cfg.dense_candidates]
        return [(by_id[cid], mixed[cid]) for cid in best]

    def _windows(self) -> SideStore | None:
        """The sentence-window store when windows are on (``LOTSE_SENTENCE_WINDOWS``); the
        store stays attached when they are off, so that deletes reach old records, but
        is then not searched."""
        store = self.ws.windows
        if store is None or not store.write or self.config.window_weight <= 0:
            return None
        return store

    def _load(self, chunks: dict[str, Chunk], ids: Sequence[str]) -> None:
        """Fetch the chunks among ``ids`` not yet in ``chunks`` (keyword-only candidates)."""
        missing = [cid for cid in ids if cid not in chunks]
        if missing:
            chunks.update(self.ws.get_chunks(missing))
