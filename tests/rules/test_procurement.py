"""Tests of the procurement_method tool: the YAML cases, the clause keys, fact extraction and the amount parser."""

from __future__ import annotations

import inspect
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.corpus import load_corpus
from assistant.models import Decision
from tests.rules.test_cases import EXPECT_KEYS
from assistant.parameters import ObjectType
from assistant.nlu.amounts import parse_amount_yuan, point_amounts
from assistant.nlu.facts import extract
from assistant.rules.procurement import (
    TOOL_NAME,
    Level,
    MethodOutcome,
    ProcurementFacts,
    ProcurementMethod,
    clauses,
    decide,
    grounds,
)
from assistant.present import DecisionRenderer

render = DecisionRenderer().markdown

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
CASES_FILE = ROOT / "tests" / "rules" / "cases" / "procurement_method.yaml"
CONTEXT = SimpleNamespace(parameters_dir=ROOT / "corpus" / "parameters")
CASE_KEYS = {"name", "on", "facts", "expect"}
TODAY = date(2026, 11, 29)


def _load_cases() -> list[dict]:
    cases = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


CASES = _load_cases()


@pytest.fixture(scope="module")
def corpus_clause_keys() -> set[str]:
    return {clause.key for document in load_corpus(ROOT / "corpus" / "documents") for clause in document.clauses}


class TestCases:
    """The cases themselves are run by tests/rules/test_cases.py (one runner for every tool's case file)."""

    def test_case_file_has_at_least_thirty_well_formed_cases(self):
        assert len(CASES) >= 30
        for case in CASES:
            assert set(case) == CASE_KEYS, case.get("name")
            assert set(case["expect"]) <= EXPECT_KEYS, case["name"]  # the keys test_cases.py checks
            assert case["expect"]["outcome"] in {outcome.value for outcome in MethodOutcome}

    def test_case_names_are_unique_sentences(self):
        names = [case["name"] for case in CASES]
        assert len(names) == len(set(names))
        assert all(name.endswith("。") for name in names)

    def test_cases_cover_every_method_and_outcome(self):
        outcomes = {case["expect"]["outcome"] for case in CASES}
        methods = {method for case in CASES for method in case["expect"].get("methods", [])}
        assert outcomes == {outcome.value for outcome in MethodOutcome}
        assert methods == {method.value for method in ProcurementMethod}

    def test_cases_cover_both_sides_of_every_effective_date(self):
        dates = {case["on"] for case in CASES}
        for effective in (date(2020, 1, 1), date(2021, 1, 1), date(2023, 1, 1)):
            assert effective in dates and date.fromordinal(effective.toordinal() - 1) in dates


class TestClauses:
    def test_every_clause_key_the_module_cites_exists_in_the_corpus(self, corpus_clause_keys):
        cited = {value for name, value in vars(clauses).items() if name.isupper() and isinstance(value, str) and "#" in value}
        assert cited and cited <= corpus_clause_keys, cited - corpus_clause_keys

    def test_every_clause_cited_by_a_case_decision_exists(self, corpus_clause_keys):
        for case in CASES:
            decision = decide(ProcurementFacts.model_validate(case["facts"]), on=case["on"], context=CONTEXT)
            assert set(decision.clause_ids) <= corpus_clause_keys, case["name"]

    def test_each_check_docstring_starts_with_an_existing_clause_key(self, corpus_clause_keys):
        checks = [
            function
            for name, function in inspect.getmembers(grounds, inspect.isfunction)
            if re.match(r"^(gpl|reg|czk|wzb)_\d", name)
        ]
        assert len(checks) >= 12
        for function in checks:
            key = (function.__doc__ or "").split(" ", 1)[0]
            assert key in corpus_clause_keys, f"{function.__name__}: {key!r}"

    def test_every_fact_field_has_a_description(self):
        for name, info in ProcurementFacts.model_fields.items():
            assert info.description, name

    def test_facts_reject_unknown_keys(self):
        with pytest.raises(ValueError, match="extra"):
            ProcurementFacts.model_validate({"amount": 1})


class TestDecide:
    def test_decide_is_pure_the_same_facts_give_the_same_decision(self):
        facts = ProcurementFacts(amount_yuan=2_000_000, in_centralized_catalog=False, level=Level.市级)
        assert decide(facts, on=TODAY, context=CONTEXT) == decide(facts, on=TODAY, context=CONTEXT)

    def test_settings_can_serve_as_the_context(self):
        from assistant.config import Settings

        settings_context = Settings.load(corpus_dir=ROOT / "corpus")
        facts = ProcurementFacts(amount_yuan=800_000, in_centralized_catalog=False, level=Level.市级)
        assert decide(facts, on=TODAY, context=settings_context).outcome == "self_organized"

    def test_render_shows_conclusion_methods_and_clause_keys(self):
        facts = ProcurementFacts(amount_yuan=5_000_000, in_centralized_catalog=False, level=Level.市级, only_one_supplier=True)
        text = render(decide(facts, on=TODAY, context=CONTEXT))
        assert text.startswith("**采购方式判断结论：")
        assert "单一来源" in text and "ref-gpl-reg#第三十八条" in text and "5个工作日" in text

    def test_render_asks_the_missing_questions(self):
        text = render(decide(ProcurementFacts(), on=TODAY, context=CONTEXT))
        assert "预算金额是多少" in text and "集中采购目录" in text

    @settings(max_examples=300, deadline=None)
    @given(
        amount=st.one_of(st.none(), st.floats(min_value=0, max_value=2e9, allow_nan=False)),
        catalog=st.one_of(st.none(), st.booleans()),
        level=st.one_of(st.none(), st.sampled_from(list(Level))),
        object_type=st.sampled_from(list(ObjectType)),
        flags=st.fixed_dictionaries(
            {
                name: st.one_of(st.none(), st.booleans())
                for name in (
                    "only_one_supplier",
                    "unforeseeable_emergency",
                    "limited_supplier_range",
                    "tender_failed",
                    "specs_cannot_be_fixed",
                    "goods_standardised_ample_supply",
                    "approved_non_open_method",
                    "additional_purchase_for_consistency",
                )
            }
        ),
        cumulative=st.one_of(st.none(), st.floats(min_value=0, max_value=2e9, allow_nan=False)),
        on=st.dates(min_value=date(2014, 1, 1), max_value=date(2030, 12, 31)),
        upper=st.one_of(st.none(), st.none(), st.floats(min_value=0, max_value=2e9, allow_nan=False)),
        sides=st.fixed_dictionaries(
            {"below_quota": st.one_of(st.none(), st.booleans()), "at_or_above_open_tender": st.one_of(st.none(), st.booleans())}
        ),
        requested=st.one_of(st.none(), st.sampled_from(list(ProcurementMethod))),
    )
    def test_invariants_hold_for_any_facts(self, amount, catalog, level, object_type, flags, cumulative, on, upper, sides, requested):
        facts = ProcurementFacts(
            requested_method=requested,
            amount_yuan=amount,
            amount_upper_yuan=upper,
            in_centralized_catalog=catalog,
            level=level,
            object_type=object_type,
            cumulative_same_item_amount_yuan=cumulative,
            **flags,
            **sides,
        )
        told = amount is not None or upper is not None or cumulative is not None or any(value is not None for value in sides.values())
        # (a year's cumulative amount of the same item is an amount told: 实施条例第二十八条 decides on it)
        decision = decide(facts, on=on, context=CONTEXT)
        outcome = MethodOutcome(decision.outcome)
        assert set(decision.methods) <= {method.value for method in ProcurementMethod}
        if object_type is not ObjectType.货物:
            assert "询价" not in decision.methods
        if outcome is MethodOutcome.NEED_INFO:
            assert decision.missing and not decision.methods and not decision.cases
        if outcome is MethodOutcome.DEPENDS:  # the result under each reading of the missing amount / catalog status
            assert decision.missing and len(decision.cases) >= 2
            assert set(decision.methods) == {method for case in decision.cases for method in case.methods}
            assert all(case.when and case.outcome not in ("need_info", "depends_on_facts") for case in decision.cases)
            assert all(case.clause_ids for case in decision.cases)  # every reading cites what it rests on
        else:
            assert not decision.cases
        if outcome is MethodOutcome.SELF_ORGANIZED:
            assert decision.methods == ("自行组织采购",) and catalog is False
        if outcome is MethodOutcome.OPEN_TENDER_REQUIRED:
            assert decision.methods == ("公开招标",)
        if outcome in (MethodOutcome.METHODS_AVAILABLE, MethodOutcome.APPROVAL_REQUIRED, MethodOutcome.OPEN_TENDER_REQUIRED):
            if not told:  # a stated circumstance named the methods; the amount is a secondary question
                assert outcome is MethodOutcome.METHODS_AVAILABLE
                assert any("不取决于金额" in note for note in decision.notes)
                assert decision.missing[0].fact == "amount_yuan"
            else:
                assert any("门槛来源" in note or "不取决于金额" in note for note in decision.notes)
        assert len(decision.missing) <= 3
        if on < date(2020, 1, 1) and object_type is not ObjectType.工程 and amount is not None:
            assert outcome in (MethodOutcome.THRESHOLD_UNKNOWN, MethodOutcome.NEED_INFO)
        for condition in decision.conditions:
            assert condition.clause_ids and condition.reason


class TestExtraction:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("我们是区民政局，想买社区养老上门服务，预算80万，怎么采购？", {"amount_yuan": 800_000, "level": Level.县级}),
            ("市民政局购买服务，预算八十万元", {"amount_yuan": 800_000, "level": Level.市级}),
            ("省级单位，金额0.8百万", {"amount_yuan": 800_000, "level": Level.省级}),
            ("中央预算单位，120万元的服务", {"amount_yuan": 1_200_000, "level": Level.中央}),
            ("项目1.5亿", {"amount_yuan": 150_000_000}),
            ("合同50000元", {"amount_yuan": 50_000}),
            ("预算三百五十万的物业服务", {"amount_yuan": 3_500_000}),
            ("只有一家能做，能单一来源吗", {"only_one_supplier": True, "requested_method": ProcurementMethod.单一来源}),
            ("他们是唯一供应商", {"only_one_supplier": True}),
            ("突发疫情需要紧急采购", {"unforeseeable_emergency": True}),
            ("上次招标流标了", {"tender_failed": True}),
            ("公开招标没人投标，能改谈判吗", {"tender_failed": True, "requested_method": ProcurementMethod.竞争性谈判}),
            ("技术复杂，需求说不清", {"specs_cannot_be_fixed": True}),
            ("服务数量事先不能确定，价格无法事先计算", {"price_cannot_be_calculated_in_advance": True}),
            ("项目不在集中采购目录内", {"in_centralized_catalog": False}),
            ("该服务在集中采购目录内", {"in_centralized_catalog": True}),
            ("属于集中采购目录以外的项目", {"in_centralized_catalog": False}),
            ("买一批办公电脑，规格标准统一、货源充足，能询价吗", {"object_type": ObjectType.货物, "goods_standardised_ample_supply": True, "requested_method": ProcurementMethod.询价, "is_purchase_of_services": False}),
            ("办公楼装修工程200万", {"object_type": ObjectType.工程, "amount_yuan": 2_000_000}),
            ("工程监理服务60万", {"object_type": ObjectType.服务}),
            ("原合同200万，追加15万", {"original_contract_amount_yuan": 2_000_000, "amount_yuan": 150_000, "additional_purchase_for_consistency": True}),
            ("今年已经累计采购了450万，这次再买80万的保洁服务", {"cumulative_same_item_amount_yuan": 4_500_000, "amount_yuan": 800_000}),
            ("已经财政部门批准采用单一来源", {"approved_non_open_method": True}),
            ("河南省某市级单位预算80万", {"jurisdiction": "河南省"}),
            ("预算三百万的物业服务必须公开招标吗", {"amount_yuan": 3_000_000, "requested_method": None}),
        ],
    )
    def test_extracts_facts_from_typical_questions(self, text, expected):
        facts = extract(TOOL_NAME, text)
        for name, value in expected.items():
            assert getattr(facts, name) == value, f"{name}: {getattr(facts, name)!r} in {text}"

    def test_unsaid_facts_stay_unknown(self):
        facts = extract(TOOL_NAME, "怎么采购？")
        assert facts.amount_yuan is None and facts.in_centralized_catalog is None and facts.level is None
        assert facts.only_one_supplier is None and facts.requested_method is None

    def test_community_is_not_a_district(self):
        assert extract(TOOL_NAME, "社区养老服务中心，预算80万").level is None

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=200))
    def test_extraction_never_crashes_on_arbitrary_text(self, text):
        facts = extract(TOOL_NAME, text)
        assert facts.amount_yuan is None or facts.amount_yuan > 0

    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet="0123456789,.万亿千百元块wW一二两三四五六七八九十零点 预算合同原累计", max_size=40))
    def test_extraction_never_crashes_on_number_like_text(self, text):
        extract(TOOL_NAME, text)


class TestAmounts:
    @pytest.mark.parametrize(
        ("text", "yuan"),
        [
            ("80万", 800_000),
            ("八十万元", 800_000),
            ("0.8百万", 800_000),
            ("120万元", 1_200_000),
            ("1.5亿", 150_000_000),
            ("50000元", 50_000),
            ("50,000元", 50_000),
            ("三百五十万", 3_500_000),
            ("两百万", 2_000_000),
            ("一点五亿", 150_000_000),
            ("1万5", 15_000),
            ("３００万", 3_000_000),
            ("80w", 800_000),
            ("5千元", 5_000),
            ("三千万", 30_000_000),
            ("预算3000000", 3_000_000),
            ("预算:2,000,000", 2_000_000),
        ],
    )
    def test_parses_amounts_as_users_type_them(self, text, yuan):
        assert parse_amount_yuan(text) == pytest.approx(yuan)

    @pytest.mark.parametrize("text", ["第三十条", "只有一家", "2026年", "5个工作日", "10%", "预算300", "单一来源一事一议", "几百万"])
    def test_numbers_without_a_money_unit_are_not_amounts(self, text):
        assert parse_amount_yuan(text) is None

    @settings(max_examples=300, deadline=None)
    @given(
        integer=st.integers(min_value=0, max_value=10**7),
        decimals=st.one_of(st.none(), st.integers(min_value=0, max_value=9999)),
        suffix=st.sampled_from(["万", "万元", "万块"]),
        commas=st.booleans(),
    )
    def test_digits_with_wan_round_trip(self, integer, decimals, suffix, commas):
        digits = f"{integer:,}" if commas else str(integer)
        number = digits if decimals is None else f"{digits}.{decimals:04d}"
        expected = Decimal(number.replace(",", "")) * 10000
        mentions = point_amounts(f"预算{number}{suffix}，请问怎么采购")
        if expected == 0:
            assert mentions == []
        else:
            assert len(mentions) == 1 and Decimal(str(mentions[0].stated_yuan)) == expected

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=300))
    def test_never_crashes_on_arbitrary_text(self, text):
        for mention in point_amounts(text):
            assert mention.stated_yuan > 0


class TestGoldSet:
    GOLD_FILE = ROOT / "evals" / "gold" / "decisions_method.yaml"

    def test_gold_method_questions_are_well_formed(self):
        cases = yaml.safe_load(self.GOLD_FILE.read_text(encoding="utf-8"))
        assert len(cases) >= 20
        for number, case in enumerate(cases, 1):
            assert set(case) == {"id", "question", "history", "tool", "expected", "tags"}, case.get("id")
            assert case["id"] == f"m{number:03d}"
            assert case["tool"] == "procurement_method" and case["history"] == [] and case["tags"]
            assert set(case["expected"]) == {"outcome", "methods"}
            assert case["expected"]["outcome"] in {outcome.value for outcome in MethodOutcome}
            assert set(case["expected"]["methods"]) <= {method.value for method in ProcurementMethod}
