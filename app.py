"""KI-Lotse web app: ``streamlit run app.py`` (or ``make run``).

The entry only wires things: page config, session start, navigation, sidebar, then the
chosen page. Pages live in ``views/``, shared parts in ``ui/``, all logic in the core.
"""

from __future__ import annotations

import streamlit as st

from ui.auth import resolve_principal, sign_in_page
from ui.layout import (
    guarded,
    init_language,
    init_session,
    render_sidebar,
    show_flash,
    workspace_caption,
)
from ui.navigation import build_navigation
from ui.services import base_settings

st.set_page_config(page_title="KI-Lotse", page_icon="🧭", layout="wide")

if not guarded(base_settings):  # an unusable LOTSE_ value: say which, then stop
    st.stop()
init_language()
if resolve_principal(base_settings()) is None:
    sign_in_page(base_settings())
    st.stop()
if not guarded(init_session):
    st.stop()
page = st.navigation(build_navigation())
guarded(render_sidebar)
workspace_caption()
show_flash()
guarded(page.run)
