"""Anforderungen in AppTest: an example scenario drafts with evidence from the workspace,
in German and English; the form changes the selection; uploads and bad input are clear."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from core.factory import build_services
from ingest.pipeline import IngestOptions, ingest_paths
from kb.embeddings import Embedder
from tests.app_support import assert_clean, open_page, start_app, texts, use_tmp_store
from tests.conftest import make_settings
from tests.requirements_support import ALPINA, ALPINA_FILE, DATA, NIMBUS, NIMBUS_FILE, POLICY_FILE
from ui.i18n import TEXTS

pytestmark = pytest.mark.slow
PAGE = "views/requirements.py"
SCENARIOS = DATA / "scenarios"


def fill_default_workspace(data_dir: Path, embedder: Embedder) -> None:
    """The example policy and vendor sheets in ``default``, as ``make run`` loads them."""
    services = build_services(make_settings(data_dir), embedder=embedder)
    ws = services.workspaces.open("default", create=True)
    for name, category, vendor in (
        (POLICY_FILE, "policy", None),
        (ALPINA_FILE, "vendor", ALPINA),
        (NIMBUS_FILE, "vendor", NIMBUS),
    ):
        ingest_paths(
            ws, [DATA / "examples" / name], IngestOptions(category=category, vendor=vendor)
        )
    services.workspaces.close()


def requirements_page(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    lang: str = "de",
    embedder: Embedder | None = None,
) -> AppTest:
    if embedder is not None:
        fill_default_workspace(tmp_path, embedder)
    use_tmp_store(monkeypatch, tmp_path, lang)
    at = open_page(start_app(), PAGE)
    assert_clean(at)
    return at


def metrics(at: AppTest) -> dict[str, int]:
    return {m.label.split(" ", 1)[1]: int(m.value) for m in at.metric}


def expander_labels(at: AppTest) -> list[str]:
    return [e.label for e in at.expander]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_example_scenario_drafts_with_evidence_and_downloads(
    lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, embedder: Embedder
) -> None:
    at = requirements_page(monkeypatch, tmp_path, lang, embedder)
    at.selectbox(key="rq_base").set_value(str(SCENARIOS / "treuhand.yaml")).run()
    assert_clean(at)
    assert at.title[0].value == TEXTS["nav.requirements"][lang]
    counts = metrics(at)
    conflicting = "widersprüchlich" if lang == "de" else "conflicting"
    covered = "abgedeckt" if lang == "de" else "covered"
    assert counts[conflicting] >= 2 and counts[covered] >= 3
    assert sum(counts.values()) == 98
    labels = expander_labels(at)
    ven = next(label for label in labels if "KIL-VEN-002" in label)
    assert ven.startswith("🔴")
    step_one = (
        "Schritt 1: IT-Landschaft analysieren"
        if lang == "de"
        else "Step 1: Analyse the IT landscape"
    )
    assert step_one in [s.value for s in at.subheader]
    shown = texts(at)
    assert "United States" in shown and NIMBUS_FILE in shown  # the citation, with its file
    assert "Muster Treuhand AG" in shown
    downloads = at.get("download_button")
    assert len(downloads) == 5  # scenario YAML + DOCX, XLSX, MD, JSON
    assert TEXTS["requirements.questions"][lang] in shown


def test_form_changes_the_selection_and_the_filter_narrows_the_preview(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at = requirements_page(monkeypatch, tmp_path)  # no documents: everything open
    at.selectbox(key="rq_base").set_value(str(SCENARIOS / "onlineshop.yaml")).run()
    assert TEXTS["requirements.no_documents"]["de"].format(name="default") in texts(at)
    assert any("KIL-PIO-003" in label for label in expander_labels(at))
    assert not any("KIL-PIO-007" in label for label in expander_labels(at))
    at.selectbox(key="rq_onlineshop_type").set_value("agent_with_tools").run()
    assert_clean(at)
    assert any("KIL-PIO-007" in label for label in expander_labels(at))  # excessive agency
    at.selectbox(key="rq_onlineshop_deploy").set_value("self_hosted").run()
    labels = expander_labels(at)
    assert any("KIL-INT-008" in label for label in labels)
    assert not any("KIL-VEN-002" in label for label in labels)
    at.multiselect(key="rq_filter").set_value(["conflicting"]).run()
    assert TEXTS["requirements.none_shown"]["de"] in texts(at)
    at.text_input(key="rq_onlineshop_country").set_value("Schweiz").run()
    warnings = [w.value for w in at.warning]
    assert warnings and "company.country" in warnings[0]
    assert not at.exception


def test_an_incomplete_form_reads_in_english(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The form's problem names the field in English in the English UI."""
    at = requirements_page(monkeypatch, tmp_path, "en")
    at.selectbox(key="rq_base").set_value(str(SCENARIOS / "onlineshop.yaml")).run()
    at.text_input(key="rq_onlineshop_country").set_value("Schweiz").run()
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(
        "The scenario is not complete yet: field 'company.country': String should match pattern"
    )
    assert "Feld" not in warnings[0]
    assert not at.exception


def test_uploaded_scenario_and_broken_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    at = requirements_page(monkeypatch, tmp_path, "en")
    at.selectbox(key="rq_base").set_value("__upload__").run()
    assert TEXTS["requirements.upload_first"]["en"] in texts(at)
    data = yaml.safe_load((SCENARIOS / "manufacturer.yaml").read_text("utf-8"))
    data["company"]["name"] = "Eigene Fabrik AG"
    at.file_uploader(key="rq_upload").set_value(
        ("eigen.yaml", yaml.safe_dump(data, allow_unicode=True).encode(), "text/yaml")
    ).run()
    assert_clean(at)
    assert "Eigene Fabrik AG" in texts(at)
    assert any("KIL-PIO-007" in label for label in expander_labels(at))
    data["ai_service"]["deployment"] = "mond"
    at.file_uploader(key="rq_upload").set_value(
        ("kaputt.yaml", yaml.safe_dump(data).encode(), "text/yaml")
    ).run()
    errors = [e.value for e in at.error]
    assert errors and "kaputt.yaml" in errors[0] and "ai_service.deployment" in errors[0]
    assert not at.exception
