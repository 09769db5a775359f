"""TrainingKit -> Markdown: the training plan and the handouts, every statement with its
source, for a wiki page or an e-mail. The quiz goes to DOCX and CSV instead."""

from __future__ import annotations

from chains.training.records import Handout, TrainingKit, TrainingSession
from exports.training.labels import (
    audience_name,
    fmt_date,
    heading,
    kind_label,
    label,
    role_name,
    session_name,
    subtitle,
    when,
)
from knowledge.common import Lang


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _session(session: TrainingSession, lang: Lang) -> list[str]:
    lines = [f"### {session_name(session, lang)}", ""]
    facts = [
        (label(lang, "date"), when(session, lang)),
        (label(lang, "audience"), audience_name(session.audience, lang)),
        (
            label(lang, "participants"),
            f"{session.participants} "
            f"({label(lang, 'max_participants', n=session.max_participants)})",
        ),
        (label(lang, "duration"), label(lang, "minutes", n=session.duration_minutes)),
        (label(lang, "lead"), role_name(session.lead, lang)),
    ]
    if session.support:
        facts.append(
            (label(lang, "support"), ", ".join(role_name(r, lang) for r in session.support))
        )
    if session.requirement_ids:
        facts.append((label(lang, "requirements"), ", ".join(session.requirement_ids)))
    facts.append((label(lang, "task"), session.task_id))
    lines += [f"- **{k}:** {v}" for k, v in facts]
    if session.parallel:
        lines.append(f"- ⚠ {label(lang, 'parallel')}")
    lines += ["", f"**{label(lang, 'goals')}**", ""]
    lines += [f"- {goal}" for goal in session.goals]
    lines += ["", f"**{label(lang, 'agenda')}**", ""]
    lines += [
        f"1. {item.topic} ({label(lang, 'minutes', n=item.minutes)})" for item in session.agenda
    ]
    return [*lines, ""]


def handout_markdown(handout: Handout, lang: Lang, level: int = 2) -> list[str]:
    """One handout: per topic the items, each followed by its source."""
    h = "#" * level
    lines = [
        f"{h} {handout.title}",
        "",
        f"- **{label(lang, 'service')}:** {handout.service}",
        f"- **{label(lang, 'contact')}:** {handout.contact}",
    ]
    if handout.policy_documents:
        lines.append(f"- **{label(lang, 'policy_docs')}:** {', '.join(handout.policy_documents)}")
    lines.append("")
    for section in handout.sections:
        lines += [f"{h}# {section.title}", ""]
        for item in section.items:
            text = f"«{item.text}»" if item.kind == "policy" else item.text
            lines.append(f"- **{kind_label(item.kind, lang)}:** {text}  ")
            lines.append(f"  _{label(lang, 'source')}: {_cell(item.source.label)}_")
        lines.append("")
    return lines


def to_markdown(kit: TrainingKit) -> bytes:
    lang = kit.lang
    lines = [f"# {heading(kit)}", "", subtitle(kit), ""]
    lines += [f"## {label(lang, 'plan')}", ""]
    if kit.plan.step5_days:
        days = ", ".join(fmt_date(d, lang) for d in kit.plan.step5_days)
        lines += [f"{label(lang, 'step5_days')}: {days}", ""]
    header = [label(lang, k) for k in ("date", "session", "audience", "lead", "duration")]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for s in kit.plan.sessions:
        row = [
            when(s, lang),
            session_name(s, lang),
            audience_name(s.audience, lang),
            role_name(s.lead, lang),
            label(lang, "minutes", n=s.duration_minutes),
        ]
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    lines.append("")
    for s in kit.plan.sessions:
        lines += _session(s, lang)
    lines += [f"## {label(lang, 'handouts')}", ""]
    for handout in kit.handouts:
        lines += handout_markdown(handout, lang, level=3)
    if kit.notes:
        lines += [f"## {label(lang, 'notes')}", ""]
        lines += [f"- {n}" for n in kit.notes]
        lines.append("")
    lines += ["---", f"_{label(lang, 'generated')}_", ""]
    return "\n".join(lines).encode("utf-8")
