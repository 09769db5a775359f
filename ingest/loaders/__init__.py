"""Loader registry: one reader per file suffix, each returning a LoadedDocument."""

from ingest.loaders.registry import LOADERS, Limits, load_file, loader_for, supported_suffixes

__all__ = ["LOADERS", "Limits", "load_file", "loader_for", "supported_suffixes"]
