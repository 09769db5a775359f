"""``build_training_kit``: the one service call behind the CLI, the page and the exports."""

from __future__ import annotations

import logging

from chains.schedule.records import Schedule
from chains.training.handout import build_handout, service_label
from chains.training.plan import plan_sessions
from chains.training.policy import NO_EVIDENCE, PolicySearch, find_policy_evidence
from chains.training.quiz import DEFAULT_QUESTIONS, build_quiz
from chains.training.records import TrainingKit
from core.settings import PACKAGE_ROOT
from knowledge.catalog import RequirementCatalog
from knowledge.common import Lang
from knowledge.scenario import Scenario
from knowledge.training import (
    AUDIENCE_NAMES,
    Audience,
    TrainingKnowledge,
    load_training_knowledge,
)

log = logging.getLogger(__name__)

ALL = "all"
# The order of audiences in a kit for "all": who is trained first comes first.
AUDIENCE_ORDER: tuple[Audience, ...] = (
    Audience.MANAGEMENT,
    Audience.IT,
    Audience.STAFF,
    Audience.DPO,
)
# Whom to call in an incident unless told otherwise: the guide's incident owner (step 4).
DEFAULT_CONTACT = {"de": "die IT-Leitung", "en": "the IT lead"}
FLAGGED_NOTE = {
    "de": "Nicht zitiert, weil die Stelle verdächtige Anweisungen enthält: {docs}.",
    "en": "Not quoted because the passage contains suspicious instructions: {docs}.",
}
NO_POLICY_NOTE = {
    "de": "Keine eigene Richtlinie im Arbeitsbereich gefunden (Kategorie «Interne "
    "Richtlinie»); die Merkblätter stützen sich nur auf Leitfaden und Katalog.",
    "en": "No company policy found in the workspace (category “Internal policy”); the "
    "handouts rely on the guide and the catalog only.",
}


def resolve_audiences(audience: str | Audience) -> tuple[Audience, ...]:
    """``all`` or one audience name; anything else is refused."""
    if audience == ALL:
        return AUDIENCE_ORDER
    try:
        return (Audience(audience),)
    except ValueError:
        choices = ", ".join([ALL, *(a.value for a in Audience)])
        raise ValueError(f"unknown audience '{audience}'; choose one of {choices}") from None


def build_training_kit(
    scenario: Scenario,
    catalog: RequirementCatalog,
    schedule: Schedule | None,
    retriever: PolicySearch | None,
    audience: str | Audience = ALL,
    lang: Lang = "de",
    *,
    knowledge: TrainingKnowledge | None = None,
    quiz_size: int = DEFAULT_QUESTIONS,
    contact: str | None = None,
) -> TrainingKit:
    """Plan, handouts and quizzes for ``audience`` (``all`` or one), in ``lang``.

    ``schedule`` dates the sessions (its step-5 days); ``retriever`` finds the company's own
    policy sentences (category ``policy``); ``contact`` is whom to call in an incident
    (default: the IT lead). Both may be None: the kit then works offline from the shipped
    knowledge alone.
    """
    audiences = resolve_audiences(audience)
    knowledge = knowledge or load_training_knowledge(PACKAGE_ROOT / "data", catalog)
    facts = scenario.facts()
    contact = contact or DEFAULT_CONTACT[lang]
    plan = plan_sessions(scenario, knowledge, catalog, schedule, audiences, lang)
    evidence = find_policy_evidence(retriever, knowledge.topics, lang) if retriever else NO_EVIDENCE
    notes = list(plan.notes)
    if retriever is not None and not evidence.documents:
        notes.append(NO_POLICY_NOTE[lang])
    if evidence.flagged:
        notes.append(FLAGGED_NOTE[lang].format(docs=", ".join(evidence.flagged)))
    handouts = []
    quizzes = []
    for aud in audiences:
        handout, handout_notes = build_handout(
            aud, scenario, knowledge, catalog, lang, contact, evidence
        )
        handouts.append(handout)
        notes.extend(handout_notes)
        quiz, quiz_notes = build_quiz(
            aud, facts, knowledge, catalog, lang, quiz_size, AUDIENCE_NAMES[aud][lang]
        )
        quizzes.append(quiz)
        notes.extend(quiz_notes)
    log.info(
        "training kit for %s: %d sessions, %d handout items, %d quiz questions",
        ", ".join(a.value for a in audiences),
        len(plan.sessions),
        sum(len(h.items) for h in handouts),
        sum(len(q.questions) for q in quizzes),
    )
    return TrainingKit(
        company=scenario.company.name,
        service=service_label(scenario, lang),
        lang=lang,
        audiences=audiences,
        facts=tuple(sorted(facts)),
        plan=plan,
        handouts=tuple(handouts),
        quizzes=tuple(quizzes),
        schedule=schedule,
        notes=tuple(notes),
    )
