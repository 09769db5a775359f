"""Term counts of one document version: the unit the keyword index adds, removes and caches.

Tokenising and stemming is the expensive part of keyword indexing (about 0.4 ms per
chunk), so each document version's counts are computed once and kept on disk, one small
file per version under ``<index_dir>/<workspace>.bm25/``. Adding or replacing a document
writes one file; a new process reads the files instead of re-reading Chroma. The file
name is a digest of the document id and its version stamp, so two app instances that
share a data dir write identical content under identical names (each replaces the file
atomically under its own temporary name) and never need a shared manifest.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import threading
from collections import Counter
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse

from kb.analysis import doc_terms, split_compound

log = logging.getLogger(__name__)

# 7: inflected pronouns, modal and auxiliary forms are stop words (kb.analysis);
# 6: "bereits" is a stop word; 5: one file per document version, counts as
# a sparse matrix (4: one pickle of Counters)
FORMAT_VERSION = 7
COMPOUND_MIN_LEN = 9


class _Either:
    """``a or b`` as a container, without copying either (an index vocabulary is big)."""

    def __init__(self, a: Container[str], b: Container[str]) -> None:
        self._a, self._b = a, b

    def __contains__(self, term: object) -> bool:
        return term in self._a or term in self._b


@dataclass(frozen=True)
class DocumentTerms:
    """Per chunk term counts of one document version (rows: chunks, columns: ``terms``)."""

    stamp: str
    chunk_ids: tuple[str, ...]
    terms: tuple[str, ...]
    counts: sparse.csr_matrix  # int32, len(chunk_ids) x len(terms)

    @classmethod
    def from_chunks(
        cls, stamp: str, chunks: Sequence[tuple[str, str, str]], known: Container[str]
    ) -> DocumentTerms:
        """Count the index terms of (chunk_id, text, language) triples.

        German words of nine letters or more also count their two parts when the index
        (``known``: its vocabulary when the document was added) or the document itself
        holds both, so "Kundendaten" is found by "Daten".
        """
        raw = [(cid, doc_terms(text, lang), lang) for cid, text, lang in chunks]
        own: set[str] = set()
        for _, terms, _ in raw:
            own.update(terms)
        vocab = _Either(own, known)
        parts: dict[str, list[str]] = {}  # a document repeats its compounds
        columns: dict[str, int] = {}
        indptr = [0]
        indices: list[int] = []
        data: list[int] = []
        for _, terms, lang in raw:
            extra: list[str] = []
            if lang == "de":
                for term in terms:
                    if len(term) >= COMPOUND_MIN_LEN:
                        if term not in parts:
                            parts[term] = split_compound(term, vocab)
                        extra.extend(parts[term])
            for term, tf in Counter(terms + extra).items():
                indices.append(columns.setdefault(term, len(columns)))
                data.append(tf)
            indptr.append(len(indices))
        counts = sparse.csr_matrix(
            (
                np.asarray(data, dtype=np.int32),
                np.asarray(indices, dtype=np.int32),
                np.asarray(indptr, dtype=np.int32),
            ),
            shape=(len(raw), len(columns)),
        )
        return cls(stamp, tuple(c[0] for c in raw), tuple(columns), counts)

    @property
    def lengths(self) -> npt.NDArray[np.int64]:
        """Terms per chunk (with repeats): BM25's document length."""
        return np.asarray(self.counts.sum(axis=1), dtype=np.int64).ravel()

    def chunk_frequencies(self) -> npt.NDArray[np.int32]:
        """Number of this document's chunks containing each of ``terms``."""
        return np.bincount(self.counts.indices, minlength=len(self.terms)).astype(np.int32)


class DocumentTermsCache:
    """The per-document files of one workspace (see the module doc)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, doc_id: str, stamp: str) -> Path:
        digest = hashlib.sha256(f"{doc_id}\0{stamp}".encode()).hexdigest()[:32]
        return self.folder / f"{digest}.v{FORMAT_VERSION}"

    def get(self, doc_id: str, stamp: str) -> DocumentTerms | None:
        """The cached counts of this version, or None (missing, other format, unreadable)."""
        path = self._path(doc_id, stamp)
        try:
            with path.open("rb") as fh:
                version, terms = pickle.load(fh)
        except FileNotFoundError:
            return None
        except Exception:  # a broken cache file only means: count again
            log.info("keyword cache file %s unusable; counting again", path)
            return None
        if version != FORMAT_VERSION or not isinstance(terms, DocumentTerms):
            return None
        return terms if terms.stamp == stamp else None

    def put(self, doc_id: str, terms: DocumentTerms) -> None:
        self._prepare()
        path = self._path(doc_id, terms.stamp)
        # unique per writer: two processes sharing a data dir must not replace each
        # other's half-written file (or find it already moved away)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump((FORMAT_VERSION, terms), fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    def drop(self, doc_id: str, stamp: str) -> None:
        self._path(doc_id, stamp).unlink(missing_ok=True)

    def keep_only(self, wanted: Iterable[tuple[str, str]]) -> None:
        """Delete every file but those of the (doc_id, stamp) pairs given (and temporaries
        of writers that may still be running)."""
        if not self.folder.is_dir():
            return
        names = {self._path(d, s).name for d, s in wanted}
        for path in self.folder.iterdir():
            if path.name not in names and not path.name.endswith(".tmp"):
                path.unlink(missing_ok=True)

    def _prepare(self) -> None:
        """Create the folder; a format-4 cache was a single file of the same name."""
        if self.folder.is_file():
            self.folder.unlink(missing_ok=True)
        self.folder.mkdir(parents=True, exist_ok=True)
