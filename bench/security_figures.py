"""Security figures for docs/security.md; writes ``bench/results/security.json``.

Runs the two security test modules (hostile input, crash safety) with
``KI_LOTSE_FIGURES_DIR`` pointing at a temporary folder, then merges the figures they
write there: hostile files tried and how each was refused, kill-during-ingest rounds,
crashes after each store write, two writers on one server, and inconsistencies found.
Run with ``python -m bench.security_figures`` (part of ``make bench``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger("bench.security")

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "security.json"
MODULES = ["tests/test_security_hostile.py", "tests/test_security_crash.py"]


def run() -> dict[str, Any]:
    """Run the suites and return the merged figures (the pytest exit code included)."""
    with tempfile.TemporaryDirectory(prefix="lotse-figures-") as tmp:
        env = {**os.environ, "KI_LOTSE_FIGURES_DIR": tmp}
        started = dt.datetime.now(dt.UTC)
        code = subprocess.call(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *MODULES],
            cwd=ROOT,
            env=env,
        )
        figures: dict[str, Any] = {}
        for name in ("hostile", "crash"):
            path = Path(tmp) / f"security-{name}.json"
            if path.exists():
                figures[name] = json.loads(path.read_text(encoding="utf-8"))
    return {
        "command": f"python -m bench.security_figures (pytest {' '.join(MODULES)})",
        "generated_at": started.isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}",
        "pytest_exit_code": code,
        **figures,
    }


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    result = run()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    hostile = result.get("hostile", {})
    kills = result.get("crash", {}).get("kill_rounds", {})
    log.info(
        "hostile files: %s tried, %s rejected cleanly; kill rounds: %s, inconsistencies: %s",
        hostile.get("hostile_files_tried"),
        hostile.get("rejected_cleanly"),
        kills.get("rounds"),
        kills.get("inconsistencies"),
    )
    log.info("wrote %s", RESULTS.relative_to(ROOT))
    return int(result["pytest_exit_code"])


if __name__ == "__main__":
    sys.exit(main())
