"""Schedule -> XLSX: a filterable task table, a Gantt sheet (one cell per day) and a summary."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chains.schedule.records import Schedule
from chains.schedule.summary import summarize
from exports.schedule.labels import (
    STEP_COLOURS,
    WEEKDAYS,
    fmt_date,
    heading,
    label,
    role_name,
    step_name,
)

_HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
_OFF_FILL = PatternFill("solid", fgColor="E7E6E6")
_BOLD = Font(bold=True)


def _fill(hex_colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=hex_colour.lstrip("#").upper())


def _date_format(schedule: Schedule) -> str:
    return "DD.MM.YYYY" if schedule.lang == "de" else "YYYY-MM-DD"


def _task_sheet(ws: Worksheet, schedule: Schedule) -> None:
    lang = schedule.lang
    keys = [
        "id",
        "step",
        "task",
        "role",
        "start",
        "end",
        "effort",
        "depends",
        "requirements",
        "deliverable",
    ]
    widths = [9, 8, 48, 24, 12, 12, 12, 18, 34, 48]
    ws.append([label(schedule, k) for k in keys])
    for cell in ws[1]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for t in schedule.tasks:
        ws.append(
            [
                t.id,
                t.step,
                t.title,
                role_name(t.role, lang),
                t.start,
                t.end,
                t.effort_days,
                ", ".join(t.depends_on),
                ", ".join(t.requirement_ids),
                t.deliverable,
            ]
        )
        row = ws.max_row
        ws.cell(row, 2).fill = _fill(STEP_COLOURS[t.step])
        for col in (5, 6):
            ws.cell(row, col).number_format = _date_format(schedule)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{ws.max_row}"


def _days(schedule: Schedule) -> list[date]:
    first = min([schedule.start, *(m.date for m in schedule.milestones)])
    last = max(
        [
            schedule.working_days[-1] if schedule.working_days else schedule.end,
            *(m.date for m in schedule.milestones),
        ]
    )
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _gantt_sheet(ws: Worksheet, schedule: Schedule) -> None:
    lang = schedule.lang
    days = _days(schedule)
    working = set(schedule.working_days)
    holidays = {h.date: h.name for h in schedule.holidays_in_range}
    fixed = 3
    ws.cell(1, 1, heading(schedule)).font = Font(bold=True, size=13)
    ws.cell(2, 1, summarize(schedule))
    header = 3
    for col, key in enumerate(("id", "task", "role"), start=1):
        ws.cell(header, col, label(schedule, key)).font = _BOLD
        ws.cell(header + 1, col).fill = _HEADER_FILL
        ws.cell(header, col).fill = _HEADER_FILL
    off_days = {d for d in days if d not in working and (d.weekday() >= 5 or d in holidays)}
    for offset, day in enumerate(days):
        col = fixed + 1 + offset
        top = ws.cell(header, col, day)
        top.number_format = "DD.MM." if lang == "de" else "MM-DD"
        top.alignment = Alignment(text_rotation=90, horizontal="center")
        top.font = _BOLD
        mark = WEEKDAYS[lang][day.weekday()]
        sub = ws.cell(header + 1, col, mark)
        sub.alignment = Alignment(horizontal="center")
        top.fill = sub.fill = _OFF_FILL if day in off_days else _HEADER_FILL
        if day in holidays:
            sub.value = "FT" if lang == "de" else "PH"
        ws.column_dimensions[get_column_letter(col)].width = 4.2
    row = header + 2
    column_of = {d: fixed + 1 + i for i, d in enumerate(days)}
    for t in schedule.tasks:
        ws.cell(row, 1, t.id)
        ws.cell(row, 2, t.title)
        ws.cell(row, 3, role_name(t.role, lang))
        for day in off_days:
            ws.cell(row, column_of[day]).fill = _OFF_FILL
        for day, amount in t.work:
            cell = ws.cell(row, column_of[day], amount)
            cell.fill = _fill(STEP_COLOURS[t.step])
            cell.number_format = "0.##"
            cell.font = Font(size=8, color="FFFFFF")
            cell.alignment = Alignment(horizontal="center")
        row += 1
    ws.cell(row, 2, label(schedule, "milestones")).font = _BOLD
    for m in schedule.milestones:
        cell = ws.cell(row, column_of[m.date])
        cell.value = f"{cell.value or ''}◆{m.step}"
        cell.font = Font(bold=True, color=STEP_COLOURS[m.step].lstrip("#"))
    row += 2
    ws.cell(row, 1, label(schedule, "step")).font = _BOLD
    for step in range(1, 8):
        ws.cell(row + step, 1, step).fill = _fill(STEP_COLOURS[step])
        ws.cell(row + step, 2, step_name(step, lang))
    ws.cell(row + 9, 1).fill = _OFF_FILL
    ws.cell(row + 9, 2, label(schedule, "weekend_holiday"))
    ws.column_dimensions["A"].width = 9
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = 20
    ws.freeze_panes = ws.cell(header + 2, fixed + 1)


def _summary_sheet(ws: Worksheet, schedule: Schedule) -> None:
    lang = schedule.lang
    rows: list[tuple[str, object]] = [
        (label(schedule, "company"), schedule.company),
        (label(schedule, "region"), schedule.region),
        (label(schedule, "start"), fmt_date(schedule.start, lang)),
        (label(schedule, "end"), fmt_date(schedule.end, lang)),
        (label(schedule, "target"), schedule.target_days),
        (label(schedule, "needed"), schedule.needed_working_days),
        (label(schedule, "fits"), label(schedule, "yes" if schedule.fits else "no")),
        (
            label(schedule, "bottleneck"),
            role_name(schedule.bottleneck_role, lang) if schedule.bottleneck_role else "",
        ),
        (label(schedule, "summary"), summarize(schedule)),
    ]
    ws.append([heading(schedule)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    for key, value in rows:
        ws.append([key, value])
        ws.cell(ws.max_row, 1).font = _BOLD
    ws.append([])
    ws.append([label(schedule, "role"), label(schedule, "capacity"), label(schedule, "load")])
    for cell in ws[ws.max_row]:
        cell.font = _BOLD
    for role, value in schedule.capacity.items():
        ws.append([role_name(role, lang), value, schedule.role_load_days.get(role, 0.0)])
    ws.append([])
    ws.append([label(schedule, "milestones")])
    ws.cell(ws.max_row, 1).font = _BOLD
    for m in schedule.milestones:
        ws.append([fmt_date(m.date, lang), m.title])
    ws.append([])
    ws.append([label(schedule, "reviews")])
    ws.cell(ws.max_row, 1).font = _BOLD
    for r in schedule.reviews:
        every = label(schedule, "every_months").format(n=r.interval_months)
        ws.append(
            [
                r.title,
                f"{role_name(r.role, lang)}, {every}",
                ", ".join(fmt_date(d, lang) for d in r.dates),
            ]
        )
    ws.append([])
    ws.append([label(schedule, "holidays")])
    ws.cell(ws.max_row, 1).font = _BOLD
    for h in schedule.holidays_in_range:
        ws.append([fmt_date(h.date, lang), h.name])
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 40


def to_xlsx(schedule: Schedule) -> bytes:
    wb = Workbook()
    tasks = wb.active
    tasks.title = label(schedule, "tasks_sheet")
    _task_sheet(tasks, schedule)
    _gantt_sheet(wb.create_sheet("Gantt"), schedule)
    _summary_sheet(wb.create_sheet(label(schedule, "summary_sheet")), schedule)
    wb.properties.title = heading(schedule)
    wb.properties.creator = "KI-Lotse"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
