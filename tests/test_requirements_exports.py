"""DOCX, XLSX, Markdown and JSON writers: open with their libraries, every id present,
round trips exact, German and English labels (no model needed)."""

from __future__ import annotations

import json
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from chains.requirements import Evidence, RequirementsDoc, Stance, Status
from core.errors import ExportError
from exports.requirements import (
    REQUIREMENTS_FORMATS,
    export_requirements,
    from_json,
    requirements_bytes,
    requirements_format,
    to_markdown_text,
)
from knowledge.common import STEPS
from tests.requirements_support import NIMBUS, NIMBUS_FILE, offline_doc

CONTRADICTION = Evidence(
    source=NIMBUS_FILE,
    section="Nimbus Chat Fact Sheet › Data location and hosting",
    text="Customer data may be processed and stored in the United States.",
    doc_id="n1",
    stance=Stance.CONTRADICTS,
    category="vendor",
    vendor=NIMBUS,
    score=0.63,
    cue="location",
)


def with_evidence(doc: RequirementsDoc) -> RequirementsDoc:
    """The offline document with one conflicting requirement, as a real draft has."""
    reqs = tuple(
        r.model_copy(
            update={
                "status": Status.CONFLICTING,
                "evidence": (CONTRADICTION,),
                "status_reason": "Nimbus Chat widerspricht.",
            }
        )
        if r.id == "KIL-VEN-002"
        else r
        for r in doc.requirements
    )
    return doc.model_copy(update={"requirements": reqs})


@pytest.fixture(scope="module")
def doc() -> RequirementsDoc:
    return with_evidence(offline_doc("treuhand"))


def test_formats_by_suffix_and_unknown_suffix_is_refused(tmp_path: Path) -> None:
    assert set(REQUIREMENTS_FORMATS) == {".docx", ".xlsx", ".md", ".json"}
    assert requirements_format("bericht.DOCX").suffix == ".docx"
    assert requirements_format("xlsx").suffix == ".xlsx"
    with pytest.raises(ExportError, match=r"'plan.pdf'.*\.docx, \.xlsx, \.md, \.json"):
        requirements_format("plan.pdf")
    out = export_requirements(offline_doc("onlineshop"), tmp_path / "neu" / "a.md")
    assert out.exists() and out.read_text(encoding="utf-8").startswith("# ")


def test_docx_opens_and_contains_every_requirement(doc: RequirementsDoc) -> None:
    data = requirements_bytes(doc, ".docx")
    document = Document(BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    for req in doc.requirements:
        assert req.id in cells and f"{req.id} {req.title}" in text
    assert doc.scenario.company.name in text and "01.12.2026" in text
    styled = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    assert any(style == "Title" for style, _ in styled)
    steps = [text for style, text in styled if style == "Heading 2" and text.startswith("Schritt")]
    assert steps == [f"Schritt {n}: {name['de']}" for n, name in STEPS.items()]
    assert "United States" in text and "widerspricht" in text  # the evidence, cited
    # one overview table per (step, category) group, header row + one row per requirement
    groups = sum(len(cats) for cats in doc.by_step().values())
    assert len(document.tables) == groups
    assert sum(len(t.rows) - 1 for t in document.tables) == len(doc.requirements)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
        footers = "".join(
            archive.read(n).decode() for n in archive.namelist() if n.startswith("word/footer")
        )
        settings = archive.read("word/settings.xml").decode()
    assert 'TOC \\o "1-3"' in body  # the table of contents field
    assert "PAGE" in footers and "NUMPAGES" in footers and "Seite" in footers
    assert "updateFields" in settings
    section = document.sections[-1]
    assert doc.scenario.company.name in section.header.paragraphs[0].text


def test_xlsx_is_a_tracking_register(doc: RequirementsDoc) -> None:
    book = load_workbook(BytesIO(requirements_bytes(doc, ".xlsx")))
    sheet = book["Anforderungen"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:11] == (
        "ID",
        "Schritt",
        "Kategorie",
        "Priorität",
        "Anforderung",
        "Anforderungstext",
        "Prüfung",
        "Status",
        "Begründung des Status",
        "Belege",
        "Quellen",
    )
    assert [r[0] for r in body] == [r.id for r in doc.requirements]  # one row each
    by_id = {r[0]: r for r in body}
    assert by_id["KIL-VEN-002"][7] == "widersprüchlich"
    assert "United States" in by_id["KIL-VEN-002"][9]
    assert by_id["KIL-VEN-002"][10] == NIMBUS_FILE
    assert by_id["KIL-GOV-001"][7] == "offen"
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:N{len(body) + 1}"
    assert sheet.column_dimensions["F"].width >= 60
    validation = sheet.data_validations.dataValidation[0]
    assert "abgedeckt" in validation.formula1 and "widersprüchlich" in validation.formula1
    assert len(sheet.conditional_formatting) == 1  # the status colours, one range
    assert {"Fragen an Anbieter", "Quellen", "Übersicht"} <= set(book.sheetnames)
    questions = list(book["Fragen an Anbieter"].iter_rows(values_only=True))
    assert len(questions) == len(doc.open_questions) + 1


def test_markdown_contains_everything_and_round_trips_through_json(doc: RequirementsDoc) -> None:
    text = to_markdown_text(doc)
    for req in doc.requirements:
        assert f"### {req.id} {req.title}" in text
        assert f"| {req.id} |" in text
    assert "## Management-Zusammenfassung" in text and "## Fragen an den Anbieter" in text
    assert "«Customer data may be processed and stored in the United States.»" in text
    again = from_json(requirements_bytes(doc, ".json"))
    assert again == doc
    assert to_markdown_text(again) == text
    assert requirements_bytes(again, ".docx")[:2] == b"PK"


def test_json_keeps_the_contract(doc: RequirementsDoc) -> None:
    data = json.loads(requirements_bytes(doc, "json"))
    assert {"scenario", "language", "requirements", "open_questions", "sources"} <= set(data)
    assert data["language"] == "de"
    assert data["scenario"]["company"]["name"] == doc.scenario.company.name
    first = data["requirements"][0]
    assert {
        "id",
        "step",
        "category",
        "priority",
        "title",
        "text",
        "rationale",
        "verification",
        "status",
        "evidence",
    } <= set(first)
    statuses = {r["status"] for r in data["requirements"]}
    assert statuses <= {"covered", "partly", "open", "conflicting"}
    cited = next(r for r in data["requirements"] if r["id"] == "KIL-VEN-002")["evidence"][0]
    assert {"source", "page", "text"} <= set(cited) and cited["page"] is None
    with pytest.raises(ExportError, match="Keine gültige Anforderungsdatei"):
        from_json(b'{"scenario": {}}')


def test_english_labels_everywhere() -> None:
    doc = with_evidence(offline_doc("onlineshop", "en"))
    text = to_markdown_text(doc)
    assert "## Management summary" in text and "Overview by step" in text
    book = load_workbook(BytesIO(requirements_bytes(doc, ".xlsx")))
    assert book.sheetnames[0] == "Requirements"
    header = next(book["Requirements"].iter_rows(values_only=True))
    assert header[:4] == ("ID", "Step", "Category", "Priority")
    document = Document(BytesIO(requirements_bytes(doc, ".docx")))
    assert any(p.text == "Questions for the vendor" for p in document.paragraphs)
    assert json.loads(requirements_bytes(doc, ".json"))["language"] == "en"
