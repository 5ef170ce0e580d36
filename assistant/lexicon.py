"""Domain lexicon: Chinese tokenisation (jieba) and query expansion from ``corpus/lexicon.yaml``.

Users say 供应商 where the policy says 承接主体, and 钱从哪出 where it says 资金安排; the
lexicon maps one to the other so that keyword retrieval and sentence selection find the clause.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.datafile import safe_load
from assistant.errors import ConfigError

_JIEBA_LOCK = threading.Lock()
_JIEBA_WORDS: set[str] = set()
_TOKEN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+|\d+(?:\.\d+)?")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


_BASE_DICTIONARY: list[tuple[dict[str, int], int]] = []


def _snapshot_base_dictionary() -> None:
    """Keep jieba's own dictionary as loaded, before any domain word is added (once; caller holds the lock)."""
    import jieba

    if not _BASE_DICTIONARY and not _JIEBA_WORDS:
        _BASE_DICTIONARY.append((dict(jieba.dt.FREQ), jieba.dt.total))


def plain_jieba_tokenizer() -> object:
    """A private jieba tokenizer with jieba's own dictionary only (no domain words), sharing the global
    load instead of reading the dictionary a second time (about 0.8 s of a cold start)."""
    import jieba

    with _JIEBA_LOCK:
        jieba.setLogLevel(logging.WARNING)
        if not _BASE_DICTIONARY:
            jieba.initialize()
            _snapshot_base_dictionary()
        tokenizer = jieba.Tokenizer()
        if _BASE_DICTIONARY:
            tokenizer.FREQ, tokenizer.total = dict(_BASE_DICTIONARY[0][0]), _BASE_DICTIONARY[0][1]
            tokenizer.initialized = True
        else:  # domain words were added before any snapshot: load the dictionary afresh
            tokenizer.initialize()
        return tokenizer


class LexiconFile(BaseModel):
    """``corpus/lexicon.yaml``, validated: every key known (a typo fails loudly, naming the file), every pattern a
    valid regular expression. That its tools and facts exist is checked where the rules are known
    (:func:`assistant.dialogue.load_routing_lexicon`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    words: tuple[str, ...] = ()
    synonyms: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    english: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    stopwords: tuple[str, ...] = ()
    places_in_scope: tuple[str, ...] = ()
    places_known: tuple[str, ...] = ()
    injection_patterns: tuple[str, ...] = ()
    figure_patterns: tuple[str, ...] = ()
    date_patterns: tuple[str, ...] = ()
    detail_patterns: tuple[str, ...] = ()
    off_topic_terms: tuple[str, ...] = ()
    tool_intents: dict[str, tuple[str, ...]] = Field(default_factory=dict, description="Rule tool → phrases that ask for it.")
    tool_key_facts: dict[str, tuple[str, ...]] = Field(default_factory=dict, description="Facts that describe a case: one runs the tool.")
    tool_type_facts: dict[str, tuple[str, ...]] = Field(default_factory=dict, description="Facts that only name a type.")
    intention: tuple[str, ...] = ()
    first_person: tuple[str, ...] = ()

    @field_validator("synonyms", "english", mode="before")
    @classmethod
    def _none_is_empty(cls, value: object) -> object:
        if isinstance(value, dict):
            return {key: () if items is None else items for key, items in value.items()}
        return {} if value is None else value

    @field_validator("injection_patterns", "figure_patterns", "date_patterns", "detail_patterns")
    @classmethod
    def _patterns_compile(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad pattern {pattern!r}: {exc}") from None
        return patterns

    @field_validator("tool_intents")
    @classmethod
    def _intents_compile(cls, intents: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for tool, patterns in intents.items():
            cls._patterns_compile(patterns)
        return intents


def load_lexicon_file(path: Path) -> LexiconFile:
    """The lexicon file at ``path`` validated (an empty one when it does not exist).

    :raises ConfigError: naming the file and the problem.
    """
    if not path.exists():
        return LexiconFile()
    try:
        return LexiconFile.model_validate(safe_load(path.read_text(encoding="utf-8")) or {})
    except (yaml.YAMLError, ValidationError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: 词表格式错误 (invalid lexicon): {exc}") from None


TOKEN_CACHE_SIZE = 20000
"""Texts whose tokens are kept per lexicon (cleared when full)."""


@dataclass(frozen=True)
class Lexicon:
    """Domain words, synonyms, an English glossary and stopwords."""

    words: tuple[str, ...] = ()
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    english: dict[str, tuple[str, ...]] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    places_in_scope: frozenset[str] = frozenset()
    places_known: tuple[str, ...] = ()
    injection_patterns: tuple[re.Pattern[str], ...] = ()
    figure_patterns: tuple[re.Pattern[str], ...] = ()
    date_patterns: tuple[re.Pattern[str], ...] = ()
    detail_patterns: tuple[re.Pattern[str], ...] = ()
    off_topic_terms: tuple[str, ...] = ()
    _token_cache: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    """Tokens of texts seen before (clause sentences are scored again for every question)."""

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        """Read a lexicon YAML file; a missing file gives an empty lexicon.

        :raises ConfigError: if the file is not a valid lexicon.
        """
        if not path.exists():
            return cls()
        data = load_lexicon_file(path)
        return cls(
            words=data.words,
            synonyms=dict(data.synonyms),
            english={key.lower(): items for key, items in data.english.items()},
            stopwords=frozenset(word.lower() for word in data.stopwords),
            places_in_scope=frozenset(data.places_in_scope),
            places_known=data.places_known,
            injection_patterns=tuple(re.compile(p) for p in data.injection_patterns),
            figure_patterns=tuple(re.compile(p) for p in data.figure_patterns),
            date_patterns=tuple(re.compile(p) for p in data.date_patterns),
            detail_patterns=tuple(re.compile(p) for p in data.detail_patterns),
            off_topic_terms=data.off_topic_terms,
        )

    def warm_up(self) -> None:
        """Load jieba's dictionary and register the domain words (once per process)."""
        import jieba

        with _JIEBA_LOCK:
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _snapshot_base_dictionary()
            for word in self.words:
                if word not in _JIEBA_WORDS:
                    jieba.add_word(word, freq=200000)
                    _JIEBA_WORDS.add(word)

    def tokens(self, text: str) -> list[str]:
        """Search-mode jieba tokens plus CJK character bigrams, lower-cased, without stopwords.

        Bigrams keep a typo (成接主体) or an unseen compound from losing every match.
        """
        cached = self._token_cache.get(text)
        if cached is not None:
            return list(cached)
        import jieba

        result: list[str] = []
        for token in jieba.lcut_for_search(text):
            token = token.strip().lower()
            if token and _TOKEN.fullmatch(token) and token not in self.stopwords:
                result.append(token)
        for run in _CJK_RUN.findall(text):
            result.extend(run[i : i + 2] for i in range(len(run) - 1))
        if len(self._token_cache) >= TOKEN_CACHE_SIZE:
            self._token_cache.clear()
        self._token_cache[text] = tuple(result)
        return result

    def load_tokens(self, path: Path) -> None:
        """Fill the token cache from ``path`` (written by :meth:`save_tokens`); a missing or damaged file is ignored."""
        try:
            with path.open("rb") as handle:
                stored = pickle.load(handle)  # written only by this program, in the index folder
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            return
        if isinstance(stored, dict):
            self._token_cache.update(stored)

    def save_tokens(self, path: Path) -> None:
        """Write the token cache to ``path`` atomically (the clause and card tokens of an index); best effort."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
                pickle.dump(dict(self._token_cache), handle)
            os.replace(handle.name, path)
        except OSError:
            pass

    def fingerprint(self) -> str:
        """What the tokens depend on: the domain words, the stopwords and jieba's version."""
        from importlib.metadata import version

        text = "\n".join(sorted(self.words)) + "|" + "\n".join(sorted(self.stopwords)) + "|" + version("jieba")
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def expansions(self, text: str) -> list[str]:
        """Policy terms for the colloquial or English phrases found in ``text``."""
        lowered = text.lower()
        terms: list[str] = []
        for phrase, targets in self.synonyms.items():
            if phrase in text:
                terms.extend(targets)
        for word in re.findall(r"[a-z]+", lowered):
            terms.extend(self.english.get(word, ()))
        return list(dict.fromkeys(terms))

    def query_tokens(self, text: str) -> list[str]:
        """Tokens of a query, with the expansions' tokens appended."""
        expanded = self.expansions(text)
        return self.tokens(text) + (self.tokens(" ".join(expanded)) if expanded else [])
