"""Fusing ranked candidate lists (dense models, keyword) into one score per chunk.

Two methods:

- ``zscore`` (default): every candidate's raw score in every signal is standardised
  against that signal's score distribution *over the whole workspace* for this query
  (``mean``/``sd``: a vector sample for the dense models, all chunks for BM25) and the
  weighted z-scores are summed. A candidate one list did not return is scored exactly
  (``lookup``) rather than given a guess. Unlike rank fusion this keeps *how far* a
  passage stands out: one that BM25 finds by a wide margin is not pulled down to the
  level of one that every ranking finds merely mediocre; and unlike standardising over
  the top candidates only, a list whose best candidates are all weak contributes little.
  A signal without workspace statistics falls back to standardising over its own list,
  and a candidate it cannot score gets that list's lowest z-score.
- ``rrf``: reciprocal rank fusion, ``sum w / (60 + rank)``; robust, ignores score scale.

docs/retrieval.md has the measurements behind the choice.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

FusionMethod = Literal["zscore", "rrf"]
RRF_K = 60

Lookup = Callable[[Sequence[str]], Mapping[str, float]]


@dataclass(frozen=True)
class Signal:
    """One ranking: its weight, its candidates (best first, raw scores) and how to
    standardise and complete them."""

    weight: float
    ranking: Sequence[tuple[str, float]]
    mean: float | None = None  # the query's mean raw score over the workspace
    sd: float | None = None
    lookup: Lookup | None = None  # raw scores of candidates the ranking does not hold


def _list_stats(values: Sequence[float]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def _zscores(signal: Signal, candidates: set[str]) -> dict[str, float]:
    """z-score of every candidate in this signal (missing ones at the list's floor)."""
    raw = dict(signal.ranking)
    missing = [cid for cid in candidates if cid not in raw]
    if missing and signal.lookup is not None:
        raw.update(signal.lookup(missing))
    if signal.mean is not None and signal.sd is not None and signal.sd > 1e-9:
        mean, sd = signal.mean, signal.sd
    elif signal.ranking:
        mean, sd = _list_stats([s for _, s in signal.ranking])
    else:
        return {}
    if sd < 1e-9:
        return {cid: 0.0 for cid in candidates}
    z = {cid: (s - mean) / sd for cid, s in raw.items() if cid in candidates}
    floor = min(z.values()) if z else 0.0
    return {cid: z.get(cid, floor) for cid in candidates}


def fuse(signals: Sequence[Signal], method: FusionMethod = "zscore") -> dict[str, float]:
    """One fused score per candidate chunk id (higher is better)."""
    fused: dict[str, float] = {}
    if method == "rrf":
        for signal in signals:
            for rank, (cid, _) in enumerate(signal.ranking):
                fused[cid] = fused.get(cid, 0.0) + signal.weight / (RRF_K + rank + 1)
        return fused
    candidates = {cid for signal in signals for cid, _ in signal.ranking}
    for signal in signals:
        for cid, z in _zscores(signal, candidates).items():
            fused[cid] = fused.get(cid, 0.0) + signal.weight * z
    return fused
