"""Words and colours shared by every schedule writer, so all formats read alike."""

from __future__ import annotations

from chains.schedule.records import Schedule
from core.formatting import fmt_date as fmt_date  # re-exported for the writers
from knowledge.common import STEPS, Lang
from knowledge.plan import ROLE_NAMES, Role

# One colour per step (Tableau 10), used by the XLSX Gantt sheet and the chart.
STEP_COLOURS: dict[int, str] = {
    1: "#4E79A7",
    2: "#F28E2B",
    3: "#59A14F",
    4: "#B07AA1",
    5: "#EDC948",
    6: "#E15759",
    7: "#76B7B2",
}

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Integrationsplan",
        "id": "ID",
        "step": "Schritt",
        "task": "Aufgabe",
        "role": "Rolle",
        "start": "Start",
        "end": "Ende",
        "effort": "Aufwand (PT)",
        "depends": "Abhängig von",
        "requirements": "Anforderungen",
        "deliverable": "Ergebnis",
        "milestones": "Meilensteine",
        "milestone": "Meilenstein",
        "reviews": "Regelmässige Überprüfungen",
        "every_months": "alle {n} Monate",
        "holidays": "Feiertage im Zeitraum",
        "none": "keine",
        "company": "Firma",
        "region": "Region",
        "target": "Ziel (Arbeitstage)",
        "needed": "Benötigt (Arbeitstage)",
        "fits": "Passt",
        "yes": "ja",
        "no": "nein",
        "bottleneck": "Engpass",
        "capacity": "Kapazität (Personentage pro Tag)",
        "load": "Arbeit in Tagen bei dieser Kapazität",
        "tasks_sheet": "Aufgaben",
        "summary_sheet": "Übersicht",
        "summary": "Zusammenfassung",
        "weekend_holiday": "Wochenende/Feiertag",
        "generated": "Erstellt mit KI-Lotse",
        "workdays": "Arbeitstage",
    },
    "en": {
        "title": "Integration plan",
        "id": "ID",
        "step": "Step",
        "task": "Task",
        "role": "Role",
        "start": "Start",
        "end": "End",
        "effort": "Effort (person-days)",
        "depends": "Depends on",
        "requirements": "Requirements",
        "deliverable": "Deliverable",
        "milestones": "Milestones",
        "milestone": "Milestone",
        "reviews": "Regular reviews",
        "every_months": "every {n} months",
        "holidays": "Public holidays in range",
        "none": "none",
        "company": "Company",
        "region": "Region",
        "target": "Target (working days)",
        "needed": "Needed (working days)",
        "fits": "Fits",
        "yes": "yes",
        "no": "no",
        "bottleneck": "Bottleneck",
        "capacity": "Capacity (person-days per day)",
        "load": "Days of work at this capacity",
        "tasks_sheet": "Tasks",
        "summary_sheet": "Summary",
        "summary": "Summary",
        "weekend_holiday": "Weekend/holiday",
        "generated": "Created with KI-Lotse",
        "workdays": "Working days",
    },
}

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    "en": ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"),
}


def label(schedule: Schedule, key: str) -> str:
    return LABELS[schedule.lang][key]


def role_name(role: Role, lang: Lang) -> str:
    return ROLE_NAMES[role][lang]


def step_name(step: int, lang: Lang) -> str:
    return STEPS[step][lang]


def heading(schedule: Schedule) -> str:
    """``Integrationsplan: Firma (CH-ZH, 21.12.2026 – 12.01.2027)``."""
    return (
        f"{label(schedule, 'title')}: {schedule.company} ({schedule.region}, "
        f"{fmt_date(schedule.start, schedule.lang)} – {fmt_date(schedule.end, schedule.lang)})"
    )
