"""Does the workspace hold a basis for this question at all?

The signal is how close the question sits to the workspace: the embedding cosine of the
nearest passage (dense search only, so BM25 matches on common words such as "KMU" or
"Daten" cannot fake a topic). On the evaluation corpus this separated answerable from
unanswerable questions better than the best sentence score, and unlike a mean over the
three nearest it does not punish a small workspace where one passage holds the answer.
See ``bench/chat.py`` for the calibration behind ``settings.grounding_threshold``; the
value depends on the embedding model, so recalibrate when changing it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.embeddings import Vectors
from kb.workspace import Workspace

NEAREST = 1


@dataclass(frozen=True)
class Grounding:
    """The closeness score, the threshold it was compared with, and the decision."""

    closeness: float
    threshold: float

    @property
    def grounded(self) -> bool:
        return self.closeness >= self.threshold


def topic_closeness(
    ws: Workspace, question_vector: Vectors, allowed: set[str] | None, n: int = NEAREST
) -> float:
    """Mean cosine of the ``n`` nearest committed chunks (0.0 for an empty workspace)."""
    if question_vector.size == 0:
        return 0.0
    nearest = sorted(
        (cos for _, cos in ws.dense_search(question_vector, n, allowed)), reverse=True
    )[:n]
    return sum(nearest) / len(nearest) if nearest else 0.0
