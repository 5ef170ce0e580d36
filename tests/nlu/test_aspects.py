"""The asked aspect: what kind of answer a question wants."""

from __future__ import annotations

import pytest

from assistant.nlu.aspects import aspects, asks_in_general
from assistant.nlu.models import Aspect

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("什么是政府购买服务？", Aspect.DEFINITION),
        ("以事定费是啥意思", Aspect.DEFINITION),
        ("为什么要推行政府购买服务", Aspect.WHY),
        ("承接主体要满足哪些条件", Aspect.LIST),
        ("基本原则有几条", Aspect.LIST),
        ("承接方要具备什么条件", Aspect.LIST),
        ("供应商要满足啥样的要求", Aspect.LIST),
        ("参加政府采购的条件是什么", Aspect.LIST),
        ("What conditions must a supplier meet?", Aspect.LIST),
        ("质疑要在几天内提出", Aspect.WHEN),
        ("合同最长能签多久", Aspect.WHEN),
        ("标书费收多少钱", Aspect.HOW_MUCH),
        ("绩效评价由谁组织", Aspect.WHO),
        ("财政局电话多少", Aspect.CONTACT),
        ("去哪里报名", Aspect.WHERE),
        ("怎么申请资金", Aspect.HOW),
        ("街道能不能买", Aspect.YES_NO),
        ("What is government purchase of services?", Aspect.DEFINITION),
    ],
)
def test_each_cue_names_its_aspect(question, expected):
    assert expected in aspects(question)


def test_general_questions_are_recognised():
    assert asks_in_general(aspects("承接主体有哪些？"))
    assert not asks_in_general(aspects("我们是民政局，能买养老服务吗"))
