"""Compare AI services on security and data-protection criteria, from their own documents.

    from chains.vendors import compare_vendors, load_default_criteria
    comparison = compare_vendors(
        services.retriever("default"),
        {"Alpina AI": [], "Nimbus Chat": ["vendor_nimbus_chat_factsheet_en.md"]},
        load_default_criteria(settings.knowledge_dir), lang="de",
    )
    comparison.result("data_residency", "Nimbus Chat").status   # Status.NOT_FULFILLED

Offline and deterministic: per vendor and criterion, the criterion's queries retrieve
passages from that vendor's documents only; their sentences are scored for relevance and
read with the explicit cue rules. A criterion without evidence above the threshold is
"not found" — a question for the vendor, left out of the score rather than counted as 0.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from chains.vendors.cues import CueHit, CueMatcher
from chains.vendors.evidence import RelevanceScorer, Sentence, sentences_of
from chains.vendors.inputs import VendorSpec, resolve_vendors
from chains.vendors.judge import combine, decide, pick_evidence
from chains.vendors.recommendation import recommend
from chains.vendors.records import (
    STATUS_POINTS,
    CriterionInfo,
    CriterionResult,
    Evidence,
    Status,
    VendorComparison,
    VendorSummary,
)
from core.domain import Chunk
from core.settings import PACKAGE_ROOT
from kb.retriever import HybridRetriever
from knowledge.catalog import RequirementCatalog, load_catalog
from knowledge.common import Lang
from knowledge.scenario import Scenario
from knowledge.vendor_criteria import Criterion, VendorCriteria, load_vendor_criteria

log = logging.getLogger(__name__)

CRITERIA_FILE = "vendor_criteria.yaml"


def load_default_criteria(
    knowledge_dir: Path = PACKAGE_ROOT / "data", catalog: RequirementCatalog | None = None
) -> VendorCriteria:
    """The shipped criteria, checked against the catalog when one is given."""
    return load_vendor_criteria(knowledge_dir / CRITERIA_FILE, catalog)


def compare_vendors(
    retriever: HybridRetriever,
    vendors: VendorSpec,
    criteria: VendorCriteria,
    scenario: Scenario | None = None,
    lang: Lang = "de",
    catalog: RequirementCatalog | None = None,
) -> VendorComparison:
    """Judge 2–5 vendors on every criterion with cited evidence, score and recommend.

    ``vendors`` maps each name to doc_ids or file names; an empty list (or a plain list of
    names) takes the documents tagged with that vendor. With a ``scenario``, only criteria
    serving its selected requirements are used, weighted by their priority (``catalog``
    defaults to the shipped one).
    """
    ws = retriever.ws
    documents = resolve_vendors(ws, vendors)
    if scenario is not None:
        catalog = catalog or load_catalog(PACKAGE_ROOT / "data" / "catalog")
        criteria = criteria.for_scenario(scenario, catalog)
    matcher = CueMatcher(criteria.rules)
    scorer = RelevanceScorer(ws.embedder)
    results: list[CriterionResult] = []
    scorer.prepare_queries(criteria)
    for vendor, infos in documents.items():
        doc_ids = [d.doc_id for d in infos]
        langs = [x for x in ("de", "en") if any(d.language == x for d in infos)] or ["de", "en"]
        log.info("comparing %s on %d criteria (%d documents)", vendor, len(criteria), len(doc_ids))
        pools = {
            c.id: _candidates(retriever, c, doc_ids, langs, criteria.thresholds.passages_per_search)
            for c in criteria
        }
        scorer.prepare(t for pool in pools.values() for s in pool for t in (s.text, s.heading))
        for criterion in criteria:
            results.append(
                _judge(vendor, criterion, pools[criterion.id], scorer, matcher, criteria, lang)
            )
    infos_out = tuple(_info(c, lang) for c in criteria)
    summaries = tuple(
        _summary(vendor, tuple(d.source for d in documents[vendor]), infos_out, results)
        for vendor in documents
    )
    vendor_names = tuple(documents)
    text = recommend(
        vendor_names,
        infos_out,
        results,
        summaries,
        lang,
        scenario.company.name if scenario else None,
    )
    return VendorComparison(
        workspace=ws.name,
        lang=lang,
        vendors=vendor_names,
        criteria=infos_out,
        results=tuple(results),
        summaries=summaries,
        recommendation=text,
        scenario=scenario.company.name if scenario else None,
    )


def _candidates(
    retriever: HybridRetriever,
    criterion: Criterion,
    doc_ids: Sequence[str],
    langs: Sequence[str],
    k: int,
) -> list[Sentence]:
    """Passages for the criterion from these documents: one search per document language,
    that language's queries joined (BM25 sees every term, and each search embeds once)."""
    chunks: dict[str, Chunk] = {}
    queries = {"de": criterion.queries.de, "en": criterion.queries.en}
    for lang in langs:
        query = " ".join(queries[lang])
        for hit in retriever.search(query, k=k, doc_ids=doc_ids):
            chunks.setdefault(hit.chunk.id, hit.chunk)
    ordered = sorted(chunks.values(), key=lambda c: (c.doc_id, c.position))
    return sentences_of(ordered)


def _evidence(sentence: Sentence, score: float, hits: Sequence[CueHit]) -> list[Evidence]:
    """One record per aspect; a sentence that says both fulfilled and not is partly."""
    out = []
    for aspect in dict.fromkeys(h.aspect for h in hits):
        mine = [h for h in hits if h.aspect == aspect]
        verdict = combine((h.verdict for h in mine), "worst")
        if verdict == Status.CONTRADICTORY:
            verdict = Status.PARTLY
        out.append(
            _record(
                sentence,
                score,
                verdict,
                aspect,
                any(h.negated for h in mine),
                "; ".join(dict.fromkeys(h.note for h in mine)),
            )
        )
    return out


def _record(
    sentence: Sentence,
    score: float,
    verdict: Status | None,
    aspect: str | None = None,
    negated: bool = False,
    note: str = "",
) -> Evidence:
    chunk = sentence.chunk
    return Evidence(
        source=chunk.source,
        page=chunk.page,
        section=chunk.section,
        text=sentence.text,
        doc_id=chunk.doc_id,
        verdict=verdict,
        score=round(score, 3),
        aspect=aspect,
        negated=negated,
        note=note,
    )


def _judge(
    vendor: str,
    criterion: Criterion,
    sentences: Sequence[Sentence],
    scorer: RelevanceScorer,
    matcher: CueMatcher,
    criteria: VendorCriteria,
    lang: Lang,
) -> CriterionResult:
    limits = criteria.thresholds
    evidence: list[Evidence] = []
    related: list[Evidence] = []
    for score, sentence in scorer.rank(sentences, criterion):
        if score < limits.evidence:
            break
        hits = matcher.classify(sentence.text, criterion, lang)
        if hits:
            evidence.extend(_evidence(sentence, score, hits))
        elif score >= limits.related and len(related) < limits.max_related:
            related.append(_record(sentence, score, None))
    status, aspects = decide(criterion, evidence)
    return CriterionResult(
        criterion_id=criterion.id,
        vendor=vendor,
        status=status,
        evidence=pick_evidence(evidence, limits.max_evidence),
        related=tuple(related),
        aspects=aspects,
    )


def _info(criterion: Criterion, lang: Lang) -> CriterionInfo:
    return CriterionInfo(
        id=criterion.id,
        name=criterion.name.get(lang),
        description=criterion.description.get(lang),
        question=criterion.question.get(lang),
        weight=criterion.weight,
        requirements=tuple(criterion.requirements),
        aspect_names=tuple((a, n.get(lang)) for a, n in criterion.aspect_names.items()),
    )


def _summary(
    vendor: str,
    documents: tuple[str, ...],
    criteria: Sequence[CriterionInfo],
    results: Sequence[CriterionResult],
) -> VendorSummary:
    """Weighted share of points over the known criteria, 0–100; unknowns listed apart."""
    status = {r.criterion_id: r.status for r in results if r.vendor == vendor}
    total = sum(c.weight for c in criteria)
    known = [c for c in criteria if status[c.id].known]
    known_weight = sum(c.weight for c in known)
    score = (
        round(100 * sum(c.weight * STATUS_POINTS[status[c.id]] for c in known) / known_weight, 1)
        if known_weight
        else None
    )
    unknowns = tuple(c.id for c in criteria if not status[c.id].known)
    return VendorSummary(vendor, documents, score, known_weight, total, unknowns)
