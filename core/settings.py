"""One typed settings object, read once at the edge and passed explicitly.

Every field maps to an environment variable ``LOTSE_<FIELD>`` (also read from ``.env``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import ConfigError

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = Path(".lotse")


class Settings(BaseSettings):
    """KI-Lotse configuration; see README "Configuration" for the table of variables."""

    model_config = SettingsConfigDict(
        env_prefix="LOTSE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(DEFAULT_DATA_DIR, description="Where workspaces, indexes and logs live.")
    chroma_url: str | None = Field(
        None, description="http://host:port of a `chroma run` server; empty = embedded store."
    )
    knowledge_dir: Path = Field(
        PACKAGE_ROOT / "data",
        description="Shipped knowledge (guide, catalog, plan, glossary, lexicon).",
    )
    embedding_model: str = Field(
        "use-multilingual",
        description="'use-multilingual', 'minilm', or a path to a sentence-transformers model.",
    )
    second_embedding_model: str = Field(
        "e5",
        description="Second model ranked and fused with the first (kb/second.py): 'e5', "
        "'minilm', 'use-multilingual' or 'none'. R@5 0.33 -> 0.40 on the dev questions; "
        "ingest about 8x slower.",
    )
    embedding_batch_size: int = Field(64, ge=1, le=1024)
    chunk_chars: int = Field(900, ge=200, le=4000, description="Target chunk size in characters.")
    chunk_overlap_chars: int = Field(150, ge=0, le=1000)
    max_file_mb: float = Field(50.0, gt=0, description="Larger files are rejected.")
    max_pdf_pages: int = Field(3000, ge=1)
    max_unpacked_mb: float = Field(
        200.0, gt=0, description="Largest total size a DOCX may unpack to (ZIP-bomb guard)."
    )
    max_archive_entries: int = Field(2000, ge=1, description="Most entries a DOCX may hold.")
    parse_timeout_s: float = Field(
        120.0,
        ge=0,
        description="Wall-clock limit for parsing one file in the parser child process; "
        "0 parses in-process without isolation.",
    )
    parse_memory_mb: int = Field(
        2048, ge=256, description="Address-space limit of the parser child process."
    )
    search_k: int = Field(10, ge=1, le=100)
    dense_candidates: int = Field(40, ge=1, le=500)
    keyword_candidates: int = Field(40, ge=1, le=500)
    fusion: Literal["zscore", "rrf"] = Field(
        "zscore",
        description="How dense and keyword candidates are fused: standardised scores or RRF.",
    )
    rerank_depth: int = Field(
        30, ge=0, le=200, description="Best fused candidates rescored by sentence coverage."
    )
    rerank_weight: float = Field(
        2.0,
        ge=0.0,
        le=20.0,
        description="Weight of the best sentence's query-term coverage (0 = no second pass).",
    )
    sentence_windows: bool = Field(
        False,
        description="Also embed each chunk's single sentences and sentence pairs at "
        "ingest (kb/windows.py): R@5 +0.05 with USE + BM25 alone, +-0 with e5 and query "
        "centring (docs/retrieval.md); ingest 3-4x slower without e5.",
    )
    window_weight: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Share of the best sentence window's cosine in a chunk's dense score.",
    )
    window_candidates: int = Field(
        200, ge=1, le=2000, description="Nearest sentence windows fetched per question."
    )
    question_focus: bool = Field(
        False,
        description="Embed a multi-sentence question's last sentence as well "
        "(meant together with sentence_windows; alone it measured +-0).",
    )
    query_centring: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Share of the workspace's mean vector taken out of a question vector "
        "before the dense searches (0 = off; lowers passages that are near every question).",
    )
    language_balance: float = Field(
        1.0,
        ge=0.0,
        le=1.0,
        description="Share of each passage language's cosine offset taken out of the second "
        "model's scores (0 = off; e5 scores passages in the question's language higher).",
    )
    document_penalty: float = Field(
        0.5,
        ge=0.0,
        le=5.0,
        description="Score (in standard deviations) a result loses per higher-ranked result "
        "of the same document, so one long document does not fill the list (0 = off).",
    )
    grounding_threshold: float = Field(
        0.25,
        description="Minimum closeness of the question to the workspace (cosine of the "
        "nearest passage, use-multilingual) below which an answer is marked ungrounded; "
        "calibrated by bench/chat.py.",
    )
    second_grounding_threshold: float = Field(
        0.84,
        description="The same for workspaces with the second model's vectors (cosine of "
        "the nearest passage by e5); calibrated by bench/chat.py.",
    )
    second_grounding_language_gap: float = Field(
        0.012,
        ge=0.0,
        le=0.1,
        description="Added to the e5 cosine of a passage in another language than the "
        "question before the threshold (e5 scores such passages lower); calibrated on "
        "German questions over English documents, see docs/retrieval.md.",
    )
    llm_provider: Literal["none", "ollama", "openai", "llamacpp"] = "none"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = Field(30.0, gt=0)
    redact_personal_data: bool = Field(
        True,
        description="Redact e-mail, phone, IBAN, AHV numbers before sending to an external LLM.",
    )
    redact_names: list[str] = Field(default_factory=list)
    ui_language: Literal["de", "en"] = "de"
    log_questions: Literal["metadata", "full"] = Field(
        "metadata", description="Audit trail: 'metadata' (length only) or 'full' question text."
    )
    auth: Literal["local", "oidc"] = Field(
        "local", description="App sign-in once users exist: 'local' passwords or 'oidc' (st.login)."
    )
    session_timeout_min: int = Field(
        60, ge=1, le=1440, description="App sessions expire after this many idle minutes."
    )
    answer_max_points: int = Field(
        5,
        ge=1,
        le=10,
        description="Most evidence sentences the offline answer quotes "
        "(the summary and up to four key points).",
    )
    llm_max_passages: int = Field(5, ge=1, le=20, description="Passages given to an LLM.")
    llm_context_chars: int = Field(
        6000, ge=500, le=100_000, description="Character budget of the passages in an LLM prompt."
    )
    llm_max_tokens: int = Field(512, ge=16, le=8192, description="Longest LLM answer in tokens.")
    llm_temperature: float = Field(0.1, ge=0.0, le=2.0)

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"


def load_settings() -> Settings:
    """The settings from the environment and ``.env``, read once at the edge (CLI, app).

    An unusable value becomes a ``ConfigError`` that names its ``LOTSE_`` variable and
    the problem, instead of a validation traceback.
    """
    try:
        return Settings()
    except ValidationError as exc:
        problems = [
            f"LOTSE_{'_'.join(str(part) for part in err['loc']).upper()}={err.get('input')!r}"
            f" ({err['msg']})"
            for err in exc.errors()
        ]
        listed = "; ".join(problems)
        raise ConfigError(
            f"Ungültige Einstellung: {listed}.", en=f"Invalid setting: {listed}."
        ) from exc
