"""Schulung: the step-5 training kit of a scenario - plan on the schedule's step-5 days,
handouts with sources, a quiz to take in the app, a record of completion, downloads."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

import streamlit as st

from chains.schedule import plan_schedule, scenario_region
from chains.training import (
    ALL,
    AUDIENCE_ORDER,
    LETTERS,
    CompletionRecord,
    Quiz,
    TrainingKit,
    build_training_kit,
    load_completions,
    merge_training_sessions,
    record_completion,
)
from core.errors import LotseError
from exports.schedule.gantt_altair import gantt_chart
from exports.training import attendance_xlsx, training_bytes, training_format
from exports.training.markdown import handout_markdown
from knowledge.plan import ROLE_NAMES
from knowledge.scenario import Scenario, load_scenario
from knowledge.training import AUDIENCE_NAMES, Audience
from ui.i18n import Lang, current_language, fmt_date, t
from ui.layout import current_workspace, current_workspace_name, page_header, reported_errors
from ui.services import schedule_knowledge, services, settings, training_knowledge

KIT_KEY = "tr_kit"
CHECKED_KEY = "tr_checked"
DOWNLOADS = (
    ("kit_docx", "kit.docx", None),
    ("kit_md", "kit.md", None),
    ("quiz_docx", "quiz.docx", "quiz"),
    ("answers_docx", "answers.docx", "answers"),
    ("quiz_csv", "quiz.csv", None),
    ("kit_json", "kit.json", None),
    ("attendance", "attendance.xlsx", None),
    ("ics", "plan.ics", None),
    ("png", "gantt.png", None),
)


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def audience_label(option: str, lang: Lang) -> str:
    """Format functions get their inputs bound: they may run outside the script thread."""
    return (
        t("training.audience_all", lang)
        if option == ALL
        else AUDIENCE_NAMES[Audience(option)][lang]
    )


def scenario_label(option: str, names: dict[str, str]) -> str:
    return f"{names.get(option, Path(option).stem)} ({Path(option).name})"


def company_names(paths: list[Path]) -> dict[str, str]:
    names = {}
    for path in paths:
        try:
            names[str(path)] = load_scenario(path).company.name
        except LotseError:
            names[str(path)] = path.stem
    return names


def has_policy(workspace_docs: dict[str, object]) -> bool:
    return any(getattr(d, "category", "") == "policy" for d in workspace_docs.values())


def build_kit(
    scenario: Scenario, choice: str, audience: str, start: dt.date, lang: Lang, use_policy: bool
) -> TrainingKit:
    """The kit for these inputs, kept in the session until one of them changes."""
    key = (choice, audience, start, lang, use_policy, current_workspace_name())
    cached = st.session_state.get(KIT_KEY)
    if cached and cached[0] == key:
        kit: TrainingKit = cached[1]
        return kit
    templates, catalog = schedule_knowledge()
    company = scenario.company
    schedule = plan_schedule(
        scenario,
        templates,
        catalog,
        start,
        scenario_region(company.country, company.canton_or_state),
        lang=lang,
    )
    retriever = services().retriever(current_workspace_name()) if use_policy else None
    with st.spinner(t("training.building")):
        kit = build_training_kit(
            scenario, catalog, schedule, retriever, audience, lang, knowledge=training_knowledge()
        )
    services().record(
        "draft_training",
        current_workspace_name(),
        company=scenario.company.name,
        audience=audience,
    )
    st.session_state[KIT_KEY] = (key, kit)
    st.session_state.pop(CHECKED_KEY, None)
    return kit


def render_plan(kit: TrainingKit, lang: Lang) -> None:
    plan = kit.plan
    st.markdown(
        t(
            "training.plan_summary",
            sessions=len(plan.sessions),
            days=", ".join(fmt_date(d) for d in plan.step5_days) or "–",
        )
    )
    st.dataframe(
        [
            {
                t("training.col.date"): fmt_date(s.day),
                t("training.col.time"): f"{s.start:%H:%M}–{s.end:%H:%M}"
                if s.start and s.end
                else "",
                t("training.col.session"): s.title
                + (f" ({s.group_label})" if s.groups > 1 else ""),
                t("training.col.audience"): AUDIENCE_NAMES[s.audience][lang],
                t("training.col.lead"): ROLE_NAMES[s.lead][lang],
                t("training.col.duration"): s.duration_minutes,
                t("training.col.requirements"): ", ".join(s.requirement_ids),
            }
            for s in plan.sessions
        ],
        hide_index=True,
        width="stretch",
    )
    if kit.schedule is not None:
        st.subheader(t("training.chart"))
        st.altair_chart(gantt_chart(merge_training_sessions(kit.schedule, plan)), width="stretch")
    for s in plan.sessions:
        with st.expander(
            f"{fmt_date(s.day)} · {s.title}" + (f" ({s.group_label})" if s.groups > 1 else "")
        ):
            st.markdown(
                f"**{t('training.goals')}**\n\n" + "\n".join(f"- {goal}" for goal in s.goals)
            )
            st.markdown(
                f"**{t('training.agenda')}**\n\n"
                + "\n".join(f"1. {a.topic} ({a.minutes}′)" for a in s.agenda)
            )
            st.caption(f"{s.participants} · {t('training.col.lead')}: {ROLE_NAMES[s.lead][lang]}")
    for text in kit.notes:
        st.info(text)


def pick_audience(kit: TrainingKit, label_key: str, key: str) -> Audience:
    options = [a.value for a in kit.audiences]
    choice = st.selectbox(
        t(label_key), options, key=key, format_func=partial(audience_label, lang=kit.lang)
    )
    return Audience(choice)


def render_handout(kit: TrainingKit) -> None:
    audience = pick_audience(kit, "training.handout_for", "tr_handout_audience")
    st.markdown("\n".join(handout_markdown(kit.handout(audience), kit.lang, level=3)))


def render_quiz(kit: TrainingKit) -> None:
    audience = pick_audience(kit, "training.quiz_for", "tr_quiz_audience")
    quiz: Quiz = kit.quiz(audience)
    st.caption(t("training.quiz_intro", n=len(quiz.questions)))
    with st.form(f"tr_quiz_form_{audience.value}"):
        for number, q in enumerate(quiz.questions, start=1):
            st.radio(
                f"{number}. {q.question}",
                list(range(len(q.options))),
                index=None,
                key=f"tr_answer_{audience.value}_{q.id}",
                format_func=partial(_option, options=q.options),
            )
        submitted = st.form_submit_button(t("training.check"), type="primary")
    if submitted:
        st.session_state[CHECKED_KEY] = audience.value
    if st.session_state.get(CHECKED_KEY) != audience.value:
        return
    right = 0
    for number, q in enumerate(quiz.questions, start=1):
        answer = st.session_state.get(f"tr_answer_{audience.value}_{q.id}")
        correct = f"{q.correct_letter}) {q.correct_text}"
        # A wrong answer is feedback, not an app error: warning, never st.error.
        if answer is None:
            st.info(t("training.unanswered", n=number, answer=correct), icon=":material/help:")
        elif answer == q.correct:
            right += 1
            st.success(t("training.right", n=number), icon=":material/check:")
        else:
            st.warning(t("training.wrong", n=number, answer=correct), icon=":material/close:")
        st.caption(
            f"{t('training.explanation')}: {q.explanation} "
            f"({t('training.source')}: {q.source.label})"
        )
    total = len(quiz.questions)
    percent = round(100 * right / total) if total else 0
    st.session_state["tr_last_score"] = percent
    st.metric(t("training.score"), f"{right}/{total}", f"{percent} %")


def _option(index: int, options: tuple[str, ...]) -> str:
    return f"{LETTERS[index]}) {options[index]}"


def render_record(kit: TrainingKit, lang: Lang) -> None:
    data_dir = settings().data_dir
    workspace = current_workspace_name()
    sessions = [
        s.title + (f" ({s.group_label})" if s.groups > 1 else "") for s in kit.plan.sessions
    ]
    days = {label: s.day for label, s in zip(sessions, kit.plan.sessions, strict=True)}
    with st.form("tr_record_form", clear_on_submit=True):
        st.markdown(t("training.record.intro", workspace=workspace))
        first, second = st.columns(2)
        person = first.text_input(t("training.record.person"), key="tr_rec_person")
        role = second.text_input(t("training.record.role"), key="tr_rec_role")
        session = st.selectbox(t("training.record.session"), sessions, key="tr_rec_session")
        third, fourth, fifth = st.columns(3)
        day = third.date_input(
            t("training.record.date"),
            value=days.get(session) or dt.date.today(),
            format="DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD",
            key="tr_rec_date",
        )
        attended = fourth.checkbox(t("training.record.attended"), value=True, key="tr_rec_attended")
        score = fifth.number_input(
            t("training.record.score"),
            min_value=0,
            max_value=100,
            value=None,
            step=1,
            key="tr_rec_score",
        )
        saved = st.form_submit_button(t("training.record.submit"))
    if saved:
        if not (person or "").strip():
            st.warning(t("training.record.empty_person"))
        else:
            record_completion(
                data_dir,
                workspace,
                CompletionRecord(
                    person=person,
                    role=role,
                    session=session or "",
                    day=day if isinstance(day, dt.date) else dt.date.today(),
                    attended=attended,
                    score=None if score is None else int(score),
                ),
            )
            st.success(t("training.record.saved", person=person.strip()))
    records = load_completions(data_dir, workspace)
    st.subheader(t("training.record.list"))
    if not records:
        st.caption(t("training.record.none"))
        return
    st.dataframe(
        [
            {
                t("training.record.person"): r.person,
                t("training.record.role"): r.role,
                t("training.record.session"): r.session,
                t("training.record.date"): fmt_date(r.day),
                t("training.record.attended"): "✔" if r.attended else "✘",
                t("training.record.score"): r.score,
            }
            for r in records
        ],
        hide_index=True,
        width="stretch",
    )
    st.download_button(
        t("training.record.download"),
        data=partial(attendance_xlsx, kit, records),
        file_name=f"schulungsnachweis-{workspace}.xlsx",
        mime=training_format(".xlsx").media_type,
        on_click="ignore",
        icon=":material/download:",
        key="tr_download_records",
    )


def render_downloads(kit: TrainingKit) -> None:
    stem = "schulung" if kit.lang == "de" else "training"
    columns = st.columns(3)
    for index, (key, name, part) in enumerate(DOWNLOADS):
        fmt = training_format(name, part)
        columns[index % 3].download_button(
            t(f"training.download.{key}"),
            data=partial(training_bytes, kit, name, part),
            file_name=f"{stem}-{name}",
            mime=fmt.media_type,
            on_click="ignore",
            icon=":material/download:",
            key=f"tr_download_{key}",
        )


page_header("training.title", "training.intro")
lang = current_language()
with reported_errors():
    examples = sorted((settings().knowledge_dir / "scenarios").glob("*.yaml"))
    names = company_names(examples)
    first, second, third = st.columns(3)
    choice = first.selectbox(
        t("training.scenario"),
        [str(p) for p in examples],
        key="tr_scenario",
        format_func=partial(scenario_label, names=names),
    )
    audience = second.selectbox(
        t("training.audience"),
        [ALL, *(a.value for a in AUDIENCE_ORDER)],
        key="tr_audience",
        format_func=partial(audience_label, lang=lang),
    )
    start = third.date_input(
        t("training.start"),
        value=next_monday(dt.date.today()),
        format="DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD",
        key="tr_start",
    )
    policy_available = has_policy(current_workspace().documents())
    use_policy = st.checkbox(
        t("training.use_policy"),
        value=policy_available,
        disabled=not policy_available,
        key="tr_use_policy",
        help=t("training.use_policy_help"),
    )
    if not policy_available:
        st.caption(t("training.no_policy"))
    if choice is None:
        st.info(t("training.no_scenario"))
        st.stop()
    kit = build_kit(
        load_scenario(Path(choice)),
        choice,
        str(audience),
        start if isinstance(start, dt.date) else dt.date.today(),
        lang,
        bool(use_policy and policy_available),
    )
    plan_tab, handout_tab, quiz_tab, record_tab, download_tab = st.tabs(
        [
            t("training.tab.plan"),
            t("training.tab.handout"),
            t("training.tab.quiz"),
            t("training.tab.record"),
            t("training.tab.downloads"),
        ]
    )
    with plan_tab:
        render_plan(kit, lang)
    with handout_tab:
        render_handout(kit)
    with quiz_tab:
        render_quiz(kit)
    with record_tab:
        render_record(kit, lang)
    with download_tab:
        render_downloads(kit)
