"""Question cards: the questions users really ask about a clause, as extra retrieval keys.

Users rarely say what the policy says: they ask "钱怎么打给我们" where the clause says
资金支付 / 国库集中支付. A card file lists, for each clause of one document, a few such questions
written in other words; the index embeds every question and keyword-indexes them, and retrieval
scores a clause by its own text *or* its cards (see :mod:`assistant.retrieval`).

``corpus/cards/<doc_id>.yaml``::

    doc_id: wzb-2014-118
    cards:
      - clause: 六（三）            # a clause id of that document, as parsed (e.g. 三（二）, 第十条, 前言)
        questions:
          - 服务做完了，款项是怎么付给承接单位的？
          - 要不要走国库统一付款？

A malformed file raises :class:`CardError` naming the file; the index build then stops and the
previous index keeps serving. A card naming a document or clause id that the corpus does not have
(after a document edit) is skipped with a warning at build time and fails the strict check
(``load_cards(..., strict=True)``, run by the tests).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.corpus import ParsedDocument, normalise
from assistant.errors import DocumentError
from assistant.datafile import safe_load

CARD_SUFFIXES = (".yaml", ".yml")
_LOG = logging.getLogger(__name__)


class CardError(DocumentError):
    """A question-card file is malformed or names a document or clause that does not exist."""


class CardEntry(BaseModel):
    """The questions of one clause."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    clause: str = Field(min_length=1, description="Clause id inside the document, e.g. '六（三）'.")
    questions: tuple[str, ...] = Field(min_length=1, description="Questions users ask about the clause.")

    @field_validator("clause", mode="before")
    @classmethod
    def _clause_text(cls, value: object) -> object:
        return str(value).strip() if isinstance(value, (str, int)) else value

    @field_validator("questions")
    @classmethod
    def _non_empty_questions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(q.strip() for q in value)
        if any(not q for q in cleaned):
            raise ValueError("empty question")
        return cleaned


class CardFile(BaseModel):
    """One ``corpus/cards/<doc_id>.yaml`` file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: str = Field(min_length=1)
    cards: tuple[CardEntry, ...] = ()


def cards_dir(corpus_dir: Path) -> Path:
    """Where a corpus keeps its question cards."""
    return corpus_dir / "cards"


def card_files(directory: Path) -> list[Path]:
    """Card files under ``directory`` (sorted); none when the folder does not exist."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix in CARD_SUFFIXES)


def cards_hash(directory: Path) -> str:
    """Content hash of every card file ('' when there are none): the index rebuilds when it changes."""
    files = card_files(directory)
    if not files:
        return ""
    digest = hashlib.sha256()
    for path in files:
        digest.update(f"{path.relative_to(directory).as_posix()}:{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()


def load_card_file(path: Path) -> CardFile:
    """Read and validate one card file.

    :raises CardError: naming the file and what is wrong with it.
    """
    try:
        data = safe_load(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CardError(f"{path}: 不是 UTF-8 编码的文本 (not UTF-8 text, byte {exc.start})") from None
    except yaml.YAMLError as exc:
        raise CardError(f"{path}: 问题卡片不是合法的 YAML (invalid YAML): {exc}") from None
    if not isinstance(data, dict):
        raise CardError(f"{path}: 问题卡片必须是含 doc_id 和 cards 的映射 (card file must be a mapping with doc_id and cards)")
    try:
        card_file = CardFile.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise CardError(f"{path}: 问题卡片字段不合法 (invalid card file): {problems}") from None
    seen: set[str] = set()
    for entry in card_file.cards:
        if entry.clause in seen:
            raise CardError(f"{path}: 条款 {entry.clause} 重复出现 (clause listed twice)")
        seen.add(entry.clause)
    return card_file


def load_cards(
    directory: Path, documents: Iterable[ParsedDocument], *, strict: bool = False
) -> dict[str, tuple[str, ...]]:
    """Every card question, normalised like a query, by clause key ``<doc_id>#<clause_id>``.

    Keys follow corpus order of the documents' clauses; questions keep file order, duplicates dropped.
    A card whose document or clause no longer exists (a document was edited or removed) is an
    *orphan*: with ``strict`` it raises; otherwise it is skipped with a warning, so that editing a
    document never stops the index from building. ``tests/test_cards.py`` runs the strict check on
    the shipped corpus; :func:`orphan_cards` lists them.

    :raises CardError: if a file is malformed or a document has two card files (always), or on an
        orphan card (with ``strict``).
    """
    documents = list(documents)
    found: dict[str, tuple[str, ...]] = {}
    problems = orphan_cards(directory, documents, found=found)
    if problems:
        if strict:
            raise CardError("; ".join(problems))
        for problem in problems:
            _LOG.warning("跳过问题卡片 (skipping card): %s", problem)
    order = [f"{d.meta.doc_id}#{c.clause_id}" for d in documents for c in d.clauses]
    return {key: found[key] for key in order if key in found}


def orphan_cards(
    directory: Path, documents: Iterable[ParsedDocument], *, found: dict[str, tuple[str, ...]] | None = None
) -> list[str]:
    """Cards naming a document or clause that the corpus does not have, one message each (naming the file).

    ``found`` (if given) receives the valid cards by clause key.

    :raises CardError: if a file is malformed or a document has two card files.
    """
    clause_ids = {d.meta.doc_id: {c.clause_id for c in d.clauses} for d in documents}
    found = {} if found is None else found
    owner: dict[str, Path] = {}
    problems: list[str] = []
    for path in card_files(directory):
        card_file = load_card_file(path)
        if card_file.doc_id in owner:
            raise CardError(f"{path}: doc_id '{card_file.doc_id}' 的卡片已在 {owner[card_file.doc_id]} 中 (duplicate card file)")
        owner[card_file.doc_id] = path
        if card_file.doc_id not in clause_ids:
            problems.append(f"{path}: 没有 doc_id 为 '{card_file.doc_id}' 的文档 (no such document)")
            continue
        for entry in card_file.cards:
            if entry.clause not in clause_ids[card_file.doc_id]:
                problems.append(f"{path}: 文档 {card_file.doc_id} 没有条款 '{entry.clause}' (no such clause)")
                continue
            questions = tuple(dict.fromkeys(normalise(q) for q in entry.questions if normalise(q)))
            found[f"{card_file.doc_id}#{entry.clause}"] = questions
    return problems
