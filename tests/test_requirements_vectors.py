"""The embedding cache: only unseen texts reach the model, rows keep their order, and the
cache file round-trips (a broken one is ignored). A counting fake model is enough here."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from chains.requirements import vectors
from kb.embeddings import Vectors


class CountingModel:
    """Deterministic 4-dim vectors from the text; records every batch it is given."""

    name = "fake"
    dim = 4

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        self.batches.append(list(texts))
        return np.array(
            [[len(t), t.count("a"), t.count("e"), 1.0] for t in texts], dtype=np.float32
        )

    def embed_query(self, text: str) -> Vectors:
        return self.embed_documents([text])[0]


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    vectors.clear()
    yield
    vectors.clear()


def test_only_unseen_texts_are_embedded_in_one_batch_and_order_is_kept() -> None:
    model = CountingModel()
    texts = ["eine lange Anforderung", "kurz", "mittel lang"]
    first = vectors.embed_cached(model, texts)
    assert model.batches == [["kurz", "mittel lang", "eine lange Anforderung"]]  # by length
    assert first[:, 0].tolist() == [len(t) for t in texts]
    again = vectors.embed_cached(model, ["kurz", "neu", "kurz"])
    assert model.batches[1:] == [["neu"]]
    assert again[:, 0].tolist() == [4.0, 3.0, 4.0]
    assert vectors.embed_cached(model, []).shape == (0, 4)


def test_cache_file_round_trips_and_a_broken_file_is_ignored(tmp_path: Path) -> None:
    model = CountingModel()
    path = tmp_path / "index" / vectors.CACHE_FILE
    vectors.embed_cached(model, ["alpha", "beta"])
    vectors.save(path)
    vectors.clear()
    vectors.load(path)
    vectors.embed_cached(model, ["alpha", "beta", "gamma"])
    assert model.batches[-1] == ["gamma"]  # the file supplied the other two
    broken = tmp_path / "kaputt.npz"
    broken.write_bytes(b"not a numpy archive")
    vectors.clear()
    vectors.load(broken)  # logged, not raised
    vectors.embed_cached(model, ["alpha"])
    assert model.batches[-1] == ["alpha"]
