"""Benchmark the chat answerer; writes ``bench/results/chat.json``.

Run with ``python -m bench.chat`` (``make bench`` runs it through ``bench.run``). It
ingests ``../shared/corpus`` into a fresh store (``--data-dir`` reuses one), then answers
the 40 questions of ``../shared/eval/dev.jsonl`` and the unanswerable set in
``bench/data/unanswerable.jsonl`` offline, with the embedding model loaded, then the
held-out set (``bench/data/heldout*.jsonl``: 50 + 9 questions on other passages, written in
session 18 without looking at the system, never tuned on), and reports for each:

- ``gold_cited``: share of dev answers whose citations include the gold passage
  (``kb.evaluation.is_hit``: right file family, key phrase inside, right PDF page);
- the grounded/ungrounded decision: accuracy, precision and recall of "grounded" with
  answerable questions as positives, and a threshold sweep of the grounding score
  (``chains.answering.grounding``) to recalibrate ``LOTSE_GROUNDING_THRESHOLD``; a row's
  ``missing`` is "amount" when the question asks for a price, cost or fine that none of
  the passages on topic states (``chains.answering.figures``), which makes it ungrounded;
- answer latency per question, median and p95 (targets: gold cited >= 70 %, p95 < 1 s).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chains.answering import ChatService
from core.domain import Chunk, Citation, SearchHit
from core.factory import build_services
from core.settings import Settings
from ingest.pipeline import IngestOptions, ingest_paths
from kb.evaluation import Question, is_hit, load_families

log = logging.getLogger("bench.chat")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "bench" / "results" / "chat.json"
UNANSWERABLE = ROOT / "bench" / "data" / "unanswerable.jsonl"
HELDOUT = ROOT / "bench" / "data" / "heldout.jsonl"
HELDOUT_UNANSWERABLE = ROOT / "bench" / "data" / "heldout_unanswerable.jsonl"
TARGET_GOLD = 0.70
TARGET_P95_S = 1.0
FIELDS = ("id", "lang", "question", "source_file", "locator", "key_phrase")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def as_hit(c: Citation) -> SearchHit:
    """A citation in the shape ``is_hit`` reads (source, text, page)."""
    chunk = Chunk(
        id=f"{c.doc_id}:{c.n}",
        text=c.text,
        doc_id=c.doc_id,
        source=c.source,
        title="",
        category="other",
        page=c.page,
        section=c.section,
        language=c.language,
        content_hash="",
        ingested_at="",
        workspace="",
        position=0,
    )
    return SearchHit(chunk, 0.0, c.n)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def decision_figures(rows: Sequence[dict[str, Any]], key: str = "grounded") -> dict[str, Any]:
    """Precision/recall of "grounded" (positives: answerable questions) and accuracy."""
    tp = sum(1 for r in rows if r["answerable"] and r[key])
    fp = sum(1 for r in rows if not r["answerable"] and r[key])
    fn = sum(1 for r in rows if r["answerable"] and not r[key])
    tn = sum(1 for r in rows if not r["answerable"] and not r[key])
    return {
        "accuracy": round((tp + tn) / max(1, len(rows)), 3),
        "precision": round(tp / max(1, tp + fp), 3),
        "recall": round(tp / max(1, tp + fn), 3),
        "unanswerable_rejected": round(tn / max(1, tn + fp), 3),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }


def sweep(rows: Sequence[dict[str, Any]], thresholds: Sequence[float]) -> list[dict[str, Any]]:
    """The decision at other thresholds (the answer text is not rebuilt); a question after
    an amount that no passage states stays ungrounded at every threshold."""
    out = []
    for t in thresholds:
        marked = [{**r, "at": r["closeness"] >= t and not r.get("missing")} for r in rows]
        out.append({"threshold": t, **decision_figures(marked, "at")})
    return out


def sweep_points(rows: Sequence[dict[str, Any]], steps: int = 16) -> list[float]:
    """Thresholds around the answerable questions' lowest closeness (model-independent)."""
    answerable = sorted(float(r["closeness"]) for r in rows if r["answerable"])
    if not answerable:
        return []
    low, mid = answerable[0], answerable[len(answerable) // 2]
    step = max((mid - low) / (steps // 2), 1e-3)
    return [round(low - step * (steps // 2 - i), 3) for i in range(steps)]


def ingest_corpus(
    chat_settings: Settings, corpus: Path, workspace: str, category: str = "guidance"
) -> Any:
    services = build_services(chat_settings)
    ws = services.workspaces.open(workspace, create=True)
    t0 = time.perf_counter()
    report = ingest_paths(ws, [corpus], IngestOptions(category=category))
    log.info("ingest: %s in %.1f s", report.as_json(), time.perf_counter() - t0)
    return services


def answer_set(
    chat: ChatService,
    questions: Path,
    unanswerable: Path,
    families: dict[str, set[str]],
) -> list[dict[str, Any]]:
    """Answer one question set (answerable, then unanswerable): one row per question."""
    rows: list[dict[str, Any]] = []
    items = [(r, True) for r in read_jsonl(questions)]
    items += [(r, False) for r in read_jsonl(unanswerable)]
    for row, answerable in items:
        t0 = time.perf_counter()
        answer = chat.ask(row["question"])
        seconds = time.perf_counter() - t0
        _, grounding = chat.gather(row["question"])
        record: dict[str, Any] = {
            "id": row["id"],
            "lang": row["lang"],
            "answerable": answerable,
            "grounded": answer.grounded,
            "closeness": round(grounding.closeness, 4),
            "closeness_model": grounding.model,
            "missing": grounding.missing,
            "seconds": round(seconds, 4),
            "cited": [f"{c.source}#{c.page or c.section[:40]}" for c in answer.citations],
        }
        if answerable:
            q = Question(
                **{f: row[f] for f in FIELDS}, cross_lingual=bool(row.get("cross_lingual"))
            )
            record["gold_cited"] = any(is_hit(q, as_hit(c), families) for c in answer.citations)
        rows.append(record)
        log.info(
            "%s %.3f s grounded=%s gold=%s",
            row["id"],
            seconds,
            answer.grounded,
            record.get("gold_cited"),
        )
    return rows


def quality(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Gold cited (overall, by language) and the grounded decision of one question set."""
    answerable = [r for r in rows if r["answerable"]]

    def share(selected: Sequence[dict[str, Any]]) -> float:
        return round(sum(1 for r in selected if r["gold_cited"]) / max(1, len(selected)), 3)

    return {
        "questions": len(answerable),
        "unanswerable": len(rows) - len(answerable),
        "gold_cited": share(answerable),
        "gold_cited_by_lang": {
            lang: share([r for r in answerable if r["lang"] == lang]) for lang in ("de", "en")
        },
        "grounded_decision": decision_figures(rows),
    }


def run(
    data_dir: Path,
    corpus: Path,
    questions: Path,
    unanswerable: Path,
    workspace: str = "corpus",
    category: str = "guidance",
    heldout: tuple[Path, Path] | None = (HELDOUT, HELDOUT_UNANSWERABLE),
) -> dict[str, Any]:
    """Benchmark results as a JSON-ready dict: the dev set's figures at the top level, the
    held-out set's (questions written after the tuning, never tuned on) under ``heldout``."""
    settings = Settings(data_dir=data_dir)
    services = ingest_corpus(settings, corpus, workspace, category)
    chat = ChatService.from_services(services, workspace, settings)
    families = load_families(SHARED / "eval" / "MANIFEST.tsv")
    chat.ask("Welche Pflichten hat ein Cloud-Kunde?")  # warm-up: index load, caches
    rows = answer_set(chat, questions, unanswerable, families)
    latencies = [float(r["seconds"]) for r in rows]
    dev = quality(rows)
    p95 = percentile(latencies, 0.95)
    result: dict[str, Any] = {
        "benchmark": "chat (offline extractive answerer)",
        "corpus": str(corpus),
        "embedding_model": settings.embedding_model,
        "second_embedding_model": settings.second_embedding_model,
        "grounding_threshold": settings.grounding_threshold,
        "second_grounding_threshold": settings.second_grounding_threshold,
        "grounding_model": rows[0].get("closeness_model", "") if rows else "",
        **dev,
        "threshold_sweep": sweep(rows, sweep_points(rows)),
        "latency_s": {
            "median": round(statistics.median(latencies), 4),
            "p95": round(p95, 4),
            "max": round(max(latencies), 4),
        },
        "targets": {"gold_cited": TARGET_GOLD, "p95_s": TARGET_P95_S},
        "within_target": dev["gold_cited"] >= TARGET_GOLD and p95 < TARGET_P95_S,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "rows": rows,
    }
    if heldout is not None and heldout[0].is_file():
        held_rows = answer_set(chat, heldout[0], heldout[1], families)
        result["heldout"] = {**quality(held_rows), "rows": held_rows}
    return result


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="Reuse this store (unchanged files are not re-read); default: a fresh temporary "
        "store, so the figures reflect the current ingest code.",
    )
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument(
        "--workspace",
        default="corpus",
        help="With --data-dir: a workspace already holding the corpus (e.g. one filled by "
        "`lotse ingest`, whose category is 'other').",
    )
    parser.add_argument("--category", default="guidance", help="Category the corpus is tagged.")
    parser.add_argument("--questions", type=Path, default=SHARED / "eval" / "dev.jsonl")
    parser.add_argument("--unanswerable", type=Path, default=UNANSWERABLE)
    parser.add_argument(
        "--no-heldout", action="store_true", help="Skip the held-out set (bench/data)."
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="lotse-bench-chat-") as tmp:
        data_dir = args.data_dir or Path(tmp)
        result = run(
            data_dir,
            args.corpus,
            args.questions,
            args.unanswerable,
            args.workspace,
            args.category,
            None if args.no_heldout else (HELDOUT, HELDOUT_UNANSWERABLE),
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    d = result["grounded_decision"]
    log.info(
        "gold cited %.0f %% | grounded: accuracy %.2f precision %.2f recall %.2f | "
        "latency median %.3f s, p95 %.3f s -> %s",
        100 * result["gold_cited"],
        d["accuracy"],
        d["precision"],
        d["recall"],
        result["latency_s"]["median"],
        result["latency_s"]["p95"],
        args.out,
    )
    if "heldout" in result:
        h = result["heldout"]
        log.info(
            "held-out: gold cited %.0f %% | grounded: accuracy %.2f precision %.2f recall %.2f",
            100 * h["gold_cited"],
            h["grounded_decision"]["accuracy"],
            h["grounded_decision"]["precision"],
            h["grounded_decision"]["recall"],
        )
    return result


if __name__ == "__main__":
    main()
