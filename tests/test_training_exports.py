"""Training exports open in the tools a user has: DOCX (python-docx), CSV, XLSX (openpyxl),
JSON, and the schedule's ICS and Gantt with the sessions in them; results are recorded."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from icalendar import Calendar

from chains.training import (
    CompletionRecord,
    load_completions,
    record_completion,
)
from core.errors import ExportError, WorkspaceError
from exports.schedule import schedule_bytes
from exports.training import (
    QUIZ_CSV_HEADER,
    TRAINING_FORMATS,
    attendance_xlsx,
    export_training,
    schedule_with_training_bytes,
    training_bytes,
    training_format,
)
from knowledge.training import Audience
from tests.language_support import english
from tests.training_support import example_kit, example_schedule


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_kit_docx_has_plan_handouts_and_sources() -> None:
    kit = example_kit("treuhand")
    text = _docx_text(training_bytes(kit, ".docx"))
    for session in kit.plan.sessions:
        assert session.title in text
        assert all(r in text for r in session.requirement_ids)
    for handout in kit.handouts:
        assert handout.title in text
    assert "Quelle: KIL-" in text and "Quelle: Leitfaden 05_schritt5" in text
    assert "05.01.2027" in text
    assert "Richtig:" not in text  # no quiz in the handout document


def test_quiz_docx_with_and_without_answers() -> None:
    kit = example_kit("onlineshop", "en")
    plain = _docx_text(training_bytes(kit, "quiz.docx", "quiz"))
    answers = _docx_text(training_bytes(kit, "answers.docx", "answers"))
    for quiz in kit.quizzes:
        for q in quiz.questions:
            assert q.question in plain and q.question in answers
            assert q.explanation not in plain
            assert q.explanation in answers
    assert "Correct:" in answers and "Correct:" not in plain
    assert "☒" in answers and "☒" not in plain
    assert "Name:" in plain


def test_quiz_csv_layout_for_quiz_tools() -> None:
    kit = example_kit("manufacturer", "de", "staff")
    content = training_bytes(kit, ".csv")
    assert not content.startswith(b"\xef\xbb\xbf")  # no byte-order mark
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    assert (
        rows[0]
        == QUIZ_CSV_HEADER
        == [
            "Question",
            "Option A",
            "Option B",
            "Option C",
            "Option D",
            "Correct",
            "Explanation",
            "Source",
        ]
    )
    questions = kit.quiz(Audience.STAFF).questions
    assert len(rows) - 1 == len(questions)
    for row, q in zip(rows[1:], questions, strict=True):
        assert row[0] == q.question
        letter = row[5]
        assert letter in "ABCD" and row[1 + "ABCD".index(letter)] == q.correct_text
        assert row[6] == q.explanation and row[7] == q.source.label


def test_all_audiences_csv_lists_each_question_once() -> None:
    kit = example_kit("treuhand")
    rows = list(csv.reader(io.StringIO(training_bytes(kit, "quiz.csv").decode("utf-8"))))
    ids = {q.id for quiz in kit.quizzes for q in quiz.questions}
    assert len(rows) - 1 == len(ids)


def test_json_holds_the_whole_kit() -> None:
    kit = example_kit("treuhand")
    data = json.loads(training_bytes(kit, "kit.json"))
    assert data["company"] == kit.company and data["lang"] == "de"
    assert len(data["plan"]["sessions"]) == len(kit.plan.sessions)
    first = data["plan"]["sessions"][0]
    assert first["day"] == kit.plan.sessions[0].day.isoformat()  # type: ignore[union-attr]
    assert first["lead"] in {"dpo", "provider", "it_lead", "management"}
    question = data["quizzes"][0]["questions"][0]
    assert question["correct_letter"] in "ABCD" and question["source"]["passage"]
    assert data["schedule"]["region"] == "CH-ZH"


def test_attendance_template_and_recorded_results_open_in_openpyxl(tmp_path: Path) -> None:
    kit = example_kit("onlineshop")
    wb = openpyxl.load_workbook(io.BytesIO(training_bytes(kit, ".xlsx")))
    ws = wb[wb.sheetnames[0]]
    assert wb.sheetnames == ["Teilnahme", "Sitzungen"]
    header = [c.value for c in ws[3]]
    assert header == ["Person", "Rolle", "Sitzung", "Datum", "Teilgenommen", "Punktzahl (%)"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(rows) == sum(s.max_participants for s in kit.plan.sessions)
    assert {r[3] for r in rows} <= {f"{s.day:%d.%m.%Y}" for s in kit.plan.sessions if s.day}
    assert len(ws.data_validations.dataValidation) == 2
    assert wb["Sitzungen"].max_row == len(kit.plan.sessions) + 1

    record = CompletionRecord(
        "Anna Muster", "Mitarbeitende", kit.plan.sessions[0].title, date(2027, 1, 5), True, 90
    )
    stored = record_completion(tmp_path, "kunde-a", record)
    assert stored.recorded_at
    record_completion(
        tmp_path,
        "kunde-a",
        CompletionRecord("  Beat   Beispiel ", "IT", "Admin", date(2027, 1, 4), False),
    )
    records = load_completions(tmp_path, "kunde-a")
    assert [r.person for r in records] == ["Anna Muster", "Beat Beispiel"]
    assert records[1].score is None and not records[1].attended
    assert load_completions(tmp_path, "kunde-b") == []
    filled = openpyxl.load_workbook(io.BytesIO(attendance_xlsx(kit, records)))
    values = list(filled.active.iter_rows(min_row=4, values_only=True))  # type: ignore[union-attr]
    assert values[0] == (
        "Anna Muster",
        "Mitarbeitende",
        kit.plan.sessions[0].title,
        "05.01.2027",
        "ja",
        90,
    )
    assert values[1][4] == "nein"


def test_completion_input_is_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        record_completion(tmp_path, "w", CompletionRecord(" ", "", "", date.today(), True))
    with pytest.raises(ValueError):
        record_completion(tmp_path, "w", CompletionRecord("A", "", "", date.today(), True, 101))
    with pytest.raises(WorkspaceError):
        record_completion(tmp_path, "../etc", CompletionRecord("A", "", "", date.today(), True))


def test_schedule_ics_gets_timed_session_events_and_keeps_its_own() -> None:
    kit = example_kit("treuhand")
    schedule = example_schedule("treuhand")
    plain = list(Calendar.from_ical(schedule_bytes(schedule, ".ics")).walk("VEVENT"))
    merged = Calendar.from_ical(training_bytes(kit, "plan.ics"))
    events = list(merged.walk("VEVENT"))
    assert len(events) == len(plain) + len(kit.plan.sessions)
    assert {str(e["UID"]) for e in plain} <= {str(e["UID"]) for e in events}
    assert list(merged.walk("VTIMEZONE"))
    sessions = [e for e in events if "Schulung" in str(e.get("CATEGORIES").to_ical())]
    assert len(sessions) == len(kit.plan.sessions)
    for event in sessions:
        start = event.decoded("DTSTART")
        assert isinstance(start, datetime) and start.tzinfo is not None
        assert str(start.tzinfo) == "Europe/Zurich"
        assert start.date() in kit.plan.step5_days
    again = Calendar.from_ical(schedule_with_training_bytes(schedule, kit.plan, ".ics"))
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == {str(e["UID"]) for e in events}


def test_gantt_and_other_schedule_formats_show_the_sessions() -> None:
    kit = example_kit("manufacturer", "en")
    schedule = example_schedule("manufacturer", "en")
    png = training_bytes(kit, "gantt.png")
    assert png.startswith(b"\x89PNG")
    svg = schedule_with_training_bytes(schedule, kit.plan, ".svg").decode("utf-8")
    assert "TS-STF-01-1" in svg and "Training:" in svg
    md = schedule_with_training_bytes(schedule, kit.plan, ".md").decode("utf-8")
    assert all(s.id in md for s in kit.plan.sessions)


def test_registry_formats_and_errors(tmp_path: Path) -> None:
    assert training_format("x.docx").key == "kit.docx"
    assert training_format("docx", "answers").key == "answers.docx"
    assert training_format(".csv").key == "quiz.csv"
    assert len(TRAINING_FORMATS) == 10
    with pytest.raises(ExportError, match="Unbekanntes Exportformat"):
        training_format("x.pdf")
    with pytest.raises(ExportError):
        training_format("x.csv", "answers")
    undated = example_kit("treuhand")
    from dataclasses import replace

    with pytest.raises(ExportError, match="Zeitplan"):
        training_bytes(replace(undated, schedule=None), ".ics")
    out = export_training(example_kit("treuhand"), tmp_path / "sub" / "kit.md")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Schulungspaket: Muster Treuhand AG")
    assert "_Quelle: KIL-" in text


def test_training_download_errors_read_in_english_too() -> None:
    """German by ``str``, English by ``text("en")``."""
    from dataclasses import replace

    with pytest.raises(ExportError) as unknown:
        training_format("x.pdf")
    assert english(unknown.value).startswith(
        "Unknown export format 'x.pdf' for the training kit. Supported: .docx (kit)"
    )
    with pytest.raises(ExportError) as part:
        training_format("x.csv", "answers")
    assert english(part.value).startswith(
        "Unknown export format 'x.csv' (part 'answers') for the training kit."
    )
    with pytest.raises(ExportError) as undated:
        training_bytes(replace(example_kit("treuhand"), schedule=None), ".ics")
    assert english(undated.value) == (
        "For .ics the training kit needs a schedule: please give a start date (--start)."
    )
