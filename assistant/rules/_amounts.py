"""Money amounts for the rules' older interface: one figure per mention, in 元.

The parsing lives in :mod:`assistant.nlu.amounts` (exact and approximate amounts, as
:class:`~assistant.nlu.amounts.Amount` ranges); this module keeps the interface it had before:

* :func:`find_amounts` lists the amounts that name one figure — exact ones (``80万``, ``八十万元``,
  ``0.8百万``, ``1.5亿``, ``50,000元``) and hedged ones (``约100万``, ``100万左右``, ``近百万``), whose
  value is the figure as written. Vague amounts (``几十万``, ``80多万``, ``五六十万``) name no single
  figure and are left out here (they used to be misread: 几十万 as 十万); read them with
  :func:`assistant.nlu.amounts.find_amounts`.
* :func:`parse_amount_yuan` is the first of them.

A bare number (``3家``, ``2026年``, ``第三十条``) is never an amount, except a plain figure of at
least 1000 right after a word like 预算/金额 (``预算3000000``).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.nlu import amounts as _nlu
from assistant.nlu.amounts import normalise_text

__all__ = ["AmountMention", "find_amounts", "normalise_text", "parse_amount_yuan"]


@dataclass(frozen=True)
class AmountMention:
    """One amount of money found in a text: its value in 元 and where it is (in the normalised text)."""

    value_yuan: float
    start: int
    end: int
    text: str


def find_amounts(text: str) -> list[AmountMention]:
    """Every single-figure amount of money in ``text`` (normalised with :func:`normalise_text`), in reading order."""
    return [
        AmountMention(amount.stated_yuan, amount.span.start, amount.span.end, amount.span.text)
        for amount in _nlu.find_amounts(text)
        if amount.kind in _nlu.POINT_KINDS
    ]


def parse_amount_yuan(text: str) -> float | None:
    """The first single-figure amount of money in ``text`` in 元, or ``None`` when there is none.

    >>> parse_amount_yuan("预算八十万元")
    800000.0
    """
    mentions = find_amounts(text)
    return mentions[0].value_yuan if mentions else None
