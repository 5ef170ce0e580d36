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


# ----------------------------------------------------------------- which rule applies on which day (issue 7)
from datetime import date  # noqa: E402

from typer.testing import CliRunner  # noqa: E402

from assistant.cli import app  # noqa: E402
from assistant.dialogue import _governing_ahead  # noqa: E402
from assistant.models import DocumentMeta  # noqa: E402
from assistant.relations import Relation  # noqa: E402

BEFORE_102, FROM_102 = date(2020, 2, 29), date(2020, 3, 1)


def test_today_the_superseded_list_of_purchasers_is_cited_after_the_rule_that_replaced_it(real_assistant):
    answer = real_assistant.ask("事业单位可以作为购买主体吗")
    labels = [c.label for c in answer.citations]
    assert labels[0] == "财政部令第102号 第五条" and labels.index("温政办〔2014〕118号 三（一）") > 0
    lines = answer.answer.splitlines()
    assert lines[1].startswith("- 现行规定（财政部令第102号 第五条，自2020-03-01起施行；施行日期未经官方文本核实）")
    said = next(i for i, line in enumerate(lines) if "温州市2014年文件（温政办〔2014〕118号 三（一））曾规定：" in line)
    assert said > 1 and "温州市2014年文件与上位规定不一致之处，以财政部令第102号为准" in lines[-1]


def test_the_day_before_102_took_effect_the_2014_text_is_the_rule_and_102_is_not_cited(real_assistant):
    before = real_assistant.ask("事业单位可以作为购买主体吗", on=BEFORE_102)
    assert before.citations[0].label == "温政办〔2014〕118号 三（一）"
    assert not any(c.doc_id == "ref-mof-102" for c in before.citations)
    assert "现行规定" not in before.answer and "按 2020-02-29 当时已施行的文件回答" in before.answer
    on_the_day = real_assistant.ask("事业单位可以作为购买主体吗", on=FROM_102)
    assert on_the_day.citations[0].label == "财政部令第102号 第五条"


def test_a_national_clause_that_answers_brings_the_local_text_it_changed(real_assistant):
    answer = real_assistant.ask("竞争性磋商能用于政府购买服务项目吗")
    assert answer.citations[0].label == "财库〔2014〕214号 第三条"
    assert "温州市2014年文件（温政办〔2014〕118号 五（二））曾规定" in answer.answer
    assert answer.answer.splitlines()[-1].endswith("以财库〔2014〕214号为准；建议向同级财政部门确认。")


def test_public_welfare_posts_today_the_2014_encouragement_is_a_note_not_a_condition(real_assistant):
    answer = real_assistant.ask("我们街道现在还能用购买服务的方式设公益性岗位吗？")
    decision = answer.decision
    assert decision is not None and decision.outcome == "no"
    assert "cl_4_1_item_is_purchasable_content" not in {c.condition for c in decision.conditions}
    assert any(n.startswith("2014年本地规定（符合）") and "现以财政部令第102号第十条为准（不符合）" in n for n in decision.notes)
    assert "现行规定与本市2014年文件的不同：" in answer.answer and "温政办〔2014〕118号 四（一）曾有不同规定" in answer.answer


def test_public_welfare_posts_before_102_follow_the_2014_text(real_assistant):
    decision = real_assistant.ask("我们街道现在还能用购买服务的方式设公益性岗位吗？", on=BEFORE_102).decision
    assert decision is not None and decision.outcome != "no"
    assert not any(c.doc_id == "ref-mof-102" for c in real_assistant.ask("公益性岗位能买吗", on=BEFORE_102).citations)


def test_an_inquiry_for_a_service_cites_the_law_that_confines_inquiry_to_goods_first(real_assistant):
    answer = real_assistant.ask("区里公布了个物业服务的采购结果，方式那栏写的是询价。服务类也能询价吗？")
    assert answer.citations[0].label == "政府采购法 第三十二条"
    assert "温政办〔2014〕118号 五（二）曾有不同规定" in answer.answer
    assert "温州市2014年文件与上位规定不一致之处，以政府采购法 第三十二条" in answer.answer


def test_a_local_clause_cited_before_the_clause_that_changed_it_moves_just_after_it():
    relation = Relation(local="w#三（一）", governing="m#第五条", kind="narrowed", note="购买主体现为国家机关")
    assert _governing_ahead(["a#一", "w#三（一）", "b#二", "m#第五条"], [relation]) == ["a#一", "b#二", "m#第五条", "w#三（一）"]
    assert _governing_ahead(["m#第五条", "w#三（一）"], [relation]) == ["m#第五条", "w#三（一）"]


def test_a_document_is_in_force_from_its_effective_date_until_it_expires():
    meta = DocumentMeta(
        doc_id="x", title="办法", doc_number="", issuer="财政部", date=date(2020, 1, 3), status="现行有效", scope="全国",
        level="部门规章", effective=date(2020, 3, 1), expires=date(2030, 1, 1),
    )
    assert not meta.in_force_on(BEFORE_102) and meta.in_force_on(FROM_102) and not meta.in_force_on(date(2030, 1, 1))
    assert meta.rank > DocumentMeta(**{**meta.model_dump(), "level": "地方规范性文件"}).rank
    assert not DocumentMeta(**{**meta.model_dump(), "status": "已废止"}).in_force_on(FROM_102)


def test_every_shipped_document_states_its_level_and_when_it_took_effect(real_assistant):
    levels = {d.doc_id: (d.level, d.in_force_from) for d in real_assistant.documents()}
    assert levels["ref-gpl"] == ("法律", date(2003, 1, 1))
    assert levels["ref-gpl-reg"] == ("行政法规", date(2015, 3, 1))
    assert levels["ref-mof-102"] == ("部门规章", date(2020, 3, 1))
    assert levels["wzb-2014-118"][0] == "地方规范性文件"
    assert all(level is not None for level, _ in levels.values())
    assert not next(d for d in real_assistant.documents() if d.doc_id == "ref-mof-102").effective_verified


def test_ask_on_a_date_from_the_command_line(real_assistant, monkeypatch):
    monkeypatch.setenv("POLICY_ASSISTANT_INDEX", str(real_assistant.settings.index_dir))
    monkeypatch.setenv("POLICY_ASSISTANT_CORPUS", str(real_assistant.settings.corpus_dir))
    runner = CliRunner()
    before = runner.invoke(app, ["ask", "--on", "2019-06-01", "事业单位可以作为购买主体吗"])
    today = runner.invoke(app, ["ask", "事业单位可以作为购买主体吗"])
    assert before.exit_code == 0 and today.exit_code == 0
    assert "财政部令第102号" not in before.stdout and "财政部令第102号 第五条" in today.stdout
    bad = runner.invoke(app, ["ask", "--on", "2019-13-01", "事业单位可以作为购买主体吗"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output and "Traceback" not in bad.output


def test_a_question_about_what_the_2014_text_said_gets_todays_rule_first_and_the_2014_text_beside_it(real_assistant):
    historical = real_assistant.ask("按118号文，哪些单位可以作为政府购买服务的购买主体？")
    assert historical.citations[0].label == "财政部令第102号 第五条" and "现行规定（财政部令第102号 第五条" in historical.answer
    assert historical.citations[1].label == "温政办〔2014〕118号 三（一）"
    assert "温州市2014年文件（温政办〔2014〕118号 三（一））曾规定" in historical.answer
    today = real_assistant.ask("按118号文，事业单位现在还能作为购买主体吗？")  # names the text, asks about today
    assert today.citations[0].label == "财政部令第102号 第五条"


def test_a_rule_that_only_adds_to_the_2014_text_leaves_it_first_for_what_it_already_says(real_assistant):
    """102号令 第六条 extends 三（二） (more kinds of supplier): a question about the conditions 三（二） states is answered
    from 三（二）; a question about an individual, which only 第六条 allows, from 第六条."""
    assert real_assistant.ask("承接主体需要具备哪些条件").citations[0].label == "温政办〔2014〕118号 三（二）"
    assert real_assistant.ask("具备条件的个人能当承接主体吗").citations[0].doc_id == "ref-mof-102"


def test_supplier_conditions_today_include_what_the_law_adds_to_the_2014_list(real_assistant):
    """三（二）'s six conditions lack 政府采购法第二十二条's 三年内无重大违法记录, which 102号令第七条 requires."""
    answer = real_assistant.ask("供应商参加购买服务项目要满足哪些条件，现在还是按市里文件那几条吗")
    assert answer.citations[0].label == "财政部令第102号 第七条"
    assert "重大违法记录" in answer.answer.splitlines()[1] and "曾规定" in answer.answer


def test_a_decision_says_once_which_text_prevails(real_assistant):
    answer = real_assistant.ask("我是一名持证社工，能不能以个人身份接街道的个案辅导服务？")
    assert answer.decision is not None and answer.decision.tool == "supplier_qualification"
    assert answer.answer.count("与上位规定不一致之处") == 1
    assert answer.citations[0].label == "财政部令第102号 第六条"


def test_a_service_outside_the_catalog_is_answered_from_the_2017_notice_with_the_2014_text_beside(real_assistant):
    """财预〔2017〕87号 二: 未纳入指导性目录又确需购买的，报财政部门审核备案后调整实施 — which 118号 四（二） does not say."""
    answer = real_assistant.ask("不在指导性目录里但确实要买的服务怎么办")
    assert answer.citations[0].label == "财预〔2017〕87号 二"
    assert "审核备案" in answer.answer and "以财预〔2017〕87号为准" in answer.answer


def test_the_2017_notice_is_a_paraphrase_that_says_where_it_was_checked(real_assistant):
    notice = next(d for d in real_assistant.documents() if d.doc_id == "ref-cy-87")
    assert notice.status == "摘要" and notice.level == "部门规范性文件" and "核对" in notice.source
    assert "先有预算、后购买服务" in real_assistant.clause("ref-cy-87#三").text


def test_of_two_national_clauses_that_match_alike_the_one_that_changed_the_local_rule_answers(real_assistant):
    """四（一） is restated by 102号令第九条 (what may be bought) and contradicted by 第十条 (公益性岗位): a question about
    公益性岗位 today gets 第十条 first and its 现行规定 line."""
    answer = real_assistant.ask("公益性岗位还能用购买服务的钱开吗")
    assert answer.citations[0].label == "财政部令第102号 第十条"
    assert "温政办〔2014〕118号 四（一）" in [c.label for c in answer.citations]


def test_a_question_that_names_the_2014_text_and_asks_whether_it_holds_is_about_today(real_assistant):
    answer = real_assistant.ask("政府采购网上的购买服务项目用竞争性磋商，这种方式合法吗？温州2014年文件里没有")
    assert answer.citations[0].doc_id == "ref-czk-214" and "以财库〔2014〕214号为准" in answer.answer
