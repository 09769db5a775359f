"""The UI-free helpers behind the pages: uploads staged under their own names, document
filters and details, workspace archives as bytes, the data-flow decision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from chains.connection import data_flow, is_loopback
from core.domain import DocumentInfo
from core.errors import IngestError, WorkspaceError
from core.factory import Services
from kb.library import (
    DocumentFilter,
    document_details,
    filter_documents,
    import_workspace_archive,
    ingest_options,
    ingest_uploads,
    load_shipped_knowledge,
    workspace_archive_bytes,
    workspace_overview,
)
from kb.uploads import Upload, safe_name, staged
from tests import fixtures as fx
from tests.conftest import Docs, make_settings


def _doc(
    source: str, category: str, language: str, day: str, vendor: str | None = None
) -> DocumentInfo:
    return DocumentInfo(
        doc_id=source,
        source=source,
        title=source.title(),
        category=category,
        language=language,
        pages=None,
        chunks=1,
        ingested_at=f"{day}T12:00:00+00:00",
        file_hash="h",
        vendor=vendor,
    )


def test_safe_name_keeps_only_the_file_name() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\anna\\Richtlinie KI.pdf") == "Richtlinie KI.pdf"
    with pytest.raises(IngestError):
        safe_name("..")
    with staged([Upload("a/x.txt", b"1"), Upload("b/x.txt", b"2")]) as paths:
        assert [p.name for p in paths] == ["x.txt", "x.txt"]
        assert [p.read_bytes() for p in paths] == [b"1", b"2"]
        folder = paths[0].parent.parent
    assert not folder.exists()


def test_filter_documents_by_category_language_date_and_text() -> None:
    docs = [
        _doc("policy.pdf", "policy", "de", "2026-01-10"),
        _doc("alpina.md", "vendor", "de", "2026-03-01", vendor="Alpina AI"),
        _doc("nimbus.md", "vendor", "en", "2026-02-01", vendor="Nimbus Chat"),
    ]
    every = filter_documents(docs, DocumentFilter())
    assert [d.source for d in every] == ["alpina.md", "nimbus.md", "policy.pdf"]  # newest first
    vendor = filter_documents(docs, DocumentFilter(categories=frozenset({"vendor"})))
    assert {d.source for d in vendor} == {"alpina.md", "nimbus.md"}
    english = filter_documents(docs, DocumentFilter(languages=frozenset({"en"})))
    assert [d.source for d in english] == ["nimbus.md"]
    window = filter_documents(
        docs, DocumentFilter(since=dt.date(2026, 1, 15), until=dt.date(2026, 2, 15))
    )
    assert [d.source for d in window] == ["nimbus.md"]
    assert [d.source for d in filter_documents(docs, DocumentFilter(text="ALPINA"))] == [
        "alpina.md"
    ]


@pytest.mark.slow
def test_ingest_uploads_details_and_archive_round_trip(
    services: Services, docs: Docs, tmp_path: Path
) -> None:
    ws = services.workspaces.open("kunde-a", create=True)
    options = ingest_options(services.settings, "policy", "  ")
    assert options.vendor is None
    events = []
    report = ingest_uploads(
        ws,
        [Upload(fx.PDF_NAME, docs.pdf.read_bytes()), Upload("leer.txt", b"")],
        options,
        events.append,
    )
    assert [r.status for r in report.results] == ["ingested", "failed"]
    assert [(e.file_index, e.files_total) for e in events] == [(1, 2), (2, 2)]
    doc_id = report.results[0].doc_id
    assert doc_id is not None
    details = document_details(ws, doc_id)
    assert details.pages_with_text == tuple(range(1, fx.PDF_PAGE_COUNT + 1))
    assert fx.PDF_ANSWER_SECTION in details.sections
    assert "Diese Richtlinie regelt" in details.first_lines
    assert any(fx.PDF_ANSWER in c.text for c in details.chunks if c.page == fx.PDF_ANSWER_PAGE)
    with pytest.raises(WorkspaceError):
        document_details(ws, "gibt-es-nicht")

    archive = workspace_archive_bytes(services.workspaces, "kunde-a")
    name = import_workspace_archive(
        services.workspaces, Upload("kunde-a.zip", archive), name="kunde-b"
    )
    assert name == "kunde-b"
    overview = {w.name: w for w in workspace_overview(services.workspaces)}
    assert overview["kunde-b"].documents == overview["kunde-a"].documents == 1
    with pytest.raises(WorkspaceError):
        import_workspace_archive(services.workspaces, Upload("kaputt.zip", b"kein zip"))


@pytest.mark.slow
def test_shipped_knowledge_loads_the_manifest(services: Services) -> None:
    ws = services.workspaces.open("default", create=True)
    report = load_shipped_knowledge(ws, services.settings)
    assert not report.failed, report.failed
    categories = {d.category for d in ws.documents(fresh=True).values()}
    assert {"guidance", "policy"} <= categories


def test_data_flow_decision(tmp_path: Path) -> None:
    assert not data_flow(make_settings(tmp_path)).left_machine
    assert not data_flow(make_settings(tmp_path, llm_provider="ollama")).left_machine
    assert not data_flow(make_settings(tmp_path, llm_provider="llamacpp")).left_machine
    local = make_settings(tmp_path, llm_provider="openai", llm_base_url="http://[::1]:8080/v1")
    assert not data_flow(local).left_machine
    cloud = make_settings(
        tmp_path, llm_provider="openai", llm_base_url="https://example.openai.azure.com/v1"
    )
    flow = data_flow(cloud)
    assert flow.left_machine and flow.host == "example.openai.azure.com" and flow.redacted
    assert is_loopback("127.0.0.5") and is_loopback("localhost") and not is_loopback("10.0.0.1")
