"""Settings of one assistant instance: where the corpus and the index live, which embedder to use.

Values come from keyword arguments, then ``POLICY_ASSISTANT_*`` environment variables (pydantic-settings:
``POLICY_ASSISTANT_CORPUS``, ``POLICY_ASSISTANT_INDEX``, ``POLICY_ASSISTANT_EMBEDDER``, ``POLICY_ASSISTANT_TOP_K``,
``POLICY_ASSISTANT_RETRIEVAL``, ``POLICY_ASSISTANT_REFERENCE_WEIGHT``), then defaults. They are validated
eagerly; through :meth:`Settings.load` a bad value raises :class:`assistant.errors.ConfigError` naming it.
"""

from __future__ import annotations

from pathlib import Path

from typing import Literal

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigError

DEFAULT_EMBEDDER = "builtin:use-multilingual-v3"
"""The bundled Google USE multilingual v3 encoder, loaded through sentence-transformers."""

_PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_corpus() -> Path:
    shipped = _PROJECT_ROOT / "corpus"
    return shipped if shipped.is_dir() else Path.cwd() / "corpus"


class Settings(BaseSettings):
    """Configuration of an :class:`assistant.api.Assistant`."""

    model_config = SettingsConfigDict(extra="forbid", frozen=True, env_prefix="POLICY_ASSISTANT_", populate_by_name=True)

    corpus_dir: Path = Field(default_factory=_default_corpus, validation_alias=AliasChoices("corpus_dir", "POLICY_ASSISTANT_CORPUS"))
    index_dir: Path = Field(
        default_factory=lambda: _PROJECT_ROOT / ".index", validation_alias=AliasChoices("index_dir", "POLICY_ASSISTANT_INDEX")
    )
    embedder: str = DEFAULT_EMBEDDER
    top_k: int = 5
    retrieval: Literal["hybrid", "bm25", "dense"] = "hybrid"
    reference_weight: float = 0.75
    """Weight of reference notes (kind: reference) and repealed documents against current policy texts. 0.75 since
    2026-12-02: the notes of 财政部令第102号 state the rule that applies today (its articles checked against copies of
    the text), and at 0.5 they ranked below older local clauses (national questions out of 5 spent sets and the
    development set: hit@1 0.452→0.536, hit@3 0.786→0.881 at 0.75; at 1.0 the lookups lost 0.04 of hit@1)."""

    @field_validator("top_k")
    @classmethod
    def _positive_top_k(cls, value: int) -> int:
        if value <= 0:
            raise ValueError(f"top_k must be > 0, got {value}")
        return value

    @field_validator("reference_weight")
    @classmethod
    def _weight_in_range(cls, value: float) -> float:
        if not 0.0 < value <= 1.0:
            raise ValueError(f"reference_weight must be in (0, 1], got {value}")
        return value

    @field_validator("embedder")
    @classmethod
    def _non_empty_embedder(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("embedder must name a sentence-transformers model or 'builtin:use-multilingual-v3'")
        return value

    @property
    def documents_dir(self) -> Path:
        return self.corpus_dir / "documents"

    @property
    def catalog_dir(self) -> Path:
        return self.corpus_dir / "catalog"

    @property
    def parameters_dir(self) -> Path:
        return self.corpus_dir / "parameters"

    @classmethod
    def load(cls, **overrides: object) -> Settings:
        """Build settings from overrides (``None`` = not given), then environment variables, then defaults.

        :raises ConfigError: naming the bad value.
        """
        try:
            return cls(**{k: v for k, v in overrides.items() if v is not None})
        except (ValidationError, ValueError) as exc:
            raise ConfigError(f"配置错误 / invalid configuration: {exc}") from None
