"""Bring a workspace's keyword index up to date with its registry, document by document.

Only documents whose committed version differs from the one the index holds are touched.
Their term counts come from the per-document cache files when this version was counted
before (a new process, another instance's ingest), else from Chroma. Fetching from
Chroma is one query per document for a few documents; for many (the first build of a big
workspace) it is one paged scan of the collection, since a filtered query costs about
as much as a scan (measured 47 ms per document at 10k chunks).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

from core.domain import DocumentInfo
from kb.keyword import KeywordIndex
from kb.keyword_terms import DocumentTerms, DocumentTermsCache

log = logging.getLogger(__name__)

BULK_DOCUMENTS = 50  # more documents to count than this: one scan instead of a query each

Record = tuple[str, str, dict[str, Any]]  # chunk id, text, metadata


class CommittedChunks(Protocol):
    """What the update reads from a workspace (``kb.workspace.Workspace``)."""

    def committed_records(
        self,
        doc_id: str,
        include: Sequence[str] = ...,
        docs: dict[str, DocumentInfo] | None = ...,
    ) -> dict[str, Any]: ...

    def scan_committed(self, docs: dict[str, DocumentInfo]) -> Iterator[Record]: ...


def index_text(text: str, meta: dict[str, Any]) -> str:
    """Keyword text: the chunk's own heading helps BM25 (not embedded, see README).

    Only the last level of the section path: the upper levels repeat on every chunk of a
    document (e.g. the title of a whole catalogue on all its 600 records) and so only add
    near-useless terms that skew document length normalisation.
    """
    heading = str(meta.get("section", "")).split(" › ")[-1]
    return f"{heading}\n{text}"


def _inputs(records: Iterable[Record]) -> list[tuple[str, str, str]]:
    """(chunk id, keyword text, language) in reading order, each chunk once."""
    unique = {cid: (text, meta) for cid, text, meta in records}
    ordered = sorted(unique.items(), key=lambda item: (int(item[1][1].get("position", 0)), item[0]))
    return [
        (cid, index_text(text, meta), str(meta.get("language", "en")))
        for cid, (text, meta) in ordered
    ]


def _fetch(
    source: CommittedChunks, doc_ids: list[str], docs: dict[str, DocumentInfo]
) -> dict[str, list[tuple[str, str, str]]]:
    """Keyword-index input of the committed chunks of ``doc_ids``."""
    found: dict[str, list[Record]] = {d: [] for d in doc_ids}
    if len(doc_ids) > BULK_DOCUMENTS:
        for cid, text, meta in source.scan_committed(docs):
            rows = found.get(str(meta.get("doc_id")))
            if rows is not None:
                rows.append((cid, text, meta))
    out: dict[str, list[tuple[str, str, str]]] = {}
    for doc_id, rows in found.items():
        inputs = _inputs(rows)
        if len(inputs) != docs[doc_id].chunks:
            # not scanned, or the scan raced with a writer (paging can skip a record)
            got = source.committed_records(doc_id, docs=docs)
            inputs = _inputs(zip(got["ids"], got["documents"], got["metadatas"], strict=True))
        out[doc_id] = inputs
    return out


def update_index(
    index: KeywordIndex,
    cache: DocumentTermsCache,
    source: CommittedChunks,
    docs: dict[str, DocumentInfo],
    sweep: bool = False,
) -> None:
    """Make ``index`` hold exactly the committed version of every document in ``docs``.

    ``sweep`` (a new process): also delete cache files of versions no longer committed.
    """
    started = time.perf_counter()
    want = {d.doc_id: f"{d.file_hash}:{d.version}" for d in docs.values()}
    have = index.stamp()
    for doc_id in set(have) - set(want):
        index.remove_document(doc_id)
        cache.drop(doc_id, have[doc_id])
    changed = {d: s for d, s in want.items() if have.get(d) != s}
    counts: dict[str, DocumentTerms] = {}
    for doc_id, stamp in changed.items():
        cached = cache.get(doc_id, stamp)
        if cached is not None:
            counts[doc_id] = cached
    missing = [d for d in changed if d not in counts]
    known = index.vocab  # compounds split against the index as it was before this update
    for doc_id, inputs in _fetch(source, missing, docs).items():
        counts[doc_id] = DocumentTerms.from_chunks(changed[doc_id], inputs, known)
        cache.put(doc_id, counts[doc_id])
    for doc_id in changed:
        if doc_id in have:
            cache.drop(doc_id, have[doc_id])
    index.add_documents([(d, counts[d]) for d in changed])
    if sweep:
        cache.keep_only(want.items())
    log.info(
        "keyword index: %d documents removed, %d added or replaced (%d counted) in %.2fs",
        len(set(have) - set(want)),
        len(changed),
        len(missing),
        time.perf_counter() - started,
    )
