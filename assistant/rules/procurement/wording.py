"""How the procurement-method rule words its results: amounts, dates, method lists, and one checked condition."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from assistant.models import Condition, ConditionStatus
from assistant.rules.procurement.facts import ProcurementMethod


def _yuan(value: float) -> str:
    """Amount as users read it: 80万元, 99.9999万元, 5000元."""
    amount = Decimal(str(value))
    if amount >= 10000:
        wan = format((amount / 10000).normalize(), "f")
        return f"{wan}万元"
    return f"{format(amount.normalize(), 'f')}元"


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _methods_text(methods: Iterable[ProcurementMethod]) -> str:
    return "、".join(method.value for method in methods)


def _condition(name: str, status: ConditionStatus, reason: str, *clauses: str) -> Condition:
    return Condition(condition=name, status=status, reason=reason, clause_ids=clauses)
