"""The service-description reader the rules are given (``RuleContext.reader``), and how the rule uses it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from assistant.nlu.description import READER
from assistant.nlu.procurement import detect_jurisdiction, detect_object_type, detect_requested_method
from assistant.parameters import ObjectType
from assistant.rules import DescriptionReading, RuleContext
from assistant.rules.eligibility import EligibilityFacts, NegativeListItem, decide, derive
from assistant.rules.procurement import ProcurementMethod

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
ON = date(2026, 11, 29)


@pytest.fixture(scope="module")
def context() -> RuleContext:
    return RuleContext.from_corpus(ROOT / "corpus", reader=READER)


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("", DescriptionReading()),
        ("   ", DescriptionReading()),
        ("采购一批办公家具", DescriptionReading(goods_or_works="家具")),
        ("社区养老上门服务", DescriptionReading(names_a_service=True)),
        ("服务器采购", DescriptionReading()),  # a 服务器 is no 服务
        ("买几台电脑", DescriptionReading(goods_or_works="电脑")),
        ("设置公益岗", DescriptionReading(negative_list_item="公益性岗位", negative_list_words="公益岗")),
    ],
)
def test_what_a_description_says(description: str, expected: DescriptionReading) -> None:
    assert READER.read(description) == expected


def test_goods_that_are_only_the_object_of_a_service_are_not_bought() -> None:
    assert READER.read("办公设备日常维护").goods_or_works is None
    assert READER.read("电脑采购及维修").goods_or_works is not None


def test_construction_words_keep_a_service_from_being_named_plainly() -> None:
    assert READER.read("道路养护服务").names_a_service is True
    assert READER.read("道路建设服务").names_a_service is False


def test_derive_fills_only_blank_facts_from_the_reading(context: RuleContext) -> None:
    derived = derive(EligibilityFacts(service_description="设置公益岗"), context)
    assert derived.facts.negative_list_item is NegativeListItem.PUBLIC_WELFARE_POST and derived.negative_hint == "公益岗"
    stated = EligibilityFacts(service_description="采购一批办公家具", is_goods_or_works=False)
    assert derive(stated, context).facts.is_goods_or_works is False


def test_the_rule_reads_descriptions_only_through_the_injected_reader(context: RuleContext) -> None:
    class SaysGoods:
        def read(self, description: str) -> DescriptionReading:
            return DescriptionReading(goods_or_works="设备")

    facts = EligibilityFacts(purchaser_type="行政机关", service_description="社区养老上门服务")
    assert decide(facts, on=ON, context=context).outcome != "no"
    decision = decide(facts, on=ON, context=replace(context, reader=SaysGoods()))
    goods = next(c for c in decision.conditions if c.condition == "cl_4_1_is_service_not_goods_or_works")
    assert decision.outcome == "no" and "设备" in goods.reason


def test_procurement_text_helpers() -> None:
    assert detect_object_type("办公楼装修工程") is ObjectType.工程
    assert detect_object_type("工程监理服务") is ObjectType.服务
    assert detect_object_type("买一批办公电脑") is ObjectType.货物
    assert detect_jurisdiction("河南省某市级单位") == "河南省"
    assert detect_jurisdiction("浙江省内的河南商会") is None
    assert detect_requested_method("只有一家能做，能单一来源吗") is ProcurementMethod.单一来源
    assert detect_requested_method("必须公开招标吗") is None
