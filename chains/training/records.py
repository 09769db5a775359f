"""The training kit as immutable records, ready for the UI and the exporters.

Every handout statement and every quiz answer carries a ``SourceRef`` with the passage it
was checked against, so an export can print the source and a reader can verify it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Literal

from chains.schedule.records import Schedule
from knowledge.common import Lang
from knowledge.plan import Role
from knowledge.training import Audience, Topic

SourceKind = Literal["guide", "requirement", "policy"]
ItemKind = Literal["do", "dont", "info", "policy"]
LETTERS = "ABCD"


@dataclass(frozen=True)
class SourceRef:
    """Where a statement or answer can be checked, with the passage itself."""

    kind: SourceKind
    label: str
    passage: str
    requirement_id: str | None = None
    file: str | None = None
    heading: str | None = None
    page: int | None = None
    doc_id: str | None = None


@dataclass(frozen=True)
class AgendaEntry:
    minutes: int
    topic: str


@dataclass(frozen=True)
class TrainingSession:
    """One held session (one group of a template) on a step-5 working day.

    ``day``/``start``/``end`` are None when the kit was built without a schedule;
    ``parallel`` marks a group that shares its slot with another one of the same lead
    (a second trainer is needed).
    """

    id: str
    template_id: str
    audience: Audience
    title: str
    participants: str
    group: int
    groups: int
    goals: tuple[str, ...]
    agenda: tuple[AgendaEntry, ...]
    duration_minutes: int
    lead: Role
    support: tuple[Role, ...]
    requirement_ids: tuple[str, ...]
    task_id: str
    max_participants: int
    day: date | None = None
    start: time | None = None
    end: time | None = None
    parallel: bool = False

    @property
    def group_label(self) -> str:
        return f"{self.group}/{self.groups}" if self.groups > 1 else ""


@dataclass(frozen=True)
class TrainingPlan:
    sessions: tuple[TrainingSession, ...]
    step5_days: tuple[date, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class HandoutItem:
    """A do, a don't, a piece of information, or a sentence from the company's policy."""

    kind: ItemKind
    text: str
    source: SourceRef
    statement_id: str | None = None


@dataclass(frozen=True)
class HandoutSection:
    topic: Topic
    title: str
    items: tuple[HandoutItem, ...]


@dataclass(frozen=True)
class Handout:
    audience: Audience
    title: str
    service: str
    contact: str
    sections: tuple[HandoutSection, ...]
    policy_documents: tuple[str, ...] = ()

    @property
    def items(self) -> tuple[HandoutItem, ...]:
        return tuple(item for section in self.sections for item in section.items)


@dataclass(frozen=True)
class QuizQuestion:
    """A checked multiple-choice question; ``shared_terms`` is the post-check's evidence."""

    id: str
    topic: Topic
    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str
    source: SourceRef
    shared_terms: tuple[str, ...] = ()

    @property
    def correct_letter(self) -> str:
        return LETTERS[self.correct]

    @property
    def correct_text(self) -> str:
        return self.options[self.correct]


@dataclass(frozen=True)
class DroppedQuestion:
    id: str
    reason: str


@dataclass(frozen=True)
class Quiz:
    audience: Audience
    questions: tuple[QuizQuestion, ...]
    dropped: tuple[DroppedQuestion, ...] = ()


@dataclass(frozen=True)
class TrainingKit:
    """Plan, handouts and quizzes for the chosen audiences of one scenario."""

    company: str
    service: str
    lang: Lang
    audiences: tuple[Audience, ...]
    facts: tuple[str, ...]
    plan: TrainingPlan
    handouts: tuple[Handout, ...]
    quizzes: tuple[Quiz, ...]
    schedule: Schedule | None = None
    notes: tuple[str, ...] = ()

    def handout(self, audience: Audience) -> Handout:
        return next(h for h in self.handouts if h.audience == audience)

    def quiz(self, audience: Audience) -> Quiz:
        return next(q for q in self.quizzes if q.audience == audience)
