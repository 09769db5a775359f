"""A LangChain chat model over llama-cpp-python, running a local GGUF file in this process.

Optional extra (``pip install 'ki-lotse[llamacpp]'``): the package is imported only when
the provider is used, and a missing package or model file is a ``ProviderError`` that the
chat turns into the offline answer. Nothing leaves the machine. A generation that runs
past the timeout is stopped between two tokens (reading the prompt cannot be cut short).
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from core.errors import ProviderError

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}
_LOCK = threading.Lock()  # one llama.cpp context is not safe for concurrent generation


@lru_cache(maxsize=2)
def _load(model_path: str, n_ctx: int) -> Any:
    from llama_cpp import Llama

    threads = max(1, os.cpu_count() or 1)
    return Llama(model_path=model_path, n_ctx=n_ctx, n_threads=threads, verbose=False)


def require_llamacpp(model_path: str | None) -> str:
    """The model path, after checking the optional package and the file exist."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise ProviderError(
            "Der Anbieter 'llamacpp' braucht das Paket llama-cpp-python: "
            "pip install 'ki-lotse[llamacpp]'.",
            en="The provider 'llamacpp' needs the package llama-cpp-python: "
            "pip install 'ki-lotse[llamacpp]'.",
        )
    if not model_path or not Path(model_path).expanduser().is_file():
        raise ProviderError(
            f"GGUF-Modelldatei nicht gefunden: '{model_path or ''}' (LOTSE_LLM_MODEL).",
            en=f"GGUF model file not found: '{model_path or ''}' (LOTSE_LLM_MODEL).",
        )
    return str(Path(model_path).expanduser())


class LlamaCppChat(BaseChatModel):
    """Chat completion with the model's own chat template; streams token by token."""

    model_path: str
    n_ctx: int = 4096
    max_tokens: int = 512
    temperature: float = 0.1
    timeout_s: float = 30.0

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = "".join(
            str(chunk.message.content)
            for chunk in self._stream(messages, stop, run_manager, **kwargs)
        )
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        llm = _load(self.model_path, self.n_ctx)
        deadline = time.monotonic() + self.timeout_s
        payload = [
            {"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages
        ]
        with _LOCK:
            parts = llm.create_chat_completion(
                messages=payload,
                stream=True,
                max_tokens=self.max_tokens,
                temperature=self.temperature,
                stop=stop,
            )
            try:
                for part in parts:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"llama.cpp generation exceeded {self.timeout_s:g} s")
                    delta = part["choices"][0].get("delta", {}).get("content") or ""
                    if not delta:
                        continue
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                    if run_manager is not None:
                        run_manager.on_llm_new_token(delta, chunk=chunk)
                    yield chunk
            finally:
                parts.close()  # stops the generation when the caller gives up early
