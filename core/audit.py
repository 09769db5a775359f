"""Append-only audit trail with a hash chain, so tampering is detectable.

Each line of ``audit.jsonl`` is one JSON event carrying the SHA-256 of the previous line's
hash plus its own content. Editing, deleting or reordering a line breaks every hash after
it; ``verify`` names the first broken line.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
_LOCK = threading.Lock()


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    time: str
    user: str
    action: str
    workspace: str
    details: dict[str, Any]
    prev: str
    hash: str


def _digest(prev: str, body: dict[str, Any]) -> str:
    payload = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev}\n{payload}".encode()).hexdigest()


def question_details(question: str, mode: str) -> dict[str, Any]:
    """What the trail keeps of a question: its length, or its text when mode is 'full'."""
    return {"question": question} if mode == "full" else {"chars": len(question)}


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events: int
    first_bad_line: int | None = None
    reason: str = ""


class AuditLog:
    """One JSON-lines file under the data directory; writes are serialised and fsynced."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _last(self) -> tuple[int, str]:
        if not self.path.exists():
            return 0, GENESIS
        last = ""
        with self.path.open("rb") as fh:
            try:
                fh.seek(-65536, os.SEEK_END)
            except OSError:
                fh.seek(0)
            for line in fh.read().splitlines():
                if line.strip():
                    last = line.decode("utf-8", errors="replace")
        if not last:
            return 0, GENESIS
        rec = json.loads(last)
        return int(rec["seq"]), str(rec["hash"])

    def record(
        self, action: str, user: str = "local", workspace: str = "", **details: Any
    ) -> AuditEvent:
        """Append one event; secrets must never be passed in ``details``."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _LOCK, (self.path.parent / ".audit.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # other processes (CLI, app) append too
            seq, prev = self._last()
            body = {
                "seq": seq + 1,
                "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "user": user,
                "action": action,
                "workspace": workspace,
                "details": details,
                "prev": prev,
            }
            digest = _digest(prev, body)
            line = json.dumps({**body, "hash": digest}, ensure_ascii=False, sort_keys=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        return AuditEvent(**body, hash=digest)  # type: ignore[arg-type]

    def events(self) -> Iterator[AuditEvent]:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield AuditEvent(**json.loads(line))

    def verify(self) -> VerifyResult:
        prev, count = GENESIS, 0
        if not self.path.exists():
            return VerifyResult(True, 0)
        with self.path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    stored = rec.pop("hash")
                except (json.JSONDecodeError, KeyError):
                    return VerifyResult(False, count, number, "Zeile ist kein gültiger Eintrag")
                if rec.get("prev") != prev:
                    return VerifyResult(False, count, number, "Verkettung unterbrochen")
                if _digest(prev, rec) != stored:
                    return VerifyResult(False, count, number, "Inhalt verändert")
                if rec.get("seq") != count + 1:
                    return VerifyResult(False, count, number, "Reihenfolge verändert")
                prev, count = stored, count + 1
        return VerifyResult(True, count)
