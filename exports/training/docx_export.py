"""TrainingKit -> DOCX: the kit (plan and one handout per audience, each on its own page)
and the quiz as a worksheet, with or without the answers.

Every handout line is followed by its source in small grey type, so a printed handout
still shows where each rule comes from. The quiz without answers has a name line and
empty boxes; the answer version marks the correct option and adds explanation and source.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Pt, RGBColor

from chains.training.records import LETTERS, Handout, Quiz, TrainingKit, TrainingSession
from exports.training.labels import (
    audience_name,
    fmt_date,
    heading,
    kind_label,
    label,
    role_name,
    session_name,
    subtitle,
    when,
)
from knowledge.common import Lang

_GREY = RGBColor(0x66, 0x66, 0x66)


def _document(title: str) -> Any:
    doc = Document()
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = title
    doc.core_properties.author = "KI-Lotse"
    return doc


def _bytes(doc: Any) -> bytes:
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _small(paragraph: Any, text: str) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(8)
    run.font.color.rgb = _GREY


def _page_break(doc: Any) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _plan_table(doc: Any, kit: TrainingKit) -> None:
    lang = kit.lang
    keys = ("date", "session", "audience", "lead", "duration")
    table = doc.add_table(rows=1, cols=len(keys))
    table.style = "Table Grid"
    for cell, key in zip(table.rows[0].cells, keys, strict=True):
        cell.text = label(lang, key)
        cell.paragraphs[0].runs[0].font.bold = True
    for s in kit.plan.sessions:
        cells = table.add_row().cells
        values = (
            when(s, lang),
            session_name(s, lang),
            audience_name(s.audience, lang),
            role_name(s.lead, lang),
            label(lang, "minutes", n=s.duration_minutes),
        )
        for cell, value in zip(cells, values, strict=True):
            cell.text = value


def _session(doc: Any, s: TrainingSession, lang: Lang) -> None:
    doc.add_heading(session_name(s, lang), level=3)
    facts = [
        (label(lang, "date"), when(s, lang)),
        (
            label(lang, "participants"),
            f"{s.participants} ({label(lang, 'max_participants', n=s.max_participants)})",
        ),
        (
            label(lang, "lead"),
            role_name(s.lead, lang)
            + (
                f"; {label(lang, 'support')}: " + ", ".join(role_name(r, lang) for r in s.support)
                if s.support
                else ""
            ),
        ),
        (label(lang, "requirements"), ", ".join(s.requirement_ids) or "–"),
    ]
    for key, value in facts:
        p = doc.add_paragraph()
        p.add_run(f"{key}: ").bold = True
        p.add_run(value)
    if s.parallel:
        doc.add_paragraph(f"⚠ {label(lang, 'parallel')}")
    doc.add_paragraph(label(lang, "goals")).runs[0].bold = True
    for goal in s.goals:
        doc.add_paragraph(goal, style="List Bullet")
    doc.add_paragraph(label(lang, "agenda")).runs[0].bold = True
    for item in s.agenda:
        doc.add_paragraph(
            f"{item.topic} ({label(lang, 'minutes', n=item.minutes)})", style="List Number"
        )


def _handout(doc: Any, handout: Handout, lang: Lang) -> None:
    doc.add_heading(handout.title, level=1)
    for key, value in (("service", handout.service), ("contact", handout.contact)):
        p = doc.add_paragraph()
        p.add_run(f"{label(lang, key)}: ").bold = True
        p.add_run(value)
    if handout.policy_documents:
        p = doc.add_paragraph()
        p.add_run(f"{label(lang, 'policy_docs')}: ").bold = True
        p.add_run(", ".join(handout.policy_documents))
    for section in handout.sections:
        doc.add_heading(section.title, level=2)
        for item in section.items:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(f"{kind_label(item.kind, lang)}: ").bold = True
            p.add_run(f"«{item.text}»" if item.kind == "policy" else item.text)
            p.add_run("\n")
            _small(p, f"{label(lang, 'source')}: {item.source.label}")


def kit_docx(kit: TrainingKit) -> bytes:
    """Plan and handouts in one document."""
    lang = kit.lang
    doc = _document(heading(kit))
    doc.add_heading(heading(kit), level=0)
    doc.add_paragraph(subtitle(kit))
    doc.add_heading(label(lang, "plan"), level=1)
    if kit.plan.step5_days:
        doc.add_paragraph(
            f"{label(lang, 'step5_days')}: "
            + ", ".join(fmt_date(d, lang) for d in kit.plan.step5_days)
        )
    _plan_table(doc, kit)
    for s in kit.plan.sessions:
        _session(doc, s, lang)
    for handout in kit.handouts:
        _page_break(doc)
        _handout(doc, handout, lang)
    if kit.notes:
        doc.add_heading(label(lang, "notes"), level=1)
        for n in kit.notes:
            doc.add_paragraph(n, style="List Bullet")
    _small(doc.add_paragraph(), label(lang, "generated"))
    return _bytes(doc)


def _quiz(doc: Any, quiz: Quiz, lang: Lang, answers: bool) -> None:
    name = audience_name(quiz.audience, lang)
    doc.add_heading(
        label(lang, "answers_title" if answers else "quiz_title", audience=name), level=1
    )
    if not answers:
        doc.add_paragraph(label(lang, "name_line"))
    if not quiz.questions:
        doc.add_paragraph(label(lang, "no_questions"))
    for number, q in enumerate(quiz.questions, start=1):
        p = doc.add_paragraph()
        p.add_run(f"{number}. {q.question}").bold = True
        for index, option in enumerate(q.options):
            mark = ("☒" if index == q.correct else "☐") if answers else "☐"
            line = doc.add_paragraph(f"{mark} {LETTERS[index]}) {option}")
            line.paragraph_format.left_indent = Pt(14)
            if answers and index == q.correct:
                line.runs[0].bold = True
        if answers:
            e = doc.add_paragraph()
            e.add_run(f"{label(lang, 'correct')}: {q.correct_letter}. ").bold = True
            e.add_run(f"{label(lang, 'explanation')}: {q.explanation}")
            _small(doc.add_paragraph(), f"{label(lang, 'source')}: {q.source.label}")


def quiz_docx(kit: TrainingKit, answers: bool = False) -> bytes:
    """One quiz per audience, each on its own page; ``answers`` adds the solutions."""
    lang = kit.lang
    title = f"{label(lang, 'quiz')}: {kit.company}"
    doc = _document(title)
    doc.add_heading(title, level=0)
    doc.add_paragraph(subtitle(kit))
    for index, quiz in enumerate(kit.quizzes):
        if index:
            _page_break(doc)
        _quiz(doc, quiz, lang, answers)
    _small(doc.add_paragraph(), label(lang, "generated"))
    return _bytes(doc)


def quiz_answers_docx(kit: TrainingKit) -> bytes:
    return quiz_docx(kit, answers=True)
