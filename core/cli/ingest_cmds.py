"""`lotse ingest PATH... --workspace W [--category C] [--vendor V] [--json]`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from core.cli.app import CliContext, cli, echo_json
from core.domain import CATEGORIES
from ingest.loaders import Limits
from ingest.pipeline import IngestOptions, Progress, expand_paths, ingest_paths


def ingest_options(ctx: CliContext, category: str, vendor: str | None) -> IngestOptions:
    s = ctx.settings
    return IngestOptions(
        category=category,
        vendor=vendor,
        chunk_chars=s.chunk_chars,
        overlap_chars=s.chunk_overlap_chars,
        limits=Limits.from_settings(s),
    )


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--workspace", "-w", default="default", show_default=True)
@click.option("--category", type=click.Choice(CATEGORIES), default="other", show_default=True)
@click.option("--vendor", default=None, help="Vendor name tag (for category vendor).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--create/--no-create",
    default=True,
    show_default=True,
    help="Create the workspace if it does not exist.",
)
@click.pass_obj
def ingest(
    ctx: CliContext,
    paths: tuple[Path, ...],
    workspace: str,
    category: str,
    vendor: str | None,
    as_json: bool,
    create: bool,
) -> None:
    """Ingest files or folders (recursive) into a workspace; unchanged files are skipped."""
    missing = [p for p in paths if not p.exists()]
    ws = ctx.services.workspaces.open(workspace, create=create)
    files = expand_paths([p for p in paths if p.exists()])
    with click.progressbar(length=len(files), label="Einlesen", file=sys.stderr) as bar:

        def progress(p: Progress) -> None:
            bar.label = f"{p.file[:40]:40} {p.chunks_done:6} Abschnitte"
            bar.update(1)

        report = ingest_paths(ws, files, ingest_options(ctx, category, vendor), progress)
    failed = [{"file": r.file, "error": r.error} for r in report.failed]
    failed += [{"file": str(p), "error": "Datei oder Ordner nicht gefunden."} for p in missing]
    data = {**report.as_json(), "failed": failed}
    if as_json:
        echo_json(data)
    else:
        click.echo(
            f"{data['ingested']} eingelesen, {data['replaced']} ersetzt, "
            f"{data['unchanged']} unverändert, {data['chunks']} Abschnitte, "
            f"{len(failed)} fehlgeschlagen."
        )
        for f in failed:
            click.echo(f"  FEHLER {f['file']}: {f['error']}", err=True)
    if failed:
        sys.exit(1)
