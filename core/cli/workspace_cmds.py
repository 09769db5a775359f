"""`lotse workspace create|list|delete|export|import`."""

from __future__ import annotations

from pathlib import Path

import click

from core.cli.app import CliContext, cli, echo_json


@cli.group()
def workspace() -> None:
    """Manage client workspaces (one per client, fully isolated)."""


@workspace.command("create")
@click.argument("name")
@click.pass_obj
def create(ctx: CliContext, name: str) -> None:
    """Create an empty workspace NAME."""
    ctx.services.workspaces.create(name)
    click.echo(f"Arbeitsbereich '{name}' angelegt.")


@workspace.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def list_(ctx: CliContext, as_json: bool) -> None:
    """List workspaces with documents, chunks and size."""
    rows = ctx.services.workspaces.summaries()
    if as_json:
        echo_json([r.__dict__ for r in rows])
        return
    if not rows:
        click.echo("Keine Arbeitsbereiche. Anlegen mit: lotse workspace create NAME")
    for r in rows:
        click.echo(
            f"{r.name:30} {r.documents:5} Dokumente {r.chunks:7} Abschnitte "
            f"{r.size_bytes / 1024:9.0f} KB"
        )


@workspace.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def delete(ctx: CliContext, name: str, yes: bool) -> None:
    """Delete workspace NAME and everything in it."""
    if not yes:
        click.confirm(f"Arbeitsbereich '{name}' mit allen Dokumenten löschen?", abort=True)
    ctx.services.workspaces.delete(name)
    click.echo(f"Arbeitsbereich '{name}' gelöscht.")


@workspace.command("export")
@click.argument("name")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def export(ctx: CliContext, name: str, archive: Path) -> None:
    """Export workspace NAME to a single .zip ARCHIVE."""
    path = ctx.services.workspaces.export(name, archive)
    click.echo(f"Exportiert nach {path}")


@workspace.command("import")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", default=None, help="Workspace name (default: the one in the archive).")
@click.option("--replace", is_flag=True, help="Replace an existing workspace of that name.")
@click.pass_obj
def import_(ctx: CliContext, archive: Path, name: str | None, replace: bool) -> None:
    """Import a workspace from ARCHIVE."""
    target = ctx.services.workspaces.import_(archive, name, replace)
    click.echo(f"Importiert als Arbeitsbereich '{target}'.")
