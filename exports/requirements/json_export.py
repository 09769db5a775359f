"""RequirementsDoc <-> JSON: the typed model's own dump, so the file reads back exactly.

Stable contract: ``scenario, language, requirements[id, step, category, priority, title,
text, rationale, verification, status, evidence[source, page, text]], open_questions,
sources``; every other key is additional detail.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from chains.requirements.records import RequirementsDoc
from core.errors import ExportError


def requirements_to_dict(doc: RequirementsDoc) -> dict[str, Any]:
    return doc.model_dump(mode="json")


def to_json(doc: RequirementsDoc) -> bytes:
    return doc.model_dump_json(indent=2).encode("utf-8")


def from_json(data: bytes | str) -> RequirementsDoc:
    """Read a document written by ``to_json``; anything else is an ExportError."""
    try:
        return RequirementsDoc.model_validate_json(data)
    except ValidationError as exc:
        raise ExportError(f"Keine gültige Anforderungsdatei: {exc.errors()[0]['msg']}") from exc
