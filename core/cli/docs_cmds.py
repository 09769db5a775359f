"""`lotse docs list|show|delete` for the documents of one workspace."""

from __future__ import annotations

import click

from core.cli.app import CliContext, cli, echo_json
from core.errors import WorkspaceError


@cli.group()
def docs() -> None:
    """List, inspect and delete documents of a workspace."""


@docs.command("list")
@click.option("--workspace", "-w", default="default", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_(ctx: CliContext, workspace: str, as_json: bool) -> None:
    """List documents with category, language, pages and chunks."""
    ws = ctx.services.workspaces.open(workspace)
    rows = sorted(ws.documents(fresh=True).values(), key=lambda d: d.source)
    if as_json:
        echo_json(
            [
                {
                    "doc_id": d.doc_id,
                    "source": d.source,
                    "title": d.title,
                    "category": d.category,
                    "language": d.language,
                    "pages": d.pages,
                    "chunks": d.chunks,
                    "ingested_at": d.ingested_at,
                    "vendor": d.vendor,
                }
                for d in rows
            ]
        )
        return
    if not rows:
        click.echo(
            f"Arbeitsbereich '{workspace}' ist leer. Einlesen mit: lotse ingest PFAD -w {workspace}"
        )
    for d in rows:
        click.echo(f"{d.doc_id}  {d.category:9} {d.language}  {d.chunks:5} Abschn.  {d.source}")


@docs.command("delete")
@click.argument("doc")
@click.option("--workspace", "-w", default="default", show_default=True)
@click.pass_obj
def delete(ctx: CliContext, workspace: str, doc: str) -> None:
    """Delete a document (by doc_id or file name) and all its chunks."""
    ws = ctx.services.workspaces.open(workspace)
    info = ws.find_document(doc)
    if info is None:
        raise WorkspaceError(f"Dokument '{doc}' gibt es im Arbeitsbereich '{workspace}' nicht.")
    n = ws.delete_document(info.doc_id)
    click.echo(f"{info.source} gelöscht ({n} Abschnitte).")
