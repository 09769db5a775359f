"""The one place that maps a file suffix to a requirements writer (and its media type)."""

from __future__ import annotations

from chains.requirements.records import RequirementsDoc
from exports.formats import DOCX, XLSX, Format, FormatRegistry
from exports.requirements.json_export import to_json
from exports.requirements.markdown import to_markdown
from exports.requirements.word import to_docx
from exports.requirements.xlsx import to_xlsx

REQUIREMENTS: FormatRegistry[RequirementsDoc] = FormatRegistry(
    "die Anforderungen",
    [
        Format(".docx", DOCX, to_docx),
        Format(".xlsx", XLSX, to_xlsx),
        Format(".md", "text/markdown", to_markdown),
        Format(".json", "application/json", to_json),
    ],
    what_en="the requirements",
)
REQUIREMENTS_FORMATS = REQUIREMENTS.formats
requirements_format = REQUIREMENTS.lookup
requirements_bytes = REQUIREMENTS.to_bytes
export_requirements = REQUIREMENTS.write
