"""Benchmark the first page: from ``streamlit run`` to the start page's title in a browser.

Run with ``python -m bench.ui`` (``make bench`` runs it). Each run starts the app on a
fresh, empty data folder (so the first start creates its store) and drives Debian's
Chromium through Playwright, as a user's first visit would; writes
``bench/results/ui.json``. Without ``/usr/bin/chromium`` it writes the reason and exits 0.
Timings are measured here, not asserted in tests (``tests/test_browser.py`` only checks
that the page appears).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.browser_screenshots import CHROMIUM, MISSING_CHROMIUM, app_server, chromium

log = logging.getLogger("bench.ui")

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "ui.json"
HEADING = "Willkommen bei KI-Lotse"


def first_page(browser: Any, work: Path) -> dict[str, float]:
    """One cold start: seconds until the server answers and until the title shows."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="de-CH")
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        with app_server(work / "data", work / "streamlit.log") as server:
            page.goto(server.url)
            page.get_by_role("heading", name=HEADING).wait_for()
            title_s = time.perf_counter() - server.started_at
            return {"server_up_s": round(server.ready_after_s, 3), "title_s": round(title_s, 3)}
    finally:
        context.close()


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    result: dict[str, Any] = {"benchmark": "first page (cold start, fresh data folder)"}
    if not CHROMIUM.exists():
        result["skipped"] = MISSING_CHROMIUM
    else:
        runs = []
        with chromium() as browser:
            for i in range(args.runs):
                with tempfile.TemporaryDirectory(prefix="lotse-bench-ui-") as tmp:
                    runs.append(first_page(browser, Path(tmp)))
                log.info("run %d: %s", i + 1, runs[-1])
        titles = [r["title_s"] for r in runs]
        result |= {
            "runs": runs,
            "title_s_median": round(statistics.median(titles), 3),
            "title_s_max": round(max(titles), 3),
            "target_s": 5.0,
            "within_target": max(titles) < 5.0,
            "cpus": os.cpu_count(),
            "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    log.info("%s -> %s", {k: v for k, v in result.items() if k != "runs"}, args.out)
    return result


if __name__ == "__main__":
    main()
