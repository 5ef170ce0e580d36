"""Property tests of the eligibility and qualification tools: any input, a consistent Decision."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.models import ConditionStatus, Decision
from assistant.nlu.facts import extract
from assistant.rules import eligibility, qualification
from assistant.rules.eligibility import EligibilityFacts, NegativeListItem, PurchaserType
from assistant.rules.qualification import PenaltyKind, RegistrationAuthority, SupplierFacts, SupplierType

pytestmark = pytest.mark.unit

PASS, FAIL, UNKNOWN = ConditionStatus.PASS, ConditionStatus.FAIL, ConditionStatus.UNKNOWN
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

dates = st.dates(min_value=date(2010, 1, 1), max_value=date(2035, 12, 31))
maybe_bool = st.one_of(st.none(), st.booleans())
descriptions = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from(["社区居家养老上门助餐", "办公电脑采购", "设置公益性岗位", "融资", "劳务派遣", "会议服务", "乡村道路基础设施建设", "", "   "]),
)

eligibility_facts = st.builds(
    EligibilityFacts,
    purchaser_type=st.one_of(st.none(), st.sampled_from(PurchaserType)),
    funded_by_budget=maybe_bool,
    service_description=descriptions,
    in_catalog=maybe_bool,
    government_should_provide_directly=maybe_bool,
    within_government_duties=maybe_bool,
    is_goods_or_works=maybe_bool,
    has_budget=maybe_bool,
    negative_list_item=st.one_of(st.none(), st.sampled_from(NegativeListItem)),
)

supplier_facts = st.builds(
    SupplierFacts,
    supplier_type=st.one_of(st.none(), st.sampled_from(SupplierType)),
    registered_with=st.one_of(st.none(), st.sampled_from(RegistrationAuthority)),
    provides_specific_public_service=maybe_bool,
    is_public_welfare_class_one=maybe_bool,
    independent_civil_liability=maybe_bool,
    has_facilities_staff_expertise=maybe_bool,
    has_governance_finance_asset_systems=maybe_bool,
    good_reputation=maybe_bool,
    tax_social_insurance_record_good=maybe_bool,
    meets_other_registration_conditions=maybe_bool,
    major_violation_last_3_years=maybe_bool,
    major_violation_years_ago=st.one_of(st.none(), st.floats(min_value=0, max_value=50, allow_nan=False)),
    penalty_kind=st.one_of(st.none(), st.sampled_from(PenaltyKind)),
    fine_is_large=maybe_bool,
    banned_from_procurement=maybe_bool,
    procurement_ban_expired=maybe_bool,
    related_bidder_same_item=maybe_bool,
    provided_design_or_management=maybe_bool,
    single_source_project=maybe_bool,
)


def _statuses(decision: Decision) -> list[ConditionStatus]:
    return [condition.status for condition in decision.conditions]


def _check_common(decision: Decision, cited: tuple[str, ...]) -> None:
    assert decision.conditions, "a decision without conditions explains nothing"
    for condition in decision.conditions:
        assert condition.clause_ids, f"{condition.condition} cites no clause"
        assert set(condition.clause_ids) <= set(cited), f"{condition.condition} cites an undeclared clause"
        assert condition.reason.strip()
    unknown = UNKNOWN in _statuses(decision)
    if decision.outcome in ("no", "not_qualified"):
        assert not decision.missing, "a failed condition settles the answer: nothing more is asked"
    else:
        assert bool(decision.missing) == unknown, "missing facts exactly when some condition is unknown"
    assert len({m.fact for m in decision.missing}) == len(decision.missing), "each missing fact asked once"
    assert len(decision.missing) <= 3, "at most three questions at a time"
    assert all("？" in m.question for m in decision.missing), "questions are questions"
    assert decision.notes, "every decision states which instrument and date it applied"


@SETTINGS
@given(facts=eligibility_facts, on=dates)
def test_eligibility_never_crashes_and_is_consistent(facts: EligibilityFacts, on: date, context) -> None:
    decision = eligibility.decide(facts, on=on, context=context)
    assert decision.tool == "purchase_eligibility"
    assert decision.outcome in eligibility.TOOL.outcomes
    _check_common(decision, eligibility.CITED_CLAUSES)
    statuses = _statuses(decision)
    if decision.outcome == "no":
        assert FAIL in statuses
    else:
        assert FAIL not in statuses
    if decision.outcome == "yes":  # every check passes, except prerequisites still to confirm (已安排预算)
        assert {m.fact for m in decision.missing} <= eligibility.PREREQUISITE_FACTS
        assert all(c.status is PASS or c.condition == "cl_6_2_has_budget" for c in decision.conditions)
    if decision.outcome == "need_info":
        assert UNKNOWN in statuses and decision.missing
    if decision.outcome == "conditional":
        assert UNKNOWN in statuses or len(decision.notes) > 1


@SETTINGS
@given(facts=supplier_facts, on=dates)
def test_qualification_never_crashes_and_is_consistent(facts: SupplierFacts, on: date, context) -> None:
    decision = qualification.decide(facts, on=on, context=context)
    assert decision.tool == "supplier_qualification"
    assert decision.outcome in qualification.TOOL.outcomes
    _check_common(decision, qualification.CITED_CLAUSES)
    statuses = _statuses(decision)
    violation_stated = (
        facts.major_violation_last_3_years is True
        or facts.major_violation_years_ago is not None
        or facts.penalty_kind is not None
        or facts.fine_is_large is not None
    )
    confirmations = {  # general conditions every supplier proves with its documents in the review
        "cl_3_2_registered_with_proper_authority",
        "cl_3_2_independent_civil_liability",
        "cl_3_2_facilities_staff_expertise",
        "cl_3_2_governance_finance_asset_systems",
        "cl_3_2_good_reputation",
        "cl_3_2_tax_social_insurance_record",
        "cl_3_2_other_registration_conditions",
        *(() if violation_stated else ("gpl_22_no_major_violation",)),
    }
    decisive = [c for c in decision.conditions if c.status is UNKNOWN and c.condition not in confirmations]
    expected = "not_qualified" if FAIL in statuses else "insufficient_info" if decisive else "qualified"
    assert decision.outcome == expected
    if decision.outcome == "qualified":  # only confirmations may still be asked
        assert {m.fact for m in decision.missing} <= qualification.CONFIRMATION_FACTS


@SETTINGS
@given(facts=eligibility_facts, on=dates)
def test_eligibility_is_deterministic(facts: EligibilityFacts, on: date, context) -> None:
    assert eligibility.decide(facts, on=on, context=context) == eligibility.decide(facts, on=on, context=context)


@SETTINGS
@given(text=st.text(max_size=80), on=dates)
def test_extraction_never_crashes_on_any_text(text: str, on: date, context) -> None:
    for tool in (eligibility, qualification):
        facts = extract(tool.TOOL_NAME, text)
        decision = tool.decide(facts, on=on, context=context)
        assert decision.outcome in tool.TOOL.outcomes


@SETTINGS
@given(facts=supplier_facts)
def test_qualification_102_date_changes_only_the_type_check(facts: SupplierFacts, context) -> None:
    """Across the 102号令 date only the supplier-type check is swapped; every other check keeps its
    result (it may additionally cite 102号令 第七条)."""
    before = qualification.decide(facts, on=date(2020, 2, 29), context=context)
    after = qualification.decide(facts, on=date(2020, 3, 1), context=context)
    type_checks = {"cl_3_2_supplier_type_listed", "mof102_6_supplier_type_allowed"}
    rest_before = [(c.condition, c.status, c.reason) for c in before.conditions if c.condition not in type_checks]
    rest_after = [(c.condition, c.status, c.reason) for c in after.conditions if c.condition not in type_checks]
    assert rest_before == rest_after
    for b, a in zip(
        [c for c in before.conditions if c.condition not in type_checks],
        [c for c in after.conditions if c.condition not in type_checks],
    ):
        assert set(b.clause_ids) <= set(a.clause_ids) <= set(b.clause_ids) | {qualification.MOF_CONDITIONS}


@SETTINGS
@given(facts=eligibility_facts)
def test_eligibility_102_date_only_adds_conditions(facts: EligibilityFacts, context) -> None:
    """From 2020-03-01 the 102号令 conditions come first and the 2014 checks follow, in their order; a 2014 check leaves
    the conditions only where the 102号令 check that governs its matter decides it differently, and it is then a note
    of what the 2014 text said (人大、法院 are state organs, not 行政机关; 参公事业单位 are not state organs)."""
    before = eligibility.decide(facts, on=date(2020, 2, 29), context=context)
    after = eligibility.decide(facts, on=date(2020, 3, 1), context=context)
    names = [c.condition for c in after.conditions]
    current = [n for n in names if n.startswith("mof102_")]
    assert names[: len(current)] == current
    kept = [c for c in after.conditions if not c.condition.startswith("mof102_")]
    dropped = [c for c in before.conditions if c.condition not in {k.condition for k in kept}]
    assert [c.condition for c in kept] == [c.condition for c in before.conditions if c not in dropped]
    for old in dropped:
        governing, label = eligibility.SUPERSEDED_BY[old.condition]
        assert governing in current and any(old.reason.rstrip("。") in note and label in note for note in after.notes)
    for old, new in zip([c for c in before.conditions if c not in dropped], kept):
        assert old == new or any(k.startswith("ref-mof-102#") for k in new.clause_ids)
    order = {"yes": 0, "conditional": 1, "need_info": 2, "no": 3}
    deferred = facts.purchaser_type is eligibility.PurchaserType.OTHER_STATE_ORGAN or bool(dropped)
    assert order[after.outcome] >= order[before.outcome] or before.outcome == "need_info" or deferred
