"""The Streamlit side: services cache, translations, navigation and the shared layout."""
