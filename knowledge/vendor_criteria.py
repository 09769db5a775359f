"""Vendor comparison criteria (``data/vendor_criteria.yaml``): schema, validating loader.

Each criterion says what to look for in a vendor's documents (search queries) and how a
sentence found there counts (explicit cue rules: patterns with a status, what a negation
does, which qualifiers weaken a claim). The ``language`` block holds the shared rules for
negations, hedges ("may"), exceptions ("unless", "on request"), conditions and plan scopes.
With a scenario, the criteria and their weights follow the requirements the scenario selects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from core.errors import KnowledgeError
from knowledge.catalog import Priority, RequirementCatalog
from knowledge.common import (
    InvalidValue,
    LocalizedText,
    StrictModel,
    duplicate_id,
    entry_error,
    entry_problem,
    expected_list,
    read_yaml,
)
from knowledge.scenario import Scenario

Verdict = Literal["fulfilled", "partly", "not_fulfilled"]
NegationMode = Literal["fulfilled", "partly", "not_fulfilled", "skip", "literal"]
DURATION_UNITS_DAYS: dict[str, float] = {
    "h": 1 / 24,
    "hour": 1 / 24,
    "stunde": 1 / 24,
    "day": 1.0,
    "tag": 1.0,
    "week": 7.0,
    "woche": 7.0,
    "month": 30.0,
    "monat": 30.0,
    "year": 365.0,
    "jahr": 365.0,
}
# Weight of a criterion under a scenario: the highest priority among its selected requirements.
PRIORITY_WEIGHTS: dict[Priority, float] = {
    Priority.MUST: 3.0,
    Priority.SHOULD: 2.0,
    Priority.MAY: 1.0,
}


@lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Every cue pattern is matched case-insensitively on a cleaned sentence."""
    return re.compile(pattern, re.IGNORECASE)


def _check_patterns(patterns: list[str]) -> list[str]:
    for index, pattern in enumerate(patterns):
        try:
            compile_pattern(pattern)
        except re.error as exc:
            raise InvalidValue(
                f"Muster {index + 1} ist kein gültiger regulärer Ausdruck: {exc}",
                en=f"pattern {index + 1} is not a valid regular expression: {exc}",
            ) from exc
    return patterns


def days_for(amount: float, unit: str) -> float:
    """Convert "24 Stunden", "30 days", "12 Monate" to days (unit matched by its stem)."""
    word = unit.lower().rstrip(".")
    for stem, factor in DURATION_UNITS_DAYS.items():
        if word == stem or word.startswith(stem):
            return amount * factor
    raise ValueError(f"unknown duration unit {unit!r}")


class Duration(StrictModel):
    """A stated duration (groups ``n`` and ``unit`` of the pattern) decides the status."""

    fulfilled_max_days: float = Field(ge=0)
    partly_max_days: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Duration:
        if self.partly_max_days < self.fulfilled_max_days:
            raise InvalidValue(
                "partly_max_days muss >= fulfilled_max_days sein",
                en="partly_max_days must be >= fulfilled_max_days",
            )
        return self

    def verdict(self, days: float) -> Verdict:
        if days <= self.fulfilled_max_days:
            return "fulfilled"
        return "partly" if days <= self.partly_max_days else "not_fulfilled"


class CueRule(StrictModel):
    """One explicit rule: if a pattern matches a sentence, it speaks for ``status``.

    ``negated`` says what a negation in the matched clause does: another status, ``skip``
    (the rule says nothing; the default, so a negated statement is never read as its
    opposite) or ``literal`` (the pattern carries its own polarity, e.g. "kein Audit-Log").
    ``qualifiers: false`` keeps hedges, exceptions and scopes from changing the status.
    ``note`` (and ``note_negated``) explain the finding next to the evidence.
    """

    status: Verdict
    patterns: list[str] = Field(min_length=1)
    negated: NegationMode = "skip"
    aspect: str | None = None
    context: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    duration: Duration | None = None
    qualifiers: bool = True
    note: LocalizedText
    note_negated: LocalizedText | None = None

    check_patterns = field_validator("patterns", "context", "exclude")(_check_patterns)

    @model_validator(mode="after")
    def _duration_groups(self) -> CueRule:
        if self.duration is not None:
            for index, pattern in enumerate(self.patterns):
                groups = compile_pattern(pattern).groupindex
                if "n" not in groups or "unit" not in groups:
                    raise InvalidValue(
                        f"Muster {index + 1}: eine Dauer-Regel braucht die Gruppen (?P<n>…) "
                        "und (?P<unit>…)",
                        en=f"pattern {index + 1}: a duration rule needs the groups (?P<n>…) "
                        "and (?P<unit>…)",
                    )
        return self


class Queries(StrictModel):
    de: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)

    def all(self) -> list[str]:
        return [*self.de, *self.en]


class Criterion(StrictModel):
    """One comparison criterion with its weight, search queries and cue rules.

    With ``aspects`` (e.g. at rest / in transit), each aspect is judged on its own and the
    criterion is fulfilled only when all are; ``combine`` says how statements without
    aspects add up: ``worst`` (a restriction wins) or ``best`` (one strong proof suffices).
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: LocalizedText
    description: LocalizedText
    question: LocalizedText
    weight: float = Field(gt=0, le=10)
    requirements: list[str] = Field(default_factory=list)
    queries: Queries
    aspects: list[str] = Field(default_factory=list)
    aspect_names: dict[str, LocalizedText] = Field(default_factory=dict)
    combine: Literal["worst", "best"] = "worst"
    cues: list[CueRule] = Field(min_length=1)

    @field_validator("requirements")
    @classmethod
    def _requirement_ids(cls, value: list[str]) -> list[str]:
        bad = [r for r in value if not re.fullmatch(r"KIL-[A-Z]{3}-\d{3}", r)]
        if bad:
            raise InvalidValue(f"keine Anforderungs-IDs: {bad}", en=f"not requirement ids: {bad}")
        return value

    @model_validator(mode="after")
    def _aspects_used(self) -> Criterion:
        if self.aspects:
            for index, cue in enumerate(self.cues):
                if cue.aspect not in self.aspects:
                    raise InvalidValue(
                        f"cues.{index}.aspect: '{cue.aspect}' ist keiner von {self.aspects}",
                        en=f"cues.{index}.aspect: '{cue.aspect}' is none of {self.aspects}",
                    )
            missing = [a for a in self.aspects if a not in self.aspect_names]
            if missing:
                raise InvalidValue(
                    f"aspect_names fehlt für {missing}", en=f"aspect_names is missing for {missing}"
                )
        elif any(cue.aspect for cue in self.cues):
            raise InvalidValue(
                "cues mit 'aspect' brauchen eine Liste 'aspects'",
                en="cues with 'aspect' need a list 'aspects'",
            )
        return self


class LanguageRules(StrictModel):
    """Shared sentence mechanics, as patterns (all matched case-insensitively).

    - ``negators``: words that negate the clause they stand in (odd count = negated).
    - ``non_negating``: phrases blanked out first ("not limited to", "nicht nur").
    - ``clause_breaks``: where a clause ends (commas, "but", "unless", "aber", ...).
    - ``hedges``: weaken a fulfilled claim in their clause to partly ("may", "aims to").
    - ``exceptions``: weaken a fulfilled claim in the sentence ("unless", "on request").
    - ``conditionals``: a sentence starting like this states a case, not the rule, so a
      not-fulfilled claim becomes partly ("If you create ... in the United States").
    - ``scopes``: statements limited to one plan or deployment type; not fulfilled -> partly.
    - ``no_claim``: sentences that claim nothing about the service – advice ("should",
      "SOLLTE", "Allow users to …") and pointers ("To learn more, see …") – no rule reads.
    """

    negators: list[str] = Field(min_length=1)
    non_negating: list[str] = Field(default_factory=list)
    clause_breaks: list[str] = Field(min_length=1)
    hedges: list[str] = Field(default_factory=list)
    exceptions: list[str] = Field(default_factory=list)
    conditionals: list[str] = Field(default_factory=list)
    scopes: list[str] = Field(default_factory=list)
    no_claim: list[str] = Field(default_factory=list)

    check_patterns = field_validator(
        "negators",
        "non_negating",
        "clause_breaks",
        "hedges",
        "exceptions",
        "conditionals",
        "scopes",
        "no_claim",
    )(_check_patterns)


class Thresholds(StrictModel):
    """Relevance a sentence needs: to count as evidence (with a cue) or as related text."""

    evidence: float = Field(0.3, ge=0, le=1)
    related: float = Field(0.45, ge=0, le=1)
    max_evidence: int = Field(4, ge=1, le=20)
    max_related: int = Field(3, ge=0, le=20)
    passages_per_search: int = Field(8, ge=1, le=50)


@dataclass(frozen=True)
class VendorCriteria:
    """The loaded criteria file: criteria in file order, shared language rules, thresholds."""

    criteria: tuple[Criterion, ...]
    rules: LanguageRules
    thresholds: Thresholds
    source: str = "vendor_criteria.yaml"

    def __iter__(self) -> Iterator[Criterion]:
        return iter(self.criteria)

    def __len__(self) -> int:
        return len(self.criteria)

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.criteria]

    def get(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KnowledgeError(
            f"Unbekanntes Kriterium '{criterion_id}'.", en=f"Unknown criterion '{criterion_id}'."
        )

    def with_criteria(self, criteria: Iterable[Criterion]) -> VendorCriteria:
        """Same rules, another list (e.g. edited weights or a subset)."""
        chosen = tuple(criteria)
        if not chosen:
            raise KnowledgeError(
                "Mindestens ein Kriterium ist nötig.", en="At least one criterion is needed."
            )
        return VendorCriteria(chosen, self.rules, self.thresholds, self.source)

    def with_weights(self, weights: dict[str, float]) -> VendorCriteria:
        """Change weights by id; a weight of 0 drops the criterion."""
        unknown = sorted(set(weights) - set(self.ids))
        if unknown:
            names = ", ".join(unknown)
            raise KnowledgeError(
                f"Unbekannte Kriterien: {names}.", en=f"Unknown criteria: {names}."
            )
        out = []
        for c in self.criteria:
            weight = weights.get(c.id, c.weight)
            if weight < 0 or weight > 10:
                raise KnowledgeError(
                    f"Kriterium {c.id}: Gewicht {weight} liegt nicht in 0–10.",
                    en=f"Criterion {c.id}: weight {weight} is not within 0–10.",
                )
            if weight > 0:
                out.append(c.model_copy(update={"weight": float(weight)}))
        return self.with_criteria(out)

    def for_scenario(self, scenario: Scenario, catalog: RequirementCatalog) -> VendorCriteria:
        """Keep criteria with at least one requirement the scenario selects; weight them by
        the highest priority among those (MUST 3, SHOULD 2, MAY 1)."""
        selected = {r.id: r for r in catalog.select(scenario.facts())}
        out = []
        for c in self.criteria:
            reqs = [selected[r] for r in c.requirements if r in selected]
            if not reqs:
                continue
            weight = max(PRIORITY_WEIGHTS[r.priority] for r in reqs)
            out.append(
                c.model_copy(update={"weight": weight, "requirements": [r.id for r in reqs]})
            )
        if not out:
            raise KnowledgeError(
                "Für dieses Szenario betrifft keine ausgewählte Anforderung den Anbietervergleich.",
                en="For this scenario no selected requirement concerns the vendor comparison.",
            )
        return self.with_criteria(out)


def load_vendor_criteria(path: Path, catalog: RequirementCatalog | None = None) -> VendorCriteria:
    """Load and validate the criteria file; errors name the file, the entry and the field.

    With ``catalog``, every requirement id a criterion names must exist there.
    """
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("criteria"), list):
        raise expected_list(path, "criteria")
    try:
        rules = LanguageRules.model_validate(data.get("language"))
    except ValidationError as exc:
        raise entry_error(path, "language", exc) from exc
    try:
        thresholds = Thresholds.model_validate(data.get("thresholds") or {})
    except ValidationError as exc:
        raise entry_error(path, "thresholds", exc) from exc
    criteria: list[Criterion] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["criteria"]):
        label = str(raw.get("id", f"#{index + 1}")) if isinstance(raw, dict) else f"#{index + 1}"
        try:
            criterion = Criterion.model_validate(raw)
        except ValidationError as exc:
            raise entry_error(path, label, exc) from exc
        if criterion.id in seen:
            raise duplicate_id(path.name, label)
        seen.add(criterion.id)
        if catalog is not None:
            unknown = [r for r in criterion.requirements if r not in catalog]
            if unknown:
                names = ", ".join(unknown)
                raise entry_problem(
                    path.name,
                    label,
                    f"Feld 'requirements': unbekannte Anforderung(en) {names}.",
                    f"field 'requirements': unknown requirement(s) {names}.",
                )
        criteria.append(criterion)
    if not criteria:
        raise KnowledgeError(f"{path.name}: keine Kriterien.", en=f"{path.name}: no criteria.")
    return VendorCriteria(tuple(criteria), rules, thresholds, path.name)
