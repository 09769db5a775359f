"""``lotse draft schedule`` end to end with the shipped knowledge and an example scenario."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from icalendar import Calendar

import core.cli.draft_schedule_cmds  # noqa: F401  (registers the command)
from core.cli.app import CliContext, cli
from core.settings import Settings
from tests.schedule_support import KNOWLEDGE

SCENARIO = str(KNOWLEDGE / "scenarios" / "treuhand.yaml")


def _run(*args: str) -> Result:
    obj = CliContext(Settings(_env_file=None, knowledge_dir=KNOWLEDGE))  # type: ignore[call-arg]
    return CliRunner().invoke(cli, ["draft", "schedule", *args], obj=obj)


def _base(out: Path, *extra: str, start: str = "2026-12-21", region: str = "CH-ZH") -> list[str]:
    return [
        "--scenario",
        SCENARIO,
        "--start",
        start,
        "--region",
        region,
        "--out",
        str(out),
        "--allow-past",
        *extra,
    ]


def test_writes_ics_and_prints_one_line(tmp_path: Path) -> None:
    out = tmp_path / "plan.ics"
    result = _run(*_base(out))
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Plan passt:")
    assert "Engpass: IT-Leitung" in lines[0] and str(out) in lines[0]
    assert "(21.12.2026 – " in lines[0]  # a German line writes dates the German way
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert len(events) > 30


def test_capacity_and_language_options(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = _run(*_base(out, "--capacity", "it_lead=1*0.5", "--lang", "en", "--days", "14"))
    assert result.exit_code == 0, result.output
    assert "does NOT fit" in result.output and "bottleneck: IT lead" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["fits"] is False and data["bottleneck_role"] == "it_lead"
    assert data["capacity"]["it_lead"] == 0.5 and data["needed_working_days"] > 14


def test_region_defaults_to_the_scenario_company(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    args = _base(out)
    del args[args.index("--region") : args.index("--region") + 2]
    result = _run(*args)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["region"] == "CH-ZH"


def test_every_format_by_suffix(tmp_path: Path) -> None:
    for suffix in (".xlsx", ".md", ".png"):
        out = tmp_path / f"plan{suffix}"
        assert _run(*_base(out)).exit_code == 0
        assert out.stat().st_size > 0


def test_errors_are_clear_messages_not_tracebacks(tmp_path: Path) -> None:
    out = tmp_path / "plan.ics"
    past = _base(out, start="2020-01-06")
    past.remove("--allow-past")
    cases = [
        (_base(out, region="XX-YY"), "Unbekannte Region"),
        (_base(tmp_path / "plan.pdf"), "Unterstützt: .ics"),
        (_base(out, "--capacity", "it_lead=0"), "grösser als 0"),
        (_base(out, "--capacity", "chef=1"), "Unbekannte Rolle"),
    ]
    for args, message in cases:
        result = _run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output and "Traceback" not in result.output
    result = _run(*past)
    assert result.exit_code == 2 and "--allow-past" in result.output
    assert not (tmp_path / "plan.pdf").exists() and not out.exists()
