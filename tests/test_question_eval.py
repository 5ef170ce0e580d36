"""How an outside reviewer's questions are scored: which rule applies today (current_rule) and articles only the
statutes state (statute). The answers here are built by hand, so each measure is checked on its own."""

from __future__ import annotations

from assistant.models import Answer, Citation
from assistant.question_eval import QuestionCase, score, summarise

MOF_10 = Citation(doc_id="ref-mof-102", clause_id="第十条", label="财政部令第102号 第十条", text="以下事项不得作为政府购买服务的内容")
LOCAL_41 = Citation(doc_id="wzb-2014-118", clause_id="四（一）", label="温政办〔2014〕118号 四（一）", text="公益性岗位等基本公共服务领域")
GPL_22 = Citation(doc_id="ref-gpl", clause_id="第二十二条", label="政府采购法 第二十二条", text="供应商参加政府采购活动应当具备下列条件")
DOCUMENTS = {"ref-mof-102": "政府购买服务管理办法 财政部令第102号", "wzb-2014-118": "实施意见 温政办〔2014〕118号", "ref-gpl": "中华人民共和国政府采购法 "}

POSTS = QuestionCase.model_validate(
    {
        "id": "t-1",
        "kind": "current_rule",
        "question": "公益性岗位还能买吗",
        "expected_source": "财政部令第102号 第十条",
        "answer_points": ["公益性岗位", "不得"],
        "local_clause": "四（一）",
    }
)


def _score(case: QuestionCase, text: str, *citations: Citation, answerable: bool = True):
    answer = Answer(answer=text, answerable=answerable, intent="policy_question", citations=citations)
    return score(case, answer, has_amount=lambda _: False, documents=DOCUMENTS)


def test_the_current_rule_first_with_the_local_difference_flagged_counts():
    result = _score(POSTS, "设置公益性岗位不得作为购买内容。[1]\n本市2014年文件曾列为加大购买领域[2]；以102号令为准。", MOF_10, LOCAL_41)
    assert result.current_rule and result.local_flagged and not result.superseded_as_current


def test_the_local_rule_cited_first_is_a_superseded_rule_presented_as_current():
    result = _score(POSTS, "公益性岗位要逐步加大购买力度[1]，不得…[2]；本市文件以102号令为准。", LOCAL_41, MOF_10)
    assert result.superseded_as_current


def test_quoting_the_local_text_without_saying_it_yields_is_presented_as_current():
    result = _score(POSTS, "设置公益性岗位不得购买[1]。公益性岗位要加大力度[2]。", MOF_10, LOCAL_41)
    assert result.superseded_as_current and not result.local_flagged and not result.current_rule


def test_the_governing_article_must_be_among_the_first_three_citations():
    far = [Citation(doc_id="ref-gpl", clause_id=f"第{n}条", label=f"政府采购法 第{n}条", text="") for n in "一二三"]
    result = _score(POSTS, "公益性岗位不得购买；本市2014年文件不再适用。", *far, MOF_10)
    assert result.hit3 == 0.0 and not result.current_rule


def test_a_declined_question_states_no_rule():
    result = _score(POSTS, "文件未作规定。公益性岗位 不得 118号 为准", MOF_10, answerable=False)
    assert not result.current_rule and not result.local_flagged and not result.superseded_as_current


def test_where_the_local_text_is_silent_no_flag_is_needed():
    case = POSTS.model_copy(update={"local_clause": ""})
    result = _score(case, "设置公益性岗位不得作为购买内容。[1]", MOF_10)
    assert result.current_rule and result.local_flagged is None and result.superseded_as_current is None


def test_either_of_two_governing_sources_is_accepted():
    case = POSTS.model_copy(update={"expected_source": "财政部令第102号 第十条；政府采购法 第二十二条", "local_clause": ""})
    assert _score(case, "公益性岗位不得。[1]", GPL_22).hit1 == 1.0


def test_a_statute_question_is_cited_when_its_article_is_in_the_first_three():
    case = QuestionCase.model_validate(
        {"id": "t-2", "kind": "statute", "question": "供应商要具备什么条件", "expected_source": "政府采购法 第二十二条", "answer_points": ["独立承担民事责任"]}
    )
    cited = _score(case, "具有独立承担民事责任的能力[2]", MOF_10, GPL_22)
    report = summarise("t", [cited, _score(case, "文件未作规定", answerable=False)])
    assert report.figures["statute_cited"] == 0.5 and report.figures["statute_hit@1"] == 0.0


def test_boilerplate_that_asks_to_check_the_official_text_is_not_a_flag():
    lead = "根据温政办〔2014〕118号 四（一）（参考摘要，非原文，请以正式文本为准）：\n- 公益性岗位不得[1]"
    assert not _score(POSTS, lead, MOF_10, LOCAL_41).local_flagged
