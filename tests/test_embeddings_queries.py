"""Question vectors (``kb.embeddings``): cached per text, never shared mutable, and the same
whether a text is embedded alone (one BLAS thread) or in an ingest-sized batch."""

from __future__ import annotations

import numpy as np
import pytest

from kb.embeddings import INTERACTIVE_TEXTS, Embedder, QueryCache, Vectors


def test_cache_returns_copies_and_forgets_the_oldest() -> None:
    calls: list[str] = []

    def compute(text: str) -> Vectors:
        calls.append(text)
        return np.full(3, float(len(text)), dtype=np.float32)

    cache = QueryCache(size=2)
    first = cache.get("eins", compute)
    first[:] = 0.0  # a caller changing its vector must not change the cached one
    assert cache.get("eins", compute).tolist() == [4.0, 4.0, 4.0]
    cache.get("zwei", compute)
    cache.get("zwei", compute)  # now "eins" is the least recently used
    cache.get("drei", compute)  # a third text: "eins" goes
    assert calls == ["eins", "zwei", "drei"]
    cache.get("zwei", compute)
    cache.get("eins", compute)
    assert calls == ["eins", "zwei", "drei", "eins"]
    cache.clear()
    cache.get("eins", compute)
    assert calls[-1] == "eins" and len(calls) == 5


@pytest.mark.slow
def test_question_vector_is_cached_and_matches_a_batch(embedder: Embedder) -> None:
    question = "Dürfen wir Kundendaten in einen Cloud-Chatbot geben?"
    alone = embedder.embed_query(question)
    again = embedder.embed_query(question)
    assert np.array_equal(alone, again) and alone is not again
    batch = [question] + [f"Satz Nummer {i} über Datenschutz." for i in range(INTERACTIVE_TEXTS)]
    in_batch = embedder.embed_documents(batch)[0]  # more than INTERACTIVE_TEXTS: all threads
    assert float(alone @ in_batch) > 0.9999
