"""Retrieval quality and ingest time on ``../shared/corpus`` + ``../shared/eval/dev.jsonl``.

Measures, in one run and on the same machine state:

- **KI-Lotse**: full ingest of the corpus into a fresh embedded store (``ingest_paths``,
  wall time), then recall@1/5/10 and MRR@10 per language through the real retriever,
  and the search latency per question (p50/p95, model loaded, store warm);
- **baseline** (``bench.baseline``): LangChain ``RecursiveCharacterTextSplitter(1000, 200)``
  over the same loader text, MiniLM, embedded Chroma, dense only.

Both are scored by ``kb.evaluation`` (right file family, key phrase inside the chunk,
right PDF page). Writes ``bench/results/retrieval.json`` and ``retrieval.md``. Without
``../shared`` it says so and exits 0: the corpus is not part of the repository.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from core.domain import SearchHit
from core.factory import build_services
from core.settings import Settings
from ingest.pipeline import IngestOptions, ingest_paths
from kb.embeddings import load_embedder
from kb.evaluation import EvalResult, Question, evaluate, load_families

log = logging.getLogger("bench.retrieval")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LOTSE_BENCH_SHARED", ROOT.parent / "shared"))
RESULTS = ROOT / "bench" / "results"
HELDOUT = ROOT / "bench" / "data" / "heldout.jsonl"
TARGET = {"recall@5": 0.75, "recall@5 per language": 0.70}
LANGS: tuple[str | None, ...] = (None, "de", "en")


def load_questions(path: Path) -> list[Question]:
    fields = ("id", "lang", "question", "source_file", "locator", "key_phrase")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        Question(**{f: r[f] for f in fields}, cross_lingual=bool(r.get("cross_lingual")))
        for r in rows
    ]


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def scored(
    questions: Sequence[Question],
    search: Callable[[str, int], list[SearchHit]],
    families: dict[str, set[str]],
) -> tuple[EvalResult, dict[str, float]]:
    """Evaluate and time each search (after one warm-up query)."""
    search("warm-up", 10)
    times: list[float] = []

    def timed(query: str, k: int) -> list[SearchHit]:
        started = time.perf_counter()
        hits = search(query, k)
        times.append((time.perf_counter() - started) * 1000)
        return hits

    result = evaluate(questions, timed, families, k=10)
    latency = {
        "p50": round(statistics.median(times), 1),
        "p95": round(percentile(times, 0.95), 1),
    }
    return result, latency


def metrics(result: EvalResult) -> dict[str, dict[str, float]]:
    return {
        lang or "all": {k: round(v, 3) for k, v in result.metrics(lang).items()} for lang in LANGS
    }


def held_out_figures(
    questions: Sequence[Question],
    search: Callable[[str, int], list[SearchHit]],
    families: dict[str, set[str]],
) -> dict[str, Any]:
    """The held-out set's figures (no latency: the dev set times the searches)."""
    if not questions:
        return {}
    result = evaluate(questions, search, families, k=10)
    return {"metrics": metrics(result), "misses": misses(result)}


def misses(result: EvalResult) -> list[str]:
    return [r["id"] for r in result.rows if not r["rank"] or r["rank"] > 5]


def run_ours(
    corpus: Path,
    questions: list[Question],
    families: dict[str, set[str]],
    work: Path,
    heldout: Sequence[Question] = (),
) -> dict[str, Any]:
    settings = Settings(data_dir=work / "lotse")
    started = time.perf_counter()
    services = build_services(settings)
    load_s = time.perf_counter() - started
    workspace = services.workspaces.open("bench", create=True)
    started = time.perf_counter()
    report = ingest_paths(
        workspace,
        [corpus],
        IngestOptions(
            category="guidance",
            chunk_chars=settings.chunk_chars,
            overlap_chars=settings.chunk_overlap_chars,
        ),
    )
    ingest_s = time.perf_counter() - started
    retriever = services.retriever("bench")
    started = time.perf_counter()
    retriever.search("warm-up", k=1)  # builds the keyword index from Chroma
    index_s = time.perf_counter() - started
    result, latency = scored(questions, lambda q, k: retriever.search(q, k=k), families)
    held = held_out_figures(heldout, lambda q, k: retriever.search(q, k=k), families)
    return {
        "pipeline": f"KI-Lotse ({settings.embedding_model}"
        + (
            f" + {settings.second_embedding_model}"
            if settings.second_embedding_model != "none"
            else ""
        )
        + " + BM25)",
        "model_load_s": round(load_s, 1),
        "ingest_s": round(ingest_s, 1),
        "keyword_index_s": round(index_s, 2),
        "files": len(report.results),
        "failed": [f.file for f in report.failed],
        "chunks": report.chunks,
        "metrics": metrics(result),
        "search_ms": latency,
        "misses": misses(result),
        "heldout": held,
    }


def run_baseline(
    corpus: Path,
    questions: list[Question],
    families: dict[str, set[str]],
    work: Path,
    heldout: Sequence[Question] = (),
) -> dict[str, Any]:
    from bench.baseline import CHUNK_OVERLAP, CHUNK_SIZE, build_baseline

    started = time.perf_counter()
    embedder = load_embedder("minilm")
    load_s = time.perf_counter() - started
    baseline = build_baseline(corpus, embedder, work / "baseline-chroma")
    result, latency = scored(questions, baseline.search, families)
    return {
        "pipeline": f"LangChain splitter {CHUNK_SIZE}/{CHUNK_OVERLAP} + MiniLM + Chroma, dense",
        "model_load_s": round(load_s, 1),
        "ingest_s": round(baseline.ingest_s, 1),
        "files": baseline.files,
        "chunks": baseline.chunks,
        "metrics": metrics(result),
        "search_ms": latency,
        "heldout": held_out_figures(heldout, baseline.search, families),
    }


def markdown(report: dict[str, Any]) -> str:
    """The human report: one table per pipeline side by side, then the misses."""
    ours, base = report["ours"], report["baseline"]
    lines = [
        "# Retrieval benchmark",
        "",
        f"Corpus `{report['corpus']}` ({ours['files']} files), questions "
        f"`{report['questions_file']}` (n={report['questions']}), {report['machine']}.",
        f"Target: recall@5 ≥ {TARGET['recall@5']} overall and ≥ "
        f"{TARGET['recall@5 per language']} per language; ingest faster than the baseline.",
        "",
        "| pipeline | lang | R@1 | R@5 | R@10 | MRR@10 |",
        "|---|---|---|---|---|---|",
    ]
    lines += metric_rows((ours, base), "metrics")
    if ours.get("heldout"):
        lines += [
            "",
            f"Held-out set `{report['heldout_file']}` (n={report['heldout_questions']}): "
            "other passages of the same corpus, questions written in session 18 without "
            "looking at the system and never tuned on (the acceptance run's situation).",
            "",
            "| pipeline | lang | R@1 | R@5 | R@10 | MRR@10 |",
            "|---|---|---|---|---|---|",
            *metric_rows((ours, base), "heldout"),
        ]
    lines += [
        "",
        "| pipeline | chunks | ingest (s) | search p50 (ms) | search p95 (ms) |",
        "|---|---|---|---|---|",
    ]
    for side in (ours, base):
        lines.append(
            f"| {side['pipeline']} | {side['chunks']} | {side['ingest_s']:.1f} | "
            f"{side['search_ms']['p50']:.1f} | {side['search_ms']['p95']:.1f} |"
        )
    lines += [
        "",
        f"Load average at the end of the run: {report['load_average_1m_at_end']} "
        "(timings from a busy machine are not comparable across runs; the two pipelines "
        "run back to back in the same run).",
        "",
        "Ingest is wall time for the whole corpus into a fresh store (loading, cleaning, "
        "chunking, embedding, storing); model loading is excluded for both "
        f"(KI-Lotse {ours['model_load_s']} s, baseline {base['model_load_s']} s).",
        "",
        f"Not in the top 5 (KI-Lotse): {', '.join(ours['misses']) or 'none'}.",
        "",
    ]
    if ours.get("heldout"):
        held_misses = ", ".join(ours["heldout"]["misses"]) or "none"
        lines += [f"Held-out, not in the top 5 (KI-Lotse): {held_misses}.", ""]
    return "\n".join(lines)


def metric_rows(sides: Sequence[dict[str, Any]], key: str) -> list[str]:
    """Table rows per pipeline and language; ``key`` picks the dev or the held-out set."""
    rows = []
    for side in sides:
        figures = side["metrics"] if key == "metrics" else side[key]["metrics"]
        for lang, m in figures.items():
            rows.append(
                f"| {side['pipeline']} | {lang} (n={m['n']}) | {m['recall@1']:.2f} | "
                f"{m['recall@5']:.2f} | {m['recall@10']:.2f} | {m['mrr@10']:.3f} |"
            )
    return rows


def main(argv: Sequence[str] | None = None) -> dict[str, Any] | None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--questions", type=Path, default=SHARED / "eval" / "dev.jsonl")
    parser.add_argument("--heldout", type=Path, default=HELDOUT)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not args.corpus.is_dir() or not args.questions.is_file():
        print(
            f"bench.retrieval: skipped, {args.corpus} or {args.questions} not found "
            "(the evaluation corpus lives in ../shared beside the repository)."
        )
        return None
    questions = load_questions(args.questions)
    heldout = load_questions(args.heldout) if args.heldout.is_file() else []
    families = load_families(SHARED / "eval" / "MANIFEST.tsv")
    with tempfile.TemporaryDirectory(prefix="lotse-bench-") as tmp:
        work = Path(tmp)
        ours = run_ours(args.corpus, questions, families, work, heldout)
        print(f"KI-Lotse: ingest {ours['ingest_s']} s, {ours['metrics']['all']}", flush=True)
        if ours["heldout"]:
            print(f"KI-Lotse, held-out: {ours['heldout']['metrics']['all']}", flush=True)
        base: dict[str, Any] | None = None
        if not args.skip_baseline:
            base = run_baseline(args.corpus, questions, families, work, heldout)
            print(f"baseline: ingest {base['ingest_s']} s, {base['metrics']['all']}", flush=True)
    report = {
        "load_average_1m_at_end": round(os.getloadavg()[0], 1),
        "corpus": str(args.corpus),
        "questions_file": str(args.questions),
        "questions": len(questions),
        "heldout_file": str(args.heldout),
        "heldout_questions": len(heldout),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "target": TARGET,
        "ours": ours,
        "baseline": base,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "retrieval.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    if base is not None:
        (args.out / "retrieval.md").write_text(markdown(report), encoding="utf-8")
    print(f"wrote {args.out / 'retrieval.json'}")
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
