"""Every page renders in German and English without exception or error box, under its own
title, with the workspace name shown and the sidebar (workspace, language) present."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app_support import PAGES, assert_clean, open_page, start_app, texts, use_tmp_store
from ui.i18n import TEXTS


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_renders(
    page: str, lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_tmp_store(monkeypatch, tmp_path, lang)
    at = start_app()
    assert_clean(at)
    open_page(at, page)
    assert_clean(at)
    assert TEXTS[PAGES[page]][lang] in [t.value for t in at.title]
    workspace_label = TEXTS["common.workspace_caption"][lang].format(name="default")
    assert workspace_label in [c.value for c in at.caption]
    assert at.sidebar.selectbox[0].value == "default"
    assert at.sidebar.radio[0].value == lang


def test_home_helps_when_empty(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_tmp_store(monkeypatch, tmp_path, "de")
    at = start_app()
    shown = texts(at)
    assert "noch leer" in shown
    assert "Die sieben Schritte" in shown
    assert "Regelmässig überprüfen und optimieren" in shown
    assert "Offline: keine Daten verlassen diesen Rechner" in shown


def test_first_run_creates_default_workspace(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_tmp_store(monkeypatch, tmp_path, "de")
    start_app()
    assert (tmp_path / "chroma").is_dir()
