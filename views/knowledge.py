"""Wissensbasis: upload and ingest files, list and inspect documents, delete with a
confirmation, and create, export or import workspaces (for consultants)."""

from __future__ import annotations

import math
from functools import partial

import streamlit as st

from core.domain import CATEGORIES, DocumentInfo, FileResult, IngestReport
from ingest.flags import describe
from ingest.loaders import supported_suffixes
from ingest.pipeline import Progress
from kb.library import (
    DocumentFilter,
    archive_file_name,
    document_details,
    filter_documents,
    import_workspace_archive,
    ingest_options,
    ingest_uploads,
    load_shipped_knowledge,
    shipped_knowledge_available,
    workspace_archive_bytes,
    workspace_overview,
)
from kb.uploads import Upload
from ui.i18n import Lang, current_language, fmt_datetime, fmt_number, t
from ui.layout import (
    current_workspace,
    current_workspace_name,
    flash,
    page_header,
    reported_errors,
    select_workspace,
)
from ui.services import services, settings

TAB_KEY = "kn_tab"
REPORT_KEY = "kn_last_report"
CONFIRM_KEY = "kn_confirm_delete"
MAX_CHUNKS_SHOWN = 40


def category_label(category: str, lang: Lang | None = None) -> str:
    return t(f"category.{category}", lang) if category in CATEGORIES else category


def language_label(code: str, lang: Lang | None = None) -> str:
    return t(f"doclang.{code}", lang) if code in ("de", "en") else (code or t("common.none"))


def run_ingest(start_text: str, work: partial[IngestReport]) -> None:
    """Run an ingest with a progress bar, keep its report, then rerun to refresh the lists."""
    bar = st.progress(0.0, text=start_text)

    def on_progress(p: Progress) -> None:
        bar.progress(
            p.file_index / max(p.files_total, 1),
            text=t(
                "knowledge.upload.progress",
                i=p.file_index,
                n=p.files_total,
                file=p.file,
                chunks=fmt_number(p.chunks_done),
            ),
        )

    with reported_errors():
        st.session_state[REPORT_KEY] = work(progress=on_progress)
        st.rerun()
    bar.empty()


def failure_reason(result: FileResult, lang: Lang) -> str:
    """Why a file failed, in English for an English reader when one was written."""
    if lang == "en" and result.error_en:
        return result.error_en
    return result.error or ""


def render_report(report: IngestReport) -> None:
    lang = current_language()
    st.markdown(f"**{t('knowledge.result.title')}**")
    text = t(
        "knowledge.result.summary",
        ingested=report.count("ingested"),
        replaced=report.count("replaced"),
        unchanged=report.count("unchanged"),
        failed=report.count("failed"),
        chunks=fmt_number(report.chunks),
    )
    (st.warning if report.failed else st.success)(text)
    st.dataframe(
        [
            {
                t("knowledge.col.file"): r.file,
                t("knowledge.col.status"): t(f"status.{r.status}"),
                t("knowledge.col.chunks"): r.chunks,
                t("knowledge.col.reason"): failure_reason(r, lang),
            }
            for r in report.results
        ],
        hide_index=True,
        width="stretch",
    )


def upload_tab() -> None:
    ws = current_workspace()
    s = settings()
    with st.form("kn_upload", clear_on_submit=True):
        files = st.file_uploader(
            t("knowledge.upload.files"),
            accept_multiple_files=True,
            type=[suffix.lstrip(".") for suffix in supported_suffixes()],
            help=t("knowledge.upload.files_help", mb=fmt_number(s.max_file_mb)),
            # the widget then states our limit (not Streamlit's 200 MB) and refuses larger
            # files in the browser; the ingest check still names any file over a fraction
            max_upload_size=max(1, math.ceil(s.max_file_mb)),
        )
        left, right = st.columns(2)
        category = left.selectbox(
            t("knowledge.upload.category"),
            CATEGORIES,
            format_func=partial(category_label, lang=current_language()),
            help=t("knowledge.upload.category_help"),
        )
        vendor = right.text_input(
            t("knowledge.upload.vendor"), help=t("knowledge.upload.vendor_help")
        )
        submitted = st.form_submit_button(
            t("knowledge.upload.submit"), type="primary", icon=":material/upload:"
        )
    if submitted:
        if not files:
            st.warning(t("knowledge.upload.none"))
        else:
            uploads = [Upload(f.name, f.getvalue()) for f in files]
            run_ingest(
                t("knowledge.upload.starting", n=len(uploads)),
                partial(ingest_uploads, ws, uploads, ingest_options(s, category, vendor)),
            )
    if shipped_knowledge_available(s) and st.button(
        t("knowledge.shipped.button"),
        help=t("knowledge.shipped.help"),
        icon=":material/auto_stories:",
    ):
        run_ingest(t("knowledge.shipped.button"), partial(load_shipped_knowledge, ws, s))
    report = st.session_state.get(REPORT_KEY)
    if isinstance(report, IngestReport):
        render_report(report)


def document_rows(docs: list[DocumentInfo]) -> list[dict[str, object]]:
    return [
        {
            t("knowledge.col.title"): d.title or d.source,
            t("knowledge.col.file"): d.source,
            t("knowledge.col.category"): category_label(d.category),
            t("knowledge.col.vendor"): d.vendor or "",
            t("knowledge.col.language"): language_label(d.language),
            t("knowledge.col.pages"): d.pages,
            t("knowledge.col.chunks"): d.chunks,
            t("knowledge.col.ingested"): fmt_datetime(d.ingested_at),
        }
        for d in docs
    ]


def documents_tab(docs: list[DocumentInfo]) -> None:
    if not docs:
        st.info(
            t("knowledge.empty", workspace=current_workspace_name()), icon=":material/upload_file:"
        )
        return
    date_format = "DD.MM.YYYY" if current_language() == "de" else "YYYY-MM-DD"
    cols = st.columns([2, 2, 1, 1, 2])
    categories = cols[0].multiselect(
        t("knowledge.filter.category"),
        sorted({d.category for d in docs}),
        format_func=partial(category_label, lang=current_language()),
        key="kn_f_category",
        placeholder=t("knowledge.filter.all"),
    )
    languages = cols[1].multiselect(
        t("knowledge.filter.language"),
        sorted({d.language for d in docs}),
        format_func=partial(language_label, lang=current_language()),
        key="kn_f_language",
        placeholder=t("knowledge.filter.all"),
    )
    since = cols[2].date_input(
        t("knowledge.filter.since"), value=None, key="kn_f_since", format=date_format
    )
    until = cols[3].date_input(
        t("knowledge.filter.until"), value=None, key="kn_f_until", format=date_format
    )
    text = cols[4].text_input(t("knowledge.filter.text"), key="kn_f_text")
    shown = filter_documents(
        docs,
        DocumentFilter(
            categories=frozenset(categories),
            languages=frozenset(languages),
            since=since if not isinstance(since, tuple) else None,
            until=until if not isinstance(until, tuple) else None,
            text=text,
        ),
    )
    st.caption(t("knowledge.list.count", shown=len(shown), total=len(docs)))
    if not shown:
        st.info(t("knowledge.list.no_match"))
        return
    st.dataframe(document_rows(shown), hide_index=True, width="stretch")
    st.subheader(t("knowledge.details.title"))
    by_id = {d.doc_id: d for d in shown}
    doc_id = st.selectbox(
        t("knowledge.details.pick"),
        list(by_id),
        key="kn_detail",
        format_func=lambda i: f"{by_id[i].title or by_id[i].source} ({by_id[i].source})",
    )
    if doc_id:
        with reported_errors():
            render_details(doc_id)


def render_details(doc_id: str) -> None:
    ws = current_workspace()
    details = document_details(ws, doc_id)
    info = details.info
    pages, chunks, _ = st.columns([1, 1, 2])
    pages.metric(t("knowledge.details.pages"), info.pages or t("common.none"))
    chunks.metric(t("knowledge.details.chunks"), fmt_number(info.chunks))
    st.caption(
        t(
            "knowledge.details.meta",
            source=info.source,
            category=category_label(info.category),
            language=language_label(info.language),
            vendor=info.vendor or t("common.none"),
            ingested=fmt_datetime(info.ingested_at),
        )
    )
    if details.pages_with_text:
        st.caption(
            t(
                "knowledge.details.pages_with_text",
                pages=", ".join(str(p) for p in details.pages_with_text),
            )
        )
    if details.sections:
        # the last part of each heading path; the document title repeats in every one
        leaves = list(dict.fromkeys(s.split(" › ")[-1] for s in details.sections))
        shown = leaves[:15]
        more = " …" if len(leaves) > len(shown) else ""
        st.caption(
            t("knowledge.details.sections", n=len(leaves), sections=" · ".join(shown) + more)
        )
    if details.flags:
        found = ", ".join(describe(f, current_language()) for f in details.flags)
        st.warning(t("knowledge.details.flags", flags=found))
    st.markdown(f"**{t('knowledge.details.first_lines')}**")
    st.text(details.first_lines)
    with st.expander(t("knowledge.details.all_chunks", n=len(details.chunks))):
        for chunk in details.chunks[:MAX_CHUNKS_SHOWN]:
            st.caption(
                t(
                    "knowledge.details.chunk_caption",
                    n=chunk.position + 1,
                    page=chunk.page or t("common.none"),
                    section=chunk.section or t("common.none"),
                )
            )
            st.text(chunk.text)
        if len(details.chunks) > MAX_CHUNKS_SHOWN:
            st.caption(t("knowledge.details.more_chunks", n=len(details.chunks) - MAX_CHUNKS_SHOWN))
    render_delete(info)


def render_delete(info: DocumentInfo) -> None:
    """Two steps: the first button asks, only the second one deletes."""
    title = info.title or info.source
    if st.session_state.get(CONFIRM_KEY) != info.doc_id:
        if st.button(t("knowledge.delete.button"), icon=":material/delete:", key="kn_delete"):
            st.session_state[CONFIRM_KEY] = info.doc_id
            st.rerun()
        return
    st.warning(
        t(
            "knowledge.delete.confirm",
            title=title,
            chunks=info.chunks,
            workspace=current_workspace_name(),
        )
    )
    yes, no = st.columns(2)
    if yes.button(t("knowledge.delete.yes"), type="primary", key="kn_delete_yes"):
        current_workspace().delete_document(info.doc_id)
        st.session_state.pop(CONFIRM_KEY, None)
        flash(t("knowledge.delete.done", title=title))
        st.rerun()
    if no.button(t("common.cancel"), key="kn_delete_no"):
        st.session_state.pop(CONFIRM_KEY, None)
        st.rerun()


def workspaces_tab() -> None:
    store = services().workspaces
    st.markdown(t("knowledge.ws.intro"))
    st.dataframe(
        [
            {
                t("knowledge.ws.col.name"): w.name,
                t("knowledge.ws.col.documents"): w.documents,
                t("knowledge.ws.col.chunks"): w.chunks,
                t("knowledge.ws.col.last"): fmt_datetime(w.last_ingested_at),
            }
            for w in workspace_overview(store)
        ],
        hide_index=True,
        width="stretch",
    )

    create, export, restore = st.columns(3)
    with create:
        st.markdown(f"**{t('knowledge.ws.create.title')}**")
        with st.form("kn_ws_create", clear_on_submit=True):
            name = st.text_input(t("knowledge.ws.create.name"), help=t("knowledge.ws.create.help"))
            if st.form_submit_button(t("knowledge.ws.create.submit"), icon=":material/add:"):
                with reported_errors():
                    store.create(name.strip())
                    select_workspace(name.strip())
                    flash(t("knowledge.ws.create.done", name=name.strip()))
                    st.rerun()
    with export:
        st.markdown(f"**{t('knowledge.ws.export.title')}**")
        current = current_workspace_name()
        st.download_button(
            t("knowledge.ws.export.button", name=current),
            data=partial(workspace_archive_bytes, store, current),
            file_name=archive_file_name(current),
            mime="application/zip",
            on_click="ignore",
            icon=":material/download:",
            key="kn_ws_export",
        )
        st.caption(t("knowledge.ws.export.help"))
    with restore:
        st.markdown(f"**{t('knowledge.ws.import.title')}**")
        with st.form("kn_ws_import", clear_on_submit=True):
            archive = st.file_uploader(t("knowledge.ws.import.file"), type=["zip"])
            new_name = st.text_input(
                t("knowledge.ws.import.name"), help=t("knowledge.ws.create.help")
            )
            replace = st.checkbox(t("knowledge.ws.import.replace"))
            if st.form_submit_button(t("knowledge.ws.import.submit"), icon=":material/upload:"):
                if archive is None:
                    st.warning(t("knowledge.ws.import.none"))
                else:
                    with reported_errors():
                        imported = import_workspace_archive(
                            store, Upload(archive.name, archive.getvalue()), new_name, replace
                        )
                        select_workspace(imported)
                        flash(t("knowledge.ws.import.done", name=imported))
                        st.rerun()


page_header("knowledge.title", "knowledge.intro")
all_docs = list(current_workspace().documents(fresh=True).values())
# Stateful tabs: only the open one runs, and a rerun (after delete or import) stays there.
upload, documents, workspaces = st.tabs(
    [t("knowledge.tab.upload"), t("knowledge.tab.documents"), t("knowledge.tab.workspaces")],
    key=TAB_KEY,
    on_change="rerun",
)
if upload.open is not False:
    with upload:
        if not all_docs:
            st.info(
                t("knowledge.empty", workspace=current_workspace_name()),
                icon=":material/upload_file:",
            )
        upload_tab()
if documents.open is not False:
    with documents:
        documents_tab(all_docs)
if workspaces.open is not False:
    with workspaces:
        workspaces_tab()
