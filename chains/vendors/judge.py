"""From evidence sentences to one status per vendor and criterion (never guessed).

- Contradictory: the evidence holds fulfilled and not fulfilled statements.
- ``combine: worst``: a restriction wins (fulfilled + partly = partly); ``best``: the
  strongest proof wins (ISO/IEC 27001 beats "SOC 2 only").
- With aspects: each aspect on its own; all fulfilled = fulfilled; none better than not
  fulfilled = not fulfilled; anything between (including a missing aspect) = partly.
- No evidence at all = not found.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from chains.vendors.records import Evidence, Status
from knowledge.vendor_criteria import Criterion

F, P, N = Status.FULFILLED, Status.PARTLY, Status.NOT_FULFILLED
_WORST_FIRST = (N, P, F)


def combine(verdicts: Iterable[Status], mode: str = "worst") -> Status:
    """Fold the statuses of single statements into one."""
    have = set(verdicts)
    if not have:
        return Status.NOT_FOUND
    if F in have and N in have and mode == "worst":
        return Status.CONTRADICTORY
    order = _WORST_FIRST if mode == "worst" else tuple(reversed(_WORST_FIRST))
    return next(s for s in order if s in have)


def decide(
    criterion: Criterion, evidence: Sequence[Evidence]
) -> tuple[Status, tuple[tuple[str, Status], ...]]:
    """The criterion's status and, if it has aspects, each aspect's status."""
    verdicts = [e.verdict for e in evidence if e.verdict is not None]
    if not criterion.aspects:
        return combine(verdicts, criterion.combine), ()
    per_aspect = tuple(
        (aspect, combine(e.verdict for e in evidence if e.aspect == aspect and e.verdict))
        for aspect in criterion.aspects
    )
    states = [s for _, s in per_aspect]
    if all(s == Status.NOT_FOUND for s in states):
        return Status.NOT_FOUND, per_aspect
    if Status.CONTRADICTORY in states:
        return Status.CONTRADICTORY, per_aspect
    if all(s == F for s in states):
        return F, per_aspect
    if all(s in (N, Status.NOT_FOUND) for s in states):
        return N, per_aspect
    return P, per_aspect


def pick_evidence(evidence: Sequence[Evidence], limit: int) -> tuple[Evidence, ...]:
    """The best sentence of each (aspect, verdict) first, so every side of a verdict is
    shown (both sides of a contradiction, every aspect), then the next best by relevance;
    a sentence appears once."""
    ranked = sorted(evidence, key=lambda e: -e.score)
    chosen: list[Evidence] = []
    groups: set[tuple[str | None, Status | None]] = set()
    for e in ranked:
        if (e.aspect, e.verdict) not in groups:
            groups.add((e.aspect, e.verdict))
            chosen.append(e)
    for e in ranked:
        if e not in chosen:
            chosen.append(e)
    out: list[Evidence] = []
    texts: set[str] = set()
    for e in chosen:
        if e.text in texts:
            continue
        texts.add(e.text)
        out.append(e)
        if len(out) == limit:
            break
    return tuple(sorted(out, key=lambda e: -e.score))
