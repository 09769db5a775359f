"""Workspaces on the embedded store: the store contract, names, lifecycle, archives."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from core.errors import WorkspaceError
from core.factory import Services
from kb.workspaces import validate_name
from tests import fixtures as fx
from tests.conftest import Docs, MakeServices
from tests.store_contract import DOCX_QUERY, StoreContract, ingest


class TestEmbeddedStore(StoreContract):
    @pytest.fixture
    def store_settings(self) -> dict[str, Any]:
        return {}


# ---- names ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a", "kunde-a", "mueller-treuhand", "k1", "x" * 40])
def test_valid_workspace_names(name: str) -> None:
    assert validate_name(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "",
        "Kunde",
        "kunde_a",
        "kunde a",
        "-kunde",
        "kunde-",
        "x" * 41,
        "../etc",
        "müller",
        "kunde/a",
        ".hidden",
    ],
)
def test_invalid_workspace_names_get_a_clear_message(services: Services, name: str) -> None:
    with pytest.raises(WorkspaceError, match=r"Ungültiger Name.*Kleinbuchstaben"):
        services.workspaces.create(name)
    with pytest.raises(WorkspaceError, match="Ungültiger Name"):
        services.workspaces.open(name, create=True)
    assert services.workspaces.names() == []


# ---- lifecycle -------------------------------------------------------------------------


def test_create_open_list_delete(services: Services, docs: Docs) -> None:
    store = services.workspaces
    with pytest.raises(WorkspaceError, match=r"'kunde-a' gibt es nicht.*workspace create"):
        store.open("kunde-a")
    store.create("kunde-a")
    with pytest.raises(WorkspaceError, match="existiert bereits"):
        store.create("kunde-a")
    store.create("kunde-b")
    assert store.names() == ["kunde-a", "kunde-b"]
    summaries = {s.name: s for s in store.summaries()}
    assert (summaries["kunde-a"].documents, summaries["kunde-a"].chunks) == (0, 0)
    store.delete("kunde-a")
    assert store.names() == ["kunde-b"]
    with pytest.raises(WorkspaceError, match="gibt es nicht"):
        store.open("kunde-a")
    with pytest.raises(WorkspaceError, match="gibt es nicht"):
        store.delete("kunde-a")


@pytest.mark.slow
def test_listing_counts_documents_chunks_and_size(services: Services, docs: Docs) -> None:
    ws = services.workspaces.create("kunde-a")
    report = ingest(ws, [docs.pdf, docs.docx])
    summary = next(s for s in services.workspaces.summaries() if s.name == "kunde-a")
    assert summary.documents == 2
    assert summary.chunks == report.chunks > 0
    assert summary.size_bytes > 500
    assert summary.created_at


@pytest.mark.slow
def test_recreated_workspace_starts_empty(services: Services, docs: Docs) -> None:
    ws = services.workspaces.create("kunde-a")
    ingest(ws, [docs.pdf])
    assert services.retriever("kunde-a").search(fx.PDF_QUERY)
    services.workspaces.delete("kunde-a")
    assert not (services.settings.index_dir / "kunde-a.bm25").exists()
    services.workspaces.create("kunde-a")
    assert services.retriever("kunde-a").search(fx.PDF_QUERY) == []
    assert services.workspaces.open("kunde-a").documents(fresh=True) == {}


# ---- export / import -------------------------------------------------------------------


def _results(services: Services, workspace: str, query: str) -> list[tuple[Any, ...]]:
    """Every field of every hit; the score to float32 precision (the copy's vectors are
    the same, but the store may sum them in another order)."""
    return [
        (
            h.rank,
            h.chunk.text,
            h.chunk.source,
            h.chunk.page,
            h.chunk.section,
            h.chunk.doc_id,
            h.chunk.category,
            pytest.approx(h.score, abs=1e-4),
        )
        for h in services.retriever(workspace).search(query, k=10)
    ]


@pytest.mark.slow
def test_export_import_round_trip_gives_the_same_search_results(
    make_services: MakeServices, docs: Docs, tmp_path: Path
) -> None:
    source = make_services("quelle")
    ws = source.workspaces.create("kunde-a")
    ingest(ws, [docs.pdf], category="policy")
    ingest(ws, [docs.docx, docs.root / "text"], category="guidance")
    archive = source.workspaces.export("kunde-a", tmp_path / "export" / "kunde-a.zip")
    assert zipfile.is_zipfile(archive)
    assert not list(archive.parent.glob("*.part"))

    target = make_services("ziel")  # another machine: its own store
    assert target.workspaces.import_(archive, "kunde-kopie") == "kunde-kopie"
    copy = target.workspaces.open("kunde-kopie")
    original_docs = {k: {**v.__dict__} for k, v in ws.documents(fresh=True).items()}
    assert {k: {**v.__dict__} for k, v in copy.documents(fresh=True).items()} == original_docs
    for query in (fx.PDF_QUERY, DOCX_QUERY, "Zwei-Faktor-Anmeldung", "ISO 27001"):
        assert _results(target, "kunde-kopie", query) == _results(source, "kunde-a", query)
    hit = target.retriever("kunde-kopie").search(fx.PDF_QUERY, k=1)[0].chunk
    assert hit.workspace == "kunde-kopie" and hit.page == fx.PDF_ANSWER_PAGE

    # importing again under a taken name is refused, --replace overwrites
    with pytest.raises(WorkspaceError, match=r"existiert bereits.*--replace"):
        target.workspaces.import_(archive, "kunde-kopie")
    assert target.workspaces.import_(archive, "kunde-kopie", replace=True) == "kunde-kopie"
    assert _results(target, "kunde-kopie", fx.PDF_QUERY) == _results(
        source, "kunde-a", fx.PDF_QUERY
    )
    # default name: the one inside the archive
    assert target.workspaces.import_(archive) == "kunde-a"


def test_broken_archive_is_refused_with_its_name(services: Services, tmp_path: Path) -> None:
    bad = tmp_path / "kaputt.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(WorkspaceError, match=r"kaputt\.zip"):
        services.workspaces.import_(bad, "x")
    other = tmp_path / "fremd.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", "hallo")
    with pytest.raises(WorkspaceError, match=r"fremd\.zip"):
        services.workspaces.import_(other, "x")
    assert services.workspaces.names() == []


def test_workspace_errors_a_user_can_meet_read_in_english_too(
    services: Services, tmp_path: Path
) -> None:
    """Name, missing, taken and broken archives: German by ``str``, English by ``text``."""
    store = services.workspaces
    store.create("kunde-a")
    archive = store.export("kunde-a", tmp_path / "kunde-a.zip")

    def rewritten(name: str, entry: str, data: bytes) -> Path:
        """A copy of the archive with one entry replaced."""
        out = tmp_path / name
        with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                dst.writestr(item, data if item.filename == entry else src.read(item))
        return out

    not_zip = tmp_path / "kaputt.zip"
    not_zip.write_bytes(b"PK\x03\x04 not really a zip")
    damaged = rewritten("beschaedigt.zip", "chunks.jsonl", b"kein json\n")
    orphan = b'{"id": "c1", "text": "t", "metadata": {"doc_id": "d1"}}\n'
    incomplete = rewritten("unvollstaendig.zip", "chunks.jsonl", orphan)
    foreign = rewritten("fremd.zip", "manifest.json", b'{"format": "anderes/1"}')
    actions = {
        "name": lambda: store.create("Kunde A!"),
        "taken": lambda: store.create("kunde-a"),
        "missing": lambda: store.open("kunde-x"),
        "delete": lambda: store.delete("kunde-x"),
        "not a zip": lambda: store.import_(not_zip, "x"),
        "format": lambda: store.import_(foreign, "x"),
        "taken by import": lambda: store.import_(archive),
        "damaged": lambda: store.import_(damaged, "x"),
        "incomplete": lambda: store.import_(incomplete, "x"),
    }
    english = {}
    for what, action in actions.items():
        with pytest.raises(WorkspaceError) as info:
            action()
        err = info.value
        assert err.text("de") == str(err), what
        assert err.text("en") != str(err), (what, str(err))
        english[what] = err.text("en")
    assert english["name"].startswith("Invalid name for a workspace: 'Kunde A!'")
    assert english["missing"] == (
        "Workspace 'kunde-x' does not exist. Available: kunde-a. "
        "Create it with: lotse workspace create kunde-x"
    )
    assert english["taken by import"].endswith("or give --replace.")
    assert english["damaged"].startswith("beschaedigt.zip: the archive is damaged")
    assert english["incomplete"].startswith("unvollstaendig.zip: the archive is incomplete")
    assert store.names() == ["kunde-a"]


@pytest.mark.slow
def test_import_with_replace_checks_the_archive_before_deleting_anything(
    services: Services, docs: Docs, tmp_path: Path
) -> None:
    ws = services.workspaces.create("kunde-a")
    ingest(ws, [docs.pdf, docs.docx])
    archive = services.workspaces.export("kunde-a", tmp_path / "kunde-a.zip")
    broken = tmp_path / "unvollstaendig.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "chunks.jsonl":
                data = b"\n".join(data.split(b"\n")[:-1])  # one chunk without its vector
            dst.writestr(item, data)
    garbled = tmp_path / "verdreht.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(garbled, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(
                item,
                b'{"id": 1}\n' * data.count(b"\n") + b'{"id": 1}'
                if item.filename == "chunks.jsonl"
                else data,
            )
    before = ws.documents(fresh=True)
    for bad in (broken, garbled):
        with pytest.raises(WorkspaceError, match=re.escape(bad.name)):
            services.workspaces.import_(bad, "kunde-a", replace=True)
        assert services.workspaces.open("kunde-a").documents(fresh=True) == before
        top = services.retriever("kunde-a").search(fx.PDF_QUERY, k=1)[0].chunk
        assert top.page == fx.PDF_ANSWER_PAGE
