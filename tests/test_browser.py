"""The main flows in a real browser: Debian's Chromium through Playwright against
``streamlit run app.py`` on loopback, over a temporary data folder.

Each step saves a screenshot under the pytest temporary folder (printed with ``-s``).
Without /usr/bin/chromium these tests fail with a clear message; they never skip for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import fixtures as fx
from tests.browser_screenshots import (
    CHROMIUM,
    MISSING_CHROMIUM,
    AppServer,
    app_server,
    chromium,
    wait_for_app,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser-screenshots")
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[AppServer]:
    root = tmp_path_factory.mktemp("browser-app")
    with app_server(root / "data", root / "streamlit.log") as running:
        # Open the start page once, so the first timed step does not pay the app's start.
        warm = browser.new_page()
        warm.goto(running.url)
        wait_for_app(warm)
        warm.close()
        yield running


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="de-CH")
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    try:
        yield tab
    finally:
        context.close()


def test_first_page_appears_on_a_fresh_data_folder(tmp_path: Path, page: Any, shots: Path) -> None:
    """From process start to the start page's title, on a fresh data folder (how long it
    takes is not asserted: timings belong in ``make bench``)."""
    page.goto("about:blank")
    with app_server(tmp_path / "data", tmp_path / "streamlit.log") as fresh:
        page.goto(fresh.url)
        page.get_by_role("heading", name="Willkommen bei KI-Lotse").wait_for()
        wait_for_app(page)
        page.screenshot(path=str(shots / "01_start.png"), full_page=True)


def test_upload_pdf_and_see_it_listed(
    server: AppServer, page: Any, shots: Path, tmp_path: Path
) -> None:
    pdf = fx.make_policy_pdf(tmp_path / fx.PDF_NAME)
    page.goto(f"{server.url}/wissensbasis")
    wait_for_app(page)
    page.get_by_text("Im Arbeitsbereich").first.wait_for()  # the helpful empty state
    page.locator("input[type=file]").first.set_input_files(str(pdf))
    page.get_by_text(fx.PDF_NAME).first.wait_for()
    page.screenshot(path=str(shots / "02_upload_selected.png"), full_page=True)
    page.get_by_role("button", name="Hochladen und einlesen").click()
    page.get_by_text("1 eingelesen, 0 ersetzt, 0 unverändert, 0 fehlgeschlagen").wait_for(
        timeout=120_000
    )
    wait_for_app(page)
    page.screenshot(path=str(shots / "03_upload_result.png"), full_page=True)
    page.get_by_role("tab", name="Dokumente").click()
    wait_for_app(page)
    page.get_by_text("1 von 1 Dokumenten").wait_for()
    page.get_by_text(f"Datei: {fx.PDF_NAME}").first.wait_for()
    page.get_by_text("Seiten mit Text: 1, 2, 3, 4").wait_for()
    page.screenshot(path=str(shots / "04_documents.png"), full_page=True)


def test_ask_a_question_and_see_a_source(server: AppServer, page: Any, shots: Path) -> None:
    page.goto(f"{server.url}/fragen")
    wait_for_app(page)
    box = page.get_by_role("textbox").last
    box.fill(fx.PDF_QUERY)
    box.press("Enter")
    page.get_by_text("45 Tagen").first.wait_for(timeout=120_000)
    wait_for_app(page)
    page.get_by_text(fx.PDF_NAME).first.wait_for()
    page.screenshot(path=str(shots / "05_chat.png"), full_page=True)


def test_draft_requirements_and_download_the_docx(
    server: AppServer, page: Any, shots: Path, tmp_path: Path
) -> None:
    page.goto(f"{server.url}/anforderungen")
    wait_for_app(page)
    button = page.get_by_role("button", name=re.compile("DOCX|Word")).first
    button.wait_for(timeout=120_000)
    page.screenshot(path=str(shots / "06_requirements.png"), full_page=True)
    with page.expect_download(timeout=120_000) as download:
        button.click()
    target = tmp_path / "anforderungen.docx"
    download.value.save_as(str(target))
    assert target.read_bytes()[:2] == b"PK"  # a DOCX is a zip archive


def test_schedule_shows_the_gantt_chart(server: AppServer, page: Any, shots: Path) -> None:
    page.goto(f"{server.url}/zeitplan")
    wait_for_app(page)
    page.get_by_role("heading", name="Gantt-Diagramm").wait_for()
    chart = page.locator(".vega-embed").first
    chart.wait_for()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 400 and box["height"] > 300
    assert page.locator(".vega-embed canvas, .vega-embed svg").count() >= 1
    page.get_by_role("button", name="Kalender (ICS)").wait_for()
    page.screenshot(path=str(shots / "07_schedule.png"), full_page=True)


def test_switch_the_language(server: AppServer, page: Any, shots: Path) -> None:
    page.goto(f"{server.url}/glossar")
    wait_for_app(page)
    page.get_by_role("heading", name="Glossar").wait_for()
    page.locator('[data-testid="stSidebar"]').get_by_text("English").click()
    page.get_by_role("heading", name="Glossary").wait_for()
    wait_for_app(page)
    assert page.locator('[data-testid="stSidebar"]').get_by_text("Workspace").count() >= 1
    page.get_by_role("link", name="Knowledge base").click()
    page.get_by_role("heading", name="Knowledge base").wait_for()
    page.screenshot(path=str(shots / "08_english.png"), full_page=True)
