"""Procurement method (采购方式) of a purchase of services: which methods apply, who organises, which approvals.

Instruments, each cited by clause key ``<doc_id>#<clause_id>`` (documents in ``corpus/documents``):

* 温政办〔2014〕118号 五（二） (``wzb-2014-118``, 2014-09-23) — purchases of services come under
  government-procurement management; outside the 集中采购目录 and below the 分散采购限额标准 the
  purchaser may organise the purchase itself; a written contract; 严禁转包.
* 中华人民共和国政府采购法 (2014-08-31 amendment, ``ref-gpl``) Art. 2, 7, 8, 18, 26–32, 37, 49, 85.
* 政府采购法实施条例 (国务院令第658号, in force 2015-03-01, ``ref-gpl-reg``) Art. 2, 5, 7, 23, 25–28, 38, 78.
* 财库〔2014〕214号 第三条 (``ref-czk-214``) and 财库〔2015〕124号 (``ref-czk-124``) — 竞争性磋商.

Thresholds (分散采购限额标准, 公开招标数额标准) and the rule constants (the 10% add-on ratio, the
5-working-day single-source publicity) are dated parameters read through :mod:`assistant.parameters`;
this module holds no figure. Only the central 2020 thresholds are verified; the Zhejiang figures
are marked unverified and every decision that uses them says so.

Public surface: :class:`ProcurementFacts`, :func:`decide` (the pure rule), :func:`extract_procurement_facts`
(Chinese text → facts) and :func:`render` (decision → Chinese text).

Example::

    from datetime import date
    from assistant.config import Settings
    from assistant.rules.procurement import decide, extract_procurement_facts, render

    facts = extract_procurement_facts("我们是区民政局，想买社区养老上门服务，预算80万，不在集中采购目录内，怎么采购？")
    decision = decide(facts, on=date(2026, 11, 29), context=Settings.load())
    print(render(decision))
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator
from assistant import parameters
from assistant.models import Condition, ConditionStatus, Decision, MissingFact
from assistant.parameters import BudgetLevel, ObjectType, ThresholdValue
from assistant.rules._context import ToolSpec, most_decisive

TOOL_NAME = "procurement_method"

# Clause keys cited by the checks below (every one must exist in corpus/documents; a test checks it).
WZB_5_2 = "wzb-2014-118#五（二）"
GPL_2 = "ref-gpl#第二条"
GPL_7 = "ref-gpl#第七条"
GPL_8 = "ref-gpl#第八条"
GPL_18 = "ref-gpl#第十八条"
GPL_26 = "ref-gpl#第二十六条"
GPL_27 = "ref-gpl#第二十七条"
GPL_28 = "ref-gpl#第二十八条"
GPL_29 = "ref-gpl#第二十九条"
GPL_30 = "ref-gpl#第三十条"
GPL_31 = "ref-gpl#第三十一条"
GPL_32 = "ref-gpl#第三十二条"
GPL_37 = "ref-gpl#第三十七条"
GPL_49 = "ref-gpl#第四十九条"
GPL_85 = "ref-gpl#第八十五条"
REG_2 = "ref-gpl-reg#第二条"
REG_5 = "ref-gpl-reg#第五条"
REG_7 = "ref-gpl-reg#第七条"
REG_23 = "ref-gpl-reg#第二十三条"
REG_25 = "ref-gpl-reg#第二十五条"
REG_26 = "ref-gpl-reg#第二十六条"
REG_27 = "ref-gpl-reg#第二十七条"
REG_28 = "ref-gpl-reg#第二十八条"
REG_38 = "ref-gpl-reg#第三十八条"
REG_78 = "ref-gpl-reg#第七十八条"
CZK214_3 = "ref-czk-214#第三条"
CZK124_1 = "ref-czk-124#一"

# Names of the parameters this rule reads (files under corpus/parameters).
QUOTA = "分散采购限额标准"
OPEN_TENDER = "公开招标数额标准"
ADD_ON_RATIO = "procurement/single_source_additional_purchase_ratio"
SUPPLEMENTARY_RATIO = "procurement/supplementary_contract_ratio"
PUBLICITY_DAYS = "procurement/single_source_publicity_working_days"
CONSULTATION_MIN_SUPPLIERS = "procurement/consultation_min_suppliers_purchase_of_services"


class Level(str, Enum):
    """Budget level of the purchaser as users say it (市级 is a 设区的市 such as 温州市)."""

    中央 = "中央"
    省级 = "省级"
    市级 = "市级"
    县级 = "县级"


_BUDGET_LEVEL = {
    Level.中央: BudgetLevel.中央,
    Level.省级: BudgetLevel.省级,
    Level.市级: BudgetLevel.设区的市级,
    Level.县级: BudgetLevel.县级,
}
_LOCAL_LEVELS = (BudgetLevel.省级, BudgetLevel.设区的市级, BudgetLevel.县级)


class ProcurementMethod(str, Enum):
    """Procurement methods, in the order answers list them."""

    公开招标 = "公开招标"
    邀请招标 = "邀请招标"
    竞争性谈判 = "竞争性谈判"
    竞争性磋商 = "竞争性磋商"
    单一来源 = "单一来源"
    询价 = "询价"
    自行组织采购 = "自行组织采购"


_NON_OPEN = (
    ProcurementMethod.邀请招标,
    ProcurementMethod.竞争性谈判,
    ProcurementMethod.竞争性磋商,
    ProcurementMethod.单一来源,
    ProcurementMethod.询价,
)


class Organizer(str, Enum):
    """Who organises the procurement."""

    集中采购机构 = "集中采购机构"
    集中采购机构或代理机构 = "集中采购机构或代理机构"
    购买主体自行组织 = "购买主体自行组织"


class MethodOutcome(str, Enum):
    """Outcome of :func:`decide`."""

    NEED_INFO = "need_info"
    """A fact the answer depends on (amount, catalog status, budget level) is missing."""
    SELF_ORGANIZED = "self_organized"
    """Outside the catalog and below the quota: the purchaser organises the purchase itself."""
    METHODS_AVAILABLE = "methods_available"
    """Government procurement below the open-tender standard (or approved): choose among ``methods``. Also when
    no amount is known but a stated circumstance (唯一供应商, 流标, 紧急…) names the methods by itself: the notes
    then say what the amount would change and the amount is asked as a secondary fact."""
    APPROVAL_REQUIRED = "approval_required"
    """At or above the open-tender standard with grounds for another method: 公开招标, or that method after approval."""
    OPEN_TENDER_REQUIRED = "open_tender_required"
    """At or above the open-tender standard (or split to evade it), no ground for another method."""
    THRESHOLD_UNKNOWN = "threshold_unknown"
    """No threshold is recorded for this jurisdiction, level and date."""
    WORKS_TENDERING_LAW = "works_tendering_law"
    """Works: tendering follows 招标投标法; non-tender methods follow 实施条例 Art. 25."""


OUTCOME_LABELS: dict[MethodOutcome, str] = {
    MethodOutcome.NEED_INFO: "还需要补充信息才能判断采购方式",
    MethodOutcome.SELF_ORGANIZED: "可由购买主体自行组织采购",
    MethodOutcome.METHODS_AVAILABLE: "可在下列采购方式中依法选择",
    MethodOutcome.APPROVAL_REQUIRED: "应当公开招标；具备法定情形并事先经财政部门批准的，可改用其他方式",
    MethodOutcome.OPEN_TENDER_REQUIRED: "应当公开招标",
    MethodOutcome.THRESHOLD_UNKNOWN: "无法确定该日期适用的限额标准",
    MethodOutcome.WORKS_TENDERING_LAW: "属于工程，招标适用招标投标法，不招标的适用竞争性谈判或单一来源",
}


class ProcurementFacts(BaseModel):
    """Facts about one planned purchase. Every fact may be missing (``None``); the rule then asks for it."""

    model_config = ConfigDict(extra="forbid")

    amount_yuan: float | None = Field(default=None, ge=0, description="本次采购（单项或批量）的预算金额，单位元。")
    amount_upper_yuan: float | None = Field(default=None, ge=0, description="金额为约数时的上限，单位元（几十万、80多万）。")
    below_quota: bool | None = Field(default=None, description="用户说明项目低于分散采购限额标准（未给金额时）。")
    at_or_above_open_tender: bool | None = Field(default=None, description="用户说明项目达到公开招标数额标准（未给金额时）。")
    object_type: ObjectType = Field(default=ObjectType.服务, description="采购对象：服务、货物或工程。")
    in_centralized_catalog: bool | None = Field(default=None, description="是否属于当年集中采购目录内的项目。")
    level: Level | None = Field(default=None, description="购买主体的预算级次：中央、省级、市级（设区的市）或县级（含区）。")
    jurisdiction: str = Field(default="浙江省", min_length=1, description="决定地方门槛的省级行政区；温州市属浙江省。")
    is_purchase_of_services: bool = Field(default=True, description="是否属于政府购买服务项目（竞争性磋商第三条（一））。")
    requested_method: ProcurementMethod | None = Field(default=None, description="用户询问能否采用的采购方式。")
    only_one_supplier: bool | None = Field(default=None, description="是否只能从唯一供应商处采购（专利、专有技术或公共服务特殊要求）。")
    unforeseeable_emergency: bool | None = Field(default=None, description="是否发生不可预见的紧急情况，不能从其他供应商处采购。")
    additional_purchase_for_consistency: bool | None = Field(
        default=None, description="是否为保持与原项目一致或服务配套，需要向原供应商添购。"
    )
    original_contract_amount_yuan: float | None = Field(default=None, ge=0, description="添购时原合同的采购金额，单位元。")
    limited_supplier_range: bool | None = Field(default=None, description="项目是否具有特殊性，只能从有限范围的供应商处采购。")
    open_tender_cost_disproportionate: bool | None = Field(
        default=None, description="公开招标的费用是否占项目总价值的比例过大。"
    )
    tender_failed: bool | None = Field(default=None, description="招标后是否没有供应商投标、没有合格标的或重新招标未能成立（流标、废标）。")
    specs_cannot_be_fixed: bool | None = Field(default=None, description="是否技术复杂或性质特殊，不能确定详细规格或具体要求。")
    urgent_need_not_caused_by_purchaser: bool | None = Field(
        default=None, description="招标所需时间是否不能满足紧急需要，且紧急并非采购人拖延造成。"
    )
    price_cannot_be_calculated_in_advance: bool | None = Field(
        default=None, description="是否因艺术品、专利、专有技术或服务时间、数量不能事先确定而不能事先计算价格总额。"
    )
    goods_standardised_ample_supply: bool | None = Field(
        default=None, description="货物是否规格标准统一、现货货源充足且价格变化幅度小（询价的条件）。"
    )
    approved_non_open_method: bool | None = Field(
        default=None, description="是否已经设区的市级以上人民政府财政部门批准采用公开招标以外的方式。"
    )
    cumulative_same_item_amount_yuan: float | None = Field(
        default=None,
        ge=0,
        description="同一财政年度、同一预算项目下同一品目或类别以非公开招标方式累计采购的金额（含本次），单位元。",
    )

    @model_validator(mode="after")
    def _finite_amounts(self) -> ProcurementFacts:
        for name in ("amount_yuan", "amount_upper_yuan", "original_contract_amount_yuan", "cumulative_same_item_amount_yuan"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number, got {value}")
        return self


class RuleContext(Protocol):
    """What :func:`decide` needs from its context: where the parameters live.

    :class:`assistant.config.Settings` satisfies it, as does the ``RuleContext`` of :mod:`assistant.rules`.
    """

    @property
    def parameters_dir(self) -> Path: ...


# --------------------------------------------------------------------------------------------------
# Formatting helpers


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


@dataclass
class _Thresholds:
    quota: ThresholdValue
    open_tender: ThresholdValue
    level_assumed: bool


@dataclass
class _Grounds:
    """Result of the method-ground checks: which methods have a ground, and the checks themselves."""

    methods: list[ProcurementMethod] = field(default_factory=list)
    conditions: dict[ProcurementMethod, Condition] = field(default_factory=dict)
    missing: list[MissingFact] = field(default_factory=list)
    consultation_only_as_service: bool = False
    """竞争性磋商 rests only on 第三条（一） (a purchase-of-services project), not on a ground of 政府采购法第二十九至三十二条."""

    def stated(self) -> list[Condition]:
        """The checks that rest on circumstances the user stated (not on the default purchase-of-services ground)."""
        return [
            condition
            for method, condition in self.conditions.items()
            if not (method is ProcurementMethod.竞争性磋商 and self.consultation_only_as_service)
        ]

    def stated_methods(self) -> set[ProcurementMethod]:
        """Methods whose ground is a circumstance the user stated (not the default purchase-of-services ground)."""
        return {
            method
            for method in self.conditions
            if not (method is ProcurementMethod.竞争性磋商 and self.consultation_only_as_service)
        }

    def for_change_approval(self) -> list[ProcurementMethod]:
        """Methods with a ground that 实施条例第二十三条 accepts for a project at or above the open-tender standard."""
        return [
            method
            for method in self.methods
            if method in _NON_OPEN and not (method is ProcurementMethod.竞争性磋商 and self.consultation_only_as_service)
        ]


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


QUESTION_ORDER = ("amount_yuan", "original_contract_amount_yuan", "in_centralized_catalog", "level")
"""Missing facts, the one whose answer changes the outcome most first: the amount decides between self-organised
purchasing, government procurement and compulsory open tendering (五（二）, 政府采购法第二条、第二十七条); the original
contract decides whether an add-on may go to 单一来源 (第三十一条（三）); the catalog decides who organises (第十八条)
and, below the quota, whether it is government procurement at all; the budget level only picks the threshold row."""

QUESTIONS = {
    "amount_yuan": "本次采购的预算金额是多少（元或万元）？如为同一项目分批采购，请一并说明全年累计金额。",
    "in_centralized_catalog": "该项目是否列入当年的政府集中采购目录？",
    "level": "购买主体是哪一级预算单位（省级、设区的市级、县级/区级，或中央预算单位）？",
    "original_contract_amount_yuan": "原合同的采购金额是多少？（添购总额不得超过原合同金额的法定比例）",
}


def _missing(fact: str) -> MissingFact:
    return MissingFact(fact=fact, question=QUESTIONS[fact])


# --------------------------------------------------------------------------------------------------
# One check per clause. Each docstring starts with the clause key it implements.


def gpl_2_government_procurement(
    facts: ProcurementFacts, *, side: _Side, quota: ThresholdValue, amount_text: str
) -> Condition:
    """ref-gpl#第二条 — 使用财政性资金采购集中采购目录以内或者采购限额标准以上的货物、工程和服务，属于政府采购。

    实施条例第二条：政府向社会公众提供的公共服务也属于“服务”，所以购买服务适用政府采购法；
    限额标准由省级人民政府确定（政府采购法第八条）。``side`` is where the amount lies against the quota
    (an exact amount, a range, or only what the user said: “低于限额”).
    """
    clauses = (GPL_2, GPL_8, REG_2)
    limit = f"{quota.name}{_yuan(quota.value_yuan)}"
    if side is _Side.AT_OR_ABOVE:
        return _condition(
            "gpl_2_government_procurement",
            ConditionStatus.PASS,
            f"{amount_text}达到{limit}，属于政府采购，应依政府采购法选择采购方式。",
            *clauses,
        )
    if facts.in_centralized_catalog:
        return _condition(
            "gpl_2_government_procurement",
            ConditionStatus.PASS,
            "项目列入集中采购目录，不论金额大小都属于政府采购。",
            *clauses,
        )
    if side is _Side.BELOW and facts.in_centralized_catalog is False:
        return _condition(
            "gpl_2_government_procurement",
            ConditionStatus.FAIL,
            f"项目不在集中采购目录内，且{amount_text}低于{limit}，不属于政府采购法所称的政府采购。",
            *clauses,
        )
    if side is _Side.BELOW:
        reason = f"{amount_text}低于{limit}；是否属于政府采购取决于项目是否列入集中采购目录。"
    elif side is _Side.STRADDLES:
        reason = f"{amount_text}，跨越{limit}：达到限额的属于政府采购；不足限额且不在集中采购目录内的，不属于政府采购。"
    else:
        reason = f"未说明预算金额：达到{limit}或列入集中采购目录的属于政府采购；目录外且低于该限额的不属于政府采购。"
    return _condition("gpl_2_government_procurement", ConditionStatus.UNKNOWN, reason, *clauses)


def wzb_5_2_purchase_method(*, self_organized: bool) -> Condition:
    """wzb-2014-118#五（二） — 购买服务纳入政府采购管理，按政府采购方式确定承接主体；集中采购目录之外、
    分散采购限额标准以下的服务项目，购买主体可按“节约、效能、公开、公正”原则自行组织采购；签订合同，严禁转包。
    """
    if self_organized:
        reason = (
            "集中采购目录之外、分散采购限额标准以下的服务项目，购买主体可按“节约、效能、公开、公正”原则"
            "自行组织采购确定承接主体；须签订购买服务合同，严禁转包。"
        )
    else:
        reason = (
            "政府购买服务应纳入政府采购管理，在集中采购机构或政府采购代理机构的平台上，按政府采购的程序和方式"
            "确定承接主体；须签订购买服务合同，严禁转包。"
        )
    return _condition("wzb_5_2_purchase_method", ConditionStatus.PASS, reason, WZB_5_2)


def gpl_18_organizer(facts: ProcurementFacts) -> tuple[Condition, Organizer | None]:
    """ref-gpl#第十八条 — 集中采购目录内的项目须委托集中采购机构代理采购；目录以外的，可自行采购或委托代理机构。

    政府采购法第七条：地方预算项目的集中采购目录由省级人民政府或其授权机构确定。
    """
    if facts.in_centralized_catalog:
        return (
            _condition(
                "gpl_18_organizer",
                ConditionStatus.PASS,
                "列入集中采购目录的项目，应当委托集中采购机构代理采购。",
                GPL_18,
                GPL_7,
            ),
            Organizer.集中采购机构,
        )
    if facts.in_centralized_catalog is False:
        return (
            _condition(
                "gpl_18_organizer",
                ConditionStatus.PASS,
                "集中采购目录以外、达到限额标准的项目，可委托集中采购机构或政府采购代理机构组织采购"
                "（政府采购法第十八条也允许采购人依法自行采购）。",
                GPL_18,
                WZB_5_2,
            ),
            Organizer.集中采购机构或代理机构,
        )
    return (
        _condition(
            "gpl_18_organizer",
            ConditionStatus.UNKNOWN,
            "未说明是否列入集中采购目录：目录内项目须委托集中采购机构，目录外项目可委托代理机构。",
            GPL_18,
            GPL_7,
        ),
        None,
    )


def gpl_27_below_open_tender_standard(*, side: _Side, open_tender: ThresholdValue, amount_text: str) -> Condition:
    """ref-gpl#第二十七条 — 达到公开招标数额标准的货物、服务应当公开招标（第二十六条：公开招标是主要方式）；
    因特殊情况改用其他方式，须在采购活动开始前经设区的市级以上财政部门批准（实施条例第二十三条）。
    """
    clauses = (GPL_27, GPL_26, REG_23)
    limit = f"{open_tender.name}{_yuan(open_tender.value_yuan)}"
    if side is _Side.AT_OR_ABOVE:
        return _condition(
            "gpl_27_below_open_tender_standard", ConditionStatus.FAIL, f"{amount_text}达到{limit}，应当公开招标。", *clauses
        )
    if side is _Side.BELOW:
        return _condition(
            "gpl_27_below_open_tender_standard", ConditionStatus.PASS, f"{amount_text}低于{limit}，不强制公开招标。", *clauses
        )
    change = "的应当公开招标，具备法定情形改用其他方式的，须在采购活动开始前经设区的市级以上人民政府财政部门批准；低于的不强制公开招标。"
    reason = f"{amount_text}，跨越{limit}：达到{change}" if side is _Side.STRADDLES else f"未说明预算金额：达到{limit}{change}"
    return _condition("gpl_27_below_open_tender_standard", ConditionStatus.UNKNOWN, reason, *clauses)


def reg_28_no_splitting(
    facts: ProcurementFacts, *, amount: float | None, tender_side: _Side, open_tender: ThresholdValue
) -> Condition | None:
    """ref-gpl-reg#第二十八条 — 同一财政年度内，同一预算项目下同一品目或类别的货物、服务多次以公开招标以外方式
    采购，累计金额超过公开招标数额标准的，属于以化整为零方式规避公开招标（政府采购法第二十八条）；
    预算调整或经批准采用其他方式的除外。
    """
    cumulative = facts.cumulative_same_item_amount_yuan
    if cumulative is None or tender_side not in (_Side.BELOW, _Side.AT_OR_ABOVE):
        return None
    clauses = (REG_28, GPL_28)
    total = max(cumulative, amount or 0.0)
    if total <= open_tender.value_yuan or tender_side is _Side.AT_OR_ABOVE:
        return _condition(
            "reg_28_no_splitting",
            ConditionStatus.PASS,
            f"同一预算项目同一品目累计{_yuan(total)}，未超过{open_tender.name}{_yuan(open_tender.value_yuan)}，不构成化整为零。"
            if tender_side is _Side.BELOW
            else "本次采购已按单项金额适用公开招标，不存在拆分规避问题。",
            *clauses,
        )
    if facts.approved_non_open_method:
        return _condition(
            "reg_28_no_splitting",
            ConditionStatus.PASS,
            f"累计{_yuan(total)}超过{open_tender.name}，但已经批准采用公开招标以外的方式，属于除外情形。",
            *clauses,
        )
    return _condition(
        "reg_28_no_splitting",
        ConditionStatus.FAIL,
        f"同一财政年度同一预算项目下同一品目累计{_yuan(total)}，超过{open_tender.name}{_yuan(open_tender.value_yuan)}，"
        "多次以非公开招标方式采购属于化整为零规避公开招标，应按累计金额公开招标（项目预算调整的除外）。",
        *clauses,
    )


def _flags(*values: bool | None) -> ConditionStatus | None:
    """PASS if any flag is true, FAIL if all are false, None (not checked) if none is known true."""
    if any(value is True for value in values):
        return ConditionStatus.PASS
    if all(value is False for value in values):
        return ConditionStatus.FAIL
    return None


def gpl_29_invitation_grounds(facts: ProcurementFacts) -> Condition | None:
    """ref-gpl#第二十九条 — 邀请招标：（一）具有特殊性，只能从有限范围的供应商处采购；（二）公开招标费用占项目总价值比例过大。"""
    status = _flags(facts.limited_supplier_range, facts.open_tender_cost_disproportionate)
    if status is None:
        return None
    if status is ConditionStatus.PASS:
        ground = "只能从有限范围的供应商处采购" if facts.limited_supplier_range else "公开招标费用占项目总价值的比例过大"
        reason = f"{ground}，符合邀请招标的情形。"
    else:
        reason = "不属于只能从有限范围采购或公开招标费用占比过大的情形，不能采用邀请招标。"
    return _condition("gpl_29_invitation_grounds", status, reason, GPL_29)


def gpl_30_negotiation_grounds(facts: ProcurementFacts) -> Condition | None:
    """ref-gpl#第三十条 — 竞争性谈判：（一）招标后没有供应商投标、没有合格标的或重新招标未成立；（二）技术复杂或性质特殊，
    不能确定详细规格或具体要求；（三）招标所需时间不能满足紧急需要；（四）不能事先计算出价格总额。

    实施条例第二十六条：（三）的紧急须是采购人不可预见或非因采购人拖延；（四）指艺术品、专利、专有技术，
    或服务的时间、数量事先不能确定。
    """
    urgent = facts.urgent_need_not_caused_by_purchaser or facts.unforeseeable_emergency
    status = _flags(facts.tender_failed, facts.specs_cannot_be_fixed, urgent, facts.price_cannot_be_calculated_in_advance)
    if status is None:
        return None
    if status is ConditionStatus.FAIL:
        return _condition(
            "gpl_30_negotiation_grounds",
            status,
            "不属于招标失败、技术复杂无法确定规格、非因采购人造成的紧急需要或不能事先计算价格总额的情形，不能采用竞争性谈判。",
            GPL_30,
            REG_26,
        )
    grounds = [
        text
        for flag, text in (
            (facts.tender_failed, "招标后没有供应商投标、没有合格标的或重新招标未能成立"),
            (facts.specs_cannot_be_fixed, "技术复杂或性质特殊，不能确定详细规格或具体要求"),
            (urgent, "招标所需时间不能满足非因采购人原因造成的紧急需要"),
            (facts.price_cannot_be_calculated_in_advance, "不能事先计算出价格总额"),
        )
        if flag
    ]
    return _condition(
        "gpl_30_negotiation_grounds",
        status,
        f"{'；'.join(grounds)}，符合竞争性谈判的情形。",
        GPL_30,
        REG_26,
    )


def czk_214_3_consultation_grounds(facts: ProcurementFacts) -> Condition | None:
    """ref-czk-214#第三条 — 竞争性磋商适用于：（一）政府购买服务项目；（二）技术复杂或性质特殊，不能确定详细规格或具体要求；
    （三）不能事先计算出价格总额；（四）科研项目及科技成果转化项目；（五）不属于必须招标的工程建设项目。
    """
    # NOT CODED: ref-czk-214#第三条（四）（五） — research / technology-transfer projects and non-tender construction
    # projects are not asked about; works are routed to reg_7_25_works instead.
    purchase_of_services = facts.is_purchase_of_services and facts.object_type is ObjectType.服务
    status = _flags(purchase_of_services, facts.specs_cannot_be_fixed, facts.price_cannot_be_calculated_in_advance)
    if status is None:
        return None
    if status is ConditionStatus.FAIL:
        return _condition(
            "czk_214_3_consultation_grounds",
            status,
            "不是政府购买服务项目，也不属于规格无法确定或价格总额不能事先计算的情形，不能采用竞争性磋商。",
            CZK214_3,
        )
    if purchase_of_services:
        return _condition(
            "czk_214_3_consultation_grounds",
            status,
            "政府购买服务项目可以采用竞争性磋商（供应商家数的补充规定见财库〔2015〕124号）。",
            CZK214_3,
            CZK124_1,
        )
    ground = "技术复杂或性质特殊，不能确定详细规格或具体要求" if facts.specs_cannot_be_fixed else "不能事先计算出价格总额"
    return _condition("czk_214_3_consultation_grounds", status, f"{ground}，可以采用竞争性磋商。", CZK214_3)


def gpl_31_single_source_grounds(
    facts: ProcurementFacts, *, amount: float | None, on: date, parameters_dir: Path
) -> tuple[Condition | None, MissingFact | None]:
    """ref-gpl#第三十一条 — 单一来源：（一）只能从唯一供应商处采购；（二）发生不可预见的紧急情况，不能从其他供应商处采购；
    （三）为保证一致或服务配套须向原供应商添购，且添购资金总额不超过原合同采购金额的百分之十。

    实施条例第二十七条：“唯一供应商”指使用不可替代的专利、专有技术，或公共服务项目有特殊要求，只能由特定供应商提供。
    政府采购法第四十九条：履行中追加同一标的的补充合同，合计同样不得超过原合同金额的百分之十。
    """
    clauses: list[str] = [GPL_31]
    reasons: list[str] = []
    add_on_status: ConditionStatus | None = None
    missing: MissingFact | None = None
    if facts.additional_purchase_for_consistency:
        ratio = parameters.constant(ADD_ON_RATIO, on=on, parameters_dir=parameters_dir)
        clauses.append(GPL_49)
        if facts.original_contract_amount_yuan is None or amount is None or ratio is None:
            add_on_status = ConditionStatus.UNKNOWN
            if facts.original_contract_amount_yuan is None:
                missing = _missing("original_contract_amount_yuan")
            reasons.append("向原供应商添购须不超过原合同金额的法定比例，需提供原合同金额和本次添购金额才能判断")
        else:
            limit = Decimal(str(facts.original_contract_amount_yuan)) * Decimal(str(ratio.value))
            percent = format((Decimal(str(ratio.value)) * 100).normalize(), "f")
            if Decimal(str(amount)) <= limit:
                add_on_status = ConditionStatus.PASS
                reasons.append(
                    f"添购{_yuan(amount)}未超过原合同{_yuan(facts.original_contract_amount_yuan)}的{percent}%（{_yuan(float(limit))}），"
                    "可以向原供应商单一来源添购"
                )
            else:
                add_on_status = ConditionStatus.FAIL
                reasons.append(
                    f"添购{_yuan(amount)}超过原合同{_yuan(facts.original_contract_amount_yuan)}的{percent}%（{_yuan(float(limit))}），"
                    "不能以添购为由采用单一来源"
                )
    if facts.only_one_supplier:
        clauses.append(REG_27)
        reasons.append("只能从唯一供应商处采购（须是不可替代的专利、专有技术，或公共服务项目有特殊要求），符合单一来源情形")
    if facts.unforeseeable_emergency:
        reasons.append("发生不可预见的紧急情况，如确实不能从其他供应商处采购，符合单一来源情形")
    status = _flags(facts.only_one_supplier, facts.unforeseeable_emergency)
    if add_on_status is ConditionStatus.PASS or status is ConditionStatus.PASS:
        final = ConditionStatus.PASS
    elif add_on_status is ConditionStatus.UNKNOWN:
        final = ConditionStatus.UNKNOWN
    elif add_on_status is ConditionStatus.FAIL or status is ConditionStatus.FAIL:
        final = ConditionStatus.FAIL
        if add_on_status is None:
            reasons.append("不属于唯一供应商、不可预见的紧急情况或添购的情形，不能采用单一来源")
    else:
        return None, missing
    return _condition("gpl_31_single_source_grounds", final, "；".join(reasons) + "。", *clauses), missing


def gpl_32_inquiry_grounds(facts: ProcurementFacts) -> Condition | None:
    """ref-gpl#第三十二条 — 询价只适用于规格、标准统一，现货货源充足且价格变化幅度小的货物；服务不能询价。"""
    asked = facts.requested_method is ProcurementMethod.询价
    if facts.object_type is not ObjectType.货物:
        if facts.goods_standardised_ample_supply or asked:
            return _condition(
                "gpl_32_inquiry_grounds",
                ConditionStatus.FAIL,
                f"询价只适用于规格标准统一、货源充足、价格稳定的货物；本项目是{facts.object_type.value}，不能采用询价。",
                GPL_32,
            )
        return None
    if facts.goods_standardised_ample_supply is None:
        return None
    if facts.goods_standardised_ample_supply:
        return _condition(
            "gpl_32_inquiry_grounds",
            ConditionStatus.PASS,
            "货物规格标准统一、现货货源充足且价格变化幅度小，可以询价。",
            GPL_32,
        )
    return _condition(
        "gpl_32_inquiry_grounds",
        ConditionStatus.FAIL,
        "货物不满足规格标准统一、货源充足、价格变化小的条件，不能采用询价。",
        GPL_32,
    )


def gpl_37_after_failed_tender(facts: ProcurementFacts) -> tuple[Condition, str] | None:
    """ref-gpl#第三十七条 — 废标后除采购任务取消外应重新招标；改用其他方式须在采购活动开始前经设区的市级以上有关部门批准。"""
    if not facts.tender_failed:
        return None
    approval = "招标失败（废标）后改用竞争性谈判等其他方式，须在采购活动开始前经设区的市级以上人民政府有关部门批准；否则应重新招标。"
    return (
        _condition(
            "gpl_37_after_failed_tender",
            ConditionStatus.UNKNOWN,
            "招标失败后原则上应重新招标；改用其他方式须事先取得批准，请确认是否已获批准。",
            GPL_37,
        ),
        approval,
    )


def reg_23_change_approval(
    facts: ProcurementFacts, *, candidates: list[ProcurementMethod], level: BudgetLevel | None
) -> tuple[Condition, list[str]]:
    """ref-gpl-reg#第二十三条 — 达到公开招标数额标准、符合政府采购法第二十九条至第三十二条情形的，经设区的市级以上人民政府
    财政部门批准，可以采用公开招标以外的方式。

    实施条例第七十八条：经省级人民政府批准，省直管县可行使设区的市级人民政府的此项批准职权。
    """
    # NOT CODED: ref-gpl-reg#第二十三条 "需要执行政府采购政策等特殊情况" — not asked; a purchaser relying on it needs human review.
    clauses = [REG_23, GPL_27]
    approval = f"改用{_methods_text(candidates) or '公开招标以外的方式'}须在采购活动开始前报设区的市级以上人民政府财政部门批准。"
    approvals = [approval]
    if level is BudgetLevel.县级:
        clauses.append(REG_78)
        approvals.append("省直管县经省级人民政府批准，可由本县行使上述设区的市级批准职权。")
    if facts.approved_non_open_method:
        status, reason = ConditionStatus.PASS, "已经财政部门批准采用公开招标以外的方式，按批准的方式执行。"
    else:
        status = ConditionStatus.FAIL
        reason = f"尚未取得变更采购方式的批准；批准前只能公开招标。{approval}"
    return _condition("reg_23_change_approval", status, reason, *clauses), approvals


def reg_38_single_source_publicity(facts: ProcurementFacts, *, on: date, parameters_dir: Path) -> tuple[Condition, str] | None:
    """ref-gpl-reg#第三十八条 — 达到公开招标数额标准、以唯一供应商为由拟采用单一来源的，须事先在指定媒体公示项目信息和拟定供应商，
    公示期不少于5个工作日（天数见参数 single_source_publicity_working_days）。
    """
    if not facts.only_one_supplier:
        return None
    days = parameters.constant(PUBLICITY_DAYS, on=on, parameters_dir=parameters_dir)
    period = f"不少于{days.value:g}个{days.unit}" if days else "（公示期参数在该日期未收录）"
    approval = f"以唯一供应商为由采用单一来源的，须事先在指定媒体公示项目信息和拟定供应商名称，公示期{period}。"
    return _condition("reg_38_single_source_publicity", ConditionStatus.UNKNOWN, approval, REG_38), approval


def gpl_85_emergency_exclusion(facts: ProcurementFacts) -> Condition | None:
    """ref-gpl#第八十五条 — 因严重自然灾害和其他不可抗力事件实施的紧急采购，以及涉及国家安全和秘密的采购，不适用政府采购法。"""
    # NOT CODED: ref-gpl#第八十五条 — whether an emergency is a serious natural disaster / force majeure, or involves
    # national security, is not a fact of this tool; it is surfaced as an UNKNOWN caveat for human review.
    if not facts.unforeseeable_emergency:
        return None
    return _condition(
        "gpl_85_emergency_exclusion",
        ConditionStatus.UNKNOWN,
        "如紧急采购是因严重自然灾害或其他不可抗力事件引起，不适用政府采购法，需人工确认。",
        GPL_85,
    )


def reg_7_25_works(facts: ProcurementFacts) -> Condition:
    """ref-gpl-reg#第七条 — 政府采购工程及与工程建设有关的货物、服务，采用招标方式的适用招标投标法；
    实施条例第二十五条：依法不招标的工程应采用竞争性谈判或单一来源；竞争性磋商第三条（五）：非必须招标的工程建设项目可磋商。
    """
    # NOT CODED: works thresholds (必须招标的规模标准 under 招标投标法) are not in the parameters; the tool does not decide
    # whether a works project must be tendered.
    return _condition(
        "reg_7_25_works",
        ConditionStatus.UNKNOWN,
        "工程项目以招标方式采购的适用招标投标法（是否必须招标按招标投标法规定的规模标准判断，本工具未收录）；"
        "依法不招标的，应采用竞争性谈判或单一来源，非必须招标的工程建设项目也可采用竞争性磋商。",
        REG_7,
        REG_25,
        CZK214_3,
    )


# --------------------------------------------------------------------------------------------------
# Combining rule


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


def _threshold_notes(thresholds: _Thresholds) -> list[str]:
    notes = []
    for value in (thresholds.quota, thresholds.open_tender):
        level = "各级地方预算单位" if thresholds.level_assumed else value.budget_level.value
        titles = "；".join(reference.title for reference in value.references)
        status = "已核实" if value.verified else "未核实"
        notes.append(
            f"门槛来源：{value.jurisdiction}{level}{value.object_type.value}{value.name}为{_yuan(value.value_yuan)}"
            f"（自{_day(value.effective_from)}起适用，{status}；依据：{titles}；参数文件 {value.source_file}）。"
        )
    unverified = [value for value in (thresholds.quota, thresholds.open_tender) if not value.verified]
    if unverified:
        names = "、".join(f"{value.name}{_yuan(value.value_yuan)}" for value in unverified)
        confirm_with = unverified[0].confirm_with or "当年度集中采购目录及标准"
        notes.append(f"注意：上述{names}是未核实的数字，请对照{confirm_with}核实后再据此确定采购方式。")
    if thresholds.level_assumed:
        notes.append("未说明预算级次：参数中本省各级次的门槛相同，按地方预算单位处理；中央预算单位请说明。")
    return notes


def _method_grounds(facts: ProcurementFacts, *, amount: float | None, on: date, parameters_dir: Path) -> _Grounds:
    grounds = _Grounds()
    single_source, missing = gpl_31_single_source_grounds(facts, amount=amount, on=on, parameters_dir=parameters_dir)
    if missing:
        grounds.missing.append(missing)
    checks = {
        ProcurementMethod.邀请招标: gpl_29_invitation_grounds(facts),
        ProcurementMethod.竞争性谈判: gpl_30_negotiation_grounds(facts),
        ProcurementMethod.竞争性磋商: czk_214_3_consultation_grounds(facts),
        ProcurementMethod.单一来源: single_source,
        ProcurementMethod.询价: gpl_32_inquiry_grounds(facts),
    }
    for method, condition in checks.items():
        if condition is None:
            continue
        grounds.conditions[method] = condition
        if condition.status is ConditionStatus.PASS:
            grounds.methods.append(method)
    grounds.consultation_only_as_service = not (facts.specs_cannot_be_fixed or facts.price_cannot_be_calculated_in_advance)
    return grounds


_GROUND_HINTS = {
    ProcurementMethod.公开招标: "公开招标任何金额都可以采用",
    ProcurementMethod.邀请招标: "邀请招标须只能从有限范围的供应商处采购，或公开招标费用占比过大（政府采购法第二十九条）",
    ProcurementMethod.竞争性谈判: "竞争性谈判须属于招标失败、技术复杂无法确定规格、非因采购人造成的紧急需要或不能事先计算价格总额（政府采购法第三十条）",
    ProcurementMethod.竞争性磋商: "竞争性磋商适用于政府购买服务项目等情形（财库〔2014〕214号第三条）",
    ProcurementMethod.单一来源: "单一来源须只能从唯一供应商处采购、发生不可预见的紧急情况，或向原供应商添购且不超过原合同金额的法定比例（政府采购法第三十一条）",
    ProcurementMethod.询价: "询价只适用于规格标准统一、货源充足、价格稳定的货物（政府采购法第三十二条）",
    ProcurementMethod.自行组织采购: "自行组织采购只适用于集中采购目录以外、分散采购限额标准以下的项目（温政办〔2014〕118号五（二））",
}


_METHOD_CLAUSES = {
    ProcurementMethod.公开招标: GPL_26,
    ProcurementMethod.邀请招标: GPL_29,
    ProcurementMethod.竞争性谈判: GPL_30,
    ProcurementMethod.竞争性磋商: CZK214_3,
    ProcurementMethod.单一来源: GPL_31,
    ProcurementMethod.询价: GPL_32,
    ProcurementMethod.自行组织采购: WZB_5_2,
}
"""The clause that sets out when each method may be used (cited when the user asks about a method with no stated ground)."""


def _requested_method_check(
    facts: ProcurementFacts,
    *,
    outcome: MethodOutcome,
    methods: tuple[ProcurementMethod, ...],
    grounds: _Grounds,
    amount_pending: bool = False,
) -> Condition | None:
    requested = facts.requested_method
    if requested is None:
        return None
    ground = grounds.conditions.get(requested)
    clauses = ground.clause_ids if ground else (_METHOD_CLAUSES[requested],)
    if requested is ProcurementMethod.自行组织采购:
        clauses = (WZB_5_2,)
    elif outcome is MethodOutcome.WORKS_TENDERING_LAW:
        clauses = (REG_7, REG_25)
    if outcome is MethodOutcome.SELF_ORGANIZED and requested is not ProcurementMethod.自行组织采购:
        if requested is ProcurementMethod.公开招标:
            return _condition(
                "requested_method",
                ConditionStatus.PASS,
                "本项目不强制公开招标；购买主体自行组织时也可以自愿采用公开招标等公开竞争方式。",
                WZB_5_2,
            )
        return _condition(
            "requested_method",
            ConditionStatus.UNKNOWN,
            f"本项目不属于政府采购，不受政府采购法对{requested.value}适用情形的限制；自行组织时仍应遵循"
            "“节约、效能、公开、公正”原则，具体做法按本单位内部控制制度办理。",
            WZB_5_2,
        )
    if requested in methods:
        extra = "（须先取得批准）" if outcome is MethodOutcome.APPROVAL_REQUIRED and requested is not ProcurementMethod.公开招标 else ""
        if amount_pending and requested is ProcurementMethod.竞争性磋商 and grounds.consultation_only_as_service:
            extra = "（预算低于公开招标数额标准时；达到该标准的，仅以购买服务项目为由不能改用）"
        elif amount_pending and requested is not ProcurementMethod.公开招标:
            extra = "（具备法定情形；预算达到公开招标数额标准的，须在采购活动开始前经财政部门批准）"
        return _condition("requested_method", ConditionStatus.PASS, f"您询问的{requested.value}可以采用{extra}。", *clauses)
    if outcome is MethodOutcome.NEED_INFO or outcome is MethodOutcome.THRESHOLD_UNKNOWN:
        reason = f"能否采用{requested.value}还取决于上面需要补充的信息；{_GROUND_HINTS[requested]}。"
        if ground is not None and ground.status is ConditionStatus.FAIL:
            return _condition("requested_method", ConditionStatus.FAIL, f"您询问的{requested.value}不能采用（理由见上）。", *clauses)
        return _condition("requested_method", ConditionStatus.UNKNOWN, reason, *clauses)
    if ground is not None and ground.status is ConditionStatus.FAIL:
        return _condition("requested_method", ConditionStatus.FAIL, f"您询问的{requested.value}不能采用（理由见上）。", *clauses)
    if ground is not None and ground.status is ConditionStatus.PASS:
        reason = f"虽具备{requested.value}的情形，但按本项目情况不能直接采用：{OUTCOME_LABELS[outcome]}。"
        return _condition("requested_method", ConditionStatus.FAIL, reason, *clauses)
    return _condition(
        "requested_method",
        ConditionStatus.UNKNOWN if requested in _NON_OPEN else ConditionStatus.FAIL,
        f"根据现有事实不能采用{requested.value}：{_GROUND_HINTS[requested]}。",
        *clauses,
    )


def _circumstance_methods(facts: ProcurementFacts, grounds: _Grounds) -> list[ProcurementMethod]:
    """The non-open methods that a circumstance the user stated gives whatever the amount: 政府采购法第二十九条
    (邀请招标), 第三十条 (竞争性谈判), 第三十一条 (单一来源), 第三十二条 (询价), 财库〔2014〕214号第三条 (竞争性磋商),
    plus 竞争性磋商 for a purchase-of-services project. Empty when no circumstance was stated: the
    purchase-of-services ground of 磋商 alone is no circumstance. An add-on (第三十一条（三）) counts before the
    amounts are known; its 10% limit stays an open condition.
    """
    stated = any(condition.status is ConditionStatus.PASS for condition in grounds.stated())
    single_source = grounds.conditions.get(ProcurementMethod.单一来源)
    add_on = bool(facts.additional_purchase_for_consistency) and single_source is not None and single_source.status is ConditionStatus.UNKNOWN
    if not (stated or add_on):
        return []
    methods = [method for method in grounds.methods if method in _NON_OPEN]
    if add_on and ProcurementMethod.单一来源 not in methods:
        methods.append(ProcurementMethod.单一来源)
    return methods


def _span(index: int, samples: list[float]) -> str:
    """The amounts of segment ``index`` of an approximate amount cut at the thresholds it contains."""
    if index == 0:
        return f"不足{_yuan(samples[1])}"
    if index == len(samples) - 1:
        return f"达到{_yuan(samples[index])}"
    return f"在{_yuan(samples[index])}至不足{_yuan(samples[index + 1])}之间"


_SHORT_QUESTIONS = {
    "in_centralized_catalog": "是否列入集中采购目录（目录外的可自行组织采购，目录内的属于政府采购）",
    "original_contract_amount_yuan": "原合同金额",
    "level": "预算级次",
}


def _circumstance_first(
    methods: tuple[ProcurementMethod, ...], grounds: _Grounds, notes: list[str]
) -> tuple[ProcurementMethod, ...]:
    """When the user states a statutory circumstance, the answer names the methods that circumstance grounds;
    the others that stay lawful (公开招标 always; 竞争性磋商 for any purchase of services) go to a note."""
    stated = grounds.stated_methods()
    chosen = tuple(method for method in methods if method in stated)
    if not chosen:
        return methods
    others = [method for method in methods if method not in chosen]
    if others:
        notes.insert(0, f"按您说明的情形，适用上列方式；此外仍可依法采用{_methods_text(others)}。")
    return chosen


def _ordered(methods: Iterable[ProcurementMethod]) -> tuple[ProcurementMethod, ...]:
    chosen = set(methods)
    return tuple(method for method in ProcurementMethod if method in chosen)


def decide(facts: ProcurementFacts, *, on: date, context: RuleContext) -> Decision:
    """Which procurement methods a purchase may use on ``on``, who organises it, and which approvals it needs.

    Pure: reads only the dated parameters under ``context.parameters_dir``; never the clock.

    Order of the combining rule:

    1. 工程 → 实施条例第七条、第二十五条 (outcome ``works_tendering_law``).
    2. Nothing said of the amount: a stated circumstance (政府采购法第二十九至三十二条, 财库〔2014〕214号第三条) names
       the methods by itself → ``methods_available``, with notes on what the amount would change (approval at or
       above the 公开招标数额标准, self-organised purchasing below the quota outside the catalog) and the amount as
       a secondary question; no circumstance → ``need_info``. The level matters and is unknown → ``need_info``.
    3. No threshold recorded for the jurisdiction, level and date → ``threshold_unknown`` (never a guessed figure).
    4. An approximate amount (``amount_yuan`` to ``amount_upper_yuan``) with a threshold inside its range: the
       outcome on each side; when they differ → ``need_info`` explaining both, asking for the exact amount.
    5. Outside the catalog and below the 分散采购限额标准 (a figure, or “低于限额” said without one) →
       ``self_organized`` (五（二）, 政府采购法第二条).
    6. At or above the 公开招标数额标准 (a figure, or “达到公开招标标准”), or split to evade it (实施条例第二十八条)
       → ``open_tender_required``; with grounds under 政府采购法第二十九至三十二条 → ``approval_required``; with the
       approval → ``methods_available``.
    7. Otherwise government procurement below the open-tender standard → ``methods_available``: 公开招标 plus every
       method whose ground holds (竞争性磋商 for any purchase of services; 询价 for goods only).

    At most three questions are asked at a time (``missing``), ranked by :data:`QUESTION_ORDER`.
    """
    parameters_dir = context.parameters_dir
    conditions: list[Condition] = []
    missing: list[MissingFact] = []
    notes: list[str] = []
    approvals: list[str] = []

    def finish(
        outcome: MethodOutcome,
        methods: Iterable[ProcurementMethod] = (),
        organizer: Organizer | None = None,
        *,
        amount_pending: bool = False,
    ) -> Decision:
        ordered = _ordered(methods)
        if outcome in (MethodOutcome.METHODS_AVAILABLE, MethodOutcome.APPROVAL_REQUIRED):
            ordered = _circumstance_first(ordered, grounds, notes)
        requested = _requested_method_check(
            facts, outcome=outcome, methods=ordered, grounds=grounds, amount_pending=amount_pending
        )
        if requested is not None:
            conditions.append(requested)
        return Decision(
            tool=TOOL_NAME,
            outcome=outcome.value,
            conditions=tuple(conditions),
            missing=most_decisive(missing, QUESTION_ORDER),
            notes=tuple(dict.fromkeys(notes)),
            methods=tuple(method.value for method in ordered),
            organizer=organizer.value if organizer else "",
            approvals=tuple(dict.fromkeys(approvals)),
        )

    amount_info = _Amount.of(facts)
    amount = amount_info.high  # the add-on ratio is checked against the highest the amount may be
    grounds = _method_grounds(facts, amount=amount, on=on, parameters_dir=parameters_dir)

    if facts.object_type is ObjectType.工程:
        conditions.append(reg_7_25_works(facts))
        if facts.is_purchase_of_services and "is_purchase_of_services" in facts.model_fields_set:
            notes.append("工程（以及工程与服务打包的项目）不属于政府购买服务的内容，请先用购买服务范围工具核对。")
        notes.append("本工具不判断工程是否达到必须招标的规模标准，请按招标投标法及其实施规定核实。")
        return finish(
            MethodOutcome.WORKS_TENDERING_LAW,
            (
                ProcurementMethod.公开招标,
                ProcurementMethod.邀请招标,
                ProcurementMethod.竞争性谈判,
                ProcurementMethod.竞争性磋商,
                ProcurementMethod.单一来源,
            ),
        )
    if facts.object_type is ObjectType.货物 and facts.is_purchase_of_services and "is_purchase_of_services" in facts.model_fields_set:
        notes.append("货物不属于政府购买服务的内容；以下按普通货物政府采购判断，竞争性磋商不以“购买服务项目”为由适用。")

    missing.extend(grounds.missing)
    for check in (gpl_85_emergency_exclusion(facts),):
        if check is not None:
            conditions.append(check)
    failed = gpl_37_after_failed_tender(facts)

    thresholds, level_needed = _resolve_thresholds(facts, on=on, parameters_dir=parameters_dir)
    told = amount_info.known or facts.below_quota is not None or facts.at_or_above_open_tender is not None
    if not amount_info.known and facts.below_quota and facts.at_or_above_open_tender:
        notes.append("您既说明低于分散采购限额标准，又说明达到公开招标数额标准，二者矛盾：按较严格的达到公开招标数额标准判断，请核实金额。")

    def by_circumstance(candidates: list[ProcurementMethod], quota_side: _Side, tender_side: _Side) -> Decision:
        """The stated circumstance names the methods; the amount (not known well enough) only changes the approvals."""
        conditions[:0] = list(grounds.conditions.values())
        organizer: Organizer | None = None
        quota_text, tender_text = QUOTA, OPEN_TENDER
        if thresholds is not None:
            quota, open_tender = thresholds.quota, thresholds.open_tender
            quota_text = f"{quota.name}{_yuan(quota.value_yuan)}"
            tender_text = f"{open_tender.name}{_yuan(open_tender.value_yuan)}"
            text = amount_info.text()
            conditions.insert(0, gpl_2_government_procurement(facts, side=quota_side, quota=quota, amount_text=text))
            conditions.append(gpl_27_below_open_tender_standard(side=tender_side, open_tender=open_tender, amount_text=text))
            notes.extend(_threshold_notes(thresholds))
        else:
            notes.append(
                f"参数中没有{_day(on)}适用于{facts.jurisdiction}的{QUOTA}和{OPEN_TENDER}：上述方式由法定情形决定，"
                "但金额带来的审批要求请按当年适用的标准核实。"
            )
        if facts.in_centralized_catalog or (facts.in_centralized_catalog is False and quota_side is _Side.AT_OR_ABOVE):
            organizer_check, organizer = gpl_18_organizer(facts)
            conditions.append(organizer_check)
        effects: list[str] = []
        if tender_side is not _Side.BELOW:
            change = [
                method
                for method in candidates
                if not (method is ProcurementMethod.竞争性磋商 and grounds.consultation_only_as_service)
            ]
            effect = (
                f"预算达到{tender_text}的，应当公开招标；改用{_methods_text(change)}须在采购活动开始前报设区的市级以上"
                "人民政府财政部门批准（政府采购法第二十七条，实施条例第二十三条）"
            )
            if ProcurementMethod.竞争性磋商 in candidates and grounds.consultation_only_as_service:
                effect += "；仅以政府购买服务项目为由不能改用竞争性磋商"
            publicity = reg_38_single_source_publicity(facts, on=on, parameters_dir=parameters_dir)
            if publicity is not None:
                effect += f"；{publicity[1].rstrip('。')}（实施条例第三十八条）"
            effects.append(effect)
        if quota_side is not _Side.AT_OR_ABOVE and facts.in_centralized_catalog is not True:
            effects.append(
                f"项目不在集中采购目录内且预算低于{quota_text}的，不属于政府采购，由购买主体按“节约、效能、公开、公正”"
                "原则自行组织采购（温政办〔2014〕118号 五（二））"
            )
        lead = "未说明预算金额" if not told else "金额尚不能确定落在哪一档"
        notes.insert(
            0,
            f"{lead}：{_methods_text(candidates)}由您说明的法定情形决定，不取决于金额。金额只改变以下事项："
            + "；".join(f"（{number}）{effect}" for number, effect in enumerate(effects, 1))
            + "。请补充预算金额以确定。",
        )
        missing.append(_missing("amount_yuan"))
        if facts.in_centralized_catalog is None and quota_side is not _Side.AT_OR_ABOVE:
            missing.append(_missing("in_centralized_catalog"))
        if level_needed:
            missing.append(_missing("level"))
        if failed is not None:
            conditions.append(failed[0])
            approvals.append(failed[1])
        return finish(
            MethodOutcome.METHODS_AVAILABLE, [ProcurementMethod.公开招标, *candidates], organizer, amount_pending=True
        )

    def amount_needed(quota_side: _Side = _Side.UNKNOWN, tender_side: _Side = _Side.UNKNOWN) -> Decision:
        """Not enough is known of the amount: a stated circumstance still names the methods; otherwise ask."""
        candidates = _circumstance_methods(facts, grounds)
        if candidates:
            return by_circumstance(candidates, quota_side, tender_side)
        missing.append(_missing("amount_yuan"))
        if facts.in_centralized_catalog is None and quota_side is not _Side.AT_OR_ABOVE:
            missing.append(_missing("in_centralized_catalog"))
        if level_needed:
            missing.append(_missing("level"))
        conditions[:0] = grounds.stated()
        if thresholds is not None:
            if told:
                text = amount_info.text()
                conditions.insert(0, gpl_2_government_procurement(facts, side=quota_side, quota=thresholds.quota, amount_text=text))
                conditions.append(
                    gpl_27_below_open_tender_standard(side=tender_side, open_tender=thresholds.open_tender, amount_text=text)
                )
            notes.extend(_threshold_notes(thresholds))
        return finish(MethodOutcome.NEED_INFO)

    if not told:
        return amount_needed()
    if level_needed:
        missing.append(_missing("level"))
        conditions[:0] = grounds.stated()
        return finish(MethodOutcome.NEED_INFO)

    if thresholds is None:
        if not amount_info.known and _circumstance_methods(facts, grounds):
            return amount_needed()  # a side of a threshold was said, but no threshold is recorded to place it
        conditions[:0] = grounds.stated()
        level = facts.level.value if facts.level else "地方"
        coverage = "；".join(
            f"{jurisdiction}自{_day(start)}起{'' if verified else '（未核实）'}"
            for jurisdiction, (start, verified) in parameters.threshold_coverage(parameters_dir=parameters_dir).items()
        )
        notes.append(
            f"参数中没有{_day(on)}适用于{facts.jurisdiction}{level}预算单位{facts.object_type.value}的{QUOTA}和{OPEN_TENDER}"
            f"（已收录：{coverage or '无'}）。不作推测，请提供当年适用的标准。"
        )
        return finish(MethodOutcome.THRESHOLD_UNKNOWN)

    quota, open_tender = thresholds.quota, thresholds.open_tender
    notes.extend(_threshold_notes(thresholds))
    level = _BUDGET_LEVEL[facts.level] if facts.level else None

    # 4. An approximate amount across a threshold: the outcome on each side.
    if amount_info.known and not amount_info.exact:
        low, high = amount_info.low or 0.0, amount_info.high or 0.0
        crossed = sorted(value for value in {quota.value_yuan, open_tender.value_yuan} if low < value <= high)
        if crossed:
            samples = [low, *crossed]
            branches = [
                decide(facts.model_copy(update={"amount_yuan": sample, "amount_upper_yuan": None}), on=on, context=context)
                for sample in samples
            ]
            if len({(branch.outcome, branch.methods, branch.organizer) for branch in branches}) == 1:
                first = branches[0]
                same = f"金额为约数（{amount_info.text()}）：区间内各档结论相同，以下理由按{_yuan(low)}表述。"
                return first.model_copy(update={"notes": (same, *first.notes)})
            names = "、".join(
                f"{'、'.join(t.name for t in (quota, open_tender) if t.value_yuan == value)}{_yuan(value)}" for value in crossed
            )
            text = amount_info.text()
            conditions[:0] = [
                gpl_2_government_procurement(facts, side=amount_info.side(quota.value_yuan), quota=quota, amount_text=text),
                *grounds.stated(),
            ]
            conditions.append(
                gpl_27_below_open_tender_standard(
                    side=amount_info.side(open_tender.value_yuan), open_tender=open_tender, amount_text=text
                )
            )
            lines = []
            for index, branch in enumerate(branches):
                result = OUTCOME_LABELS[MethodOutcome(branch.outcome)]
                if branch.methods:
                    result += f"（{'、'.join(branch.methods)}）"
                asks = [_SHORT_QUESTIONS[item.fact] for item in branch.missing if item.fact in _SHORT_QUESTIONS]
                if branch.outcome == MethodOutcome.NEED_INFO.value and asks:
                    result = f"取决于{'、'.join(asks)}"
                lines.append(f"如预算{_span(index, samples)}：{result}")
            notes.insert(0, f"金额为约数（{text}），跨越{names}，结论取决于准确金额：" + "；".join(lines) + "。")
            missing.append(
                MissingFact(
                    fact="amount_yuan",
                    question=f"您说的{text}，跨越{names}：请提供准确的预算金额（元或万元）。",
                )
            )
            for branch in branches:
                missing.extend(branch.missing)
            return finish(MethodOutcome.NEED_INFO)

    quota_side, tender_side = _sides(facts, amount_info, quota=quota.value_yuan, open_tender=open_tender.value_yuan)
    text = amount_info.text()

    # 5. Outside the catalog and below the quota: not statutory government procurement.
    splitting = reg_28_no_splitting(facts, amount=amount, tender_side=tender_side, open_tender=open_tender)
    split = splitting is not None and splitting.status is ConditionStatus.FAIL
    if split:
        total = max(amount or 0.0, facts.cumulative_same_item_amount_yuan or 0.0)
        scope = gpl_2_government_procurement(
            facts, side=_Amount(total, total).side(quota.value_yuan), quota=quota, amount_text=f"同一品目累计{_yuan(total)}"
        )
    else:
        scope = gpl_2_government_procurement(facts, side=quota_side, quota=quota, amount_text=text)
    if scope.status is not ConditionStatus.PASS and (splitting is None or splitting.status is ConditionStatus.PASS):
        if scope.status is ConditionStatus.UNKNOWN and quota_side is not _Side.BELOW:
            return amount_needed(quota_side, tender_side)  # only the open-tender side was said, and it is below
        conditions.insert(0, scope)
        if splitting is not None:
            conditions.append(splitting)
        if scope.status is ConditionStatus.UNKNOWN:
            missing.append(_missing("in_centralized_catalog"))
            return finish(MethodOutcome.NEED_INFO)
        conditions.insert(1, wzb_5_2_purchase_method(self_organized=True))
        cumulative = facts.cumulative_same_item_amount_yuan
        if cumulative is not None and cumulative >= quota.value_yuan:
            notes.append(
                f"同一品目累计{_yuan(cumulative)}已达到{quota.name}：限额标准按单项或批量计算，"
                "批量采购合计达到标准的应纳入政府采购，请核实是否属于同一批次。"
            )
        return finish(MethodOutcome.SELF_ORGANIZED, (ProcurementMethod.自行组织采购,), Organizer.购买主体自行组织)
    if tender_side is _Side.UNKNOWN and not split:
        return amount_needed(quota_side, tender_side)  # government procurement, but the open-tender side is not known

    # Government procurement from here on.
    conditions[:0] = [scope, wzb_5_2_purchase_method(self_organized=False)]
    organizer_check, organizer = gpl_18_organizer(facts)
    conditions.append(organizer_check)
    if organizer is None:
        missing.append(_missing("in_centralized_catalog"))
    tender_check = gpl_27_below_open_tender_standard(side=tender_side, open_tender=open_tender, amount_text=text)
    conditions.append(tender_check)
    if splitting is not None:
        conditions.append(splitting)
    if failed is not None:
        conditions.append(failed[0])

    must_tender = tender_check.status is ConditionStatus.FAIL or split
    # Above the open-tender standard the purchase-of-services ground of 磋商 is no ground for a change (实施条例第二十三条).
    conditions[2:2] = grounds.stated() if must_tender else list(grounds.conditions.values())
    if must_tender:
        candidates = grounds.for_change_approval()
        if split:
            notes.append("化整为零：请将同一预算项目下同一品目的需求合并，按累计金额依法公开招标。")
        if not candidates and not facts.approved_non_open_method:
            notes.append(
                "如确需改用公开招标以外的方式，须具备政府采购法第二十九条至第三十二条规定的情形，"
                "并在采购活动开始前报设区的市级以上人民政府财政部门批准。"
            )
            return finish(MethodOutcome.OPEN_TENDER_REQUIRED, (ProcurementMethod.公开招标,), organizer)
        if not candidates:
            candidates = [
                method
                for method in _NON_OPEN
                if method is not ProcurementMethod.询价 or facts.object_type is ObjectType.货物
            ]
            notes.append("已获批准但未说明具体情形：以批准文件载明的采购方式为准。")
        change, change_approvals = reg_23_change_approval(facts, candidates=candidates, level=level)
        conditions.append(change)
        publicity = reg_38_single_source_publicity(facts, on=on, parameters_dir=parameters_dir)
        if publicity is not None and ProcurementMethod.单一来源 in candidates:
            conditions.append(publicity[0])
            approvals.append(publicity[1])
        if facts.approved_non_open_method:
            return finish(MethodOutcome.METHODS_AVAILABLE, candidates, organizer)
        approvals[:0] = change_approvals
        if failed is not None:
            approvals.append(failed[1])
        return finish(MethodOutcome.APPROVAL_REQUIRED, [ProcurementMethod.公开招标, *candidates], organizer)

    # 7. Below the open-tender standard: 公开招标 plus every method with a ground.
    candidates = [method for method in grounds.methods if method in _NON_OPEN]
    if failed is not None:
        approvals.append(failed[1])
    if facts.approved_non_open_method:
        notes.append("预算低于公开招标数额标准，采用其他方式无需变更审批，但须具备相应的法定情形。")
    consultation = grounds.conditions.get(ProcurementMethod.竞争性磋商)
    if ProcurementMethod.竞争性磋商 in candidates and consultation is not None and CZK124_1 in consultation.clause_ids:
        minimum = parameters.constant(CONSULTATION_MIN_SUPPLIERS, on=on, parameters_dir=parameters_dir)
        if minimum is not None:
            notes.append(
                f"竞争性磋商的购买服务项目，采购过程中符合要求的供应商只有{minimum.value:g}{minimum.unit}时可继续（财库〔2015〕124号）。"
            )
    unknown = [method for method in _NON_OPEN if method not in grounds.conditions]
    if facts.object_type is not ObjectType.货物 and ProcurementMethod.询价 in unknown:
        unknown.remove(ProcurementMethod.询价)
    if unknown:
        notes.append("其他方式须具备相应情形：" + "；".join(_GROUND_HINTS[method] for method in unknown) + "。")
    return finish(MethodOutcome.METHODS_AVAILABLE, [ProcurementMethod.公开招标, *candidates], organizer)


# NOT CODED: ref-gpl#第三十六条 — the four 废标 grounds are not checked one by one; the user's "流标/废标" is taken
# as tender_failed.
# NOT CODED: minimum supplier counts (≥3 for 邀请招标, 竞争性谈判, 询价) come from articles not in the corpus
# (政府采购法第三十四、三十八、四十条); they appear only in the reasons' wording.
# NOT CODED: 财政部令第74号 第三条 and 第二十七条 (two bidders in an open tender → negotiation after approval) —
# only secondary or unverified sources.
# NOT CODED: instrument start dates (实施条例 2015-03-01, 214号, 124号 2015-06-30) are not checked separately:
# no threshold before 2020-01-01 is recorded, so every earlier date stops at threshold_unknown.


# --------------------------------------------------------------------------------------------------
# Rendering


def render(decision: Decision) -> str:
    """The decision as Chinese Markdown: conclusion, methods, organiser, approvals, reasons with clause keys, questions."""
    outcome = MethodOutcome(decision.outcome)
    lines = [f"**结论：{OUTCOME_LABELS[outcome]}。**"]
    if decision.methods:
        lines.append(f"- 可用采购方式：{'、'.join(decision.methods)}")
    if decision.organizer:
        lines.append(f"- 组织实施：{decision.organizer}")
    for approval in decision.approvals:
        lines.append(f"- 审批/公示：{approval}")
    if decision.missing:
        lines.append("")
        lines.append("还需要您补充：")
        lines.extend(f"{number}. {item.question}" for number, item in enumerate(decision.missing, 1))
    if decision.conditions:
        lines.append("")
        lines.append("判断依据：")
        marks = {ConditionStatus.PASS: "✓", ConditionStatus.FAIL: "✗", ConditionStatus.UNKNOWN: "？"}
        for condition in decision.conditions:
            lines.append(f"- {marks[condition.status]} {condition.reason}〔{'，'.join(condition.clause_ids)}〕")
    if decision.notes:
        lines.append("")
        lines.append("说明：")
        lines.extend(f"- {note}" for note in decision.notes)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# Fact extraction from Chinese text


_PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区",
    "宁夏回族自治区", "新疆维吾尔自治区",
)  # fmt: skip
_PROVINCE_SHORT = {name: re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", name) for name in _PROVINCES}

_METHOD_WORDS: tuple[tuple[str, ProcurementMethod], ...] = (
    (r"单一来源", ProcurementMethod.单一来源),
    (r"竞争性磋商|磋商", ProcurementMethod.竞争性磋商),
    (r"竞争性谈判|谈判", ProcurementMethod.竞争性谈判),
    (r"邀请招标", ProcurementMethod.邀请招标),
    (r"询价", ProcurementMethod.询价),
    (r"自行(组织)?采购|自己(采购|买|找)", ProcurementMethod.自行组织采购),
    (r"(?:公开招标|招标)(?!线|标准|数额|限额|门槛|金额|时间|文件|公告|失败|后)", ProcurementMethod.公开招标),
)
"""Names of methods a question may ask about; 公开招标线/数额标准 names a threshold, 招标失败 a circumstance."""

def _detect_object_type(text: str) -> ObjectType:
    if re.search(r"货物", text):
        return ObjectType.货物
    works = re.search(r"工程(?!监理|咨询|造价|设计|审计|服务|管理|评估|检测)|施工|装修|改扩建|修缮|新建|扩建", text)
    if works and "服务" not in text:
        return ObjectType.工程
    if "服务" in text:
        return ObjectType.服务
    if re.search(r"(买|采购|购置)[^，。,]{0,6}(设备|物资|电脑|计算机|家具|车辆|耗材|办公用品|打印机|服务器)", text):
        return ObjectType.货物
    return ObjectType.服务


def extract_procurement_facts(text: str) -> ProcurementFacts:
    """Read the facts of :class:`ProcurementFacts` from a Chinese question; anything not said stays ``None``.

    The phrase facts (catalog, level, the circumstances of 政府采购法第二十九至三十二条, 限额以下, 达到公开招标标准 …)
    come from the fact table ``corpus/nlu/facts/procurement_method.yaml`` through :func:`assistant.nlu.facts.extract`,
    with negation and question scope (不在集采目录 → False; 是否在集采目录内？ → nothing); a 指导目录 is never read
    as the 集中采购目录. Amounts (:mod:`assistant.nlu.amounts`): ``80万``、``八十万元``、``0.8百万``、``1.5亿``、
    ``1,200,000元``; an amount after 原合同 is the original contract, after 累计/全年 the cumulative amount,
    otherwise the budget. An approximate amount (``几十万``、``80多万``) gives ``amount_yuan`` = its low bound and
    ``amount_upper_yuan`` = its high bound. Object type, jurisdiction and the method asked about are read by
    :func:`_detect_object_type`, :data:`_PROVINCES` and :func:`_detect_requested_method` below.
    """
    from assistant.nlu.facts import extract

    return extract(TOOL_NAME, text)  # type: ignore[return-value]


def _detect_requested_method(text: str) -> ProcurementMethod | None:
    """The method the user asks about ("能单一来源吗", "可以询价吗"), if the question names one."""
    asking = re.search(r"吗|能否|可否|能不能|可不可以|行不行|是否(可以|能)|\?|？", text)
    if not asking:
        return None
    for pattern, method in _METHOD_WORDS:
        if method is ProcurementMethod.公开招标 and re.search(r"必须(公开)?招标|要(公开)?招标吗|需要(公开)?招标", text):
            return None  # "必须公开招标吗" asks whether tendering is required, not whether it is allowed
        if re.search(pattern, text):
            return method
    return None


TOOL = ToolSpec(
    name=TOOL_NAME,
    facts_model=ProcurementFacts,
    decide=decide,
    extract=extract_procurement_facts,
    outcomes=tuple(outcome.value for outcome in MethodOutcome),
)
"""Entry of :data:`assistant.rules.TOOLS`."""
