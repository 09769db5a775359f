"""The ingest pipeline with the real model and store: bad input in a batch, progress, limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import IngestError
from core.factory import Services
from ingest.loaders import Limits
from ingest.pipeline import IngestOptions, Progress, ingest_bytes, ingest_paths
from tests import fixtures as fx
from tests.conftest import Docs, MakeServices
from tests.store_contract import copy_with, ingest, snapshot, stored_chunks

pytestmark = pytest.mark.slow


def test_a_batch_with_every_kind_of_bad_input(
    services: Services, docs: Docs, tmp_path: Path
) -> None:
    """Each bad file is named with its reason, the good ones still go in, and a broken
    file with the name of a stored document leaves the stored version untouched."""
    ws = services.workspaces.create("kunde-a")
    assert ingest(ws, [docs.pdf, docs.docx], category="policy").count("ingested") == 2
    before = snapshot(services, "kunde-a")

    broken_same_name = tmp_path / "neu"
    copy_with(docs.bad["kaputt.pdf"], broken_same_name / fx.PDF_NAME)
    copy_with(docs.bad["kaputt.docx"], broken_same_name / fx.DOCX_NAME)
    batch = [*docs.bad.values(), broken_same_name, docs.text[fx.MD_NAME]]
    events: list[Progress] = []
    report = ingest_paths(ws, batch, IngestOptions(category="policy"), events.append)

    errors = {r.file: r.error or "" for r in report.failed}
    for name, expected in fx.BAD_EXPECTED.items():
        assert expected.lower() in errors.pop(name).lower(), name
    assert set(errors) == {fx.PDF_NAME, fx.DOCX_NAME}
    assert "beschädigt" in errors[fx.PDF_NAME] and "DOCX" in errors[fx.DOCX_NAME]
    assert [r.file for r in report.results if r.status == "ingested"] == [fx.MD_NAME]

    registry, chunks = snapshot(services, "kunde-a")
    md = ws.find_document(fx.MD_NAME)
    assert md is not None
    assert {k: v for k, v in registry.items() if k != md.doc_id} == before[0]
    assert {k: v for k, v in chunks.items() if v["doc_id"] != md.doc_id} == before[1]
    top = services.retriever("kunde-a").search(fx.PDF_QUERY, k=1)[0].chunk
    assert fx.PDF_ANSWER in top.text and top.page == fx.PDF_ANSWER_PAGE

    assert [e.file_index for e in events] == list(range(1, len(events) + 1))
    assert {e.files_total for e in events} == {len(events)} and len(events) == len(batch) + 1
    assert events[-1].chunks_done == report.chunks > 0


def test_size_limit_from_settings(make_services: MakeServices, docs: Docs) -> None:
    services = make_services(max_file_mb=0.01)  # 10 KB: the PDF is larger, the Markdown not
    limit = int(services.settings.max_file_mb * 1024 * 1024)
    assert docs.pdf.stat().st_size > limit > docs.text[fx.MD_NAME].stat().st_size
    ws = services.workspaces.create("kunde-a")
    report = ingest(ws, [docs.pdf, docs.text[fx.MD_NAME]], limits=Limits(max_bytes=limit))
    [failed] = report.as_json()["failed"]  # type: ignore[misc]
    assert failed["file"] == fx.PDF_NAME
    assert "zu gross" in failed["error"] and "LOTSE_MAX_FILE_MB" in failed["error"]
    assert report.count("ingested") == 1
    assert stored_chunks(services, "kunde-a")


def test_unknown_category_is_refused_before_anything_happens(
    services: Services, docs: Docs
) -> None:
    ws = services.workspaces.create("kunde-a")
    with pytest.raises(IngestError, match="Unbekannte Kategorie 'geheim'"):
        ingest(ws, [docs.pdf], category="geheim")
    assert ws.documents(fresh=True) == {}


def test_failed_files_carry_an_english_reason_and_the_json_stays_german(
    services: Services,
) -> None:
    """Each way a file fails before the model (name, type, content, a name clash) gives
    the English UI its own reason; the report's JSON (the CLI's) keeps file and German."""
    ws = services.workspaces.create("kunde-a")
    uploads = [
        ("leer.txt", b""),
        ("../..", b"Text\n"),
        ("programm.exe", b"MZ kein Programm"),
        ("a.md", b"# A\n\nErster Text.\n"),
        ("ordner/a.md", b"# B\n\nZweiter Text.\n"),
    ]
    report = ingest_bytes(ws, uploads)
    assert [r.status for r in report.results] == ["failed"] * 3 + ["ingested", "failed"]
    for result in report.failed:
        assert result.error and result.error_en, result
        assert result.error_en != result.error
    empty, name, exe, clash = (r.error_en for r in report.failed)
    assert empty == "The file is empty."
    assert name == "Invalid file name (empty after cleaning)."
    assert exe is not None and exe.startswith("File type '.exe' is not supported")
    assert clash is not None and "has the same name as" in clash
    assert report.as_json()["failed"] == [{"file": r.file, "error": r.error} for r in report.failed]
    with pytest.raises(IngestError) as info:
        ingest_bytes(ws, uploads, IngestOptions(category="geheim"))
    assert info.value.text("en").startswith("(Optionen): Unknown category 'geheim'")


def test_category_change_alone_re_tags_the_document(services: Services, docs: Docs) -> None:
    ws = services.workspaces.create("kunde-a")
    ingest(ws, [docs.pdf], category="other")
    report = ingest(ws, [docs.pdf], category="policy")
    assert [r.status for r in report.results] == ["replaced"]
    info = ws.find_document(fx.PDF_NAME)
    assert info is not None and info.category == "policy"
    assert {c["category"] for c in stored_chunks(services, "kunde-a").values()} == {"policy"}
    hits = services.retriever("kunde-a").search(fx.PDF_QUERY, category="policy")
    assert hits and hits[0].chunk.page == fx.PDF_ANSWER_PAGE


def test_reingest_with_other_chunking_leaves_no_stale_chunks(
    services: Services, docs: Docs
) -> None:
    """Same file bytes, new category and chunk size: exactly the new chunks remain, in the
    store and in the keyword index."""
    ws = services.workspaces.create("kunde-a")
    ingest(ws, [docs.pdf], category="other")
    assert services.retriever("kunde-a").search(fx.PDF_QUERY)  # builds the keyword cache
    report = ingest(ws, [docs.pdf], category="policy", chunk_chars=200, overlap_chars=0)
    assert [r.status for r in report.results] == ["replaced"]
    info = ws.find_document(fx.PDF_NAME)
    assert info is not None and info.chunks == report.chunks
    raw = stored_chunks(services, "kunde-a")
    assert len(raw) == info.chunks
    assert {c.id for c in ws.document_chunks(info.doc_id)} == set(raw)
    assert set(ws.keyword_index().chunk_ids) == set(raw)
    hits = services.retriever("kunde-a").search(fx.PDF_QUERY, k=50)
    assert {h.chunk.id for h in hits} <= set(raw)
    assert all(len(h.chunk.text) <= 200 for h in hits)


def test_two_files_with_one_name_in_a_batch_do_not_overwrite_each_other(
    services: Services, docs: Docs, tmp_path: Path
) -> None:
    """The document id is the file name: a second file of that name in the same batch is
    refused with a message, not silently stored over the first."""
    batch = tmp_path / "stapel"
    first = copy_with(docs.text[fx.MD_NAME], batch / "a" / fx.MD_NAME)
    second = batch / "b" / fx.MD_NAME
    second.parent.mkdir()
    second.write_text("# Anderer Leitfaden\n\nGanz anderer Inhalt über Drucker.\n", "utf-8")
    ws = services.workspaces.create("kunde-a")
    report = ingest(ws, [batch, first])  # the folder, and the first file once more
    assert [(r.file, r.status) for r in report.results] == [
        (fx.MD_NAME, "ingested"),
        (fx.MD_NAME, "failed"),
    ]
    assert "gleichen Namen" in (report.failed[0].error or "")
    assert str(second) in (report.failed[0].error or "")
    assert str(first) in (report.failed[0].error or "")
    [(text, source)] = {
        (c["text"][:30], c["source"]) for c in stored_chunks(services, "kunde-a").values()
    }
    assert source == fx.MD_NAME and "Drucker" not in text


def test_unsupported_files_inside_a_folder_are_named_not_skipped(
    services: Services, docs: Docs, tmp_path: Path
) -> None:
    folder = tmp_path / "ablage"
    copy_with(docs.text[fx.TXT_NAME], folder / fx.TXT_NAME)
    copy_with(docs.bad["tabelle.xyz"], folder / "unter" / "tabelle.xyz")
    (folder / ".versteckt").mkdir()
    (folder / ".versteckt" / "x.md").write_text("# versteckt\n\nText\n", "utf-8")
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    (folder / "~$notizen.docx").write_bytes(b"\x00lock")  # Office lock file
    ws = services.workspaces.create("kunde-a")
    report = ingest(ws, [folder])
    assert [(r.file, r.status) for r in report.results] == [
        (fx.TXT_NAME, "ingested"),
        ("tabelle.xyz", "failed"),
    ]
    assert "nicht unterstützt" in (report.failed[0].error or "")
