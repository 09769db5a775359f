"""The planned schedule as immutable records, ready for the UI and the exporters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from knowledge.common import Lang
from knowledge.plan import Role


@dataclass(frozen=True)
class ScheduledTask:
    """One task with real dates; ``work`` holds the person-days booked on each working day."""

    id: str
    step: int
    title: str
    role: Role
    start: date
    end: date
    effort_days: float
    depends_on: tuple[str, ...]
    requirement_ids: tuple[str, ...]
    deliverable: str
    work: tuple[tuple[date, float], ...] = ()


@dataclass(frozen=True)
class Milestone:
    """End of a step: the last working day on which one of its tasks is worked."""

    step: int
    title: str
    date: date


@dataclass(frozen=True)
class ReviewSeries:
    """A recurring step-7 review; ``rrule`` expands to exactly ``dates`` (RFC 5545)."""

    id: str
    title: str
    role: Role
    interval_months: int
    dates: tuple[date, ...]
    rrule: str
    requirement_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Holiday:
    date: date
    name: str


@dataclass(frozen=True)
class Schedule:
    """A plan over working days of one region; ``fits`` says whether it meets ``target_days``.

    ``bottleneck_role`` is the role with the highest load per capacity (person-days of work
    divided by people x share); it is reported whether or not the plan fits.
    """

    company: str
    start: date
    end: date
    region: str
    lang: Lang
    target_days: int
    needed_working_days: int
    fits: bool
    bottleneck_role: Role | None
    role_load_days: Mapping[Role, float]
    capacity: Mapping[Role, float]
    tasks: tuple[ScheduledTask, ...]
    milestones: tuple[Milestone, ...]
    reviews: tuple[ReviewSeries, ...]
    holidays_in_range: tuple[Holiday, ...]
    working_days: tuple[date, ...]
    requested_start: date | None = None
    excluded_task_ids: tuple[str, ...] = ()

    @property
    def review_dates(self) -> tuple[date, ...]:
        """All review dates of all series, sorted."""
        return tuple(sorted({d for series in self.reviews for d in series.dates}))

    def task(self, task_id: str) -> ScheduledTask:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)
