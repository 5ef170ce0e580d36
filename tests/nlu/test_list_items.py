"""A numbered reply (1. 是 2. 没有 3. 税和社保正常交): each item is a statement of its own, so that no item's negation
reaches into the next one."""

from __future__ import annotations

import pytest

from assistant.nlu.facts import extract
from assistant.nlu.phrases import break_list_items

pytestmark = pytest.mark.unit
Q = "supplier_qualification"


@pytest.mark.parametrize(
    ("text", "broken"),
    [
        ("1. 是民政登记的社会组织 2. 没有 3. 税和社保一直正常交", "1. 是民政登记的社会组织\n2. 没有\n3. 税和社保一直正常交"),
        ("1、在 2、有", "1、在\n2、有"),
        ("1) 有 2) 没有", "1) 有\n2) 没有"),
        ("1.是，独立法人 2.有财务制度", "1.是，独立法人\n2.有财务制度"),
    ],
)
def test_a_numbered_list_is_broken_into_its_items(text: str, broken: str):
    assert break_list_items(text) == broken


@pytest.mark.parametrize("text", ["预算1.5万，第3条", "我们是1.5万", "3. 就这个", "没有违法记录", "2. 有 1. 没有", "1是2是"])
def test_amounts_clause_numbers_a_lone_or_unordered_marker_are_no_list(text: str):
    assert break_list_items(text) == text


def test_a_bare_no_in_one_item_does_not_deny_the_next_items_statement():
    facts = extract(Q, "1. 是民政登记的社会组织 2. 没有 3. 税和社保一直正常交")
    assert facts.tax_social_insurance_record_good is True
    facts = extract(Q, "1. 是，独立法人 2. 有健全的财务制度 3. 税和社保都正常缴 4. 没有 5. 设备和技术人员都有")
    assert facts.has_facilities_staff_expertise is not False and facts.tax_social_insurance_record_good is True
