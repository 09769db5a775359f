"""The Chroma client: embedded PersistentClient by default, HttpClient with LOTSE_CHROMA_URL.

Collections are always created without an embedding function; KI-Lotse passes its own
vectors, so Chroma never tries to download its default model.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlparse

from core.errors import ConfigError
from core.settings import Settings

log = logging.getLogger(__name__)


def make_chroma_client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ConfigError(
                f"LOTSE_CHROMA_URL '{settings.chroma_url}' ist keine gültige http(s)-Adresse.",
                en=f"LOTSE_CHROMA_URL '{settings.chroma_url}' is not a valid http(s) address.",
            )
        try:
            client = chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:
            raise ConfigError(
                f"Chroma-Server unter {settings.chroma_url} nicht erreichbar: {exc}",
                en=f"Chroma server at {settings.chroma_url} not reachable: {exc}",
            ) from exc
        log.info("using Chroma server %s", settings.chroma_url)
        return client
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
