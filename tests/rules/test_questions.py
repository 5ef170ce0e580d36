"""What the rule tools ask, and when they answer without asking.

* 采购方式: a circumstance of 政府采购法第二十九—三十二条 (or 财库〔2014〕214号第三条) names the methods by itself;
  the amount then only changes the approvals (实施条例第二十三条) and whether it is government procurement at all
  (温政办〔2014〕118号 五（二））, so it is asked as a secondary question, never a blocker.
* An approximate amount is decided normally when both bounds lie on the same side of every threshold; across a
  threshold the tool states the outcome on each side and asks for the exact amount.
* 购买主体 / 承接主体: an unknown is never a "no"; only key facts make the answer need_info.
* Every tool asks at most three questions at a time, the most decisive first.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.models import ConditionStatus, MissingFact
from assistant.nlu.facts import extract
from assistant.rules import TOOLS, eligibility, qualification
from assistant.rules._context import MAX_QUESTIONS, most_decisive
from assistant.rules.procurement import Level, MethodOutcome, ProcurementFacts, decide

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
CONTEXT = SimpleNamespace(parameters_dir=ROOT / "corpus" / "parameters")
TODAY = date(2026, 11, 29)
WAN = 10_000
QUOTA, OPEN_TENDER = 100 * WAN, 400 * WAN  # 浙江省 2023年版 (unverified), as in corpus/parameters/thresholds


def _method(**facts) -> object:
    return decide(ProcurementFacts(**facts), on=TODAY, context=CONTEXT)


# --------------------------------------------------------------------------------------------------
# 采购方式: the circumstance alone decides


CIRCUMSTANCES = [
    ("only_one_supplier", "单一来源"),
    ("unforeseeable_emergency", "单一来源"),
    ("additional_purchase_for_consistency", "单一来源"),
    ("tender_failed", "竞争性谈判"),
    ("specs_cannot_be_fixed", "竞争性谈判"),
    ("urgent_need_not_caused_by_purchaser", "竞争性谈判"),
    ("price_cannot_be_calculated_in_advance", "竞争性谈判"),
    ("specs_cannot_be_fixed", "竞争性磋商"),
    ("price_cannot_be_calculated_in_advance", "竞争性磋商"),
    ("limited_supplier_range", "邀请招标"),
    ("open_tender_cost_disproportionate", "邀请招标"),
]


@pytest.mark.parametrize(("circumstance", "method"), CIRCUMSTANCES)
def test_a_stated_circumstance_names_its_method_without_an_amount(circumstance: str, method: str) -> None:
    decision = _method(**{circumstance: True})
    assert decision.outcome == MethodOutcome.METHODS_AVAILABLE.value
    assert method in decision.methods
    assert decision.missing[0].fact == "amount_yuan"  # asked, but as a secondary fact
    assert len(decision.missing) <= MAX_QUESTIONS
    notes = "\n".join(decision.notes)
    assert "不取决于金额" in notes
    assert "设区的市级以上人民政府财政部门批准" in notes  # what the amount would change at or above the standard
    assert "自行组织采购" in notes  # and below the quota outside the catalog
    statuses = {c.condition: c.status for c in decision.conditions}
    assert statuses["gpl_27_below_open_tender_standard"] is ConditionStatus.UNKNOWN
    assert "ref-gpl-reg#第二十三条" in decision.clause_ids


@pytest.mark.parametrize(("circumstance", "method"), CIRCUMSTANCES)
def test_the_same_circumstance_with_an_amount_below_the_standard_gives_the_same_methods(circumstance: str, method: str) -> None:
    """Without the amount the tool lists what a government procurement below the open-tender standard may use."""
    without = _method(**{circumstance: True})
    with_amount = _method(**{circumstance: True}, amount_yuan=200 * WAN, original_contract_amount_yuan=2000 * WAN, in_centralized_catalog=False)
    assert without.methods == with_amount.methods


def test_without_a_circumstance_the_amount_is_still_asked_first_with_the_answer_in_each_band() -> None:
    decision = _method(requested_method="竞争性磋商")
    assert decision.outcome == "depends_on_facts"
    assert [m.fact for m in decision.missing] == ["amount_yuan", "in_centralized_catalog"]
    assert [(case.outcome, case.methods) for case in decision.cases] == [
        ("self_organized", ("自行组织采购",)),
        ("methods_available", ("公开招标", "竞争性磋商")),
        ("open_tender_required", ("公开招标",)),
    ]
    assert decision.cases[0].when == "预算低于分散采购限额标准（100万元，未核实）且不在集中采购目录内"


def test_purchase_of_services_alone_is_no_circumstance() -> None:
    """竞争性磋商 for any purchase of services (214号 第三条（一）) does not make the amount unnecessary: the answer
    depends on it, and no method that needs a circumstance is offered."""
    decision = _method()
    assert decision.outcome == "depends_on_facts" and decision.missing[0].fact == "amount_yuan"
    assert not {"单一来源", "竞争性谈判", "邀请招标"} & set(decision.methods)


def test_asking_for_the_method_named_by_the_circumstance_is_answered_yes_with_the_approval_caveat() -> None:
    decision = _method(only_one_supplier=True, requested_method="单一来源")
    requested = next(c for c in decision.conditions if c.condition == "requested_method")
    assert requested.status is ConditionStatus.PASS
    assert "公开招标数额标准" in requested.reason and "批准" in requested.reason


# --------------------------------------------------------------------------------------------------
# 采购方式: what the user says of the amount without a figure


def test_outside_the_catalog_and_below_the_quota_is_self_organised_without_asking_the_amount() -> None:
    decision = _method(in_centralized_catalog=False, below_quota=True)
    assert decision.outcome == "self_organized" and decision.methods == ("自行组织采购",)
    assert decision.missing == ()
    assert "wzb-2014-118#五（二）" in decision.clause_ids


def test_at_or_above_the_open_tender_standard_without_an_amount() -> None:
    assert _method(at_or_above_open_tender=True, in_centralized_catalog=False).outcome == "open_tender_required"
    grounds = _method(at_or_above_open_tender=True, in_centralized_catalog=False, tender_failed=True)
    assert grounds.outcome == "approval_required" and grounds.methods == ("竞争性谈判",)
    assert any("仍可依法采用公开招标" in note for note in grounds.notes)


def test_a_verified_figure_wins_over_what_was_said_of_the_quota() -> None:
    decision = _method(amount_yuan=150 * WAN, below_quota=True, in_centralized_catalog=False, level="中央")
    assert decision.outcome == "methods_available"


def test_what_was_said_of_the_quota_wins_over_an_unverified_figure_and_the_answer_says_so() -> None:
    """The standards are the province's (政府采购法第八条); the stored Zhejiang figures are not verified."""
    decision = _method(amount_yuan=200 * WAN, below_quota=True, in_centralized_catalog=False)
    assert decision.outcome == "self_organized"
    assert any("与您的说明不一致" in note for note in decision.notes)


# --------------------------------------------------------------------------------------------------
# 采购方式: approximate amounts


def _outcome_at(amount: float, **facts) -> tuple:
    decision = _method(amount_yuan=amount, **facts)
    return decision.outcome, decision.methods, decision.organizer


@settings(max_examples=200, deadline=None)
@given(
    low=st.integers(min_value=0, max_value=800).map(lambda n: n * WAN),
    width=st.integers(min_value=1, max_value=500).map(lambda n: n * WAN),
    catalog=st.one_of(st.none(), st.booleans()),
    level=st.one_of(st.none(), st.sampled_from([Level.市级, Level.县级, Level.中央])),
    only_one_supplier=st.one_of(st.none(), st.booleans()),
)
def test_an_approximate_amount_is_decided_when_its_ends_agree_and_asked_when_they_do_not(low, width, catalog, level, only_one_supplier):
    facts = {"in_centralized_catalog": catalog, "level": level, "only_one_supplier": only_one_supplier}
    high = low + width
    decision = _method(amount_yuan=low, amount_upper_yuan=high, **facts)
    ends = {_outcome_at(low, **facts), _outcome_at(high, **facts)}
    if len(ends) == 1:
        assert (decision.outcome, decision.methods, decision.organizer) in ends
    else:
        assert decision.outcome == "depends_on_facts" and len(decision.cases) >= 2
        assert decision.missing[0].fact == "amount_yuan" and "准确的预算金额" in decision.missing[0].question
        assert any("结论取决于准确金额" in note for note in decision.notes)
    assert len(decision.missing) <= MAX_QUESTIONS


def test_an_approximate_amount_across_the_quota_explains_both_sides() -> None:
    decision = _method(amount_yuan=80 * WAN, amount_upper_yuan=120 * WAN, in_centralized_catalog=False)
    assert decision.outcome == "depends_on_facts"
    assert [(case.when, case.outcome, case.methods) for case in decision.cases] == [
        ("预算不足100万元", "self_organized", ("自行组织采购",)),
        ("预算达到100万元", "methods_available", ("公开招标", "竞争性磋商")),
    ]
    assert "80万元至120万元" in decision.missing[0].question


def test_an_approximate_amount_within_one_band_quotes_the_range() -> None:
    decision = _method(amount_yuan=80 * WAN, amount_upper_yuan=90 * WAN, in_centralized_catalog=False)
    assert decision.outcome == "self_organized"
    assert any("预算约80万元至90万元" in c.reason for c in decision.conditions)


# --------------------------------------------------------------------------------------------------
# At most three questions, the most decisive first


def test_most_decisive_ranks_dedups_and_caps() -> None:
    asked = [MissingFact(fact=name, question=f"{name}？") for name in ("c", "a", "x", "b", "a", "y")]
    assert [m.fact for m in most_decisive(asked, ("a", "b", "c"))] == ["a", "b", "c"]
    assert [m.fact for m in most_decisive(asked, ("b",), limit=4)] == ["b", "c", "a", "x"]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({}, ["amount_yuan", "in_centralized_catalog"]),
        ({"additional_purchase_for_consistency": True}, ["amount_yuan", "original_contract_amount_yuan", "in_centralized_catalog"]),
        ({"amount_yuan": 80 * WAN, "amount_upper_yuan": 120 * WAN}, ["amount_yuan", "in_centralized_catalog"]),
        ({"amount_yuan": 80 * WAN}, ["in_centralized_catalog"]),
    ],
)
def test_method_questions_are_ordered_by_how_much_they_change_the_outcome(facts: dict, expected: list[str]) -> None:
    assert [m.fact for m in _method(**facts).missing] == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({}, ["purchaser_type", "service_description", "has_budget"]),
        ({"purchaser_type": "行政机关"}, ["service_description", "has_budget"]),
        (
            {"purchaser_type": "行政机关", "service_description": "信息系统运维服务"},
            ["in_catalog", "has_budget", "government_should_provide_directly"],
        ),
        (
            {"purchaser_type": "行政机关", "funded_by_budget": True, "has_budget": True, "service_description": "给本单位职工组织旅游"},
            ["is_goods_or_works", "in_catalog", "government_should_provide_directly"],
        ),
        ({"purchaser_type": "群团组织", "service_description": "家庭教育指导服务"}, ["funded_by_budget", "has_budget", "mass_org_staffing"]),
    ],
)
def test_eligibility_questions_come_most_decisive_first(facts: dict, expected: list[str], context) -> None:
    decision = eligibility.decide(eligibility.EligibilityFacts(**facts), on=TODAY, context=context)
    assert [m.fact for m in decision.missing] == expected


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({}, ["supplier_type", "major_violation_last_3_years", "tax_social_insurance_record_good"]),
        ({"supplier_type": "事业单位"}, ["is_public_welfare_class_one", "major_violation_last_3_years", "tax_social_insurance_record_good"]),
        ({"supplier_type": "社会组织"}, ["registered_with", "major_violation_last_3_years", "tax_social_insurance_record_good"]),
    ],
)
def test_qualification_questions_come_most_decisive_first(facts: dict, expected: list[str], context) -> None:
    decision = qualification.decide(qualification.SupplierFacts(**facts), on=TODAY, context=context)
    assert [m.fact for m in decision.missing] == expected


def test_every_question_ranking_names_only_facts_the_tool_asks_about() -> None:
    assert set(eligibility.QUESTION_ORDER) == set(eligibility.QUESTIONS)
    assert set(eligibility.KEY_FACTS) <= set(eligibility.QUESTION_ORDER)
    assert set(qualification.QUESTION_ORDER) == set(qualification._questions("3"))


# --------------------------------------------------------------------------------------------------
# 购买主体: key and secondary facts; never "no" on unknowns


def test_an_agency_naming_an_obvious_service_with_a_budget_is_not_asked_five_questions(context) -> None:
    """The agency, the service and its budget are stated; the catalog listing is not: conditional, ≤3 questions."""
    spec = TOOLS["purchase_eligibility"]
    for text in (
        "我们是区民政局，想买社区养老上门服务，有预算，能买吗？",
        "市大数据局想买信息系统运维服务，有预算，可以吗？",
    ):
        decision = spec.decide(extract(spec.name, text), on=TODAY, context=context)
        assert decision.outcome in ("yes", "conditional"), text
        assert len(decision.missing) <= MAX_QUESTIONS


def test_key_facts_come_from_the_purchaser_and_content_clauses() -> None:
    assert eligibility.KEY_FACTS == {
        "purchaser_type": eligibility.WZB_PURCHASER,
        "service_description": eligibility.WZB_CONTENT,
        "is_goods_or_works": eligibility.WZB_CONTENT,
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    purchaser=st.sampled_from([eligibility.PurchaserType.ADMIN_ORGAN, eligibility.PurchaserType.CIVIL_SERVANT_MANAGED_INSTITUTION]),
    description=st.sampled_from(["社区居家养老上门助餐服务", "信息系统运维服务", "常年法律顾问服务", "道路保洁服务"]),
    funded=st.one_of(st.none(), st.just(True)),
    budget=st.one_of(st.none(), st.just(True)),
    in_catalog=st.one_of(st.none(), st.booleans()),
)
def test_with_the_key_facts_clear_only_secondary_facts_remain(purchaser, description, funded, budget, in_catalog, context) -> None:
    facts = eligibility.EligibilityFacts(
        purchaser_type=purchaser, service_description=description, funded_by_budget=funded, has_budget=budget, in_catalog=in_catalog
    )
    decision = eligibility.decide(facts, on=TODAY, context=context)
    assert decision.outcome in ("yes", "conditional")
    assert not set(eligibility.KEY_FACTS) & {m.fact for m in decision.missing}


def test_a_registered_supplier_with_a_clean_record_is_qualified_with_confirmations_asked(context) -> None:
    decision = qualification.decide(
        qualification.SupplierFacts(
            supplier_type="社会组织",
            registered_with="民政部门",
            has_facilities_staff_expertise=True,
            has_governance_finance_asset_systems=True,
            tax_social_insurance_record_good=True,
            major_violation_last_3_years=False,
        ),
        on=TODAY,
        context=context,
    )
    assert decision.outcome == "qualified"
    assert {m.fact for m in decision.missing} <= qualification.CONFIRMATION_FACTS


def test_an_unregistered_group_of_unknown_type_is_not_qualified(context) -> None:
    decision = qualification.decide(qualification.SupplierFacts(registered_with="未登记"), on=TODAY, context=context)
    assert decision.outcome == "not_qualified"
    assert "cl_3_2_registered_with_proper_authority" in {c.condition for c in decision.conditions if c.status.value == "fail"}
