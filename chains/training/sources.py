"""Resolve a shipped source reference (guide heading or catalog requirement) to its passage.

The passage is what the post-check compares an answer with, and what an export prints as
the place where the reader can look it up.
"""

from __future__ import annotations

from chains.training.records import SourceRef
from knowledge.catalog import RequirementCatalog
from knowledge.common import Lang
from knowledge.training import SourceSpec, TrainingKnowledge

GUIDE_LABEL = {"de": "Leitfaden", "en": "Guide"}


def resolve_source(
    spec: SourceSpec, lang: Lang, knowledge: TrainingKnowledge, catalog: RequirementCatalog
) -> SourceRef | None:
    """The passage behind ``spec`` in ``lang``; None when the file, heading or id is gone."""
    if spec.requirement is not None:
        if spec.requirement not in catalog:
            return None
        req = catalog.get(spec.requirement)
        passage = " ".join((req.title.get(lang) + ".", req.text.get(lang), req.rationale.get(lang)))
        return SourceRef(
            kind="requirement",
            label=f"{req.id} {req.title.get(lang)}",
            passage=passage,
            requirement_id=req.id,
        )
    if spec.guide is None or spec.heading is None:
        return None
    file, heading = spec.guide.get(lang), spec.heading.get(lang)
    text = knowledge.guide_text(lang, file, heading)
    if not text:
        return None
    return SourceRef(
        kind="guide",
        label=f"{GUIDE_LABEL[lang]} {file} › {heading}",
        passage=text,
        file=file,
        heading=heading,
    )
