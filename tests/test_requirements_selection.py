"""Selection, priorities, grouping and scenario errors: no model, no store needed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from chains.requirements import Status, draft_requirements
from chains.requirements.priority import risk_drivers
from core.errors import ScenarioError
from knowledge.catalog import Category, Priority
from knowledge.scenario import load_scenario
from tests.language_support import english
from tests.requirements_support import TODAY, catalog, example, offline_doc, scenario


def ids(name: str) -> set[str]:
    return {r.id for r in offline_doc(name).requirements}


def test_the_three_examples_select_different_plausible_sets() -> None:
    treuhand, maker, shop = ids("treuhand"), ids("manufacturer"), ids("onlineshop")
    assert len({frozenset(treuhand), frozenset(maker), frozenset(shop)}) == 3
    # every scenario gets the baseline (governance, training, incident handling)
    for chosen in (treuhand, maker, shop):
        assert {"KIL-GOV-001", "KIL-GOV-007", "KIL-TRN-003", "KIL-INC-001"} <= chosen
    # the public shop chatbot: prompt injection, output handling, AI disclosure, web tests
    assert {
        "KIL-PIO-001",
        "KIL-PIO-003",
        "KIL-PIO-005",
        "KIL-PIO-010",
        "KIL-PIO-011",
        "KIL-TST-006",
        "KIL-ACC-007",
        "KIL-INC-007",
    } <= shop
    # the fiduciary's client data: data protection, transfer abroad, mailbox and RAG rights
    assert {
        "KIL-DAT-001",
        "KIL-DAT-003",
        "KIL-DAT-004",
        "KIL-DAT-006",
        "KIL-DAT-008",
        "KIL-VEN-004",
        "KIL-ACC-006",
        "KIL-INT-009",
        "KIL-TST-004",
    } <= treuhand
    # the ordering agent: excessive agency, approvals, audit trail, sandbox tests
    assert {"KIL-PIO-006", "KIL-PIO-007", "KIL-LOG-003", "KIL-TST-005", "KIL-INC-008"} <= maker


def test_requirements_stay_out_where_they_do_not_apply() -> None:
    agent_only = {"KIL-PIO-006", "KIL-PIO-007", "KIL-LOG-003", "KIL-TST-005", "KIL-INC-008"}
    assert not agent_only & ids("treuhand")
    assert not agent_only & ids("onlineshop")
    assert not {"KIL-PIO-003", "KIL-TST-006", "KIL-ACC-007"} & ids("treuhand")
    assert not {"KIL-DAT-008", "KIL-ACC-006", "KIL-INT-009"} & ids("manufacturer")
    assert "KIL-DAT-008" not in ids("onlineshop")  # SaaS in the EU: no transfer abroad
    for name in ("treuhand", "manufacturer", "onlineshop"):
        assert not {"KIL-INT-008", "KIL-PIO-012", "KIL-DQL-006"} & ids(name)  # no self-host,
        # no code assistant, no fine-tuning in any example


def test_grouped_by_step_then_category_in_catalog_order() -> None:
    doc = offline_doc("treuhand")
    keys = [(r.step, list(Category).index(r.category), r.id) for r in doc.requirements]
    assert keys == sorted(keys)
    grouped = doc.by_step()
    assert sorted(grouped) == list(range(1, 8))
    assert [r.id for cats in grouped.values() for rs in cats.values() for r in rs] == [
        r.id for r in doc.requirements
    ]


def test_high_risk_raises_should_to_must_with_the_reason() -> None:
    doc = offline_doc("treuhand")
    assert risk_drivers(example("treuhand")) == ("data_outside_ch_eu",)
    raised = doc.get("KIL-VEN-005")  # security attestations: a vendor question
    assert raised.catalog_priority == Priority.SHOULD and raised.priority == Priority.MUST
    assert raised.priority_reason is not None
    assert "SOLL" in raised.priority_reason and "MUSS" in raised.priority_reason
    assert "ausserhalb CH/EU" in raised.priority_reason
    # the same requirement for the shop (public chatbot, data in the EU) is not raised
    shop = offline_doc("onlineshop").get("KIL-VEN-005")
    assert shop.priority == Priority.SHOULD and shop.priority_reason is None
    # the agent scenario raises what answers the agent risk
    maker = offline_doc("manufacturer").get("KIL-PIO-008")
    assert maker.priority == Priority.MUST and "Agent" in (maker.priority_reason or "")


def test_low_risk_lowers_general_shoulds_and_never_a_must() -> None:
    small = scenario()
    assert small.risk_level() == "low"
    doc = draft_requirements(small, catalog(), None, today=TODAY)
    lowered = [r for r in doc.requirements if r.priority != r.catalog_priority]
    assert lowered, "a low-risk scenario lowers general good practice"
    for r in lowered:
        assert r.catalog_priority == Priority.SHOULD and r.priority == Priority.MAY
        assert r.priority_reason and "tiefes Risiko" in r.priority_reason
    assert all(
        r.priority == Priority.MUST for r in doc.requirements if r.catalog_priority == Priority.MUST
    )
    assert "KIL-VEN-002" not in {r.id for r in doc.requirements}  # self-hosted: no SaaS vendor
    assert doc.open_questions == ()  # nobody to ask


def test_without_a_workspace_everything_is_open_and_the_document_complete() -> None:
    seen: list[tuple[int, int]] = []
    doc = draft_requirements(
        example("onlineshop"),
        catalog(),
        None,
        progress=lambda done, total, _id: seen.append((done, total)),
        today=TODAY,
    )
    assert {r.status for r in doc.requirements} == {Status.OPEN}
    assert all(not r.evidence for r in doc.requirements)
    assert doc.summary.status_counts[Status.OPEN] == len(doc.requirements)
    assert len(doc.summary.key_points) == 5
    assert doc.open_questions and len(doc.open_questions) <= 20
    assert doc.sources == () and doc.workspace is None
    assert seen and seen[-1][0] == seen[-1][1] == len(doc.requirements)
    assert "Muster Onlineshop AG" in doc.scenario_text and "Chatbot" in doc.scenario_text


def test_key_points_put_musts_first_and_name_the_requirement() -> None:
    doc = offline_doc("manufacturer")
    points = doc.summary.key_points
    assert [p.priority for p in points] == [Priority.MUST] * 5
    assert all(doc.get(p.requirement_id).title == p.title for p in points)
    assert "Muster Maschinenbau GmbH" in doc.summary.at_stake
    assert "ungewollte Aktionen des Agenten" in doc.summary.at_stake


def test_english_document_uses_english_catalog_text() -> None:
    doc = offline_doc("treuhand", "en")
    req = doc.get("KIL-DAT-008")
    assert req.title == catalog().get("KIL-DAT-008").title.en
    assert "Nothing on this" in req.status_reason
    assert "plans:" in doc.scenario_text and "Risk level: high" in doc.scenario_text
    assert doc.summary.at_stake.startswith("Muster Treuhand AG")


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "szenario.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"ai_service": {"purpose": "x", "type": "roboter", "deployment": "saas_ch"}},
            "ai_service.type",
        ),
        (
            {"ai_service": {"purpose": "x", "type": "chatbot", "deployment": "mond"}},
            "ai_service.deployment",
        ),
        ({"company": {"name": "A", "employees": "viele"}}, "company.employees"),
        ({"data": ["gesundheit"]}, "data.0"),
        ({"integrations": ["fax"]}, "integrations.0"),
        ({"users": "alle"}, "users"),
        ({"colour": "blau"}, "colour"),
    ],
)
def test_bad_scenario_files_name_the_field(
    tmp_path: Path, change: dict[str, object], field: str
) -> None:
    raw = yaml.safe_load(
        (Path(__file__).parent.parent / "data" / "scenarios" / "treuhand.yaml").read_text(
            encoding="utf-8"
        )
    )
    raw.update(change)
    with pytest.raises(ScenarioError, match=f"Feld '{field}'"):
        load_scenario(write(tmp_path, raw))


def test_missing_part_and_broken_yaml_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="Feld 'ai_service'"):
        load_scenario(write(tmp_path, {"company": {"name": "A", "employees": 3}}))
    broken = tmp_path / "kaputt.yaml"
    broken.write_text("company:\n  name: [A\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"kaputt\.yaml"):
        load_scenario(broken)
    listed = tmp_path / "liste.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="YAML-Objekt"):
        load_scenario(listed)


def test_scenario_errors_read_in_english_too(tmp_path: Path) -> None:
    """An uploaded scenario's problems: German by ``str``, English by ``text("en")``."""
    with pytest.raises(ScenarioError) as field:
        load_scenario(write(tmp_path, {"company": {"name": "A", "employees": 0}}))
    assert english(field.value) == (
        "szenario.yaml: field 'company.employees': Input should be greater than or equal to 1; "
        "field 'ai_service': Field required"
    )
    broken = tmp_path / "kaputt.yaml"
    broken.write_text("company:\n  name: [A\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as syntax:
        load_scenario(broken)
    assert english(syntax.value).startswith("kaputt.yaml (line 3): invalid YAML: ")
    listed = tmp_path / "liste.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as shape:
        load_scenario(listed)
    assert english(shape.value) == (
        "liste.yaml: expected a YAML object with 'company' and 'ai_service'."
    )
