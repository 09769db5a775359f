"""Root ``lotse`` group, shared CLI context, and the one place where errors become messages."""

from __future__ import annotations

import importlib
import json
import logging
import sys
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from core.audit import AuditLog
from core.errors import LotseError
from core.settings import Settings, load_settings

if TYPE_CHECKING:
    from core.factory import Services

log = logging.getLogger(__name__)

# Modules that add commands to the groups below (imported once in ``main``).
COMMAND_MODULES = [
    "core.cli.workspace_cmds",
    "core.cli.bootstrap_cmds",
    "core.cli.ingest_cmds",
    "core.cli.search_cmds",
    "core.cli.docs_cmds",
    "core.cli.eval_cmds",
    "core.cli.ask_cmds",
    "core.cli.draft_requirements_cmds",
    "core.cli.draft_schedule_cmds",
    "core.cli.draft_training_cmds",
    "core.cli.vendors_cmds",
    "core.cli.users_cmds",
    "core.cli.audit_cmds",
]


class CliContext:
    """Settings read once; services (model, Chroma) built on first use only.

    Pass prebuilt ``services`` to share one loaded model (tests, embedding the CLI).
    """

    def __init__(self, settings: Settings, services: Services | None = None) -> None:
        if services is not None and services.settings is not settings:
            raise ValueError("services were built for other settings")
        self.settings = settings
        if services is not None:
            self.__dict__["services"] = services  # pre-fills the cached property

    @cached_property
    def audit(self) -> AuditLog:
        return AuditLog(self.settings.data_dir / "audit.jsonl")

    @cached_property
    def services(self) -> Services:
        from core.factory import build_services

        return build_services(self.settings)


class LotseGroup(click.Group):
    """Translates domain errors into a clean message and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LotseError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=LotseGroup)
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """KI-Lotse: secure AI integration for KMU, from the command line."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if ctx.obj is None:
        try:
            ctx.obj = CliContext(load_settings())
        except LotseError as exc:
            raise click.ClickException(str(exc)) from exc


@cli.group()
def draft() -> None:
    """Draft requirements, schedules and training kits from a scenario."""


# The scenario file every `lotse draft ...` command reads.
scenario_option = click.option(
    "--scenario",
    "scenario_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Scenario YAML (see data/scenarios/).",
)


def echo_json(value: Any) -> None:
    """Print JSON with umlauts intact (ensure_ascii off)."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def load_commands() -> None:
    """Import the command modules; each registers its commands on the groups above."""
    for name in COMMAND_MODULES:
        importlib.import_module(name)


def main() -> None:
    load_commands()
    cli(prog_name="lotse")
