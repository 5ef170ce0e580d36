"""政府采购法实施条例 第十八条 and 第十九条 in the supplier_qualification tool, and the registration presumption
for an enterprise: each test states the policy it checks, and most go the way users reach the rule — a Chinese
text, read by ``assistant.nlu.facts.extract``, decided by ``qualification.decide`` — with a few on the facts alone.
"""

from __future__ import annotations

from datetime import date

import pytest

from assistant.models import ConditionStatus, Decision
from assistant.nlu.facts import extract
from assistant.rules import qualification
from assistant.rules.qualification import REG_18, REG_19, SupplierFacts

pytestmark = pytest.mark.unit

ON = date(2026, 11, 29)
TODAY = date.today()
"""Calendar dates in a text are read against today (``years_ago``); those decisions are made today too."""

CLEAN = (
    "在市场监管局登记，能独立承担民事责任，有专业团队，财务制度健全，信誉良好，依法纳税缴社保，年报正常"
)
"""Everything else a company needs to say to be qualified (the record of violations is left to each test)."""

REG_18_CHECK, VIOLATION_CHECK, BAN_CHECK = "reg_18_no_conflict_of_interest", "gpl_22_no_major_violation", "reg_19_procurement_ban_expired"
REGISTRATION_CHECK = "cl_3_2_registered_with_proper_authority"


def decide_text(text: str, context, *, on: date = ON) -> Decision:
    return qualification.decide(extract("supplier_qualification", text), on=on, context=context)


def status(decision: Decision, name: str) -> ConditionStatus | None:
    return next((c.status for c in decision.conditions if c.condition == name), None)


def condition(decision: Decision, name: str):
    return next(c for c in decision.conditions if c.condition == name)


def asked(decision: Decision) -> list[str]:
    return [m.fact for m in decision.missing]


# --------------------------------------------------------------------------------------------------
# 实施条例 第十八条 第一款: suppliers with the same 单位负责人, or in a direct 控股/管理 relation, under one contract


@pytest.mark.parametrize(
    "text",
    [
        "我们公司和另一家投标公司的法定代表人是同一个人，我们两家都想投这个项目，可以吗？",
        "两家公司的老板是同一个人，能一起投同一个标段吗",
        "我们和另一家投标单位是同一个法人代表",
    ],
)
def test_a_bidder_whose_legal_representative_also_runs_another_bidder_on_the_same_item_is_excluded(text: str, context) -> None:
    decision = decide_text(f"我们是一家公司，{CLEAN}，三年内没有违法记录。{text}", context)
    assert decision.outcome == "not_qualified"
    assert status(decision, REG_18_CHECK) is ConditionStatus.FAIL
    assert REG_18 in condition(decision, REG_18_CHECK).clause_ids


def test_a_parent_and_its_controlled_subsidiary_on_the_same_lot_are_excluded(context) -> None:
    decision = decide_text(f"我们是一家公司，{CLEAN}，三年内没有违法记录。我们公司和控股的子公司想投同一个包", context)
    assert decision.outcome == "not_qualified"
    assert status(decision, REG_18_CHECK) is ConditionStatus.FAIL


@pytest.mark.parametrize(
    "text",
    [
        "我们和子公司分别投不同的包",
        "母公司和子公司投的是不同标段",
        "两家公司的法人不是同一个人",
        "我们和其他投标人没有关联关系",
    ],
)
def test_related_companies_on_different_lots_or_unrelated_bidders_are_not_barred(text: str, context) -> None:
    facts = extract("supplier_qualification", text)
    assert facts.related_bidder_same_item is False
    decision = decide_text(f"我们是一家公司，{CLEAN}，三年内没有违法记录。{text}", context)
    assert decision.outcome == "qualified"
    assert status(decision, REG_18_CHECK) is ConditionStatus.PASS


# 实施条例 第十八条 第二款: the supplier that designed, specified, managed, supervised or tested the project


@pytest.mark.parametrize(
    "text",
    [
        "我们给这个项目做过整体设计，现在能投标吗？",
        "我们为该项目提供了监理服务，后面的采购还能参加吗",
        "我们参与了该项目的采购需求编制",
    ],
)
def test_a_supplier_that_designed_or_supervised_the_project_may_not_bid_in_it(text: str, context) -> None:
    decision = decide_text(f"我们是一家公司，{CLEAN}，三年内没有违法记录。{text}", context)
    assert decision.outcome == "not_qualified"
    check = condition(decision, REG_18_CHECK)
    assert check.status is ConditionStatus.FAIL and "单一来源" in check.reason
    assert any("单一来源" in note for note in decision.notes), "the single-source exception is pointed out"


def test_a_supplier_that_supervised_a_single_source_project_may_take_it_on(context) -> None:
    decision = decide_text(f"我们是一家公司，{CLEAN}，三年内没有违法记录。我们为该项目提供了监理服务，这个项目是单一来源采购", context)
    assert status(decision, REG_18_CHECK) is ConditionStatus.PASS
    assert decision.outcome == "qualified"


def test_the_design_exclusion_holds_when_the_project_is_tendered(context) -> None:
    decision = decide_text("我们给这个项目做过整体设计，这个项目不是单一来源，是公开招标", context)
    assert status(decision, REG_18_CHECK) is ConditionStatus.FAIL


def test_conflict_of_interest_is_judged_only_when_stated_and_never_asked(context) -> None:
    decision = decide_text(f"我们是一家公司，{CLEAN}，三年内没有违法记录", context)
    assert decision.outcome == "qualified"
    assert status(decision, REG_18_CHECK) is None
    assert not {"related_bidder_same_item", "provided_design_or_management", "single_source_project"} & set(qualification.QUESTION_ORDER)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"related_bidder_same_item": True}, ConditionStatus.FAIL),
        ({"related_bidder_same_item": True, "single_source_project": True}, ConditionStatus.FAIL),
        ({"provided_design_or_management": True}, ConditionStatus.FAIL),
        ({"provided_design_or_management": True, "single_source_project": False}, ConditionStatus.FAIL),
        ({"provided_design_or_management": True, "single_source_project": True}, ConditionStatus.PASS),
        ({"related_bidder_same_item": False}, ConditionStatus.PASS),
        ({"provided_design_or_management": False}, ConditionStatus.PASS),
        ({"single_source_project": True}, None),
        ({}, None),
    ],
)
def test_the_conflict_of_interest_check_on_facts(facts: dict, expected: ConditionStatus | None, context) -> None:
    decision = qualification.decide(SupplierFacts(supplier_type="企业", **facts), on=ON, context=context)
    assert status(decision, REG_18_CHECK) is expected
    assert "related_bidder_same_item" not in asked(decision)


# --------------------------------------------------------------------------------------------------
# 实施条例 第十九条 第一款: a 重大违法记录 is a 刑事处罚, 责令停产停业, 吊销许可证或者执照 or 较大数额罚款


@pytest.mark.parametrize("text", ["我们公司去年被罚款了", "我们公司去年因为违规经营被罚过款", "我们公司今年被罚了一百多万"])
def test_a_fine_of_unstated_size_within_three_years_is_asked_about_not_refused(text: str, context) -> None:
    decision = decide_text(f"{text}，{CLEAN}", context)
    assert decision.outcome == "insufficient_info"
    check = condition(decision, VIOLATION_CHECK)
    assert check.status is ConditionStatus.UNKNOWN and REG_19 in check.clause_ids
    assert asked(decision)[0] == "fine_is_large"
    question = decision.missing[0].question
    assert "较大数额罚款" in question and "数额" in question


def test_a_fine_whose_amount_is_told_is_weighed_against_the_standard_in_force(context) -> None:
    # 财库〔2022〕3号 (from 2022-02-08): 较大数额罚款 means 200万元 or more
    small = decide_text(f"我们公司今年被市场监管局罚了2万元，{CLEAN}", context)
    assert condition(small, VIOLATION_CHECK).status is ConditionStatus.PASS
    assert any("不属于“较大数额罚款”" in note for note in small.notes)
    large = decide_text("我们公司去年被环保部门罚了250万元", context)
    assert condition(large, VIOLATION_CHECK).status is ConditionStatus.FAIL


@pytest.mark.parametrize("text", ["我们公司去年被罚款，数额较大", "我们是一家企业，两年前被行政处罚过，罚款数额较大", "去年被处以大额罚款"])
def test_a_fine_the_user_calls_large_is_a_major_violation(text: str, context) -> None:
    decision = decide_text(text, context)
    assert decision.outcome == "not_qualified"
    assert status(decision, VIOLATION_CHECK) is ConditionStatus.FAIL


@pytest.mark.parametrize("text", ["我们公司去年被罚款，数额不大", "去年被罚了一笔数额不大的罚款", "去年被罚款，不属于较大数额"])
def test_a_fine_that_is_not_large_is_no_major_violation(text: str, context) -> None:
    decision = decide_text(f"我们是一家公司，{CLEAN}。{text}", context)
    assert status(decision, VIOLATION_CHECK) is ConditionStatus.PASS
    assert decision.outcome == "qualified"


@pytest.mark.parametrize("text", ["去年被警告过一次", "去年受过行政处罚，是警告", "前年被通报批评过"])
def test_a_warning_alone_is_not_a_major_violation(text: str, context) -> None:
    decision = decide_text(f"我们是一家公司，{CLEAN}，{text}", context)
    check = condition(decision, VIOLATION_CHECK)
    assert check.status is ConditionStatus.PASS and "警告" in check.reason
    assert decision.outcome == "qualified"


@pytest.mark.parametrize(
    "text",
    [
        "我们公司去年被判过刑，单位犯罪受过刑事处罚",
        "我们公司去年被环保部门责令停产停业过一个月",
        "我们公司去年被停业整顿过",
        "我们公司前年被吊销过许可证",
        "我们协会去年被民政部门撤销登记",
    ],
)
def test_criminal_punishment_a_suspension_or_a_revoked_licence_within_three_years_is_major(text: str, context) -> None:
    decision = decide_text(text, context)
    assert decision.outcome == "not_qualified"
    check = condition(decision, VIOLATION_CHECK)
    assert check.status is ConditionStatus.FAIL and REG_19 in check.clause_ids


@pytest.mark.parametrize("text", ["我们公司受过处罚", "受过处罚吗？有", "我们公司有违法记录"])
def test_a_penalty_of_unstated_kind_asks_which_penalty_it_was(text: str, context) -> None:
    decision = decide_text(f"我们是一家公司，{CLEAN}。{text}", context)
    assert decision.outcome == "insufficient_info"
    assert status(decision, VIOLATION_CHECK) is ConditionStatus.UNKNOWN
    assert asked(decision)[0] == "penalty_kind"
    assert "较大数额罚款" in decision.missing[0].question


def test_a_record_the_user_calls_major_still_disqualifies(context) -> None:
    decision = decide_text("我们公司三年内有重大违法记录", context)
    assert decision.outcome == "not_qualified"
    assert status(decision, VIOLATION_CHECK) is ConditionStatus.FAIL


@pytest.mark.parametrize("text", ["没有受过处罚", "三年内没被罚过", "从未被罚款", "违法记录：无", "受过处罚吗？没有"])
def test_a_denied_penalty_means_no_major_violation(text: str, context) -> None:
    decision = decide_text(f"我们是一家公司，{CLEAN}，{text}", context)
    assert status(decision, VIOLATION_CHECK) is ConditionStatus.PASS
    assert decision.outcome == "qualified"


def test_a_fine_five_years_ago_is_outside_the_lookback_whatever_its_size(context) -> None:
    decision = decide_text(f"我们公司五年前被罚款，{CLEAN}", context)
    assert status(decision, VIOLATION_CHECK) is ConditionStatus.PASS
    assert "fine_is_large" not in asked(decision)


def test_a_fine_exactly_three_years_ago_asks_the_date_and_the_size(context) -> None:
    decision = decide_text(f"我们公司正好三年前被罚款，{CLEAN}", context)
    assert status(decision, VIOLATION_CHECK) is ConditionStatus.UNKNOWN
    assert {"major_violation_last_3_years", "fine_is_large"} <= set(asked(decision))


@pytest.mark.parametrize(
    ("facts", "expected", "asks"),
    [
        ({"major_violation_last_3_years": True}, ConditionStatus.FAIL, None),  # stated as major: unchanged
        ({"major_violation_years_ago": 1}, ConditionStatus.FAIL, None),
        ({"major_violation_years_ago": 5}, ConditionStatus.PASS, None),
        ({"major_violation_last_3_years": True, "penalty_kind": "罚款"}, ConditionStatus.UNKNOWN, "fine_is_large"),
        ({"major_violation_last_3_years": True, "penalty_kind": "罚款", "fine_is_large": True}, ConditionStatus.FAIL, None),
        ({"major_violation_last_3_years": True, "penalty_kind": "罚款", "fine_is_large": False}, ConditionStatus.PASS, None),
        ({"major_violation_last_3_years": True, "penalty_kind": "较大数额罚款"}, ConditionStatus.FAIL, None),
        ({"major_violation_last_3_years": True, "penalty_kind": "刑事处罚"}, ConditionStatus.FAIL, None),
        ({"major_violation_last_3_years": True, "penalty_kind": "责令停产停业"}, ConditionStatus.FAIL, None),
        ({"major_violation_last_3_years": True, "penalty_kind": "吊销许可证执照"}, ConditionStatus.FAIL, None),
        ({"major_violation_last_3_years": True, "penalty_kind": "警告"}, ConditionStatus.PASS, None),
        ({"penalty_kind": "警告"}, ConditionStatus.PASS, None),
        ({"major_violation_last_3_years": True, "penalty_kind": "未说明"}, ConditionStatus.UNKNOWN, "penalty_kind"),
        ({"major_violation_last_3_years": True, "penalty_kind": "未说明", "fine_is_large": True}, ConditionStatus.FAIL, None),
        ({"major_violation_last_3_years": False, "penalty_kind": "罚款"}, ConditionStatus.PASS, None),
        ({"major_violation_years_ago": 3, "penalty_kind": "罚款"}, ConditionStatus.UNKNOWN, "major_violation_last_3_years"),
        ({"penalty_kind": "吊销许可证执照"}, ConditionStatus.UNKNOWN, "major_violation_last_3_years"),
    ],
)
def test_the_major_violation_check_on_facts(facts: dict, expected: ConditionStatus, asks: str | None, context) -> None:
    decision = qualification.decide(SupplierFacts(supplier_type="企业", registered_with="市场监管部门", **facts), on=ON, context=context)
    assert status(decision, VIOLATION_CHECK) is expected
    if asks:
        assert asks in asked(decision)


# 实施条例 第十九条 第二款: a ban from government procurement that has run out


def test_a_supplier_whose_procurement_ban_has_ended_may_take_part(context) -> None:
    decision = decide_text(f"我们是一家公司，{CLEAN}。前年因违法经营被禁止参加政府采购活动一年，现在已经期满", context)
    check = condition(decision, BAN_CHECK)
    assert check.status is ConditionStatus.PASS and REG_19 in check.clause_ids
    assert status(decision, VIOLATION_CHECK) is None, "the ban check takes the place of the violation check"
    assert decision.outcome == "qualified"


def test_a_supplier_still_within_its_ban_may_not_take_part(context) -> None:
    decision = decide_text("我们公司被禁止参加政府采购活动两年，现在还在禁止期内", context)
    assert decision.outcome == "not_qualified"
    assert status(decision, BAN_CHECK) is ConditionStatus.FAIL


def test_a_banned_supplier_is_asked_whether_the_ban_has_ended(context) -> None:
    decision = decide_text(f"我们是一家公司，{CLEAN}。我们被禁止参加政府采购活动，期满后还能参加吗", context)
    assert decision.outcome == "insufficient_info"
    assert asked(decision) == ["procurement_ban_expired"]


# --------------------------------------------------------------------------------------------------
# 温政办〔2014〕118号 三（二）: an enterprise exists only once registered


def test_an_enterprise_that_does_not_mention_registration_is_presumed_registered_and_told_so(context) -> None:
    decision = decide_text("我们是一家保洁公司，能独立承担民事责任，有专业团队，财务制度健全，信誉良好，依法纳税缴社保，年报正常，三年内没有违法记录", context)
    assert decision.outcome == "qualified"
    check = condition(decision, REGISTRATION_CHECK)
    assert check.status is ConditionStatus.PASS
    assert "企业依法登记方能成立" in check.reason and "如尚未取得营业执照请更正" in check.reason
    assert "registered_with" not in asked(decision)


def test_an_enterprise_without_a_business_licence_is_still_refused(context) -> None:
    decision = decide_text("我们公司没有营业执照，能承接政府购买服务吗", context)
    assert status(decision, REGISTRATION_CHECK) is ConditionStatus.FAIL


@pytest.mark.parametrize("kind", ["社会组织", "其他经济组织", "个体工商户"])
def test_other_supplier_types_are_still_asked_where_they_are_registered(kind: str, context) -> None:
    decision = qualification.decide(SupplierFacts(supplier_type=kind), on=ON, context=context)
    assert status(decision, REGISTRATION_CHECK) is ConditionStatus.UNKNOWN
    assert "registered_with" in asked(decision)


# --------------------------------------------------------------------------------------------------
# The date of a violation given as a calendar date (read against today)


def test_a_licence_revoked_in_a_calendar_year_within_three_years_is_a_major_violation(context) -> None:
    decision = decide_text(f"我们公司{TODAY.year - 1}年被吊销过许可证，{CLEAN}", context, on=TODAY)
    assert extract("supplier_qualification", f"我们公司{TODAY.year - 1}年被吊销过许可证").major_violation_years_ago == 1
    assert decision.outcome == "not_qualified"


def test_a_licence_revoked_six_calendar_years_ago_is_outside_the_lookback(context) -> None:
    decision = decide_text(f"我们公司{TODAY.year - 6}年被吊销过许可证，{CLEAN}", context, on=TODAY)
    assert status(decision, VIOLATION_CHECK) is ConditionStatus.PASS
    assert decision.outcome == "qualified"


def test_a_founding_year_or_a_project_year_is_not_the_date_of_the_violation(context) -> None:
    text = f"我们公司成立于{TODAY.year - 10}年，{TODAY.year + 1}年的项目想参加，去年被吊销过许可证"
    assert extract("supplier_qualification", text).major_violation_years_ago == 1
    assert decide_text(text, context, on=TODAY).outcome == "not_qualified"
