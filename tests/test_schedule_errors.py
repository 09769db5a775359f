"""Bad input gives a clear PlanningError: region, capacity, past start, broken templates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import yaml

from chains.schedule import find_cycle, parse_capacity, plan_schedule, resolve_capacity
from core.errors import KnowledgeError, PlanningError
from knowledge.plan import Role, load_plan_templates
from tests.language_support import english
from tests.schedule_support import XMAS_START, example, knowledge, plan


def test_unknown_country_lists_examples() -> None:
    with pytest.raises(PlanningError, match="Unbekannte Region 'XX-YY'") as err:
        plan(example("treuhand"), "XX-YY")
    assert "CH-ZH" in str(err.value) and "DE-BY" in str(err.value)


def test_unknown_canton_lists_the_cantons() -> None:
    with pytest.raises(PlanningError, match="kein Kanton/Bundesland") as err:
        plan(example("treuhand"), "CH-XY")
    assert "CH-ZH" in str(err.value) and "CH-BE" in str(err.value)


def test_region_codes_are_normalised() -> None:
    assert plan(example("treuhand"), "ch-zh").region == "CH-ZH"
    assert plan(example("treuhand"), "CH").region == "CH"


@pytest.mark.parametrize("value", [0, 0.0, -1])
def test_zero_or_negative_capacity_is_refused(value: float) -> None:
    with pytest.raises(PlanningError, match=r"it_lead.*grösser als 0"):
        plan(example("treuhand"), capacity={Role.IT_LEAD: value})


def test_capacity_specs_parse_and_fail_clearly() -> None:
    parsed = parse_capacity(["it_lead=2*0.8", "management=1*0.5", "DPO=1"])
    assert parsed == {Role.IT_LEAD: pytest.approx(1.6), Role.MANAGEMENT: 0.5, Role.DPO: 1.0}
    team = resolve_capacity(parsed)
    assert team[Role.IT_LEAD] == pytest.approx(1.6) and team[Role.STAFF] == 1.0
    with pytest.raises(PlanningError, match=r"Unbekannte Rolle 'boss'.*it_lead"):
        parse_capacity(["boss=1"])
    with pytest.raises(PlanningError, match="keine Zahl"):
        parse_capacity(["it_lead=zwei"])
    with pytest.raises(PlanningError, match="Rolle=Personen\\*Anteil"):
        parse_capacity(["it_lead"])
    with pytest.raises(PlanningError, match="Anteil"):
        parse_capacity(["it_lead=1*1.5"])
    with pytest.raises(PlanningError, match="grösser als 0"):
        resolve_capacity(parse_capacity(["it_lead=0*1"]))


def test_past_start_is_refused_only_when_not_allowed() -> None:
    today = date(2027, 2, 1)
    with pytest.raises(PlanningError, match="Vergangenheit"):
        plan(example("treuhand"), start=XMAS_START, allow_past=False, today=today)
    assert plan(example("treuhand"), start=XMAS_START, allow_past=True, today=today).tasks
    assert plan(example("treuhand"), start=today, allow_past=False, today=today).tasks


@pytest.mark.parametrize("days", [0, -3, 261])
def test_target_days_out_of_range(days: int) -> None:
    with pytest.raises(PlanningError, match="Ziellänge"):
        plan(example("treuhand"), target_days=days)


def _write_templates(directory: Path, tasks: list[dict[str, object]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "custom.yaml").write_text(
        yaml.safe_dump({"tasks": tasks}, allow_unicode=True), encoding="utf-8"
    )
    return directory


def _task(task_id: str, step: int, depends_on: list[str], **extra: object) -> dict[str, object]:
    return {
        "id": task_id,
        "step": step,
        "title": {"de": f"Aufgabe {task_id}", "en": f"Task {task_id}"},
        "role": "it_lead",
        "effort_days": 1.0,
        "depends_on": depends_on,
        "deliverable": {"de": "Ergebnis", "en": "Result"},
        "requirement_ids": ["KIL-GOV-001"],
        **extra,
    }


def test_cycle_in_custom_templates_is_named(tmp_path: Path) -> None:
    directory = _write_templates(
        tmp_path / "plan",
        [
            _task("S1-T01", 1, ["S1-T03"]),
            _task("S1-T02", 1, ["S1-T01"]),
            _task("S1-T03", 1, ["S1-T02"]),
            _task("S2-T01", 2, ["S1-T03"]),
        ],
    )
    templates = load_plan_templates(directory)
    _, catalog = knowledge()
    with pytest.raises(PlanningError, match="Abhängigkeitszyklus") as err:
        plan_schedule(example("treuhand"), templates, catalog, XMAS_START, "CH-ZH")
    message = str(err.value)
    assert all(t in message for t in ("S1-T01", "S1-T02", "S1-T03"))
    assert "S2-T01" not in message


def test_self_dependency_is_a_cycle() -> None:
    assert find_cycle({"A": ["A"]}) == ["A", "A"]
    assert find_cycle({"A": ["B"], "B": []}) is None


def test_dependency_on_a_later_step_is_refused(tmp_path: Path) -> None:
    directory = _write_templates(
        tmp_path / "plan", [_task("S1-T01", 1, ["S2-T01"]), _task("S2-T01", 2, [])]
    )
    _, catalog = knowledge()
    with pytest.raises(PlanningError, match="späteren Schritt"):
        plan_schedule(
            example("treuhand"), load_plan_templates(directory), catalog, XMAS_START, "CH-ZH"
        )


def test_unknown_requirement_in_custom_templates_is_named(tmp_path: Path) -> None:
    directory = _write_templates(
        tmp_path / "plan", [_task("S1-T01", 1, [], requirement_ids=["KIL-XXX-999"])]
    )
    _, catalog = knowledge()
    with pytest.raises(PlanningError, match=r"S1-T01.*KIL-XXX-999"):
        plan_schedule(
            example("treuhand"), load_plan_templates(directory), catalog, XMAS_START, "CH-ZH"
        )


def test_custom_templates_without_some_steps_still_get_every_milestone(tmp_path: Path) -> None:
    directory = _write_templates(
        tmp_path / "plan", [_task("S1-T01", 1, []), _task("S3-T01", 3, ["S1-T01"])]
    )
    _, catalog = knowledge()
    schedule = plan_schedule(
        example("treuhand"), load_plan_templates(directory), catalog, XMAS_START, "CH-ZH"
    )
    assert [m.step for m in schedule.milestones] == list(range(1, 8))
    assert schedule.reviews == ()


def test_planning_errors_read_in_english_too(tmp_path: Path) -> None:
    """What the schedule page can meet: German by ``str``, English by ``text("en")``."""
    treuhand = example("treuhand")
    _, catalog = knowledge()

    def custom(name: str, *tasks: dict[str, object]) -> Callable[[], object]:
        templates = load_plan_templates(_write_templates(tmp_path / name, list(tasks)))
        return lambda: plan_schedule(treuhand, templates, catalog, XMAS_START, "CH-ZH")

    actions: dict[str, Callable[[], object]] = {
        "country": lambda: plan(treuhand, "XX-YY"),
        "canton": lambda: plan(treuhand, "CH-XY"),
        "no capacity": lambda: plan(treuhand, capacity={Role.IT_LEAD: 0}),
        "too much capacity": lambda: plan(treuhand, capacity={Role.IT_LEAD: 99}),
        "past": lambda: plan(treuhand, allow_past=False, today=date(2027, 2, 1)),
        "target": lambda: plan(treuhand, target_days=0),
        "language": lambda: plan(treuhand, lang="fr"),
        "later step": custom("later", _task("S1-T01", 1, ["S2-T01"]), _task("S2-T01", 2, [])),
        "cycle": custom("cycle", _task("S1-T01", 1, ["S1-T02"]), _task("S1-T02", 1, ["S1-T01"])),
        "requirement": custom("req", _task("S1-T01", 1, [], requirement_ids=["KIL-XXX-999"])),
    }
    shown = {}
    for what, action in actions.items():
        with pytest.raises(PlanningError) as info:
            action()
        shown[what] = english(info.value)
    assert shown["country"] == (
        "Unknown region 'XX-YY': country 'XX' is not supported. "
        "Examples: CH-ZH, CH-BE, CH-BS, DE-BY, DE-BE, DE-NW, AT-9."
    )
    assert shown["canton"].startswith("Unknown region 'CH-XY': 'XY' is not a canton/state of CH.")
    assert shown["no capacity"].startswith(
        "Capacity for role 'it_lead' must be greater than 0 (got: 0)."
    )
    assert shown["too much capacity"].endswith("at most 50 person-days per day.")
    assert shown["past"] == (
        "Start date 2026-12-21 is in the past (today: 2027-02-01). Please choose a future date."
    )
    assert shown["target"].startswith("A target length of 0 working days is invalid")
    assert shown["language"] == "Unknown language 'fr': allowed are 'de' and 'en'."
    assert shown["later step"].startswith(
        "Plan template S1-T01 (step 1) depends on S2-T01 (step 2); steps run in order"
    )
    assert shown["cycle"] == (
        "The plan templates contain a dependency cycle: S1-T01 → S1-T02 → S1-T01."
    )
    assert shown["requirement"] == (
        "Plan template S1-T01: unknown requirements ['KIL-XXX-999'] "
        "(not in the requirement catalog)."
    )
    with pytest.raises(KnowledgeError) as broken:
        load_plan_templates(_write_templates(tmp_path / "dep", [_task("S1-T01", 1, ["S9-T09"])]))
    assert english(broken.value) == (
        "Plan templates, entry S1-T01: field 'depends_on': unknown tasks ['S9-T09']."
    )
