"""Sentence windows: a second set of vectors per chunk, for paraphrased questions.

A 900-character chunk vector averages several statements; a question usually paraphrases
one of them. USE-multilingual was trained on sentence-level similarity, so each chunk also
gets vectors for its single sentences and pairs of consecutive sentences ("windows", never
crossing the chunk). Dense search scores a chunk by ``(1 - w) x chunk cosine + w x best
window cosine`` (``LOTSE_WINDOW_WEIGHT``, 0.5).

Storage is a ``kb.sidestore.SideStore`` (collection ``lotse-windows-<workspace>``) with
its crash-safety rules; a chunk without windows falls back to its chunk cosine.

The question side (``focus_text``): a question of several sentences is usually scenario
first, interrogative last ("Our desk does X. Is that still safe?"); its last sentence is
embedded as well and the two vectors are summed, so the asking part is not drowned out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.domain import Chunk
from ingest.sentences import split_sentences
from kb.embeddings import Embedder, Vectors

WINDOWS_PREFIX = "lotse-windows-"
WINDOW_SIZES = (1, 2)
MIN_WINDOW_CHARS = 20


def sentence_windows(text: str, sizes: Sequence[int] = WINDOW_SIZES) -> list[str]:
    """Runs of 1..n consecutive sentences of one chunk (distinct, at least 20 characters)."""
    sentences = split_sentences(text)
    out: list[str] = []
    seen: set[str] = set()
    for size in sizes:
        for start in range(0, len(sentences) - size + 1):
            window = " ".join(sentences[start : start + size])
            if len(window) >= MIN_WINDOW_CHARS and window not in seen:
                seen.add(window)
                out.append(window)
    return out


def focus_text(question: str) -> str:
    """The last sentence of a question of several sentences, else "" (no extra focus)."""
    sentences = split_sentences(question.strip())
    return sentences[-1] if len(sentences) > 1 else ""


def query_vector(embedder: Embedder, question: str, use_focus: bool = True) -> Vectors:
    """The question's vector, plus its focus sentence's when it has one (re-normalised)."""
    vector: Vectors = embedder.embed_query(question)
    focus = focus_text(question) if use_focus else ""
    if not focus:
        return vector
    summed = vector + embedder.embed_query(focus)
    norm = float(np.linalg.norm(summed))
    out: Vectors = (summed / norm).astype(np.float32) if norm > 0 else vector
    return out


def window_units(chunk: Chunk) -> list[tuple[str, str]]:
    """The side-store records of a chunk: one per sentence window (``kb.sidestore``)."""
    return [(f"{chunk.id}:w{j}", window) for j, window in enumerate(sentence_windows(chunk.text))]


def combine(
    chunk_scores: dict[str, float], window_scores: dict[str, float], weight: float
) -> dict[str, float]:
    """``(1 - weight) x chunk + weight x window`` per chunk with a chunk cosine.

    A chunk none of whose windows came back scores its windows as the lowest window
    score returned (but never above its own chunk cosine).
    """
    if not window_scores or weight <= 0:
        return dict(chunk_scores)
    floor = min(window_scores.values())
    return {
        cid: (1 - weight) * score + weight * window_scores.get(cid, min(floor, score))
        for cid, score in chunk_scores.items()
    }
