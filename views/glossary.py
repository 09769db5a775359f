"""Glossar: the shipped German/English glossary, searchable by term, synonym or definition."""

from __future__ import annotations

import streamlit as st

from kb.glossary_search import search_glossary
from ui.i18n import current_language, t
from ui.layout import page_header, reported_errors
from ui.services import glossary

MAX_SHOWN = 200

page_header("glossary.title", "glossary.intro")
lang = current_language()
with reported_errors():
    entries = glossary()
    query = st.text_input(
        t("glossary.search"), placeholder=t("glossary.search_placeholder"), key="gl_query"
    )
    hits = search_glossary(entries, query, lang)
    st.caption(t("glossary.count", n=len(hits), total=len(entries)))
    if not hits:
        st.info(t("glossary.no_match"))
    for entry in hits[:MAX_SHOWN]:
        main, other = (entry.de, entry.en) if lang == "de" else (entry.en, entry.de)
        synonyms = entry.synonyms_de + entry.synonyms_en
        with st.container(border=True):
            st.markdown(f"**{main}** · {t('glossary.other_lang', term=other)}")
            st.markdown(entry.definition.get(lang))
            if synonyms:
                st.caption(t("glossary.synonyms", terms=", ".join(synonyms)))
