"""One check per statutory clause of the procurement-method rule; each docstring starts with the clause key it
implements. :func:`_method_grounds` runs the checks that give a method its ground (政府采购法第二十九至三十二条,
财库〔2014〕214号第三条)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from assistant import parameters
from assistant.models import Condition, ConditionStatus, MissingFact
from assistant.parameters import BudgetLevel, ObjectType, ThresholdValue
from assistant.rules.procurement.clauses import (
    CZK124_1,
    CZK214_3,
    GPL_2,
    GPL_7,
    GPL_8,
    GPL_18,
    GPL_26,
    GPL_27,
    GPL_28,
    GPL_29,
    GPL_30,
    GPL_31,
    GPL_32,
    GPL_37,
    GPL_38,
    GPL_49,
    GPL_85,
    REG_2,
    REG_7,
    REG_23,
    REG_25,
    REG_26,
    REG_27,
    REG_28,
    REG_38,
    REG_78,
    WZB_5_2,
)
from assistant.rules.procurement.facts import _NON_OPEN, Organizer, ProcurementFacts, ProcurementMethod, _missing
from assistant.rules.procurement.thresholds import ADD_ON_RATIO, PUBLICITY_DAYS, _Side
from assistant.rules.procurement.wording import _condition, _methods_text, _yuan


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


def reg_28_split_told(facts: ProcurementFacts) -> Condition | None:
    """ref-gpl-reg#第二十八条 (with 政府采购法第二十八条) — the same check told in words, without amounts: a total over
    the 公开招标数额标准 (加起来超了) fails it; a split alone (拆成几个小包) leaves it open until the total is known."""
    if facts.cumulative_above_open_tender:
        return _condition(
            "reg_28_no_splitting",
            ConditionStatus.FAIL,
            "按您的说明，同一预算项目同一品目各次（各包）合计超过公开招标数额标准：以公开招标以外的方式分次或分包采购，"
            "属于以化整为零方式规避公开招标，应按合计金额公开招标（项目预算调整或经批准采用其他方式的除外）。",
            REG_28,
            GPL_28,
        )
    if facts.split_into_parts and facts.cumulative_same_item_amount_yuan is None:
        return _condition(
            "reg_28_no_splitting",
            ConditionStatus.UNKNOWN,
            "把一个项目拆成几个包或分几次采购的，看的是同一年度同一预算项目同一品目的合计金额：合计达到公开招标数额标准的，"
            "不得化整为零规避公开招标；请说明合计金额。",
            GPL_28,
            REG_28,
        )
    return None


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
        clauses += [REG_27, GPL_38]
        reasons.append(
            "只能从唯一供应商处采购（须是不可替代的专利、专有技术，或公共服务项目有特殊要求），符合单一来源情形；"
            "只有一家能够提供时，须从不少于三家供应商中进行的竞争性谈判（政府采购法第三十八条）等竞争方式无从开展"
        )
    if facts.unforeseeable_emergency and facts.several_suppliers_available and not facts.only_one_supplier:
        # 第三十一条（二）: 紧急 and 不能从其他供应商处采购 — several could supply, so the emergency grounds no single source
        reasons.append("虽发生紧急情况，但有多家供应商能够提供，不属于“不能从其他供应商处采购”，不能据此采用单一来源")
        status: ConditionStatus | None = ConditionStatus.FAIL
    else:
        if facts.unforeseeable_emergency:
            reasons.append("发生不可预见的紧急情况，如确实不能从其他供应商处采购，符合单一来源情形")
        status = _flags(facts.only_one_supplier, facts.unforeseeable_emergency)
    if add_on_status is ConditionStatus.PASS or status is ConditionStatus.PASS:
        final = ConditionStatus.PASS
    elif add_on_status is ConditionStatus.UNKNOWN:
        final = ConditionStatus.UNKNOWN
    elif add_on_status is ConditionStatus.FAIL or status is ConditionStatus.FAIL:
        final = ConditionStatus.FAIL
        if add_on_status is None and not facts.unforeseeable_emergency:
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
    if facts.only_one_supplier and ProcurementMethod.单一来源 in grounds.methods:
        grounds.methods = [ProcurementMethod.单一来源]  # one supplier only: no competition among three (第三十八条)
    grounds.consultation_only_as_service = not (facts.specs_cannot_be_fixed or facts.price_cannot_be_calculated_in_advance)
    return grounds
