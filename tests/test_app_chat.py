"""Fragen in AppTest: asking renders a streamed answer with its sources, grounding and
data-flow state; a follow-up uses the conversation; the Markdown download holds both."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from chains.answering.phrases import phrase
from core.audit import AuditLog
from core.factory import build_services
from kb.embeddings import Embedder
from tests import chat_support as cs
from tests.app_support import assert_clean, open_page, start_app, texts, use_tmp_store
from ui.i18n import TEXTS

pytestmark = pytest.mark.slow
PAGE = "views/chat.py"


def chat_page(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    embedder: Embedder,
    lang: str = "de",
    documents: bool = True,
) -> AppTest:
    use_tmp_store(monkeypatch, tmp_path / "data", lang)
    if documents:
        files = cs.write_documents(tmp_path / "docs")
        services = build_services(cs.chat_settings(tmp_path / "data"), embedder=embedder)
        cs.build_workspace(services, "default", [files["pdf"], files["faq"], files["injection"]])
    at = open_page(start_app(), PAGE)
    assert_clean(at)
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert_clean(at)
    return at


def test_asking_shows_answer_sources_and_state(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, embedder: Embedder
) -> None:
    at = chat_page(monkeypatch, tmp_path, embedder)
    ask(at, cs.QUESTION_RETENTION_DE)
    shown = texts(at)
    assert cs.RETENTION_SENTENCE in shown
    assert TEXTS["chat.grounded"]["de"] in shown
    assert TEXTS["chat.flow.offline"]["de"] in shown
    labels = [e.label for e in at.expander]
    assert f"[1] {cs.POLICY_PDF} · Seite {cs.RETENTION_PAGE}" in labels
    assert [m.name for m in at.chat_message] == ["user", "assistant"]

    ask(at, cs.QUESTION_UNANSWERABLE)
    shown = texts(at)
    assert TEXTS["chat.ungrounded"]["de"] in shown
    assert "Möglicherweise verwandt" in shown
    assert len(at.chat_message) == 4  # the history is replayed

    download = at.get("download_button")
    assert len(download) == 1
    asked = [e for e in AuditLog(tmp_path / "data" / "audit.jsonl").events() if e.action == "ask"]
    assert [e.details["grounded"] for e in asked] == [True, False]
    assert all("question" not in e.details for e in asked)  # metadata only by default


def test_a_missing_figure_is_named_below_the_answer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, embedder: Embedder
) -> None:
    at = ask(chat_page(monkeypatch, tmp_path, embedder), cs.QUESTION_FREQUENCY)
    assert TEXTS["chat.grounded"]["de"] in texts(at)
    assert any(phrase("de", "no_figure") in w.value for w in at.warning)


def test_flagged_source_and_follow_up_in_english(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, embedder: Embedder
) -> None:
    at = chat_page(monkeypatch, tmp_path, embedder, lang="en")
    ask(at, cs.QUESTION_INJECTION)
    flagged = [e for e in at.expander if e.label.startswith("[") and "⚠️" in e.label]
    assert flagged, [e.label for e in at.expander]
    assert TEXTS["chat.flag.instruction"]["en"] in texts(at)
    assert "ignore all previous" not in at.chat_message[1].markdown[0].value.lower()

    ask(at, cs.QUESTION_CLOUD)
    ask(at, cs.QUESTION_FOLLOWUP)
    last = at.chat_message[-1].markdown[0].value
    assert "anonymisieren" in last


def test_empty_workspace_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, embedder: Embedder
) -> None:
    at = chat_page(monkeypatch, tmp_path, embedder, documents=False)
    assert TEXTS["chat.empty_workspace"]["de"] in texts(at)
    assert len(at.chat_input) == 0
