"""The store contract: what every backend (embedded Chroma, `chroma run` server) must do.

In the style of langchain-chroma's ``VectorStoreIntegrationTests``: a backend's test module
subclasses ``StoreContract`` and supplies one fixture, ``store_settings`` (the settings
overrides that select the backend). Everything runs with the real embedding model.
"""

from __future__ import annotations

import hashlib
import shutil
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from core.domain import IngestReport
from core.factory import Services
from ingest.pipeline import IngestOptions, ingest_paths
from kb.analysis import query_terms
from kb.workspace import Workspace
from kb.workspaces import CHUNKS_PREFIX
from tests import fixtures as fx
from tests.conftest import Docs, MakeServices

REPLACED_ANSWER = (
    "Chatprotokolle des Kundendienst-Bots werden nach 120 Tagen anonymisiert und archiviert."
)
OLD_ONLY_WORD = "unwiderruflich"  # appears only in the original answer sentence
DOCX_QUERY = "Wann werden die Gesprächsnotizen der Hotline vernichtet?"


def ingest(ws: Workspace, paths: list[Path], **options: Any) -> IngestReport:
    return ingest_paths(ws, paths, IngestOptions(**options))


def stored_chunks(services: Services, workspace: str) -> dict[str, dict[str, Any]]:
    """Every chunk physically in the workspace's Chroma collection: id -> {text, metadata}."""
    col = services.client.get_collection(CHUNKS_PREFIX + workspace)
    got = col.get(include=["documents", "metadatas"])
    return {
        cid: {"text": text, **meta}
        for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
    }


def snapshot(services: Services, workspace: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(registry, raw chunks): what must not change when a batch fails."""
    ws = services.workspaces.open(workspace)
    registry = {k: v.__dict__ for k, v in ws.documents(fresh=True).items()}
    return registry, stored_chunks(services, workspace)


def texts_found(services: Services, workspace: str, query: str, k: int = 20) -> list[str]:
    """Chunk texts that any retrieval path returns: hybrid, dense only, keyword only."""
    ws = services.workspaces.open(workspace)
    hybrid = [h.chunk.text for h in services.retriever(workspace).search(query, k=k)]
    dense = [c.text for c, _ in ws.dense_search(ws.embedder.embed_query(query), k, None)]
    terms = [(t, 1.0) for t in query_terms(query)]
    keyword_ids = [cid for cid, _ in ws.keyword_index().search(terms, k)]
    keyword = [c.text for c in ws.get_chunks(keyword_ids).values()]
    return hybrid + dense + keyword


def copy_with(path: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    return target


class StoreContract:
    """Ingest, cite, re-ingest, replace, delete and isolate, against one backend."""

    @pytest.fixture
    def store_settings(self) -> dict[str, Any]:
        raise NotImplementedError("a backend module supplies store_settings")

    @pytest.fixture
    def open_store(
        self, make_services: MakeServices, store_settings: dict[str, Any]
    ) -> MakeServices:
        """``open_store(name)``: a fresh Services (new client, new caches) on the backend."""

        def make(name: str = "data", **overrides: Any) -> Services:
            return make_services(name, **{**store_settings, **overrides})

        return make

    @pytest.fixture
    def filled(self, open_store: MakeServices, docs: Docs) -> Services:
        """Workspace 'kunde-a' with the PDF (policy), the DOCX and the text fixtures."""
        services = open_store()
        ws = services.workspaces.create("kunde-a")
        report = ingest(ws, [docs.pdf], category="policy")
        assert report.as_json()["failed"] == []
        report = ingest(ws, [docs.docx, docs.root / "text"], category="guidance")
        assert report.count("ingested") == 6, report
        return services

    # ---- ingest and cite ----------------------------------------------------------
    @pytest.mark.slow
    def test_search_cites_the_pdf_page_that_holds_the_sentence(self, filled: Services) -> None:
        hits = filled.retriever("kunde-a").search(fx.PDF_QUERY, k=5)
        top = hits[0].chunk
        assert (top.source, top.page, top.section) == (
            fx.PDF_NAME,
            fx.PDF_ANSWER_PAGE,
            fx.PDF_ANSWER_SECTION,
        )
        assert fx.PDF_ANSWER in top.text
        assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
        assert all(a.score >= b.score for a, b in pairwise(hits))

    @pytest.mark.slow
    def test_docx_hit_carries_its_heading_path(self, filled: Services) -> None:
        top = filled.retriever("kunde-a").search(DOCX_QUERY, k=3)[0].chunk
        assert top.source == fx.DOCX_NAME and top.page is None
        assert fx.DOCX_ANSWER in top.text
        assert top.section.startswith(fx.DOCX_TITLE)

    @pytest.mark.slow
    def test_chunks_carry_the_documented_metadata(self, filled: Services) -> None:
        ws = filled.workspaces.open("kunde-a")
        info = ws.find_document(fx.PDF_NAME)
        assert info is not None
        assert (info.category, info.language, info.pages) == ("policy", "de", fx.PDF_PAGE_COUNT)
        chunks = ws.document_chunks(info.doc_id)
        assert len(chunks) == info.chunks > 0
        for c in chunks:
            assert c.workspace == "kunde-a" and c.doc_id == info.doc_id
            assert c.source == fx.PDF_NAME and c.title == "Richtlinie KI-Nutzung"
            assert c.category == "policy" and c.language == "de"
            assert c.page in range(1, fx.PDF_PAGE_COUNT + 1) and c.section
            assert c.content_hash == hashlib.sha256(c.text.encode()).hexdigest()
            assert c.ingested_at == info.ingested_at and "T" in c.ingested_at
        md = ws.find_document(fx.MD_NAME)
        assert md is not None and md.category == "guidance" and md.pages is None

    @pytest.mark.slow
    def test_category_filter(self, filled: Services) -> None:
        retriever = filled.retriever("kunde-a")
        hits = retriever.search(fx.PDF_QUERY, k=10, category="guidance")
        assert hits and all(h.chunk.category == "guidance" for h in hits)
        assert all(h.chunk.source != fx.PDF_NAME for h in hits)
        only = retriever.search(fx.PDF_QUERY, k=10, doc_ids=[fx.DOCX_NAME])
        assert only and {h.chunk.source for h in only} == {fx.DOCX_NAME}

    # ---- idempotence and replacement ------------------------------------------------
    @pytest.mark.slow
    def test_reingest_of_the_same_files_changes_nothing(self, filled: Services, docs: Docs) -> None:
        before = snapshot(filled, "kunde-a")
        ws = filled.workspaces.open("kunde-a")
        again = ingest(ws, [docs.pdf], category="policy")
        assert again.as_json() == {
            "ingested": 0,
            "unchanged": 1,
            "replaced": 0,
            "chunks": 0,
            "failed": [],
        }
        assert (
            ingest(ws, [docs.docx, docs.root / "text"], category="guidance").count("unchanged") == 6
        )
        assert snapshot(filled, "kunde-a") == before

    @pytest.mark.slow
    def test_changed_file_with_the_same_name_replaces_all_old_chunks(
        self, filled: Services, tmp_path: Path
    ) -> None:
        ws = filled.workspaces.open("kunde-a")
        old = ws.find_document(fx.PDF_NAME)
        assert old is not None
        changed = fx.make_policy_pdf(tmp_path / "neu" / fx.PDF_NAME, answer=REPLACED_ANSWER)
        report = ingest(ws, [changed], category="policy")
        assert [r.status for r in report.results] == ["replaced"]
        new = ws.find_document(fx.PDF_NAME)
        assert new is not None and new.doc_id == old.doc_id and new.file_hash != old.file_hash
        raw = [c for c in stored_chunks(filled, "kunde-a").values() if c["doc_id"] == old.doc_id]
        assert len(raw) == new.chunks
        assert all(c["file_hash"] == new.file_hash for c in raw)
        assert not any(OLD_ONLY_WORD in c["text"] for c in raw)
        for query in (fx.PDF_ANSWER, OLD_ONLY_WORD, fx.PDF_QUERY):
            assert not any(OLD_ONLY_WORD in t for t in texts_found(filled, "kunde-a", query))
        top = filled.retriever("kunde-a").search(fx.PDF_QUERY, k=3)[0].chunk
        assert REPLACED_ANSWER in top.text and top.page == fx.PDF_ANSWER_PAGE

    # ---- deletion --------------------------------------------------------------------
    @pytest.mark.slow
    def test_deleted_document_is_never_retrieved_again(
        self, filled: Services, open_store: MakeServices
    ) -> None:
        ws = filled.workspaces.open("kunde-a")
        info = ws.find_document(fx.PDF_NAME)
        assert info is not None
        assert any(fx.PDF_ANSWER in t for t in texts_found(filled, "kunde-a", fx.PDF_QUERY))
        cache = filled.settings.index_dir / "kunde-a.bm25"  # one file per document version
        stale = {f.name: f.read_bytes() for f in cache.iterdir()}  # as before the deletion
        assert ws.delete_document(info.doc_id) == info.chunks
        assert ws.find_document(fx.PDF_NAME) is None
        assert not [
            c for c in stored_chunks(filled, "kunde-a").values() if c["doc_id"] == info.doc_id
        ]
        queries = (fx.PDF_QUERY, fx.PDF_ANSWER, OLD_ONLY_WORD, "Schulung Halluzinationen")
        for query in queries:
            assert not any(OLD_ONLY_WORD in t for t in texts_found(filled, "kunde-a", query))
        # a fresh process with the outdated keyword cache on disk still never sees it
        for name, content in stale.items():
            (cache / name).write_bytes(content)
        reopened = open_store()
        for query in queries:
            found = texts_found(reopened, "kunde-a", query)
            assert found and not any(OLD_ONLY_WORD in t for t in found)
            hits = reopened.retriever("kunde-a").search(query, k=20)
            assert all(h.chunk.doc_id != info.doc_id for h in hits)
        assert fx.PDF_NAME not in {
            d.source for d in reopened.workspaces.open("kunde-a").documents(fresh=True).values()
        }

    # ---- isolation ---------------------------------------------------------------------
    @pytest.mark.slow
    def test_workspaces_never_see_each_others_data(
        self, open_store: MakeServices, docs: Docs, tmp_path: Path
    ) -> None:
        services = open_store()
        a = services.workspaces.create("kunde-a")
        b = services.workspaces.create("kunde-b")
        b_pdf = fx.make_policy_pdf(tmp_path / "b" / fx.PDF_NAME, answer=REPLACED_ANSWER)
        assert ingest(a, [docs.pdf, docs.text[fx.MD_NAME]]).count("ingested") == 2
        assert ingest(b, [b_pdf, docs.text[fx.TXT_NAME]]).count("ingested") == 2
        # same file name, same doc_id, different content in each workspace
        assert {d.source for d in a.documents(fresh=True).values()} == {fx.PDF_NAME, fx.MD_NAME}
        assert {d.source for d in b.documents(fresh=True).values()} == {fx.PDF_NAME, fx.TXT_NAME}
        for query in (fx.PDF_QUERY, "Pilotbetrieb März", "Zwei-Faktor-Anmeldung"):
            in_a = texts_found(services, "kunde-a", query)
            in_b = texts_found(services, "kunde-b", query)
            assert not any(REPLACED_ANSWER in t or "Pilotbetrieb" in t for t in in_a)
            assert not any(fx.PDF_ANSWER in t or "Zwei-Faktor" in t for t in in_b)
            for ws_name in ("kunde-a", "kunde-b"):
                hits = services.retriever(ws_name).search(query, k=20)
                assert {h.chunk.workspace for h in hits} <= {ws_name}
        # deleting in A touches nothing in B
        doc_a = a.find_document(fx.PDF_NAME)
        assert doc_a is not None
        before_b = snapshot(services, "kunde-b")
        a.delete_document(doc_a.doc_id)
        assert snapshot(services, "kunde-b") == before_b
        top_b = services.retriever("kunde-b").search(fx.PDF_QUERY, k=1)[0].chunk
        assert REPLACED_ANSWER in top_b.text
        # deleting workspace A leaves B whole
        services.workspaces.delete("kunde-a")
        assert services.workspaces.names() == ["kunde-b"]
        assert snapshot(open_store(), "kunde-b") == before_b
