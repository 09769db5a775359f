"""Sentence windows (kb/windows.py) with the real USE model and Chroma in tmp_path:
what is written, that only committed versions count, and that delete removes windows."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from core.factory import Services
from ingest.pipeline import IngestOptions, ingest_paths
from kb.windows import focus_text, sentence_windows
from tests import fixtures as fx
from tests.conftest import MakeServices

pytestmark = pytest.mark.slow

TEXT = fx.RUNTIME_TEXT


def test_windows_are_single_sentences_and_pairs_and_focus_is_the_last_sentence() -> None:
    windows = sentence_windows(
        "First sentence is here. Second one follows it. The third one ends it."
    )
    assert windows[:3] == [
        "First sentence is here.",
        "Second one follows it.",
        "The third one ends it.",
    ]
    assert "First sentence is here. Second one follows it." in windows
    assert len(windows) == 5
    assert focus_text("Our API returns scores. Should we change that?") == "Should we change that?"
    assert focus_text("Should we change that?") == ""


@pytest.fixture
def windowed(make_services: MakeServices, tmp_path: Path) -> Services:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "threats.md").write_text(TEXT, encoding="utf-8")
    services = make_services(sentence_windows=True, question_focus=True)
    ws = services.workspaces.open("kunde", create=True)
    assert not ingest_paths(ws, [folder], IngestOptions()).failed
    return services


def _window_count(services: Services) -> int:
    ws = services.workspaces.open("kunde")
    assert ws.windows is not None
    return int(ws.windows.collection.count())


def test_windows_rank_search_and_are_replaced_and_deleted_with_their_document(
    windowed: Services, tmp_path: Path
) -> None:
    ws = windowed.workspaces.open("kunde")
    written = _window_count(windowed)
    assert written >= 6
    hits = windowed.retriever("kunde").search(
        "Our model service is public. Can one crafted request make it crawl?", k=2
    )
    assert "sponge attack" in hits[0].chunk.text
    assert hits[0].chunk.section.endswith("Availability – Output")  # two small sections, merged

    # a new version replaces the old windows (same count for the same text plus one line)
    (tmp_path / "docs" / "threats.md").write_text(TEXT + "\nReview the limits yearly.\n")
    assert not ingest_paths(ws, [tmp_path / "docs"], IngestOptions()).failed
    info = ws.find_document("threats.md")
    assert info is not None
    got = ws.windows.collection.get(include=["metadatas"])  # type: ignore[union-attr]
    assert {m["version"] for m in got["metadatas"]} == {info.version}

    ws.delete_document(info.doc_id)
    assert _window_count(windowed) == 0
    assert windowed.retriever("kunde").search("sponge attack", k=2) == []


def test_uncommitted_windows_are_ignored_and_a_store_not_writing_windows_searches(
    windowed: Services, make_services: MakeServices
) -> None:
    ws = windowed.workspaces.open("kunde")
    assert ws.windows is not None
    vector = ws.embedder.embed_query("sponge attack computation time")
    docs = ws.documents(fresh=True)
    assert ws.windows.nearest(vector, 50, None, docs)
    stale = {k: dataclasses.replace(v, version="other") for k, v in docs.items()}
    assert ws.windows.nearest(vector, 50, None, stale) == {}

    plain = make_services(sentence_windows=False, question_focus=True)
    assert "sponge attack" in plain.retriever("kunde").search("sponge attack", k=1)[0].chunk.text
