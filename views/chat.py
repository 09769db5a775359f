"""Fragen: a chat over the workspace's documents. Answers stream in, carry numbered sources
(document, page, the passage used, warnings), and say whether they are grounded and where
the question went. The conversation is kept per workspace in the session and can be
downloaded as Markdown. All answering happens in ``chains.answering``."""

from __future__ import annotations

import streamlit as st

from chains.answering import INSTRUCTION_FLAG, ChatService, conversation_markdown
from chains.answering.evidence import shorten
from core.audit import question_details
from core.domain import Answer, ChatTurn, Citation
from ingest.flags import describe
from ui.i18n import current_language, t
from ui.layout import current_workspace, current_workspace_name, page_header, reported_errors
from ui.markdown import safe_markdown
from ui.services import services, settings

HISTORY_KEY = "_chat_history"


def history(workspace: str) -> list[ChatTurn]:
    """This session's conversation in ``workspace`` (each workspace keeps its own)."""
    store: dict[str, list[ChatTurn]] = st.session_state.setdefault(HISTORY_KEY, {})
    return store.setdefault(workspace, [])


def flag_text(flag: str) -> str:
    return (
        t("chat.flag.instruction")
        if flag == INSTRUCTION_FLAG
        else t("chat.flag.other", flag=describe(flag, current_language()))
    )


def source_label(c: Citation) -> str:
    where = t("chat.source.page", page=c.page) if c.page is not None else c.section
    warn = " ⚠️" if c.flags else ""
    return f"[{c.n}] {c.source}" + (f" · {where}" if where else "") + warn


def show_sources(citations: tuple[Citation, ...], title_key: str) -> None:
    st.markdown(f"**{t(title_key)}**")
    for c in citations:
        with st.expander(source_label(c)):
            for flag in c.flags:
                st.warning(flag_text(flag), icon=":material/shield:")
            if c.section:
                st.caption(t("chat.source.section", section=c.section))
            st.markdown(f"**{t('chat.source.used')}:** {safe_markdown(c.snippet)}")
            st.caption(f"{t('chat.source.context')}: {safe_markdown(shorten(c.text, 1200))}")


def flow_text(answer: Answer) -> str:
    if answer.left_machine:
        text = t("chat.flow.external", provider=answer.provider)
        return f"{text} {t('chat.flow.redacted')}" if answer.redacted else text
    if answer.provider == "extractive":
        return t("chat.flow.offline")
    return t("chat.flow.local", provider=answer.provider)


def show_state(answer: Answer) -> None:
    """Grounding, data flow, notices and sources below an answer."""
    st.caption(
        f"{t('chat.grounded' if answer.grounded else 'chat.ungrounded')} · {flow_text(answer)}"
    )
    if answer.notice:
        st.warning(answer.notice, icon=":material/info:")
    if answer.citations:
        show_sources(answer.citations, "chat.sources")
    elif answer.possibly_related:
        show_sources(answer.possibly_related, "chat.related")


def replay(turns: list[ChatTurn]) -> None:
    for turn in turns:
        with st.chat_message("user"):
            st.markdown(safe_markdown(turn.question))
        with st.chat_message("assistant"):
            st.markdown(safe_markdown(turn.answer.answer))
            show_state(turn.answer)


def answer_new(question: str, workspace: str, turns: list[ChatTurn]) -> None:
    """Stream the answer into the page, then replace it with the post-checked text."""
    with st.chat_message("user"):
        st.markdown(safe_markdown(question))
    with st.chat_message("assistant"), reported_errors():
        chat = ChatService.from_services(services(), workspace, settings())
        stream = chat.stream(question, history=list(turns))
        slot = st.empty()
        with slot.container():
            st.write_stream(stream)
        answer = stream.answer
        services().record(
            "ask",
            workspace,
            provider=answer.provider,
            grounded=answer.grounded,
            left_machine=answer.left_machine,
            **question_details(question, settings().log_questions),
        )
        slot.markdown(safe_markdown(answer.answer))
        show_state(answer)
        turns.append(ChatTurn(question, answer))


page_header("chat.title", "chat.intro")
workspace = current_workspace_name()
if not current_workspace().documents():
    st.info(t("chat.empty_workspace"), icon=":material/upload_file:")
    st.stop()
turns = history(workspace)
replay(turns)
if question := st.chat_input(t("chat.input")):
    answer_new(question, workspace, turns)
if turns:
    left, right = st.columns(2)
    left.download_button(
        t("chat.download"),
        conversation_markdown(turns, current_language(), workspace).encode("utf-8"),
        file_name=f"ki-lotse-{workspace}-chat.md",
        mime="text/markdown",
        icon=":material/download:",
    )
    if right.button(t("chat.clear"), icon=":material/restart_alt:"):
        turns.clear()
        st.rerun()
