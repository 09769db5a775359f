"""`lotse bootstrap`: load the shipped knowledge (data/manifest.yaml) into a workspace."""

from __future__ import annotations

from pathlib import Path

import click

from core.cli.app import CliContext, cli
from core.cli.ingest_cmds import ingest_options
from core.errors import KnowledgeError
from ingest.pipeline import ingest_paths
from knowledge.common import read_yaml


def shipped_documents(knowledge_dir: Path) -> list[tuple[Path, str, str | None]]:
    """(path, category, vendor) for every document listed in data/manifest.yaml."""
    manifest = knowledge_dir / "manifest.yaml"
    data = read_yaml(manifest)
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise KnowledgeError(f"{manifest.name}: erwartet eine Liste unter 'documents'.")
    out = []
    for entry in data["documents"]:
        path = knowledge_dir / str(entry["path"])
        if not path.exists():
            raise KnowledgeError(f"{manifest.name}: Datei {entry['path']} fehlt.")
        out.append((path, str(entry.get("category", "guidance")), entry.get("vendor")))
    return out


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
