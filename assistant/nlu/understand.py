"""One user turn (plus the dialogue state) → :class:`~assistant.nlu.models.Understanding`.

The order of reading is the order of authority:

1. **Clause references** (四（二）, 第三十一条) resolved against the index: a turn that names an
   existing clause and does not describe a case is a clause lookup.
2. **Dialogue state**: when the previous answer asked for facts, a reply that fills them (是/否,
   numbered answers, a bare amount, or facts of the open tool) continues that decision; a new
   question on another topic (the classifier is sure of another intent and no fact of the open
   tool is stated) closes it.
3. **Intent** by the trained classifier; a decision tool starts only when the classifier is
   confident (``threshold``) and the question is not a general one (什么是/为什么/哪些). Below the
   threshold the turn is answered as a lookup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.models import DialogueState
from assistant.nlu.aspects import aspects, asks_in_general
from assistant.nlu.models import TOOL_OF_INTENT, Aspect, ClauseRef, Intent, IntentScore, Understanding

_YES_NO_TAIL = re.compile(r"(?:行不行|行吗|可以吗|能行吗|可不可以|可以不)[？?！!。.\s]*$")
"""A bare yes/no tail (…，可以吗？): the lexicon reads it as a purchase question, but it asks about whatever came
before it, so it does not override a classifier that is sure of another tool (想去承接…项目，可以吗 asks to supply)."""
DECISION_THRESHOLD = 0.5
"""Least classifier probability for a tool intent to start a decision."""
CLOSE_THRESHOLD = 0.6
"""Least probability of another intent for a reply to close an open decision."""
OVERRIDE_MIN = 0.2
"""Least classifier probability of a tool that the text asks for in so many words, for the phrase to decide."""
SURE = 0.75
"""A classifier this sure of a non-tool intent (lookup, clause, out of scope) is not overridden by a phrase."""
SHORT_REPLY_CHARS = 16
"""A reply at most this long (no punctuation counted) to an open decision is read as an answer to it."""
_INTENT_OF_TOOL = {tool: intent for intent, tool in TOOL_OF_INTENT.items()}
_AFFIRMS = re.compile(r"^(?:对|对的|是的|是|嗯|没错|确实|好的|明白)[，,。.！!\s]")
"""A turn that opens by agreeing with the assistant's last words continues its case."""
_DOES_NOT_KNOW = re.compile(r"不(?:太|大|很)?(?:清楚|知道|确定)|说不准|还没定|没定|待定")
"""A short turn saying a fact is not known (金额不清楚) answers the open decision's question."""
_ASKING = re.compile(r"能不能|能否|可不可以|可否|是否|行不行|吗|么|[？?]|怎么|如何|什么|哪")
"""Words that make a tool's phrase a question of its own."""


@dataclass
class Readers:
    """The pieces an :class:`Understander` reads with (each replaceable in tests)."""

    classify: Callable[[str, np.ndarray], tuple[IntentScore, ...]]
    clause_refs: Callable[[str], tuple[ClauseRef, ...]]
    states_facts: Callable[[str, str], bool]
    """Whether the text states any fact of the tool: ``states_facts(tool, text)``."""
    fills_pending: Callable[[str, Sequence[str], str], dict[str, object]]
    """Facts a reply gives to the pending questions: ``fills_pending(tool, pending, text)``."""
    tools_in_order: Callable[[str], list[str]]
    """Every tool the text asks, in order (for two-in-one questions)."""
    asks_tool: Callable[[str], list[str]] = lambda text: []
    """Tools the text asks for in so many words (怎么采购, 能不能承接): high-precision overrides."""
    asked_spans: Callable[[str], dict[str, list[tuple[int, int]]]] = lambda text: {}
    """Where the text names each tool in words (its phrases' spans, earliest first), to tell a case told first
    from the question asked last."""
    situations: Callable[[str], list[str]] = lambda text: []
    """Tools whose situation classifier reads a situation in the text (只有一家能做 → method; 派人来坐班 →
    eligibility): a case described, not a phrase typed, so it counts like a tool asked for."""


class Understander:
    """Reads one turn (see the module docstring)."""

    def __init__(self, readers: Readers, *, threshold: float = DECISION_THRESHOLD) -> None:
        self.readers = readers
        self.threshold = threshold

    def understand(self, text: str, vector: np.ndarray, state: DialogueState | None = None) -> Understanding:
        ranking = self.readers.classify(text, vector)
        top = ranking[0]
        found_aspects = aspects(text)
        refs = self.readers.clause_refs(text)
        english = is_english(text)
        base = {"text": text, "ranking": ranking, "aspects": found_aspects, "clause_refs": refs, "english": english}

        if state is not None and state.open_tools and self._continues(text, ranking, state):
            intent = _INTENT_OF_TOOL.get(state.open_tools[0], Intent.LOOKUP)
            return Understanding(intent=intent, confidence=1.0, tools=state.open_tools, continues=True, **base)

        if refs and top.intent in (Intent.CLAUSE_REFERENCE, Intent.LOOKUP, Intent.OUT_OF_SCOPE):
            return Understanding(intent=Intent.CLAUSE_REFERENCE, confidence=max(top.probability, 0.9), **base)

        tool = TOOL_OF_INTENT.get(top.intent)
        override = self._explicit_tool(text, ranking, found_aspects)
        if override is not None and top.intent in (Intent.LOOKUP, *TOOL_OF_INTENT):
            probability = next(s.probability for s in ranking if s.intent is _INTENT_OF_TOOL[override])
            tools = self._tools(text, override, ranking)
            tools = (*[t for t in tools if t != override and self._asked_as_question(text, t)], override)
            # the tool asked in words is the question (last); another tool stays only if it is asked too (能买吗？),
            # not when its phrase only tells the case (我们想买物业服务，用什么方式采购？)
            return Understanding(intent=_INTENT_OF_TOOL[override], confidence=probability, tools=tools, **base)
        if tool is not None:
            if top.probability < self.threshold or (asks_in_general(found_aspects) and not self.readers.states_facts(tool, text)):
                return Understanding(intent=Intent.LOOKUP, confidence=1.0 - top.probability, **base)
            return Understanding(intent=top.intent, confidence=top.probability, tools=self._tools(text, tool, ranking), **base)
        return Understanding(intent=top.intent, confidence=top.probability, **base)

    def _explicit_tool(self, text: str, ranking: tuple[IntentScore, ...], found: tuple[Aspect, ...]) -> str | None:
        """A tool the text asks for in so many words, when the classifier gives it at least :data:`OVERRIDE_MIN`
        and the question is not a general one: the phrase rule overrides an unsure classifier, never a sure one."""
        probability = {score.intent: score.probability for score in ranking}
        top = ranking[0]
        if top.probability >= SURE and TOOL_OF_INTENT.get(top.intent) is None:
            return None
        phrased = self.readers.asks_tool(text)
        if top.probability >= self.threshold and phrased:
            bare = _YES_NO_TAIL.sub("", text)
            phrased = [t for t in phrased if t in self.readers.asks_tool(bare)]  # 可以吗 alone names no tool
        described = [t for t in self.readers.situations(text) if t not in phrased]
        asked = [t for t in (*phrased, *described) if probability.get(_INTENT_OF_TOOL[t], 0.0) >= OVERRIDE_MIN]
        in_words = [t for t in phrased if t in asked]
        if len(in_words) > 1 and not asks_in_general(found):
            spans = {tool: found[0] for tool, found in self.readers.asked_spans(text).items() if found}
            ordered = sorted((spans[t] for t in in_words if t in spans), key=lambda span: span[0])
            if len(ordered) > 1 and ordered[-2][1] <= ordered[-1][0]:  # apart, not one phrase read two ways
                last = next(t for t in in_words if spans.get(t) == ordered[-1])
                return last  # 我们想买物业服务，用什么方式采购？ — the case comes first, the question last
        if not asked or top.probability >= self.threshold and TOOL_OF_INTENT.get(top.intent) in asked:
            return None
        if asks_in_general(found) and not any(self.readers.states_facts(t, text) for t in asked):
            return None
        return max(asked, key=lambda t: probability[_INTENT_OF_TOOL[t]])

    def _asked_as_question(self, text: str, tool: str) -> bool:
        """Whether the phrase that names ``tool`` asks something (能不能买, 能买吗) rather than telling the case (想买)."""
        spans = self.readers.asked_spans(text).get(tool)
        if not spans:
            return True  # no phrase to judge: keep what the classifier asked for
        return any(_ASKING.search(text[start : end + 4]) for start, end in spans)

    def _tools(self, text: str, tool: str, ranking: tuple[IntentScore, ...]) -> tuple[str, ...]:
        """The tool the classifier chose, plus others the question also asks (两个问题一起问), in order."""
        probability = {score.intent: score.probability for score in ranking}
        asked = self.readers.tools_in_order(text)
        extra = [t for t in asked if t != tool and probability.get(_INTENT_OF_TOOL[t], 0.0) >= 0.15]
        if not extra:
            return (tool,)
        ordered = [t for t in asked if t == tool or t in extra]
        return tuple(ordered if tool in ordered else [tool, *extra])

    def _continues(self, text: str, ranking: tuple[IntentScore, ...], state: DialogueState) -> bool:
        """Whether a turn answers the open decision rather than asking something new."""
        tools = state.open_tools
        top = ranking[0]
        other = TOOL_OF_INTENT.get(top.intent)
        asks = bool(_ASKING.search(text))
        if other is not None and other not in tools and top.probability >= CLOSE_THRESHOLD:
            if asks or other in self.readers.asks_tool(text):
                return False  # a confident question for another tool (那这种一般怎么选公司？; 有家机构想来承接)
            if not state.pending and not self.readers.states_facts(tools[0], text):
                return False  # nothing was asked: a statement about another tool's case starts that tool
            # a plain statement after the assistant asked for facts (我们街道买社区养老服务中心的运营服务) is read as
            # the reply to it, whichever tool its words lean to
        probability = {score.intent: score.probability for score in ranking}
        named = [t for t in self.readers.asks_tool(text) if t not in tools]
        if asks and any(probability.get(_INTENT_OF_TOOL[t], 0.0) >= OVERRIDE_MIN for t in named):
            return False  # 那某大学的研究团队能承接吗？ — another tool asked in words, as a question
        if any(self.readers.states_facts(tool, text) for tool in tools):
            return True
        if not asks and (_AFFIRMS.match(text) or _DOES_NOT_KNOW.search(text)) and len(text) <= 2 * SHORT_REPLY_CHARS:
            return True  # 对，按月给他们发工资 / 金额不清楚: a reply to the assistant's last turn, not a new question
        if not state.pending:
            return False  # the decision was complete: only new facts of its case reopen it
        if self.readers.fills_pending(tools[0], state.pending, text):
            return True
        if top.probability >= CLOSE_THRESHOLD and other not in tools:
            return False
        bare = "".join(ch for ch in text if ch.isalnum())
        return len(bare) <= SHORT_REPLY_CHARS and not (set(aspects(text)) - {Aspect.YES_NO})


def is_english(text: str) -> bool:
    """A question written in English (Latin letters, few Chinese characters)."""
    letters = sum(ch.isascii() and ch.isalpha() for ch in text)
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    return letters >= 12 and han <= letters // 6
