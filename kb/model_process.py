"""The embedding model in a child process, for long ingests.

Why a process: embedded Chroma holds the GIL for the whole of a write, its fsync included
(about 20 ms for a one-record write, 0.1-0.4 s for a document's chunks, measured in
docs/scaling.md). Model threads in the ingesting process need the GIL every few
milliseconds (the tokenizer is pure Python), so they stood still during every commit:
a fifth to a quarter of a long ingest's wall time. A child process has a GIL of its own,
so the model keeps computing while the parent commits.

A child costs a model load (about a second, overlapped with parsing the first files) and
the model's memory once more (about 0.3 GB), so the pipeline only starts one for large
batches (``ingest.pipeline``). It is started per batch and ends with it.

Protocol on the child's stdin/stdout, as in ``ingest.loaders.isolation``: one JSON line
with the model's name, batch size and threads; the child answers ``{"ready": ...}``. Then
one JSON line per request (``{"id", "texts"}``); the answer is a JSON line (``{"id",
"rows", "dim", "cpu_s"}`` or ``{"id", "error"}``) followed by the vectors as raw float32.
Only JSON and numbers cross back, never pickle: the texts come from untrusted files.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Any

import numpy as np

from kb.embeddings import Embedder, Vectors

log = logging.getLogger(__name__)

START_TIMEOUT_S = 120.0
CALL_TIMEOUT_S = 600.0
_CHILD = "from kb.model_process import child_main; child_main()"


class ModelProcessError(RuntimeError):
    """The child could not start, died or did not answer; the caller embeds in-process."""


def child_spec(embedder: Embedder) -> dict[str, Any] | None:
    """How to build the same model in a child, or None when it cannot be (test fakes,
    models given as a folder path)."""
    spec = getattr(embedder, "child_spec", None)
    return spec() if callable(spec) else None


class ModelProcess:
    """One child process serving ``embed(texts)`` calls, several at a time."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._stdin: IO[bytes] = self._proc.stdin
        self._stdout: IO[bytes] = self._proc.stdout
        self._write_lock = threading.Lock()
        self._lock = threading.Lock()
        self._waiting: dict[int, tuple[Future[tuple[Vectors, float]], int]] = {}
        self.dim = 0
        self._next = 0
        self._dead: str | None = None
        ready: Future[dict[str, Any]] = Future()
        self._reader = threading.Thread(
            target=self._read, args=(ready,), name="lotse-model-reader", daemon=True
        )
        self._reader.start()
        try:
            self._send(spec)
            ready.result(timeout=START_TIMEOUT_S)
        except Exception as exc:
            self.close()
            raise ModelProcessError(f"Modellprozess startet nicht: {exc}") from exc

    def embed(self, texts: list[str]) -> tuple[Vectors, float]:
        """Vectors of ``texts`` and the child's CPU seconds for them (blocks this thread)."""
        future: Future[tuple[Vectors, float]] = Future()
        with self._lock:
            if self._dead is not None:
                raise ModelProcessError(self._dead)
            self._next += 1
            call = self._next
            self._waiting[call] = (future, len(texts))
        try:
            self._send({"id": call, "texts": texts})
            return future.result(timeout=CALL_TIMEOUT_S)
        except ModelProcessError:
            raise
        except Exception as exc:  # broken pipe, timeout
            raise ModelProcessError(f"Modellprozess antwortet nicht: {exc!r}") from exc
        finally:
            with self._lock:
                self._waiting.pop(call, None)

    def close(self) -> None:
        """Closing stdin ends the child after its running calls; kill it if it hangs."""
        with contextlib.suppress(OSError):
            self._stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._reader.join(timeout=5)
        self._stdout.close()

    def _send(self, message: dict[str, Any]) -> None:
        line = json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n"
        with self._write_lock:
            self._stdin.write(line)
            self._stdin.flush()

    def _read(self, ready: Future[dict[str, Any]]) -> None:
        """Reader thread: hands each answer to the call waiting for it."""
        try:
            first = json.loads(self._stdout.readline() or b'{"error": "beendet"}')
            if "ready" not in first:
                raise ModelProcessError(str(first.get("error", first)))
            self.dim = int(first["dim"])
            ready.set_result(first)
            while True:
                header = self._stdout.readline()
                if not header:
                    raise ModelProcessError(f"Modellprozess beendet (Code {self._proc.poll()})")
                reply = json.loads(header)
                with self._lock:
                    future, expected = self._waiting.get(int(reply["id"]), (None, -1))
                result: tuple[Vectors, float] | None = None
                if "error" not in reply:
                    rows, dim = int(reply["rows"]), int(reply["dim"])
                    if (rows, dim) != (expected, self.dim):  # never read an unasked size
                        raise ModelProcessError(f"Modellprozess: {rows}x{dim} unerwartet")
                    raw = self._stdout.read(rows * dim * 4)
                    if len(raw) != rows * dim * 4:
                        raise ModelProcessError("Modellprozess: Antwort unvollständig")
                    vectors = np.frombuffer(raw, dtype=np.float32).reshape(rows, dim).copy()
                    result = (vectors, float(reply.get("cpu_s", 0.0)))
                if future is None:
                    continue
                if result is None:
                    future.set_exception(ModelProcessError(str(reply["error"])))
                else:
                    future.set_result(result)
        except Exception as exc:
            error = exc if isinstance(exc, ModelProcessError) else ModelProcessError(repr(exc))
            if not ready.done():
                ready.set_exception(error)
            with self._lock:
                self._dead = str(error)
                waiting = [future for future, _ in self._waiting.values()]
            for future in waiting:
                if not future.done():
                    future.set_exception(error)


# ---- the child ---------------------------------------------------------------------------


def child_main() -> None:
    """Serve embedding requests until stdin closes; stray library output goes to stderr."""
    from kb.embeddings import load_embedder

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    source = sys.stdin.buffer
    lock = threading.Lock()

    def answer(reply: dict[str, Any], payload: bytes = b"") -> None:
        with lock:
            out.write(json.dumps(reply).encode("utf-8") + b"\n" + payload)
            out.flush()

    try:
        spec = json.loads(source.readline())
        model = load_embedder(str(spec["model"]), int(spec["batch_size"]))
        model.embed_documents(["warm-up"])
    except Exception as exc:
        answer({"error": f"{type(exc).__name__}: {exc}"})
        return
    answer({"ready": True, "dim": model.dim})

    def serve(call: int, texts: list[str]) -> None:
        started = time.thread_time()
        try:
            vectors = np.ascontiguousarray(model.embed_documents(texts), dtype=np.float32)
        except Exception as exc:
            answer({"id": call, "error": f"{type(exc).__name__}: {exc}"})
            return
        rows, dim = vectors.shape
        cpu = time.thread_time() - started
        answer({"id": call, "rows": rows, "dim": dim, "cpu_s": cpu}, vectors.tobytes())

    with ThreadPoolExecutor(int(spec.get("concurrency", 1)) or 1) as pool:
        for line in source:
            request = json.loads(line)
            pool.submit(serve, int(request["id"]), list(request["texts"]))
