"""The one place that maps a file suffix to a requirements writer (and its media type)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from chains.requirements.records import RequirementsDoc
from core.errors import ExportError
from exports.requirements.json_export import to_json
from exports.requirements.markdown import to_markdown
from exports.requirements.word import to_docx
from exports.requirements.xlsx import to_xlsx


@dataclass(frozen=True)
class RequirementsFormat:
    suffix: str
    media_type: str
    write: Callable[[RequirementsDoc], bytes]


REQUIREMENTS_FORMATS: dict[str, RequirementsFormat] = {
    f.suffix: f
    for f in (
        RequirementsFormat(
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            to_docx,
        ),
        RequirementsFormat(
            ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx
        ),
        RequirementsFormat(".md", "text/markdown", to_markdown),
        RequirementsFormat(".json", "application/json", to_json),
    )
}


def requirements_format(name: str) -> RequirementsFormat:
    """Look up by suffix (``.docx``), bare format (``docx``) or file name (``req.docx``)."""
    key = name.strip().lower()
    if not key.startswith("."):
        key = Path(key).suffix.lower() or f".{key}"
    try:
        return REQUIREMENTS_FORMATS[key]
    except KeyError:
        supported = ", ".join(REQUIREMENTS_FORMATS)
        raise ExportError(
            f"Unbekanntes Exportformat '{name}' für die Anforderungen. Unterstützt: {supported}."
        ) from None


def requirements_bytes(doc: RequirementsDoc, fmt: str) -> bytes:
    """The file content for a format, e.g. for a download button."""
    return requirements_format(fmt).write(doc)


def export_requirements(doc: RequirementsDoc, path: Path) -> Path:
    """Write the document in the format its suffix names; creates missing parent folders."""
    content = requirements_bytes(doc, path.name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as exc:
        raise ExportError(f"{path}: Anforderungen konnten nicht geschrieben werden: {exc}") from exc
    return path
