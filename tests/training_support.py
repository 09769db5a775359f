"""Shared inputs of the training tests: the shipped training knowledge, kits per example."""

from __future__ import annotations

from functools import cache

from chains.schedule import Schedule
from chains.training import TrainingKit, build_training_kit
from knowledge.common import Lang
from knowledge.training import TrainingKnowledge, load_training_knowledge
from tests.schedule_support import EXAMPLES, KNOWLEDGE, example, knowledge, plan


@cache
def training_knowledge() -> TrainingKnowledge:
    _, catalog = knowledge()
    return load_training_knowledge(KNOWLEDGE, catalog)


@cache
def example_schedule(name: str, lang: Lang = "de") -> Schedule:
    return plan(example(name), EXAMPLES[name], lang=lang)


@cache
def example_kit(name: str, lang: Lang = "de", audience: str = "all") -> TrainingKit:
    """The kit of an example scenario on its schedule, without a workspace."""
    _, catalog = knowledge()
    return build_training_kit(
        example(name),
        catalog,
        example_schedule(name, lang),
        None,
        audience,
        lang,
        knowledge=training_knowledge(),
    )
