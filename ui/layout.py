"""What every page shares: session start, sidebar, page header, and errors as messages.

The sidebar always shows the workspace selector, the language switch and where data
goes; the current workspace name also heads every page. Domain errors
(``core.errors.LotseError``) are shown with ``st.error`` and their message; anything
else is logged and shown as a short notice, never as a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from chains.connection import data_flow
from core.access import Action
from core.errors import AccessDenied, LotseError
from kb.workspace import Workspace
from ui.auth import sign_out, single_user
from ui.i18n import LANGUAGES, current_language, set_language, t
from ui.services import base_settings, services, settings

log = logging.getLogger(__name__)

WS_KEY = "_lotse_workspace"
DEFAULT_WORKSPACE = "default"
_WS_WIDGET = "_lotse_ws_select"
_LANG_WIDGET = "_lotse_lang_select"
_FLASH_KEY = "_lotse_flash"
_STARTED_KEY = "_lotse_started"


# ---- session -------------------------------------------------------------------------
def init_language() -> None:
    """The UI language from the settings, once per session: before sign-in too, so the
    sign-in page of an English installation is English."""
    if not st.session_state.get(_STARTED_KEY):
        set_language(base_settings().ui_language)
        st.session_state[_STARTED_KEY] = True


def init_session() -> None:
    """The session's language and a valid current workspace."""
    init_language()
    names = services().workspaces.names()
    current = st.session_state.get(WS_KEY)
    if current not in names:
        if not names:
            if not services().principal.can(Action.MANAGE):
                raise AccessDenied(t("auth.no_workspace", "de"), en=t("auth.no_workspace", "en"))
            services().workspaces.open(DEFAULT_WORKSPACE, create=True)
            names = [DEFAULT_WORKSPACE]
        current = DEFAULT_WORKSPACE if DEFAULT_WORKSPACE in names else names[0]
        st.session_state[WS_KEY] = current


def current_workspace_name() -> str:
    name: str = st.session_state.get(WS_KEY, DEFAULT_WORKSPACE)
    return name


def current_workspace() -> Workspace:
    return services().workspaces.open(current_workspace_name())


def select_workspace(name: str) -> None:
    """Make ``name`` the session's workspace (the sidebar follows on the next run)."""
    st.session_state[WS_KEY] = name


# ---- sidebar -------------------------------------------------------------------------
def _on_workspace_change() -> None:
    select_workspace(st.session_state[_WS_WIDGET])


def _on_language_change() -> None:
    set_language(st.session_state[_LANG_WIDGET])


def render_sidebar() -> None:
    """Workspace selector, language switch and data-flow line, on every page."""
    names = services().workspaces.names()
    current = current_workspace_name()
    if current not in names:
        names = [*names, current]
    st.session_state[_WS_WIDGET] = current
    st.session_state[_LANG_WIDGET] = current_language()
    with st.sidebar:
        st.selectbox(
            t("sidebar.workspace"),
            names,
            key=_WS_WIDGET,
            on_change=_on_workspace_change,
            help=t("sidebar.workspace_help"),
        )
        st.radio(
            t("sidebar.language"),
            list(LANGUAGES),
            key=_LANG_WIDGET,
            horizontal=True,
            format_func=LANGUAGES.__getitem__,
            on_change=_on_language_change,
        )
        st.caption(data_flow_line())
        _identity()


def _identity() -> None:
    """Who is signed in (with sign-out), or the single-user notice."""
    base = base_settings()
    if single_user(base):
        st.caption(t("auth.single_user"))
        return
    principal = services().principal
    st.caption(t("auth.signed_in", name=principal.name, role=principal.role.value))
    if st.button(t("auth.logout"), key="_lotse_logout"):
        sign_out(base)
        st.rerun()


def data_flow_line() -> str:
    flow = data_flow(settings())
    if flow.left_machine:
        return t("sidebar.flow.external", host=flow.host or "?")
    if flow.provider == "none":
        return t("sidebar.flow.offline")
    return t("sidebar.flow.local")


# ---- page parts ----------------------------------------------------------------------
def page_header(title_key: str, intro_key: str | None = None) -> None:
    """Title and one-paragraph introduction of a page."""
    st.title(t(title_key))
    if intro_key:
        st.markdown(t(intro_key))


def workspace_caption() -> None:
    st.caption(t("common.workspace_caption", name=current_workspace_name()))


def flash(message: str, kind: str = "success") -> None:
    """Show ``message`` once on the next run (after ``st.rerun``)."""
    st.session_state[_FLASH_KEY] = (kind, message)


def show_flash() -> None:
    item = st.session_state.pop(_FLASH_KEY, None)
    if item:
        kind, message = item
        getattr(st, kind if kind in ("success", "info", "warning") else "info")(message)


# ---- errors --------------------------------------------------------------------------
@contextmanager
def reported_errors() -> Iterator[None]:
    """Show a domain error where it happened, in the UI language; the rest of the page
    keeps rendering."""
    try:
        yield
    except LotseError as exc:
        st.error(exc.text(current_language()), icon=":material/error:")


def guarded(action: Callable[[], Any]) -> bool:
    """Run ``action``; show any failure as a message in the UI language. True when it
    succeeded."""
    try:
        action()
    except LotseError as exc:
        st.error(exc.text(current_language()), icon=":material/error:")
        return False
    except Exception as exc:
        log.exception("unexpected error in the app")
        st.error(t("common.unexpected_error", kind=type(exc).__name__), icon=":material/error:")
        return False
    return True
