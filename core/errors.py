"""The one error hierarchy of KI-Lotse.

Every error carries a message written for the user; the edges (CLI, Streamlit) print
``str(error)`` and never a traceback.

    LotseError
     ├── ConfigError            settings or environment unusable
     ├── WorkspaceError         bad name, missing, already exists, broken archive
     ├── IngestError            one file could not be ingested (names the file)
     ├── KnowledgeError         a shipped data file (catalog, plan, glossary, ...) is invalid
     ├── ScenarioError          a scenario file is invalid (names the field)
     ├── PlanningError          a schedule cannot be planned (region, capacity, cycle)
     ├── ProviderError          an LLM provider failed (connection, timeout, rate limit)
     ├── VendorInputError       vendors/documents for a comparison unusable (names which)
     ├── ExportError            an export format is unknown or could not be written
     └── AccessDenied           the user lacks the role or grant for an action
"""

from __future__ import annotations


class LotseError(Exception):
    """Base class: ``str(err)`` is a complete, user-facing sentence."""


class ConfigError(LotseError):
    """Settings or environment cannot be used."""


class WorkspaceError(LotseError):
    """A workspace name is invalid, missing, taken, or an archive is broken."""


class IngestError(LotseError):
    """A single file could not be ingested; the message names the file and the reason."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


class KnowledgeError(LotseError):
    """A shipped or custom knowledge file (catalog, plan, glossary, ...) is invalid."""


class ScenarioError(LotseError):
    """A scenario file is invalid; the message names the field."""


class PlanningError(LotseError):
    """A schedule cannot be planned from the given input."""


class ProviderError(LotseError):
    """An LLM provider failed; callers fall back to the offline answerer."""


class VendorInputError(LotseError):
    """The vendors or documents given for a comparison cannot be used (names which)."""


class ExportError(LotseError):
    """An export could not be written."""


class AccessDenied(LotseError):
    """The current user may not perform this action in this workspace."""
