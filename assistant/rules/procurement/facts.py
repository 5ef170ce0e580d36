"""What the procurement-method rule talks about: the facts of a purchase, the methods, organisers and outcomes,
and the questions it asks for a missing fact."""

from __future__ import annotations

import math
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.models import MissingFact
from assistant.parameters import BudgetLevel, ObjectType

TOOL_NAME = "procurement_method"


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
    """A fact the answer depends on is missing and its readings cannot be enumerated (e.g. the budget level)."""
    DEPENDS = "depends_on_facts"
    """The amount or the catalog status is not stated (or an approximate amount straddles a threshold): ``cases``
    gives the result under each reading, ``methods`` every method some reading allows, and the fact is asked."""
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
    MethodOutcome.DEPENDS: "取决于预算的准确金额或是否列入集中采购目录（各情形的结论见下）",
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
    split_into_parts: bool | None = Field(
        default=None, description="是否把一个项目拆成几个包、几个合同或分几次采购（政府采购法第二十八条：不得化整为零规避公开招标）。"
    )
    cumulative_above_open_tender: bool | None = Field(
        default=None, description="同一年度同一预算项目同一品目各次采购合计是否超过公开招标数额标准（用户以文字说明，未给金额）。"
    )
    several_suppliers_available: bool | None = Field(
        default=None, description="是否有多家供应商能够提供（可以竞争）；有多家时不属于“不能从其他供应商处采购”。"
    )
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

    quota_told_yuan: float | None = Field(
        default=None, gt=0, description="用户说明的本地分散采购限额标准（财政说限额是100万），单位元。"
    )
    open_tender_told_yuan: float | None = Field(
        default=None, gt=0, description="用户说明的本地公开招标数额标准，单位元。"
    )

    @model_validator(mode="after")
    def _finite_amounts(self) -> ProcurementFacts:
        for name in (
            "amount_yuan",
            "amount_upper_yuan",
            "original_contract_amount_yuan",
            "cumulative_same_item_amount_yuan",
            "quota_told_yuan",
            "open_tender_told_yuan",
        ):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"{name} must be a finite number, got {value}")
        return self


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
