"""Headless tests of the Streamlit page (app.py) with ``Assistant.open`` patched to a fake.

The fake answers from a queue of canned :class:`Answer` objects built from the real models
and records every ``ask`` call, so the tests check what the page shows and what it sends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from assistant import api
from assistant.models import (
    Answer,
    Citation,
    Clause,
    Condition,
    ConditionStatus,
    Decision,
    DocumentMeta,
    Message,
    MissingFact,
)

pytestmark = pytest.mark.unit

APP = Path(__file__).resolve().parent.parent / "app.py"

DOC = DocumentMeta(
    doc_id="wzb-2014-118",
    title="温州市人民政府办公室关于政府向社会力量购买服务的实施意见",
    doc_number="温政办〔2014〕118号",
    issuer="温州市人民政府办公室",
    date=dt.date(2014, 9, 23),
    status="现行有效",
    scope="温州市",
    level="地方规范性文件",
)
MOF_102 = DocumentMeta(
    doc_id="ref-mof-102",
    title="政府购买服务管理办法（财政部令第102号）要点",
    doc_number="财政部令第102号",
    issuer="财政部",
    date=dt.date(2020, 1, 3),
    status="摘要",
    scope="全国",
    kind="reference",
    level="部门规章",
    effective=dt.date(2020, 3, 1),
    effective_verified=False,
)
PURCHASER = Clause(
    doc_id=DOC.doc_id,
    clause_id="三（一）",
    label="温政办〔2014〕118号 三（一）",
    heading_path=("政府购买服务的购买主体和承接主体",),
    text="（一）购买主体。政府购买服务的主体是经费由财政承担的各级行政机关和参照公务员法管理、具有行政管理职能的事业单位。",
)
SUPPLIER = Clause(
    doc_id=DOC.doc_id,
    clause_id="三（二）",
    label="温政办〔2014〕118号 三（二）",
    heading_path=("政府购买服务的购买主体和承接主体",),
    text="（二）承接主体。承接政府购买服务的主体包括：依法在民政部门登记成立或经国务院批准免予登记的社会组织。",
)


def _cite(clause: Clause) -> Citation:
    return Citation(doc_id=clause.doc_id, clause_id=clause.clause_id, label=clause.label, text=clause.text)


ANSWER = Answer(
    answer="可以。参照公务员法管理、具有行政管理职能的事业单位属于购买主体 [1]。",
    answerable=True,
    intent="policy_question",
    citations=(_cite(PURCHASER),),
    latency_ms=123.0,
)
UNANSWERABLE = Answer(
    answer="文件未作规定。已索引的文件没有涉及食堂菜价。",
    answerable=False,
    intent="out_of_scope",
)
DECISION_ANSWER = Answer(
    answer="该社会组织目前不能确定是否具备承接资格 [1]。",
    answerable=True,
    intent="supplier_qualification",
    citations=(_cite(SUPPLIER),),
    decision=Decision(
        tool="supplier_qualification",
        outcome="需补充信息",
        conditions=(
            Condition(
                condition="cl_3_2_registered",
                status=ConditionStatus.PASS,
                reason="已在民政部门登记",
                clause_ids=(SUPPLIER.key,),
            ),
            Condition(
                condition="cl_3_2_tax_record",
                status=ConditionStatus.FAIL,
                reason="近三年有欠缴社会保险费记录",
                clause_ids=(SUPPLIER.key,),
            ),
            Condition(
                condition="cl_3_2_governance",
                status=ConditionStatus.UNKNOWN,
                reason="尚不清楚是否有健全的内部治理结构",
                clause_ids=(SUPPLIER.key,),
            ),
        ),
        missing=(MissingFact(fact="governance", question="该组织是否建立了健全的内部治理结构和财务会计制度？"),),
        notes=("具体项目的承接条件由购买主体会同财政部门确定。",),
        approvals=("报同级政府审批",),
    ),
)


class FakeAssistant:
    """Stands in for :class:`assistant.api.Assistant`: canned answers, recorded calls."""

    def __init__(self) -> None:
        self.queue: list[Answer] = []
        self.calls: list[tuple[str, list[Message]]] = []

    def enqueue(self, *answers: Answer) -> None:
        self.queue.extend(answers)

    def ask(self, question: str, history: Sequence[Message] = ()) -> Answer:
        self.calls.append((question, list(history)))
        return self.queue.pop(0) if self.queue else ANSWER

    def documents(self) -> list[DocumentMeta]:
        return [DOC, MOF_102]

    def outcome_label(self, decision: Decision) -> str:
        return {"insufficient_info": "需补充信息"}.get(decision.outcome, decision.outcome)

    def clauses(self) -> list[Clause]:
        return [PURCHASER, SUPPLIER]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAssistant]:
    fake = FakeAssistant()
    monkeypatch.setattr(api.Assistant, "open", classmethod(lambda cls, *args, **kwargs: fake))
    st.cache_resource.clear()
    yield fake
    st.cache_resource.clear()


@pytest.fixture
def app(fake: FakeAssistant) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=10).run()
    assert not at.exception
    return at


def _ask(at: AppTest, question: str) -> AppTest:
    return at.chat_input(key="question").set_value(question).run()


def _texts(block) -> str:
    """Every markdown and caption string inside an AppTest block, joined."""
    return "\n".join([m.value for m in block.markdown] + [c.value for c in block.caption])


def test_page_renders_title_caption_and_sidebar_documents(app: AppTest) -> None:
    assert app.title[0].value == "政府购买服务政策助手"
    assert "离线" in app.caption[0].value
    sidebar = _texts(app.sidebar)
    assert "**温政办〔2014〕118号** :green-badge[现行有效]" in sidebar
    assert f"地方规范性文件 · 2014-09-23 · {DOC.title}" in sidebar
    assert f"部门规章 · 2020-01-03 · 2020-03-01施行（未核实） · {MOF_102.title}" in sidebar  # level and 施行 date shown
    assert not app.chat_message
    assert not app.main.markdown  # nothing stray (e.g. a bare string printed by Streamlit "magic")


def test_asking_appends_user_and_assistant_messages_with_citations(app: AppTest, fake: FakeAssistant) -> None:
    at = _ask(app, "参公管理的事业单位能不能作为购买主体？")
    assert not at.exception
    user, bot = at.chat_message
    assert user.name == "user" and user.markdown[0].value == "参公管理的事业单位能不能作为购买主体？"
    assert bot.name == "assistant"
    assert ANSWER.answer in _texts(bot)
    expander = bot.expander[0]
    assert expander.label == "引用条款 (1)"
    cited = _texts(expander)
    assert "[1] 温政办〔2014〕118号 三（一）" in cited and PURCHASER.text in cited
    assert "123 ms" in _texts(bot)
    assert fake.calls == [("参公管理的事业单位能不能作为购买主体？", [])]


def test_unanswerable_answer_shows_the_no_provision_warning(app: AppTest, fake: FakeAssistant) -> None:
    fake.enqueue(UNANSWERABLE)
    at = _ask(app, "食堂菜价怎么定？")
    bot = at.chat_message[1]
    assert bot.warning[0].value == UNANSWERABLE.answer  # already says 文件未作规定
    assert not bot.expander


def test_unanswerable_answer_without_the_phrase_still_says_no_provision(app: AppTest, fake: FakeAssistant) -> None:
    fake.enqueue(UNANSWERABLE.model_copy(update={"answer": "现有文件没有涉及这个问题。"}))
    at = _ask(app, "食堂菜价怎么定？")
    warning = at.chat_message[1].warning[0].value
    assert warning.startswith("**文件未作规定**") and "现有文件没有涉及这个问题。" in warning


def test_answerable_answer_shows_no_warning(app: AppTest) -> None:
    at = _ask(app, "参公管理的事业单位能不能作为购买主体？")
    assert not at.warning


def test_decision_answer_renders_outcome_conditions_and_missing_questions(app: AppTest, fake: FakeAssistant) -> None:
    fake.enqueue(DECISION_ANSWER)
    at = _ask(app, "某社会组织欠缴社保，能承接吗？")
    assert not at.exception
    panel = _texts(at.chat_message[1])
    assert "承接主体资格判断" in panel and "需补充信息" in panel
    assert "| :green[:material/check_circle:] | 已在民政部门登记 | 温政办〔2014〕118号 三（二） |" in panel
    assert "| :red[:material/cancel:] | 近三年有欠缴社会保险费记录 |" in panel
    assert "| :orange[:material/help:] | 尚不清楚是否有健全的内部治理结构 |" in panel
    assert "该组织是否建立了健全的内部治理结构和财务会计制度？" in panel
    assert "报同级政府审批" in panel and "具体项目的承接条件由购买主体会同财政部门确定。" in panel


def test_second_turn_receives_first_turn_as_history(app: AppTest, fake: FakeAssistant) -> None:
    at = _ask(app, "参公管理的事业单位能不能作为购买主体？")
    at = _ask(at, "那群团组织呢？")
    assert len(at.chat_message) == 4
    question, history = fake.calls[1]
    assert question == "那群团组织呢？"
    assert history == [
        Message(role="user", content="参公管理的事业单位能不能作为购买主体？"),
        Message(role="assistant", content=ANSWER.answer),
    ]


def test_history_is_replayed_on_rerun(app: AppTest) -> None:
    at = _ask(app, "参公管理的事业单位能不能作为购买主体？").run()
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    assert at.chat_message[1].expander[0].label == "引用条款 (1)"


def test_new_chat_clears_history(app: AppTest, fake: FakeAssistant) -> None:
    at = _ask(app, "参公管理的事业单位能不能作为购买主体？")
    at = at.button(key="new_chat").click().run()
    assert not at.chat_message
    assert at.session_state["messages"] == []
    at = _ask(at, "那群团组织呢？")
    assert fake.calls[-1] == ("那群团组织呢？", [])


def test_example_question_button_submits_the_question(app: AppTest, fake: FakeAssistant) -> None:
    at = app.button(key="example_购买单位").click().run()
    assert not at.exception
    assert at.chat_message[0].markdown[0].value == "参公管理的事业单位能不能作为购买主体？"
    assert fake.calls[0][0] == "参公管理的事业单位能不能作为购买主体？"


def test_clause_browser_shows_clause_text_and_heading_path(app: AppTest) -> None:
    assert app.selectbox(key="browse_document").value == DOC.doc_id
    at = app.selectbox(key=f"browse_clause_{DOC.doc_id}").set_value(SUPPLIER.clause_id).run()
    sidebar = _texts(at.sidebar)
    assert SUPPLIER.text in sidebar and PURCHASER.text not in sidebar
    assert "政府购买服务的购买主体和承接主体" in sidebar


def test_failing_ask_shows_an_error_and_keeps_history_consistent(app: AppTest, fake: FakeAssistant) -> None:
    def broken(question: str, history: Sequence[Message] = ()) -> Answer:
        raise api.InputError("问题太长，请精简后再问")

    fake.ask = broken  # type: ignore[method-assign]
    at = _ask(app, "参公管理的事业单位能不能作为购买主体？")
    assert not at.exception
    assert "问题太长" in at.error[0].value
    assert at.session_state["messages"] == []


def test_assistant_that_cannot_open_shows_an_error_instead_of_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def cannot_open(cls, *args, **kwargs):
        raise api.IndexError_("索引缺失，请先运行 policy-assistant index")

    monkeypatch.setattr(api.Assistant, "open", classmethod(cannot_open))
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=10).run()
    assert not at.exception
    assert "索引缺失" in at.error[0].value
    assert not at.chat_input


def test_the_dialogue_state_of_an_answer_travels_back_with_the_next_question(app: AppTest, fake: FakeAssistant) -> None:
    from assistant.models import DialogueState

    state = DialogueState(open_tools=("supplier_qualification",), facts={"supplier_qualification": {}}, pending=("registered_with",))
    fake.enqueue(ANSWER.model_copy(update={"state": state}))
    at = _ask(app, "我们公司能承接吗？")
    at = _ask(at, "市场监管部门")
    _, history = fake.calls[1]
    assert history[-1].role == "assistant" and history[-1].state == state
