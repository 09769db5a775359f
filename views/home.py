"""Start page: what KI-Lotse offers, the seven steps, and what to do first."""

from __future__ import annotations

import streamlit as st

from knowledge.common import STEPS
from ui.i18n import current_language, fmt_number, t
from ui.layout import current_workspace, current_workspace_name, page_header

OFFERS = (
    ("home.offer.chat", "views/chat.py", ":material/forum:"),
    ("home.offer.requirements", "views/requirements.py", ":material/checklist:"),
    ("home.offer.schedule", "views/schedule.py", ":material/calendar_month:"),
    ("home.offer.vendors", "views/vendors.py", ":material/compare_arrows:"),
)

page_header("home.title", "home.intro")

docs = current_workspace().documents()
if docs:
    st.success(
        t(
            "home.status.ready",
            workspace=current_workspace_name(),
            documents=fmt_number(len(docs)),
            chunks=fmt_number(sum(d.chunks for d in docs.values())),
        )
    )
else:
    st.info(
        t("home.status.empty", workspace=current_workspace_name()), icon=":material/upload_file:"
    )
    st.page_link(
        "views/knowledge.py", label=t("home.to_knowledge"), icon=":material/library_books:"
    )

st.subheader(t("home.offers.title"))
for column, (key, target, icon) in zip(st.columns(len(OFFERS)), OFFERS, strict=True):
    with column.container(border=True):
        st.markdown(f"**{t(key + '.title')}**")
        st.caption(t(key + ".text"))
        st.page_link(target, label=t("home.open"), icon=icon)

left, right = st.columns([3, 2])
with left:
    st.subheader(t("home.steps.title"))
    lang = current_language()
    st.markdown(
        "\n".join(f"{n}. **{names[lang]}** – {t(f'home.step.{n}')}" for n, names in STEPS.items())
    )
with right:
    st.subheader(t("home.first.title"))
    st.markdown(t("home.first.body"))
