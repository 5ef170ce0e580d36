"""The one decision renderer (assistant/present.py): the verdict first, what is still asked, the reasons with
their clauses (failed first), the notes — in the words of prompts/decision_templates.yaml."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.nlu.facts import extract
from assistant.present import DecisionRenderer, load_decision_templates
from assistant.rules import TOOLS

pytestmark = pytest.mark.unit
ON = date(2026, 11, 29)
RENDERER = DecisionRenderer()


def _decide(tool: str, text: str, context):
    return TOOLS[tool].decide(extract(tool, text), on=ON, context=context)


def test_a_conditional_answer_asks_for_the_budget_and_cites_clauses_by_label(context) -> None:
    decision = _decide("purchase_eligibility", "我们是区妇联，想买家庭教育指导服务，能买吗？", context)
    text = RENDERER.markdown(decision, labels={"wzb-2014-118#三（一）": "温政办〔2014〕118号 三（一）"})
    assert text.startswith("**购买资格判断结论：有条件可以购买")
    assert "还需要您补充" in text and "是否已经安排预算" in text
    assert "〔温政办〔2014〕118号 三（一）〕" in text
    assert "wzb-2014-118#六（二）" in text  # a key without a label is shown as it is


def test_a_negative_answer_puts_the_failed_condition_first_and_asks_nothing(context) -> None:
    decision = _decide("supplier_qualification", "我们是一家个体工商户，去年欠缴过社保，能承接吗？", context)
    text = RENDERER.markdown(decision)
    assert text.startswith("**承接主体资格判断结论：不符合承接主体条件。**")
    assert "还需要" not in text
    assert text.split("判断依据：\n", 1)[1].startswith("- ✗ 承接方有欠缴税款或社会保险的记录")


def test_a_supplier_whose_type_is_allowed_hears_that_first_then_what_is_still_to_state(context) -> None:
    decision = _decide("supplier_qualification", "我们公司之前被禁止参加政府采购，能承接吗", context)
    assert decision.outcome == "insufficient_info"  # whether the ban has run out decides (政府采购法第二十二条)
    text = RENDERER.markdown(decision)
    assert text.startswith("**承接主体资格判断结论：承接方的类型可以作为承接主体；是否具备其余承接条件，还需要补充信息。**")
    assert "还需要您补充" in text


def test_a_supplier_of_unknown_type_is_not_told_its_type_is_allowed(context) -> None:
    decision = _decide("supplier_qualification", "能不能承接政府购买服务？", context)
    assert "类型可以作为承接主体" not in RENDERER.markdown(decision)


def test_every_tool_and_outcome_has_a_label_in_the_templates() -> None:
    templates = load_decision_templates()
    for name, spec in TOOLS.items():
        assert name in templates.tool_labels
        assert set(spec.outcomes) <= set(templates.outcome_labels[name]), name


def test_a_method_decision_names_its_methods_right_after_the_verdict(context) -> None:
    decision = _decide("procurement_method", "服务项目预算300万，不在集中采购目录内，市级", context)
    lines = RENDERER.markdown(decision).splitlines()
    assert lines[0].startswith("**采购方式判断结论：") and lines[1].startswith("- 可用采购方式：")


def test_malformed_templates_are_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "decision_templates.yaml"
    path.write_text("name: x\nversion: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="decision_templates.yaml"):
        load_decision_templates(path)


def test_a_method_that_depends_on_the_amount_shows_each_band_before_the_methods_any_band_allows(context) -> None:
    decision = _decide("procurement_method", "我们想买物业服务，用什么方式采购？", context)
    lines = RENDERER.markdown(decision).splitlines()
    assert lines[0] == "**采购方式判断结论：取决于预算的准确金额或是否列入集中采购目录（各情形的结论见下）。**"
    assert lines[1].startswith("- 如预算低于分散采购限额标准（100万元，未核实）且不在集中采购目录内：可由购买主体自行组织采购〔")
    assert "wzb-2014-118#五（二）" in lines[1]  # each reading cites the clauses its result rests on
    assert "：可在下列采购方式中依法选择：公开招标、竞争性磋商〔" in lines[2]
    assert lines[3].startswith("- 如预算达到公开招标数额标准（400万元，未核实）：应当公开招标〔") and "ref-gpl#第二十七条" in lines[3]
    assert lines[4] == "- 视情形可用的采购方式：公开招标、竞争性磋商、自行组织采购"
