"""Anbieter vergleichen in AppTest, in German and English, with the real model and store:
the two fictional sheets give a colour-coded matrix, a cell shows its evidence, the scores
list the unknowns apart, and the four downloads are offered."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.factory import build_services
from ingest.pipeline import IngestOptions, ingest_paths
from kb.embeddings import Embedder
from tests.app_support import assert_clean, open_page, start_app, texts, use_tmp_store
from tests.conftest import make_settings
from ui.i18n import TEXTS

pytestmark = pytest.mark.slow

PAGE = "views/vendors.py"
EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
SHEETS = {
    "Alpina AI": EXAMPLES / "vendor_alpina_ai_factsheet_de.md",
    "Nimbus Chat": EXAMPLES / "vendor_nimbus_chat_factsheet_en.md",
}


def fill_store(data_dir: Path, embedder: Embedder, vendors: dict[str, Path]) -> None:
    services = build_services(make_settings(data_dir), embedder=embedder)
    ws = services.workspaces.open("default", create=True)
    for vendor, path in vendors.items():
        ingest_paths(ws, [path], IngestOptions(category="vendor", vendor=vendor))


def vendors_page(monkeypatch: pytest.MonkeyPatch, data_dir: Path, lang: str) -> AppTest:
    use_tmp_store(monkeypatch, data_dir, lang)
    at = open_page(start_app(), PAGE)
    assert_clean(at)
    return at


@pytest.mark.parametrize("lang", ["de", "en"])
def test_compare_shows_matrix_evidence_scores_downloads(
    lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, embedder: Embedder
) -> None:
    fill_store(tmp_path / "data", embedder, SHEETS)
    at = vendors_page(monkeypatch, tmp_path / "data", lang)
    assert at.multiselect(key="vd_vendors").value == ["Alpina AI", "Nimbus Chat"]
    at.button(key="vd_run").click().run()
    assert_clean(at)

    matrix = at.dataframe[0].value
    assert list(matrix.columns) == [TEXTS["vendors.col.weight"][lang], "Alpina AI", "Nimbus Chat"]
    residency = next(i for i in matrix.index if i.startswith(("Datenstandort", "Data residency")))
    fulfilled, not_fulfilled = (
        ("✔ erfüllt", "✘ nicht erfüllt") if lang == "de" else ("✔ fulfilled", "✘ not fulfilled")
    )
    assert matrix.loc[residency, "Alpina AI"] == fulfilled
    assert matrix.loc[residency, "Nimbus Chat"] == not_fulfilled

    # a cell: Nimbus Chat on training shows the cited opt-out sentence
    at.selectbox(key="vd_cell_criterion").set_value("training_on_customer_data")
    at.selectbox(key="vd_cell_vendor").set_value("Nimbus Chat").run()
    assert_clean(at)
    shown = texts(at)
    assert "unless the customer opts out" in shown
    assert "vendor_nimbus_chat_factsheet_en.md" in shown

    # a cell without evidence says so and asks the question
    at.selectbox(key="vd_cell_criterion").set_value("audit_logging").run()
    assert TEXTS["vendors.no_evidence"][lang].split("{")[0].strip() in texts(at)

    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Alpina AI"] == "100"
    assert TEXTS["vendors.unknowns"][lang] in texts(at)
    unknowns = "\n".join(m.value for m in at.markdown)
    assert "**Nimbus Chat** –" in unknowns
    recommendation = "Empfehlung: Alpina AI" if lang == "de" else "Recommendation: Alpina AI"
    assert recommendation in unknowns
    assert len(at.get("download_button")) == 4


def test_too_few_tagged_vendors_explains(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, embedder: Embedder
) -> None:
    fill_store(tmp_path / "data", embedder, {"Alpina AI": SHEETS["Alpina AI"]})
    at = vendors_page(monkeypatch, tmp_path / "data", "de")
    assert "erst 1 Anbieter" in texts(at)
    assert not at.get("download_button")
