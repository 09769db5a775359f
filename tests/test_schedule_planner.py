"""The planner: working days, dependencies, step order, milestones, capacity, honesty."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from dateutil.rrule import rrulestr

from chains.schedule import Schedule, WorkCalendar, summarize
from knowledge.plan import Role
from knowledge.scenario import Scenario
from tests.schedule_support import (
    EXAMPLES,
    XMAS_START,
    example,
    knowledge,
    plan,
    scenario,
    work_by_role_and_day,
)

Case = tuple[Schedule, WorkCalendar]
CASES = [(name, region) for name, region in EXAMPLES.items()] + [
    ("treuhand", "DE-BY"),
    ("onlineshop", "AT-9"),
]


@pytest.fixture(scope="module", params=CASES, ids=[f"{n}-{r}" for n, r in CASES])
def case(request: pytest.FixtureRequest) -> Case:
    name, region = request.param
    return plan(example(name), region), WorkCalendar(region)


def test_every_task_lies_on_working_days_of_the_region(case: Case) -> None:
    schedule, calendar = case
    for task in schedule.tasks:
        assert calendar.is_working_day(task.start) and calendar.is_working_day(task.end)
        for day, _ in task.work:
            assert calendar.is_working_day(day), (task.id, day)
    for milestone in schedule.milestones:
        assert calendar.is_working_day(milestone.date)


def test_christmas_in_zurich_is_skipped() -> None:
    schedule = plan(example("treuhand"), "CH-ZH", XMAS_START)
    worked = {day for task in schedule.tasks for day, _ in task.work}
    for day in (date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1), date(2027, 1, 2)):
        assert day not in worked
    assert date(2026, 12, 21) in worked and date(2026, 12, 28) in worked
    holidays = {h.date for h in schedule.holidays_in_range}
    assert {date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1)} <= holidays


def test_epiphany_in_bavaria_is_skipped_but_not_in_zurich() -> None:
    epiphany = date(2027, 1, 6)
    bavaria = plan(example("manufacturer"), "DE-BY", XMAS_START)
    assert epiphany not in {d for t in bavaria.tasks for d, _ in t.work}
    assert epiphany in {h.date for h in bavaria.holidays_in_range}
    assert epiphany not in bavaria.working_days
    zurich = plan(example("manufacturer"), "CH-ZH", XMAS_START)
    assert epiphany in zurich.working_days


def test_dependencies_hold(case: Case) -> None:
    schedule, _ = case
    by_id = {t.id: t for t in schedule.tasks}
    for task in schedule.tasks:
        for dep in task.depends_on:
            assert by_id[dep].end <= task.start, (dep, task.id)
            assert by_id[dep].work[-1][0] <= task.work[0][0]


def test_steps_keep_their_order(case: Case) -> None:
    schedule, _ = case
    starts = {s: [t.start for t in schedule.tasks if t.step == s] for s in range(1, 8)}
    for step in range(2, 8):
        assert min(starts[step]) >= max(starts[step - 1]), step
    assert [t.step for t in schedule.tasks] == sorted(t.step for t in schedule.tasks)


def test_each_step_has_a_milestone_at_its_end(case: Case) -> None:
    schedule, _ = case
    assert [m.step for m in schedule.milestones] == list(range(1, 8))
    for milestone in schedule.milestones:
        ends = [t.end for t in schedule.tasks if t.step == milestone.step]
        assert ends, f"step {milestone.step} has no task"
        assert milestone.date == max(ends)
    assert schedule.end == max(m.date for m in schedule.milestones)


def test_capacity_per_role_and_day_is_never_exceeded(case: Case) -> None:
    schedule, _ = case
    for (role, day), amount in work_by_role_and_day(schedule).items():
        assert amount <= schedule.capacity[role] + 1e-9, (role, day, amount)
    for task in schedule.tasks:
        assert sum(a for _, a in task.work) == pytest.approx(task.effort_days)


def test_tight_capacity_is_respected_too() -> None:
    capacity = {Role.IT_LEAD: 0.4, Role.MANAGEMENT: 0.2, Role.PROVIDER: 0.5}
    schedule = plan(example("onlineshop"), "CH-BE", capacity=capacity)
    for (role, _), amount in work_by_role_and_day(schedule).items():
        assert amount <= schedule.capacity[role] + 1e-9


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_examples_fit_the_14_day_target_with_the_default_team(name: str) -> None:
    schedule = plan(example(name), EXAMPLES[name], date(2027, 3, 1))
    assert schedule.fits, summarize(schedule)
    assert 10 <= schedule.needed_working_days <= 14
    assert len(schedule.working_days) == 14
    assert schedule.needed_working_days == schedule.working_days.index(schedule.end) + 1


def test_a_plan_that_does_not_fit_says_so_and_names_the_bottleneck() -> None:
    schedule = plan(example("treuhand"), capacity={Role.IT_LEAD: 0.5})
    assert not schedule.fits
    assert schedule.needed_working_days > 14
    assert len(schedule.working_days) == schedule.needed_working_days
    assert schedule.bottleneck_role is Role.IT_LEAD
    text = summarize(schedule)
    assert "NICHT" in text and "IT-Leitung" in text and str(schedule.needed_working_days) in text
    english = plan(example("treuhand"), capacity={Role.IT_LEAD: 0.5}, lang="en")
    assert "does NOT fit" in summarize(english) and "IT lead" in summarize(english)


def test_more_people_or_a_longer_target_change_the_verdict_not_the_work() -> None:
    tight = plan(example("treuhand"), capacity={Role.IT_LEAD: 0.5})
    relaxed = plan(example("treuhand"), capacity={Role.IT_LEAD: 0.5}, target_days=30)
    assert relaxed.fits and relaxed.needed_working_days == tight.needed_working_days
    more = plan(example("treuhand"), capacity={Role.IT_LEAD: 2.0})
    assert more.needed_working_days < plan(example("treuhand")).needed_working_days + 1
    assert sum(t.effort_days for t in more.tasks) == sum(t.effort_days for t in tight.tasks)


def test_planning_is_deterministic() -> None:
    assert plan(example("manufacturer"), "DE-BY") == plan(example("manufacturer"), "DE-BY")


def test_optional_tasks_follow_the_scenario() -> None:
    ids = {name: {t.id for t in plan(example(name)).tasks} for name in EXAMPLES}
    assert "S6-T04" in ids["onlineshop"]  # red team: customer-facing chatbot
    assert "S6-T04" in ids["manufacturer"]  # red team: agent with tools
    assert "S6-T05" in ids["manufacturer"] and "S2-T05" in ids["manufacturer"]
    assert "S6-T05" not in ids["onlineshop"] and "S6-T05" not in ids["treuhand"]
    assert "S3-T04" in ids["treuhand"]  # data may leave CH/EU
    plain = {t.id for t in plan(scenario(deployment="self_hosted")).tasks}
    for optional in ("S2-T03", "S2-T05", "S3-T03", "S3-T04", "S4-T08", "S6-T04", "S6-T05"):
        assert optional not in plain
    sensitive = scenario().model_copy(update={"data": ["sensitive_personal_data"]})
    assert "S2-T03" in {t.id for t in plan(sensitive).tasks}  # DPIA


def test_tasks_carry_only_requirements_selected_for_the_scenario() -> None:
    _, catalog = knowledge()
    for name in EXAMPLES:
        scn = example(name)
        selected = {r.id for r in catalog.select(scn.facts())}
        schedule = plan(scn)
        for task in schedule.tasks:
            assert set(task.requirement_ids) <= selected
        linked = {r for t in schedule.tasks for r in t.requirement_ids}
        assert len(linked) >= 0.8 * len(selected), name


def test_left_out_tasks_pass_on_their_dependencies() -> None:
    schedule = plan(scenario(deployment="self_hosted"))
    by_id = {t.id: t for t in schedule.tasks}
    # S6-T06 waits for S6-T04/S6-T05 in the templates; both are left out here.
    assert "S6-T04" in schedule.excluded_task_ids
    assert set(by_id["S6-T06"].depends_on) >= {"S6-T02", "S6-T03"}
    assert all(d in by_id for t in schedule.tasks for d in t.depends_on)


def test_effort_grows_with_company_size_and_risk() -> None:
    def total(s: Scenario) -> float:
        return sum(t.effort_days for t in plan(s).tasks)

    assert (
        total(scenario(employees=5))
        < total(scenario(employees=20))
        < total(scenario(employees=120))
    )
    low = scenario()
    high = low.model_copy(update={"data": ["sensitive_personal_data"]})
    assert low.risk_level() != "high" and high.risk_level() == "high"
    assert total(high) > total(low)


def test_quarterly_reviews_for_a_year_after_the_plan() -> None:
    schedule = plan(example("treuhand"))
    calendar = WorkCalendar("CH-ZH")
    quarterly = next(r for r in schedule.reviews if r.interval_months == 3)
    assert len(quarterly.dates) == 4
    assert quarterly.rrule.startswith("FREQ=MONTHLY;INTERVAL=3;COUNT=4")
    assert quarterly.dates[0] > schedule.end
    assert (quarterly.dates[-1] - quarterly.dates[0]).days in range(260, 290)
    for series in schedule.reviews:
        assert all(calendar.is_working_day(d) for d in series.dates)
        start = datetime.combine(series.dates[0], datetime.min.time())
        expanded = [d.date() for d in rrulestr(series.rrule, dtstart=start)]
        assert expanded == list(series.dates)
    assert len(set(schedule.review_dates)) == sum(len(r.dates) for r in schedule.reviews)


def test_a_start_on_a_holiday_moves_to_the_next_working_day() -> None:
    schedule = plan(example("treuhand"), "CH-ZH", date(2026, 12, 25))
    assert schedule.requested_start == date(2026, 12, 25)
    assert schedule.start == date(2026, 12, 28)
    assert schedule.tasks[0].start == date(2026, 12, 28)


def test_english_titles() -> None:
    schedule = plan(example("onlineshop"), "CH-BE", lang="en")
    assert schedule.task("S1-T01").title.startswith("Kick-off")
    assert schedule.milestones[0].title.startswith("Step 1 complete")
