"""Words shared by every training writer, so DOCX, Markdown, XLSX and CSV read alike."""

from __future__ import annotations

from datetime import date, time

from chains.training.records import ItemKind, TrainingKit, TrainingSession
from core.formatting import fmt_date as core_fmt_date
from knowledge.common import Lang
from knowledge.plan import ROLE_NAMES, Role
from knowledge.training import AUDIENCE_NAMES, Audience

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Schulungspaket",
        "plan": "Schulungsplan",
        "handouts": "Merkblätter",
        "quiz": "Quiz",
        "answers": "Lösungen",
        "quiz_title": "Quiz {audience}",
        "answers_title": "Quiz {audience} mit Lösungen",
        "session": "Sitzung",
        "audience": "Zielgruppe",
        "date": "Datum",
        "time": "Zeit",
        "duration": "Dauer",
        "minutes": "{n} Min.",
        "lead": "Leitung",
        "support": "Unterstützung",
        "participants": "Teilnehmende",
        "max_participants": "höchstens {n} Personen",
        "goals": "Ziele",
        "agenda": "Ablauf",
        "requirements": "Anforderungen",
        "task": "Aufgabe im Zeitplan",
        "group": "Gruppe",
        "parallel": "parallel: zweite Schulungsleitung nötig",
        "undated": "Datum offen",
        "service": "KI-Dienst",
        "contact": "Ansprechperson bei Vorfällen",
        "company": "Firma",
        "source": "Quelle",
        "sources": "Quellen",
        "policy_docs": "Eigene Richtlinien",
        "notes": "Hinweise",
        "step5_days": "Arbeitstage von Schritt 5",
        "correct": "Richtig",
        "explanation": "Erklärung",
        "name_line": "Name: ____________________   Datum: __________",
        "no_questions": "Keine Fragen.",
        "generated": "Erstellt mit KI-Lotse",
        "person": "Person",
        "role": "Rolle",
        "attended": "Teilgenommen",
        "score": "Punktzahl (%)",
        "recorded": "Erfasst am",
        "attendance_sheet": "Teilnahme",
        "sessions_sheet": "Sitzungen",
        "yes": "ja",
        "no": "nein",
        "attendance_hint": "Pro Sitzung eine Zeile je Person; Teilgenommen: ja/nein; "
        "Punktzahl: Anteil richtiger Quizantworten in Prozent.",
        "kind.do": "Tun",
        "kind.dont": "Lassen",
        "kind.info": "Gut zu wissen",
        "kind.policy": "Aus Ihrer Richtlinie",
    },
    "en": {
        "title": "Training kit",
        "plan": "Training plan",
        "handouts": "Handouts",
        "quiz": "Quiz",
        "answers": "Answers",
        "quiz_title": "Quiz {audience}",
        "answers_title": "Quiz {audience} with answers",
        "session": "Session",
        "audience": "Audience",
        "date": "Date",
        "time": "Time",
        "duration": "Duration",
        "minutes": "{n} min",
        "lead": "Lead",
        "support": "Support",
        "participants": "Participants",
        "max_participants": "at most {n} people",
        "goals": "Goals",
        "agenda": "Agenda",
        "requirements": "Requirements",
        "task": "Schedule task",
        "group": "Group",
        "parallel": "parallel: a second trainer is needed",
        "undated": "date open",
        "service": "AI service",
        "contact": "Contact for incidents",
        "company": "Company",
        "source": "Source",
        "sources": "Sources",
        "policy_docs": "Company policies",
        "notes": "Notes",
        "step5_days": "Working days of step 5",
        "correct": "Correct",
        "explanation": "Explanation",
        "name_line": "Name: ____________________   Date: __________",
        "no_questions": "No questions.",
        "generated": "Created with KI-Lotse",
        "person": "Person",
        "role": "Role",
        "attended": "Attended",
        "score": "Score (%)",
        "recorded": "Recorded at",
        "attendance_sheet": "Attendance",
        "sessions_sheet": "Sessions",
        "yes": "yes",
        "no": "no",
        "attendance_hint": "One row per person and session; Attended: yes/no; Score: share of "
        "correct quiz answers in percent.",
        "kind.do": "Do",
        "kind.dont": "Don't",
        "kind.info": "Good to know",
        "kind.policy": "From your policy",
    },
}
KIND_SYMBOL: dict[str, str] = {"do": "✔", "dont": "✘", "info": "ℹ", "policy": "§"}


def label(lang: Lang, key: str, **fmt: object) -> str:
    text = LABELS[lang][key]
    return text.format(**fmt) if fmt else text


def kind_label(kind: ItemKind, lang: Lang) -> str:
    return f"{KIND_SYMBOL[kind]} {label(lang, f'kind.{kind}')}"


def audience_name(audience: Audience, lang: Lang) -> str:
    return AUDIENCE_NAMES[audience][lang]


def role_name(role: Role, lang: Lang) -> str:
    return ROLE_NAMES[role][lang]


def fmt_date(day: date | None, lang: Lang) -> str:
    if day is None:
        return label(lang, "undated")
    return core_fmt_date(day, lang)


def fmt_time(start: time | None, end: time | None) -> str:
    return f"{start:%H:%M}–{end:%H:%M}" if start and end else ""


def when(session: TrainingSession, lang: Lang) -> str:
    """``05.01.2027, 08:30–10:00`` or ``Datum offen``."""
    text = fmt_date(session.day, lang)
    clock = fmt_time(session.start, session.end)
    return f"{text}, {clock}" if clock else text


def session_name(session: TrainingSession, lang: Lang) -> str:
    if session.groups > 1:
        return f"{session.title} ({label(lang, 'group')} {session.group_label})"
    return session.title


def heading(kit: TrainingKit) -> str:
    return f"{label(kit.lang, 'title')}: {kit.company}"


def subtitle(kit: TrainingKit) -> str:
    names = ", ".join(audience_name(a, kit.lang) for a in kit.audiences)
    return f"{label(kit.lang, 'service')}: {kit.service} · {label(kit.lang, 'audience')}: {names}"
