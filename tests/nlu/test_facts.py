"""The table-driven fact reader: table format and validation, the engine on small fake tables, the
shipped tables (catalogs, procurement circumstances), and replies to the assistant's own questions."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, ConfigDict

from assistant.corpus import load_corpus
from assistant.errors import ConfigError
from assistant.nlu import facts as reader
from assistant.nlu.facts import FactTableError, extract, fill_pending, load_table, read_facts, read_with
from assistant.rules import TOOLS

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
E, Q, M = "purchase_eligibility", "supplier_qualification", "procurement_method"


# ------------------------------------------------------------------------------------------------
# Small fake tables


class Colour(str, Enum):
    RED = "红"
    BLUE = "蓝"


class ToyFacts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    has_cat: bool | None = None
    colour: Colour | None = None
    budget_yuan: float | None = None
    budget_upper_yuan: float | None = None


TOY = {
    "tool": "toy",
    "rows": [
        {"fact": "has_cat", "type": "bool", "clause": "toy-doc#第一条", "true": ["养(?:了|过)?猫", "有猫"], "false": ["怕猫"]},
        {"fact": "colour", "type": "enum", "clause": "toy-doc#第二条", "select": "priority", "values": {"红": ["红色"], "蓝": ["蓝色"]}},
    ],
    "amounts": {"default": "budget_yuan", "upper": {"budget_yuan": "budget_upper_yuan"}},
}


def _write(tmp_path: Path, data: object, name: str = "toy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _values(table, text: str) -> dict[str, object]:
    return {value.name: value.value for value in read_with(table, text, model=ToyFacts)}


class TestEngineOnAToyTable:
    def test_a_tiny_table_loads_and_reads_negation_questions_and_amounts(self, tmp_path: Path) -> None:
        table = load_table(_write(tmp_path, TOY), ToyFacts)
        assert _values(table, "我们养了猫") == {"has_cat": True}
        assert _values(table, "我们从来没养过猫") == {"has_cat": False}
        assert _values(table, "没有猫") == {"has_cat": False}
        assert _values(table, "不是没有猫") == {"has_cat": True}
        assert _values(table, "有猫吗？") == {}
        assert _values(table, "有猫吗？没有") == {"has_cat": False}
        assert _values(table, "不怕猫") == {"has_cat": True}
        assert _values(table, "以前有猫，但现在没有猫") == {"has_cat": False}
        assert _values(table, "红色的，预算几十万") == {"colour": "红", "budget_yuan": 200_000, "budget_upper_yuan": 900_000}
        assert _values(table, "不是红色") == {}  # a negated enum value states nothing

    def test_the_true_and_false_keys_may_be_written_as_yaml_booleans(self, tmp_path: Path) -> None:
        path = tmp_path / "toy.yaml"
        path.write_text(
            "tool: toy\nrows:\n  - fact: has_cat\n    type: bool\n    clause: toy-doc#第一条\n    true: ['有猫']\n    false: ['怕猫']\n",
            encoding="utf-8",
        )
        assert _values(load_table(path, ToyFacts), "怕猫") == {"has_cat": False}

    def test_precedence_and_only_negated_phrasings(self, tmp_path: Path) -> None:
        data = {
            "tool": "toy",
            "rows": [
                {
                    "fact": "has_cat",
                    "type": "bool",
                    "clause": "toy-doc#第一条",
                    "precedence": False,
                    "true": ["有猫"],
                    "false": ["怕猫"],
                    "only_negated": ["宠物"],
                }
            ],
        }
        table = load_table(_write(tmp_path, data), ToyFacts)
        assert _values(table, "有猫，怕猫") == {"has_cat": False}
        assert _values(table, "没有宠物") == {"has_cat": False}
        assert _values(table, "宠物") == {}

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (lambda d: d["rows"][1].update(colour="red"), "row 2 (fact 'colour')"),
            (lambda d: d["rows"][0].update(true=["养(猫"]), "row 1 (fact 'has_cat')"),
            (lambda d: d["rows"][0].update(fact="has_dog"), "row 1 (fact 'has_dog'): not a field of ToyFacts"),
            (lambda d: d["rows"][1]["values"].update({"绿": ["绿色"]}), "row 2 (fact 'colour'): '绿' is not a valid value"),
            (lambda d: d["rows"][0].update(clause="no key"), "row 1 (fact 'has_cat')"),
            (lambda d: d["rows"][0].update(values={"红": ["x"]}), "row 1 (fact 'has_cat')"),
            (lambda d: d.update(tool="other"), "does not match the file name"),
            (lambda d: d["amounts"].update(default="price"), "amounts: 'price' is not a field"),
        ],
    )
    def test_a_malformed_table_raises_an_error_naming_the_file_and_the_row(self, tmp_path: Path, change, message: str) -> None:
        data = yaml.safe_load(yaml.safe_dump(TOY, allow_unicode=True))
        change(data)
        path = _write(tmp_path, data)
        with pytest.raises(FactTableError) as error:
            load_table(path, ToyFacts)
        assert str(path) in str(error.value) and message in str(error.value)
        assert isinstance(error.value, ConfigError)

    def test_bad_yaml_names_the_file(self, tmp_path: Path) -> None:
        path = tmp_path / "toy.yaml"
        path.write_text("tool: toy\nrows: [\n", encoding="utf-8")
        with pytest.raises(FactTableError, match="toy.yaml"):
            load_table(path, ToyFacts)


# ------------------------------------------------------------------------------------------------
# The shipped tables


@pytest.fixture(scope="module")
def clause_keys() -> set[str]:
    return {clause.key for document in load_corpus(ROOT / "corpus" / "documents") for clause in document.clauses}


@pytest.mark.parametrize("tool", reader.TOOLS)
def test_the_shipped_table_is_valid_and_cites_existing_clauses(tool: str, clause_keys: set[str]) -> None:
    table = load_table(reader.TABLES_DIR / f"{tool}.yaml", TOOLS[tool].facts_model)
    assert set(table.facts()) <= set(TOOLS[tool].facts_model.model_fields)
    for row in table.rows:
        assert row.clause in clause_keys, (row.fact, row.clause)
    for claim in table.claims:
        assert claim.clause in clause_keys


@pytest.mark.parametrize("tool", reader.TOOLS)
def test_extract_gives_the_tool_model_and_read_facts_values_in_text_order(tool: str) -> None:
    text = "我们是区民政局，预算80万，不在集中采购目录内，从来没欠过税，只有一家能做"
    assert isinstance(extract(tool, text), TOOLS[tool].facts_model)
    values = read_facts(tool, text)
    assert all(value.tool == tool for value in values)
    starts = [value.span.start for value in values if value.span is not None]
    assert starts == sorted(starts)
    assert len({value.name for value in values}) == len(values)


def test_aliases_and_clause_lookup() -> None:
    assert read_facts("qualification", "从来没欠过税") == read_facts(Q, "从来没欠过税")
    assert reader.clause_of(Q, "tax_social_insurance_record_good") == "ref-gpl#第二十二条"
    assert reader.clause_of(M, "in_centralized_catalog") == "ref-gpl#第十八条"
    with pytest.raises(ValueError):
        read_facts("nonsense", "x")


class TestTwoCatalogs:
    """The 指导目录 decides what may be bought; the 集中采购目录 whether a 集中采购机构 must run it."""

    @pytest.mark.parametrize(
        ("text", "in_catalog", "in_centralized_catalog"),
        [
            ("该服务在指导目录内", True, None),
            ("不在本地政府购买服务指导目录里", False, None),
            ("这项服务列入了购买服务目录", True, None),
            ("不在集中采购目录内", None, False),
            ("在集中采购目录内", None, True),
            ("属于集中采购目录以外的项目", None, False),
            ("没有列入集采目录", None, False),
            ("在指导目录里，但不在集中采购目录里", True, False),
            ("是政府购买服务指导目录里的服务，也在集中采购目录内", True, True),
        ],
    )
    def test_each_catalog_feeds_only_its_own_fact(self, text: str, in_catalog, in_centralized_catalog) -> None:
        assert extract(E, text).in_catalog is in_catalog
        assert extract(M, text).in_centralized_catalog is in_centralized_catalog

    def test_a_bare_catalog_is_read_by_each_tool_as_its_own(self) -> None:
        assert extract(E, "这个服务不在目录里").in_catalog is False
        assert extract(M, "预算99万，目录外").in_centralized_catalog is False


class TestProcurementCircumstances:
    @pytest.mark.parametrize(
        ("text", "fact", "expected"),
        [
            ("目录外，低于分散采购限额", "below_quota", True),
            ("限额以下的服务项目", "below_quota", True),
            ("已经超过采购限额标准", "below_quota", False),
            ("达到公开招标数额标准了", "at_or_above_open_tender", True),
            ("公开招标数额标准以下", "at_or_above_open_tender", False),
            ("只能从有限范围的供应商处采购", "limited_supplier_range", True),
            ("符合条件的供应商很少，就那么几家", "limited_supplier_range", True),
            ("招标后没有供应商投标", "tender_failed", True),
            ("上次废标了", "tender_failed", True),
            ("流标了两次", "tender_failed", True),
            ("技术复杂或者性质特殊、不能确定详细规格", "specs_cannot_be_fixed", True),
            ("需求还不明确", "specs_cannot_be_fixed", True),
            ("招标所需时间不能满足紧急需要", "urgent_need_not_caused_by_purchaser", True),
            ("时间来不及公开招标", "urgent_need_not_caused_by_purchaser", True),
            ("不能事先计算出价格总额", "price_cannot_be_calculated_in_advance", True),
            ("服务数量事先没法确定", "price_cannot_be_calculated_in_advance", True),
            ("只有一家能做", "only_one_supplier", True),
            ("这是独家产品", "only_one_supplier", True),
            ("别的公司都做不了", "only_one_supplier", True),
            ("好几家都能做", "only_one_supplier", False),
            ("原来那家续签", "additional_purchase_for_consistency", True),
            ("需要向原供应商添购", "additional_purchase_for_consistency", True),
            ("突发自然灾害", "unforeseeable_emergency", True),
            ("已获批", "approved_non_open_method", True),
            ("还没批", "approved_non_open_method", False),
            ("全市就我们一家有这个资质和团队", "only_one_supplier", True),
            ("市场上能做的也就两三家", "limited_supplier_range", True),
            ("公开招标的费用占项目总价比例太大", "open_tender_cost_disproportionate", True),
        ],
    )
    def test_natural_phrasings(self, text: str, fact: str, expected: bool) -> None:
        assert getattr(extract(M, text), fact) is expected

    @pytest.mark.parametrize("text", ["只有两家实质性响应，被废标了", "就一家来投标", "才一家报名"])
    def test_a_count_of_bidders_is_no_count_of_suppliers_able_to_do_it(self, text: str) -> None:
        facts = extract(M, text)
        assert facts.only_one_supplier is None and facts.limited_supplier_range is None

    @pytest.mark.parametrize("text", ["预算年中再找财政追加", "年中再申请追加经费付钱", "等追加预算批下来再付"])
    def test_money_added_to_the_budget_is_no_add_on_purchase(self, text: str) -> None:
        assert extract(M, text).additional_purchase_for_consistency is None
        assert extract(M, "这次追加采购15万").additional_purchase_for_consistency is True

    def test_a_weak_add_on_phrasing_needs_an_original_contract_amount(self) -> None:
        assert extract(M, "还是找原供应商").additional_purchase_for_consistency is None
        assert extract(M, "原合同200万，还是找原供应商，这次15万").additional_purchase_for_consistency is True

    def test_qualitative_statements_without_an_amount(self) -> None:
        facts = extract(M, "我们县民政局的项目在集采目录外，低于分散采购限额，怎么采购？")
        assert (facts.amount_yuan, facts.in_centralized_catalog, facts.below_quota) == (None, False, True)


class TestSupplierExtraction:
    def test_all_conditions_met_fills_only_what_is_not_stated(self) -> None:
        facts = extract(Q, "我们是社会组织，欠过社保，其他各项条件都符合")
        assert facts.tax_social_insurance_record_good is False
        assert facts.good_reputation is True and facts.major_violation_last_3_years is False

    def test_a_violation_years_ago_is_kept_as_years(self) -> None:
        facts = extract(Q, "我们公司五年前被罚过款")
        assert facts.major_violation_years_ago == 5 and facts.major_violation_last_3_years is None

    def test_the_speakers_own_type_wins_over_a_type_mentioned_later(self) -> None:
        assert extract(Q, "我们是个体户，想跟一家公司合作承接").supplier_type.value == "个体工商户"
        assert extract(E, "我们是区教育局下属的一所中学").purchaser_type.value == "其他事业单位"


class TestDescriptionTables:
    def test_the_description_reader_looks_up_the_yaml_rows(self) -> None:
        from assistant.nlu.description import READER

        assert READER.read("采购一批办公家具").goods_or_works == "家具"
        assert READER.read("设置公益岗").negative_list_item == "公益性岗位"
        assert extract(Q, "我们是个体户").supplier_type.value == "个体工商户"
        assert extract(Q, "我们是一家公司，各项条件都符合").good_reputation is True


# ------------------------------------------------------------------------------------------------
# Replies to the assistant's numbered questions


class TestFillPending:
    PENDING_Q = ("good_reputation", "tax_social_insurance_record_good", "major_violation_last_3_years")

    def test_numbered_answers(self) -> None:
        assert fill_pending(Q, self.PENDING_Q, "1. 是 2. 否 3. 不清楚") == {
            "good_reputation": True,
            "tax_social_insurance_record_good": False,
            "said_unknown": ("major_violation_last_3_years",),  # 不清楚 is recorded: that condition then decides
        }
        assert fill_pending(E, ("funded_by_budget", "has_budget"), "1是2是") == {"funded_by_budget": True, "has_budget": True}
        assert fill_pending(E, ("funded_by_budget", "has_budget"), "1、是\n2、没有") == {"funded_by_budget": True, "has_budget": False}

    def test_one_answer_for_one_question(self) -> None:
        assert fill_pending(E, ("has_budget",), "是的") == {"has_budget": True}
        assert fill_pending(M, ("in_centralized_catalog",), "不在") == {"in_centralized_catalog": False}
        assert fill_pending(E, ("funded_by_budget", "has_budget"), "是的") == {}  # which one? nothing

    def test_one_answer_for_all(self) -> None:
        assert fill_pending(E, ("funded_by_budget", "has_budget"), "都是") == {"funded_by_budget": True, "has_budget": True}
        assert fill_pending(Q, ("good_reputation", "independent_civil_liability"), "都有") == {
            "good_reputation": True,
            "independent_civil_liability": True,
        }
        assert fill_pending(Q, ("good_reputation", "independent_civil_liability"), "都没有") == {
            "good_reputation": False,
            "independent_civil_liability": False,
        }

    def test_an_ordinal_answer(self) -> None:
        assert fill_pending(E, ("funded_by_budget", "has_budget"), "第二个不是") == {"has_budget": False}

    def test_comma_separated_answers_in_order(self) -> None:
        assert fill_pending(E, ("funded_by_budget", "has_budget"), "是，否") == {"funded_by_budget": True, "has_budget": False}

    def test_a_bare_amount_answers_the_amount_asked_for(self) -> None:
        assert fill_pending(M, ("amount_yuan", "in_centralized_catalog"), "50万") == {"amount_yuan": 500_000}
        assert fill_pending(M, ("original_contract_amount_yuan",), "200万") == {"original_contract_amount_yuan": 2_000_000}
        assert fill_pending(M, ("amount_yuan", "in_centralized_catalog"), "1. 50万 2. 不在") == {
            "amount_yuan": 500_000,
            "in_centralized_catalog": False,
        }
        assert fill_pending(M, ("amount_yuan",), "几十万") == {"amount_yuan": 200_000, "amount_upper_yuan": 900_000}

    def test_dont_know_leaves_the_fact_unset(self) -> None:
        assert fill_pending(E, ("has_budget",), "不清楚") == {"said_unknown": ("has_budget",)}  # unset, and recorded as not known
        assert fill_pending(E, ("has_budget",), "不知道。") == {"said_unknown": ("has_budget",)}

    def test_facts_stated_in_words_win_over_positional_answers(self) -> None:
        assert fill_pending(E, ("funded_by_budget", "has_budget"), "1. 是 2. 否，但是预算已经批了") == {
            "funded_by_budget": True,
            "has_budget": True,
        }
        assert fill_pending(M, ("amount_yuan", "in_centralized_catalog"), "预算三百万元，不在集中采购目录内") == {
            "amount_yuan": 3_000_000,
            "in_centralized_catalog": False,
        }
        assert fill_pending(E, ("purchaser_type", "funded_by_budget"), "1. 行政机关 2. 是") == {
            "purchaser_type": "行政机关",
            "funded_by_budget": True,
        }

    def test_a_fact_specific_reading_of_a_bare_answer(self) -> None:
        # 是否一直依法缴纳…，有没有欠缴记录？ — 没有 answers the second half: no arrears, a good record.
        assert fill_pending(Q, ("tax_social_insurance_record_good",), "没有") == {"tax_social_insurance_record_good": True}
        assert fill_pending(Q, ("major_violation_last_3_years",), "没有") == {"major_violation_last_3_years": False}
        assert fill_pending(E, ("is_goods_or_works",), "服务") == {"is_goods_or_works": False}

    def test_pending_names_that_are_not_facts_are_skipped(self) -> None:
        assert fill_pending(E, ("finance_department_confirmed", "has_budget"), "1. 是 2. 是") == {"has_budget": True}

    def test_the_result_fits_the_facts_model(self) -> None:
        values = fill_pending(M, ("amount_yuan", "in_centralized_catalog", "level"), "1. 八十多万 2. 否 3. 县级")
        facts = TOOLS[M].facts_model.model_validate(values)
        assert (facts.amount_yuan, facts.amount_upper_yuan, facts.in_centralized_catalog, facts.level.value) == (800_000, 900_000, False, "县级")


def test_a_threshold_named_after_open_tendering_is_not_a_method_asked_about():
    facts = extract(M, "项目180万，超过分散采购限额了但没到公开招标线，可以用啥方式？")
    assert facts.requested_method is None
    assert extract(M, "这个项目能公开招标吗？").requested_method is not None


def test_a_fact_the_user_says_they_do_not_know_is_recorded_as_such() -> None:
    assert extract(Q, "不清楚有没有欠过税").said_unknown == ("tax_social_insurance_record_good",)
    assert extract(Q, "从来没欠过税").said_unknown is None
    assert extract(Q, "有没有欠过税？").said_unknown is None  # a question is not a statement of not knowing


@pytest.mark.parametrize(
    "text, split, over",
    [
        ("能不能把一个大的服务项目拆成几个小包，每个都低于公开招标标准来采购？", True, None),
        ("一年里分几次买同类服务，每次都没到公开招标标准，但加起来超了", True, True),
        ("这个项目一次性采购，不分包", None, None),
    ],
)
def test_a_split_purchase_and_its_total_are_read(text, split, over):
    facts = extract("procurement_method", text)
    assert facts.split_into_parts == split and facts.cumulative_above_open_tender == over
    # (每个都低于公开招标标准 stays as read: the method rule takes it as the parts' side, not the purchase's)


# ------------------------------------------------------------------------------------------------
# Seventh round (2026-12-02): overrides, each with its case


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("街道想把几个小公园的绿化日常养护交给公司做，不涉及新建改造，年初预算有", False),  # 不涉及 denies the works
        ("这个项目不含任何施工内容", False),
        ("镇里想让一家公司先把村道修了，钱分五年给", True),  # the road before the verb is still works
        ("让企业先把几条村道修好，再养护十年", True),
    ],
)
def test_what_a_purchase_takes_in_is_read_with_its_negation(text, expected):
    assert extract(E, text).is_goods_or_works is expected


def test_an_agency_named_by_its_bureau_is_the_purchaser_a_supplier_tells_of():
    facts = extract(E, "我们是做心理援助的社会组织，听说卫健局打算把心理援助热线交给专业机构运营")
    assert facts.purchaser_type is not None and facts.purchaser_type.value == "行政机关"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们是十几个人的志愿者团队，还没在民政注册", "社会组织"),  # 几个人 is no 个人
        ("就是我们几个退休老师自己组的兴趣小组", "社会组织"),
        ("我一个人能接政府的活吗", "自然人"),
    ],
)
def test_who_supplies_is_read_from_groups_and_persons(text, expected):
    facts = extract(Q, text)
    assert facts.supplier_type is not None and facts.supplier_type.value == expected


@pytest.mark.parametrize(
    ("text", "fact", "value"),
    [
        ("大概八十多万，查过了，超过我们这里的公开招标数额标准", "at_or_above_open_tender", True),
        ("项目60万，低于我们区的分散采购限额", "below_quota", True),
    ],
)
def test_a_place_between_the_verb_and_the_standard_still_states_the_side(text, fact, value):
    assert getattr(extract(M, text), fact) is value


def test_responsive_bidders_counted_are_no_limited_range_of_suppliers():
    facts = extract(M, "招标的时候只有两家做了实质性响应，结果废标了")
    assert facts.limited_supplier_range is None and facts.tender_failed is True


def test_a_split_into_parts_of_a_stated_amount_is_a_split():
    assert extract(M, "一年培训服务预算大概250万，想拆成五个50万的包分开找人做").split_into_parts is True


def test_the_original_contract_named_with_its_kind_is_the_original_contract():
    facts = extract(M, "原来的运维合同一百来万，现在为了配套要加点服务，大概八万左右")
    assert facts.original_contract_amount_yuan == 1_000_000 and facts.amount_yuan is not None and facts.amount_yuan < 100_000


def test_a_standard_the_user_states_is_read_as_that_standard_not_as_the_budget():
    facts = extract(M, "大概80万，不在集中采购目录里，我们是区级，财政说分散采购限额是100万")
    assert facts.quota_told_yuan == 1_000_000 and facts.amount_yuan is not None and facts.amount_yuan < 1_000_000
