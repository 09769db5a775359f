"""`lotse bootstrap`: load the shipped knowledge (data/manifest.yaml) into a workspace."""

from __future__ import annotations

import click

from core.cli.app import CliContext, cli
from core.cli.ingest_cmds import ingest_options
from core.errors import KnowledgeError
from ingest.pipeline import ingest_paths
from knowledge.manifest import shipped_documents


@cli.command()
@click.option("--workspace", "-w", default="default", show_default=True)
@click.option("--force", is_flag=True, help="Load even if the workspace already has documents.")
@click.pass_obj
def bootstrap(ctx: CliContext, workspace: str, force: bool) -> None:
    """Fill the workspace with the shipped guide, policy and vendor sheets if it is empty."""
    ws = ctx.services.workspaces.open(workspace, create=True)
    if ws.documents(fresh=True) and not force:
        click.echo(f"Arbeitsbereich '{workspace}' enthält bereits Dokumente; nichts zu tun.")
        return
    total = 0
    for path, category, vendor in shipped_documents(ctx.settings.knowledge_dir):
        report = ingest_paths(ws, [path], ingest_options(ctx, category, vendor))
        for failed in report.failed:
            raise KnowledgeError(f"{failed.file}: {failed.error}")
        total += report.chunks
    click.echo(f"Wissensbasis in '{workspace}' geladen ({total} Abschnitte).")
