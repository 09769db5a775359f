"""Shared inputs for the requirements tests: catalog, example scenarios, an evidence store.

``evidence_store`` ingests the shipped example policy and both fictional vendor sheets into
one workspace (real USE model, real Chroma in a temporary directory), tagged as
``make run`` tags them (see data/manifest.yaml). Import it into a test module to use it.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from chains.requirements import RequirementsDoc, draft_requirements
from core.factory import Services, build_services
from ingest.pipeline import IngestOptions, ingest_paths
from kb.embeddings import Embedder
from knowledge.catalog import RequirementCatalog, load_catalog
from knowledge.scenario import Scenario, load_scenario
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
EXAMPLES = ("treuhand", "manufacturer", "onlineshop")
POLICY_FILE = "policy_ki_nutzungsrichtlinie_musterfirma_de.md"
ALPINA_FILE = "vendor_alpina_ai_factsheet_de.md"
NIMBUS_FILE = "vendor_nimbus_chat_factsheet_en.md"
ALPINA, NIMBUS = "Alpina AI", "Nimbus Chat"
WS = "richtlinien"
EMPTY_WS = "leer"
TODAY = date(2026, 12, 1)


@cache
def catalog() -> RequirementCatalog:
    return load_catalog(DATA / "catalog")


@cache
def example(name: str) -> Scenario:
    return load_scenario(DATA / "scenarios" / f"{name}.yaml")


def scenario(**changes: Any) -> Scenario:
    """A small, low-risk scenario; nested keys as ``ai_service={...}`` replace whole parts."""
    raw: dict[str, Any] = {
        "company": {"name": "Kleinbetrieb GmbH", "employees": 5, "country": "CH"},
        "ai_service": {
            "purpose": "Texte entwerfen",
            "type": "writing_assistant",
            "deployment": "self_hosted",
        },
        "data": ["none"],
        "users": "internal",
    }
    raw.update(changes)
    return Scenario.model_validate(raw)


def offline_doc(name: str = "treuhand", lang: str = "de") -> RequirementsDoc:
    """A document without a workspace: everything open, fast, deterministic."""
    return draft_requirements(
        example(name), catalog(), None, lang="en" if lang == "en" else "de", today=TODAY
    )


@pytest.fixture(scope="module")
def evidence_store(embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Services:
    """Policy + Alpina + Nimbus in workspace ``richtlinien``; an empty workspace ``leer``."""
    services = build_services(make_settings(tmp_path_factory.mktemp("req")), embedder=embedder)
    ws = services.workspaces.open(WS, create=True)
    for name, category, vendor in (
        (POLICY_FILE, "policy", None),
        (ALPINA_FILE, "vendor", ALPINA),
        (NIMBUS_FILE, "vendor", NIMBUS),
    ):
        report = ingest_paths(
            ws, [DATA / "examples" / name], IngestOptions(category=category, vendor=vendor)
        )
        assert report.count("ingested") == 1, report.as_json()
    services.workspaces.open(EMPTY_WS, create=True)
    return services
