"""The dated figures of the procurement-method rule: which thresholds apply, and where an amount lies against them.

Thresholds (分散采购限额标准, 公开招标数额标准) and the rule constants (the 10% add-on ratio, the
5-working-day single-source publicity) are dated parameters read through :mod:`assistant.parameters`
under the names below; this package holds no figure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from pathlib import Path

from assistant import parameters
from assistant.parameters import BudgetLevel, Reference, ThresholdValue
from assistant.rules.procurement.facts import _BUDGET_LEVEL, _LOCAL_LEVELS, ProcurementFacts
from assistant.rules.procurement.wording import _day, _yuan

# Names of the parameters this rule reads (files under corpus/parameters).
QUOTA = "分散采购限额标准"
OPEN_TENDER = "公开招标数额标准"
ADD_ON_RATIO = "procurement/single_source_additional_purchase_ratio"
SUPPLEMENTARY_RATIO = "procurement/supplementary_contract_ratio"
PUBLICITY_DAYS = "procurement/single_source_publicity_working_days"
CONSULTATION_MIN_SUPPLIERS = "procurement/consultation_min_suppliers_purchase_of_services"


@dataclass
class _Thresholds:
    quota: ThresholdValue
    open_tender: ThresholdValue
    level_assumed: bool


class _Side(str, Enum):
    """Where the amount lies against one threshold."""

    BELOW = "below"
    AT_OR_ABOVE = "at_or_above"
    STRADDLES = "straddles"
    """An approximate amount whose range contains the threshold."""
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class _Amount:
    """What the facts say of the amount: exact (``low == high``), approximate (``low < high``: 几十万, 80多万)
    or not stated (``None``). An upper bound alone (不超过80万) reads as the range 0 to that bound."""

    low: float | None = None
    high: float | None = None

    @classmethod
    def of(cls, facts: ProcurementFacts) -> _Amount:
        low, high = facts.amount_yuan, facts.amount_upper_yuan
        if low is None and high is None:
            return cls()
        low = 0.0 if low is None else low
        high = low if high is None else high
        return cls(min(low, high), max(low, high))

    @property
    def known(self) -> bool:
        return self.low is not None

    @property
    def exact(self) -> bool:
        return self.low is not None and self.low == self.high

    def side(self, threshold: float) -> _Side:
        if self.low is None or self.high is None:
            return _Side.UNKNOWN
        if self.high < threshold:
            return _Side.BELOW
        if self.low >= threshold:
            return _Side.AT_OR_ABOVE
        return _Side.STRADDLES

    def text(self) -> str:
        """The amount as the reasons quote it: 预算80万元, 预算约80万元至90万元, or 按您的说明，预算 (sides only)."""
        if self.low is None or self.high is None:
            return "按您的说明，预算"
        if self.exact:
            return f"预算{_yuan(self.low)}"
        if self.low == 0:
            return f"预算不超过{_yuan(self.high)}"
        return f"预算约{_yuan(self.low)}至{_yuan(self.high)}"


def _sides(facts: ProcurementFacts, amount: _Amount, *, quota: float, open_tender: float) -> tuple[_Side, _Side]:
    """The amount's side of the 分散采购限额标准 and of the 公开招标数额标准.

    From the amount when one is given; otherwise from what the user said without a figure
    (``below_quota``: 低于限额, ``at_or_above_open_tender``: 达到公开招标标准). Below the quota is also below the
    open-tender standard, and at or above that standard is also at or above the quota, when the quota is the
    lower figure (it is in every parameter file). Of two contradictory statements the stricter one wins.
    """
    if amount.known:
        return amount.side(quota), amount.side(open_tender)
    nested = quota <= open_tender
    quota_side = tender_side = _Side.UNKNOWN
    if facts.at_or_above_open_tender is True:
        tender_side = _Side.AT_OR_ABOVE
        if nested:
            quota_side = _Side.AT_OR_ABOVE
    elif facts.at_or_above_open_tender is False:
        tender_side = _Side.BELOW
    if quota_side is _Side.UNKNOWN and facts.below_quota is True:
        quota_side = _Side.BELOW
        if nested and tender_side is _Side.UNKNOWN:
            tender_side = _Side.BELOW
    elif quota_side is _Side.UNKNOWN and facts.below_quota is False:
        quota_side = _Side.AT_OR_ABOVE
    return quota_side, tender_side


def told_settles(facts: ProcurementFacts, crossed: list[ThresholdValue]) -> bool:
    """Whether what the user said of the sides (低于限额, 已超过公开招标数额标准) settles every threshold an approximate
    amount crosses, against stored figures that are not verified (see :func:`told_side_notes`)."""
    if not crossed or any(t.verified for t in crossed):
        return False
    if facts.at_or_above_open_tender is True or facts.below_quota is True:
        return True
    names = {t.name for t in crossed}
    settled = set()
    if facts.at_or_above_open_tender is False:
        settled.add(OPEN_TENDER)
    if facts.below_quota is False:
        settled.add(QUOTA)
    return names <= settled


def told_side_notes(
    facts: ProcurementFacts, quota_side: _Side, tender_side: _Side, *, quota: ThresholdValue, open_tender: ThresholdValue
) -> list[str]:
    """The user's own word on where the amount lies (超过我们这里的公开招标数额标准; 低于我们区的分散采购限额) beats the
    comparison with a stored figure that is not verified: the standards are set by each province and level
    (政府采购法第八条, 实施条例第五条), and the user has the year's table. A verified figure keeps its comparison.
    One note for each told side that the amount's comparison with an unverified figure contradicts; with any note, the
    caller decides on the told sides alone."""
    notes: list[str] = []
    told_tender = {True: _Side.AT_OR_ABOVE, False: _Side.BELOW}.get(facts.at_or_above_open_tender)  # type: ignore[arg-type]
    if _contradicted(told_tender, tender_side, open_tender):
        notes.append(_told_note(told_tender, open_tender))
        if told_tender is _Side.AT_OR_ABOVE and quota.value_yuan <= open_tender.value_yuan:
            quota_side = _Side.AT_OR_ABOVE  # at or above the open-tender standard is at or above the quota too
    told_quota = {True: _Side.BELOW, False: _Side.AT_OR_ABOVE}.get(facts.below_quota)  # type: ignore[arg-type]
    if _contradicted(told_quota, quota_side, quota):
        notes.append(_told_note(told_quota, quota))
    return notes


def _contradicted(told: _Side | None, side: _Side, threshold: ThresholdValue) -> bool:
    """Whether the user told a side that the amount's comparison with an unverified figure contradicts."""
    return told is not None and side not in (told, _Side.UNKNOWN) and not threshold.verified


def _told_note(told: _Side, threshold: ThresholdValue) -> str:
    side = "已达到" if told is _Side.AT_OR_ABOVE else "低于"
    return (
        f"您说明项目{side}当地的{threshold.name}；本工具所存的{_yuan(threshold.value_yuan)}未核实，与您的说明不一致，"
        "此处按您的说明判断，请以当年财政部门公布的标准为准。"
    )


def _resolve_thresholds(
    facts: ProcurementFacts, *, on: date, parameters_dir: Path
) -> tuple[_Thresholds | None, bool]:
    """Thresholds for the purchaser's level; ``(None, True)`` when the level is needed but missing."""
    object_type = facts.object_type
    if facts.level is not None:
        levels: tuple[BudgetLevel, ...] = (_BUDGET_LEVEL[facts.level],)
    else:
        levels = _LOCAL_LEVELS
    found: list[tuple[ThresholdValue | None, ThresholdValue | None]] = []
    for level in levels:
        common = {"on": on, "jurisdiction": facts.jurisdiction, "level": level, "object_type": object_type}
        found.append(
            (
                parameters.threshold(QUOTA, parameters_dir=parameters_dir, **common),
                parameters.threshold(OPEN_TENDER, parameters_dir=parameters_dir, **common),
            )
        )
    complete = [(quota, tender) for quota, tender in found if quota is not None and tender is not None]
    if len(complete) < len(found):
        return None, False
    figures = {(quota.value_yuan, tender.value_yuan) for quota, tender in complete}  # type: ignore[union-attr]
    if len(figures) > 1:
        return None, True
    quota, tender = complete[0]
    return _Thresholds(quota=quota, open_tender=tender, level_assumed=facts.level is None), False  # type: ignore[arg-type]


def with_told_values(thresholds: _Thresholds, facts: ProcurementFacts) -> tuple[_Thresholds, list[str]]:
    """The standards the user states (财政说分散采购限额是100万) in place of stored figures that are not verified: the
    standards are the province's and the level's (政府采购法第八条, 实施条例第五条) and the user has the year's table. A
    verified figure stays, and the answer says the two differ."""
    notes: list[str] = []
    updated: dict[str, ThresholdValue] = {}
    for attr, told in (("quota", facts.quota_told_yuan), ("open_tender", facts.open_tender_told_yuan)):
        stored: ThresholdValue = getattr(thresholds, attr)
        if told is None or told == stored.value_yuan:
            continue
        if stored.verified:
            notes.append(f"您说明的{stored.name}为{_yuan(told)}，与已核实的{_yuan(stored.value_yuan)}不一致：此处按已核实的数字判断。")
            continue
        source = Reference(title=TOLD, clause=stored.name)
        updated[attr] = stored.model_copy(update={"value_yuan": told, "references": (source,), "note": "按用户说明"})
        notes.append(f"{stored.name}按您的说明取{_yuan(told)}（本工具所存的{_yuan(stored.value_yuan)}未核实）。")
    result = replace(thresholds, **updated)
    quota, open_tender = result.quota, result.open_tender
    if "open_tender" in updated and quota.value_yuan > open_tender.value_yuan and not quota.verified:
        # the quota is never above the open-tender standard: a told 50万 open-tender standard caps a stored 100万 quota
        result = replace(result, quota=quota.model_copy(update={"value_yuan": open_tender.value_yuan, "references": open_tender.references}))
        notes.append(f"{quota.name}不高于{open_tender.name}：按您说明的{_yuan(open_tender.value_yuan)}计。")
    return result, notes


TOLD = "用户说明（未核实）"


def _threshold_notes(thresholds: _Thresholds) -> list[str]:
    notes = []
    for value in (thresholds.quota, thresholds.open_tender):
        if any(reference.title == TOLD for reference in value.references):
            continue  # the user's own figure: its note says so (with_told_values)
        level = "各级地方预算单位" if thresholds.level_assumed else value.budget_level.value
        titles = "；".join(reference.title for reference in value.references)
        status = "已核实" if value.verified else "未核实"
        notes.append(
            f"门槛来源：{value.jurisdiction}{level}{value.object_type.value}{value.name}为{_yuan(value.value_yuan)}"
            f"（自{_day(value.effective_from)}起适用，{status}；依据：{titles}）。"
        )
    unverified = [value for value in (thresholds.quota, thresholds.open_tender) if not value.verified]
    if unverified:
        names = "、".join(f"{value.name}{_yuan(value.value_yuan)}" for value in unverified)
        confirm_with = unverified[0].confirm_with or "当年度集中采购目录及标准"
        notes.append(f"注意：上述{names}是未核实的数字，请对照{confirm_with}核实后再据此确定采购方式。")
    if thresholds.level_assumed:
        notes.append("未说明预算级次：参数中本省各级次的门槛相同，按地方预算单位处理；中央预算单位请说明。")
    return notes
