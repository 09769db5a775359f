"""Ingest files into a workspace: skip unchanged, parse, chunk, embed, commit per document.

Parsing of the next file runs in a background thread while the current one is embedded,
so loading and cleaning overlap the model's work. A failing file is reported and skipped;
nothing already stored changes for it.
"""

from __future__ import annotations

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
from ingest.language import detect_language
from ingest.loaders import Limits, load_file, loader_for
from ingest.loaders.registry import too_large_message
from kb.workspace import Workspace

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
                p for p in sorted(path.rglob("*"))
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


def _chunks_for(
    doc: LoadedDocument, drafts: list[ChunkDraft], info: DocumentInfo, ws: str
) -> list[Chunk]:
    seen: set[str] = set()
    chunks: list[Chunk] = []
    for draft in drafts:
        content_hash = hashlib.sha256(draft.text.encode("utf-8")).hexdigest()
        key = "\x00".join(
            (info.doc_id, info.file_hash, str(draft.page), draft.section, content_hash)
        )
        chunk_id = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        if chunk_id in seen:
            continue
        seen.add(chunk_id)
        chunks.append(Chunk(
            id=chunk_id, text=draft.text, doc_id=info.doc_id, source=info.source,
            title=info.title, category=info.category, page=draft.page, section=draft.section,
            language=detect_language(draft.text, default=info.language),
            content_hash=content_hash, ingested_at=info.ingested_at, workspace=ws,
            position=len(chunks), vendor=info.vendor, flags=doc.suspicious,
        ))
    return chunks


@dataclass
class _Parsed:
    path: Path
    file_hash: str
    doc: LoadedDocument | None = None
    drafts: list[ChunkDraft] | None = None
    error: str | None = None
    unchanged: bool = False


def _parse(path: Path, ws: Workspace, opts: IngestOptions) -> _Parsed:
    name = path.name
    try:
        loader_for(path)
    except IngestError as exc:
        return _Parsed(path, "", error=exc.reason)
    try:
        size = path.stat().st_size
        if size > opts.limits.max_bytes:
            return _Parsed(path, "", error=too_large_message(size, opts.limits))
        data = path.read_bytes()
    except OSError as exc:
        return _Parsed(path, "", error=f"Datei nicht lesbar: {exc.strerror or exc}.")
    file_hash = hashlib.sha256(data).hexdigest()
    existing = ws.documents(fresh=True).get(doc_id_for(name))
    if (existing is not None and existing.file_hash == file_hash
            and existing.category == opts.category and existing.vendor == opts.vendor):
        return _Parsed(path, file_hash, unchanged=True)
    try:
        doc = load_file(path, opts.limits, data=data)
        drafts = chunk_document(doc, opts.chunk_chars, opts.overlap_chars)
    except IngestError as exc:
        return _Parsed(path, file_hash, error=exc.reason)
    except Exception as exc:  # a loader bug must not abort the batch
        log.exception("unexpected error while loading %s", name)
        reason = f"Unerwarteter Fehler beim Lesen ({type(exc).__name__})."
        return _Parsed(path, file_hash, error=reason)
    if not drafts:
        return _Parsed(path, file_hash, error="Kein Text gefunden, der sich einlesen lässt.")
    return _Parsed(path, file_hash, doc=doc, drafts=drafts)


def _prefetched(
    paths: list[Path], ws: Workspace, opts: IngestOptions
) -> Iterator[_Parsed]:
    """Parse file n+1 in a worker thread while file n is embedded."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lotse-parse") as pool:
        pending: Future[_Parsed] | None = None
        for i, path in enumerate(paths):
            current = pending.result() if pending is not None else _parse(path, ws, opts)
            pending = pool.submit(_parse, paths[i + 1], ws, opts) if i + 1 < len(paths) else None
            yield current


def ingest_paths(
    ws: Workspace,
    paths: Iterable[Path],
    options: IngestOptions | None = None,
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Ingest files/folders into ``ws``; per-file results, failures never abort the batch."""
    opts = options or IngestOptions()
    if opts.category not in CATEGORIES:
        raise IngestError("(Optionen)", f"Unbekannte Kategorie '{opts.category}' "
                          f"(erlaubt: {', '.join(CATEGORIES)}).")
    files = expand_paths(paths)
    clashes = _name_clashes(files)
    parsed_files = _prefetched([f for f in files if f not in clashes], ws, opts)
    results: list[FileResult] = []
    done_chunks = 0
    for index, path in enumerate(files):
        name = path.name
        parsed = _Parsed(path, "", error=clashes[path]) if path in clashes else next(parsed_files)
        if parsed.unchanged:
            result = FileResult(name, "unchanged", doc_id=doc_id_for(name))
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


def _name_clashes(files: list[Path]) -> dict[Path, str]:
    """Later files whose name an earlier file of the batch already has, with the reason.

    The file name is the document id, so the second file would silently replace the first.
    """
    first: dict[str, Path] = {}
    clashes: dict[Path, str] = {}
    for path in files:
        other = first.setdefault(path.name, path)
        if other != path:
            clashes[path] = (
                f"{path} hat den gleichen Namen wie {other} in diesem Durchgang; der Dateiname "
                "bestimmt das Dokument. Bitte umbenennen und erneut einlesen."
            )
    return clashes


def _store(ws: Workspace, parsed: _Parsed, opts: IngestOptions) -> FileResult:
    assert parsed.doc is not None and parsed.drafts is not None
    doc, name = parsed.doc, parsed.path.name
    doc_id = doc_id_for(name)
    replaced = doc_id in ws.documents(fresh=True)
    sample = " ".join(s.text for s in doc.sections[:20])
    info = DocumentInfo(
        doc_id=doc_id, source=name, title=doc.title, category=opts.category,
        language=detect_language(sample), pages=doc.pages, chunks=0,
        ingested_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        file_hash=parsed.file_hash, vendor=opts.vendor,
    )
    chunks = _chunks_for(doc, parsed.drafts, info, ws.name)
    info = DocumentInfo(**{**info.__dict__, "chunks": len(chunks)})
    try:
        vectors = ws.embedder.embed_documents([c.text for c in chunks])
        ws.put_document(info, chunks, vectors)
    except Exception as exc:
        log.exception("storing %s failed", name)
        return FileResult(name, "failed", error=f"Speichern fehlgeschlagen: {exc}")
    return FileResult(name, "replaced" if replaced else "ingested", len(chunks), doc_id=doc_id)
