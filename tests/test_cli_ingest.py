"""`lotse ingest` and `lotse workspace ...`: JSON contract, exit codes, messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.factory import Services
from tests import fixtures as fx
from tests.cli_helpers import FAILED_KEYS, INGEST_KEYS, Run, cli_runner, json_out
from tests.conftest import Docs


@pytest.fixture
def run(services: Services) -> Run:
    return cli_runner(services)


@pytest.mark.slow
def test_ingest_json_reports_every_file_and_exits_1_when_one_failed(
    run: Run, docs: Docs, tmp_path: Path
) -> None:
    missing = tmp_path / "gibt-es-nicht.pdf"
    result = run(
        "ingest",
        str(docs.root / "text"),
        str(docs.pdf),
        *map(str, docs.bad.values()),
        str(missing),
        "-w",
        "kunde-a",
        "--category",
        "policy",
        "--json",
    )
    assert result.exit_code == 1
    data = json_out(result)
    assert set(data) == INGEST_KEYS
    assert (data["ingested"], data["unchanged"], data["replaced"]) == (6, 0, 0)
    assert data["chunks"] > 6
    assert all(set(f) == FAILED_KEYS for f in data["failed"])
    errors = {Path(f["file"]).name: f["error"] for f in data["failed"]}
    assert set(errors) == {*fx.BAD_EXPECTED, missing.name}
    for name, expected in fx.BAD_EXPECTED.items():
        assert expected.lower() in errors[name].lower()
    assert "nicht gefunden" in errors[missing.name]

    again = run(
        "ingest",
        str(docs.root / "text"),
        str(docs.pdf),
        "-w",
        "kunde-a",
        "--category",
        "policy",
        "--json",
    )
    assert again.exit_code == 0, again.output
    assert json_out(again) == {
        "ingested": 0,
        "unchanged": 6,
        "replaced": 0,
        "chunks": 0,
        "failed": [],
    }


@pytest.mark.slow
def test_ingest_text_output_names_failed_files_on_stderr(run: Run, docs: Docs) -> None:
    result = run("ingest", str(docs.text[fx.MD_NAME]), str(docs.bad["scan.pdf"]), "-w", "k")
    assert result.exit_code == 1
    assert "1 eingelesen" in result.stdout and "1 fehlgeschlagen" in result.stdout
    assert "FEHLER scan.pdf:" in result.stderr and "Textebene" in result.stderr
    assert "Traceback" not in result.output


def test_ingest_refuses_bad_options_cleanly(run: Run, docs: Docs) -> None:
    bad_name = run("ingest", str(docs.pdf), "-w", "Kunde_A")
    assert bad_name.exit_code == 1 and "Ungültiger Name" in bad_name.stderr
    missing_ws = run("ingest", str(docs.pdf), "-w", "neu", "--no-create")
    assert missing_ws.exit_code == 1 and "'neu' gibt es nicht" in missing_ws.stderr
    bad_category = run("ingest", str(docs.pdf), "-w", "neu", "--category", "geheim")
    assert bad_category.exit_code == 2 and "geheim" in bad_category.stderr


@pytest.mark.slow
def test_workspace_commands(run: Run, docs: Docs, tmp_path: Path) -> None:
    assert run("workspace", "create", "kunde-a").exit_code == 0
    taken = run("workspace", "create", "kunde-a")
    assert taken.exit_code == 1 and "existiert bereits" in taken.stderr
    invalid = run("workspace", "create", "Kunde A")
    assert invalid.exit_code == 1 and "Ungültiger Name" in invalid.stderr
    assert run("ingest", str(docs.pdf), "-w", "kunde-a").exit_code == 0

    listing = json_out(run("workspace", "list", "--json"))
    assert [(w["name"], w["documents"]) for w in listing] == [("kunde-a", 1)]
    assert listing[0]["chunks"] > 0 and listing[0]["size_bytes"] > 0

    archive = tmp_path / "kunde-a.zip"
    assert run("workspace", "export", "kunde-a", str(archive)).exit_code == 0
    imported = run("workspace", "import", str(archive), "--name", "kunde-b")
    assert imported.exit_code == 0 and "'kunde-b'" in imported.stdout
    names = [w["name"] for w in json_out(run("workspace", "list", "--json"))]
    assert names == ["kunde-a", "kunde-b"]

    kept = run("workspace", "delete", "kunde-a", input="n\n")
    assert kept.exit_code == 1  # declined at the confirmation prompt
    assert run("workspace", "delete", "kunde-a", "--yes").exit_code == 0
    assert [w["name"] for w in json_out(run("workspace", "list", "--json"))] == ["kunde-b"]
    gone = run("search", "Chatprotokolle", "-w", "kunde-a")
    assert gone.exit_code == 1 and "'kunde-a' gibt es nicht" in gone.stderr
