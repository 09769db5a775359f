"""Protokoll: the audit trail for administrators, with its chain check and a download."""

from __future__ import annotations

import json

import streamlit as st

from core.access import Role
from ui.i18n import fmt_datetime, t
from ui.layout import page_header
from ui.services import services

page_header("audit.title", "audit.intro")
svc = services()
if svc.principal.role != Role.ADMIN:
    st.info(t("audit.admin_only"))
    st.stop()

result = svc.audit.verify()
if result.ok:
    st.success(t("audit.ok", n=result.events))
else:
    st.error(t("audit.broken", line=result.first_bad_line, reason=result.reason))

events = list(svc.audit.events())
workspaces = sorted({e.workspace for e in events if e.workspace})
choice = st.selectbox(t("audit.filter_ws"), [t("audit.all"), *workspaces])
shown = [e for e in events if choice == t("audit.all") or e.workspace == choice]
if not shown:
    st.info(t("audit.empty"))
else:
    st.dataframe(
        [
            {
                t("audit.col.time"): fmt_datetime(e.time),
                t("audit.col.user"): e.user,
                t("audit.col.action"): e.action,
                t("audit.col.workspace"): e.workspace,
                t("audit.col.details"): json.dumps(e.details, ensure_ascii=False),
            }
            for e in reversed(shown[-500:])
        ],
        hide_index=True,
        width="stretch",
    )
st.download_button(
    t("audit.download"),
    data="".join(json.dumps(e.__dict__, ensure_ascii=False) + "\n" for e in events),
    file_name="ki-lotse-audit.jsonl",
    mime="application/x-ndjson",
)
