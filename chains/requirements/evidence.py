"""Find evidence for requirements in a workspace's policy and vendor documents.

Candidates: when the policy and vendor documents are small (at most
``read_all_max_chunks`` chunks: the usual one policy plus a few vendor sheets), every
sentence of them is a candidate; reading them whole is faster than two searches per
requirement and cannot miss a sentence. Larger sets go through the hybrid retriever:
per requirement one search in the policy documents and one in the vendor documents
(title and search terms in both languages; query vectors embedded in one batch).

Each candidate is scored by ``scoring.relevance``; sentences, headings and requirement
probes are embedded in one batched call each (cached per process). A sentence that
shares no stem with the requirement is never cited: nothing is invented.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from chains.requirements import vectors
from chains.requirements.batch_search import batched_retriever
from chains.requirements.cues import Reading, read_sentence
from chains.requirements.records import Evidence, Stance
from chains.requirements.scoring import (
    PROBE_LANGS,
    ScoringConfig,
    TermSpecificity,
    partial_relevance,
    probe,
    probe_lang,
    requirement_terms,
    requirement_topic,
    sentence_part,
    sentence_terms,
)
from chains.requirements.sentences import SECTION_SEP, sectioned_sentences
from chains.requirements.vectors import embed_cached
from core.domain import Chunk, DocumentInfo
from kb.retriever import HybridRetriever
from knowledge.catalog import Requirement

log = logging.getLogger(__name__)

# progress(done, total, label): label is the requirement being searched, or a phase of
# reading a small document set ("read", "embed", "score"); done == total at the end.
ProgressFn = Callable[[int, int, str], None]


@dataclass(frozen=True)
class EvidenceConfig:
    """How candidates are found and how many citations a requirement keeps."""

    read_all_max_chunks: int = 150
    k_per_category: int = 6
    vector_cache: Path | None = None  # e.g. settings.index_dir / "requirement_vectors.npz"
    max_evidence: int = 4
    min_words: int = 5
    scoring: ScoringConfig = field(default_factory=ScoringConfig)


@dataclass(frozen=True)
class ScoredEvidence:
    """A cited sentence plus what the status rules need to know about it.

    ``strong``: relevant enough to decide a status; ``specific``: the sentence itself (not
    only its heading) shares specific stems with the requirement.
    """

    evidence: Evidence
    reading: Reading
    strong: bool
    specific: bool


@dataclass
class _Candidate:
    text: str
    chunk: Chunk
    section: str
    terms: frozenset[str]
    heading_terms: frozenset[str]

    @property
    def heading(self) -> str:
        return self.section.split(SECTION_SEP)[-1]


@dataclass(frozen=True)
class _Pair:
    """A requirement (index) and a candidate sentence (row) that may be evidence."""

    req: int
    row: int
    partial: float
    own: float


@dataclass
class _Pool:
    """Unique candidate sentences over all requirements (one embedding each)."""

    sentences: list[_Candidate] = field(default_factory=list)
    index: dict[tuple[str, str], int] = field(default_factory=dict)


def _is_statement(text: str, min_words: int) -> bool:
    """Table rows and fragments are not statements one can cite as evidence."""
    if text.startswith(("|", "#")) or len(text.split()) < min_words:
        return False
    return text[-1] in ".!?:;)" or len(text.split()) >= 12


class EvidenceFinder:
    """Evidence from one workspace's policy and vendor documents.

    Without a ``vendor`` (none chosen yet) every vendor document is read and a conflict
    names the vendor it comes from. With one, only documents tagged with that vendor are
    read, or untagged vendor documents if none is tagged so; never another vendor's.
    """

    def __init__(
        self,
        retriever: HybridRetriever,
        vendor: str | None = None,
        config: EvidenceConfig | None = None,
    ) -> None:
        self.retriever = retriever
        self.config = config or EvidenceConfig()
        docs = retriever.ws.documents(fresh=True)
        self.policy_docs = [d for d in docs.values() if d.category == "policy"]
        vendor_docs = [d for d in docs.values() if d.category == "vendor"]
        wanted = (vendor or "").strip().lower()
        if wanted:  # that vendor's documents, else untagged ones, never another vendor's
            named = [d for d in vendor_docs if (d.vendor or "").lower() == wanted]
            vendor_docs = named or [d for d in vendor_docs if not d.vendor]
        self.vendor_docs = vendor_docs

    @property
    def documents(self) -> list[DocumentInfo]:
        return sorted([*self.policy_docs, *self.vendor_docs], key=lambda d: d.source)

    @property
    def vendors(self) -> tuple[str, ...]:
        return tuple(sorted({d.vendor for d in self.vendor_docs if d.vendor}))

    @property
    def reads_all(self) -> bool:
        """Whether every sentence is a candidate (small document set) instead of search."""
        return sum(d.chunks for d in self.documents) <= self.config.read_all_max_chunks

    def gather(
        self,
        reqs: Sequence[Requirement],
        progress: ProgressFn | None = None,
        catalog: Sequence[Requirement] | None = None,
    ) -> dict[str, list[ScoredEvidence]]:
        """Requirement id -> its evidence, best first (empty when nothing qualifies).

        ``catalog`` (all requirements, default ``reqs``) fixes how specific each stem is,
        so a sentence scores the same against a requirement whatever else was selected.
        """
        if not reqs or not self.documents:
            if progress is not None:
                progress(len(reqs), len(reqs), "")
            return {r.id: [] for r in reqs}
        specificity = TermSpecificity(catalog or reqs)
        vocab = specificity.vocabulary | {t for r in reqs for t in requirement_terms(r)}
        pool = _Pool()
        report = progress or (lambda done, total, label: None)
        cache = self.config.vector_cache
        if cache is not None:
            vectors.load(cache)
        if self.reads_all:
            report(0, 3, "read")
            rows = self._add_chunks(pool, self._all_chunks(), vocab)
            per_req = {r.id: rows for r in reqs}
        else:
            per_req = self._search_all(reqs, pool, vocab, report)
        if not pool.sentences:
            report(len(reqs), len(reqs), "")
            return {r.id: [] for r in reqs}
        if self.reads_all:
            report(1, 3, "embed")
        pairs, probe_vecs = self._pairs(reqs, per_req, pool, specificity)
        if self.reads_all:
            report(2, 3, "score")
        found = self._score(reqs, pairs, pool, probe_vecs)
        if cache is not None:
            try:
                vectors.save(cache)
            except OSError as exc:  # a cache that cannot be written only costs time
                log.warning("vector cache %s not written: %s", cache, exc)
        report(len(reqs), len(reqs), "")
        return found

    # ---- candidates ---------------------------------------------------------------
    def _all_chunks(self) -> list[Chunk]:
        chunks: list[Chunk] = []
        for doc in self.documents:
            chunks += self.retriever.ws.document_chunks(doc.doc_id)
        return chunks

    def _search_all(
        self,
        reqs: Sequence[Requirement],
        pool: _Pool,
        vocab: set[str],
        progress: ProgressFn,
    ) -> dict[str, list[int]]:
        queries = [requirement_topic(r) for r in reqs]
        retriever = batched_retriever(self.retriever, queries)
        k = self.config.k_per_category
        vendor_ids = [d.doc_id for d in self.vendor_docs]
        per_req: dict[str, list[int]] = {}
        for done, (req, query) in enumerate(zip(reqs, queries, strict=True), start=1):
            hits = []
            if self.policy_docs:
                hits += retriever.search(query, k=k, category="policy")
            if self.vendor_docs:
                hits += retriever.search(query, k=k, category="vendor", doc_ids=vendor_ids)
            per_req[req.id] = self._add_chunks(pool, [h.chunk for h in hits], vocab)
            progress(done, len(reqs), req.id)
        return per_req

    def _add_chunks(self, pool: _Pool, chunks: list[Chunk], vocab: set[str]) -> list[int]:
        """Add the chunks' citable sentences to the pool; their rows, without repeats."""
        rows: list[int] = []
        seen: set[int] = set()
        for chunk in chunks:
            for text, section in sectioned_sentences(chunk):
                if not _is_statement(text, self.config.min_words):
                    continue
                key = (chunk.doc_id, text)
                row = pool.index.get(key)
                if row is None:
                    row = len(pool.sentences)
                    pool.index[key] = row
                    heading = section.split(SECTION_SEP)[-1]
                    pool.sentences.append(
                        _Candidate(
                            text,
                            chunk,
                            section,
                            sentence_terms(text, chunk.language, vocab),
                            sentence_terms(heading, chunk.language, vocab),
                        )
                    )
                if row not in seen:
                    seen.add(row)
                    rows.append(row)
        return rows

    # ---- scoring -------------------------------------------------------------------
    def _pairs(
        self,
        reqs: Sequence[Requirement],
        per_req: dict[str, list[int]],
        pool: _Pool,
        specificity: TermSpecificity,
    ) -> tuple[list[_Pair], np.ndarray]:
        """Pass 1: lexical and heading signals; keep pairs that can still reach ``weak``.

        Also returns the probe vectors, indexed ``[language, requirement]``.
        """
        cfg = self.config.scoring
        embedder = self.retriever.ws.embedder
        headings = sorted({(c.heading, probe_lang(c.chunk.language)) for c in pool.sentences})
        heading_row = {h: i for i, h in enumerate(headings)}
        needed = sorted({lang for _, lang in headings})
        texts = [probe(r, PROBE_LANGS[lang]) for lang in needed for r in reqs]
        vecs = embed_cached(embedder, texts).reshape(len(needed), len(reqs), -1)
        probe_vecs = np.zeros((len(PROBE_LANGS), *vecs.shape[1:]), dtype=np.float32)
        for k, lang in enumerate(needed):  # only the languages the documents are in
            probe_vecs[lang] = vecs[k]
        heading_vecs = embed_cached(embedder, [h for h, _ in headings])
        heading_cos = np.array(
            [probe_vecs[lang] @ vec for (_, lang), vec in zip(headings, heading_vecs, strict=True)]
        )
        pairs: list[_Pair] = []
        for i, req in enumerate(reqs):
            wanted = requirement_terms(req)
            for row in per_req[req.id]:
                cand = pool.sentences[row]
                shared = wanted & (cand.terms | cand.heading_terms)
                if not shared:
                    continue
                lang = probe_lang(cand.chunk.language)
                h_cos = float(heading_cos[heading_row[(cand.heading, lang)], i])
                partial = partial_relevance(shared, h_cos, specificity, cfg)
                if partial + cfg.sentence_weight >= cfg.weak:
                    own = specificity.weight(wanted & cand.terms)
                    pairs.append(_Pair(i, row, partial, own))
        return pairs, probe_vecs

    def _score(
        self,
        reqs: Sequence[Requirement],
        pairs: list[_Pair],
        pool: _Pool,
        probe_vecs: np.ndarray,
    ) -> dict[str, list[ScoredEvidence]]:
        """Pass 2: embed the sentences that can matter (one call), finish scores, read cues."""
        cfg = self.config.scoring
        rows = sorted({p.row for p in pairs})
        texts = [f"{pool.sentences[r].heading}: {pool.sentences[r].text}" for r in rows]
        vecs = embed_cached(self.retriever.ws.embedder, texts)
        vec_of = {row: k for k, row in enumerate(rows)}
        scored: dict[str, list[ScoredEvidence]] = {r.id: [] for r in reqs}
        topics = [requirement_topic(r) for r in reqs]
        for pair in pairs:
            cand = pool.sentences[pair.row]
            lang = probe_lang(cand.chunk.language)
            cosine = float(vecs[vec_of[pair.row]] @ probe_vecs[lang, pair.req])
            score = pair.partial + sentence_part(cosine, cfg)
            if score < cfg.weak:
                continue
            reading = read_sentence(cand.text, cand.chunk.category, topics[pair.req])
            if reading.stance is None:
                continue
            scored[reqs[pair.req].id].append(
                ScoredEvidence(
                    evidence=_evidence(cand, reading, score),
                    reading=reading,
                    strong=score >= cfg.strong,
                    specific=pair.own >= cfg.specific,
                )
            )
        for found in scored.values():
            found.sort(key=lambda s: (-s.evidence.score, s.evidence.source, s.evidence.text))
        return {rid: _pick(found, self.config.max_evidence) for rid, found in scored.items()}


def _evidence(cand: _Candidate, reading: Reading, score: float) -> Evidence:
    chunk = cand.chunk
    return Evidence(
        source=chunk.source,
        page=chunk.page,
        section=cand.section,
        text=cand.text,
        doc_id=chunk.doc_id,
        stance=reading.stance or Stance.SUPPORTS,
        category=chunk.category,
        vendor=chunk.vendor,
        score=round(min(score, 1.0), 3),
        cue=reading.cue,
    )


def _pick(scored: list[ScoredEvidence], limit: int) -> list[ScoredEvidence]:
    """Contradictions first (they decide or flag the status; at most ``limit - 1``), then
    the best sentence of each document, then the rest by score."""
    against = [s for s in scored if s.evidence.stance == Stance.CONTRADICTS]
    chosen = sorted(against, key=lambda s: not s.strong)[: max(1, limit - 1)]
    docs = {s.evidence.doc_id for s in chosen}
    for s in scored:
        if len(chosen) < limit and s not in chosen and s.evidence.doc_id not in docs:
            chosen.append(s)
            docs.add(s.evidence.doc_id)
    for s in scored:
        if len(chosen) < limit and s not in chosen:
            chosen.append(s)
    return sorted(chosen, key=lambda s: -s.evidence.score)
