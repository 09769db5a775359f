"""BM25 keyword index over a workspace: a derived cache of Chroma, updated per document.

The index keeps raw term counts, not BM25 weights: a weight depends on the idf of its
term and on the average chunk length, and both change with every document added, so
precomputed weights would have to be rewritten for the whole workspace on every ingest.
A query instead computes the weights of its own few terms from their posting lists, which
costs about what slicing precomputed weights did.

Counts live in immutable segments (chunks x terms, one CSC matrix each), newest last, in
the style of a log-structured merge: adding documents appends one segment and merges it
into its predecessor only while that one is not much bigger, so a row is rewritten
O(log n) times over the life of the index and one more document costs about its own size,
not the workspace's. Removing a document only marks it dead and lowers the document
frequencies; a segment that is mostly dead is rewritten. Every change builds a new
snapshot and swaps it in, so a search running in another thread never sees a half update.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from kb.keyword_terms import DocumentTerms

K1 = 1.2
B = 0.75
MERGE_FACTOR = 4  # a segment absorbs the next newer one while at most this many times bigger
MIN_LIVE_SHARE = 0.5  # a segment with fewer live rows than this share is rewritten

Int32s = npt.NDArray[np.int32]


@dataclass(frozen=True)
class _Segment:
    """Rows of one or more document versions, in document order (never changed)."""

    counts: sparse.csc_matrix  # float32 term counts, rows x (vocabulary size when built)
    lengths: npt.NDArray[np.float32]  # terms per row (BM25 document length)
    chunk_ids: tuple[str, ...]
    doc_ids: tuple[str, ...]
    doc_rows: Int32s  # index into doc_ids -> its number of rows

    @classmethod
    def of(
        cls,
        blocks: Sequence[sparse.csr_matrix],
        width: int,
        lengths: Sequence[npt.NDArray[Any]],
        chunk_ids: Sequence[str],
        doc_ids: Sequence[str],
        doc_rows: Sequence[int],
    ) -> _Segment:
        resized = [
            sparse.csr_matrix((b.data, b.indices, b.indptr), shape=(b.shape[0], width))
            for b in blocks
        ]
        # stacked as CSR (concatenates the arrays) and converted once: stacking straight
        # into CSC goes through COO with 64-bit row and column arrays (4x the memory)
        stacked = sparse.vstack(resized, format="csr", dtype=np.float32)
        return cls(
            counts=stacked.tocsc(),
            lengths=np.concatenate(lengths).astype(np.float32),
            chunk_ids=tuple(chunk_ids),
            doc_ids=tuple(doc_ids),
            doc_rows=np.asarray(doc_rows, dtype=np.int32),
        )

    @cached_property
    def row_of(self) -> dict[str, int]:
        """Row of each chunk id (a segment never changes, so computed once)."""
        return {cid: row for row, cid in enumerate(self.chunk_ids)}

    @property
    def rows(self) -> int:
        return len(self.chunk_ids)

    @cached_property
    def row_doc(self) -> Int32s:
        """Row -> index into ``doc_ids``."""
        return np.repeat(np.arange(len(self.doc_ids), dtype=np.int32), self.doc_rows)

    @cached_property
    def doc_start(self) -> npt.NDArray[np.int64]:
        """Index into ``doc_ids`` -> its first row (one extra entry: the end)."""
        return np.concatenate([[0], np.cumsum(self.doc_rows, dtype=np.int64)])

    def live_rows(self, live: npt.NDArray[np.bool_]) -> int:
        return int(self.doc_rows[live].sum())


@dataclass(frozen=True)
class _Entry:
    """One live document: its version stamp, where its rows are, what it adds to df."""

    stamp: str
    segment: int
    slot: int  # index into the segment's doc_ids
    columns: Int32s  # global columns of its terms
    chunk_freq: Int32s  # chunks of this document containing each column
    rows: int
    length: int


@dataclass(frozen=True)
class _Snapshot:
    segments: tuple[_Segment, ...] = ()
    live: tuple[npt.NDArray[np.bool_], ...] = ()  # per segment: is each of its docs live
    entries: tuple[tuple[str, _Entry], ...] = ()
    df: Int32s = field(default_factory=lambda: np.zeros(0, dtype=np.int32))  # per column
    rows: int = 0  # live chunks
    length: int = 0  # sum of live chunk lengths

    def entry_map(self) -> dict[str, _Entry]:
        return dict(self.entries)


class Vocabulary(AbstractSet[str]):
    """The terms of the live documents, as a read-only view (no copy per question)."""

    def __init__(self, columns: dict[str, int], df: Int32s) -> None:
        self._columns, self._df = columns, df

    def __contains__(self, term: object) -> bool:
        col = self._columns.get(term) if isinstance(term, str) else None
        return col is not None and col < len(self._df) and bool(self._df[col] > 0)

    def __iter__(self) -> Iterator[str]:
        return (t for t, c in list(self._columns.items()) if c < len(self._df) and self._df[c])

    def __len__(self) -> int:
        return int(np.count_nonzero(self._df))


@dataclass(frozen=True)
class KeywordRanking:
    """One query's BM25 result: the top chunks, the score distribution over every chunk
    considered (zeros included) and a lookup of any chunk's score (for ``kb.fusion``)."""

    top: list[tuple[str, float]]
    snap: _Snapshot | None = None
    scored: dict[int, tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]] = field(
        default_factory=dict
    )  # segment -> (score per row, row live and allowed)
    mean: float | None = None
    sd: float | None = None

    def lookup(self, chunk_ids: Sequence[str]) -> dict[str, float]:
        """BM25 score of each chunk (0 for chunks without the query's terms or not found)."""
        out = {cid: 0.0 for cid in chunk_ids}
        if self.snap is None:
            return out
        for i, (scores, row_ok) in self.scored.items():
            rows = self.snap.segments[i].row_of
            for cid in chunk_ids:
                row = rows.get(cid)
                if row is not None and row_ok[row]:
                    out[cid] = float(scores[row])
        return out


class KeywordIndex:
    """BM25 over term counts; documents are added, replaced and removed one by one."""

    def __init__(self) -> None:
        # term -> column; only ever grows, so a reader holding an older snapshot can use it
        self._columns: dict[str, int] = {}
        self._snap = _Snapshot()

    # ---- maintenance -------------------------------------------------------------
    def stamp(self) -> dict[str, str]:
        """Version stamp of every live document."""
        return {doc_id: e.stamp for doc_id, e in self._snap.entries}

    def add_documents(self, docs: Sequence[tuple[str, DocumentTerms]]) -> None:
        """Add (or replace) documents; one new segment for all of them."""
        if not docs:
            return
        docs = list(dict(docs).items())  # a document given twice: the last one counts
        snap = self._without({doc_id for doc_id, _ in docs})
        blocks: list[sparse.csr_matrix] = []
        lengths: list[npt.NDArray[np.int64]] = []
        chunk_ids: list[str] = []
        added: list[tuple[str, DocumentTerms, Int32s]] = []
        for doc_id, terms in docs:
            cols = np.fromiter(
                (self._columns.setdefault(t, len(self._columns)) for t in terms.terms),
                dtype=np.int32,
                count=len(terms.terms),
            )
            counts = terms.counts
            blocks.append(
                sparse.csr_matrix(
                    (counts.data.astype(np.float32), cols[counts.indices], counts.indptr),
                    shape=(counts.shape[0], len(self._columns)),
                )
            )
            lengths.append(terms.lengths)
            chunk_ids.extend(terms.chunk_ids)
            added.append((doc_id, terms, cols))
        width = len(self._columns)
        df = _grown(snap.df, width)
        segment = _Segment.of(
            blocks,
            width,
            lengths,
            chunk_ids,
            [d for d, _ in docs],
            [t.counts.shape[0] for _, t in docs],
        )
        entries = snap.entry_map()
        new_index = len(snap.segments)
        rows, length = snap.rows, snap.length
        for slot, (doc_id, terms, cols) in enumerate(added):
            freq = terms.chunk_frequencies()
            np.add.at(df, cols, freq)
            n = terms.counts.shape[0]
            size = int(terms.lengths.sum())
            entries[doc_id] = _Entry(terms.stamp, new_index, slot, cols, freq, n, size)
            rows, length = rows + n, length + size
        self._snap = _compacted(
            _Snapshot(
                segments=(*snap.segments, segment),
                live=(*snap.live, np.ones(len(docs), dtype=bool)),
                entries=tuple(entries.items()),
                df=df,
                rows=rows,
                length=length,
            )
        )

    def add_document(self, doc_id: str, terms: DocumentTerms) -> None:
        self.add_documents([(doc_id, terms)])

    def remove_document(self, doc_id: str) -> None:
        if doc_id in self.stamp():
            self._snap = _compacted(self._without({doc_id}))

    def _without(self, doc_ids: set[str]) -> _Snapshot:
        snap = self._snap
        entries = snap.entry_map()
        gone = [entries.pop(d) for d in doc_ids if d in entries]
        if not gone:
            return snap
        df = snap.df.copy()
        live = list(snap.live)
        rows, length = snap.rows, snap.length
        for e in gone:
            np.subtract.at(df, e.columns, e.chunk_freq)
            live[e.segment] = live[e.segment].copy()
            live[e.segment][e.slot] = False
            rows, length = rows - e.rows, length - e.length
        return _Snapshot(snap.segments, tuple(live), tuple(entries.items()), df, rows, length)

    # ---- query -----------------------------------------------------------------
    def search(
        self,
        terms: list[tuple[str, float]],
        k: int,
        allowed_docs: set[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Top-k (chunk_id, score) for weighted query terms; equal scores in document id
        and reading order."""
        return self.ranked(terms, k, allowed_docs).top

    def ranked(
        self,
        terms: list[tuple[str, float]],
        k: int,
        allowed_docs: set[str] | None = None,
    ) -> KeywordRanking:
        """The top k plus what z-score fusion needs (``kb.fusion``): the mean and spread of
        the scores over every live, allowed chunk (zeros included) and every chunk's score."""
        snap = self._snap
        cols, weights = [], []
        for term, weight in terms:
            col = self._columns.get(term)
            if col is not None and col < len(snap.df) and snap.df[col] > 0:
                cols.append(col)
                weights.append(weight)
        if not cols or snap.rows == 0 or k <= 0:
            return KeywordRanking([])
        cols_arr = np.asarray(cols, dtype=np.int64)
        df = snap.df[cols_arr]
        idf = np.log(1.0 + (snap.rows - df + 0.5) / (df + 0.5)).astype(np.float32)
        avgdl = snap.length / snap.rows or 1.0
        found: list[tuple[npt.NDArray[np.float32], int, npt.NDArray[np.intp]]] = []
        scored: dict[int, tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]]] = {}
        count, total, squares = 0, 0.0, 0.0
        for i, seg in enumerate(snap.segments):
            usable = cols_arr < seg.counts.shape[1]
            doc_ok = snap.live[i]
            if allowed_docs is not None:
                doc_ok = doc_ok & np.fromiter(
                    (d in allowed_docs for d in seg.doc_ids), bool, len(seg.doc_ids)
                )
            if not doc_ok.any():
                continue
            count += int(seg.doc_rows[doc_ok].sum())
            if not usable.any():
                continue
            scores = np.asarray(
                _bm25(seg, cols_arr[usable], idf[usable], avgdl)
                @ np.asarray(weights, dtype=np.float32)[usable]
            ).ravel()
            row_ok = doc_ok[seg.row_doc]
            scored[i] = (scores, row_ok)
            rows = np.flatnonzero(scores > 0)
            rows = rows[row_ok[rows]]
            if rows.size:
                found.append((scores[rows], i, rows))
                total += float(scores[rows].sum(dtype=np.float64))
                squares += float(np.square(scores[rows], dtype=np.float64).sum())
        if not found:
            return KeywordRanking([])
        mean = total / count
        sd = math.sqrt(max(squares / count - mean * mean, 0.0))
        return KeywordRanking(_top(snap, found, k), snap, scored, mean, sd)

    def _known(self, term: str) -> int | None:
        """Column of a term some live chunk contains, else None."""
        snap = self._snap
        col = self._columns.get(term)
        if col is None or col >= len(snap.df) or snap.df[col] == 0:
            return None
        return col

    def known(self, term: str) -> bool:
        return self._known(term) is not None

    @property
    def vocab(self) -> Vocabulary:
        """The live vocabulary as a container (for compound splitting)."""
        return Vocabulary(self._columns, self._snap.df)

    def vocabulary(self) -> Vocabulary:
        return self.vocab

    def doc_freq(self, term: str) -> int:
        """Number of chunks containing ``term`` (0 when unknown)."""
        col = self._known(term)
        return 0 if col is None else int(self._snap.df[col])

    def idf(self, term: str) -> float:
        col = self._known(term)
        if col is None:
            return 0.0
        n, df = self._snap.rows, self._snap.df[col]
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    @property
    def chunk_ids(self) -> list[str]:
        """Ids of the live chunks (document by document)."""
        snap = self._snap
        out: list[str] = []
        for i, seg in enumerate(snap.segments):
            for slot in np.flatnonzero(snap.live[i]):
                out.extend(seg.chunk_ids[seg.doc_start[slot] : seg.doc_start[slot + 1]])
        return out

    def documents_of(self, chunk_ids: Iterable[str]) -> dict[str, str]:
        """Document id of each live chunk among ``chunk_ids`` (others are left out): an
        in-memory map, so a ranking can ask without reading the store."""
        snap = self._snap
        out: dict[str, str] = {}
        wanted = list(chunk_ids)
        for i, seg in enumerate(snap.segments):
            rows = seg.row_of
            for cid in wanted:
                row = rows.get(cid)
                if row is not None and cid not in out:
                    slot = int(seg.row_doc[row])
                    if snap.live[i][slot]:
                        out[cid] = seg.doc_ids[slot]
        return out

    @property
    def segments(self) -> int:
        """Number of segments (for tests and diagnostics)."""
        return len(self._snap.segments)


def _grown(df: Int32s, size: int) -> Int32s:
    """A copy of ``df`` with room for ``size`` columns (doubling, so growth is amortised)."""
    if len(df) >= size:
        return df.copy()
    out = np.zeros(max(size, 2 * len(df)), dtype=np.int32)
    out[: len(df)] = df
    return out


def _bm25(
    seg: _Segment, cols: npt.NDArray[np.int64], idf: npt.NDArray[np.float32], avgdl: float
) -> sparse.csc_matrix:
    """BM25 weights of ``cols`` in one segment (rows x len(cols)), from the raw counts."""
    sub = seg.counts[:, cols]
    tf = sub.data
    per_col = np.repeat(np.arange(len(cols)), np.diff(sub.indptr))
    dl = seg.lengths[sub.indices]
    sub.data = idf[per_col] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl))
    return sub


def _top(
    snap: _Snapshot,
    found: list[tuple[npt.NDArray[np.float32], int, npt.NDArray[np.intp]]],
    k: int,
) -> list[tuple[str, float]]:
    """The k best rows over all segments; ties by document id, then reading order."""
    scores = np.concatenate([s for s, _, _ in found])
    if scores.size > k:
        # every row scoring at least the k-th best: ties at the cut are decided below
        floor = np.partition(scores, scores.size - k)[scores.size - k]
    else:
        floor = scores.min()
    best = []
    for s, i, rows in found:
        seg = snap.segments[i]
        for j in np.flatnonzero(s >= floor):
            row = int(rows[j])
            slot = int(seg.row_doc[row])
            best.append((-float(s[j]), seg.doc_ids[slot], row - int(seg.doc_start[slot]), i, row))
    best.sort()
    return [(snap.segments[i].chunk_ids[row], -neg) for neg, _, _, i, row in best[:k]]


def _compacted(snap: _Snapshot) -> _Snapshot:
    """Merge the newest segments while the one before is not much bigger; rewrite any
    segment that is mostly dead; drop segments with no live document."""
    segments, live = list(snap.segments), list(snap.live)

    def live_rows(i: int) -> int:
        return segments[i].live_rows(live[i])

    changed = False
    while len(segments) >= 2 and live_rows(-2) <= MERGE_FACTOR * max(1, live_rows(-1)):
        merged = _merge(segments[-2:], live[-2:])
        segments[-2:], live[-2:] = [merged], [np.ones(len(merged.doc_ids), dtype=bool)]
        changed = True
    for i in range(len(segments)):
        if live_rows(i) < MIN_LIVE_SHARE * segments[i].rows:
            segments[i] = _merge([segments[i]], [live[i]])
            live[i] = np.ones(len(segments[i].doc_ids), dtype=bool)
            changed = True
    if not changed:
        return snap
    keep = [i for i in range(len(segments)) if live[i].any()]
    segments, live = [segments[i] for i in keep], [live[i] for i in keep]
    entries: dict[str, _Entry] = {}
    old = snap.entry_map()
    for i, seg in enumerate(segments):
        for slot, doc_id in enumerate(seg.doc_ids):
            if live[i][slot]:
                e = old[doc_id]
                entries[doc_id] = _Entry(
                    e.stamp, i, slot, e.columns, e.chunk_freq, e.rows, e.length
                )
    return _Snapshot(
        tuple(segments), tuple(live), tuple(entries.items()), snap.df, snap.rows, snap.length
    )


def _merge(segments: Sequence[_Segment], live: Sequence[npt.NDArray[np.bool_]]) -> _Segment:
    """One segment of the live documents of ``segments``, in their order."""
    width = max(s.counts.shape[1] for s in segments)
    blocks: list[sparse.csr_matrix] = []
    lengths: list[npt.NDArray[np.float32]] = []
    chunk_ids: list[str] = []
    doc_ids: list[str] = []
    sizes: list[int] = []
    for seg, ok in zip(segments, live, strict=True):
        rows = np.flatnonzero(ok[seg.row_doc])
        blocks.append(seg.counts.tocsr()[rows] if not ok.all() else seg.counts.tocsr())
        lengths.append(seg.lengths[rows])
        chunk_ids.extend(seg.chunk_ids[r] for r in rows)
        slots = np.flatnonzero(ok)
        doc_ids.extend(seg.doc_ids[s] for s in slots)
        sizes.extend(int(n) for n in seg.doc_rows[slots])
    return _Segment.of(blocks, width, lengths, chunk_ids, doc_ids, sizes)
