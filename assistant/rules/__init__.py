"""Rule tools: pure, dated functions that turn structured facts into a :class:`~assistant.models.Decision`.

Every tool has the same call shape::

    from datetime import date
    from pathlib import Path
    from assistant.rules import TOOLS, RuleContext

    context = RuleContext.from_corpus(Path("corpus"))
    tool = TOOLS["purchase_eligibility"]
    facts = tool.extract("我们是区民政局，想买社区养老上门服务，能买吗？")
    decision = tool.decide(facts, on=date(2026, 11, 29), context=context)

``TOOLS`` maps the tool name (= ``Decision.tool`` = the stem of ``tests/rules/cases/<name>.yaml``)
to its :class:`ToolSpec`. To add a tool, give its module a module-level ``TOOL = ToolSpec(...)``
and list the module in ``_TOOL_MODULES``.
"""

from __future__ import annotations

from importlib import import_module

from assistant.rules._context import RuleContext, ToolSpec

__all__ = ["TOOLS", "RuleContext", "ToolSpec"]

_TOOL_MODULES = (
    "assistant.rules.eligibility",
    "assistant.rules.qualification",
    "assistant.rules.procurement",
)

TOOLS: dict[str, ToolSpec] = {}
for _module in _TOOL_MODULES:
    _spec: ToolSpec = import_module(_module).TOOL
    TOOLS[_spec.name] = _spec
