"""The 政府购买服务指导目录 (guidance catalog of purchasable services) as data.

A catalog is a list of :class:`CatalogItem` rows — ``code, category_path, item, description,
examples, source`` — kept in ``corpus/catalog/`` as YAML, CSV or XLSX (see
``corpus/catalog/schema.md``). 温政办〔2014〕118号 四（二） says the city catalog is drafted by
市财政局 and approved by 市政府; its content was not available, so the shipped
``corpus/catalog/default.yaml`` is an *illustrative* default built from the fields the seed
policy names and from published catalogs of other cities. Replace it with :func:`import_file`.

:meth:`Catalog.match` maps a free-text service description to the best catalog item with a
deterministic score (jieba tokens plus character-bigram overlap); below the threshold it
returns ``None`` rather than guessing.

Example::

    catalog = Catalog.load(Path("corpus/catalog/default.yaml"))
    match = catalog.match("社区养老上门助餐服务")
    print(match.item.item, round(match.score, 2))
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.corpus import normalise
from assistant.errors import CatalogError
from assistant.datafile import safe_load

MATCH_THRESHOLD = 0.5
"""Lowest score :meth:`Catalog.match` accepts. A retrieval heuristic, not a legal threshold:
tuned on ``tests/test_catalog.py`` so that a description naming an item (or one of its
examples) matches and a description sharing only generic words does not."""

_TOKEN_WEIGHT = 0.7
"""Share of a field's score that comes from jieba tokens; the rest from character bigrams."""

_FIELD_WEIGHTS = {"item": 1.0, "example": 0.9, "category": 0.75, "description": 0.6}
"""How much a full match on each field is worth: the item name counts most."""

_SECOND_FIELD_BONUS = 0.15
"""Share of the second-best field's score added to the best one, so that an item matching on
several fields (name *and* example) beats one matching a shared category title only."""

COLUMNS = ("code", "category_path", "item", "description", "examples", "source")
"""Columns of a catalog table, in order. ``description`` and ``examples`` may be left out."""

_REQUIRED_COLUMNS = ("code", "category_path", "item", "source")
_LIST_SEPARATORS = re.compile(r"\s*[|；;]\s*")
_PATH_SEPARATORS = re.compile(r"\s*[/／>＞]\s*")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_STOPWORDS = frozenset(
    "服务 服务类 事项 购买 政府 我们 我们的 本单位 单位 能否 能不能 可以 可不可以 是否 一个 一些 一项 相关 "
    "开展 提供 进行 工作 项目 想要 打算 准备 需要 通过 方式 以及 其他 有关 有限 方面 什么 怎么 如何 吗 呢".split()
)
_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".xlsx": "xlsx"}


MATCH_CACHE_SIZE = 2048
"""Descriptions whose best match is kept per catalog (cleared when full); a catalog never changes once loaded."""


class CatalogItem(BaseModel):
    """One purchasable service item of the guidance catalog."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(description="Stable item code, e.g. 'A05.01'.")
    category_path: tuple[str, ...] = Field(description="Category titles, outermost first: [一级, 二级].")
    item: str = Field(description="Name of the service item, e.g. 社区居家养老服务.")
    description: str = Field(default="", description="What the item covers, in one or two sentences.")
    examples: tuple[str, ...] = Field(default=(), description="Typical concrete services under the item.")
    source: str = Field(description="Clause or catalog the item was derived from.")

    @field_validator("code", "item", "source")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        return value

    @field_validator("category_path")
    @classmethod
    def _path_not_empty(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        value = tuple(part.strip() for part in value if part and part.strip())
        if not value:
            raise ValueError("needs at least one category level")
        return value

    @field_validator("examples")
    @classmethod
    def _strip_examples(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(example.strip() for example in value if example and example.strip())


class CatalogMatch(BaseModel):
    """The catalog item that best fits a description, and how well it fits (0–1)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: CatalogItem
    score: float
    matched_on: Literal["item", "example", "category", "description"]
    matched_terms: tuple[str, ...] = Field(description="Catalog words found in the description.")


class Catalog:
    """A validated list of catalog items that can match free-text service descriptions.

    :param items: the rows; codes must be unique.
    :param source: the file the items came from, used in messages.
    :param min_score: the lowest score :meth:`match` accepts.
    :raises CatalogError: if two items share a code or ``min_score`` is outside (0, 1].
    """

    def __init__(self, items: Sequence[CatalogItem], *, source: Path | None = None, min_score: float = MATCH_THRESHOLD) -> None:
        if not 0 < min_score <= 1:
            raise CatalogError(f"min_score 应在 (0, 1] 之间 (min_score must be in (0, 1]), got {min_score}")
        seen: dict[str, int] = {}
        for index, item in enumerate(items, start=1):
            if item.code in seen:
                raise CatalogError(
                    f"{source or '<catalog>'}: 第{index}项，列“code”：编码 {item.code!r} 与第{seen[item.code]}项重复"
                    f"（item {index}, column 'code': duplicate code {item.code!r}, first used by item {seen[item.code]}）"
                )
            seen[item.code] = index
        self.items: tuple[CatalogItem, ...] = tuple(items)
        self.source = source
        self.min_score = min_score
        self._matches: dict[str, CatalogMatch | None] = {}

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return f"Catalog({len(self.items)} items from {self.source})"

    def get(self, code: str) -> CatalogItem | None:
        """The item with this code, or ``None``."""
        return next((item for item in self.items if item.code == code), None)

    @classmethod
    def load(cls, path: Path, *, min_score: float = MATCH_THRESHOLD) -> Catalog:
        """Read and validate a catalog file (``.yaml``/``.yml``, ``.csv`` or ``.xlsx``).

        :raises CatalogError: naming the file, row and column of the first problems found.
        """
        path = Path(path)
        kind = _SUFFIXES.get(path.suffix.lower())
        if kind is None:
            raise CatalogError(
                f"{path}: 不支持的目录文件类型“{path.suffix or '(无扩展名)'}”，应为 .yaml/.yml/.csv/.xlsx "
                f"(unsupported catalog file type {path.suffix!r}; expected .yaml, .yml, .csv or .xlsx)"
            )
        if not path.is_file():
            raise CatalogError(f"{path}: 目录文件不存在 (catalog file not found)")
        if kind == "yaml":
            rows = _read_yaml(path)
        elif kind == "csv":
            rows = _read_table(path, _csv_rows(path))
        else:
            rows = _read_table(path, _xlsx_rows(path))
        items = _validate_rows(path, rows)
        if not items:
            raise CatalogError(f"{path}: 目录为空，没有任何条目 (catalog has no items)")
        return cls(items, source=path, min_score=min_score)

    def match(self, description: str) -> CatalogMatch | None:
        """The best-scoring item for ``description``, or ``None`` when no item reaches ``min_score``.

        Deterministic: ties are broken by item code.
        """
        if description in self._matches:
            return self._matches[description]
        if len(self._matches) >= MATCH_CACHE_SIZE:
            self._matches.clear()
        self._matches[description] = found = self._match(description)
        return found

    def _match(self, description: str) -> CatalogMatch | None:
        """The best item, scoring only the items that share a word or a character bigram with the description:
        every other item scores 0 (below any ``min_score``), so the result is :meth:`rank`'s first, found faster."""
        query = _Query.of(description)
        if not query.text:
            return None
        candidates = [entry for entry in self._index if entry.shares_with(query)]
        if not candidates:
            return None
        best = min((self._score(entry, query) for entry in candidates), key=lambda match: (-match.score, match.item.code))
        return best if best.score >= self.min_score else None

    def rank(self, description: str, *, top_k: int = 5) -> list[CatalogMatch]:
        """The ``top_k`` items with the highest scores for ``description``, best first (no threshold)."""
        if top_k <= 0:
            raise ValueError(f"top_k must be > 0, got {top_k}")
        query = _Query.of(description)
        if not query.text:
            return []
        scored = [self._score(entry, query) for entry in self._index]
        scored.sort(key=lambda match: (-match.score, match.item.code))
        return scored[:top_k]

    def to_yaml(self) -> str:
        """The catalog as a YAML list, in the shape of ``corpus/catalog/default.yaml``."""
        rows = [item.model_dump(mode="json") for item in self.items]
        return yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, width=120)

    # -- scoring --------------------------------------------------------------------------------

    @cached_property
    def _index(self) -> tuple[_Entry, ...]:
        entries = [_Entry.of(item) for item in self.items]
        document_frequency: dict[str, int] = {}
        for entry in entries:
            for token in entry.all_tokens:
                document_frequency[token] = document_frequency.get(token, 0) + 1
        total = len(entries)
        self._idf = {token: math.log((total + 1) / (df + 1)) + 1 for token, df in document_frequency.items()}
        return tuple(entries)

    def _score(self, entry: _Entry, query: _Query) -> CatalogMatch:
        per_field: list[tuple[float, str, tuple[str, ...]]] = []
        for field, texts in entry.fields:
            best = (0.0, field, ())
            for tokens, bigrams in texts:
                value, terms = self._field_score(tokens, bigrams, query)
                value *= _FIELD_WEIGHTS[field]
                if value > best[0]:
                    best = (value, field, terms)
            per_field.append(best)
        per_field.sort(key=lambda scored: -scored[0])  # stable: ties keep the field order above
        (top, field, terms), second = per_field[0], per_field[1][0]
        score = min(1.0, top + _SECOND_FIELD_BONUS * second)
        return CatalogMatch(item=entry.item, score=round(score, 4), matched_on=field, matched_terms=terms)

    def _field_score(self, tokens: tuple[str, ...], bigrams: frozenset[str], query: _Query) -> tuple[float, tuple[str, ...]]:
        if not tokens and not bigrams:
            return 0.0, ()
        hits = tuple(token for token in tokens if token in query.tokens or token in query.text)
        weight = sum(self._idf.get(token, 1.0) for token in tokens)
        token_cover = sum(self._idf.get(token, 1.0) for token in hits) / weight if weight else 0.0
        bigram_cover = len(bigrams & query.bigrams) / len(bigrams) if bigrams else token_cover
        return _TOKEN_WEIGHT * token_cover + (1 - _TOKEN_WEIGHT) * bigram_cover, hits


def import_file(src: Path, dest: Path) -> Catalog:
    """Validate the catalog in ``src`` and write it, as YAML, to ``dest`` atomically.

    The file is first written to a temporary file next to ``dest`` and then moved over it with
    :func:`os.replace`, so a bad ``src`` (or a crash mid-write) leaves the old ``dest`` intact.

    :raises CatalogError: if ``src`` is invalid or ``dest`` is not a ``.yaml``/``.yml`` path.
    """
    dest = Path(dest)
    if dest.suffix.lower() not in (".yaml", ".yml"):
        raise CatalogError(f"{dest}: 导入目标应为 .yaml 文件 (import destination must be a .yaml file)")
    catalog = Catalog.load(Path(src))
    payload = catalog.to_yaml()
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, dest)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Catalog(catalog.items, source=dest, min_score=catalog.min_score)


# -- reading ------------------------------------------------------------------------------------


def _read_yaml(path: Path) -> list[tuple[str, dict[str, object]]]:
    try:
        data = safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: 不是合法的 UTF-8 YAML (invalid YAML): {exc}") from None
    if isinstance(data, dict) and "items" in data:
        data = data["items"]
    if not isinstance(data, list):
        raise CatalogError(f"{path}: 顶层应为条目列表 (top level must be a list of items)")
    rows = []
    for index, row in enumerate(data, start=1):
        if not isinstance(row, dict):
            raise CatalogError(f"{path}: 第{index}项不是键值对 (item {index} is not a mapping)")
        rows.append((f"第{index}项|item {index}", row))
    return rows


def _csv_rows(path: Path) -> list[list[object]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: 不是 UTF-8 编码的 CSV (not UTF-8, byte {exc.start})") from None
    try:
        return [row for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise CatalogError(f"{path}: CSV 格式错误 (malformed CSV): {exc}") from None


def _xlsx_rows(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types (zipfile, KeyError, InvalidFileException)
        raise CatalogError(f"{path}: 无法读取 XLSX 文件 (cannot read XLSX): {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _read_table(path: Path, table: list[list[object]]) -> list[tuple[str, dict[str, object]]]:
    table = [row for row in table if any(cell not in (None, "") and str(cell).strip() for cell in row)]
    if not table:
        raise CatalogError(f"{path}: 文件为空，缺少表头 (empty file, no header row)")
    header = [str(cell).strip() if cell is not None else "" for cell in table[0]]
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        raise CatalogError(
            f"{path}: 第1行（表头）有未知列：{'、'.join(unknown)}；允许的列为 {', '.join(COLUMNS)} "
            f"(row 1 (header): unknown columns {unknown}; allowed: {list(COLUMNS)})"
        )
    missing = [name for name in _REQUIRED_COLUMNS if name not in header]
    if missing:
        raise CatalogError(
            f"{path}: 第1行（表头）缺少必需列：{'、'.join(missing)} (row 1 (header): missing required columns {missing})"
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if len(cells) > len(header) and any(c not in (None, "") for c in cells[len(header) :]):
            raise CatalogError(
                f"{path}: 第{number}行的单元格比表头多 (row {number} has more cells than the header)"
            )
        values = {name: cells[i] if i < len(cells) else None for i, name in enumerate(header) if name}
        row: dict[str, object] = {}
        for name, value in values.items():
            text = "" if value is None else str(value).strip()
            if name == "category_path":
                row[name] = [part for part in _PATH_SEPARATORS.split(text) if part]
            elif name == "examples":
                row[name] = [part for part in _LIST_SEPARATORS.split(text) if part]
            else:
                row[name] = text
        rows.append((f"第{number}行|row {number}", row))
    return rows


def _validate_rows(path: Path, rows: Iterable[tuple[str, dict[str, object]]]) -> list[CatalogItem]:
    items = []
    for where, row in rows:
        zh_where, en_where = where.split("|")
        try:
            items.append(CatalogItem.model_validate(row))
        except ValidationError as exc:
            error = exc.errors()[0]
            column = str(error["loc"][0]) if error["loc"] else "?"
            kind = error["type"]
            zh = {
                "missing": "缺少该列的值",
                "extra_forbidden": "不允许的列",
                "value_error": "取值不合法",
                "string_type": "应为文本",
                "tuple_type": "应为列表",
            }.get(kind, "取值不合法")
            raise CatalogError(
                f"{path}: {zh_where}，列“{column}”：{zh}（{en_where}, column '{column}': {error['msg']}）"
            ) from None
    return items


# -- tokenising ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _tokenizer():
    from assistant.lexicon import plain_jieba_tokenizer

    return plain_jieba_tokenizer()  # a private instance: never mutate the global jieba dictionary


def _tokens(text: str) -> tuple[str, ...]:
    words = []
    for word in _tokenizer().lcut(text):
        word = word.strip()
        if len(word) >= 2 and word not in _STOPWORDS and not word.isdigit() and _CJK_RUN.search(word):
            words.append(word)
    return tuple(dict.fromkeys(words))


def _bigrams(text: str) -> frozenset[str]:
    grams = set()
    for run in _CJK_RUN.findall(text):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(gram for gram in grams if gram not in _STOPWORDS)


class _Query:
    __slots__ = ("text", "tokens", "bigrams")

    def __init__(self, text: str, tokens: frozenset[str], bigrams: frozenset[str]) -> None:
        self.text = text
        self.tokens = tokens
        self.bigrams = bigrams

    @classmethod
    def of(cls, description: str) -> _Query:
        text = normalise(description or "")
        return cls(text, frozenset(_tokens(text)), _bigrams(text))


class _Entry:
    __slots__ = ("item", "fields", "all_tokens", "all_bigrams")

    def __init__(self, item: CatalogItem, fields: tuple, all_tokens: frozenset[str]) -> None:
        self.item = item
        self.fields = fields
        self.all_tokens = all_tokens
        self.all_bigrams = frozenset(gram for _, texts in fields for _, bigrams in texts for gram in bigrams)

    def shares_with(self, query: _Query) -> bool:
        """Whether any field can score above 0 for ``query`` (a shared bigram, or a token :meth:`Catalog._field_score` hits)."""
        return bool(self.all_bigrams & query.bigrams) or any(
            token in query.tokens or token in query.text for token in self.all_tokens
        )

    @classmethod
    def of(cls, item: CatalogItem) -> _Entry:
        def prepared(texts: Iterable[str]) -> tuple[tuple[tuple[str, ...], frozenset[str]], ...]:
            out = []
            for text in texts:
                text = normalise(text)
                out.append((_tokens(text), _bigrams(text)))
            return tuple(out)

        fields = (
            ("item", prepared([item.item])),
            ("example", prepared(item.examples)),
            ("category", prepared(item.category_path[1:])),
            ("description", prepared([item.description] if item.description else [])),
        )
        all_tokens = frozenset(token for _, texts in fields for tokens, _ in texts for token in tokens)
        return cls(item, fields, all_tokens)
