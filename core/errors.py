"""The one error hierarchy of KI-Lotse.

Every error carries a message written for the user; the edges (CLI, Streamlit) print it
and never a traceback. ``str(error)`` is German (the CLI, its JSON and the logs read it);
an error a user of the English UI can meet also carries its English text, which the
Streamlit edges show with ``error.text(lang)``.

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
    """Base class: ``str(err)`` is a complete, user-facing sentence in German.

    ``en`` is the same sentence in English, so the UI can answer in the user's language
    without a second error type; errors raised without one read German in both languages.
    """

    def __init__(self, message: str, *, en: str | None = None) -> None:
        super().__init__(message)
        self.message_en = en

    def text(self, lang: str) -> str:
        """The message for a reader of ``lang``: English when asked for and given, else German."""
        if lang == "en" and self.message_en is not None:
            return self.message_en
        return str(self)


class ConfigError(LotseError):
    """Settings or environment cannot be used."""


class WorkspaceError(LotseError):
    """A workspace name is invalid, missing, taken, or an archive is broken."""


class IngestError(LotseError):
    """A single file could not be ingested; the message names the file and the reason.

    ``reason`` and ``reason_en`` are kept apart from the file name because a failed file's
    result row shows the name in a column of its own (``FileResult.error``/``error_en``).
    """

    def __init__(self, file: str, reason: str, *, en: str | None = None) -> None:
        super().__init__(f"{file}: {reason}", en=None if en is None else f"{file}: {en}")
        self.file = file
        self.reason = reason
        self.reason_en = en


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
