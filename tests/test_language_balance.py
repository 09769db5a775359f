"""The second model's language balance (kb/language_balance.py), the documents held in
two languages, and the keyword index's chunk -> document map it resolves languages
through; numbers and the shipped lexicon, no model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.domain import DocumentInfo
from kb.keyword import KeywordIndex
from kb.keyword_terms import DocumentTerms
from kb.language_balance import (
    MIN_SAMPLED,
    ChunkLanguages,
    cross_lingual_closeness,
    language_offsets,
    twin_languages,
)
from kb.lexicon import Lexicon


def _sample(per_language: int, shift: float) -> tuple[np.ndarray, list[str | None]]:
    """Unit vectors whose cosine to e_0 is 0.2 + noise for English and 0.2 + shift +
    noise for German passages."""
    rng = np.random.default_rng(7)
    rows = []
    for lang_shift in (0.0, shift):
        for _ in range(per_language):
            cos = 0.2 + lang_shift + rng.normal(0, 0.02)
            rest = rng.normal(size=7)
            rest *= np.sqrt(1 - cos**2) / np.linalg.norm(rest)
            rows.append(np.concatenate([[cos], rest]))
    languages: list[str | None] = ["en"] * per_language + ["de"] * per_language
    return np.asarray(rows, dtype=np.float32), languages


QUESTION = np.eye(8, dtype=np.float32)[0]


def test_each_languages_offset_is_its_mean_cosine_above_the_sample_mean() -> None:
    sample, languages = _sample(40, shift=0.06)
    offsets = language_offsets(sample, languages, QUESTION, share=1.0)
    cos = sample @ QUESTION
    assert offsets.by_language["de"] == pytest.approx(cos[40:].mean() - cos.mean(), abs=1e-6)
    assert offsets.by_language["en"] == pytest.approx(cos[:40].mean() - cos.mean(), abs=1e-6)
    assert offsets.by_language["de"] == pytest.approx(0.03, abs=0.01)
    # balanced: both languages centre on the sample mean, the spread loses the gap
    balanced = offsets.apply({"a": 0.5, "b": 0.5, "c": 0.5}, {"a": "de", "b": "en"}.get)
    assert balanced["a"] < balanced["c"] < balanced["b"]
    assert balanced["b"] - balanced["a"] == pytest.approx(cos[40:].mean() - cos[:40].mean())
    assert offsets.stats is not None
    assert offsets.stats.mean == pytest.approx(cos.mean(), abs=1e-6)
    assert offsets.stats.sd < cos.std() / 1.5

    half = language_offsets(sample, languages, QUESTION, share=0.5)
    assert half.by_language["de"] == pytest.approx(offsets.by_language["de"] / 2)


def test_nothing_is_balanced_without_two_well_sampled_languages() -> None:
    sample, languages = _sample(40, shift=0.06)
    assert not language_offsets(sample[:40], languages[:40], QUESTION, 1.0).by_language
    assert not language_offsets(sample, languages, QUESTION, 0.0).by_language
    few = MIN_SAMPLED - 1
    thin = np.vstack([sample[:40], sample[40 : 40 + few]])
    assert not language_offsets(thin, languages[: 40 + few], QUESTION, 1.0).by_language
    unknown: list[str | None] = [None] * 80
    assert not language_offsets(sample, unknown, QUESTION, 1.0).by_language
    # a chunk of an unknown or unsampled language keeps its raw score
    offsets = language_offsets(sample, languages, QUESTION, 1.0)
    assert offsets.apply({"x": 0.4}, lambda cid: None) == {"x": 0.4}
    assert offsets.apply({"x": 0.4}, lambda cid: "fr") == {"x": 0.4}


def test_the_keyword_index_knows_the_document_of_each_live_chunk() -> None:
    index = KeywordIndex()
    for doc_id, stamp, words in (("d1", "v1", "Daten Schulung"), ("d2", "v1", "model audit")):
        chunks = [(f"{doc_id}-{stamp}-{i}", f"{words} {i}", "de") for i in range(3)]
        index.add_document(doc_id, DocumentTerms.from_chunks(stamp, chunks, set()))
    assert index.documents_of(["d1-v1-0", "d2-v1-2", "unknown"]) == {
        "d1-v1-0": "d1",
        "d2-v1-2": "d2",
    }
    # a replaced version's chunks are gone, the new version's are found
    new = [("d1-v2-0", "Daten Schulung neu", "de")]
    index.add_document("d1", DocumentTerms.from_chunks("v2", new, set()))
    assert index.documents_of(["d1-v1-0", "d1-v2-0"]) == {"d1-v2-0": "d1"}
    index.remove_document("d2")
    assert index.documents_of(["d2-v1-0"]) == {}


def test_closeness_adds_the_gap_only_to_passages_in_another_language() -> None:
    language = {"de-1": "de", "en-1": "en", "x": None}.get
    cosines = {"de-1": 0.85, "en-1": 0.83, "x": 0.84}
    # a German question: the English passage gets the gap back and wins
    assert cross_lingual_closeness(cosines, language, "de", 0.03) == pytest.approx(0.86)
    # an English question: the German passage gets the gap back instead
    assert cross_lingual_closeness(cosines, language, "en", 0.03) == pytest.approx(0.88)
    assert cross_lingual_closeness(cosines, language, "de", 0.0) == pytest.approx(0.85)
    # an unknown language on either side is never foreign
    assert cross_lingual_closeness({"x": 0.84}, language, "de", 0.03) == pytest.approx(0.84)
    assert cross_lingual_closeness(cosines, language, "", 0.03) == pytest.approx(0.85)
    assert cross_lingual_closeness({}, language, "de", 0.03) == 0.0


def _info(doc_id: str, title: str, language: str) -> DocumentInfo:
    return DocumentInfo(doc_id, f"{doc_id}.md", title, "guidance", language, None, 1, "", "")


def _registry(*infos: DocumentInfo) -> dict[str, DocumentInfo]:
    return {info.doc_id: info for info in infos}


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    data = Path(__file__).resolve().parent.parent / "data"
    return Lexicon.load(data / "lexicon_de_en.tsv", data / "lexicon_forms_de.tsv")


def test_a_document_held_in_both_languages_is_found_by_its_translated_title(
    lexicon: Lexicon,
) -> None:
    docs = _registry(
        _info("de5", "Schritt 5: Mitarbeitende schulen", "de"),
        _info("en5", "Step 5: Train staff", "en"),
        _info("en1", "Step 1: Analyse the IT landscape", "en"),
        _info("de-faq", "Häufige Fragen der Geschäftsführung zur sicheren KI-Einführung", "de"),
        _info("en-faq", "Frequent management questions on introducing AI securely", "en"),
        _info("llm01-de", "LLM01:2025 Prompt Injection", "de"),
        _info("llm01-en", "LLM01:2025 Prompt Injection", "en"),
        _info("llm08-en", "LLM08:2025 Vector and Embedding Weaknesses", "en"),
        _info("dsg", "Bundesgesetz über den Datenschutz (Datenschutzgesetz, DSG)", "de"),
        _info("azure", "Data, privacy, and security for Azure Direct Models", "en"),
        _info("de5-copy", "Schritt 5: Mitarbeitende schulen", "de"),  # same language
    )
    twins = twin_languages(docs, lexicon)
    assert twins["de5"] == twins["de-faq"] == twins["llm01-de"] == frozenset({"en"})
    assert twins["en5"] == twins["en-faq"] == twins["llm01-en"] == frozenset({"de"})
    # other numbers, other topics, or the same language: not a translation
    for alone in ("en1", "llm08-en", "dsg", "azure"):
        assert alone not in twins
    assert twins["de5-copy"] == frozenset({"en"})  # a copy of de5: its twin is en5 too


def test_a_twin_in_the_questions_language_takes_the_lift_away(lexicon: Lexicon) -> None:
    docs = _registry(
        _info("de5", "Schritt 5: Mitarbeitende schulen", "de"),
        _info("en5", "Step 5: Train staff", "en"),
        _info("en8", "LLM08:2025 Vector and Embedding Weaknesses", "en"),
    )
    index = KeywordIndex()
    for doc_id in docs:
        chunks = [(f"{doc_id}-0", "Schulung training staff", "de")]
        index.add_document(doc_id, DocumentTerms.from_chunks("v1", chunks, set()))
    languages = ChunkLanguages(index, docs)
    assert languages(["de5-0", "en5-0", "en8-0", "gone"]) == ["de", "en", "en", None]
    as_german = languages.balanced_as("de", twin_languages(docs, lexicon))
    # the English rendering of a document the workspace holds in German counts as German
    assert [as_german(c) for c in ("de5-0", "en5-0", "en8-0", "gone")] == ["de", "de", "en", None]
    as_english = languages.balanced_as("en", twin_languages(docs, lexicon))
    assert [as_english(c) for c in ("de5-0", "en5-0", "en8-0")] == ["en", "en", "en"]
