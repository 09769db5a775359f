"""Markdown images and links from documents or a model are shown, never fetched: the
rule (``core.inert``), the chat page's renderer, the offline answer, the exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from chains.answering import conversation_markdown
from chains.answering.evidence import clean_sentence
from chains.requirements import Evidence, Stance
from core.domain import Answer, ChatTurn, Citation
from core.factory import build_services
from core.inert import inert, inert_pieces
from exports.requirements import to_markdown_text
from kb.embeddings import Embedder
from tests import chat_support as cs
from tests.app_support import assert_clean, open_page, start_app, use_tmp_store
from tests.requirements_support import offline_doc
from ui.markdown import safe_markdown

TRACKER = "![Logo](https://tracker.example/p.png?u=geheim)"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"Siehe {TRACKER} hier.", "Siehe Logo hier."),
        ("Ref ![Bild][logo] und ![](https://x.example/a.png)", "Ref Bild und "),
        (
            '[Richtlinie](https://intra.example/r.pdf "Titel")',
            "Richtlinie (https://intra.example/r.pdf)",
        ),
        ("Halb ![Logo](https://tracker.example/?q=", "Halb [Logo](https://tracker.example/?q="),
        (
            "Gelöscht nach 30 Tagen [1], siehe [2] (S. 3).",
            "Gelöscht nach 30 Tagen [1], siehe [2] (S. 3).",
        ),
    ],
)
def test_images_become_their_alt_text_and_links_show_their_address(text: str, shown: str) -> None:
    assert inert(text) == shown


def test_a_stream_never_holds_an_image_even_split_over_two_pieces() -> None:
    pieces = ["Antwort [1] ", "!", "[Logo](https://tracker.example/p.png?u=1) Ende!"]
    out = list(inert_pieces(pieces))
    so_far = ""
    for piece in out:
        so_far += piece
        assert "![" not in so_far
    assert so_far == "Antwort [1] [Logo](https://tracker.example/p.png?u=1) Ende!"


def test_the_chat_page_renders_no_image_and_no_latex() -> None:
    assert safe_markdown(f"Kosten $5 {TRACKER}") == "Kosten \\$5 Logo"


@pytest.mark.slow
def test_the_chat_page_shows_a_document_image_as_text_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, embedder: Embedder
) -> None:
    note = tmp_path / "hinweis.txt"
    note.write_text(
        f"Support-Protokolle löschen wir nach 30 Tagen automatisch {TRACKER}, wie im Anhang.\n"
        "Die Fachstelle Datenschutz beantwortet Fragen dazu.\n",
        encoding="utf-8",
    )
    use_tmp_store(monkeypatch, tmp_path / "data", "de")
    services = build_services(cs.chat_settings(tmp_path / "data"), embedder=embedder)
    cs.build_workspace(services, "default", [note])
    at = open_page(start_app(), "views/chat.py")
    at.chat_input[0].set_value("Wann löschen wir die Support-Protokolle?").run()
    assert_clean(at)
    rendered = [e.value for e in (*at.markdown, *at.caption)]
    assert any("Support-Protokolle" in text for text in rendered)  # answer and its source
    assert not any("![" in text for text in rendered)  # the browser fetches no image


def test_exports_hold_no_image_from_a_quoted_document() -> None:
    cited = Citation(
        n=1, source="hinweis.txt", page=None, section="", snippet=TRACKER, text=TRACKER, doc_id="h1"
    )
    answer = Answer("Kurz: «Logo» [1]", "de", True, "extractive", False, citations=(cited,))
    transcript = conversation_markdown([ChatTurn("Frage?", answer)], "de")
    assert "![" not in transcript and "«Logo»" in transcript

    doc = offline_doc("treuhand")
    quoted = Evidence(
        source="hinweis.txt",
        section="",
        text=f"Daten bleiben in der Schweiz {TRACKER}",
        doc_id="h1",
        stance=Stance.SUPPORTS,
        category="vendor",
        score=0.5,
    )
    first = doc.requirements[0].model_copy(update={"evidence": (quoted,)})
    doc = doc.model_copy(update={"requirements": (first, *doc.requirements[1:])})
    text = to_markdown_text(doc)
    assert "![" not in text and "Daten bleiben in der Schweiz Logo" in text


def test_a_quoted_sentence_reads_an_image_as_its_alt_text() -> None:
    sentence = f"Protokolle löschen wir nach 30 Tagen {TRACKER}, siehe [Anhang](a.pdf)."
    assert clean_sentence(sentence) == "Protokolle löschen wir nach 30 Tagen Logo, siehe Anhang."
