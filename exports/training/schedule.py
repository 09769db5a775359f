"""The schedule's exports with the training sessions in them (added, the writers unchanged).

- ICS: the schedule's calendar exactly as ``exports.schedule`` writes it, plus one timed
  event per dated session (local time of the schedule's region, with VTIMEZONE), so a
  calendar shows "Grundschulung 08:30-10:00" inside the all-day step-5 task.
- Gantt (PNG/SVG), XLSX, Markdown, JSON: the schedule with every session as an extra
  one-day step-5 task (``chains.training.merge_training_sessions``), drawn by the existing
  writers as extra bars.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from chains.schedule.records import Schedule
from chains.training.records import TrainingPlan, TrainingSession
from chains.training.schedule_merge import merge_training_sessions, session_title
from exports.schedule import schedule_bytes, schedule_format
from exports.schedule.ics import to_ics
from exports.training.labels import audience_name, label, role_name

TIMEZONES = {
    "CH": "Europe/Zurich",
    "DE": "Europe/Berlin",
    "AT": "Europe/Vienna",
    "LI": "Europe/Vaduz",
    "FR": "Europe/Paris",
    "IT": "Europe/Rome",
}
DEFAULT_TIMEZONE = "Europe/Zurich"
CATEGORY = {"de": "Schulung", "en": "Training"}


def region_timezone(region: str) -> ZoneInfo:
    return ZoneInfo(TIMEZONES.get(region.split("-")[0].upper(), DEFAULT_TIMEZONE))


def _uid(schedule: Schedule, key: str) -> str:
    """Same scheme as the schedule's events: stable across re-planning of one company."""
    digest = hashlib.sha1(schedule.company.strip().lower().encode("utf-8")).hexdigest()[:12]
    return f"{key.lower()}-{digest}@ki-lotse"


def _event(schedule: Schedule, s: TrainingSession, stamp: datetime) -> Event:
    assert s.day is not None and s.start is not None and s.end is not None
    lang = schedule.lang
    tz = region_timezone(schedule.region)
    lines = [
        f"{label(lang, 'audience')}: {audience_name(s.audience, lang)}",
        f"{label(lang, 'participants')}: {s.participants}",
        f"{label(lang, 'lead')}: {role_name(s.lead, lang)}",
        f"{label(lang, 'goals')}:",
        *(f"- {goal}" for goal in s.goals),
        f"{label(lang, 'agenda')}:",
        *(f"- {item.topic} ({label(lang, 'minutes', n=item.minutes)})" for item in s.agenda),
    ]
    if s.requirement_ids:
        lines.append(f"{label(lang, 'requirements')}: {', '.join(s.requirement_ids)}")
    if s.parallel:
        lines.append(f"⚠ {label(lang, 'parallel')}")
    event = Event()
    event.add("uid", _uid(schedule, s.id))
    event.add("dtstamp", stamp)
    event.add("dtstart", datetime.combine(s.day, s.start, tzinfo=tz))
    event.add("dtend", datetime.combine(s.day, s.end, tzinfo=tz))
    event.add("summary", session_title(s, lang))
    event.add("description", "\n".join(lines))
    event.add("categories", [CATEGORY[lang]])
    event.add("transp", "OPAQUE")
    event.add("sequence", 0)
    return event


def training_ics(schedule: Schedule, plan: TrainingPlan, stamp: datetime | None = None) -> bytes:
    """The schedule's ICS plus a timed event per dated session."""
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    cal = Calendar.from_ical(to_ics(schedule, stamp))
    for session in plan.sessions:
        if session.day is not None and session.start is not None:
            cal.add_component(_event(schedule, session, stamp))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def schedule_with_training_bytes(schedule: Schedule, plan: TrainingPlan, fmt: str) -> bytes:
    """Any schedule format (``.ics``, ``.png``, ``.svg``, ``.xlsx``, ``.md``, ``.json``) with
    the sessions in it."""
    suffix = schedule_format(fmt).suffix
    if suffix == ".ics":
        return training_ics(schedule, plan)
    return schedule_bytes(merge_training_sessions(schedule, plan), suffix)
