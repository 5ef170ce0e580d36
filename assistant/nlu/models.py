"""Typed output of the language-understanding layer: what a user turn asks and states.

``nlu`` turns text (plus the dialogue state) into an :class:`Understanding`; rules read only its
facts, the composer only its intent, aspect and clause references. Nothing downstream reads text.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Intent(str, Enum):
    """What the user wants from this turn."""

    LOOKUP = "lookup"
    """A question about the policy in general: answer with cited clauses."""
    CLAUSE_REFERENCE = "clause_reference"
    """A clause asked for by its number (四（二）, 第三十一条): quote that clause."""
    ELIGIBILITY = "eligibility"
    """May this purchaser buy this service (purchase_eligibility)."""
    QUALIFICATION = "qualification"
    """May this supplier take the work on (supplier_qualification)."""
    METHOD = "method"
    """Which procurement method applies (procurement_method)."""
    OUT_OF_SCOPE = "out_of_scope"
    """Nothing in the documents answers it."""
    GREETING = "greeting"
    """Hello, thanks, what can you do."""


TOOL_OF_INTENT: dict[Intent, str] = {
    Intent.ELIGIBILITY: "purchase_eligibility",
    Intent.QUALIFICATION: "supplier_qualification",
    Intent.METHOD: "procurement_method",
}


class Aspect(str, Enum):
    """The kind of answer the question asks for."""

    WHO = "who"
    WHAT = "what"
    HOW = "how"
    WHEN = "when"
    HOW_MUCH = "how_much"
    WHY = "why"
    LIST = "list"
    DEFINITION = "definition"
    YES_NO = "yes_no"
    CONTACT = "contact"
    WHERE = "where"


class Span(_Frozen):
    """Where in the (normalised) text something was read: ``text[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class ClauseRef(_Frozen):
    """A clause the user named, resolved to the clause key ``<doc_id>#<clause_id>`` when it exists."""

    key: str | None = Field(description="Clause key, or None when the named clause is not indexed.")
    doc_id: str | None = None
    clause_id: str = Field(description="The clause path as the index spells it, e.g. '四（二）' or '第三十一条'.")
    span: Span


class FactValue(_Frozen):
    """One fact read from a turn: its value, whether it was affirmed or negated, and from where."""

    tool: str
    name: str
    value: object
    polarity: bool = Field(default=True, description="False when the phrase was negated (从来没欠过税).")
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    span: Span | None = None
    uncertain: bool = Field(default=False, description="An approximate value (几十万, 80多万) or a hedged statement.")


class IntentScore(_Frozen):
    intent: Intent
    probability: float


class Understanding(_Frozen):
    """Everything the assistant read from one user turn."""

    text: str = Field(description="The turn after normalisation and injection stripping.")
    intent: Intent
    confidence: float = Field(ge=0.0, le=1.0)
    ranking: tuple[IntentScore, ...] = ()
    aspects: tuple[Aspect, ...] = ()
    clause_refs: tuple[ClauseRef, ...] = ()
    facts: tuple[FactValue, ...] = ()
    tools: tuple[str, ...] = Field(default=(), description="Rule tools to run, in the order asked.")
    continues: bool = Field(default=False, description="The turn answers the assistant's pending questions.")
    english: bool = False
