"""Ingest files into a workspace: skip unchanged, parse, chunk, embed, commit per document.

Files come from disk (``ingest_paths``) or as uploaded bytes (``ingest_bytes``); both take
the same way (``ingest.sources``): the name is sanitised, the content checked against its
suffix, the file parsed in the parser child process with a time limit and chunked
(``ingest.prepare``), then embedded and committed, each document on its own. The stages
overlap (``ingest.stages``): later files are parsed and earlier ones committed while the
model embeds. A failing file
is reported and skipped; nothing already stored changes for it. Passages that address an
AI are flagged (``ingest.injection``). With a second model (``kb.second``) the embed
stage computes its vectors too and the commit stores them with the chunks; an unchanged
file that lacks them gets them from its stored chunks. Vectors of passages a stored
version of the same document already has are reused (both models'), not computed again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from core.domain import CATEGORIES, FileResult, IngestReport
from core.errors import IngestError
from ingest.prepare import IngestOptions, doc_id_for, failed_job, prepare_file
from ingest.sources import SourceFile, expand_paths, name_clashes, source_size
from ingest.stages import Job, StageStats, run_stages
from kb.workspace import Workspace

__all__ = [
    "MODEL_PROCESS_MIN_BYTES",
    "IngestOptions",
    "Progress",
    "ProgressFn",
    "SourceFile",
    "doc_id_for",
    "expand_paths",
    "ingest_bytes",
    "ingest_paths",
    "ingest_sources",
]

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
        allowed = ", ".join(CATEGORIES)
        raise IngestError(
            "(Optionen)",
            f"Unbekannte Kategorie '{opts.category}' (erlaubt: {allowed}).",
            en=f"Unknown category '{opts.category}' (allowed: {allowed}).",
        )
    clashes = name_clashes(files)
    registry = dict(ws.documents(fresh=True))

    def jobs() -> Iterator[Job]:
        for src in files:
            if id(src) in clashes:
                yield failed_job(src.name, clashes[id(src)])
            else:
                yield prepare_file(src, ws, opts, registry)

    results: list[FileResult] = []
    done_chunks = 0

    def commit(job: Job) -> None:
        nonlocal done_chunks
        result = _commit(ws, job)
        done_chunks += result.chunks
        results.append(result)
        if progress is not None:
            progress(Progress(len(results), len(files), job.name, result.status, done_chunks))

    if model_in_child is None:
        model_in_child = sum(source_size(f) for f in files) >= MODEL_PROCESS_MIN_BYTES
    used = run_stages(
        jobs(), ws.embedder, commit, batch_size, stats, model_in_child, ws.second_embedder
    )
    log.info("ingest of %d files: %s", len(files), used.as_json())
    return IngestReport(tuple(results))


def _commit(ws: Workspace, job: Job) -> FileResult:
    """Store one embedded document (or pass on a decided result)."""
    if job.result is not None:
        if job.result.status == "failed":
            log.warning("%s: %s", job.name, job.result.error)
        elif job.result.status == "unchanged" and job.result.doc_id is not None:
            _complete_second(ws, job.result.doc_id)
        return job.result
    info, name = job.info, job.name
    assert info is not None and job.vectors is not None
    if job.error is not None:
        log.warning("%s: %s", name, job.error)
        return FileResult(name, "failed", error=job.error, error_en=job.error_en)
    try:
        replaced = ws.put_document(info, job.chunks, job.vectors, job.second_vectors)
    except Exception as exc:
        log.exception("storing %s failed", name)
        return FileResult(
            name,
            "failed",
            error=f"Speichern fehlgeschlagen: {exc}",
            error_en=f"Saving failed: {exc}",
        )
    status: Literal["ingested", "replaced"] = "replaced" if replaced is not None else "ingested"
    return FileResult(name, status, len(job.chunks), doc_id=info.doc_id)


def _complete_second(ws: Workspace, doc_id: str) -> None:
    """Second-model vectors an unchanged document lacks (ingested while the model was
    off), from its stored chunks: nothing is parsed again. A failure leaves it ranked
    without them, as before."""
    try:
        ws.complete_second(doc_id)
    except Exception:
        log.exception("second-model vectors of %s not completed", doc_id)
