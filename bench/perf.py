"""Performance at scale (issue 10): ingest vs the embedding limit, query latency vs size,
server mode under concurrency.

Every phase runs in its own child process (``python -m bench.perf --phase ...``) so its
peak memory is that child's ``ru_maxrss`` (plus the parser grandchildren's) and one
phase's models and caches cannot skew the next:

- ``ingest``: ``ingest_paths`` of a folder into a fresh embedded store (whole pipeline,
  wall time, model loaded before), then the USE model alone on the very same chunk texts
  (passages/s, the physical limit), ratio = pipeline chunks/s ÷ model passages/s;
  the keyword-index build after the ingest; peak RSS. Run on ``../shared/corpus`` and
  on a synthetic set of pages generated from the corpus text (``bench.perf_synth``).
- ``baseline``: the LangChain baseline (``bench.baseline``) ingest of the same folder.
- ``query``: workspaces of 1k/10k/100k synthetic chunks (realistic text, vectors reused
  from the embedded corpus with noise, *not* embedded: stated in the report), model
  loaded; p50/p95 of ``search`` and offline ``ask`` (``ChatService``), each question cold
  (question and sentence vector caches cleared first); keyword index: full build,
  reload from its cache in a new process, one document added and one removed; the
  baseline's dense-only MiniLM query at the same sizes. Growth exponents fitted over
  the sizes. The 100k workspace takes about 10 minutes to fill on 2 cores.
- ``server``: ``chroma run`` on 127.0.0.1 (free port); 20 search threads, each with its
  own ``build_services`` (own HTTP client and caches; one shared model object, as 20
  copies of the model would not fit this machine), 2 ingesting threads, for ``--seconds``;
  errors, throughput, p95; then the delay until a second instance sees an ingest.

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
def phase_ingest(src: Path, work: Path, vectors_out: Path | None) -> dict[str, Any]:
    from core.factory import build_services
    from ingest.pipeline import IngestOptions, ingest_paths

    s = settings(work / "lotse")
    t = time.perf_counter()
    services = build_services(s)
    load_s = time.perf_counter() - t
    ws = services.workspaces.open("perf", create=True)
    la0 = load1()
    t = time.perf_counter()
    report = ingest_paths(
        ws,
        [src],
        IngestOptions(
            category="guidance", chunk_chars=s.chunk_chars, overlap_chars=s.chunk_overlap_chars
        ),
    )
    pipe_s = time.perf_counter() - t
    la1 = load1()
    got = ws._chunks.get(include=["documents", "embeddings"])  # bench only: raw records
    texts = list(got["documents"])
    if vectors_out is not None:
        np.save(vectors_out, np.asarray(got["embeddings"], dtype=np.float32))
        if ws.second is not None:  # kb.second: the same chunks' e5 vectors, same order
            second = ws.second.collection.get(ids=list(got["ids"]), include=["embeddings"])
            by_id = dict(zip(second["ids"], second["embeddings"], strict=True))
            np.save(
                second_path(vectors_out),
                np.asarray([by_id[i] for i in got["ids"]], dtype=np.float32),
            )
    # skip-by-hash: the same folder again, nothing changed
    t = time.perf_counter()
    again = ingest_paths(
        ws,
        [src],
        IngestOptions(
            category="guidance", chunk_chars=s.chunk_chars, overlap_chars=s.chunk_overlap_chars
        ),
    )
    rerun_s = time.perf_counter() - t
    t = time.perf_counter()
    ws.keyword_index()
    index_s = time.perf_counter() - t
    la2 = load1()
    t = time.perf_counter()
    services.embedder.embed_documents(texts)
    embed_main_s = time.perf_counter() - t
    embed_second_s = 0.0
    if services.second_embedder is not None:  # the limit is both models' work
        t = time.perf_counter()
        services.second_embedder.embed_documents(texts)
        embed_second_s = time.perf_counter() - t
    embed_s = embed_main_s + embed_second_s
    la3 = load1()
    chars = sum(len(x) for x in texts)
    pipe_rate = report.chunks / pipe_s if pipe_s else 0.0
    limit = len(texts) / embed_s if embed_s else 0.0
    return {
        "source": str(src),
        "files": len(report.results),
        "failed": len(report.failed),
        "chunks": report.chunks,
        "chars": chars,
        "model_load_s": round(load_s, 1),
        "pipeline_s": round(pipe_s, 1),
        "pipeline_chunks_per_s": round(pipe_rate, 1),
        "load_during_pipeline": [la0, la1],
        "embed_alone_s": round(embed_s, 1),
        "embed_alone_s_by_model": {
            services.embedder.name: round(embed_main_s, 1),
            **(
                {services.second_embedder.name: round(embed_second_s, 1)}
                if services.second_embedder is not None
                else {}
            ),
        },
        "embed_passages_per_s": round(limit, 1),
        "load_during_embed": [la2, la3],
        "ratio": round(pipe_rate / limit, 3) if limit else None,
        "rerun_unchanged_s": round(rerun_s, 2),
        "rerun_unchanged": sum(r.status == "unchanged" for r in again.results),
        "keyword_index_build_s": round(index_s, 2),
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


def _keyword_timings(
    services: Any, ws: Any, s: Any, corpus: Path, vecs: Any, n: int, second: Any = None
) -> Any:
    """Keyword index at this size: full count from Chroma, reload from the per-document
    cache in a new process (a second ``Services``), one document added, one removed."""
    from bench.perf_synth import chunk_texts, perturbed
    from core.factory import build_services

    t = time.perf_counter()
    ws.keyword_index()
    full_s = time.perf_counter() - t
    again = build_services(
        s, embedder=services.embedder, second=services.second_embedder
    ).workspaces.open(ws.name)
    t = time.perf_counter()
    again.keyword_index()
    reload_s = time.perf_counter() - t
    _fill(
        ws,
        chunk_texts(corpus, 100, seed=n + 1),
        perturbed(vecs, 100, seed=n + 1),
        "extra",
        second=None if second is None else perturbed(second, 100, seed=n + 1),
    )
    t = time.perf_counter()
    ws.keyword_index()
    add_s = time.perf_counter() - t
    doc_id = hashlib.sha256(b"extra_00000.md").hexdigest()[:16]
    ws.delete_document(doc_id)
    t = time.perf_counter()
    ws.keyword_index()
    remove_s = time.perf_counter() - t
    _fill(
        ws,
        chunk_texts(corpus, 100, seed=n + 1),
        perturbed(vecs, 100, seed=n + 1),
        "extra",
        second=None if second is None else perturbed(second, 100, seed=n + 1),
    )
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
        retriever = services.retriever(f"q{n}")
        retriever.search("warm-up", k=10)
        times = []
        la_s = load1()
        for q in qs[:n_search]:
            _forget(services.embedder, services.second_embedder)
            t = time.perf_counter()
            retriever.search(q, k=s.search_k)
            times.append((time.perf_counter() - t) * 1000)
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
            "load_search": [la_s, load1()],
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


def phase_server(
    work: Path, vectors: Path, seconds: float, clients: int, ingesters: int
) -> dict[str, Any]:
    from bench.perf_synth import chunk_texts, perturbed, write_pages
    from core.factory import build_services
    from ingest.pipeline import IngestOptions, ingest_paths
    from kb.embeddings import load_embedder

    corpus = SHARED / "corpus"
    proc, url = start_chroma(work)
    try:
        model = load_embedder("use-multilingual")
        seed_svc = build_services(settings(work / "seed", chroma_url=url), embedder=model)
        second_model = seed_svc.second_embedder  # one copy shared by every client thread

        def services_at(name: str) -> Any:
            return build_services(
                settings(work / name, chroma_url=url), embedder=model, second=second_model
            )

        ws = seed_svc.workspaces.open("shared", create=True)
        base_vecs = np.load(vectors)
        base_second = load_second(vectors) if second_model is not None else None
        _fill(
            ws,
            chunk_texts(corpus, 1000),
            perturbed(base_vecs, 1000),
            "seed",
            second=None if base_second is None else perturbed(base_second, 1000),
        )
        qs = questions(40)
        stop = threading.Event()
        lock = threading.Lock()
        lat_ms: list[float] = []
        errors: list[str] = []
        ingested = [0, 0]  # files, chunks

        def searcher(i: int) -> None:
            try:
                svc = services_at(f"c{i}")
                r = svc.retriever("shared")
            except Exception as exc:
                with lock:
                    errors.append(f"setup: {exc!r}")
                return
            j = i
            while not stop.is_set():
                t = time.perf_counter()
                try:
                    r.search(qs[j % len(qs)], k=10)
                    with lock:
                        lat_ms.append((time.perf_counter() - t) * 1000)
                except Exception as exc:
                    with lock:
                        errors.append(repr(exc)[:200])
                j += 1

        def ingester(i: int) -> None:
            svc = services_at(f"i{i}")
            w = svc.workspaces.open("shared")
            files = write_pages(corpus, work / f"ing{i}", 400, pages_per_file=2, seed=100 + i)
            for f in files:
                if stop.is_set():
                    break
                renamed = f.with_name(f"ing{i}_{f.name}")
                f.rename(renamed)
                try:
                    rep = ingest_paths(w, [renamed], IngestOptions(category="guidance"))
                    with lock:
                        ingested[0] += len(rep.results) - len(rep.failed)
                        ingested[1] += rep.chunks
                        errors.extend(f"ingest: {x.error}" for x in rep.failed)
                except Exception as exc:
                    with lock:
                        errors.append(f"ingest: {exc!r}"[:200])

        threads = [threading.Thread(target=searcher, args=(i,)) for i in range(clients)]
        threads += [threading.Thread(target=ingester, args=(i,)) for i in range(ingesters)]
        la0 = load1()
        t0 = time.perf_counter()
        for th in threads:
            th.start()
        time.sleep(seconds)
        stop.set()
        for th in threads:
            th.join(timeout=120)
        wall = time.perf_counter() - t0
        la1 = load1()
        # visibility: instance A ingests, instance B (own services and caches) polls
        a = services_at("A")
        b = services_at("B")
        wa = a.workspaces.open("shared")
        wb = b.workspaces.open("shared")
        delays = []
        for k in range(5):
            wb.documents()  # B's registry cache is warm before A writes
            _fill(
                wa,
                chunk_texts(corpus, 10, seed=900 + k),
                perturbed(base_vecs, 10, seed=k),
                f"vis{k}",
                second=None if base_second is None else perturbed(base_second, 10, seed=k),
            )
            doc = hashlib.sha256(f"vis{k}_00000.md".encode()).hexdigest()[:16]
            t = time.perf_counter()
            while doc not in wb.documents():
                time.sleep(0.02)
            delays.append(round(time.perf_counter() - t, 2))
            time.sleep(0.7 * k)  # different phases of B's 2 s cache
        return {
            "url": url,
            "seconds": round(wall, 1),
            "clients": clients,
            "ingesters": ingesters,
            "searches": len(lat_ms),
            "searches_per_s": round(len(lat_ms) / wall, 1),
            "search_ms": lat(lat_ms),
            "errors": len(errors),
            "error_samples": errors[:5],
            "ingested_files": ingested[0],
            "ingested_chunks": ingested[1],
            "load": [la0, la1],
            "visibility_delay_s": delays,
            "registry_ttl_s": 2.0,
            "peak_rss_mb": rss_mb(),
            "note": "threads in one process share one model object and the GIL; each has "
            "its own build_services (HTTP client, registry and keyword caches)",
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
    ax1.bar(x - 0.27, limit, 0.27, label="USE alone (limit)")
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
        "| set | files | chunks | pipeline s | pipeline chunks/s | USE alone passages/s | "
        "ratio (target ≥ 0.8) | peak RSS MB (ingest proc / parser) | load | baseline chunks/s "
        "(chunks) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, x in r["ingest"].items():
        if x is None:
            L.append(f"| {name} | failed/skipped |||||||||")
            continue
        b = r["baseline"].get(name)
        bs = f"{b['chunks_per_s']} ({b['chunks']})" if b else "not run"
        L.append(
            f"| {name} | {x['files']} | {x['chunks']} | {x['pipeline_s']} | "
            f"{x['pipeline_chunks_per_s']} | {x['embed_passages_per_s']} | {x['ratio']} | "
            f"{x['peak_rss_mb']['self']} / {x['peak_rss_mb']['children']} | "
            f"{x['load_during_pipeline']} / {x['load_during_embed']} | {bs} |"
        )
    L += [
        "",
        "Re-ingest of an unchanged folder (skipped by hash, no parsing): "
        + ", ".join(
            f"{n}: {x['rerun_unchanged']} files in {x['rerun_unchanged_s']} s"
            for n, x in r["ingest"].items()
            if x
        ),
        "",
    ]
    q = r.get("query")
    if q:
        L += [
            "## Query latency vs workspace size",
            "",
            q["note"] + ".",
            "",
            "| chunks | search p50 / p95 ms | ask p50 / p95 ms | baseline search p50 / p95 ms | "
            "load (search / ask / baseline) |",
            "|---|---|---|---|---|",
        ]
        for x in q["sizes"]:
            b = x.get("baseline_search_ms")
            L.append(
                f"| {x['chunks']} | {x['search_ms']['p50']} / {x['search_ms']['p95']} | "
                f"{x['ask_ms']['p50']} / {x['ask_ms']['p95']} | "
                f"{(str(b['p50']) + ' / ' + str(b['p95'])) if b else '–'} | "
                f"{x['load_search']} / {x['load_ask']} / {x.get('load_baseline', '–')} |"
            )
        L += [
            "",
            "Growth exponent (latency ~ n^e, log-log fit over all sizes; p50, p95, and p50 "
            f"between the last two sizes): search {q.get('exp_search')}, "
            f"{q.get('exp_search_p95')}, {q.get('exp_search_last')}; ask {q.get('exp_ask')}, "
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
            f"`chroma run` on {s['url']}, {s['clients']} search clients + {s['ingesters']} "
            f"ingesting for {s['seconds']} s: {s['searches']} searches "
            f"({s['searches_per_s']}/s), p50 {s['search_ms']['p50']} ms, p95 "
            f"{s['search_ms']['p95']} ms, errors {s['errors']}, ingested "
            f"{s['ingested_files']} files / {s['ingested_chunks']} chunks; load {s['load']}. "
            f"{s['note']}.",
            "",
            f"Second instance sees a first instance's ingest after {s['visibility_delay_s']} s "
            f"(registry cache TTL {s['registry_ttl_s']} s).",
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
                res = phase_server(work, a.vectors, a.seconds, a.clients, a.ingesters)
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
