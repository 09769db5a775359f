"""``lotse draft requirements`` end to end: every format, the summary line, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook

from core.factory import Services
from exports.requirements import from_json
from tests.cli_helpers import cli_runner
from tests.requirements_support import DATA, EMPTY_WS, NIMBUS_FILE, WS, evidence_store

__all__ = ["evidence_store"]  # the fixture, imported for pytest

pytestmark = pytest.mark.slow
TREUHAND = str(DATA / "scenarios" / "treuhand.yaml")


def test_every_format_is_written_with_a_summary_line(
    evidence_store: Services, tmp_path: Path
) -> None:
    run = cli_runner(evidence_store)
    outputs = {}
    for suffix in ("docx", "xlsx", "md", "json"):
        out = tmp_path / f"anforderungen.{suffix}"
        result = run(
            "draft", "requirements", "--scenario", TREUHAND, "--workspace", WS, "--out", str(out)
        )
        assert result.exit_code == 0, result.output
        line = result.stdout.strip()
        assert line.startswith("98 Anforderungen: ") and line.endswith(str(out))
        assert "abgedeckt" in line and "widersprüchlich" in line and "offen" in line
        outputs[suffix] = out
    doc = from_json(outputs["json"].read_bytes())
    assert doc.workspace == WS and doc.language == "de"
    assert len(doc.requirements) == 98
    counts = {s.value: n for s, n in doc.summary.status_counts.items()}
    assert f"{counts['conflicting']} widersprüchlich" in line
    docx_text = "\n".join(p.text for p in Document(str(outputs["docx"])).paragraphs)
    assert all(r.id in docx_text for r in doc.requirements)
    sheet = load_workbook(BytesIO(outputs["xlsx"].read_bytes())).active
    assert sheet.max_row == len(doc.requirements) + 1
    markdown = outputs["md"].read_text(encoding="utf-8")
    assert NIMBUS_FILE in markdown and "KIL-VEN-002" in markdown
    # the vector cache makes the next call cheaper; it sits with the other derived caches
    assert (evidence_store.settings.index_dir / "requirement_vectors.npz").exists()


def test_english_and_no_evidence(evidence_store: Services, tmp_path: Path) -> None:
    run = cli_runner(evidence_store)
    out = tmp_path / "requirements.json"
    result = run(
        "draft",
        "requirements",
        "--scenario",
        TREUHAND,
        "--workspace",
        WS,
        "--out",
        str(out),
        "--lang",
        "en",
        "--no-evidence",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("98 requirements: 0 covered, 0 partly covered, 98 open")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["language"] == "en" and data["workspace"] is None


def test_empty_workspace_gives_an_all_open_document(
    evidence_store: Services, tmp_path: Path
) -> None:
    out = tmp_path / "leer.md"
    result = cli_runner(evidence_store)(
        "draft", "requirements", "--scenario", TREUHAND, "-w", EMPTY_WS, "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "0 abgedeckt, 0 teilweise, 98 offen, 0 widersprüchlich" in result.stdout
    assert out.read_text(encoding="utf-8").count("| offen |") == 98


def test_errors_are_one_clear_line(evidence_store: Services, tmp_path: Path) -> None:
    run = cli_runner(evidence_store)
    bad = tmp_path / "szenario.yaml"
    raw = yaml.safe_load(Path(TREUHAND).read_text(encoding="utf-8"))
    raw["ai_service"]["deployment"] = "mond"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    cases = [
        (
            ["--scenario", str(bad), "--out", str(tmp_path / "a.docx")],
            "szenario.yaml: Feld 'ai_service.deployment'",
        ),
        (
            ["--scenario", TREUHAND, "-w", "gibtsnicht", "--out", str(tmp_path / "a.docx")],
            "Arbeitsbereich 'gibtsnicht' gibt es nicht",
        ),
        (
            ["--scenario", TREUHAND, "--out", str(tmp_path / "a.pdf")],
            "Unbekanntes Exportformat 'a.pdf'",
        ),
    ]
    for args, message in cases:
        result = run("draft", "requirements", *args)
        assert result.exit_code == 1, result.output
        assert message in result.stderr and "Traceback" not in result.output
    assert not list(tmp_path.glob("a.*"))


def test_the_installed_command_runs(evidence_store: Services, tmp_path: Path) -> None:
    """The real console script, start-up included, on the store the fixture filled."""
    out = tmp_path / "anforderungen.xlsx"
    env = {"LOTSE_DATA_DIR": str(evidence_store.settings.data_dir), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "lotse"),
            "draft",
            "requirements",
            "--scenario",
            str(DATA / "scenarios" / "onlineshop.yaml"),
            "-w",
            WS,
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("96 Anforderungen: ")
    assert load_workbook(str(out)).active.max_row == 97
