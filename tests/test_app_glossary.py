"""Glossar: search finds terms by synonym, abbreviation and without umlauts, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from core.errors import KnowledgeError
from kb.glossary_search import fold, search_glossary
from knowledge.glossary import load_glossary
from tests.app_support import ROOT, assert_clean, open_page, start_app, texts, use_tmp_store
from tests.language_support import english

GLOSSARY = ROOT / "data" / "glossary.yaml"


def test_fold_spells_umlauts_out() -> None:
    assert fold("Folgenabschätzung") == fold("FOLGENABSCHAETZUNG") == "folgenabschaetzung"
    assert fold("Straße") == "strasse"


def test_search_by_synonym_and_word_order() -> None:
    entries = load_glossary(GLOSSARY)
    assert search_glossary(entries, "") == sorted(entries, key=lambda e: fold(e.de))
    hits = search_glossary(entries, "injection prompt")
    assert hits and hits[0].id == "prompt_injection"
    for entry in entries:  # every synonym finds its entry, spelled with or without umlauts
        for synonym in entry.synonyms_de + entry.synonyms_en:
            found = [e.id for e in search_glossary(entries, fold(synonym))]
            assert entry.id in found, (entry.id, synonym)
    assert search_glossary(entries, "zzzz-nichts") == []


@pytest.mark.parametrize(
    ("lang", "query", "term"),
    [
        ("de", "prompt injektion", "Prompt-Injection"),
        ("en", "Prompt-Injection", "prompt injection"),
    ],
)
def test_glossary_page_search(
    lang: str, query: str, term: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_tmp_store(monkeypatch, tmp_path, lang)
    at = open_page(start_app(), "views/glossary.py")
    assert_clean(at)
    total = len(load_glossary(GLOSSARY))
    assert (f"{total} von {total}" if lang == "de" else f"{total} of {total}") in texts(at)
    at.text_input(key="gl_query").set_value(query).run()
    assert_clean(at)
    assert f"**{term}**" in texts(at)
    at.text_input(key="gl_query").set_value("zzzz-nichts").run()
    assert ("Kein Begriff gefunden" if lang == "de" else "No term found") in texts(at)


def _custom_glossary(folder: Path, data: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "glossary.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


BROKEN_ENTRY = {"terms": [{"id": "ki", "de": "KI", "en": "AI", "definition": {"de": "Maschinen"}}]}


def test_custom_glossary_errors_read_in_english_too(tmp_path: Path) -> None:
    """A custom knowledge folder's glossary: German by ``str``, English by ``text("en")``."""
    with pytest.raises(KnowledgeError) as entry:
        load_glossary(_custom_glossary(tmp_path / "entry", BROKEN_ENTRY))
    assert english(entry.value) == "glossary.yaml, entry ki: field 'definition.en': Field required"
    with pytest.raises(KnowledgeError) as shape:
        load_glossary(_custom_glossary(tmp_path / "shape", {"begriffe": []}))
    assert english(shape.value) == "glossary.yaml: expected a list under 'terms'."
    syntax = tmp_path / "syntax" / "glossary.yaml"
    syntax.parent.mkdir()
    syntax.write_text("terms:\n  - id: [ki\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as yaml_error:
        load_glossary(syntax)
    assert english(yaml_error.value).startswith("glossary.yaml (line 3): invalid YAML: ")


def test_glossary_page_shows_a_broken_custom_glossary_in_english(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    knowledge = tmp_path / "knowledge"
    _custom_glossary(knowledge, BROKEN_ENTRY)
    use_tmp_store(monkeypatch, tmp_path / "data", "en")
    monkeypatch.setenv("LOTSE_KNOWLEDGE_DIR", str(knowledge))
    at = open_page(start_app(), "views/glossary.py")
    assert not at.exception
    assert [e.value for e in at.error] == [
        "glossary.yaml, entry ki: field 'definition.en': Field required"
    ]
