"""Decide a requirement's status from its evidence (the rules, in order).

"Deciding" evidence is strongly relevant *and* specific (see ``scoring.py``); a risk cue
already names the topic, so a topical risk statement needs no specific stems.

1. **conflicting**: deciding vendor evidence contradicts the requirement (a gap or risk
   cue, see ``cues.py``). The conflict names the vendor.
2. **covered**: a deciding policy sentence mandates the measure, or every vendor
   considered makes a deciding supporting statement *and* the requirement is one a
   vendor can satisfy (``VENDOR_CATEGORIES``).
3. **partly**: any other evidence above the weak threshold (a weak match, a policy
   that mentions but does not mandate, one of several vendors, a weaker conflict).
4. **open**: nothing relevant in the workspace's policy and vendor documents.
"""

from __future__ import annotations

from collections.abc import Sequence

from chains.requirements.cues import RISKS
from chains.requirements.evidence import ScoredEvidence
from chains.requirements.records import Evidence, Stance, Status
from chains.requirements.texts import join
from knowledge.catalog import Category
from knowledge.common import Lang

# Categories in which a vendor's own commitment can satisfy a requirement; also the
# categories whose open points become questions for the vendor.
VENDOR_CATEGORIES = frozenset(
    {
        Category.VENDOR_MANAGEMENT,
        Category.DATA_PROTECTION,
        Category.SECURE_INTEGRATION,
        Category.ACCESS_CONTROL,
        Category.LOGGING_MONITORING,
        Category.INCIDENT_RESPONSE,
        Category.PROMPT_INJECTION_OUTPUT,
    }
)

QUOTE_CHARS = 160
RISK_CUES = frozenset(f.name for f in RISKS)


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """«text», cut at a word boundary."""
    if len(text) > limit:
        text = text[: text.rfind(" ", 0, limit)].rstrip(" ,;:") + " …"
    return f"«{text}»"


def where(ev: Evidence, lang: Lang) -> str:
    """``file.md, 8.1 Schulung`` / ``file.pdf, S. 3, Heading``: a short citation."""
    parts = [ev.source]
    if ev.page is not None:
        parts.append(f"{'S.' if lang == 'de' else 'p.'} {ev.page}")
    if ev.section:
        parts.append(ev.section.split(" › ")[-1])
    return ", ".join(parts)


def decide(
    category: Category,
    evidence: Sequence[ScoredEvidence],
    vendors: Sequence[str],
    lang: Lang,
) -> tuple[Status, str]:
    """Status and a one-sentence reason that cites the deciding evidence."""
    de = lang == "de"
    conflicts = [
        e
        for e in evidence
        if e.evidence.stance == Stance.CONTRADICTS
        and e.strong
        and (e.specific or e.reading.cue in RISK_CUES)
    ]
    if conflicts:
        ev = conflicts[0].evidence
        who = ev.vendor or ev.source
        return Status.CONFLICTING, (
            f"{who} widerspricht ({where(ev, lang)}): {quote(ev.text)}"
            if de
            else f"{who} contradicts it ({where(ev, lang)}): {quote(ev.text)}"
        )
    mandates = [
        e
        for e in evidence
        if e.strong and e.specific and e.reading.mandates and e.evidence.category == "policy"
    ]
    if mandates:
        ev = mandates[0].evidence
        return Status.COVERED, (
            f"Die Richtlinie schreibt es vor ({where(ev, lang)})."
            if de
            else f"The policy mandates it ({where(ev, lang)})."
        )
    vendor_support = [
        e
        for e in evidence
        if e.strong
        and e.specific
        and e.evidence.category == "vendor"
        and e.evidence.stance == Stance.SUPPORTS
    ]
    supporting = sorted({e.evidence.vendor or e.evidence.source for e in vendor_support})
    if vendor_support and category in VENDOR_CATEGORIES and set(vendors) <= set(supporting):
        ev = vendor_support[0].evidence
        many = len(supporting) > 1
        return Status.COVERED, (
            f"{join(supporting, lang)} sicher{'n' if many else 't'} es zu ({where(ev, lang)})."
            if de
            else f"{join(supporting, lang)} commit{'' if many else 's'} to it ({where(ev, lang)})."
        )
    if evidence:
        ev = evidence[0].evidence
        return Status.PARTLY, _partly_reason(evidence, supporting, vendors, ev, lang)
    return Status.OPEN, (
        "Keine Aussage in den Richtlinien und Anbieterunterlagen des Arbeitsbereichs."
        if de
        else "Nothing on this in the workspace's policies and vendor documents."
    )


def _partly_reason(
    evidence: Sequence[ScoredEvidence],
    supporting: list[str],
    vendors: Sequence[str],
    ev: Evidence,
    lang: Lang,
) -> str:
    de = lang == "de"
    contra = [e.evidence for e in evidence if e.evidence.stance == Stance.CONTRADICTS]
    if contra:
        who = contra[0].vendor or contra[0].source
        return (
            f"Möglicher Widerspruch bei {who} ({where(contra[0], lang)}): prüfen."
            if de
            else f"Possible contradiction at {who} ({where(contra[0], lang)}): check."
        )
    if supporting and set(vendors) - set(supporting):
        missing = join(sorted(set(vendors) - set(supporting)), lang)
        return (
            f"Nur {join(supporting, lang)} äussert sich dazu; bei {missing} offen."
            if de
            else f"Only {join(supporting, lang)} addresses it; open for {missing}."
        )
    return (
        f"Hinweise vorhanden ({where(ev, lang)}), aber nicht verbindlich geregelt."
        if de
        else f"Mentioned ({where(ev, lang)}), but not bindingly settled."
    )
