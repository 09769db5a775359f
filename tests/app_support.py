"""Shared helpers of the Streamlit tests: start the app on a temporary data folder and
assert what a user would see (no exception, no error box, the page's title)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
TIMEOUT = 120.0

# page file -> key of its title in ui.i18n (the pages this issue owns or registers)
PAGES = {
    "views/home.py": "home.title",
    "views/chat.py": "chat.title",
    "views/requirements.py": "nav.requirements",
    "views/schedule.py": "schedule.title",
    "views/vendors.py": "nav.vendors",
    "views/knowledge.py": "knowledge.title",
    "views/glossary.py": "glossary.title",
    "views/settings.py": "settings.title",
    "views/training.py": "training.title",
    "views/audit.py": "audit.title",
}


def use_tmp_store(monkeypatch: pytest.MonkeyPatch, data_dir: Path, lang: str = "de") -> None:
    """Point the app at ``data_dir`` (never the real .lotse) and pick the UI language."""
    monkeypatch.setenv("LOTSE_DATA_DIR", str(data_dir))
    monkeypatch.setenv("LOTSE_UI_LANGUAGE", lang)
    monkeypatch.setenv("LOTSE_LLM_PROVIDER", "none")


def start_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    return at.run()


def open_page(at: AppTest, page: str) -> AppTest:
    return at.switch_page(page).run()


def problems(at: AppTest) -> list[str]:
    """Exceptions and error boxes on the current page, as text."""
    return [f"exception: {e.value}" for e in at.exception] + [f"error: {e.value}" for e in at.error]


def assert_clean(at: AppTest) -> None:
    assert not problems(at), problems(at)


def texts(at: AppTest) -> str:
    """All visible text of the main area and the sidebar, for loose assertions."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "success",
        "warning",
        "error",
        "text",
    ):
        parts += [str(getattr(e, "value", "")) for e in getattr(at, kind)]
    return "\n".join(parts)


def charts(at: AppTest) -> list[Any]:
    """The Vega-Lite (Altair) charts on the page."""
    return list(at.get("vega_lite_chart"))
