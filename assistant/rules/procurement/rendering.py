"""Chinese Markdown rendering of a procurement-method decision."""

from __future__ import annotations

from assistant.models import ConditionStatus, Decision
from assistant.rules.procurement.facts import OUTCOME_LABELS, MethodOutcome


def render(decision: Decision) -> str:
    """The decision as Chinese Markdown: conclusion, methods, organiser, approvals, reasons with clause keys, questions."""
    outcome = MethodOutcome(decision.outcome)
    lines = [f"**结论：{OUTCOME_LABELS[outcome]}。**"]
    if decision.methods:
        lines.append(f"- 可用采购方式：{'、'.join(decision.methods)}")
    if decision.organizer:
        lines.append(f"- 组织实施：{decision.organizer}")
    for approval in decision.approvals:
        lines.append(f"- 审批/公示：{approval}")
    if decision.missing:
        lines.append("")
        lines.append("还需要您补充：")
        lines.extend(f"{number}. {item.question}" for number, item in enumerate(decision.missing, 1))
    if decision.conditions:
        lines.append("")
        lines.append("判断依据：")
        marks = {ConditionStatus.PASS: "✓", ConditionStatus.FAIL: "✗", ConditionStatus.UNKNOWN: "？"}
        for condition in decision.conditions:
            lines.append(f"- {marks[condition.status]} {condition.reason}〔{'，'.join(condition.clause_ids)}〕")
    if decision.notes:
        lines.append("")
        lines.append("说明：")
        lines.extend(f"- {note}" for note in decision.notes)
    return "\n".join(lines)
