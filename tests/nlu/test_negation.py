"""Negation, double negation, question scope, answered questions and contrast in the fact reader.

Each row: (text, tool, fact, expected value); ``None`` means the text states nothing about the fact.
The first rows are the failures observed with the old phrase tables (从来没欠过税 missed, "受过处罚吗？没有"
read as a violation, 不是没有预算 read as no budget, 集中采购目录 read as the 指导目录, questions read as
statements).
"""

from __future__ import annotations

import pytest

from assistant.nlu.facts import extract, read_facts

pytestmark = pytest.mark.unit

E, Q, M = "purchase_eligibility", "supplier_qualification", "procurement_method"

CASES = [
    # -- the observed failures ----------------------------------------------------------------
    ("从来没欠过税", Q, "tax_social_insurance_record_good", True),
    ("受过处罚吗？没有", Q, "major_violation_last_3_years", False),
    ("不是没有预算", E, "has_budget", True),
    ("不在集中采购目录内", E, "in_catalog", None),
    ("有没有欠税？", Q, "tax_social_insurance_record_good", None),
    ("有预算吗？", E, "has_budget", None),
    # -- plain negation before the phrase -----------------------------------------------------
    ("我们从来没有欠缴过社保", Q, "tax_social_insurance_record_good", True),
    ("不存在欠税情况", Q, "tax_social_insurance_record_good", True),
    ("三年内没有受过行政处罚", Q, "major_violation_last_3_years", False),
    ("从未被罚款", Q, "major_violation_last_3_years", False),
    ("我们单位没被处罚过", Q, "major_violation_last_3_years", False),
    ("未曾受到处罚", Q, "major_violation_last_3_years", False),
    ("从来没有因为欠税被处罚过", Q, "major_violation_last_3_years", False),
    ("没有被列入失信名单", Q, "good_reputation", True),
    ("查不到失信记录", Q, "good_reputation", True),
    ("不能独立承担民事责任", Q, "independent_civil_liability", False),
    ("没有专业人员", Q, "has_facilities_staff_expertise", False),
    ("没有场地和设备", Q, "has_facilities_staff_expertise", False),
    ("还没有登记", Q, "registered_with", "未登记"),
    ("没有营业执照", Q, "registered_with", "未登记"),
    ("并非公益一类", Q, "is_public_welfare_class_one", False),
    ("没有预算", E, "has_budget", False),
    ("无预算", E, "has_budget", False),
    ("不是财政拨款的", E, "funded_by_budget", False),
    ("这个不在目录里", E, "in_catalog", False),
    ("没有列入集采目录", M, "in_centralized_catalog", False),
    ("没有流标", M, "tender_failed", False),
    ("没超过限额", M, "below_quota", True),
    ("未达到公开招标数额标准", M, "at_or_above_open_tender", False),
    ("不是只有一家能做，好几家都能做", M, "only_one_supplier", False),
    # -- negation inside or after the phrase --------------------------------------------------
    ("信誉不好", Q, "good_reputation", False),
    ("财务制度不健全", Q, "has_governance_finance_asset_systems", False),
    ("年检不合格", Q, "meets_other_registration_conditions", False),
    ("预算还没批下来", E, "has_budget", False),
    ("技术不复杂", M, "specs_cannot_be_fixed", False),
    ("违法记录：无", Q, "major_violation_last_3_years", False),
    ("欠税的情况没有", Q, "tax_social_insurance_record_good", True),
    ("没有理事会也没有监事", Q, "has_governance_finance_asset_systems", False),
    ("两家公司的法人是同一个人", Q, "supplier_type", "企业"),
    ("局里说这项在目录里，预算也有", E, "has_budget", True),
    ("预算也没有", E, "has_budget", False),
    ("今年预算里批了一笔钱做这个", E, "has_budget", True),
    ("项目金额到了公开招标数额标准", M, "at_or_above_open_tender", True),
    ("金额没到公开招标数额标准", M, "at_or_above_open_tender", False),  # 同一个人 names no individual supplier
    ("集中采购目录里没有这项", M, "in_centralized_catalog", False),
    ("没有欠税和违法记录", Q, "major_violation_last_3_years", False),
    # -- double negation ----------------------------------------------------------------------
    ("不是不能独立承担民事责任", Q, "independent_civil_liability", True),
    ("并不是没有财政拨款", E, "funded_by_budget", True),
    ("不是没有专业人员", Q, "has_facilities_staff_expertise", True),
    # -- a negation that only denies what something is ----------------------------------------
    ("我们不是事业单位，是社会组织", Q, "supplier_type", "社会组织"),
    ("不是在民政登记的，是在市场监管局登记的", Q, "registered_with", "市场监管部门"),
    ("不是公益二类", Q, "is_public_welfare_class_one", None),
    ("不走部门预算的支付流程", E, "has_budget", None),
    # -- questions state nothing --------------------------------------------------------------
    ("我们欠过税吗？", Q, "tax_social_insurance_record_good", None),
    ("是否受过行政处罚", Q, "major_violation_last_3_years", None),
    ("经费是否由财政承担？", E, "funded_by_budget", None),
    ("是否在集中采购目录内？", M, "in_centralized_catalog", None),
    ("预算有了吗", E, "has_budget", None),
    ("能不能独立承担民事责任？", Q, "independent_civil_liability", None),
    ("承接主体违约的话要罚款多少钱？", Q, "major_violation_last_3_years", None),
    ("不清楚有没有欠税", Q, "tax_social_insurance_record_good", None),
    ("不清楚是否在集采目录内", M, "in_centralized_catalog", None),
    # -- …but a question about something else still states the fact ---------------------------
    ("我们欠过税能承接吗？", Q, "tax_social_insurance_record_good", False),
    ("能不能用单一来源，因为只有一家能做", M, "only_one_supplier", True),
    ("不在集中采购目录内怎么采购？", M, "in_centralized_catalog", False),
    # -- answered questions -------------------------------------------------------------------
    ("受过处罚吗？有", Q, "major_violation_last_3_years", True),
    ("欠税吗？没有", Q, "tax_social_insurance_record_good", True),
    ("有没有欠税？没有", Q, "tax_social_insurance_record_good", True),
    ("有预算吗？有", E, "has_budget", True),
    ("在集中采购目录内吗？不在", M, "in_centralized_catalog", False),
    # -- contrast: the part after 但/不过 wins ---------------------------------------------------
    ("以前欠过税，但现在都按时缴纳了", Q, "tax_social_insurance_record_good", True),
    ("没有欠税，但有违法记录", Q, "major_violation_last_3_years", True),
    ("没有欠税，但有违法记录", Q, "tax_social_insurance_record_good", True),
    ("在指导目录里，但不在集中采购目录里", M, "in_centralized_catalog", False),
    ("在指导目录里，但不在集中采购目录里", E, "in_catalog", True),
    ("原来说预算批了，不过现在预算还没落实", E, "has_budget", False),
    # -- plain statements keep working --------------------------------------------------------
    ("去年欠缴过社保", Q, "tax_social_insurance_record_good", False),
    ("被吊销过执照", Q, "major_violation_last_3_years", True),
    ("已经有预算了", E, "has_budget", True),
    ("只有一家投标", M, "tender_failed", True),
    ("只有一家投标", M, "only_one_supplier", None),
]


def _value(tool: str, text: str, fact: str) -> object:
    return {value.name: value.value for value in read_facts(tool, text)}.get(fact)


def test_the_table_is_large_and_covers_every_tool() -> None:
    assert len(CASES) >= 40
    assert {tool for _, tool, _, _ in CASES} == {E, Q, M}
    assert sum(1 for *_, expected in CASES if expected is None) >= 10


@pytest.mark.parametrize(("text", "tool", "fact", "expected"), CASES, ids=[f"{t}-{f}" for t, _, f, _ in CASES])
def test_negation_and_question_scope(text: str, tool: str, fact: str, expected: object) -> None:
    assert _value(tool, text, fact) == expected, read_facts(tool, text)


def test_a_negated_statement_reports_its_polarity_and_span() -> None:
    (value,) = [v for v in read_facts(Q, "我们从来没欠过税") if v.name == "tax_social_insurance_record_good"]
    assert value.value is True and value.polarity is False
    assert value.span is not None and "欠过税" in value.span.text
    (plain,) = [v for v in read_facts(Q, "去年欠缴过社保") if v.name == "tax_social_insurance_record_good"]
    assert plain.value is False and plain.polarity is True and plain.confidence == 1.0


def test_an_answered_question_is_less_certain_than_a_statement() -> None:
    (value,) = [v for v in read_facts(Q, "受过处罚吗？没有") if v.name == "major_violation_last_3_years"]
    assert value.value is False and value.polarity is False and value.confidence < 1.0


def test_a_hedged_statement_is_marked_uncertain() -> None:
    (value,) = [v for v in read_facts(Q, "好像欠过一次税") if v.name == "tax_social_insurance_record_good"]
    assert value.value is False and value.uncertain and value.confidence <= 0.6


def test_extract_gives_the_rule_tools_the_facts_the_reader_reads() -> None:
    assert extract(Q, "从来没欠过税").tax_social_insurance_record_good is True
    assert extract(Q, "受过处罚吗？没有").major_violation_last_3_years is False
    assert extract(E, "不是没有预算").has_budget is True
    assert extract(M, "不在集采目录").in_centralized_catalog is False
    assert extract(E, "不在集中采购目录内").in_catalog is None


@pytest.mark.parametrize(
    "text",
    ["我们是一家保洁公司，能承接政府购买服务吗？\n去年欠缴过社保", "不是不是不是没有没有预算", "？？？", "", "吗", "没有", "有没有？没有。有。"],
)
def test_odd_texts_do_not_break_the_reader(text: str) -> None:
    for tool in (E, Q, M):
        extract(tool, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("税和社保从来没欠过", True),
        ("社保一直没断过", True),
        ("税和社保都没欠", True),
        ("社保欠过两个月", False),
    ],
)
def test_a_negation_between_the_subject_and_the_verb_flips_it(text: str, expected: bool) -> None:
    facts = {f.name: f.value for f in read_facts("supplier_qualification", text)}
    assert facts.get("tax_social_insurance_record_good") is expected


@pytest.mark.parametrize(
    ("text", "fact", "expected"),
    [
        ("税和社保也都正常", "tax_social_insurance_record_good", True),
        ("被民政部门责令停止活动过", "major_violation_last_3_years", True),
        ("从没被责令停业", "major_violation_last_3_years", False),
    ],
)
def test_records_and_penalties_read_with_their_polarity(text: str, fact: str, expected: bool) -> None:
    facts = {f.name: f.value for f in read_facts("supplier_qualification", text)}
    assert facts.get(fact) is expected


def test_a_penalty_with_its_age_gives_the_years_ago() -> None:
    facts = {f.name: f.value for f in read_facts("supplier_qualification", "两年前被民政部门责令停止活动过一次")}
    assert facts.get("major_violation_years_ago") == 2


@pytest.mark.parametrize(
    ("text", "fact", "expected"),
    [
        ("去年有半年没给员工交社保", "tax_social_insurance_record_good", False),
        ("财务制度齐全", "has_governance_finance_asset_systems", True),
        ("理事会监事会都有", "has_governance_finance_asset_systems", True),
        ("理事会还没有设立", "has_governance_finance_asset_systems", False),
    ],
)
def test_records_and_systems_described_in_other_words(text: str, fact: str, expected: bool) -> None:
    facts = {f.name: f.value for f in read_facts("supplier_qualification", text)}
    assert facts.get(fact) is expected
