"""Where would data go with these settings, and does the configured LLM answer at all?

Two small, UI-free checks behind the Einstellungen page: ``data_flow`` decides from the
settings alone whether questions and passages leave this machine (an endpoint on
loopback or in process does not); ``check_connection`` asks the endpoint for its model
list once, with a short timeout, and turns every failure into a plain reason.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from core.settings import Settings

DEFAULT_BASE_URLS: dict[str, str] = {"ollama": "http://localhost:11434"}
PROBE_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class DataFlow:
    """``left_machine`` is True only when an endpoint outside this machine gets data."""

    provider: str
    left_machine: bool
    host: str | None
    redacted: bool


@dataclass(frozen=True)
class ConnectionCheck:
    """Outcome of one probe: ``ok``, a machine-readable ``reason`` and details for the user."""

    ok: bool
    reason: str  # offline | reachable | model_missing | bad_url | unreachable | http_error | auth
    # | no_model
    detail: str = ""  # a URL, model, path or server message: no words of either language
    models: tuple[str, ...] = ()
    seconds: float = 0.0


def base_url(settings: Settings) -> str | None:
    """The configured base URL, or the provider's well-known local default."""
    url = (settings.llm_base_url or "").strip()
    return url or DEFAULT_BASE_URLS.get(settings.llm_provider)


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def data_flow(settings: Settings) -> DataFlow:
    """Offline and in-process providers keep data here; servers on loopback too."""
    provider = settings.llm_provider
    if provider in ("none", "llamacpp"):
        return DataFlow(provider, False, None, False)
    host = urlparse(base_url(settings) or "").hostname
    external = not is_loopback(host)
    return DataFlow(provider, external, host, external and settings.redact_personal_data)


def _get_json(url: str, api_key: str | None, timeout: float) -> object:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if api_key:
        request.add_header("Authorization", f"Bearer {api_key}")
    with urllib.request.urlopen(request, timeout=timeout) as response:  # http(s) checked by caller
        return json.loads(response.read().decode("utf-8") or "null")


def _model_names(payload: object) -> tuple[str, ...]:
    """Model ids from an Ollama ``/api/tags`` or an OpenAI ``/models`` answer."""
    if not isinstance(payload, dict):
        return ()
    items = payload.get("models") or payload.get("data") or []
    names = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            name = item.get("name") or item.get("model") or item.get("id")
            if name:
                names.append(str(name))
    return tuple(names)


def check_connection(settings: Settings, timeout: float | None = None) -> ConnectionCheck:
    """Probe the configured provider once; never raises for network or HTTP failures."""
    provider = settings.llm_provider
    if provider == "none":
        return ConnectionCheck(True, "offline")
    if provider == "llamacpp":
        return _check_gguf(settings)
    url = base_url(settings)
    if not url or urlparse(url).scheme not in ("http", "https"):
        return ConnectionCheck(False, "bad_url", url or "")
    endpoint = url.rstrip("/") + ("/api/tags" if provider == "ollama" else "/models")
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    wait = min(timeout or settings.llm_timeout_s, PROBE_TIMEOUT_S)
    started = time.perf_counter()
    try:
        payload = _get_json(endpoint, key, wait)
    except urllib.error.HTTPError as exc:
        reason = "auth" if exc.code in (401, 403) else "http_error"
        return ConnectionCheck(
            False, reason, f"HTTP {exc.code}: {endpoint}", seconds=time.perf_counter() - started
        )
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        why = getattr(exc, "reason", exc)
        return ConnectionCheck(
            False, "unreachable", f"{endpoint}: {why}", seconds=time.perf_counter() - started
        )
    seconds = time.perf_counter() - started
    models = _model_names(payload)
    wanted = (settings.llm_model or "").strip()
    if wanted and models and not any(m == wanted or m.split(":")[0] == wanted for m in models):
        return ConnectionCheck(False, "model_missing", wanted, models, seconds)
    return ConnectionCheck(True, "reachable", endpoint, models, seconds)


def _check_gguf(settings: Settings) -> ConnectionCheck:
    path = Path((settings.llm_model or "").strip()).expanduser()
    if not settings.llm_model or not path.is_file():
        return ConnectionCheck(False, "no_model", str(path) if settings.llm_model else "")
    if importlib.util.find_spec("llama_cpp") is None:
        return ConnectionCheck(False, "no_model", "llama-cpp-python (pip install '.[llamacpp]')")
    return ConnectionCheck(True, "reachable", str(path), (path.name,))
