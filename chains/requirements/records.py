"""The drafted requirements document as frozen, typed records (the JSON export is their dump).

Everything a user relies on is deterministic: which requirements, their ids, priorities,
statuses and citations. Only wording could later be tailored by an LLM.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from knowledge.catalog import Category, Priority
from knowledge.common import Lang
from knowledge.scenario import Scenario


class Status(StrEnum):
    """How far the workspace's documents already satisfy a requirement."""

    COVERED = "covered"
    PARTLY = "partly"
    OPEN = "open"
    CONFLICTING = "conflicting"


class Stance(StrEnum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"


class Record(BaseModel):
    """Frozen and strict, so a JSON file that does not fit the model fails loudly."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(Record):
    """One sentence from a workspace document, cited with file, page and section."""

    source: str
    page: int | None = None
    section: str = ""
    text: str
    doc_id: str
    stance: Stance
    category: str = Field(description="Document category: policy or vendor.")
    vendor: str | None = None
    score: float = Field(ge=0.0, le=1.0, description="Relevance of the sentence, 0..1.")
    cue: str | None = Field(None, description="The status rule that fired (see cues.py).")


class DraftedRequirement(Record):
    """A catalog requirement fitted to the scenario, with its status and evidence."""

    id: str
    step: int = Field(ge=1, le=7)
    category: Category
    priority: Priority
    catalog_priority: Priority
    priority_reason: str | None = None
    title: str
    text: str
    rationale: str
    verification: str
    evidence_expected: str = ""
    references: tuple[str, ...] = ()
    status: Status
    status_reason: str
    evidence: tuple[Evidence, ...] = ()


class OpenQuestion(Record):
    """A question for the vendor, derived from an open or conflicting requirement."""

    requirement_id: str
    status: Status
    priority: Priority
    text: str


class KeyPoint(Record):
    """One of the most important open points in the management summary."""

    requirement_id: str
    title: str
    priority: Priority
    status: Status
    text: str


class ManagementSummary(Record):
    at_stake: str
    status_counts: dict[Status, int]
    key_points: tuple[KeyPoint, ...]


class SourceRef(Record):
    """A workspace document that was searched, and how often it is cited."""

    source: str
    doc_id: str
    title: str = ""
    category: str
    vendor: str | None = None
    citations: int = 0


class RequirementsDoc(Record):
    """The whole document: scenario, grouped requirements, questions, summary, sources."""

    scenario: Scenario
    language: Lang
    workspace: str | None = None
    generated: date
    risk_level: str
    scenario_text: str
    summary: ManagementSummary
    requirements: tuple[DraftedRequirement, ...]
    open_questions: tuple[OpenQuestion, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    vendors_considered: tuple[str, ...] = ()

    def by_step(self) -> dict[int, dict[Category, list[DraftedRequirement]]]:
        """Step -> category -> requirements, in document order (steps 1..7 present or not)."""
        out: dict[int, dict[Category, list[DraftedRequirement]]] = {}
        for req in self.requirements:
            out.setdefault(req.step, {}).setdefault(req.category, []).append(req)
        return out

    def count(self, status: Status) -> int:
        return sum(1 for r in self.requirements if r.status == status)

    def get(self, req_id: str) -> DraftedRequirement:
        for req in self.requirements:
            if req.id == req_id:
                return req
        raise KeyError(req_id)
