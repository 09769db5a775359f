"""Which templates a scenario gets, how much effort they take, and a sound dependency graph.

Inclusion rule (one place):
  - a core task (empty ``include_if``) is always planned;
  - an optional task is planned when ``include_if`` names at least one fact of
    ``scenario.facts()`` (any-of) and, if it lists ``requirement_ids``, at least one of them
    is selected for the scenario by ``catalog.select(facts)``.
Every planned task carries only its selected requirement ids. A step-7 review series is
planned when it lists no requirement ids or at least one of them is selected.
A planned task whose dependency was left out inherits that dependency's own dependencies,
so the order the templates express still holds.

Effort: ``effort_days x scaling[size_class] x scaling[risk_level]``, rounded to the
nearest quarter person-day (at least a quarter).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from core.errors import PlanningError
from knowledge.catalog import RequirementCatalog
from knowledge.plan import ReviewTemplate, Scaling, TaskTemplate


@dataclass(frozen=True)
class PlannedTemplate:
    """A template chosen for the scenario, with scaled effort and resolved dependencies."""

    template: TaskTemplate
    effort: Fraction
    depends_on: tuple[str, ...]
    requirement_ids: tuple[str, ...]


def check_templates(tasks: Sequence[TaskTemplate], catalog: RequirementCatalog) -> None:
    """Refuse unknown ids, dependencies on later steps, and cycles, naming the tasks."""
    by_id = {t.id: t for t in tasks}
    for task in tasks:
        _check_requirements(task.id, task.requirement_ids, catalog)
        for dep in task.depends_on:
            if dep not in by_id:
                raise PlanningError(
                    f"Planvorlage {task.id}: unbekannte Abhängigkeit '{dep}'.",
                    en=f"Plan template {task.id}: unknown dependency '{dep}'.",
                )
            if by_id[dep].step > task.step:
                raise PlanningError(
                    f"Planvorlage {task.id} (Schritt {task.step}) hängt von {dep} "
                    f"(Schritt {by_id[dep].step}) ab; Schritte laufen in Reihenfolge, "
                    "eine Aufgabe kann nicht auf einen späteren Schritt warten.",
                    en=f"Plan template {task.id} (step {task.step}) depends on {dep} "
                    f"(step {by_id[dep].step}); steps run in order, "
                    "a task cannot wait for a later step.",
                )
    cycle = find_cycle({t.id: t.depends_on for t in tasks})
    if cycle:
        chain = " → ".join(cycle)
        raise PlanningError(
            f"Planvorlagen enthalten einen Abhängigkeitszyklus: {chain}.",
            en=f"The plan templates contain a dependency cycle: {chain}.",
        )


def check_reviews(reviews: Sequence[ReviewTemplate], catalog: RequirementCatalog) -> None:
    for review in reviews:
        _check_requirements(review.id, review.requirement_ids, catalog)


def _check_requirements(
    template_id: str, requirement_ids: Sequence[str], catalog: RequirementCatalog
) -> None:
    unknown = [r for r in requirement_ids if r not in catalog]
    if unknown:
        raise PlanningError(
            f"Planvorlage {template_id}: unbekannte Anforderungen {unknown} "
            "(nicht im Anforderungskatalog).",
            en=f"Plan template {template_id}: unknown requirements {unknown} "
            "(not in the requirement catalog).",
        )


def find_cycle(graph: dict[str, Sequence[str]]) -> list[str] | None:
    """Return one dependency cycle as ``[a, b, ..., a]`` or None (iterative DFS)."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    for root in sorted(graph):
        if colour[root] != white:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = [root]
        colour[root] = grey
        while stack:
            node, index = stack[-1]
            deps = graph.get(node, ())
            if index < len(deps):
                stack[-1] = (node, index + 1)
                nxt = deps[index]
                if colour.get(nxt, black) == grey:
                    return [*path[path.index(nxt) :], nxt]
                if colour.get(nxt) == white:
                    colour[nxt] = grey
                    stack.append((nxt, 0))
                    path.append(nxt)
            else:
                colour[node] = black
                stack.pop()
                path.pop()
    return None


def scale_effort(
    effort_days: float, scaling: Scaling, size_class: str, risk_level: str
) -> Fraction:
    """Scaled effort in person-days, rounded to the nearest quarter day (at least a quarter)."""
    size = {"micro": scaling.micro, "small": scaling.small, "medium": scaling.medium}[size_class]
    risk = {"low": scaling.low, "medium": scaling.risk_medium, "high": scaling.high}[risk_level]
    quarters = math.floor(round(effort_days * size * risk * 4, 6) + 0.5)
    return Fraction(max(quarters, 1), 4)


def select_templates(
    tasks: Sequence[TaskTemplate],
    facts: Iterable[str],
    selected_requirements: set[str],
    size_class: str,
    risk_level: str,
) -> tuple[list[PlannedTemplate], list[str]]:
    """Apply the inclusion rule; return planned tasks (template order) and excluded ids."""
    have = frozenset(facts)
    by_id = {t.id: t for t in tasks}
    included: dict[str, tuple[str, ...]] = {}
    excluded: list[str] = []
    for task in tasks:
        reqs = tuple(r for r in task.requirement_ids if r in selected_requirements)
        core = not task.include_if
        optional_applies = bool(set(task.include_if) & have) and (
            not task.requirement_ids or bool(reqs)
        )
        if core or optional_applies:
            included[task.id] = reqs
        else:
            excluded.append(task.id)

    def resolve(dep: str, seen: set[str]) -> list[str]:
        if dep in included:
            return [dep]
        out: list[str] = []
        for sub in by_id[dep].depends_on:
            if sub not in seen:
                seen.add(sub)
                out.extend(resolve(sub, seen))
        return out

    ancestors: dict[str, set[str]] = {}

    def reach(tid: str) -> set[str]:
        """Included tasks that ``tid`` waits for, directly or through others."""
        if tid not in ancestors:
            found: set[str] = set()
            for dep in by_id[tid].depends_on:
                for resolved in resolve(dep, {dep}):
                    found |= {resolved, *reach(resolved)}
            ancestors[tid] = found
        return ancestors[tid]

    planned: list[PlannedTemplate] = []
    for task in tasks:
        if task.id not in included:
            continue
        direct = [d for d in task.depends_on if d in included]
        implied = set().union(*(reach(d) for d in direct)) if direct else set()
        deps = list(direct)
        for dep in task.depends_on:
            if dep in included:
                continue
            # inherited from a left-out task: keep only what is not already implied
            for resolved in resolve(dep, {dep}):
                if resolved not in deps and resolved not in implied:
                    deps.append(resolved)
                    implied |= reach(resolved)
        planned.append(
            PlannedTemplate(
                template=task,
                effort=scale_effort(task.effort_days, task.scaling, size_class, risk_level),
                depends_on=tuple(deps),
                requirement_ids=included[task.id],
            )
        )
    return planned, excluded
