"""Schedule exports: ICS parses back with recurring reviews, XLSX opens, JSON keys, charts."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from icalendar import Calendar

from chains.schedule import Schedule
from core.errors import ExportError
from exports.requirements import requirements_format
from exports.schedule import SCHEDULE_FORMATS, export_schedule, schedule_bytes, schedule_format
from exports.vendors import vendor_format
from tests.language_support import english
from tests.schedule_support import example, plan


@pytest.fixture(scope="module")
def schedule() -> Schedule:
    return plan(example("treuhand"), "CH-ZH")


def _events(content: bytes) -> list[Calendar]:
    return list(Calendar.from_ical(content).walk("VEVENT"))


def test_ics_has_one_all_day_event_per_task_milestone_and_review(schedule: Schedule) -> None:
    content = schedule_bytes(schedule, ".ics")
    cal = Calendar.from_ical(content)
    assert str(cal["VERSION"]) == "2.0" and "KI-Lotse" in str(cal["PRODID"])
    events = _events(content)
    assert len(events) == len(schedule.tasks) + len(schedule.milestones) + len(schedule.reviews)
    assert len({str(e["UID"]) for e in events}) == len(events)
    by_summary = {str(e["SUMMARY"]): e for e in events}
    for task in schedule.tasks:
        event = next(e for s, e in by_summary.items() if task.title in s)
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date and type(end) is date  # all-day, not datetime
        assert (start, end) == (task.start, task.end + timedelta(days=1))
        assert "DTSTAMP" in event
    assert b"\r\n" in content


def test_ics_reviews_recur(schedule: Schedule) -> None:
    events = [e for e in _events(schedule_bytes(schedule, "ics")) if "RRULE" in e]
    assert len(events) == len(schedule.reviews)
    quarterly = next(e for e in events if e["RRULE"]["INTERVAL"] == [3])
    rule = quarterly["RRULE"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["COUNT"] == [4]
    assert quarterly.decoded("DTSTART") == schedule.reviews[0].dates[0]


def test_ics_uids_are_stable_across_exports(schedule: Schedule) -> None:
    first = {str(e["UID"]) for e in _events(schedule_bytes(schedule, ".ics"))}
    later = plan(example("treuhand"), "CH-ZH", date(2027, 3, 1))
    again = {str(e["UID"]) for e in _events(schedule_bytes(later, ".ics"))}
    assert first == again


def test_xlsx_has_task_table_gantt_and_summary(schedule: Schedule, tmp_path: Path) -> None:
    path = export_schedule(schedule, tmp_path / "out" / "plan.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Aufgaben", "Gantt", "Übersicht"]
    tasks = wb["Aufgaben"]
    assert tasks.freeze_panes == "A2"
    assert tasks.auto_filter.ref == f"A1:J{len(schedule.tasks) + 1}"
    assert [c.value for c in tasks[1]][:4] == ["ID", "Schritt", "Aufgabe", "Rolle"]
    assert [tasks.cell(r, 1).value for r in range(2, tasks.max_row + 1)] == [
        t.id for t in schedule.tasks
    ]
    assert tasks.cell(2, 5).value.date() == schedule.tasks[0].start
    gantt = wb["Gantt"]
    assert schedule.company in str(gantt["A1"].value)
    filled = 0
    for row in gantt.iter_rows(min_row=5, max_row=4 + len(schedule.tasks), min_col=4):
        filled += sum(1 for c in row if isinstance(c.value, float | int))
    assert filled == sum(len(t.work) for t in schedule.tasks)
    summary = wb["Übersicht"]
    assert schedule.company in str(summary["A1"].value)


def test_json_holds_the_contract_keys_with_iso_dates(schedule: Schedule) -> None:
    data = json.loads(schedule_bytes(schedule, ".json"))
    for key in ("start", "region", "fits", "needed_working_days", "tasks", "milestones", "reviews"):
        assert key in data
    assert data["region"] == "CH-ZH" and data["fits"] is True
    assert date.fromisoformat(data["start"]) == schedule.start
    task = data["tasks"][0]
    for key in ("id", "step", "title", "role", "start", "end", "depends_on", "requirement_ids"):
        assert key in task
    assert [m["step"] for m in data["milestones"]] == list(range(1, 8))
    assert all(date.fromisoformat(d) for d in data["reviews"])
    assert len(data["reviews"]) == len(schedule.review_dates)


def test_markdown_lists_every_task(schedule: Schedule) -> None:
    text = schedule_bytes(schedule, ".md").decode("utf-8")
    assert text.startswith(f"# Integrationsplan: {schedule.company}")
    assert all(t.id in text for t in schedule.tasks)
    assert "Meilensteine" in text and "Regelmässige Überprüfungen" in text


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG\r\n\x1a\n"), (".svg", b"<svg")])
def test_gantt_chart_is_written(
    schedule: Schedule, tmp_path: Path, suffix: str, magic: bytes
) -> None:
    path = export_schedule(schedule, tmp_path / f"gantt{suffix}")
    content = path.read_bytes()
    assert magic in content[:400] and len(content) > 10_000


def test_english_export_labels() -> None:
    english = plan(example("onlineshop"), "CH-BE", lang="en")
    wb = openpyxl.load_workbook(BytesIO(schedule_bytes(english, "xlsx")))
    assert wb.sheetnames == ["Tasks", "Gantt", "Summary"]
    text = schedule_bytes(english, "md").decode()
    assert text.startswith("# Integration plan:") and "Milestones" in text


def test_unknown_suffix_lists_the_supported_formats(schedule: Schedule, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\.pdf.*\.ics.*\.xlsx"):
        export_schedule(schedule, tmp_path / "plan.pdf")
    with pytest.raises(ExportError, match="Unterstützt"):
        schedule_bytes(schedule, "docx")
    assert schedule_format("plan.ICS").suffix == ".ics"
    assert set(SCHEDULE_FORMATS) == {".ics", ".xlsx", ".md", ".json", ".png", ".svg"}
    assert schedule_format("png").media_type == "image/png"


def test_ics_dtstamp_can_be_fixed_for_reproducible_files(schedule: Schedule) -> None:
    from exports.schedule.ics import to_ics

    stamp = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    assert to_ics(schedule, stamp) == to_ics(schedule, stamp)


def test_an_unknown_format_reads_in_english_too(schedule: Schedule) -> None:
    """Downloads of every family: German by ``str``, English by ``text("en")``."""
    with pytest.raises(ExportError) as plan_format:
        schedule_bytes(schedule, "docx")
    assert english(plan_format.value) == (
        "Unknown export format 'docx' for the schedule. "
        "Supported: .ics, .xlsx, .md, .json, .png, .svg."
    )
    with pytest.raises(ExportError) as requirements:
        requirements_format("pdf")
    assert english(requirements.value).startswith(
        "Unknown export format 'pdf' for the requirements. Supported: .docx"
    )
    with pytest.raises(ExportError) as vendors:
        vendor_format("pdf")
    assert english(vendors.value).startswith(
        "Unknown export format 'pdf' for the vendor comparison. Supported: .xlsx"
    )
