"""Task templates for the seven-step schedule (``data/plan/*.yaml``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, field_validator

from core.errors import KnowledgeError
from knowledge.common import (
    InvalidValue,
    LocalizedText,
    StrictModel,
    read_yaml,
    validate_entries,
)
from knowledge.scenario import FACTS


class Role(StrEnum):
    MANAGEMENT = "management"  # Geschäftsführung
    IT_LEAD = "it_lead"  # IT-Leitung
    DPO = "dpo"  # Datenschutzverantwortliche
    BUSINESS = "business"  # Fachbereich
    STAFF = "staff"  # Mitarbeitende
    PROVIDER = "provider"  # externer Dienstleister


ROLE_NAMES: dict[Role, dict[str, str]] = {
    Role.MANAGEMENT: {"de": "Geschäftsführung", "en": "Management"},
    Role.IT_LEAD: {"de": "IT-Leitung", "en": "IT lead"},
    Role.DPO: {"de": "Datenschutzverantwortliche", "en": "Data protection officer"},
    Role.BUSINESS: {"de": "Fachbereich", "en": "Business unit"},
    Role.STAFF: {"de": "Mitarbeitende", "en": "Staff"},
    Role.PROVIDER: {"de": "Externer Dienstleister", "en": "External provider"},
}


class Scaling(StrictModel):
    """Multipliers on ``effort_days`` by company size and scenario risk."""

    micro: float = 0.7
    small: float = 1.0
    medium: float = 1.5
    low: float = 0.8
    risk_medium: float = 1.0
    high: float = 1.3


class TaskTemplate(StrictModel):
    id: str = Field(pattern=r"^S[1-7]-T\d{2}$")
    step: int = Field(ge=1, le=7)
    title: LocalizedText
    role: Role
    effort_days: float = Field(gt=0, le=20)
    scaling: Scaling = Field(default_factory=Scaling)
    depends_on: list[str] = Field(default_factory=list)
    deliverable: LocalizedText
    requirement_ids: list[str] = Field(default_factory=list)
    include_if: list[str] = Field(default_factory=list)

    @field_validator("include_if")
    @classmethod
    def _known_facts(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - FACTS)
        if unknown:
            raise InvalidValue(f"unbekannte Fakten {unknown}", en=f"unknown facts {unknown}")
        return value


class ReviewTemplate(StrictModel):
    """A recurring step-7 review after the initial plan (e.g. quarterly for a year)."""

    id: str = Field(pattern=r"^S7-R\d{2}$")
    title: LocalizedText
    role: Role
    interval_months: int = Field(ge=1, le=12)
    occurrences: int = Field(ge=1, le=12)
    requirement_ids: list[str] = Field(default_factory=list)


class PlanTemplates(StrictModel):
    tasks: list[TaskTemplate]
    reviews: list[ReviewTemplate]


def load_plan_templates(directory: Path) -> PlanTemplates:
    """Load ``tasks`` (and optional ``reviews``) from every YAML file; ids unique, deps known."""
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise KnowledgeError(
            f"{directory}: keine Planvorlagen (*.yaml) gefunden.",
            en=f"{directory}: no plan templates (*.yaml) found.",
        )
    tasks: list[TaskTemplate] = []
    reviews: list[ReviewTemplate] = []
    for path in files:
        data = read_yaml(path)
        if isinstance(data, dict) and "tasks" in data:
            tasks.extend(validate_entries(path, "tasks", TaskTemplate))
        if isinstance(data, dict) and "reviews" in data:
            reviews.extend(validate_entries(path, "reviews", ReviewTemplate))
    ids = [t.id for t in tasks]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise KnowledgeError(
            f"Planvorlagen: doppelte Aufgaben-ids {dupes}.",
            en=f"Plan templates: duplicate task ids {dupes}.",
        )
    known = set(ids)
    for t in tasks:
        missing = [d for d in t.depends_on if d not in known]
        if missing:
            raise KnowledgeError(
                f"Planvorlagen, Eintrag {t.id}: Feld 'depends_on': unbekannte Aufgaben {missing}.",
                en=f"Plan templates, entry {t.id}: field 'depends_on': unknown tasks {missing}.",
            )
    return PlanTemplates(tasks=tasks, reviews=reviews)
