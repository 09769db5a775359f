"""Schulung in AppTest: the page renders in both languages with plan, handout and quiz; a quiz
answer is checked with explanation and source; a completion result is recorded per workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from knowledge.training import Audience
from tests.app_support import assert_clean, charts, open_page, start_app, texts, use_tmp_store
from tests.training_support import example_kit
from ui.i18n import TEXTS

PAGE = "views/training.py"


def training_page(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str) -> AppTest:
    use_tmp_store(monkeypatch, tmp_path, lang)
    at = open_page(start_app(), PAGE)
    assert_clean(at)
    return at


def _button(at: AppTest, key: str, lang: str) -> object:
    label = TEXTS[key][lang]
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_page_shows_plan_handout_quiz_and_downloads(
    lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at = training_page(monkeypatch, tmp_path, lang)
    assert [x.value for x in at.title] == [TEXTS["training.title"][lang]]
    kit = example_kit("manufacturer", lang)  # type: ignore[arg-type]  # first example
    assert at.dataframe[0].value.shape[0] == len(kit.plan.sessions)
    assert charts(at), "the schedule with the sessions is drawn"
    shown = texts(at)
    handout = kit.handout(Audience.MANAGEMENT)
    assert handout.title in shown
    assert TEXTS["training.no_policy"][lang] in shown
    quiz = kit.quiz(Audience.MANAGEMENT)
    labels = [r.label for r in at.radio]
    assert all(any(q.question in label for label in labels) for q in quiz.questions)
    assert len(at.get("download_button")) == 9
    at.selectbox(key="tr_audience").set_value("staff").run()
    assert_clean(at)
    staff = example_kit("manufacturer", lang, "staff")  # type: ignore[arg-type]
    assert at.dataframe[0].value.shape[0] == len(staff.plan.sessions)


def test_quiz_answers_are_checked_with_explanation(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at = training_page(monkeypatch, tmp_path, "de")
    quiz = example_kit("manufacturer", "de").quiz(Audience.MANAGEMENT)
    first, second = quiz.questions[0], quiz.questions[1]
    at.radio(key=f"tr_answer_management_{first.id}").set_value(first.correct)
    wrong = (second.correct + 1) % len(second.options)
    at.radio(key=f"tr_answer_management_{second.id}").set_value(wrong)
    _button(at, "training.check", "de").click()  # type: ignore[attr-defined]
    at.run()
    assert_clean(at)
    assert "Frage 1: richtig." in [s.value for s in at.success]
    wrong_text = f"Frage 2: falsch. Richtig ist {second.correct_letter}) {second.correct_text}."
    assert wrong_text in [w.value for w in at.warning]
    assert "Frage 3: nicht beantwortet." in texts(at)
    captions = "\n".join(c.value for c in at.caption)
    assert first.explanation in captions and first.source.label in captions
    assert "1/10" in [m.value for m in at.metric]


def test_completion_is_recorded_for_the_workspace(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at = training_page(monkeypatch, tmp_path, "de")
    at.text_input(key="tr_rec_person").input("Anna Muster")
    at.text_input(key="tr_rec_role").input("Einkauf")
    at.number_input(key="tr_rec_score").set_value(80)
    _button(at, "training.record.submit", "de").click()  # type: ignore[attr-defined]
    at.run()
    assert_clean(at)
    assert "Ergebnis für Anna Muster gespeichert." in [s.value for s in at.success]
    stored = (tmp_path / "training" / "default.jsonl").read_text(encoding="utf-8").splitlines()
    row = json.loads(stored[0])
    assert row["person"] == "Anna Muster" and row["score"] == 80 and row["attended"] is True
    table = at.dataframe[-1].value
    assert "Anna Muster" in table.to_string()
