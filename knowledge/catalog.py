"""The requirement catalog (``data/catalog/*.yaml``): schema, validating loader, selection."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

from pydantic import Field, field_validator

from core.errors import KnowledgeError
from knowledge.common import (
    InvalidValue,
    LocalizedText,
    StrictModel,
    duplicate_id,
    validate_entries,
)
from knowledge.scenario import FACTS


class Category(StrEnum):
    GOVERNANCE = "governance"
    DATA_PROTECTION = "data_protection"
    DATA_QUALITY = "data_quality"
    ACCESS_CONTROL = "access_control"
    VENDOR_MANAGEMENT = "vendor_management"
    SECURE_INTEGRATION = "secure_integration"
    PROMPT_INJECTION_OUTPUT = "prompt_injection_output"
    LOGGING_MONITORING = "logging_monitoring"
    INCIDENT_RESPONSE = "incident_response"
    TRAINING_AWARENESS = "training_awareness"
    TESTING = "testing"
    OPERATIONS_REVIEW = "operations_review"


class Priority(StrEnum):
    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


class Requirement(StrictModel):
    """One security requirement.

    Applies when any fact of ``applies_if`` holds (empty = always), all facts of
    ``requires_all`` hold, and no fact of ``unless`` holds.
    """

    id: str = Field(pattern=r"^KIL-[A-Z]{3}-\d{3}$")
    title: LocalizedText
    text: LocalizedText
    rationale: LocalizedText
    step: int = Field(ge=1, le=7)
    category: Category
    priority: Priority
    applies_if: list[str] = Field(default_factory=list)
    requires_all: list[str] = Field(default_factory=list)
    unless: list[str] = Field(default_factory=list)
    verification: LocalizedText
    evidence_expected: LocalizedText
    references: list[str] = Field(default_factory=list)
    search_terms: LocalizedText | None = None

    @field_validator("applies_if", "requires_all", "unless")
    @classmethod
    def _known_facts(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - FACTS)
        if unknown:
            raise InvalidValue(
                f"unbekannte Fakten {unknown}; erlaubt: {sorted(FACTS)}",
                en=f"unknown facts {unknown}; allowed: {sorted(FACTS)}",
            )
        return value

    def applies(self, facts: Iterable[str]) -> bool:
        have = set(facts)
        if set(self.unless) & have or not set(self.requires_all) <= have:
            return False
        return not self.applies_if or bool(set(self.applies_if) & have)


class RequirementCatalog:
    """All requirements, in id order, with unique ids."""

    def __init__(self, requirements: Iterable[Requirement]) -> None:
        self.requirements = sorted(requirements, key=lambda r: r.id)
        self._by_id = {r.id: r for r in self.requirements}

    def __len__(self) -> int:
        return len(self.requirements)

    def __contains__(self, req_id: object) -> bool:
        return req_id in self._by_id

    def get(self, req_id: str) -> Requirement:
        try:
            return self._by_id[req_id]
        except KeyError:
            raise KnowledgeError(
                f"Unbekannte Anforderung '{req_id}'.", en=f"Unknown requirement '{req_id}'."
            ) from None

    def select(self, facts: Iterable[str]) -> list[Requirement]:
        facts = frozenset(facts)
        return [r for r in self.requirements if r.applies(facts)]


def load_catalog(directory: Path) -> RequirementCatalog:
    """Load and validate every ``*.yaml`` under ``directory`` (key ``requirements``)."""
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise KnowledgeError(
            f"{directory}: kein Anforderungskatalog (*.yaml) gefunden.",
            en=f"{directory}: no requirement catalog (*.yaml) found.",
        )
    seen: dict[str, str] = {}
    reqs: list[Requirement] = []
    for path in files:
        for req in validate_entries(path, "requirements", Requirement):
            if req.id in seen:
                raise duplicate_id(path.name, req.id, seen[req.id])
            seen[req.id] = path.name
            reqs.append(req)
    return RequirementCatalog(reqs)
