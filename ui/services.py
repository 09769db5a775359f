"""The app's access to the core: settings read once per session, heavy services built once.

``services()`` caches ``core.factory.build_services`` with ``st.cache_resource`` under a
key of the settings that shape the store, so every session and rerun shares one Chroma
client and one embedding model; the model itself loads its weights on first use, so
the first page never waits for it. ``settings()`` adds the choices made on the
Einstellungen page, which apply to this browser session only.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import streamlit as st

from core.factory import Services, build_services
from core.settings import Settings, load_settings
from kb.embeddings import Embedder, load_embedder
from knowledge.catalog import RequirementCatalog
from knowledge.glossary import GlossaryEntry, load_glossary
from knowledge.plan import PlanTemplates
from knowledge.training import TrainingKnowledge

SETTINGS_KEY = "_lotse_settings"
OVERRIDES_KEY = "_lotse_overrides"


def base_settings() -> Settings:
    """Environment and ``.env`` read once per browser session, never on every rerun."""
    if SETTINGS_KEY not in st.session_state:
        st.session_state[SETTINGS_KEY] = load_settings()
    settings: Settings = st.session_state[SETTINGS_KEY]
    return settings


def overrides() -> dict[str, Any]:
    """Settings changed on the Einstellungen page (this session only)."""
    if OVERRIDES_KEY not in st.session_state:
        st.session_state[OVERRIDES_KEY] = {}
    values: dict[str, Any] = st.session_state[OVERRIDES_KEY]
    return values


def set_overrides(values: dict[str, Any]) -> None:
    """Replace the session's choices; keys are ``Settings`` field names."""
    unknown = set(values) - set(Settings.model_fields)
    if unknown:
        raise KeyError(f"unknown settings {sorted(unknown)}")
    st.session_state[OVERRIDES_KEY] = dict(values)


def settings() -> Settings:
    """The settings every page should use: base settings plus this session's choices."""
    base = base_settings()
    changes = overrides()
    return base.model_copy(update=changes) if changes else base


def _store_key(s: Settings) -> str:
    """What decides the store: a change here means another Chroma client or model."""
    parts = [
        str(Path(s.data_dir).resolve()),
        s.chroma_url or "",
        s.embedding_model,
        str(s.embedding_batch_size),
        str(Path(s.knowledge_dir).resolve()),
        str(s.dense_candidates),
        str(s.keyword_candidates),
    ]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


@st.cache_resource(show_spinner=False)
def _embedder(name: str, batch_size: int) -> Embedder:
    return load_embedder(name, batch_size)


@st.cache_resource(show_spinner=False)
def _services(key: str, _settings: Settings) -> Services:
    # ``_settings`` is not hashed (leading underscore); ``key`` stands for it.
    model = _embedder(_settings.embedding_model, _settings.embedding_batch_size)
    return build_services(_settings, embedder=model)


def services() -> Services:
    """Embedder, Chroma client and workspaces (built once), acting for the session's user."""
    from ui.auth import acting_principal

    base = base_settings()
    return _services(_store_key(base), base).as_user(acting_principal(base))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@st.cache_resource(show_spinner=False)
def _glossary(path: str, mtime: float) -> list[GlossaryEntry]:
    return load_glossary(Path(path))


def glossary() -> list[GlossaryEntry]:
    """The shipped glossary, re-read only when the file changes."""
    path = base_settings().knowledge_dir / "glossary.yaml"
    return _glossary(str(path), _mtime(path))


@st.cache_resource(show_spinner=False)
def _schedule_knowledge(folder: str, stamp: float) -> tuple[PlanTemplates, RequirementCatalog]:
    from chains.schedule import load_schedule_knowledge

    return load_schedule_knowledge(Path(folder))


def schedule_knowledge() -> tuple[PlanTemplates, RequirementCatalog]:
    """Plan templates and requirement catalog, re-read when a file in them changes."""
    folder = base_settings().knowledge_dir
    files = [*(folder / "plan").glob("*.yaml"), *(folder / "catalog").glob("*.yaml")]
    return _schedule_knowledge(str(folder), max((_mtime(p) for p in files), default=0.0))


@st.cache_resource(show_spinner=False)
def _training_knowledge(folder: str, stamp: float) -> TrainingKnowledge:
    from knowledge.training import load_training_knowledge

    _, catalog = schedule_knowledge()
    return load_training_knowledge(Path(folder), catalog)


def training_knowledge() -> TrainingKnowledge:
    """Question bank, sessions and handout statements, re-read when a file in them changes."""
    folder = base_settings().knowledge_dir
    files = [
        *(folder / "training").glob("*.yaml"),
        *(folder / "guide").rglob("*.md"),
        *(folder / "catalog").glob("*.yaml"),
    ]
    return _training_knowledge(str(folder), max((_mtime(p) for p in files), default=0.0))
