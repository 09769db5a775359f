"""Fusing ranked candidate lists (dense, keyword) into one score per chunk.

Two methods:

- ``zscore`` (default): each list's scores are standardised over that list (mean 0, sd 1)
  and the weighted z-scores are summed; a chunk missing from a list gets that list's
  lowest z-score. Unlike rank fusion it keeps *how far* a candidate stands out: a passage
  that BM25 ranks first by a wide margin (the user's rare words are all in it) is not
  pulled down to the level of one that both rankings find merely mediocre. On the
  evaluation corpus this lifted recall@5 over RRF in every chunking tried (see
  docs/retrieval.md).
- ``rrf``: reciprocal rank fusion, ``sum w / (60 + rank)``; robust, ignores score scale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

FusionMethod = Literal["zscore", "rrf"]
RRF_K = 60

# (weight, [(chunk_id, score), ...] best first)
Ranking = tuple[float, Sequence[tuple[str, float]]]


def _standardised(scores: Sequence[tuple[str, float]]) -> tuple[dict[str, float], float]:
    """z-scores of one list and the value for chunks the list does not contain."""
    if not scores:
        return {}, 0.0
    values = [s for _, s in scores]
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    if sd < 1e-9:
        return {cid: 0.0 for cid, _ in scores}, 0.0
    z = {cid: (s - mean) / sd for cid, s in scores}
    return z, min(z.values())


def fuse(rankings: Sequence[Ranking], method: FusionMethod = "zscore") -> dict[str, float]:
    """One fused score per candidate chunk id (higher is better)."""
    fused: dict[str, float] = {}
    if method == "rrf":
        for weight, ranking in rankings:
            for rank, (cid, _) in enumerate(ranking):
                fused[cid] = fused.get(cid, 0.0) + weight / (RRF_K + rank + 1)
        return fused
    standard = [(weight, *_standardised(ranking)) for weight, ranking in rankings]
    candidates = {cid for _, z, _ in standard for cid in z}
    for cid in candidates:
        fused[cid] = sum(weight * z.get(cid, floor) for weight, z, floor in standard)
    return fused
