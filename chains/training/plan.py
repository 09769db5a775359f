"""Training sessions per audience, placed on the step-5 working days of a schedule.

Each session template names the step-5 task whose days it uses. Groups of one session are
booked one after the other on those days in two windows (08:30-12:00, 13:00-17:00, 15
minutes between sessions), per lead role, so one trainer never runs two sessions at once.
When a task's days are full, the other step-5 days are used; when all are full, the group is
put in parallel on the task's first day and marked, because a second trainer is needed then.
Sessions never leave the step-5 days: the plan promises the schedule's dates, not new ones.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from datetime import date, time

from chains.schedule.records import Schedule
from chains.training.records import AgendaEntry, TrainingPlan, TrainingSession
from knowledge.catalog import RequirementCatalog
from knowledge.common import Lang
from knowledge.plan import ROLE_NAMES
from knowledge.scenario import Scenario
from knowledge.training import Audience, SessionTemplate, TrainingKnowledge

log = logging.getLogger(__name__)

WINDOWS: tuple[tuple[int, int], ...] = ((8 * 60 + 30, 12 * 60), (13 * 60, 17 * 60))
BREAK_MINUTES = 15
LUNCH_MINUTES = 60

_NOTES = {
    "no_schedule": {
        "de": "Ohne Zeitplan: Die Sitzungen haben noch kein Datum. Mit einem Startdatum werden "
        "sie auf die Arbeitstage von Schritt 5 gelegt.",
        "en": "No schedule: the sessions have no dates yet. With a start date they are placed "
        "on the working days of step 5.",
    },
    "no_step5": {
        "de": "Der Zeitplan enthält keine Aufgaben von Schritt 5; die Sitzungen bleiben ohne "
        "Datum.",
        "en": "The schedule has no step-5 tasks; the sessions stay without dates.",
    },
    "groups": {
        "de": "Annahme: alle {n} Mitarbeitenden nutzen den Dienst; «{title}» findet in {groups} "
        "Gruppen zu höchstens {size} Personen statt.",
        "en": "Assumption: all {n} employees use the service; “{title}” is held in {groups} "
        "groups of at most {size} people.",
    },
    "parallel": {
        "de": "«{title}», Gruppe {group}: kein freier Termin der Leitung ({lead}) an den "
        "Arbeitstagen von Schritt 5; parallel zu einer anderen Gruppe eingeplant, eine zweite "
        "Schulungsleitung ist nötig.",
        "en": "“{title}”, group {group}: no free slot for the lead ({lead}) on the step-5 "
        "working days; planned in parallel with another group, a second trainer is needed.",
    },
}


def note(key: str, lang: Lang, **fmt: object) -> str:
    return _NOTES[key][lang].format(**fmt)


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


Resource = tuple[str, ...]


class _Booking:
    """What is taken when: per day and resource (a lead, a group of people) the intervals
    already booked, in minutes since midnight. A slot must be free for every resource, so
    a trainer never leads two sessions at once and one group never sits in two."""

    def __init__(self) -> None:
        self.taken: dict[tuple[date, Resource], list[tuple[int, int]]] = defaultdict(list)

    def fit(self, day: date, resources: list[Resource], minutes: int) -> tuple[int, int] | None:
        """The earliest slot of ``minutes`` on ``day`` that is free for all ``resources``."""
        busy = sorted(b for r in resources for b in self.taken[(day, r)])
        longest = max(end - start for start, end in WINDOWS)
        if minutes > longest:  # a long session takes the whole day, with a lunch break
            if busy:
                return None
            start = WINDOWS[0][0]
            return start, start + minutes + LUNCH_MINUTES
        for first, last in WINDOWS:
            cursor, moved = first, True
            while moved:
                moved = False
                for b_start, b_end in busy:
                    if (
                        cursor < b_end + BREAK_MINUTES
                        and cursor + minutes + BREAK_MINUTES > b_start
                    ):
                        cursor, moved = b_end + BREAK_MINUTES, True
            if cursor + minutes <= last:
                return cursor, cursor + minutes
        return None

    def book(self, day: date, resources: list[Resource], slot: tuple[int, int]) -> None:
        for resource in resources:
            self.taken[(day, resource)].append(slot)


def group_count(template: SessionTemplate, scenario: Scenario) -> int:
    """Sessions for everyone are split into groups of ``max_participants``; others run once."""
    if not template.scale_with_staff:
        return 1
    return max(1, math.ceil(scenario.company.employees / template.max_participants))


def select_templates(
    knowledge: TrainingKnowledge, scenario: Scenario, audiences: tuple[Audience, ...]
) -> list[SessionTemplate]:
    facts = scenario.facts()
    return [s for s in knowledge.sessions if s.audience in audiences and s.applies(facts)]


def plan_sessions(
    scenario: Scenario,
    knowledge: TrainingKnowledge,
    catalog: RequirementCatalog,
    schedule: Schedule | None,
    audiences: tuple[Audience, ...],
    lang: Lang,
) -> TrainingPlan:
    """Sessions for ``audiences`` with goals, agenda, lead and requirement ids; dated when a
    schedule with step-5 tasks is given."""
    facts = scenario.facts()
    templates = select_templates(knowledge, scenario, audiences)
    step5 = {t.id: t for t in (schedule.tasks if schedule else ()) if t.step == 5}
    step5_days = tuple(sorted({day for t in step5.values() for day, _ in t.work}))
    notes: list[str] = []
    if schedule is None:
        notes.append(note("no_schedule", lang))
    elif not step5_days:
        notes.append(note("no_step5", lang))

    def task_start(template: SessionTemplate) -> date:
        task = step5.get(template.task)
        return task.start if task else date.max

    order = {t.id: i for i, t in enumerate(templates)}
    templates.sort(key=lambda t: (task_start(t), order[t.id]))
    booking = _Booking()
    sessions: list[TrainingSession] = []
    for template in templates:
        groups = group_count(template, scenario)
        title = template.title.get(lang)
        if groups > 1:
            notes.append(
                note(
                    "groups",
                    lang,
                    n=scenario.company.employees,
                    title=title,
                    groups=groups,
                    size=template.max_participants,
                )
            )
        task = step5.get(template.task)
        own_days = [day for day, _ in task.work] if task else []
        candidates = own_days + [d for d in step5_days if d not in own_days]
        requirement_ids = tuple(
            r for r in template.requirement_ids if r in catalog and catalog.get(r).applies(facts)
        )
        for group in range(1, groups + 1):
            # Group n of every all-staff session is the same people; sessions held once
            # (key users, IT, management) take people from group 1.
            resources: list[Resource] = [
                ("lead", template.lead.value),
                ("people", template.audience.value, str(group)),
            ]
            day: date | None = None
            slot: tuple[int, int] | None = None
            parallel = False
            for candidate in candidates:
                slot = booking.fit(candidate, resources, template.duration_minutes)
                if slot is not None:
                    day = candidate
                    break
            if slot is None and candidates:
                day, parallel = candidates[0], True
                start = WINDOWS[0][0]
                slot = (start, start + template.duration_minutes)
                notes.append(
                    note(
                        "parallel",
                        lang,
                        title=title,
                        group=group,
                        lead=ROLE_NAMES[template.lead][lang],
                    )
                )
            if day is not None and slot is not None:
                booking.book(day, resources, slot)
            sessions.append(
                TrainingSession(
                    id=f"{template.id}-{group}",
                    template_id=template.id,
                    audience=template.audience,
                    title=title,
                    participants=template.participants.get(lang),
                    group=group,
                    groups=groups,
                    goals=tuple(g.get(lang) for g in template.goals),
                    agenda=tuple(
                        AgendaEntry(a.minutes, a.topic.get(lang)) for a in template.agenda
                    ),
                    duration_minutes=template.duration_minutes,
                    lead=template.lead,
                    support=tuple(template.support),
                    requirement_ids=requirement_ids,
                    task_id=template.task,
                    max_participants=template.max_participants,
                    day=day,
                    start=_clock(slot[0]) if slot else None,
                    end=_clock(slot[1]) if slot else None,
                    parallel=parallel,
                )
            )
    sessions.sort(key=lambda s: (s.day or date.max, s.start or time.max, s.id))
    log.info("planned %d training sessions on %d step-5 days", len(sessions), len(step5_days))
    return TrainingPlan(tuple(sessions), step5_days, tuple(notes))
