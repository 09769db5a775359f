"""RequirementsDoc -> XLSX: a tracking register (one row per requirement) plus questions,
sources and a summary sheet.

The status column keeps working after hand edits: it offers the four status words as a
drop-down, and its colour comes from conditional formatting, not from fixed fills.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from chains.requirements.records import RequirementsDoc, Status
from chains.requirements.texts import STATUS_COLOURS, category_name, priority_name, status_name
from exports.requirements.labels import (
    citation,
    fmt_date,
    heading,
    label,
    risk_name,
    workspace_name,
)
from knowledge.common import STEPS

_HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")

# (label key, width) of the register columns, in order.
REGISTER_COLUMNS: tuple[tuple[str, float], ...] = (
    ("id", 13),
    ("step", 8),
    ("category", 22),
    ("priority", 10),
    ("requirement", 40),
    ("text", 70),
    ("verification", 50),
    ("status", 15),
    ("status_reason", 45),
    ("evidence", 70),
    ("sources", 30),
    ("owner", 18),
    ("due", 12),
    ("comment", 30),
)


def _header(ws: Worksheet, values: list[str]) -> None:
    ws.append(values)
    for cell in ws[ws.max_row]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _register(ws: Worksheet, doc: RequirementsDoc) -> None:
    lang = doc.language
    _header(ws, [label(doc, key) for key, _ in REGISTER_COLUMNS])
    for r in doc.requirements:
        ws.append(
            [
                r.id,
                r.step,
                category_name(r.category, lang),
                priority_name(r.priority, lang),
                r.title,
                r.text,
                r.verification,
                status_name(r.status, lang),
                r.status_reason,
                "\n".join(citation(e, lang) for e in r.evidence),
                "\n".join(dict.fromkeys(e.source for e in r.evidence)),
                "",
                "",
                "",
            ]
        )
        for cell in ws[ws.max_row]:
            cell.alignment = _WRAP
    last = ws.max_row
    for index, (_, width) in enumerate(REGISTER_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(REGISTER_COLUMNS))}{last}"
    status_col = get_column_letter([k for k, _ in REGISTER_COLUMNS].index("status") + 1)
    cells = f"{status_col}2:{status_col}{max(last, 2)}"
    names = [status_name(s, lang) for s in Status]
    choice = DataValidation(type="list", formula1='"' + ",".join(names) + '"', allow_blank=True)
    ws.add_data_validation(choice)
    choice.add(cells)
    for status in Status:
        fill = PatternFill("solid", fgColor=STATUS_COLOURS[status], bgColor=STATUS_COLOURS[status])
        ws.conditional_formatting.add(
            cells,
            CellIsRule(operator="equal", formula=[f'"{status_name(status, lang)}"'], fill=fill),
        )


def _questions(ws: Worksheet, doc: RequirementsDoc) -> None:
    lang = doc.language
    _header(
        ws,
        [
            "#",
            label(doc, "id"),
            label(doc, "priority"),
            label(doc, "status"),
            label(doc, "questions"),
            label(doc, "comment"),
        ],
    )
    for i, q in enumerate(doc.open_questions, start=1):
        ws.append(
            [
                i,
                q.requirement_id,
                priority_name(q.priority, lang),
                status_name(q.status, lang),
                q.text,
                "",
            ]
        )
        for cell in ws[ws.max_row]:
            cell.alignment = _WRAP
    for col, width in zip("ABCDEF", (5, 13, 10, 15, 90, 40), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"


def _sources(ws: Worksheet, doc: RequirementsDoc) -> None:
    _header(
        ws,
        [
            label(doc, "document"),
            label(doc, "doc_category"),
            label(doc, "vendor"),
            label(doc, "citations"),
        ],
    )
    for src in doc.sources:
        ws.append([src.source, src.category, src.vendor or "", src.citations])
    for col, width in zip("ABCD", (50, 14, 20, 10), strict=True):
        ws.column_dimensions[col].width = width


def _summary(ws: Worksheet, doc: RequirementsDoc) -> None:
    lang = doc.language
    ws.append([heading(doc)])
    ws["A1"].font = Font(bold=True, size=13)
    rows = [
        (label(doc, "workspace"), workspace_name(doc)),
        (label(doc, "generated"), fmt_date(doc.generated, lang)),
        (label(doc, "risk"), risk_name(doc)),
        (label(doc, "summary"), doc.summary.at_stake),
        (label(doc, "scenario"), doc.scenario_text),
    ]
    ws.append([])
    for key, value in rows:
        ws.append([key, value])
        ws.cell(ws.max_row, 1).font = _BOLD
        ws.cell(ws.max_row, 2).alignment = _WRAP
    ws.append([])
    ws.append([label(doc, "status"), label(doc, "count")])
    for cell in ws[ws.max_row]:
        cell.font = _BOLD
    for status in Status:
        ws.append([status_name(status, lang), doc.summary.status_counts.get(status, 0)])
        ws.cell(ws.max_row, 1).fill = PatternFill("solid", fgColor=STATUS_COLOURS[status])
    ws.append([])
    ws.append([label(doc, "key_points")])
    ws.cell(ws.max_row, 1).font = _BOLD
    for p in doc.summary.key_points:
        ws.append([p.requirement_id, f"{p.title} ({status_name(p.status, lang)}): {p.text}"])
        ws.cell(ws.max_row, 2).alignment = _WRAP
    ws.append([])
    ws.append([label(doc, "step")])
    ws.cell(ws.max_row, 1).font = _BOLD
    for step, name in STEPS.items():
        ws.append([step, name[lang]])
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 110


def to_xlsx(doc: RequirementsDoc) -> bytes:
    wb = Workbook()
    register = wb.active
    register.title = label(doc, "requirements_sheet")
    _register(register, doc)
    _questions(wb.create_sheet(label(doc, "questions_sheet")), doc)
    _sources(wb.create_sheet(label(doc, "sources_sheet")), doc)
    _summary(wb.create_sheet(label(doc, "summary_sheet")), doc)
    wb.properties.title = heading(doc)
    wb.properties.creator = "KI-Lotse"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
