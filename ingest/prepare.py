"""The prepare stage of an ingest: everything before the model, for one file.

Checks (name, type, size), hash, skip when unchanged (by hash, without parsing), parse in
the parser child process, chunk, and the registry and chunk records. Vectors of passages
that a stored version of the document already has are filled in (``Workspace.
stored_vectors``, for each model); the job lists the rows still to embed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from core.domain import Chunk, DocumentInfo, FileResult, LoadedDocument
from core.errors import IngestError
from ingest.chunking import ChunkDraft, chunk_document
from ingest.injection import INSTRUCTION_NAME, INSTRUCTION_TEXT, chunk_flags, looks_like_instruction
from ingest.language import detect_language
from ingest.loaders import Limits, load_file, loader_for
from ingest.sources import SourceFile
from ingest.stages import Job, empty_vectors
from kb.embeddings import Vectors
from kb.workspace import Workspace, chunk_set_version

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestOptions:
    """How a batch is stored: category and vendor of its documents, chunking, limits."""

    category: str = "other"
    vendor: str | None = None
    chunk_chars: int = 900
    overlap_chars: int = 150
    limits: Limits = field(default_factory=Limits)


def doc_id_for(source: str) -> str:
    """Stable id from the file name, so a changed file with the same name replaces the old."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def _chunks_for(
    doc: LoadedDocument, drafts: list[ChunkDraft], info: DocumentInfo, ws: str
) -> list[Chunk]:
    """Chunks with ids unique to this version of the document.

    An id hashes the content and where it sits, plus the digest of the whole chunk set: a
    re-chunked or re-tagged version never shares a record with the committed one, so
    writing it cannot change what readers see until the registry commits it.
    """
    seen: set[str] = set()
    keyed: list[tuple[str, ChunkDraft, str]] = []
    for draft in drafts:
        content_hash = hashlib.sha256(draft.text.encode("utf-8")).hexdigest()
        key = "\x00".join(
            (
                info.doc_id,
                info.file_hash,
                info.category,
                info.vendor or "",
                str(draft.page),
                draft.section,
                content_hash,
            )
        )
        base_id = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        if base_id not in seen:
            seen.add(base_id)
            keyed.append((base_id, draft, content_hash))
    version = chunk_set_version([k for k, _, _ in keyed])
    chunks: list[Chunk] = []
    for base_id, draft, content_hash in keyed:
        chunk_id = hashlib.sha256(f"{version}:{base_id}".encode()).hexdigest()[:32]
        chunks.append(
            Chunk(
                id=chunk_id,
                text=draft.text,
                doc_id=info.doc_id,
                source=info.source,
                title=info.title,
                category=info.category,
                page=draft.page,
                section=draft.section,
                language=detect_language(draft.text, default=info.language),
                content_hash=content_hash,
                ingested_at=info.ingested_at,
                workspace=ws,
                position=len(chunks),
                vendor=info.vendor,
                flags=chunk_flags(draft.text, info.flags),
            )
        )
    return chunks


def prepare_file(
    src: SourceFile,
    ws: Workspace,
    opts: IngestOptions,
    registry: dict[str, DocumentInfo],
) -> Job:
    """Everything before the model: checks, hash, skip, parse, chunk, records.

    ``registry`` is the workspace's registry at the start of the batch: an unchanged file
    (same bytes, category and vendor) is skipped by its hash without being parsed.
    """
    name = src.name
    if src.name_error is not None:
        return failed_job(name, src.name_error)
    try:
        loader_for(Path(name))
        data = src.read(opts.limits)
    except IngestError as exc:
        return failed_job(name, exc)
    except OSError as exc:
        detail = exc.strerror or exc
        return failed_job(
            name,
            IngestError(name, f"Datei nicht lesbar: {detail}.", en=f"File not readable: {detail}."),
        )
    file_hash = hashlib.sha256(data).hexdigest()
    doc_id = doc_id_for(name)
    existing = registry.get(doc_id)
    if (
        existing is not None
        and existing.file_hash == file_hash
        and existing.category == opts.category
        and existing.vendor == opts.vendor
    ):
        return Job(name, result=FileResult(name, "unchanged", doc_id=doc_id))
    try:
        doc = load_file(Path(name), opts.limits, data=data)
        del data  # the parsed text is all that is needed from here on
        drafts = chunk_document(doc, opts.chunk_chars, opts.overlap_chars)
    except IngestError as exc:
        return failed_job(name, exc)
    except Exception as exc:  # a loader bug must not abort the batch
        log.exception("unexpected error while loading %s", name)
        kind = type(exc).__name__
        return failed_job(
            name,
            IngestError(
                name,
                f"Unerwarteter Fehler beim Lesen ({kind}).",
                en=f"Unexpected error while reading ({kind}).",
            ),
        )
    if not drafts:
        return failed_job(
            name,
            IngestError(
                name,
                "Kein Text gefunden, der sich einlesen lässt.",
                en="No text found that could be ingested.",
            ),
        )
    info, chunks = _document(doc, drafts, name, file_hash, opts, ws.name)
    first, second = _stored_vectors(ws, doc_id) if existing is not None else ({}, {})
    job = Job(name, info=info, chunks=chunks)
    job.vectors, job.todo = _reused(chunks, first, ws.embedder.dim)
    if ws.second_embedder is not None:
        job.second_vectors, job.second_todo = _reused(chunks, second, ws.second_embedder.dim)
    return job


def _reused(chunks: list[Chunk], stored: dict[str, Vectors], dim: int) -> tuple[Vectors, list[int]]:
    """One model's vectors for ``chunks`` with the stored ones filled in, and the rows
    still to embed."""
    vectors = empty_vectors(len(chunks), dim)
    todo = []
    for row, chunk in enumerate(chunks):
        reuse = stored.get(chunk.content_hash)
        if reuse is not None and reuse.shape == vectors[row].shape:
            vectors[row] = reuse
        else:
            todo.append(row)
    return vectors, todo


def _stored_vectors(ws: Workspace, doc_id: str) -> tuple[dict[str, Vectors], dict[str, Vectors]]:
    """Reusable vectors of the stored versions; a read error only means embedding anew."""
    try:
        return ws.stored_vectors(doc_id)
    except Exception:
        log.warning("stored vectors of %s not readable; embedding anew", doc_id, exc_info=True)
        return {}, {}


def failed_job(name: str, error: IngestError) -> Job:
    """A job already decided as failed: ``error``'s reason in German and English."""
    return Job(
        name, result=FileResult(name, "failed", error=error.reason, error_en=error.reason_en)
    )


def _document(
    doc: LoadedDocument,
    drafts: list[ChunkDraft],
    name: str,
    file_hash: str,
    opts: IngestOptions,
    ws: str,
) -> tuple[DocumentInfo, list[Chunk]]:
    """The registry record and the chunk records of one parsed file."""
    sample = " ".join(s.text for s in doc.sections[:20])
    flags = [*doc.suspicious]
    if looks_like_instruction(name):
        flags.append(INSTRUCTION_NAME)
    info = DocumentInfo(
        doc_id=doc_id_for(name),
        source=name,
        title=doc.title,
        category=opts.category,
        language=detect_language(sample),
        pages=doc.pages,
        chunks=0,
        ingested_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        file_hash=file_hash,
        vendor=opts.vendor,
        flags=tuple(flags),
    )
    chunks = _chunks_for(doc, drafts, info, ws)
    if any(INSTRUCTION_TEXT in c.flags for c in chunks):
        flags.append(INSTRUCTION_TEXT)
    return dataclasses.replace(info, chunks=len(chunks), flags=tuple(flags)), chunks
