"""Einstellungen: language model provider with a connection test, where data goes,
retrieval depth and UI language. Choices apply to this browser session; secrets are
kept in the session only and never shown back."""

from __future__ import annotations

from functools import partial

import streamlit as st
from pydantic import SecretStr

from chains.connection import DEFAULT_BASE_URLS, base_url, check_connection, data_flow
from ui.i18n import LANGUAGES, Lang, current_language, fmt_number, set_language, t
from ui.layout import flash, page_header
from ui.services import base_settings, overrides, services, set_overrides, settings

PROVIDERS = ["none", "ollama", "openai", "llamacpp"]
_LANG_WIDGET = "_lotse_lang_settings"


def provider_label(provider: str, lang: Lang) -> str:
    return t(f"settings.provider.{provider}", lang)


page_header("settings.title", "settings.intro")
current = settings()

# ---- provider ------------------------------------------------------------------------
st.subheader(t("settings.provider.title"))
with st.form("st_provider"):
    provider = st.radio(
        t("settings.provider.label"),
        PROVIDERS,
        index=PROVIDERS.index(current.llm_provider),
        format_func=partial(provider_label, lang=current_language()),
        help=t("settings.provider.help"),
    )
    left, right = st.columns(2)
    url = left.text_input(
        t("settings.base_url"),
        value=current.llm_base_url or "",
        placeholder=DEFAULT_BASE_URLS.get(current.llm_provider, "https://…/v1"),
        help=t("settings.base_url_help"),
    )
    model = right.text_input(
        t("settings.model"), value=current.llm_model or "", help=t("settings.model_help")
    )
    key = left.text_input(
        t("settings.api_key"),
        value="",
        type="password",
        help=t("settings.api_key_help"),
        placeholder=t("settings.api_key_set") if current.llm_api_key else "",
    )
    timeout = right.number_input(
        t("settings.timeout"),
        min_value=1.0,
        max_value=600.0,
        value=float(current.llm_timeout_s),
        step=5.0,
        format="%.0f",
    )
    clear_key = st.checkbox(t("settings.api_key_clear")) if current.llm_api_key else False
    redact = st.checkbox(t("settings.redact"), value=current.redact_personal_data)
    st.markdown(f"**{t('settings.retrieval.title')}**")
    k = st.slider(
        t("settings.retrieval.k"),
        min_value=1,
        max_value=30,
        value=min(current.search_k, 30),
        help=t("settings.retrieval.k_help"),
    )
    if st.form_submit_button(t("settings.apply"), type="primary"):
        values = dict(overrides())
        values.update(
            llm_provider=provider,
            llm_base_url=url.strip() or None,
            llm_model=model.strip() or None,
            llm_timeout_s=float(timeout),
            redact_personal_data=redact,
            search_k=int(k),
        )
        if key:
            values["llm_api_key"] = SecretStr(key)
        elif clear_key:
            values["llm_api_key"] = None
        set_overrides(values)
        services().record("settings_changed", fields=sorted(k for k in values if "key" not in k))
        flash(t("settings.applied"))
        st.rerun()

if st.button(t("settings.test.button"), icon=":material/network_check:", key="st_test"):
    with st.spinner(t("settings.test.button")):
        result = check_connection(current)
    models = ", ".join(result.models[:10]) or t("common.none")
    message = t(
        f"settings.test.{result.reason}",
        detail=result.detail,
        models=models,
        seconds=fmt_number(result.seconds, 2),
    )
    if result.ok:
        st.success(message)
    else:
        st.error(message)

# ---- data flow -----------------------------------------------------------------------
st.subheader(t("settings.flow.title"))
flow = data_flow(current)
if flow.left_machine:
    redaction = t("settings.flow.redacted" if flow.redacted else "settings.flow.not_redacted")
    st.warning(
        f"{t('settings.flow.external', host=flow.host or '?')}\n\n{redaction}",
        icon=":material/public:",
    )
elif flow.provider == "none":
    st.success(t("settings.flow.offline"), icon=":material/lock:")
else:
    where = base_url(current) if flow.provider != "llamacpp" else (current.llm_model or "GGUF")
    st.success(t("settings.flow.local", where=where), icon=":material/lock:")

# ---- language ------------------------------------------------------------------------
st.subheader(t("settings.language.title"))
st.session_state[_LANG_WIDGET] = current_language()
st.radio(
    t("settings.language.title"),
    list(LANGUAGES),
    key=_LANG_WIDGET,
    horizontal=True,
    format_func=LANGUAGES.__getitem__,
    label_visibility="collapsed",
    on_change=lambda: set_language(st.session_state[_LANG_WIDGET]),
)

# ---- permanent configuration and system ----------------------------------------------
with st.expander(t("settings.env.title")):
    st.markdown(t("settings.env.intro"))
    lines = [
        f"LOTSE_LLM_PROVIDER={current.llm_provider}",
        f"LOTSE_LLM_BASE_URL={current.llm_base_url or ''}",
        f"LOTSE_LLM_MODEL={current.llm_model or ''}",
        f"LOTSE_LLM_TIMEOUT_S={current.llm_timeout_s:g}",
        f"LOTSE_REDACT_PERSONAL_DATA={str(current.redact_personal_data).lower()}",
        f"LOTSE_SEARCH_K={current.search_k}",
        f"LOTSE_UI_LANGUAGE={current_language()}",
    ]
    st.code("\n".join(lines), language="bash")

with st.expander(t("settings.system.title")):
    base = base_settings()
    st.markdown(
        f"- {t('settings.system.data_dir')}: `{base.data_dir.resolve()}`\n"
        f"- {t('settings.system.store')}: "
        f"{base.chroma_url or t('settings.system.store_embedded')}\n"
        f"- {t('settings.system.embedding')}: `{base.embedding_model}`"
    )
