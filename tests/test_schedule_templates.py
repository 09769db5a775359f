"""The shipped plan templates: every step has tasks, ids resolve, no cycles, reviews recur."""

from __future__ import annotations

from chains.schedule import find_cycle
from chains.schedule.templates import check_reviews, check_templates
from tests.schedule_support import knowledge


def test_every_step_has_core_tasks() -> None:
    templates, _ = knowledge()
    for step in range(1, 8):
        core = [t for t in templates.tasks if t.step == step and not t.include_if]
        assert core, f"step {step} has no task that is always planned"


def test_every_requirement_id_exists_and_every_task_links_one() -> None:
    templates, catalog = knowledge()
    for task in templates.tasks:
        assert task.requirement_ids, f"{task.id} links no requirement"
        for req_id in task.requirement_ids:
            assert req_id in catalog, f"{task.id}: {req_id} not in the catalog"
    for review in templates.reviews:
        assert review.requirement_ids
        assert all(r in catalog for r in review.requirement_ids), review.id
    check_templates(templates.tasks, catalog)
    check_reviews(templates.reviews, catalog)


def test_no_dependency_cycles_and_no_waiting_on_later_steps() -> None:
    templates, _ = knowledge()
    assert find_cycle({t.id: t.depends_on for t in templates.tasks}) is None
    step = {t.id: t.step for t in templates.tasks}
    for task in templates.tasks:
        assert all(step[d] <= task.step for d in task.depends_on), task.id


def test_task_ids_match_their_step() -> None:
    templates, _ = knowledge()
    for task in templates.tasks:
        assert task.id.startswith(f"S{task.step}-"), task.id


def test_step_seven_reviews_quarterly_for_a_year() -> None:
    templates, _ = knowledge()
    assert any(r.interval_months == 3 and r.occurrences == 4 for r in templates.reviews)


def test_swiss_spelling_and_both_languages() -> None:
    templates, _ = knowledge()
    for task in templates.tasks:
        for text in (task.title.de, task.deliverable.de):
            assert "ß" not in text, task.id
        assert task.title.en and task.deliverable.en
        assert task.title.de != task.title.en
