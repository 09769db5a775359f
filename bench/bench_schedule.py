"""Time ``plan_schedule`` on each example scenario; writes ``bench/results/schedule.json``.

Run with ``python -m bench.bench_schedule [--runs N]`` (or as a script). Knowledge loading
is timed once, separately; planning is timed N times per scenario and the median reported
(target: well under a second). The output of ``bench.run`` may include these results.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from chains.schedule import load_schedule_knowledge, plan_schedule
from knowledge.scenario import load_scenario

log = logging.getLogger("bench.schedule")

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "schedule.json"
EXAMPLES = {"treuhand": "CH-ZH", "manufacturer": "DE-BY", "onlineshop": "CH-BE"}
START = date(2027, 3, 1)
TARGET_SECONDS = 1.0


def run(runs: int = 20, knowledge_dir: Path = ROOT / "data") -> dict[str, Any]:
    """Benchmark results as a JSON-ready dict."""
    t0 = time.perf_counter()
    templates, catalog = load_schedule_knowledge(knowledge_dir)
    load_s = time.perf_counter() - t0
    scenarios: dict[str, Any] = {}
    for name, region in EXAMPLES.items():
        scenario = load_scenario(knowledge_dir / "scenarios" / f"{name}.yaml")
        schedule = plan_schedule(scenario, templates, catalog, START, region)  # warm-up
        timings = []
        for _ in range(runs):
            t0 = time.perf_counter()
            plan_schedule(scenario, templates, catalog, START, region)
            timings.append(time.perf_counter() - t0)
        median = statistics.median(timings)
        scenarios[name] = {
            "region": region,
            "tasks": len(schedule.tasks),
            "needed_working_days": schedule.needed_working_days,
            "fits": schedule.fits,
            "median_s": round(median, 5),
            "min_s": round(min(timings), 5),
            "max_s": round(max(timings), 5),
            "within_target": median < TARGET_SECONDS,
        }
        log.info("%s: median %.1f ms over %d runs", name, median * 1000, runs)
    return {
        "benchmark": "plan_schedule",
        "runs": runs,
        "start": START.isoformat(),
        "target_s": TARGET_SECONDS,
        "knowledge_load_s": round(load_s, 4),
        "python": platform.python_version(),
        "scenarios": scenarios,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="planning runs per scenario")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    log.setLevel(logging.INFO)
    results = run(args.runs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    log.info("written %s", args.out)


if __name__ == "__main__":
    main()
