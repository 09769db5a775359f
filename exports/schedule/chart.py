"""Schedule -> Gantt chart as PNG or SVG (matplotlib, Agg canvas, no pyplot state).

Bars are drawn per worked day, coloured by step; weekends and holidays are shaded,
holidays named; milestones are diamonds on a row of their own at the top.
"""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

from chains.schedule.records import Schedule
from chains.schedule.summary import summarize
from exports.schedule.labels import STEP_COLOURS, heading, label, step_name

_OFF = "#ECECEC"
_HOLIDAY = "#D9D9D9"


def _span(schedule: Schedule) -> tuple[date, date]:
    first = min([schedule.start, *(m.date for m in schedule.milestones)])
    last = max([*schedule.working_days[-1:], schedule.end, *(m.date for m in schedule.milestones)])
    return first, last


def _figure(schedule: Schedule) -> Any:
    # matplotlib is imported on use: it adds half a second to every CLI start otherwise.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    lang = schedule.lang
    tasks = list(schedule.tasks)
    first, last = _span(schedule)
    n_days = (last - first).days + 1
    rows = len(tasks) + 1
    fig = Figure(
        figsize=(max(10.0, 4.5 + n_days * 0.32), max(4.0, 1.6 + rows * 0.3)),
        dpi=110,
        layout="constrained",
    )
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    working = set(schedule.working_days)
    holidays = {h.date: h.name for h in schedule.holidays_in_range}

    def x_of(day: date) -> float:
        return float((day - first).days)

    for offset in range(n_days):
        day = first + timedelta(days=offset)
        if day in working or (day.weekday() < 5 and day not in holidays):
            continue
        x = x_of(day)
        ax.axvspan(x, x + 1, color=_HOLIDAY if day in holidays else _OFF, zorder=0, lw=0)
        if day in holidays:
            ax.text(
                x + 0.5,
                rows - 1.6,
                holidays[day],
                rotation=90,
                fontsize=6,
                ha="center",
                va="top",
                color="#555555",
                zorder=1,
            )
    for index, task in enumerate(tasks):
        y = rows - 1 - index - 1
        bars = [(x_of(day), 1.0) for day, _ in task.work]
        ax.broken_barh(
            bars,
            (y - 0.35, 0.7),
            facecolors=STEP_COLOURS[task.step],
            edgecolor="white",
            linewidth=0.5,
            zorder=2,
        )
    top = rows - 1
    by_day: dict[date, list[int]] = {}
    for m in schedule.milestones:
        by_day.setdefault(m.date, []).append(m.step)
    for day, steps in by_day.items():
        x = x_of(day) + 1
        for step in steps:
            ax.plot(
                [x],
                [top],
                marker="D",
                markersize=8,
                color=STEP_COLOURS[step],
                markeredgecolor="black",
                zorder=3,
            )
        text = "/".join(str(s) for s in steps)
        ax.text(x, top + 0.35, text, fontsize=7, ha="center", va="bottom", zorder=3)
    labels = [label(schedule, "milestones")] + [
        f"{t.id} {t.title[:48] + ('…' if len(t.title) > 48 else '')}" for t in tasks
    ]
    ax.set_yticks([rows - 1 - i for i in range(rows)], labels, fontsize=7)
    ax.set_ylim(-0.8, rows + 0.2)
    ax.set_xlim(0, n_days + 0.6)  # room for the last milestone diamond
    step = 1 if n_days <= 45 else 7
    ticks = list(range(0, n_days, step))
    pattern = "%d.%m." if lang == "de" else "%m-%d"
    ax.set_xticks(
        [t + 0.5 for t in ticks], [(first + timedelta(days=t)).strftime(pattern) for t in ticks]
    )
    ax.tick_params(axis="x", labelrotation=90, labelsize=7)
    ax.set_xticks(range(n_days + 1), minor=True)
    ax.grid(axis="x", which="minor", color="#DDDDDD", linewidth=0.4, zorder=0)
    ax.set_axisbelow(True)
    ax.set_title(f"{heading(schedule)}\n{summarize(schedule)}", fontsize=9, loc="left")
    handles = [Patch(color=STEP_COLOURS[s], label=f"{s} {step_name(s, lang)}") for s in range(1, 8)]
    handles.append(Patch(color=_OFF, label=label(schedule, "weekend_holiday")))
    fig.legend(handles=handles, fontsize=7, loc="outside lower center", ncol=4, frameon=False)
    return fig


def _render(schedule: Schedule, fmt: str) -> bytes:
    import matplotlib

    buffer = BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "ki-lotse", "svg.fonttype": "none"}):
        fig = _figure(schedule)
        metadata = {"Date": None} if fmt == "svg" else {"Software": "KI-Lotse"}
        fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def to_png(schedule: Schedule) -> bytes:
    return _render(schedule, "png")


def to_svg(schedule: Schedule) -> bytes:
    return _render(schedule, "svg")
