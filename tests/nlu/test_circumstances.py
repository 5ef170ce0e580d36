"""Statutory circumstances read by meaning: a classifier over sentence vectors, negation and questions excluded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from assistant.errors import ConfigError
from assistant.nlu.circumstances import NONE, CircumstanceReader, load, load_or_train, sibling_statements, training_set

from .test_intent import fake_embed

ROOT = Path(__file__).resolve().parents[2]

SMALL = {
    "version": 1,
    "circumstances": {
        "tender_failed": {"describes": ["招标流标了", "没有人来投标", "招标失败了", "投标人不够三家", "废标了"], "near_misses": ["招标很顺利"]},
        "only_one_supplier": {"describes": ["只有原厂能做", "独家专利", "只有一家能提供", "原厂独家维护", "专有技术只此一家"], "near_misses": ["很多家都能做"]},
    },
}


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "circumstances.yaml"
    path.write_text(yaml.safe_dump(SMALL, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.unit
def test_the_training_set_labels_near_misses_and_other_questions_as_none(small_file: Path):
    texts, labels = training_set(load(small_file), ["什么是政府购买服务"])
    assert labels.count("tender_failed") == 5 and labels.count("only_one_supplier") == 5
    assert labels.count(NONE) == 3 and "什么是政府购买服务" in texts


@pytest.mark.unit
def test_a_plain_statement_is_read_and_a_negated_or_asked_one_is_not(small_file: Path):
    texts, labels = training_set(load(small_file), ["你好", "什么是政府购买服务", "承接主体要什么条件"])
    reader = CircumstanceReader.train(np.vstack([fake_embed(t) for t in texts]), labels)
    assert reader.read("上个月招标流标了，怎么办", fake_embed) == {"tender_failed": True}
    assert reader.read("不是只有原厂能做", fake_embed) == {}
    assert reader.read("是不是只有原厂能做？", fake_embed) == {}


@pytest.mark.unit
def test_what_another_reader_describes_is_a_negative_of_this_one(small_file: Path):
    claims = {"version": 1, "circumstances": {"has_budget=true": {"describes": ["钱在部门预算里", "预算批了"], "near_misses": ["有没有预算？"]}}}
    small_file.with_name("eligibility_claims.yaml").write_text(yaml.safe_dump(claims, allow_unicode=True), encoding="utf-8")
    small_file.with_name("notes.yaml").write_text(yaml.safe_dump(claims, allow_unicode=True), encoding="utf-8")  # not a reader's file
    assert sibling_statements(small_file) == ["钱在部门预算里", "预算批了"]  # its describes, not its near misses
    assert "招标流标了" in sibling_statements(small_file.with_name("eligibility_claims.yaml"))
    texts, labels = training_set(load(small_file), sibling_statements(small_file))
    assert labels[texts.index("钱在部门预算里")] == NONE


@pytest.mark.unit
def test_an_a_not_a_question_states_nothing_and_a_doubt_names_its_topic(small_file: Path):
    texts, labels = training_set(load(small_file), ["你好", "什么是政府购买服务", "承接主体要什么条件"])
    reader = CircumstanceReader.train(np.vstack([fake_embed(t) for t in texts]), labels)
    assert reader.read("上个月招标流标了", fake_embed) == {"tender_failed": True}
    assert reader.read("上个月招标流没流标", fake_embed) == {}  # 流没流标: asked, not stated
    assert reader.unsure_topics("不确定上个月招标流标了没", fake_embed) == ["tender_failed"]
    assert reader.unsure_topics("上个月招标流标了", fake_embed) == []  # no doubt, no topic


@pytest.mark.unit
def test_who_asks_claims_a_sub_sentence_only_when_it_is_most_of_it(small_file: Path):
    texts, labels = training_set(load(small_file), ["你好", "什么是政府购买服务", "承接主体要什么条件"])
    reader = CircumstanceReader.train(np.vstack([fake_embed(t) for t in texts]), labels)
    assert reader.read("镇里上个月招标流标了", fake_embed, covering=["镇里"]) == {"tender_failed": True}
    assert reader.read("镇里招标流标了", fake_embed, covering=["镇里招标"]) == {}  # the identity phrase is most of it
    assert reader.read("镇里上个月招标流标了", fake_embed, claimed=["镇里"]) == {}  # a claimed phrase takes it whole


@pytest.mark.unit
def test_the_items_of_a_numbered_list_are_sub_sentences_of_their_own():
    from assistant.nlu.circumstances import sub_sentences

    assert sub_sentences("1. 是民政登记的社会组织 2. 没有 3. 税和社保一直正常交") == ["1. 是民政登记的社会组织", "2. 没有", "3. 税和社保一直正常交"]


@pytest.mark.unit
def test_a_malformed_file_names_itself(tmp_path: Path):
    bad = tmp_path / "circumstances.yaml"
    bad.write_text("version: 1\ncircumstances:\n  tender_failed: {describe: [x]}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="circumstances.yaml"):
        load(bad)


@pytest.mark.unit
def test_the_reader_is_cached_by_its_training_data(small_file: Path, tmp_path: Path):
    calls: list[str] = []

    def counting(text: str) -> np.ndarray:
        calls.append(text)
        return fake_embed(text)

    load_or_train(small_file, lambda: ["你好"], "v1", tmp_path / "cache", "fake", counting)
    trained = len(calls)
    load_or_train(small_file, lambda: ["你好"], "v1", tmp_path / "cache", "fake", counting)
    assert len(calls) == trained
    load_or_train(small_file, lambda: ["你好", "谢谢"], "v2", tmp_path / "cache", "fake", counting)
    assert len(calls) > trained


@pytest.mark.unit
def test_the_shipped_file_covers_the_method_grounds_of_the_procurement_facts():
    from assistant.rules.procurement import ProcurementFacts

    circumstances = load(ROOT / "corpus" / "nlu" / "circumstances.yaml")
    assert set(circumstances) <= set(ProcurementFacts.model_fields)
    assert all(len(c.describes) >= 15 for c in circumstances.values())


@pytest.mark.integration
@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("这套系统的核心模块是厂商独有的专利，别人维护不了", "only_one_supplier"),
        ("第一次招标一个投标的都没有", "tender_failed"),
        ("要做的东西太新了，需求我们自己也写不清楚", "specs_cannot_be_fixed"),
    ],
)
def test_the_shipped_reader_reads_a_circumstance_described_in_new_words(real_assistant, text: str, fact: str):
    conversation = real_assistant._conversation
    assert conversation.stated_facts("procurement_method", text).get(fact) is True


def test_the_restated_facts_keep_what_the_user_does_not_know_until_it_is_stated() -> None:
    from assistant.nlu.conversation import _restate

    carried = {"supplier_type": "企业", "said_unknown": ["tax_social_insurance_record_good"]}
    assert _restate(carried, {"good_reputation": True})["said_unknown"] == ["tax_social_insurance_record_good"]
    settled = _restate(carried, {"tax_social_insurance_record_good": True})
    assert "said_unknown" not in settled and settled["tax_social_insurance_record_good"] is True
    assert _restate(carried, {"said_unknown": ("major_violation_last_3_years",)})["said_unknown"] == [
        "tax_social_insurance_record_good",
        "major_violation_last_3_years",
    ]


@pytest.mark.unit
@pytest.mark.parametrize(("name", "tool"), [("eligibility_claims", "purchase_eligibility"), ("qualification_claims", "supplier_qualification")])
def test_the_shipped_claim_files_label_real_facts_of_their_tool(name: str, tool: str):
    from assistant.nlu.circumstances import label_fact
    from assistant.nlu.conversation import SITUATION_FILES
    from assistant.rules import TOOLS

    claims = load(ROOT / "corpus" / "nlu" / f"{name}.yaml")
    assert name in SITUATION_FILES[tool]
    model = TOOLS[tool].facts_model
    for label, item in claims.items():
        fact, value = label_fact(label)
        assert fact in model.model_fields, label
        model.model_validate({fact: value})  # the value is one the rule accepts
        assert len(item.describes) >= 40 and len(item.near_misses) >= 15, label


@pytest.mark.integration
@pytest.mark.parametrize(
    ("text", "tool", "fact", "value"),
    [
        ("钱已经列进今年的部门预算了", "purchase_eligibility", "has_budget", True),
        ("我们的税和社保一直按时交", "supplier_qualification", "tax_social_insurance_record_good", True),
        ("我们和另一家投标的公司法人是同一个人", "supplier_qualification", "related_bidder_same_item", True),
        ("有没有欠过税我不知道", "supplier_qualification", "tax_social_insurance_record_good", None),
    ],
)
def test_the_shipped_claim_readers_read_a_claim_in_new_words_and_not_a_question(real_assistant, text, tool, fact, value):
    assert real_assistant._conversation.stated_facts(tool, text).get(fact) is value


@pytest.mark.unit
def test_a_label_with_its_own_bar_needs_more_than_the_file_bar(tmp_path: Path):
    from assistant.nlu.circumstances import CircumstanceReader

    reader = CircumstanceReader(np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]), np.zeros(3), ["adverse", "plain", NONE])
    vector = np.array([2.0, 0.0])  # "adverse" at about 0.58 of the softmax
    embed = lambda text: vector  # noqa: E731
    assert reader.read("一句话的描述", embed, min_probability=0.5) == {"adverse": True}
    reader.label_thresholds = {"adverse": 0.8}
    assert reader.read("一句话的描述", embed, min_probability=0.5) == {}


def test_a_joined_label_is_also_read_on_the_turn_taken_together_and_no_other_label_is(tmp_path: Path):
    """询价's conditions told one per sub-sentence: each part alone states nothing, the parts together do."""
    reader = CircumstanceReader(np.array([[5.0, 0.0], [0.0, 5.0], [0.0, 0.0]]), np.zeros(3), ["inquiry", "other", NONE])
    each_part = np.array([1.0, 1.0])  # inquiry and other alike: below the bar
    vectors = {"规格统一的打印纸": each_part, "市场上货很多": each_part, "规格统一的打印纸，市场上货很多": np.array([1.0, 0.0])}
    embed = lambda text: vectors[text]  # noqa: E731
    assert reader.read("规格统一的打印纸，市场上货很多", embed, min_probability=0.7) == {}
    reader.joined_labels = frozenset({"inquiry"})
    assert reader.read("规格统一的打印纸，市场上货很多", embed, min_probability=0.7) == {"inquiry": True}
    vectors["规格统一的打印纸，市场上货很多"] = np.array([0.0, 3.0])  # the whole read as a label that is not joined
    assert reader.read("规格统一的打印纸，市场上货很多", embed, min_probability=0.7) == {}


@pytest.mark.integration
@pytest.mark.parametrize(
    "text",
    ["我们要采购一批规格统一的打印纸，市场上货很多，价格也一直很稳", "这批灭火器都是国标型号，好几家经销商都有现货，价格多年没变"],
)
def test_goods_told_as_standard_in_ample_supply_at_a_steady_price_may_be_bought_by_inquiry(real_assistant, text: str):
    """政府采购法第三十二条: the circumstance is read, and it makes the purchase one of goods."""
    facts = real_assistant._conversation.stated_facts("procurement_method", text)
    assert facts.get("goods_standardised_ample_supply") is True and facts.get("object_type") == "货物"


@pytest.mark.integration
@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("公开招标挂出去了，到截止时间一家都没来投，接下来咋办", "tender_failed"),  # the tender in one part, no bidder in the next
        ("全市能做这种康复服务的机构就三四家，只能在这几家里面选", "limited_supplier_range"),
    ],
)
def test_a_circumstance_told_as_a_story_over_several_sub_sentences_is_read(real_assistant, text: str, fact: str):
    assert real_assistant._conversation.stated_facts("procurement_method", text).get(fact) is True


@pytest.mark.integration
def test_a_turn_taken_together_adds_no_label_that_is_not_told_in_parts(real_assistant):
    facts = real_assistant._conversation.stated_facts("procurement_method", "一年培训服务预算大概250万，想拆成五个50万的包分开找人做，这样就不用招标了吧")
    assert facts.get("open_tender_cost_disproportionate") is None


@pytest.mark.integration
def test_a_fault_denied_is_a_positive_claim_not_the_fault(real_assistant):
    """专业能力没问题: the encoder reads 问题, so the idiom is read as 良好 (the sixth round's known failure)."""
    read = real_assistant._conversation._situations("supplier_qualification", "就他个人，专业能力没问题")
    assert read.get("has_facilities_staff_expertise") is True


@pytest.mark.integration
def test_a_service_told_as_standard_is_not_read_as_goods(real_assistant):
    facts = real_assistant._conversation.stated_facts("procurement_method", "我们买的是机关保洁服务，标准统一，很多公司能做，价格稳定")
    assert facts.get("object_type") != "货物"


@pytest.mark.parametrize(
    "text",
    [
        "我们不招人，就按服务时长和点位数付钱给机构",  # denies own staffing (102号令第十条（五）)
        "不是买设备，是请人来做系统运维",  # denies goods
        "这个项目没有融资，钱年初就列了预算",  # denies financing
    ],
)
def test_a_negated_situation_is_out_of_the_eligibility_situation_readers_scope(real_assistant, text: str):
    read = real_assistant._conversation._situations("purchase_eligibility", text, frozenset({"eligibility_situations"}))
    assert read.get("negative_list_item") is None and read.get("is_goods_or_works") is None
