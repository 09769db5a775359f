"""Schedule -> Markdown: a summary, one task table per step, milestones, reviews, holidays."""

from __future__ import annotations

from chains.schedule.records import Schedule
from chains.schedule.summary import summarize
from exports.schedule.labels import fmt_date, heading, label, role_name, step_name


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown_text(schedule: Schedule) -> str:
    lang = schedule.lang
    lines = [f"# {heading(schedule)}", "", f"**{summarize(schedule)}**", ""]
    team = ", ".join(
        f"{role_name(role, lang)} {value:g}" for role, value in schedule.capacity.items()
    )
    lines += [f"- {label(schedule, 'capacity')}: {team}", ""]
    cols = [
        "id",
        "task",
        "role",
        "start",
        "end",
        "effort",
        "depends",
        "requirements",
        "deliverable",
    ]
    for milestone in schedule.milestones:
        step = milestone.step
        lines += [f"## {label(schedule, 'step')} {step}: {step_name(step, lang)}", ""]
        tasks = [t for t in schedule.tasks if t.step == step]
        if tasks:
            lines.append("| " + " | ".join(label(schedule, c) for c in cols) + " |")
            lines.append("|" + "---|" * len(cols))
            for t in tasks:
                row = [
                    t.id,
                    t.title,
                    role_name(t.role, lang),
                    fmt_date(t.start, lang),
                    fmt_date(t.end, lang),
                    f"{t.effort_days:g}",
                    ", ".join(t.depends_on),
                    ", ".join(t.requirement_ids),
                    t.deliverable,
                ]
                lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
            lines.append("")
        lines += [f"{label(schedule, 'milestone')}: {fmt_date(milestone.date, lang)}", ""]
    lines += [f"## {label(schedule, 'milestones')}", ""]
    lines += [f"- {fmt_date(m.date, lang)}: {m.title}" for m in schedule.milestones]
    lines += ["", f"## {label(schedule, 'reviews')}", ""]
    for review in schedule.reviews:
        every = label(schedule, "every_months").format(n=review.interval_months)
        dates = ", ".join(fmt_date(d, lang) for d in review.dates)
        lines.append(f"- {review.title} ({role_name(review.role, lang)}, {every}): {dates}")
    if not schedule.reviews:
        lines.append(f"- {label(schedule, 'none')}")
    lines += ["", f"## {label(schedule, 'holidays')}", ""]
    lines += [f"- {fmt_date(h.date, lang)}: {h.name}" for h in schedule.holidays_in_range]
    if not schedule.holidays_in_range:
        lines.append(f"- {label(schedule, 'none')}")
    lines += ["", f"_{label(schedule, 'generated')}_", ""]
    return "\n".join(lines)


def to_markdown(schedule: Schedule) -> bytes:
    return to_markdown_text(schedule).encode("utf-8")
