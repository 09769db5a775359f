"""Schedule -> JSON with ISO dates; the dict form also feeds the UI's charts."""

from __future__ import annotations

import json
from typing import Any

from chains.schedule.records import Schedule
from chains.schedule.summary import summarize


def schedule_to_dict(schedule: Schedule) -> dict[str, Any]:
    """Plain JSON-ready dict; keys ``start region fits needed_working_days tasks milestones
    reviews`` are the stable contract, the rest is additional detail."""
    return {
        "company": schedule.company,
        "start": schedule.start.isoformat(),
        "end": schedule.end.isoformat(),
        "region": schedule.region,
        "lang": schedule.lang,
        "target_days": schedule.target_days,
        "fits": schedule.fits,
        "needed_working_days": schedule.needed_working_days,
        "bottleneck_role": schedule.bottleneck_role.value if schedule.bottleneck_role else None,
        "summary": summarize(schedule),
        "capacity": {role.value: value for role, value in schedule.capacity.items()},
        "role_load_days": {role.value: v for role, v in schedule.role_load_days.items()},
        "tasks": [
            {
                "id": t.id,
                "step": t.step,
                "title": t.title,
                "role": t.role.value,
                "start": t.start.isoformat(),
                "end": t.end.isoformat(),
                "effort_days": t.effort_days,
                "depends_on": list(t.depends_on),
                "requirement_ids": list(t.requirement_ids),
                "deliverable": t.deliverable,
                "work": [{"date": d.isoformat(), "effort_days": v} for d, v in t.work],
            }
            for t in schedule.tasks
        ],
        "milestones": [
            {"step": m.step, "title": m.title, "date": m.date.isoformat()}
            for m in schedule.milestones
        ],
        "reviews": [d.isoformat() for d in schedule.review_dates],
        "review_series": [
            {
                "id": r.id,
                "title": r.title,
                "role": r.role.value,
                "interval_months": r.interval_months,
                "rrule": r.rrule,
                "dates": [d.isoformat() for d in r.dates],
                "requirement_ids": list(r.requirement_ids),
            }
            for r in schedule.reviews
        ],
        "holidays": [
            {"date": h.date.isoformat(), "name": h.name} for h in schedule.holidays_in_range
        ],
        "working_days": [d.isoformat() for d in schedule.working_days],
        "excluded_task_ids": list(schedule.excluded_task_ids),
    }


def to_json(schedule: Schedule) -> bytes:
    return json.dumps(schedule_to_dict(schedule), ensure_ascii=False, indent=2).encode("utf-8")
