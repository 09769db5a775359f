"""The ``lotse`` command line: one module per command group, registered on import."""

from core.cli.app import cli, main

__all__ = ["cli", "main"]
