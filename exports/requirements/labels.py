"""Words shared by every requirements writer, so all formats read alike."""

from __future__ import annotations

from chains.requirements.records import Evidence, RequirementsDoc, Stance
from chains.requirements.status import where
from chains.requirements.texts import RISK_NAMES
from core.formatting import fmt_date as fmt_date  # re-exported for the writers
from knowledge.common import Lang

LABELS: dict[Lang, dict[str, str]] = {
    "de": {
        "title": "Sicherheitsanforderungen für die KI-Integration",
        "company": "Firma",
        "workspace": "Arbeitsbereich",
        "no_workspace": "(ohne Arbeitsbereich)",
        "generated": "Erstellt am",
        "risk": "Risikostufe",
        "toc": "Inhaltsverzeichnis",
        "toc_hint": "Inhaltsverzeichnis: in Word mit Rechtsklick › Feld aktualisieren erzeugen.",
        "summary": "Management-Zusammenfassung",
        "key_points": "Die fünf wichtigsten offenen Punkte",
        "no_key_points": "Keine offenen Punkte: alle Anforderungen sind abgedeckt.",
        "scenario": "Szenario, wie verstanden",
        "overview": "Übersicht nach Schritten",
        "step": "Schritt",
        "details": "Anforderungen im Detail",
        "questions": "Fragen an den Anbieter",
        "no_questions": "Keine offenen Fragen an einen Anbieter.",
        "sources": "Quellen",
        "no_sources": "Keine Richtlinien oder Anbieterunterlagen im Arbeitsbereich: "
        "alle Anforderungen sind offen.",
        "citations": "Zitate",
        "id": "ID",
        "category": "Kategorie",
        "priority": "Priorität",
        "requirement": "Anforderung",
        "text": "Anforderungstext",
        "status": "Status",
        "status_reason": "Begründung des Status",
        "evidence": "Belege",
        "no_evidence": "keine",
        "rationale": "Begründung",
        "verification": "Prüfung",
        "evidence_expected": "Erwartete Nachweise",
        "references": "Referenzen",
        "priority_reason": "Priorität angepasst",
        "owner": "Verantwortlich",
        "due": "Termin",
        "comment": "Bemerkung",
        "requirements_sheet": "Anforderungen",
        "questions_sheet": "Fragen an Anbieter",
        "sources_sheet": "Quellen",
        "summary_sheet": "Übersicht",
        "supports": "stützt",
        "contradicts": "widerspricht",
        "page": "S.",
        "document": "Dokument",
        "doc_category": "Art",
        "vendor": "Anbieter",
        "footer": "Erstellt mit KI-Lotse",
        "page_of": "Seite {page} von {pages}",
        "count": "Anzahl",
    },
    "en": {
        "title": "Security requirements for the AI integration",
        "company": "Company",
        "workspace": "Workspace",
        "no_workspace": "(no workspace)",
        "generated": "Generated on",
        "risk": "Risk level",
        "toc": "Table of contents",
        "toc_hint": "Table of contents: right-click › Update field in Word to build it.",
        "summary": "Management summary",
        "key_points": "The five most important open points",
        "no_key_points": "No open points: every requirement is covered.",
        "scenario": "The scenario as understood",
        "overview": "Overview by step",
        "step": "Step",
        "details": "Requirements in detail",
        "questions": "Questions for the vendor",
        "no_questions": "No open questions for a vendor.",
        "sources": "Sources",
        "no_sources": "No policies or vendor documents in the workspace: every requirement "
        "is open.",
        "citations": "Citations",
        "id": "ID",
        "category": "Category",
        "priority": "Priority",
        "requirement": "Requirement",
        "text": "Requirement text",
        "status": "Status",
        "status_reason": "Why this status",
        "evidence": "Evidence",
        "no_evidence": "none",
        "rationale": "Rationale",
        "verification": "Verification",
        "evidence_expected": "Expected evidence",
        "references": "References",
        "priority_reason": "Priority adjusted",
        "owner": "Owner",
        "due": "Due",
        "comment": "Comment",
        "requirements_sheet": "Requirements",
        "questions_sheet": "Vendor questions",
        "sources_sheet": "Sources",
        "summary_sheet": "Summary",
        "supports": "supports",
        "contradicts": "contradicts",
        "page": "p.",
        "document": "Document",
        "doc_category": "Kind",
        "vendor": "Vendor",
        "footer": "Created with KI-Lotse",
        "page_of": "Page {page} of {pages}",
        "count": "Count",
    },
}


def label(doc: RequirementsDoc, key: str) -> str:
    return LABELS[doc.language][key]


def heading(doc: RequirementsDoc) -> str:
    """``Sicherheitsanforderungen für die KI-Integration: Firma``."""
    return f"{label(doc, 'title')}: {doc.scenario.company.name}"


def citation(ev: Evidence, lang: Lang) -> str:
    """``«sentence» (file.md, Section; widerspricht)``: one evidence line."""
    stance = LABELS[lang]["contradicts" if ev.stance == Stance.CONTRADICTS else "supports"]
    return f"«{ev.text}» ({where(ev, lang)}; {stance})"


def short_evidence(ev: Evidence, lang: Lang, limit: int = 90) -> str:
    """A table cell: where, and the start of the sentence."""
    text = ev.text if len(ev.text) <= limit else ev.text[: ev.text.rfind(" ", 0, limit)] + " …"
    mark = "✗ " if ev.stance == Stance.CONTRADICTS else ""
    return f"{mark}{where(ev, lang)}: «{text}»"


def risk_name(doc: RequirementsDoc) -> str:
    return RISK_NAMES.get(doc.risk_level, {}).get(doc.language, doc.risk_level)


def workspace_name(doc: RequirementsDoc) -> str:
    return doc.workspace or label(doc, "no_workspace")
