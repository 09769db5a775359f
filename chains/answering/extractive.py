"""The offline answerer: picks evidence sentences and writes a short, cited answer.

Deterministic and free of any language model: the same workspace and question always
give the same answer. The best sentence becomes the one-line summary, further sentences
from other passages become key points; each carries the number of its passage. Quoted
evidence stays in its source language and is marked when that differs from the question's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chains.answering.evidence import Evidence, EvidenceSet, normal_form, shorten
from chains.answering.phrases import phrase, where
from core.domain import Answer, Citation, SearchHit

SUMMARY_CHARS = 220
RELATED_SHOWN = 3


@dataclass(frozen=True)
class SelectionConfig:
    """Which sentences become answer points."""

    max_points: int = 5
    relative_floor: float = 0.7  # a point scores at least this share of the best sentence
    per_chunk: int = 2  # the first pass takes one sentence per passage, the second a further one
    same_language_duplicate: float = 0.92
    cross_language_duplicate: float = 0.70


def _near_duplicate(a: Evidence, b: Evidence, cosine: float, config: SelectionConfig) -> bool:
    """Same sentence twice: a twin rendering (.md/.pdf), one sentence inside a longer one
    (a heading glued to it, chunk overlap), or a translation in another document."""
    key_a, key_b = normal_form(a.sentence), normal_form(b.sentence)
    shorter, longer = sorted((key_a, key_b), key=len)
    if len(shorter) >= 40 and shorter in longer:
        return True
    if a.hit.chunk.language == b.hit.chunk.language:
        return cosine >= config.same_language_duplicate
    ratio = len(a.sentence) / max(1, len(b.sentence))
    return (
        a.hit.chunk.doc_id != b.hit.chunk.doc_id
        and cosine >= config.cross_language_duplicate
        and 0.6 <= ratio <= 1.7
    )


def select_points(evidence: EvidenceSet, config: SelectionConfig) -> list[Evidence]:
    """Best sentences, one passage at a time first, without near-duplicates."""
    ranked = evidence.ranked
    if not ranked:
        return []
    floor = config.relative_floor * ranked[0].score
    vectors = evidence.vectors
    chosen: list[int] = []
    per_chunk: dict[str, int] = {}
    for allowed in range(1, config.per_chunk + 1):
        for i, ev in enumerate(ranked):
            if len(chosen) >= config.max_points or ev.score < floor:
                break
            if i in chosen or per_chunk.get(ev.hit.chunk.id, 0) >= allowed:
                continue
            if any(
                _near_duplicate(ev, ranked[j], float(vectors[i] @ vectors[j]), config)
                for j in chosen
            ):
                continue
            chosen.append(i)
            per_chunk[ev.hit.chunk.id] = per_chunk.get(ev.hit.chunk.id, 0) + 1
    return [ranked[i] for i in chosen]


def order_points(points: Sequence[Evidence]) -> list[Evidence]:
    """Summary first; then document by document (best first), each in reading order."""
    if not points:
        return []
    head, rest = points[0], list(points[1:])
    doc_rank: dict[str, int] = {head.hit.chunk.doc_id: 0}
    for ev in rest:
        doc_rank.setdefault(ev.hit.chunk.doc_id, len(doc_rank))
    rest.sort(key=lambda e: (doc_rank[e.hit.chunk.doc_id], e.hit.chunk.position, e.index))
    return [head, *rest]


def _citation(n: int, hit: SearchHit, snippet: str, evidence: EvidenceSet) -> Citation:
    c = hit.chunk
    return Citation(
        n=n,
        source=c.source,
        page=c.page,
        section=c.section,
        snippet=snippet,
        text=c.text,
        doc_id=c.doc_id,
        flags=evidence.flags_for(c.id, c.flags),
        language=c.language,
    )


def number_citations(
    points: Sequence[Evidence], evidence: EvidenceSet
) -> tuple[dict[str, int], tuple[Citation, ...]]:
    """Passages numbered in order of first use; a citation's snippet is what was quoted."""
    numbers: dict[str, int] = {}
    used: dict[str, list[Evidence]] = {}
    for ev in points:
        numbers.setdefault(ev.hit.chunk.id, len(numbers) + 1)
        used.setdefault(ev.hit.chunk.id, []).append(ev)
    citations = []
    for chunk_id, n in numbers.items():
        evs = sorted(used[chunk_id], key=lambda e: e.index)
        snippet = " … ".join(e.sentence for e in evs)
        citations.append(_citation(n, evs[0].hit, snippet, evidence))
    return numbers, tuple(citations)


def _quote(lang: str, text: str, source_lang: str) -> str:
    quoted = phrase(lang, "quote", text=text)
    if source_lang and source_lang != lang:
        marker = phrase(lang, "source_lang", language=phrase(lang, f"lang.{source_lang}"))
        return f"{quoted} {marker}"
    return quoted


def compose_grounded(
    points: Sequence[Evidence], evidence: EvidenceSet, lang: str
) -> tuple[str, tuple[Citation, ...]]:
    """The answer text (summary, key points) and its numbered citations."""
    numbers, citations = number_citations(points, evidence)
    head = points[0]
    summary = shorten(head.sentence, SUMMARY_CHARS)
    src = head.hit.chunk.language
    lines = [
        phrase(
            lang,
            "summary",
            quote=_quote(lang, summary, src),
            cite=f"[{numbers[head.hit.chunk.id]}]",
        )
    ]
    bullets = list(points[1:])  # a summary cut short stays whole in its citation's snippet
    if bullets:
        lines += ["", phrase(lang, "points")]
        lines += [
            f"- {_quote(lang, shorten(ev.sentence), ev.hit.chunk.language)} "
            f"[{numbers[ev.hit.chunk.id]}]"
            for ev in bullets
        ]
    return "\n".join(lines), citations


def related_passages(evidence: EvidenceSet, limit: int = RELATED_SHOWN) -> tuple[Citation, ...]:
    """The closest passages (best sentence each), shown when there is no sufficient basis."""
    seen: set[str] = set()
    out: list[Citation] = []
    for ev in evidence.ranked:
        key = ev.hit.chunk.id
        if key in seen:
            continue
        seen.add(key)
        out.append(_citation(len(out) + 1, ev.hit, ev.sentence, evidence))
        if len(out) >= limit:
            break
    return tuple(out)


def compose_ungrounded(related: Sequence[Citation], lang: str) -> str:
    lines = [phrase(lang, "no_basis")]
    if related:
        lines += ["", phrase(lang, "related")]
        for c in related:
            place = where(lang, c.page, c.section)
            label = f"{c.source} ({place})" if place else c.source
            lines.append(f"- {label}: {_quote(lang, shorten(c.snippet, 160), c.language)}")
    return "\n".join(lines)


class ExtractiveAnswerer:
    """Builds an ``Answer`` from scored evidence; no model, no network."""

    provider = "extractive"

    def __init__(self, config: SelectionConfig | None = None) -> None:
        self.config = config or SelectionConfig()

    def answer(
        self, evidence: EvidenceSet, lang: str, grounded: bool, question: str = ""
    ) -> Answer:
        points = order_points(select_points(evidence, self.config)) if grounded else []
        if not points:
            related = related_passages(evidence)
            return Answer(
                answer=compose_ungrounded(related, lang),
                language=lang,
                grounded=False,
                provider=self.provider,
                left_machine=False,
                possibly_related=related,
                question=question,
            )
        text, citations = compose_grounded(points, evidence, lang)
        return Answer(
            answer=text,
            language=lang,
            grounded=True,
            provider=self.provider,
            left_machine=False,
            citations=citations,
            question=question,
        )
