"""Hybrid retrieval: dense (embeddings in Chroma) + BM25, fused by reciprocal rank.

Filters (category, documents, vendor) are applied to both rankings before fusion, and
only committed document versions of this workspace are ever seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from core.domain import Chunk, SearchHit
from kb.expansion import ExpandedQuery
from kb.workspace import Workspace

RRF_K = 60


class Expander(Protocol):
    def expand(self, query: str) -> ExpandedQuery: ...


@dataclass(frozen=True)
class RetrievalConfig:
    dense_candidates: int = 40
    keyword_candidates: int = 40
    dense_weight: float = 1.0
    keyword_weight: float = 1.0


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
            d.doc_id for d in docs.values()
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
        allowed = self.allowed_docs(category, doc_ids, vendor)
        expanded = self.expander.expand(query)
        vector = self.ws.embedder.embed_query(query)
        dense = self.ws.dense_search(vector, self.config.dense_candidates, allowed)
        keyword = self.ws.keyword_index().search(
            expanded.terms, self.config.keyword_candidates, allowed
        )
        scores: dict[str, float] = {}
        chunks: dict[str, Chunk] = {}
        for rank, (chunk, _) in enumerate(dense):
            chunks[chunk.id] = chunk
            scores[chunk.id] = scores.get(chunk.id, 0.0) + self.config.dense_weight / (RRF_K + rank + 1)
        for rank, (cid, _) in enumerate(keyword):
            scores[cid] = scores.get(cid, 0.0) + self.config.keyword_weight / (RRF_K + rank + 1)
        ranked = sorted(scores, key=lambda c: -scores[c])[: max(k, 1)]
        missing = [cid for cid in ranked if cid not in chunks]
        chunks.update(self.ws.get_chunks(missing))
        hits = [cid for cid in ranked if cid in chunks]
        return [SearchHit(chunks[cid], scores[cid], i + 1) for i, cid in enumerate(hits)]
