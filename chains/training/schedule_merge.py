"""Training sessions as extra step-5 tasks of a schedule, for the Gantt chart and the XLSX.

The schedule writers draw one bar per task and day; a dated session becomes a one-day
task right after the last step-5 task, so the existing writers show it without a change.
The ICS gets real timed events instead (``exports.training.schedule``).
"""

from __future__ import annotations

from dataclasses import replace

from chains.schedule.records import Schedule, ScheduledTask
from chains.training.records import TrainingPlan, TrainingSession

PREFIX = {"de": "Schulung", "en": "Training"}
GROUP = {"de": "Gruppe", "en": "group"}
WORKDAY_MINUTES = 8 * 60


def session_title(session: TrainingSession, lang: str) -> str:
    """``Schulung: Grundschulung … (Gruppe 2/5, 10:45–12:15)``."""
    extra = []
    if session.groups > 1:
        extra.append(f"{GROUP[lang]} {session.group_label}")
    if session.start and session.end:
        extra.append(f"{session.start:%H:%M}–{session.end:%H:%M}")
    suffix = f" ({', '.join(extra)})" if extra else ""
    return f"{PREFIX[lang]}: {session.title}{suffix}"


def session_task(session: TrainingSession, lang: str) -> ScheduledTask:
    """A dated session as a one-day step-5 task led by its lead role."""
    assert session.day is not None
    effort = round(session.duration_minutes / WORKDAY_MINUTES, 2)
    return ScheduledTask(
        id=session.id,
        step=5,
        title=session_title(session, lang),
        role=session.lead,
        start=session.day,
        end=session.day,
        effort_days=effort,
        depends_on=(session.task_id,),
        requirement_ids=session.requirement_ids,
        deliverable=session.participants,
        work=((session.day, effort),),
    )


def merge_training_sessions(schedule: Schedule, plan: TrainingPlan) -> Schedule:
    """The schedule with every dated session added after the last step-5 task."""
    extra = [session_task(s, schedule.lang) for s in plan.sessions if s.day is not None]
    if not extra:
        return schedule
    tasks = list(schedule.tasks)
    last_step5 = max((i for i, t in enumerate(tasks) if t.step <= 5), default=len(tasks) - 1)
    merged = tasks[: last_step5 + 1] + extra + tasks[last_step5 + 1 :]
    return replace(schedule, tasks=tuple(merged))
