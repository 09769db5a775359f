"""VendorComparison -> Markdown: matrix, scores, recommendation, open questions, evidence."""

from __future__ import annotations

from chains.vendors.records import Evidence, Status, VendorComparison, status_label
from core.inert import inert
from exports.vendors.labels import cell_text, coverage, label, legend, points, subtitle


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _weight(value: float) -> str:
    return f"{value:g}"


def _evidence_line(comparison: VendorComparison, e: Evidence) -> list[str]:
    lang = comparison.lang
    said = status_label(e.verdict, lang) if e.verdict else label(comparison, "related")
    return [
        f"> {e.text}",
        f"> — *{e.citation(lang)}* · {said}" + (f" · {e.note}" if e.note else ""),
        "",
    ]


def to_markdown(comparison: VendorComparison) -> bytes:
    lang = comparison.lang
    vendors = comparison.vendors
    out = [f"# {label(comparison, 'title')}: {', '.join(vendors)}", "", subtitle(comparison), ""]
    out += [f"## {label(comparison, 'matrix')}", ""]
    out.append(
        "| "
        + " | ".join(
            [label(comparison, "criterion"), label(comparison, "weight"), *map(_cell, vendors)]
        )
        + " |"
    )
    out.append("|" + "---|" * (len(vendors) + 2))
    for c in comparison.criteria:
        cells = [cell_text(comparison.result(c.id, v).status, lang) for v in vendors]
        out.append(f"| {_cell(c.name)} | {_weight(c.weight)} | " + " | ".join(cells) + " |")
    out.append(
        f"| **{label(comparison, 'points')}** | | "
        + " | ".join(f"**{points(comparison, v)}**" for v in vendors)
        + " |"
    )
    out.append(
        f"| {label(comparison, 'coverage')} | | "
        + " | ".join(coverage(comparison, v) for v in vendors)
        + " |"
    )
    out += ["", f"{label(comparison, 'legend')}: {legend(lang)}", ""]
    out += [f"## {label(comparison, 'recommendation')}", "", comparison.recommendation, ""]
    out += [f"## {label(comparison, 'questions')}", ""]
    any_open = False
    for v in vendors:
        unknowns = comparison.summary(v).unknowns
        if not unknowns:
            continue
        any_open = True
        out += [f"### {v}", ""]
        for cid in unknowns:
            c = comparison.criterion(cid)
            status = status_label(comparison.result(cid, v).status, lang)
            out.append(f"- **{c.name}** ({status}): {c.question}")
        out.append("")
    if not any_open:
        out += [label(comparison, "no_questions"), ""]
    out += [f"## {label(comparison, 'evidence')}", ""]
    for c in comparison.criteria:
        out += [f"### {c.name}", "", f"*{c.description}*", ""]
        for v in vendors:
            r = comparison.result(c.id, v)
            head = f"**{v}: {cell_text(r.status, lang)}**"
            if r.aspects:
                head += (
                    " ("
                    + ", ".join(
                        f"{c.aspect_name(a)}: {status_label(s, lang)}" for a, s in r.aspects
                    )
                    + ")"
                )
            out += [head, ""]
            for e in r.evidence:
                out += _evidence_line(comparison, e)
            if not r.evidence:
                out += [label(comparison, "no_evidence"), ""]
                if r.status == Status.NOT_FOUND:
                    for e in r.related:
                        out += _evidence_line(comparison, e)
    out += [f"## {label(comparison, 'documents')}", ""]
    for v in vendors:
        out.append(f"- **{v}:** " + ", ".join(comparison.summary(v).documents))
    out.append("")
    return inert("\n".join(out)).encode("utf-8")  # quoted evidence may hold Markdown images
