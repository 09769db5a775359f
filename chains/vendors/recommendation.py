"""The recommendation text: who leads, what decides it, what must still be asked.

Rules, in the spirit of KIL-VEN-001 (a vendor failing a mandatory criterion drops out):
- A criterion of weight >= 3 (MUST) that is not fulfilled eliminates a vendor.
- Among the others, the best score leads; a lead under 10 points is "no clear lead".
- Deciding differences: criteria whose known statuses differ most, weighted.
- Open questions (not found, contradictory) are listed per vendor, never scored as zero.
"""

from __future__ import annotations

from collections.abc import Sequence

from chains.vendors.records import (
    STATUS_POINTS,
    CriterionInfo,
    CriterionResult,
    Status,
    VendorSummary,
    format_points,
    status_label,
)
from knowledge.common import Lang

MUST_WEIGHT = 3.0
CLEAR_LEAD = 10.0
MAX_DIFFERENCES = 3

_T: dict[str, dict[str, str]] = {
    "score": {
        "de": "{v}: {s} von 100 Punkten ({k} von {n} Kriterien belegt)",
        "en": "{v}: {s} of 100 points ({k} of {n} criteria documented)",
    },
    "no_score": {
        "de": "{v}: keine Bewertung möglich (kein Kriterium belegt)",
        "en": "{v}: no score possible (no criterion documented)",
    },
    "scores": {
        "de": "Punkte über die belegten Kriterien: {x}.",
        "en": "Points over the documented criteria: {x}.",
    },
    "lead": {
        "de": "Empfehlung: {v} liegt klar vorne und verfehlt kein Musskriterium.",
        "en": "Recommendation: {v} leads clearly and misses no mandatory criterion.",
    },
    "close": {
        "de": "Kein klarer Vorsprung zwischen {x}; die offenen Fragen entscheiden.",
        "en": "No clear lead between {x}; the open questions decide.",
    },
    "single": {
        "de": "Empfehlung: {v} ist der einzige Anbieter ohne nicht erfülltes Musskriterium.",
        "en": "Recommendation: {v} is the only vendor without a failed mandatory criterion.",
    },
    "none_left": {
        "de": "Kein Anbieter erfüllt alle Musskriterien; keiner ist ohne "
        "Nachverhandlung empfehlenswert.",
        "en": "No vendor meets all mandatory criteria; none is recommendable "
        "without renegotiation.",
    },
    "unscored": {
        "de": "Keine Empfehlung möglich: Die Dokumente belegen zu wenig.",
        "en": "No recommendation possible: the documents show too little.",
    },
    "differences": {"de": "Entscheidende Unterschiede: {x}.", "en": "Deciding differences: {x}."},
    "no_differences": {
        "de": "Bei den belegten Kriterien gibt es keine Unterschiede.",
        "en": "The documented criteria show no differences.",
    },
    "knockouts": {
        "de": "Musskriterien nicht erfüllt: {x}.",
        "en": "Mandatory criteria not met: {x}.",
    },
    "open": {
        "de": "Offene Fragen an die Anbieter (nicht als 0 gewertet): {x}.",
        "en": "Open questions for the vendors (not scored as 0): {x}.",
    },
    "no_open": {
        "de": "Keine offenen Fragen: Alle Kriterien sind in den Dokumenten belegt.",
        "en": "No open questions: every criterion is documented.",
    },
    "basis": {
        "de": "Grundlage sind nur die geladenen Anbieterdokumente. {w} Prüfen Sie die "
        "Fundstellen und lassen Sie Zusagen vertraglich festhalten.",
        "en": "Based only on the loaded vendor documents. {w} Check the cited passages "
        "and have commitments confirmed in the contract.",
    },
    "weights_default": {
        "de": "Kriterien und Gewichte sind die Standardwerte.",
        "en": "Criteria and weights are the defaults.",
    },
    "weights_scenario": {
        "de": "Kriterien und Gewichte folgen den Anforderungen des Szenarios «{x}».",
        "en": "Criteria and weights follow the requirements of the scenario “{x}”.",
    },
}


def _t(key: str, lang: Lang, **values: object) -> str:
    return _T[key][lang].format(**values)


def _quote(text: str, lang: Lang) -> str:
    return f"«{text}»" if lang == "de" else f"“{text}”"


def _join(items: Sequence[str], lang: Lang) -> str:
    if len(items) <= 1:
        return "".join(items)
    last = " und " if lang == "de" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def recommend(
    vendors: Sequence[str],
    criteria: Sequence[CriterionInfo],
    results: Sequence[CriterionResult],
    summaries: Sequence[VendorSummary],
    lang: Lang,
    scenario: str | None = None,
) -> str:
    """A few short paragraphs in ``lang`` (German or English)."""
    status = {(r.criterion_id, r.vendor): r.status for r in results}
    by_vendor = {s.vendor: s for s in summaries}
    n = len(criteria)
    lines = [
        _t(
            "scores",
            lang,
            x="; ".join(
                _t(
                    "score",
                    lang,
                    v=v,
                    s=format_points(by_vendor[v].score, lang),
                    k=n - len(by_vendor[v].unknowns),
                    n=n,
                )
                if by_vendor[v].score is not None
                else _t("no_score", lang, v=v)
                for v in vendors
            ),
        )
    ]
    knockouts = {
        v: [
            _quote(c.name, lang)
            for c in criteria
            if c.weight >= MUST_WEIGHT and status[(c.id, v)] == Status.NOT_FULFILLED
        ]
        for v in vendors
    }
    lines.append(_verdict(vendors, by_vendor, knockouts, lang))
    differences = _differences(vendors, criteria, status, lang)
    lines.append(
        _t("differences", lang, x="; ".join(differences))
        if differences
        else _t("no_differences", lang)
    )
    failed = [f"{v} – {_join(names, lang)}" for v, names in knockouts.items() if names]
    if failed:
        lines.append(_t("knockouts", lang, x="; ".join(failed)))
    names = {c.id: c.name for c in criteria}
    open_items = [
        f"{v}: {_join([_quote(names[c], lang) for c in by_vendor[v].unknowns], lang)}"
        for v in vendors
        if by_vendor[v].unknowns
    ]
    lines.append(_t("open", lang, x="; ".join(open_items)) if open_items else _t("no_open", lang))
    weights = _t("weights_scenario", lang, x=scenario) if scenario else _t("weights_default", lang)
    lines.append(_t("basis", lang, w=weights))
    return "\n\n".join(lines)


def _verdict(
    vendors: Sequence[str],
    summaries: dict[str, VendorSummary],
    knockouts: dict[str, list[str]],
    lang: Lang,
) -> str:
    remaining = [v for v in vendors if not knockouts[v] and summaries[v].score is not None]
    if not any(summaries[v].score is not None for v in vendors):
        return _t("unscored", lang)
    if not remaining:
        return _t("none_left", lang)
    if len(remaining) == 1:
        return _t("single", lang, v=remaining[0])
    ranked = sorted(remaining, key=lambda v: -(summaries[v].score or 0.0))
    first, second = ranked[0], ranked[1]
    lead = (summaries[first].score or 0.0) - (summaries[second].score or 0.0)
    if lead < CLEAR_LEAD:
        close = [
            v
            for v in ranked
            if (summaries[first].score or 0.0) - (summaries[v].score or 0.0) < CLEAR_LEAD
        ]
        return _t("close", lang, x=_join(close, lang))
    return _t("lead", lang, v=first)


def _differences(
    vendors: Sequence[str],
    criteria: Sequence[CriterionInfo],
    status: dict[tuple[str, str], Status],
    lang: Lang,
) -> list[str]:
    """Criteria whose known statuses spread most across vendors, times the weight."""
    spread: list[tuple[float, CriterionInfo]] = []
    for c in criteria:
        points = [STATUS_POINTS[status[(c.id, v)]] for v in vendors if status[(c.id, v)].known]
        if len(points) >= 2 and max(points) > min(points):
            spread.append(((max(points) - min(points)) * c.weight, c))
    spread.sort(key=lambda pair: -pair[0])
    out = []
    for _, c in spread[:MAX_DIFFERENCES]:
        cells = ", ".join(f"{v} {status_label(status[(c.id, v)], lang)}" for v in vendors)
        out.append(f"{c.name} ({cells})")
    return out
