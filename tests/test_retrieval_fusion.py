"""Fusion of the dense and keyword candidate lists (``kb.fusion``): pure logic."""

from __future__ import annotations

import pytest

from kb.fusion import RRF_K, fuse


def test_zscore_keeps_a_clear_one_sided_winner_above_a_mediocre_two_sided_candidate() -> None:
    # BM25 puts "rare" far ahead of the rest; "both" ranks a little better on average.
    dense = [("d1", 0.50), ("both", 0.46), ("d2", 0.455), ("rare", 0.45), ("d3", 0.30)]
    keyword = [("rare", 30.0), ("both", 8.0), ("k1", 7.5), ("k2", 7.0), ("k3", 6.5)]
    z = fuse([(1.0, dense), (1.0, keyword)], "zscore")
    assert max(z, key=lambda c: z[c]) == "rare"
    rrf = fuse([(1.0, dense), (1.0, keyword)], "rrf")
    assert max(rrf, key=lambda c: rrf[c]) == "both"  # rank fusion forgets the margin


def test_zscore_gives_a_missing_candidate_the_lowest_score_of_that_list() -> None:
    dense = [("a", 0.9), ("b", 0.5), ("c", 0.1)]
    keyword = [("a", 3.0), ("b", 2.0)]
    scores = fuse([(1.0, dense), (1.0, keyword)], "zscore")
    assert set(scores) == {"a", "b", "c"}
    # "c" is last in dense and absent from keyword: it gets keyword's floor, not a bonus.
    assert scores["c"] < scores["b"] < scores["a"]
    assert scores["c"] == pytest.approx(-1.2247 - 1.0, abs=1e-3)


def test_weights_scale_each_list() -> None:
    dense = [("a", 1.0), ("b", 0.0)]
    keyword = [("b", 1.0), ("a", 0.0)]
    scores = fuse([(2.0, dense), (1.0, keyword)], "zscore")
    assert scores["a"] > scores["b"]


def test_rrf_sums_reciprocal_ranks() -> None:
    scores = fuse([(1.0, [("a", 9.0), ("b", 1.0)]), (1.0, [("b", 5.0)])], "rrf")
    assert scores["a"] == pytest.approx(1 / (RRF_K + 1))
    assert scores["b"] == pytest.approx(1 / (RRF_K + 2) + 1 / (RRF_K + 1))


@pytest.mark.parametrize("method", ["zscore", "rrf"])
def test_empty_lists_give_nothing(method: str) -> None:
    assert fuse([(1.0, []), (1.0, [])], method) == {}  # type: ignore[arg-type]


def test_equal_scores_are_a_tie_in_zscore() -> None:
    scores = fuse([(1.0, [("a", 1.0), ("b", 1.0)]), (1.0, [])], "zscore")
    assert scores == {"a": 0.0, "b": 0.0}
