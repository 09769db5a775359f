"""KI-Lotse web app: ``streamlit run app.py`` (or ``make run``).

The entry only wires things: page config, session start, navigation, sidebar, then the
chosen page. Pages live in ``views/``, shared parts in ``ui/``, all logic in the core.
"""

from __future__ import annotations

import streamlit as st

from ui.layout import guarded, init_session, render_sidebar, show_flash, workspace_caption
from ui.navigation import build_navigation

st.set_page_config(page_title="KI-Lotse", page_icon="🧭", layout="wide")

if not guarded(init_session):
    st.stop()
page = st.navigation(build_navigation())
guarded(render_sidebar)
workspace_caption()
show_flash()
guarded(page.run)
