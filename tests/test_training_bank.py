"""The shipped training knowledge: question bank, sessions and handout statements validate,
every answer is backed by its cited source in both languages, and broken files are refused
with file, entry and field in the message."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from chains.training import check_questions, check_support, resolve_source
from core.errors import KnowledgeError
from knowledge.scenario import FACTS
from knowledge.training import LANGS, Audience, TrainingKnowledge, load_training_knowledge
from tests.language_support import english
from tests.schedule_support import KNOWLEDGE, knowledge
from tests.training_support import training_knowledge


@pytest.fixture(scope="module")
def bank() -> TrainingKnowledge:
    return training_knowledge()


def test_bank_size_ids_and_one_correct_option(bank: TrainingKnowledge) -> None:
    questions = bank.questions
    assert 60 <= len(questions) <= 90
    ids = [q.id for q in questions]
    assert len(set(ids)) == len(ids)
    for q in questions:
        assert sum(o.correct for o in q.options) == 1, q.id
        assert set(q.facts) <= FACTS, q.id


def test_bank_has_both_languages_in_swiss_spelling(bank: TrainingKnowledge) -> None:
    for q in bank.questions:
        texts = [q.question, q.explanation, *(o.text for o in q.options)]
        for text in texts:
            assert text.de.strip() and text.en.strip(), q.id
            assert "ß" not in text.de, q.id
            assert text.de != text.en, q.id


def test_every_audience_and_topic_is_covered(bank: TrainingKnowledge) -> None:
    for audience in Audience:
        general = [q for q in bank.questions if audience in q.audiences and not q.facts]
        assert len(general) >= 8, audience  # any scenario gets a full quiz
    topics = {q.topic for q in bank.questions}
    assert {
        "data_input",
        "prompt_injection",
        "hallucination",
        "incident",
        "data_protection",
        "access",
        "vendor",
        "governance",
    } <= topics


@pytest.mark.parametrize("lang", LANGS)
def test_every_question_is_answerable_from_its_source(bank: TrainingKnowledge, lang: str) -> None:
    _, catalog = knowledge()
    assert check_questions(bank.questions, bank, catalog, lang) == []  # type: ignore[arg-type]


def test_post_check_rejects_an_unrelated_source(bank: TrainingKnowledge) -> None:
    """A question checked against other questions' sources fails almost always."""
    _, catalog = knowledge()
    passed = total = 0
    sample = bank.questions[::3]
    for q in sample:
        answer = q.options[q.correct_index].text.de
        for other in sample:
            if other.source == q.source:
                continue
            source = resolve_source(other.source, "de", bank, catalog)
            assert source is not None
            total += 1
            passed += check_support(source.passage, answer, q.explanation.de, "de").ok
    assert total > 100
    assert passed / total < 0.02


def test_post_check_needs_the_passage() -> None:
    result = check_support(None, "Die Datenampel gilt", "Erklärung", "de")
    assert not result.ok and "not found" in result.reason


def test_handout_statements_are_backed_by_their_sources(bank: TrainingKnowledge) -> None:
    _, catalog = knowledge()
    for statement in bank.statements:
        for lang in LANGS:
            source = resolve_source(statement.source, lang, bank, catalog)
            assert source is not None, statement.id
            text = re.sub(r"\{\w+\}", " ", statement.text.get(lang))
            assert check_support(source.passage, text, "", lang).ok, (statement.id, lang)


def test_sessions_reference_known_tasks_and_requirements(bank: TrainingKnowledge) -> None:
    templates, catalog = knowledge()
    task_ids = {t.id for t in templates.tasks if t.step == 5}
    assert {s.audience for s in bank.sessions} == set(Audience)
    for session in bank.sessions:
        assert session.task in task_ids, session.id
        assert all(r in catalog for r in session.requirement_ids), session.id
        assert sum(a.minutes for a in session.agenda) == session.duration_minutes


# ---- broken files: the message names file, entry and field ----------------------------


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(KNOWLEDGE / "training", root / "training")
    shutil.copytree(KNOWLEDGE / "guide", root / "guide")
    return root


def _edit_first_question(root: Path, change: dict[str, object]) -> str:
    path = root / "training" / "questions_data_input.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"][0].update(change)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(data["questions"][0]["id"])


def test_two_correct_options_are_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "training" / "questions_data_input.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"][0]["options"][1]["correct"] = True
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_training_knowledge(root)
    message = str(err.value)
    assert "questions_data_input.yaml" in message and "TQ-001" in message
    assert "options" in message and "genau eine" in message


def test_missing_language_and_sharp_s_are_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit_first_question(root, {"question": {"de": "Was heisst das?", "en": ""}})
    with pytest.raises(KnowledgeError, match=r"TQ-001.*question\.en"):
        load_training_knowledge(root)
    _edit_first_question(root, {"question": {"de": "Was gilt für die Straße?", "en": "x"}})
    with pytest.raises(KnowledgeError, match=r"TQ-001.*Schweizer Schreibweise"):
        load_training_knowledge(root)


def test_unknown_heading_and_requirement_are_refused(tmp_path: Path) -> None:
    _, catalog = knowledge()
    root = _copy(tmp_path)
    _edit_first_question(
        root,
        {
            "source": {
                "guide": {
                    "de": "05_schritt5_mitarbeitende_schulen.md",
                    "en": "05_step5_train_staff.md",
                },
                "heading": {"de": "Gibt es nicht", "en": "Define training content"},
            }
        },
    )
    with pytest.raises(KnowledgeError, match=r"TQ-001.*source\.heading\.de.*Gibt es nicht"):
        load_training_knowledge(root, catalog)
    _edit_first_question(root, {"source": {"requirement": "KIL-TRN-999"}})
    with pytest.raises(KnowledgeError, match=r"TQ-001.*source\.requirement.*KIL-TRN-999"):
        load_training_knowledge(root, catalog)


def test_duplicate_id_across_files_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    first = root / "training" / "questions_data_input.yaml"
    data = yaml.safe_load(first.read_text(encoding="utf-8"))
    copy = {"questions": [data["questions"][0]]}
    (root / "training" / "questions_zz_copy.yaml").write_text(
        yaml.safe_dump(copy, allow_unicode=True), encoding="utf-8"
    )
    with pytest.raises(KnowledgeError, match=r"questions_zz_copy\.yaml.*TQ-001.*doppelt"):
        load_training_knowledge(root)


def test_unknown_fact_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _edit_first_question(root, {"facts": ["uses_blockchain"]})
    with pytest.raises(KnowledgeError, match=r"TQ-001.*facts.*uses_blockchain"):
        load_training_knowledge(root)


def test_training_file_errors_read_in_english_too(tmp_path: Path) -> None:
    """A custom knowledge folder's training files: German by ``str``, English by ``text``."""
    _, catalog = knowledge()
    root = _copy(tmp_path)
    where = "questions_data_input.yaml, entry TQ-001: "
    _edit_first_question(root, {"question": {"de": "Was gilt für die Straße?", "en": "x"}})
    with pytest.raises(KnowledgeError) as spelling:
        load_training_knowledge(root)
    assert english(spelling.value) == (
        f"{where}field '(root)': Value error, field 'question.de': Swiss spelling required "
        "(ss instead of ß)"
    )
    root = _copy(tmp_path / "facts")
    _edit_first_question(root, {"facts": ["uses_blockchain"]})
    with pytest.raises(KnowledgeError) as fact:
        load_training_knowledge(root)
    assert english(fact.value).startswith(
        f"{where}field 'facts': Value error, unknown facts ['uses_blockchain']; allowed: "
    )
    root = _copy(tmp_path / "source")
    _edit_first_question(root, {"source": {"requirement": "KIL-TRN-999"}})
    with pytest.raises(KnowledgeError) as requirement:
        load_training_knowledge(root, catalog)
    assert english(requirement.value) == (
        f"{where}field 'source.requirement': unknown requirement 'KIL-TRN-999'."
    )
    root = _copy(tmp_path / "duplicate")
    (root / "training" / "questions_zz_copy.yaml").write_text(
        (root / "training" / "questions_data_input.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as duplicate:
        load_training_knowledge(root)
    assert english(duplicate.value) == (
        "questions_zz_copy.yaml, entry TQ-001: field 'id': duplicate "
        "(already in questions_data_input.yaml)."
    )
