"""The natural-language decision questions of evals/gold/decisions.yaml, run through the deterministic
extractor and the rule: nlu.facts.extract(tool, history user turns + question) → decide(on=2026-11-29).

Every case must give its expected outcome. (The full evaluation, through ``Assistant.ask`` and the
lead's intent routing, is ``policy-assistant eval``; this test covers the extraction + rule part.)
"""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from assistant.nlu.facts import extract
from assistant.rules import TOOLS

from .conftest import PROJECT_ROOT

pytestmark = pytest.mark.unit

GOLD_FILE = PROJECT_ROOT / "evals" / "gold" / "decisions.yaml"
ON = date(2026, 11, 29)
OUR_TOOLS = {"purchase_eligibility", "supplier_qualification"}

CASES = yaml.safe_load(GOLD_FILE.read_text(encoding="utf-8"))


def _text(case: dict) -> str:
    turns = [turn["content"] for turn in case.get("history") or [] if turn["role"] == "user"]
    return "\n".join(turns + [case["question"]])


def test_gold_decision_questions_are_well_formed() -> None:
    assert len(CASES) >= 25
    for number, case in enumerate(CASES, 1):
        assert set(case) == {"id", "question", "history", "tool", "expected", "tags"}, case.get("id")
        assert case["id"] == f"d{number:03d}"
        assert case["tool"] in OUR_TOOLS and case["tags"]
        assert set(case["expected"]) == {"outcome", "methods"} and case["expected"]["methods"] == []
        assert case["expected"]["outcome"] in TOOLS[case["tool"]].outcomes, case["id"]
        assert all(turn["role"] in {"user", "assistant"} for turn in case["history"])
    for tool in OUR_TOOLS:
        outcomes = {case["expected"]["outcome"] for case in CASES if case["tool"] == tool}
        assert outcomes == set(TOOLS[tool].outcomes), f"{tool}: the gold set must reach every outcome"


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_extraction_and_rule_give_the_gold_outcome(case: dict, context) -> None:
    spec = TOOLS[case["tool"]]
    facts = extract(spec.name, _text(case))
    decision = spec.decide(facts, on=ON, context=context)
    stated = {name: value for name, value in facts.model_dump().items() if value is not None}
    assert decision.outcome == case["expected"]["outcome"], f"{case['question']}\nfacts: {stated}\n" + "\n".join(
        f"  {c.condition}: {c.status.value} — {c.reason}" for c in decision.conditions
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们是区民政局", {"purchaser_type": "行政机关"}),
        ("参公管理的事业单位", {"purchaser_type": "参公事业单位"}),
        ("我们是县妇联", {"purchaser_type": "群团组织"}),
        ("我们是区教育局下属的一所中学", {"purchaser_type": "其他事业单位"}),
        ("区民政局想给学校买心理辅导", {"purchaser_type": "行政机关"}),
        ("经费自筹，没有财政拨款", {"funded_by_budget": False}),
        ("预算还没批下来", {"has_budget": False}),
        ("这个服务不在目录里", {"in_catalog": False}),
        ("采购一批办公家具", {"is_goods_or_works": True}),
        ("修改服务方案", {"is_goods_or_works": None}),
        ("设置公益岗", {"negative_list_item": "公益性岗位"}),
    ],
)
def test_eligibility_phrases(text: str, expected: dict) -> None:
    facts = extract("purchase_eligibility", text).model_dump(mode="json")
    assert {name: facts[name] for name in expected} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们是个体户，欠缴过社保", {"supplier_type": "个体工商户", "tax_social_insurance_record_good": False}),
        ("我们公司从来没有欠缴过社保", {"tax_social_insurance_record_good": True}),
        ("我们公司去年被罚款", {"major_violation_years_ago": 1.0, "major_violation_last_3_years": None}),
        ("我们公司被吊销过执照", {"major_violation_last_3_years": True}),
        ("三年内没有受过行政处罚", {"major_violation_last_3_years": False}),
        ("我们是民办非企业单位", {"supplier_type": "社会组织"}),
        ("我们是个人独资企业", {"supplier_type": "企业"}),
        ("我们是村委会", {"supplier_type": "基层群众性自治组织"}),
        ("经国务院批准免予登记的团体", {"registered_with": "免于登记"}),
        ("没有被列入失信名单", {"good_reputation": True}),
    ],
)
def test_supplier_phrases(text: str, expected: dict) -> None:
    facts = extract("supplier_qualification", text).model_dump(mode="json")
    assert {name: facts[name] for name in expected} == expected
