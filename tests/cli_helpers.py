"""Running ``lotse`` in-process with click's CliRunner and services built on the shared model."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from click.testing import CliRunner, Result

from core.cli.app import CliContext, cli, load_commands
from core.factory import Services

# The JSON contract of issue 2 (other tools build on these names).
INGEST_KEYS = {"ingested", "unchanged", "replaced", "chunks", "failed"}
FAILED_KEYS = {"file", "error"}
SEARCH_KEYS = {"rank", "text", "source", "page", "section", "doc_id", "category", "score"}
DOCS_KEYS = {"doc_id", "source", "title", "category", "language", "pages", "chunks", "ingested_at"}
DOCS_EXTENSIONS = {"vendor"}  # documented addition (CONTRACTS.md: vendor tags)

Run = Callable[..., Result]


def cli_runner(services: Services) -> Run:
    """``run("search", "frage", "-w", "kunde-a", "--json")`` -> click Result."""
    load_commands()
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(
            cli,
            list(args),
            obj=CliContext(services.settings, services),
            input=input,
            catch_exceptions=False,
        )

    return run


def json_out(result: Result) -> Any:
    return json.loads(result.stdout)
