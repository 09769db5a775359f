"""Domain records shared by ingest, retrieval, answering and drafting (all frozen)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Category = Literal["guidance", "vendor", "policy", "other"]
CATEGORIES: tuple[str, ...] = ("guidance", "vendor", "policy", "other")
Language = Literal["de", "en"]


@dataclass(frozen=True)
class Section:
    """A structural unit a loader found: text under one heading path on one page."""

    text: str
    section: str = ""
    page: int | None = None


@dataclass(frozen=True)
class LoadedDocument:
    """What a loader returns: the document's text in structural sections, before chunking."""

    source: str
    title: str
    sections: tuple[Section, ...]
    pages: int | None = None
    suspicious: tuple[str, ...] = ()  # e.g. hidden text or instructions in metadata
    records: bool = False  # sections are separate entities (JSON/YAML): never merged


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage; ``id`` is a hash of doc and content, so re-ingest upserts."""

    id: str
    text: str
    doc_id: str
    source: str
    title: str
    category: str
    page: int | None
    section: str
    language: str
    content_hash: str
    ingested_at: str
    workspace: str
    position: int
    vendor: str | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchHit:
    chunk: Chunk
    score: float
    rank: int


@dataclass(frozen=True)
class DocumentInfo:
    """A document as listed in a workspace."""

    doc_id: str
    source: str
    title: str
    category: str
    language: str
    pages: int | None
    chunks: int
    ingested_at: str
    file_hash: str
    vendor: str | None = None
    version: str = ""  # digest of the chunk ids: changes whenever the stored chunks change
    flags: tuple[str, ...] = ()  # found at ingest: hidden text, instruction-like passages, ...


@dataclass(frozen=True)
class FileResult:
    """One file's outcome; ``error`` is the German reason (CLI, JSON, log), ``error_en`` the
    same reason in English for the English UI (None where none was written)."""

    file: str
    status: Literal["ingested", "unchanged", "replaced", "failed"]
    chunks: int = 0
    error: str | None = None
    doc_id: str | None = None
    error_en: str | None = None


@dataclass(frozen=True)
class IngestReport:
    results: tuple[FileResult, ...] = field(default_factory=tuple)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def chunks(self) -> int:
        return sum(r.chunks for r in self.results)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    def as_json(self) -> dict[str, object]:
        return {
            "ingested": self.count("ingested"),
            "unchanged": self.count("unchanged"),
            "replaced": self.count("replaced"),
            "chunks": self.chunks,
            "failed": [{"file": r.file, "error": r.error} for r in self.failed],
        }


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer: where it is (document, page, section) and what was used.

    ``snippet`` holds the sentences the answer used, ``text`` the whole chunk; ``flags``
    warn about the passage (e.g. instruction-like text that was never followed).
    """

    n: int
    source: str
    page: int | None
    section: str
    snippet: str
    text: str
    doc_id: str
    flags: tuple[str, ...] = ()
    language: str = ""


@dataclass(frozen=True)
class Answer:
    """An answer as the CLI and the chat page show it, honest about grounding and data flow.

    ``grounded`` is False when the knowledge base holds no sufficient basis (then
    ``possibly_related`` lists the closest passages) or when an LLM answer cited no
    passage. ``left_machine`` says whether question or passages went to an external
    endpoint. ``notice`` explains a fallback or a warning in the question's language.
    """

    answer: str
    language: str
    grounded: bool
    provider: str
    left_machine: bool
    citations: tuple[Citation, ...] = ()
    possibly_related: tuple[Citation, ...] = ()
    question: str = ""
    notice: str | None = None
    redacted: bool = False


@dataclass(frozen=True)
class ChatTurn:
    """One exchange of a conversation: the question as asked and the answer given."""

    question: str
    answer: Answer
