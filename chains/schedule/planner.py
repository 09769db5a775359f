"""Deterministic, resource-constrained list scheduling of the seven-step plan.

Rules, in working-day time (weekends and holidays do not exist on this clock):
- a task may start when all its dependencies have ended (also in the middle of a day)
  and every task of every earlier step has started: steps keep their order but overlap
  where the dependencies allow;
- each role works on one task at a time with its whole capacity (people x share,
  person-days per day), so effort e at capacity c lasts e / c working days and the
  capacity per role per day is never exceeded; what one task leaves of a day goes to the
  role's next task;
- when a role is free, the ready task that comes first by step, then longest remaining
  dependency chain, then template order is started; the same input gives the same plan.
The plan is never squeezed: if it needs more than ``target_days`` working days,
``fits`` is False and ``needed_working_days`` says how many it needs.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from itertools import islice

from chains.schedule.capacity import resolve_capacity
from chains.schedule.records import Holiday, Milestone, ReviewSeries, Schedule, ScheduledTask
from chains.schedule.reviews import plan_review
from chains.schedule.templates import (
    PlannedTemplate,
    check_reviews,
    check_templates,
    select_templates,
)
from chains.schedule.workdays import WorkCalendar
from core.errors import PlanningError
from knowledge.catalog import RequirementCatalog
from knowledge.common import STEPS, Lang
from knowledge.plan import PlanTemplates, Role
from knowledge.scenario import Scenario

log = logging.getLogger(__name__)

MAX_WORKING_DAYS = 1000
MAX_TARGET_DAYS = 260


def plan_schedule(
    scenario: Scenario,
    templates: PlanTemplates,
    catalog: RequirementCatalog,
    start: date,
    region: str,
    capacity: Mapping[Role, float] | None = None,
    target_days: int = 14,
    lang: Lang = "de",
    *,
    allow_past: bool = True,
    today: date | None = None,
) -> Schedule:
    """Plan the scenario's tasks on the working days of ``region`` from ``start``.

    ``capacity`` overrides the size-dependent default per role (see ``capacity.py``).
    With ``allow_past=False`` a start before ``today`` (default: the system date) is refused.
    """
    if lang not in ("de", "en"):
        raise PlanningError(
            f"Unbekannte Sprache '{lang}': erlaubt sind 'de' und 'en'.",
            en=f"Unknown language '{lang}': allowed are 'de' and 'en'.",
        )
    if not 1 <= target_days <= MAX_TARGET_DAYS:
        raise PlanningError(
            f"Ziellänge {target_days} Arbeitstage ist ungültig: erlaubt sind 1 bis "
            f"{MAX_TARGET_DAYS}.",
            en=f"A target length of {target_days} working days is invalid: allowed are 1 to "
            f"{MAX_TARGET_DAYS}.",
        )
    calendar = WorkCalendar(region, lang)
    reference = today or date.today()
    if not allow_past and start < reference:
        raise PlanningError(
            f"Startdatum {start.isoformat()} liegt in der Vergangenheit (heute: "
            f"{reference.isoformat()}). Bitte ein künftiges Datum wählen.",
            en=f"Start date {start.isoformat()} is in the past (today: "
            f"{reference.isoformat()}). Please choose a future date.",
        )
    check_templates(templates.tasks, catalog)
    check_reviews(templates.reviews, catalog)
    team = resolve_capacity(capacity, scenario.size_class())

    facts = scenario.facts()
    selected = {r.id for r in catalog.select(facts)}
    planned, excluded = select_templates(
        templates.tasks, facts, selected, scenario.size_class(), scenario.risk_level()
    )
    first_day = calendar.first_working_day(start)
    work = _allocate(planned, team)
    needed = max((max(d for d in w) + 1 for w in work.values() if w), default=0)
    horizon = list(islice(calendar.working_days(first_day), max(needed, target_days)))

    tasks = _scheduled_tasks(planned, work, horizon, lang)
    milestones = _milestones(tasks, first_day, lang)
    plan_end = horizon[needed - 1] if needed else first_day
    reviews = _reviews(templates, selected, plan_end, calendar, lang)
    load = _role_load(planned, team)
    bottleneck = max(load, key=lambda r: (load[r], -list(Role).index(r)), default=None)
    holidays = [
        Holiday(d, name)
        for d, name in calendar.holidays_between(min(start, first_day), horizon[-1])
    ]
    log.debug("planned %d tasks in %d working days", len(tasks), needed)
    return Schedule(
        company=scenario.company.name,
        start=first_day,
        end=plan_end,
        region=calendar.region,
        lang=lang,
        target_days=target_days,
        needed_working_days=needed,
        fits=needed <= target_days,
        bottleneck_role=bottleneck,
        role_load_days={r: float(v) for r, v in load.items()},
        capacity=dict(team),
        tasks=tuple(tasks),
        milestones=tuple(milestones),
        reviews=tuple(reviews),
        holidays_in_range=tuple(holidays),
        working_days=tuple(horizon),
        requested_start=start,
        excluded_task_ids=tuple(excluded),
    )


def _allocate(
    planned: list[PlannedTemplate], team: Mapping[Role, float]
) -> dict[str, dict[int, Fraction]]:
    """Event-driven list scheduling in working-day time; returns bookings per day index.

    Each role works on one task at a time with its whole capacity, so a task of effort e
    runs e / c working days; a successor may start the moment (also mid-day) its
    predecessors end.
    """
    cap = {role: Fraction(str(value)) for role, value in team.items()}
    tail = _longest_tail(planned, cap)
    index = {p.template.id: i for i, p in enumerate(planned)}
    order = sorted(
        planned, key=lambda p: (p.template.step, -tail[p.template.id], index[p.template.id])
    )
    begin: dict[str, Fraction] = {}
    finish: dict[str, Fraction] = {}
    free_at = dict.fromkeys(cap, Fraction(0))
    unstarted = {s: sum(1 for p in planned if p.template.step == s) for s in STEPS}
    now = Fraction(0)
    while len(begin) < len(planned):
        # One pass suffices: starting a task only opens later steps, which sort later.
        for p in order:
            tid, role, step = p.template.id, p.template.role, p.template.step
            if tid in begin or free_at[role] > now:
                continue
            if any(unstarted[s] for s in STEPS if s < step):
                continue
            if any(finish.get(dep, now + 1) > now for dep in p.depends_on):
                continue
            begin[tid] = now
            finish[tid] = free_at[role] = now + p.effort / cap[role]
            unstarted[step] -= 1
        upcoming = [t for t in finish.values() if t > now]
        if len(begin) < len(planned) and not upcoming:
            waiting = sorted(set(index) - set(begin))
            raise PlanningError(
                f"Aufgaben {waiting} können nie beginnen; bitte die "
                "Abhängigkeiten der Planvorlagen prüfen.",
                en=f"Tasks {waiting} can never start; please check the "
                "dependencies of the plan templates.",
            )
        now = min(upcoming, default=now)
        if now > MAX_WORKING_DAYS:
            raise PlanningError(
                f"Der Plan braucht mehr als {MAX_WORKING_DAYS} Arbeitstage; bitte Kapazität "
                "und Aufwände prüfen.",
                en=f"The plan needs more than {MAX_WORKING_DAYS} working days; please check "
                "capacity and efforts.",
            )
    work: dict[str, dict[int, Fraction]] = {}
    for p in planned:
        tid, rate = p.template.id, cap[p.template.role]
        first, last = begin[tid], finish[tid]
        work[tid] = {
            day: (min(last, Fraction(day + 1)) - max(first, Fraction(day))) * rate
            for day in range(math.floor(first), math.ceil(last))
        }
    return work


def _longest_tail(
    planned: list[PlannedTemplate], rate: Mapping[Role, Fraction]
) -> dict[str, Fraction]:
    """Duration of the longest dependency chain starting at each task (priority rule)."""
    successors: dict[str, list[str]] = {p.template.id: [] for p in planned}
    for p in planned:
        for dep in p.depends_on:
            successors[dep].append(p.template.id)
    duration = {p.template.id: p.effort / rate[p.template.role] for p in planned}
    tail: dict[str, Fraction] = {}

    def visit(tid: str) -> Fraction:
        if tid not in tail:
            after = max((visit(s) for s in successors[tid]), default=Fraction(0))
            tail[tid] = duration[tid] + after
        return tail[tid]

    for p in planned:
        visit(p.template.id)
    return tail


def _scheduled_tasks(
    planned: list[PlannedTemplate],
    work: Mapping[str, Mapping[int, Fraction]],
    horizon: list[date],
    lang: Lang,
) -> list[ScheduledTask]:
    out = []
    for position, p in enumerate(planned):
        booked = sorted(work[p.template.id].items())
        t = p.template
        out.append(
            (
                t.step,
                booked[0][0],
                position,
                ScheduledTask(
                    id=t.id,
                    step=t.step,
                    title=t.title.get(lang),
                    role=t.role,
                    start=horizon[booked[0][0]],
                    end=horizon[booked[-1][0]],
                    effort_days=float(p.effort),
                    depends_on=p.depends_on,
                    requirement_ids=p.requirement_ids,
                    deliverable=t.deliverable.get(lang),
                    work=tuple((horizon[d], float(amount)) for d, amount in booked),
                ),
            )
        )
    return [task for *_, task in sorted(out, key=lambda x: x[:3])]


def _milestones(tasks: list[ScheduledTask], first_day: date, lang: Lang) -> list[Milestone]:
    label = "Schritt {n} abgeschlossen: {name}" if lang == "de" else "Step {n} complete: {name}"
    out: list[Milestone] = []
    previous = first_day
    for step, names in STEPS.items():
        ends = [t.end for t in tasks if t.step == step]
        when = max(ends) if ends else previous
        out.append(Milestone(step, label.format(n=step, name=names[lang]), when))
        previous = when
    return out


def _reviews(
    templates: PlanTemplates,
    selected: set[str],
    plan_end: date,
    calendar: WorkCalendar,
    lang: Lang,
) -> list[ReviewSeries]:
    out: list[ReviewSeries] = []
    taken: frozenset[date] = frozenset()
    for review in templates.reviews:
        reqs = tuple(r for r in review.requirement_ids if r in selected)
        if review.requirement_ids and not reqs:
            continue
        series = plan_review(review, plan_end, calendar, lang, reqs, taken)
        taken |= set(series.dates)
        out.append(series)
    return out


def _role_load(planned: list[PlannedTemplate], team: Mapping[Role, float]) -> dict[Role, Fraction]:
    """Working days each role needs for its share of the plan: effort / capacity."""
    effort: dict[Role, Fraction] = {}
    for p in planned:
        effort[p.template.role] = effort.get(p.template.role, Fraction(0)) + p.effort
    return {role: total / Fraction(str(team[role])) for role, total in effort.items()}
