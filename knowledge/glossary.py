"""German<->English glossary (``data/glossary.yaml``) for the UI and query expansion."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from knowledge.common import LocalizedText, StrictModel, validate_entries


class GlossaryEntry(StrictModel):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    de: str
    en: str
    synonyms_de: list[str] = Field(default_factory=list)
    synonyms_en: list[str] = Field(default_factory=list)
    definition: LocalizedText

    def terms(self) -> list[str]:
        return [self.de, self.en, *self.synonyms_de, *self.synonyms_en]


def load_glossary(path: Path) -> list[GlossaryEntry]:
    """Load and validate the glossary (key ``terms``)."""
    return validate_entries(path, "terms", GlossaryEntry)
