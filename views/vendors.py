"""Anbieter vergleichen: pick vendors and their documents, compare them on the security
criteria, read the colour-coded matrix, open a cell's evidence, download the result."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from chains.vendors import (
    MAX_VENDORS,
    MIN_VENDORS,
    Status,
    VendorComparison,
    compare_vendors,
    format_points,
    load_default_criteria,
    status_label,
    vendor_tags,
)
from core.domain import DocumentInfo
from exports.vendors import STATUS_COLOURS, cell_text, comparison_bytes, vendor_format
from knowledge.scenario import load_scenario
from knowledge.vendor_criteria import VendorCriteria
from ui.i18n import Lang, current_language, t
from ui.layout import current_workspace, current_workspace_name, page_header, reported_errors
from ui.markdown import safe_markdown
from ui.services import schedule_knowledge, services, settings

DOWNLOADS = (".xlsx", ".md", ".json", ".docx")
NO_SCENARIO = "__none__"
RESULT_KEY = "vd_result"
SELECTION_KEY = "vd_last_cell"
ROW_PX = 35


def pick_documents(
    tags: dict[str, list[DocumentInfo]], docs: dict[str, DocumentInfo]
) -> dict[str, list[str]]:
    """Vendors from the workspace's vendor tags, each with its documents (changeable)."""
    names = list(tags)
    chosen: list[str] = st.multiselect(
        t("vendors.pick"),
        names,
        default=names[:MAX_VENDORS],
        key="vd_vendors",
        max_selections=MAX_VENDORS,
        help=t("vendors.pick_help"),
    )
    picked: dict[str, list[str]] = {}
    with st.expander(t("vendors.documents"), expanded=False):
        for name in chosen:
            picked[name] = st.multiselect(
                name,
                sorted(docs),
                default=[d.doc_id for d in tags[name]],
                format_func=partial(_doc_label, docs=docs),
                key=f"vd_docs_{name}",
            )
    return picked


def _doc_label(doc_id: str, docs: dict[str, DocumentInfo]) -> str:
    return docs[doc_id].source if doc_id in docs else doc_id


def pick_weights(criteria: VendorCriteria, lang: Lang) -> VendorCriteria:
    """Weights per criterion, 0 leaves a criterion out."""
    with st.expander(t("vendors.weights"), expanded=False):
        st.caption(t("vendors.weights_help"))
        weights = {}
        for column, c in zip(st.columns(3) * len(criteria), criteria, strict=False):
            weights[c.id] = column.number_input(
                c.name.get(lang),
                min_value=0.0,
                max_value=10.0,
                step=1.0,
                value=c.weight,
                key=f"vd_weight_{c.id}",
            )
    return criteria.with_weights(weights)


def pick_scenario() -> str:
    examples = sorted((settings().knowledge_dir / "scenarios").glob("*.yaml"))
    options = [NO_SCENARIO, *(str(p) for p in examples)]
    choice: str = st.selectbox(
        t("vendors.scenario"),
        options,
        key="vd_scenario",
        help=t("vendors.scenario_help"),
        format_func=partial(_scenario_label, none=t("vendors.scenario_none")),
    )
    return choice


def _scenario_label(option: str, none: str) -> str:
    return none if option == NO_SCENARIO else Path(option).stem


def run_comparison(
    picked: dict[str, list[str]], criteria: VendorCriteria, scenario: str, lang: Lang
) -> VendorComparison:
    _, catalog = schedule_knowledge()
    return compare_vendors(
        services().retriever(current_workspace_name()),
        picked,
        criteria,
        scenario=None if scenario == NO_SCENARIO else load_scenario(Path(scenario)),
        lang=lang,
        catalog=catalog,
    )


# ---- result --------------------------------------------------------------------------
def _style(value: str, lang: Lang) -> str:
    for status in Status:
        if value == cell_text(status, lang):
            fill, font = STATUS_COLOURS[status]
            return f"background-color: {fill}; color: {font}; font-weight: 600"
    return ""


def matrix_frame(comparison: VendorComparison) -> pd.DataFrame:
    lang = comparison.lang
    rows = {
        c.name: {t("vendors.col.weight"): f"{c.weight:g}"}
        | {v: cell_text(comparison.result(c.id, v).status, lang) for v in comparison.vendors}
        for c in comparison.criteria
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def show_matrix(comparison: VendorComparison) -> None:
    frame = matrix_frame(comparison)
    styled = frame.style.map(partial(_style, lang=comparison.lang))
    event: Any = st.dataframe(
        styled,
        key="vd_matrix",
        on_select="rerun",
        selection_mode="single-cell",
        width="stretch",
        row_height=ROW_PX,
        height=ROW_PX * (len(frame) + 1) + 3,
    )
    st.caption(t("vendors.matrix_help"))
    cells = event.selection.get("cells", []) if event is not None else []
    if cells:
        row, column = cells[0]
        chosen = (comparison.criteria[int(row)].id, str(column))
        if column in comparison.vendors and st.session_state.get(SELECTION_KEY) != chosen:
            st.session_state[SELECTION_KEY] = chosen
            st.session_state["vd_cell_criterion"], st.session_state["vd_cell_vendor"] = chosen


def show_cell(comparison: VendorComparison) -> None:
    lang = comparison.lang
    names = {c.id: c.name for c in comparison.criteria}
    if st.session_state.get("vd_cell_criterion") not in names:
        st.session_state.pop("vd_cell_criterion", None)
    if st.session_state.get("vd_cell_vendor") not in comparison.vendors:
        st.session_state.pop("vd_cell_vendor", None)
    left, right = st.columns([2, 1])
    criterion_id: str = left.selectbox(
        t("vendors.cell_criterion"),
        list(names),
        format_func=names.__getitem__,
        key="vd_cell_criterion",
    )
    vendor: str = right.selectbox(
        t("vendors.cell_vendor"), list(comparison.vendors), key="vd_cell_vendor"
    )
    criterion = comparison.criterion(criterion_id)
    result = comparison.result(criterion_id, vendor)
    st.markdown(
        t(
            "vendors.cell_status",
            vendor=vendor,
            criterion=criterion.name,
            status=cell_text(result.status, lang),
        )
    )
    if result.aspects:
        st.caption(
            ", ".join(
                f"{criterion.aspect_name(a)}: {status_label(s, lang)}" for a, s in result.aspects
            )
        )
    st.caption(criterion.description)
    for e in result.evidence:
        said = status_label(e.verdict, lang) if e.verdict else ""
        st.markdown(f"> {safe_markdown(e.text)}")
        st.caption(f"{e.citation(lang)} · {said} · {e.note}")
    if not result.evidence:
        st.info(t("vendors.no_evidence", question=criterion.question))
    if result.related:
        with st.expander(t("vendors.related")):
            for e in result.related:
                st.markdown(f"> {safe_markdown(e.text)}")
                st.caption(e.citation(lang))


def show_scores(comparison: VendorComparison) -> None:
    lang = comparison.lang
    st.subheader(t("vendors.scores"))
    n = len(comparison.criteria)
    for column, vendor in zip(st.columns(len(comparison.vendors)), comparison.vendors, strict=True):
        summary = comparison.summary(vendor)
        column.metric(
            vendor, format_points(summary.score, lang), border=True, help=t("vendors.score_help")
        )
        column.caption(t("vendors.coverage", known=n - len(summary.unknowns), total=n))
    st.subheader(t("vendors.unknowns"))
    st.caption(t("vendors.unknowns_help"))
    lines = [
        f"- **{vendor}** – {comparison.criterion(cid).name}: {comparison.criterion(cid).question}"
        for vendor in comparison.vendors
        for cid in comparison.summary(vendor).unknowns
    ]
    st.markdown("\n".join(lines) if lines else t("vendors.no_unknowns"))


def show_downloads(comparison: VendorComparison, lang: Lang) -> None:
    st.subheader(t("vendors.downloads"))
    stem = "anbietervergleich" if lang == "de" else "vendor-comparison"
    for column, suffix in zip(st.columns(len(DOWNLOADS)), DOWNLOADS, strict=True):
        column.download_button(
            t(f"vendors.download.{suffix.lstrip('.')}"),
            data=partial(comparison_bytes, comparison, suffix),
            file_name=stem + suffix,
            mime=vendor_format(suffix).media_type,
            on_click="ignore",
            icon=":material/download:",
            key=f"vd_download_{suffix.lstrip('.')}",
        )


def render(comparison: VendorComparison, lang: Lang) -> None:
    st.subheader(t("vendors.matrix"))
    show_matrix(comparison)
    st.subheader(t("vendors.evidence"))
    show_cell(comparison)
    show_scores(comparison)
    st.subheader(t("vendors.recommendation"))
    st.markdown(comparison.recommendation)
    show_downloads(comparison, lang)


def request_key(
    picked: dict[str, list[str]], criteria: VendorCriteria, scenario: str, lang: Lang
) -> tuple[Sequence[object], ...]:
    """What decides a comparison; a stored result is shown only while this is unchanged."""
    return (
        (current_workspace_name(), lang, scenario),
        tuple((v, tuple(docs)) for v, docs in picked.items()),
        tuple((c.id, c.weight) for c in criteria),
    )


page_header("vendors.title", "vendors.intro")
lang = current_language()
with reported_errors():
    ws = current_workspace()
    docs = ws.documents(fresh=True)
    tags = vendor_tags(ws)
    if len(tags) < MIN_VENDORS:
        st.info(t("vendors.need_tags", count=len(tags)), icon=":material/info:")
        st.stop()
    picked = pick_documents(tags, docs)
    scenario = pick_scenario()
    criteria = pick_weights(load_default_criteria(settings().knowledge_dir), lang)
    key = request_key(picked, criteria, scenario, lang)
    ready = len(picked) >= MIN_VENDORS and all(picked.values())
    if not ready:
        st.info(t("vendors.pick_more", min=MIN_VENDORS, max=MAX_VENDORS))
    if st.button(
        t("vendors.run"),
        type="primary",
        disabled=not ready,
        key="vd_run",
        icon=":material/compare_arrows:",
    ):
        with st.spinner(t("vendors.running")):
            st.session_state[RESULT_KEY] = (key, run_comparison(picked, criteria, scenario, lang))
    stored = st.session_state.get(RESULT_KEY)
    if stored is not None and stored[0] == key:
        render(stored[1], lang)
    elif stored is not None:
        st.caption(t("vendors.stale"))
