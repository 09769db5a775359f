"""Ingest files into a workspace: skip unchanged, parse, chunk, embed, commit per document.

Files come from disk (``ingest_paths``) or as uploaded bytes (``ingest_bytes``); both take
the same way: the name is sanitised (``ingest.names``), the content checked against its
suffix, the file parsed in the parser child process with a time limit, then chunked,
embedded and committed, each document on its own. The stages overlap (``ingest.stages``):
later files are parsed and earlier ones committed while the model embeds. A failing file
is reported and skipped; nothing already stored changes for it. Passages that address an
AI are flagged (``ingest.injection``). Vectors of passages a stored version of the same
document already has are reused, not computed again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from core.domain import CATEGORIES, Chunk, DocumentInfo, FileResult, IngestReport, LoadedDocument
from core.errors import IngestError
from ingest.chunking import ChunkDraft, chunk_document
from ingest.injection import INSTRUCTION_NAME, INSTRUCTION_TEXT, chunk_flags, looks_like_instruction
from ingest.language import detect_language
from ingest.loaders import Limits, load_file, loader_for
from ingest.loaders.registry import too_large_message
from ingest.names import printable, source_name
from ingest.stages import Job, StageStats, empty_vectors, run_stages
from kb.workspace import Workspace, chunk_set_version

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    """One progress event: which file of how many, and chunks embedded so far."""

    file_index: int
    files_total: int
    file: str
    status: str
    chunks_done: int


ProgressFn = Callable[[Progress], None]

# From this much input on, the model runs in a child process (``kb.model_process``): its
# start (about a second, overlapped with parsing) and memory (about 0.3 GB) pay off once
# commits would otherwise stall the model for longer than that.
MODEL_PROCESS_MIN_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class IngestOptions:
    category: str = "other"
    vendor: str | None = None
    chunk_chars: int = 900
    overlap_chars: int = 150
    limits: Limits = field(default_factory=Limits)


def doc_id_for(source: str) -> str:
    """Stable id from the file name, so a changed file with the same name replaces the old."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def _hidden(part: str) -> bool:
    """Dot files and folders, and Office lock files (``~$Bericht.docx``)."""
    return part.startswith((".", "~$"))


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders recursively (hidden files skipped), each file once.

    Files of unsupported types found in a folder are kept, so the report names them.
    """
    out: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(_hidden(part) for part in p.relative_to(path).parts)
            ]
        else:
            found = [path]
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                out.append(file)
    return out


@dataclass(frozen=True)
class SourceFile:
    """One file to ingest: its stored name, where it came from, and its bytes or path.

    ``name`` is the sanitised name (the document id is derived from it); ``origin`` is
    what the user gave (a path or an upload name) and appears only in messages.
    """

    name: str
    origin: str
    path: Path | None = None
    data: bytes | None = None
    name_error: str | None = None

    @classmethod
    def from_path(cls, path: Path) -> SourceFile:
        return cls._named(path.name, str(path), path=path)

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> SourceFile:
        return cls._named(name, name, data=data)

    @classmethod
    def _named(
        cls, raw: str, origin: str, path: Path | None = None, data: bytes | None = None
    ) -> SourceFile:
        shown = printable(origin, limit=None)
        try:
            return cls(source_name(raw), shown, path, data)
        except IngestError as exc:
            return cls(exc.file, shown, path, data, name_error=exc.reason)

    def read(self, limits: Limits) -> bytes:
        """The bytes, refusing an oversized file before reading it; OSError passes through."""
        if self.data is not None:
            data = self.data
        else:
            assert self.path is not None
            size = self.path.stat().st_size
            if size > limits.max_bytes:
                raise IngestError(self.name, too_large_message(size, limits))
            data = self.path.read_bytes()
        if len(data) > limits.max_bytes:
            raise IngestError(self.name, too_large_message(len(data), limits))
        return data


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


def _prepare(
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
        return _failed(name, src.name_error)
    try:
        loader_for(Path(name))
        data = src.read(opts.limits)
    except IngestError as exc:
        return _failed(name, exc.reason)
    except OSError as exc:
        return _failed(name, f"Datei nicht lesbar: {exc.strerror or exc}.")
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
        return _failed(name, exc.reason)
    except Exception as exc:  # a loader bug must not abort the batch
        log.exception("unexpected error while loading %s", name)
        return _failed(name, f"Unerwarteter Fehler beim Lesen ({type(exc).__name__}).")
    if not drafts:
        return _failed(name, "Kein Text gefunden, der sich einlesen lässt.")
    info, chunks = _document(doc, drafts, name, file_hash, opts, ws.name)
    vectors = empty_vectors(len(chunks), ws.embedder.dim)
    stored = ws.stored_vectors(doc_id) if existing is not None else {}
    todo = []
    for row, chunk in enumerate(chunks):
        reuse = stored.get(chunk.content_hash)
        if reuse is not None and reuse.shape == vectors[row].shape:
            vectors[row] = reuse
        else:
            todo.append(row)
    return Job(name, info=info, chunks=chunks, vectors=vectors, todo=todo)


def _failed(name: str, reason: str) -> Job:
    return Job(name, result=FileResult(name, "failed", error=reason))


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


def ingest_paths(
    ws: Workspace,
    paths: Iterable[Path],
    options: IngestOptions | None = None,
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Ingest files/folders into ``ws``; per-file results, failures never abort the batch."""
    files = [SourceFile.from_path(p) for p in expand_paths(paths)]
    return ingest_sources(ws, files, options, progress)


def ingest_bytes(
    ws: Workspace,
    uploads: Iterable[tuple[str, bytes]],
    options: IngestOptions | None = None,
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Ingest uploaded (name, bytes) pairs: the same checks as files, nothing written to disk."""
    files = [SourceFile.from_bytes(name, data) for name, data in uploads]
    return ingest_sources(ws, files, options, progress)


def ingest_sources(
    ws: Workspace,
    files: list[SourceFile],
    options: IngestOptions | None = None,
    progress: ProgressFn | None = None,
    batch_size: int | None = None,
    stats: StageStats | None = None,
    model_in_child: bool | None = None,
) -> IngestReport:
    """Ingest ``files`` in overlapping stages (``ingest.stages``); results in input order.

    Each document is committed on its own (crash-safe, see ``kb.workspace``) on the
    caller's thread, where ``progress`` is called after each file. The model runs in a
    child process when the batch has at least ``MODEL_PROCESS_MIN_BYTES`` of input
    (``model_in_child`` decides instead when given). ``batch_size`` overrides the
    model's texts per call and ``stats`` collects stage timings (both for benchmarks).
    """
    ws.require_write()  # refuse the whole batch up front for a read-only user
    opts = options or IngestOptions()
    if opts.category not in CATEGORIES:
        raise IngestError(
            "(Optionen)",
            f"Unbekannte Kategorie '{opts.category}' (erlaubt: {', '.join(CATEGORIES)}).",
        )
    clashes = _name_clashes(files)
    registry = dict(ws.documents(fresh=True))

    def jobs() -> Iterator[Job]:
        for src in files:
            if id(src) in clashes:
                yield _failed(src.name, clashes[id(src)])
            else:
                yield _prepare(src, ws, opts, registry)

    results: list[FileResult] = []
    done_chunks = 0

    def commit(job: Job) -> None:
        nonlocal done_chunks
        result = _commit(ws, job)
        done_chunks += result.chunks
        results.append(result)
        if progress is not None:
            progress(Progress(len(results), len(files), job.name, result.status, done_chunks))

    try:
        if model_in_child is None:
            model_in_child = sum(_size(f) for f in files) >= MODEL_PROCESS_MIN_BYTES
        used = run_stages(jobs(), ws.embedder, commit, batch_size, stats, model_in_child)
        log.info("ingest of %d files: %s", len(files), used.as_json())
    finally:
        if any(r.status in ("ingested", "replaced") for r in results):
            ws.save_keyword_index()
    return IngestReport(tuple(results))


def _size(src: SourceFile) -> int:
    if src.data is not None:
        return len(src.data)
    try:
        return src.path.stat().st_size if src.path is not None else 0
    except OSError:
        return 0


def _name_clashes(files: list[SourceFile]) -> dict[int, str]:
    """Later files whose name an earlier file of the batch already has, with the reason.

    The file name is the document id, so the second file would silently replace the first.
    """
    first: dict[str, SourceFile] = {}
    clashes: dict[int, str] = {}
    for src in files:
        if src.name_error is not None:
            continue
        other = first.setdefault(src.name, src)
        if other is not src:
            clashes[id(src)] = (
                f"{src.origin} hat den gleichen Namen wie {other.origin} in diesem Durchgang; "
                "der Dateiname bestimmt das Dokument. Bitte umbenennen und erneut einlesen."
            )
    return clashes


def _commit(ws: Workspace, job: Job) -> FileResult:
    """Store one embedded document (or pass on a decided result) and index it for BM25."""
    if job.result is not None:
        if job.result.status == "failed":
            log.warning("%s: %s", job.name, job.result.error)
        return job.result
    info, name = job.info, job.name
    assert info is not None and job.vectors is not None
    if job.error is not None:
        log.warning("%s: %s", name, job.error)
        return FileResult(name, "failed", error=job.error)
    try:
        replaced = ws.put_document(info, job.chunks, job.vectors)
    except Exception as exc:
        log.exception("storing %s failed", name)
        return FileResult(name, "failed", error=f"Speichern fehlgeschlagen: {exc}")
    ws.index_version(info, job.chunks)
    status: Literal["ingested", "replaced"] = "replaced" if replaced is not None else "ingested"
    return FileResult(name, status, len(job.chunks), doc_id=info.doc_id)
