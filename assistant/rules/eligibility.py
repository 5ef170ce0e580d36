"""Tool ``purchase_eligibility``: may this agency buy this service as 政府购买服务?

Instrument: 温州市人民政府办公室关于政府向社会力量购买服务的实施意见（温政办〔2014〕118号，
2014-09-23, corpus document ``wzb-2014-118``): 三（一） 购买主体, 四（一） 购买内容, 四（二） 购买目录,
六（二） 资金安排.

Dated addition: 政府购买服务管理办法（财政部令第102号, reference note ``ref-mof-102``; in force
from the date in ``corpus/parameters/eligibility/mof_102_in_force.yaml`` — 2020-03-01,
UNVERIFIED). From that date the ``mof102_*`` checks are listed *next to* the 2014 checks: the
2014 checks keep their own results, and the outcome is the conjunction of both. Where 102号令
is more restrictive (only 各级国家机关 buy; 公益性岗位, financing, the purchaser's own hiring and
labour dispatch are excluded) that shows as its own failed or open condition, citing its article.

Shape (Catala ``nsw_art_union`` / aotearoa ``ssa20_a…e``): one function per clause condition,
named ``cl_<article>_<paragraph>_<what>`` or ``mof102_<article>_<what>``, each returning a
:class:`_Check`; :func:`decide` combines them. Outcomes:

* ``no`` — some condition fails;
* ``need_info`` — no failure, but a key fact is missing (:data:`KEY_FACTS`: who buys, what is
  bought, whether it is a service at all; see ``Decision.missing``);
* ``conditional`` — no failure and no key fact missing, but the purchase depends on a secondary
  condition the user has not confirmed (budget, catalog listing or finance-department confirmation,
  duties and direct provision of an unlisted service, 群团 "may also", 102号令 status of the
  purchaser), listed in ``notes`` and ``missing``;
* ``yes`` — every condition passes.

An unknown is never a ``no``. At most three questions are asked at a time, ranked by
:data:`QUESTION_ORDER`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import assert_never

from pydantic import BaseModel, ConfigDict, Field

from assistant.catalog import Catalog, CatalogMatch
from assistant.models import Condition, ConditionStatus, Decision, MissingFact
from assistant.rules._context import RuleContext, ToolSpec, most_decisive

TOOL_NAME = "purchase_eligibility"
MOF_102_PARAMETER = "eligibility/mof_102_in_force"

WZB_PURCHASER = "wzb-2014-118#三（一）"
WZB_CONTENT = "wzb-2014-118#四（一）"
WZB_CATALOG = "wzb-2014-118#四（二）"
WZB_FUNDS = "wzb-2014-118#六（二）"
WZB_NO_DOUBLE_STAFFING = "wzb-2014-118#七（三）"
MOF_PURCHASER = "ref-mof-102#第五条"
MOF_EXCLUDED_UNITS = "ref-mof-102#第八条"
MOF_NEGATIVE_LIST = "ref-mof-102#第十条"

CITED_CLAUSES = (
    WZB_PURCHASER,
    WZB_CONTENT,
    WZB_CATALOG,
    WZB_FUNDS,
    WZB_NO_DOUBLE_STAFFING,
    MOF_PURCHASER,
    MOF_EXCLUDED_UNITS,
    MOF_NEGATIVE_LIST,
)
"""Every clause key a condition of this tool can cite (checked against the corpus by a test)."""


class PurchaserType(str, Enum):
    """Kind of body that wants to buy the service."""

    ADMIN_ORGAN = "行政机关"
    OTHER_STATE_ORGAN = "其他国家机关"
    """人大、法院、检察院、监察委员会：国家机关（102号令第五条），但不是2014年文本所列的行政机关。"""
    CIVIL_SERVANT_MANAGED_INSTITUTION = "参公事业单位"
    MASS_ORGANISATION = "群团组织"
    OTHER_PUBLIC_INSTITUTION = "其他事业单位"
    STATE_OWNED_ENTERPRISE = "国有企业"
    SOCIAL_ORGANISATION = "社会组织"
    OTHER = "其他"


class NegativeListItem(str, Enum):
    """Matters 财政部令第102号 第十条 excludes from purchase of services (beyond goods, works and duties)."""

    PUBLIC_WELFARE_POST = "公益性岗位"
    FINANCING = "融资"
    OWN_STAFFING = "自身用人或劳务派遣"
    INFRASTRUCTURE = "基础设施建设"


class MassOrgStaffing(str, Enum):
    """The staffing of a mass organisation (财政部令第102号 第八条 excludes the 事业编制 ones funded by the budget)."""

    INSTITUTION = "事业编制"
    ADMINISTRATIVE = "行政编制"


class EligibilityOutcome(str, Enum):
    YES = "yes"
    NO = "no"
    CONDITIONAL = "conditional"
    NEED_INFO = "need_info"


class EligibilityFacts(BaseModel):
    """What the rule needs to know. Every field is optional: ``None`` means "not stated"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    purchaser_type: PurchaserType | None = Field(
        default=None,
        description="购买方的机构类型：行政机关、参公事业单位（参照公务员法管理且具有行政管理职能的事业单位）、群团组织、其他事业单位、国有企业、社会组织或其他。",
    )
    funded_by_budget: bool | None = Field(default=None, description="购买方的经费是否由财政承担（财政拨款保障）。")
    service_description: str | None = Field(default=None, description="拟购买服务的描述，用于与指导目录匹配，例如“社区居家养老上门助餐”。")
    in_catalog: bool | None = Field(default=None, description="用户明确说明该服务是否列入指导目录；给出时优先于目录匹配。")
    government_should_provide_directly: bool | None = Field(
        default=None, description="该事项是否应当由政府直接提供或直接履职（如行政执法、审批）。"
    )
    within_government_duties: bool | None = Field(default=None, description="该服务是否属于政府（购买方）的职责范围。")
    is_goods_or_works: bool | None = Field(default=None, description="拟购买的是否为货物或工程（含工程与服务打包），而不是服务。")
    has_budget: bool | None = Field(default=None, description="该项目是否已安排预算资金。")
    negative_list_item: NegativeListItem | None = Field(
        default=None, description="是否属于102号令第十条负面清单中的具体事项：公益性岗位、融资、自身用人或劳务派遣、基础设施建设。"
    )
    mass_org_staffing: MassOrgStaffing | None = Field(
        default=None, description="（群团组织）使用事业编制还是行政编制；使用事业编制且由财政拨款保障的不作为购买主体（102号令第八条）。"
    )
    said_unknown: tuple[str, ...] | None = Field(
        default=None,
        description="用户明确表示不清楚的事实（不确定在不在我们区的目录里）：目录匹配只作提示，不代替用户所在地目录的确认。",
    )


QUESTIONS = {
    "purchaser_type": "贵单位属于哪一类机构？（行政机关／参照公务员法管理的事业单位／群团组织／其他事业单位／国有企业／社会组织）",
    "funded_by_budget": "贵单位的经费是否由财政承担（财政拨款保障）？",
    "service_description": "您打算购买的具体是什么服务？请简要描述服务内容。",
    "is_goods_or_works": "这次要买的是服务，还是货物（设备、物资）或工程（新建、改扩建、装修修缮）？",
    "within_government_duties": "这项服务是否属于贵单位（政府）的职责范围？",
    "government_should_provide_directly": "这项事务是否必须由政府直接履职（如行政执法、行政许可审批），还是适合交给社会力量承担？",
    "in_catalog": "该服务是否列入本地政府购买服务指导目录？不在目录内的，需要先向同级财政部门确认。",
    "finance_department_confirmed": "该事项不在指导目录内：是否已报同级财政部门审核确认？",
    "has_budget": "该项目是否已经安排预算（列入部门预算或经批准使用的专项经费）？",
    "mof102_purchaser_status": "按财政部令第102号，购买主体是各级国家机关：贵单位是否已向同级财政部门确认可以作为购买主体？",
    "mass_org_staffing": "贵组织使用的是行政编制还是事业编制？按财政部令第102号第八条，使用事业编制且由财政拨款保障的群团组织不作为购买主体。",
}
"""The question asked for each missing fact (keys are ``MissingFact.fact``)."""

KEY_FACTS: dict[str, str] = {
    "purchaser_type": WZB_PURCHASER,
    "service_description": WZB_CONTENT,
    "is_goods_or_works": WZB_CONTENT,
}
"""Facts without which there is no answer, with the clause that makes them so: who buys (三（一）: only the listed
purchasers), what is bought (四（一）) and whether it is a service at all (四（一）; 102号令第十条（三）). The negative
list (四（一）, 102号令第十条) is key too, but it is read from the description and fails when it applies; it is
never asked. Every other fact is secondary: while it is unknown the answer is ``conditional`` on it."""

PREREQUISITE_FACTS: frozenset[str] = frozenset()
"""Facts that would leave the answer ``yes`` while unknown (asked as a point to confirm). None today: a purchase
whose budget is not yet known (六（二）; 102号令第十四条: 列入目录并已安排预算) is ``conditional`` on it, as the
independent development questions label it (``evals/dev/decisions-2026-12-01.jsonl``)."""

QUESTION_ORDER = (
    "purchaser_type",
    "service_description",
    "is_goods_or_works",
    "in_catalog",
    "funded_by_budget",
    "has_budget",
    "government_should_provide_directly",
    "within_government_duties",
    "mass_org_staffing",
    "finance_department_confirmed",
    "mof102_purchaser_status",
)
"""Missing facts, the most decisive first: the key facts; then the catalog listing, one answer that settles three
checks (四（一）职责范围、直接提供, 四（二）目录); then the facts a “no” to which makes the answer ``no`` (三（一）经费,
六（二）预算, 四（一）, 102号令第八条); last the confirmations that only keep it ``conditional``."""

_FROM_DESCRIPTION = frozenset({"is_goods_or_works", "in_catalog", "within_government_duties", "government_should_provide_directly"})
"""Facts the service description settles (catalog match, phrase tables): not asked while the description is."""


def ask_first(missing: Iterable[MissingFact]) -> tuple[MissingFact, ...]:
    """The (at most three) questions to ask now, most decisive first (:data:`QUESTION_ORDER`); while the service
    itself is not described, the facts its description would settle wait for it."""
    missing = list(missing)
    if any(item.fact == "service_description" for item in missing):
        missing = [item for item in missing if item.fact not in _FROM_DESCRIPTION]
    return most_decisive(missing, QUESTION_ORDER)


@dataclass(frozen=True)
class _Check:
    """One evaluated condition plus what the combiner needs to know about it."""

    condition: Condition
    missing: tuple[MissingFact, ...] = ()
    conditional: bool = False
    """A passing check whose clause is permissive ("may also") makes the outcome ``conditional``."""
    note: str = ""

    @property
    def prerequisite(self) -> bool:
        """An unknown check that waits only for prerequisites (:data:`PREREQUISITE_FACTS`) leaves the answer ``yes``."""
        return bool(self.missing) and all(item.fact in PREREQUISITE_FACTS for item in self.missing)

    @property
    def deciding(self) -> bool:
        """An unknown check that waits for a key fact (:data:`KEY_FACTS`) makes the outcome ``need_info``;
        one that waits only for secondary facts makes it ``conditional``."""
        return any(item.fact in KEY_FACTS for item in self.missing)


def _check(name: str, status: ConditionStatus, reason: str, *clauses: str, **extra: object) -> _Check:
    return _Check(Condition(condition=name, status=status, reason=reason, clause_ids=clauses), **extra)  # type: ignore[arg-type]


def _ask(*facts: str) -> tuple[MissingFact, ...]:
    return tuple(MissingFact(fact=fact, question=QUESTIONS[fact]) for fact in facts)


PASS, FAIL, UNKNOWN = ConditionStatus.PASS, ConditionStatus.FAIL, ConditionStatus.UNKNOWN


@dataclass(frozen=True)
class _Derived:
    """Facts after filling blanks from the service description and the catalog."""

    facts: EligibilityFacts
    match: CatalogMatch | None
    goods_hint: str
    negative_hint: str
    names_a_service: bool = False
    """The description itself names a service (…服务) and no goods or works: 四（一） is met without asking."""


# ---------------------------------------------------------------------------------------------
# 温政办〔2014〕118号
# ---------------------------------------------------------------------------------------------


def cl_3_1_purchaser_type_listed(facts: EligibilityFacts, *, mof102: bool = False) -> _Check:
    """wzb-2014-118#三（一） — 购买主体是（经费由财政承担的）各级行政机关和参照公务员法管理、具有
    行政管理职能的事业单位；经费由财政负担的群团组织"也可以"根据实际需要通过购买服务提供公共服务。
    其他机构不在所列购买主体之内。"""
    name = "cl_3_1_purchaser_type_listed"
    kind = facts.purchaser_type
    if kind is None:
        return _check(name, UNKNOWN, "尚不清楚购买方属于哪类机构。", WZB_PURCHASER, missing=_ask("purchaser_type"))
    if kind in (PurchaserType.ADMIN_ORGAN, PurchaserType.CIVIL_SERVANT_MANAGED_INSTITUTION):
        return _check(name, PASS, f"{kind.value}属于温政办〔2014〕118号 三（一）所列的购买主体。", WZB_PURCHASER)
    if kind is PurchaserType.OTHER_STATE_ORGAN:
        if mof102:
            return _check(
                name,
                PASS,
                "人大、法院、检察院等国家机关不在温政办〔2014〕118号 三（一）所列的行政机关之内；现行财政部令第102号第五条"
                "以各级国家机关为购买主体，按上位规定可以作为购买主体。",
                WZB_PURCHASER,
                MOF_PURCHASER,
            )
        return _check(name, FAIL, f"{kind.value}不在温政办〔2014〕118号 三（一）所列购买主体（行政机关、参公事业单位、财政负担的群团组织）之内。", WZB_PURCHASER)
    if kind is PurchaserType.MASS_ORGANISATION:
        return _check(
            name,
            PASS,
            "群团组织不是基本的购买主体，但经费由财政负担的群团组织“也可以”根据实际需要通过购买服务方式提供公共服务。",
            WZB_PURCHASER,
            conditional=True,
            note="群团组织只在经费由财政负担时、根据实际需要“也可以”购买服务（温政办〔2014〕118号 三（一））。",
        )
    if kind in (
        PurchaserType.OTHER_PUBLIC_INSTITUTION,
        PurchaserType.STATE_OWNED_ENTERPRISE,
        PurchaserType.SOCIAL_ORGANISATION,
        PurchaserType.OTHER,
    ):
        return _check(
            name,
            FAIL,
            f"{kind.value}不在温政办〔2014〕118号 三（一）所列购买主体（行政机关、参公事业单位、财政负担的群团组织）之内。",
            WZB_PURCHASER,
        )
    assert_never(kind)


def cl_3_1_purchaser_funded_by_budget(facts: EligibilityFacts) -> _Check | None:
    """wzb-2014-118#三（一） — 行政机关须"经费由财政承担"，群团组织须"经费由财政负担"，才属于购买主体。
    （参公事业单位一句未另设经费条件；其他机构已不属于购买主体，本条不适用。）"""
    name = "cl_3_1_purchaser_funded_by_budget"
    if facts.purchaser_type not in (PurchaserType.ADMIN_ORGAN, PurchaserType.OTHER_STATE_ORGAN, PurchaserType.MASS_ORGANISATION):
        return None
    kind = facts.purchaser_type.value
    if facts.funded_by_budget is None and facts.purchaser_type is not PurchaserType.MASS_ORGANISATION:
        return _check(
            name,
            PASS,
            f"{kind}的经费由财政承担，属于三（一）所列购买主体（如贵单位经费并非由财政承担，请告知）。",
            WZB_PURCHASER,
        )
    if facts.funded_by_budget is None:
        return _check(
            name,
            UNKNOWN,
            f"{kind}须经费由财政承担才属于购买主体；尚未确认。",
            WZB_PURCHASER,
            missing=_ask("funded_by_budget"),
        )
    if facts.funded_by_budget:
        return _check(name, PASS, f"{kind}的经费由财政承担，符合三（一）。", WZB_PURCHASER)
    return _check(name, FAIL, f"三（一）要求{kind}的经费由财政承担，而贵单位的经费不由财政承担。", WZB_PURCHASER)


def cl_4_1_is_service_not_goods_or_works(derived: _Derived) -> _Check:
    """wzb-2014-118#四（一） — 购买内容是适合市场化方式提供、社会力量能够承担的公共服务及政府履职
    所需的辅助性服务：购买的必须是"服务"，货物和工程不在政府购买服务之列（按一般政府采购或招标投标办理）。"""
    name = "cl_4_1_is_service_not_goods_or_works"
    facts = derived.facts
    if facts.is_goods_or_works:
        hint = f"（描述中提到“{derived.goods_hint}”）" if derived.goods_hint else ""
        return _check(
            name,
            FAIL,
            f"拟购买的是货物或工程{hint}，不是服务，不能作为政府购买服务；应按政府采购货物、工程或招标投标的规定办理。",
            WZB_CONTENT,
        )
    if facts.is_goods_or_works is False:
        return _check(name, PASS, "拟购买的是服务，不是货物或工程。", WZB_CONTENT)
    if derived.match is not None or facts.in_catalog:
        return _check(name, PASS, "拟购买事项属于目录中的服务事项，不是货物或工程。", WZB_CONTENT)
    if derived.names_a_service:
        return _check(name, PASS, "所述事项本身是一项服务，描述中没有货物或工程。", WZB_CONTENT)
    return _check(name, UNKNOWN, "尚不清楚拟购买的是服务，还是货物或工程。", WZB_CONTENT, missing=_ask("is_goods_or_works"))


def cl_4_1_not_outside_government_duties(derived: _Derived) -> _Check:
    """wzb-2014-118#四（一） — 不属于政府职责范围的服务项目，政府不得向社会力量购买。"""
    name = "cl_4_1_not_outside_government_duties"
    facts = derived.facts
    if facts.within_government_duties is False:
        return _check(name, FAIL, "该服务不属于政府职责范围，按四（一）政府不得购买。", WZB_CONTENT)
    if facts.within_government_duties:
        return _check(name, PASS, "该服务属于政府职责范围。", WZB_CONTENT)
    if derived.match is not None or facts.in_catalog:
        return _check(name, PASS, "该事项列入（或匹配）购买服务目录，目录事项按其编制原则属于政府职责范围。", WZB_CONTENT, WZB_CATALOG)
    return _check(
        name, UNKNOWN, "该服务未匹配到目录，尚不清楚是否属于政府职责范围，须确认。", WZB_CONTENT, missing=_ask("within_government_duties")
    )


def cl_4_1_service_fits_market_provision(derived: _Derived) -> _Check:
    """wzb-2014-118#四（一） — 应当由政府直接提供、不适合社会力量承担的公共服务，政府不得向社会力量购买；
    可购买的是适合采取市场化方式提供、社会力量能够承担的服务。"""
    name = "cl_4_1_service_fits_market_provision"
    facts = derived.facts
    if facts.government_should_provide_directly:
        return _check(name, FAIL, "该事项应当由政府直接提供（直接履职），不适合交给社会力量承担，按四（一）不得购买。", WZB_CONTENT)
    if facts.government_should_provide_directly is False:
        return _check(name, PASS, "该事项适合由社会力量承担，不属于必须由政府直接提供的事项。", WZB_CONTENT)
    if derived.match is not None or facts.in_catalog:
        return _check(name, PASS, "该事项列入（或匹配）购买服务目录，目录事项按其编制原则适合社会力量承担。", WZB_CONTENT, WZB_CATALOG)
    return _check(
        name,
        UNKNOWN,
        "该服务未匹配到目录，尚不清楚是否必须由政府直接提供，须确认。",
        WZB_CONTENT,
        missing=_ask("government_should_provide_directly"),
    )


def cl_4_1_item_is_purchasable_content(derived: _Derived) -> _Check | None:
    """wzb-2014-118#四（一） — 教育、就业、……残疾人服务、公益性岗位等基本公共服务领域要逐步加大购买力度。
    对负面清单类事项按2014年文本判断：公益性岗位属于列举领域；基础设施建设属于工程；其余见下。
    （购买方自身用人、劳务派遣：2014年文本未列为禁止事项，但 七（三） 要求防止"一边购买服务、一边养人办事"。）"""
    name = "cl_4_1_item_is_purchasable_content"
    item = derived.facts.negative_list_item
    if item is None:
        return None
    if item is NegativeListItem.PUBLIC_WELFARE_POST:
        return _check(name, PASS, "温政办〔2014〕118号 四（一）把公益性岗位列为应逐步加大购买力度的基本公共服务领域。", WZB_CONTENT)
    if item is NegativeListItem.FINANCING:
        return _check(name, FAIL, "融资不是四（一）所列的公共服务或辅助性服务。", WZB_CONTENT)
    if item is NegativeListItem.INFRASTRUCTURE:
        return _check(name, FAIL, "基础设施建设属于工程，不是四（一）所列的服务。", WZB_CONTENT)
    if item is NegativeListItem.OWN_STAFFING:
        return _check(
            name,
            PASS,
            "2014年文本未把购买方自身用人或劳务派遣列为禁止事项，但七（三）要求防止“一边购买服务、一边养人办事”。",
            WZB_CONTENT,
            WZB_NO_DOUBLE_STAFFING,
            conditional=True,
            note="以购买服务方式解决本单位用人问题，须符合七（三）“财政供养人员只减不增”、防止“一边购买服务、一边养人办事”的要求。",
        )
    assert_never(item)


def cl_4_2_service_in_catalog(derived: _Derived, catalog: Catalog) -> _Check:
    """wzb-2014-118#四（二） — 由市财政局牵头制订全市政府购买服务指导目录，各地、各部门据此制订实施目录，
    明确购买服务的种类、性质和具体项目；购买主体根据指导目录提出拟购买的服务项目（六（一））。
    目录外事项须先向财政部门确认（目录可动态调整）。"""
    name = "cl_4_2_service_in_catalog"
    facts = derived.facts
    if facts.in_catalog:
        return _check(name, PASS, "您已确认该服务列入指导目录。", WZB_CATALOG)
    if facts.in_catalog is False:
        return _check(
            name,
            UNKNOWN,
            "该服务不在指导目录内：目录外事项需先报同级财政部门审核确认（目录可动态调整），确认后才能购买。",
            WZB_CATALOG,
            missing=_ask("finance_department_confirmed"),
        )
    if derived.match is not None:
        item = derived.match.item
        source = f"（目录：{catalog.source.name}）" if catalog.source else ""
        matched = f"与目录条目“{item.item}”（{item.code}，{' / '.join(item.category_path)}）匹配，匹配度{derived.match.score:.2f}{source}"
        if "in_catalog" in (facts.said_unknown or ()):
            return _check(
                name,
                UNKNOWN,
                f"{matched}；但您不确定是否列入本地指导目录：以同级财政部门发布的目录为准，目录外事项需先报财政部门审核确认。",
                WZB_CATALOG,
                missing=_ask("in_catalog"),
            )
        return _check(name, PASS, f"{matched}。", WZB_CATALOG)
    if not facts.service_description:
        return _check(name, UNKNOWN, "尚不清楚要购买什么服务，无法对照目录。", WZB_CATALOG, missing=_ask("service_description"))
    return _check(
        name,
        UNKNOWN,
        "该描述与目录中的任何条目都不足以匹配；本工具不作猜测，需确认是否列入目录（不在目录时需先向财政部门确认）。",
        WZB_CATALOG,
        missing=_ask("in_catalog"),
    )


def cl_6_2_has_budget(facts: EligibilityFacts) -> _Check:
    """wzb-2014-118#六（二） — 购买服务所需资金从部门预算安排的公用经费、项目经费或经批准使用的专项经费
    等既有预算中统筹安排；新增资金按预算管理要求列入财政预算。没有预算不能购买。"""
    name = "cl_6_2_has_budget"
    if facts.has_budget is None:
        return _check(
            name,
            UNKNOWN,
            "购买服务须先有预算；尚未确认是否已安排预算。",
            WZB_FUNDS,
            missing=_ask("has_budget"),
        )
    if facts.has_budget:
        return _check(name, PASS, "项目已安排预算资金。", WZB_FUNDS)
    return _check(name, FAIL, "项目尚未安排预算：须先在部门预算或经批准的专项经费中安排资金，才能购买。", WZB_FUNDS)


# ---------------------------------------------------------------------------------------------
# 财政部令第102号 (dated: from the date in corpus/parameters/eligibility/mof_102_in_force.yaml)
# ---------------------------------------------------------------------------------------------


def mof102_5_purchaser_is_state_organ(facts: EligibilityFacts) -> _Check | None:
    """ref-mof-102#第五条 — 购买主体是各级国家机关；ref-mof-102#第八条 — 公益一类事业单位、使用事业编制
    且由财政拨款保障的群团组织不作为购买主体。与2014年温州文本并列判断，不替代它。"""
    name = "mof102_5_purchaser_is_state_organ"
    kind = facts.purchaser_type
    if kind is None:
        return None
    if kind in (PurchaserType.ADMIN_ORGAN, PurchaserType.OTHER_STATE_ORGAN):
        return _check(name, PASS, f"{kind.value}属于国家机关，符合财政部令第102号第五条。", MOF_PURCHASER)
    if kind is PurchaserType.CIVIL_SERVANT_MANAGED_INSTITUTION:
        return _check(
            name,
            UNKNOWN,
            "财政部令第102号第五条规定购买主体为各级国家机关；参公事业单位不是国家机关，能否参照执行（未核实）需向财政部门确认。",
            MOF_PURCHASER,
            missing=_ask("mof102_purchaser_status"),
        )
    if kind is PurchaserType.MASS_ORGANISATION:
        return _mass_organisation_as_purchaser(facts)
    if kind is PurchaserType.OTHER_PUBLIC_INSTITUTION:
        return _check(
            name,
            FAIL,
            "财政部令第102号只把各级国家机关作为购买主体，事业单位不是国家机关；其中公益一类事业单位被第八条明确排除。",
            MOF_PURCHASER,
            MOF_EXCLUDED_UNITS,
        )
    if kind in (PurchaserType.STATE_OWNED_ENTERPRISE, PurchaserType.SOCIAL_ORGANISATION, PurchaserType.OTHER):
        return _check(name, FAIL, f"财政部令第102号第五条只把各级国家机关作为购买主体，{kind.value}不是国家机关。", MOF_PURCHASER)
    assert_never(kind)


def _mass_organisation_as_purchaser(facts: EligibilityFacts) -> _Check:
    """ref-mof-102#第八条 — 使用事业编制并由财政拨款保障的群团组织不作为购买主体。"""
    name = "mof102_5_purchaser_is_state_organ"
    staffing = facts.mass_org_staffing
    if staffing is MassOrgStaffing.INSTITUTION and facts.funded_by_budget:
        return _check(
            name,
            FAIL,
            "使用事业编制并由财政拨款保障的群团组织不作为购买主体（财政部令第102号第八条）；"
            "温政办〔2014〕118号 三（一）“经费由财政负担的群团组织也可以购买”的表述与之不一致，以施行在后、层级更高的102号令为准。",
            MOF_EXCLUDED_UNITS,
            MOF_PURCHASER,
        )
    if staffing is MassOrgStaffing.INSTITUTION:
        return _check(
            name,
            UNKNOWN,
            "使用事业编制的群团组织，如由财政拨款保障，不作为购买主体（财政部令第102号第八条）；需确认经费是否由财政拨款保障。",
            MOF_EXCLUDED_UNITS,
            missing=_ask("funded_by_budget"),
        )
    if staffing is MassOrgStaffing.ADMINISTRATIVE:
        return _check(
            name,
            UNKNOWN,
            "使用行政编制的群团组织不在财政部令第102号第八条排除之列，但它不是第五条所说的国家机关；能否作为购买主体（未核实）请向同级财政部门确认。",
            MOF_PURCHASER,
            MOF_EXCLUDED_UNITS,
            missing=_ask("mof102_purchaser_status"),
        )
    return _check(
        name,
        UNKNOWN,
        "财政部令第102号第八条：使用事业编制且由财政拨款保障的群团组织不作为购买主体；需确认贵组织的编制类型。",
        MOF_PURCHASER,
        MOF_EXCLUDED_UNITS,
        missing=_ask("mass_org_staffing"),
    )


def mof102_10_not_on_negative_list(derived: _Derived) -> _Check:
    """ref-mof-102#第十条 — 不得作为购买内容：（一）不属于政府职责范围的事项；（二）应当由政府直接履职的
    事项；（三）货物、工程及工程与服务打包的项目；（四）融资行为；（五）购买主体自身的人员招录、聘用、
    劳务派遣和设置公益性岗位；（六）法律法规和国务院规定的其他事项。"""
    name = "mof102_10_not_on_negative_list"
    facts = derived.facts
    hits = []
    if facts.within_government_duties is False:
        hits.append("不属于政府职责范围的事项（第一项）")
    if facts.government_should_provide_directly:
        hits.append("应当由政府直接履职的事项（第二项）")
    if facts.is_goods_or_works:
        hits.append("货物、工程或工程与服务打包的项目（第三项）")
    item = facts.negative_list_item
    if item is NegativeListItem.FINANCING:
        hits.append("融资行为（第四项）")
    elif item is NegativeListItem.INFRASTRUCTURE:
        if not facts.is_goods_or_works:
            hits.append("基础设施建设属于工程（第三项）")
    elif item is NegativeListItem.PUBLIC_WELFARE_POST:
        hits.append("设置公益性岗位（第五项）")
    elif item is NegativeListItem.OWN_STAFFING:
        hits.append("购买主体自身的人员招录、聘用或劳务派遣（第五项）")
    elif item is not None:
        assert_never(item)
    if hits:
        return _check(name, FAIL, "属于财政部令第102号第十条负面清单：" + "；".join(hits) + "。", MOF_NEGATIVE_LIST)
    return _check(
        name,
        PASS,
        "未发现属于财政部令第102号第十条负面清单的情形（职责范围、直接履职、货物工程三项见上方各项检查）。",
        MOF_NEGATIVE_LIST,
    )


# NOT CODED: ref-mof-102#第二十四条 — contract term (≤1 year; ≤3 years under conditions): the facts
#   carry no contract term; surfaced as a note instead.
# NOT CODED: wzb-2014-118#六（一） — approval routing (同级政府审批／常务会议／一事一议) decides *who*
#   approves, not *whether* the service may be bought; surfaced as a note.
# NOT CODED: 财预〔2017〕87号 (ban on financing / infrastructure under the name of purchase of
#   services, filing of out-of-catalog items) — not in the corpus; its effect is covered by the
#   goods/works check and, from the 102号令 date, by mof102_10_not_on_negative_list.


def derive(facts: EligibilityFacts, context: RuleContext) -> _Derived:
    """Fill blank facts that the service description settles, and match it to the catalog.

    Only ``is_goods_or_works`` and ``negative_list_item`` are derived, from what the context's reader says
    the description names (:meth:`RuleContext.read_description`); a stated fact is never overwritten.
    """
    description = facts.service_description or ""
    reading = context.read_description(description)
    updates: dict[str, object] = {}
    goods_hint = negative_hint = ""
    if facts.is_goods_or_works is None and reading.goods_or_works is not None:
        updates["is_goods_or_works"], goods_hint = True, reading.goods_or_works
    if facts.negative_list_item is None and reading.negative_list_item is not None:
        updates["negative_list_item"], negative_hint = NegativeListItem(reading.negative_list_item), reading.negative_list_words
    if updates.get("negative_list_item") is NegativeListItem.INFRASTRUCTURE and facts.is_goods_or_works is None:
        updates["is_goods_or_works"] = True
    match = context.catalog.match(description) if description.strip() else None
    names_a_service = facts.is_goods_or_works is None and "is_goods_or_works" not in updates and reading.names_a_service
    return _Derived(facts.model_copy(update=updates), match, goods_hint, negative_hint, names_a_service)


def _mof_102_in_force(on: date, context: RuleContext) -> tuple[bool, str]:
    parameter = context.parameter(MOF_102_PARAMETER)
    in_force_from = parameter.first_date_with(True)
    flag = "" if parameter.verified else "（施行日期未核实）"
    value = parameter.value_on(on)
    if value is None:
        return False, f"所选日期 {on} 早于本工具支持的最早日期 {parameter.first_date()}（温政办〔2014〕118号发布日），结论仅供参考。"
    if value:
        return True, (
            f"按 {on} 判断：现行规定以财政部令第102号《政府购买服务管理办法》（自 {in_force_from}{flag} 起施行）为准，"
            "其条件列在前面；温政办〔2014〕118号与之一致的条件继续适用，不一致之处以上位的102号令为准，建议向同级财政部门确认。"
        )
    return False, f"按 {on} 判断：只适用温政办〔2014〕118号；财政部令第102号自 {in_force_from}{flag} 起才施行，其限制未计入。"


def decide(facts: EligibilityFacts, *, on: date, context: RuleContext) -> Decision:
    """May the purchaser buy the described service as 政府购买服务 on date ``on``?

    :param facts: what is known; ``None`` fields are treated as not stated.
    :param on: the date whose rules apply (selects whether 财政部令第102号 is in force).
    :param context: the catalog to match ``service_description`` against, and the parameters.
    :returns: a :class:`Decision` with outcome ``yes``/``no``/``conditional``/``need_info``.
    """
    mof102, dated_note = _mof_102_in_force(on, context)
    derived = derive(facts, context)
    local: list[_Check | None] = [
        cl_3_1_purchaser_type_listed(derived.facts, mof102=mof102),
        cl_3_1_purchaser_funded_by_budget(derived.facts),
        cl_4_1_is_service_not_goods_or_works(derived),
        cl_4_1_not_outside_government_duties(derived),
        cl_4_1_service_fits_market_provision(derived),
        cl_4_1_item_is_purchasable_content(derived),
        cl_4_2_service_in_catalog(derived, context.catalog),
        cl_6_2_has_budget(derived.facts),
    ]
    current: list[_Check | None] = []
    if mof102:
        current = [mof102_5_purchaser_is_state_organ(derived.facts), mof102_10_not_on_negative_list(derived)]
    checks, superseded = current_rule_first([c for c in current if c is not None], [c for c in local if c is not None])
    notes = [*superseded, dated_note]
    if derived.match is not None and facts.in_catalog is None:
        notes.append(
            f"目录匹配结果：“{derived.match.item.item}”（{derived.match.item.code}；来源：{derived.match.item.source}）。"
            "请以财政部门发布的指导目录为准。"
        )
    notes += [
        "本工具未判断：合同期限（财政部令第102号第二十四条：一般不超过1年，符合条件的可至3年）与项目审批程序（温政办〔2014〕118号 六（一））需另行把握。",
    ]
    return combine(checks, notes=notes)


SUPERSEDED_BY = {
    "cl_3_1_purchaser_type_listed": ("mof102_5_purchaser_is_state_organ", "财政部令第102号第五条"),
    "cl_4_1_item_is_purchasable_content": ("mof102_10_not_on_negative_list", "财政部令第102号第十条"),
}
"""A 2014 local check and the 102号令 check that decides the same matter today (ref-mof-102#第五条 replaced the list
of purchasers of wzb-2014-118#三（一）; 第十条's negative list replaced 四（一）'s reading of 公益性岗位 and staffing)."""

_STATUS_WORDS = {PASS: "符合", FAIL: "不符合", UNKNOWN: "尚不确定"}


def current_rule_first(current: list[_Check], local: list[_Check]) -> tuple[list[_Check], list[str]]:
    """The conditions of today's rule first, then the 2014 ones; a 2014 check that the governing check of
    :data:`SUPERSEDED_BY` decides differently is no condition any more but a note with its status (what the 2014
    text said, and that the current rule prevails). Where both agree the local check stays, after the current one."""
    decided = {check.condition.condition: check for check in current}
    kept, notes = [], []
    for check in local:
        governing = SUPERSEDED_BY.get(check.condition.condition)
        rule = decided.get(governing[0]) if governing else None
        if rule is not None and rule.condition.status is not check.condition.status:
            notes.append(
                f"2014年本地规定（{_status_word(check)}）：{check.condition.reason.rstrip('。')}。"
                f"与上位规定不一致之处已不适用，现以{governing[1]}为准（{_status_word(rule)}）。"
            )
            continue
        kept.append(check)
    return [*current, *kept], notes


def _status_word(check: _Check) -> str:
    return _STATUS_WORDS.get(check.condition.status, "")


def combine(checks: list[_Check], *, notes: list[str]) -> Decision:
    """The combining rule: any fail → ``no`` (an unknown never is); an unknown waiting for a key fact →
    ``need_info``; an unknown waiting only for secondary facts (other than prerequisites such as 已安排预算),
    or a permissive pass → ``conditional``; otherwise ``yes`` (with any unknown prerequisite asked)."""
    statuses = [check.condition.status for check in checks]
    if FAIL in statuses:
        outcome = EligibilityOutcome.NO
    elif any(check.condition.status is UNKNOWN and check.deciding for check in checks):
        outcome = EligibilityOutcome.NEED_INFO
    elif any(check.condition.status is UNKNOWN and not check.prerequisite for check in checks) or any(
        check.conditional for check in checks
    ):
        outcome = EligibilityOutcome.CONDITIONAL
    else:
        outcome = EligibilityOutcome.YES
    # A failed condition settles the answer: nothing more is asked.
    missing = [] if outcome is EligibilityOutcome.NO else [fact for check in checks if check.condition.status is UNKNOWN for fact in check.missing]
    all_notes = [check.note for check in checks if check.note and check.condition.status is not FAIL] + notes
    return Decision(
        tool=TOOL_NAME,
        outcome=outcome.value,
        conditions=tuple(check.condition for check in checks),
        missing=ask_first(missing),
        notes=tuple(dict.fromkeys(n for n in all_notes if n)),
    )


TOOL = ToolSpec(
    name=TOOL_NAME,
    facts_model=EligibilityFacts,
    decide=decide,
    outcomes=tuple(outcome.value for outcome in EligibilityOutcome),
)
