"""``lotse draft training`` end to end; with a workspace, the handouts quote the company's own
policy found by the real embedding model in a real Chroma store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document
from icalendar import Calendar

import core.cli.draft_training_cmds  # noqa: F401  (registers the command)
from core.cli.app import CliContext, cli
from core.factory import Services
from core.settings import Settings
from ingest.pipeline import IngestOptions, ingest_paths
from tests.cli_helpers import cli_runner
from tests.conftest import MakeServices
from tests.schedule_support import KNOWLEDGE

SCENARIO = str(KNOWLEDGE / "scenarios" / "treuhand.yaml")
POLICY = KNOWLEDGE / "examples" / "policy_ki_nutzungsrichtlinie_musterfirma_de.md"


def _run(tmp_path: Path, *args: str) -> Result:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", knowledge_dir=KNOWLEDGE)  # type: ignore[call-arg]
    return CliRunner().invoke(cli, ["draft", "training", *args], obj=CliContext(settings))


def test_docx_for_all_audiences_on_the_schedule(tmp_path: Path) -> None:
    out = tmp_path / "kit.docx"
    result = _run(tmp_path, "--scenario", SCENARIO, "--start", "2026-12-21", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (
        "Sitzungen" in result.output and "Quizfragen" in result.output and str(out) in result.output
    )
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Merkblatt KI-Nutzung: Mitarbeitende" in text
    assert "Merkblatt KI-Nutzung: Datenschutzverantwortliche" in text


def test_csv_quiz_in_english_for_one_audience(tmp_path: Path) -> None:
    out = tmp_path / "quiz.csv"
    result = _run(
        tmp_path,
        "--scenario",
        SCENARIO,
        "--audience",
        "it",
        "--lang",
        "en",
        "--questions",
        "12",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0][0] == "Question" and len(rows) == 13
    assert "12 quiz questions" in result.output


def test_markdown_json_and_answer_sheet(tmp_path: Path) -> None:
    for name, extra in (("kit.md", ()), ("kit.json", ()), ("answers.docx", ("--part", "answers"))):
        out = tmp_path / name
        result = _run(
            tmp_path, "--scenario", SCENARIO, "--audience", "staff", *extra, "--out", str(out)
        )
        assert result.exit_code == 0, result.output
    assert (tmp_path / "kit.md").read_text(encoding="utf-8").startswith("# Schulungspaket")
    data = json.loads((tmp_path / "kit.json").read_text(encoding="utf-8"))
    assert data["audiences"] == ["staff"]
    answers = "\n".join(p.text for p in Document(str(tmp_path / "answers.docx")).paragraphs)
    assert "Richtig:" in answers


def test_ics_needs_a_start_and_shows_sessions(tmp_path: Path) -> None:
    out = tmp_path / "plan.ics"
    refused = _run(tmp_path, "--scenario", SCENARIO, "--out", str(out))
    assert refused.exit_code == 2 and "--start" in refused.output and not out.exists()
    result = _run(
        tmp_path,
        "--scenario",
        SCENARIO,
        "--start",
        "2027-03-01",
        "--region",
        "CH-ZH",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    events = list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert any(str(e["SUMMARY"]).startswith("Schulung: ") for e in events)


def test_bad_input_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    bad = _run(tmp_path, "--scenario", SCENARIO, "--out", str(tmp_path / "kit.pdf"))
    assert bad.exit_code == 1 and "Unbekanntes Exportformat" in bad.output
    part = _run(
        tmp_path, "--scenario", SCENARIO, "--part", "quiz", "--out", str(tmp_path / "q.csv")
    )
    assert part.exit_code == 2 and "--part" in part.output
    audience = _run(
        tmp_path, "--scenario", SCENARIO, "--audience", "everyone", "--out", str(tmp_path / "k.md")
    )
    assert audience.exit_code == 2
    missing = _run(
        tmp_path, "--scenario", SCENARIO, "--workspace", "fehlt", "--out", str(tmp_path / "k.md")
    )
    assert missing.exit_code == 1 and "fehlt" in missing.output
    assert "Traceback" not in missing.output


@pytest.mark.slow
def test_workspace_policy_is_quoted_with_its_source(
    make_services: MakeServices, tmp_path: Path
) -> None:
    services: Services = make_services()
    ws = services.workspaces.open("musterfirma", create=True)
    report = ingest_paths(ws, [POLICY], IngestOptions(category="policy"))
    assert report.count("ingested") == 1
    run = cli_runner(services)
    out = tmp_path / "kit.md"
    result = run(
        "draft",
        "training",
        "--scenario",
        SCENARIO,
        "--workspace",
        "musterfirma",
        "--audience",
        "staff",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert "aus eigenen Richtlinien" in result.output
    text = out.read_text(encoding="utf-8")
    assert "Aus Ihrer Richtlinie" in text
    assert "KI-Nutzungsrichtlinie der Musterfirma AG" in text
    # the company's own incident rule (report within four hours to the IT lead) is quoted
    assert "innert vier Stunden" in text
    assert "Prompt-Injection" in text
