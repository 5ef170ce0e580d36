"""Reading the facts of 政府采购法实施条例 第十八条/第十九条 from Chinese text (corpus/nlu/facts/supplier_qualification.yaml),
and the date of a violation (``assistant.nlu.phrases.years_ago``), calendar dates included."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.nlu.facts import extract, fill_pending
from assistant.nlu.facts import violation_years_ago
from assistant.nlu.phrases import years_ago

pytestmark = pytest.mark.unit

Q = "supplier_qualification"
TODAY = date(2026, 12, 1)


def stated(text: str) -> dict[str, object]:
    return {name: value for name, value in extract(Q, text).model_dump(mode="json").items() if value is not None}


# --------------------------------------------------------------------------------------------------
# years_ago: relative expressions as before, calendar dates only next to the violation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("五年前被罚款", 5.0),
        ("三年前被吊销过许可证", 3.0),
        ("两年前被民政部门责令停止活动过一次", 2.0),
        ("去年被罚款", 1.0),
        ("前年被吊销过", 2.0),
        ("大前年被罚款", 3.0),
        ("今年被罚款", 0.0),
        ("五年前，我们被罚过款", 5.0),  # a relative expression anywhere in the text, as before
        ("被罚款", None),
    ],
)
def test_relative_expressions_keep_their_reading(text: str, expected: float | None) -> None:
    assert violation_years_ago(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020年被吊销过", 6.0),
        ("2024年被罚款", 2.0),
        ("2023年被罚款", 3.0),  # a year alone at the boundary: the rule asks for the exact date
        ("2022年5月被罚款", 4 + 7 / 12),
        ("22年5月被罚款", 4 + 7 / 12),
        ("2023年12月被罚款", 3.0),
        ("2023年11月被罚款", 3 + 1 / 12),
        ("2023年12月1日被罚款", 3.0),
        ("2020年前被罚过款", 6.0),
    ],
)
def test_a_calendar_date_of_the_violation_is_read_as_years_before_today(text: str, expected: float) -> None:
    assert violation_years_ago(text, today=TODAY) == pytest.approx(expected)


def test_a_full_date_just_inside_three_years_is_under_three() -> None:
    assert violation_years_ago("2023年12月2日被罚款", today=TODAY) < 3


@pytest.mark.parametrize(
    "text",
    [
        "成立于2015年，被罚过款",
        "我们公司2015年成立，被罚过款",
        "2026年的项目，我们被罚过款",
        "我们公司成立于2015年",
        "2027年被罚款",  # after today: no date of a past violation
    ],
)
def test_a_year_in_another_role_is_not_the_date_of_the_violation(text: str) -> None:
    assert violation_years_ago(text, today=TODAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们是2019年成立的公司，2024年被罚款", 2.0),
        ("我们想投2026年的项目，但前年被吊销过", 2.0),
        ("五年前成立，去年被罚款", 1.0),  # the expression next to the violation wins over the first N年前
        ("2018年被罚款，2024年又被吊销执照", 2.0),  # the most recent record
    ],
)
def test_the_date_in_the_violations_own_sub_sentence_wins(text: str, expected: float) -> None:
    assert violation_years_ago(text, today=TODAY) == expected


def test_another_event_can_be_dated_by_naming_it() -> None:
    assert years_ago("我们公司成立于2015年", event="成立", today=TODAY) is None  # 成立于2015年 dates the founding only by role
    assert years_ago("2019年中标过一次", event="中标", today=TODAY) == 7.0


def test_extract_gives_the_calendar_date_as_years_ago() -> None:
    year = date.today().year
    facts = extract(Q, f"我们公司成立于{year - 10}年，{year - 2}年被吊销过许可证")
    assert facts.major_violation_years_ago == 2.0 and facts.major_violation_last_3_years is None
    facts = extract(Q, f"我们公司成立于{year - 10}年，被罚过款")
    assert facts.major_violation_years_ago is None and facts.major_violation_last_3_years is True


# --------------------------------------------------------------------------------------------------
# 第十九条: the kind of penalty, whether a fine is large, a ban from government procurement


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("被判过刑", "刑事处罚"),
        ("受过刑事处罚", "刑事处罚"),
        ("被责令停产停业过", "责令停产停业"),
        ("被停业整顿过", "责令停产停业"),
        ("被吊销过营业执照", "吊销许可证执照"),
        ("被处以较大数额罚款", "较大数额罚款"),
        ("被行政处罚过，罚款数额较大", "较大数额罚款"),
        ("被罚款", "罚款"),
        ("被罚了2万元", "罚款"),
        ("被警告过", "警告"),
        ("被通报批评", "警告"),
        ("受过行政处罚", "未说明"),
        ("有违法记录", "未说明"),
        ("被罚款，也被吊销了许可证", "吊销许可证执照"),  # the most serious penalty stated wins
        ("被罚款，也被警告过", "罚款"),
        ("没被吊销，只是罚款", "罚款"),  # a denied penalty states nothing
        ("有重大违法记录", None),  # stated as major: no kind to weigh
        ("没有受过处罚", None),
        ("受过处罚吗？", None),
    ],
)
def test_the_kind_of_penalty(text: str, kind: str | None) -> None:
    assert stated(text).get("penalty_kind") == kind


@pytest.mark.parametrize(
    ("text", "large"),
    [
        ("罚款数额较大", True),
        ("被处以大额罚款", True),
        ("去年被罚款，数额较大", True),
        ("去年被罚款，数额不大", False),
        ("被罚了一笔数额不大的罚款", False),
        ("罚款不属于较大数额", False),
        ("只被罚了点款", False),
        ("项目金额较大，去年被罚款", None),  # a large project is no large fine
        ("项目金额较大", None),
    ],
)
def test_whether_a_fine_is_large(text: str, large: bool | None) -> None:
    assert stated(text).get("fine_is_large") is large


@pytest.mark.parametrize(
    ("text", "banned", "expired"),
    [
        ("被禁止参加政府采购活动一年，现在已经期满", True, True),
        ("因违法经营被禁止在两年内参加政府采购活动，禁止期限已届满", True, True),
        ("被禁止参加政府采购活动，期限还没到", True, False),
        ("被禁止参加政府采购活动，现在还在禁止期内", True, False),
        ("被禁止参加政府采购活动，期满后能参加吗", True, None),  # 期满后 is a condition, not a fact
        ("没有被禁止参加政府采购活动", False, None),
        ("合同期限已经届满", None, None),  # no ban: a bare 届满 says nothing about one
    ],
)
def test_a_ban_from_government_procurement_and_its_end(text: str, banned: bool | None, expired: bool | None) -> None:
    facts = stated(text)
    assert (facts.get("banned_from_procurement"), facts.get("procurement_ban_expired")) == (banned, expired)


@pytest.mark.parametrize(
    ("text", "violation"),
    [("三年内没被罚过", False), ("没有受过处罚", False), ("从未被罚款", False), ("被罚了2万元", True), ("被民政部门撤销登记", True)],
)
def test_a_penalty_is_still_a_record_in_the_look_back_and_a_denied_one_is_none(text: str, violation: bool) -> None:
    assert stated(text).get("major_violation_last_3_years") is violation


# --------------------------------------------------------------------------------------------------
# 第十八条: related bidders, a supplier that designed or managed the project, a single-source project


@pytest.mark.parametrize(
    ("text", "related"),
    [
        ("两家公司的法定代表人是同一个人", True),
        ("我们和另一家投标单位是同一个老板", True),
        ("两家公司负责人相同", True),
        ("我们公司和控股的子公司想投同一个包", True),
        ("同一个标段里还有我们的子公司", True),
        ("两家公司不是同一个法人", False),
        ("法人不是同一个人", False),
        ("我们和子公司分别投不同的包", False),
        ("母公司和子公司投的是不同标段", False),
        ("我们和其他投标人没有关联关系", False),
        ("不存在控股、管理关系", False),
        ("两家公司法人是同一个人，分别投不同的包", False),  # different lots are allowed
        ("我们有一家子公司", None),
        ("法人是同一个人吗？", None),
    ],
)
def test_related_bidders_on_the_same_item(text: str, related: bool | None) -> None:
    assert stated(text).get("related_bidder_same_item") is related


@pytest.mark.parametrize(
    ("text", "provided"),
    [
        ("我们给这个项目做过整体设计", True),
        ("我们为该项目提供了监理服务", True),
        ("我们是这个项目的监理单位", True),
        ("我们参与了该项目的采购需求编制", True),
        ("我们编制了这个项目的招标文件", True),
        ("我们没有参与该项目的设计", False),
        ("我们是一家工程监理公司，想承接监理服务", None),  # a line of business, not this project
        ("我们想承接编制招标文件的服务", None),
    ],
)
def test_a_supplier_that_designed_or_managed_the_project(text: str, provided: bool | None) -> None:
    assert stated(text).get("provided_design_or_management") is provided


@pytest.mark.parametrize(
    ("text", "single_source"),
    [("这个项目是单一来源采购", True), ("这个项目不是单一来源", False), ("这个项目公开招标", False), ("能不能用单一来源？", None)],
)
def test_a_single_source_project(text: str, single_source: bool | None) -> None:
    assert stated(text).get("single_source_project") is single_source


# --------------------------------------------------------------------------------------------------
# Replies to the new questions


@pytest.mark.parametrize(
    ("pending", "reply", "expected"),
    [
        (("fine_is_large",), "是", {"fine_is_large": True}),
        (("fine_is_large",), "不是", {"fine_is_large": False}),
        (("fine_is_large",), "数额不大", {"fine_is_large": False}),
        (("fine_is_large",), "较大", {"fine_is_large": True}),
        (("procurement_ban_expired",), "已经期满了", {"procurement_ban_expired": True}),
        (("procurement_ban_expired",), "还没到期", {"procurement_ban_expired": False}),
        (("procurement_ban_expired",), "是的", {"procurement_ban_expired": True}),
        (("penalty_kind",), "只是警告", {"penalty_kind": "警告"}),
    ],
)
def test_replies_to_the_questions_of_the_nineteenth_article(pending: tuple[str, ...], reply: str, expected: dict) -> None:
    assert fill_pending(Q, pending, reply) == expected


def test_a_reply_naming_a_fine_and_its_size_answers_the_kind_and_the_size() -> None:
    values = fill_pending(Q, ("penalty_kind",), "罚款，数额不大")
    assert values["penalty_kind"] == "罚款" and values["fine_is_large"] is False


@pytest.mark.parametrize(
    "text, years",
    [
        ("有个供应商三年零四个月以前被责令停产停业过", 3 + 4 / 12),
        ("两年半前被罚过款", 2.5),
        ("3年零2个月前被吊销过许可证", 3 + 2 / 12),
        ("八个月前被罚款2万", 8 / 12),
        ("两年多以前被罚款", 2.5),  # 两年多: between two and three years, read as the middle
        ("四年前受过处罚", 4.0),
    ],
)
def test_a_compound_time_ago_is_read_in_years(text, years):
    assert violation_years_ago(text) == pytest.approx(years)


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("去年被市场监管局罚了3000块", 3000, None),
        ("前年因为环保违法被罚了三百多万", 3_000_000, 4_000_000),
        ("注册资本500万，前年被罚款4万", 40_000, None),  # the capital is no fine
        ("合同200万，前年被罚过", None, None),
    ],
)
def test_only_the_amount_of_a_fine_is_read_as_one(text, low, high):
    facts = extract("qualification", text)
    assert (facts.fine_amount_yuan, facts.fine_amount_upper_yuan) == (low, high)
