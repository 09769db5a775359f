"""Tables in PDFs read as rows of cells: a generated policy page end to end (loader,
answer), and the detection on layout text for what must stay text (lists, contents,
running prose) and for rows whose cells wrap without blank lines between rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import Limits, load_file
from ingest.loaders.pdf_tables import find_tables, with_tables
from ingest.sentences import readable_tables
from kb.embeddings import Embedder
from tests import chat_support as cs
from tests import fixtures as fx


def test_a_pdf_table_reads_as_rows_under_its_column_names(tmp_path: Path) -> None:
    doc = load_file(fx.make_table_pdf(tmp_path / "datenklassen.pdf"), Limits())
    text = "\n".join(section.text for section in doc.sections)
    statements = readable_tables(text).split("\n")
    assert (
        "Datenklasse: Intern · Cloud-Chatbot erlaubt: Nur mit Auftragsverarbeitungsvertrag "
        "und nach Prüfung durch die Informatik · Aufbewahrung: 90 Tage"
    ) in statements  # the wrapped cell is one cell again, in its row
    assert (
        "Datenklasse: Vertraulich · Cloud-Chatbot erlaubt: Nein, nie in externe Dienste · "
        "Aufbewahrung: 30 Tage"
    ) in statements
    # the prose around the table stays prose, not glued to a row
    assert fx.TABLE_PDF_AFTER in statements
    assert "regelt die folgende Tabelle." in text.split("\n\n")[0]


@pytest.mark.slow
def test_an_answer_quotes_the_table_row_that_holds_it(tmp_path: Path, embedder: Embedder) -> None:
    from core.factory import build_services

    services = build_services(cs.chat_settings(tmp_path / "data"), embedder=embedder)
    cs.build_workspace(services, "tab", [fx.make_table_pdf(tmp_path / "datenklassen.pdf")])
    chat = cs.ChatWorld(services, {}).chat("tab")
    answer = chat.ask("Wie lange werden vertrauliche Daten aufbewahrt?")
    assert answer.grounded
    assert "Datenklasse: Vertraulich" in answer.answer and "Aufbewahrung: 30 Tage" in answer.answer


def _layout(*lines: str) -> str:
    return "\n".join(lines)


@pytest.mark.parametrize(
    "layout",
    [
        # a bulleted list: marker and text look like two columns
        _layout(
            "•    Implement AI governance.",
            "•    Extend your security practices with the AI threats and controls.",
            "•    Train the staff who use the assistant every day.",
        ),
        # a table of contents: page numbers at the right edge
        _layout(
            "1.2.2       Risk Tolerance                                      7",
            "1.2.3       Risk Prioritization                                 7",
            "1.2.4       Organizational Integration                          8",
            "3.1         Valid and Reliable                                 13",
        ),
        # justified prose with wide gaps in a short last line
        _layout(
            "Die  Informatik  prüft  jede  Anfrage  an  einen  externen  KI-Dienst  vor  der",
            "Freigabe    und    hält    das    Ergebnis    fest.",
            "Danach entscheidet die Geschäftsleitung über den Einsatz im Betrieb.",
        ),
    ],
)
def test_lists_contents_and_prose_are_no_tables(layout: str) -> None:
    assert find_tables(layout) == []
    plain = "\n".join(" ".join(line.split()) for line in layout.split("\n"))
    assert with_tables(plain, layout) == plain


def test_rows_whose_cells_wrap_without_blank_lines_are_joined() -> None:
    layout = _layout(
        "Resource               Description                  Where to use it",
        "MITRE ATT&CK           Knowledge base of            Threat models and",
        "                       adversary tactics            methodologies.",
        "ATT&CK Workbench       Create or extend             Host a customized copy",
        "                       ATT&CK data locally.         of the knowledge base.",
        "Atomic Red Team        Library of tests.            Validate controls.",
    )
    (table,) = find_tables(layout)
    assert table.rows == (
        ("Resource", "Description", "Where to use it"),
        ("MITRE ATT&CK", "Knowledge base of adversary tactics", "Threat models and methodologies."),
        (
            "ATT&CK Workbench",
            "Create or extend ATT&CK data locally.",
            "Host a customized copy of the knowledge base.",
        ),
        ("Atomic Red Team", "Library of tests.", "Validate controls."),
    )


def test_a_table_whose_words_the_plain_text_does_not_hold_leaves_the_page_alone() -> None:
    layout = _layout(
        "Rolle            Freigabe         Pflicht",
        "Leitung          Ja               Budget",
        "Informatik       Nein             Prüfung",
    )
    plain = "Rolle Freigabe Pflicht\nLeitung Ja Budget\nInformatik Nein Test"
    assert find_tables(layout)
    assert with_tables(plain, layout) == plain


def test_a_long_pdf_is_read_without_tables_to_stay_inside_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ingest.loaders.pdf_loader as pdf_loader

    monkeypatch.setattr(pdf_loader, "TABLE_PAGES", 0)  # the one page is "too many"
    path = fx.make_table_pdf(tmp_path / "datenklassen.pdf")
    doc = load_file(path, Limits(parse_timeout_s=0))  # in process, so the patch applies
    text = "\n".join(section.text for section in doc.sections)
    assert "| Intern |" not in text and "Intern Nur mit" in text


def test_right_aligned_numbers_and_a_page_number_below_the_table() -> None:
    def line(name: str, price: str, period: str = "", note: str = "") -> str:
        # the price ends two spaces before the next column, as a PDF printer places it
        return (name.ljust(31) + price.rjust(17) + "  " + period.ljust(19) + note).rstrip()

    layout = _layout(
        "Dienst".ljust(31) + "Preis (CHF)".ljust(19) + "Frist".ljust(19) + "Bemerkung",
        "",
        line("Chatbot Basic", "49.00", "30 Tage"),
        "",
        line("Chatbot Pro", "199.00", "90 Tage", "inkl. Support"),
        "",
        line("Übersetzer", "12.50", "", "monatlich kündbar"),
        "",
        "",
        " " * 76 + "12",
    )
    (table,) = find_tables(layout)
    assert table.rows == (
        ("Dienst", "Preis (CHF)", "Frist", "Bemerkung"),
        ("Chatbot Basic", "49.00", "30 Tage", ""),
        ("Chatbot Pro", "199.00", "90 Tage", "inkl. Support"),
        ("Übersetzer", "12.50", "", "monatlich kündbar"),
    )


def test_a_table_is_found_after_a_sentence_that_starts_like_its_header() -> None:
    layout = _layout(
        "Rolle            Freigabe         Pflicht",
        "Leitung          Ja               Budget",
        "Informatik       Nein             Prüfung",
    )
    plain = (
        "Rolle und Pflicht jeder Stelle stehen unten.\n"
        "Rolle Freigabe Pflicht\nLeitung Ja Budget\nInformatik Nein Prüfung\nEnde."
    )
    assert with_tables(plain, layout).split("\n") == [
        "Rolle und Pflicht jeder Stelle stehen unten.",
        "",
        "| Rolle | Freigabe | Pflicht |",
        "| --- | --- | --- |",
        "| Leitung | Ja | Budget |",
        "| Informatik | Nein | Prüfung |",
        "",
        "Ende.",
    ]


def test_a_row_named_by_a_number_is_a_row_even_when_its_text_runs_on() -> None:
    layout = _layout(
        "Revision      Date              Description",
        "1.0           2024-02-19        public release v 1.0",
        "1.1           2024-04-10        public release v 1.1",
        "1.2           2024-09-30        corrected edition of the checklist",
    )
    (table,) = find_tables(layout)
    assert [row[0] for row in table.rows] == ["Revision", "1.0", "1.1", "1.2"]
