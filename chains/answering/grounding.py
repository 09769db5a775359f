"""Does the workspace hold a basis for this question at all?

The signal is how close the question sits to the workspace: the embedding cosine of the
nearest passage (dense search only, so BM25 matches on common words such as "KMU" or
"Daten" cannot fake a topic). On the evaluation corpus this separated answerable from
unanswerable questions better than the best sentence score, and unlike a mean over the
three nearest it does not punish a small workspace where one passage holds the answer.
How far the nearest passage stands above the workspace's average (a z-score) separated
nothing: an off-topic question still has a nearest passage that stands out.

When the workspace has the second model's vectors (``kb.second``, e5) its cosine is used:
at the same share of answerable questions kept (0.95 of dev.jsonl) it rejected 0.67 of the
unanswerable set against 0.46 for USE. e5 scores a passage in the other language lower
than the same passage in the question's language (by 0.04-0.05 for the nearest passage of
the shipped guide's German and English twins), so German questions over English documents
alone fell below the threshold where those documents answer them: a passage in another
language gets ``settings.second_grounding_language_gap`` added
(``kb.language_balance.cross_lingual_closeness``; docs/retrieval.md has the calibration).
See ``bench/chat.py`` for the calibration behind ``settings.grounding_threshold`` (USE)
and ``settings.second_grounding_threshold`` (e5); the values depend on the model, so
recalibrate when changing it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from chains.answering.figures import missing_amount
from core.settings import Settings
from ingest.language import detect_language
from kb.embeddings import Vectors
from kb.language_balance import ChunkLanguages, cross_lingual_closeness
from kb.workspace import Workspace

NEAREST = 1
# e5 closeness: the nearest passages looked at, so that the best one in the other language
# (which e5 scores lower: ``settings.second_grounding_language_gap``) is among them
NEAREST_LANGUAGES = 10


@dataclass(frozen=True)
class Grounding:
    """The closeness score, the threshold it was compared with, and the decision."""

    closeness: float
    threshold: float
    model: str = ""  # whose cosine ``closeness`` is
    missing: str = ""  # "amount": the topic is covered, the amount asked for is not

    @property
    def grounded(self) -> bool:
        return self.closeness >= self.threshold and not self.missing

    def checked(self, question: str, passages: Iterable[str]) -> Grounding:
        """The decision after asking whether the passages hold the amount asked for
        (``chains.answering.figures``); closeness alone cannot see that."""
        if self.grounded and missing_amount(question, passages):
            return replace(self, missing="amount")
        return self


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


def measure_grounding(
    ws: Workspace,
    question: str,
    question_vector: Vectors,
    allowed: set[str] | None,
    settings: Settings,
) -> Grounding:
    """Closeness by the second model when the workspace has it, else by the main one."""
    store = ws.second
    if store is not None and ws.second_ready():
        vector = store.embedder.embed_query(question)
        docs = ws.documents()
        nearest = store.nearest(vector, NEAREST_LANGUAGES, allowed, docs)
        closeness = cross_lingual_closeness(
            nearest,
            ChunkLanguages(ws.keyword_index(), docs).of,
            detect_language(question),
            settings.second_grounding_language_gap,
        )
        return Grounding(closeness, settings.second_grounding_threshold, store.embedder.name)
    return Grounding(
        topic_closeness(ws, question_vector, allowed),
        settings.grounding_threshold,
        ws.embedder.name,
    )
