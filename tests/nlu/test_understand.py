"""Routing of one turn: clause references, dialogue state, confident intents only start decisions."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.models import DialogueState
from assistant.nlu.models import ClauseRef, Intent, IntentScore, Span
from assistant.nlu.understand import Readers, Understander

pytestmark = pytest.mark.unit


def readers(ranking, *, refs=(), facts=False, filled=None, tools=()):
    return Readers(
        classify=lambda text, vector: tuple(IntentScore(intent=i, probability=p) for i, p in ranking),
        clause_refs=lambda text: tuple(refs),
        states_facts=lambda tool, text: facts,
        fills_pending=lambda tool, pending, text: dict(filled or {}),
        tools_in_order=lambda text: list(tools),
    )


VECTOR = np.zeros(4)
REF = ClauseRef(key="wzb#四（二）", doc_id="wzb", clause_id="四（二）", span=Span(start=0, end=4, text="四（二）"))
OPEN = DialogueState(open_tools=("supplier_qualification",), facts={"supplier_qualification": {}}, pending=("registered_with",))


def test_a_confident_tool_intent_starts_that_decision():
    u = Understander(readers([(Intent.QUALIFICATION, 0.8), (Intent.LOOKUP, 0.2)])).understand("我们公司能承接吗", VECTOR)
    assert u.intent is Intent.QUALIFICATION and u.tools == ("supplier_qualification",)


def test_an_unsure_tool_intent_is_answered_as_a_lookup():
    u = Understander(readers([(Intent.ELIGIBILITY, 0.4), (Intent.LOOKUP, 0.35)])).understand("买服务的事", VECTOR)
    assert u.intent is Intent.LOOKUP and u.tools == ()


def test_a_general_question_never_starts_a_decision_without_facts():
    u = Understander(readers([(Intent.ELIGIBILITY, 0.9)])).understand("什么是政府购买服务？为什么要买", VECTOR)
    assert u.tools == () and u.intent is Intent.LOOKUP


def test_a_general_question_with_the_case_facts_still_decides():
    u = Understander(readers([(Intent.ELIGIBILITY, 0.9)], facts=True)).understand("我们是民政局，为什么不能买养老服务", VECTOR)
    assert u.tools == ("purchase_eligibility",)


def test_a_named_clause_is_a_clause_lookup():
    u = Understander(readers([(Intent.LOOKUP, 0.7)], refs=[REF])).understand("四（二）讲了什么", VECTOR)
    assert u.intent is Intent.CLAUSE_REFERENCE and u.clause_refs == (REF,)


def test_a_named_clause_inside_a_case_question_does_not_stop_the_decision():
    u = Understander(readers([(Intent.METHOD, 0.9)], refs=[REF])).understand("按第三十条，我们流标了能谈判吗", VECTOR)
    assert u.tools == ("procurement_method",)


def test_a_reply_that_fills_the_pending_question_continues_the_open_decision():
    u = Understander(readers([(Intent.LOOKUP, 0.9)], filled={"registered_with": "民政部门"})).understand("1. 民政", VECTOR, OPEN)
    assert u.continues and u.tools == ("supplier_qualification",)


def test_a_short_reply_to_pending_questions_continues_the_open_decision():
    u = Understander(readers([(Intent.LOOKUP, 0.55)])).understand("是的", VECTOR, OPEN)
    assert u.continues


def test_a_new_question_on_another_topic_closes_the_open_decision():
    u = Understander(readers([(Intent.LOOKUP, 0.9)])).understand("绩效评价由谁来组织？", VECTOR, OPEN)
    assert not u.continues and u.tools == () and u.intent is Intent.LOOKUP


def test_facts_for_the_open_tool_continue_it_even_in_a_long_turn():
    u = Understander(readers([(Intent.LOOKUP, 0.9)], facts=True)).understand("我们是民政登记的社会组织，财务制度也健全", VECTOR, OPEN)
    assert u.continues


def test_two_tools_asked_in_one_question_are_both_run_in_the_order_asked():
    ranking = [(Intent.ELIGIBILITY, 0.6), (Intent.METHOD, 0.3)]
    u = Understander(readers(ranking, tools=["purchase_eligibility", "procurement_method"])).understand("能买吗？怎么采购？", VECTOR)
    assert u.tools == ("purchase_eligibility", "procurement_method")


def test_english_is_noticed():
    u = Understander(readers([(Intent.LOOKUP, 0.9)])).understand("Who can supply services to the government?", VECTOR)
    assert u.english


def test_after_a_complete_decision_only_new_facts_of_the_case_reopen_it():
    done = DialogueState(open_tools=("supplier_qualification",), facts={"supplier_qualification": {}}, pending=())
    assert not Understander(readers([(Intent.LOOKUP, 0.55)])).understand("好的", VECTOR, done).continues
    assert Understander(readers([(Intent.LOOKUP, 0.55)], facts=True)).understand("等等，我们还欠着税", VECTOR, done).continues


def test_a_confident_question_for_another_tool_closes_the_open_one():
    u = Understander(readers([(Intent.METHOD, 0.9)])).understand("那采购方式怎么定？", VECTOR, OPEN)
    assert not u.continues and u.tools == ("procurement_method",)


def test_of_two_tools_asked_in_words_the_one_asked_last_is_the_question():
    text = "我们街道想买物业服务，用什么方式采购？"
    spans = {"purchase_eligibility": [(4, 6)], "procurement_method": [(11, 16)]}
    base = readers([(Intent.ELIGIBILITY, 0.5), (Intent.METHOD, 0.36), (Intent.LOOKUP, 0.14)], tools=list(spans))
    base.asks_tool = lambda text: list(spans)
    base.asked_spans = lambda text: spans
    u = Understander(base).understand(text, VECTOR)
    assert u.intent is Intent.METHOD and u.tools == ("procurement_method",)  # 想买 tells the case: only the method is asked


def test_one_phrase_read_as_two_tools_is_left_to_the_classifier():
    spans = {"supplier_qualification": [(20, 25)], "purchase_eligibility": [(20, 32)]}  # 能不能承接…的购买服务
    base = readers([(Intent.QUALIFICATION, 0.6), (Intent.ELIGIBILITY, 0.3)], tools=["supplier_qualification"])
    base.asks_tool = lambda text: list(spans)
    base.asked_spans = lambda text: spans
    u = Understander(base).understand("合作社能不能承接村道保洁的购买服务？", VECTOR)
    assert u.intent is Intent.QUALIFICATION


def _yes_no_tail_readers(ranking, tools):
    """Readers whose only tool phrase is the lexicon's bare 可以吗 at the end, read as a purchase question."""
    base = readers(ranking, tools=tools)
    base.asks_tool = lambda t: ["purchase_eligibility"] if t.endswith("可以吗") else []
    base.asked_spans = lambda t: {"purchase_eligibility": [(len(t) - 3, len(t))]} if t.endswith("可以吗") else {}
    return base


def test_a_bare_yes_no_tail_does_not_override_a_classifier_sure_of_another_tool():
    """想去承接…购买服务项目，可以吗: 可以吗 asks about what came before it, here supplying, not buying."""
    text = "我们是公益一类事业单位，想去承接隔壁街道的阅读推广购买服务项目，可以吗"
    u = Understander(_yes_no_tail_readers([(Intent.QUALIFICATION, 0.62), (Intent.ELIGIBILITY, 0.34)], ["supplier_qualification"])).understand(text, VECTOR)
    assert u.intent is Intent.QUALIFICATION


def test_a_bare_yes_no_tail_still_decides_for_an_unsure_classifier():
    text = "街道想请律所做常年法律顾问，可以吗"
    u = Understander(_yes_no_tail_readers([(Intent.QUALIFICATION, 0.45), (Intent.ELIGIBILITY, 0.4)], ["purchase_eligibility"])).understand(text, VECTOR)
    assert u.intent is Intent.ELIGIBILITY


DECIDED = DialogueState(open_tools=("purchase_eligibility",), facts={"purchase_eligibility": {}}, pending=())


@pytest.mark.parametrize("text", ["对，按月给他们发工资", "金额不清楚", "嗯，预算还没定"])
def test_agreeing_or_saying_a_fact_is_not_known_continues_even_a_complete_decision(text):
    u = Understander(readers([(Intent.OUT_OF_SCOPE, 0.42), (Intent.LOOKUP, 0.3)])).understand(text, VECTOR, DECIDED)
    assert u.continues and u.tools == ("purchase_eligibility",)


def test_agreeing_and_then_asking_something_new_does_not_continue():
    u = Understander(readers([(Intent.LOOKUP, 0.9)])).understand("对，那绩效评价由谁来组织？", VECTOR, DECIDED)
    assert not u.continues
