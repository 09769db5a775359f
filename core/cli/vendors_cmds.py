"""``lotse vendors compare|list``: compare AI services from their own documents."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from chains.vendors import (
    compare_vendors,
    load_default_criteria,
    parse_vendor_spec,
    vendor_tags,
)
from core.cli.app import CliContext, cli, echo_json
from exports.vendors import VENDOR_FORMATS, export_comparison, vendor_format
from exports.vendors.text import matrix_lines
from knowledge.catalog import load_catalog
from knowledge.scenario import load_scenario
from knowledge.vendor_criteria import load_vendor_criteria

log = logging.getLogger(__name__)


@cli.group()
def vendors() -> None:
    """Compare AI services on security and data protection (step 3)."""


@vendors.command("compare")
@click.option("--workspace", "-w", default="default", show_default=True)
@click.option(
    "--vendor",
    "vendor_specs",
    multiple=True,
    required=True,
    metavar="NAME[=DOC,DOC...]",
    help="A vendor and its documents (doc_id or file name), repeatable, 2–5 times. "
    "NAME alone takes the documents tagged with that vendor at ingest.",
)
@click.option(
    "--scenario",
    "scenario_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Scenario YAML: criteria and weights then follow its requirements.",
)
@click.option(
    "--criteria",
    "criteria_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Own criteria file (default: the shipped data/vendor_criteria.yaml).",
)
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default=None,
    help="Language of names and texts (default: LOTSE_UI_LANGUAGE).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file; its suffix picks the format: " + ", ".join(VENDOR_FORMATS) + ".",
)
@click.pass_obj
def compare(
    ctx: CliContext,
    workspace: str,
    vendor_specs: tuple[str, ...],
    scenario_path: Path | None,
    criteria_path: Path | None,
    lang: str | None,
    out: Path,
) -> None:
    """Judge 2–5 vendors on each criterion with cited evidence, score them and write OUT.

    Prints the matrix (criteria × vendors), the points over the documented criteria and
    the number of open questions per vendor. "not found" means the documents say
    nothing: a question for the vendor, not a zero.

    \b
      lotse vendors compare -w kunde --vendor "Alpina AI" \\
        --vendor "Nimbus Chat=nimbus.pdf" --out vergleich.xlsx
    """
    vendor_format(out.name)  # refuse an unknown suffix before any work
    settings = ctx.settings
    catalog = load_catalog(settings.knowledge_dir / "catalog")
    criteria = (
        load_vendor_criteria(criteria_path, catalog)
        if criteria_path
        else load_default_criteria(settings.knowledge_dir, catalog)
    )
    spec = dict(parse_vendor_spec(s) for s in vendor_specs)
    if len(spec) != len(vendor_specs):
        raise click.UsageError("Ein Anbieter ist mehrfach angegeben.")
    language = lang or settings.ui_language
    comparison = compare_vendors(
        ctx.services.retriever(workspace),
        spec,
        criteria,
        scenario=load_scenario(scenario_path) if scenario_path else None,
        lang="de" if language == "de" else "en",
        catalog=catalog,
    )
    export_comparison(comparison, out)
    log.info("vendor comparison written to %s", out)
    for line in matrix_lines(comparison):
        click.echo(line)
    click.echo(f"→ {out}")


@vendors.command("list")
@click.option("--workspace", "-w", default="default", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_vendors(ctx: CliContext, workspace: str, as_json: bool) -> None:
    """Vendor tags in a workspace and the documents that carry them."""
    tags = vendor_tags(ctx.services.workspaces.open(workspace))
    if as_json:
        echo_json(
            {
                name: [{"doc_id": d.doc_id, "source": d.source} for d in docs]
                for name, docs in tags.items()
            }
        )
        return
    if not tags:
        click.echo(
            "Keine Anbieter-Tags. Einlesen mit: lotse ingest DATEI --category vendor --vendor NAME"
        )
    for name, docs in tags.items():
        click.echo(f"{name}: " + ", ".join(f"{d.source} ({d.doc_id})" for d in docs))
