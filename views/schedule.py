"""Zeitplan: plan the seven steps on the working days of a region and show them as a Gantt
chart, a task table and downloads (ICS, XLSX, Markdown, JSON, PNG)."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

import streamlit as st

from chains.schedule import (
    Schedule,
    default_capacity,
    plan_schedule,
    region_choices,
    summarize,
)
from core.errors import LotseError
from exports.schedule import schedule_bytes, schedule_format
from exports.schedule.gantt_altair import gantt_chart
from kb.uploads import Upload, staged
from knowledge.plan import ROLE_NAMES, Role
from knowledge.scenario import Scenario, load_scenario
from ui.i18n import Lang, current_language, fmt_date, fmt_number, t
from ui.layout import page_header, reported_errors
from ui.services import schedule_knowledge, settings

UPLOAD = "__upload__"
DOWNLOADS = (".ics", ".xlsx", ".md", ".json", ".png")
FALLBACK_REGION = "CH-ZH"


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def default_region(scenario: Scenario, choices: list[str]) -> str:
    """The company's canton or state if the holiday calendar knows it, else its country."""
    company = scenario.company
    for code in (f"{company.country}-{company.canton_or_state}", company.country):
        if code in choices:
            return code
    return FALLBACK_REGION


def scenario_label(option: str, lang: Lang, names: dict[str, str]) -> str:
    """Format functions get their inputs bound: they may run outside the script thread."""
    if option == UPLOAD:
        return t("schedule.scenario_upload_option", lang)
    return f"{names.get(option, Path(option).stem)} ({Path(option).name})"


def company_names(paths: list[Path]) -> dict[str, str]:
    """Company name of each example, for the picker; a broken file shows its file name."""
    names = {}
    for path in paths:
        try:
            names[str(path)] = load_scenario(path).company.name
        except LotseError:
            names[str(path)] = path.stem
    return names


def pick_scenario() -> Scenario | None:
    examples = sorted((settings().knowledge_dir / "scenarios").glob("*.yaml"))
    options = [str(p) for p in examples] + [UPLOAD]
    choice = st.selectbox(
        t("schedule.scenario"),
        options,
        key="sc_scenario",
        help=t("schedule.scenario_help"),
        format_func=partial(scenario_label, lang=current_language(), names=company_names(examples)),
    )
    if choice != UPLOAD:
        return load_scenario(Path(choice))
    uploaded = st.file_uploader(
        t("schedule.scenario_upload"), type=["yaml", "yml"], key="sc_upload"
    )
    if uploaded is None:
        st.info(t("schedule.upload_first"))
        return None
    with staged([Upload(uploaded.name, uploaded.getvalue())]) as paths:
        return load_scenario(paths[0])


def task_rows(plan: Schedule, lang: Lang) -> list[dict[str, object]]:
    return [
        {
            t("schedule.col.id"): task.id,
            t("schedule.col.step"): task.step,
            t("schedule.col.task"): task.title,
            t("schedule.col.role"): ROLE_NAMES[task.role][lang],
            t("schedule.col.start"): fmt_date(task.start),
            t("schedule.col.end"): fmt_date(task.end),
            t("schedule.col.effort"): fmt_number(task.effort_days, 1),
            t("schedule.col.depends"): ", ".join(task.depends_on),
            t("schedule.col.requirements"): ", ".join(task.requirement_ids),
            t("schedule.col.deliverable"): task.deliverable,
        }
        for task in plan.tasks
    ]


def render_plan(plan: Schedule, lang: Lang) -> None:
    (st.success if plan.fits else st.warning)(summarize(plan))
    st.subheader(t("schedule.chart"))
    st.altair_chart(gantt_chart(plan), width="stretch")
    st.caption(t("schedule.chart_caption"))
    if plan.holidays_in_range:
        st.caption(
            t(
                "schedule.holidays",
                days=", ".join(f"{fmt_date(h.date)} {h.name}" for h in plan.holidays_in_range),
            )
        )
    else:
        st.caption(t("schedule.no_holidays"))
    if plan.review_dates:
        st.caption(t("schedule.reviews", dates=", ".join(fmt_date(d) for d in plan.review_dates)))
    st.subheader(t("schedule.tasks"))
    st.dataframe(task_rows(plan, lang), hide_index=True, width="stretch")
    st.subheader(t("schedule.downloads"))
    stem = ("zeitplan" if lang == "de" else "schedule") + f"-{plan.start.isoformat()}"
    for column, suffix in zip(st.columns(len(DOWNLOADS)), DOWNLOADS, strict=True):
        column.download_button(
            t(f"schedule.download.{suffix.lstrip('.')}"),
            data=partial(schedule_bytes, plan, suffix),
            file_name=stem + suffix,
            mime=schedule_format(suffix).media_type,
            on_click="ignore",
            icon=":material/download:",
            key=f"sc_download_{suffix.lstrip('.')}",
        )


page_header("schedule.title", "schedule.intro")
lang = current_language()
with reported_errors():
    scenario = pick_scenario()
    if scenario is not None:
        risk = t(f"schedule.risk.{scenario.risk_level()}")
        st.markdown(
            t(
                "schedule.company",
                company=scenario.company.name,
                employees=fmt_number(scenario.company.employees),
                risk=risk,
            )
        )
        regions = region_choices()
        first, second, third = st.columns(3)
        start = first.date_input(
            t("schedule.start"),
            value=next_monday(dt.date.today()),
            format="DD.MM.YYYY" if lang == "de" else "YYYY-MM-DD",
        )
        region = second.selectbox(
            t("schedule.region"),
            regions,
            help=t("schedule.region_help"),
            index=regions.index(default_region(scenario, regions)),
        )
        days = third.number_input(t("schedule.days"), min_value=1, max_value=60, value=14)
        capacity: dict[Role, float] = {}
        with st.expander(t("schedule.capacity")):
            st.caption(t("schedule.capacity_help"))
            defaults = default_capacity(scenario.size_class())
            for column, role in zip(st.columns(3) * 2, Role, strict=True):
                capacity[role] = column.number_input(
                    ROLE_NAMES[role][lang],
                    min_value=0.1,
                    max_value=50.0,
                    step=0.5,
                    value=float(defaults[role]),
                )
        templates, catalog = schedule_knowledge()
        plan = plan_schedule(
            scenario,
            templates,
            catalog,
            start if isinstance(start, dt.date) else dt.date.today(),
            region,
            capacity=capacity,
            target_days=int(days),
            lang=lang,
        )
        render_plan(plan, lang)
