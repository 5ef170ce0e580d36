"""Rule tools in the chat: read each tool's facts from a turn, run the tools, render the decisions.

Which tools a turn asks for, and whether it continues an open decision, is decided by the
understanding layer (:mod:`assistant.nlu`); the facts gathered over turns travel in
:class:`~assistant.models.DialogueState`. This module reads facts (``stated_facts``), runs the
rules (``run``) and renders decisions: the outcome first, then every reason with numbered
citations of the clauses the rule rests on; citation ``[n]`` is ``Answer.citations[n-1]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from assistant.config import Settings
from assistant.corpus import normalise
from assistant.errors import ConfigError, InputError
from assistant.models import Answer, Citation, Clause, ConditionStatus, Decision, DocumentMeta
from assistant.relations import Relation, Relations

if TYPE_CHECKING:
    from assistant.rules import RuleContext

_NAMED_SERVICE = re.compile(r"([\u4e00-\u9fff]{2,8}?)(服务|服物|工作|运营|管理|调查|咨询|设备|装备|食材|建设|融资|派遣|人员|东西)")
_GENERIC_SERVICE_WORDS = {"购买", "政府购买", "买点", "一项", "这项", "一些", "哪些", "什么", "这类", "向社会买", "社会力量"}
_GENERIC_SERVICE_TAILS = ("购买", "买", "一项", "这项", "哪些", "什么", "这类")
_CITED = re.compile(r"\[(\d+)\]$")
_SUPPLIER_WORDS = re.compile(r"承接|投标|中标|竞标|参与竞争|参加|乙方|接政府")
_NON_PUBLIC_PURCHASERS = {"国有企业", "社会组织", "其他"}
EXTRACT_CACHE_SIZE = 256
"""Texts whose extracted facts are kept (a turn is read by several readers; facts models are frozen copies)."""
TOOL_ALIASES = {
    "eligibility": "purchase_eligibility",
    "qualification": "supplier_qualification",
    "method": "procurement_method",
}


def tool_name(name: str) -> str:
    """Canonical tool name for a name or CLI alias.

    :raises InputError: if no tool has that name.
    """
    from assistant.rules import TOOLS

    canonical = TOOL_ALIASES.get(name, name)
    if canonical not in TOOLS:
        choices = ", ".join(sorted(set(TOOL_ALIASES) | set(TOOLS)))
        raise InputError(f"未知的规则工具 / unknown tool: {name!r} (choose one of: {choices})")
    return canonical


def check(settings: Settings, tool: str, facts: Mapping[str, object] | BaseModel, *, on: date) -> Decision:
    """Run one rule tool on structured facts (no index needed).

    :raises InputError: if the facts do not fit the tool's input model (names the field).
    """
    from assistant.rules import TOOLS

    spec = TOOLS[tool_name(tool)]
    if isinstance(facts, BaseModel):
        facts = facts.model_dump(exclude_unset=True)
    try:
        model = spec.facts_model.model_validate(dict(facts))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '?'}: {e['msg']}" for e in exc.errors())
        allowed = ", ".join(spec.facts_model.model_fields)
        raise InputError(f"事实不合法 / invalid facts for {spec.name}: {problems} (fields: {allowed})") from None
    return spec.decide(model, on=on, context=rule_context(settings.corpus_dir))


class _DescriptionReader:
    """The nlu reader of service descriptions, imported on its first use (the phrase tables it compiles cost
    about a second, which a lookup question never needs: opening the assistant stays fast)."""

    def read(self, description: str) -> Any:
        from assistant.nlu.description import READER

        return READER.read(description)


def rule_context(corpus_dir: Path) -> RuleContext:
    """The rules' context over ``corpus_dir``: its catalog and parameters, and the nlu reader of service descriptions."""
    from assistant.rules import RuleContext

    return RuleContext.from_corpus(corpus_dir, reader=_DescriptionReader())


class Dialogue:
    """Decision answers for the chat (see the module docstring)."""

    def __init__(
        self,
        context: Any,
        clauses: Sequence[Clause],
        lexicon: Mapping[str, Any],
        templates: Mapping[str, Any],
        *,
        strip: Callable[[str], str] = lambda text: text,
        documents: Sequence[DocumentMeta] = (),
        relations: Relations | None = None,
    ) -> None:
        from assistant.rules import TOOLS

        self.documents = {d.doc_id: d for d in documents}
        """Each document's level and dates: a condition cites the higher instrument first; a national clause governs a
        local one only from the day it took effect."""
        self.relations = relations or Relations()
        self.tools = TOOLS
        self.strip = strip
        self.context = context
        self.clauses = {c.key: c for c in clauses}
        self.intents = {tool: [re.compile(p) for p in patterns] for tool, patterns in (lexicon.get("tool_intents") or {}).items()}
        self.key_facts = {tool: tuple(fields) for tool, fields in (lexicon.get("tool_key_facts") or {}).items()}
        self.type_facts = {tool: tuple(fields) for tool, fields in (lexicon.get("tool_type_facts") or {}).items()}
        self.first_person = tuple(map(str, lexicon.get("first_person") or ()))
        self.intention = tuple(map(str, lexicon.get("intention") or ()))
        self.templates = templates
        self._extracted: dict[tuple[str, str], BaseModel] = {}
        from assistant.present import DecisionRenderer, DecisionTemplates

        self._labels = {tool: label for tool, label in templates["tool_labels"].items()}
        self.renderer = DecisionRenderer(DecisionTemplates.model_validate(templates))

    @classmethod
    def open(cls, settings: Settings, loaded: Any, *, strip: Callable[[str], str] = lambda text: text) -> Dialogue:
        from assistant.present import load_decision_templates

        lexicon = load_routing_lexicon(settings.corpus_dir / "lexicon.yaml").model_dump()

        templates = load_decision_templates().model_dump()
        context = rule_context(settings.corpus_dir)
        relations = Relations.load(settings.corpus_dir, (c.key for c in loaded.clauses))
        dialogue = cls(context, loaded.clauses, lexicon, templates, strip=strip, documents=loaded.manifest.documents, relations=relations)
        return dialogue

    # ------------------------------------------------------------------ routing
    def detect_all(self, question: str, *, answering: bool = False) -> list[str]:
        """Every tool a question asks for, in the order it asks them (``[]`` for a policy question).

        When the question asks one tool explicitly (its intent pattern matches), tools that only
        its facts suggest are left out: "能直接单一来源吗" is not also asked "能不能买".
        """
        text = normalise(question)
        found: dict[str, int | None] = {}
        for tool, patterns in self.intents.items():
            if tool not in self.tools:
                continue
            positions = [m.start() for p in patterns for m in [p.search(text)] if m]
            if self._describes_a_case(tool, text, asked=bool(positions) or answering):
                found[tool] = min(positions) if positions else None
        if {"purchase_eligibility", "supplier_qualification"} <= set(found):
            del found[self._buyer_or_supplier(text)]
        elif "purchase_eligibility" in found and _SUPPLIER_WORDS.search(text):
            del found["purchase_eligibility"]  # a supplier asking about itself, not a purchase
        if any(position is not None for position in found.values()):
            found = {tool: position for tool, position in found.items() if position is not None}
        return sorted(found, key=lambda tool: len(text) if found[tool] is None else found[tool])

    def _buyer_or_supplier(self, text: str) -> str:
        """Of eligibility and qualification, the one a question about one party does NOT ask.

        Supplier words (承接, 投标, …) make it a qualification question; so does a supplier fact
        (a tax record) when the speaker is not a public body wanting to buy.
        """
        if _SUPPLIER_WORDS.search(text):
            return "purchase_eligibility"
        purchaser = getattr(self._extract("purchase_eligibility", text), "purchaser_type", None)
        if purchaser is not None and purchaser.value not in _NON_PUBLIC_PURCHASERS:
            return "supplier_qualification"
        supplier = self._extract("supplier_qualification", text)
        if any(getattr(supplier, name, None) is not None for name in self.key_facts.get("supplier_qualification", ())):
            return "purchase_eligibility"
        return "supplier_qualification"

    def _describes_a_case(self, tool: str, text: str, *, asked: bool) -> bool:
        """Whether ``text`` asks a tool about a concrete case rather than about the policy in general.

        A concrete fact (an amount, a tax record, a failed tender) is enough. A type alone
        (事业单位, 行政机关, a named service) needs the user to speak of their own case (我们,
        本单位) or of an intention (想买, 打算请); a bare "能不能买服务？" asks for the facts.
        """
        facts = self._extract(tool, text)
        if any(getattr(facts, name, None) is not None for name in self.key_facts.get(tool, ())):
            return True
        types = [name for name in self.type_facts.get(tool, ()) if getattr(facts, name, None) is not None]
        if "service_description" in types and not self.names_a_service(str(getattr(facts, "service_description"))):
            types.remove("service_description")
        own_case = any(marker in text for marker in self.first_person)
        intends = any(marker in text for marker in self.intention)
        if len(types) >= 2:
            return asked or own_case or intends
        if types:
            return asked and (own_case or intends or tool == "supplier_qualification")
        if asked and tool == "procurement_method":
            description = str(self._extract("purchase_eligibility", text).service_description or "")
            return self.context.catalog.match(description) is not None
        return asked and (own_case or len(re.sub(r"[\W_]", "", text)) <= 12)

    def asked_tools(self, text: str) -> list[str]:
        """Tools whose intent phrase (``tool_intents`` in the lexicon) the text contains, in the order asked."""
        spans = self.asked_spans(text)
        return sorted(spans, key=lambda tool: spans[tool][0][0])

    def asked_spans(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """Per tool asked in words, the spans of its phrases in the normalised text, earliest first."""
        normalised = normalise(text)
        spans: dict[str, list[tuple[int, int]]] = {}
        for tool, patterns in self.intents.items():
            found = sorted({(m.start(), m.end()) for p in patterns for m in p.finditer(normalised)})
            if found and tool in self.tools:
                spans[tool] = found
        return spans

    def stated_facts(self, tool: str, text: str) -> dict[str, object]:
        """The facts a turn states for a tool (JSON values), leaving out what it does not state."""
        model = self.tools[tool].facts_model
        extracted = self._extract(tool, normalise(self.strip(text)))
        defaults = {name: field.default for name, field in model.model_fields.items()}
        return {
            name: value
            for name, value in extracted.model_dump(mode="json").items()
            if value is not None
            and value != []  # an empty list (nothing said unknown) states nothing
            and value != (defaults[name].value if hasattr(defaults[name], "value") else defaults[name])
        }

    def states_facts(self, tool: str, text: str) -> bool:
        """Whether a turn states a fact that matters to the tool (a key fact, a type, or a named service)."""
        facts = self._extract(tool, normalise(self.strip(text)))
        if any(getattr(facts, name, None) is not None for name in self.key_facts.get(tool, ())):
            return True
        for name in self.type_facts.get(tool, ()):
            value = getattr(facts, name, None)
            if value is not None and (name != "service_description" or self.names_a_service(str(value))):
                return True
        return False

    def run(self, tools: Sequence[str], facts: Mapping[str, Mapping[str, object]], *, on: date) -> list[Decision]:
        """Each tool's decision on the facts gathered for it."""
        return [
            self.tools[tool].decide(self.tools[tool].facts_model.model_validate(dict(facts.get(tool, {}))), on=on, context=self.context)
            for tool in tools
        ]

    def names_a_service(self, description: str) -> bool:
        """A description that names a service (``社区养老服务``, ``物业管理``), not a generic "买服务"."""
        if self.context.catalog.match(description) is not None:
            return True
        named = [m.group(1) for m in _NAMED_SERVICE.finditer(description)]
        return any(name not in _GENERIC_SERVICE_WORDS and not name.endswith(_GENERIC_SERVICE_TAILS) for name in named)

    def _extract(self, tool: str, text: str) -> BaseModel:
        """The tool's facts read from ``text`` (a pure function of the text: kept for the turn's other readers)."""
        from assistant.nlu.facts import extract

        key = (tool, text)
        found = self._extracted.get(key)
        if found is None:
            found = extract(tool, text)
            if len(self._extracted) >= EXTRACT_CACHE_SIZE:
                self._extracted.clear()
            self._extracted[key] = found
        return found

    # ------------------------------------------------------------------ rendering
    def understood(self, facts: Mapping[str, object]) -> str:
        """The facts a decision was made on, as the user can check them (我理解的情况：…)."""
        t = self.templates
        items = []
        for name, value in facts.items():
            label = t["fact_labels"].get(name)
            if label is None or value is None:
                continue
            if isinstance(value, bool):
                shown = t["understood_values"][str(value).lower()]
            elif isinstance(value, (list, tuple)):
                shown = "、".join(t["fact_labels"].get(str(item), str(item)) for item in value)
                if not shown:
                    continue
            elif name.endswith("_yuan") and isinstance(value, (int, float)):
                shown = f"{value / 10000:g}万元" if value >= 10000 else f"{value:g}元"
            elif isinstance(value, float):
                shown = f"{round(value, 2):g}"  # 三年零四个月 → 3.33
            else:
                shown = re.split(r"[，。？！；,?!;]", str(value))[0].strip() or str(value)
            items.append(t["understood_item"].format(label=label, value=shown))
        return t["understood"].format(facts=t["understood_separator"].join(items)) if items else ""

    def render(
        self,
        decisions: Sequence[Decision],
        related: Answer | None = None,
        facts: Mapping[str, Mapping[str, object]] | None = None,
        *,
        on: date | None = None,
        about: str | None = None,
    ) -> Answer:
        """Decisions as one chat answer, followed by the policy sentences that back them.

        ``related`` is the ordinary cited answer to the same question: its sentences are quoted
        when they come from a clause the decisions rest on or from one of its own first
        :data:`RELATED_CLAUSES` clauses. Citations: the decisions' most decisive clause first
        (:func:`_decisive_first`), then the clauses the question itself retrieves first, then the decisions' other
        clauses (:func:`_citation_order`). ``about``: the national article the question is about (the article
        reader's), standing in for the question's own first clause when ``related`` is no answer.
        ``Answer.decision`` is the decision asked last (the question).
        """
        if not decisions:
            raise ValueError("render needs at least one decision")
        decisive = [k for k in _decisive_first(decisions, self._higher_first) if k in self.clauses]
        own = [k for k in _related_keys(related) if k in self.clauses] or [k for k in [about] if k in self.clauses]
        keys = _citation_order(decisive, own, _failed_clauses(decisions[-1]))
        changed = self._changed_locals(decisive, keys, _failed_clauses(decisions[-1]), on or date.today())
        keys = _governing_ahead([*keys, *(r.local for r in changed if r.local not in keys)], changed)
        numbers = {key: n for n, key in enumerate(keys, start=1)}
        lines: list[str] = []
        for position, current in enumerate(decisions):
            if position:
                lines.append("")
            block = self._decision_lines(current, numbers)
            understood = self.understood((facts or {}).get(current.tool, {}))
            # the verdict stays first; what was understood is a paragraph of its own (Markdown joins adjacent lines)
            lines.extend(block[:1] + (["", understood, ""] if understood else []) + block[1:])
        current = self._current_rule_lines(changed, numbers)
        if current:
            lines += ["", *current]
        quoted = [
            line for line in self._backing_sentences(related, numbers)
            if line not in current and not (current and _restates_current_rule(line))
        ]
        if quoted:
            lines += ["", self.templates["related"], *quoted]
        citations = tuple(
            Citation(doc_id=c.doc_id, clause_id=c.clause_id, label=c.label, text=c.text) for c in (self.clauses[k] for k in keys)
        )
        primary = decisions[-1]
        return Answer(answer="\n".join(lines), answerable=True, intent=primary.tool, citations=citations, decision=primary)

    @staticmethod
    def _backing_sentences(related: Answer | None, numbers: dict[str, int]) -> list[str]:
        """``related``'s statements that cite a clause of the answer (the decisions' or the question's own), renumbered."""
        if related is None or not related.answerable:
            return []
        keys = [f"{c.doc_id}#{c.clause_id}" for c in related.citations]
        quoted = []
        for line in related.answer.splitlines():
            match = _CITED.search(line)
            if line.startswith("- ") and match and 0 < int(match.group(1)) <= len(keys):
                key = keys[int(match.group(1)) - 1]
                if key in numbers:
                    quoted.append(f"{line[: match.start()]}[{numbers[key]}]")
            elif line.startswith("- ") and not match and quoted:
                quoted.append(line)  # which text prevails where they differ (it cites nothing of its own)
        return quoted

    def outcome_label(self, decision: Decision) -> str:
        """The outcome in Chinese, e.g. 有条件可以购买（见下列条件与说明）."""
        return self.renderer.outcome_label(decision)

    def _decision_lines(self, decision: Decision, numbers: dict[str, int]) -> list[str]:
        return self.renderer.lines(decision, lambda keys: "".join(f"[{numbers[k]}]" for k in self._higher_first(keys) if k in numbers))

    def _higher_first(self, keys: Iterable[str]) -> list[str]:
        """A condition's clauses, the higher instrument first (法律 before 部门规章 before the 2014 local text), each
        level in the rule's order: the rule that governs today is cited before the local text it changed."""
        return sorted(keys, key=lambda key: -self._rank(key))

    def _rank(self, key: str) -> int:
        meta = self.documents.get(key.split("#", 1)[0])
        return meta.rank if meta is not None else -1

    def _in_force(self, key: str, on: date) -> bool:
        """Whether the document of a (governing) clause is in force on ``on``."""
        meta = self.documents.get(key.split("#", 1)[0])
        return meta is not None and meta.in_force_on(on)

    def _changed_locals(self, decisive: Sequence[str], keys: Sequence[str], failed: set[str], on: date) -> list[Relation]:
        """The relations in which a clause the decisions rest on (``decisive``, failed conditions' clauses first)
        changed the rule of a local clause, in force on ``on``: of a local clause the answer also cites (``keys``),
        or of any local clause when the national one refuses the case (``failed``: the answer then says what the
        2014 text said, which a user may have relied on); at most :data:`MAX_CURRENT_RULE_NOTES`."""
        cited = set(keys)
        found: dict[str, Relation] = {}
        for key in decisive:
            for relation in self.relations.governed_by(key):
                shown = relation.local in cited or (key in failed and relation.local in self.clauses)
                if relation.changes_the_rule and shown and self._in_force(key, on):
                    found.setdefault(relation.governing, relation)
        return list(found.values())[:MAX_CURRENT_RULE_NOTES]

    def _current_rule_lines(self, relations: Sequence[Relation], numbers: Mapping[str, int]) -> list[str]:
        """What today's rule says where it changed the local text the decision also cites, and which prevails."""
        if not relations:
            return []
        t = self.templates
        lines = [t["current_rules"]]
        for relation in relations:
            governing = self.documents[relation.governing.split("#", 1)[0]]
            lines.append("- " + t["current_rule_item"].format(
                note=relation.note.rstrip("。"),
                governing=self.clauses[relation.governing].label,
                effective=governing.in_force_from.isoformat(),
                flag="" if governing.effective_verified else t["effective_unverified"],
                n=f"[{numbers[relation.governing]}]",
                local=self.clauses[relation.local].label,
                m=f"[{numbers[relation.local]}]",
            ))
        local = self.documents[relations[0].local.split("#", 1)[0]]
        documents = "、".join(dict.fromkeys(
            (self.documents[r.governing.split("#", 1)[0]].doc_number or self.clauses[r.governing].label) for r in relations
        ))
        lines.append("- " + t["local_yields"].format(local=local.dated_name, documents=documents))
        return lines


def load_routing_lexicon(path: Path) -> Any:
    """The lexicon file (:class:`assistant.lexicon.LexiconFile`) with its routing keys checked against the rule
    tools: every tool named in ``tool_intents`` / ``tool_key_facts`` / ``tool_type_facts`` is a rule tool, and every
    key or type fact a field of that tool's facts model.

    :raises ConfigError: naming the file and the problem.
    """
    from assistant.lexicon import load_lexicon_file
    from assistant.rules import TOOLS

    lexicon = load_lexicon_file(path)
    for key in ("tool_intents", "tool_key_facts", "tool_type_facts"):
        for tool, names in getattr(lexicon, key).items():
            if tool not in TOOLS:
                raise ConfigError(f"{path}: 词表格式错误 (invalid lexicon): {key}: {tool!r} is not a rule tool ({', '.join(TOOLS)})")
            fields = TOOLS[tool].facts_model.model_fields
            unknown = [name for name in names if key != "tool_intents" and name not in fields]
            if unknown:
                raise ConfigError(
                    f"{path}: 词表格式错误 (invalid lexicon): {key}.{tool}: {unknown} are not fields of {TOOLS[tool].facts_model.__name__}"
                )
    return lexicon


_CITATION_ORDER = {ConditionStatus.FAIL: 0, ConditionStatus.PASS: 1, ConditionStatus.UNKNOWN: 2}
RELATED_CLAUSES = 2
"""How many of the clauses the question retrieves first a decision answer cites and quotes beside its own: a case put
to a tool often asks about one aspect of it (联合体有什么要求, 多大的罚款算重大违法记录, 合同能签几年), which the
decision's conditions do not state but the retrieved clause does."""


def _related_keys(related: Answer | None) -> list[str]:
    """The clauses the ordinary answer to the question cites first (:data:`RELATED_CLAUSES`), best first."""
    if related is None or not related.answerable:
        return []
    return [f"{c.doc_id}#{c.clause_id}" for c in related.citations[:RELATED_CLAUSES]]


def _restates_current_rule(line: str) -> bool:
    """A quoted line of the ordinary answer that says which rule applies (its 现行规定 line, or the line that says the
    national text prevails, which cites nothing): the decision's own section says it already."""
    return line.startswith("- 现行规定（") or _CITED.search(line) is None


MAX_CURRENT_RULE_NOTES = 2
"""At most this many 现行规定 lines under a decision (the relations of the clauses it cites first)."""


def _governing_ahead(keys: Sequence[str], relations: Sequence[Relation]) -> list[str]:
    """The citations with each local clause whose rule a national clause changed moved to just after that clause,
    when it came earlier: a superseded local text is never cited before the rule that replaced it, and the clauses
    cited between them keep their places (the article the question is about stays where it was)."""
    result = list(keys)
    for relation in relations:
        local, governing = result.index(relation.local), result.index(relation.governing)
        if governing > local:
            result.insert(governing, result.pop(local))
    return result


def _failed_clauses(decision: Decision) -> set[str]:
    """The clauses of the conditions a decision fails on (those that refuse it)."""
    return {key for c in decision.conditions if c.status is ConditionStatus.FAIL for key in c.clause_ids}


def _citation_order(decisive: Sequence[str], related: Sequence[str], failed: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """A decision answer's citations: the decisions' most decisive clause, the question's own first clause, every
    other clause that refuses the case (when one does), the question's next clause, then the decisions' other
    clauses (each once)."""
    lead = 1
    while lead < len(decisive) and decisive[lead] in failed:
        lead += 1
    # the clause the question itself retrieves first (the aspect asked: 公示多久, 合同能签几年) right after the one
    # that decides, ahead of the decision's further refusing clauses
    return list(dict.fromkeys([*decisive[:1], *related[:1], *decisive[1:lead], *related[1:], *decisive[lead:]]))


def _decisive_first(decisions: Sequence[Decision], order: Callable[[Iterable[str]], list[str]] = list) -> list[str]:
    """The clauses the decisions rest on, those that decide first: the answer's own decision (the last) before
    the others, and within one its failed conditions first (what refuses the case or the method asked about),
    then the result under each reading of a missing fact, then the conditions that hold, then the open ones,
    each in the rule's order and within a condition the higher instrument first (``order``) — so a "no" cites
    the clause that excludes the purchase (102号令第十条) as [1], and a method the clause that grants it
    (招标后没有供应商投标 → 政府采购法第三十条) before the open amount's 第二条."""
    keys: dict[str, None] = {}
    for decision in reversed(decisions):
        conditions = sorted(decision.conditions, key=lambda c: _CITATION_ORDER.get(c.status, 3))
        failed = [c for c in conditions if c.status is ConditionStatus.FAIL]
        for condition in failed:
            for key in order(condition.clause_ids):
                keys.setdefault(key, None)
        for case in decision.cases:  # a result under each reading of a missing fact leads the rest
            for key in order(case.clause_ids):
                keys.setdefault(key, None)
        for condition in conditions[len(failed):]:
            for key in order(condition.clause_ids):
                keys.setdefault(key, None)
    return list(keys)
