"""Sentences from the company's own policy documents for the handouts.

The handout quotes the company's rules where the workspace holds them (documents of category
``policy``), found with the hybrid retriever: per handout topic one search with the topic's
query, then the sentences of the hits that contain one of the topic's cue words, best
retrieval rank first. A quote is the company's own sentence, unchanged, with its document,
page and section as source. Passages that ingest flagged (instruction-like text) are never
quoted: a handout must not carry an injected instruction to every employee.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from chains.training.records import HandoutItem, SourceRef
from chains.vendors import clean_sentence
from core.domain import Chunk, SearchHit
from ingest.sentences import split_sentences
from knowledge.common import Lang
from knowledge.training import HandoutTopic, Topic

log = logging.getLogger(__name__)

POLICY_CATEGORY = "policy"
HITS_PER_TOPIC = 6
QUOTES_PER_TOPIC = 2
MIN_CHARS = 30
MIN_WORDS = 5
MAX_CHARS = 420
PAGE_LABEL = {"de": "S.", "en": "p."}


class PolicySearch(Protocol):
    """What the kit needs from a retriever (``kb.retriever.HybridRetriever`` fits)."""

    def search(
        self,
        query: str,
        k: int = 10,
        category: str | None = None,
        doc_ids: Sequence[str] | None = None,
        vendor: str | None = None,
    ) -> list[SearchHit]: ...


@dataclass(frozen=True)
class PolicyEvidence:
    """Quotes per topic, the documents they came from and what was skipped."""

    quotes: dict[Topic, tuple[HandoutItem, ...]]
    documents: tuple[str, ...]
    flagged: tuple[str, ...] = ()

    def for_topic(self, topic: Topic) -> tuple[HandoutItem, ...]:
        return self.quotes.get(topic, ())


NO_EVIDENCE = PolicyEvidence({}, ())


def _cue_pattern(cues: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(c.strip().lower()) for c in cues if c.strip())
    return re.compile(rf"(?<![\wäöü])(?:{alternatives})", re.IGNORECASE)


def policy_source(chunk: Chunk, lang: Lang) -> SourceRef:
    """The citation of a policy passage: document, page and section."""
    name = chunk.title or chunk.source
    parts = [name]
    if chunk.page is not None:
        parts.append(f"{PAGE_LABEL[lang]} {chunk.page}")
    section = chunk.section.split(" › ")[-1].strip() if chunk.section else ""
    label = ", ".join(parts) + (f" › {section}" if section and section != name else "")
    return SourceRef(
        kind="policy",
        label=label,
        passage=chunk.text,
        file=chunk.source,
        heading=chunk.section or None,
        page=chunk.page,
        doc_id=chunk.doc_id,
    )


def _sentences(chunk: Chunk) -> list[str]:
    out = []
    for raw in split_sentences(chunk.text):
        text = clean_sentence(raw)
        if len(text) < MIN_CHARS or len(text.split()) < MIN_WORDS or len(text) > MAX_CHARS:
            continue
        if not text.endswith((".", "!", "?")):  # headings and fragments are no rules
            continue
        out.append(text)
    return out


def find_policy_evidence(
    retriever: PolicySearch | None, topics: Sequence[HandoutTopic], lang: Lang
) -> PolicyEvidence:
    """Up to ``QUOTES_PER_TOPIC`` policy sentences per topic; each sentence used once."""
    if retriever is None:
        return NO_EVIDENCE
    used: set[str] = set()
    documents: list[str] = []
    flagged: list[str] = []
    quotes: dict[Topic, tuple[HandoutItem, ...]] = {}
    for topic in topics:
        cue = _cue_pattern(topic.policy_cues)
        hits = retriever.search(
            topic.policy_query.get(lang), k=HITS_PER_TOPIC, category=POLICY_CATEGORY
        )
        ranked: list[tuple[int, int, int, str, Chunk]] = []
        for hit in hits:
            chunk = hit.chunk
            if chunk.flags:
                if chunk.source not in flagged:
                    flagged.append(chunk.source)
                continue
            for position, sentence in enumerate(_sentences(chunk)):
                matches = len(cue.findall(sentence))
                if matches and sentence.lower() not in used:
                    ranked.append((hit.rank, -matches, position, sentence, chunk))
        ranked.sort(key=lambda item: item[:3])
        chosen: list[HandoutItem] = []
        for _, _, _, sentence, chunk in ranked:
            if len(chosen) == QUOTES_PER_TOPIC:
                break
            if sentence.lower() in used:
                continue
            used.add(sentence.lower())
            chosen.append(HandoutItem("policy", sentence, policy_source(chunk, lang)))
            name = chunk.title or chunk.source
            if name not in documents:
                documents.append(name)
        if chosen:
            quotes[topic.id] = tuple(chosen)
    if flagged:
        log.warning("policy passages with suspicious text were not quoted: %s", flagged)
    log.info(
        "policy evidence: %d quotes from %d documents",
        sum(len(v) for v in quotes.values()),
        len(documents),
    )
    return PolicyEvidence(quotes, tuple(documents), tuple(flagged))
