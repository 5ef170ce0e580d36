"""Money amounts written the way users type them, exact or approximate.

Exact: ``80万``, ``八十万元``, ``0.8百万``, ``1.5亿``, ``1,200,000元``, ``80w``, ``预算3000000``.
Approximate (``Amount.approximate``; ``low_yuan``–``high_yuan`` is the range meant):

=================================  ==========================  =====================
written                            kind                        range
=================================  ==========================  =====================
``80多万``, ``80余万``, ``8万多``    ``more``                    80–90万 (one unit of the last digit)
``一百来万``, ``十来万``              ``over``                    100–120万 (+20 %)
``100万出头``                       ``over``                    100–120万
``几十万``, ``数十万``, ``几万``     ``several``                 20–90万, 2–9万
``十几万``, ``三十几万``              ``several``                 11–19万, 31–39万
``五六十万``, ``七八万``, ``十五六万``  ``range``                   50–60万, 7–8万, 15–16万
``50-60万``, ``50到60万``            ``range``                   50–60万
``约100万``, ``100万左右``, ``大概…``  ``about``                   90–110万 (±10 %)
``近百万``, ``将近100万``, ``快100万``  ``near``                    90–100万
``上百万``                          ``over``                    100–200万
=================================  ==========================  =====================

A number counts as money only with a money unit: a multiplier (万、亿, ``w``) or ``元/块`` after it; a
bare number (``3家``, ``2026年``, ``第三十条``) never is, except a plain figure of at least
:data:`BARE_MINIMUM_YUAN` right after a money word (``预算3000000``). Positions (``Amount.span``)
refer to the NFKC-normalised text (:func:`normalise_text`). Chinese and mixed numerals go through
``cn2an``; digits with one trailing multiplier are converted exactly with :class:`~decimal.Decimal`.

Where one figure is wanted (the API's ``parse_amount``), :func:`point_amounts` keeps the amounts that
name one — exact or hedged (``80万``, ``约100万``, ``近百万``: the figure as written, ``stated_yuan``) — and
leaves out vague ones (``几十万``, ``80多万``, ``五六十万``), which name no single figure;
:func:`parse_amount_yuan` is the figure of the first of them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Literal

import cn2an
from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.nlu.models import Span

AmountKind = Literal["exact", "about", "near", "over", "more", "several", "range"]
POINT_KINDS: frozenset[str] = frozenset({"exact", "about", "near", "over"})
"""Kinds that name one figure (possibly hedged): ``stated_yuan`` is that figure."""

ABOUT_MARGIN = Decimal("0.1")
"""约/左右/大概: the range is the stated figure ±10 %."""
OVER_MARGIN = Decimal("0.2")
"""来/出头: the range is the stated figure to +20 %."""

_MULTIPLIERS: dict[str, Decimal] = {
    "亿": Decimal(10) ** 8,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "十万": Decimal(10) ** 5,
    "万": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
    "百": Decimal(10) ** 2,
}
_SUFFIXES = sorted(_MULTIPLIERS, key=len, reverse=True)
_TEN_THOUSAND = _MULTIPLIERS["万"]
BARE_MINIMUM_YUAN = Decimal(1000)
"""A unit-less figure after 预算/金额 is read as 元 only from this size up (smaller ones are ambiguous)."""

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_START = "零〇一二两三四五六七八九十"
_CN_ANY = _CN_START + "百千万亿"
_CN_DIGIT = "一二两三四五六七八九"
_TOKEN = re.compile(
    rf"(?<![\d.A-Za-z])(?P<num>(?:{_DIGITS}|[{_CN_START}])(?:{_DIGITS}|[{_CN_ANY}]|点(?=[{_CN_START}\d]))*)"
    r"\s*(?P<w>[wW](?![A-Za-z]))?\s*(?P<yuan>元|块钱|块|圆)?"
)
_FAST = re.compile(rf"(?P<digits>{_DIGITS})(?P<unit>{'|'.join(_SUFFIXES)})?")
_MONEY_WORD_BEFORE = re.compile(r"(预算|金额|总额|总价|合同额|合同价|费用|资金|经费|价格|报价)(为|是|约|大约|大概|:|：)?\s*$")

# Pieces of the approximate patterns. A Chinese number here stops before 万/亿 (the unit is separate).
_NUM = rf"(?:{_DIGITS}|[{_CN_START}][零〇一二两三四五六七八九十百千]*)"
_UNIT = r"(?:亿|千万|百万|万|[wW](?![A-Za-z]))"
_YUAN = r"(?:元|块钱|块|圆)"
_NOT_AFTER_NUMBER = rf"(?<![\d.{_CN_ANY}A-Za-z])"
_COUNTED = r"(?![家个人次条项件台辆名户所年天月日倍])"

_MORE = re.compile(
    rf"{_NOT_AFTER_NUMBER}(?P<num>{_NUM})(?P<more>多|余|来)(?P<unit>{_UNIT})?(?P<yuan>{_YUAN})?"
    rf"|{_NOT_AFTER_NUMBER}(?P<num2>{_NUM})(?P<unit2>{_UNIT})(?P<more2>多|余){_COUNTED}(?P<yuan2>{_YUAN})?"
)
_SEVERAL = re.compile(
    rf"(?<![\d.{_CN_ANY}])(?P<lead>(?:[{_CN_DIGIT}]?[十百千])+)?(?:好)?(?P<few>几|数)(?P<mag>十|百|千)?"
    rf"(?P<unit>{_UNIT})?(?P<yuan>{_YUAN})?"
)
_PAIR = re.compile(
    rf"(?<![\d.{_CN_ANY}])(?P<lead>[{_CN_DIGIT}]?十)?(?P<a>[{_CN_DIGIT}])(?P<b>[{_CN_DIGIT}])(?P<mag>十|百|千)?"
    rf"(?P<unit>{_UNIT})?(?P<yuan>{_YUAN})?"
)
_RANGE = re.compile(
    rf"{_NOT_AFTER_NUMBER}(?P<lo>{_NUM})(?P<lounit>{_UNIT})?{_YUAN}?\s*(?:-|~|—|–|到|至)\s*"
    rf"(?P<hi>{_NUM})(?P<unit>{_UNIT})?(?P<yuan>{_YUAN})?"
)
_IMPLICIT = re.compile(r"(?P<hedge>将近|接近|(?<![最附邻靠])近|几乎|上|大约|约)(?P<num>百万|千万|亿)(?P<yuan>元)?")
_HEDGE_BEFORE = re.compile(
    r"(?:(?P<about>大约|大概|约莫|约为|约合|(?<![签合预节契制公条履违特邀])约|差不多|估计|预估|粗估)"
    r"|(?P<near>将近|接近|(?<![最附邻靠])近|快))(?:为|是|在|有|到)?$"
)
_HEDGE_AFTER = re.compile(r"^(?:(?P<about>左右|上下|前后)|(?P<over>出头|挂零|多一点))")
_PLACES = {"十": Decimal(10), "百": Decimal(100), "千": Decimal(1000)}
_DIGIT_VALUE = {ch: index for index, ch in enumerate("零一二三四五六七八九")} | {"两": 2, "〇": 0}


class Amount(BaseModel):
    """One amount of money in a text: the range it means, in 元, and where it was written."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    low_yuan: float = Field(gt=0, description="Lower bound in 元 (the amount itself when exact).")
    high_yuan: float = Field(gt=0, description="Upper bound in 元 (equal to low_yuan when exact).")
    approximate: bool = Field(description="True for 约100万, 80多万, 几十万, 五六十万 …")
    span: Span = Field(description="Where it was written, in the NFKC-normalised text.")
    stated_yuan: float = Field(gt=0, description="The figure as written: 100万 for 约100万, 80万 for 80多万, the low bound for ranges.")
    kind: AmountKind = "exact"

    @model_validator(mode="after")
    def _ordered(self) -> Amount:
        if self.high_yuan < self.low_yuan:
            raise ValueError(f"high_yuan {self.high_yuan} < low_yuan {self.low_yuan}")
        return self

    @property
    def value_yuan(self) -> float:
        """The single figure to use when one is needed: the amount, or the low bound of a range."""
        return self.low_yuan


def normalise_text(text: str) -> str:
    """NFKC-normalise (full-width digits and punctuation become ASCII); positions refer to this text."""
    return unicodedata.normalize("NFKC", text)


def to_decimal(token: str) -> Decimal | None:
    """A number written in digits, Chinese or both (``3.5``, ``三百五十``, ``1万5``, ``0.8百万``), or ``None``."""
    token = token.strip()
    if not token:
        return None
    fast = _FAST.fullmatch(token)
    if fast:
        try:
            number = Decimal(fast.group("digits").replace(",", ""))
        except InvalidOperation:
            return None
        return number * _MULTIPLIERS[fast.group("unit")] if fast.group("unit") else number
    try:
        return Decimal(str(cn2an.cn2an(token, "smart")))
    except (ValueError, KeyError, IndexError, TypeError, InvalidOperation):
        pass
    for suffix in _SUFFIXES:  # e.g. 一点五亿, 0.8百万: cn2an needs the multiplier split off
        if token.endswith(suffix) and len(token) > len(suffix):
            inner = to_decimal(token[: -len(suffix)])
            return None if inner is None else inner * _MULTIPLIERS[suffix]
    return None


def _unit(unit: str | None) -> Decimal:
    if not unit:
        return Decimal(1)
    return _TEN_THOUSAND if unit in "wW" else _MULTIPLIERS[unit]


def _last_place(number: Decimal) -> Decimal:
    """One unit of the last significant digit: 80 → 10, 100 → 100, 8 → 1, 1.5 → 0.1."""
    if number == number.to_integral_value():
        value, place = int(number), Decimal(1)
        while value and value % 10 == 0:
            value //= 10
            place *= 10
        return place
    return Decimal(1).scaleb(number.as_tuple().exponent)  # type: ignore[arg-type]


def _make(text: str, start: int, end: int, low: Decimal, high: Decimal, stated: Decimal, kind: str) -> Amount | None:
    if low <= 0 or high < low or stated <= 0 or not all(math.isfinite(float(v)) for v in (low, high, stated)):
        return None
    return Amount(
        low_yuan=float(low),
        high_yuan=float(high),
        approximate=kind != "exact",
        span=Span(start=start, end=end, text=text[start:end]),
        stated_yuan=float(stated),
        kind=kind,  # type: ignore[arg-type]
    )


def _approximate(text: str) -> list[Amount]:
    """Every approximate amount (several, more-than, pairs, ranges, 近百万), longest first where they overlap."""
    found: list[Amount] = []
    for match in _RANGE.finditer(text):
        if not (match.group("unit") or match.group("yuan") or match.group("lounit")):
            continue
        lo, hi = to_decimal(match.group("lo")), to_decimal(match.group("hi"))
        if lo is None or hi is None:
            continue
        unit = _unit(match.group("unit") or match.group("lounit"))
        low = lo * (_unit(match.group("lounit")) if match.group("lounit") else unit)
        high = hi * unit
        if high > low:
            found.append(_make(text, match.start(), match.end(), low, high, low, "range"))  # type: ignore[arg-type]
    for match in _PAIR.finditer(text):
        if not (match.group("unit") or match.group("yuan")):
            continue
        a, b = _DIGIT_VALUE[match.group("a")], _DIGIT_VALUE[match.group("b")]
        if not (b == a + 1 or (a, b) == (3, 5)) or (match.group("lead") and match.group("mag")):
            continue
        lead = to_decimal(match.group("lead")) if match.group("lead") else Decimal(0)
        mag = _PLACES.get(match.group("mag") or "", Decimal(1))
        unit = _unit(match.group("unit"))
        low, high = (lead + a * mag) * unit, (lead + b * mag) * unit  # type: ignore[operator]
        found.append(_make(text, match.start(), match.end(), low, high, low, "range"))  # type: ignore[arg-type]
    for match in _SEVERAL.finditer(text):
        if not (match.group("unit") or match.group("yuan")):
            continue
        if match.group("few") == "数" and not match.group("mag") and not match.group("unit"):
            continue
        lead = to_decimal(match.group("lead")) if match.group("lead") else Decimal(0)
        if lead is None:
            continue
        mag = _PLACES.get(match.group("mag") or "", Decimal(1))
        first = 1 if lead else 2
        unit = _unit(match.group("unit"))
        low, high = (lead + first * mag) * unit, (lead + 9 * mag) * unit
        found.append(_make(text, match.start(), match.end(), low, high, low, "several"))  # type: ignore[arg-type]
    for match in _MORE.finditer(text):
        if match.group("num") is not None:
            num, more, unit_text, yuan = match.group("num"), match.group("more"), match.group("unit"), match.group("yuan")
        else:
            num, more, unit_text, yuan = match.group("num2"), match.group("more2"), match.group("unit2"), match.group("yuan2")
        if not (unit_text or yuan):
            continue
        number = to_decimal(num)
        if number is None or number <= 0:
            continue
        unit = _unit(unit_text)
        if more == "来":
            low, high, kind = number * unit, number * (1 + OVER_MARGIN) * unit, "over"
        else:
            low, high, kind = number * unit, (number + _last_place(number)) * unit, "more"
        found.append(_make(text, match.start(), match.end(), low, high, low, kind))  # type: ignore[arg-type]
    for match in _IMPLICIT.finditer(text):
        value = _MULTIPLIERS[match.group("num")]
        hedge = match.group("hedge")
        if hedge in ("将近", "接近", "近", "几乎"):
            low, high, kind = value * (1 - ABOUT_MARGIN), value, "near"
        elif hedge == "上":
            low, high, kind = value, value * 2, "over"
        else:
            low, high, kind = value * (1 - ABOUT_MARGIN), value * (1 + ABOUT_MARGIN), "about"
        found.append(_make(text, match.start(), match.end(), low, high, value, kind))  # type: ignore[arg-type]
    return _non_overlapping([amount for amount in found if amount is not None])


def _non_overlapping(amounts: list[Amount]) -> list[Amount]:
    """Keep the longest of overlapping amounts (then the earliest)."""
    chosen: list[Amount] = []
    for amount in sorted(amounts, key=lambda a: (-(a.span.end - a.span.start), a.span.start)):
        if all(amount.span.end <= other.span.start or amount.span.start >= other.span.end for other in chosen):
            chosen.append(amount)
    return sorted(chosen, key=lambda a: a.span.start)


def _hedged(text: str, start: int, end: int, value: Decimal) -> tuple[int, int, Decimal, Decimal, str]:
    """The exact figure ``value`` at ``text[start:end]`` with a hedge word before or after it, if any."""
    before = _HEDGE_BEFORE.search(text[max(0, start - 6) : start])
    after = _HEDGE_AFTER.match(text[end : end + 3])
    if after and after.group("about"):
        return start, end + after.end(), value * (1 - ABOUT_MARGIN), value * (1 + ABOUT_MARGIN), "about"
    if after and after.group("over"):
        return start, end + after.end(), value, value * (1 + OVER_MARGIN), "over"
    if before and before.group("about"):
        return start - (len(before.group(0))), end, value * (1 - ABOUT_MARGIN), value * (1 + ABOUT_MARGIN), "about"
    if before and before.group("near"):
        return start - (len(before.group(0))), end, value * (1 - ABOUT_MARGIN), value, "near"
    return start, end, value, value, "exact"


def find_amounts(text: str) -> list[Amount]:
    """Every amount of money in ``text`` (positions in :func:`normalise_text` of it), in reading order."""
    text = normalise_text(text or "")
    found = _approximate(text)
    claimed = [(a.span.start, a.span.end) for a in found]
    for match in _TOKEN.finditer(text):
        if any(match.start() < end and match.end() > start for start, end in claimed):
            continue
        token = match.group("num")
        has_multiplier = "万" in token or "亿" in token or bool(match.group("w"))
        bare_after_money_word = (
            not has_multiplier
            and not match.group("yuan")
            and re.fullmatch(r"\d[\d,]*", token) is not None
            and _MONEY_WORD_BEFORE.search(text[max(0, match.start() - 8) : match.start()]) is not None
        )
        if not (has_multiplier or match.group("yuan") or bare_after_money_word):
            continue
        value = to_decimal(token)
        if value is None:
            continue
        if match.group("w") and "万" not in token and "亿" not in token:
            value *= _TEN_THOUSAND
        if value <= 0 or (bare_after_money_word and value < BARE_MINIMUM_YUAN):
            continue
        end = match.start() + len(match.group(0).rstrip())
        start, end, low, high, kind = _hedged(text, match.start(), end, value)
        amount = _make(text, start, end, low, high, value, kind)
        if amount is not None:
            found.append(amount)
    return sorted(found, key=lambda a: a.span.start)


def parse_amount(text: str) -> Amount | None:
    """The first amount of money in ``text``, or ``None``.

    >>> parse_amount("80多万").high_yuan
    900000.0
    """
    amounts = find_amounts(text)
    return amounts[0] if amounts else None


def point_amounts(text: str) -> list[Amount]:
    """The amounts in ``text`` that name one figure (:data:`POINT_KINDS`: exact or hedged), in reading order.

    Vague amounts (``几十万``, ``80多万``, ``五六十万``) are left out: read them with :func:`find_amounts`.
    """
    return [amount for amount in find_amounts(text) if amount.kind in POINT_KINDS]


def parse_amount_yuan(text: str) -> float | None:
    """The figure of the first amount in ``text`` that names one (``stated_yuan``), in 元, or ``None``.

    >>> parse_amount_yuan("预算八十万元"), parse_amount_yuan("约100万"), parse_amount_yuan("几十万")
    (800000.0, 1000000.0, None)
    """
    amounts = point_amounts(text)
    return amounts[0].stated_yuan if amounts else None
