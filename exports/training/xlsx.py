"""Attendance and score record as XLSX: the template to fill in, or the recorded results.

Sheet "Teilnahme"/"Attendance" has the columns Person, Rolle, Sitzung, Datum, Teilgenommen,
Punktzahl (%) - the record of completion step 7's review checks. As a template it holds
``max_participants`` empty rows per session with session and date filled in; with
``records`` it lists what the app recorded. "Teilgenommen" offers ja/nein, the score only
whole numbers 0-100 (Excel data validation). Sheet "Sitzungen"/"Sessions" lists the
sessions with time, lead and requirement ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from chains.training.completion import CompletionRecord
from chains.training.records import TrainingKit
from exports.training.labels import (
    audience_name,
    fmt_date,
    fmt_time,
    heading,
    label,
    role_name,
    session_name,
)
from knowledge.common import Lang

_HEAD = PatternFill("solid", fgColor="DDDDDD")
ATTENDANCE_KEYS = ("person", "role", "session", "date", "attended", "score")
MAX_ROWS = 2000


def _header(ws: Worksheet, titles: Sequence[str], widths: Sequence[int]) -> None:
    ws.append(list(titles))
    for cell, width in zip(ws[ws.max_row], widths, strict=True):
        cell.font = Font(bold=True)
        cell.fill = _HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = f"A{ws.max_row + 1}"  # a string: ws.cell() would create a row


def _validate(ws: Worksheet, lang: Lang, first: int, last: int) -> None:
    yes_no = DataValidation(
        type="list", formula1=f'"{label(lang, "yes")},{label(lang, "no")}"', allow_blank=True
    )
    score = DataValidation(
        type="whole", operator="between", formula1="0", formula2="100", allow_blank=True
    )
    ws.add_data_validation(yes_no)
    ws.add_data_validation(score)
    yes_no.add(f"E{first}:E{last}")
    score.add(f"F{first}:F{last}")


def attendance_xlsx(kit: TrainingKit, records: Sequence[CompletionRecord] = ()) -> bytes:
    """The template (no ``records``) or the recorded results, plus the session list."""
    lang = kit.lang
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = label(lang, "attendance_sheet")
    ws.append([heading(kit)])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([label(lang, "attendance_hint")])
    _header(ws, [label(lang, k) for k in ATTENDANCE_KEYS], (28, 22, 52, 12, 14, 14))
    first = ws.max_row + 1
    if records:
        for r in records:
            ws.append(
                [
                    r.person,
                    r.role,
                    r.session,
                    fmt_date(r.day, lang),
                    label(lang, "yes" if r.attended else "no"),
                    r.score,
                ]
            )
    else:
        for s in kit.plan.sessions:
            for _ in range(s.max_participants):
                ws.append(
                    [
                        "",
                        audience_name(s.audience, lang),
                        session_name(s, lang),
                        fmt_date(s.day, lang) if s.day else "",
                        "",
                        None,
                    ]
                )
    _validate(ws, lang, first, max(ws.max_row, first) + MAX_ROWS)

    sessions = wb.create_sheet(label(lang, "sessions_sheet"))
    keys = ("session", "audience", "date", "time", "lead", "participants", "requirements")
    _header(sessions, [label(lang, k) for k in keys], (52, 22, 12, 14, 22, 40, 40))
    for s in kit.plan.sessions:
        sessions.append(
            [
                session_name(s, lang),
                audience_name(s.audience, lang),
                fmt_date(s.day, lang) if s.day else label(lang, "undated"),
                fmt_time(s.start, s.end),
                role_name(s.lead, lang),
                f"{s.participants} ({label(lang, 'max_participants', n=s.max_participants)})",
                ", ".join(s.requirement_ids),
            ]
        )
    wb.properties.title = heading(kit)
    wb.properties.creator = "KI-Lotse"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def attendance_template(kit: TrainingKit) -> bytes:
    return attendance_xlsx(kit)
