"""The 14-working-day integration schedule: plan the seven steps on real dates."""

from chains.schedule.capacity import (
    DEFAULT_CAPACITY,
    default_capacity,
    parse_capacity,
    resolve_capacity,
)
from chains.schedule.knowledge import load_schedule_knowledge
from chains.schedule.planner import plan_schedule
from chains.schedule.records import Holiday, Milestone, ReviewSeries, Schedule, ScheduledTask
from chains.schedule.summary import summarize
from chains.schedule.templates import find_cycle
from chains.schedule.workdays import (
    REGION_EXAMPLES,
    WorkCalendar,
    region_choices,
    scenario_region,
)

__all__ = [
    "DEFAULT_CAPACITY",
    "REGION_EXAMPLES",
    "Holiday",
    "Milestone",
    "ReviewSeries",
    "Schedule",
    "ScheduledTask",
    "WorkCalendar",
    "default_capacity",
    "find_cycle",
    "load_schedule_knowledge",
    "parse_capacity",
    "plan_schedule",
    "region_choices",
    "resolve_capacity",
    "scenario_region",
    "summarize",
]
