"""Shared typed boundaries of the assistant: clauses, passages, answers and rule decisions.

Every public function of :mod:`assistant.api` takes and returns these pydantic models,
so the CLI, the Streamlit app, the evals and the JSON contract all speak one language.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


Level = Literal["地方规范性文件", "部门规范性文件", "部门规章", "行政法规", "法律"]
LEVELS: tuple[str, ...] = ("地方规范性文件", "部门规范性文件", "部门规章", "行政法规", "法律")
"""Levels of authority, lowest first (the index is the rank)."""


class DocumentMeta(_Frozen):
    """Provenance of one corpus document, read from its front matter."""

    doc_id: str = Field(description="Stable id of the document, e.g. 'wzb-2014-118'.")
    title: str
    doc_number: str = Field(description="文号, e.g. 温政办〔2014〕118号; '' when the document has none.")
    issuer: str
    date: date
    status: Literal["现行有效", "已废止", "摘要"] = Field(
        description="现行有效/已废止 for official texts; 摘要 for paraphrased reference notes."
    )
    scope: str = Field(description="Jurisdiction the document applies to, e.g. 温州市.")
    source: str = Field(default="", description="Where the text comes from (URL or archive reference).")
    repeals: tuple[str, ...] = Field(default=(), description="文号 of documents this one abolishes.")
    kind: Literal["policy", "reference"] = "policy"
    level: Level | None = Field(
        default=None, description="Rank of the instrument: 法律 > 行政法规 > 部门规章 > 部门规范性文件 > 地方规范性文件."
    )
    effective: date | None = Field(default=None, description="施行日期 (None: in force from ``date``).")
    effective_verified: bool = Field(default=True, description="Whether the 施行日期 was checked against an official copy.")
    expires: date | None = Field(default=None, description="失效日期: no longer in force from this day (None: open-ended).")

    @property
    def in_force_from(self) -> date:
        """The first day the document applies."""
        return self.effective or self.date

    def in_force_on(self, on: date) -> bool:
        """Whether the document applies on ``on``: in force by then, not expired, not marked 已废止."""
        return self.status != "已废止" and self.in_force_from <= on and (self.expires is None or on < self.expires)

    @property
    def dated_name(self) -> str:
        """How an answer names the document by place and year, e.g. 温州市2014年文件."""
        return f"{self.scope}{self.date.year}年文件"

    @property
    def rank(self) -> int:
        """Higher for a higher instrument (法律 4 … 地方规范性文件 0; unknown -1)."""
        return LEVELS.index(self.level) if self.level in LEVELS else -1


class Clause(_Frozen):
    """One citable clause: the unit of retrieval and of citation."""

    doc_id: str
    clause_id: str = Field(description="Path of the clause inside its document, e.g. '三（二）' or '二（三）3'.")
    label: str = Field(description="Human label, e.g. '温政办〔2014〕118号 三（二）'.")
    heading_path: tuple[str, ...] = Field(description="Titles of the enclosing headings, outermost first.")
    text: str = Field(description="Full clause text after repair and normalisation.")

    @property
    def key(self) -> str:
        """Globally unique clause key '<doc_id>#<clause_id>', used by rules and citations."""
        return f"{self.doc_id}#{self.clause_id}"

    @property
    def context_text(self) -> str:
        """Clause text prefixed with its heading path: what gets embedded and indexed."""
        return " / ".join(self.heading_path) + "\n" + self.text if self.heading_path else self.text


class Passage(_Frozen):
    """A clause returned by a retriever, with its score (higher is better)."""

    clause: Clause
    score: float


class Citation(_Frozen):
    """A numbered source of an answer; `text` is the full clause text."""

    doc_id: str
    clause_id: str
    label: str
    text: str


class DialogueState(_Frozen):
    """What a conversation has established, carried as data from turn to turn (never parsed from text).

    An assistant turn that asks for facts records the open tools, the facts understood so far and the
    facts it asked for, in the order it numbered its questions; the next user turn fills them.
    """

    open_tools: tuple[str, ...] = Field(default=(), description="Rule tools whose decision waits for facts.")
    facts: dict[str, dict[str, object]] = Field(default_factory=dict, description="Per tool, the facts understood so far (JSON).")
    pending: tuple[str, ...] = Field(default=(), description="Names of the facts asked for, in the order asked (1, 2, …).")


class Message(_Frozen):
    """One turn of the chat history; an assistant turn may carry the dialogue state it left."""

    role: Literal["user", "assistant"]
    content: str
    state: DialogueState | None = None


class ConditionStatus(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


class Condition(_Frozen):
    """The result of one named check, with the clauses it rests on."""

    condition: str = Field(description="Machine name of the check, named after its clause.")
    status: ConditionStatus
    reason: str = Field(description="Chinese explanation shown to the user.")
    clause_ids: tuple[str, ...] = Field(description="Clause keys '<doc_id>#<clause_id>' the check relies on.")


class MissingFact(_Frozen):
    """A fact the rule needs but was not given, with the question to ask the user."""

    fact: str
    question: str


class DecisionCase(_Frozen):
    """One reading of a fact the user has not stated, and what the rule decides under it
    (e.g. 预算低于分散采购限额标准且不在集中采购目录内 → 自行组织采购)."""

    when: str = Field(description="The reading, in Chinese, e.g. 预算低于分散采购限额标准（100万元，未核实）.")
    outcome: str
    methods: tuple[str, ...] = ()
    clause_ids: tuple[str, ...] = Field(default=(), description="Clause keys the result under this reading rests on.")


class Decision(_Frozen):
    """Output of every rule tool: an outcome plus the traceable reasons for it."""

    tool: Literal["purchase_eligibility", "supplier_qualification", "procurement_method"]
    outcome: str
    conditions: tuple[Condition, ...] = ()
    missing: tuple[MissingFact, ...] = ()
    notes: tuple[str, ...] = ()
    methods: tuple[str, ...] = Field(default=(), description="Procurement methods that apply (procurement_method only).")
    organizer: str = Field(default="", description="Who organises the procurement (procurement_method only).")
    approvals: tuple[str, ...] = ()
    cases: tuple[DecisionCase, ...] = Field(
        default=(), description="When the outcome depends on facts not yet stated: the result under each reading of them."
    )

    @property
    def clause_ids(self) -> tuple[str, ...]:
        """Every clause key cited by any condition or case, in first-cited order."""
        seen: dict[str, None] = {}
        for condition in self.conditions:
            for key in condition.clause_ids:
                seen.setdefault(key, None)
        for case in self.cases:
            for key in case.clause_ids:
                seen.setdefault(key, None)
        return tuple(seen)


class Answer(_Frozen):
    """What the assistant says to one question."""

    answer: str
    answerable: bool
    intent: str
    citations: tuple[Citation, ...] = ()
    decision: Decision | None = None
    state: DialogueState | None = Field(default=None, description="Dialogue state to send back with this turn in the history.")
    latency_ms: float = 0.0

    def as_message(self) -> Message:
        """This answer as the assistant turn of a history (content and state)."""
        return Message(role="assistant", content=self.answer, state=self.state)
