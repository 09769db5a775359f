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

import heapq
from collections.abc import Mapping


def spread_documents(
    scores: Mapping[str, float], doc_of: Mapping[str, str], penalty: float
) -> dict[str, float]:
    """Scores lowered by ``penalty`` per higher-ranked chunk of the same document.

    Greedy over one queue per document (best chunk first): only the document whose chunk
    was just placed changes its next candidate, so a heap of the queues' heads gives the
    same list as re-scoring every candidate at every step, in O(n log n)."""
    if penalty <= 0 or len(scores) < 2:
        return dict(scores)
    queues: dict[str, list[str]] = {}
    for cid in sorted(scores, key=lambda c: (-scores[c], c)):
        queues.setdefault(doc_of.get(cid, cid), []).append(cid)
    heads = [(-scores[q[0]], q[0], doc) for doc, q in queues.items()]
    heapq.heapify(heads)
    placed = dict.fromkeys(queues, 0)
    out: dict[str, float] = {}
    while heads:
        neg, cid, doc = heapq.heappop(heads)
        out[cid] = -neg
        placed[doc] += 1
        if placed[doc] < len(queues[doc]):
            nxt = queues[doc][placed[doc]]
            heapq.heappush(heads, (-(scores[nxt] - penalty * placed[doc]), nxt, doc))
    return out
