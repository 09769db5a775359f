"""Find the sentences in retrieved passages that answer a question, and how well they do.

A chunk's rank says the passage is about the topic; whether one of its sentences answers
the question is decided here, per sentence, from two signals: the embedding cosine
between question and sentence (works across German and English) and the IDF-weighted
share of the question's words that the sentence contains (stemmed, so "gelöscht" meets
"Löschung" only via the embedding, but "Daten" meets "Daten" exactly). Question words the
workspace has never seen count at full weight and can never match: a question about
"Gabelstapler" in a corpus without forklifts keeps a low score, which is what the
grounding decision needs.
"""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

import numpy as np

from chains.answering.injection import INSTRUCTION_FLAG, looks_like_instruction
from core.domain import SearchHit
from ingest.language import detect_language
from ingest.sentences import CELL_SEPARATOR, readable_fields, readable_tables, split_sentences
from kb.analysis import STOPWORDS, doc_terms, fold, split_compound, stem, tokens
from kb.embeddings import Embedder, Vectors

IdfFn = Callable[[str], float]
_EMPTY: Vectors = np.zeros((0, 0), dtype=np.float32)

MAX_POINT_CHARS = 320
EMBED_CHARS = 240  # long "sentences" (lists, tables) are judged by their start
_MIN_CHARS = 30
_MIN_WORDS = 5
_BULLET = re.compile(r"^\s*(?:[-*•▪●◦‣∙·–]|\(?\d{1,2}[.)]|\(?[a-z][.)]|#+|>)\s+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")  # an image ("![alt](src)") reads as its alt
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_MARKUP = re.compile(r"\*\*|__|`")
_URL = re.compile(r"https?://\S+|www\.\S+")


@dataclass(frozen=True)
class ScoringWeights:
    """How the two signals and the retriever's rank combine into one sentence score."""

    cosine: float = 0.65
    lexical: float = 0.35
    heading: float = 0.12  # question words in the passage's heading: the topic is right
    rank_bonus: float = 0.06  # a prior for sentences from the retriever's top chunks
    same_language_bonus: float = 0.02  # of two equal sentences, quote the reader's language
    question_factor: float = 0.8  # a question in the text (a checklist item) answers less
    max_candidates: int = 32  # embedding cost bound: the rest is cut by a cheap pre-rank


@dataclass(frozen=True)
class Evidence:
    """One candidate sentence, where it sits, and its scores against the question."""

    sentence: str
    hit: SearchHit
    index: int
    cosine: float
    lexical: float
    score: float
    heading: float = 0.0  # share of the question's words in the passage's heading


@dataclass(frozen=True)
class EvidenceSet:
    """All scored sentences of the retrieved chunks (best first, exact duplicates removed)."""

    question: str
    hits: tuple[SearchHit, ...]
    ranked: tuple[Evidence, ...]
    flags: Mapping[str, tuple[str, ...]]
    vectors: Vectors = field(repr=False, compare=False, default_factory=lambda: _EMPTY)
    question_vector: Vectors = field(repr=False, compare=False, default_factory=lambda: _EMPTY)

    def flags_for(self, chunk_id: str, chunk_flags: Sequence[str] = ()) -> tuple[str, ...]:
        """Ingest flags of the chunk plus what reading it found (e.g. instruction-like text)."""
        return tuple(dict.fromkeys([*chunk_flags, *self.flags.get(chunk_id, ())]))


def strip_heading(text: str) -> str:
    """Drop a heading glued to the sentence it introduces.

    PDF and Markdown extraction can join "Direkte Prompt Injections" and the paragraph
    "Direkte Prompt Injections treten auf, wenn ..." into one line; the repeated words
    show where the sentence starts.
    """
    words = text.split(" ")
    for start in range(min(12, len(words))):
        for size in range(2, 9):
            end = start + size
            if end + size <= len(words) and words[start:end] == words[end : end + size]:
                return " ".join(words[end:])
    return text


def clean_sentence(text: str) -> str:
    """A sentence as it can be quoted: no list markers, markup, links or private glyphs."""
    text = _PRIVATE_USE.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _MARKUP.sub("", text)
    for _ in range(3):
        stripped = _BULLET.sub("", text)
        if stripped == text:
            break
        text = stripped
    return strip_heading(re.sub(r"\s+", " ", text).strip())


def shorten(text: str, limit: int = MAX_POINT_CHARS) -> str:
    """Cut at a word boundary with an ellipsis; whole sentences up to ``limit`` stay whole."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:") + " …"


def normal_form(text: str) -> str:
    """Letters and digits only: the .md and .pdf renderings of one sentence agree on this."""
    return re.sub(r"[^0-9a-zäöüß]+", "", text.lower())


def dedupe_key(text: str) -> str:
    return normal_form(text)[:160]


_KEY_VALUE = re.compile(r"(?:^|\s)[a-z][\w-]{1,30}:\s")
_TERMINAL = re.compile(r"[.!?][\"'»”)\]]*$")
_TABLE_ROW = re.compile(r"\|.*\|")
_POINTER = re.compile(
    r"^(?:see|siehe|vgl\.|refer to|read more|(?:for )?more (?:details|information)"
    r"|weitere informationen|mehr (?:dazu|informationen))\b",
    re.IGNORECASE,
)
_FRAGMENT = re.compile(r"^[a-zäöü][a-zäöüß]+\b(?![.\-])")  # not "e.g.", "z.B.", "iOS", "eBay"
_HEADING_LEVELS = 2  # "Aufgaben in Schritt 4 › Daten für die KI aufbereiten"


def heading_context(section: str) -> str:
    """The last levels of a section path: what the passage is about, in the author's words.

    The top level (the document title) repeats on every passage of a document and so says
    little about a single passage; it is left out unless it is the only level.
    """
    parts = [p.strip() for p in section.split(" › ") if p.strip()]
    below_title = parts[1:] or parts
    return " ".join(below_title[-_HEADING_LEVELS:])


def is_question(sentence: str) -> bool:
    return sentence.rstrip("\"'»”)] ").endswith("?")


def is_statement(sentence: str) -> bool:
    """A finished sentence that states something (not a heading, table row or question)."""
    return bool(_TERMINAL.search(sentence)) and not is_question(sentence)


def prose_quality(sentence: str, lang: str) -> float:
    """1.0 for a finished sentence; less for headings, table rows, pointers and title-like text."""
    words = sentence.split()
    quality = 1.0 if _TERMINAL.search(sentence) else 0.85
    if _TABLE_ROW.search(sentence) or CELL_SEPARATOR in sentence or sentence.count(";") >= 3:
        quality *= 0.85  # a table row or a flattened list: facts without their explanation
    if _POINTER.match(sentence):
        quality *= 0.6  # "See Appendix A …": points elsewhere instead of saying something
    if _FRAGMENT.match(sentence):
        quality *= 0.85  # "model to be trained to …": the chunk or a list cut the sentence
    capitals = sum(w[:1].isupper() for w in words[1:]) / max(1, len(words) - 1)
    if capitals > (0.6 if lang == "de" else 0.5):
        quality *= 0.7
    return quality


def _usable(sentence: str) -> bool:
    if len(sentence) < _MIN_CHARS or len(sentence.split()) < _MIN_WORDS:
        return False
    if sentence.endswith(":"):
        return False  # an introduction to a list says nothing on its own
    if len(_KEY_VALUE.findall(sentence)) >= 2 and CELL_SEPARATOR not in sentence:
        return False  # "reporter: X target: Y" run together from metadata lines
    letters = sum(ch.isalpha() for ch in sentence)
    if letters < 0.6 * len(sentence):
        return False  # tables, numbers, reference lists
    return len(_URL.sub("", sentence)) >= 0.7 * len(sentence)


class QuestionTerms:
    """The question's content words with their weights and their German/English stems."""

    def __init__(
        self,
        question: str,
        idf: IdfFn,
        vocabulary: AbstractSet[str] | None = None,
        translations: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.words: list[tuple[frozenset[str], tuple[str, ...], float]] = []
        seen: set[str] = set()
        known = [idf(t) for t in self._stems_of(question)]
        ceiling = max([w for w in known if w > 0], default=1.0)
        translations = translations or {}
        for tok in tokens(question):
            if tok in STOPWORDS or len(tok) < 2 or tok in seen or tok.isdigit():
                continue
            seen.add(tok)
            own = {stem(tok, "de"), stem(tok, "en")}
            # a translation matches an other-language sentence; the weight stays the word's
            # own unless the workspace never uses the word (a German word in English text)
            other = set(translations.get(fold(tok), ())) - own
            stems = frozenset(own | other)
            weight = max(idf(s) for s in own)
            if weight <= 0 and other:
                weight = max(idf(s) for s in other)
            parts: tuple[str, ...] = ()
            if weight <= 0 and vocabulary is not None:
                parts = tuple(split_compound(tok, vocabulary))
            if weight <= 0:
                weight = ceiling  # unseen word: informative, and never matched
            self.words.append((stems, parts, weight))
        self.total = sum(w for _, _, w in self.words)

    @staticmethod
    def _stems_of(text: str) -> list[str]:
        return [stem(t, lang) for t in tokens(text) for lang in ("de", "en")]

    def overlap(self, sentence: str, lang: str) -> float:
        """IDF-weighted share of question words the sentence contains (compounds: half)."""
        if not self.total:
            return 0.0
        terms = set(doc_terms(sentence, lang))
        got = 0.0
        for stems, parts, weight in self.words:
            if stems & terms:
                got += weight
            elif (parts and all(p in terms for p in parts)) or _in_compound(stems, terms):
                got += 0.5 * weight
        return got / self.total


_MIN_COMPOUND_PART = 5


def _in_compound(stems: frozenset[str], terms: set[str]) -> bool:
    """A question word as the first or last part of a German compound in the sentence:
    "Einführung" in "Einführungsprojekt", "Daten" in "Kundendaten"."""
    return any(
        len(s) >= _MIN_COMPOUND_PART and len(t) > len(s) + 2 and (t.startswith(s) or t.endswith(s))
        for s in stems
        for t in terms
    )


class EvidenceScorer:
    """Scores every usable sentence of the retrieved chunks; one embedding call per question.

    Sentence vectors are cached by text, so a follow-up over the same passages and the
    .md/.pdf twins of one sentence cost nothing extra.
    """

    def __init__(
        self,
        embedder: Embedder,
        weights: ScoringWeights | None = None,
        cache_size: int = 20_000,
    ) -> None:
        self.embedder = embedder
        self.weights = weights or ScoringWeights()
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()  # Streamlit sessions share one scorer

    def clear_cache(self) -> None:
        """Forget the sentence vectors (benchmarks measure an answer over unseen passages)."""
        with self._lock:
            self._cache.clear()

    def _vectors(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        fresh = self.embedder.embed_documents(missing) if missing else None
        with self._lock:
            for text, vec in zip(missing, fresh if fresh is not None else [], strict=True):
                self._cache[text] = vec
            rows = [self._cache[t] for t in texts]
            for text in texts:
                self._cache.move_to_end(text)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return np.vstack(rows)

    def score(
        self,
        question: str,
        hits: Sequence[SearchHit],
        idf: IdfFn,
        vocabulary: AbstractSet[str] | None = None,
        translations: Mapping[str, Sequence[str]] | None = None,
    ) -> EvidenceSet:
        """Score the sentences of ``hits`` against ``question``; flags instruction-like text.
        ``translations`` (``kb.lexicon``) let a word match a sentence in the other language."""
        flags: dict[str, list[str]] = {}
        candidates: list[tuple[str, SearchHit, int]] = []
        seen: set[str] = set()
        for hit in hits:
            readable = readable_fields(readable_tables(hit.chunk.text))
            for index, raw in enumerate(split_sentences(readable)):
                if looks_like_instruction(raw):
                    flags.setdefault(hit.chunk.id, [])
                    if INSTRUCTION_FLAG not in flags[hit.chunk.id]:
                        flags[hit.chunk.id].append(INSTRUCTION_FLAG)
                    continue
                sentence = clean_sentence(raw)
                key = dedupe_key(sentence)
                if not _usable(sentence) or key in seen:
                    continue
                seen.add(key)
                candidates.append((sentence, hit, index))
        frozen_flags = {k: tuple(v) for k, v in flags.items()}
        qvec = self.embedder.embed_query(question)
        if not candidates:
            return EvidenceSet(question, tuple(hits), (), frozen_flags, question_vector=qvec)
        terms = QuestionTerms(question, idf, vocabulary, translations)
        w = self.weights
        top_rank = min(h.rank for h in hits)
        lexical = [terms.overlap(c[0], c[1].chunk.language) for c in candidates]
        headings: dict[str, float] = {}
        for _, hit, _ in candidates:
            if hit.chunk.id not in headings:
                context = heading_context(hit.chunk.section)
                headings[hit.chunk.id] = terms.overlap(context, hit.chunk.language)
        heading = [headings[c[1].chunk.id] for c in candidates]
        prior = [w.rank_bonus / math.sqrt(1 + c[1].rank - top_rank) for c in candidates]
        keep = sorted(
            range(len(candidates)),
            key=lambda i: -(w.lexical * lexical[i] + w.heading * heading[i] + prior[i]),
        )
        keep = sorted(keep[: w.max_candidates])
        vectors = self._vectors([shorten(candidates[i][0], EMBED_CHARS) for i in keep])
        cosines = vectors @ qvec
        lang = detect_language(question)
        scored = []
        for row, i in enumerate(keep):
            sentence, hit, index = candidates[i]
            quality = prose_quality(sentence, hit.chunk.language)
            if is_question(sentence):
                quality *= w.question_factor
            same = w.same_language_bonus if hit.chunk.language == lang else 0.0
            value = (w.cosine * float(cosines[row]) + w.lexical * lexical[i]) * quality
            bonus = w.heading * heading[i] + prior[i] + same
            scored.append(
                Evidence(
                    sentence,
                    hit,
                    index,
                    float(cosines[row]),
                    lexical[i],
                    value + bonus,
                    heading[i],
                )
            )
        order = sorted(range(len(scored)), key=lambda i: -scored[i].score)
        return EvidenceSet(
            question,
            tuple(hits),
            tuple(scored[i] for i in order),
            frozen_flags,
            vectors[order],
            qvec,
        )
