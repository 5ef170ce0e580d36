"""Table-driven fact reader: which facts of a rule tool a Chinese text states, with negation and questions.

The knowledge is data: one table per tool in ``corpus/nlu/facts/<tool>.yaml``, validated by
:class:`FactTable` (pydantic, ``extra="forbid"``). A row names a field of the tool's facts model,
its type (``bool`` or ``enum``), the clause it serves (``wzb-2014-118#三（二）``), and the
phrasings (regular expressions) that state it::

    - fact: tax_social_insurance_record_good
      type: bool
      clause: ref-gpl#第二十二条
      precedence: false              # both stated in one part of the text: false wins
      true:  ['(?:依法|按时)(?:纳税|缴税)']
      false: ['欠税', '(?:欠缴|拖欠)(?:过|了)?[^，]{0,4}?(?:税|社保)']

Phrasings are written **without** negation; this module applies it:

* The text is split into sub-sentences at ，。；！？ and at 但/但是/不过/可是/然而/而且/并且.
* Within a sub-sentence, negators before a matched phrasing (没/没有/未/从未/从来没有/无/不是/非/
  并非/不/尚未/不存在/没被/未曾 …, up to :data:`NEGATION_WINDOW` characters before it) flip its
  value; two flip it back (不是没有预算 → has a budget). A ``<neg>`` slot inside a phrasing
  (``'预算(?:还)?<neg>?批'``) and a negation after it (违法记录：无, 失信记录没有) count too.
* A question states nothing: 有没有/有无/是否/A不A (是不是, 在不在) before the phrasing, or a
  sub-sentence ending in 吗/么/？ right after it (受过处罚吗？). A short answer right after such a
  question answers it with its polarity (受过处罚吗？没有 → no violation).
* 不清楚/不知道/不确定 before a phrasing states nothing; 好像/可能/应该/大概 mark it ``uncertain``.
* When the text states a fact more than once, a statement after 但/不过 (or on a later line) wins
  over an earlier one; within one part the row's ``precedence`` value wins, else (``select:
  priority``) the value listed first, else the later statement. ``select: entity`` (who the speaker
  is) prefers the self-description after 我们是/本单位, then the earliest mention.

Entry points: :func:`read_facts` (``FactValue`` tuples with span, polarity, confidence,
uncertain), :func:`extract` (the tool's facts model: the one way from text to the facts a rule of
:mod:`assistant.rules` decides on) and :func:`fill_pending` (a reply to the assistant's own numbered
questions: "1. 是 2. 否", "都有", "第二个不是", "50万").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.corpus import normalise
from assistant.errors import ConfigError
from assistant.nlu.amounts import Amount, find_amounts, normalise_text
from assistant.nlu.models import FactValue, Span
from assistant.nlu.phrases import Hit, break_list_items, has_content, self_span, strip_spans, tidy, years_ago
from assistant.datafile import safe_load

TABLES_DIR = Path(__file__).resolve().parents[2] / "corpus" / "nlu" / "facts"
"""Where the shipped fact tables live (``<tool>.yaml``)."""

TOOLS = ("purchase_eligibility", "supplier_qualification", "procurement_method")
NEGATION_WINDOW = 8
"""A negator scopes over a phrasing that starts at most this many characters after it."""
QUESTION_WINDOW = 12
"""是否/有没有/A不A scope over a phrasing at most this many characters after them."""
NEAR_QUESTION_WINDOW = 3
"""能不能/能否/可否/会不会 only over a phrasing right after them (能不能单一来源，只有一家能做 states 只有一家)."""
QUESTION_TAIL = 8
"""A phrasing is asked by a closing 吗/？ only when at most this many characters follow it."""

_ALIASES = {"eligibility": "purchase_eligibility", "qualification": "supplier_qualification", "method": "procurement_method"}


class FactTableError(ConfigError):
    """A fact table cannot be read; the message names the file and the row."""


# ------------------------------------------------------------------------------------------------
# The table format


def _compile(phrase: str) -> re.Pattern[str]:
    """A phrasing as a regular expression; each ``<neg>`` becomes a named group ``_n0``, ``_n1`` …"""
    count = 0

    def slot(_: re.Match[str]) -> str:
        nonlocal count
        name = f"_n{count}"
        count += 1
        return f"(?P<{name}>{_NEG_SLOT})"

    return re.compile(re.sub(r"<neg>", slot, phrase))


def _check_phrases(phrases: Iterable[str]) -> None:
    for phrase in phrases:
        if not phrase:
            raise ValueError("empty phrasing")
        try:
            _compile(phrase)
        except re.error as exc:
            raise ValueError(f"bad regular expression {phrase!r}: {exc}") from None


class FactRow(BaseModel):
    """One row: a fact of the tool's facts model and the phrasings that state it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fact: str = Field(min_length=1, description="A field of the tool's facts model.")
    type: Literal["bool", "enum"]
    clause: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*#\S+$", description="Clause key the fact serves.")
    true: tuple[str, ...] = Field(default=(), description="bool: phrasings that state the fact true.")
    false: tuple[str, ...] = Field(default=(), description="bool: phrasings that state the fact false.")
    values: dict[str, tuple[str, ...]] = Field(default_factory=dict, description="enum: value → phrasings, in priority order.")
    only_negated: tuple[str, ...] = Field(
        default=(), description="Phrasings that state something only when negated (没有预算): false for a bool, negated_value for an enum."
    )
    negated_value: str | None = Field(default=None, description="enum: the value a phrasing negated by 没/未/无 gives (未登记).")
    weak: tuple[str, ...] = Field(default=(), description="bool: phrasings that state true only when a fact of weak_needs is stated too.")
    weak_needs: tuple[str, ...] = ()
    negation: Literal["any", "copula", "none"] = Field(
        default="any", description="Which negators flip: any; only 不是/并非/非/不属于 (copula); none."
    )
    negatable: tuple[bool, ...] = Field(default=(True, False), description="bool: which values a negation may flip (else it states nothing).")
    select: Literal["latest", "priority", "entity"] = "latest"
    precedence: bool | None = Field(default=None, description="bool: the value that wins when one part of the text states both.")
    answers: dict[str, bool] = Field(default_factory=dict, description="Short replies to the assistant's question about this fact.")
    amount_answer: str | None = Field(
        default=None, description="An amount of money given in reply to the question about this fact states this fact (罚了多少 → fine_amount_yuan)."
    )
    topic: str | None = Field(
        default=None,
        description="bool: the word of the assistant's question about this fact (目录, 预算): a reply that names it answers "
        "that question, yes unless negated (列进目录了, 目录里没有).",
    )
    note: str = ""

    @field_validator("topic")
    @classmethod
    def _topic_compiles(cls, topic: str | None) -> str | None:
        if topic is not None:
            _check_phrases((topic,))
        return topic

    @field_validator("true", "false", "only_negated", "weak")
    @classmethod
    def _phrases_compile(cls, phrases: tuple[str, ...]) -> tuple[str, ...]:
        _check_phrases(phrases)
        return phrases

    @field_validator("values")
    @classmethod
    def _values_compile(cls, values: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for phrases in values.values():
            _check_phrases(phrases)
        return values

    @model_validator(mode="after")
    def _shape(self) -> FactRow:
        if self.type == "bool":
            if self.values or self.negated_value is not None:
                raise ValueError("a bool row has true/false phrasings, not values or negated_value")
            if not (self.true or self.false or self.only_negated or self.weak):
                raise ValueError("a bool row needs true, false, only_negated or weak phrasings")
        else:
            if self.true or self.false or self.weak:
                raise ValueError("an enum row has values (value → phrasings), not true/false/weak")
            if not self.values and not self.only_negated:
                raise ValueError("an enum row needs values")
            if self.only_negated and self.negated_value is None:
                raise ValueError("only_negated phrasings of an enum row need a negated_value")
            if self.precedence is not None:
                raise ValueError("precedence is for bool rows")
        if self.weak and not self.weak_needs:
            raise ValueError("weak phrasings need weak_needs")
        return self


class Claim(BaseModel):
    """A sentence that states several facts at once (各项条件都符合): fills the facts not stated otherwise."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    clause: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*#\S+$")
    say: tuple[str, ...] = Field(min_length=1)
    fills: dict[str, Any] = Field(min_length=1)
    note: str = ""

    @field_validator("say")
    @classmethod
    def _phrases_compile(cls, phrases: tuple[str, ...]) -> tuple[str, ...]:
        _check_phrases(phrases)
        return phrases


class AmountCue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fact: str
    say: tuple[str, ...] = Field(min_length=1)

    @field_validator("say")
    @classmethod
    def _phrases_compile(cls, phrases: tuple[str, ...]) -> tuple[str, ...]:
        _check_phrases(phrases)
        return phrases


class AmountRules(BaseModel):
    """Which fact each amount of money in the text is: by the nearest cue word before it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default: str | None = Field(description="The fact of an amount with no cue before it; null: such an amount is no fact of the tool.")
    upper: dict[str, str] = Field(default_factory=dict, description="fact → the fact that takes the high bound of an approximate amount.")
    window: int = Field(default=10, ge=1)
    cues: tuple[AmountCue, ...] = ()
    note: str = ""


class FactTable(BaseModel):
    """The fact table of one tool (``corpus/nlu/facts/<tool>.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tool: str = Field(min_length=1)
    rows: tuple[FactRow, ...] = Field(min_length=1)
    claims: tuple[Claim, ...] = ()
    amounts: AmountRules | None = None

    def facts(self) -> tuple[str, ...]:
        """The fact names the table reads, in first-row order."""
        return tuple(dict.fromkeys([row.fact for row in self.rows] + [name for claim in self.claims for name in claim.fills]))

    def rows_of(self, fact: str) -> tuple[FactRow, ...]:
        return tuple(row for row in self.rows if row.fact == fact)

    def clause_of(self, fact: str) -> str | None:
        rows = self.rows_of(fact)
        return rows[0].clause if rows else None


def _row_label(raw: object, index: int) -> str:
    fact = raw[index].get("fact") if isinstance(raw, list) and index < len(raw) and isinstance(raw[index], dict) else None
    return f"row {index + 1}" + (f" (fact {fact!r})" if fact else "")


def _explain(error: ValidationError, raw: Mapping[str, Any]) -> str:
    problems = []
    for item in error.errors():
        location = list(item["loc"])
        where = ""
        if len(location) >= 2 and location[0] in ("rows", "claims") and isinstance(location[1], int):
            where = _row_label(raw.get(location[0]), location[1]) if location[0] == "rows" else f"claim {location[1] + 1}"
            location = location[2:]
        field_path = ".".join(map(str, location))
        problems.append(", ".join(part for part in (where, field_path) if part) + f": {item['msg']}")
    return "; ".join(problems)


def load_table(path: Path, model: type[BaseModel] | None = None) -> FactTable:
    """Read and validate one fact table; with ``model``, also check every fact and enum value against it.

    :raises FactTableError: naming the file and the row, for bad YAML, an unknown key, a bad regular
        expression, a fact that is not a field of ``model`` or an enum value it does not accept.
    """
    path = Path(path)
    try:
        raw = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FactTableError(f"事实表无法读取 / cannot read fact table {path}: {exc}") from None
    if not isinstance(raw, dict):
        raise FactTableError(f"事实表格式错误 / bad fact table {path}: expected a mapping with tool and rows")
    if isinstance(raw.get("rows"), list):  # YAML 1.1 reads the keys true:/false: as booleans
        raw["rows"] = [
            {({True: "true", False: "false"}.get(key, key) if isinstance(key, bool) else key): value for key, value in row.items()}
            if isinstance(row, dict)
            else row
            for row in raw["rows"]
        ]
    try:
        table = FactTable.model_validate(raw)
    except ValidationError as exc:
        raise FactTableError(f"事实表格式错误 / bad fact table {path}: {_explain(exc, raw)}") from None
    if table.tool != path.stem:
        raise FactTableError(f"事实表格式错误 / bad fact table {path}: tool {table.tool!r} does not match the file name")
    if model is not None:
        _check_against_model(table, model, path)
    _check_consistent_rows(table, path)
    return table


def _check_against_model(table: FactTable, model: type[BaseModel], path: Path) -> None:
    fields = model.model_fields
    for index, row in enumerate(table.rows):
        label = f"{path}: row {index + 1} (fact {row.fact!r})"
        if row.fact not in fields:
            raise FactTableError(f"事实表格式错误 / bad fact table {label}: not a field of {model.__name__} ({', '.join(fields)})")
        samples: list[object] = [True, False] if row.type == "bool" else [*row.values, *([row.negated_value] if row.negated_value else [])]
        for sample in samples:
            try:
                model.model_validate({row.fact: sample})
            except ValidationError:
                raise FactTableError(f"事实表格式错误 / bad fact table {label}: {sample!r} is not a valid value of {row.fact}") from None
        for name in row.weak_needs:
            if name not in fields:
                raise FactTableError(f"事实表格式错误 / bad fact table {label}: weak_needs {name!r} is not a field of {model.__name__}")
    for index, claim in enumerate(table.claims):
        try:
            model.model_validate(claim.fills)
        except ValidationError as exc:
            raise FactTableError(f"事实表格式错误 / bad fact table {path}: claim {index + 1} ({claim.name!r}): {exc.errors()[0]['msg']}") from None
    if table.amounts is not None:
        names = [table.amounts.default, *table.amounts.upper, *table.amounts.upper.values(), *(cue.fact for cue in table.amounts.cues)]
        for name in filter(None, names):
            if name not in fields:
                raise FactTableError(f"事实表格式错误 / bad fact table {path}: amounts: {name!r} is not a field of {model.__name__}")


def _check_consistent_rows(table: FactTable, path: Path) -> None:
    first: dict[str, tuple[int, FactRow]] = {}
    for index, row in enumerate(table.rows):
        if row.fact not in first:
            first[row.fact] = (index, row)
            continue
        _, head = first[row.fact]
        if row.type != head.type or (row.select != "latest" and row.select != head.select):
            raise FactTableError(
                f"事实表格式错误 / bad fact table {path}: row {index + 1} (fact {row.fact!r}): "
                "a further row of a fact must have the first row's type and select"
            )


# ------------------------------------------------------------------------------------------------
# Compiled tables


@dataclass(frozen=True)
class _Phrase:
    fact: str
    row: FactRow
    pattern: re.Pattern[str]
    value: object
    kind: Literal["plain", "only_negated", "weak"]
    rank: int
    group: str
    """Matches of one group do not overlap (leftmost-longest): the whole row for a bool, one value for an enum."""


@dataclass(frozen=True)
class _Compiled:
    table: FactTable
    phrases: tuple[_Phrase, ...]
    heads: dict[str, FactRow]
    claims: tuple[tuple[Claim, tuple[re.Pattern[str], ...]], ...]
    cues: tuple[tuple[str, re.Pattern[str]], ...]


def _compile_table(table: FactTable) -> _Compiled:
    phrases: list[_Phrase] = []
    heads: dict[str, FactRow] = {}
    ranks: dict[str, int] = {}
    for row in table.rows:
        heads.setdefault(row.fact, row)

        def add(items: Iterable[str], value: object, kind: Literal["plain", "only_negated", "weak"], group: str) -> None:
            """Phrasings of a bool rank in order; those of one enum value share its rank (then the leftmost wins)."""
            for phrase in items:
                rank = ranks.get(row.fact, 0)
                phrases.append(_Phrase(row.fact, row, _compile(phrase), value, kind, rank, group))
                if row.type == "bool":
                    ranks[row.fact] = rank + 1
            if row.type == "enum":
                ranks[row.fact] = ranks.get(row.fact, 0) + 1

        if row.type == "bool":
            add(row.true, True, "plain", row.fact)
            add(row.false, False, "plain", row.fact)
            add(row.weak, True, "weak", row.fact)
            add(row.only_negated, True, "only_negated", row.fact)
        else:
            for value, items in row.values.items():
                add(items, value, "plain", f"{row.fact}={value}")
            add(row.only_negated, row.negated_value, "only_negated", f"{row.fact}!")
    claims = tuple((claim, tuple(_compile(p) for p in claim.say)) for claim in table.claims)
    cues = tuple((cue.fact, _compile(p)) for cue in (table.amounts.cues if table.amounts else ()) for p in cue.say)
    return _Compiled(table, tuple(phrases), heads, claims, cues)


def _facts_model(tool: str) -> type[BaseModel]:
    from assistant.rules import TOOLS as RULE_TOOLS

    return RULE_TOOLS[tool].facts_model


def canonical_tool(tool: str) -> str:
    """The tool name for a name or alias (eligibility → purchase_eligibility)."""
    name = _ALIASES.get(tool, tool)
    if name not in TOOLS:
        raise ValueError(f"unknown tool {tool!r} (choose one of: {', '.join(TOOLS)})")
    return name


@functools.lru_cache(maxsize=None)
def table(tool: str, tables_dir: Path | None = None) -> FactTable:
    """The validated fact table of ``tool`` (from :data:`TABLES_DIR` unless ``tables_dir`` is given)."""
    tool = canonical_tool(tool)
    return load_table(Path(tables_dir or TABLES_DIR) / f"{tool}.yaml", _facts_model(tool))


@functools.lru_cache(maxsize=None)
def _compiled(tool: str) -> _Compiled:
    return _compile_table(table(tool))


def clause_of(tool: str, fact: str) -> str | None:
    """The clause key the table says ``fact`` serves (``wzb-2014-118#三（二）``), if it reads that fact."""
    return table(tool).clause_of(fact)


# ------------------------------------------------------------------------------------------------
# Text: normalisation, sub-sentences, markers

_NEGATORS: dict[str, str] = {
    # kind "exist": denies that something happened or exists.
    **dict.fromkeys(
        ["从来没有", "从来没", "从没有", "从没", "从未", "未曾", "尚未", "并未", "没有", "没被", "没", "未", "无", "不存在", "毫无", "并无", "绝无", "均无", "还没有", "还没"],
        "exist",
    ),
    # kind "copula": denies what something is.
    # (不涉及/不包括/不含 deny what a purchase takes in: 不涉及新建改造 is no works.)
    **dict.fromkeys(["不是", "并不是", "并非", "绝非", "非", "不属于", "不算", "不在", "不涉及", "不包括", "不包含", "不含", "不牵涉"], "copula"),
    # kind "plain": any other negation.
    **dict.fromkeys(["不", "不能", "不会", "不可", "无法", "别", "决不", "绝不", "从不", "不再", "不用", "不需要", "无需", "不必", "不曾"], "plain"),
}
_NOT_NEGATORS = (
    "不仅 不但 不光 不只 不管 不论 不断 不少 不错 不同 不久 不小心 不得不 不料 不妨 不然 不如 不止 不定期 不动产 不过 不用说 "
    "不良 不足 不够 不好意思 无论 无所谓 无偿 无锡 无障碍 无人机 无数 非常 非要 非法 非营利 非盈利 非遗 非物质 非公 非但 除非 莫非 "
    "未来 没想到 没关系 没准 没问题 没事 别的 别人 别家 别处 分别 特别 区别 个别 类别 识别 告别 级别 性别"
).split()
_QUESTION_WORDS = {"有没有": "far", "有无": "far", "是否": "far", "有否": "far", "能否": "near", "可否": "near", "可不可以": "near", "能不能": "near", "会不会": "near"}
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")
_UNCERTAIN_WORDS = (
    "不清楚 不太清楚 不知道 不太知道 不确定 不太确定 不了解 不记得 记不清 说不准 说不好 不好说 待确认 有待确认 搞不清 弄不清 不一定 未必 不明确是否"
).split()
_HEDGE_WORDS = "好像 似乎 可能 大概 也许 估计 应该 据说 听说 或许 貌似 差不多".split()
_BREAKERS = "而是 只是 就是 却 然后 后来 现在 目前".split()
"""A negator before one of these does not reach past it (不是事业单位而是社会组织; 以前没有…现在有)."""
_LEXICON: list[tuple[str, str, str]] = sorted(
    [(word, "neg", kind) for word, kind in _NEGATORS.items()]
    + [(word, "skip", "") for word in _NOT_NEGATORS]
    + [(word, "question", kind) for word, kind in _QUESTION_WORDS.items()]
    + [(word, "uncertain", "") for word in _UNCERTAIN_WORDS]
    + [(word, "hedge", "") for word in _HEDGE_WORDS]
    + [(word, "break", "") for word in _BREAKERS],
    key=lambda item: -len(item[0]),
)
_NEG_SLOT = "(?:还|也|都|均|并|从来|一直|根本|完全)?(?:" + "|".join(sorted(_NEGATORS, key=len, reverse=True)) + ")"

_SPLIT = re.compile(r"[，。；！？,;!?\n]|但是|(?<![不非])但|不过|可是|然而|而且|并且")
_CONTRAST = re.compile(r"^(?:但是|但|不过|可是|然而)$")
_QUESTION_END = re.compile(r"(?:吗|么|嘛)[啊呀呢]?$")
_PREDICATE = re.compile(
    r"能|可以|可|会|影响|算|行|要|需|须|应该|应当|承接|投标|参加|参与|买|采购|购买|申请|报名|符合|用|走|选|适用|做|找|请|签|办|"
    r"单一来源|招标|谈判|磋商|询价"
)
_WH = re.compile(r"谁|什么|哪些|哪个|哪里|哪儿|多少")
_TAIL_QUESTION = re.compile(r"^(?:了|过)(?:没有|没)$")
_POST_NEGATION = re.compile(
    r"^(?:的)?(?:情况|记录|行为|问题|现象|情形|事|事情)?[：:]?(?:也|都|均|从来|一直|完全|根本|确实|还)*"
    r"(?:没有|没|无|不存在|从未有过|从来没有|从没有过)(?:过)?(?:这项|这个|这一项|这类|此项|该项|这种|这些)?[的啊呀吧了]*$"
)
_NEG_ANSWER = re.compile(
    r"^(?:嗯|呃|哦)?(?:都|也|从来|一直|确实|根本)?(?:没有|没|无|不是|不|否|不在|不会|不属于|不符合|不具备|从未|从没|不存在|尚未|未|一次也没有)"
    r"[\u4e00-\u9fff]{0,3}?[的啊呀哦过呢了]*$"
)
_POS_ANSWER = re.compile(r"^(?:嗯|对|是|是的|对的|有|有的|有过|在|在的|会|属于|符合|具备|已经|当然|肯定|确实|确实有|受过|欠过)[的啊呀哦过了]*$")


def prepare(text: str) -> str:
    """The text facts are read from: NFKC, simplified characters, Chinese punctuation, no spaces; line
    breaks (e.g. between dialogue turns, and between the items of a numbered list: :func:`break_list_items`) are
    kept, and a later line wins over an earlier one. Spans refer to this text."""
    lines = [normalise(line) for line in normalise_text(break_list_items(text or "")).strip().splitlines()]
    return "\n".join(re.sub(r"\s+", "", line) for line in lines if line.strip())


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int
    segment: int
    question: bool
    """Ends in ？ or in 吗/么/嘛."""


def _clauses(text: str) -> list[_Clause]:
    clauses: list[_Clause] = []
    segment, position = 0, 0
    for match in [*_SPLIT.finditer(text), None]:
        end = match.start() if match else len(text)
        body = text[position:end]
        terminator = match.group(0) if match else ""
        if body:
            question = terminator in ("？", "?") or bool(_QUESTION_END.search(body))
            clauses.append(_Clause(position, end, segment, question))
        if match is None:
            break
        if _CONTRAST.match(terminator) or terminator == "\n":
            segment += 1
        position = match.end()
    return clauses


@dataclass(frozen=True)
class _Marker:
    kind: str
    sub: str
    start: int
    end: int


def _markers(prefix: str) -> list[_Marker]:
    """Negators, question and uncertainty words, hedges and breakers in ``prefix``, longest first, left to right."""
    found: list[_Marker] = []
    position = 0
    while position < len(prefix):
        a_not_a = _A_NOT_A.match(prefix, position)
        if a_not_a:
            near = a_not_a.group(1) in "能会可"
            found.append(_Marker("question", "near" if near else "far", position, a_not_a.end()))
            position = a_not_a.end()
            continue
        for word, kind, sub in _LEXICON:
            if prefix.startswith(word, position):
                if kind != "skip":
                    found.append(_Marker(kind, sub, position, position + len(word)))
                position += len(word)
                break
        else:
            position += 1
    return found


# ------------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class _Match:
    phrase: _Phrase
    start: int
    end: int
    clause: int
    slot_negations: int


@dataclass(frozen=True)
class _Reading:
    """A matched phrasing after scope: asked (a question), unclear (不清楚) or a statement."""

    match: _Match
    negations: int
    kinds: tuple[str, ...]
    scope_start: int
    asked: bool
    unclear: bool
    hedged: bool


@dataclass(frozen=True)
class _Statement:
    fact: str
    value: object
    polarity: bool
    start: int
    end: int
    scope_start: int
    clause: int
    segment: int
    rank: int
    confidence: float
    uncertain: bool
    weak: bool


@dataclass
class _Read:
    """Everything read from one text, before the tool's own finishing step."""

    text: str
    clauses: list[_Clause]
    statements: dict[str, list[_Statement]] = field(default_factory=dict)
    readings: list[_Reading] = field(default_factory=list)
    values: dict[str, FactValue] = field(default_factory=dict)


def _matches(compiled: _Compiled, text: str, clauses: list[_Clause]) -> list[_Match]:
    starts = [clause.start for clause in clauses]

    def clause_of(position: int) -> int:
        index = 0
        for i, start in enumerate(starts):
            if start <= position:
                index = i
        return index

    found: dict[str, list[_Match]] = {}
    for phrase in compiled.phrases:
        for match in phrase.pattern.finditer(text):
            if match.end() <= match.start():
                continue
            index = clause_of(match.start())
            if match.end() > clauses[index].end:
                continue  # a phrasing never spans two sub-sentences
            slots = sum(1 for name, value in match.groupdict().items() if name.startswith("_n") and value)
            found.setdefault(phrase.group, []).append(_Match(phrase, match.start(), match.end(), index, slots))
    kept: list[_Match] = []
    for group in found.values():  # longest first within a group, then leftmost, then the earlier phrasing
        chosen: list[_Match] = []
        for item in sorted(group, key=lambda m: (-(m.end - m.start), m.start, m.phrase.rank)):
            if all(item.start >= other.end or item.end <= other.start for other in chosen):
                chosen.append(item)
        kept.extend(chosen)
    return sorted(kept, key=lambda m: (m.start, m.phrase.rank))


def _scope(text: str, clause: _Clause, match: _Match) -> _Reading:
    prefix = text[clause.start : match.start]
    markers = _markers(prefix)
    cut = max((m.end for m in markers if m.kind == "break"), default=0)
    negations: list[_Marker] = []
    asked = unclear = hedged = False
    for marker in markers:
        distance = len(prefix) - marker.end
        if marker.kind == "neg" and marker.start >= cut and distance <= NEGATION_WINDOW:
            negations.append(marker)
        elif marker.kind == "question" and distance <= (NEAR_QUESTION_WINDOW if marker.sub == "near" else QUESTION_WINDOW):
            asked = True
        elif marker.kind == "uncertain" and distance <= QUESTION_WINDOW:
            unclear = True
        elif marker.kind == "hedge" and distance <= NEGATION_WINDOW:
            hedged = True
    tail = text[match.end : clause.end]
    if any(word in tail for word in _UNCERTAIN_WORDS):
        unclear = True  # 是不是参公我还真不确定: the speaker does not state it
    kinds = [marker.sub for marker in negations] + ["slot"] * match.slot_negations
    if _TAIL_QUESTION.match(tail):
        asked = True
    elif not clause.question and _POST_NEGATION.match(tail):
        kinds.append("exist")
    elif clause.question or _WH.search(tail):
        bare = re.sub(r"(?:吗|么|嘛)[啊呀呢]?$", "", tail)
        if len(bare) <= QUESTION_TAIL and not _PREDICATE.search(bare):
            asked = True
    scope_start = min([clause.start + marker.start for marker in negations], default=match.start)
    return _Reading(match, len(kinds), tuple(kinds), scope_start, asked, unclear, hedged)


def _answer(text: str, clause: _Clause) -> bool | None:
    """The polarity of a short answer sub-sentence (没有 / 有 / 不是 …), or ``None`` if it is not one."""
    body = text[clause.start : clause.end]
    if len(body) > 6:
        return None
    if _POS_ANSWER.match(body):
        return True
    if _NEG_ANSWER.match(body):
        return False
    return None


def _value(reading: _Reading, *, answered: bool | None = None) -> tuple[object, bool] | None:
    """The value a reading states and its polarity, applying the row's negation policy; ``None`` = nothing."""
    phrase, row = reading.match.phrase, reading.match.phrase.row
    kinds = list(reading.kinds)
    if row.negation == "none":
        kinds = []
    elif row.negation == "copula":
        kinds = [kind for kind in kinds if kind in ("copula", "slot")]
    negated = len(kinds) % 2 == 1
    if answered is False:
        negated = not negated
    if phrase.kind == "only_negated" and (not negated or (kinds and kinds[-1] not in ("exist", "slot") and answered is None)):
        return None  # 没有预算, 无资质, 预算没有: denied existence; 不走部门预算 is no such statement
    if row.type == "bool":
        value = bool(phrase.value)
        if negated:
            if value not in row.negatable:
                return None
            value = not value
        return value, not negated
    if not negated:
        return phrase.value, True
    nearest = kinds[-1] if kinds else ("exist" if answered is False else "")
    if row.negated_value is not None and nearest in ("exist", "slot"):
        return row.negated_value, False
    return None


def _statements(compiled: _Compiled, text: str, clauses: list[_Clause]) -> tuple[dict[str, list[_Statement]], list[_Reading]]:
    readings = [_scope(text, clauses[m.clause], m) for m in _matches(compiled, text, clauses)]
    asked_in = {reading.match.clause for reading in readings if reading.asked and not reading.unclear}
    statements: dict[str, list[_Statement]] = {}

    def add(reading: _Reading, answered: bool | None, clause_index: int) -> None:
        result = _value(reading, answered=answered)
        if result is None:
            return
        value, polarity = result
        match = reading.match
        if answered is not None:
            confidence = 0.9
        else:
            confidence = 1.0 - 0.05 * min(len(reading.kinds), 2)
        if reading.hedged:
            confidence = min(confidence, 0.6)
        statements.setdefault(match.phrase.fact, []).append(
            _Statement(
                fact=match.phrase.fact,
                value=value,
                polarity=polarity,
                start=match.start,
                end=match.end,
                scope_start=reading.scope_start,
                clause=clause_index,
                segment=clauses[clause_index].segment,
                rank=match.phrase.rank if polarity or match.phrase.row.negated_value is None else -1,
                confidence=confidence,
                uncertain=reading.hedged,
                weak=match.phrase.kind == "weak",
            )
        )

    for reading in readings:
        if reading.unclear:
            continue
        if not reading.asked:
            add(reading, None, reading.match.clause)
            continue
        following = reading.match.clause + 1
        if following < len(clauses) and following not in asked_in and not any(r.match.clause == following for r in readings):
            answered = _answer(text, clauses[following])
            if answered is not None:
                add(reading, answered, following)
    return statements, readings


_PURCHASE_VERB = re.compile(
    r"(?:想|打算|准备|计划|拟|要|能不能|能否|可不可以|可以)(?:用|通过|以)?[^，。？?！!；;]{0,12}?(?:购买|买|采购|外包|交给)"
)
"""A purchase the text speaks of (县人民医院想用购买服务的方式买保洁): its agent is the purchaser."""
_SENTENCE_END = re.compile(r"[。？?！!；;]")
_PURCHASER_ROLE = re.compile(r"[^，。？?！!；;]{0,8}?(?:当|作为|做|是)(?:政府购买服务的?)?(?:购买方|购买主体|采购人|采购单位)")
"""After an entity, in its clause: it is named the purchaser (村委会能不能自己当购买方)."""
AGENT_PHRASE_GAP = 4
"""Readings ending this close before the last one belong to the same noun phrase (参公管理的事业单位)."""


def _purchase_agent(items: list[_Statement], text: str) -> _Statement | None:
    """The agent of the purchase the text speaks of: the entity named last before 想买 / 能不能当购买方 in
    its sentence (one noun phrase may hold two readings, 参公管理的事业单位: its best-ranked one)."""
    verb = _PURCHASE_VERB.search(text)
    if verb is None:
        return None
    agents = [s for s in items if s.end <= verb.start() and not _SENTENCE_END.search(text, s.end, verb.start())]
    if not agents:
        return None
    last = max(s.start for s in agents)
    phrase = [s for s in agents if s.end >= last - AGENT_PHRASE_GAP and not re.search(r"[，,]", text[s.end : last])]
    return min(phrase, key=lambda s: (s.rank, -s.start))


def _choose(head: FactRow, items: list[_Statement], text: str) -> _Statement:
    """The statement that decides a fact (see the module docstring)."""
    if head.select == "entity":
        own = self_span(text)
        if own is not None:
            inside = [s for s in items if s.start >= own[0] and s.end <= own[1]]
            if inside:
                return min(inside, key=lambda s: (s.rank, s.start))
        agent = _purchase_agent(items, text)
        if agent is not None:
            return agent
        return min(items, key=lambda s: (s.start, s.rank))
    last = max(s.segment for s in items)
    items = [s for s in items if s.segment == last]
    if head.type == "bool" and head.precedence is not None:
        preferred = [s for s in items if s.value is head.precedence]
        if preferred:
            return preferred[0]
    if head.select == "priority":
        return min(items, key=lambda s: (s.rank, s.start))
    return items[-1]


def _fact_value(tool: str, statement: _Statement, text: str) -> FactValue:
    return FactValue(
        tool=tool,
        name=statement.fact,
        value=statement.value,
        polarity=statement.polarity,
        confidence=statement.confidence,
        span=Span(start=statement.start, end=statement.end, text=text[statement.start : statement.end]),
        uncertain=statement.uncertain,
    )


# ------------------------------------------------------------------------------------------------
# Amounts


@dataclass(frozen=True)
class _AmountRead:
    fact: str
    amount: Amount
    cued: bool


def _amounts(compiled: _Compiled, text: str) -> list[_AmountRead]:
    rules = compiled.table.amounts
    if rules is None:
        return []
    found = []
    for amount in find_amounts(text):
        before = text[max(0, amount.span.start - rules.window) : amount.span.start]
        fact, nearest = rules.default, -1
        for cue_fact, pattern in compiled.cues:
            for match in pattern.finditer(before):
                if match.end() > nearest:
                    fact, nearest = cue_fact, match.end()
        if fact is not None:
            found.append(_AmountRead(fact, amount, nearest >= 0))
    return found


def _amount_values(tool: str, compiled: _Compiled, reads: list[_AmountRead]) -> dict[str, FactValue]:
    rules = compiled.table.amounts
    values: dict[str, FactValue] = {}
    for read in reads:
        if read.fact in values:
            continue
        amount = read.amount
        values[read.fact] = FactValue(
            tool=tool,
            name=read.fact,
            value=amount.low_yuan,
            confidence=0.8 if amount.approximate else 1.0,
            span=amount.span,
            uncertain=amount.approximate,
        )
        upper = rules.upper.get(read.fact) if rules else None
        if upper and amount.approximate:
            values[upper] = FactValue(tool=tool, name=upper, value=amount.high_yuan, confidence=0.8, span=amount.span, uncertain=True)
    return values


# ------------------------------------------------------------------------------------------------
# Tool-specific finishing: facts that are not phrase facts


_PUBLIC_BUYERS = ("行政机关", "参公事业单位", "群团组织")
_SUPPLIER_SIDE = ("社会组织", "其他", "国有企业")


def _buyer_not_supplier(read: _Read) -> None:
    """A supplier who tells of an agency's purchase (街道找到我们社工机构…; 局里想交给物业公司) is not the
    purchaser: when the chosen purchaser is of a supplier's kind and the text also names a public body
    that buys, the public body is the purchaser."""
    chosen = read.values.get("purchaser_type")
    unsure = [r for r in read.readings if r.unclear and r.match.phrase.fact == "purchaser_type"]
    if chosen is not None and chosen.value == "其他事业单位" and any(r.match.phrase.value == "参公事业单位" for r in unsure):
        del read.values["purchaser_type"]  # 一家事业单位，是不是参公不确定: which kind is the open question
        return
    if chosen is None or chosen.value not in _SUPPLIER_SIDE:
        return
    if chosen.span is not None and _PURCHASER_ROLE.match(read.text, chosen.span.end):
        return  # 村委会能不能自己当购买方: the text names it the purchaser, it is not a supplier telling of one
    buyers = [s for s in read.statements.get("purchaser_type", []) if s.polarity and s.value in _PUBLIC_BUYERS]
    if buyers:
        read.values["purchaser_type"] = _fact_value("purchase_eligibility", min(buyers, key=lambda s: (s.start, s.rank)), read.text)


def _finish_eligibility(read: _Read) -> None:
    _buyer_not_supplier(read)
    text, values = read.text, read.values
    cut = {"purchaser_type", "funded_by_budget", "has_budget", "in_catalog"}
    chosen_purchaser = values.get("purchaser_type")
    spans: list[Hit] = []
    for reading in read.readings:
        match = reading.match
        if match.phrase.fact not in cut:
            continue
        asked = reading.asked and match.phrase.kind != "only_negated"
        if not asked and _value(reading) is None:
            continue  # cut out what states (or asks) something, not a bare 预算
        if match.phrase.fact == "purchaser_type" and (
            chosen_purchaser is None or chosen_purchaser.span is None or chosen_purchaser.span.start != match.start
        ):
            continue  # only the purchaser actually chosen is cut out, as before
        spans.append(Hit(None, min(reading.scope_start, match.start), match.end))
    rest = tidy(strip_spans(text, spans).replace("\n", "，"))
    if has_content(rest):
        values["service_description"] = FactValue(tool="purchase_eligibility", name="service_description", value=rest, confidence=0.8)
    negative = values.get("negative_list_item")
    if negative is not None and negative.value == "基础设施建设" and "is_goods_or_works" not in values:
        values["is_goods_or_works"] = negative.model_copy(update={"name": "is_goods_or_works", "value": True})


@functools.lru_cache(maxsize=1)
def _violation_pattern() -> re.Pattern[str]:
    """The phrasings of a violation or penalty in the supplier_qualification table (negation-unaware)."""
    rows = phrase_table("supplier_qualification", "major_violation_last_3_years")
    rows += phrase_table("supplier_qualification", "penalty_kind")
    return re.compile("|".join(f"(?:{pattern})" for pattern, _ in rows))


def violation_years_ago(text: str, *, today: date | None = None) -> float | None:
    """How many years ago the text says a violation or penalty happened (:func:`~assistant.nlu.phrases.years_ago`)."""
    return years_ago(text, event=_violation_pattern(), today=today)


def _finish_qualification(read: _Read) -> None:
    values = read.values
    violation = values.get("major_violation_last_3_years")
    if violation is not None and violation.value is True:
        years = violation_years_ago(read.text)
        if years is not None:
            del values["major_violation_last_3_years"]
            values["major_violation_years_ago"] = violation.model_copy(update={"name": "major_violation_years_ago", "value": years})
    class_one = values.get("is_public_welfare_class_one")
    if class_one is not None and "supplier_type" not in values:
        values["supplier_type"] = class_one.model_copy(update={"name": "supplier_type", "value": "事业单位", "confidence": 0.8})


def _finish_procurement(read: _Read) -> None:
    from assistant.nlu import procurement as p

    tool, text, values = "procurement_method", read.text, read.values
    total = values.get("cumulative_same_item_amount_yuan")
    if total is not None and not any(name in values for name in ("amount_yuan", "original_contract_amount_yuan")):
        # 总共2.8万元 with no other amount is this purchase's amount, not a running total of several
        values["amount_yuan"] = total.model_copy(update={"name": "amount_yuan"})
        del values["cumulative_same_item_amount_yuan"]
    object_type = p.detect_object_type(text)
    if object_type is not p.ObjectType.服务:
        values["object_type"] = FactValue(tool=tool, name="object_type", value=object_type.value)
    if re.search(r"购买服务", text):
        values["is_purchase_of_services"] = FactValue(tool=tool, name="is_purchase_of_services", value=True)
    elif object_type is not p.ObjectType.服务:
        values["is_purchase_of_services"] = FactValue(tool=tool, name="is_purchase_of_services", value=False)
    jurisdiction = p.detect_jurisdiction(text)
    if jurisdiction is not None:
        values["jurisdiction"] = FactValue(tool=tool, name="jurisdiction", value=jurisdiction)
    requested = p.detect_requested_method(text)
    if requested is not None:
        values["requested_method"] = FactValue(tool=tool, name="requested_method", value=requested.value)


_FINISH: dict[str, Callable[[_Read], None]] = {
    "purchase_eligibility": _finish_eligibility,
    "supplier_qualification": _finish_qualification,
    "procurement_method": _finish_procurement,
}


# ------------------------------------------------------------------------------------------------
# Public API


def _read(tool: str, text: str, compiled: _Compiled, *, finish: bool = True) -> _Read:
    prepared = prepare(text)
    clauses = _clauses(prepared)
    read = _Read(prepared, clauses)
    if not clauses:
        return read
    read.statements, read.readings = _statements(compiled, prepared, clauses)
    amount_reads = _amounts(compiled, prepared)
    read.values.update(_amount_values(tool, compiled, amount_reads))
    for fact, items in read.statements.items():
        head = compiled.heads[fact]
        plain = [s for s in items if not s.weak]
        weak = [s for s in items if s.weak]
        if not plain and weak and any(name in read.values for name in head.weak_needs):
            plain = weak
        if not plain:
            continue
        chosen = _choose(head, plain, prepared)
        read.values[fact] = _fact_value(tool, chosen, prepared)
    for claim, patterns in compiled.claims:
        if any(_states_claim(prepared, clauses, pattern) for pattern in patterns):
            for name, value in claim.fills.items():
                read.values.setdefault(name, FactValue(tool=tool, name=name, value=value, confidence=0.8))
    unclear = sorted({r.match.phrase.fact for r in read.readings if r.unclear} - set(read.values))
    if unclear:  # 不清楚有没有欠过税: the user does not know (kept when the tool's model records it)
        read.values["said_unknown"] = FactValue(tool=tool, name="said_unknown", value=tuple(unclear), confidence=0.8)
    if finish and tool in _FINISH:
        _FINISH[tool](read)
    return read


def _states_claim(text: str, clauses: list[_Clause], pattern: re.Pattern[str]) -> bool:
    for match in pattern.finditer(text):
        clause = next(c for c in reversed(clauses) if c.start <= match.start())
        phrase = _Phrase("", _CLAIM_ROW, pattern, True, "plain", 0, "")
        reading = _scope(text, clause, _Match(phrase, match.start(), match.end(), 0, 0))
        if not reading.asked and not reading.unclear and len(reading.kinds) % 2 == 0:
            return True
    return False


_CLAIM_ROW = FactRow(fact="_claim", type="bool", clause="x#claim", true=("_",))


@functools.lru_cache(maxsize=4096)
def _read_cached(tool: str, text: str) -> tuple[FactValue, ...]:
    read = _read(tool, text, _compiled(tool))
    fields = _facts_model(tool).model_fields
    values = [value for name, value in read.values.items() if name in fields]
    return tuple(sorted(values, key=lambda v: (v.span.start if v.span else 10**9, v.name)))


def read_facts(tool: str, text: str) -> tuple[FactValue, ...]:
    """The facts of ``tool`` that ``text`` states, one per fact, in reading order.

    Each :class:`~assistant.nlu.models.FactValue` has the value (after negation), ``polarity``
    (``False`` when the phrasing was negated or answered 没有), ``confidence``, ``uncertain``
    (hedged statement or approximate amount) and the ``span`` in :func:`prepare` of the text
    (``None`` for facts derived from the whole text, such as the service description).
    """
    return _read_cached(canonical_tool(tool), text or "")


def extract(tool: str, text: str) -> BaseModel:
    """The tool's facts model filled with what ``text`` states; anything not stated stays ``None``.

    The text → facts entry point of every rule tool (``eligibility``, ``qualification`` and ``method``
    are aliases of the tool names). Phrase facts come from the tool's table, with negation and question
    scope; then each tool's finishing step:

    * ``purchase_eligibility``: what is left once the purchaser and the budget words are cut out is the
      ``service_description``. Only the 指导目录 is read as ``in_catalog`` (never the 集中采购目录).
    * ``supplier_qualification``: a violation with its age (去年被罚款, 五年前) gives
      ``major_violation_years_ago``; 各项条件都符合 fills the conditions not stated otherwise.
    * ``procurement_method``: amounts (:mod:`assistant.nlu.amounts`) — after 原合同 the original contract,
      after 累计/全年 the cumulative amount, otherwise the budget; an approximate amount (几十万, 80多万) gives
      ``amount_yuan`` = its low bound and ``amount_upper_yuan`` = its high bound. The object type, the
      province and the method asked about are read by :mod:`assistant.nlu.procurement`.

    >>> extract("eligibility", "我们是区民政局，想买社区养老上门服务").purchaser_type.value
    '行政机关'
    >>> extract("eligibility", "不是没有预算").has_budget, extract("eligibility", "有预算吗？").has_budget
    (True, None)
    >>> extract("qualification", "我们是一家个体工商户，去年欠缴过社保").tax_social_insurance_record_good
    False
    >>> extract("qualification", "受过处罚吗？没有").major_violation_last_3_years
    False
    >>> facts = extract("method", "区民政局买养老服务，预算80多万，不在集采目录")
    >>> facts.amount_yuan, facts.amount_upper_yuan, facts.in_centralized_catalog, facts.level.value
    (800000.0, 900000.0, False, '县级')
    """
    tool = canonical_tool(tool)
    model = _facts_model(tool)
    values: dict[str, object] = {value.name: value.value for value in read_facts(tool, text)}
    if tool == "procurement_method":
        values.setdefault("object_type", "服务")  # as before: always set, so the model records it as read
        values.setdefault("requested_method", None)
    return model.model_validate(values)


def read_with(table_: FactTable, text: str, *, model: type[BaseModel] | None = None) -> tuple[FactValue, ...]:
    """Read ``text`` with any table (for tests and new tools): no tool-specific finishing step."""
    read = _read(table_.tool, text, _compile_table(table_), finish=False)
    values = [value for name, value in read.values.items() if model is None or name in model.model_fields]
    return tuple(sorted(values, key=lambda v: (v.span.start if v.span else 10**9, v.name)))


def phrase_table(tool: str, fact: str) -> list[tuple[str, object]]:
    """The plain phrasings of ``fact`` as ``(regex, value)`` rows in priority order (false before true for a
    bool): the negation-unaware view that :mod:`assistant.nlu.phrases` offers under its old table names."""
    rows: list[tuple[str, object]] = []
    for row in table(tool).rows_of(fact):
        if row.type == "bool":
            rows += [(re.sub(r"<neg>\??", "", p), False) for p in row.false]
            rows += [(re.sub(r"<neg>\??", "", p), True) for p in row.true]
        else:
            rows += [("|".join(f"(?:{re.sub(r'<neg>[?]?', '', p)})" for p in phrases), value) for value, phrases in row.values.items()]
    return rows


def claim_pattern(tool: str, name: str) -> re.Pattern[str]:
    """The phrasings of a claim (e.g. ``all_conditions_met``) as one regular expression."""
    for claim in table(tool).claims:
        if claim.name == name:
            return re.compile("|".join(f"(?:{p})" for p in claim.say))
    raise KeyError(name)


# ------------------------------------------------------------------------------------------------
# Replies to the assistant's own questions

_YES = re.compile(
    r"^(?:是|是的|对|对的|有|有的|有过|有了|在|在的|在内|属于|可以|能|会|符合|具备|已|已经|已经有了|嗯|没错|确认|同意|当然|肯定|"
    r"批了|已批准|都是|都有|是滴|对滴|好的|列入|列进|纳入|已列入|已经列入|安排|已安排|已经安排|落实|已落实|已经落实|登记|已登记|"
    r"yes|y|Y|YES|Yes)$"
)
_NO = re.compile(
    r"^(?:否|不是|不|没有|没|无|不在|不属于|不可以|不能|不会|不符合|不具备|未|还没|还没有|尚未|没有过|从来没有|从没|"
    r"不对|都没有|都不是|都不|都没|no|n|N|NO|No)$"
)
_UNKNOWN = re.compile(r"^(?:不清楚|不知道|不确定|不了解|待定|不太清楚|不太确定|说不好|还不知道|不好说|待确认|不记得|忘了)$")
_ALL = re.compile(r"^(?:\d+个|[两三四五六七八九几每]个|以上|上面)?(?:都|全部|全都|均|统统|全)")
_ITEM = re.compile(
    r"(?<![\d.])(?:第\s*(?P<ord>\d{1,2}|[一二三四五六七八九十])\s*(?:个|项|条|点|题|问)?"
    r"|(?P<num>\d{1,2}|[一二三四五六七八九十](?=\s*[、.．:：)）])))"
    r"(?P<sep>\s*[、.．:：)）](?!\d))?\s*"
)
_PARTICLES = re.compile(r"[的啊呀哦了吧呢嘛。.!！,，;；\s~～]+$")


def _short(word: str) -> bool | None | str:
    """A short reply: True (是/有), False (否/没有), "unknown" (不清楚) or None (not a short reply)."""
    word = _PARTICLES.sub("", word.strip()).strip()
    if not word:
        return None
    if _UNKNOWN.match(word):
        return "unknown"
    if _YES.match(word):
        return True
    if _NO.match(word):
        return False
    return None


def _items(text: str, count: int) -> dict[int, str] | None:
    """Numbered items of a reply ("1. 是 2. 否", "1是2是", "第二个不是"): position (1-based) → its text."""
    markers = []
    for match in _ITEM.finditer(text):
        token = match.group("ord") or match.group("num")
        number = int(token) if token.isdigit() else {c: i for i, c in enumerate("一二三四五六七八九十", 1)}[token]
        if not 1 <= number <= count:
            continue
        following = text[match.end() : match.end() + 1]
        if match.group("num") and token.isdigit() and not match.group("sep"):
            if not following or not re.match(r"[是否有没无不对在可能符具已未还尚都嗯待]", following):
                continue  # "50万" is no item marker
        markers.append((number, match.start(), match.end()))
    if not markers:
        return None
    items: dict[int, str] = {}
    for index, (number, _, end) in enumerate(markers):
        stop = markers[index + 1][1] if index + 1 < len(markers) else len(text)
        items[number] = text[end:stop].strip(" ，,;；。")
    return items


def _answer_value(tool: str, fact: str, reply: str) -> tuple[bool, object]:
    """What a reply says about one fact: ``(True, value)``, or ``(False, None)`` when it says nothing."""
    stated = {value.name: value.value for value in read_facts(tool, reply)}
    if fact in stated:
        return True, stated[fact]
    if fact.endswith("_yuan"):
        amounts = find_amounts(prepare(reply))
        return (True, amounts[0].low_yuan) if amounts else (False, None)
    head = _compiled(tool).heads.get(fact)
    word = _PARTICLES.sub("", prepare(reply))
    if head is not None and word in head.answers:
        return True, head.answers[word]
    short = _short(reply)
    annotation = str(_facts_model(tool).model_fields[fact].annotation)
    if short in (True, False) and (head is None or head.type == "bool") and "bool" in annotation:
        return True, short
    return False, None


def _words(tool: str, replies: Iterable[str], asked: Sequence[str]) -> dict[str, object]:
    """Facts stated in words in ``replies``; a bare amount (no cue word) answers the amount asked for."""
    compiled = _compiled(tool)
    rules = compiled.table.amounts
    words: dict[str, object] = {}
    for reply in replies:
        stated = {value.name: value.value for value in read_facts(tool, reply)}
        if "service_description" not in asked:
            stated.pop("service_description", None)
        if rules is not None and rules.default in stated:
            asked_amounts = [name for name in asked if name.endswith("_yuan") and name != rules.default]
            bare = [read for read in _amounts(compiled, prepare(reply)) if not read.cued]
            if asked_amounts and rules.default not in asked and bare:
                stated.pop(rules.default)
                for upper in rules.upper.values():
                    stated.pop(upper, None)
                for name, read in zip(asked_amounts, bare):
                    stated.setdefault(name, read.amount.low_yuan)
        words.update(stated)
    return words


def fill_pending(tool: str, pending: Sequence[str], text: str) -> dict[str, object]:
    """Read a reply to the assistant's numbered questions about ``pending`` facts (in the order asked).

    Positional answers ("1. 是 2. 否 3. 不清楚", "1是2是", "第二个不是"), one answer for one question
    ("是的"), one answer for all ("都是", "都有", "都没有"), comma-separated answers in order ("是，否"),
    a bare amount ("50万") for an amount asked for; "不清楚/不知道" leaves the fact unset. Facts the
    reply states in words (read by :func:`read_facts`) win over positional answers. Pending names
    that are not fields of the tool's facts model (e.g. ``finance_department_confirmed``) are skipped.

    :returns: fact name → value (enum values as their Chinese strings), only for facts the reply settles.
    """
    tool = canonical_tool(tool)
    fields = _facts_model(tool).model_fields
    asked = [name for name in pending if name in fields]
    raw = normalise(normalise_text(text or "")).strip()
    flat = prepare(raw)
    positional: dict[str, str] = {}
    items = _items(raw, len(pending)) if pending else None
    replies: list[str] = [raw]
    if items:
        replies = list(items.values())
        first = _ITEM.search(raw)
        if first is not None and raw[: first.start()].strip():
            replies.append(raw[: first.start()])
        positional = {pending[number - 1]: reply for number, reply in items.items()}
    elif asked and (every := _ALL.match(flat)) and _short(flat[every.end() :] or flat) in (True, False):
        answer = "是" if _short(flat[every.end() :] or flat) else "否"
        positional = {name: answer for name in asked}
    elif len(asked) > 1 and len(parts := [p for p in re.split(r"[，,;；。\s]+", raw) if p]) == len(pending) and all(
        _short(part) is not None for part in parts
    ):
        positional = dict(zip(pending, parts))
    elif len(asked) == 1:
        positional = {asked[0]: raw}
    result: dict[str, object] = {}
    unknown: list[str] = []
    for name, reply in positional.items():
        if name in fields:
            settled, value = _answer_value(tool, name, reply)
            if settled:
                result[name] = value
            elif _short(prepare(reply)) == "unknown":
                unknown.append(name)
    if unknown and "said_unknown" in fields:
        result["said_unknown"] = tuple(unknown)
    result.update(_topic_answers(tool, asked, list(items.values()) if items else [raw]))
    result.update(_amount_answers(tool, asked, positional))
    result.update(_words(tool, replies, asked))
    return result


def _amount_answers(tool: str, asked: Sequence[str], positional: dict[str, str]) -> dict[str, object]:
    """A reply with an amount of money to a question whose row names an ``amount_answer`` (是否较大数额？— 3000元)."""
    compiled = _compiled(tool)
    heads = compiled.heads
    upper = compiled.table.amounts.upper if compiled.table.amounts else {}
    found: dict[str, object] = {}
    for name in asked:
        head = heads.get(name)
        reply = positional.get(name)
        if head is None or head.amount_answer is None or not reply:
            continue
        amounts = find_amounts(prepare(reply))
        if amounts:
            found[head.amount_answer] = amounts[0].low_yuan
            if amounts[0].approximate and head.amount_answer in upper:
                found[upper[head.amount_answer]] = amounts[0].high_yuan
    return found


def _topic_answers(tool: str, asked: Sequence[str], replies: Sequence[str]) -> dict[str, object]:
    """Replies that name the topic of a question asked (列进目录了 → in_catalog; 目录里没有 → not): each reply
    answers the one asked fact whose topic it names, yes unless a negator of the fact reader stands in it; an unsure reply
    (不清楚在不在目录) answers nothing. Facts the reply states in words (:func:`_words`) still win."""
    heads = _compiled(tool).heads
    answers: dict[str, object] = {}
    for reply in replies:
        flat = prepare(reply)
        if any(word in flat for word in _UNCERTAIN_WORDS) or _A_NOT_A.search(flat):
            continue
        named = [
            name for name in asked
            if (head := heads.get(name)) is not None and head.type == "bool" and head.topic and re.search(head.topic, flat)
        ]
        if len(named) == 1:
            answers[named[0]] = not any(marker.kind == "neg" for marker in _markers(flat))
    return answers


__all__ = [
    "TABLES_DIR",
    "TOOLS",
    "AmountCue",
    "AmountRules",
    "Claim",
    "FactRow",
    "FactTable",
    "FactTableError",
    "canonical_tool",
    "claim_pattern",
    "clause_of",
    "extract",
    "fill_pending",
    "load_table",
    "phrase_table",
    "prepare",
    "read_facts",
    "read_with",
    "table",
]
