"""Anforderungen: describe the scenario (prefilled from an example or a YAML file), see the
requirements document grow with evidence from the workspace, download DOCX/XLSX/MD/JSON.

The page only collects the scenario and shows the result; selection, statuses and
citations come from ``chains.requirements.draft_requirements``.
"""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path
from typing import Any

import streamlit as st
import yaml
from pydantic import ValidationError

from chains.requirements import (
    DraftedRequirement,
    EvidenceConfig,
    RequirementsDoc,
    Stance,
    Status,
    draft_requirements,
    vectors,
)
from chains.requirements.texts import (
    DATA_NAMES,
    DEPLOYMENT_NAMES,
    INTEGRATION_NAMES,
    SERVICE_TYPE_NAMES,
    USERS_NAMES,
    category_name,
    priority_name,
    status_name,
)
from core.errors import LotseError
from exports.requirements import REQUIREMENTS_FORMATS, requirements_bytes
from kb.uploads import Upload, staged
from knowledge.common import STEPS, format_validation_error
from knowledge.scenario import (
    DataCategory,
    Deployment,
    Integration,
    Scenario,
    ServiceType,
    Users,
    load_scenario,
)
from ui.i18n import Lang, current_language, t
from ui.layout import current_workspace_name, page_header, reported_errors
from ui.markdown import safe_markdown
from ui.services import schedule_knowledge, services, settings

UPLOAD = "__upload__"
DOC_KEY = "_rq_doc"
STATUS_ICONS = {
    Status.COVERED: "🟢",
    Status.PARTLY: "🟡",
    Status.OPEN: "⚪",
    Status.CONFLICTING: "🔴",
}
LANGUAGE_CHOICES = ["de", "fr", "it", "en", "rm"]


# ---- scenario ----------------------------------------------------------------------
def pick_base() -> tuple[str, Scenario | None]:
    """The example or uploaded scenario the form starts from, and a key naming it."""
    examples = sorted((settings().knowledge_dir / "scenarios").glob("*.yaml"))
    names = {}
    for path in examples:
        try:
            names[str(path)] = load_scenario(path).company.name
        except LotseError:
            names[str(path)] = path.stem
    options = [str(p) for p in examples] + [UPLOAD]
    choice = st.selectbox(
        t("requirements.base"),
        options,
        key="rq_base",
        help=t("requirements.base_help"),
        format_func=partial(_base_label, names=names, upload=t("requirements.upload_option")),
    )
    if choice != UPLOAD:
        return Path(choice).stem, load_scenario(Path(choice))
    uploaded = st.file_uploader(t("requirements.upload"), type=["yaml", "yml"], key="rq_upload")
    if uploaded is None:
        st.info(t("requirements.upload_first"))
        return UPLOAD, None
    data = uploaded.getvalue()
    with staged([Upload(uploaded.name, data)]) as paths:
        scenario = load_scenario(paths[0])
    return "upload-" + hashlib.sha1(data).hexdigest()[:12], scenario


def _base_label(option: str, names: dict[str, str], upload: str) -> str:
    """Bound arguments only: format functions may run outside the script thread."""
    return upload if option == UPLOAD else f"{names.get(option, option)} ({Path(option).name})"


def _label(table: dict[Any, dict[Lang, str]], lang: Lang) -> Any:
    return lambda value: table[value][lang]


def scenario_form(base_key: str, base: Scenario, lang: Lang) -> Scenario | None:
    """The Scenario model's fields as widgets, prefilled from ``base``; None if invalid."""
    k = f"rq_{base_key}_"  # a new base scenario gives fresh, prefilled widgets
    c, svc = base.company, base.ai_service
    with st.expander(t("requirements.form"), expanded=False):
        left, right = st.columns(2)
        company = {
            "name": left.text_input(t("requirements.form.company"), c.name, key=k + "name"),
            "employees": int(
                right.number_input(
                    t("requirements.form.employees"), 1, 100_000, c.employees, key=k + "emp"
                )
            ),
            "industry": left.text_input(
                t("requirements.form.industry"), c.industry, key=k + "industry"
            ),
            "country": right.text_input(
                t("requirements.form.country"), c.country, key=k + "country"
            )
            .strip()
            .upper(),
            "canton_or_state": (
                right.text_input(
                    t("requirements.form.canton"), c.canton_or_state or "", key=k + "canton"
                )
                .strip()
                .upper()
                or None
            ),
        }
        ai_service = {
            "purpose": st.text_area(t("requirements.form.purpose"), svc.purpose, key=k + "purpose"),
            "type": left.selectbox(
                t("requirements.form.type"),
                list(ServiceType),
                index=list(ServiceType).index(svc.type),
                key=k + "type",
                format_func=_label(SERVICE_TYPE_NAMES, lang),
            ),
            "vendor": right.text_input(
                t("requirements.form.vendor"), svc.vendor or "", key=k + "vendor"
            ).strip()
            or None,
            "deployment": left.selectbox(
                t("requirements.form.deployment"),
                list(Deployment),
                index=list(Deployment).index(svc.deployment),
                key=k + "deploy",
                format_func=_label(DEPLOYMENT_NAMES, lang),
            ),
            "fine_tuning": right.checkbox(
                t("requirements.form.fine_tuning"), svc.fine_tuning, key=k + "ft"
            ),
            "rag_over_internal_docs": right.checkbox(
                t("requirements.form.rag"), svc.rag_over_internal_docs, key=k + "rag"
            ),
        }
        languages = sorted(set(LANGUAGE_CHOICES) | set(base.languages))
        raw = {
            "company": company,
            "ai_service": ai_service,
            "data": left.multiselect(
                t("requirements.form.data"),
                list(DataCategory),
                base.data,
                key=k + "data",
                format_func=_label(DATA_NAMES, lang),
            ),
            "integrations": right.multiselect(
                t("requirements.form.integrations"),
                list(Integration),
                base.integrations,
                key=k + "integrations",
                format_func=_label(INTEGRATION_NAMES, lang),
            ),
            "users": left.selectbox(
                t("requirements.form.users"),
                list(Users),
                index=list(Users).index(base.users),
                key=k + "users",
                format_func=_label(USERS_NAMES, lang),
            ),
            "languages": right.multiselect(
                t("requirements.form.languages"), languages, base.languages, key=k + "langs"
            ),
            "notes": st.text_area(t("requirements.form.notes"), base.notes, key=k + "notes"),
        }
        try:
            scenario = Scenario.model_validate(raw)
        except ValidationError as exc:
            st.warning(t("requirements.invalid", problem=format_validation_error(exc, lang)))
            return None
        st.download_button(
            t("requirements.yaml_download"),
            data=yaml.safe_dump(
                scenario.model_dump(mode="json"), allow_unicode=True, sort_keys=False
            ),
            file_name=f"szenario-{base_key}.yaml",
            mime="application/yaml",
            on_click="ignore",
            icon=":material/download:",
            key="rq_yaml",
        )
    return scenario


# ---- drafting ----------------------------------------------------------------------
def draft(scenario: Scenario, lang: Lang) -> RequirementsDoc:
    """Draft once per scenario, language and workspace content; show progress meanwhile."""
    name = current_workspace_name()
    retriever = services().retriever(name)
    stamp = sorted((d.doc_id, d.file_hash) for d in retriever.ws.documents().values())
    key = hashlib.sha1(repr((scenario.model_dump_json(), lang, name, stamp)).encode()).hexdigest()
    cached = st.session_state.get(DOC_KEY)
    if cached is not None and cached[0] == key:
        doc: RequirementsDoc = cached[1]
        return doc
    bar = st.progress(0.0, text=t("requirements.progress"))

    def progress(done: int, total: int, label: str) -> None:
        phase = (
            t(f"requirements.progress.{label}")
            if label in ("read", "embed", "score")
            else t("requirements.progress.search", id=label)
            if label
            else ""
        )
        bar.progress(min(1.0, done / max(total, 1)), text=f"{t('requirements.progress')} {phase}")

    _, catalog = schedule_knowledge()
    config = EvidenceConfig(vector_cache=settings().index_dir / vectors.CACHE_FILE)
    doc = draft_requirements(
        scenario, catalog, retriever, lang=lang, progress=progress, config=config
    )
    bar.empty()
    services().record(
        "draft_requirements",
        current_workspace_name(),
        company=scenario.company.name,
        requirements=len(doc.requirements),
    )
    st.session_state[DOC_KEY] = (key, doc)
    return doc


# ---- preview -----------------------------------------------------------------------
def render_summary(doc: RequirementsDoc, lang: Lang) -> None:
    counts = doc.summary.status_counts
    for column, status in zip(st.columns(len(Status)), Status, strict=True):
        column.metric(f"{STATUS_ICONS[status]} {status_name(status, lang)}", counts[status])
    st.subheader(t("requirements.summary"))
    st.markdown(doc.summary.at_stake)
    st.markdown(f"**{t('requirements.key_points')}**")
    st.markdown(
        "\n".join(
            f"{i}. {STATUS_ICONS[p.status]} **{p.requirement_id} {p.title}** "
            f"({priority_name(p.priority, lang)}): {p.text}"
            for i, p in enumerate(doc.summary.key_points, start=1)
        )
    )
    with st.expander(t("requirements.scenario_text")):
        st.markdown(doc.scenario_text)
    if doc.sources:
        st.caption(
            t(
                "requirements.searched",
                documents=", ".join(
                    f"{s.source} ({t('requirements.citations', n=s.citations)})"
                    for s in doc.sources
                ),
            )
        )
    else:
        st.info(t("requirements.no_documents", name=doc.workspace or "–"))


def render_requirement(req: DraftedRequirement, lang: Lang) -> None:
    head = (
        f"{STATUS_ICONS[req.status]} {req.id} {req.title} · "
        f"{priority_name(req.priority, lang)} · {status_name(req.status, lang)}"
    )
    with st.expander(head):
        st.markdown(req.text)
        st.markdown(f"**{t('requirements.status')}:** {req.status_reason}")
        if req.priority_reason:
            st.markdown(f"**{t('requirements.priority')}:** {req.priority_reason}")
        st.markdown(f"**{t('requirements.rationale')}:** {req.rationale}")
        st.markdown(f"**{t('requirements.verification')}:** {req.verification}")
        st.markdown(f"**{t('requirements.evidence')}:**")
        if not req.evidence:
            st.caption(t("requirements.no_evidence"))
        for ev in req.evidence:
            page = f"{'S.' if lang == 'de' else 'p.'} {ev.page}" if ev.page else ""
            where = ", ".join(x for x in (ev.source, page, ev.section) if x)
            stance = t(
                "requirements.contradicts"
                if ev.stance == Stance.CONTRADICTS
                else "requirements.supports"
            )
            st.markdown(f"> {safe_markdown(ev.text)}\n\n— {where} · *{stance}*")


def render_preview(doc: RequirementsDoc, lang: Lang) -> None:
    st.header(t("requirements.preview"))
    render_summary(doc, lang)
    shown = st.multiselect(
        t("requirements.filter"),
        list(Status),
        list(Status),
        key="rq_filter",
        format_func=_label(_STATUS_LABELS, lang),
    )
    any_shown = False
    for step, categories in sorted(doc.by_step().items()):
        visible = {c: [r for r in reqs if r.status in shown] for c, reqs in categories.items()}
        if not any(visible.values()):
            continue
        any_shown = True
        st.subheader(t("requirements.step", step=step, name=STEPS[step][lang]))
        for category, reqs in visible.items():
            if reqs:
                st.markdown(f"**{category_name(category, lang)}**")
                for req in reqs:
                    render_requirement(req, lang)
    if not any_shown:
        st.caption(t("requirements.none_shown"))
    st.subheader(t("requirements.questions"))
    st.markdown(
        "\n".join(
            f"{i}. {q.text} ({q.requirement_id})" for i, q in enumerate(doc.open_questions, start=1)
        )
        or t("requirements.no_questions")
    )


_STATUS_LABELS: dict[Any, dict[Lang, str]] = {
    s: {lang: f"{STATUS_ICONS[s]} {status_name(s, lang)}" for lang in ("de", "en")} for s in Status
}


def render_downloads(doc: RequirementsDoc, base_key: str, lang: Lang) -> None:
    st.subheader(t("requirements.downloads"))
    stem = f"{t('requirements.file_stem')}-{base_key}-{doc.generated.isoformat()}"
    for column, fmt in zip(
        st.columns(len(REQUIREMENTS_FORMATS)), REQUIREMENTS_FORMATS.values(), strict=True
    ):
        name = fmt.suffix.lstrip(".")
        column.download_button(
            t(f"requirements.download.{name}"),
            data=partial(requirements_bytes, doc, fmt.suffix),
            file_name=stem + fmt.suffix,
            mime=fmt.media_type,
            on_click="ignore",
            icon=":material/download:",
            key=f"rq_download_{name}",
        )


page_header("nav.requirements", "requirements.intro")
lang = current_language()
with reported_errors():
    base_key, base = pick_base()
    if base is not None:
        scenario = scenario_form(base_key, base, lang)
        if scenario is not None:
            doc = draft(scenario, lang)
            render_downloads(doc, base_key, lang)
            render_preview(doc, lang)
