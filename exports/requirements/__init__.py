"""Requirements writers (DOCX, XLSX, Markdown, JSON), chosen by file suffix."""

from exports.requirements.json_export import from_json, requirements_to_dict
from exports.requirements.markdown import to_markdown_text
from exports.requirements.registry import (
    REQUIREMENTS_FORMATS,
    export_requirements,
    requirements_bytes,
    requirements_format,
)

__all__ = [
    "REQUIREMENTS_FORMATS",
    "export_requirements",
    "from_json",
    "requirements_bytes",
    "requirements_format",
    "requirements_to_dict",
    "to_markdown_text",
]
