"""Fusion of the dense and keyword candidate lists (``kb.fusion``): pure logic."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from kb.fusion import RRF_K, Signal, fuse


def test_zscore_keeps_a_clear_one_sided_winner_above_a_mediocre_two_sided_candidate() -> None:
    # BM25 puts "rare" far ahead of the rest; "both" ranks a little better on average.
    dense = [("d1", 0.50), ("both", 0.46), ("d2", 0.455), ("rare", 0.45), ("d3", 0.30)]
    keyword = [("rare", 30.0), ("both", 8.0), ("k1", 7.5), ("k2", 7.0), ("k3", 6.5)]
    z = fuse([Signal(1.0, dense), Signal(1.0, keyword)], "zscore")
    assert max(z, key=lambda c: z[c]) == "rare"
    rrf = fuse([Signal(1.0, dense), Signal(1.0, keyword)], "rrf")
    assert max(rrf, key=lambda c: rrf[c]) == "both"  # rank fusion forgets the margin


def test_zscore_gives_a_missing_candidate_the_lowest_score_of_that_list() -> None:
    dense = [("a", 0.9), ("b", 0.5), ("c", 0.1)]
    keyword = [("a", 3.0), ("b", 2.0)]
    scores = fuse([Signal(1.0, dense), Signal(1.0, keyword)], "zscore")
    assert set(scores) == {"a", "b", "c"}
    # "c" is last in dense and absent from keyword: it gets keyword's floor, not a bonus.
    assert scores["c"] < scores["b"] < scores["a"]
    assert scores["c"] == pytest.approx(-1.2247 - 1.0, abs=1e-3)


def test_weights_scale_each_list() -> None:
    dense = [("a", 1.0), ("b", 0.0)]
    keyword = [("b", 1.0), ("a", 0.0)]
    scores = fuse([Signal(2.0, dense), Signal(1.0, keyword)], "zscore")
    assert scores["a"] > scores["b"]


def test_rrf_sums_reciprocal_ranks() -> None:
    scores = fuse([Signal(1.0, [("a", 9.0), ("b", 1.0)]), Signal(1.0, [("b", 5.0)])], "rrf")
    assert scores["a"] == pytest.approx(1 / (RRF_K + 1))
    assert scores["b"] == pytest.approx(1 / (RRF_K + 2) + 1 / (RRF_K + 1))


@pytest.mark.parametrize("method", ["zscore", "rrf"])
def test_empty_lists_give_nothing(method: str) -> None:
    assert fuse([Signal(1.0, []), Signal(1.0, [])], method) == {}  # type: ignore[arg-type]


def test_equal_scores_are_a_tie_in_zscore() -> None:
    scores = fuse([Signal(1.0, [("a", 1.0), ("b", 1.0)]), Signal(1.0, [])], "zscore")
    assert scores == {"a": 0.0, "b": 0.0}


def test_workspace_statistics_and_lookup_score_every_candidate_exactly() -> None:
    # Dense returned a and b; BM25 returned c. With the workspace's score distribution and
    # a lookup, c's dense score and a's BM25 score are real values, not list floors.
    dense_scores = {"a": 0.60, "b": 0.55, "c": 0.50}
    bm25_scores = {"a": 0.0, "b": 2.0, "c": 9.0}
    dense = Signal(
        1.0,
        [("a", 0.60), ("b", 0.55)],
        mean=0.20,
        sd=0.10,
        lookup=lambda ids: {i: dense_scores[i] for i in ids},
    )
    keyword = Signal(
        1.0, [("c", 9.0)], mean=1.0, sd=2.0, lookup=lambda ids: {i: bm25_scores[i] for i in ids}
    )
    scores = fuse([dense, keyword], "zscore")
    assert scores["a"] == pytest.approx((0.60 - 0.20) / 0.10 + (0.0 - 1.0) / 2.0)
    assert scores["c"] == pytest.approx((0.50 - 0.20) / 0.10 + (9.0 - 1.0) / 2.0)
    assert max(scores, key=lambda c: scores[c]) == "c"


def test_a_list_of_only_weak_candidates_adds_little_under_workspace_statistics() -> None:
    # Over its own top list a weak ranking still spreads its candidates to z = +-1; against
    # the workspace distribution its best candidate is barely above average.
    weak = [("w1", 0.21), ("w2", 0.20)]
    strong = [("s1", 0.90), ("w2", 0.30)]
    local = fuse([Signal(1.0, weak), Signal(1.0, strong)], "zscore")
    wide = fuse(
        [Signal(1.0, weak, mean=0.20, sd=0.10), Signal(1.0, strong, mean=0.20, sd=0.10)], "zscore"
    )
    assert local["w1"] == pytest.approx(local["s1"])  # each list's best looks equally good
    assert wide["s1"] - wide["w1"] > 5  # only one of them stands out in its workspace


def _collection(n: int) -> Any:
    import uuid

    import chromadb
    import numpy as np

    client = chromadb.EphemeralClient()
    col = client.create_collection(f"s-{uuid.uuid4().hex[:8]}", embedding_function=None)
    rng = np.random.default_rng(0)
    _add(col, 0, n, rng)
    return col


def _add(col: Any, start: int, n: int, rng: Any) -> None:
    vecs = rng.normal(size=(n, 8)).astype("float32")
    col.add(ids=[f"c{i}" for i in range(start, start + n)], embeddings=vecs.tolist())


def test_sample_of_a_large_store_is_kept_until_the_size_moves_by_a_tenth() -> None:
    import numpy as np

    from kb.sidestore import SAMPLE_SIZE, SampleCache

    col = _collection(1000)
    cache = SampleCache()
    first = cache.get(col, 1000)
    assert len(first) == SAMPLE_SIZE
    rng = np.random.default_rng(1)
    _add(col, 1000, 50, rng)
    assert cache.get(col, 1050) is first  # +5 %: the same sample, no store query
    _add(col, 1050, 100, rng)
    assert cache.get(col, 1150) is not first  # +15 %: redrawn


def test_sample_of_a_small_store_follows_every_change() -> None:
    import numpy as np

    from kb.sidestore import SampleCache

    col = _collection(100)
    cache = SampleCache()
    assert len(cache.get(col, 100)) == 100
    _add(col, 100, 3, np.random.default_rng(2))
    assert len(cache.get(col, 103)) == 103


def test_covers_remembers_a_yes_per_chunk_count_only() -> None:
    from kb.embeddings import load_embedder
    from kb.sidestore import SideStore, whole_chunk

    col = _collection(10)
    store = SideStore(col, load_embedder("use-multilingual"), whole_chunk)
    assert store.covers(10)
    assert not store.covers(11)  # a new chunk count is checked against the store again
    col.delete(ids=["c0", "c1"])
    assert not store.covers(9)


def test_centring_lowers_the_passage_that_is_near_every_question() -> None:
    """A passage along the workspace's common direction (boilerplate) beats the specific
    one on raw cosine; with half the mean vector taken out of the question it does not."""
    import numpy as np

    from kb.sidestore import SampleCache, centre_query

    rng = np.random.default_rng(3)
    common = np.zeros(8, dtype=np.float32)
    common[0] = 1.0
    noise = rng.normal(scale=0.3, size=(200, 8)).astype("float32")
    stored = common + noise  # every passage shares the common direction
    stored /= np.linalg.norm(stored, axis=1, keepdims=True)
    col = _collection(1)
    col.delete(ids=["c0"])
    col.add(ids=[f"c{i}" for i in range(200)], embeddings=stored.tolist())
    mean = SampleCache().mean(col, 200)
    assert np.allclose(mean, stored.mean(axis=0), atol=1e-5)

    hub = common
    specific = np.array([0.6, 0.8, 0, 0, 0, 0, 0, 0], dtype=np.float32)
    question = np.array([0.95, 0.31, 0, 0, 0, 0, 0, 0], dtype=np.float32)
    assert question @ hub > question @ specific
    centred = centre_query(question, mean, 0.5)
    assert abs(float(np.linalg.norm(centred)) - 1.0) < 1e-5
    assert centred @ specific > centred @ hub
    assert np.array_equal(centre_query(question, mean, 0.0), question)
    assert np.array_equal(centre_query(question, mean[:0], 0.5), question)  # empty store


def test_stored_vectors_are_read_once_and_score_each_chunk_by_its_best_record() -> None:
    import numpy as np

    from kb.retriever import StoredVectors

    reads: list[list[str]] = []
    rows = {
        "a": np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32),  # two records
        "b": np.array([[0.6, 0.8]], dtype=np.float32),
    }

    def fetch(ids: Sequence[str]) -> dict[str, Any]:
        reads.append(list(ids))
        return {cid: rows[cid] for cid in ids if cid in rows}

    held = StoredVectors(fetch)
    held.prefetch(["a", "a", "gone"])
    scores = held.lookup(np.array([0.0, 1.0], dtype=np.float32))(["a", "b", "gone"])
    assert scores == pytest.approx({"a": 1.0, "b": 0.8})
    assert reads == [["a", "gone"], ["b"]]  # nothing read twice, "gone" not asked again


def test_further_chunks_of_a_ranked_document_give_way_to_another_document() -> None:
    from kb.diversity import spread_documents

    scores = {"a1": 10.0, "a2": 9.8, "a3": 9.6, "b1": 9.5}
    doc_of = {"a1": "A", "a2": "A", "a3": "A", "b1": "B"}
    spread = spread_documents(scores, doc_of, 0.5)
    assert sorted(spread, key=lambda c: -spread[c]) == ["a1", "b1", "a2", "a3"]
    assert spread == pytest.approx({"a1": 10.0, "b1": 9.5, "a2": 9.3, "a3": 8.6})
    assert spread_documents(scores, doc_of, 0.0) == scores


def test_a_clearly_best_document_still_fills_the_list() -> None:
    from kb.diversity import spread_documents

    scores = {"a1": 10.0, "a2": 9.0, "a3": 8.0, "b1": 3.0}
    spread = spread_documents(scores, {"a1": "A", "a2": "A", "a3": "A", "b1": "B"}, 0.5)
    assert sorted(spread, key=lambda c: -spread[c]) == ["a1", "a2", "a3", "b1"]


def test_the_spread_equals_rescoring_every_candidate_at_every_step() -> None:
    import random

    from kb.diversity import spread_documents

    rng = random.Random(7)
    for _ in range(200):
        n = rng.randrange(2, 60)
        scores = {f"c{i}": round(rng.gauss(0, 3), 2) for i in range(n)}
        doc_of = {cid: f"d{rng.randrange(5)}" for cid in scores}
        left, placed, expected = dict(scores), dict.fromkeys(doc_of.values(), 0), {}
        while left:  # the definition: the best score after the penalty, one at a time
            cid = min(left, key=lambda c: (placed[doc_of[c]] * 0.5 - left[c], c))
            expected[cid] = left.pop(cid) - 0.5 * placed[doc_of[cid]]
            placed[doc_of[cid]] += 1
        assert spread_documents(scores, doc_of, 0.5) == pytest.approx(expected)
