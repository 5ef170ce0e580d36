"""Money amounts: exact figures, approximate ranges, and the single-figure reading (one figure per amount)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.nlu.amounts import Amount, find_amounts, normalise_text, parse_amount, parse_amount_yuan, point_amounts
from assistant.nlu.facts import extract

pytestmark = pytest.mark.unit

WAN = 10_000


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("80万", 80 * WAN),
        ("八十万元", 80 * WAN),
        ("0.8百万", 80 * WAN),
        ("1.5亿", 150_000_000),
        ("1,200,000元", 1_200_000),
        ("１２０万元", 120 * WAN),
        ("80w", 80 * WAN),
        ("1万5", 15_000),
        ("一点五亿", 150_000_000),
        ("两百万", 200 * WAN),
        ("预算3000000", 3_000_000),
        ("签约80万", 80 * WAN),
    ],
)
def test_exact_amounts(text: str, yuan: float) -> None:
    amount = parse_amount(text)
    assert amount is not None
    assert amount.low_yuan == amount.high_yuan == amount.stated_yuan == pytest.approx(yuan)
    assert amount.approximate is False and amount.kind == "exact"


@pytest.mark.parametrize(
    ("text", "low", "high", "kind"),
    [
        ("80多万", 80 * WAN, 90 * WAN, "more"),
        ("8万多", 8 * WAN, 9 * WAN, "more"),
        ("一百多万", 100 * WAN, 200 * WAN, "more"),
        ("二十余万元", 20 * WAN, 30 * WAN, "more"),
        ("几十万", 20 * WAN, 90 * WAN, "several"),
        ("数十万元", 20 * WAN, 90 * WAN, "several"),
        ("几百万", 200 * WAN, 900 * WAN, "several"),
        ("十几万", 11 * WAN, 19 * WAN, "several"),
        ("三十几万", 31 * WAN, 39 * WAN, "several"),
        ("五六十万", 50 * WAN, 60 * WAN, "range"),
        ("七八万", 7 * WAN, 8 * WAN, "range"),
        ("十五六万", 15 * WAN, 16 * WAN, "range"),
        ("一两百万", 100 * WAN, 200 * WAN, "range"),
        ("50到60万", 50 * WAN, 60 * WAN, "range"),
        ("50-60万", 50 * WAN, 60 * WAN, "range"),
        ("50万至60万", 50 * WAN, 60 * WAN, "range"),
        ("一百来万", 100 * WAN, 120 * WAN, "over"),
        ("100万出头", 100 * WAN, 120 * WAN, "over"),
        ("上百万", 100 * WAN, 200 * WAN, "over"),
        ("100万左右", 90 * WAN, 110 * WAN, "about"),
        ("约100万", 90 * WAN, 110 * WAN, "about"),
        ("大概八十万", 72 * WAN, 88 * WAN, "about"),
        ("近百万", 90 * WAN, 100 * WAN, "near"),
        ("将近100万", 90 * WAN, 100 * WAN, "near"),
    ],
)
def test_approximate_amounts(text: str, low: float, high: float, kind: str) -> None:
    amount = parse_amount(text)
    assert amount is not None and amount.approximate
    assert (amount.low_yuan, amount.high_yuan, amount.kind) == (pytest.approx(low), pytest.approx(high), kind)
    assert amount.span.text == normalise_text(text)


@pytest.mark.parametrize("text", ["3家", "2026年", "第三十条", "预算300", "几百", "3到5家", "2020-2021年", "十多年", "只有一家", "单一来源"])
def test_numbers_without_a_money_unit_are_not_amounts(text: str) -> None:
    assert find_amounts(text) == []


def test_several_amounts_in_reading_order_with_spans_in_the_normalised_text() -> None:
    text = "原合同２００万，这次追加大约15万"
    amounts = find_amounts(text)
    assert [(a.low_yuan, a.high_yuan) for a in amounts] == [(200 * WAN, 200 * WAN), (pytest.approx(13.5 * WAN), pytest.approx(16.5 * WAN))]
    normalised = normalise_text(text)
    for amount in amounts:
        assert normalised[amount.span.start : amount.span.end] == amount.span.text


def test_an_amount_never_has_its_high_bound_below_its_low_bound() -> None:
    with pytest.raises(ValueError):
        Amount(low_yuan=2, high_yuan=1, approximate=True, span={"start": 0, "end": 1, "text": "x"}, stated_yuan=2)


class TestSingleFigures:
    """point_amounts / parse_amount_yuan: one figure per amount (the figure as written), vague amounts left out."""

    def test_exact_and_hedged_amounts_keep_their_stated_figure(self) -> None:
        assert parse_amount_yuan("预算八十万元") == 800_000
        assert parse_amount_yuan("约100万") == 1_000_000
        assert parse_amount_yuan("100万左右") == 1_000_000

    def test_vague_amounts_are_no_longer_misread(self) -> None:
        assert parse_amount_yuan("几十万") is None  # used to read 十万
        assert parse_amount_yuan("80多万") is None
        found = point_amounts("预算几十万，原合同200万")
        assert [(a.stated_yuan, a.span.start, a.span.end, a.span.text) for a in found] == [(2_000_000, 9, 13, "200万")]


class TestProcurementAmounts:
    def test_an_approximate_budget_gives_both_bounds(self) -> None:
        facts = extract("procurement_method", "区民政局买养老服务，预算80多万，不在集采目录")
        assert (facts.amount_yuan, facts.amount_upper_yuan) == (800_000, 900_000)

    def test_several_tens_of_thousands_is_not_ten_thousand(self) -> None:
        facts = extract("procurement_method", "预算几十万的物业服务")
        assert (facts.amount_yuan, facts.amount_upper_yuan) == (200_000, 900_000)

    def test_an_exact_budget_has_no_upper_bound(self) -> None:
        facts = extract("procurement_method", "预算80万")
        assert (facts.amount_yuan, facts.amount_upper_yuan) == (800_000, None)

    def test_an_approximate_original_contract_gives_its_low_bound(self) -> None:
        facts = extract("procurement_method", "原合同两百多万，这次追加15万")
        assert facts.original_contract_amount_yuan == 2_000_000 and facts.amount_yuan == 150_000
        assert facts.amount_upper_yuan is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789,.-~到至万亿千百十元块wW一二两三四五六七八九零几多余来数约近左右上 预算合同", max_size=40))
def test_amounts_are_positive_ranges_on_any_number_like_text(text: str) -> None:
    for amount in find_amounts(text):
        assert 0 < amount.low_yuan <= amount.high_yuan
        assert amount.approximate == (amount.kind != "exact")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=999))
def test_n_duo_wan_runs_to_the_next_unit_of_the_last_digit(number: int) -> None:
    amount = parse_amount(f"预算{number}多万")
    assert amount is not None and amount.kind == "more"
    place = 1
    while number % (place * 10) == 0:
        place *= 10
    assert (amount.low_yuan, amount.high_yuan) == (number * WAN, (number + place) * WAN)
