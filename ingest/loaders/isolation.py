"""Parse untrusted files in a child process with a wall-clock limit and a memory cap.

Why a process and not a thread: pypdf, BeautifulSoup and the YAML parser are pure Python,
and a hostile file (a PDF with 100 000 pages or nested objects, a deeply nested HTML page)
can keep one busy for minutes. A thread cannot be stopped; a process can be killed, and a
parser that crashes the interpreter (stack overflow, out of memory) takes only the child
with it. The child is started once and reused for the next file; after a timeout it is
killed (SIGKILL, so it stops using CPU at once) and a fresh one starts for the next file.

Protocol on the child's stdin/stdout: the parent sends one JSON header line
(name, size, limits) followed by the raw bytes; the child answers with one JSON line,
either ``{"doc": ...}`` or ``{"error": reason, "error_en": English reason or null}``.
Only JSON crosses back, never pickle, so a parser subverted by a file could not make the
parent run code. The child also caps its own CPU time per file, so it stops even if the
parent died mid-parse; when the parent dies its stdin closes and an idle child exits.
"""

from __future__ import annotations

import atexit
import dataclasses
import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from core.domain import LoadedDocument, Section
from core.errors import IngestError

log = logging.getLogger(__name__)

START_TIMEOUT_S = 60.0
MAX_IDLE_WORKERS = 2
MAX_REPLY_BYTES = 512 * 1024 * 1024
RETIRE_RSS_MB = 400  # an idle child holding more than this is replaced, not kept
_CHILD = "from ingest.loaders.isolation import child_main; child_main()"


def doc_to_json(doc: LoadedDocument) -> dict[str, Any]:
    return dataclasses.asdict(doc)


def doc_from_json(raw: dict[str, Any]) -> LoadedDocument:
    return LoadedDocument(
        source=str(raw["source"]),
        title=str(raw["title"]),
        sections=tuple(
            Section(text=str(s["text"]), section=str(s["section"]), page=s["page"])
            for s in raw["sections"]
        ),
        pages=raw.get("pages"),
        suspicious=tuple(str(f) for f in raw.get("suspicious", ())),
        records=bool(raw.get("records", False)),
    )


class _Worker:
    """One parser child process and its pipes."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self._buf = bytearray()
        self.read_line(time.monotonic() + START_TIMEOUT_S)  # "ready": imports are done

    def read_line(self, deadline: float) -> bytes:
        """One line from the child, or TimeoutError / EOFError."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            # poll, not select: select() fails for descriptors above 1023, which a
            # long-running app or test session with many open files reaches.
            poller = select.poll()
            poller.register(fd, select.POLLIN | select.POLLHUP)
            if not poller.poll(remaining * 1000):
                continue
            part = os.read(fd, 1 << 20)
            if not part:
                raise EOFError
            self._buf += part
            if len(self._buf) > MAX_REPLY_BYTES:
                raise EOFError
        line, _, rest = bytes(self._buf).partition(b"\n")
        self._buf = bytearray(rest)
        return line

    def parse(self, name: str, data: bytes, limits: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        header = {"name": name, "size": len(data), "limits": dataclasses.asdict(limits)}
        self.proc.stdin.write(json.dumps(header).encode("utf-8") + b"\n")
        self.proc.stdin.write(data)
        self.proc.stdin.flush()
        reply: dict[str, Any] = json.loads(
            self.read_line(time.monotonic() + limits.parse_timeout_s)
        )
        return reply

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()

    def close(self) -> None:
        """Closing stdin lets an idle child exit on its own; kill it if it does not."""
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
            self.proc.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


class ParserPool:
    """Idle parser children, reused across files and threads; each serves one file at a time."""

    def __init__(self) -> None:
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()

    def parse(self, name: str, data: bytes, limits: Any) -> LoadedDocument:
        """Parse in a child; a timeout or a crash of the child is an IngestError for ``name``."""
        worker = self._acquire(name)
        try:
            reply = worker.parse(name, data, limits)
        except TimeoutError:
            worker.kill()
            log.warning("%s: parser stopped after %.0f s", name, limits.parse_timeout_s)
            raise IngestError(
                name,
                f"Einlesen nach {limits.parse_timeout_s:g} s abgebrochen (Zeitgrenze "
                "LOTSE_PARSE_TIMEOUT_S): die Datei ist zu komplex oder bösartig gebaut.",
                en=f"Reading stopped after {limits.parse_timeout_s:g} s (time limit "
                "LOTSE_PARSE_TIMEOUT_S): the file is too complex or maliciously built.",
            ) from None
        except (EOFError, OSError, ValueError) as exc:
            worker.kill()
            code = worker.proc.returncode
            log.warning("%s: parser process failed (%s, exit %s)", name, exc, code)
            raise IngestError(
                name,
                "Einlesen abgebrochen: der Parser ist an der Datei gescheitert "
                f"(Prozess beendet, Code {code}); Datei beschädigt, zu gross entpackt oder "
                "bösartig gebaut.",
                en="Reading stopped: the parser failed on the file "
                f"(process ended, code {code}); the file is damaged, too large when unpacked "
                "or maliciously built.",
            ) from None
        if reply.get("retire"):
            worker.kill()
        else:
            self._release(worker)
        if "error" in reply:
            english = reply.get("error_en")
            raise IngestError(
                name, str(reply["error"]), en=None if english is None else str(english)
            )
        return doc_from_json(reply["doc"])

    def _acquire(self, name: str) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.proc.poll() is None:
                    return worker
                worker.kill()
        try:
            return _Worker()
        except (OSError, TimeoutError, EOFError) as exc:
            log.error("parser process could not start: %s", exc)
            kind = type(exc).__name__
            raise IngestError(
                name,
                f"Parser-Prozess startet nicht ({kind}); siehe Log.",
                en=f"Parser process does not start ({kind}); see the log.",
            ) from exc

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            if len(self._idle) < MAX_IDLE_WORKERS:
                self._idle.append(worker)
                return
        worker.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.close()


POOL = ParserPool()
atexit.register(POOL.close)


# ---- the child ---------------------------------------------------------------------------


def _cap_resources(timeout_s: float, memory_mb: int) -> None:
    """Per file: address space and CPU seconds (soft limits; the kernel enforces them)."""
    import resource

    memory = memory_mb * 1024 * 1024
    _, hard_as = resource.getrlimit(resource.RLIMIT_AS)
    if hard_as == resource.RLIM_INFINITY or memory <= hard_as:
        resource.setrlimit(resource.RLIMIT_AS, (memory, hard_as))
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime + timeout_s) + 5
    _, hard_cpu = resource.getrlimit(resource.RLIMIT_CPU)
    if hard_cpu == resource.RLIM_INFINITY or cpu <= hard_cpu:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard_cpu))


def _resident_mb() -> float:
    """Current resident memory of this process (Linux; 0 where /proc is missing)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1_048_576


def _answer(out: IO[bytes], reply: dict[str, Any]) -> None:
    out.write(json.dumps(reply, ensure_ascii=False).encode("utf-8") + b"\n")
    out.flush()


def child_main() -> None:
    """Serve parse requests until stdin closes; stray output of libraries goes to stderr."""
    from ingest.loaders.registry import Limits, parse_in_process

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    source = sys.stdin.buffer
    _answer(out, {"ready": True})
    while True:
        header = source.readline()
        if not header:
            return
        request = json.loads(header)
        data = source.read(int(request["size"]))
        if len(data) != int(request["size"]):
            return
        limits = Limits(**request["limits"])
        _cap_resources(limits.parse_timeout_s, limits.parse_memory_mb)
        name = str(request["name"])
        try:
            reply: dict[str, Any] = {"doc": doc_to_json(parse_in_process(Path(name), data, limits))}
        except IngestError as exc:
            reply = {"error": exc.reason, "error_en": exc.reason_en}
        except MemoryError:
            reply = {
                "error": "Zu wenig Speicher beim Einlesen (LOTSE_PARSE_MEMORY_MB); Datei zu "
                "komplex oder bösartig gebaut.",
                "error_en": "Not enough memory while reading (LOTSE_PARSE_MEMORY_MB); the "
                "file is too complex or maliciously built.",
                "retire": True,
            }
        except RecursionError:
            reply = {
                "error": "Datei zu tief verschachtelt.",
                "error_en": "File nested too deeply.",
                "retire": True,
            }
        except Exception as exc:  # a parser bug must not end the service for the next file
            log.exception("unexpected error while parsing %s", name)
            kind = type(exc).__name__
            reply = {
                "error": f"Unerwarteter Fehler beim Lesen ({kind}).",
                "error_en": f"Unexpected error while reading ({kind}).",
                "retire": True,
            }
        if _resident_mb() > RETIRE_RSS_MB:
            reply["retire"] = True  # return the memory of a big file to the system
        _answer(out, reply)
