"""BM25 keyword index over a workspace: a derived cache of Chroma, updated per document.

Weights are precomputed into a sparse matrix (chunks x terms), so a query is one column
slice and a sum: cost grows with the posting lists of the query terms, not with a loop
over all chunks. Documents are added and removed incrementally; the matrix is rebuilt
from cached term counts (no re-tokenising) when the document set changes.
"""

from __future__ import annotations

import logging
import math
import os
import pickle
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse

from kb.analysis import doc_terms, split_compound

log = logging.getLogger(__name__)

K1 = 1.2
B = 0.75
FORMAT_VERSION = 5  # 5: "bereits" is a stop word (kb.analysis)


@dataclass
class _DocTerms:
    file_hash: str
    chunk_ids: list[str]
    counts: list[Counter[str]]


@dataclass(frozen=True)
class KeywordRanking:
    """A query's BM25 result: the top chunks, every matching chunk's score (others are
    0) and the score distribution over all chunks considered (for z-score fusion)."""

    top: list[tuple[str, float]]
    scores: npt.NDArray[np.float32] | None = None  # by row of the index
    rows: Mapping[str, int] | None = None
    mean: float | None = None
    sd: float | None = None

    def lookup(self, chunk_ids: Sequence[str]) -> dict[str, float]:
        """BM25 score of the given chunks (0 for chunks the index does not hold)."""
        if self.scores is None or self.rows is None:
            return {cid: 0.0 for cid in chunk_ids}
        out = {}
        for cid in chunk_ids:
            row = self.rows.get(cid)
            out[cid] = float(self.scores[row]) if row is not None else 0.0
        return out


@dataclass
class KeywordIndex:
    """Per-document term counts plus the derived BM25 matrix."""

    docs: dict[str, _DocTerms] = field(default_factory=dict)
    vocab: dict[str, int] = field(default_factory=dict)
    chunk_ids: list[str] = field(default_factory=list)
    chunk_docs: list[str] = field(default_factory=list)
    matrix: sparse.csc_matrix | None = None
    df: npt.NDArray[np.int32] | None = None
    rows: dict[str, int] = field(default_factory=dict)  # chunk id -> matrix row

    # ---- maintenance -------------------------------------------------------------
    def stamp(self) -> dict[str, str]:
        return {doc_id: d.file_hash for doc_id, d in self.docs.items()}

    def set_document(self, doc_id: str, file_hash: str, chunks: list[tuple[str, str, str]]) -> None:
        """Replace one document's chunks: (chunk_id, text, language) triples."""
        raw = [(cid, doc_terms(text, lang), lang) for cid, text, lang in chunks]
        vocab = set(self.vocab)
        for _, terms, _ in raw:
            vocab.update(terms)
        counts = []
        for _, terms, lang in raw:
            extra: list[str] = []
            if lang == "de":
                for term in terms:
                    if len(term) >= 9:
                        extra.extend(split_compound(term, vocab))
            counts.append(Counter(terms + extra))
        self.docs[doc_id] = _DocTerms(file_hash, [c[0] for c in raw], counts)
        self.matrix = None

    def remove_document(self, doc_id: str) -> None:
        if self.docs.pop(doc_id, None) is not None:
            self.matrix = None

    def build(self) -> None:
        """(Re)compute vocabulary and BM25 weights from the cached term counts."""
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[float] = []
        lengths: list[int] = []
        chunk_ids: list[str] = []
        chunk_docs: list[str] = []
        for doc_id in sorted(self.docs):
            entry = self.docs[doc_id]
            for cid, counts in zip(entry.chunk_ids, entry.counts, strict=True):
                row = len(chunk_ids)
                chunk_ids.append(cid)
                chunk_docs.append(doc_id)
                lengths.append(sum(counts.values()))
                for term, tf in counts.items():
                    col = vocab.setdefault(term, len(vocab))
                    rows.append(row)
                    cols.append(col)
                    tfs.append(tf)
        n = len(chunk_ids)
        self.vocab, self.chunk_ids, self.chunk_docs = vocab, chunk_ids, chunk_docs
        self.rows = {cid: row for row, cid in enumerate(chunk_ids)}
        if n == 0:
            self.matrix = sparse.csc_matrix((0, 0), dtype=np.float32)
            self.df = np.zeros(0, dtype=np.int32)
            return
        r = np.asarray(rows, dtype=np.int64)
        c = np.asarray(cols, dtype=np.int64)
        tf_arr = np.asarray(tfs, dtype=np.float32)
        dl = np.asarray(lengths, dtype=np.float32)
        avgdl = float(dl.mean()) or 1.0
        df = np.bincount(c, minlength=len(vocab)).astype(np.int32)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        weight = idf[c] * tf_arr * (K1 + 1) / (tf_arr + K1 * (1 - B + B * dl[r] / avgdl))
        self.matrix = sparse.csc_matrix((weight, (r, c)), shape=(n, len(vocab)))
        self.df = df

    # ---- query -----------------------------------------------------------------
    def search(
        self,
        terms: list[tuple[str, float]],
        k: int,
        allowed_docs: set[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Top-k (chunk_id, score) for weighted query terms."""
        return self.ranked(terms, k, allowed_docs).top

    def ranked(
        self,
        terms: list[tuple[str, float]],
        k: int,
        allowed_docs: set[str] | None = None,
    ) -> KeywordRanking:
        """Top-k plus what fusion needs: the score distribution and every chunk's score."""
        if self.matrix is None:
            self.build()
        assert self.matrix is not None
        cols, weights = [], []
        for term, weight in terms:
            col = self.vocab.get(term)
            if col is not None:
                cols.append(col)
                weights.append(weight)
        if not cols or self.matrix.shape[0] == 0:
            return KeywordRanking([])
        sub = self.matrix[:, cols]
        scores = np.asarray(sub @ np.asarray(weights, dtype=np.float32)).ravel()
        if allowed_docs is not None:
            mask = np.fromiter((d in allowed_docs for d in self.chunk_docs), bool, len(scores))
            scores = np.where(mask, scores, 0.0)
            considered = scores[mask]
        else:
            considered = scores
        nz = np.flatnonzero(scores)
        if nz.size == 0:
            return KeywordRanking([])
        top = nz[np.argsort(-scores[nz], kind="stable")[:k]]
        return KeywordRanking(
            [(self.chunk_ids[i], float(scores[i])) for i in top],
            scores,
            self.rows,
            float(considered.mean()),
            float(considered.std()),
        )

    def known(self, term: str) -> bool:
        if self.matrix is None:
            self.build()
        return term in self.vocab

    def vocabulary(self) -> set[str]:
        if self.matrix is None:
            self.build()
        return set(self.vocab)

    def doc_freq(self, term: str) -> int:
        """Number of chunks containing ``term`` (0 when unknown)."""
        if self.matrix is None:
            self.build()
        col = self.vocab.get(term)
        if col is None or self.df is None:
            return 0
        return int(self.df[col])

    def idf(self, term: str) -> float:
        if self.matrix is None:
            self.build()
        col = self.vocab.get(term)
        if col is None or self.df is None:
            return 0.0
        n = len(self.chunk_ids)
        return math.log(1.0 + (n - self.df[col] + 0.5) / (self.df[col] + 0.5))

    # ---- persistence ---------------------------------------------------------------
    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # unique per writer: two processes sharing a data dir must not replace each
        # other's half-written file (or find it already moved away)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump((FORMAT_VERSION, self.docs), fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> KeywordIndex:
        """Load the cache; any problem just means 'rebuild from Chroma'."""
        try:
            with path.open("rb") as fh:
                version, docs = pickle.load(fh)
            if version == FORMAT_VERSION:
                return cls(docs=docs)
        except Exception:  # a stale or broken cache is never fatal
            log.info("keyword cache %s unusable; rebuilding", path)
        return cls()
