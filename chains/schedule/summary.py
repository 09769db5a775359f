"""One plain sentence about a schedule, for the CLI line and the UI banner."""

from __future__ import annotations

from chains.schedule.records import Schedule
from core.formatting import fmt_date
from knowledge.plan import ROLE_NAMES


def summarize(schedule: Schedule) -> str:
    """Fits or not, working days needed, the bottleneck role, in the schedule's language."""
    de = schedule.lang == "de"
    lang = schedule.lang
    span = f"{fmt_date(schedule.start, lang)} – {fmt_date(schedule.end, lang)}, {schedule.region}"
    if schedule.fits:
        head = (
            f"Plan passt: {schedule.needed_working_days} von {schedule.target_days} Arbeitstagen"
            if de
            else f"Plan fits: {schedule.needed_working_days} of {schedule.target_days} working days"
        )
    else:
        head = (
            f"Plan passt NICHT: braucht {schedule.needed_working_days} statt "
            f"{schedule.target_days} Arbeitstage"
            if de
            else f"Plan does NOT fit: needs {schedule.needed_working_days} instead of "
            f"{schedule.target_days} working days"
        )
    text = f"{head} ({span})"
    role = schedule.bottleneck_role
    if role is not None:
        name = ROLE_NAMES[role]["de" if de else "en"]
        days = schedule.role_load_days[role]
        capacity = schedule.capacity[role]
        text += (
            f"; Engpass: {name} ({days:.1f} Tage Arbeit bei Kapazität {capacity:g})"
            if de
            else f"; bottleneck: {name} ({days:.1f} days of work at capacity {capacity:g})"
        )
    return text + "."
