"""Crash safety: SIGKILL during ingest leaves a consistent workspace, a re-run completes it,
and two writers on one `chroma run` server do not corrupt a shared workspace.

A deterministic companion stops the writer after each single store write in turn (a crash
between any two Chroma calls), since random kills rarely land in the short window between
writing a document's chunks and committing it.

Each kill round: write the round's files (half of them changed, every fourth round all
re-tagged with another category and chunk size), start the writer process, wait until its
model and store are open and a random number of files is done, sleep a random part of one
file's time (seeded, logged), SIGKILL it; then a fresh process checks the store (see
``tests.crash_support.check_workspace``), re-runs the ingest and checks again. Writes
``security-crash.json`` (see tests/figures.py).
"""

from __future__ import annotations

import copy
import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from core.factory import Services
from ingest.pipeline import IngestOptions, ingest_paths
from tests.conftest import ChromaServer, MakeServices
from tests.crash_support import (
    RoundPlan,
    check_workspace,
    file_text,
    marker_hashes,
    plan_round,
    write_round,
)
from tests.figures import group_pids, write_figures

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SEED = 20260419
ROUNDS = int(os.environ.get("KI_LOTSE_CRASH_ROUNDS", "20"))
FILES = 5
WORKSPACE = "absturz"
FIGURES: dict[str, Any] = {}


@pytest.fixture(scope="module", autouse=True)
def _figures(tmp_path_factory: pytest.TempPathFactory) -> Any:
    yield
    write_figures(
        "crash",
        {
            "command": "python -m pytest tests/test_security_crash.py",
            **FIGURES,
        },
        tmp_path_factory.getbasetemp(),
    )


def _writer(args: list[str], log: Path, stdin: bool = False) -> subprocess.Popen[str]:
    with log.open("a") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.crash_support", "ingest", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=err,
            stdin=subprocess.PIPE if stdin else None,
            text=True,
            start_new_session=True,
        )


def _readline(proc: subprocess.Popen[str], timeout: float) -> str:
    """One line of the writer's output, or "" after ``timeout`` seconds.

    poll, not select: a long test session holds descriptors above 1023.
    """
    assert proc.stdout is not None
    poller = select.poll()
    poller.register(proc.stdout, select.POLLIN | select.POLLHUP)
    return proc.stdout.readline() if poller.poll(timeout * 1000) else ""


def _wait_ready(proc: subprocess.Popen[str], timeout: float = 300) -> None:
    line = _readline(proc, timeout)
    assert line.strip() == "ready", f"writer did not start: {line!r}"


def _wait_files(proc: subprocess.Popen[str], files: int, timeout: float = 300) -> None:
    """Read the writer's progress until ``files`` files are done (or it has ended)."""
    done = 0
    while done < files:
        line = _readline(proc, timeout)
        if not line.startswith("file "):
            return
        done += 1


def _outlived(pgid: int, timeout: float = 15) -> list[int]:
    """Processes of the killed writer's group still alive after ``timeout`` (then killed)."""
    deadline = time.monotonic() + timeout
    while (left := group_pids(pgid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    if left:
        os.killpg(pgid, signal.SIGKILL)
    return sorted(left)


def _check(data: Path, plans: list[RoundPlan], folder: Path, log: Path) -> dict[str, Any]:
    plans_file = data.parent / "plaene.json"
    plans_file.write_text(json.dumps({"folder": str(folder), "plans": [p.__dict__ for p in plans]}))
    with log.open("a") as err:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.crash_support",
                "check",
                str(data),
                WORKSPACE,
                str(plans_file),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            timeout=900,
            check=False,
        )
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0 and lines, f"checker failed ({done.returncode}); see {log}"
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _kill_points(rounds: list[dict[str, Any]]) -> dict[str, int]:
    """Where the kills landed, judged from what the checker found afterwards."""
    after = [r["after_kill"] or {} for r in rounds]
    before = [0] + [(r["after_rerun"] or {}).get("leftovers", 0) for r in rounds]
    return {
        "killed_before_the_first_commit": sum(1 for a in after if a.get("changed_committed") == 0),
        "killed_between_two_commits": sum(
            1 for a in after if 0 < a.get("changed_committed", 0) < a.get("changed", 0)
        ),
        "killed_inside_a_document_write": sum(
            1 for a, b in zip(after, before, strict=False) if a.get("leftovers", 0) > b
        ),
    }


def test_sigkill_during_ingest_leaves_a_consistent_workspace(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    data, folder, log = tmp_path / "daten", tmp_path / "dokumente", tmp_path / "prozesse.log"
    plans: list[RoundPlan] = []
    rounds: list[dict[str, Any]] = []
    work_s = 0.0
    for number in range(ROUNDS + 1):
        plan = plan_round(number, FILES, plans[-1] if plans else None)
        plans.append(plan)
        write_round(folder, plan)
        args = [str(data), "", WORKSPACE, plan.category, str(plan.chunk_chars), str(folder)]
        proc = _writer(args, log)
        _wait_ready(proc)
        started = time.monotonic()
        if number == 0:  # calibration: an uncut run tells how long one file takes
            assert proc.wait(timeout=600) == 0
            work_s = time.monotonic() - started
            print(f"calibration: writing took {work_s:.1f}s")
            continue
        # a random point: after a random number of files, a random part of the next one
        after_files = rng.randrange(FILES)
        delay = rng.uniform(0.0, 1.2) * work_s / FILES
        _wait_files(proc, after_files)
        time.sleep(delay)
        finished = proc.poll() is not None
        if not finished:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        outlived = _outlived(proc.pid)
        result = _check(data, plans, folder, log)
        problems = [
            *result.get("problems_after_kill", []),
            *result.get("problems_after_rerun", []),
            *([result["error"]] if "error" in result else []),
            *([f"processes outlived the writer: {outlived}"] if outlived else []),
        ]
        rounds.append(
            {
                "round": number,
                "after_files": after_files,
                "delay_s": round(delay, 2),
                "finished_before_kill": finished,
                "category": plan.category,
                "chunk_chars": plan.chunk_chars,
                "after_kill": result.get("after_kill"),
                "rerun": result.get("rerun"),
                "after_rerun": result.get("after_rerun"),
                "problems": problems,
            }
        )
        print(
            f"round {number}: delay {delay:.2f}s finished={finished} "
            f"{result.get('after_kill')} -> {result.get('after_rerun')} problems={problems}"
        )
    inconsistencies = sum(len(r["problems"]) for r in rounds)
    FIGURES["kill_rounds"] = {
        "seed": SEED,
        "rounds": len(rounds),
        "files_per_round": FILES,
        "calibration_run_s": round(work_s, 1),
        "killed_mid_ingest": sum(1 for r in rounds if not r["finished_before_kill"]),
        **_kill_points(rounds),
        "inconsistencies": inconsistencies,
        "log": rounds,
    }
    assert inconsistencies == 0, [r for r in rounds if r["problems"]]
    assert len(rounds) >= ROUNDS


def test_two_writers_on_one_server_keep_a_shared_workspace_consistent(
    chroma_server: ChromaServer, make_services: MakeServices, tmp_path: Path
) -> None:
    """Two processes (as two app instances would) ingest into one workspace at the same
    moment: their own files, one file both have with different content, one identical."""
    chroma_server.reset()
    log = tmp_path / "prozesse.log"
    services = make_services("pruefer", chroma_url=chroma_server.url)
    plans: list[RoundPlan] = []
    findings: list[dict[str, Any]] = []
    for number in range(3):
        sides = {}
        for side, base in (("a", 100), ("b", 200)):
            files = {f"{side}-{i}.md": file_text(base + number, i) for i in range(2)}
            files["0-gemeinsam.md"] = file_text(300 + number + (0 if side == "a" else 50), 7)
            files["1-gleich.md"] = file_text(400 + number, 8)
            sides[side] = RoundPlan(number, files, "policy", 900)
            write_round(tmp_path / f"runde{number}" / side, sides[side])
        plans += sides.values()
        procs = [
            _writer(
                [
                    str(tmp_path / f"instanz-{side}"),
                    chroma_server.url,
                    "gemeinsam",
                    "policy",
                    "900",
                    str(tmp_path / f"runde{number}" / side),
                    "wait",
                ],
                log,
                stdin=True,
            )
            for side in sides
        ]
        for proc in procs:
            _wait_ready(proc)
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("los\n")
            proc.stdin.flush()
        reports = []
        for proc in procs:
            out, _ = proc.communicate(timeout=600)
            assert proc.returncode == 0, f"writer failed; see {log}"
            reports.append(json.loads(out.strip().splitlines()[-1]))
        ws = services.workspaces.open("gemeinsam")
        queries = [f"kennung{300 + number:03d}x7", f"kennung{350 + number:03d}x7", "Protokolle"]
        problems, counts = check_workspace(services, ws, marker_hashes(plans), queries)
        docs = {d.source: d for d in ws.documents(fresh=True).values()}
        expected = set(sides["a"].files) | set(sides["b"].files)
        if set(docs) != expected:
            problems.append(f"documents {sorted(docs)} instead of {sorted(expected)}")
        shared = docs.get("0-gemeinsam.md")
        versions = {
            marker_hashes([p])[f"kennung{m:03d}x7"]
            for p, m in zip(sides.values(), (300 + number, 350 + number), strict=True)
        }
        if shared is None or shared.file_hash not in versions:
            problems.append("0-gemeinsam.md holds neither writer's version")
        failed = [f for r in reports for f in r["failed"]]
        if failed:
            problems.append(f"a writer failed: {failed}")
        findings.append({"round": number, "counts": counts, "problems": problems})
    FIGURES["two_writers"] = {
        "rounds": len(findings),
        "inconsistencies": sum(len(f["problems"]) for f in findings),
        "log": findings,
    }
    assert all(not f["problems"] for f in findings), findings


# ---- a crash after every single store write -------------------------------------------


class SimulatedCrash(BaseException):
    """Not an Exception: like SIGKILL, nothing in the pipeline may catch it."""


class _Budget:
    def __init__(self, writes: int | None) -> None:
        self.left = writes
        self.used = 0


class _CrashingCollection:
    """A Chroma collection that dies before write number ``budget.left + 1`` and after."""

    def __init__(self, target: Any, budget: _Budget) -> None:
        self._target = target
        self._budget = budget

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if name not in ("upsert", "add", "update", "delete"):
            return attr

        def write(*args: Any, **kwargs: Any) -> Any:
            if self._budget.left is not None and self._budget.used >= self._budget.left:
                raise SimulatedCrash
            self._budget.used += 1
            return attr(*args, **kwargs)

        return write


def _ingest_crashing(
    services: Services, ws_name: str, folder: Path, plan: RoundPlan, writes: int | None
) -> int:
    """Ingest through a view of the workspace whose collections die after ``writes`` writes
    (None: never); afterwards the store forgets its open workspaces, so the next ``open``
    starts like a new process: from Chroma and the saved keyword cache."""
    ws = services.workspaces.open(ws_name)  # a view of its own: patching it changes no other
    budget = _Budget(writes)
    ws._chunks = _CrashingCollection(ws._chunks, budget)
    ws._registry = _CrashingCollection(ws._registry, budget)
    if ws.windows is not None:  # kb.windows: its writes are store writes too
        ws.windows = copy.copy(ws.windows)
        ws.windows.collection = _CrashingCollection(ws.windows.collection, budget)
    options = IngestOptions(category=plan.category, chunk_chars=plan.chunk_chars, overlap_chars=100)
    try:
        ingest_paths(ws, [folder], options)
    except SimulatedCrash:
        pass
    finally:
        services.workspaces.close()
    return budget.used


@pytest.mark.parametrize("change", ["new-content", "same-bytes-retagged"])
def test_a_crash_after_any_store_write_leaves_a_consistent_workspace(
    services: Services, tmp_path: Path, change: str
) -> None:
    first = RoundPlan(0, {"richtlinie-0.md": file_text(0, 0)}, "policy", 900)
    if change == "new-content":
        second = RoundPlan(1, {"richtlinie-0.md": file_text(1, 0)}, "policy", 900)
    else:
        second = RoundPlan(1, dict(first.files), "guidance", 600)
    markers = marker_hashes([first, second])
    queries = ["kennung000x0 Geschäftsleitung", "kennung001x0 Protokolle", "Zugänge geschützt"]
    crashes: list[dict[str, Any]] = []
    total: int | None = None  # the uncut run first: how many writes a complete ingest makes
    point = -1
    while total is None or point < total:
        name = f"w{point + 1}"
        services.workspaces.create(name)
        write_round(tmp_path / name / "a", first)
        write_round(tmp_path / name / "b", second)
        _ingest_crashing(services, name, tmp_path / name / "a", first, None)
        used = _ingest_crashing(
            services, name, tmp_path / name / "b", second, None if total is None else point
        )
        ws = services.workspaces.open(name)
        problems, counts = check_workspace(services, ws, markers, queries)
        options = IngestOptions(
            category=second.category, chunk_chars=second.chunk_chars, overlap_chars=100
        )
        rerun = ingest_paths(ws, [tmp_path / name / "b"], options)
        more, _ = check_workspace(services, ws, markers, queries)
        done = {d.source: d.category for d in ws.documents(fresh=True).values()}
        if rerun.failed or done != dict.fromkeys(second.files, second.category):
            more.append(f"re-run did not complete: {rerun.as_json()}")
        crashes.append({"after_writes": point, "counts": counts, "problems": problems + more})
        total = used if total is None else total
        point += 1
        services.workspaces.delete(name)
    FIGURES.setdefault("crash_after_each_write", {})[change] = {
        "store_writes": total,
        "crash_points": len(crashes) - 1,
        "inconsistencies": sum(len(c["problems"]) for c in crashes[1:]),
    }
    assert all(not c["problems"] for c in crashes), [c for c in crashes if c["problems"]]


class _DeleteBeforeCommit:
    """A registry that, just before the next commit, lets another writer delete the document
    (registry record and every chunk), as a second app instance could."""

    def __init__(self, ws: Any, doc_id: str) -> None:
        self._ws, self._target, self._doc_id = ws, ws._registry, doc_id
        self.fired = False

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if name != "upsert" or self.fired:
            return attr

        def upsert(*args: Any, **kwargs: Any) -> Any:
            self.fired = True
            self._target.delete(ids=[self._doc_id])
            self._ws._chunks.delete(where={"doc_id": self._doc_id})
            return attr(*args, **kwargs)

        return upsert


def test_a_delete_racing_an_ingest_leaves_the_document_complete(
    services: Services, tmp_path: Path
) -> None:
    """The other writer's delete removes the new chunks between write and commit; the commit
    then finds them missing and writes them again instead of committing an empty document."""
    ws = services.workspaces.create("rennen")
    first = RoundPlan(0, {"richtlinie-0.md": file_text(0, 0)}, "policy", 900)
    second = RoundPlan(1, {"richtlinie-0.md": file_text(1, 0)}, "policy", 900)
    write_round(tmp_path / "a", first)
    write_round(tmp_path / "b", second)
    ingest_paths(ws, [tmp_path / "a"], IngestOptions(category="policy"))
    [info] = ws.documents(fresh=True).values()
    racing = _DeleteBeforeCommit(ws, info.doc_id)
    ws._registry = racing
    try:
        report = ingest_paths(ws, [tmp_path / "b"], IngestOptions(category="policy"))
    finally:
        services.workspaces.close()
    ws = services.workspaces.open("rennen")
    assert racing.fired and report.count("replaced") == 1
    problems, counts = check_workspace(
        services, ws, marker_hashes([first, second]), ["kennung001x0 Geschäftsleitung"]
    )
    FIGURES["delete_racing_an_ingest"] = {"inconsistencies": len(problems), "counts": counts}
    assert not problems and counts["chunks"] == report.chunks > 0
