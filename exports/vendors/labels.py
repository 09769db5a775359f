"""Words and colours shared by every vendor-comparison writer, so all formats read alike."""

from __future__ import annotations

from chains.vendors.records import (
    STATUS_SYMBOLS,
    Status,
    VendorComparison,
    format_points,
    status_label,
)
from knowledge.common import Lang

# Traffic-light fills (background, text), the same in XLSX, DOCX and the app.
STATUS_COLOURS: dict[Status, tuple[str, str]] = {
    Status.FULFILLED: ("#C6EFCE", "#006100"),
    Status.PARTLY: ("#FFEB9C", "#7F6000"),
    Status.NOT_FULFILLED: ("#FFC7CE", "#9C0006"),
    Status.NOT_FOUND: ("#E7E6E6", "#404040"),
    Status.CONTRADICTORY: ("#F8CBAD", "#833C0B"),
}

_LABELS: dict[str, dict[str, str]] = {
    "title": {"de": "Anbietervergleich", "en": "Vendor comparison"},
    "workspace": {"de": "Arbeitsbereich", "en": "Workspace"},
    "scenario": {"de": "Szenario", "en": "Scenario"},
    "weights_default": {
        "de": "Standardkriterien und -gewichte",
        "en": "Default criteria and weights",
    },
    "criterion": {"de": "Kriterium", "en": "Criterion"},
    "criterion_id": {"de": "Kriterium-ID", "en": "Criterion id"},
    "weight": {"de": "Gewicht", "en": "Weight"},
    "vendor": {"de": "Anbieter", "en": "Vendor"},
    "status": {"de": "Status", "en": "Status"},
    "points": {
        "de": "Punkte (0–100, belegte Kriterien)",
        "en": "Points (0–100, documented criteria)",
    },
    "coverage": {"de": "Belegte Kriterien", "en": "Documented criteria"},
    "unknowns": {"de": "Offene Fragen", "en": "Open questions"},
    "documents": {"de": "Dokumente", "en": "Documents"},
    "matrix": {"de": "Matrix", "en": "Matrix"},
    "evidence": {"de": "Fundstellen", "en": "Evidence"},
    "recommendation": {"de": "Empfehlung", "en": "Recommendation"},
    "criteria": {"de": "Kriterien", "en": "Criteria"},
    "questions": {"de": "Offene Fragen an die Anbieter", "en": "Open questions for the vendors"},
    "no_questions": {"de": "Keine offenen Fragen.", "en": "No open questions."},
    "legend": {"de": "Legende", "en": "Legend"},
    "aspect": {"de": "Teilaspekt", "en": "Aspect"},
    "says": {"de": "Aussage", "en": "Statement"},
    "text": {"de": "Text", "en": "Text"},
    "source": {"de": "Quelle", "en": "Source"},
    "page": {"de": "Seite", "en": "Page"},
    "section": {"de": "Abschnitt", "en": "Section"},
    "rule": {"de": "Regel und Einschränkungen", "en": "Rule and qualifiers"},
    "relevance": {"de": "Relevanz", "en": "Relevance"},
    "related": {
        "de": "Verwandte Stelle ohne klare Aussage",
        "en": "Related passage, no clear statement",
    },
    "no_evidence": {
        "de": "In den Dokumenten nicht gefunden – beim Anbieter nachfragen.",
        "en": "Not found in the documents – ask the vendor.",
    },
    "requirements": {"de": "Anforderungen", "en": "Requirements"},
    "description": {"de": "Was zählt", "en": "What counts"},
    "question": {"de": "Frage an den Anbieter", "en": "Question for the vendor"},
    "aspects": {"de": "Teilaspekte", "en": "Aspects"},
}


def label(comparison: VendorComparison, key: str) -> str:
    return _LABELS[key][comparison.lang]


def text_for(key: str, lang: Lang) -> str:
    return _LABELS[key][lang]


def cell_text(status: Status, lang: Lang) -> str:
    """Symbol and word ("✔ erfüllt"), readable without colour too."""
    return f"{STATUS_SYMBOLS[status]} {status_label(status, lang)}"


def legend(lang: Lang) -> str:
    return " · ".join(cell_text(s, lang) for s in Status)


def points(comparison: VendorComparison, vendor: str) -> str:
    return format_points(comparison.summary(vendor).score, comparison.lang)


def subtitle(comparison: VendorComparison) -> str:
    """Workspace and where the criteria came from, one line."""
    parts = [f"{label(comparison, 'workspace')}: {comparison.workspace}"]
    if comparison.scenario:
        parts.append(f"{label(comparison, 'scenario')}: {comparison.scenario}")
    else:
        parts.append(label(comparison, "weights_default"))
    return " · ".join(parts)


def coverage(comparison: VendorComparison, vendor: str) -> str:
    summary = comparison.summary(vendor)
    n = len(comparison.criteria)
    return f"{n - len(summary.unknowns)}/{n}"
