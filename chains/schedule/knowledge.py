"""Load the two knowledge sources a schedule needs from one knowledge directory."""

from __future__ import annotations

from pathlib import Path

from knowledge.catalog import RequirementCatalog, load_catalog
from knowledge.plan import PlanTemplates, load_plan_templates


def load_schedule_knowledge(knowledge_dir: Path) -> tuple[PlanTemplates, RequirementCatalog]:
    """``knowledge_dir/plan`` templates and ``knowledge_dir/catalog`` requirements."""
    return load_plan_templates(knowledge_dir / "plan"), load_catalog(knowledge_dir / "catalog")
