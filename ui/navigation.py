"""The app's pages in one table: file, title key, icon, stable URL path, section.

Titles follow the UI language; URL paths do not, so switching the language keeps the
user on the same page. The page scripts live in ``views/``, not ``pages/``: Streamlit
would treat a ``pages/`` folder as a legacy multipage app and open a deep link without
``app.py`` (no sidebar, no session start). Optional pages (the audit log) appear once
their file exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from ui.i18n import t

APP_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageSpec:
    file: str
    title_key: str
    icon: str
    url_path: str
    section_key: str
    default: bool = False
    optional: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "views/home.py", "nav.home", ":material/home:", "start", "nav.section.start", default=True
    ),
    PageSpec("views/chat.py", "nav.chat", ":material/forum:", "fragen", "nav.section.work"),
    PageSpec(
        "views/requirements.py",
        "nav.requirements",
        ":material/checklist:",
        "anforderungen",
        "nav.section.work",
    ),
    PageSpec(
        "views/schedule.py",
        "nav.schedule",
        ":material/calendar_month:",
        "zeitplan",
        "nav.section.work",
    ),
    PageSpec(
        "views/vendors.py",
        "nav.vendors",
        ":material/compare_arrows:",
        "anbieter",
        "nav.section.work",
    ),
    PageSpec(
        "views/training.py",
        "nav.training",
        ":material/school:",
        "schulung",
        "nav.section.work",
    ),
    PageSpec(
        "views/knowledge.py",
        "nav.knowledge",
        ":material/library_books:",
        "wissensbasis",
        "nav.section.manage",
    ),
    PageSpec(
        "views/glossary.py", "nav.glossary", ":material/menu_book:", "glossar", "nav.section.manage"
    ),
    PageSpec(
        "views/settings.py",
        "nav.settings",
        ":material/settings:",
        "einstellungen",
        "nav.section.manage",
    ),
    PageSpec(
        "views/audit.py",
        "nav.audit",
        ":material/history:",
        "protokoll",
        "nav.section.manage",
        optional=True,
    ),
)


def available_pages(root: Path = APP_ROOT) -> list[PageSpec]:
    """Every required page, plus optional pages whose file exists."""
    return [p for p in PAGES if not p.optional or (root / p.file).is_file()]


def build_navigation(root: Path = APP_ROOT) -> dict[str, list[st.Page]]:
    """Sections (in the UI language) to ``st.Page`` objects, for ``st.navigation``."""
    sections: dict[str, list[st.Page]] = {}
    for spec in available_pages(root):
        page = st.Page(
            root / spec.file,
            title=t(spec.title_key),
            icon=spec.icon,
            url_path=spec.url_path,
            default=spec.default,
        )
        sections.setdefault(t(spec.section_key), []).append(page)
    return sections
