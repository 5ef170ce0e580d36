"""Who is speaking, what a reply answers, and what a speaker is unsure of."""

from __future__ import annotations

import pytest

from assistant.nlu.facts import extract, fill_pending

E = "purchase_eligibility"


def test_a_supplier_telling_of_an_agency_purchase_is_not_the_purchaser():
    assert extract(E, "街道找到我们社工机构，说想请我们为辖区青少年提供课后托管").purchaser_type.value == "行政机关"
    assert extract(E, "我们是国企，想买咨询服务").purchaser_type.value == "国有企业"


def test_state_organs_other_than_administrative_ones_are_read():
    assert extract(E, "区人大常委会办公室想买立法调研论证咨询服务").purchaser_type.value == "其他国家机关"


def test_an_institution_unsure_whether_it_is_civil_servant_managed_states_no_kind():
    assert extract(E, "我在区里一家事业单位，是不是参公我还真不确定，打算把物业外包").purchaser_type is None
    assert extract(E, "我们是事业单位，想买保洁服务").purchaser_type.value == "其他事业单位"


def test_a_reply_that_names_the_topic_of_a_question_answers_it():
    assert fill_pending(E, ["is_goods_or_works", "in_catalog", "has_budget"], "1. 列进目录了 2. 年初预算已经安排了") == {
        "in_catalog": True,
        "has_budget": True,
    }
    assert fill_pending(E, ["in_catalog", "has_budget"], "目录里没有，预算有") == {"in_catalog": False, "has_budget": True}


def test_an_unsure_reply_answers_nothing_and_records_what_the_user_does_not_know():
    assert fill_pending(E, ["in_catalog", "has_budget"], "不清楚在不在目录") == {"said_unknown": ("in_catalog",)}


def test_a_budget_not_yet_submitted_is_no_budget_and_a_submitted_one_is_not_yet_a_budget():
    assert extract(E, "目录不清楚，预算还没报").has_budget is False
    assert extract(E, "预算已经报了").has_budget is None


def test_the_duty_kept_by_the_government_is_not_bought():
    facts = extract(E, "我们想请机构开展隐患排查，只出具报告和整改建议，行政处罚一律由我们执法人员作出")
    assert facts.government_should_provide_directly is False and facts.is_goods_or_works is None


def test_equipment_maintenance_is_a_service_not_goods():
    assert extract(E, "局机关办公楼的物业管理服务（保洁、安保、设备维护）").is_goods_or_works is None
    assert extract(E, "买几台设备").is_goods_or_works is True


def test_a_lone_total_is_the_purchase_amount_and_an_own_delay_is_no_urgency():
    facts = extract("procurement_method", "街道想请人策划一场敬老活动，总共2.8万元，不在集中采购目录里")
    assert facts.amount_yuan == 28000 and facts.cumulative_same_item_amount_yuan is None
    late = extract("procurement_method", "会务服务招标一直拖着没启动，现在时间紧，想改用竞争性谈判")
    assert late.urgent_need_not_caused_by_purchaser is False


@pytest.mark.parametrize(
    ("text", "purchaser"),
    [
        ("刚到财政局采购科，师父出了个题：县人民医院想用政府购买服务的方式买保洁服务，行不行？", "其他事业单位"),
        ("参公管理的事业单位可以买法律顾问服务吗？已有预算", "参公事业单位"),  # one noun phrase, its best reading
        ("我们是区民政局，想买社区养老上门服务", "行政机关"),  # the speaker's own description still comes first
    ],
)
def test_the_purchaser_is_the_agent_of_the_purchase_not_the_first_organisation_named(text: str, purchaser: str) -> None:
    assert extract(E, text).purchaser_type.value == purchaser


@pytest.mark.parametrize(
    "text, purchaser",
    [
        ("我们村的村委会能不能自己当购买方，用政府购买服务请人扫村道？钱是镇里拨下来的", "其他"),  # named the purchaser
        ("社区居委会可以作为购买主体吗？经费是街道给的", "其他"),
        ("我们物业公司，局里想交给我们做保洁", "行政机关"),  # a supplier telling of the agency's purchase
        ("我们是社工机构，民政局想把养老服务交给我们", "行政机关"),  # a comma separates the two noun phrases
        ("街道找到我们社工机构，想买社区矫正服务", "行政机关"),
    ],
)
def test_the_purchaser_is_who_the_text_names_as_purchaser_not_who_pays_it(text, purchaser):
    assert extract("eligibility", text).purchaser_type.value == purchaser


@pytest.mark.parametrize(
    "text, staffing",
    [("残联说是事业编制，经费全部财政拨款", "事业编制"), ("我们妇联是行政编制", "行政编制"), ("我们是县妇联，想买婚姻家庭辅导服务", None)],
)
def test_a_mass_organisations_staffing_is_read(text, staffing):
    fact = extract("eligibility", text).mass_org_staffing
    assert (fact.value if fact else None) == staffing
