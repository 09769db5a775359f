"""Query analysis (compounds, word groups) and the sentence-coverage second pass."""

from __future__ import annotations

from core.domain import Chunk
from kb.analysis import (
    doc_terms,
    query_compound_parts,
    query_particle_verbs,
    query_term_groups,
    stem,
)
from kb.rerank import SentenceReranker, best_sentence_coverage


def chunk(cid: str, text: str, language: str = "de") -> Chunk:
    return Chunk(
        id=cid,
        text=text,
        doc_id="d",
        source="s.md",
        title="t",
        category="guidance",
        page=None,
        section="",
        language=language,
        content_hash=cid,
        ingested_at="",
        workspace="w",
        position=0,
    )


VOCAB = {"zugang", "schlussel", "cloud", "sprachmodell", "datenschutz"}


def test_unknown_compound_is_split_into_known_parts() -> None:
    parts = query_compound_parts(
        "Können Kriminelle mit Zugangsschlüsseln unsere Cloud anzapfen?", VOCAB, lambda t: 0
    )
    assert parts == ["zugang", "schlussel"]


def test_common_compound_and_short_heads_are_not_split() -> None:
    common = query_compound_parts("Datenschutzbeauftragte", VOCAB | {"beauftragt"}, lambda t: 50)
    assert common == []
    # "Unterlagen" would split into "unt" + "lag" with short parts: refused.
    assert query_compound_parts("Unterlagen", {"unt", "lag", "unter", "lagen"}, lambda t: 0) == []


def test_a_split_particle_verb_is_joined_when_the_index_knows_it() -> None:
    vocab = {stem("aufbereiten", "de"), stem("festlegen", "de"), stem("abschalten", "de")}
    assert query_particle_verbs("Wie bereiten wir unsere Daten für die KI auf?", vocab) == [
        stem("aufbereiten", "de")
    ]
    # finite forms, two clauses; a capitalised noun before the particle is not a verb
    both = query_particle_verbs("Wann schalten wir ab? Wer legt die Regeln fest?", vocab)
    assert both == [stem("abschalten", "de"), stem("festlegen", "de")]
    assert query_particle_verbs("Wir fangen mit dem Daten auf", vocab) == []
    assert query_particle_verbs("Wie bereiten wir das vor?", vocab) == []  # not indexed


def test_bereits_is_a_stop_word_so_it_no_longer_matches_bereiten() -> None:
    assert stem("bereiten", "de") not in doc_terms("Das ist bereits erledigt.", "de")


def test_a_word_is_one_group_of_its_german_and_english_stems() -> None:
    groups = query_term_groups("Training training Modelle", set(), lambda t: 0)
    assert len(groups) == 2
    assert {stem("modelle", "de"), stem("modelle", "en")} <= groups[1]


def test_one_sentence_with_all_words_beats_words_scattered_over_the_chunk() -> None:
    groups = query_term_groups("Schulung für exponierte Führungskräfte", set(), lambda t: 0)
    focused = chunk(
        "f",
        "Einleitung zum Baustein. Exponierte Führungskräfte SOLLTEN eine "
        "vertiefende Schulung erhalten. Weitere Hinweise folgen.",
    )
    scattered = chunk(
        "s",
        "Die Schulung ist jährlich. Führungskräfte tragen Verantwortung. "
        "Exponierte Systeme brauchen Schutz.",
    )
    idf = {t: 1.0 for g in groups for t in g}.get
    assert best_sentence_coverage(focused, groups, lambda t: idf(t) or 0.0) == 1.0
    assert best_sentence_coverage(scattered, groups, lambda t: idf(t) or 0.0) < 0.5


def test_coverage_weights_rare_words_more() -> None:
    groups = query_term_groups("data sponge attack", set(), lambda t: 0)
    rare = {stem("sponge", "en"): 5.0}
    common = chunk("c", "The data is stored. Data data data.", "en")
    sponge = chunk("p", "A sponge input slows the model.", "en")
    score = lambda c: best_sentence_coverage(c, groups, lambda t: rare.get(t, 0.5))  # noqa: E731
    assert score(sponge) > score(common)


def test_reranker_reorders_only_the_top_candidates() -> None:
    groups = query_term_groups("vertiefende Schulung", set(), lambda t: 0)
    chunks = {
        "a": chunk("a", "Allgemeine Regeln für alle."),
        "b": chunk("b", "Eine vertiefende Schulung ist nötig."),
        "c": chunk("c", "Vertiefende Schulung, aber zu weit unten."),
    }
    fused = {"a": 3.0, "b": 2.5, "c": 0.1}
    out = SentenceReranker(depth=2, weight=2.0).rerank(fused, chunks, groups, lambda t: 1.0)
    assert out["b"] > out["a"]
    assert out["c"] == 0.1  # beyond the depth: untouched
    assert SentenceReranker(depth=2, weight=0.0).rerank(fused, chunks, groups, len) == fused
