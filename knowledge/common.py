"""Shared building blocks of the knowledge models and one YAML loader with clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

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


class InvalidValue(ValueError):
    """A validator's complaint in German (``str``) and English (``en``).

    Pydantic keeps the exception with the error, so ``format_validation_error`` can name
    the problem in either language.
    """

    def __init__(self, message: str, *, en: str) -> None:
        super().__init__(message)
        self.en = en


def read_yaml(path: Path) -> Any:
    """Parse a YAML file; syntax errors become a KnowledgeError naming the file and line."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = None if mark is None else mark.line + 1
        where, where_en = ("", "") if line is None else (f" (Zeile {line})", f" (line {line})")
        raise KnowledgeError(
            f"{path.name}{where}: ungültiges YAML: {exc}",
            en=f"{path.name}{where_en}: invalid YAML: {exc}",
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(
            f"{path.name}: nicht lesbar: {exc}", en=f"{path.name}: not readable: {exc}"
        ) from exc


def expected_list(path: Path, key: str) -> KnowledgeError:
    """The file has no list under ``key``."""
    return KnowledgeError(
        f"{path.name}: erwartet eine Liste unter '{key}'.",
        en=f"{path.name}: expected a list under '{key}'.",
    )


def entry_problem(file: str, entry: str, de: str, en: str) -> KnowledgeError:
    """What is wrong with one entry of a knowledge file, naming file and entry."""
    return KnowledgeError(f"{file}, Eintrag {entry}: {de}", en=f"{file}, entry {entry}: {en}")


def entry_error(path: Path, label: str, exc: ValidationError) -> KnowledgeError:
    """An entry of ``path`` failed validation; the message names file, entry and fields."""
    return entry_problem(
        path.name, label, format_validation_error(exc), format_validation_error(exc, "en")
    )


def duplicate_id(file: str, entry: str, first_in: str | None = None) -> KnowledgeError:
    """An id used twice; ``first_in`` names the file that has it already."""
    de, en = "Feld 'id': doppelt", "field 'id': duplicate"
    if first_in is not None:
        de, en = f"{de} (schon in {first_in})", f"{en} (already in {first_in})"
    return entry_problem(file, entry, f"{de}.", f"{en}.")


def validate_entries(path: Path, key: str, model: type[M]) -> list[M]:
    """Validate ``data[key]`` (a list) entry by entry; errors name file, entry and field."""
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise expected_list(path, key)
    out: list[M] = []
    for index, raw in enumerate(data[key]):
        label = raw.get("id", f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
        try:
            out.append(model.model_validate(raw))
        except ValidationError as exc:
            raise entry_error(path, label, exc) from exc
    return out


def format_validation_error(exc: ValidationError, lang: Lang = "de") -> str:
    """Turn pydantic's error list into one readable line naming each field, in ``lang``.

    Pydantic's own messages are English; a validator's ``InvalidValue`` gives its English
    text for ``lang="en"``.
    """
    word = "Feld" if lang == "de" else "field"
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "(root)"
        parts.append(f"{word} '{field}': {_message(err, lang)}")
    return "; ".join(parts)


def _message(err: ErrorDetails, lang: Lang) -> str:
    msg = err["msg"]
    cause = err.get("ctx", {}).get("error")
    if lang == "en" and isinstance(cause, InvalidValue):
        return msg.replace(str(cause), cause.en, 1)
    return msg
