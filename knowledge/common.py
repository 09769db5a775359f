"""Shared building blocks of the knowledge models and one YAML loader with clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from core.errors import KnowledgeError

Lang = Literal["de", "en"]

STEPS: dict[int, dict[str, str]] = {
    1: {"de": "IT-Landschaft analysieren", "en": "Analyse the IT landscape"},
    2: {"de": "Sicherheitsanforderungen identifizieren", "en": "Identify security requirements"},
    3: {"de": "KI-Dienste bewerten und auswählen", "en": "Evaluate and select AI services"},
    4: {"de": "Implementierung planen", "en": "Plan the implementation"},
    5: {"de": "Mitarbeitende schulen", "en": "Train staff"},
    6: {"de": "Integration testen", "en": "Test the integration"},
    7: {"de": "Regelmässig überprüfen und optimieren", "en": "Review and optimise regularly"},
}


class StrictModel(BaseModel):
    """Frozen model that rejects unknown fields, so typos in YAML are reported, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedText(StrictModel):
    """A text in German (primary) and English."""

    de: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.de if lang == "de" else self.en


M = TypeVar("M", bound=BaseModel)
# libyaml's C loader is ten times faster on the catalog; it is as safe as safe_load.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file; syntax errors become a KnowledgeError naming the file and line."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (Zeile {mark.line + 1})" if mark is not None else ""
        raise KnowledgeError(f"{path.name}{where}: ungültiges YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path.name}: nicht lesbar: {exc}") from exc


def validate_entries(path: Path, key: str, model: type[M]) -> list[M]:
    """Validate ``data[key]`` (a list) entry by entry; errors name file, entry and field."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise KnowledgeError(f"{path.name}: erwartet eine Liste unter '{key}'.")
    out: list[M] = []
    for index, raw in enumerate(data[key]):
        label = raw.get("id", f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
        try:
            out.append(model.model_validate(raw))
        except ValidationError as exc:
            raise KnowledgeError(
                f"{path.name}, Eintrag {label}: {format_validation_error(exc)}"
            ) from exc
    return out


def format_validation_error(exc: ValidationError) -> str:
    """Turn pydantic's error list into one readable line naming each field."""
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "(root)"
        parts.append(f"Feld '{field}': {err['msg']}")
    return "; ".join(parts)
