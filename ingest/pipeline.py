"""Ingest files into a workspace: skip unchanged, parse, chunk, embed, commit per document.

Files come from disk (``ingest_paths``) or as uploaded bytes (``ingest_bytes``); both take
the same way: the name is sanitised (``ingest.names``), the content checked against its
suffix, the file parsed in the parser child process with a time limit, then chunked,
embedded and committed. Parsing of the next file runs in a background thread while the
current one is embedded. A failing file is reported and skipped; nothing already stored
changes for it. Passages that address an AI are flagged (``ingest.injection``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from core.domain import CATEGORIES, Chunk, DocumentInfo, FileResult, IngestReport, LoadedDocument
from core.errors import IngestError
from ingest.chunking import ChunkDraft, chunk_document
from ingest.injection import INSTRUCTION_NAME, INSTRUCTION_TEXT, chunk_flags, looks_like_instruction
from ingest.language import detect_language
from ingest.loaders import Limits, load_file, loader_for
from ingest.loaders.registry import too_large_message
from ingest.names import printable, source_name
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


@dataclass
class _Parsed:
    source: SourceFile
    file_hash: str
    doc: LoadedDocument | None = None
    drafts: list[ChunkDraft] | None = None
    error: str | None = None
    unchanged: bool = False


def _parse(src: SourceFile, ws: Workspace, opts: IngestOptions) -> _Parsed:
    name = src.name
    if src.name_error is not None:
        return _Parsed(src, "", error=src.name_error)
    try:
        loader_for(Path(name))
        data = src.read(opts.limits)
    except IngestError as exc:
        return _Parsed(src, "", error=exc.reason)
    except OSError as exc:
        return _Parsed(src, "", error=f"Datei nicht lesbar: {exc.strerror or exc}.")
    file_hash = hashlib.sha256(data).hexdigest()
    existing = ws.documents(fresh=True).get(doc_id_for(name))
    if (
        existing is not None
        and existing.file_hash == file_hash
        and existing.category == opts.category
        and existing.vendor == opts.vendor
    ):
        return _Parsed(src, file_hash, unchanged=True)
    try:
        doc = load_file(Path(name), opts.limits, data=data)
        drafts = chunk_document(doc, opts.chunk_chars, opts.overlap_chars)
    except IngestError as exc:
        return _Parsed(src, file_hash, error=exc.reason)
    except Exception as exc:  # a loader bug must not abort the batch
        log.exception("unexpected error while loading %s", name)
        reason = f"Unerwarteter Fehler beim Lesen ({type(exc).__name__})."
        return _Parsed(src, file_hash, error=reason)
    if not drafts:
        return _Parsed(src, file_hash, error="Kein Text gefunden, der sich einlesen lässt.")
    return _Parsed(src, file_hash, doc=doc, drafts=drafts)


def _prefetched(sources: list[SourceFile], ws: Workspace, opts: IngestOptions) -> Iterator[_Parsed]:
    """Parse file n+1 in a worker thread while file n is embedded."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lotse-parse") as pool:
        pending: Future[_Parsed] | None = None
        for i, src in enumerate(sources):
            current = pending.result() if pending is not None else _parse(src, ws, opts)
            pending = (
                pool.submit(_parse, sources[i + 1], ws, opts) if i + 1 < len(sources) else None
            )
            yield current


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
) -> IngestReport:
    ws.require_write()  # refuse the whole batch up front for a read-only user
    opts = options or IngestOptions()
    if opts.category not in CATEGORIES:
        raise IngestError(
            "(Optionen)",
            f"Unbekannte Kategorie '{opts.category}' (erlaubt: {', '.join(CATEGORIES)}).",
        )
    clashes = _name_clashes(files)
    parsed_files = _prefetched([f for f in files if id(f) not in clashes], ws, opts)
    results: list[FileResult] = []
    done_chunks = 0
    for index, src in enumerate(files):
        name = src.name
        parsed = (
            _Parsed(src, "", error=clashes[id(src)]) if id(src) in clashes else next(parsed_files)
        )
        if parsed.unchanged:
            result = FileResult(name, "unchanged", doc_id=doc_id_for(name))
            ws.complete_second(doc_id_for(name))  # kb.second: switched on after this ingest
        elif parsed.error is not None or parsed.doc is None or parsed.drafts is None:
            log.warning("%s: %s", name, parsed.error)
            result = FileResult(name, "failed", error=parsed.error)
        else:
            result = _store(ws, parsed, opts)
            done_chunks += result.chunks
        results.append(result)
        if progress is not None:
            progress(Progress(index + 1, len(files), name, result.status, done_chunks))
    return IngestReport(tuple(results))


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


def _store(ws: Workspace, parsed: _Parsed, opts: IngestOptions) -> FileResult:
    assert parsed.doc is not None and parsed.drafts is not None
    doc, name = parsed.doc, parsed.source.name
    doc_id = doc_id_for(name)
    replaced = doc_id in ws.documents(fresh=True)
    sample = " ".join(s.text for s in doc.sections[:20])
    flags = [*doc.suspicious]
    if looks_like_instruction(name):
        flags.append(INSTRUCTION_NAME)
    info = DocumentInfo(
        doc_id=doc_id,
        source=name,
        title=doc.title,
        category=opts.category,
        language=detect_language(sample),
        pages=doc.pages,
        chunks=0,
        ingested_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        file_hash=parsed.file_hash,
        vendor=opts.vendor,
        flags=tuple(flags),
    )
    chunks = _chunks_for(doc, parsed.drafts, info, ws.name)
    if any(INSTRUCTION_TEXT in c.flags for c in chunks):
        flags.append(INSTRUCTION_TEXT)
    info = dataclasses.replace(info, chunks=len(chunks), flags=tuple(flags))
    try:
        vectors = ws.embedder.embed_documents([c.text for c in chunks])
        ws.put_document(info, chunks, vectors)
    except Exception as exc:
        log.exception("storing %s failed", name)
        return FileResult(name, "failed", error=f"Speichern fehlgeschlagen: {exc}")
    return FileResult(name, "replaced" if replaced else "ingested", len(chunks), doc_id=doc_id)
