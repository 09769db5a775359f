"""`lotse search`, `lotse docs` and `lotse eval`: JSON contract and behaviour."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.factory import Services, build_services
from kb.embeddings import Embedder
from tests import fixtures as fx
from tests.cli_helpers import DOCS_EXTENSIONS, DOCS_KEYS, SEARCH_KEYS, Run, cli_runner, json_out
from tests.conftest import Docs, make_settings
from tests.store_contract import DOCX_QUERY

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def filled(embedder: Embedder, docs: Docs, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One store for the read-only tests of this module: PDF as policy, the rest guidance."""
    services = build_services(make_settings(tmp_path_factory.mktemp("cli")), embedder=embedder)
    run = cli_runner(services)
    assert run("ingest", str(docs.pdf), "-w", "kunde-a", "--category", "policy").exit_code == 0
    result = run(
        "ingest", str(docs.docx), str(docs.root / "text"), "-w", "kunde-a", "--category", "guidance"
    )
    assert result.exit_code == 0, result.output
    return run


@pytest.fixture
def run(services: Services, docs: Docs) -> Run:
    """A fresh store per test, for tests that change it."""
    run = cli_runner(services)
    assert run("ingest", str(docs.pdf), str(docs.docx), "-w", "kunde-a").exit_code == 0
    return run


def test_search_json_contract(filled: Run) -> None:
    result = filled("search", fx.PDF_QUERY, "-w", "kunde-a", "--k", "4", "--json")
    assert result.exit_code == 0, result.output
    hits = json_out(result)
    assert 1 <= len(hits) <= 4
    assert all(set(h) == SEARCH_KEYS for h in hits)
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1))
    top = hits[0]
    assert (top["source"], top["page"], top["section"], top["category"]) == (
        fx.PDF_NAME,
        fx.PDF_ANSWER_PAGE,
        fx.PDF_ANSWER_SECTION,
        "policy",
    )
    assert fx.PDF_ANSWER in top["text"]  # umlauts intact: JSON is UTF-8, not \\u escapes
    assert "gelöscht" in result.stdout
    others = [h for h in hits if h["source"] != fx.PDF_NAME]
    assert all(h["page"] is None for h in others)  # page only for PDFs


def test_search_text_output_and_category_filter(filled: Run) -> None:
    text = filled("search", fx.PDF_QUERY, "-w", "kunde-a", "--k", "3")
    assert text.exit_code == 0
    assert text.stdout.startswith(f"[1] {fx.PDF_NAME} (S. {fx.PDF_ANSWER_PAGE})")
    guidance = json_out(
        filled("search", fx.PDF_QUERY, "-w", "kunde-a", "--category", "guidance", "--json")
    )
    assert guidance and {h["category"] for h in guidance} == {"guidance"}
    nothing = filled("search", fx.PDF_QUERY, "-w", "kunde-a", "--category", "vendor")
    assert nothing.exit_code == 0 and "Keine Treffer" in nothing.stdout


def test_search_queries_file_answers_each_line(filled: Run, tmp_path: Path) -> None:
    queries = tmp_path / "fragen.jsonl"
    queries.write_text(
        json.dumps({"id": "q1", "question": fx.PDF_QUERY, "lang": "de"}, ensure_ascii=False)
        + "\n\n"
        + json.dumps({"id": 2, "question": DOCX_QUERY}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    result = filled("search", "--queries", str(queries), "-w", "kunde-a", "--k", "3")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [set(line) for line in lines] == [{"id", "results"}] * 2
    assert [line["id"] for line in lines] == ["q1", 2]
    first, second = (line["results"] for line in lines)
    assert all(set(h) == SEARCH_KEYS for h in first + second)
    assert len(first) <= 3 and first[0]["page"] == fx.PDF_ANSWER_PAGE
    assert second[0]["source"] == fx.DOCX_NAME


def test_search_usage_errors(filled: Run, tmp_path: Path) -> None:
    assert filled("search", "-w", "kunde-a").exit_code == 2
    broken = tmp_path / "kaputt.jsonl"
    broken.write_text('{"id": "q1", "question": "frage"}\n{"id": "q2"\n', encoding="utf-8")
    result = filled("search", "--queries", str(broken), "-w", "kunde-a")
    assert result.exit_code == 1
    assert "kaputt.jsonl, Zeile 2" in result.stderr and "Traceback" not in result.output
    lacking = tmp_path / "ohne.jsonl"
    lacking.write_text('{"id": "q1", "frage": "x"}\n', encoding="utf-8")
    result = filled("search", "--queries", str(lacking), "-w", "kunde-a")
    assert result.exit_code == 1 and "question" in result.stderr


def test_docs_list_json_contract(filled: Run) -> None:
    result = filled("docs", "list", "-w", "kunde-a", "--json")
    assert result.exit_code == 0
    rows = json_out(result)
    assert [r["source"] for r in rows] == sorted(
        [
            fx.PDF_NAME,
            fx.DOCX_NAME,
            fx.MD_NAME,
            fx.HTML_NAME,
            fx.TXT_NAME,
            fx.JSON_NAME,
            fx.YAML_NAME,
        ]
    )
    for row in rows:
        assert DOCS_KEYS <= set(row) <= DOCS_KEYS | DOCS_EXTENSIONS
        assert row["chunks"] > 0 and row["language"] == "de" and row["ingested_at"]
    pdf = next(r for r in rows if r["source"] == fx.PDF_NAME)
    assert (pdf["pages"], pdf["category"], pdf["title"]) == (4, "policy", "Richtlinie KI-Nutzung")
    assert all(r["pages"] is None for r in rows if r is not pdf)
    text = filled("docs", "list", "-w", "kunde-a")
    assert pdf["doc_id"] in text.stdout and fx.PDF_NAME in text.stdout


def test_docs_delete_by_name_and_id(run: Run) -> None:
    rows = {r["source"]: r for r in json_out(run("docs", "list", "-w", "kunde-a", "--json"))}
    deleted = run("docs", "delete", fx.PDF_NAME, "-w", "kunde-a")
    assert deleted.exit_code == 0
    assert f"{fx.PDF_NAME} gelöscht ({rows[fx.PDF_NAME]['chunks']} Abschnitte)" in deleted.stdout
    for query in (fx.PDF_QUERY, fx.PDF_ANSWER, "Schulung"):
        hits = json_out(run("search", query, "-w", "kunde-a", "--k", "20", "--json"))
        assert all(h["source"] != fx.PDF_NAME for h in hits)
    by_id = run("docs", "delete", rows[fx.DOCX_NAME]["doc_id"], "-w", "kunde-a")
    assert by_id.exit_code == 0
    assert json_out(run("docs", "list", "-w", "kunde-a", "--json")) == []
    assert json_out(run("search", DOCX_QUERY, "-w", "kunde-a", "--json")) == []
    again = run("docs", "delete", fx.PDF_NAME, "-w", "kunde-a")
    assert again.exit_code == 1 and f"'{fx.PDF_NAME}' gibt es" in again.stderr


def _questions(path: Path) -> Path:
    rows = [
        {
            "id": "t-de01",
            "lang": "de",
            "question": fx.PDF_QUERY,
            "source_file": fx.PDF_NAME,
            "locator": f"page {fx.PDF_ANSWER_PAGE} (3 Aufbewahrung)",
            "key_phrase": "nach 45 Tagen automatisch",
        },
        {
            "id": "t-de02",
            "lang": "de",
            "question": DOCX_QUERY,
            "source_file": fx.DOCX_NAME,
            "locator": "Speicherfristen",
            "key_phrase": "nach zwölf Monaten vernichtet",
        },
        {
            "id": "t-en01",
            "lang": "en",
            "question": "After how many days are chatbot logs deleted?",
            "source_file": fx.PDF_NAME,
            "locator": f"page {fx.PDF_ANSWER_PAGE}",
            "key_phrase": "45 Tagen",
            "cross_lingual": True,
        },
        {
            "id": "t-en02",
            "lang": "en",
            "question": "Which office snacks are recommended?",
            "source_file": fx.TXT_NAME,
            "locator": "",
            "key_phrase": "Obstkorb",
        },
    ]
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def test_eval_reports_recall_mrr_per_language_and_misses(filled: Run, tmp_path: Path) -> None:
    questions = _questions(tmp_path / "fragen.jsonl")
    result = filled("eval", "-w", "kunde-a", "--questions", str(questions), "--k", "5")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("all  n=  4") and "R@5" in lines[0] and "MRR@10" in lines[0]
    assert lines[1].startswith("de   n=  2") and lines[2].startswith("en   n=  2")
    assert any(line.startswith("MISS t-en02") for line in lines)

    data = json_out(filled("eval", "-w", "kunde-a", "--questions", str(questions), "--json"))
    metrics = data["metrics"]
    assert set(metrics) == {"all", "de", "en"}
    assert set(metrics["all"]) == {"n", "recall@1", "recall@5", "recall@10", "mrr@10"}
    assert metrics["de"]["recall@1"] == 1.0 and metrics["de"]["mrr@10"] == 1.0
    assert metrics["all"]["recall@10"] <= 0.75  # the snack question has no answer
    assert [m["id"] for m in data["misses"]][-1] == "t-en02"
    ranks = {r["id"]: r["rank"] for r in data["rows"]}
    assert ranks["t-de01"] == 1 and ranks["t-de02"] == 1 and ranks["t-en02"] is None
