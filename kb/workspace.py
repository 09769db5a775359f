"""One client workspace: a Chroma chunk collection, a document registry, a keyword cache.

Crash safety: a document's chunks carry the file hash and the ``version`` (a digest of
the chunk ids) of the document version they belong to, and the ids themselves depend on
that version, so two versions never share a record. Writing a version is:

1. upsert its chunks (invisible: no registry record points at their version yet);
2. upsert the registry record: the commit point, one small atomic write;
3. delete the chunks of the version this commit replaced (and orphans over an hour old);
4. check that the committed chunks are all there and re-upsert any a concurrent writer
   removed in between.

Search, listing and export only see chunks whose file hash and version match the
registry. A crash before 2 leaves the old version visible and complete; a crash after 2
leaves the new one visible and complete, plus invisible leftovers that the next commit
of the document removes. Re-running the ingest completes it. Two writers of one document
(two app instances on one server) each delete only the version they replaced, so the
last commit stays complete.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from core.access import Action, Principal
from core.audit import AuditLog
from core.domain import Chunk, DocumentInfo
from core.errors import WorkspaceError
from kb.embeddings import Embedder, Vectors
from kb.keyword import KeywordIndex
from kb.keyword_sync import Record, update_index
from kb.keyword_terms import DocumentTermsCache
from kb.language_balance import twin_languages
from kb.lexicon import Lexicon
from kb.sidestore import SampleCache, ScoreStats, SideStore, sample_stats

log = logging.getLogger(__name__)

_UPSERT_BATCH = 1000
_SCAN_PAGE = 5000
ORPHAN_AGE_S = 3600.0  # uncommitted chunks older than this are leftovers of a crash
# a registry record that every commit and delete changes: readers compare it (one record,
# <1 ms) instead of re-reading every document's record (~65 ms at 1,000 documents)
GENERATION_ID = "~generation"
FULL_READ_S = 60.0  # and re-read anyway this often (a writer that died between the two)


def chunk_metadata(
    chunk: Chunk, file_hash: str, version: str = "", written_at: float = 0.0
) -> dict[str, str | int | float]:
    return {
        "doc_id": chunk.doc_id,
        "source": chunk.source,
        "title": chunk.title,
        "category": chunk.category,
        "page": chunk.page if chunk.page is not None else -1,
        "section": chunk.section,
        "language": chunk.language,
        "content_hash": chunk.content_hash,
        "file_hash": file_hash,
        "ingested_at": chunk.ingested_at,
        "workspace": chunk.workspace,
        "position": chunk.position,
        "vendor": chunk.vendor or "",
        "flags": "|".join(chunk.flags),
        "version": version,
        "written_at": written_at,
    }


def chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    page = int(meta.get("page", -1))
    flags = str(meta.get("flags") or "")
    return Chunk(
        id=chunk_id,
        text=text,
        doc_id=str(meta["doc_id"]),
        source=str(meta["source"]),
        title=str(meta.get("title", "")),
        category=str(meta.get("category", "other")),
        page=page if page > 0 else None,
        section=str(meta.get("section", "")),
        language=str(meta.get("language", "en")),
        content_hash=str(meta.get("content_hash", "")),
        ingested_at=str(meta.get("ingested_at", "")),
        workspace=str(meta.get("workspace", "")),
        position=int(meta.get("position", 0)),
        vendor=str(meta.get("vendor") or "") or None,
        flags=tuple(f for f in flags.split("|") if f),
    )


def _info_from_record(doc_id: str, meta: dict[str, Any]) -> DocumentInfo:
    pages = int(meta.get("pages", -1))
    return DocumentInfo(
        doc_id=doc_id,
        source=str(meta["source"]),
        title=str(meta.get("title", "")),
        category=str(meta.get("category", "other")),
        language=str(meta.get("language", "")),
        pages=pages if pages > 0 else None,
        chunks=int(meta.get("chunks", 0)),
        ingested_at=str(meta.get("ingested_at", "")),
        file_hash=str(meta.get("file_hash", "")),
        vendor=str(meta.get("vendor") or "") or None,
        version=str(meta.get("version", "")),
        flags=tuple(f for f in str(meta.get("flags") or "").split("|") if f),
    )


def is_committed(meta: dict[str, Any], docs: dict[str, DocumentInfo]) -> bool:
    """True when a chunk belongs to the version the registry holds for its document.

    Chunks written before versions were stamped on them have no ``version``; the file
    hash alone decides for them.
    """
    info = docs.get(str(meta.get("doc_id")))
    if info is None or info.file_hash != meta.get("file_hash"):
        return False
    version = meta.get("version")
    return not version or version == info.version


def chunk_set_version(chunk_ids: Sequence[str]) -> str:
    """A short digest of a document's chunk ids (order-independent)."""
    return hashlib.sha256("\n".join(sorted(chunk_ids)).encode("utf-8")).hexdigest()[:16]


@dataclasses.dataclass
class _SharedState:
    """Caches shared by every user's view of one workspace in this process."""

    lock: threading.RLock = dataclasses.field(default_factory=threading.RLock)
    docs: dict[str, DocumentInfo] | None = None
    docs_read_at: float = 0.0
    docs_generation: str | None = None  # the registry's generation when docs were read
    docs_full_read_at: float = 0.0
    index: KeywordIndex | None = None
    index_docs: dict[str, DocumentInfo] | None = None  # registry snapshot it was checked with
    sample: SampleCache = dataclasses.field(default_factory=SampleCache)
    twins: dict[str, frozenset[str]] | None = None
    twins_docs: dict[str, DocumentInfo] | None = None  # registry snapshot they were found in


class Workspace:
    """Storage and raw retrieval for one client; callers go through ``kb.retriever``.

    Every instance acts for one principal: writes require the WRITE grant on this
    workspace and are written to the audit trail. ``as_user`` gives another user's view
    that shares the caches.
    """

    def __init__(
        self,
        name: str,
        chunks: Any,
        registry: Any,
        embedder: Embedder,
        index_path: Path,
        registry_ttl_s: float = 2.0,
        principal: Principal | None = None,
        audit: AuditLog | None = None,
        windows: SideStore | None = None,
        second: SideStore | None = None,
    ) -> None:
        self.name = name
        self._chunks = chunks
        self._registry = registry
        self.embedder = embedder
        self._index_path = index_path
        self._ttl = registry_ttl_s
        self.principal = principal or Principal.local_admin()
        self.audit = audit
        self._state = _SharedState()
        self.windows = windows  # sentence windows (kb.windows); None = chunk vectors only
        self.second = second  # a second model's chunk vectors (kb.second); None = off

    def as_user(self, principal: Principal) -> Workspace:
        """This workspace as seen by ``principal`` (READ grant required)."""
        principal.require(Action.READ, self.name)
        view = copy.copy(self)
        view.principal = principal
        return view

    def require_write(self) -> None:
        """Raise AccessDenied unless this view's principal may change the workspace."""
        self.principal.require(Action.WRITE, self.name)

    def _record(self, action: str, **details: Any) -> None:
        if self.audit is not None:
            self.audit.record(action, user=self.principal.name, workspace=self.name, **details)

    # ---- registry ----------------------------------------------------------------
    def documents(self, fresh: bool = False) -> dict[str, DocumentInfo]:
        """Committed documents by doc_id. Every TTL seconds the registry's generation is
        checked; the records are re-read only when it moved, when a workspace written
        before the generation existed has none, or after ``FULL_READ_S``."""
        with self._state.lock:
            state = self._state
            now = time.monotonic()
            if not fresh and state.docs is not None and now - state.docs_read_at <= self._ttl:
                return state.docs
            generation = self._generation()
            unchanged = generation is not None and generation == state.docs_generation
            recent = now - state.docs_full_read_at <= FULL_READ_S
            if not fresh and state.docs is not None and unchanged and recent:
                state.docs_read_at = now
                return state.docs
            got = self._registry.get(include=["metadatas"])
            state.docs = {
                i: _info_from_record(i, m)
                for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)
                if i != GENERATION_ID
            }
            state.docs_read_at = state.docs_full_read_at = now
            state.docs_generation = generation
            return state.docs

    def _generation(self) -> str | None:
        got = self._registry.get(ids=[GENERATION_ID], include=["metadatas"])
        metas = got["metadatas"] or []
        return str(metas[0].get("generation")) if metas and metas[0] else None

    def _bump_generation(self) -> None:
        """Tell every reader (other processes too) that the registry changed."""
        self._registry.upsert(
            ids=[GENERATION_ID],
            embeddings=[[0.0]],
            documents=[""],
            metadatas=[{"generation": uuid.uuid4().hex}],
        )

    def find_document(self, doc_id_or_source: str) -> DocumentInfo | None:
        docs = self.documents(fresh=True)
        if doc_id_or_source in docs:
            return docs[doc_id_or_source]
        matches = [d for d in docs.values() if d.source == doc_id_or_source]
        return matches[0] if matches else None

    def count_chunks(self) -> int:
        return sum(d.chunks for d in self.documents().values())

    # ---- writes ------------------------------------------------------------------
    def put_document(
        self,
        info: DocumentInfo,
        chunks: Sequence[Chunk],
        vectors: Vectors,
        second_vectors: Vectors | None = None,
    ) -> DocumentInfo | None:
        """Write a document version: chunks, commit, cleanup, check (see the module doc).

        ``second_vectors``: the second model's chunk vectors when the caller already has
        them (an ingest that embeds in parallel, a benchmark); else the store embeds.
        Returns the registry record this commit replaced (None for a new document).
        """
        self.require_write()
        if len(chunks) != len(vectors):
            raise ValueError("chunks and vectors differ in length")
        new_ids = [c.id for c in chunks]
        info = dataclasses.replace(info, version=chunk_set_version(new_ids))
        written_at = time.time()
        self._upsert(info, chunks, vectors, written_at)
        if self.windows is not None:  # side records: written before the commit, like chunks
            self.windows.put(info, chunks, written_at)
        if self.second is not None:
            self.second.put(info, chunks, written_at, second_vectors)
        replaced = self.documents(fresh=True).get(info.doc_id)
        self._commit(info)
        self._remove_superseded(info, replaced, set(new_ids))
        for side in self._side_stores():  # the replaced version's side records
            side.remove_superseded(info, replaced)
        self._repair_if_raced(info, chunks, vectors, written_at)
        self._record(
            "ingest",
            document=info.source,
            doc_id=info.doc_id,
            chunks=len(chunks),
            replaced=replaced is not None,
        )
        return replaced

    def _upsert(
        self, info: DocumentInfo, chunks: Sequence[Chunk], vectors: Vectors, written_at: float
    ) -> None:
        for start in range(0, len(chunks), _UPSERT_BATCH):
            part = chunks[start : start + _UPSERT_BATCH]
            self._chunks.upsert(
                ids=[c.id for c in part],
                embeddings=np.asarray(vectors[start : start + _UPSERT_BATCH]).tolist(),
                documents=[c.text for c in part],
                metadatas=[
                    chunk_metadata(c, info.file_hash, info.version, written_at) for c in part
                ],
            )

    def _commit(self, info: DocumentInfo) -> None:
        self._registry.upsert(
            ids=[info.doc_id],
            embeddings=[[0.0]],
            documents=[info.title or info.source],
            metadatas=[
                {
                    "source": info.source,
                    "title": info.title,
                    "category": info.category,
                    "language": info.language,
                    "pages": info.pages or -1,
                    "chunks": info.chunks,
                    "ingested_at": info.ingested_at,
                    "file_hash": info.file_hash,
                    "vendor": info.vendor or "",
                    "version": info.version,
                    "flags": "|".join(info.flags),
                }
            ],
        )
        self._bump_generation()
        self._invalidate()

    def _remove_superseded(
        self, info: DocumentInfo, replaced: DocumentInfo | None, keep: set[str]
    ) -> None:
        """Delete the replaced version's chunks and old leftovers, never anything recent.

        Recent chunks of another version may belong to a writer that has not committed yet;
        deleting them would leave its commit without chunks.
        """
        got = self._chunks.get(where={"doc_id": info.doc_id}, include=["metadatas"])
        cutoff = time.time() - ORPHAN_AGE_S
        stale = [
            cid
            for cid, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
            if cid not in keep
            and (
                (
                    replaced is not None
                    and meta.get("file_hash") == replaced.file_hash
                    and meta.get("version", "") in ("", replaced.version)
                )
                or float(meta.get("written_at") or 0.0) < cutoff
            )
        ]
        for start in range(0, len(stale), _UPSERT_BATCH):
            self._chunks.delete(ids=stale[start : start + _UPSERT_BATCH])

    def _repair_if_raced(
        self, info: DocumentInfo, chunks: Sequence[Chunk], vectors: Vectors, written_at: float
    ) -> None:
        """If our version is still the committed one, make sure all its chunks exist."""
        current = self.documents(fresh=True).get(info.doc_id)
        if current is None or current.version != info.version:
            return  # deleted or replaced by a later commit: that one is complete on its own
        present = self.has_chunks([c.id for c in chunks])
        if len(present) == len(chunks):
            return
        log.warning(
            "%s: %d chunks removed by a concurrent writer; writing them again",
            info.source,
            len(chunks) - len(present),
        )
        self._upsert(info, chunks, vectors, written_at)

    def delete_document(self, doc_id: str) -> int:
        """Remove the registry record (commit), then every chunk of the document."""
        self.require_write()
        info = self.documents(fresh=True).get(doc_id)
        if info is None:
            raise WorkspaceError(
                f"Dokument '{doc_id}' gibt es im Arbeitsbereich '{self.name}' nicht.",
                en=f"Document '{doc_id}' does not exist in workspace '{self.name}'.",
            )
        self._registry.delete(ids=[doc_id])
        self._bump_generation()
        self._chunks.delete(where={"doc_id": doc_id})
        for side in self._side_stores():
            side.delete_document(doc_id)
        self._invalidate()
        self._record("delete", document=info.source, doc_id=doc_id, chunks=info.chunks)
        return info.chunks

    def _side_stores(self) -> list[SideStore]:
        return [side for side in (self.windows, self.second) if side is not None]

    @property
    def second_embedder(self) -> Embedder | None:
        """The second model whose vectors a new document version gets (None: none)."""
        if self.second is None or not self.second.write:
            return None
        return self.second.embedder

    def second_ready(self) -> bool:
        """Is there a second model whose vectors cover every committed chunk?"""
        return self.second is not None and self.second.covers(self.count_chunks())

    def complete_second(self, doc_id: str) -> int:
        """Write the missing second-model vectors of a committed document (one ingested
        before the second model was switched on); the document version stays the same."""
        if self.second is None or not self.second.write:
            return 0
        info = self.documents(fresh=True).get(doc_id)
        if info is None:
            return 0
        got = self.second.collection.get(where={"doc_id": doc_id}, include=["metadatas"])
        have = {
            str(meta["chunk_id"])
            for meta in got["metadatas"] or []
            if meta.get("version") == info.version and meta.get("file_hash") == info.file_hash
        }
        if len(have) >= info.chunks:
            return 0
        missing = [c for c in self.document_chunks(doc_id) if c.id not in have]
        if not missing:
            return 0
        self.require_write()
        log.info("%s: adding second-model vectors for %d chunks", info.source, len(missing))
        return self.second.put(info, missing, time.time())

    def dense_stats(self, vector: Vectors) -> ScoreStats | None:
        """The query's chunk-cosine mean and spread over this workspace (a vector sample)."""
        return sample_stats(self._state.sample.get(self._chunks, self.count_chunks()), vector)

    def dense_mean(self) -> Vectors:
        """The mean chunk vector of this workspace (from the statistics sample)."""
        return self._state.sample.mean(self._chunks, self.count_chunks())

    def stored_vectors(self, doc_id: str) -> tuple[dict[str, Vectors], dict[str, Vectors]]:
        """Vectors already stored for a document's chunks, by content hash: the first
        model's and the second model's (empty without one).

        A vector depends only on the chunk text and the model (a workspace has one of
        each), so a re-ingest can reuse them for unchanged passages of any stored version,
        committed or not: re-tagging a document or changing a few pages embeds only what
        is new.
        """
        got = self._chunks.get(where={"doc_id": doc_id}, include=["metadatas", "embeddings"])
        hashes = {
            cid: str((meta or {}).get("content_hash") or "")
            for cid, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
        }
        first = _by_hash(got["ids"], got.get("embeddings"), hashes)
        if self.second is None or self.second_embedder is None:
            return first, {}
        side = self.second.collection.get(
            where={"doc_id": doc_id}, include=["metadatas", "embeddings"]
        )
        chunk_ids = [str(meta.get("chunk_id")) for meta in side["metadatas"] or []]
        return first, _by_hash(chunk_ids, side.get("embeddings"), hashes)

    def has_chunks(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        got = self._chunks.get(ids=list(ids), include=[])
        return set(got["ids"])

    def _invalidate(self) -> None:
        with self._state.lock:
            self._state.docs = None

    # ---- reads -------------------------------------------------------------------
    def get_chunks(self, ids: Sequence[str]) -> dict[str, Chunk]:
        if not ids:
            return {}
        got = self._chunks.get(ids=list(ids), include=["documents", "metadatas"])
        docs = self.documents()
        return {
            cid: chunk_from_record(cid, text, meta)
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
            if is_committed(meta, docs)
        }

    def committed_records(
        self,
        doc_id: str,
        include: Sequence[str] = ("documents", "metadatas"),
        docs: dict[str, DocumentInfo] | None = None,
    ) -> dict[str, Any]:
        """The raw Chroma records (ids, documents, metadatas, ...) of a document's committed
        version; the one query behind listing, the keyword cache and export. ``docs`` is a
        registry snapshot to judge by (default: a fresh read)."""
        docs = self.documents(fresh=True) if docs is None else docs
        info = docs.get(doc_id)
        fields = [f for f in include if f != "metadatas"]
        if info is None:
            return {"ids": [], "metadatas": [], **{f: [] for f in fields}}
        got = self._chunks.get(
            where={"$and": [{"doc_id": doc_id}, {"file_hash": info.file_hash}]},
            include=[*fields, "metadatas"],
        )
        keep = [i for i, meta in enumerate(got["metadatas"]) if is_committed(meta, docs)]
        return {key: [got[key][i] for i in keep] for key in ("ids", "metadatas", *fields)}

    def document_chunks(self, doc_id: str) -> list[Chunk]:
        """All committed chunks of one document, in reading order."""
        got = self.committed_records(doc_id)
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
            res["ids"][0],
            res["documents"][0],
            res["metadatas"][0],
            res["distances"][0],
            strict=True,
        ):
            if is_committed(meta, docs):
                out.append((chunk_from_record(cid, text, meta), 1.0 - float(dist)))
        return out

    def chunk_vectors(self, ids: Sequence[str]) -> dict[str, tuple[Chunk, Vectors]]:
        """Each committed chunk among ``ids`` with its stored vector (one read, scored
        against a question later: see ``kb.retriever``)."""
        if not ids:
            return {}
        got = self._chunks.get(ids=list(ids), include=["documents", "metadatas", "embeddings"])
        docs = self.documents()
        return {
            cid: (chunk_from_record(cid, text, meta), np.asarray(emb, dtype=np.float32))
            for cid, text, meta, emb in zip(
                got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True
            )
            if is_committed(meta, docs)
        }

    def chunk_similarities(self, ids: Sequence[str], vector: Vectors) -> list[tuple[Chunk, float]]:
        """Cosine of ``vector`` to each committed chunk among ``ids`` (window-only candidates)."""
        query = np.asarray(vector, dtype=np.float32)
        return [(chunk, float(emb @ query)) for chunk, emb in self.chunk_vectors(ids).values()]

    def scan_committed(self, docs: dict[str, DocumentInfo]) -> Iterator[Record]:
        """Every committed chunk record (id, text, metadata), read in pages."""
        offset = 0
        while True:
            got = self._chunks.get(
                include=["documents", "metadatas"], limit=_SCAN_PAGE, offset=offset
            )
            if not got["ids"]:
                return
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                if is_committed(meta, docs):
                    yield cid, text, meta
            offset += len(got["ids"])

    def twin_languages(self, lexicon: Lexicon | None) -> dict[str, frozenset[str]]:
        """Documents held in two languages (``kb.language_balance.twin_languages``), worked
        out once per registry snapshot and shared by every search of the workspace
        (a chat builds a retriever per question; one workspace uses one lexicon)."""
        docs = self.documents()
        with self._state.lock:
            if self._state.twins is None or self._state.twins_docs is not docs:
                self._state.twins = twin_languages(docs, lexicon)
                self._state.twins_docs = docs
            return self._state.twins

    def keyword_index(self) -> KeywordIndex:
        """The BM25 index, brought up to date with the registry (``kb.keyword_sync``)."""
        with self._state.lock:
            docs = self.documents()
            index = self._state.index
            if index is not None and docs is self._state.index_docs:
                return index  # same registry snapshot as at the last check
            first = index is None
            if index is None:
                index = self._state.index = KeywordIndex()
            update_index(index, DocumentTermsCache(self._index_path), self, docs, sweep=first)
            self._state.index_docs = docs
            return index


def _by_hash(chunk_ids: Sequence[str], vectors: Any, hashes: dict[str, str]) -> dict[str, Vectors]:
    """Vectors of chunk records by the content hash of their chunk (``hashes``)."""
    if vectors is None:
        return {}
    out: dict[str, Vectors] = {}
    for cid, vector in zip(chunk_ids, vectors, strict=True):
        content_hash = hashes.get(cid)
        if content_hash:
            out[content_hash] = np.asarray(vector, dtype=np.float32)
    return out
