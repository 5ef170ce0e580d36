"""Chinese Markdown rendering of a rule Decision (shared by the eligibility and qualification tools).

Same sections as ``assistant.rules.procurement.render``: conclusion, questions still open,
the reasons with their clause keys (✓ pass, ✗ fail, ？ unknown), then the notes.
"""

from __future__ import annotations

from collections.abc import Mapping

from assistant.models import ConditionStatus, Decision

_NEGATIVE = ("no", "not_qualified")
_MARKS = {ConditionStatus.PASS: "✓", ConditionStatus.FAIL: "✗", ConditionStatus.UNKNOWN: "？"}


def render_decision(decision: Decision, *, headline: str, labels: Mapping[str, str] | None = None) -> str:
    """The decision as Markdown; ``labels`` maps clause keys to human labels (default: the keys)."""
    labels = labels or {}
    lines = [f"**结论：{headline}。**"]
    # A negative answer is final whatever the open facts are, so its questions are not asked.
    if decision.missing and decision.outcome not in _NEGATIVE:
        lines += ["", "还需要您补充：" if decision.outcome in ("need_info", "insufficient_info") else "还需要确认："]
        lines += [f"{number}. {item.question}" for number, item in enumerate(decision.missing, 1)]
    ordered = sorted(decision.conditions, key=lambda c: [ConditionStatus.FAIL, ConditionStatus.UNKNOWN, ConditionStatus.PASS].index(c.status))
    if ordered:
        lines += ["", "判断依据："]
        for condition in ordered:
            cited = "，".join(labels.get(key, key) for key in condition.clause_ids)
            lines.append(f"- {_MARKS[condition.status]} {condition.reason}〔{cited}〕")
    if decision.notes:
        lines += ["", "说明："]
        lines += [f"- {note}" for note in decision.notes]
    return "\n".join(lines)
