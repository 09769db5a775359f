"""Run many retriever searches with their query vectors embedded in one batched call.

``HybridRetriever.search`` embeds each query on its own; for ~90 requirement queries a
batch is several times cheaper on two cores. ``batched_retriever`` returns a retriever
over a read-only view of the same workspace whose embedder answers ``embed_query`` from
the precomputed (and process-cached) vectors, so ranking and filters stay exactly the
retriever's. (If ``search`` ever accepts a precomputed vector, this module goes away.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from chains.requirements.vectors import embed_cached
from kb.embeddings import Embedder, Vectors
from kb.retriever import HybridRetriever
from kb.workspace import Workspace


class _PrecomputedQueries:
    """An Embedder whose ``embed_query`` looks up vectors computed beforehand."""

    def __init__(self, inner: Embedder, vectors: dict[str, Vectors]) -> None:
        self.name = inner.name
        self.dim = inner.dim
        self._inner = inner
        self._vectors = vectors

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        return self._inner.embed_documents(texts)

    def embed_query(self, text: str) -> Vectors:
        vector = self._vectors.get(text)
        return vector if vector is not None else self._inner.embed_query(text)


class _WorkspaceView:
    """The workspace with another embedder; every other attribute is the workspace's."""

    def __init__(self, ws: Workspace, embedder: Embedder) -> None:
        self._ws = ws
        self.embedder = embedder

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ws, name)


_symmetric: dict[str, bool] = {}


def symmetric(embedder: Embedder) -> bool:
    """Whether queries and documents embed alike (USE, MiniLM yes; E5 adds a prefix)."""
    if embedder.name not in _symmetric:
        probe = "Datenstandort des Anbieters"
        same = float(embedder.embed_query(probe) @ embedder.embed_documents([probe])[0])
        _symmetric[embedder.name] = same > 0.9999
    return _symmetric[embedder.name]


def batched_retriever(retriever: HybridRetriever, queries: Sequence[str]) -> HybridRetriever:
    """A retriever for ``queries`` whose query embeddings cost one batched call.

    For an asymmetric model the retriever itself is returned: correctness before speed.
    """
    if not symmetric(retriever.ws.embedder):
        return retriever
    texts = list(dict.fromkeys(q.strip() for q in queries if q.strip()))
    vectors = embed_cached(retriever.ws.embedder, texts)
    lookup = dict(zip(texts, vectors, strict=True))
    view = _WorkspaceView(retriever.ws, _PrecomputedQueries(retriever.ws.embedder, lookup))
    return HybridRetriever(cast(Workspace, view), retriever.expander, retriever.config)
