"""`lotse audit show|verify|export`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from core.cli.app import CliContext, cli


@cli.group()
def audit() -> None:
    """Read and verify the tamper-evident audit trail."""


@audit.command("show")
@click.option("--last", default=50, show_default=True, type=click.IntRange(1, 100000))
@click.option("--workspace", "-w", default=None)
@click.pass_obj
def show(ctx: CliContext, last: int, workspace: str | None) -> None:
    """Print the newest events."""
    events = [e for e in ctx.audit.events() if workspace is None or e.workspace == workspace]
    for e in events[-last:]:
        details = json.dumps(e.details, ensure_ascii=False)
        click.echo(f"{e.seq:6} {e.time} {e.user:12} {e.action:18} {e.workspace:16} {details}")


@audit.command("verify")
@click.pass_obj
def verify(ctx: CliContext) -> None:
    """Check the hash chain; exit 1 and name the first broken line if tampered."""
    result = ctx.audit.verify()
    if result.ok:
        click.echo(f"Protokoll unverändert: {result.events} Einträge, Kette intakt.")
        return
    click.echo(f"Protokoll MANIPULIERT: Zeile {result.first_bad_line}: {result.reason}.", err=True)
    sys.exit(1)


@audit.command("export")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def export(ctx: CliContext, target: Path) -> None:
    """Export all events as JSON lines to TARGET."""
    with target.open("w", encoding="utf-8") as fh:
        for e in ctx.audit.events():
            fh.write(json.dumps(e.__dict__, ensure_ascii=False) + "\n")
    click.echo(f"Protokoll exportiert nach {target}.")
