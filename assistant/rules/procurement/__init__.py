"""Procurement method (采购方式) of a purchase of services: which methods apply, who organises, which approvals.

Instruments, each cited by clause key ``<doc_id>#<clause_id>`` (documents in ``corpus/documents``):

* 温政办〔2014〕118号 五（二） (``wzb-2014-118``, 2014-09-23) — purchases of services come under
  government-procurement management; outside the 集中采购目录 and below the 分散采购限额标准 the
  purchaser may organise the purchase itself; a written contract; 严禁转包.
* 中华人民共和国政府采购法 (2014-08-31 amendment, ``ref-gpl``) Art. 2, 7, 8, 18, 26–32, 37, 49, 85.
* 政府采购法实施条例 (国务院令第658号, in force 2015-03-01, ``ref-gpl-reg``) Art. 2, 5, 7, 23, 25–28, 38, 78.
* 财库〔2014〕214号 第三条 (``ref-czk-214``) and 财库〔2015〕124号 (``ref-czk-124``) — 竞争性磋商.

Thresholds (分散采购限额标准, 公开招标数额标准) and the rule constants (the 10% add-on ratio, the
5-working-day single-source publicity) are dated parameters read through :mod:`assistant.parameters`;
this package holds no figure. Only the central 2020 thresholds are verified; the Zhejiang figures
are marked unverified and every decision that uses them says so.

The package, by concern:

* :mod:`~assistant.rules.procurement.facts` — :class:`ProcurementFacts`, the methods, organisers and
  outcomes, and the questions asked for a missing fact;
* :mod:`~assistant.rules.procurement.clauses` — the clause keys the checks cite;
* :mod:`~assistant.rules.procurement.thresholds` — the dated thresholds and where an amount lies against them;
* :mod:`~assistant.rules.procurement.grounds` — one check per statutory clause (``gpl_29_…``, ``reg_28_…``);
* :mod:`~assistant.rules.procurement.combine` — :func:`decide`, the combining rule;
* :mod:`~assistant.rules.procurement.wording` — how amounts, dates and method lists are written.

Public surface: :class:`ProcurementFacts` and :func:`decide` (the pure rule); a decision is rendered by
:mod:`assistant.present`, as every decision is. The facts are read from a Chinese question by the understanding layer
(``extract("procurement_method", text)`` of ``nlu/facts.py``), not here.

Example::

    from datetime import date
    from assistant.config import Settings
    from assistant.present import DecisionRenderer
    from assistant.rules.procurement import Level, ProcurementFacts, decide

    facts = ProcurementFacts(amount_yuan=800_000, in_centralized_catalog=False, level=Level.县级)
    decision = decide(facts, on=date(2026, 11, 29), context=Settings.load())
    print(DecisionRenderer().markdown(decision))  # **采购方式判断结论：可由购买主体自行组织采购。** …
"""

from __future__ import annotations

from assistant.rules._context import ToolSpec
from assistant.rules.procurement.combine import RuleContext, decide
from assistant.rules.procurement.facts import (
    OUTCOME_LABELS,
    QUESTION_ORDER,
    QUESTIONS,
    TOOL_NAME,
    Level,
    MethodOutcome,
    Organizer,
    ProcurementFacts,
    ProcurementMethod,
)

__all__ = [
    "OUTCOME_LABELS",
    "QUESTIONS",
    "QUESTION_ORDER",
    "TOOL",
    "TOOL_NAME",
    "Level",
    "MethodOutcome",
    "Organizer",
    "ProcurementFacts",
    "ProcurementMethod",
    "RuleContext",
    "decide",
]

TOOL = ToolSpec(
    name=TOOL_NAME,
    facts_model=ProcurementFacts,
    decide=decide,
    outcomes=tuple(outcome.value for outcome in MethodOutcome),
)
"""Entry of :data:`assistant.rules.TOOLS`."""
