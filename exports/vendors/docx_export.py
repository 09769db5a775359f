"""VendorComparison -> DOCX: the decision memo (matrix with status colours, scores,
recommendation, open questions, and the evidence with its sources)."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from chains.vendors.records import Status, VendorComparison, status_label
from exports.vendors.labels import (
    STATUS_COLOURS,
    cell_text,
    coverage,
    label,
    legend,
    points,
    subtitle,
)


def _shade(cell: object, status: Status) -> None:
    """Background and text colour of a table cell (python-docx has no API for shading)."""
    fill, font = STATUS_COLOURS[status]
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill.lstrip("#"))
    tc_pr.append(shd)
    for paragraph in cell.paragraphs:  # type: ignore[attr-defined]
        for run in paragraph.runs:
            run.font.color.rgb = RGBColor.from_string(font.lstrip("#"))
            run.font.bold = True


def to_docx(comparison: VendorComparison) -> bytes:
    lang = comparison.lang
    vendors = comparison.vendors
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = f"{label(comparison, 'title')}: {', '.join(vendors)}"
    doc.core_properties.author = "KI-Lotse"

    doc.add_heading(f"{label(comparison, 'title')}: {', '.join(vendors)}", level=0)
    doc.add_paragraph(subtitle(comparison))

    doc.add_heading(label(comparison, "matrix"), level=1)
    table = doc.add_table(rows=1, cols=len(vendors) + 2)
    table.style = "Table Grid"
    head = table.rows[0].cells
    for cell, text in zip(
        head, [label(comparison, "criterion"), label(comparison, "weight"), *vendors], strict=True
    ):
        cell.text = text
        cell.paragraphs[0].runs[0].font.bold = True
    for c in comparison.criteria:
        cells = table.add_row().cells
        cells[0].text = c.name
        cells[1].text = f"{c.weight:g}"
        for cell, vendor in zip(cells[2:], vendors, strict=True):
            status = comparison.result(c.id, vendor).status
            cell.text = cell_text(status, lang)
            _shade(cell, status)
    for key, values in (
        ("points", [points(comparison, v) for v in vendors]),
        ("coverage", [coverage(comparison, v) for v in vendors]),
    ):
        cells = table.add_row().cells
        cells[0].text = label(comparison, key)
        for cell, value in zip(cells[2:], values, strict=True):
            cell.text = value
            cell.paragraphs[0].runs[0].font.bold = key == "points"
    doc.add_paragraph(f"{label(comparison, 'legend')}: {legend(lang)}")

    doc.add_heading(label(comparison, "recommendation"), level=1)
    for paragraph in comparison.recommendation.split("\n\n"):
        doc.add_paragraph(paragraph)

    doc.add_heading(label(comparison, "questions"), level=1)
    open_items = [(v, cid) for v in vendors for cid in comparison.summary(v).unknowns]
    if not open_items:
        doc.add_paragraph(label(comparison, "no_questions"))
    for vendor, cid in open_items:
        c = comparison.criterion(cid)
        p = doc.add_paragraph(style="List Bullet")
        p.add_run(f"{vendor} – {c.name}: ").bold = True
        p.add_run(c.question)

    doc.add_heading(label(comparison, "evidence"), level=1)
    for c in comparison.criteria:
        doc.add_heading(c.name, level=2)
        doc.add_paragraph(c.description).runs[0].italic = True
        for vendor in vendors:
            r = comparison.result(c.id, vendor)
            head = f"{vendor}: {cell_text(r.status, lang)}"
            if r.aspects:
                head += (
                    " ("
                    + ", ".join(
                        f"{c.aspect_name(a)}: {status_label(s, lang)}" for a, s in r.aspects
                    )
                    + ")"
                )
            doc.add_paragraph().add_run(head).bold = True
            if not r.evidence:
                doc.add_paragraph(label(comparison, "no_evidence"))
            for e in r.evidence:
                quote = doc.add_paragraph(style="Intense Quote")
                quote.add_run(e.text)
                said = status_label(e.verdict, lang) if e.verdict else ""
                source = doc.add_paragraph()
                run = source.add_run(
                    f"{e.citation(lang)} · {said}" + (f" · {e.note}" if e.note else "")
                )
                run.font.size = Pt(8)
    doc.add_heading(label(comparison, "documents"), level=1)
    for vendor in vendors:
        doc.add_paragraph(
            f"{vendor}: {', '.join(comparison.summary(vendor).documents)}", style="List Bullet"
        )
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
