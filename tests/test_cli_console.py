"""The installed `lotse` console script in real processes: LOTSE_DATA_DIR, exit codes,
and a deletion that holds after the store is reopened by a new process."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests import fixtures as fx
from tests.cli_helpers import INGEST_KEYS, SEARCH_KEYS
from tests.conftest import VENV_BIN, Docs

pytestmark = pytest.mark.slow


def _lotse(*args: str, cwd: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOTSE_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [str(VENV_BIN / "lotse"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_console_script_round_trip(docs: Docs, tmp_path: Path) -> None:
    store = tmp_path / "ablage"
    ingest = _lotse(
        "ingest",
        str(docs.pdf),
        str(docs.text[fx.MD_NAME]),
        str(docs.bad["verschluesselt.pdf"]),
        "-w",
        "kunde-a",
        "--json",
        cwd=tmp_path,
        data_dir=store,
    )
    assert ingest.returncode == 1, ingest.stderr
    report = json.loads(ingest.stdout)
    assert set(report) == INGEST_KEYS and report["ingested"] == 2
    assert report["failed"] == [
        {
            "file": "verschluesselt.pdf",
            "error": "PDF ist verschlüsselt (Passwort nötig); bitte entschlüsselt hochladen.",
        }
    ]
    assert (store / "chroma").is_dir() and not (tmp_path / ".lotse").exists()

    deleted = _lotse("docs", "delete", fx.PDF_NAME, "-w", "kunde-a", cwd=tmp_path, data_dir=store)
    assert deleted.returncode == 0, deleted.stderr

    queries = tmp_path / "fragen.jsonl"
    queries.write_text(
        "\n".join(
            json.dumps({"id": i, "question": q}, ensure_ascii=False)
            for i, q in enumerate([fx.PDF_QUERY, fx.PDF_ANSWER, "Zwei-Faktor-Anmeldung"])
        ),
        "utf-8",
    )
    search = _lotse(
        "search",
        "--queries",
        str(queries),
        "-w",
        "kunde-a",
        "--k",
        "20",
        cwd=tmp_path,
        data_dir=store,
    )
    assert search.returncode == 0, search.stderr
    lines = [json.loads(line) for line in search.stdout.splitlines()]
    assert [line["id"] for line in lines] == [0, 1, 2]
    hits = [h for line in lines for h in line["results"]]
    assert hits and all(set(h) == SEARCH_KEYS for h in hits)
    assert {h["source"] for h in hits} == {fx.MD_NAME}  # the deleted PDF never comes back
