"""Step-5 training knowledge (``data/training/*.yaml``): question bank, session templates and
handout statements, with a validating loader.

Every quiz question and handout statement names where its content can be checked: a shipped
guide file and heading (per language) or a catalog requirement id. The loader checks those
references against ``data/guide`` and the catalog, so a renamed heading fails at load time
with file, entry and field in the message, not silently in a quiz.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from core.errors import KnowledgeError
from knowledge.catalog import RequirementCatalog
from knowledge.common import (
    InvalidValue,
    Lang,
    LocalizedText,
    StrictModel,
    duplicate_id,
    entry_problem,
    validate_entries,
)
from knowledge.plan import Role
from knowledge.scenario import FACTS

LANGS: tuple[Lang, Lang] = ("de", "en")


class Audience(StrEnum):
    MANAGEMENT = "management"
    IT = "it"
    STAFF = "staff"
    DPO = "dpo"


AUDIENCE_NAMES: dict[Audience, dict[str, str]] = {
    Audience.MANAGEMENT: {"de": "Geschäftsführung", "en": "Management"},
    Audience.IT: {"de": "IT und Administration", "en": "IT and administration"},
    Audience.STAFF: {"de": "Mitarbeitende", "en": "Staff"},
    Audience.DPO: {"de": "Datenschutzverantwortliche", "en": "Data protection officer"},
}


class Topic(StrEnum):
    """Quiz and handout topics; the order is the order of handout sections and quiz rotation."""

    DATA_INPUT = "data_input"
    PROMPT_INJECTION = "prompt_injection"
    HALLUCINATION = "hallucination"
    INCIDENT = "incident"
    DATA_PROTECTION = "data_protection"
    ACCESS = "access"
    AGENTS = "agents"
    VENDOR = "vendor"
    GOVERNANCE = "governance"
    OPERATIONS = "operations"


TOPIC_NAMES: dict[Topic, dict[str, str]] = {
    Topic.DATA_INPUT: {"de": "Welche Daten dürfen hinein?", "en": "What data may go in?"},
    Topic.PROMPT_INJECTION: {
        "de": "Manipulation erkennen (Prompt-Injection)",
        "en": "Spotting manipulation (prompt injection)",
    },
    Topic.HALLUCINATION: {
        "de": "Ergebnisse prüfen (Halluzinationen)",
        "en": "Checking outputs (hallucinations)",
    },
    Topic.INCIDENT: {"de": "Vorfälle melden", "en": "Reporting incidents"},
    Topic.DATA_PROTECTION: {"de": "Datenschutz", "en": "Data protection"},
    Topic.ACCESS: {"de": "Konten und Berechtigungen", "en": "Accounts and permissions"},
    Topic.AGENTS: {"de": "Agenten und Freigaben", "en": "Agents and approvals"},
    Topic.VENDOR: {"de": "Anbieter und Verträge", "en": "Vendors and contracts"},
    Topic.GOVERNANCE: {"de": "Verantwortung und Regeln", "en": "Accountability and rules"},
    Topic.OPERATIONS: {"de": "Betrieb und Überwachung", "en": "Operation and monitoring"},
}

_REQ_ID = r"^KIL-[A-Z]{3}-\d{3}$"


def _known_facts(value: list[str]) -> list[str]:
    unknown = sorted(set(value) - FACTS)
    if unknown:
        raise InvalidValue(
            f"unbekannte Fakten {unknown}; erlaubt: {sorted(FACTS)}",
            en=f"unknown facts {unknown}; allowed: {sorted(FACTS)}",
        )
    return value


def _texts(model: BaseModel, prefix: str = "") -> Iterable[tuple[str, LocalizedText]]:
    """Every LocalizedText inside ``model`` with its field path (for error messages)."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            path = f"{prefix}{name}" + (f".{index}" if index is not None else "")
            if isinstance(item, LocalizedText):
                yield path, item
            elif isinstance(item, BaseModel):
                yield from _texts(item, path + ".")


def check_texts(model: BaseModel) -> None:
    """Both languages filled in, German in Swiss spelling (no sharp s)."""
    for path, text in _texts(model):
        for lang in LANGS:
            if not text.get(lang).strip():
                raise InvalidValue(
                    f"Feld '{path}.{lang}': Text fehlt", en=f"field '{path}.{lang}': text missing"
                )
        if "ß" in text.de:
            raise InvalidValue(
                f"Feld '{path}.de': Schweizer Schreibweise verlangt (ss statt ß)",
                en=f"field '{path}.de': Swiss spelling required (ss instead of ß)",
            )


class SourceSpec(StrictModel):
    """Where the content can be checked: a catalog requirement, or a guide file + heading."""

    requirement: str | None = Field(default=None, pattern=_REQ_ID)
    guide: LocalizedText | None = None
    heading: LocalizedText | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> SourceSpec:
        if (self.requirement is None) == (self.guide is None):
            raise InvalidValue(
                "genau eines von 'requirement' oder 'guide' angeben",
                en="give exactly one of 'requirement' or 'guide'",
            )
        if (self.guide is None) != (self.heading is None):
            raise InvalidValue(
                "'guide' und 'heading' nur gemeinsam angeben",
                en="give 'guide' and 'heading' only together",
            )
        return self


class Option(StrictModel):
    text: LocalizedText
    correct: bool = False


class BankQuestion(StrictModel):
    """One multiple-choice question of the curated bank (exactly one correct option)."""

    id: str = Field(pattern=r"^TQ-\d{3}$")
    audiences: list[Audience] = Field(min_length=1)
    topic: Topic
    facts: list[str] = Field(default_factory=list)
    question: LocalizedText
    options: list[Option] = Field(min_length=3, max_length=4)
    explanation: LocalizedText
    source: SourceSpec

    @field_validator("facts")
    @classmethod
    def _facts(cls, value: list[str]) -> list[str]:
        return _known_facts(value)

    @model_validator(mode="after")
    def _consistent(self) -> BankQuestion:
        correct = sum(1 for o in self.options if o.correct)
        if correct != 1:
            raise InvalidValue(
                f"Feld 'options': genau eine richtige Antwort verlangt, nicht {correct}",
                en=f"field 'options': exactly one correct answer required, not {correct}",
            )
        if len(set(self.audiences)) != len(self.audiences):
            raise InvalidValue(
                "Feld 'audiences': doppelte Zielgruppe", en="field 'audiences': duplicate audience"
            )
        for lang in LANGS:
            texts = [o.text.get(lang).strip().lower() for o in self.options]
            if len(set(texts)) != len(texts):
                raise InvalidValue(
                    f"Feld 'options': zwei gleiche Antworten ({lang})",
                    en=f"field 'options': two identical answers ({lang})",
                )
        check_texts(self)
        return self

    @property
    def correct_index(self) -> int:
        return next(i for i, o in enumerate(self.options) if o.correct)

    def applies(self, facts: Iterable[str]) -> bool:
        """Empty ``facts`` = always; otherwise any listed fact must hold."""
        return not self.facts or bool(set(self.facts) & set(facts))


class AgendaItem(StrictModel):
    minutes: int = Field(ge=5, le=240)
    topic: LocalizedText


class SessionTemplate(StrictModel):
    """A training session for one audience, tied to the step-5 task whose days it uses."""

    id: str = Field(pattern=r"^TS-[A-Z]{3}-\d{2}$")
    audience: Audience
    task: str = Field(pattern=r"^S5-T\d{2}$")
    title: LocalizedText
    participants: LocalizedText
    goals: list[LocalizedText] = Field(min_length=1)
    agenda: list[AgendaItem] = Field(min_length=1)
    duration_minutes: int = Field(ge=15, le=480)
    lead: Role
    support: list[Role] = Field(default_factory=list)
    requirement_ids: list[str] = Field(default_factory=list)
    include_if: list[str] = Field(default_factory=list)
    unless: list[str] = Field(default_factory=list)
    max_participants: int = Field(default=12, ge=1, le=100)
    scale_with_staff: bool = False

    @field_validator("include_if", "unless")
    @classmethod
    def _facts(cls, value: list[str]) -> list[str]:
        return _known_facts(value)

    @field_validator("requirement_ids")
    @classmethod
    def _ids(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not re.match(_REQ_ID, v)]
        if bad:
            raise InvalidValue(
                f"ungültige Anforderungs-ids {bad}", en=f"invalid requirement ids {bad}"
            )
        return value

    @model_validator(mode="after")
    def _agenda_fits(self) -> SessionTemplate:
        total = sum(item.minutes for item in self.agenda)
        if total != self.duration_minutes:
            raise InvalidValue(
                f"Feld 'agenda': {total} Minuten, aber 'duration_minutes' ist "
                f"{self.duration_minutes}",
                en=f"field 'agenda': {total} minutes, but 'duration_minutes' is "
                f"{self.duration_minutes}",
            )
        check_texts(self)
        return self

    def applies(self, facts: Iterable[str]) -> bool:
        have = set(facts)
        if set(self.unless) & have:
            return False
        return not self.include_if or bool(set(self.include_if) & have)


class HandoutTopic(StrictModel):
    """A handout section; ``policy_query``/``policy_cues`` find the company's own rules."""

    id: Topic
    title: LocalizedText
    policy_query: LocalizedText
    policy_cues: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _texts_ok(self) -> HandoutTopic:
        check_texts(self)
        return self


class HandoutStatement(StrictModel):
    """A do, a don't or a piece of information; ``{service}`` and ``{contact}`` are filled in."""

    id: str = Field(pattern=r"^HS-\d{3}$")
    topic: Topic
    kind: Literal["do", "dont", "info"]
    audiences: list[Audience] = Field(min_length=1)
    facts: list[str] = Field(default_factory=list)
    text: LocalizedText
    source: SourceSpec

    @field_validator("facts")
    @classmethod
    def _facts(cls, value: list[str]) -> list[str]:
        return _known_facts(value)

    @model_validator(mode="after")
    def _texts_ok(self) -> HandoutStatement:
        check_texts(self)
        return self

    def applies(self, facts: Iterable[str]) -> bool:
        return not self.facts or bool(set(self.facts) & set(facts))


_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")


def guide_section(markdown: str, heading: str) -> str | None:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    lines = markdown.splitlines()
    for index, line in enumerate(lines):
        match = _HEADING.match(line)
        if match and match.group(2).strip() == heading.strip():
            level = len(match.group(1))
            body: list[str] = []
            for following in lines[index + 1 :]:
                nxt = _HEADING.match(following)
                if nxt and len(nxt.group(1)) <= level:
                    break
                body.append(following)
            return "\n".join(body).strip()
    return None


@dataclass(frozen=True)
class TrainingKnowledge:
    """Everything the training chain needs besides the catalog, loaded and cross-checked."""

    questions: tuple[BankQuestion, ...]
    sessions: tuple[SessionTemplate, ...]
    topics: tuple[HandoutTopic, ...]
    statements: tuple[HandoutStatement, ...]
    guide: dict[str, dict[str, str]]  # lang -> guide file name -> markdown

    def guide_text(self, lang: Lang, file: str, heading: str) -> str | None:
        markdown = self.guide.get(lang, {}).get(file)
        return None if markdown is None else guide_section(markdown, heading)

    def topic(self, topic: Topic) -> HandoutTopic | None:
        return next((t for t in self.topics if t.id == topic), None)


def _read_guide(guide_dir: Path) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        folder = guide_dir / lang
        out[lang] = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}
    return out


def _check_source(
    path: Path,
    entry: str,
    source: SourceSpec,
    guide: dict[str, dict[str, str]],
    catalog: RequirementCatalog | None,
) -> None:
    if source.requirement is not None:
        if catalog is not None and source.requirement not in catalog:
            raise entry_problem(
                path.name,
                entry,
                f"Feld 'source.requirement': unbekannte Anforderung '{source.requirement}'.",
                f"field 'source.requirement': unknown requirement '{source.requirement}'.",
            )
        return
    assert source.guide is not None and source.heading is not None  # by the model validator
    for lang in LANGS:
        file = source.guide.get(lang)
        markdown = guide.get(lang, {}).get(file)
        if markdown is None:
            raise entry_problem(
                path.name,
                entry,
                f"Feld 'source.guide.{lang}': Leitfadendatei '{file}' fehlt in guide/{lang}.",
                f"field 'source.guide.{lang}': guide file '{file}' is missing in guide/{lang}.",
            )
        heading = source.heading.get(lang)
        found = [m.group(2).strip() for m in map(_HEADING.match, markdown.splitlines()) if m]
        if found.count(heading.strip()) != 1:
            missing = heading.strip() not in found
            problem, problem_en = (
                ("nicht gefunden", "not found") if missing else ("nicht eindeutig", "not unique")
            )
            raise entry_problem(
                path.name,
                entry,
                f"Feld 'source.heading.{lang}': Überschrift '{heading}' {problem} in {file}.",
                f"field 'source.heading.{lang}': heading '{heading}' {problem_en} in {file}.",
            )


def _unique(path: Path, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise duplicate_id(path.name, item)
        seen.add(item)


def load_training_knowledge(
    knowledge_dir: Path, catalog: RequirementCatalog | None = None
) -> TrainingKnowledge:
    """Load ``training/questions_*.yaml``, ``sessions.yaml`` and ``handout.yaml``, checked.

    The question bank is split into files by theme (``questions_<topic>.yaml``, key
    ``questions``) so each stays reviewable; ids are unique across all of them. With
    ``catalog``, every requirement id must exist in it; guide references are always checked
    against ``guide/{de,en}`` (file present, heading present exactly once).
    """
    folder = knowledge_dir / "training"
    bank_paths = sorted(folder.glob("questions_*.yaml"))
    sessions_path = folder / "sessions.yaml"
    handout_path = folder / "handout.yaml"
    if not bank_paths:
        raise KnowledgeError(
            f"{folder}: keine Fragen (questions_*.yaml) gefunden.",
            en=f"{folder}: no questions (questions_*.yaml) found.",
        )
    for needed in (sessions_path, handout_path):
        if not needed.is_file():
            raise KnowledgeError(
                f"{needed}: Schulungsdatei fehlt.", en=f"{needed}: training file is missing."
            )
    guide = _read_guide(knowledge_dir / "guide")
    questions: list[BankQuestion] = []
    seen: dict[str, str] = {}
    for path in bank_paths:
        for q in validate_entries(path, "questions", BankQuestion):
            if q.id in seen:
                raise duplicate_id(path.name, q.id, seen[q.id])
            seen[q.id] = path.name
            _check_source(path, q.id, q.source, guide, catalog)
            questions.append(q)
    sessions = validate_entries(sessions_path, "sessions", SessionTemplate)
    topics = validate_entries(handout_path, "topics", HandoutTopic)
    statements = validate_entries(handout_path, "statements", HandoutStatement)
    _unique(sessions_path, [s.id for s in sessions])
    _unique(handout_path, [s.id for s in statements])
    if len({t.id for t in topics}) != len(topics):
        raise KnowledgeError(
            f"{handout_path.name}: Feld 'topics': ein Thema ist doppelt.",
            en=f"{handout_path.name}: field 'topics': a topic is listed twice.",
        )
    for s in statements:
        _check_source(handout_path, s.id, s.source, guide, catalog)
        if s.topic not in {t.id for t in topics}:
            raise entry_problem(
                handout_path.name,
                s.id,
                f"Feld 'topic': '{s.topic}' hat keinen Abschnitt unter 'topics'.",
                f"field 'topic': '{s.topic}' has no section under 'topics'.",
            )
    if catalog is not None:
        for session in sessions:
            unknown = [r for r in session.requirement_ids if r not in catalog]
            if unknown:
                raise entry_problem(
                    sessions_path.name,
                    session.id,
                    f"Feld 'requirement_ids': unbekannte Anforderungen {unknown}.",
                    f"field 'requirement_ids': unknown requirements {unknown}.",
                )
    return TrainingKnowledge(
        questions=tuple(sorted(questions, key=lambda q: q.id)),
        sessions=tuple(sessions),
        topics=tuple(topics),
        statements=tuple(statements),
        guide=guide,
    )
