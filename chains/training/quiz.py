"""Quiz per audience: 8-15 checked questions from the bank, the same for the same input.

Candidates are the bank questions for the audience whose facts hold and whose source
requirement applies to the scenario. They are taken round-robin over the audience's topics
(most important topic first), questions tied to a scenario fact before general ones, so a
short quiz still covers every topic. Each pick goes through the post-check; a failing one
is dropped and reported and the next candidate takes its place. Options are shuffled by a
hash of the question id, so the correct answer is not always "A" and the order never
changes between runs.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable

from chains.training.postcheck import check_support
from chains.training.records import DroppedQuestion, Quiz, QuizQuestion
from chains.training.sources import resolve_source
from knowledge.catalog import RequirementCatalog
from knowledge.common import Lang
from knowledge.training import Audience, BankQuestion, Topic, TrainingKnowledge

log = logging.getLogger(__name__)

MIN_QUESTIONS = 8
MAX_QUESTIONS = 15
DEFAULT_QUESTIONS = 10

# Topic priority per audience: what this group must get right first.
AUDIENCE_TOPICS: dict[Audience, tuple[Topic, ...]] = {
    Audience.STAFF: (
        Topic.DATA_INPUT,
        Topic.PROMPT_INJECTION,
        Topic.HALLUCINATION,
        Topic.INCIDENT,
        Topic.AGENTS,
        Topic.ACCESS,
        Topic.GOVERNANCE,
        Topic.DATA_PROTECTION,
        Topic.VENDOR,
        Topic.OPERATIONS,
    ),
    Audience.MANAGEMENT: (
        Topic.GOVERNANCE,
        Topic.INCIDENT,
        Topic.VENDOR,
        Topic.DATA_PROTECTION,
        Topic.HALLUCINATION,
        Topic.DATA_INPUT,
        Topic.PROMPT_INJECTION,
        Topic.AGENTS,
        Topic.ACCESS,
        Topic.OPERATIONS,
    ),
    Audience.IT: (
        Topic.ACCESS,
        Topic.PROMPT_INJECTION,
        Topic.INCIDENT,
        Topic.OPERATIONS,
        Topic.AGENTS,
        Topic.HALLUCINATION,
        Topic.DATA_PROTECTION,
        Topic.DATA_INPUT,
        Topic.VENDOR,
        Topic.GOVERNANCE,
    ),
    Audience.DPO: (
        Topic.DATA_PROTECTION,
        Topic.INCIDENT,
        Topic.DATA_INPUT,
        Topic.VENDOR,
        Topic.HALLUCINATION,
        Topic.GOVERNANCE,
        Topic.ACCESS,
        Topic.OPERATIONS,
        Topic.PROMPT_INJECTION,
        Topic.AGENTS,
    ),
}
DROPPED_NOTE = {
    "de": "Quiz {audience}: Frage {id} verworfen ({reason}).",
    "en": "Quiz {audience}: question {id} dropped ({reason}).",
}
SHORT_NOTE = {
    "de": "Quiz {audience}: nur {n} geprüfte Fragen verfügbar (gewünscht {size}).",
    "en": "Quiz {audience}: only {n} checked questions available ({size} requested).",
}


def candidates(
    knowledge: TrainingKnowledge,
    audience: Audience,
    facts: frozenset[str],
    catalog: RequirementCatalog,
) -> list[BankQuestion]:
    """Questions in pick order: round-robin over the audience's topics."""
    pool = []
    for q in knowledge.questions:
        if audience not in q.audiences or not q.applies(facts):
            continue
        req = q.source.requirement
        if req is not None and (req not in catalog or not catalog.get(req).applies(facts)):
            continue
        pool.append(q)
    buckets: dict[Topic, list[BankQuestion]] = {}
    for topic in AUDIENCE_TOPICS[audience]:
        bucket = [q for q in pool if q.topic == topic]
        bucket.sort(key=lambda q: (not q.facts, q.id))
        buckets[topic] = bucket
    ordered: list[BankQuestion] = []
    while any(buckets.values()):
        for topic in AUDIENCE_TOPICS[audience]:
            if buckets[topic]:
                ordered.append(buckets[topic].pop(0))
    return ordered


def option_order(question_id: str, count: int) -> list[int]:
    """A fixed permutation of the option indexes, derived from the question id."""
    return sorted(
        range(count), key=lambda i: hashlib.sha256(f"{question_id}:{i}".encode()).hexdigest()
    )


def to_quiz_question(
    q: BankQuestion, lang: Lang, knowledge: TrainingKnowledge, catalog: RequirementCatalog
) -> tuple[QuizQuestion | None, str]:
    """The checked question in ``lang``, or None and why it failed."""
    source = resolve_source(q.source, lang, knowledge, catalog)
    correct = q.options[q.correct_index].text.get(lang)
    support = check_support(
        source.passage if source else None, correct, q.explanation.get(lang), lang
    )
    if source is None or not support.ok:
        return None, support.reason
    order = option_order(q.id, len(q.options))
    return QuizQuestion(
        id=q.id,
        topic=q.topic,
        question=q.question.get(lang),
        options=tuple(q.options[i].text.get(lang) for i in order),
        correct=order.index(q.correct_index),
        explanation=q.explanation.get(lang),
        source=source,
        shared_terms=support.shared,
    ), ""


def build_quiz(
    audience: Audience,
    facts: frozenset[str],
    knowledge: TrainingKnowledge,
    catalog: RequirementCatalog,
    lang: Lang,
    size: int = DEFAULT_QUESTIONS,
    audience_name: str = "",
) -> tuple[Quiz, list[str]]:
    """``size`` checked questions for ``audience`` (fewer if the bank has fewer), and notes."""
    if not MIN_QUESTIONS <= size <= MAX_QUESTIONS:
        raise ValueError(f"quiz size {size} outside {MIN_QUESTIONS}..{MAX_QUESTIONS}")
    chosen: list[QuizQuestion] = []
    dropped: list[DroppedQuestion] = []
    for q in candidates(knowledge, audience, facts, catalog):
        if len(chosen) == size:
            break
        checked, reason = to_quiz_question(q, lang, knowledge, catalog)
        if checked is None:
            dropped.append(DroppedQuestion(q.id, reason))
            log.warning("quiz question %s dropped: %s", q.id, reason)
            continue
        chosen.append(checked)
    name = audience_name or audience.value
    notes = [DROPPED_NOTE[lang].format(audience=name, id=d.id, reason=d.reason) for d in dropped]
    if len(chosen) < size:
        notes.append(SHORT_NOTE[lang].format(audience=name, n=len(chosen), size=size))
    return Quiz(audience, tuple(chosen), tuple(dropped)), notes


def check_questions(
    questions: Iterable[BankQuestion],
    knowledge: TrainingKnowledge,
    catalog: RequirementCatalog,
    lang: Lang,
) -> list[DroppedQuestion]:
    """Every question that fails the post-check in ``lang`` (for tests and bank authors)."""
    failed = []
    for q in questions:
        checked, reason = to_quiz_question(q, lang, knowledge, catalog)
        if checked is None:
            failed.append(DroppedQuestion(q.id, reason))
    return failed
