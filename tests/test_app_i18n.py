"""One translation table: every key in both languages, Swiss spelling, every key the code
uses exists; dates and numbers follow the language; the sidebar switch changes the UI."""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path

import pytest

from tests.app_support import ROOT, assert_clean, open_page, start_app, use_tmp_store
from ui.i18n import TEXTS, fmt_date, fmt_datetime, fmt_number, t
from ui.navigation import PAGES

KEY_USE = re.compile(r"""\bt\(\s*f?["']([a-z_.{}0-9]+)["']""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages_and_the_same_placeholders() -> None:
    for key, entry in TEXTS.items():
        assert set(entry) == {"de", "en"}, key
        assert entry["de"].strip() and entry["en"].strip(), key
        assert _fields(entry["de"]) == _fields(entry["en"]), key


def test_german_uses_swiss_spelling() -> None:
    offenders = [key for key, entry in TEXTS.items() if "ß" in entry["de"]]
    assert offenders == []


def test_every_key_used_in_the_app_exists() -> None:
    """Literal keys and the prefixes of f-string keys (``f"status.{x}"``) must be in TEXTS."""
    files = [ROOT / "app.py", *(ROOT / "ui").glob("*.py"), *(ROOT / "views").glob("*.py")]
    missing = []
    for path in files:
        for key in KEY_USE.findall(path.read_text(encoding="utf-8")):
            if "{" in key:
                prefix = key.split("{", 1)[0]
                if not any(k.startswith(prefix) for k in TEXTS):
                    missing.append(f"{path.name}: {key}")
            elif key not in TEXTS:
                missing.append(f"{path.name}: {key}")
    for spec in PAGES:
        for key in (spec.title_key, spec.section_key):
            if key not in TEXTS:
                missing.append(f"navigation: {key}")
    assert missing == []


def test_formatting_follows_the_language() -> None:
    day = dt.date(2026, 12, 21)
    assert fmt_date(day, "de") == "21.12.2026"
    assert fmt_date(day, "en") == "21 Dec 2026"
    assert fmt_number(1234567.891, 1, "de") == "1’234’567.9"
    assert fmt_number(1234567.891, 1, "en") == "1,234,567.9"
    stamp = dt.datetime(2026, 11, 26, 16, 5, tzinfo=dt.UTC)
    local = stamp.astimezone()
    assert fmt_datetime(stamp.isoformat(), "de") == f"{local:%d.%m.%Y %H:%M}"
    assert fmt_datetime("", "de") == "–"
    assert t("knowledge.list.count", "en", shown=1, total=2) == "1 of 2 documents"
    assert t("no.such.key", "de") == "no.such.key"


def test_url_paths_differ_from_page_file_names() -> None:
    """Stable, language-independent URLs that never collide with a script name."""
    for spec in PAGES:
        assert spec.url_path != Path(spec.file).stem, spec


def test_sidebar_language_switch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_tmp_store(monkeypatch, tmp_path, "de")
    at = open_page(start_app(), "views/knowledge.py")
    assert [x.value for x in at.title] == ["Wissensbasis"]
    at.sidebar.radio[0].set_value("en").run()
    assert_clean(at)
    assert [x.value for x in at.title] == ["Knowledge base"]
    assert at.sidebar.selectbox[0].label == "Workspace"
    open_page(at, "views/home.py")
    assert [x.value for x in at.title] == ["Welcome to KI-Lotse"]
    at.sidebar.radio[0].set_value("de").run()
    assert [x.value for x in at.title] == ["Willkommen bei KI-Lotse"]
