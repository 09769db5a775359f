"""Recurring step-7 reviews after the plan, as dates and as one RFC 5545 RRULE.

A review recurs on the n-th weekday of the month (e.g. "second Tuesday, every three
months"), a pattern Outlook and Google Calendar both offer natively. The first review
falls ``interval_months`` after the month in which the plan ends. The pattern is chosen
deterministically (second Tuesday first, then other mid-week days) so that no occurrence
lands on a public holiday of the region or on the day of another review series.
"""

from __future__ import annotations

from datetime import date, timedelta

from chains.schedule.records import ReviewSeries
from chains.schedule.workdays import WorkCalendar
from knowledge.common import Lang
from knowledge.plan import ReviewTemplate

_WEEKDAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4}
# Preference order: mid-week, second week (avoids month-start holidays like 1/2 January).
_PATTERNS = [(n, wd) for n in (2, 3, 1, 4) for wd in ("TU", "WE", "TH", "MO", "FR")]


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def nth_weekday(year: int, month: int, n: int, weekday: int) -> date:
    """The n-th (1-4) given weekday (Monday = 0) of a month."""
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def plan_review(
    template: ReviewTemplate,
    plan_end: date,
    calendar: WorkCalendar,
    lang: Lang,
    requirement_ids: tuple[str, ...],
    taken: frozenset[date] = frozenset(),
) -> ReviewSeries:
    """Dates and RRULE of one review series starting after ``plan_end``.

    ``taken`` holds dates of earlier series, so two reviews do not share a day.
    """
    months = [
        _add_months(plan_end.year, plan_end.month, template.interval_months * (k + 1))
        for k in range(template.occurrences)
    ]
    chosen: tuple[tuple[date, ...], str] | None = None
    for n, code in _PATTERNS:
        dates = tuple(nth_weekday(y, m, n, _WEEKDAYS[code]) for y, m in months)
        if all(calendar.is_working_day(d) and d not in taken for d in dates):
            chosen = dates, f"{n}{code}"
            break
    if chosen is None:  # practically unreachable; keep the preferred pattern
        n, code = _PATTERNS[0]
        chosen = tuple(nth_weekday(y, m, n, _WEEKDAYS[code]) for y, m in months), f"{n}{code}"
    dates, byday = chosen
    rrule = (
        f"FREQ=MONTHLY;INTERVAL={template.interval_months};"
        f"COUNT={template.occurrences};BYDAY={byday}"
    )
    return ReviewSeries(
        id=template.id,
        title=template.title.get(lang),
        role=template.role,
        interval_months=template.interval_months,
        dates=dates,
        rrule=rrule,
        requirement_ids=requirement_ids,
    )
