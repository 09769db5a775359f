"""RequirementsDoc -> Markdown: summary, scenario, one table per step, details, questions."""

from __future__ import annotations

from chains.requirements.records import DraftedRequirement, RequirementsDoc
from chains.requirements.texts import category_name, priority_name, status_name
from core.inert import inert
from exports.requirements.labels import (
    citation,
    fmt_date,
    heading,
    label,
    risk_name,
    short_evidence,
    workspace_name,
)
from knowledge.common import STEPS


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _overview(doc: RequirementsDoc) -> list[str]:
    lang = doc.language
    cols = ["id", "priority", "requirement", "status", "evidence"]
    lines = [f"## {label(doc, 'overview')}", ""]
    for step, categories in sorted(doc.by_step().items()):
        lines += [f"### {label(doc, 'step')} {step}: {STEPS[step][lang]}", ""]
        for category, reqs in categories.items():
            lines += [f"#### {category_name(category, lang)}", ""]
            lines += [_row([label(doc, c) for c in cols]), "|" + "---|" * len(cols)]
            for r in reqs:
                ev = short_evidence(r.evidence[0], lang) if r.evidence else "–"
                lines.append(
                    _row(
                        [
                            r.id,
                            priority_name(r.priority, lang),
                            r.title,
                            status_name(r.status, lang),
                            ev,
                        ]
                    )
                )
            lines.append("")
    return lines


def _detail(doc: RequirementsDoc, r: DraftedRequirement) -> list[str]:
    lang = doc.language
    prio = priority_name(r.priority, lang)
    if r.priority_reason:
        prio += f" ({r.priority_reason})"
    lines = [
        f"### {r.id} {r.title}",
        "",
        f"- {label(doc, 'step')}: {r.step} · {label(doc, 'category')}: "
        f"{category_name(r.category, lang)}",
        f"- {label(doc, 'priority')}: {prio}",
        f"- {label(doc, 'status')}: **{status_name(r.status, lang)}**: {r.status_reason}",
        "",
        r.text,
        "",
        f"**{label(doc, 'rationale')}:** {r.rationale}",
        "",
        f"**{label(doc, 'verification')}:** {r.verification}",
        "",
    ]
    if r.evidence_expected:
        lines += [f"**{label(doc, 'evidence_expected')}:** {r.evidence_expected}", ""]
    lines.append(
        f"**{label(doc, 'evidence')}:**" + ("" if r.evidence else f" {label(doc, 'no_evidence')}")
    )
    lines += [f"- {citation(e, lang)}" for e in r.evidence]
    if r.references:
        lines += ["", f"**{label(doc, 'references')}:** {', '.join(r.references)}"]
    return [*lines, ""]


def to_markdown_text(doc: RequirementsDoc) -> str:
    lang = doc.language
    s = doc.summary
    lines = [
        f"# {heading(doc)}",
        "",
        f"{label(doc, 'workspace')}: {workspace_name(doc)} · {label(doc, 'generated')}: "
        f"{fmt_date(doc.generated, lang)} · {label(doc, 'risk')}: {risk_name(doc)}",
        "",
        f"## {label(doc, 'summary')}",
        "",
        s.at_stake,
        "",
        f"### {label(doc, 'key_points')}",
        "",
    ]
    lines += [
        f"{i}. **{p.requirement_id} {p.title}** ({priority_name(p.priority, lang)}, "
        f"{status_name(p.status, lang)}): {p.text}"
        for i, p in enumerate(s.key_points, start=1)
    ] or [label(doc, "no_key_points")]
    lines += ["", f"## {label(doc, 'scenario')}", "", doc.scenario_text, ""]
    lines += _overview(doc)
    lines += [f"## {label(doc, 'details')}", ""]
    for r in doc.requirements:
        lines += _detail(doc, r)
    lines += [f"## {label(doc, 'questions')}", ""]
    lines += [
        f"{i}. {q.text} ({q.requirement_id})" for i, q in enumerate(doc.open_questions, start=1)
    ] or [label(doc, "no_questions")]
    lines += ["", f"## {label(doc, 'sources')}", ""]
    lines += [
        f"- {src.source} ({src.vendor or src.category}): {src.citations} {label(doc, 'citations')}"
        for src in doc.sources
    ] or [label(doc, "no_sources")]
    lines += ["", f"_{label(doc, 'footer')}_", ""]
    return inert("\n".join(lines))  # quoted evidence may hold Markdown images


def to_markdown(doc: RequirementsDoc) -> bytes:
    return to_markdown_text(doc).encode("utf-8")
