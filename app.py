"""Streamlit chat page of the 政府购买服务政策助手.

A short top-to-bottom script: sidebar (new chat, example questions, indexed documents,
clause browser), history replay, chat input, a call to :mod:`assistant.api`, render.
Every line of logic lives in ``assistant/``; this page only lays out what the API returns.

Run with ``streamlit run app.py``.
"""

from __future__ import annotations

import streamlit as st

from assistant.api import Answer, Assistant, AssistantError, Clause, Decision, DocumentMeta, Message

# Example questions shown as sidebar buttons, one per audience. (A comment, not a docstring:
# Streamlit's "magic" would print a bare string literal on the page.)
EXAMPLE_QUESTIONS: dict[str, str] = {
    "购买单位": "参公管理的事业单位能不能作为购买主体？",
    "承接单位": "社会组织承接政府购买服务需要具备哪些条件？",
    "新人学习": "政府购买服务可以采用哪些采购方式？",
}

_TOOL_LABELS = {
    "purchase_eligibility": "购买资格判断",
    "supplier_qualification": "承接主体资格判断",
    "procurement_method": "采购方式判断",
}
# Streamlit's bundled Material Symbols rather than ✅/❌/❓ emoji: they render on machines
# without a colour-emoji font (Debian Chromium here, older Windows in offices) instead of as boxes.
_NO_PROVISION = "文件未作规定"
_DOCUMENT_STATUS_COLORS = {"现行有效": "green", "已废止": "red", "摘要": "gray"}
_STATUS_MARKS = {
    "pass": ":green[:material/check_circle:]",
    "fail": ":red[:material/cancel:]",
    "unknown": ":orange[:material/help:]",
}


# --- resources -------------------------------------------------------------------------------


@st.cache_resource(show_spinner="正在加载索引…")
def load_assistant() -> Assistant:
    """Open (and on first use build) the index once per server process."""
    return Assistant.open()


def _new_chat() -> None:
    st.session_state["messages"] = []


def _submit_example(question: str) -> None:
    st.session_state["pending_question"] = question


# --- rendering -------------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Make text safe inside one markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _outcome_color(decision: Decision) -> str:
    statuses = {condition.status.value for condition in decision.conditions}
    if "fail" in statuses:
        return "red"
    if "unknown" in statuses or decision.missing:
        return "orange"
    return "green"


def render_decision(decision: Decision, labels: dict[str, str], outcome: str, turn: int) -> None:
    """Rule decision details, folded under the answer: outcome, conditions, missing facts, method."""
    tool = _TOOL_LABELS.get(decision.tool, decision.tool)
    with st.expander(f"{tool}明细：{outcome}", key=f"decision_{turn}", icon=":material/fact_check:"):
        st.markdown(f"**{tool}**　:{_outcome_color(decision)}-badge[{outcome}]")
        if decision.conditions:
            rows = ["| 结果 | 条件说明 | 依据条款 |", "|:-:|---|---|"]
            for condition in decision.conditions:
                sources = "、".join(labels.get(key, key) for key in condition.clause_ids)
                mark = _STATUS_MARKS[condition.status.value]
                rows.append(f"| {mark} | {_cell(condition.reason)} | {_cell(sources)} |")
            st.markdown("\n".join(rows))
        if decision.missing:
            st.markdown("**还需要您补充：**\n" + "\n".join(f"- {fact.question}" for fact in decision.missing))
        if decision.cases:
            st.markdown(
                "**各情形的结论：**\n"
                + "\n".join(
                    f"- 如{case.when}：{assistant.case_label(decision, case)}" for case in decision.cases
                )
            )
        elif decision.methods:
            st.markdown("**适用采购方式：** " + "、".join(decision.methods))
        if decision.organizer:
            st.markdown(f"**组织采购：** {decision.organizer}")
        if decision.approvals:
            st.markdown("**审批要求：**\n" + "\n".join(f"- {item}" for item in decision.approvals))
        if decision.notes:
            st.caption("\n".join(f"- {note}" for note in decision.notes))


def render_answer(answer: Answer, labels: dict[str, str], turn: int) -> None:
    """One assistant turn: the answer, its decision panel, its cited clauses and its latency."""
    with st.container(key=f"answer_{turn}"):
        if answer.answerable:
            st.markdown(answer.answer)
        else:  # the whole answer becomes the warning, which always names 文件未作规定
            note = answer.answer if _NO_PROVISION in answer.answer else f"**{_NO_PROVISION}**\n\n{answer.answer}"
            st.warning(note, icon=":material/warning:")
    if answer.decision is not None:
        render_decision(answer.decision, labels, assistant.outcome_label(answer.decision), turn)
    if answer.citations:
        title = "引用条款" if answer.answerable else "最接近的条款（仅供参考）"
        with st.expander(f"{title} ({len(answer.citations)})", key=f"citations_{turn}"):
            for number, citation in enumerate(answer.citations, start=1):
                st.markdown(f"**[{number}] {citation.label}**")
                st.markdown(citation.text)
    st.caption(f"用时 {answer.latency_ms:,.0f} ms")


def render_document(document: DocumentMeta) -> None:
    """One compact sidebar entry per document: 文号 and status badge, then its level, date, 施行 date (flagged when
    not checked against an official copy) and title in small print."""
    color = _DOCUMENT_STATUS_COLORS.get(document.status, "gray")
    level = f"{document.level} · " if document.level else ""
    effective = ""
    if document.effective is not None and document.effective != document.date:
        effective = f" · {document.effective:%Y-%m-%d}施行" + ("（未核实）" if not document.effective_verified else "")
    st.markdown(
        f"**{document.doc_number or document.title}** :{color}-badge[{document.status}]  \n"
        f":small[:gray[{level}{document.date:%Y-%m-%d}{effective} · {document.title}]]"
    )


# --- page ------------------------------------------------------------------------------------

st.set_page_config(page_title="政府购买服务政策助手", page_icon=":material/policy:")

try:
    assistant = load_assistant()
except AssistantError as exc:  # its message is written for the user, e.g. how to rebuild the index
    st.error(f"助手无法启动：{exc}")
    st.stop()

# Official policy texts first, then the paraphrased reference notes; oldest first within each.
documents = sorted(assistant.documents(), key=lambda document: (document.kind != "policy", document.date))
clauses: list[Clause] = assistant.clauses()
clause_labels = {clause.key: clause.label for clause in clauses}

if "messages" not in st.session_state:
    st.session_state["messages"] = []

with st.sidebar:
    st.button("新建对话", key="new_chat", on_click=_new_chat, icon=":material/add_comment:", width="stretch")

    st.subheader("示例问题")
    for audience, question in EXAMPLE_QUESTIONS.items():
        st.button(
            f"{audience}：{question}",
            key=f"example_{audience}",
            on_click=_submit_example,
            args=(question,),
            width="stretch",
        )

    st.subheader("已索引文件")
    for document in documents:
        render_document(document)

    st.subheader("条款浏览（新人学习）")
    if documents:
        titles = {document.doc_id: document.doc_number or document.title for document in documents}
        doc_id = st.selectbox("文件", list(titles), format_func=titles.__getitem__, key="browse_document")
        doc_clauses = {clause.clause_id: clause for clause in clauses if clause.doc_id == doc_id}
        if doc_clauses:
            clause_id = st.selectbox(
                "条款",
                list(doc_clauses),
                format_func=lambda cid: doc_clauses[cid].label,
                key=f"browse_clause_{doc_id}",
            )
            clause = doc_clauses[clause_id]
            if clause.heading_path:
                st.caption(" › ".join(clause.heading_path))
            st.markdown(clause.text)

st.title("政府购买服务政策助手")
st.caption(
    "回答只依据侧栏列出的已索引政策文件，每条结论都标注引用条款；全程离线运行，问题不会发送到任何外部服务。"
)

for turn, message in enumerate(st.session_state["messages"]):
    with st.chat_message(message["role"]):
        if message["role"] == "assistant":
            render_answer(message["answer"], clause_labels, turn)
        else:
            st.markdown(message["content"])

typed = st.chat_input("请输入您的问题，例如：参公管理的事业单位能不能作为购买主体？", key="question")
if prompt := typed or st.session_state.pop("pending_question", None):
    history = [m["answer"].as_message() if "answer" in m else Message(role=m["role"], content=m["content"]) for m in st.session_state["messages"]]
    st.session_state["messages"].append({"role": "user", "content": prompt})
    with st.chat_message("user"):
        st.markdown(prompt)
    with st.chat_message("assistant"):
        try:
            with st.spinner("正在检索条款…"):
                answer = assistant.ask(prompt, history)
        except AssistantError as exc:
            st.session_state["messages"].pop()  # keep the history alternating user/assistant
            st.error(f"回答失败：{exc}")
            st.stop()
        render_answer(answer, clause_labels, len(st.session_state["messages"]))
    st.session_state["messages"].append({"role": "assistant", "content": answer.answer, "answer": answer})
