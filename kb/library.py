"""The knowledge-base operations the app offers beyond the CLI, kept UI-free and typed.

The Wissensbasis page reads its widgets, calls one function here and renders the result:
filtered document lists, document details, ingesting uploaded files, and workspace
archives as bytes (for a download button) or from bytes (from an upload).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.domain import Chunk, DocumentInfo, FileResult, IngestReport
from core.errors import WorkspaceError
from core.settings import Settings
from ingest.loaders import Limits
from ingest.pipeline import IngestOptions, ProgressFn, ingest_bytes, ingest_paths
from kb.uploads import Upload, safe_name, staged
from kb.workspace import Workspace
from kb.workspaces import WorkspaceStore
from knowledge.manifest import shipped_documents


def ingest_options(settings: Settings, category: str, vendor: str | None) -> IngestOptions:
    """Ingest options from settings, so the app chunks exactly like the CLI."""
    return IngestOptions(
        category=category,
        vendor=(vendor or "").strip() or None,
        chunk_chars=settings.chunk_chars,
        overlap_chars=settings.chunk_overlap_chars,
        limits=Limits.from_settings(settings),
    )


def ingest_uploads(
    ws: Workspace,
    uploads: Sequence[Upload],
    options: IngestOptions,
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Ingest uploaded files from memory; per-file results as in ``ingest_paths``.

    Names are sanitised (path and control characters removed), content is checked
    against the suffix and parsed with the time limit, exactly as for files on disk.
    """
    return ingest_bytes(ws, [(u.name, u.data) for u in uploads], options, progress)


# ---- listing and filters -------------------------------------------------------------
@dataclass(frozen=True)
class DocumentFilter:
    """Which documents to list; empty sets and ``None`` mean "no restriction"."""

    categories: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    since: dt.date | None = None
    until: dt.date | None = None
    text: str = ""


def ingested_on(info: DocumentInfo) -> dt.date | None:
    """Local calendar date of the ingest time (stored as an ISO timestamp in UTC)."""
    try:
        stamp = dt.datetime.fromisoformat(info.ingested_at)
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone()
    return stamp.date()


def filter_documents(docs: Iterable[DocumentInfo], flt: DocumentFilter) -> list[DocumentInfo]:
    """Documents that pass every criterion, newest first, then by file name."""
    needle = flt.text.strip().casefold()
    out = []
    for info in docs:
        day = ingested_on(info)
        if flt.categories and info.category not in flt.categories:
            continue
        if flt.languages and info.language not in flt.languages:
            continue
        if flt.since is not None and (day is None or day < flt.since):
            continue
        if flt.until is not None and (day is None or day > flt.until):
            continue
        haystack = f"{info.source} {info.title} {info.vendor or ''}".casefold()
        if needle and needle not in haystack:
            continue
        out.append(info)
    out.sort(key=lambda d: d.source.casefold())
    out.sort(key=lambda d: d.ingested_at, reverse=True)
    return out


# ---- details -------------------------------------------------------------------------
@dataclass(frozen=True)
class DocumentDetails:
    """What a user checks after an upload: did the text arrive, on which pages, in which parts."""

    info: DocumentInfo
    chunks: tuple[Chunk, ...]
    pages_with_text: tuple[int, ...]
    sections: tuple[str, ...]
    first_lines: str
    flags: tuple[str, ...]


def document_details(ws: Workspace, doc_id: str, first_chars: int = 600) -> DocumentDetails:
    """Chunks in reading order plus the facts derived from them; unknown ids are an error."""
    info = ws.documents(fresh=True).get(doc_id)
    if info is None:
        raise WorkspaceError(
            f"Dokument '{doc_id}' gibt es im Arbeitsbereich '{ws.name}' nicht.",
            en=f"Document '{doc_id}' does not exist in workspace '{ws.name}'.",
        )
    chunks = tuple(ws.document_chunks(doc_id))
    pages = sorted({c.page for c in chunks if c.page is not None})
    sections = list(dict.fromkeys(c.section for c in chunks if c.section))
    flags = list(dict.fromkeys(f for c in chunks for f in c.flags))
    text = "\n".join(c.text for c in chunks[:3])
    first = text[:first_chars].rstrip()
    if len(text) > first_chars:
        first += " …"
    return DocumentDetails(info, chunks, tuple(pages), tuple(sections), first, tuple(flags))


# ---- workspaces ----------------------------------------------------------------------
@dataclass(frozen=True)
class WorkspaceOverview:
    """A workspace as listed for consultants; read from the registry only, so it stays fast."""

    name: str
    documents: int
    chunks: int
    last_ingested_at: str


def workspace_overview(store: WorkspaceStore) -> list[WorkspaceOverview]:
    out = []
    for name in store.names():
        docs = store.open(name).documents(fresh=True).values()
        out.append(
            WorkspaceOverview(
                name=name,
                documents=len(docs),
                chunks=sum(d.chunks for d in docs),
                last_ingested_at=max((d.ingested_at for d in docs), default=""),
            )
        )
    return out


def archive_file_name(name: str, today: dt.date | None = None) -> str:
    """``ki-lotse-<workspace>-<YYYY-MM-DD>.zip``: sortable and says what it is."""
    return f"ki-lotse-{name}-{(today or dt.date.today()).isoformat()}.zip"


def workspace_archive_bytes(store: WorkspaceStore, name: str) -> bytes:
    """The export archive of a workspace as bytes (written through a temporary file)."""
    with tempfile.TemporaryDirectory(prefix="lotse-export-") as tmp:
        return store.export(name, Path(tmp) / archive_file_name(name)).read_bytes()


def import_workspace_archive(
    store: WorkspaceStore, upload: Upload, name: str | None = None, replace: bool = False
) -> str:
    """Restore an uploaded archive; returns the name of the imported workspace."""
    safe_name(upload.name)
    with staged([upload]) as paths:
        return store.import_(paths[0], (name or "").strip() or None, replace)


# ---- shipped knowledge ---------------------------------------------------------------
def shipped_knowledge_available(settings: Settings) -> bool:
    """True when ``data/manifest.yaml`` lists documents to preload (the `lotse bootstrap` set)."""
    return (settings.knowledge_dir / "manifest.yaml").is_file()


def load_shipped_knowledge(
    ws: Workspace, settings: Settings, progress: ProgressFn | None = None
) -> IngestReport:
    """Ingest the manifest's documents, each with its category and vendor tag.

    Reads the manifest through the same function as `lotse bootstrap`, so both load
    exactly the same set; progress counts over all files.
    """
    from ingest.pipeline import Progress

    entries = shipped_documents(settings.knowledge_dir)
    results: list[FileResult] = []
    done = 0
    for index, (path, category, vendor) in enumerate(entries, start=1):
        report = ingest_paths(ws, [path], ingest_options(settings, category, vendor))
        results.extend(report.results)
        done += report.chunks
        if progress is not None:
            status = report.results[0].status if report.results else "failed"
            progress(Progress(index, len(entries), path.name, status, done))
    return IngestReport(tuple(results))
