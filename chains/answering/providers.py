"""The one registry of LLM providers, and the translation of their failures.

``ollama`` (a local or remote Ollama server), ``openai`` (any OpenAI-compatible endpoint
via its base URL: OpenAI, Azure OpenAI's v1 endpoint, vLLM, LM Studio, a llama.cpp
server) and ``llamacpp`` (a GGUF file in this process, optional extra). Each factory
takes a ``ProviderConfig`` and returns a LangChain chat model; retries are off, so a
timeout or refused connection reaches the chat at once and it answers offline instead.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

from chains.connection import base_url
from core.errors import ConfigError, LotseError, ProviderError
from core.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProviderConfig:
    """What a factory needs; built from settings (and CLI options) in one place."""

    name: str
    base_url: str | None
    model: str | None
    api_key: SecretStr | None
    timeout_s: float
    max_tokens: int
    temperature: float

    @classmethod
    def from_settings(cls, settings: Settings) -> ProviderConfig:
        return cls(
            name=settings.llm_provider,
            base_url=base_url(settings),
            model=(settings.llm_model or "").strip() or None,
            api_key=settings.llm_api_key,
            timeout_s=settings.llm_timeout_s,
            max_tokens=settings.llm_max_tokens,
            temperature=settings.llm_temperature,
        )

    def secrets(self) -> list[str]:
        """Values that must never appear in a message or log line."""
        key = self.api_key.get_secret_value() if self.api_key else ""
        return [key] if len(key) >= 4 else []


def _need_model(cfg: ProviderConfig) -> str:
    if not cfg.model:
        raise ConfigError(
            f"Für den Anbieter '{cfg.name}' fehlt das Modell (LOTSE_LLM_MODEL).",
            en=f"The provider '{cfg.name}' has no model set (LOTSE_LLM_MODEL).",
        )
    return cfg.model


def _ollama(cfg: ProviderConfig) -> BaseChatModel:
    from langchain_ollama import ChatOllama

    return ChatOllama(
        model=_need_model(cfg),
        base_url=cfg.base_url,
        temperature=cfg.temperature,
        num_predict=cfg.max_tokens,
        client_kwargs={"timeout": cfg.timeout_s},
    )


def _openai(cfg: ProviderConfig) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    key = cfg.api_key
    if key is None and not os.environ.get("OPENAI_API_KEY"):
        key = SecretStr("not-needed")  # local OpenAI-compatible servers ignore the key
    # OpenAI itself takes max_completion_tokens; compatible servers (llama.cpp, vLLM, LM
    # Studio) know max_tokens and silently ignore the newer name.
    limit: dict[str, object] = (
        {"extra_body": {"max_tokens": cfg.max_tokens}}
        if cfg.base_url
        else {"max_completion_tokens": cfg.max_tokens}
    )
    return ChatOpenAI(
        model=_need_model(cfg),
        base_url=cfg.base_url,
        api_key=key,
        timeout=cfg.timeout_s,
        max_retries=0,
        temperature=cfg.temperature,
        stream_usage=False,
        **limit,
    )


def _llamacpp(cfg: ProviderConfig) -> BaseChatModel:
    from chains.answering.llamacpp_chat import LlamaCppChat, require_llamacpp

    return LlamaCppChat(
        model_path=require_llamacpp(cfg.model),
        max_tokens=cfg.max_tokens,
        temperature=cfg.temperature,
        timeout_s=cfg.timeout_s,
    )


ProviderFactory = Callable[[ProviderConfig], BaseChatModel]
PROVIDERS: dict[str, ProviderFactory] = {
    "ollama": _ollama,
    "openai": _openai,
    "llamacpp": _llamacpp,
}


def build_chat_model(cfg: ProviderConfig) -> BaseChatModel | None:
    """The configured chat model, or None for the offline answerer (provider ``none``)."""
    if cfg.name == "none":
        return None
    factory = PROVIDERS.get(cfg.name)
    if factory is None:
        allowed = ", ".join(PROVIDERS)
        raise ConfigError(
            f"Unbekannter LLM-Anbieter '{cfg.name}'. Erlaubt: none, {allowed}.",
            en=f"Unknown LLM provider '{cfg.name}'. Allowed: none, {allowed}.",
        )
    return factory(cfg)


# ---- failures ------------------------------------------------------------------------

FailureKind = str  # timeout | connection | rate_limit | auth | model | empty | other


class ProviderFailure(ProviderError):
    """A provider call failed; ``kind`` selects the user message, ``detail`` is for the log.

    ``detail_en`` is the detail for an English reader: a KI-Lotse error's English text
    (a configuration problem is shown as its detail), else the same as ``detail``.
    """

    def __init__(self, kind: FailureKind, detail: str, detail_en: str | None = None) -> None:
        english = detail if detail_en is None else detail_en
        super().__init__(
            f"LLM-Anbieter nicht nutzbar ({kind}): {detail}",
            en=f"LLM provider not usable ({kind}): {english}",
        )
        self.kind = kind
        self.detail = detail
        self.detail_en = english

    def detail_for(self, lang: str) -> str:
        return self.detail_en if lang == "en" else self.detail


def _status(exc: BaseException) -> int | None:
    for attr in ("status_code", "status"):
        value = getattr(exc, attr, None)
        if isinstance(value, int):
            return value
    response = getattr(exc, "response", None)
    value = getattr(response, "status_code", None)
    return value if isinstance(value, int) else None


def _kind(exc: BaseException) -> FailureKind:
    names = {cls.__name__ for cls in type(exc).__mro__}
    if isinstance(exc, TimeoutError) or names & {
        "APITimeoutError",
        "TimeoutException",
        "ReadTimeout",
        "ConnectTimeout",
    }:
        return "timeout"
    status = _status(exc)
    if "RateLimitError" in names or status == 429:
        return "rate_limit"
    if names & {"AuthenticationError", "PermissionDeniedError"} or status in (401, 403):
        return "auth"
    if "NotFoundError" in names or status == 404:
        return "model"
    if isinstance(exc, ConnectionError) or names & {
        "APIConnectionError",
        "ConnectError",
        "NetworkError",
        "RemoteProtocolError",
    }:
        return "connection"
    if isinstance(exc, ProviderFailure):
        return exc.kind
    if isinstance(exc, ProviderError | ConfigError):
        return "config"
    return "other"


def scrub(text: str, secrets: Sequence[str]) -> str:
    """Remove secret values (API keys) from a message before it is shown or logged."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def provider_failure(exc: BaseException, secrets: Sequence[str] = ()) -> ProviderFailure:
    """Classify any exception a provider raised; the detail never contains an API key."""
    if isinstance(exc, ProviderFailure):
        return exc

    def detail(text: str) -> str:
        return scrub(f"{type(exc).__name__}: {text}", secrets)[:300]

    english = detail(exc.text("en")) if isinstance(exc, LotseError) else None
    return ProviderFailure(_kind(exc), detail(str(exc)), english)
