"""Zeitplan in AppTest: a scenario gives a Gantt chart (steps, milestones, holidays), the task
table and five downloads; an uploaded scenario works, a broken one gives a clear error."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from chains.schedule import plan_schedule
from exports.schedule.gantt_altair import gantt_chart
from tests.app_support import assert_clean, charts, open_page, start_app, texts, use_tmp_store
from tests.schedule_support import KNOWLEDGE, XMAS_START, example, knowledge
from ui.i18n import TEXTS

PAGE = "views/schedule.py"
UPLOAD = "__upload__"


def schedule_page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str = "de") -> AppTest:
    use_tmp_store(monkeypatch, tmp_path, lang)
    at = open_page(start_app(), PAGE)
    assert_clean(at)
    return at


def choose(at: AppTest, scenario: str, start: dt.date = XMAS_START) -> None:
    at.selectbox(key="sc_scenario").set_value(str(KNOWLEDGE / "scenarios" / f"{scenario}.yaml"))
    at.run()
    at.date_input[0].set_value(start).run()


def chart_spec(at: AppTest) -> dict[str, object]:
    found = charts(at)
    assert len(found) == 1, "the page shows exactly one Gantt chart"
    spec: dict[str, object] = json.loads(found[0].proto.spec)
    return spec


@pytest.mark.parametrize("lang", ["de", "en"])
def test_schedule_shows_gantt_table_and_downloads(
    lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at = schedule_page(monkeypatch, tmp_path, lang)
    choose(at, "treuhand")
    assert_clean(at)
    assert at.selectbox[1].value == "CH-ZH"  # region follows the company's canton
    spec = json.dumps(chart_spec(at), ensure_ascii=False)
    assert "diamond" in spec
    step_one = "IT-Landschaft analysieren" if lang == "de" else "Analyse the IT landscape"
    assert step_one in spec
    christmas = "Weihnachten" if lang == "de" else "Christmas"
    assert christmas in spec  # holidays are named in the chart

    templates, catalog = knowledge()
    plan = plan_schedule(example("treuhand"), templates, catalog, XMAS_START, "CH-ZH", lang=lang)  # type: ignore[arg-type]
    assert at.dataframe[0].value.shape[0] == len(plan.tasks)
    downloads = at.get("download_button")
    assert len(downloads) == 5
    shown = texts(at)
    assert ("25.12.2026" if lang == "de" else "25 Dec 2026") in shown
    assert TEXTS["schedule.chart"][lang] in shown


def test_region_and_capacity_change_the_plan(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at = schedule_page(monkeypatch, tmp_path)
    choose(at, "manufacturer", dt.date(2027, 1, 4))
    assert at.selectbox[1].value == "DE-BY"
    assert "06.01.2027" in texts(at)  # Heilige Drei Könige in Bavaria
    at.selectbox[1].set_value("CH-BE").run()
    assert "06.01.2027" not in texts(at)
    # one tenth of an IT lead cannot do it in 14 days: the page says so plainly
    it_lead = next(n for n in at.number_input if n.label == "IT-Leitung")
    it_lead.set_value(0.1).run()
    assert_clean(at)
    assert any("passt NICHT" in w.value for w in at.warning)


def test_uploaded_scenario_and_broken_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = schedule_page(monkeypatch, tmp_path)
    at.selectbox(key="sc_scenario").set_value(UPLOAD).run()
    assert TEXTS["schedule.upload_first"]["de"] in texts(at)
    data = yaml.safe_load((KNOWLEDGE / "scenarios" / "onlineshop.yaml").read_text("utf-8"))
    data["company"]["name"] = "Eigene Firma GmbH"
    at.file_uploader(key="sc_upload").set_value(
        ("eigenes.yaml", yaml.safe_dump(data, allow_unicode=True).encode(), "text/yaml")
    ).run()
    assert_clean(at)
    assert "Eigene Firma GmbH" in texts(at)
    assert len(charts(at)) == 1

    data["company"]["mitarbeiter"] = 12
    at.file_uploader(key="sc_upload").set_value(
        ("kaputt.yaml", yaml.safe_dump(data).encode(), "text/yaml")
    ).run()
    errors = [e.value for e in at.error]
    assert errors and "kaputt.yaml" in errors[0] and "mitarbeiter" in errors[0]
    assert not at.exception


def test_a_broken_uploaded_scenario_reads_in_english(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """In the English UI the error names file and field in English, not German."""
    at = schedule_page(monkeypatch, tmp_path, "en")
    at.selectbox(key="sc_scenario").set_value(UPLOAD).run()
    data = yaml.safe_load((KNOWLEDGE / "scenarios" / "onlineshop.yaml").read_text("utf-8"))
    data["company"]["mitarbeiter"] = 12
    at.file_uploader(key="sc_upload").set_value(
        ("kaputt.yaml", yaml.safe_dump(data).encode(), "text/yaml")
    ).run()
    assert [e.value for e in at.error] == [
        "kaputt.yaml: field 'company.mitarbeiter': Extra inputs are not permitted"
    ]
    at.file_uploader(key="sc_upload").set_value(("liste.yaml", b"- a\n- b\n", "text/yaml")).run()
    assert [e.value for e in at.error] == [
        "liste.yaml: expected a YAML object with 'company' and 'ai_service'."
    ]
    assert not at.exception


def test_gantt_spec_has_a_row_per_task_and_milestones() -> None:
    templates, catalog = knowledge()
    plan = plan_schedule(example("onlineshop"), templates, catalog, XMAS_START, "CH-BE")
    spec = gantt_chart(plan).to_dict()
    layers = spec["layer"]
    bars = next(layer for layer in layers if layer["mark"]["type"] == "bar")
    assert len(bars["data"]["values"]) == len(plan.tasks)
    points = next(layer for layer in layers if layer["mark"]["type"] == "point")
    assert len(points["data"]["values"]) == 7
    assert {v["row"] for v in points["data"]["values"]} == {"Meilensteine"}
