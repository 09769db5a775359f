"""``lotse draft requirements``: the security-requirements document for a scenario."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from chains.requirements import (
    EvidenceConfig,
    RequirementsDoc,
    Status,
    draft_requirements,
    vectors,
)
from chains.requirements.texts import status_name
from core.cli.app import CliContext, draft, scenario_option
from exports.requirements import REQUIREMENTS_FORMATS, export_requirements, requirements_format
from knowledge.catalog import load_catalog
from knowledge.scenario import load_scenario

log = logging.getLogger(__name__)


def summary_line(doc: RequirementsDoc) -> str:
    """``98 Anforderungen: 10 abgedeckt, 32 teilweise, 52 offen, 4 widersprüchlich``."""
    lang = doc.language
    counts = ", ".join(f"{doc.count(s)} {status_name(s, lang)}" for s in Status)
    noun = "Anforderungen" if lang == "de" else "requirements"
    return f"{len(doc.requirements)} {noun}: {counts}"


@draft.command("requirements")
@scenario_option
@click.option(
    "--workspace",
    "-w",
    default="default",
    show_default=True,
    help="Workspace whose policies and vendor documents are searched for evidence.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file; its suffix picks the format: " + ", ".join(REQUIREMENTS_FORMATS) + ".",
)
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default=None,
    help="Language of the document (default: LOTSE_UI_LANGUAGE, i.e. German).",
)
@click.option(
    "--no-evidence", is_flag=True, help="Do not search the workspace: every requirement stays open."
)
@click.pass_obj
def requirements(
    ctx: CliContext,
    scenario_path: Path,
    workspace: str,
    out: Path,
    lang: str | None,
    no_evidence: bool,
) -> None:
    """Draft the security requirements for a scenario, with evidence from the workspace.

    Selects the applicable catalog requirements, adjusts priorities to the scenario's
    risk, marks each as covered, partly, open or conflicting with citations from the
    workspace's policies and vendor documents, and writes DOCX, XLSX, MD or JSON.
    Prints one line: how many requirements and how many per status.
    """
    requirements_format(out.name)  # refuse an unknown suffix before any work
    settings = ctx.settings
    scenario = load_scenario(scenario_path)
    catalog = load_catalog(settings.knowledge_dir / "catalog")
    retriever = None if no_evidence else ctx.services.retriever(workspace)
    config = EvidenceConfig(vector_cache=settings.index_dir / vectors.CACHE_FILE)
    doc = draft_requirements(
        scenario,
        catalog,
        retriever,
        lang="en" if (lang or settings.ui_language) == "en" else "de",
        config=config,
    )
    export_requirements(doc, out)
    ctx.audit.record(
        "draft_requirements",
        workspace=workspace if retriever else "",
        requirements=len(doc.requirements),
        out=out.name,
    )
    log.info("requirements written to %s", out)
    click.echo(f"{summary_line(doc)} → {out}")
