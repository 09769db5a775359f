"""A cache of embeddings by (model, text hash): in the process, optionally on disk.

Requirement probes are the same for every draft and workspace sentences rarely change,
so a second draft (a Streamlit rerun, the next scenario, the next CLI call with a cache
file) embeds almost nothing. On two shared cores embedding dominates a cold draft.
The file is a derived cache like the keyword index: deleting it only costs time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kb.embeddings import Embedder, Vectors

log = logging.getLogger(__name__)

MAX_ENTRIES = 20_000  # 512 floats each: about 40 MB at most
CACHE_FILE = "requirement_vectors.npz"  # under Settings.index_dir, next to the BM25 caches

_cache: OrderedDict[str, Vectors] = OrderedDict()
_lock = threading.Lock()
_loaded: set[Path] = set()
_dirty: set[Path] = set()  # files that lack vectors embedded since they were written


def _key(model: str, text: str) -> str:
    return hashlib.sha1(f"{model}\x00{text}".encode()).hexdigest()


def embed_cached(embedder: Embedder, texts: Sequence[str]) -> Vectors:
    """Rows in the order of ``texts``; only unseen texts reach the model, in one call."""
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    keys = [_key(embedder.name, t) for t in texts]
    with _lock:
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in _cache}
    # Shortest first: the model pads each batch to its longest text, so batches of
    # similar length cost about a third less than the texts in arrival order.
    order = sorted(missing, key=lambda k: len(missing[k]))
    fresh = embedder.embed_documents([missing[k] for k in order]) if order else None
    with _lock:
        if fresh is not None:
            for key, vector in zip(order, fresh, strict=True):
                _cache[key] = vector
            _dirty.update(_loaded)
        rows = []
        for key in keys:
            _cache.move_to_end(key)
            rows.append(_cache[key])
        while len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
    return np.vstack(rows).astype(np.float32, copy=False)


def load(path: Path) -> None:
    """Merge a cache file into the process cache (once per path; a broken file is ignored)."""
    if path in _loaded or not path.exists():
        return
    try:
        with np.load(path, allow_pickle=False) as data:
            keys, vectors = data["keys"], data["vectors"]
        with _lock:
            for key, vector in zip(keys, vectors, strict=True):
                _cache.setdefault(str(key), vector.astype(np.float32))
        _loaded.add(path)
    except (OSError, ValueError, KeyError) as exc:
        log.info("vector cache %s unusable (%s); it will be rewritten", path, exc)


def save(path: Path) -> None:
    """Write the process cache atomically when it has news for ``path``; two writers at
    once just race to the same content."""
    if path in _loaded and path not in _dirty and path.exists():
        return
    with _lock:
        keys = list(_cache)
        vectors = np.vstack([_cache[k] for k in keys]) if keys else np.zeros((0, 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
    np.savez(tmp, keys=np.array(keys, dtype=str), vectors=vectors.astype(np.float32))
    tmp.replace(path)
    _loaded.add(path)
    _dirty.discard(path)


def clear() -> None:
    """Forget every cached vector (used to measure cold drafts)."""
    with _lock:
        _cache.clear()
        _loaded.clear()
        _dirty.clear()
