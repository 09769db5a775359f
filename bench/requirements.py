"""Time ``draft_requirements`` per example scenario and a whole ``lotse draft requirements``
call; writes ``bench/results/requirements.json``.

Run with ``python -m bench.requirements [--runs N]``. A temporary store gets the example
policy and both fictional vendor sheets (ingest timed separately). With the model loaded:

- ``cold_s``: the first draft of a scenario with every embedding cache empty (the first
  draft after start-up on a fresh workspace), evidence search included;
- ``cold_cpu_s``: the CPU time of that draft (all threads), a figure less dependent on
  what else runs than the wall time;
- ``warm_s``: the median of N further drafts (sentences and probes already embedded, as on
  a Streamlit rerun);
- CLI: the console script as a user runs it, start-up included: once without and once
  with the on-disk vector cache that the first call leaves behind.

Targets: a draft under 5 s, a CLI call under 10 s. The load average is recorded because
two shared cores make every figure depend on what else runs.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from chains.requirements import EvidenceConfig, draft_requirements, vectors
from core.factory import Services, build_services
from core.settings import Settings
from exports.requirements import REQUIREMENTS_FORMATS, requirements_bytes
from ingest.pipeline import IngestOptions, ingest_paths
from knowledge.catalog import load_catalog
from knowledge.scenario import load_scenario

log = logging.getLogger("bench.requirements")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RESULTS = ROOT / "bench" / "results" / "requirements.json"
EXAMPLES = ("treuhand", "manufacturer", "onlineshop")
WORKSPACE = "bench"
DOCUMENTS = (
    ("policy_ki_nutzungsrichtlinie_musterfirma_de.md", "policy", None),
    ("vendor_alpina_ai_factsheet_de.md", "vendor", "Alpina AI"),
    ("vendor_nimbus_chat_factsheet_en.md", "vendor", "Nimbus Chat"),
)
DRAFT_TARGET_S = 5.0
CLI_TARGET_S = 10.0


def _store(data_dir: Path) -> tuple[Services, dict[str, float]]:
    t0 = time.perf_counter()
    services = build_services(Settings(_env_file=None, data_dir=data_dir))
    services.embedder.embed_documents(["Modell laden"])
    loaded = time.perf_counter() - t0
    ws = services.workspaces.open(WORKSPACE, create=True)
    t0 = time.perf_counter()
    for name, category, vendor in DOCUMENTS:
        options = IngestOptions(category=category, vendor=vendor)
        ingest_paths(ws, [DATA / "examples" / name], options)
    return services, {
        "model_load_s": round(loaded, 3),
        "ingest_s": round(time.perf_counter() - t0, 3),
    }


def _drafts(services: Services, runs: int) -> dict[str, Any]:
    catalog = load_catalog(DATA / "catalog")
    retriever = services.retriever(WORKSPACE)
    out: dict[str, Any] = {}
    for name in EXAMPLES:
        scenario = load_scenario(DATA / "scenarios" / f"{name}.yaml")
        vectors.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        doc = draft_requirements(scenario, catalog, retriever, config=EvidenceConfig())
        cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
        warm = []
        for _ in range(runs):
            t0 = time.perf_counter()
            draft_requirements(scenario, catalog, retriever)
            warm.append(time.perf_counter() - t0)
        exports = {}
        for suffix in REQUIREMENTS_FORMATS:
            t0 = time.perf_counter()
            requirements_bytes(doc, suffix)
            exports[suffix] = round(time.perf_counter() - t0, 3)
        out[name] = {
            "requirements": len(doc.requirements),
            "statuses": {s.value: n for s, n in doc.summary.status_counts.items()},
            "cold_s": round(cold, 3),
            "cold_cpu_s": round(cold_cpu, 3),
            "warm_s": round(statistics.median(warm), 3),
            "within_target": cold < DRAFT_TARGET_S,
            "export_s": exports,
        }
        log.info(
            "%s: %d requirements, cold %.2f s (CPU %.2f s), warm %.2f s",
            name,
            len(doc.requirements),
            cold,
            cold_cpu,
            statistics.median(warm),
        )
    return out


def _cli(data_dir: Path, out_dir: Path) -> dict[str, Any]:
    exe = Path(sys.executable).parent / "lotse"
    env = {**os.environ, "LOTSE_DATA_DIR": str(data_dir)}
    cache = data_dir / "index" / "requirement_vectors.npz"
    cache.unlink(missing_ok=True)
    calls: dict[str, Any] = {}
    for label in ("first_call", "with_vector_cache"):
        out = out_dir / f"anforderungen_{label}.docx"
        t0 = time.perf_counter()
        done = subprocess.run(
            [
                str(exe),
                "draft",
                "requirements",
                "--scenario",
                str(DATA / "scenarios" / "treuhand.yaml"),
                "--workspace",
                WORKSPACE,
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        seconds = time.perf_counter() - t0
        calls[label] = {
            "s": round(seconds, 3),
            "exit": done.returncode,
            "stdout": done.stdout.strip(),
            "within_target": seconds < CLI_TARGET_S,
        }
        if done.returncode != 0:
            log.error("lotse failed: %s", done.stderr)
        log.info("CLI %s: %.2f s", label, seconds)
    return calls


def run(runs: int = 3) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="lotse-bench-req-") as tmp:
        data_dir = Path(tmp) / "data"
        load_before = os.getloadavg()
        services, setup = _store(data_dir)
        scenarios = _drafts(services, runs)
        services.workspaces.close()
        cli = _cli(data_dir, Path(tmp))
        load_after = os.getloadavg()
    return {
        "benchmark": "draft_requirements",
        "targets_s": {"draft": DRAFT_TARGET_S, "cli": CLI_TARGET_S},
        "runs": runs,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in load_after],
        },
        **setup,
        "scenarios": scenarios,
        "cli": cli,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="warm drafts per scenario")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    log.setLevel(logging.INFO)
    results = run(args.runs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log.info("written %s", args.out)


if __name__ == "__main__":
    main()
