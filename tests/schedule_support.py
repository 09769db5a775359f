"""Shared inputs for the schedule tests: the shipped plan and catalog, the example scenarios."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from chains.schedule import Schedule, load_schedule_knowledge, plan_schedule
from knowledge.catalog import RequirementCatalog
from knowledge.plan import PlanTemplates, Role
from knowledge.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "data"
# Example scenario file stem -> the region its company sits in.
EXAMPLES = {"treuhand": "CH-ZH", "manufacturer": "DE-BY", "onlineshop": "CH-BE"}
XMAS_START = date(2026, 12, 21)


@cache
def knowledge() -> tuple[PlanTemplates, RequirementCatalog]:
    return load_schedule_knowledge(KNOWLEDGE)


@cache
def example(name: str) -> Scenario:
    return load_scenario(KNOWLEDGE / "scenarios" / f"{name}.yaml")


def scenario(employees: int = 20, **ai_service: Any) -> Scenario:
    """A minimal internal scenario; keyword arguments override the AI service fields."""
    service = {"purpose": "Texte entwerfen", "type": "writing_assistant", "deployment": "saas_ch"}
    service.update(ai_service)
    return Scenario.model_validate(
        {"company": {"name": "Beispiel AG", "employees": employees}, "ai_service": service}
    )


def plan(scn: Scenario, region: str = "CH-ZH", start: date = XMAS_START, **kwargs: Any) -> Schedule:
    templates, catalog = knowledge()
    return plan_schedule(scn, templates, catalog, start, region, **kwargs)


def work_by_role_and_day(schedule: Schedule) -> dict[tuple[Role, date], float]:
    total: dict[tuple[Role, date], float] = defaultdict(float)
    for task in schedule.tasks:
        for day, amount in task.work:
            total[(task.role, day)] += amount
    return dict(total)
