"""Sentence windows: a second set of vectors per chunk, for paraphrased questions.

A 900-character chunk vector averages several statements; a question usually paraphrases
one of them. USE-multilingual was trained on sentence-level similarity, so each chunk also
gets vectors for its single sentences and pairs of consecutive sentences ("windows", never
crossing the chunk). Dense search scores a chunk by ``(1 - w) x chunk cosine + w x best
window cosine`` (``LOTSE_WINDOW_WEIGHT``, 0.5).

Storage follows the crash-safety design of ``kb.workspace``: windows live in their own
collection (``lotse-windows-<workspace>``), each record carries the chunk id, document id,
file hash and version of the chunk it belongs to, and a window counts only when that
version is the committed one. Windows are written before the commit, the replaced
version's windows (and orphans over an hour old) are removed after it, and deleting a
document deletes its windows. Missing windows (a workspace ingested before they existed,
an imported archive, a concurrent writer's cleanup) only make a chunk fall back to its
chunk cosine; they never hide a chunk.

The question side (``focus_text``): a question of several sentences is usually scenario
first, interrogative last ("Our desk does X. Is that still safe?"); its last sentence is
embedded as well and the two vectors are summed, so the asking part is not drowned out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from core.domain import Chunk, DocumentInfo
from ingest.sentences import split_sentences
from kb.embeddings import Embedder, Vectors

log = logging.getLogger(__name__)

WINDOWS_PREFIX = "lotse-windows-"
WINDOW_SIZES = (1, 2)
MIN_WINDOW_CHARS = 20
ORPHAN_AGE_S = 3600.0  # same rule as kb.workspace: older uncommitted records are leftovers
_BATCH = 1000


def sentence_windows(text: str, sizes: Sequence[int] = WINDOW_SIZES) -> list[str]:
    """Runs of 1..n consecutive sentences of one chunk (distinct, at least 20 characters)."""
    sentences = split_sentences(text)
    out: list[str] = []
    seen: set[str] = set()
    for size in sizes:
        for start in range(0, len(sentences) - size + 1):
            window = " ".join(sentences[start : start + size])
            if len(window) >= MIN_WINDOW_CHARS and window not in seen:
                seen.add(window)
                out.append(window)
    return out


def focus_text(question: str) -> str:
    """The last sentence of a question of several sentences, else "" (no extra focus)."""
    sentences = split_sentences(question.strip())
    return sentences[-1] if len(sentences) > 1 else ""


def query_vector(embedder: Embedder, question: str, use_focus: bool = True) -> Vectors:
    """The question's vector, plus its focus sentence's when it has one (re-normalised)."""
    vector: Vectors = embedder.embed_query(question)
    focus = focus_text(question) if use_focus else ""
    if not focus:
        return vector
    summed = vector + embedder.embed_query(focus)
    norm = float(np.linalg.norm(summed))
    out: Vectors = (summed / norm).astype(np.float32) if norm > 0 else vector
    return out


def _committed(meta: dict[str, Any], docs: dict[str, DocumentInfo]) -> bool:
    info = docs.get(str(meta.get("doc_id")))
    return (
        info is not None
        and info.file_hash == meta.get("file_hash")
        and meta.get("version") == info.version
    )


class WindowStore:
    """The window collection of one workspace (see the module doc for the write rules)."""

    def __init__(self, collection: Any, embedder: Embedder, write: bool = True) -> None:
        self._col = collection
        self._embedder = embedder
        self.write = write  # False: no new windows, but cleanup and deletion still run

    def put(self, info: DocumentInfo, chunks: Sequence[Chunk], written_at: float) -> int:
        """Embed and write the windows of one (not yet committed) document version."""
        if not self.write:
            return 0
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict[str, str | int | float]] = []
        for chunk in chunks:
            for j, window in enumerate(sentence_windows(chunk.text)):
                ids.append(f"{chunk.id}:w{j}")
                texts.append(window)
                metas.append(
                    {
                        "chunk_id": chunk.id,
                        "doc_id": info.doc_id,
                        "file_hash": info.file_hash,
                        "version": info.version,
                        "written_at": written_at,
                    }
                )
        if not ids:
            return 0
        vectors = self._embedder.embed_documents(texts)
        for start in range(0, len(ids), _BATCH):
            end = start + _BATCH
            self._col.upsert(
                ids=ids[start:end],
                embeddings=np.asarray(vectors[start:end]).tolist(),
                metadatas=metas[start:end],
            )
        return len(ids)

    def remove_superseded(self, info: DocumentInfo, replaced: DocumentInfo | None) -> None:
        """After ``info`` is committed: drop the replaced version's windows and old orphans."""
        got = self._col.get(where={"doc_id": info.doc_id}, include=["metadatas"])
        cutoff = time.time() - ORPHAN_AGE_S
        stale = [
            wid
            for wid, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
            if meta.get("version") != info.version
            and (
                (
                    replaced is not None
                    and meta.get("version") == replaced.version
                    and meta.get("file_hash") == replaced.file_hash
                )
                or float(meta.get("written_at") or 0.0) < cutoff
            )
        ]
        for start in range(0, len(stale), _BATCH):
            self._col.delete(ids=stale[start : start + _BATCH])

    def delete_document(self, doc_id: str) -> None:
        self._col.delete(where={"doc_id": doc_id})

    def best_scores(
        self,
        vector: Vectors,
        n: int,
        allowed: set[str] | None,
        docs: dict[str, DocumentInfo],
    ) -> dict[str, float]:
        """Best window cosine per chunk among the ``n`` nearest committed windows."""
        if not docs or (allowed is not None and not allowed) or self._col.count() == 0:
            return {}
        where = None if allowed is None else {"doc_id": {"$in": sorted(allowed)}}
        res = self._col.query(
            query_embeddings=[np.asarray(vector).tolist()],
            n_results=n,
            where=where,
            include=["metadatas", "distances"],
        )
        best: dict[str, float] = {}
        for meta, dist in zip(res["metadatas"][0], res["distances"][0], strict=True):
            if _committed(meta, docs):
                cid = str(meta["chunk_id"])
                best[cid] = max(best.get(cid, -1.0), 1.0 - float(dist))
        return best


def combine(
    chunk_scores: dict[str, float], window_scores: dict[str, float], weight: float
) -> dict[str, float]:
    """``(1 - weight) x chunk + weight x window`` per chunk with a chunk cosine.

    A chunk none of whose windows came back scores its windows as the lowest window
    score returned (but never above its own chunk cosine).
    """
    if not window_scores or weight <= 0:
        return dict(chunk_scores)
    floor = min(window_scores.values())
    return {
        cid: (1 - weight) * score + weight * window_scores.get(cid, min(floor, score))
        for cid, score in chunk_scores.items()
    }
