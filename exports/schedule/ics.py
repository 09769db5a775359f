"""Schedule -> iCalendar: all-day events for tasks and milestones, recurring reviews.

DTSTART/DTEND are DATE values (DTEND exclusive), UIDs depend only on the company and
the task id so that re-importing a re-planned schedule updates the events instead of
duplicating them; events are TRANSPARENT so they do not block free/busy time.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vRecur

from chains.schedule.records import Schedule
from chains.schedule.summary import summarize
from exports.schedule.labels import fmt_date, heading, label, role_name, step_name

PRODID = "-//KI-Lotse//Integrationsplan 1.0//DE"


def _uid(schedule: Schedule, key: str) -> str:
    digest = hashlib.sha1(schedule.company.strip().lower().encode("utf-8")).hexdigest()[:12]
    return f"{key.lower()}-{digest}@ki-lotse"


def _event(
    schedule: Schedule,
    key: str,
    first: date,
    last: date,
    summary: str,
    description: str,
    category: str,
    stamp: datetime,
) -> Event:
    event = Event()
    event.add("uid", _uid(schedule, key))
    event.add("dtstamp", stamp)
    event.add("dtstart", first)
    event.add("dtend", last + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("categories", [category])
    event.add("transp", "TRANSPARENT")
    event.add("sequence", 0)
    return event


def to_ics(schedule: Schedule, stamp: datetime | None = None) -> bytes:
    """One VEVENT per task and milestone, one recurring VEVENT per review series."""
    lang = schedule.lang
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", heading(schedule))
    cal.add("x-wr-caldesc", summarize(schedule))
    for t in schedule.tasks:
        lines = [
            f"{label(schedule, 'step')} {t.step}: {step_name(t.step, lang)}",
            f"{label(schedule, 'role')}: {role_name(t.role, lang)}",
            f"{label(schedule, 'effort')}: {t.effort_days:g}",
            f"{label(schedule, 'deliverable')}: {t.deliverable}",
            f"{label(schedule, 'workdays')}: "
            + ", ".join(fmt_date(day, lang) for day, _ in t.work),
        ]
        if t.depends_on:
            lines.append(f"{label(schedule, 'depends')}: {', '.join(t.depends_on)}")
        if t.requirement_ids:
            lines.append(f"{label(schedule, 'requirements')}: {', '.join(t.requirement_ids)}")
        cal.add_component(
            _event(
                schedule,
                t.id,
                t.start,
                t.end,
                f"[{label(schedule, 'step')} {t.step}] {t.title} ({role_name(t.role, lang)})",
                "\n".join(lines),
                step_name(t.step, lang),
                stamp,
            )
        )
    for m in schedule.milestones:
        cal.add_component(
            _event(
                schedule,
                f"milestone-s{m.step}",
                m.date,
                m.date,
                f"◆ {label(schedule, 'milestone')}: {m.title}",
                m.title,
                label(schedule, "milestone"),
                stamp,
            )
        )
    for r in schedule.reviews:
        if not r.dates:
            continue
        text = [
            f"{label(schedule, 'role')}: {role_name(r.role, lang)}",
            label(schedule, "every_months").format(n=r.interval_months),
        ]
        if r.requirement_ids:
            text.append(f"{label(schedule, 'requirements')}: {', '.join(r.requirement_ids)}")
        event = _event(
            schedule,
            r.id,
            r.dates[0],
            r.dates[0],
            r.title,
            "\n".join(text),
            step_name(7, lang),
            stamp,
        )
        event.add("rrule", vRecur.from_ical(r.rrule))
        cal.add_component(event)
    return bytes(cal.to_ical())
