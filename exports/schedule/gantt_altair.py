"""Schedule -> interactive Gantt chart as an Altair (Vega-Lite) spec, for the app.

Same words and step colours as the PNG (``chart.py``): bars from first to last working
day of each task, coloured by step (click the legend to highlight a step), milestones as
diamonds on a row of their own, weekends and holidays shaded, holidays named. Tooltips
carry role, dates, effort and requirement ids. Zoom and pan along the time axis.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from chains.schedule.records import Schedule
from exports.schedule.labels import STEP_COLOURS, fmt_date, label, role_name, step_name

ROW_HEIGHT = 22
_OFF = "#ECECEC"
_HOLIDAY = "#D0D0D0"


def _iso(day: date) -> str:
    return day.isoformat()


def _rows(schedule: Schedule) -> tuple[list[str], list[dict[str, Any]]]:
    lang = schedule.lang
    order = [label(schedule, "milestones")]
    bars = []
    for task in schedule.tasks:
        row = f"{task.id} {task.title[:55]}{'…' if len(task.title) > 55 else ''}"
        order.append(row)
        bars.append(
            {
                "row": row,
                "start": _iso(task.start),
                "end": _iso(task.end + timedelta(days=1)),
                "step": f"{task.step} {step_name(task.step, lang)}",
                "task": f"{task.id}: {task.title}",
                "role": role_name(task.role, lang),
                "from": fmt_date(task.start, lang),
                "to": fmt_date(task.end, lang),
                "effort": round(task.effort_days, 2),
                "requirements": ", ".join(task.requirement_ids) or "–",
                "deliverable": task.deliverable,
            }
        )
    return order, bars


def _off_days(schedule: Schedule, first: date, last: date) -> list[dict[str, Any]]:
    holidays = {h.date: h.name for h in schedule.holidays_in_range}
    out = []
    day = first
    while day <= last:
        if day.weekday() >= 5 or day in holidays:
            out.append(
                {
                    "start": _iso(day),
                    "end": _iso(day + timedelta(days=1)),
                    "name": holidays.get(day, label(schedule, "weekend_holiday")),
                    "holiday": day in holidays,
                    "date": fmt_date(day, schedule.lang),
                }
            )
        day += timedelta(days=1)
    return out


def _inline(values: list[dict[str, Any]]) -> Any:
    """Inline data rows (altair's ``Data`` is untyped, hence one place to say so)."""
    import altair as alt

    return alt.Data(values=values)  # type: ignore[no-untyped-call]


def gantt_chart(schedule: Schedule) -> Any:
    """An ``alt.LayerChart``; altair is imported here so the CLI never pays for it."""
    import altair as alt

    lang = schedule.lang
    order, bars = _rows(schedule)
    first = min([schedule.start, *(m.date for m in schedule.milestones)])
    last = max([schedule.end, *schedule.working_days[-1:], *(m.date for m in schedule.milestones)])
    steps = [f"{s} {step_name(s, lang)}" for s in sorted(STEP_COLOURS)]
    time_fmt = "%d.%m." if lang == "de" else "%d %b"
    x_scale = alt.Scale(type="utc", domain=[_iso(first), _iso(last + timedelta(days=1))])
    x_axis = alt.Axis(format=time_fmt, title=None, labelAngle=-90, tickCount="day")
    y = alt.Y(
        "row:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelLimit=340, labelOverlap=False, labelFontSize=10),
    )

    off = (
        alt.Chart(_inline(_off_days(schedule, first, last)))
        .mark_rect()
        .encode(
            x=alt.X("start:T", scale=x_scale, axis=x_axis),
            x2="end:T",
            color=alt.condition("datum.holiday", alt.value(_HOLIDAY), alt.value(_OFF)),
            tooltip=[
                alt.Tooltip("date:N", title=label(schedule, "start")),
                alt.Tooltip("name:N", title=label(schedule, "holidays")),
            ],
        )
    )
    holiday_names = (
        alt.Chart(
            _inline(
                [
                    {"mid": f"{_iso(h.date)}T12:00:00Z", "name": h.name}
                    for h in schedule.holidays_in_range
                    if first <= h.date <= last
                ]
            )
        )
        .mark_text(angle=270, align="right", baseline="middle", fontSize=9, color="#555555", dy=0)
        .encode(x=alt.X("mid:T", scale=x_scale), y=alt.value(4), text="name:N")
    )

    pick = alt.selection_point(fields=["step"], bind="legend")
    colour = alt.Color(
        "step:N",
        title=label(schedule, "step"),
        scale=alt.Scale(domain=steps, range=[STEP_COLOURS[s] for s in sorted(STEP_COLOURS)]),
        legend=alt.Legend(orient="bottom", columns=3, labelLimit=300),
    )
    tasks = (
        alt.Chart(_inline(bars))
        .mark_bar(cornerRadius=2, height=ROW_HEIGHT - 6)
        .encode(
            x=alt.X("start:T", scale=x_scale, axis=x_axis),
            x2="end:T",
            y=y,
            color=colour,
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.25)),
            tooltip=[
                alt.Tooltip("task:N", title=label(schedule, "task")),
                alt.Tooltip("role:N", title=label(schedule, "role")),
                alt.Tooltip("from:N", title=label(schedule, "start")),
                alt.Tooltip("to:N", title=label(schedule, "end")),
                alt.Tooltip("effort:Q", title=label(schedule, "effort")),
                alt.Tooltip("requirements:N", title=label(schedule, "requirements")),
                alt.Tooltip("deliverable:N", title=label(schedule, "deliverable")),
            ],
        )
        .add_params(pick)
    )

    marks = [
        {
            "row": order[0],
            "at": _iso(m.date + timedelta(days=1)),
            "title": m.title,
            "date": fmt_date(m.date, lang),
            "step": f"{m.step} {step_name(m.step, lang)}",
        }
        for m in schedule.milestones
    ]
    milestones = (
        alt.Chart(_inline(marks))
        .mark_point(
            shape="diamond", size=140, filled=True, stroke="black", strokeWidth=1, opacity=1
        )
        .encode(
            x=alt.X("at:T", scale=x_scale),
            y=y,
            color=colour,
            tooltip=[
                alt.Tooltip("title:N", title=label(schedule, "milestone")),
                alt.Tooltip("date:N", title=label(schedule, "end")),
            ],
        )
    )
    height = ROW_HEIGHT * len(order) + 20
    return (
        alt.layer(off, tasks, milestones, holiday_names)
        .properties(height=height)
        .interactive(bind_y=False)
    )
