"""One document should not fill the whole result list.

A long document on the question's topic (a cloud-security module, a 500-record threat
catalogue) often holds the ten best-scoring chunks for one aspect of a question, and the
passage on its other aspect (the data-protection article for "customer data in a cloud
chatbot") drops out of view. Each further chunk of a document already ranked therefore
loses ``penalty`` (in the fused z-score units) per chunk of that document above it; the
list is built greedily, so scores stay in descending order and a document that is clearly
best still fills the list. docs/retrieval.md has the measurement.
"""

from __future__ import annotations

from collections.abc import Mapping


def spread_documents(
    scores: Mapping[str, float], doc_of: Mapping[str, str], penalty: float
) -> dict[str, float]:
    """Scores lowered by ``penalty`` per higher-ranked chunk of the same document."""
    if penalty <= 0 or len(scores) < 2:
        return dict(scores)
    left = dict(scores)
    placed: dict[str, int] = {}
    out: dict[str, float] = {}
    while left:
        cid = max(left, key=lambda c: (left[c] - penalty * placed.get(doc_of.get(c, c), 0), c))
        doc = doc_of.get(cid, cid)
        out[cid] = left.pop(cid) - penalty * placed.get(doc, 0)
        placed[doc] = placed.get(doc, 0) + 1
    return out
