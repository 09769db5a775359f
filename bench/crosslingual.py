"""Benchmark questions asked in the other language than the whole workspace; writes
``bench/results/crosslingual.json``.

Run with ``python -m bench.crosslingual`` (``make bench`` runs it through ``bench.run``).
A KMU often keeps English vendor documents and asks in German. The other benchmarks use
the whole mixed corpus, where a German question nearly always also has German passages on
its topic; here each language's documents of ``../shared/corpus`` get a workspace of their
own (language as detected at ingest), and the dev and held-out questions whose answer sits
in the other language are asked there, together with the unanswerable sets in both
languages. For each workspace it reports:

- grounded recall of the answerable cross-lingual questions and the share of unanswerable
  questions rejected, per question language, at several values of
  ``LOTSE_SECOND_GROUNDING_LANGUAGE_GAP`` (the shipped value is marked), since e5 scores a
  passage in the other language lower (``chains.answering.grounding``);
- R@5 and R@10 of the answerable questions (``kb.evaluation`` scoring).
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.chat import FIELDS, HELDOUT, HELDOUT_UNANSWERABLE, SHARED, UNANSWERABLE, read_jsonl
from chains.answering import ChatService
from core.factory import Services, build_services
from core.settings import Settings
from ingest.language import detect_language
from ingest.loaders import Limits, load_file, supported_suffixes
from ingest.pipeline import IngestOptions, ingest_paths
from kb.evaluation import Question, is_hit, load_families

log = logging.getLogger("bench.crosslingual")

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "crosslingual.json"
GAPS = (0.0, 0.006, 0.012, 0.02, 0.03, 0.06)
LANGUAGES = ("de", "en")


def file_language(path: Path, limits: Limits) -> str:
    """The language ingest would give the document (same sample as ``ingest.prepare``)."""
    doc = load_file(path, limits)
    return detect_language(" ".join(s.text for s in doc.sections[:20]))


def split_corpus(corpus: Path, into: Path, limits: Limits) -> dict[str, Path]:
    """Copies of the corpus files in one folder per document language."""
    folders = {lang: into / lang for lang in LANGUAGES}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    suffixes = set(supported_suffixes())
    for path in sorted(corpus.iterdir()):
        if path.is_file() and path.suffix.lower() in suffixes:
            lang = file_language(path, limits)
            if lang in folders:
                (folders[lang] / path.name).write_bytes(path.read_bytes())
    return folders


def asked_across(files: set[str], lang: str, sets: Sequence[Path]) -> list[dict[str, Any]]:
    """Answerable questions in ``lang`` whose gold passage is in one of ``files``."""
    return [
        q
        for path in sets
        for q in read_jsonl(path)
        if q["lang"] == lang and q["source_file"] in files
    ]


def grounded_at(
    services: Services, workspace: str, settings: Settings, questions: Sequence[dict[str, Any]]
) -> list[bool]:
    chat = ChatService.from_services(services, workspace, settings)
    return [chat.gather(q["question"])[1].grounded for q in questions]


def measure(
    services: Services,
    workspace: str,
    settings: Settings,
    answerable: Sequence[dict[str, Any]],
    unanswerable: Sequence[dict[str, Any]],
    families: dict[str, set[str]],
) -> dict[str, Any]:
    """Grounding at each gap, and retrieval of the answerable questions."""
    asked_in = {q["id"]: detect_language(q["question"]) for q in unanswerable}
    by_gap = []
    for gap in GAPS:
        variant = settings.model_copy(update={"second_grounding_language_gap": gap})
        kept = grounded_at(services, workspace, variant, answerable)
        refused = [not g for g in grounded_at(services, workspace, variant, unanswerable)]
        rejected = {
            lang: [
                r for r, q in zip(refused, unanswerable, strict=True) if asked_in[q["id"]] == lang
            ]
            for lang in LANGUAGES
        }
        by_gap.append(
            {
                "gap": gap,
                "shipped": gap == settings.second_grounding_language_gap,
                "answerable_grounded": round(sum(kept) / max(1, len(kept)), 3),
                "unanswerable_rejected": {
                    lang: round(sum(v) / max(1, len(v)), 3) for lang, v in rejected.items()
                },
            }
        )
    retriever = services.retriever(workspace)
    ranks: list[int | None] = []
    for row in answerable:
        q = Question(**{f: row[f] for f in FIELDS}, cross_lingual=True)
        hits = retriever.search(q.question, k=10)
        ranks.append(next((h.rank for h in hits if is_hit(q, h, families)), None))
    return {
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "grounding": by_gap,
        "recall@5": round(sum(1 for r in ranks if r and r <= 5) / max(1, len(ranks)), 3),
        "recall@10": round(sum(1 for r in ranks if r) / max(1, len(ranks)), 3),
        "ranks": {q["id"]: r for q, r in zip(answerable, ranks, strict=True)},
    }


def run(data_dir: Path, corpus: Path) -> dict[str, Any]:
    settings = Settings(data_dir=data_dir)
    services = build_services(settings)
    folders = split_corpus(corpus, data_dir / "split", Limits.from_settings(settings))
    families = load_families(SHARED / "eval" / "MANIFEST.tsv")
    answerable_sets = [SHARED / "eval" / "dev.jsonl", HELDOUT]
    unanswerable = read_jsonl(UNANSWERABLE) + read_jsonl(HELDOUT_UNANSWERABLE)
    result: dict[str, Any] = {
        "benchmark": "questions in the other language than a single-language workspace",
        "corpus": str(corpus),
        "second_embedding_model": settings.second_embedding_model,
        "second_grounding_threshold": settings.second_grounding_threshold,
        "workspaces": {},
    }
    for doc_lang, folder in folders.items():
        files = {p.name for p in folder.iterdir()}
        question_lang = next(lang for lang in LANGUAGES if lang != doc_lang)
        name = f"only-{doc_lang}"
        ws = services.workspaces.open(name, create=True)
        t0 = time.perf_counter()
        report = ingest_paths(ws, [folder], IngestOptions(category="guidance"))
        log.info("%s: %s in %.1f s", name, report.as_json(), time.perf_counter() - t0)
        answerable = asked_across(files, question_lang, answerable_sets)
        figures = measure(services, name, settings, answerable, unanswerable, families)
        result["workspaces"][name] = {"files": sorted(files), **figures}
        shipped = next(g for g in figures["grounding"] if g["shipped"])
        log.info(
            "%s: %d %s questions, grounded %.0f %% (gap 0: %.0f %%), R@5 %.2f R@10 %.2f; "
            "unanswerable rejected de %.0f %% en %.0f %%",
            name,
            len(answerable),
            question_lang,
            100 * shipped["answerable_grounded"],
            100 * figures["grounding"][0]["answerable_grounded"],
            figures["recall@5"],
            figures["recall@10"],
            100 * shipped["unanswerable_rejected"]["de"],
            100 * shipped["unanswerable_rejected"]["en"],
        )
    return result


def main(argv: Sequence[str] | None = None) -> dict[str, Any] | None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--data-dir", type=Path, default=None, help="Reuse this store.")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    dev = SHARED / "eval" / "dev.jsonl"
    if not args.corpus.is_dir() or not dev.is_file():
        print(
            f"bench.crosslingual: skipped, {args.corpus} or {dev} not found "
            "(the evaluation corpus lives in ../shared beside the repository)."
        )
        return None
    with tempfile.TemporaryDirectory(prefix="lotse-bench-xl-") as tmp:
        result = run(args.data_dir or Path(tmp), args.corpus)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
