"""The audit trail detects edits, deletions and reordering of its lines."""

from __future__ import annotations

import json
from pathlib import Path

from core.audit import AuditLog


def _log(tmp_path: Path, n: int = 5) -> AuditLog:
    log = AuditLog(tmp_path / "audit.jsonl")
    for i in range(n):
        log.record("ingest", user="anna", workspace="kunde-a", file=f"f{i}.pdf")
    return log


def test_intact_chain_verifies(tmp_path: Path) -> None:
    log = _log(tmp_path)
    result = log.verify()
    assert result.ok and result.events == 5
    assert [e.seq for e in log.events()] == [1, 2, 3, 4, 5]


def test_edited_line_is_detected(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = log.path.read_text().splitlines()
    rec = json.loads(lines[2])
    rec["user"] = "mallory"
    lines[2] = json.dumps(rec, sort_keys=True)
    log.path.write_text("\n".join(lines) + "\n")
    result = log.verify()
    assert not result.ok and result.first_bad_line == 3


def test_deleted_line_is_detected(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = log.path.read_text().splitlines()
    del lines[1]
    log.path.write_text("\n".join(lines) + "\n")
    result = log.verify()
    assert not result.ok and result.first_bad_line == 2


def test_swapped_lines_are_detected(tmp_path: Path) -> None:
    log = _log(tmp_path)
    lines = log.path.read_text().splitlines()
    lines[0], lines[1] = lines[1], lines[0]
    log.path.write_text("\n".join(lines) + "\n")
    assert not log.verify().ok


def test_appending_after_tamper_check_continues_chain(tmp_path: Path) -> None:
    log = _log(tmp_path, 2)
    event = log.record("delete", workspace="kunde-a")
    assert event.seq == 3
    assert log.verify().ok
