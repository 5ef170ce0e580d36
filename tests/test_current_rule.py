"""Which rule applies today: a cited local clause brings the national clause that governs it (corpus/relations.yaml),
the answer states the current rule first, and a document the index does not hold is not answered from."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.relations import RelationKind, Relations

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_every_relation_names_clauses_the_index_holds(real_assistant):
    keys = [c.key for c in real_assistant.clauses()]
    relations = Relations.load(CORPUS, keys)
    assert relations.governing("wzb-2014-118#三（一）")[0].governing == "ref-mof-102#第五条"


def test_a_relation_to_a_clause_that_does_not_exist_is_refused(tmp_path: Path):
    (tmp_path / "relations.yaml").write_text(
        "version: 1\nrelations:\n  - {local: 'a#一', governing: 'b#第九十九条', kind: narrowed, note: 某条已被收窄了}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="b#第九十九条"):
        Relations.load(tmp_path, ["a#一"])


def test_a_malformed_relations_file_names_itself(tmp_path: Path):
    (tmp_path / "relations.yaml").write_text("version: 1\nrelations:\n  - {local: 'a#一', kind: sideways}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="relations"):
        Relations.load(tmp_path)


def test_a_restated_rule_changes_nothing_and_a_narrowed_one_does():
    assert not Relations().governing("x#一")
    relations = Relations.load(CORPUS)
    kinds = {r.governing: r.kind for r in relations.governing("wzb-2014-118#四（一）")}
    assert kinds["ref-mof-102#第十条"] is RelationKind.CONTRADICTED


def test_who_may_buy_is_answered_with_the_current_rule_first(real_assistant):
    answer = real_assistant.ask("购买主体是谁")
    first_line = answer.answer.splitlines()[1]
    assert "现行规定" in first_line and "财政部令第102号 第五条" in first_line
    labels = [c.label for c in answer.citations[:3]]
    assert "温政办〔2014〕118号 三（一）" in labels and "财政部令第102号 第五条" in labels


def test_public_welfare_posts_are_refused_citing_the_negative_list_first(real_assistant):
    answer = real_assistant.ask("我们街道现在还能用购买服务的方式设公益性岗位吗？")
    assert answer.decision is not None and answer.decision.outcome == "no"
    assert answer.citations[0].label == "财政部令第102号 第十条"
    assert not answer.decision.missing  # a failed condition settles it: nothing more is asked


@pytest.mark.parametrize("question", ["财政部令第87号对评标委员会怎么规定的", "财库〔2020〕10号说了什么", "《浙江省政府购买服务实施办法》有哪些规定"])
def test_a_document_the_index_does_not_hold_is_not_answered_from(real_assistant, question):
    answer = real_assistant.ask(question)
    assert not answer.answerable and "现有文件中没有" in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "浙政办发〔2014〕72号里省级购买目录是怎么分类的？",  # only quoted by 118号: its own content is not held
        "原来温政办〔2011〕172号文件里对社会组织有哪些扶持政策？",
        "招标投标法实施条例对评标委员会专家人数是怎么规定的？",  # a law named without brackets, not held
        "劳动合同法对经济补偿怎么规定",
    ],
)
def test_what_a_document_only_quoted_or_named_says_itself_is_not_answered(real_assistant, question):
    answer = real_assistant.ask(question)
    assert not answer.answerable and "现有文件中没有" in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "118号文是根据国办发〔2013〕96号制定的吗",
        "麻烦调一下财政部令第102号第8条",
        "国务院令第658号第二十五条",
        "政府采购工程适用招标投标法吗？",  # answered by the held statute that quotes it
        "政府采购法对供应商有什么要求",
        "这种做法对吗？政府购买服务能不能让承接方先垫资",
        "现在购买主体还按2014年118号文来认定吗？听说国家出了新的管理办法",  # 2014 names the document, no date is asked
    ],
)
def test_a_document_the_index_holds_or_quotes_is_answered(real_assistant, question):
    assert real_assistant.ask(question).answerable


@pytest.mark.parametrize("question", ["购买服务合同最长能签几年", "物业服务合同能不能一次签三年？省得每年都采购"])
def test_how_long_a_contract_may_run_is_answered_from_the_national_rule_first(real_assistant, question):
    """财政部令第102号第二十四条 (一般不超过1年，符合条件的可至3年): its note no longer ranks below 政府采购法第四十九条."""
    assert real_assistant.ask(question).citations[0].label == "财政部令第102号 第二十四条"


def test_a_labour_law_question_about_a_probation_period_is_declined(real_assistant):
    assert not real_assistant.ask("劳动合同的试用期最长能约定多久").answerable
