"""Vendor comparison on a real vendor document; writes ``bench/results/vendors.{json,md}``.

Run with ``python -m bench.vendors [--lang en|de]``. It ingests the two fictional fact
sheets from ``data/examples`` and the real ``../shared/corpus/ms_azure_direct_models_data_
privacy_en.md`` (as vendor "Azure Direct Models") into a bench store (unchanged files are
skipped on later runs), compares the three offline and reports the matrix, the scores, the
open questions and the evidence with its rule notes, plus the time the comparison took.
Without ``../shared`` it says so and stops.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chains.vendors import VendorComparison, compare_vendors, load_default_criteria
from core.factory import build_services
from core.settings import Settings
from exports.vendors import comparison_bytes, comparison_to_dict
from exports.vendors.text import matrix_lines
from ingest.pipeline import IngestOptions, ingest_paths

log = logging.getLogger("bench.vendors")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "bench" / "results"
AZURE = "Azure Direct Models"
AZURE_FILE = "ms_azure_direct_models_data_privacy_en.md"
WORKSPACE = "vendors"


def sources(corpus: Path) -> dict[str, Path]:
    return {
        "Alpina AI": ROOT / "data" / "examples" / "vendor_alpina_ai_factsheet_de.md",
        "Nimbus Chat": ROOT / "data" / "examples" / "vendor_nimbus_chat_factsheet_en.md",
        AZURE: corpus / AZURE_FILE,
    }


def evidence_detail(comparison: VendorComparison) -> dict[str, Any]:
    """Per vendor and criterion: status, aspects, and each cited sentence with its rule."""
    out: dict[str, Any] = {}
    for vendor in comparison.vendors:
        out[vendor] = {}
        for c in comparison.criteria:
            r = comparison.result(c.id, vendor)
            out[vendor][c.id] = {
                "status": r.status.value,
                "aspects": {a: s.value for a, s in r.aspects},
                "evidence": [
                    {
                        "says": e.verdict.value if e.verdict else None,
                        "note": e.note,
                        "section": e.section.split(" › ")[-1],
                        "score": e.score,
                        "text": e.text,
                    }
                    for e in r.evidence
                ],
            }
    return out


def run(data_dir: Path, corpus: Path, lang: str = "en") -> tuple[dict[str, Any], VendorComparison]:
    """Benchmark results as a JSON-ready dict, and the comparison itself."""
    services = build_services(Settings(data_dir=data_dir))
    ws = services.workspaces.open(WORKSPACE, create=True)
    for vendor, path in sources(corpus).items():
        report = ingest_paths(ws, [path], IngestOptions(category="vendor", vendor=vendor))
        if report.failed:
            raise SystemExit(f"{path}: {report.failed[0].error}")
    criteria = load_default_criteria(ROOT / "data")
    retriever = services.retriever(WORKSPACE)
    compare_vendors(retriever, {AZURE: [], "Nimbus Chat": []}, criteria)  # warm-up
    started = time.perf_counter()
    comparison = compare_vendors(
        retriever,
        {name: [] for name in sources(corpus)},
        criteria,
        lang="de" if lang == "de" else "en",
    )
    seconds = time.perf_counter() - started
    result = {
        "benchmark": "vendor_comparison",
        "lang": lang,
        "seconds": round(seconds, 2),
        "embedding_model": services.embedder.name,
        "python": platform.python_version(),
        "documents": {
            v: s.documents for v, s in zip(comparison.vendors, comparison.summaries, strict=True)
        },
        "matrix": {
            c.id: {v: comparison.result(c.id, v).status.value for v in comparison.vendors}
            for c in comparison.criteria
        },
        "comparison": comparison_to_dict(comparison),
        "recommendation": comparison.recommendation,
        "detail": evidence_detail(comparison),
    }
    return result, comparison


def main(argv: Sequence[str] | None = None) -> dict[str, Any] | None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--data-dir", type=Path, default=ROOT / ".lotse" / "bench-vendors")
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--lang", choices=["de", "en"], default="en")
    parser.add_argument("--out", type=Path, default=RESULTS / "vendors.json")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    log.setLevel(logging.INFO)
    if not (args.corpus / AZURE_FILE).exists():
        log.warning(
            "skipped: %s not found (the shared corpus is not available)", args.corpus / AZURE_FILE
        )
        return None
    result, comparison = run(args.data_dir, args.corpus, args.lang)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    args.out.with_suffix(".md").write_bytes(comparison_bytes(comparison, "md"))
    log.info(
        "vendor comparison in %.1f s (%d vendors × %d criteria)",
        result["seconds"],
        len(comparison.vendors),
        len(comparison.criteria),
    )
    for line in matrix_lines(comparison):
        log.info("%s", line)
    log.info("written %s and %s", args.out, args.out.with_suffix(".md"))
    return result


if __name__ == "__main__":
    main()
