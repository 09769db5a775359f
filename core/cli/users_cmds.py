"""`lotse users add|list|grant|revoke|passwd|remove` (local operator acts as admin)."""

from __future__ import annotations

import sys

import click

from core.access import Role
from core.cli.app import CliContext, cli, echo_json
from core.users import UserStore


def user_store(ctx: CliContext) -> UserStore:
    return UserStore(ctx.settings.data_dir / "users.db")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("Passwort", hide_input=True, confirmation_prompt=True))


@cli.group()
def users() -> None:
    """Manage users, roles and workspace grants (enables login in the app)."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), default="viewer", show_default=True
)
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@click.pass_obj
def add(ctx: CliContext, name: str, role: str, password_stdin: bool) -> None:
    """Add user NAME with a role."""
    user_store(ctx).add(name, _password(password_stdin), Role(role))
    ctx.audit.record("user_add", workspace="", target=name, role=role)
    click.echo(f"Benutzer '{name}' ({role}) angelegt.")


@users.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_(ctx: CliContext, as_json: bool) -> None:
    """List users with role and granted workspaces."""
    rows = user_store(ctx).list()
    if as_json:
        echo_json(
            [
                {"name": p.name, "role": p.role.value, "workspaces": sorted(p.workspaces)}
                for p in rows
            ]
        )
        return
    if not rows:
        click.echo("Keine Benutzer: die App läuft im Einzelplatzmodus ohne Anmeldung.")
    for p in rows:
        click.echo(f"{p.name:24} {p.role.value:7} {', '.join(sorted(p.workspaces)) or '-'}")


@users.command("grant")
@click.argument("name")
@click.argument("workspace")
@click.pass_obj
def grant(ctx: CliContext, name: str, workspace: str) -> None:
    """Grant NAME access to WORKSPACE."""
    user_store(ctx).grant(name, workspace)
    ctx.audit.record("grant", workspace=workspace, target=name)
    click.echo(f"'{name}' hat Zugriff auf '{workspace}'.")


@users.command("revoke")
@click.argument("name")
@click.argument("workspace")
@click.pass_obj
def revoke(ctx: CliContext, name: str, workspace: str) -> None:
    """Revoke NAME's access to WORKSPACE."""
    user_store(ctx).revoke(name, workspace)
    ctx.audit.record("revoke", workspace=workspace, target=name)
    click.echo(f"Zugriff von '{name}' auf '{workspace}' entzogen.")


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True)
@click.pass_obj
def passwd(ctx: CliContext, name: str, password_stdin: bool) -> None:
    """Set a new password for NAME."""
    user_store(ctx).set_password(name, _password(password_stdin))
    ctx.audit.record("passwd", target=name)
    click.echo(f"Passwort von '{name}' geändert.")


@users.command("remove")
@click.argument("name")
@click.pass_obj
def remove(ctx: CliContext, name: str) -> None:
    """Remove user NAME."""
    user_store(ctx).remove(name)
    ctx.audit.record("user_remove", target=name)
    click.echo(f"Benutzer '{name}' entfernt.")
