"""Sign-in for the app: who acts in this browser session.

No users configured (``lotse users add`` never run): single-user mode, the local admin,
with a visible notice. Otherwise a sign-in form (or OIDC via ``st.login`` when
``LOTSE_AUTH=oidc``); sessions expire after ``LOTSE_SESSION_TIMEOUT_MIN`` idle minutes;
failed sign-ins are rate-limited by the user store and written to the audit trail.
"""

from __future__ import annotations

import time

import streamlit as st

from core.access import Principal
from core.audit import AuditLog
from core.errors import AccessDenied, ConfigError
from core.settings import Settings
from core.users import UserStore
from ui.i18n import current_language, t

_PRINCIPAL_KEY = "_lotse_principal"
_SEEN_KEY = "_lotse_seen"


def user_store(settings: Settings) -> UserStore:
    return UserStore(settings.data_dir / "users.db")


def _audit(settings: Settings) -> AuditLog:
    return AuditLog(settings.data_dir / "audit.jsonl")


def current_principal(settings: Settings) -> Principal | None:
    """The signed-in user, the local admin in single-user mode, or None (must sign in)."""
    store = user_store(settings)
    if not store.has_users():
        return Principal.local_admin()
    principal: Principal | None = st.session_state.get(_PRINCIPAL_KEY)
    if principal is None:
        return None
    idle = time.monotonic() - float(st.session_state.get(_SEEN_KEY, 0.0))
    if idle > settings.session_timeout_min * 60:
        sign_out(settings, expired=True)
        return None
    st.session_state[_SEEN_KEY] = time.monotonic()
    try:  # grants may have changed since sign-in
        return store.principal(principal.name)
    except ConfigError:
        sign_out(settings)
        return None


_ACTING_KEY = "_lotse_acting"


def resolve_principal(settings: Settings) -> Principal | None:
    """Decide once per run who acts; pages then get services for that user."""
    principal = current_principal(settings)
    st.session_state[_ACTING_KEY] = principal
    return principal


def acting_principal(settings: Settings) -> Principal:
    """Who acts in this run; never falls back to more rights than the session has."""
    principal: Principal | None = st.session_state.get(_ACTING_KEY)
    if principal is None:
        principal = resolve_principal(settings)
    if principal is None:
        raise AccessDenied(t("auth.intro", "de"), en=t("auth.intro", "en"))
    return principal


def single_user(settings: Settings) -> bool:
    return not user_store(settings).has_users()


def sign_out(settings: Settings, expired: bool = False) -> None:
    principal: Principal | None = st.session_state.pop(_PRINCIPAL_KEY, None)
    if principal is not None:
        _audit(settings).record("logout", user=principal.name, expired=expired)
    if expired:
        st.session_state["_lotse_auth_notice"] = t("auth.expired")


def _signed_in(settings: Settings, principal: Principal) -> None:
    st.session_state[_PRINCIPAL_KEY] = principal
    st.session_state[_SEEN_KEY] = time.monotonic()
    _audit(settings).record("login", user=principal.name)


def sign_in_page(settings: Settings) -> None:
    """Render the sign-in form; on success the next run shows the app."""
    st.title(t("auth.title"))
    st.markdown(t("auth.intro"))
    notice = st.session_state.pop("_lotse_auth_notice", None)
    if notice:
        st.info(notice)
    if settings.auth == "oidc":
        _oidc(settings)
        return
    with st.form("login"):
        name = st.text_input(t("auth.user"))
        password = st.text_input(t("auth.password"), type="password")
        submitted = st.form_submit_button(t("auth.submit"), type="primary")
    if submitted:
        try:
            principal = user_store(settings).authenticate(name.strip(), password)
        except AccessDenied as exc:
            _audit(settings).record("login_failed", user=name.strip()[:64])
            st.error(exc.text(current_language()))
            return
        _signed_in(settings, principal)
        st.rerun()


def _oidc(settings: Settings) -> None:
    """OIDC through Streamlit's st.login; the e-mail must be a KI-Lotse user (roles)."""
    if not st.user.is_logged_in:
        st.button(t("auth.oidc"), on_click=st.login, type="primary")
        return
    email = str(st.user.get("email", ""))
    try:
        principal = user_store(settings).principal(email)
    except ConfigError:
        _audit(settings).record("login_failed", user=email[:64], via="oidc")
        st.error(t("auth.oidc_unknown", email=email))
        return
    _signed_in(settings, principal)
    st.rerun()
