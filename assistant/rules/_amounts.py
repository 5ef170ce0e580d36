"""Money amounts written the way users type them: ``80万``, ``八十万元``, ``0.8百万``, ``1.5亿``, ``50,000元``.

A number counts as an amount of money only when it carries a money unit: a multiplier
(万、亿, or ``w``) anywhere in it, or ``元/块`` after it; a bare number (``3家``, ``2026年``,
``第三十条``) is never an amount, except a plain figure of at least
:data:`_BARE_MINIMUM_YUAN` right after a word like 预算/金额 (``预算3000000``).

Chinese and mixed numerals (``三百五十万``, ``1万5``) go through ``cn2an``; digits with one
trailing multiplier are converted exactly with :class:`~decimal.Decimal`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

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
_BARE_MINIMUM_YUAN = Decimal(1000)
"""A unit-less figure after 预算/金额 is read as 元 only from this size up (smaller ones are ambiguous)."""

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_START = "零〇一二两三四五六七八九十"
_CN_ANY = _CN_START + "百千万亿"
_TOKEN = re.compile(
    rf"(?<![\d.A-Za-z])(?P<num>(?:{_DIGITS}|[{_CN_START}])(?:{_DIGITS}|[{_CN_ANY}]|点(?=[{_CN_START}\d]))*)"
    r"\s*(?P<w>[wW](?![A-Za-z]))?\s*(?P<yuan>元|块钱|块|圆)?"
)
_FAST = re.compile(rf"(?P<digits>{_DIGITS})(?P<unit>{'|'.join(_SUFFIXES)})?")
_MONEY_WORD_BEFORE = re.compile(r"(预算|金额|总额|总价|合同额|合同价|费用|资金|经费|价格|报价)(为|是|约|大约|大概|:|：)?\s*$")


@dataclass(frozen=True)
class AmountMention:
    """One amount of money found in a text: its value in 元 and where it is (in the normalised text)."""

    value_yuan: float
    start: int
    end: int
    text: str


def normalise_text(text: str) -> str:
    """NFKC-normalise (full-width digits and punctuation become ASCII); positions refer to this text."""
    return unicodedata.normalize("NFKC", text)


def _to_decimal(token: str) -> Decimal | None:
    token = token.strip()
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
            inner = _to_decimal(token[: -len(suffix)])
            return None if inner is None else inner * _MULTIPLIERS[suffix]
    return None


def find_amounts(text: str) -> list[AmountMention]:
    """Every amount of money in ``text`` (normalised with :func:`normalise_text`), in reading order."""
    text = normalise_text(text)
    found: list[AmountMention] = []
    for match in _TOKEN.finditer(text):
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
        value = _to_decimal(token)
        if value is None:
            continue
        if match.group("w") and "万" not in token and "亿" not in token:
            value *= _TEN_THOUSAND
        if value <= 0 or (bare_after_money_word and value < _BARE_MINIMUM_YUAN):
            continue
        found.append(AmountMention(float(value), match.start(), match.end(), match.group(0).strip()))
    return found


def parse_amount_yuan(text: str) -> float | None:
    """The first amount of money in ``text`` in 元, or ``None`` when there is none.

    >>> parse_amount_yuan("预算八十万元")
    800000.0
    """
    mentions = find_amounts(text)
    return mentions[0].value_yuan if mentions else None
