"""`make bench`: run every benchmark module of this package, each in its own process.

A benchmark is any module ``bench/<name>.py`` with an ``if __name__ == "__main__":`` block:
it runs with ``python -m bench.<name>`` and writes its figures to ``bench/results/``.
Modules without one are shared helpers (e.g. ``bench.baseline``). Each benchmark runs
in a fresh interpreter, so one benchmark's models, threads and logging cannot skew the next,
and one failure does not hide the other results. ``python -m bench.run retrieval chat``
runs only the named ones.
"""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
SKIP = {"run"}
_MAIN_BLOCK = re.compile(r"^if __name__ == [\"']__main__[\"']:", re.MULTILINE)


def discover() -> list[str]:
    """Benchmark module names in this package, alphabetically."""
    return sorted(
        m.name
        for m in pkgutil.iter_modules([str(BENCH_DIR)])
        if not m.ispkg
        and not m.name.startswith("_")
        and m.name not in SKIP
        and _MAIN_BLOCK.search((BENCH_DIR / f"{m.name}.py").read_text(encoding="utf-8"))
    )


def main(argv: Sequence[str] | None = None) -> int:
    names = list(argv if argv is not None else sys.argv[1:]) or discover()
    unknown = sorted(set(names) - set(discover()))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(discover())}")
        return 2
    failed: list[str] = []
    for name in names:
        print(f"== bench.{name}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"bench.{name}"], cwd=ROOT)
        print(
            f"== bench.{name}: {'ok' if code == 0 else f'exit {code}'} "
            f"({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
        if code != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
