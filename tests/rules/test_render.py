"""Rendering of eligibility and qualification decisions as Chinese Markdown."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.nlu.facts import extract
from assistant.rules import TOOLS

pytestmark = pytest.mark.unit
ON = date(2026, 11, 29)


def _decide(tool: str, text: str, context):
    spec = TOOLS[tool]
    return spec, spec.decide(extract(tool, text), on=ON, context=context)


def test_conditional_answer_lists_what_to_confirm_and_uses_clause_labels(context) -> None:
    spec, decision = _decide("purchase_eligibility", "我们是区妇联，想买家庭教育指导服务，能买吗？", context)
    text = spec.render(decision, labels={"wzb-2014-118#三（一）": "温政办〔2014〕118号 三（一）"})
    assert text.startswith("**结论：可以购买，但须先满足或确认下列条件。**")
    assert "还需要确认：" in text and "是否已经安排预算" in text
    assert "〔温政办〔2014〕118号 三（一）〕" in text
    assert "wzb-2014-118#六（二）" in text  # keys without a label are shown as they are


def test_negative_answer_puts_the_failed_condition_first_and_asks_nothing(context) -> None:
    spec, decision = _decide("supplier_qualification", "我们是一家个体工商户，去年欠缴过社保，能承接吗？", context)
    text = spec.render(decision)
    assert text.startswith("**结论：不符合承接主体条件。**")
    assert "还需要" not in text
    assert text.split("判断依据：\n", 1)[1].startswith("- ✗ 承接方有欠缴税款或社会保险的记录")


def test_every_tool_with_a_renderer_renders_its_outcome_label(context) -> None:
    for name in ("purchase_eligibility", "supplier_qualification"):
        spec, decision = _decide(name, "能承接吗", context)
        assert spec.render is not None and spec.render(decision).startswith("**结论：")
