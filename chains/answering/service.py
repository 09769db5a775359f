"""The chat service: one question (and the conversation so far) in, one honest Answer out.

This is the single entry point for the CLI and the chat page. It resolves a follow-up,
retrieves, scores the evidence, decides whether the workspace holds a basis at all, and
then answers offline (default) or with the configured LLM provider. Every provider failure
ends in the offline answer with a notice; nothing here raises for network trouble.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.language_models import BaseChatModel

from chains.answering.evidence import EvidenceScorer, EvidenceSet, shorten
from chains.answering.extractive import (
    ExtractiveAnswerer,
    SelectionConfig,
    candidate_passages,
)
from chains.answering.followup import is_followup, resolve_followup
from chains.answering.grounding import Grounding, measure_grounding
from chains.answering.phrases import phrase, where
from chains.answering.postcheck import check_citations
from chains.answering.prompts import Passage, answer_messages, budget_passages, condense_messages
from chains.answering.providers import (
    ProviderConfig,
    ProviderFailure,
    build_chat_model,
    provider_failure,
)
from chains.answering.redaction import redact
from chains.answering.stream import AnswerStream, pieces
from chains.connection import DataFlow, data_flow
from core.domain import Answer, ChatTurn, Citation, SearchHit
from core.errors import LotseError
from core.factory import Services
from core.inert import inert, inert_pieces
from core.settings import Settings
from ingest.language import detect_language
from kb.embeddings import Embedder
from kb.retriever import HybridRetriever

log = logging.getLogger(__name__)

OFFLINE = DataFlow("none", False, None, False)
_SCORERS: weakref.WeakKeyDictionary[Any, EvidenceScorer] = weakref.WeakKeyDictionary()


def scorer_for(embedder: Embedder) -> EvidenceScorer:
    """One scorer (and sentence-vector cache) per embedding model, shared by all chats."""
    try:
        scorer = _SCORERS.get(embedder)
        if scorer is None:
            scorer = _SCORERS[embedder] = EvidenceScorer(embedder)
        return scorer
    except TypeError:  # an embedder that cannot be weakly referenced
        return EvidenceScorer(embedder)


@dataclass(frozen=True)
class Scope:
    """Optional retrieval filters (category, documents, vendor) for one question."""

    category: str | None = None
    doc_ids: tuple[str, ...] | None = None
    vendor: str | None = None


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", ""))
            for part in content
            if isinstance(part, str | dict)
        )
    return ""


class ChatService:
    """Answers questions over one workspace; see the module docstring for the steps.

    chat = ChatService.from_services(services, "demo", settings)
    answer = chat.ask("Dürfen wir Kundendaten in einen Cloud-Chatbot geben?")
    stream = chat.stream("Und was heisst das für unsere Mitarbeitenden?",
                         history=[ChatTurn(question, answer)])
    for piece in stream: ...          # st.write_stream(stream)
    stream.answer                     # the final, post-checked Answer
    """

    def __init__(
        self,
        retriever: HybridRetriever,
        settings: Settings,
        *,
        scorer: EvidenceScorer | None = None,
        chat_model: BaseChatModel | None = None,
        selection: SelectionConfig | None = None,
    ) -> None:
        self.retriever = retriever
        self.settings = settings
        self.scorer = scorer or scorer_for(retriever.ws.embedder)
        self.extractive = ExtractiveAnswerer(
            selection or SelectionConfig(max_points=settings.answer_max_points)
        )
        self.provider = ProviderConfig.from_settings(settings)
        self._model = chat_model
        self._model_error: ProviderFailure | None = None
        self._model_built = chat_model is not None

    @classmethod
    def from_services(
        cls, services: Services, workspace: str, settings: Settings | None = None
    ) -> ChatService:
        """Build over ``core.factory.Services``; ``settings`` may carry session overrides."""
        return cls(
            services.retriever(workspace),
            settings or services.settings,
            scorer=scorer_for(services.embedder),
        )

    # ---- public API ----------------------------------------------------------------
    def ask(
        self, question: str, history: Sequence[ChatTurn] = (), scope: Scope | None = None
    ) -> Answer:
        """Answer completely (no streaming)."""
        return self.stream(question, history, scope).answer

    def stream(
        self, question: str, history: Sequence[ChatTurn] = (), scope: Scope | None = None
    ) -> AnswerStream:
        """Answer as a stream of text pieces; ``.answer`` holds the final Answer."""
        return AnswerStream(self._run(question, history, scope or Scope()))

    # ---- steps ---------------------------------------------------------------------
    def chat_model(self) -> BaseChatModel | None:
        """The configured model, built once; a build failure is kept and reported per answer."""
        if not self._model_built:
            self._model_built = True
            try:
                self._model = build_chat_model(self.provider)
            except LotseError as exc:
                self._model_error = provider_failure(exc, self.provider.secrets())
                log.warning("LLM provider %s unusable: %s", self.provider.name, exc)
        return self._model

    def language(self, question: str, history: Sequence[ChatTurn]) -> str:
        default = history[-1].answer.language if history else self.settings.ui_language
        return detect_language(question, default=default)

    def _notice(self, lang: str, failure: ProviderFailure) -> str:
        reason = phrase(
            lang,
            f"fail.{failure.kind}",
            timeout=self.provider.timeout_s,
            detail=shorten(failure.detail_for(lang), 160),
        )
        return phrase(lang, "fallback", provider=self.provider.name, reason=reason)

    def _redactor(self, flow: DataFlow) -> Callable[[str], str]:
        """Redaction for an external endpoint (if enabled); identity when data stays here."""
        names = self.settings.redact_names
        if not flow.redacted:
            return lambda text: text
        return lambda text: redact(text, names).text

    def _condense(
        self, model: BaseChatModel, previous: Sequence[str], question: str, flow: DataFlow
    ) -> str:
        clean = self._redactor(flow)
        reply = model.invoke(condense_messages([clean(q) for q in previous], clean(question)))
        lines = [ln.strip(" \"'«»“”") for ln in _content_text(reply.content).splitlines()]
        text = next((ln for ln in lines if ln), "")
        return text if 3 <= len(text) <= 400 else ""

    def _run(
        self, question: str, history: Sequence[ChatTurn], scope: Scope
    ) -> Generator[str, None, Answer]:
        question = question.strip()
        lang = self.language(question, history)
        if not question:
            empty = Answer(phrase(lang, "empty_question"), lang, False, "extractive", False)
            return (yield from pieces(empty))
        model = self.chat_model()
        failure = self._model_error
        flow = data_flow(self.settings) if model is not None else OFFLINE
        sent = False
        previous = [turn.answer.question or turn.question for turn in history]
        resolved = resolve_followup(question, previous)
        if model is not None and previous and is_followup(question):
            sent = flow.left_machine
            try:
                resolved = self._condense(model, previous, question, flow) or resolved
            except Exception as exc:  # any provider failure means: answer offline
                failure = provider_failure(exc, self.provider.secrets())
                log.warning(
                    "condensing with %s failed (%s): %s",
                    self.provider.name,
                    failure.kind,
                    failure.detail,
                )
        evidence, grounding = self.gather(resolved, scope)
        offline = self.extractive.answer(evidence, lang, grounding, resolved)
        if model is None or failure is not None or not offline.grounded:
            notice = self._notice(lang, failure) if failure is not None else offline.notice
            answer = replace(
                offline, left_machine=sent, notice=notice, redacted=sent and flow.redacted
            )
            return (yield from pieces(answer))
        return (yield from self._llm(model, resolved, lang, evidence, offline, flow))

    def gather(self, question: str, scope: Scope | None = None) -> tuple[EvidenceSet, Grounding]:
        """Retrieve, score the sentences, and measure how close the workspace is to the topic."""
        scope = scope or Scope()
        hits = self.retriever.search(
            question,
            k=self.settings.search_k,
            category=scope.category,
            doc_ids=scope.doc_ids,
            vendor=scope.vendor,
        )
        index = self.retriever.ws.keyword_index()
        translations = self.retriever.expander.expand(question).translations
        evidence = self.scorer.score(question, hits, index.idf, index.vocabulary(), translations)
        allowed = self.retriever.allowed_docs(scope.category, scope.doc_ids, scope.vendor)
        grounding = measure_grounding(
            self.retriever.ws, question, evidence.question_vector, allowed, self.settings
        ).checked(question, candidate_passages(evidence, self.extractive.config))
        log.info(
            "grounding %.3f (%s, threshold %.3f%s) for %d hits",
            grounding.closeness,
            grounding.model,
            grounding.threshold,
            f", no {grounding.missing} stated" if grounding.missing else "",
            len(hits),
        )
        return evidence, grounding

    # ---- the LLM path --------------------------------------------------------------
    def _passages(self, evidence: EvidenceSet) -> list[SearchHit]:
        """Chunks in order of their best sentence, then by rank; at most llm_max_passages."""
        order: dict[str, SearchHit] = {}
        for ev in evidence.ranked:
            order.setdefault(ev.hit.chunk.id, ev.hit)
        for hit in evidence.hits:
            order.setdefault(hit.chunk.id, hit)
        return list(order.values())[: self.settings.llm_max_passages]

    def _citation(self, n: int, hit: SearchHit, evidence: EvidenceSet) -> Citation:
        best = [ev for ev in evidence.ranked if ev.hit.chunk.id == hit.chunk.id][:2]
        snippet = " … ".join(ev.sentence for ev in sorted(best, key=lambda e: e.index))
        c = hit.chunk
        return Citation(
            n=n,
            source=c.source,
            page=c.page,
            section=c.section,
            snippet=snippet or shorten(c.text, 300),
            text=c.text,
            doc_id=c.doc_id,
            flags=evidence.flags_for(c.id, c.flags),
            language=c.language,
        )

    def _llm(
        self,
        model: BaseChatModel,
        question: str,
        lang: str,
        evidence: EvidenceSet,
        offline: Answer,
        flow: DataFlow,
    ) -> Generator[str, None, Answer]:
        chosen = self._passages(evidence)
        clean = self._redactor(flow)
        texts = budget_passages([h.chunk.text for h in chosen], self.settings.llm_context_chars)
        passages = [
            Passage(i + 1, h.chunk.source, where("en", h.chunk.page, h.chunk.section), clean(t))
            for i, (h, t) in enumerate(zip(chosen, texts, strict=True))
        ]
        messages = answer_messages(clean(question), passages, lang)
        parts: list[str] = []  # as the model wrote it

        def written() -> Iterator[str]:
            for chunk in model.stream(messages):
                if text := _content_text(chunk.content):
                    parts.append(text)
                    yield text

        try:
            # never "![" in what is shown while the model writes: no image is fetched
            yield from inert_pieces(written())
            if not "".join(parts).strip():
                raise ProviderFailure("empty", "the model returned no text")
        except Exception as exc:  # any provider failure means: answer offline
            failure = provider_failure(exc, self.provider.secrets())
            log.warning(
                "LLM provider %s failed (%s): %s", self.provider.name, failure.kind, failure.detail
            )
            if parts:
                yield "\n\n---\n\n"
            yield offline.answer
            return replace(
                offline,
                left_machine=flow.left_machine,
                notice=self._notice(lang, failure),
                redacted=flow.redacted,
            )
        checked = check_citations(inert("".join(parts)), range(1, len(passages) + 1))
        every = tuple(self._citation(i + 1, h, evidence) for i, h in enumerate(chosen))
        cited = tuple(c for c in every if c.n in checked.cited)
        notes = []
        if checked.removed:
            notes.append(phrase(lang, "removed", refs=", ".join(f"[{n}]" for n in checked.removed)))
        if not cited:
            notes.append(phrase(lang, "uncited"))
        return Answer(
            answer=checked.text,
            language=lang,
            grounded=bool(cited),
            provider=self.provider.name if self.provider.name != "none" else "llm",
            left_machine=flow.left_machine,
            citations=cited,
            possibly_related=() if cited else every,
            question=question,
            notice=" ".join(notes) or None,
            redacted=flow.redacted,
        )
