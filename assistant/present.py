"""The one renderer of a rule :class:`~assistant.models.Decision`: its words come from
``prompts/decision_templates.yaml`` (validated here), the same for the chat, the CLI and the API.

``lines(decision, cite)`` gives the decision's lines — the verdict first, the methods, what is still asked,
the reasons (failed conditions first) each followed by ``cite(clause keys)``, then the notes. The chat cites
with numbers (``[2]``, :mod:`assistant.dialogue`); :meth:`DecisionRenderer.markdown` cites with clause labels
(``〔温政办〔2014〕118号 三（一）〕``) for text that stands alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from assistant.datafile import load_yaml_model
from assistant.models import ConditionStatus, Decision, DecisionCase

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
STATUS_ORDER = {ConditionStatus.FAIL: 0, ConditionStatus.UNKNOWN: 1, ConditionStatus.PASS: 1}
"""Failed conditions first; the others keep the rule's order (who, then what, then how)."""


class SettledLabel(BaseModel):
    """An outcome's label once one of the named checks has passed: the headline says what is already settled
    (承接方的类型可以作为承接主体) before what is still open."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    when_passed: tuple[str, ...]
    label: str


class DecisionTemplates(BaseModel):
    """``prompts/decision_templates.yaml``: the phrasing of decisions. Variables in {braces} are required."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: int
    tool_labels: dict[str, str]
    outcome_labels: dict[str, dict[str, str]]
    outcome_labels_when_open: dict[str, dict[str, str]]
    outcome_labels_when_settled: dict[str, dict[str, SettledLabel]] = {}
    headline: str
    methods: str
    methods_by_case: str
    case: str
    organizer: str
    approval: str
    reasons: str
    reason: str
    missing: str
    missing_item: str
    notes: str
    note: str
    related: str
    current_rules: str
    current_rule_item: str
    effective_unverified: str
    local_yields: str
    marks: dict[str, str]
    understood: str
    understood_item: str
    understood_separator: str
    understood_values: dict[str, str]
    fact_labels: dict[str, str]


def load_decision_templates(path: Path | None = None) -> DecisionTemplates:
    """The decision templates, validated (:raises ConfigError: naming the file if malformed)."""
    return load_yaml_model(path or PROMPTS_DIR / "decision_templates.yaml", DecisionTemplates, what="决定模板 / decision templates")


class DecisionRenderer:
    """Renders decisions with one set of templates (see the module docstring)."""

    def __init__(self, templates: DecisionTemplates | None = None) -> None:
        self.templates = templates or load_decision_templates()

    def outcome_label(self, decision: Decision) -> str:
        """The outcome in Chinese, e.g. 有条件可以购买（见下列条件与说明）; a positive outcome that rests on conditions
        still open (？) says so."""
        settled = self.templates.outcome_labels_when_settled.get(decision.tool, {}).get(decision.outcome)
        if settled and any(c.status is ConditionStatus.PASS and c.condition in settled.when_passed for c in decision.conditions):
            return settled.label
        if any(condition.status is ConditionStatus.UNKNOWN for condition in decision.conditions):
            label = self.templates.outcome_labels_when_open.get(decision.tool, {}).get(decision.outcome)
            if label:
                return label
        return self.templates.outcome_labels.get(decision.tool, {}).get(decision.outcome, decision.outcome)

    def case_label(self, decision: Decision, case: DecisionCase) -> str:
        """The result under one reading of a missing fact, e.g. 可在下列采购方式中依法选择：公开招标、竞争性磋商."""
        label = self.templates.outcome_labels.get(decision.tool, {}).get(case.outcome, case.outcome)
        return f"{label}：{'、'.join(case.methods)}" if len(case.methods) > 1 else label

    def lines(self, decision: Decision, cite: Callable[[Sequence[str]], str]) -> list[str]:
        """The decision's lines; ``cite(clause_keys)`` gives the citation written after each reason."""
        t = self.templates
        tool = t.tool_labels.get(decision.tool, decision.tool)
        lines = [t.headline.format(tool=tool, outcome=self.outcome_label(decision))]
        lines.extend(
            t.case.format(when=case.when, outcome=self.case_label(decision, case), citations=cite(case.clause_ids))
            for case in decision.cases
        )
        if decision.methods:
            template = t.methods_by_case if decision.cases else t.methods
            lines.append(template.format(methods="、".join(decision.methods)))
        if decision.organizer:
            lines.append(t.organizer.format(organizer=decision.organizer))
        lines.extend(t.approval.format(approval=a) for a in decision.approvals)
        if decision.missing:
            lines += ["", t.missing]
            lines.extend(t.missing_item.format(n=n, question=m.question) for n, m in enumerate(decision.missing, start=1))
        if decision.conditions:
            lines += ["", t.reasons]
            for condition in sorted(decision.conditions, key=lambda c: STATUS_ORDER.get(c.status, 2)):
                mark = t.marks[condition.status.value]
                lines.append(t.reason.format(mark=mark, reason=condition.reason, citations=cite(condition.clause_ids)))
        if decision.notes:
            lines += ["", t.notes]
            lines.extend(t.note.format(note=note) for note in decision.notes)
        return lines

    def markdown(self, decision: Decision, labels: Mapping[str, str] | None = None) -> str:
        """The decision as Markdown that stands alone: each reason cites its clauses by label (by key without one)."""
        labels = labels or {}
        return "\n".join(self.lines(decision, lambda keys: "〔" + "，".join(labels.get(k, k) for k in keys) + "〕" if keys else ""))
