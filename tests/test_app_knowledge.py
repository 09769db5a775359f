"""Wissensbasis in AppTest with the real embedding model and a real Chroma folder:
upload several files, see the result table, list, filter, inspect and delete documents,
create, export and import workspaces."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.domain import IngestReport
from ingest.flags import HTML_HIDDEN, describe
from kb.library import workspace_archive_bytes
from tests import fixtures as fx
from tests.app_support import assert_clean, open_page, start_app, texts, use_tmp_store
from tests.conftest import Docs, make_settings
from ui.i18n import TEXTS

pytestmark = pytest.mark.slow

PAGE = "views/knowledge.py"


def knowledge_page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str = "de") -> AppTest:
    use_tmp_store(monkeypatch, tmp_path / "data", lang)
    at = open_page(start_app(), PAGE)
    assert_clean(at)
    return at


def upload(at: AppTest, files: list[Path], category: str = "policy", vendor: str = "") -> None:
    at.file_uploader[0].set_value(
        [(p.name, p.read_bytes(), "application/octet-stream") for p in files]
    )
    labels = {TEXTS["knowledge.upload.category"][lang] for lang in ("de", "en")}
    next(s for s in at.selectbox if s.label in labels).set_value(category)
    if vendor:
        next(t for t in at.text_input if t.label.startswith("Anbieter")).set_value(vendor)
    at.form_submit_button[0].click().run()


def open_tab(at: AppTest, key: str, lang: str = "de") -> None:
    at.session_state["kn_tab"] = TEXTS[key][lang]
    at.run()


def test_upload_widget_states_the_configured_size_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LOTSE_MAX_FILE_MB", "2.5")  # the widget counts whole megabytes
    at = knowledge_page(monkeypatch, tmp_path)
    assert at.file_uploader[0].proto.max_upload_size_mb == 3  # not Streamlit's 200


def test_upload_several_files_reports_each(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, docs: Docs
) -> None:
    at = knowledge_page(monkeypatch, tmp_path)
    assert "noch keine Dokumente" in texts(at)
    upload(at, [docs.pdf, docs.docx, docs.bad["leer.txt"]])
    assert_clean(at)
    report = at.session_state["kn_last_report"]
    assert isinstance(report, IngestReport)
    status = {r.file: r.status for r in report.results}
    assert status == {fx.PDF_NAME: "ingested", fx.DOCX_NAME: "ingested", "leer.txt": "failed"}
    shown = texts(at)
    assert "2 eingelesen, 0 ersetzt, 0 unverändert, 1 fehlgeschlagen" in shown
    table = at.dataframe[0].value
    reason = table.set_index("Datei").loc["leer.txt", "Grund"]
    assert "leer" in reason
    assert "noch keine Dokumente" not in shown

    # the same files again: nothing changes
    upload(at, [docs.pdf])
    assert "0 eingelesen, 0 ersetzt, 1 unverändert" in texts(at)


def test_documents_list_filters_details_and_delete(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, docs: Docs
) -> None:
    at = knowledge_page(monkeypatch, tmp_path)
    upload(at, [docs.pdf], category="policy")
    upload(at, [docs.docx], category="vendor", vendor="Alpina AI")
    open_tab(at, "knowledge.tab.documents")
    assert_clean(at)
    listing = at.dataframe[0].value
    assert sorted(listing["Datei"]) == sorted([fx.PDF_NAME, fx.DOCX_NAME])
    assert "2 von 2 Dokumenten" in texts(at)

    at.multiselect(key="kn_f_category").set_value(["vendor"]).run()
    listing = at.dataframe[0].value
    assert list(listing["Datei"]) == [fx.DOCX_NAME]
    assert list(listing["Anbieter"]) == ["Alpina AI"]
    at.multiselect(key="kn_f_category").set_value([]).run()
    at.text_input(key="kn_f_text").set_value("gibt-es-nicht").run()
    assert TEXTS["knowledge.list.no_match"]["de"] in texts(at)
    at.text_input(key="kn_f_text").set_value("richtlinie").run()

    # details of the PDF: four pages with text, the outline, the first lines
    detail = at.selectbox(key="kn_detail")
    assert len(detail.options) == 1
    shown = texts(at)
    assert f"Seiten mit Text: {', '.join(str(i) for i in range(1, fx.PDF_PAGE_COUNT + 1))}" in shown
    assert fx.PDF_ANSWER_SECTION in shown
    assert "Einleitung" in "\n".join(t.value for t in at.text)
    assert at.metric[0].value == str(fx.PDF_PAGE_COUNT)

    # delete asks first, then deletes
    at.button(key="kn_delete").click().run()
    assert "endgültig" in texts(at)
    at.button(key="kn_delete_no").click().run()
    assert at.dataframe[0].value.shape[0] == 1  # still there
    at.button(key="kn_delete").click().run()
    at.button(key="kn_delete_yes").click().run()
    assert_clean(at)
    at.text_input(key="kn_f_text").set_value("").run()
    assert list(at.dataframe[0].value["Datei"]) == [fx.DOCX_NAME]
    assert "1 von 1 Dokumenten" in texts(at)


def test_workspaces_create_export_import(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, docs: Docs
) -> None:
    at = knowledge_page(monkeypatch, tmp_path)
    upload(at, [docs.pdf])
    open_tab(at, "knowledge.tab.workspaces")
    assert_clean(at)
    assert at.get("download_button")  # export of the current workspace

    create_name = next(t for t in at.text_input if t.label == "Name")
    create_name.set_value("kunde-a")
    at.form_submit_button[0].click().run()
    assert_clean(at)
    assert at.sidebar.selectbox[0].value == "kunde-a"
    assert "kunde-a" in at.sidebar.selectbox[0].options

    bad = next(t for t in at.text_input if t.label == "Name")
    bad.set_value("Kunde A!")
    at.form_submit_button[0].click().run()
    assert any("Ungültiger Name" in e.value for e in at.error)

    # export "default" with the library (the button's callable), import it as "kunde-b"
    from core.factory import build_services

    services = build_services(make_settings(tmp_path / "data"))
    archive = workspace_archive_bytes(services.workspaces, "default")
    at.file_uploader[0].set_value(("default.zip", archive, "application/zip"))
    next(t for t in at.text_input if t.label.startswith("Neuer Name")).set_value("kunde-b")
    at.form_submit_button[1].click().run()
    assert_clean(at)
    assert at.sidebar.selectbox[0].value == "kunde-b"
    overview = at.dataframe[0].value.set_index("Name")
    assert overview.loc["kunde-b", "Dokumente"] == 1
    assert overview.loc["kunde-a", "Dokumente"] == 0


def test_upload_in_english(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, docs: Docs) -> None:
    at = knowledge_page(monkeypatch, tmp_path, "en")
    at.file_uploader[0].set_value([(docs.pdf.name, docs.pdf.read_bytes(), "application/pdf")])
    at.form_submit_button[0].click().run()
    assert_clean(at)
    assert "1 ingested, 0 replaced, 0 unchanged, 0 failed" in texts(at)
    assert "✅ ingested" in list(at.dataframe[0].value["Status"])


def test_a_failed_file_and_a_bad_workspace_name_read_in_english(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, docs: Docs
) -> None:
    """In the English UI the reason column and an error message are English, not German."""
    at = knowledge_page(monkeypatch, tmp_path, "en")
    upload(at, [docs.bad["leer.txt"]])
    assert_clean(at)
    assert "0 ingested, 0 replaced, 0 unchanged, 1 failed" in texts(at)
    table = at.dataframe[0].value.set_index("File")
    assert table.loc["leer.txt", "Status"] == "❌ failed"
    assert table.loc["leer.txt", "Reason"] == "The file is empty."

    open_tab(at, "knowledge.tab.workspaces", "en")
    next(t for t in at.text_input if t.label == "Name").set_value("Kunde A!")
    at.form_submit_button[0].click().run()
    shown = [e.value for e in at.error]
    assert any(e.startswith("Invalid name for a workspace: 'Kunde A!'") for e in shown), shown
    assert not any("Ungültig" in e for e in shown)


def test_details_name_what_ingest_found_in_the_users_language(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, docs: Docs
) -> None:
    at = knowledge_page(monkeypatch, tmp_path)
    upload(at, [docs.text[fx.HTML_NAME]], category="vendor")
    open_tab(at, "knowledge.tab.documents")
    assert_clean(at)
    warnings = " ".join(w.value for w in at.warning)
    assert describe(HTML_HIDDEN, "de") in warnings
    assert HTML_HIDDEN not in warnings  # the stored id is not what a German user reads
