"""The prose parts: the scenario as understood, what is at stake, the key open points.

All text is assembled from the scenario and the statuses, never generated freely, so the
management summary says exactly what the tables below it say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from chains.requirements.priority import risk_drivers
from chains.requirements.records import DraftedRequirement, KeyPoint, ManagementSummary, Status
from chains.requirements.texts import (
    DATA_NAMES,
    DEPLOYMENT_NAMES,
    INTEGRATION_NAMES,
    RISK_NAMES,
    SERVICE_TYPE_NAMES,
    USERS_NAMES,
    fact_name,
    join,
    priority_name,
    status_name,
)
from knowledge.catalog import Priority
from knowledge.common import Lang
from knowledge.scenario import Scenario

KEY_POINTS = 5
_STATUS_RANK = {Status.CONFLICTING: 0, Status.OPEN: 1, Status.PARTLY: 2, Status.COVERED: 3}
_PRIORITY_RANK = {Priority.MUST: 0, Priority.SHOULD: 1, Priority.MAY: 2}

# What can go wrong, per scenario fact: the "what is at stake" sentence.
_STAKES: dict[str, dict[Lang, str]] = {
    "personal_data": {
        "de": "Verstösse gegen das Datenschutzrecht (DSG, allenfalls DSGVO)",
        "en": "breaches of data protection law (FADP, possibly GDPR)",
    },
    "sensitive_personal_data": {
        "de": "Offenlegung besonders schützenswerter Personendaten",
        "en": "disclosure of sensitive personal data",
    },
    "trade_secrets": {"de": "Abfluss von Geschäftsgeheimnissen", "en": "leakage of trade secrets"},
    "data_outside_ch_eu": {
        "de": "eine unzulässige Bekanntgabe von Daten ins Ausland",
        "en": "an unlawful transfer of data abroad",
    },
    "customer_facing": {
        "de": "Reputationsschäden durch falsche oder manipulierte Antworten an Kundschaft",
        "en": "reputational damage from wrong or manipulated answers to customers",
    },
    "agent_with_tools": {
        "de": "ungewollte Aktionen des Agenten in Geschäftssystemen",
        "en": "unintended actions by the agent in business systems",
    },
    "system_integration": {
        "de": "Fehler, die sich in angebundene Systeme fortpflanzen",
        "en": "errors propagating into connected systems",
    },
}


K = TypeVar("K")


def _names(items: Sequence[K], table: Mapping[K, Mapping[Lang, str]], lang: Lang) -> str:
    return join([table[i][lang] for i in items], lang)


def scenario_text(scenario: Scenario, lang: Lang) -> str:
    """The scenario in a few plain sentences, so a reader can check it was understood."""
    c, svc = scenario.company, scenario.ai_service
    de = lang == "de"
    where = c.country + (f"-{c.canton_or_state}" if c.canton_or_state else "")
    vendor = svc.vendor or ("noch nicht gewählt" if de else "not chosen yet")
    data = _names(scenario.data, DATA_NAMES, lang) or ("keine Angabe" if de else "not stated")
    integrations = _names(scenario.integrations, INTEGRATION_NAMES, lang) or (
        "keine" if de else "none"
    )
    facts = join([fact_name(f, lang) for f in sorted(scenario.facts())], lang)
    level = RISK_NAMES[scenario.risk_level()][lang]
    drivers = join([fact_name(f, lang) for f in risk_drivers(scenario)], lang)
    industry = f", {c.industry}" if c.industry else ""
    if de:
        parts = [
            f"{c.name} ({c.employees} Mitarbeitende{industry}, {where}) plant: "
            f"{svc.purpose.strip()}",
            f"Art des Dienstes: {SERVICE_TYPE_NAMES[svc.type][lang]}; Anbieter: {vendor}; "
            f"Betrieb: {DEPLOYMENT_NAMES[svc.deployment][lang]}.",
            f"Bearbeitete Daten: {data}. Anbindungen: {integrations}. "
            f"Nutzende: {USERS_NAMES[scenario.users][lang]}. "
            f"Sprachen: {', '.join(scenario.languages)}.",
            f"Daraus abgeleitete Merkmale: {facts}.",
            f"Risikostufe: {level}" + (f" ({drivers})." if drivers else "."),
        ]
    else:
        parts = [
            f"{c.name} ({c.employees} employees{industry}, {where}) plans: {svc.purpose.strip()}",
            f"Type of service: {SERVICE_TYPE_NAMES[svc.type][lang]}; vendor: {vendor}; "
            f"operation: {DEPLOYMENT_NAMES[svc.deployment][lang]}.",
            f"Data processed: {data}. Integrations: {integrations}. "
            f"Users: {USERS_NAMES[scenario.users][lang]}. "
            f"Languages: {', '.join(scenario.languages)}.",
            f"Characteristics derived: {facts}.",
            f"Risk level: {level}" + (f" ({drivers})." if drivers else "."),
        ]
    if scenario.notes.strip():
        parts.append(("Notizen: " if de else "Notes: ") + scenario.notes.strip())
    text = " ".join(p if p.endswith((".", "!", "?")) else p + "." for p in parts)
    return " ".join(text.split())


def key_points(reqs: Sequence[DraftedRequirement], lang: Lang) -> tuple[KeyPoint, ...]:
    """The five most important unresolved requirements: conflicts first, then MUSTs."""
    pending = [r for r in reqs if r.status != Status.COVERED]
    ranked = sorted(
        pending,
        key=lambda r: (
            _STATUS_RANK[r.status],
            _PRIORITY_RANK[r.priority],
            r.priority_reason is None,
            r.step,
            r.id,
        ),
    )
    return tuple(
        KeyPoint(
            requirement_id=r.id,
            title=r.title,
            priority=r.priority,
            status=r.status,
            text=r.status_reason,
        )
        for r in ranked[:KEY_POINTS]
    )


def management_summary(
    scenario: Scenario, reqs: Sequence[DraftedRequirement], lang: Lang
) -> ManagementSummary:
    counts = {s: sum(1 for r in reqs if r.status == s) for s in Status}
    musts = sum(1 for r in reqs if r.priority == Priority.MUST)
    facts = scenario.facts()
    stakes = [_STAKES[f][lang] for f in _STAKES if f in facts]
    svc = SERVICE_TYPE_NAMES[scenario.ai_service.type][lang]
    level = RISK_NAMES[scenario.risk_level()][lang]
    tally = join([f"{counts[s]} {status_name(s, lang)}" for s in Status], lang)
    must = priority_name(Priority.MUST, lang)
    if lang == "de":
        text = (
            f"{scenario.company.name} will einen {svc} einführen; die Risikostufe ist "
            f"{level}. Von {len(reqs)} Anforderungen ({musts} davon {must}) sind {tally}."
        )
        if stakes:
            text += f" Auf dem Spiel stehen {join(stakes, lang)}."
        text += (
            " Die offenen und widersprüchlichen MUSS-Punkte sind vor dem Go-live zu "
            "klären; die fünf wichtigsten stehen unten."
        )
    else:
        text = (
            f"{scenario.company.name} wants to introduce a {svc}; the risk level is "
            f"{level}. Of {len(reqs)} requirements ({musts} of them {must}), {tally}."
        )
        if stakes:
            text += f" At stake are {join(stakes, lang)}."
        text += (
            " Open and conflicting MUST points need to be settled before go-live; the "
            "five most important are listed below."
        )
    return ManagementSummary(at_stake=text, status_counts=counts, key_points=key_points(reqs, lang))
