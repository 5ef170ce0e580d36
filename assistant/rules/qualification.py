"""Tool ``supplier_qualification``: may this supplier take on a 政府购买服务 contract?

Instrument: 温政办〔2014〕118号 三（二） 承接主体 (corpus document ``wzb-2014-118``): the allowed
kinds of supplier, the six conditions, and the encouragement of 事业单位 that provide specific
public services. Because every purchase falls under government procurement (五（二）), the
supplier conditions of 政府采购法 第二十二条 (reference note ``ref-gpl``) apply too — notably
the 3-year record of no major violation, which 三（二） does not list. 政府采购法实施条例 (``ref-gpl-reg``)
says what that record is and what else bars a supplier: 第十九条 — a 重大违法记录 is a 刑事处罚 or a
责令停产停业, 吊销许可证或者执照 or 较大数额罚款 (a warning is not; a fine is only when it is 较大数额 by the
penalising authority's or the local standard, so the tool asks), and a supplier whose ban from government
procurement has run out may take part again; 第十八条 — suppliers with the same 单位负责人 or a direct
控股/管理 relation may not both take part under one contract, and a supplier that designed, specified,
managed, supervised or tested the project may not then bid in it (except a 单一来源 project). The
第十八条 facts are judged only when the user states them, never asked.

Dated version: from the date in ``corpus/parameters/eligibility/mof_102_in_force.yaml``
(2020-03-01, UNVERIFIED) the *type* check follows 财政部令第102号 第六条/第八条 (``ref-mof-102``):
that instrument widens the list (基层群众性自治组织, qualified individuals) and excludes
公益一类事业单位. The 2014 type check is then replaced by ``mof102_6_supplier_type_allowed``
(style rule 13: a dated version of a check whose logic changed), and a note says so; all other
checks are the same on both sides of the date.

Outcomes: ``not_qualified`` if any condition fails (an unknown never is), ``insufficient_info`` if
none fails but one is unknown, ``qualified`` if all pass. At most three questions are asked at a
time, ranked by :data:`QUESTION_ORDER`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import assert_never

from pydantic import BaseModel, ConfigDict, Field

from assistant import parameters
from assistant.models import Condition, ConditionStatus, Decision, MissingFact
from assistant.rules._context import RuleContext, ToolSpec, most_decisive
from assistant.rules.procurement.wording import _yuan

TOOL_NAME = "supplier_qualification"
MOF_102_PARAMETER = "eligibility/mof_102_in_force"
LOOKBACK_PARAMETER = "qualification/major_violation_lookback_years"
LARGE_FINE_PARAMETER = "qualification/large_fine_threshold_yuan"

WZB_SUPPLIER = "wzb-2014-118#三（二）"
WZB_METHOD = "wzb-2014-118#五（二）"
GPL_22 = "ref-gpl#第二十二条"
MOF_SUPPLIER = "ref-mof-102#第六条"
MOF_CONDITIONS = "ref-mof-102#第七条"
MOF_EXCLUDED_UNITS = "ref-mof-102#第八条"
MOF_INDIVIDUALS = "ref-mof-102#第十八条"
REG_18 = "ref-gpl-reg#第十八条"
REG_19 = "ref-gpl-reg#第十九条"

CITED_CLAUSES = (
    WZB_SUPPLIER, WZB_METHOD, GPL_22, MOF_SUPPLIER, MOF_CONDITIONS, MOF_EXCLUDED_UNITS, MOF_INDIVIDUALS, REG_18, REG_19
)
"""Every clause key a condition of this tool can cite (checked against the corpus by a test)."""


class SupplierType(str, Enum):
    """Kind of body (or person) that wants to take on the service."""

    SOCIAL_ORGANISATION = "社会组织"
    ENTERPRISE = "企业"
    OTHER_ECONOMIC_ORGANISATION = "其他经济组织"
    PUBLIC_INSTITUTION = "事业单位"
    INDIVIDUAL_BUSINESS = "个体工商户"
    NATURAL_PERSON = "自然人"
    GRASSROOTS_SELF_GOVERNING = "基层群众性自治组织"
    MASS_ORGANISATION = "群团组织"
    OTHER = "其他"


class RegistrationAuthority(str, Enum):
    """Where the supplier is registered."""

    CIVIL_AFFAIRS = "民政部门"
    MARKET_REGULATION = "市场监管部门"
    INDUSTRY_AUTHORITY = "行业主管部门"
    EXEMPT = "免于登记"
    UNREGISTERED = "未登记"


class PenaltyKind(str, Enum):
    """The penalty a violation record carries (政府采购法实施条例第十九条: which of them are 重大违法记录)."""

    CRIMINAL = "刑事处罚"
    SUSPENSION = "责令停产停业"
    LICENCE_REVOKED = "吊销许可证执照"
    LARGE_FINE = "较大数额罚款"
    FINE = "罚款"
    WARNING = "警告"
    UNSTATED = "未说明"


MAJOR_PENALTIES = frozenset({PenaltyKind.CRIMINAL, PenaltyKind.SUSPENSION, PenaltyKind.LICENCE_REVOKED, PenaltyKind.LARGE_FINE})
"""The penalties 实施条例第十九条第一款 names as a 重大违法记录."""

_PENALTY_WORDS = {
    PenaltyKind.CRIMINAL: "受到刑事处罚",
    PenaltyKind.SUSPENSION: "被责令停产停业",
    PenaltyKind.LICENCE_REVOKED: "被吊销许可证或者执照",
    PenaltyKind.LARGE_FINE: "被处以较大数额罚款",
}


class QualificationOutcome(str, Enum):
    QUALIFIED = "qualified"
    NOT_QUALIFIED = "not_qualified"
    INSUFFICIENT_INFO = "insufficient_info"


class SupplierFacts(BaseModel):
    """What the rule needs to know about the supplier. ``None`` means "not stated"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    supplier_type: SupplierType | None = Field(
        default=None, description="承接方类型：社会组织、企业、其他经济组织、事业单位、个体工商户、自然人、基层群众性自治组织或其他。"
    )
    registered_with: RegistrationAuthority | None = Field(
        default=None, description="承接方的登记部门：民政部门、市场监管部门、行业主管部门、免于登记或未登记。"
    )
    provides_specific_public_service: bool | None = Field(default=None, description="（事业单位）是否提供特定公共服务。")
    is_public_welfare_class_one: bool | None = Field(default=None, description="（事业单位）是否为公益一类事业单位。")
    mass_org_funded_by_budget: bool | None = Field(
        default=None, description="（群团组织）是否由财政拨款保障；由财政拨款保障的群团组织不作为承接主体（102号令第六条、第八条）。"
    )
    independent_civil_liability: bool | None = Field(default=None, description="是否具有独立承担民事责任的能力。")
    has_facilities_staff_expertise: bool | None = Field(default=None, description="是否具备提供服务所必需的设施、人员和专业技术能力。")
    has_governance_finance_asset_systems: bool | None = Field(
        default=None, description="是否具有健全的内部治理结构、财务会计和资产管理制度。"
    )
    good_reputation: bool | None = Field(default=None, description="是否具有良好的社会和商业信誉。")
    tax_social_insurance_record_good: bool | None = Field(default=None, description="是否有依法缴纳税收和社会保险的良好记录。")
    meets_other_registration_conditions: bool | None = Field(default=None, description="是否符合登记管理部门依法认定的其他条件。")
    major_violation_last_3_years: bool | None = Field(
        default=None,
        description="参加采购活动前的回溯期（政府采购法第二十二条：三年）内，经营活动中是否有重大违法记录"
        "（用户只说受过处罚、被罚款等时也为“是”，处罚种类见 penalty_kind；未给种类时按重大违法记录对待）。",
    )
    major_violation_years_ago: float | None = Field(
        default=None, ge=0, description="最近一次违法记录（处罚）距今多少年（当用户只说了“去年”“五年前”“2022年”时使用）。"
    )
    penalty_kind: PenaltyKind | None = Field(
        default=None,
        description="所受处罚的种类（政府采购法实施条例第十九条）：刑事处罚、责令停产停业、吊销许可证执照、较大数额罚款、"
        "罚款（未说明数额是否较大）、警告（含通报批评）或未说明（只说受过处罚）。",
    )
    fine_amount_yuan: float | None = Field(default=None, ge=0, description="所受罚款的数额，单位元（为约数时取下限）。")
    fine_amount_upper_yuan: float | None = Field(default=None, ge=0, description="罚款数额为约数时的上限，单位元（三百多万）。")
    fine_is_large: bool | None = Field(
        default=None, description="所受罚款按作出处罚的机关或当地的标准，是否属于“较大数额罚款”（实施条例第十九条）。"
    )
    banned_from_procurement: bool | None = Field(
        default=None, description="是否曾因违法经营被禁止在一定期限内参加政府采购活动（实施条例第十九条第二款）。"
    )
    procurement_ban_expired: bool | None = Field(default=None, description="禁止参加政府采购活动的期限是否已经届满。")
    related_bidder_same_item: bool | None = Field(
        default=None,
        description="是否与单位负责人为同一人、或存在直接控股、管理关系的其他供应商参加同一合同项下的政府采购活动"
        "（实施条例第十八条第一款；分别参加不同的包、标段为“否”）。",
    )
    provided_design_or_management: bool | None = Field(
        default=None, description="是否为该采购项目提供过整体设计、规范编制或者项目管理、监理、检测等服务（实施条例第十八条第二款）。"
    )
    single_source_project: bool | None = Field(default=None, description="该采购项目是否采用单一来源方式采购。")
    said_unknown: tuple[str, ...] | None = Field(
        default=None,
        description="用户明确表示不清楚的事实（不清楚有没有欠过税）：其对应条件不再按资格审查中可证明的一般条件推定，而是决定结论（尚需补充）。",
    )


PASS, FAIL, UNKNOWN = ConditionStatus.PASS, ConditionStatus.FAIL, ConditionStatus.UNKNOWN

QUESTION_ORDER = (
    "mass_org_funded_by_budget",
    "supplier_type",
    "is_public_welfare_class_one",
    "registered_with",
    "major_violation_last_3_years",
    "procurement_ban_expired",
    "penalty_kind",
    "fine_is_large",
    "tax_social_insurance_record_good",
    "good_reputation",
    "independent_civil_liability",
    "has_facilities_staff_expertise",
    "has_governance_finance_asset_systems",
    "meets_other_registration_conditions",
)
"""Missing facts, the most decisive first: the kind of supplier decides alone (三（二）; 102号令第六条), then the
公益一类 exclusion (102号令第八条) and the registration (三（二）); then the 政府采购法第二十二条 conditions suppliers
most often fail on (重大违法记录 — with what 实施条例第十九条 needs to judge a stated penalty: whether a ban has run
out, the kind of penalty, whether a fine is 较大数额 —, 税收和社会保险, 信誉), last the capacity conditions nearly
every registered body meets. The 实施条例第十八条 facts are never asked."""


def _questions(lookback: object) -> dict[str, str]:
    return {
        "supplier_type": "承接方属于哪类主体？（社会组织／企业／其他经济组织／事业单位／个体工商户／自然人／基层群众性自治组织）",
        "registered_with": "承接方在哪个部门依法登记？（民政部门／市场监管部门／行业主管部门／经国务院批准免于登记）",
        "is_public_welfare_class_one": "贵单位是公益一类、公益二类还是从事生产经营活动的事业单位？",
        "mass_org_funded_by_budget": "该群团组织的经费是否由财政拨款保障（例如使用事业编制、财政全额或差额拨款）？",
        "independent_civil_liability": "承接方能否独立承担民事责任（是否具有法人资格）？",
        "has_facilities_staff_expertise": "承接方是否具备提供该服务所必需的设施、人员和专业技术能力？",
        "has_governance_finance_asset_systems": "承接方是否有健全的内部治理结构、财务会计和资产管理制度？",
        "good_reputation": "承接方是否有良好的社会和商业信誉（例如未被列入失信名单）？",
        "tax_social_insurance_record_good": "承接方是否一直依法缴纳税收和社会保险，有没有欠缴记录？",
        "meets_other_registration_conditions": "承接方是否符合登记管理部门依法认定的其他条件（如年检、年报合格，未列入经营异常名录）？",
        "major_violation_last_3_years": (
            f"承接方参加采购活动前{lookback}年内，在经营活动中是否有重大违法记录"
            "（受过刑事处罚，或被责令停产停业、吊销许可证或执照、处以较大数额罚款等）？"
        ),
        "procurement_ban_expired": "承接方被禁止参加政府采购活动的期限是否已经届满？",
        "penalty_kind": (
            "承接方受到的是哪种处罚？（刑事处罚／责令停产停业／吊销许可证或执照／罚款／警告、通报批评）"
            "如是罚款，按作出处罚的机关或当地的标准，是否属于“较大数额罚款”？"
        ),
        "fine_is_large": (
            "所受罚款的数额是多少（或是否属于“较大数额罚款”）？"
            "（政府采购法实施条例第十九条；数额见处罚决定书，本工具按所收录的认定标准判断）"
        ),
    }


@dataclass(frozen=True)
class _Ctx:
    """Per-call values the checks need: the date switch and the dated parameters."""

    mof102: bool
    lookback: float
    questions: dict[str, str]

    def ask(self, *facts: str) -> tuple[MissingFact, ...]:
        return tuple(MissingFact(fact=fact, question=self.questions[fact]) for fact in facts)

    def with_mof_102_conditions(self, clauses: tuple[str, ...]) -> tuple[str, ...]:
        """From the 102号令 date, a 政府采购法第二十二条 condition also rests on 102号令 第七条."""
        return clauses + (MOF_CONDITIONS,) if self.mof102 and GPL_22 in clauses else clauses


@dataclass(frozen=True)
class _Check:
    condition: Condition
    missing: tuple[MissingFact, ...] = ()
    note: str = ""
    decisive: bool = False
    """An open condition that decides even when its missing facts are confirmations (a stated penalty whose date is unclear)."""


def _check(name: str, status: ConditionStatus, reason: str, *clauses: str, **extra: object) -> _Check:
    return _Check(Condition(condition=name, status=status, reason=reason, clause_ids=clauses), **extra)  # type: ignore[arg-type]


_ORGANISATION_TYPES_2014 = (SupplierType.SOCIAL_ORGANISATION, SupplierType.ENTERPRISE, SupplierType.OTHER_ECONOMIC_ORGANISATION)


def cl_3_2_supplier_type_listed(facts: SupplierFacts, ctx: _Ctx) -> _Check:
    """wzb-2014-118#三（二） — 承接主体包括依法在民政部门登记成立或经国务院批准免于登记的社会组织，以及
    依法在市场监管或行业主管部门登记成立的企业、其他经济组织、机构等社会力量；鼓励提供特定公共服务的
    事业单位参与竞争。个体工商户和自然人不在所列范围内。（在财政部令第102号施行前使用。）"""
    name = "cl_3_2_supplier_type_listed"
    kind = facts.supplier_type
    if kind is None:
        return _check(name, UNKNOWN, "尚不清楚承接方属于哪类主体。", WZB_SUPPLIER, missing=ctx.ask("supplier_type"))
    if kind in _ORGANISATION_TYPES_2014 or kind is SupplierType.PUBLIC_INSTITUTION:
        return _check(name, PASS, f"{kind.value}属于温政办〔2014〕118号 三（二）所列的承接主体类型。", WZB_SUPPLIER)
    if kind in (SupplierType.INDIVIDUAL_BUSINESS, SupplierType.NATURAL_PERSON):
        return _check(
            name,
            FAIL,
            f"温政办〔2014〕118号 三（二）列举的承接主体是社会组织和企业、其他经济组织、机构等，不包括{kind.value}；"
            "（财政部令第102号施行后，具备条件的个人可以作为承接主体，见该办法第六条。）",
            WZB_SUPPLIER,
        )
    if kind in (SupplierType.GRASSROOTS_SELF_GOVERNING, SupplierType.OTHER):
        return _check(name, FAIL, f"{kind.value}不在温政办〔2014〕118号 三（二）所列的承接主体类型之内。", WZB_SUPPLIER)
    if kind is SupplierType.MASS_ORGANISATION:
        return _check(
            name,
            PASS,
            "群团组织在民政部门登记成立或经国务院批准免于登记的，属于温政办〔2014〕118号 三（二）所列的社会组织（登记情况见下一项）。",
            WZB_SUPPLIER,
        )
    assert_never(kind)


def mof102_6_supplier_type_allowed(facts: SupplierFacts, ctx: _Ctx) -> _Check:
    """ref-mof-102#第六条 — 承接主体包括依法成立的企业、社会组织（不含由财政拨款保障的群团组织）、公益二类
    和从事生产经营活动的事业单位、农村集体经济组织、基层群众性自治组织，以及具备条件的个人；
    ref-mof-102#第八条 — 公益一类事业单位不作为承接主体。（替代2014年的类型检查，自102号令施行之日起。）"""
    name = "mof102_6_supplier_type_allowed"
    kind = facts.supplier_type
    if kind is None:
        return _check(name, UNKNOWN, "尚不清楚承接方属于哪类主体。", MOF_SUPPLIER, missing=ctx.ask("supplier_type"))
    if kind in (SupplierType.ENTERPRISE, SupplierType.GRASSROOTS_SELF_GOVERNING):
        return _check(name, PASS, f"{kind.value}属于财政部令第102号第六条所列的承接主体。", MOF_SUPPLIER)
    if kind is SupplierType.SOCIAL_ORGANISATION:
        return _check(
            name,
            PASS,
            "社会组织属于财政部令第102号第六条所列的承接主体（由财政拨款保障的群团组织除外）。",
            MOF_SUPPLIER,
            note="如承接方是由财政拨款保障的群团组织，则按财政部令第102号第六条、第八条不能作为承接主体。",
        )
    if kind is SupplierType.OTHER_ECONOMIC_ORGANISATION:
        return _check(
            name,
            PASS,
            "其他经济组织（如农村集体经济组织、合作社）按依法成立的组织对待，属于第六条的承接主体范围。",
            MOF_SUPPLIER,
            note="第六条明确列出的是企业、社会组织、事业单位、农村集体经济组织、基层群众性自治组织和个人；其他类型的经济组织建议向财政部门确认。",
        )
    if kind in (SupplierType.INDIVIDUAL_BUSINESS, SupplierType.NATURAL_PERSON):
        return _check(
            name,
            PASS,
            f"财政部令第102号第六条允许具备条件的个人作为承接主体，{kind.value}可以参与；"
            "温政办〔2014〕118号 三（二）未列个人，此处按施行在后、层级更高的102号令判断。",
            MOF_SUPPLIER,
            MOF_INDIVIDUALS,
            note="向个人购买服务限于确实适合由个人承担的情形（财政部令第102号第十八条，具体范围未核实）。",
        )
    if kind is SupplierType.PUBLIC_INSTITUTION:
        if facts.is_public_welfare_class_one:
            return _check(name, FAIL, "公益一类事业单位不作为承接主体（财政部令第102号第八条）。", MOF_SUPPLIER, MOF_EXCLUDED_UNITS)
        if facts.is_public_welfare_class_one is False:
            return _check(
                name, PASS, "公益二类或从事生产经营活动的事业单位属于第六条所列的承接主体。", MOF_SUPPLIER, MOF_EXCLUDED_UNITS
            )
        return _check(
            name,
            UNKNOWN,
            "事业单位中只有公益二类和从事生产经营活动的可以承接，公益一类不可以；尚不清楚贵单位的类别。",
            MOF_SUPPLIER,
            MOF_EXCLUDED_UNITS,
            missing=ctx.ask("is_public_welfare_class_one"),
        )
    if kind is SupplierType.MASS_ORGANISATION:
        if facts.mass_org_funded_by_budget:
            return _check(
                name,
                FAIL,
                "由财政拨款保障的群团组织不作为承接主体（财政部令第102号第六条；使用事业编制并由财政拨款保障的，见第八条）。",
                MOF_SUPPLIER,
                MOF_EXCLUDED_UNITS,
            )
        if facts.mass_org_funded_by_budget is False:
            return _check(name, PASS, "不由财政拨款保障的群团组织，按社会组织属于财政部令第102号第六条所列的承接主体。", MOF_SUPPLIER)
        return _check(
            name,
            UNKNOWN,
            "群团组织只有不由财政拨款保障的，才能作为承接主体（财政部令第102号第六条、第八条）；尚不清楚其经费来源。",
            MOF_SUPPLIER,
            MOF_EXCLUDED_UNITS,
            missing=ctx.ask("mass_org_funded_by_budget"),
        )
    if kind is SupplierType.OTHER:
        return _check(
            name,
            UNKNOWN,
            "“其他”类型无法对照第六条的列举；请说明承接方的具体类型。",
            MOF_SUPPLIER,
            missing=ctx.ask("supplier_type"),
        )
    assert_never(kind)


def cl_3_2_registered_with_proper_authority(facts: SupplierFacts, ctx: _Ctx) -> _Check | None:
    """wzb-2014-118#三（二） — 社会组织须依法在民政部门登记成立或经国务院批准免于登记；企业、其他经济组织、
    机构须依法在市场监管或行业主管部门登记成立。企业未说明登记情况时按已登记判断（企业依法登记方能成立，
    理由中说明这一推定），其他类型仍须问明。"""
    name = "cl_3_2_registered_with_proper_authority"
    kind, where = facts.supplier_type, facts.registered_with
    if kind is None and where is RegistrationAuthority.UNREGISTERED:
        return _check(
            name,
            FAIL,
            "承接方未依法登记；三（二）所列承接主体（社会组织、企业、机构）都须依法登记成立。"
            "（如是具备条件的个人，财政部令第102号第六条另有规定，请说明。）",
            WZB_SUPPLIER,
        )
    if kind is None or kind in (SupplierType.NATURAL_PERSON, SupplierType.GRASSROOTS_SELF_GOVERNING, SupplierType.OTHER):
        return None
    if where is RegistrationAuthority.UNREGISTERED:
        return _check(name, FAIL, f"承接方未依法登记；三（二）要求{kind.value}依法登记成立。", WZB_SUPPLIER)
    if kind is SupplierType.PUBLIC_INSTITUTION:
        if where is None:
            return None
        return _check(name, PASS, "事业单位已依法登记。", WZB_SUPPLIER)
    if kind in (SupplierType.SOCIAL_ORGANISATION, SupplierType.MASS_ORGANISATION):
        allowed = (RegistrationAuthority.CIVIL_AFFAIRS, RegistrationAuthority.EXEMPT)
        expected = "在民政部门登记成立或经国务院批准免于登记"
    else:
        allowed = (RegistrationAuthority.MARKET_REGULATION, RegistrationAuthority.INDUSTRY_AUTHORITY)
        expected = "在市场监管或行业主管部门登记成立"
    if where is None and kind is SupplierType.ENTERPRISE:
        return _check(
            name,
            PASS,
            "企业依法登记方能成立（在市场监管部门登记、取得营业执照），此处按承接方已依法登记判断；如尚未取得营业执照请更正。",
            WZB_SUPPLIER,
        )
    if where is None:
        return _check(
            name, UNKNOWN, f"三（二）要求{kind.value}依法{expected}；尚未说明登记情况。", WZB_SUPPLIER, missing=ctx.ask("registered_with")
        )
    if where in allowed:
        return _check(name, PASS, f"{kind.value}已依法{expected}（{where.value}）。", WZB_SUPPLIER)
    return _check(name, FAIL, f"三（二）要求{kind.value}依法{expected}，而所述登记情况为“{where.value}”。", WZB_SUPPLIER)


def cl_3_2_public_institution_encouraged(facts: SupplierFacts, ctx: _Ctx) -> _Check | None:
    """wzb-2014-118#三（二） — 鼓励提供特定公共服务的事业单位作为承接主体，与具备条件的社会力量公开、
    公平参与竞争。（鼓励性条款：不设门槛，只说明事业单位须与社会力量平等竞争。）"""
    name = "cl_3_2_public_institution_encouraged"
    if facts.supplier_type is not SupplierType.PUBLIC_INSTITUTION or facts.provides_specific_public_service is None:
        return None
    if facts.provides_specific_public_service:
        return _check(
            name,
            PASS,
            "提供特定公共服务的事业单位受鼓励作为承接主体。",
            WZB_SUPPLIER,
            note="事业单位须与具备条件的社会力量公开、公平地参与竞争（温政办〔2014〕118号 三（二）），不享有优先。",
        )
    return _check(
        name,
        PASS,
        "该事业单位不属于文件特别鼓励的“提供特定公共服务的事业单位”，但仍可按一般条件参与竞争。",
        WZB_SUPPLIER,
    )


def _boolean_check(
    name: str,
    value: bool | None,
    *,
    fact: str,
    ctx: _Ctx,
    good: str,
    bad: str,
    clauses: tuple[str, ...],
) -> _Check:
    clauses = ctx.with_mof_102_conditions(clauses)
    if value is None:
        return _check(name, UNKNOWN, f"尚未确认：{good}", *clauses, missing=ctx.ask(fact))
    if value:
        return _check(name, PASS, good, *clauses)
    return _check(name, FAIL, bad, *clauses)


def cl_3_2_independent_civil_liability(facts: SupplierFacts, ctx: _Ctx) -> _Check:
    """wzb-2014-118#三（二） — 承接主体应具有独立承担民事责任的能力（另见 ref-gpl#第二十二条 第一项）。"""
    return _boolean_check(
        "cl_3_2_independent_civil_liability",
        facts.independent_civil_liability,
        fact="independent_civil_liability",
        ctx=ctx,
        good="承接方具有独立承担民事责任的能力。",
        bad="承接方不能独立承担民事责任（如无法人资格的内设机构），不符合三（二）和政府采购法第二十二条。",
        clauses=(WZB_SUPPLIER, GPL_22),
    )


def cl_3_2_facilities_staff_expertise(facts: SupplierFacts, ctx: _Ctx) -> _Check:
    """wzb-2014-118#三（二） — 具备提供服务所必需的设施、人员和专业技术的能力（另见 ref-gpl#第二十二条 第三项）。"""
    return _boolean_check(
        "cl_3_2_facilities_staff_expertise",
        facts.has_facilities_staff_expertise,
        fact="has_facilities_staff_expertise",
        ctx=ctx,
        good="承接方具备提供服务所必需的设施、人员和专业技术能力。",
        bad="承接方缺少提供服务所必需的设施、人员或专业技术能力。",
        clauses=(WZB_SUPPLIER, GPL_22),
    )


def cl_3_2_governance_finance_asset_systems(facts: SupplierFacts, ctx: _Ctx) -> _Check | None:
    """wzb-2014-118#三（二） — 具有健全的内部治理结构、财务会计和资产管理制度（政府采购法第二十二条第二项
    要求健全的财务会计制度）。自然人没有内部治理结构，本条不适用。"""
    if facts.supplier_type is SupplierType.NATURAL_PERSON:
        return None
    return _boolean_check(
        "cl_3_2_governance_finance_asset_systems",
        facts.has_governance_finance_asset_systems,
        fact="has_governance_finance_asset_systems",
        ctx=ctx,
        good="承接方具有健全的内部治理结构、财务会计和资产管理制度。",
        bad="承接方的内部治理结构、财务会计或资产管理制度不健全。",
        clauses=(WZB_SUPPLIER, GPL_22),
    )


def cl_3_2_good_reputation(facts: SupplierFacts, ctx: _Ctx) -> _Check:
    """wzb-2014-118#三（二） — 具有良好的社会和商业信誉（另见 ref-gpl#第二十二条 第二项）。"""
    return _boolean_check(
        "cl_3_2_good_reputation",
        facts.good_reputation,
        fact="good_reputation",
        ctx=ctx,
        good="承接方具有良好的社会和商业信誉。",
        bad="承接方的社会或商业信誉不良（如被列入失信名单）。",
        clauses=(WZB_SUPPLIER, GPL_22),
    )


def cl_3_2_tax_social_insurance_record(facts: SupplierFacts, ctx: _Ctx) -> _Check:
    """wzb-2014-118#三（二） — 具有依法缴纳税收和社会保险的良好记录（ref-gpl#第二十二条 第四项：依法缴纳税收和
    社会保障资金的良好记录）。"""
    return _boolean_check(
        "cl_3_2_tax_social_insurance_record",
        facts.tax_social_insurance_record_good,
        fact="tax_social_insurance_record_good",
        ctx=ctx,
        good="承接方有依法缴纳税收和社会保险的良好记录。",
        bad="承接方有欠缴税款或社会保险的记录，不符合“依法缴纳税收和社会保险的良好记录”的条件。",
        clauses=(WZB_SUPPLIER, GPL_22),
    )


def cl_3_2_other_registration_conditions(facts: SupplierFacts, ctx: _Ctx) -> _Check | None:
    """wzb-2014-118#三（二） — 符合登记管理部门依法认定的其他条件。自然人不经登记，本条不适用。"""
    if facts.supplier_type is SupplierType.NATURAL_PERSON:
        return None
    return _boolean_check(
        "cl_3_2_other_registration_conditions",
        facts.meets_other_registration_conditions,
        fact="meets_other_registration_conditions",
        ctx=ctx,
        good="承接方符合登记管理部门依法认定的其他条件。",
        bad="承接方不符合登记管理部门依法认定的其他条件（如年检不合格、被列入经营异常名录）。",
        clauses=(WZB_SUPPLIER,),
    )


@dataclass(frozen=True)
class _Severity:
    """Whether the stated record is a 重大违法记录 (实施条例第十九条第一款): ``major`` (``reason`` then says what
    the supplier underwent), ``minor`` or ``ask`` (``ask`` names the fact to ask)."""

    verdict: str
    reason: str
    ask: str | None = None
    classified: bool = True
    """The kind of penalty was weighed (the check then cites 第十九条 too)."""


def _severity(facts: SupplierFacts) -> _Severity:
    kind = facts.penalty_kind
    if kind is None and facts.fine_is_large is not None:
        kind = PenaltyKind.FINE
    if kind is None:
        return _Severity("major", "所述违法记录为重大违法记录", classified=False)
    if kind in MAJOR_PENALTIES:
        return _Severity("major", _PENALTY_WORDS[kind])
    if kind is PenaltyKind.WARNING:
        return _Severity(
            "minor",
            "所受处罚为警告（通报批评），不属于实施条例第十九条所列的刑事处罚或责令停产停业、吊销许可证或者执照、"
            "较大数额罚款等行政处罚，不构成重大违法记录",
        )
    if facts.fine_is_large:
        return _Severity("major", "被处以按处罚机关或当地标准属于“较大数额”的罚款")
    if kind is PenaltyKind.FINE:
        if facts.fine_is_large is False:
            return _Severity("minor", "所受罚款不属于“较大数额罚款”，按实施条例第十九条不构成重大违法记录")
        return _Severity(
            "ask",
            "所受罚款是否构成重大违法记录，要看它按作出处罚的机关或当地的标准是否属于“较大数额罚款”（实施条例第十九条），尚未说明",
            ask="fine_is_large",
        )
    if kind is PenaltyKind.UNSTATED:
        return _Severity(
            "ask",
            "所受处罚是否构成重大违法记录，要看它是不是刑事处罚或责令停产停业、吊销许可证或者执照、较大数额罚款等行政处罚"
            "（实施条例第十九条），尚未说明处罚种类",
            ask="penalty_kind",
        )
    assert_never(kind)  # type: ignore[arg-type]


def gpl_22_no_major_violation(facts: SupplierFacts, ctx: _Ctx) -> _Check:
    """ref-gpl#第二十二条 — 参加政府采购活动前三年内，在经营活动中没有重大违法记录。适用于政府购买服务，
    因为温政办〔2014〕118号 五（二） 规定政府购买服务纳入政府采购管理。回溯年数取自参数文件。何为重大违法记录
    按 ref-gpl-reg#第十九条 第一款：刑事处罚或者责令停产停业、吊销许可证或者执照、较大数额罚款等行政处罚——
    警告不构成；罚款（或未说明种类的处罚）在回溯期内时问明是否属于较大数额罚款，不直接判为不符合。"""
    name = "gpl_22_no_major_violation"
    base = ctx.with_mof_102_conditions((GPL_22, WZB_METHOD))
    window = f"{ctx.lookback:g}"
    severity = _severity(facts)
    clauses = (*base, REG_19) if severity.classified else base
    flag, years = facts.major_violation_last_3_years, facts.major_violation_years_ago
    if flag is False:
        return _check(name, PASS, f"承接方前{window}年内在经营活动中没有重大违法记录。", *base)
    if flag is None and years is not None and years > ctx.lookback:
        return _check(
            name, PASS, f"所述违法记录在约{round(years, 2):g}年前，已超出前{window}年的回溯期。", *base,
            note="请核对该违法记录的具体日期，确认确已超出回溯期。",
        )
    stated = flag is True or years is not None or facts.penalty_kind is not None or facts.fine_is_large is not None
    if stated and severity.verdict == "minor":
        return _check(name, PASS, f"{severity.reason}。", *clauses)
    asked = (severity.ask,) if severity.verdict == "ask" and severity.ask else ()
    if flag is None and years is not None and years < ctx.lookback:
        flag = True
    if flag is None:
        if years is not None:
            reason = f"所述违法记录恰在约{round(years, 2):g}年前，是否仍在前{window}年内需按具体日期确认。"
        elif facts.penalty_kind is not None:
            reason = f"尚未说明所受处罚是否在参加采购活动前{window}年内。"
        else:
            reason = f"尚未确认承接方前{window}年内有无重大违法记录。"
        if asked:
            reason += f"另外，{severity.reason}。"
        return _check(name, UNKNOWN, reason, *clauses, missing=ctx.ask("major_violation_last_3_years", *asked), decisive=stated)
    if severity.verdict == "ask":
        return _check(name, UNKNOWN, f"承接方前{window}年内受过处罚；{severity.reason}。", *clauses, missing=ctx.ask(*asked))
    if not severity.classified:
        return _check(
            name,
            FAIL,
            f"承接方在参加采购活动前{window}年内有重大违法记录，不符合政府采购法第二十二条。",
            *clauses,
            note="“重大违法记录”指因违法经营受到刑事处罚，或被责令停产停业、吊销许可证或执照、处以较大数额罚款等行政处罚"
            "（政府采购法实施条例第十九条）；警告或数额不大的罚款不构成，如属此类请更正。",
        )
    return _check(
        name,
        FAIL,
        f"承接方在参加采购活动前{window}年内{severity.reason}，属于政府采购法实施条例第十九条所列的重大违法记录，"
        "不符合政府采购法第二十二条。",
        *clauses,
    )


def reg_19_procurement_ban_expired(facts: SupplierFacts, ctx: _Ctx) -> _Check | None:
    """ref-gpl-reg#第十九条 — （第二款）供应商在参加政府采购活动前3年内因违法经营被禁止在一定期限内参加政府采购
    活动，期限届满的，可以参加政府采购活动。只在用户说承接方曾被禁止参加政府采购活动时适用，并代替重大违法记录的
    检查（禁止期满即可参加；期限未满不能参加）。"""
    if facts.banned_from_procurement is not True:
        return None
    name = "reg_19_procurement_ban_expired"
    clauses = ctx.with_mof_102_conditions((REG_19, GPL_22, WZB_METHOD))
    if facts.procurement_ban_expired:
        return _check(
            name,
            PASS,
            "承接方曾因违法经营被禁止参加政府采购活动，禁止期限已经届满；按政府采购法实施条例第十九条第二款，期限届满的可以参加政府采购活动。",
            *clauses,
            note="除这一禁止参加政府采购活动的处罚外，如另有刑事处罚或责令停产停业、吊销许可证或者执照、较大数额罚款等重大违法记录，"
            "仍按政府采购法第二十二条、实施条例第十九条第一款判断。",
        )
    if facts.procurement_ban_expired is False:
        return _check(
            name,
            FAIL,
            "承接方仍在被禁止参加政府采购活动的期限内；实施条例第十九条第二款只允许期限届满后再参加政府采购活动。",
            *clauses,
        )
    return _check(
        name,
        UNKNOWN,
        "承接方曾被禁止参加政府采购活动：期限届满的可以参加（实施条例第十九条第二款），尚未说明期限是否已满。",
        *clauses,
        missing=ctx.ask("procurement_ban_expired"),
    )


def reg_18_no_conflict_of_interest(facts: SupplierFacts, ctx: _Ctx) -> _Check | None:
    """ref-gpl-reg#第十八条 — 单位负责人为同一人或者存在直接控股、管理关系的不同供应商，不得参加同一合同项下的
    政府采购活动；除单一来源采购项目外，为采购项目提供整体设计、规范编制或者项目管理、监理、检测等服务的供应商，
    不得再参加该采购项目的其他采购活动。（只在用户说明这些情况时判断，从不追问。）"""
    name = "reg_18_no_conflict_of_interest"
    related, provided, single_source = facts.related_bidder_same_item, facts.provided_design_or_management, facts.single_source_project
    if related:
        return _check(
            name,
            FAIL,
            "承接方与参加同一合同项下采购活动的另一供应商单位负责人为同一人或存在直接控股、管理关系；"
            "按政府采购法实施条例第十八条第一款，这样的不同供应商不得参加同一合同项下的政府采购活动。",
            REG_18,
            WZB_METHOD,
            note="不同合同项下（如不同的采购包、标段）分别参加不受第十八条第一款限制；两家中只由一家参加同一合同项下的采购也可以。",
        )
    if provided and not single_source:
        return _check(
            name,
            FAIL,
            "承接方为该采购项目提供过整体设计、规范编制或者项目管理、监理、检测等服务；按政府采购法实施条例第十八条第二款，"
            "除单一来源采购项目外，不得再参加该项目的其他采购活动。",
            REG_18,
            WZB_METHOD,
            note="" if single_source is False else "如该项目采用单一来源方式采购，则不受第十八条第二款限制，请说明。",
        )
    if provided:
        return _check(
            name,
            PASS,
            "承接方为该项目提供过设计、规范编制或项目管理、监理、检测等服务，但该项目采用单一来源方式采购，"
            "属于实施条例第十八条第二款的例外，可以参加。",
            REG_18,
            WZB_METHOD,
        )
    if related is False:
        return _check(
            name,
            PASS,
            "承接方没有与单位负责人相同或存在直接控股、管理关系的供应商参加同一合同项下的采购活动（分别参加不同的采购包、标段不受限制），"
            "不属于实施条例第十八条第一款禁止的情形。",
            REG_18,
            WZB_METHOD,
        )
    if provided is False:
        return _check(
            name,
            PASS,
            "承接方没有为该采购项目提供整体设计、规范编制或者项目管理、监理、检测等服务，不受实施条例第十八条第二款限制。",
            REG_18,
            WZB_METHOD,
        )
    return None


# NOT CODED: wzb-2014-118#三（二） "承接主体的具体条件由购买主体会同财政部门根据服务项目的性质和质量要求确定" —
#   project-specific conditions are not known to the tool; surfaced as a note.
# NOT CODED: ref-gpl#第二十二条 第一款第六项 (other conditions set by law or administrative regulation) and
#   实施条例 第二十条 (discriminatory conditions) — they depend on the particular procurement; surfaced as a note.
#   实施条例 第十八条 is coded (reg_18_no_conflict_of_interest) but judged only on what the user states.


def _type_from_registration(facts: SupplierFacts) -> tuple[SupplierFacts, bool]:
    """wzb-2014-118#三（二） — 依法在民政部门登记成立或经国务院批准免于登记的，是社会组织: a supplier that only says
    where it is registered (我们是民政登记的) is of that kind. Registration with 市场监管 says nothing of the kind
    (企业, 其他经济组织, 个体工商户 all register there)."""
    if facts.supplier_type is None and facts.registered_with in (RegistrationAuthority.CIVIL_AFFAIRS, RegistrationAuthority.EXEMPT):
        return facts.model_copy(update={"supplier_type": SupplierType.SOCIAL_ORGANISATION}), True
    return facts, False


def _fine_size_from_amount(facts: SupplierFacts, *, on: date, parameters_dir: Path) -> tuple[SupplierFacts, str]:
    """ref-gpl-reg#第十九条 — 较大数额罚款 is a major violation. When the fine's amount is told and the standard in force
    on ``on`` is known (corpus/parameters/qualification/large_fine_threshold_yuan.yaml: 财库〔2022〕3号, 200万元以上), the
    amount decides whether it is 较大数额; a range across the standard (一百多万) or a date before it leaves it open.
    The user's own 较大数额 / 数额不大 is never overridden. Returns the facts and the note that says so."""
    if facts.fine_is_large is not None or facts.fine_amount_yuan is None:
        return facts, ""
    standard = parameters.constant(LARGE_FINE_PARAMETER, on=on, parameters_dir=parameters_dir)
    if standard is None:
        return facts, ""
    low = facts.fine_amount_yuan
    high = facts.fine_amount_upper_yuan if facts.fine_amount_upper_yuan is not None else low
    limit = float(standard.value)
    if low >= limit:
        large = True
    elif high < limit:
        large = False
    else:
        return facts, ""
    source = standard.references[0].title if standard.references else "财政部规定"
    flag = "" if standard.verified else "（未核实）"
    told = _yuan(low) if high == low else f"约{_yuan(low)}至{_yuan(high)}"
    verdict = "属于" if large else "不属于"
    note = (
        f"罚款{told}{verdict}“较大数额罚款”：按{source}，自{standard.effective_from}起“较大数额罚款”指{_yuan(limit)}以上的罚款{flag}；"
        "法律、行政法规或国务院有关部门对相关领域规定了更高标准的，从其规定。"
    )
    return facts.model_copy(update={"fine_is_large": large}), note


def decide(facts: SupplierFacts, *, on: date, context: RuleContext) -> Decision:
    """Does the supplier meet the 承接主体 requirements on date ``on``?

    :param facts: what is known about the supplier; ``None`` fields are treated as not stated.
    :param on: the date whose rules apply (selects the 2014 or the 102号令 type check).
    :param context: gives the dated parameters (102号令 date, 3-year look-back).
    :returns: a :class:`Decision` with outcome ``qualified``/``not_qualified``/``insufficient_info``.
    """
    switch = context.parameter(MOF_102_PARAMETER)
    lookback = parameters.constant(LOOKBACK_PARAMETER, on=on, parameters_dir=context.parameters_dir)
    if lookback is None:  # a date before 政府采购法 took effect: use its first value and say so below
        first = parameters.load_parameter(context.parameters_dir / f"{LOOKBACK_PARAMETER}.yaml")
        lookback_years = float(first.values[min(first.values)].value)
    else:
        lookback_years = lookback.value
    ctx = _Ctx(mof102=bool(switch.value_on(on)), lookback=lookback_years, questions=_questions(f"{lookback_years:g}"))
    in_force_from = switch.first_date_with(True)
    flag = "" if switch.verified else "（施行日期未核实）"

    facts, inferred_type = _type_from_registration(facts)
    facts, fine_note = _fine_size_from_amount(facts, on=on, parameters_dir=context.parameters_dir)
    type_check = mof102_6_supplier_type_allowed(facts, ctx) if ctx.mof102 else cl_3_2_supplier_type_listed(facts, ctx)
    checks = [
        type_check,
        cl_3_2_registered_with_proper_authority(facts, ctx),
        cl_3_2_public_institution_encouraged(facts, ctx),
        cl_3_2_independent_civil_liability(facts, ctx),
        cl_3_2_facilities_staff_expertise(facts, ctx),
        cl_3_2_governance_finance_asset_systems(facts, ctx),
        cl_3_2_good_reputation(facts, ctx),
        cl_3_2_tax_social_insurance_record(facts, ctx),
        cl_3_2_other_registration_conditions(facts, ctx),
        reg_19_procurement_ban_expired(facts, ctx) or gpl_22_no_major_violation(facts, ctx),
        reg_18_no_conflict_of_interest(facts, ctx),
    ]
    if ctx.mof102:
        dated = (
            f"按 {on} 判断：财政部令第102号自 {in_force_from}{flag} 起施行，承接主体类型按其第六条、第八条判断"
            "（取代温政办〔2014〕118号 三（二）的类型列举）；其余条件仍按三（二），并按102号令第七条适用政府采购法第二十二条。"
        )
    else:
        dated = f"按 {on} 判断：适用温政办〔2014〕118号 三（二）；财政部令第102号自 {in_force_from}{flag} 起才施行。"
    if switch.value_on(on) is None:
        dated += f" 所选日期早于本工具支持的最早日期 {switch.first_date()}，结论仅供参考。"
    notes = [dated]
    if fine_note:
        notes.append(fine_note)
    if inferred_type:
        notes.append(
            "承接方未说明类型：按其在民政部门登记（或经批准免于登记）视为社会组织（温政办〔2014〕118号 三（二））；如不是，请更正。"
        )
    if facts.supplier_type is SupplierType.PUBLIC_INSTITUTION and facts.provides_specific_public_service is None:
        notes.append("提供特定公共服务的事业单位受鼓励作为承接主体，但须与社会力量公开、公平竞争（温政办〔2014〕118号 三（二））。")
    notes.append(
        "本工具未判断：购买主体会同财政部门按项目确定的具体条件、法律法规规定的其他条件等，需结合具体项目审查；"
        "供应商之间的关联关系、为项目提供过设计或管理服务等情形（政府采购法实施条例第十八条）只在您说明时判断。"
    )
    return combine([c for c in checks if c is not None], notes=notes, said_unknown=frozenset(facts.said_unknown or ()))


CONFIRMATION_FACTS = frozenset(
    {
        "registered_with",
        "independent_civil_liability",
        "has_facilities_staff_expertise",
        "has_governance_finance_asset_systems",
        "good_reputation",
        "tax_social_insurance_record_good",
        "meets_other_registration_conditions",
        "major_violation_last_3_years",
    }
)
"""The general conditions of 三（二） and 政府采购法第二十二条 that every supplier proves with its documents in the
qualification review (实施条例第十七条: 营业执照、财务状况、纳税和社保记录、设备和专业技术能力、无重大违法记录的书面声明):
while one is unknown and nothing fails, the answer is ``qualified`` with that condition shown as open (？) and asked as a
confirmation — never ``not_qualified``, and never ``insufficient_info`` on its account. What decides is a failed
condition (a stated penalty, arrears, 公益一类, a conflict of interest) or an unknown that no document settles (which
kind of body the supplier is, whether a stated fine is 较大数额, how long ago it was)."""


def combine(checks: list[_Check], *, notes: list[str], said_unknown: frozenset[str] = frozenset()) -> Decision:
    """The combining rule: any fail → ``not_qualified``; else an unknown other than a confirmation
    (:data:`CONFIRMATION_FACTS`), or one the user said they do not know (``said_unknown``) → ``insufficient_info``; else ``qualified`` (with any open confirmation asked,
    and the answer saying the review must confirm it)."""
    statuses = [check.condition.status for check in checks]
    decisive_unknowns = [
        check for check in checks
        if check.condition.status is UNKNOWN
        and (
            check.decisive
            or any(m.fact in said_unknown for m in check.missing)
            or not (check.missing and all(m.fact in CONFIRMATION_FACTS for m in check.missing))
        )
    ]
    if FAIL in statuses:
        outcome = QualificationOutcome.NOT_QUALIFIED
    elif decisive_unknowns:
        outcome = QualificationOutcome.INSUFFICIENT_INFO
    else:
        outcome = QualificationOutcome.QUALIFIED
    # A failed condition settles the answer: nothing more is asked.
    missing = [] if outcome is QualificationOutcome.NOT_QUALIFIED else [
        fact for check in checks if check.condition.status is UNKNOWN for fact in check.missing
    ]
    check_notes = [check.note for check in checks if check.note]
    return Decision(
        tool=TOOL_NAME,
        outcome=outcome.value,
        conditions=tuple(check.condition for check in checks),
        missing=most_decisive(missing, QUESTION_ORDER),
        notes=tuple(dict.fromkeys(n for n in check_notes + notes if n)),
    )


TOOL = ToolSpec(
    name=TOOL_NAME,
    facts_model=SupplierFacts,
    decide=decide,
    outcomes=tuple(outcome.value for outcome in QualificationOutcome),
)
