"""Document and model text for ``st.markdown``: shown, never acted on."""

from __future__ import annotations

from core.inert import inert


def safe_markdown(text: str) -> str:
    """Images as their alt text and links with their address (``core.inert``), and "$"
    escaped, which Streamlit would otherwise read as the start of LaTeX."""
    return inert(text).replace("$", "\\$")
