"""Cross-lingual search through the German <-> English lexicon (``kb.lexicon``).

A German question must reach the English passage that answers it through the keyword
ranking too, not only through the multilingual embeddings: the lexicon's translations
join the BM25 query and count in the sentence pass as alternatives of their word.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chains.answering.evidence import QuestionTerms
from core.errors import KnowledgeError
from core.factory import LEXICON_FILE, LEXICON_FORMS_FILE
from ingest.pipeline import IngestOptions, ingest_paths
from kb.analysis import query_term_groups, stem
from kb.expansion import TRANSLATION_WEIGHT, GlossaryExpander
from kb.keyword import KeywordIndex
from kb.keyword_terms import DocumentTerms
from kb.lexicon import Lexicon
from tests.conftest import MakeServices

ROOT = Path(__file__).resolve().parent.parent
LINES = [
    "# a comment line",
    "Kundendaten\tcustomer data; client data",
    "beschriften\tlabel; annotate; mark",
    "Zustimmung\tconsent; approval",
    "Erklärung\tdeclaration; statement",
    "aufbewahren\tkeep; retain; store",
    "speichern\tstore; save",
    "Gericht\tcourt",
    "Beschluss\tdecision; order",
    "intern\tinternal",
    "buchen\tbook; post",
    "hochladen\tupload",
]


@pytest.fixture()
def lexicon(tmp_path: Path) -> Lexicon:
    path = tmp_path / "lexicon.tsv"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return Lexicon.load(path)


def test_inflected_german_words_find_their_lemma(lexicon: Lexicon) -> None:
    found = lexicon.translate("Werden die Kundendaten beschriftet und aufbewahrt?")
    assert found["kundendaten"] == ("custom", "data", "client")
    assert found["beschriftet"] == ("label", "annot")  # two senses, not the third
    assert found["aufbewahrt"] == ("keep", "retain")
    assert "gespeichert" in lexicon.translate("Sie werden gespeichert.")


def test_adjective_endings_and_participles_are_undone(lexicon: Lexicon) -> None:
    found = lexicon.translate("die internen, gebuchten und hochgeladenen Dateien")
    assert found["internen"] == ("internal",)
    assert found["gebuchten"] == ("book", "post")
    assert found["hochgeladenen"] == ("upload",)


def test_english_words_find_the_german_lemma(lexicon: Lexicon) -> None:
    found = lexicon.translate("Do we need the customer's consent before labelling?")
    assert found["consent"] == (stem("zustimmung", "de"),)
    assert found["labelling"] == (stem("beschriften", "de"),)


def test_unknown_compound_is_read_as_head_and_tail(lexicon: Lexicon) -> None:
    found = lexicon.translate("Reicht eine Zustimmungserklärung? Gibt es einen Gerichtsbeschluss?")
    assert found["zustimmungserklärung"] == ("consent", "declar")
    assert found["gerichtsbeschluss"] == ("court", "decis")


def test_irregular_verb_forms_are_led_to_their_infinitive(tmp_path: Path) -> None:
    words = tmp_path / "lexicon.tsv"
    words.write_text("empfehlen\trecommend; advise\nerfinden\tinvent; make up\n", "utf-8")
    forms = tmp_path / "forms.tsv"
    forms.write_text("empfiehlt\tempfehlen\nerfunden\terfinden\n", "utf-8")
    lexicon = Lexicon.load(words, forms)
    found = lexicon.translate("Was empfiehlt das BSI gegen erfundene Quellen?")
    assert found["empfiehlt"] == ("recommend", "advis")
    assert found["erfundene"] == ("invent", "make", "up")  # form + adjective ending
    assert "empfiehlt" not in Lexicon.load(words).translate("Was empfiehlt das BSI?")


def test_stop_words_numbers_and_unknown_words_are_not_translated(lexicon: Lexicon) -> None:
    assert lexicon.translate("Wie viele der 30 Tage und Xylophone?") == {}


def test_a_malformed_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.tsv"
    path.write_text("Vertrag\tcontract\nRechnung invoice\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"broken\.tsv, line 2"):
        Lexicon.load(path)
    words = tmp_path / "words.tsv"
    words.write_text("geben\tgive\n", encoding="utf-8")
    forms = tmp_path / "forms.tsv"
    forms.write_text("# irregular forms\ngibt\tgeben\ngab\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"forms\.tsv, line 3"):
        Lexicon.load(words, forms)


def test_the_shipped_lexicon_loads_and_covers_everyday_business_words() -> None:
    lexicon = Lexicon.load(ROOT / "data" / LEXICON_FILE, ROOT / "data" / LEXICON_FORMS_FILE)
    assert len(lexicon.de_en) > 5000 and len(lexicon.forms) > 5000
    found = lexicon.translate("Vertrag Rechnung Mitarbeitende Schwachstelle empfiehlt")
    assert "recommend" in found["empfiehlt"]
    assert "contract" in found["vertrag"]
    assert "invoic" in found["rechnung"]
    assert "employe" in found["mitarbeitende"]
    assert "vulner" in found["schwachstelle"]


def test_the_shipped_lexicon_knows_deadlines_places_and_institutions() -> None:
    """Questions name periods, countries and authorities: "innert 30 Tagen", "ins
    Ausland", "Swiss law", "EDÖB"."""
    lexicon = Lexicon.load(ROOT / "data" / LEXICON_FILE, ROOT / "data" / LEXICON_FORMS_FILE)
    found = lexicon.translate("Stunden Tagen Ausland Deutschland EDÖB Prozent")
    assert "hour" in found["stunden"] and "day" in found["tagen"]
    assert "abroad" in found["ausland"] and "germani" in found["deutschland"]
    assert "fdpic" in found["edöb"] and "percent" in found["prozent"]
    back = lexicon.translate("Swiss abroad")
    assert {"schweiz", "ausland"} <= {t for terms in back.values() for t in terms}


def _index(chunks: list[tuple[str, str, str]]) -> KeywordIndex:
    index = KeywordIndex()
    for cid, text, lang in chunks:
        index.add_document(cid, DocumentTerms.from_chunks("v1", [(cid, text, lang)], set()))
    return index


def test_a_german_question_reaches_the_english_passage_by_keywords(lexicon: Lexicon) -> None:
    index = _index(
        [
            ("en-1", "Customer data must be labelled by trained staff before training.", "en"),
            ("en-2", "The model is deployed in a container and monitored daily.", "en"),
            ("de-1", "Die Vorlage wird jedes Jahr überarbeitet.", "de"),
        ]
    )
    question = "Wer beschriftet unsere Kundendaten?"
    without = GlossaryExpander([]).expand(question)
    assert index.search(without.terms, 3) == []  # no German word occurs in English text
    expanded = GlossaryExpander([], lexicon).expand(question)
    assert ("label", TRANSLATION_WEIGHT) in expanded.terms
    assert [cid for cid, _ in index.search(expanded.terms, 3)][:1] == ["en-1"]


def test_a_translation_counts_once_for_its_word_in_the_sentence_pass(lexicon: Lexicon) -> None:
    question = "Wer beschriftet die Kundendaten?"
    translations = lexicon.translate(question)
    groups = query_term_groups(question, set(), lambda t: 0, translations)
    label_groups = [g for g in groups if "label" in g]
    assert label_groups == [frozenset({stem("beschriftet", "de"), "beschriftet", "label", "annot"})]
    sentence = "Customer data must be labelled by trained staff."
    terms = QuestionTerms(question, lambda t: 1.0, None, translations)
    assert terms.overlap(sentence, "en") == pytest.approx(1.0)
    assert QuestionTerms(question, lambda t: 1.0).overlap(sentence, "en") == 0.0


@pytest.mark.slow
def test_the_search_a_user_runs_uses_the_shipped_lexicon(
    make_services: MakeServices, tmp_path: Path
) -> None:
    """Real model and Chroma: the retriever the services build translates with data/'s
    lexicon, and the German question's search runs through it to the English passage
    (that the keywords alone need the translation is shown at the index level above)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "labelling.md").write_text(
        "# Annotation\n\nCustomer data must be labelled by two trained staff members before "
        "it is used for training.\n",
        "utf-8",
    )
    (folder / "kantine.md").write_text(
        "# Kantine\n\nDie Kantine ist werktags von 11 bis 14 Uhr geöffnet.\n", "utf-8"
    )
    services = make_services()
    ws = services.workspaces.open("kunde", create=True)
    ingest_paths(ws, sorted(folder.iterdir()), IngestOptions(category="policy"))
    retriever = services.retriever("kunde")
    question = "Wer beschriftet unsere Kundendaten?"
    assert "label" in retriever.expander.expand(question).translations["beschriftet"]
    hits = retriever.search(question, k=2)
    assert hits[0].chunk.source == "labelling.md"
