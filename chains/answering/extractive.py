"""The offline answerer: picks evidence sentences and writes a short, cited answer.

Deterministic and free of any language model: the same workspace and question always
give the same answer. The best sentence becomes the one-line summary, further sentences
from other passages become key points; each carries the number of its passage. Quoted
evidence stays in its source language and is marked when that differs from the question's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from chains.answering.evidence import Evidence, EvidenceSet, is_statement, normal_form, shorten
from chains.answering.figures import missing_figure
from chains.answering.grounding import Grounding
from chains.answering.phrases import phrase, where
from core.domain import Answer, Citation, SearchHit

# a sentence opening with these leans on the one before it: a poor one-line summary
_LEANS_BACK = re.compile(
    r"^(?:auch|zudem|au(?:ss|ß)erdem|ferner|darüber hinaus|daher|deshalb|dabei|hierbei|dazu"
    r"|damit|jedoch|allerdings|somit|dies(?:e[rsm]?)?|also|additionally|furthermore"
    r"|moreover|however|in addition|therefore|thus|this|these|such|it|they)\b",
    re.IGNORECASE,
)
RELATED_SHOWN = 3


@dataclass(frozen=True)
class SelectionConfig:
    """Which sentences become answer points."""

    max_points: int = 5
    min_points: int = 3  # below this many, the floor drops to ``fallback_floor``
    relative_floor: float = 0.7  # a point scores at least this share of the best sentence
    fallback_floor: float = 0.6
    per_chunk: int = 2  # the first pass takes one sentence per passage, the second a further one
    same_language_duplicate: float = 0.92
    cross_language_duplicate: float = 0.70
    translation_cosine: float = 0.5  # a mutual nearest neighbour this close is a translation
    summary_window: float = 0.85  # the summary is picked among points this close to the best
    summary_terms: float = 0.15  # weight of the question's words in picking the summary
    top_passages: int = 2  # the retriever's best N passages always give a point each


def _near_duplicate(a: Evidence, b: Evidence, cosine: float, config: SelectionConfig) -> bool:
    """Same sentence twice: a twin rendering (.md/.pdf), one sentence inside a longer one
    (a heading glued to it, chunk overlap), or a translation in another document."""
    key_a, key_b = normal_form(a.sentence), normal_form(b.sentence)
    shorter, longer = sorted((key_a, key_b), key=len)
    if len(shorter) >= 40 and shorter in longer:
        return True
    if a.hit.chunk.language == b.hit.chunk.language:
        return cosine >= config.same_language_duplicate
    return _translation(a, b, cosine, config)


def _translation(a: Evidence, b: Evidence, cosine: float, config: SelectionConfig) -> bool:
    """``b`` renders ``a`` in another language (e.g. the German and English guide)."""
    ratio = len(a.sentence) / max(1, len(b.sentence))
    return (
        a.hit.chunk.language != b.hit.chunk.language
        and a.hit.chunk.doc_id != b.hit.chunk.doc_id
        and cosine >= config.cross_language_duplicate
        and 0.6 <= ratio <= 1.7
    )


def _translations(evidence: EvidenceSet, lang: str, config: SelectionConfig) -> dict[int, int]:
    """Foreign sentence -> its rendering in ``lang`` (indices into ``ranked``).

    Twins are mutual nearest neighbours across the two languages, in different documents,
    of similar length and at least ``translation_cosine`` apart; the multilingual model
    puts translations at 0.5-0.8 and unrelated sentences of one topic far lower.
    """
    ranked = evidence.ranked
    native = [i for i, ev in enumerate(ranked) if ev.hit.chunk.language == lang]
    foreign = [i for i, ev in enumerate(ranked) if lang and ev.hit.chunk.language != lang]
    if not native or not foreign:
        return {}
    cos = evidence.vectors[foreign] @ evidence.vectors[native].T
    pairs: dict[int, int] = {}
    for row, i in enumerate(foreign):
        col = int(cos[row].argmax())
        j = native[col]
        a, b = ranked[i], ranked[j]
        ratio = len(a.sentence) / max(1, len(b.sentence))
        if (
            int(cos[:, col].argmax()) == row
            and float(cos[row, col]) >= config.translation_cosine
            and a.hit.chunk.doc_id != b.hit.chunk.doc_id
            and 0.6 <= ratio <= 1.7
        ):
            pairs[i] = j
    return pairs


def prefer_language(
    evidence: EvidenceSet, lang: str, config: SelectionConfig
) -> list[tuple[int, float]]:
    """Candidates as (index into ``ranked``, score), best first, translations collapsed.

    When a sentence in another language has a twin in the question's language (the shipped
    guide exists in German and English), the twin takes its place and the better score of
    the two; the foreign rendering is dropped. Sentences without a twin keep their place.
    """
    twins = _translations(evidence, lang, config)
    placed: dict[int, float] = {}
    for i, ev in enumerate(evidence.ranked):
        j = twins.get(i, i)
        placed[j] = max(placed.get(j, ev.score), ev.score)
    return sorted(placed.items(), key=lambda item: (-item[1], item[0]))


def _top_passages(evidence: EvidenceSet, n: int) -> list[str]:
    """Chunk ids of the retriever's ``n`` best passages, best first."""
    return [h.chunk.id for h in sorted(evidence.hits, key=lambda h: h.rank)][:n]


def _keep_top_passages(
    evidence: EvidenceSet,
    order: Sequence[tuple[int, float]],
    chosen: list[int],
    floor: float,
    config: SelectionConfig,
) -> None:
    """Make sure the retriever's best passages speak: three fused rankings judge a passage
    better than one sentence's cosine, so the best sentence of each of the top
    ``top_passages`` (if it scores at least the fallback floor) takes the weakest other
    point's place when no point came from that passage."""
    if config.top_passages <= 0 or not evidence.hits or not chosen:
        return
    tops = _top_passages(evidence, config.top_passages)
    ranked = evidence.ranked
    vectors = evidence.vectors
    scores = dict(order)
    protected: set[int] = set()
    for top in tops:
        have = [i for i in chosen if ranked[i].hit.chunk.id == top]
        if have:
            protected.update(have)
            continue
        candidate = next(
            (i for i, score in order if ranked[i].hit.chunk.id == top and score >= floor), None
        )
        if candidate is None or any(
            _near_duplicate(
                ranked[candidate], ranked[j], float(vectors[candidate] @ vectors[j]), config
            )
            for j in chosen
        ):
            continue  # nothing usable, or its twin (the .pdf of an .md) already speaks
        if len(chosen) >= config.max_points:
            weaker = [i for i in chosen if i not in protected]
            if not weaker:
                return
            chosen.remove(min(weaker, key=lambda i: scores[i]))
        chosen.append(candidate)
        protected.add(candidate)


def select_points(evidence: EvidenceSet, config: SelectionConfig, lang: str = "") -> list[Evidence]:
    """Best sentences, one passage at a time first, without near-duplicates.

    A point must score ``relative_floor`` of the best; when that leaves fewer than
    ``min_points``, sentences down to ``fallback_floor`` may fill up.
    """
    ranked = evidence.ranked
    if not ranked:
        return []
    order = prefer_language(evidence, lang, config)
    best = order[0][1]
    vectors = evidence.vectors
    chosen: list[int] = []
    per_chunk: dict[str, int] = {}

    def fill(floor: float) -> None:
        for allowed in range(1, config.per_chunk + 1):
            for i, score in order:
                if len(chosen) >= config.max_points or score < floor:
                    break
                ev = ranked[i]
                if i in chosen or per_chunk.get(ev.hit.chunk.id, 0) >= allowed:
                    continue
                if any(
                    _near_duplicate(ev, ranked[j], float(vectors[i] @ vectors[j]), config)
                    for j in chosen
                ):
                    continue
                chosen.append(i)
                per_chunk[ev.hit.chunk.id] = per_chunk.get(ev.hit.chunk.id, 0) + 1

    fill(config.relative_floor * best)
    if len(chosen) < config.min_points:
        fill(config.fallback_floor * best)
    _keep_top_passages(evidence, order, chosen, config.fallback_floor * best, config)
    scores = dict(order)
    chosen.sort(key=lambda i: (-scores[i], i))
    return [ranked[i] for i in chosen]


def candidate_passages(evidence: EvidenceSet, config: SelectionConfig) -> list[str]:
    """Texts of the passages an answer point may come from: those holding a sentence that
    scores at least the fallback floor of the best. A small workspace returns every chunk
    as a hit, so "some hit states it" would prove nothing; these are the ones on topic."""
    if not evidence.ranked:
        return []
    floor = config.fallback_floor * evidence.ranked[0].score
    ids = {ev.hit.chunk.id for ev in evidence.ranked if ev.score >= floor}
    return [hit.chunk.text for hit in evidence.hits if hit.chunk.id in ids]


def pick_summary(points: Sequence[Evidence], lang: str, config: SelectionConfig) -> int:
    """Index of the point that best answers the question in one line.

    Among the points close to the best score: a finished statement rather than a question
    or heading, in the question's language, one that stands on its own ("Auch SOLLTEN …"
    leans on a sentence the reader does not see), carrying the question's own words (in
    the sentence or its heading) rather than only being near it in meaning.
    """
    if not points:
        return 0
    best = points[0].score
    window = [i for i, ev in enumerate(points) if ev.score >= config.summary_window * best]

    def key(i: int) -> tuple[bool, bool, bool, float, int]:
        ev = points[i]
        terms = ev.lexical + 0.5 * ev.heading
        return (
            is_statement(ev.sentence),
            ev.hit.chunk.language == lang,
            not _LEANS_BACK.match(ev.sentence),
            ev.score + config.summary_terms * terms,
            -i,
        )

    return max(window, key=key)


def order_points(points: Sequence[Evidence], head: int = 0) -> list[Evidence]:
    """Summary first; then document by document (best first), each in reading order."""
    if not points:
        return []
    rest = [ev for i, ev in enumerate(points) if i != head]
    first = points[head]
    doc_rank: dict[str, int] = {first.hit.chunk.doc_id: 0}
    for ev in rest:
        doc_rank.setdefault(ev.hit.chunk.doc_id, len(doc_rank))
    rest.sort(key=lambda e: (doc_rank[e.hit.chunk.doc_id], e.hit.chunk.position, e.index))
    return [first, *rest]


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
    summary = shorten(head.sentence)  # as long as a point: a cut summary can drop a condition
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
    """The closest passages (best sentence each), shown when there is no sufficient basis.

    The retriever's best passage comes first (three fused rankings judge a passage better
    than one sentence's cosine, as in ``_keep_top_passages``), then the others by their
    best sentence.
    """
    seen: set[str] = set()
    out: list[Citation] = []
    top = _top_passages(evidence, 1)
    first = [ev for ev in evidence.ranked if ev.hit.chunk.id in top][:1]
    for ev in [*first, *evidence.ranked]:
        key = ev.hit.chunk.id
        if key in seen:
            continue
        seen.add(key)
        out.append(_citation(len(out) + 1, ev.hit, ev.sentence, evidence))
        if len(out) >= limit:
            break
    return tuple(out)


def compose_ungrounded(related: Sequence[Citation], lang: str, missing: str = "") -> str:
    lines = [phrase(lang, f"no_{missing}" if missing else "no_basis")]
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
        self, evidence: EvidenceSet, lang: str, grounding: Grounding, question: str = ""
    ) -> Answer:
        points: list[Evidence] = []
        if grounding.grounded:
            chosen = select_points(evidence, self.config, lang)
            points = order_points(chosen, pick_summary(chosen, lang, self.config))
        if not points:
            related = related_passages(evidence)
            return Answer(
                answer=compose_ungrounded(related, lang, grounding.missing),
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
            notice=(
                phrase(lang, "no_figure")
                if missing_figure(question, (p.sentence for p in points))
                else None
            ),
        )
