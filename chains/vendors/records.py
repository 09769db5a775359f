"""The vendor comparison as immutable records, ready for the UI, the CLI and the exporters."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from knowledge.common import Lang


class Status(StrEnum):
    """What the documents say about one criterion for one vendor."""

    FULFILLED = "fulfilled"
    PARTLY = "partly"
    NOT_FULFILLED = "not_fulfilled"
    NOT_FOUND = "not_found"  # no evidence above the threshold: ask the vendor
    CONTRADICTORY = "contradictory"  # evidence for both fulfilled and not fulfilled

    @property
    def known(self) -> bool:
        """Only these enter the score; the others are open questions."""
        return self in (Status.FULFILLED, Status.PARTLY, Status.NOT_FULFILLED)


# Points per known status; unknowns are left out of the score, not counted as zero.
STATUS_POINTS: dict[Status, float] = {
    Status.FULFILLED: 1.0,
    Status.PARTLY: 0.5,
    Status.NOT_FULFILLED: 0.0,
}

STATUS_LABELS: dict[Status, dict[str, str]] = {
    Status.FULFILLED: {"de": "erfüllt", "en": "fulfilled"},
    Status.PARTLY: {"de": "teilweise", "en": "partly"},
    Status.NOT_FULFILLED: {"de": "nicht erfüllt", "en": "not fulfilled"},
    Status.NOT_FOUND: {"de": "nicht gefunden", "en": "not found"},
    Status.CONTRADICTORY: {"de": "widersprüchlich", "en": "contradictory"},
}

STATUS_SYMBOLS: dict[Status, str] = {
    Status.FULFILLED: "✔",
    Status.PARTLY: "◐",
    Status.NOT_FULFILLED: "✘",
    Status.NOT_FOUND: "?",
    Status.CONTRADICTORY: "⚡",
}


def status_label(status: Status, lang: Lang) -> str:
    return STATUS_LABELS[status][lang]


def format_points(value: float | None, lang: Lang) -> str:
    """Score as people read it: "36,4" in German, "36.4" in English, "–" if unknown."""
    if value is None:
        return "–"
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if lang == "de" else text


@dataclass(frozen=True)
class Evidence:
    """One sentence from a vendor document with what it says about a criterion.

    ``verdict`` is what this sentence supports; ``note`` names the rule and any qualifier
    ("may", "unless", negation) so a reader can check the reasoning against the text.
    """

    source: str
    page: int | None
    section: str
    text: str
    doc_id: str
    verdict: Status | None
    score: float
    aspect: str | None = None
    negated: bool = False
    note: str = ""

    def citation(self, lang: Lang = "en") -> str:
        """Reference like "file, S. 3 › section" for lists and exports."""
        where = self.source
        if self.page is not None:
            where += f", {'S.' if lang == 'de' else 'p.'} {self.page}"
        heading = self.section.split(" › ")[-1] if self.section else ""
        return f"{where} › {heading}" if heading else where


@dataclass(frozen=True)
class CriterionResult:
    """One cell of the matrix: a vendor's status on a criterion and why."""

    criterion_id: str
    vendor: str
    status: Status
    evidence: tuple[Evidence, ...] = ()
    related: tuple[Evidence, ...] = ()  # relevant sentences without a decisive statement
    aspects: tuple[tuple[str, Status], ...] = ()


@dataclass(frozen=True)
class CriterionInfo:
    """A criterion as compared: name in the output language, weight actually used."""

    id: str
    name: str
    description: str
    question: str
    weight: float
    requirements: tuple[str, ...] = ()
    aspect_names: tuple[tuple[str, str], ...] = ()

    def aspect_name(self, aspect: str) -> str:
        return dict(self.aspect_names).get(aspect, aspect)


@dataclass(frozen=True)
class VendorSummary:
    """Score over the known criteria (0–100) and the open questions of one vendor."""

    vendor: str
    documents: tuple[str, ...]
    score: float | None  # None when no criterion is known
    known_weight: float
    total_weight: float
    unknowns: tuple[str, ...]  # criterion ids: not found or contradictory

    @property
    def coverage(self) -> float:
        return self.known_weight / self.total_weight if self.total_weight else 0.0


@dataclass(frozen=True)
class VendorComparison:
    """The whole comparison: vendors × criteria, scores, unknowns, recommendation."""

    workspace: str
    lang: Lang
    vendors: tuple[str, ...]
    criteria: tuple[CriterionInfo, ...]
    results: tuple[CriterionResult, ...]
    summaries: tuple[VendorSummary, ...]
    recommendation: str
    scenario: str | None = None  # company name when criteria follow a scenario

    def result(self, criterion_id: str, vendor: str) -> CriterionResult:
        for r in self.results:
            if r.criterion_id == criterion_id and r.vendor == vendor:
                return r
        raise KeyError((criterion_id, vendor))

    def summary(self, vendor: str) -> VendorSummary:
        for s in self.summaries:
            if s.vendor == vendor:
                return s
        raise KeyError(vendor)

    def criterion(self, criterion_id: str) -> CriterionInfo:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    @property
    def scores(self) -> dict[str, float | None]:
        return {s.vendor: s.score for s in self.summaries}

    @property
    def unknowns(self) -> dict[str, list[str]]:
        return {s.vendor: list(s.unknowns) for s in self.summaries}
