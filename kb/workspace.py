"""One client workspace: a Chroma chunk collection, a document registry, a keyword cache.

Crash safety: a document's chunks carry the hash of the file they came from. The
registry record (one small upsert) is the commit point; search and listing only see
chunks whose file hash matches the registry. A crash before the commit leaves the old
version visible and the new chunks invisible; re-running the ingest completes it.
Re-ingesting the same bytes with other options (category, chunk size) keeps the file
hash; then the registry's ``version`` (a digest of the chunk ids) tells caches apart.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from core.domain import Chunk, DocumentInfo
from core.errors import WorkspaceError
from kb.embeddings import Embedder, Vectors
from kb.keyword import KeywordIndex

log = logging.getLogger(__name__)

_UPSERT_BATCH = 1000


def chunk_metadata(chunk: Chunk, file_hash: str) -> dict[str, str | int]:
    return {
        "doc_id": chunk.doc_id, "source": chunk.source, "title": chunk.title,
        "category": chunk.category, "page": chunk.page if chunk.page is not None else -1,
        "section": chunk.section, "language": chunk.language,
        "content_hash": chunk.content_hash, "file_hash": file_hash,
        "ingested_at": chunk.ingested_at, "workspace": chunk.workspace,
        "position": chunk.position, "vendor": chunk.vendor or "",
        "flags": "|".join(chunk.flags),
    }


def chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    page = int(meta.get("page", -1))
    flags = str(meta.get("flags") or "")
    return Chunk(
        id=chunk_id, text=text, doc_id=str(meta["doc_id"]), source=str(meta["source"]),
        title=str(meta.get("title", "")), category=str(meta.get("category", "other")),
        page=page if page > 0 else None, section=str(meta.get("section", "")),
        language=str(meta.get("language", "en")), content_hash=str(meta.get("content_hash", "")),
        ingested_at=str(meta.get("ingested_at", "")), workspace=str(meta.get("workspace", "")),
        position=int(meta.get("position", 0)), vendor=str(meta.get("vendor") or "") or None,
        flags=tuple(f for f in flags.split("|") if f),
    )


def _info_from_record(doc_id: str, meta: dict[str, Any]) -> DocumentInfo:
    pages = int(meta.get("pages", -1))
    return DocumentInfo(
        doc_id=doc_id, source=str(meta["source"]), title=str(meta.get("title", "")),
        category=str(meta.get("category", "other")), language=str(meta.get("language", "")),
        pages=pages if pages > 0 else None, chunks=int(meta.get("chunks", 0)),
        ingested_at=str(meta.get("ingested_at", "")), file_hash=str(meta.get("file_hash", "")),
        vendor=str(meta.get("vendor") or "") or None, version=str(meta.get("version", "")),
    )


def chunk_set_version(chunk_ids: Sequence[str]) -> str:
    """A short digest of a document's chunk ids (order-independent)."""
    return hashlib.sha256("\n".join(sorted(chunk_ids)).encode("utf-8")).hexdigest()[:16]


class Workspace:
    """Storage and raw retrieval for one client; callers go through ``kb.retriever``."""

    def __init__(
        self,
        name: str,
        chunks: Any,
        registry: Any,
        embedder: Embedder,
        index_path: Path,
        registry_ttl_s: float = 2.0,
    ) -> None:
        self.name = name
        self._chunks = chunks
        self._registry = registry
        self.embedder = embedder
        self._index_path = index_path
        self._ttl = registry_ttl_s
        self._docs: dict[str, DocumentInfo] | None = None
        self._docs_read_at = 0.0
        self._index: KeywordIndex | None = None
        self._lock = threading.RLock()

    # ---- registry ----------------------------------------------------------------
    def documents(self, fresh: bool = False) -> dict[str, DocumentInfo]:
        """Committed documents by doc_id (re-read from Chroma at most every TTL seconds)."""
        with self._lock:
            now = time.monotonic()
            if fresh or self._docs is None or now - self._docs_read_at > self._ttl:
                got = self._registry.get(include=["metadatas"])
                self._docs = {
                    i: _info_from_record(i, m)
                    for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)
                }
                self._docs_read_at = now
            return self._docs

    def find_document(self, doc_id_or_source: str) -> DocumentInfo | None:
        docs = self.documents(fresh=True)
        if doc_id_or_source in docs:
            return docs[doc_id_or_source]
        matches = [d for d in docs.values() if d.source == doc_id_or_source]
        return matches[0] if matches else None

    def count_chunks(self) -> int:
        return sum(d.chunks for d in self.documents().values())

    # ---- writes ------------------------------------------------------------------
    def put_document(self, info: DocumentInfo, chunks: Sequence[Chunk], vectors: Vectors) -> None:
        """Write a document version: chunks first, then the registry record, then cleanup.

        Chunks of the same file bytes that the new version no longer has (other chunk size)
        go before the commit, chunks of other file versions right after it.
        """
        if len(chunks) != len(vectors):
            raise ValueError("chunks and vectors differ in length")
        new_ids = {c.id for c in chunks}
        info = dataclasses.replace(info, version=chunk_set_version(list(new_ids)))
        for start in range(0, len(chunks), _UPSERT_BATCH):
            part = chunks[start : start + _UPSERT_BATCH]
            self._chunks.upsert(
                ids=[c.id for c in part],
                embeddings=np.asarray(vectors[start : start + _UPSERT_BATCH]).tolist(),
                documents=[c.text for c in part],
                metadatas=[chunk_metadata(c, info.file_hash) for c in part],
            )
        same_bytes = self._chunks.get(
            where={"$and": [{"doc_id": info.doc_id}, {"file_hash": info.file_hash}]}, include=[]
        )
        stale = [cid for cid in same_bytes["ids"] if cid not in new_ids]
        if stale:
            self._chunks.delete(ids=stale)
        self.commit_document(info)

    def commit_document(self, info: DocumentInfo) -> None:
        self._registry.upsert(
            ids=[info.doc_id],
            embeddings=[[0.0]],
            documents=[info.title or info.source],
            metadatas=[{
                "source": info.source, "title": info.title, "category": info.category,
                "language": info.language, "pages": info.pages or -1, "chunks": info.chunks,
                "ingested_at": info.ingested_at, "file_hash": info.file_hash,
                "vendor": info.vendor or "", "version": info.version,
            }],
        )
        self._chunks.delete(
            where={"$and": [{"doc_id": info.doc_id}, {"file_hash": {"$ne": info.file_hash}}]}
        )
        self._invalidate()

    def delete_document(self, doc_id: str) -> int:
        """Remove the registry record (commit), then every chunk of the document."""
        info = self.documents(fresh=True).get(doc_id)
        if info is None:
            raise WorkspaceError(
                f"Dokument '{doc_id}' gibt es im Arbeitsbereich '{self.name}' nicht."
            )
        self._registry.delete(ids=[doc_id])
        self._chunks.delete(where={"doc_id": doc_id})
        self._invalidate()
        return info.chunks

    def has_chunks(self, ids: Sequence[str]) -> set[str]:
        got = self._chunks.get(ids=list(ids), include=[])
        return set(got["ids"])

    def _invalidate(self) -> None:
        with self._lock:
            self._docs = None

    # ---- reads -------------------------------------------------------------------
    def get_chunks(self, ids: Sequence[str]) -> dict[str, Chunk]:
        if not ids:
            return {}
        got = self._chunks.get(ids=list(ids), include=["documents", "metadatas"])
        docs = self.documents()
        out = {}
        for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
            info = docs.get(str(meta.get("doc_id")))
            if info is not None and info.file_hash == meta.get("file_hash"):
                out[cid] = chunk_from_record(cid, text, meta)
        return out

    def document_chunks(self, doc_id: str) -> list[Chunk]:
        """All committed chunks of one document, in reading order."""
        info = self.documents(fresh=True).get(doc_id)
        if info is None:
            return []
        got = self._chunks.get(
            where={"$and": [{"doc_id": doc_id}, {"file_hash": info.file_hash}]},
            include=["documents", "metadatas"],
        )
        chunks = [
            chunk_from_record(cid, text, meta)
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]
        return sorted(chunks, key=lambda c: c.position)

    def dense_search(
        self, vector: Vectors, n: int, allowed: set[str] | None
    ) -> list[tuple[Chunk, float]]:
        """Nearest chunks by cosine similarity among committed versions of allowed docs."""
        docs = self.documents()
        if not docs:
            return []
        where: dict[str, Any] | None = None
        if allowed is not None:
            if not allowed:
                return []
            where = {"doc_id": {"$in": sorted(allowed)}}
        res = self._chunks.query(
            query_embeddings=[np.asarray(vector).tolist()],
            n_results=n,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        out = []
        for cid, text, meta, dist in zip(
            res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0],
            strict=True,
        ):
            info = docs.get(str(meta.get("doc_id")))
            if info is not None and info.file_hash == meta.get("file_hash"):
                out.append((chunk_from_record(cid, text, meta), 1.0 - float(dist)))
        return out

    def keyword_index(self) -> KeywordIndex:
        """The BM25 cache, brought up to date with the registry (per changed document)."""
        with self._lock:
            if self._index is None:
                self._index = KeywordIndex.load(self._index_path)
            index = self._index
            docs = self.documents()
            want = {d.doc_id: f"{d.file_hash}:{d.version}" for d in docs.values()}
            have = index.stamp()
            if want == have and index.matrix is not None:
                return index
            started = time.perf_counter()
            for doc_id in set(have) - set(want):
                index.remove_document(doc_id)
            for doc_id, stamp in want.items():
                if have.get(doc_id) != stamp:
                    got = self._chunks.get(
                        where={"$and": [{"doc_id": doc_id}, {"file_hash": docs[doc_id].file_hash}]},
                        include=["documents", "metadatas"],
                    )
                    index.set_document(doc_id, stamp, [
                        (cid, _index_text(text, meta), str(meta.get("language", "en")))
                        for cid, text, meta in zip(
                            got["ids"], got["documents"], got["metadatas"], strict=True
                        )
                    ])
            index.build()
            if want != have:
                index.save(self._index_path)
            log.info("keyword index of %s updated in %.2fs", self.name,
                     time.perf_counter() - started)
            return index


def _index_text(text: str, meta: dict[str, Any]) -> str:
    """Keyword text: the section path and title help BM25 (not embedded, see README)."""
    return f"{meta.get('section', '')}\n{text}"
