"""Extra vectors per chunk in a collection of their own: sentence windows, a second model.

A chunk can carry more vectors than its one chunk vector in the main collection: the
vectors of its sentence windows (``kb.windows``) or of the whole chunk text under a second
embedding model (``kb.second``). Both follow the crash-safety design of ``kb.workspace``:
each record carries the chunk id, document id, file hash and version of the chunk it
belongs to, and counts only when that version is the committed one. Records are written
before the commit, the replaced version's records (and orphans over an hour old) are
removed after it, and deleting a document deletes its records. Missing records (a
workspace ingested before the store existed, a concurrent writer's cleanup) only take a
signal away from a chunk; they never hide a chunk.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.domain import Chunk, DocumentInfo
from kb.embeddings import Embedder, Vectors

log = logging.getLogger(__name__)

ORPHAN_AGE_S = 3600.0  # same rule as kb.workspace: older uncommitted records are leftovers
SAMPLE_SIZE = 512
_BATCH = 1000

# chunk -> [(record id, text to embed), ...]
Units = Callable[[Chunk], list[tuple[str, str]]]


def whole_chunk(chunk: Chunk) -> list[tuple[str, str]]:
    """One record per chunk, under the chunk's own id (a second model's chunk vector)."""
    return [(chunk.id, chunk.text)]


def committed(meta: dict[str, Any], docs: dict[str, DocumentInfo]) -> bool:
    info = docs.get(str(meta.get("doc_id")))
    return (
        info is not None
        and info.file_hash == meta.get("file_hash")
        and meta.get("version") == info.version
    )


@dataclass(frozen=True)
class ScoreStats:
    """Mean and spread of one query's cosine over a workspace (from a vector sample)."""

    mean: float
    sd: float


def sample_stats(sample: Vectors, vector: Vectors) -> ScoreStats | None:
    """Cosine statistics of ``vector`` against a sample of a workspace's vectors."""
    if len(sample) < 2:
        return None
    cos = sample @ np.asarray(vector, dtype=np.float32)
    sd = float(cos.std())
    return ScoreStats(float(cos.mean()), sd) if sd > 1e-9 else None


def centre_query(vector: Vectors, mean: Vectors, share: float) -> Vectors:
    """The query vector with ``share`` of the workspace's mean vector taken out, unit length.

    Sentence embeddings are anisotropic: all passages share one dominant direction, and
    passages that lie along it (boilerplate, source lines, generic overviews) come out
    near every question. Ranking by ``c · (q - share·mean)`` = ``c · q - share · c · mean``
    lowers exactly those passages. On the evaluation corpus this lifted R@5 from 0.40 to
    0.47 with three rankings and from 0.35 to 0.40 with two (docs/retrieval.md).
    """
    q = np.asarray(vector, dtype=np.float32)
    if share <= 0 or mean.shape != q.shape:
        return q
    shifted: Vectors = (q - share * mean).astype(np.float32)
    norm = float(np.linalg.norm(shifted))
    return shifted / np.float32(norm) if norm > 1e-9 else q


def draw_sample(collection: Any, size: int = SAMPLE_SIZE) -> tuple[tuple[str, ...], Vectors]:
    """A fixed-seed random sample of a collection's records: their ids and vectors (for
    per-query statistics)."""
    ids = collection.get(include=[])["ids"]
    if not ids:
        return (), np.zeros((0, 0), dtype=np.float32)
    # sorted ids: the same records give the same sample in the same order, whatever order
    # the store lists them in (an imported copy ranks exactly like its original)
    chosen = sorted(random.Random(len(ids)).sample(sorted(ids), min(size, len(ids))))
    got = collection.get(ids=chosen, include=["embeddings"])
    by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
    kept = tuple(i for i in chosen if i in by_id)
    out: Vectors = np.asarray([by_id[i] for i in kept], dtype=np.float32)
    return kept, out


class SampleCache:
    """A collection's vector sample, redrawn when the workspace's size moves.

    The caller passes the workspace's committed chunk count (known without a query);
    ``collection.count()`` costs ~8 ms per call at 100k records, on every search. A
    sample of a large workspace is kept until the size moves by more than a tenth (the
    statistics of 512 vectors barely change); a small one is redrawn on any change.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._size = -1
        self._ids: tuple[str, ...] = ()
        self._sample: Vectors = np.zeros((0, 0), dtype=np.float32)
        self._mean: Vectors = np.zeros(0, dtype=np.float32)

    def get(self, collection: Any, size: int) -> Vectors:
        with self._lock:
            self._refresh(collection, size)
            return self._sample

    def drawn(self, collection: Any, size: int) -> tuple[tuple[str, ...], Vectors]:
        """The sample's record ids and vectors (row by row)."""
        with self._lock:
            self._refresh(collection, size)
            return self._ids, self._sample

    def mean(self, collection: Any, size: int) -> Vectors:
        """The sample's mean vector (empty for an empty collection)."""
        with self._lock:
            self._refresh(collection, size)
            return self._mean

    def _refresh(self, collection: Any, size: int) -> None:
        """Redraw the sample and its mean when stale (the caller holds the lock)."""
        if not self._stale(size):
            return
        self._ids, self._sample = draw_sample(collection)
        self._mean = (
            self._sample.mean(axis=0, dtype=np.float64).astype(np.float32)
            if len(self._sample)
            else np.zeros(0, dtype=np.float32)
        )
        self._size = size

    def _stale(self, size: int) -> bool:
        if size == self._size:
            return False
        small = min(size, self._size) <= SAMPLE_SIZE
        return self._size < 0 or small or abs(size - self._size) > self._size / 10


class SideStore:
    """The extra-vector collection of one workspace (see the module doc for the rules)."""

    def __init__(
        self, collection: Any, embedder: Embedder, units: Units, write: bool = True
    ) -> None:
        self.collection = collection
        self.embedder = embedder
        self.units = units
        # one record per chunk under the chunk's id: look records up by id (an index),
        # not by a metadata filter, which scans the collection
        self.keyed_by_chunk = units is whole_chunk
        self.write = write  # False: no new records, but cleanup and deletion still run
        self._sample = SampleCache()
        self._covered = -1  # the chunk count last found covered

    def put(
        self,
        info: DocumentInfo,
        chunks: Sequence[Chunk],
        written_at: float,
        vectors: Vectors | None = None,
    ) -> int:
        """Embed and write the records of one (not yet committed) document version;
        ``vectors``: the records' vectors, when the caller computed them already."""
        if not self.write:
            return 0
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict[str, str | int | float]] = []
        for chunk in chunks:
            for record_id, text in self.units(chunk):
                ids.append(record_id)
                texts.append(text)
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
        if vectors is None:
            vectors = self.embedder.embed_documents(texts)
        elif len(vectors) != len(ids):
            raise ValueError("side-store records and vectors differ in length")
        for start in range(0, len(ids), _BATCH):
            end = start + _BATCH
            self.collection.upsert(
                ids=ids[start:end],
                embeddings=np.asarray(vectors[start:end]).tolist(),
                metadatas=metas[start:end],
            )
        return len(ids)

    def remove_superseded(self, info: DocumentInfo, replaced: DocumentInfo | None) -> None:
        """After ``info`` is committed: drop the replaced version's records and old orphans."""
        got = self.collection.get(where={"doc_id": info.doc_id}, include=["metadatas"])
        cutoff = time.time() - ORPHAN_AGE_S
        stale = [
            rid
            for rid, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
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
            self.collection.delete(ids=stale[start : start + _BATCH])

    def delete_document(self, doc_id: str) -> None:
        self.collection.delete(where={"doc_id": doc_id})

    def covers(self, chunks: int) -> bool:
        """Does the store hold (at least) as many records as the workspace has chunks?
        A yes is remembered for that chunk count (every search asks)."""
        if chunks <= 0:
            return False
        if self._covered == chunks:
            return True
        if int(self.collection.count()) < chunks:
            return False
        self._covered = chunks
        return True

    def nearest(
        self,
        vector: Vectors,
        n: int,
        allowed: set[str] | None,
        docs: dict[str, DocumentInfo],
    ) -> dict[str, float]:
        """Best cosine per chunk among the ``n`` nearest committed records."""
        if not docs or (allowed is not None and not allowed):
            return {}
        where = None if allowed is None else {"doc_id": {"$in": sorted(allowed)}}
        res = self.collection.query(
            query_embeddings=[np.asarray(vector).tolist()],
            n_results=n,
            where=where,
            include=["metadatas", "distances"],
        )
        best: dict[str, float] = {}
        for meta, dist in zip(res["metadatas"][0], res["distances"][0], strict=True):
            if committed(meta, docs):
                cid = str(meta["chunk_id"])
                best[cid] = max(best.get(cid, -1.0), 1.0 - float(dist))
        return best

    def vectors(
        self, chunk_ids: Sequence[str], docs: dict[str, DocumentInfo]
    ) -> dict[str, Vectors]:
        """The committed records' vectors of each chunk, one row per record (chunks
        without any: absent)."""
        if not chunk_ids:
            return {}
        if self.keyed_by_chunk:
            got = self.collection.get(ids=list(chunk_ids), include=["metadatas", "embeddings"])
        else:
            got = self.collection.get(
                where={"chunk_id": {"$in": list(chunk_ids)}}, include=["metadatas", "embeddings"]
            )
        rows: dict[str, list[Any]] = {}
        for meta, emb in zip(got["metadatas"] or [], got["embeddings"], strict=True):
            if committed(meta, docs):
                rows.setdefault(str(meta["chunk_id"]), []).append(emb)
        return {cid: np.asarray(embs, dtype=np.float32) for cid, embs in rows.items()}

    def mean(self, size: int) -> Vectors:
        """The mean of this store's vectors (from the cached sample; see ``centre_query``)."""
        return self._sample.mean(self.collection, size)

    def sample(self, size: int) -> tuple[tuple[str, ...], Vectors]:
        """The cached sample's record ids and vectors (see ``stats``)."""
        return self._sample.drawn(self.collection, size)

    def stats(self, vector: Vectors, size: int) -> ScoreStats | None:
        """The query's cosine mean and spread over this store (a cached random sample;
        ``size``: the workspace's chunk count, which decides when to redraw it)."""
        return sample_stats(self._sample.get(self.collection, size), vector)
