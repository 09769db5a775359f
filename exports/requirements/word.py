"""RequirementsDoc -> DOCX: title page, table of contents, summary, scenario, one table
per step, details, vendor questions and sources; running header and "Seite x von y".

The table of contents is a Word field that Word fills when the document is opened
(``updateFields`` is set); other viewers show the hint text instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from chains.requirements.records import DraftedRequirement, RequirementsDoc
from chains.requirements.texts import (
    STATUS_COLOURS,
    category_name,
    priority_name,
    status_name,
)
from exports.requirements.labels import (
    citation,
    fmt_date,
    heading,
    label,
    risk_name,
    short_evidence,
    workspace_name,
)
from knowledge.common import STEPS

_ACCENT = RGBColor(0x1F, 0x4E, 0x79)
_HEADER_SHADE = "DDE3EA"
_OVERVIEW_WIDTHS = (Cm(2.6), Cm(1.7), Cm(5.6), Cm(2.3), Cm(5.3))


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """Insert a Word field (PAGE, NUMPAGES, TOC ...) into ``paragraph``."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(separate)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _shade(cell: _Cell, hex_colour: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_colour)
    props.append(shading)


def _update_fields_on_open(document: DocxDocument) -> None:
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)


@dataclass(frozen=True)
class _Styles:
    """Style ids resolved once: python-docx scans every style on each lookup, which made
    writing a 100-requirement document take seconds."""

    h1: str
    h2: str
    h3: str
    bullet: str
    table: str


def _para(document: DocxDocument, text: str, style_id: str) -> Paragraph:
    paragraph = document.add_paragraph(text)
    paragraph._p.style = style_id
    return paragraph


def _styles(document: DocxDocument) -> _Styles:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        styles[name].font.color.rgb = _ACCENT
    ids = [
        styles[n].style_id
        for n in ("Heading 1", "Heading 2", "Heading 3", "List Bullet", "Table Grid")
    ]
    return _Styles(*ids)


def _title_page(document: DocxDocument, doc: RequirementsDoc) -> None:
    lang = doc.language
    for _ in range(6):
        document.add_paragraph()
    document.add_paragraph(label(doc, "title"), style="Title")
    company = document.add_paragraph()
    company_run = company.add_run(doc.scenario.company.name)
    company_run.bold = True
    company_run.font.size = Pt(18)
    for key, value in (
        ("workspace", workspace_name(doc)),
        ("generated", fmt_date(doc.generated, lang)),
        ("risk", risk_name(doc)),
    ):
        line = document.add_paragraph()
        line.add_run(f"{label(doc, key)}: ").bold = True
        line.add_run(value)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading(label(doc, "toc"), level=1)
    _field(document.add_paragraph(), r'TOC \o "1-3" \h \z \u', label(doc, "toc_hint"))


def _header_footer(document: DocxDocument, doc: RequirementsDoc) -> None:
    section = document.sections[0]
    section.different_first_page_header_footer = True
    head = section.header.paragraphs[0]
    head.text = heading(doc)
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in head.runs:
        run.font.size = Pt(8)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_label, rest = label(doc, "page_of").split("{page}")
    middle = rest.split("{pages}")[0]
    foot.add_run(f"{label(doc, 'footer')} · {page_label}")
    _field(foot, "PAGE", "1")
    foot.add_run(middle)
    _field(foot, "NUMPAGES", "1")
    for run in foot.runs:
        run.font.size = Pt(8)


def _summary(document: DocxDocument, doc: RequirementsDoc) -> None:
    lang = doc.language
    document.add_heading(label(doc, "summary"), level=1)
    document.add_paragraph(doc.summary.at_stake)
    document.add_heading(label(doc, "key_points"), level=2)
    if not doc.summary.key_points:
        document.add_paragraph(label(doc, "no_key_points"))
    for i, point in enumerate(doc.summary.key_points, start=1):
        item = document.add_paragraph()
        item.paragraph_format.left_indent = Cm(0.6)
        item.paragraph_format.first_line_indent = Cm(-0.6)
        item.add_run(f"{i}.\t{point.requirement_id} {point.title}").bold = True
        item.add_run(
            f" ({priority_name(point.priority, lang)}, "
            f"{status_name(point.status, lang)}): {point.text}"
        )
    document.add_heading(label(doc, "scenario"), level=1)
    document.add_paragraph(doc.scenario_text)


def _fill_row(cells: list[_Cell], values: tuple[str, ...], bold: bool = False) -> None:
    for cell, value, width in zip(cells, values, _OVERVIEW_WIDTHS, strict=True):
        cell.width = width
        run = cell.paragraphs[0].add_run(value)
        run.font.size = Pt(8.5)
        run.bold = bold


def _overview_table(
    document: DocxDocument, doc: RequirementsDoc, reqs: list[DraftedRequirement], table_style: str
) -> None:
    lang = doc.language
    table = document.add_table(rows=1, cols=5)
    table._tbl.tblStyle_val = table_style
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    keys = ("id", "priority", "requirement", "status", "evidence")
    header = list(table.rows[0].cells)
    _fill_row(header, tuple(label(doc, k) for k in keys), bold=True)
    for cell in header:
        _shade(cell, _HEADER_SHADE)
    for r in reqs:
        ev = short_evidence(r.evidence[0], lang) if r.evidence else "–"
        cells = list(table.add_row().cells)
        _fill_row(
            cells, (r.id, priority_name(r.priority, lang), r.title, status_name(r.status, lang), ev)
        )
        _shade(cells[3], STATUS_COLOURS[r.status])


def _overview(document: DocxDocument, doc: RequirementsDoc, styles: _Styles) -> None:
    lang = doc.language
    _para(document, label(doc, "overview"), styles.h1)
    for step, categories in sorted(doc.by_step().items()):
        _para(document, f"{label(doc, 'step')} {step}: {STEPS[step][lang]}", styles.h2)
        for category, reqs in categories.items():
            _para(document, category_name(category, lang), styles.h3)
            _overview_table(document, doc, reqs, styles.table)
            document.add_paragraph()


def _labelled(document: DocxDocument, name: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{name}: ").bold = True
    paragraph.add_run(text)


def _details(document: DocxDocument, doc: RequirementsDoc, styles: _Styles) -> None:
    lang = doc.language
    _para(document, label(doc, "details"), styles.h1)
    for r in doc.requirements:
        _para(document, f"{r.id} {r.title}", styles.h3)
        prio = priority_name(r.priority, lang)
        if r.priority_reason:
            prio += f" ({r.priority_reason})"
        _labelled(
            document,
            label(doc, "step"),
            f"{r.step} · {label(doc, 'category')}: {category_name(r.category, lang)}",
        )
        _labelled(document, label(doc, "priority"), prio)
        status = document.add_paragraph()
        status.add_run(f"{label(doc, 'status')}: ").bold = True
        marker = status.add_run(f" {status_name(r.status, lang)} ")
        marker.bold = True
        highlight = OxmlElement("w:shd")
        highlight.set(qn("w:val"), "clear")
        highlight.set(qn("w:fill"), STATUS_COLOURS[r.status])
        marker._r.get_or_add_rPr().append(highlight)
        status.add_run(f" {r.status_reason}")
        document.add_paragraph(r.text)
        _labelled(document, label(doc, "rationale"), r.rationale)
        _labelled(document, label(doc, "verification"), r.verification)
        if r.evidence_expected:
            _labelled(document, label(doc, "evidence_expected"), r.evidence_expected)
        if r.evidence:
            document.add_paragraph().add_run(f"{label(doc, 'evidence')}:").bold = True
            for ev in r.evidence:
                _para(document, citation(ev, lang), styles.bullet)
        else:
            _labelled(document, label(doc, "evidence"), label(doc, "no_evidence"))
        if r.references:
            _labelled(document, label(doc, "references"), ", ".join(r.references))


def _questions_and_sources(document: DocxDocument, doc: RequirementsDoc) -> None:
    document.add_heading(label(doc, "questions"), level=1)
    if not doc.open_questions:
        document.add_paragraph(label(doc, "no_questions"))
    for i, q in enumerate(doc.open_questions, start=1):
        item = document.add_paragraph(f"{i}.\t{q.text} ({q.requirement_id})")
        item.paragraph_format.left_indent = Cm(0.8)
        item.paragraph_format.first_line_indent = Cm(-0.8)
    document.add_heading(label(doc, "sources"), level=1)
    if not doc.sources:
        document.add_paragraph(label(doc, "no_sources"))
    for src in doc.sources:
        document.add_paragraph(
            f"{src.source} ({src.vendor or src.category}): {src.citations} "
            f"{label(doc, 'citations')}",
            style="List Bullet",
        )


def to_docx(doc: RequirementsDoc) -> bytes:
    document = Document()
    styles = _styles(document)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    document.core_properties.title = heading(doc)
    document.core_properties.author = "KI-Lotse"
    document.core_properties.language = doc.language
    _title_page(document, doc)
    document.add_section(WD_SECTION.NEW_PAGE)
    _summary(document, doc)
    _overview(document, doc, styles)
    _details(document, doc, styles)
    _questions_and_sources(document, doc)
    _header_footer(document, doc)
    _update_fields_on_open(document)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
