"""``draft_requirements``: scenario + catalog + workspace evidence -> RequirementsDoc.

Selection, ids, priorities, statuses and citations are computed here, deterministically;
nothing depends on an LLM. Without a retriever (or with an empty workspace) every
requirement is ``open`` and the document is still complete.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import date

from chains.requirements.evidence import EvidenceConfig, EvidenceFinder, ScoredEvidence
from chains.requirements.priority import adjust_priority
from chains.requirements.questions import open_questions
from chains.requirements.records import DraftedRequirement, RequirementsDoc, SourceRef
from chains.requirements.status import decide
from chains.requirements.summary import management_summary, scenario_text
from kb.retriever import HybridRetriever
from knowledge.catalog import Category, Requirement, RequirementCatalog
from knowledge.common import Lang
from knowledge.scenario import Scenario

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int, str], None]
_CATEGORY_ORDER = {c: i for i, c in enumerate(Category)}


def _order(req: Requirement) -> tuple[int, int, str]:
    """Document order: step, then category (catalog order), then id."""
    return req.step, _CATEGORY_ORDER[req.category], req.id


def _drafted(
    req: Requirement,
    scenario: Scenario,
    evidence: list[ScoredEvidence],
    vendors: tuple[str, ...],
    lang: Lang,
) -> DraftedRequirement:
    priority = adjust_priority(req, scenario, lang)
    status, reason = decide(req.category, evidence, vendors, lang)
    return DraftedRequirement(
        id=req.id,
        step=req.step,
        category=req.category,
        priority=priority.priority,
        catalog_priority=req.priority,
        priority_reason=priority.reason,
        title=req.title.get(lang),
        text=req.text.get(lang),
        rationale=req.rationale.get(lang),
        verification=req.verification.get(lang),
        evidence_expected=req.evidence_expected.get(lang),
        references=tuple(req.references),
        status=status,
        status_reason=reason,
        evidence=tuple(e.evidence for e in evidence),
    )


def draft_requirements(
    scenario: Scenario,
    catalog: RequirementCatalog,
    retriever: HybridRetriever | None = None,
    lang: Lang = "de",
    progress: ProgressFn | None = None,
    *,
    today: date | None = None,
    config: EvidenceConfig | None = None,
) -> RequirementsDoc:
    """The requirements document for ``scenario``; ``progress(done, total, label)`` as in
    ``evidence.ProgressFn``."""
    started = time.perf_counter()
    selected = sorted(catalog.select(scenario.facts()), key=_order)
    finder = (
        EvidenceFinder(retriever, scenario.ai_service.vendor, config)
        if retriever is not None
        else None
    )
    if finder is not None:
        found = finder.gather(selected, progress, catalog=catalog.requirements)
    else:
        found = {}
        if progress is not None:
            progress(len(selected), len(selected), "")
    vendors = finder.vendors if finder is not None else ()
    drafted = [_drafted(r, scenario, found.get(r.id, []), vendors, lang) for r in selected]
    cited = Counter(e.doc_id for r in drafted for e in r.evidence)
    sources = tuple(
        SourceRef(
            source=d.source,
            doc_id=d.doc_id,
            title=d.title,
            category=d.category,
            vendor=d.vendor,
            citations=cited[d.doc_id],
        )
        for d in (finder.documents if finder is not None else [])
    )
    doc = RequirementsDoc(
        scenario=scenario,
        language=lang,
        workspace=retriever.ws.name if retriever is not None else None,
        generated=today or date.today(),
        risk_level=scenario.risk_level(),
        scenario_text=scenario_text(scenario, lang),
        summary=management_summary(scenario, drafted, lang),
        requirements=tuple(drafted),
        open_questions=open_questions(scenario, drafted, lang),
        sources=sources,
        vendors_considered=vendors,
    )
    log.info("drafted %d requirements in %.2fs", len(drafted), time.perf_counter() - started)
    return doc
