"""VendorComparison -> XLSX: a colour-coded matrix, an evidence sheet with sources, the
recommendation with open questions, and the criteria used (weights, what counts)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chains.vendors.records import Status, VendorComparison, status_label
from exports.vendors.labels import (
    STATUS_COLOURS,
    cell_text,
    coverage,
    label,
    legend,
    subtitle,
)

_HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _paint(cell: Cell, status: Status) -> None:
    fill, font = STATUS_COLOURS[status]
    cell.fill = PatternFill("solid", fgColor=_hex(fill))
    cell.font = Font(color=_hex(font), bold=True)


def _header(ws: Worksheet, row: int, values: list[str]) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row, col, value)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP


def _matrix_sheet(ws: Worksheet, comparison: VendorComparison) -> None:
    lang = comparison.lang
    vendors = comparison.vendors
    ws.cell(1, 1, f"{label(comparison, 'title')}: {', '.join(vendors)}").font = Font(
        bold=True, size=13
    )
    ws.cell(2, 1, subtitle(comparison))
    _header(ws, 4, [label(comparison, "criterion"), label(comparison, "weight"), *vendors])
    row = 5
    for c in comparison.criteria:
        ws.cell(row, 1, c.name).alignment = _WRAP
        ws.cell(row, 2, c.weight)
        for col, vendor in enumerate(vendors, start=3):
            status = comparison.result(c.id, vendor).status
            cell = ws.cell(row, col, cell_text(status, lang))
            _paint(cell, status)
            cell.alignment = Alignment(horizontal="center", vertical="center")
        row += 1
    ws.cell(row, 1, label(comparison, "points")).font = _BOLD
    for col, vendor in enumerate(vendors, start=3):
        score = comparison.summary(vendor).score
        ws.cell(row, col, score if score is not None else "–").font = _BOLD
    row += 1
    ws.cell(row, 1, label(comparison, "coverage"))
    for col, vendor in enumerate(vendors, start=3):
        ws.cell(row, col, coverage(comparison, vendor)).alignment = Alignment(horizontal="center")
    row += 2
    ws.cell(row, 1, label(comparison, "legend")).font = _BOLD
    for offset, status in enumerate(Status, start=1):
        cell = ws.cell(row + offset, 1, cell_text(status, lang))
        _paint(cell, status)
    ws.column_dimensions["A"].width = 52
    ws.column_dimensions["B"].width = 9
    for col in range(3, 3 + len(vendors)):
        ws.column_dimensions[get_column_letter(col)].width = 22
    ws.freeze_panes = "C5"


def _evidence_sheet(ws: Worksheet, comparison: VendorComparison) -> None:
    lang = comparison.lang
    keys = [
        "criterion",
        "vendor",
        "status",
        "aspect",
        "says",
        "text",
        "source",
        "page",
        "section",
        "rule",
        "relevance",
    ]
    widths = [34, 18, 16, 14, 16, 80, 34, 7, 40, 48, 10]
    _header(ws, 1, [label(comparison, k) for k in keys])
    for c in comparison.criteria:
        for vendor in comparison.vendors:
            r = comparison.result(c.id, vendor)
            rows = list(r.evidence) or (list(r.related) if r.status == Status.NOT_FOUND else [])
            if not rows:
                ws.append(
                    [
                        c.name,
                        vendor,
                        status_label(r.status, lang),
                        "",
                        "",
                        label(comparison, "no_evidence"),
                    ]
                )
                _paint(ws.cell(ws.max_row, 3), r.status)
                continue
            for e in rows:
                said = status_label(e.verdict, lang) if e.verdict else label(comparison, "related")
                ws.append(
                    [
                        c.name,
                        vendor,
                        status_label(r.status, lang),
                        c.aspect_name(e.aspect) if e.aspect else "",
                        said,
                        e.text,
                        e.source,
                        e.page if e.page is not None else "",
                        e.section,
                        e.note,
                        e.score,
                    ]
                )
                _paint(ws.cell(ws.max_row, 3), r.status)
                if e.verdict is not None:
                    _paint(ws.cell(ws.max_row, 5), e.verdict)
                for col in (1, 6, 9, 10):
                    ws.cell(ws.max_row, col).alignment = _WRAP
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{ws.max_row}"


def _recommendation_sheet(ws: Worksheet, comparison: VendorComparison) -> None:
    ws.cell(1, 1, label(comparison, "recommendation")).font = Font(bold=True, size=13)
    row = 3
    for paragraph in comparison.recommendation.split("\n\n"):
        ws.cell(row, 1, paragraph).alignment = _WRAP
        row += 1
    row += 1
    ws.cell(row, 1, label(comparison, "questions")).font = _BOLD
    row += 1
    for vendor in comparison.vendors:
        for cid in comparison.summary(vendor).unknowns:
            c = comparison.criterion(cid)
            ws.cell(row, 1, f"{vendor} – {c.name}: {c.question}").alignment = _WRAP
            row += 1
    row += 1
    ws.cell(row, 1, label(comparison, "documents")).font = _BOLD
    for vendor in comparison.vendors:
        row += 1
        ws.cell(row, 1, f"{vendor}: {', '.join(comparison.summary(vendor).documents)}")
    ws.column_dimensions["A"].width = 120


def _criteria_sheet(ws: Worksheet, comparison: VendorComparison) -> None:
    keys = ["criterion_id", "criterion", "weight", "requirements", "description", "question"]
    _header(ws, 1, [label(comparison, k) for k in keys])
    for c in comparison.criteria:
        ws.append([c.id, c.name, c.weight, ", ".join(c.requirements), c.description, c.question])
        for col in (2, 4, 5, 6):
            ws.cell(ws.max_row, col).alignment = _WRAP
    for index, width in enumerate([24, 40, 9, 28, 70, 60], start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.cell(ws.max_row + 2, 1, f"{label(comparison, 'legend')}: {legend(comparison.lang)}")


def to_xlsx(comparison: VendorComparison) -> bytes:
    wb = Workbook()
    matrix = wb.active
    matrix.title = label(comparison, "matrix")
    _matrix_sheet(matrix, comparison)
    _evidence_sheet(wb.create_sheet(label(comparison, "evidence")), comparison)
    _recommendation_sheet(wb.create_sheet(label(comparison, "recommendation")), comparison)
    _criteria_sheet(wb.create_sheet(label(comparison, "criteria")), comparison)
    wb.properties.title = f"{label(comparison, 'title')}: {', '.join(comparison.vendors)}"
    wb.properties.creator = "KI-Lotse"
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
