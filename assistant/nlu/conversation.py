"""A conversation's understanding over turns: the trained readers, the dialogue state, the facts of each tool.

:class:`Conversation` owns what :class:`~assistant.nlu.understand.Understander` reads with (the intent
classifier, the clause-reference resolver, the per-tool fact readers) and the dialogue state:

* ``state_of(history)`` — the state the last assistant turn left: carried in ``Message.state`` when the
  client sent it back; otherwise recomputed by reading the earlier *user* turns again (never by
  parsing the assistant's rendered text).
* ``decide(understanding, state)`` — the decisions of the tools asked, on the facts gathered so far
  (a reply fills the pending questions; facts stated in words win over positional answers), and the
  state to send back: the tools still waiting for facts, their facts, the questions asked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.corpus import normalise
from assistant.models import Decision, DialogueState, Message
from assistant.nlu.models import Understanding
from assistant.nlu.intent import SHIPPED_TRAINING_FILE, training_file
from assistant.nlu.understand import Readers, Understander



RESUME_TURNS = 2
"""How many earlier user turns a statement of facts may continue (:meth:`Conversation.resume`)."""
RESUME_MIN = 0.3
"""Least probability of a tool in an earlier turn's ranking for a later statement of its facts to start it."""
CONTEXT_TURNS = 3
"""How many earlier user turns may state facts for a decision asked later."""
_TOGETHER = {"amount_yuan": ("amount_upper_yuan",)}
"""Facts restated together: a new amount replaces the carried range's upper bound too."""


def _restate(carried: dict[str, object], stated: dict[str, object]) -> dict[str, object]:
    """``carried`` updated by ``stated``; a restated fact also drops the facts that go with it."""
    merged = dict(carried)
    known = {name for name, value in stated.items() if name != "said_unknown" and value is not None}
    unknown = [*carried.get("said_unknown", ()), *stated.get("said_unknown", ())]  # type: ignore[misc]
    unknown = [name for name in dict.fromkeys(unknown) if name not in known]
    for name in stated:
        for companion in _TOGETHER.get(name, ()):
            if companion not in stated:
                merged.pop(companion, None)
    merged.update(stated)
    if unknown:
        merged["said_unknown"] = unknown
    else:
        merged.pop("said_unknown", None)
    return merged


METHOD_TOOL = "procurement_method"
SITUATION_FILES: dict[str, tuple[str, ...]] = {
    "procurement_method": ("circumstances",),
    "purchase_eligibility": ("eligibility_situations", "eligibility_claims"),
    "supplier_qualification": ("qualification_claims",),
}
"""Per tool, the training files (``corpus/nlu/<name>.yaml``) of the readers that read its facts by meaning:
*situations* (what a purchase is about, a statutory circumstance) and *claims* (what a turn asserts about the
case: 预算已经安排了, 从来没欠过税, 法人是同一个人)."""
ROUTING_FILES = frozenset({"circumstances", "eligibility_situations"})
"""Files whose reading also routes a turn to the tool (a described situation is a question for that tool);
a claim alone does not route — it only fills facts once the tool is asked or open."""
CONTEXT_FACTS = frozenset({"several_suppliers_available"})
"""Facts of a routing reader that describe the market, not a situation of the purchase: they route nowhere."""
IDENTITY_FACTS = frozenset(
    {"purchaser_type", "supplier_type", "registered_with", "service_description", "level", "jurisdiction", "object_type", "is_purchase_of_services"}
)
"""Facts that say who asks or what is bought. The tables' phrases for them (镇里, 我们公司, 服务) claim the sub-sentence
they sit in from the classifiers only when they make up at least half of it: 镇里想用购买服务的方式修一条村道 still states
a works project, 我们是民政注册的社会组织 only the supplier's type."""
UNSURE_TOPICS = frozenset({"eligibility_claims", "qualification_claims"})
"""Files whose classifier also names what a sub-sentence of doubt is about (不太确定在不在目录里 → in_catalog): the fact
the user said they do not know (``said_unknown``), which the rules then neither presume nor take from a catalog match."""
ASKED_SUBJECT = frozenset({"eligibility_situations"})
"""Files whose situations a question states by asking about them (能不能设公益性岗位？); a claim asked about
(有没有欠税？) states nothing."""


def situation_reader(settings: Settings, training: Path, cache: Path, embed: Any, name: str = "circumstances") -> Any:
    """The classifier trained on ``corpus/nlu/<name>.yaml`` (or the shipped file of that name), or ``None``
    when neither exists."""
    from assistant.nlu.circumstances import load_or_train, others_from, sibling_files, sibling_statements
    from assistant.nlu.intent import load_examples

    own = settings.corpus_dir / "nlu" / f"{name}.yaml"
    path = own if own.exists() else SHIPPED_TRAINING_FILE.with_name(f"{name}.yaml")
    if not path.exists():
        return None
    others_key = "\x00".join(p.read_text(encoding="utf-8") for p in [training, *sibling_files(path)])
    return load_or_train(
        path, lambda: [*others_from(load_examples(training), name), *sibling_statements(path)], others_key, cache, settings.embedder, embed
    )


def circumstance_reader(settings: Settings, training: Path, cache: Path, embed: Any) -> Any:
    """The statutory-circumstance classifier of the corpus (``corpus/nlu/circumstances.yaml``), or the shipped one."""
    return situation_reader(settings, training, cache, embed, "circumstances")


def _fill_pending(tool: str, pending: Sequence[str], text: str) -> dict[str, object]:
    from assistant.nlu.facts import fill_pending

    return dict(fill_pending(tool, pending, text))


class Conversation:
    """See the module docstring."""

    def __init__(
        self,
        understander: Understander,
        dialogue: Any,
        embed: Any,
        circumstances: Any = None,
        embed_many: Any = None,
        situations: dict[str, Any] | None = None,
    ) -> None:
        self.understander = understander
        self.dialogue = dialogue
        self.embed = embed
        self.embed_many = embed_many
        self.situations: dict[str, dict[str, Any]] = {}
        """Per tool, its readers by training-file name (see :data:`SITUATION_FILES`)."""
        for tool, readers in (situations or {}).items():
            present = {name: reader for name, reader in readers.items() if reader is not None}
            if present:
                self.situations[tool] = present
        if circumstances is not None:
            self.situations.setdefault(METHOD_TOOL, {})["circumstances"] = circumstances
        self._read: dict[tuple[str, str], dict[str, dict[str, object]]] = {}

    @property
    def circumstances(self) -> Any:
        """The method tool's statutory-circumstance reader (``None`` without one)."""
        return self.situations.get(METHOD_TOOL, {}).get("circumstances")

    def stated_facts(self, tool: str, text: str) -> dict[str, object]:
        """The facts a turn states for a tool: the phrase tables first, then the facts the tool's classifiers
        read by meaning (statutory circumstances; what a purchase is about; what a turn claims) that the tables
        did not."""
        facts = self.dialogue.stated_facts(tool, text)
        read = self._situations(tool, text)
        unknown = [*(facts.get("said_unknown") or ()), *(n for n in read.pop("said_unknown", ()) if n not in facts)]  # type: ignore[union-attr]
        for name, value in read.items():
            if name not in unknown:  # 不清楚: no classifier settles it
                facts.setdefault(name, value)
        if unknown and "said_unknown" in self.dialogue.tools[tool].facts_model.model_fields:
            facts["said_unknown"] = list(dict.fromkeys(unknown))
        return _goods_when_inquiry_circumstance(tool, facts, text)

    def _situations(self, tool: str, text: str, files: frozenset[str] | None = None) -> dict[str, object]:
        """The facts the tool's classifiers read in a text (of the readers in ``files``, or all of them)."""
        found: dict[str, object] = {}
        for name, read in self._readings(tool, text).items():
            if files is None or name in files:
                for fact, value in read.items():
                    if fact == "said_unknown":
                        found[fact] = (*found.get(fact, ()), *value)  # type: ignore[misc]
                    else:
                        found.setdefault(fact, value)
        return found

    def _readings(self, tool: str, text: str) -> dict[str, dict[str, object]]:
        """Per reader, the facts it reads in a text (kept per text: routing and deciding both ask)."""
        from assistant.nlu.circumstances import MIN_PROBABILITIES, MIN_PROBABILITY, NEGATION_SCOPES, label_fact
        from assistant.nlu.facts import read_facts

        readers = self.situations.get(tool)
        if not readers:
            return {}
        found = self._read.get((tool, text))
        if found is None:
            read = read_facts(tool, text)
            claimed = [fact.span.text for fact in read if fact.span is not None and fact.name not in IDENTITY_FACTS]
            covering = [fact.span.text for fact in read if fact.span is not None and fact.name in IDENTITY_FACTS]
            claimed += [fact.value for fact in read if fact.name == "requested_method" and isinstance(fact.value, str)]
            # (直接单一来源给它 asks for a method by name: it states no circumstance)
            found = {}
            for name, reader in readers.items():
                labels = reader.read(
                    normalise(text),
                    self.embed,
                    self.embed_many,
                    claimed=claimed,
                    questions=name in ASKED_SUBJECT,
                    min_probability=MIN_PROBABILITIES.get(name, MIN_PROBABILITY),
                    negated=NEGATION_SCOPES.get(name),
                    covering=covering,
                )
                found[name] = dict(label_fact(label) for label in labels)
                if name in UNSURE_TOPICS:
                    topics = reader.unsure_topics(normalise(text), self.embed, self.embed_many, min_probability=MIN_PROBABILITIES.get(name, MIN_PROBABILITY))
                    unsure = tuple(dict.fromkeys(label_fact(label)[0] for label in topics))
                    if unsure:
                        found[name]["said_unknown"] = unsure
            if len(self._read) >= 256:
                self._read.clear()
            self._read[(tool, text)] = found
        return {name: dict(facts) for name, facts in found.items()}

    def described_tools(self, text: str) -> list[str]:
        """The tools whose situation classifier reads a situation in ``text`` (claims alone route nowhere)."""
        return [tool for tool in self.situations if set(self._situations(tool, text, ROUTING_FILES)) - CONTEXT_FACTS]

    def states_facts(self, tool: str, text: str) -> bool:
        """Whether a turn states a fact that matters to the tool (see :meth:`stated_facts`)."""
        return self.dialogue.states_facts(tool, text) or bool(self._situations(tool, text))

    @classmethod
    def open(cls, settings: Settings, loaded: Any, dense: Any, dialogue: Any, classifier: Any = None) -> Conversation:
        from assistant.nlu.clause_refs import ClauseReferenceResolver
        from assistant.nlu.intent import load_or_train

        cache = settings.index_dir / "nlu"
        training = training_file(settings)
        if classifier is None:
            classifier = load_or_train(training, cache, settings.embedder, dense.embed)
        situations = {
            tool: {name: situation_reader(settings, training, cache, dense.embed, name) for name in names}
            for tool, names in SITUATION_FILES.items()
        }
        resolver = ClauseReferenceResolver(loaded.clauses, loaded.manifest.documents)
        conversation = cls(None, dialogue, dense.embed, None, dense.embed_many, situations)  # type: ignore[arg-type]
        readers = Readers(
            classify=classifier.rank,
            clause_refs=resolver.find,
            states_facts=conversation.states_facts,
            fills_pending=_fill_pending,
            tools_in_order=dialogue.detect_all,
            asks_tool=dialogue.asked_tools,
            asked_spans=dialogue.asked_spans,
            situations=conversation.described_tools,
        )
        conversation.understander = Understander(readers)
        return conversation

    def texts_to_embed(self, question: str) -> list[str]:
        """The texts reading ``question`` embeds: the turn itself and the sub-sentences the situation classifiers
        may read (a superset), so that a caller can embed them in one batch (one encoder call, not one each)."""
        from assistant.nlu.circumstances import texts_read

        text = self.dialogue.strip(normalise(question or "")).strip()
        return [text, *texts_read(normalise(question or ""))] if text and self.situations else ([text] if text else [])

    def understand(self, question: str, state: DialogueState | None) -> Understanding | None:
        """The understanding of one turn, or ``None`` for a turn with nothing to read."""
        text = self.dialogue.strip(normalise(question or "")).strip()
        if not text:
            return None
        return self.understander.understand(text, self.embed(text), state)

    def resume(self, understanding: Understanding, history: Sequence[Message]) -> Understanding:
        """A turn that states facts of a case (去年被罚了15万) after a question that leaned to a tool but opened no
        decision (投标要写无重大违法记录声明，我们能写吗) continues that question: the tool starts now, with the facts
        of the last turns. A turn that asks something of its own (a tool, a clause, a greeting) is left alone."""
        from assistant.nlu.models import TOOL_OF_INTENT, Intent

        if understanding.tools or understanding.continues or understanding.intent not in (Intent.LOOKUP, Intent.OUT_OF_SCOPE):
            return understanding
        earlier = [m.content for m in history if m.role == "user"][-RESUME_TURNS:]
        for text in reversed(earlier):
            before = self.understand(text, None)
            if before is None:
                continue
            leaning = [TOOL_OF_INTENT[s.intent] for s in before.ranking[:2] if s.intent in TOOL_OF_INTENT and s.probability >= RESUME_MIN]
            for tool in dict.fromkeys([*before.tools, *leaning]):
                if self.states_facts(tool, understanding.text):
                    intent = next(i for i, t in TOOL_OF_INTENT.items() if t == tool)
                    return understanding.model_copy(update={"intent": intent, "tools": (tool,)})
        return understanding

    def state_of(self, history: Sequence[Message]) -> DialogueState | None:
        """The dialogue state after ``history`` (see the module docstring)."""
        if not history or history[-1].role != "assistant":
            return None
        if history[-1].state is not None:
            return history[-1].state if history[-1].state.open_tools else None
        state: DialogueState | None = None
        earlier: list[str] = []
        for position, message in enumerate(history):
            if message.role != "user":
                continue
            following = history[position + 1] if position + 1 < len(history) else None
            if following is not None and following.role == "assistant" and following.state is not None:
                state = following.state if following.state.open_tools else None
            else:
                understanding = self.understand(message.content, state)
                if understanding is not None and understanding.tools:
                    state = self.decide(understanding, state, on=date.today(), earlier=earlier)[1]
                else:
                    state = None
            earlier.append(message.content)
        return state

    def decide(
        self, understanding: Understanding, state: DialogueState | None, *, on: date, earlier: Sequence[str] = ()
    ) -> tuple[list[Decision], DialogueState]:
        """The decisions ``understanding`` asks for, and the state to carry to the next turn.

        A continued decision starts from the carried facts; a new one from the facts the last few
        user turns stated for its tool (a case told before the question was asked). The turn's own
        statements win over both; answers by position (1. 是 2. 否) fill only the pending questions.
        """
        tools = list(understanding.tools)
        if state is not None and understanding.continues:
            facts = {tool: dict(state.facts.get(tool, {})) for tool in tools}
            if state.pending:
                facts[tools[0]].update(_fill_pending(tools[0], state.pending, understanding.text))
        else:
            facts = {tool: self._told_before(tool, earlier) for tool in tools}
        for tool in tools:
            stated = self.stated_facts(tool, understanding.text)
            if understanding.continues and facts[tool].get("service_description") and "service_description" in stated:
                if not self.dialogue.names_a_service(str(stated["service_description"])):
                    del stated["service_description"]  # a reply (1. 列进目录了) does not rename the service asked about
            facts[tool] = _restate(facts[tool], stated)
        decisions = self.dialogue.run(tools, facts, on=on)
        waiting = [d for d in decisions if d.missing]
        new_state = DialogueState(
            open_tools=tuple(d.tool for d in (waiting or decisions)),
            facts={d.tool: facts[d.tool] for d in (waiting or decisions)},
            pending=tuple(m.fact for m in waiting[0].missing) if waiting else (),
        )
        return decisions, new_state

    def _told_before(self, tool: str, earlier: Sequence[str]) -> dict[str, object]:
        facts: dict[str, object] = {}
        for text in list(earlier)[-CONTEXT_TURNS:]:
            facts = _restate(facts, self.stated_facts(tool, text))
        return facts


_NAMES_SERVICE = re.compile(r"服务(?!器)|service", re.IGNORECASE)


def _goods_when_inquiry_circumstance(tool: str, facts: dict[str, object], text: str) -> dict[str, object]:
    """政府采购法第三十二条 speaks of goods only: a turn read as stating its circumstance (规格统一的打印纸，现货多，价格稳)
    is about goods, unless it names what is bought otherwise (an object type read by the tables, or a 服务)."""
    if tool == METHOD_TOOL and facts.get("goods_standardised_ample_supply") is True and "object_type" not in facts and not _NAMES_SERVICE.search(text):
        facts["object_type"] = "货物"
    return facts
