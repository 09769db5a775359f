"""The one place that builds collaborators: embedder, Chroma client, workspaces, retrievers.

The app caches the result with ``st.cache_resource``; tests and the CLI call it directly.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from core.access import Principal
from core.audit import AuditLog
from core.settings import Settings
from kb.embeddings import Embedder, load_embedder
from kb.expansion import GlossaryExpander
from kb.lexicon import Lexicon
from kb.retriever import Expander, HybridRetriever, RetrievalConfig
from kb.second import NO_SECOND_MODEL
from kb.store import make_chroma_client
from kb.workspaces import WorkspaceStore
from knowledge.glossary import load_glossary

log = logging.getLogger(__name__)

LEXICON_FILE = "lexicon_de_en.tsv"
LEXICON_FORMS_FILE = "lexicon_forms_de.tsv"  # irregular verb forms -> infinitive


@dataclass
class Services:
    """Long-lived collaborators for one settings object, acting for one principal.

    ``as_user`` gives the same collaborators (shared model, client and caches) acting for
    another user, so every workspace operation is checked against that user's grants.
    """

    settings: Settings
    embedder: Embedder
    client: Any
    second_embedder: Embedder | None = None
    workspaces: WorkspaceStore = field(init=False)
    audit: AuditLog = field(init=False)

    def __post_init__(self) -> None:
        self.audit = AuditLog(self.settings.data_dir / "audit.jsonl")
        self.workspaces = WorkspaceStore(
            self.client,
            self.embedder,
            self.settings.index_dir,
            audit=self.audit,
            sentence_windows=self.settings.sentence_windows,
            second_embedder=self.second_embedder,
        )

    @property
    def principal(self) -> Principal:
        return self.workspaces.principal

    def record(self, action: str, workspace: str = "", **details: Any) -> None:
        """Append an audit event for this principal (never pass secrets in ``details``)."""
        self.audit.record(action, user=self.principal.name, workspace=workspace, **details)

    def as_user(self, principal: Principal) -> Services:
        view = copy.copy(self)
        view.workspaces = self.workspaces.as_user(principal)
        return view

    @cached_property
    def expander(self) -> Expander:
        """Glossary and lexicon of the knowledge dir; a custom dir may hold neither."""
        glossary = self.settings.knowledge_dir / "glossary.yaml"
        lexicon = self.settings.knowledge_dir / LEXICON_FILE
        forms = self.settings.knowledge_dir / LEXICON_FORMS_FILE
        return GlossaryExpander(
            load_glossary(glossary) if glossary.exists() else [],
            Lexicon.load(lexicon, forms if forms.exists() else None) if lexicon.exists() else None,
        )

    def retriever(self, workspace: str) -> HybridRetriever:
        cfg = RetrievalConfig(
            dense_candidates=self.settings.dense_candidates,
            keyword_candidates=self.settings.keyword_candidates,
            fusion=self.settings.fusion,
            rerank_depth=self.settings.rerank_depth,
            rerank_weight=self.settings.rerank_weight,
            window_weight=self.settings.window_weight,
            window_candidates=self.settings.window_candidates,
            question_focus=self.settings.question_focus,
            query_centring=self.settings.query_centring,
            document_penalty=self.settings.document_penalty,
            language_balance=self.settings.language_balance,
        )
        return HybridRetriever(self.workspaces.open(workspace), self.expander, cfg)


def build_services(
    settings: Settings, embedder: Embedder | None = None, second: Embedder | None = None
) -> Services:
    """Build everything heavy once; pass embedders to share the models across stores."""
    model = embedder or load_embedder(settings.embedding_model, settings.embedding_batch_size)
    if second is None and settings.second_embedding_model != NO_SECOND_MODEL:
        second = load_embedder(settings.second_embedding_model, settings.embedding_batch_size)
    if settings.second_embedding_model == NO_SECOND_MODEL:
        second = None
    return Services(
        settings=settings,
        embedder=model,
        client=make_chroma_client(settings),
        second_embedder=second,
    )
