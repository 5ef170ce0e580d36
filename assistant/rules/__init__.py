"""Rule tools: pure, dated functions that turn structured facts into a :class:`~assistant.models.Decision`.

Every tool has the same call shape::

    from datetime import date
    from pathlib import Path
    from assistant.rules import TOOLS, RuleContext

    context = RuleContext.from_corpus(Path("corpus"), reader=reader)
    tool = TOOLS["purchase_eligibility"]
    facts = tool.facts_model(purchaser_type="行政机关", service_description="社区养老上门服务")
    decision = tool.decide(facts, on=date(2026, 11, 29), context=context)

The rules read no text. The facts come from the understanding layer (``extract(tool.name, text)`` of
``nlu/facts.py`` reads them from a Chinese question), and so does ``reader``, the
:class:`DescriptionReader` that says what a service description names (``READER`` of ``nlu/description.py``).

``TOOLS`` maps the tool name (= ``Decision.tool`` = the stem of ``tests/rules/cases/<name>.yaml``)
to its :class:`ToolSpec`. To add a tool, give its module a module-level ``TOOL = ToolSpec(...)``
and list the module in ``_TOOL_MODULES``; its facts are read from text with a fact table
``corpus/nlu/facts/<name>.yaml`` (listed in ``TOOLS`` of ``nlu/facts.py``).
"""

from __future__ import annotations

from importlib import import_module

from assistant.rules._context import DescriptionReader, DescriptionReading, RuleContext, ToolSpec

__all__ = ["TOOLS", "DescriptionReader", "DescriptionReading", "RuleContext", "ToolSpec"]

_TOOL_MODULES = (
    "assistant.rules.eligibility",
    "assistant.rules.qualification",
    "assistant.rules.procurement",
)

TOOLS: dict[str, ToolSpec] = {}
for _module in _TOOL_MODULES:
    _spec: ToolSpec = import_module(_module).TOOL
    TOOLS[_spec.name] = _spec
