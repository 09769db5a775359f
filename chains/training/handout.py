"""Handouts per audience: do's and don'ts for the chosen service, each with its source.

Statements come from ``data/training/handout.yaml`` (chosen by audience and scenario facts,
``{service}``/``{contact}`` filled in), quotes from the company's own policy (see
``policy.py``). A statement whose cited passage does not support it is left out and
reported, like a quiz question: a handout line without a source would be a rumour.
"""

from __future__ import annotations

import re

from chains.training.policy import PolicyEvidence
from chains.training.postcheck import check_support
from chains.training.records import Handout, HandoutItem, HandoutSection
from chains.training.sources import resolve_source
from knowledge.catalog import RequirementCatalog
from knowledge.common import Lang
from knowledge.scenario import Scenario, ServiceType
from knowledge.training import AUDIENCE_NAMES, Audience, HandoutStatement, TrainingKnowledge

_PLACEHOLDER = re.compile(r"\{(service|contact)\}")

SERVICE_TYPES: dict[ServiceType, dict[str, str]] = {
    ServiceType.CHATBOT: {"de": "KI-Chatbot", "en": "AI chatbot"},
    ServiceType.DOCUMENT_ANALYSIS: {"de": "KI-Dokumentenanalyse", "en": "AI document analysis"},
    ServiceType.WRITING_ASSISTANT: {"de": "KI-Schreibassistent", "en": "AI writing assistant"},
    ServiceType.CODE_ASSISTANT: {"de": "Code-Assistent", "en": "code assistant"},
    ServiceType.AGENT_WITH_TOOLS: {"de": "KI-Agent", "en": "AI agent"},
    ServiceType.OTHER: {"de": "KI-Dienst", "en": "AI service"},
}
TITLE = {"de": "Merkblatt KI-Nutzung: {audience}", "en": "AI use quick reference: {audience}"}
DROPPED = {
    "de": "Merkblatt-Aussage {id} ausgelassen: Quelle stützt sie nicht ({reason}).",
    "en": "Handout statement {id} left out: its source does not support it ({reason}).",
}


def service_label(scenario: Scenario, lang: Lang) -> str:
    """The vendor's name if chosen, else the kind of service."""
    svc = scenario.ai_service
    kind = SERVICE_TYPES[svc.type][lang]
    return f"{svc.vendor} ({kind})" if svc.vendor else kind


def fill(text: str, service: str, contact: str) -> str:
    return _PLACEHOLDER.sub(lambda m: service if m.group(1) == "service" else contact, text)


def statements_for(
    knowledge: TrainingKnowledge,
    audience: Audience,
    facts: frozenset[str],
    catalog: RequirementCatalog,
) -> list[HandoutStatement]:
    """Statements for this audience whose facts hold and whose requirement applies."""
    out = []
    for s in knowledge.statements:
        if audience not in s.audiences or not s.applies(facts):
            continue
        req = s.source.requirement
        if req is not None and (req not in catalog or not catalog.get(req).applies(facts)):
            continue
        out.append(s)
    return out


def build_handout(
    audience: Audience,
    scenario: Scenario,
    knowledge: TrainingKnowledge,
    catalog: RequirementCatalog,
    lang: Lang,
    contact: str,
    evidence: PolicyEvidence,
) -> tuple[Handout, list[str]]:
    """The handout and the notes about statements left out."""
    facts = scenario.facts()
    service = service_label(scenario, lang)
    chosen = statements_for(knowledge, audience, facts, catalog)
    notes: list[str] = []
    sections: list[HandoutSection] = []
    for topic in knowledge.topics:
        items: list[HandoutItem] = []
        for statement in (s for s in chosen if s.topic == topic.id):
            source = resolve_source(statement.source, lang, knowledge, catalog)
            template = statement.text.get(lang)
            support = check_support(
                source.passage if source else None, _PLACEHOLDER.sub(" ", template), "", lang
            )
            if source is None or not support.ok:
                notes.append(DROPPED[lang].format(id=statement.id, reason=support.reason))
                continue
            items.append(
                HandoutItem(statement.kind, fill(template, service, contact), source, statement.id)
            )
        if items:
            items.extend(evidence.for_topic(topic.id))
            sections.append(HandoutSection(topic.id, topic.title.get(lang), tuple(items)))
    documents = tuple(
        dict.fromkeys(
            item.source.file or item.source.label
            for section in sections
            for item in section.items
            if item.kind == "policy"
        )
    )
    handout = Handout(
        audience=audience,
        title=TITLE[lang].format(audience=AUDIENCE_NAMES[audience][lang]),
        service=service,
        contact=contact,
        sections=tuple(sections),
        policy_documents=documents,
    )
    return handout, notes
