"""`lotse ask`: the JSON contract of issue 4, batch mode with ids, human output, errors."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from chains.answering.phrases import phrase
from tests import chat_support as cs
from tests.chat_support import ChatWorld, world
from tests.cli_helpers import cli_runner, json_out

__all__ = ["world"]
pytestmark = pytest.mark.slow

ANSWER_KEYS = {"answer", "language", "grounded", "provider", "left_machine", "citations"}
CITATION_KEYS = {"n", "source", "page", "section", "snippet", "text", "doc_id"}


def test_ask_json_has_exactly_the_contract_keys(world: ChatWorld) -> None:
    run = cli_runner(world.services)
    result = run("ask", cs.QUESTION_RETENTION_DE, "-w", "clean", "--json")
    assert result.exit_code == 0, result.output
    data = json_out(result)
    assert set(data) == ANSWER_KEYS
    assert data["grounded"] is True and data["language"] == "de"
    assert data["provider"] == "extractive" and data["left_machine"] is False
    first = data["citations"][0]
    assert set(first) == CITATION_KEYS
    assert (first["n"], first["source"], first["page"]) == (1, cs.POLICY_PDF, cs.RETENTION_PAGE)
    assert "30 Tagen" in first["snippet"] and cs.RETENTION_SENTENCE in first["text"]


def test_ask_names_a_figure_the_sources_do_not_state(world: ChatWorld) -> None:
    result = cli_runner(world.services)("ask", cs.QUESTION_FREQUENCY, "-w", "clean")
    assert result.exit_code == 0, result.output
    assert f"\nHinweis: {phrase('de', 'no_figure')}" in result.stdout


def test_ask_questions_file_answers_each_line_with_its_id(world: ChatWorld, tmp_path: Path) -> None:
    rows = [
        {"id": "q1", "question": cs.QUESTION_RETENTION_EN},
        {"id": "q2", "question": cs.QUESTION_UNANSWERABLE},
        {"id": "q3", "question": cs.QUESTION_PRICE},
    ]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = cli_runner(world.services)("ask", "--questions", str(path), "-w", "clean")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["q1", "q2", "q3"]
    assert all(set(line) == ANSWER_KEYS | {"id"} for line in lines)
    assert lines[0]["grounded"] and not lines[1]["grounded"]
    assert lines[1]["citations"] == []
    # covered topic, but the amount asked for is stated nowhere
    assert not lines[2]["grounded"] and lines[2]["citations"] == []
    assert lines[2]["answer"].startswith(phrase("de", "no_amount"))


@pytest.mark.parametrize(
    ("question", "start", "sources", "state", "foreign"),
    [
        (
            cs.QUESTION_RETENTION_DE,
            "Kurz: «",
            f"Quellen:\n[1] {cs.POLICY_PDF} (S. {cs.RETENTION_PAGE})",
            "(belegt durch die Wissensbasis; offline beantwortet",
            "Sources",
        ),
        (
            cs.QUESTION_RETENTION_EN,
            "In short: ",
            f"Sources:\n[1] {cs.FAQ_MD}",
            "(grounded in the knowledge base; answered offline",
            "Quellen",
        ),
    ],
)
def test_ask_prints_the_answer_and_numbered_sources_in_the_questions_language(
    world: ChatWorld, question: str, start: str, sources: str, state: str, foreign: str
) -> None:
    result = cli_runner(world.services)("ask", question, "-w", "clean")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(start)
    assert sources in result.stdout and state in result.stdout
    assert foreign not in result.stdout


def test_ask_with_unreachable_provider_falls_back_without_traceback(world: ChatWorld) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: connections are refused
    result = cli_runner(world.services)(
        "ask",
        cs.QUESTION_RETENTION_DE,
        "-w",
        "clean",
        "--provider",
        "openai",
        "--base-url",
        f"http://127.0.0.1:{port}/v1",
        "--model",
        "x",
        "--timeout",
        "5",
    )
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "Hinweis: Das Sprachmodell (openai) war nicht nutzbar: keine Verbindung" in result.stdout
    assert "30 Tagen" in result.stdout


def test_ask_unknown_workspace_and_missing_question_are_clean_errors(world: ChatWorld) -> None:
    run = cli_runner(world.services)
    missing = run("ask", "Frage", "-w", "gibtsnicht")
    assert missing.exit_code == 1 and "gibtsnicht" in missing.output
    assert "Traceback" not in missing.output
    assert run("ask", "-w", "clean").exit_code == 2


def test_ask_writes_an_audit_event_without_the_question_text(world: ChatWorld) -> None:
    run = cli_runner(world.services)
    assert run("ask", cs.QUESTION_CLOUD, "-w", "clean").exit_code == 0
    log = world.services.settings.data_dir / "audit.jsonl"
    event = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    assert event["action"] == "ask" and event["workspace"] == "clean"
    assert event["details"]["chars"] == len(cs.QUESTION_CLOUD)
    assert cs.QUESTION_CLOUD not in log.read_text(encoding="utf-8")
