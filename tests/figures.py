"""Figures the security tests report: written as JSON where `make bench` can collect them.

``KI_LOTSE_FIGURES_DIR`` (set by ``bench/security_figures.py``) names the folder; without it
the figures land in pytest's base temporary folder, next to the test's own files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

FIGURES_ENV = "KI_LOTSE_FIGURES_DIR"


def write_figures(name: str, data: dict[str, Any], fallback_dir: Path) -> Path:
    folder = Path(os.environ.get(FIGURES_ENV) or fallback_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"security-{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def child_pids(pid: int) -> set[int]:
    """Direct children of a process (Linux /proc)."""
    out: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out.update(int(p) for p in (task / "children").read_text().split())
        except OSError:
            continue
    return out


def parser_children(pid: int) -> set[int]:
    """Children of ``pid`` that are parser processes of ``ingest.loaders.isolation``.

    Other children (a session's ``chroma run`` or streamlit server) are not counted.
    """
    out: set[int] = set()
    for child in child_pids(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"ingest.loaders.isolation" in cmdline:
            out.add(child)
    return out


def group_pids(pgid: int) -> set[int]:
    """Live processes of a process group (zombies excluded)."""
    out: set[int] = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            out.add(int(stat.parent.name))
    return out
