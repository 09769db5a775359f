"""The offline answerer with the real packaged model and a real Chroma store in tmp_path.

German and English questions over generated documents: the cited page is the page that
holds the answer, an unanswerable question is marked ungrounded, a follow-up is resolved
against the conversation, and a document with prompt-injection text changes nothing.
"""

from __future__ import annotations

import re

import pytest

from chains.answering import INSTRUCTION_FLAG, conversation_markdown
from chains.answering.phrases import phrase
from core.domain import ChatTurn
from tests import chat_support as cs
from tests.chat_support import ChatWorld, world

__all__ = ["world"]  # the module-scoped fixture, shared with the other chat tests

pytestmark = pytest.mark.slow


def test_german_question_cites_the_page_with_the_answer(world: ChatWorld) -> None:
    answer = world.chat().ask(cs.QUESTION_RETENTION_DE)
    assert answer.grounded
    assert answer.language == "de"
    assert answer.provider == "extractive" and not answer.left_machine
    assert answer.answer.startswith("Kurz: «")
    first = answer.citations[0]
    assert (first.source, first.page) == (cs.POLICY_PDF, cs.RETENTION_PAGE)
    assert "30 Tagen" in first.snippet and "30 Tagen" in answer.answer
    assert "[1]" in answer.answer
    assert cs.RETENTION_SENTENCE in first.text
    assert answer.notice is None  # it asks "how long" and the answer states the period


def test_a_figure_the_passages_do_not_state_is_named_as_missing(world: ChatWorld) -> None:
    answer = world.chat().ask(cs.QUESTION_FREQUENCY)
    assert answer.grounded  # the training is covered, how often it is held is not
    assert any(c.page == cs.STAFF_PAGE for c in answer.citations)
    assert answer.notice == phrase("de", "no_figure")
    exported = conversation_markdown([ChatTurn(cs.QUESTION_FREQUENCY, answer)], "de")
    assert f"*Hinweis: {answer.notice}*" in exported


def test_an_amount_no_passage_states_means_no_basis(world: ChatWorld) -> None:
    answer = world.chat().ask(cs.QUESTION_PRICE)
    # the training is covered, its price is not: the FAQ's plan price is no answer to it
    assert not answer.grounded and not answer.citations
    assert answer.answer.startswith(phrase("de", "no_amount"))
    assert any(c.page == cs.STAFF_PAGE for c in answer.possibly_related)


def test_an_amount_a_passage_states_is_answered_with_it(world: ChatWorld) -> None:
    answer = world.chat().ask(cs.QUESTION_PLAN_PRICE)
    assert answer.grounded and answer.notice is None
    assert "CHF 40 per user" in answer.answer
    assert answer.citations[0].source == cs.FAQ_MD


def test_english_question_gets_english_framing_and_the_right_section(world: ChatWorld) -> None:
    answer = world.chat().ask(cs.QUESTION_RETENTION_EN)
    assert answer.grounded and answer.language == "en"
    assert answer.answer.startswith("In short: “")
    first = answer.citations[0]
    assert first.source == cs.FAQ_MD and first.page is None
    assert "Data retention" in first.section
    assert "14 days" in answer.answer


def test_evidence_in_another_language_is_quoted_verbatim_and_marked(world: ChatWorld) -> None:
    answer = world.chat().ask(cs.QUESTION_CROSS)
    assert answer.grounded and answer.language == "en"
    pages = {(c.source, c.page) for c in answer.citations}
    assert (cs.POLICY_PDF, cs.RETENTION_PAGE) in pages
    assert cs.RETENTION_SENTENCE in answer.answer  # quoted in German, not translated
    assert "(source in German)" in answer.answer


def test_every_bullet_carries_a_citation_that_exists(world: ChatWorld) -> None:
    answer = world.chat().ask(cs.QUESTION_CLOUD)
    numbers = {c.n for c in answer.citations}
    lines = [ln for ln in answer.answer.splitlines() if ln.startswith(("- ", "Kurz:"))]
    assert lines
    for line in lines:
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", line)}
        assert cited and cited <= numbers, line
    assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_unanswerable_question_is_not_grounded(world: ChatWorld) -> None:
    answer = world.chat().ask(cs.QUESTION_UNANSWERABLE)
    assert not answer.grounded
    assert answer.answer.startswith("Die Wissensbasis enthält dazu keine ausreichende Grundlage.")
    assert answer.citations == ()
    assert answer.possibly_related, "the closest passages are shown as possibly related"
    assert "Möglicherweise verwandt" in answer.answer


def test_follow_up_is_resolved_against_the_conversation(world: ChatWorld) -> None:
    chat = world.chat()
    first = chat.ask(cs.QUESTION_CLOUD)
    assert first.grounded
    assert first.citations[0].page == cs.CLOUD_PAGE
    follow = chat.ask(cs.QUESTION_FOLLOWUP, history=[ChatTurn(cs.QUESTION_CLOUD, first)])
    assert "Kundendaten" in follow.question and "Cloud-Chatbot" in follow.question
    assert follow.grounded and follow.language == "de"
    assert follow.citations[0].page == cs.STAFF_PAGE
    assert "anonymisieren" in follow.answer


def test_answers_are_deterministic(world: ChatWorld) -> None:
    chat = world.chat()
    assert chat.ask(cs.QUESTION_CLOUD) == chat.ask(cs.QUESTION_CLOUD)


def test_injection_text_is_never_an_answer_point_and_is_flagged(world: ChatWorld) -> None:
    answer = world.chat("hostile").ask(cs.QUESTION_INJECTION)
    assert answer.grounded
    note = [c for c in answer.citations if c.source == cs.INJECTION_MD]
    assert note, "the supplier note holds the answer (60 days)"
    assert INSTRUCTION_FLAG in note[0].flags
    assert "60 days" in answer.answer
    lowered = answer.answer.lower()
    for words in ("ignore all previous", "developer mode", "system prompt", "assistant:"):
        assert words not in lowered
    assert "ignore" not in note[0].snippet.lower()


def test_injection_document_does_not_change_other_answers(world: ChatWorld) -> None:
    for question in (cs.QUESTION_RETENTION_DE, cs.QUESTION_RETENTION_EN, cs.QUESTION_CLOUD):
        clean = world.chat("clean").ask(question)
        hostile = world.chat("hostile").ask(question)
        assert hostile.grounded == clean.grounded
        assert hostile.answer.splitlines()[0] == clean.answer.splitlines()[0]
        assert "ignore all previous" not in hostile.answer.lower()


def test_stream_yields_the_answer_text_then_the_answer(world: ChatWorld) -> None:
    stream = world.chat().stream(cs.QUESTION_CLOUD)
    pieces = list(stream)
    assert len(pieces) > 1
    assert "".join(pieces) == stream.answer.answer


def test_conversation_exports_as_markdown_with_sources(world: ChatWorld) -> None:
    chat = world.chat()
    first = chat.ask(cs.QUESTION_CLOUD)
    second = chat.ask(cs.QUESTION_UNANSWERABLE, history=[ChatTurn(cs.QUESTION_CLOUD, first)])
    text = conversation_markdown(
        [ChatTurn(cs.QUESTION_CLOUD, first), ChatTurn(cs.QUESTION_UNANSWERABLE, second)],
        "de",
        workspace="clean",
    )
    assert text.startswith("# KI-Lotse – Gesprächsverlauf")
    assert f"> {cs.QUESTION_CLOUD}" in text and f"> {cs.QUESTION_UNANSWERABLE}" in text
    assert f"1. **{cs.POLICY_PDF}** (S. {cs.CLOUD_PAGE})" in text
    assert "belegt durch die Wissensbasis" in text and "nicht belegt" in text
    assert "offline beantwortet" in text
    assert "Möglicherweise verwandt" in text


def test_a_table_row_is_quoted_with_its_column_names_not_as_markdown(world: ChatWorld) -> None:
    plan = world.files["faq"].parent / "einfuehrungsplan.md"
    plan.write_text(
        "# Einführungsplan\n\n## Zeitplan der Einführung\n\n"
        "Die Einführung dauert vierzehn Arbeitstage und folgt sieben Schritten.\n\n"
        "| Schritt | Arbeitstage | Schwerpunkt |\n| --- | --- | --- |\n"
        "| 5 Mitarbeitende schulen | Tag 9–10 | Schulung, Merkblatt |\n"
        "| 6 Integration testen | Tag 11–13 | Lasttests, Abnahme, Go-live-Entscheid |\n",
        encoding="utf-8",
    )
    cs.build_workspace(world.services, "tabelle", [plan])
    answer = world.chat("tabelle").ask("An welchen Arbeitstagen testen wir die Integration?")
    assert "Schritt: 6 Integration testen · Arbeitstage: Tag 11–13" in answer.answer
    assert "|" not in answer.answer and all("|" not in c.snippet for c in answer.citations)
