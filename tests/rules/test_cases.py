"""Runs every rule case file ``tests/rules/cases/<tool>.yaml`` against ``assistant.rules.TOOLS[<tool>]``.

The file stem is the tool name, so a new tool only needs a registry entry and a case file.
Allowed keys are fixed (like OpenFisca's ``TEST_KEYWORDS``) so that a typo fails loudly.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import re

import pytest
import yaml

from assistant.models import ConditionStatus, Decision
from assistant.rules import TOOLS

from .conftest import CASES_DIR

CASE_KEYS = {"name", "on", "facts", "expect"}
EXPECT_KEYS = {
    "outcome",  # exact outcome string
    "clauses",  # each must be cited by some condition
    "not_clauses",  # none may be cited
    "missing",  # exact list of MissingFact.fact, in the order asked
    "failed",  # exact set of failed condition names
    "unknown",  # exact set of unknown condition names
    "conditions",  # {condition name: status} for the named conditions
    "notes_contain",  # each is a substring of some note
    "notes_absent",  # none is a substring of any note
    "methods",  # exact list (procurement_method)
    "organizer",  # exact string (procurement_method)
    "approvals_contain",  # each is a substring of the joined approvals (procurement_method)
    "cases",  # exact list of [outcome, [methods]] of the readings of a missing fact (depends_on_facts)
}


def _load_cases() -> list:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(cases, list), f"{path}: top level must be a list of cases"
        for index, case in enumerate(cases, start=1):
            params.append(pytest.param(path.stem, case, id=f"{path.stem}:{index}"))
    return params


CASES = _load_cases()

NEVER_FAILS = {"cl_3_2_public_institution_encouraged"}
"""Conditions that only ever pass by design (an encouragement clause sets no threshold)."""


def _names(decision: Decision, status: ConditionStatus) -> set[str]:
    return {c.condition for c in decision.conditions if c.status is status}


@pytest.mark.unit
@pytest.mark.parametrize(("tool_name", "case"), CASES)
def test_rule_case(tool_name: str, case: dict, context) -> None:
    assert tool_name in TOOLS, f"cases/{tool_name}.yaml has no tool registered in assistant.rules.TOOLS"
    assert True not in case, f"{case.get('name')}: quote the key \"on\" (YAML 1.1 reads a bare on as true)"
    assert set(case) <= CASE_KEYS and {"name", "on", "expect"} <= set(case), f"bad case keys: {sorted(case)}"
    expect = case["expect"]
    assert set(expect) <= EXPECT_KEYS, f"unknown expect keys: {sorted(set(expect) - EXPECT_KEYS)}"
    assert isinstance(expect["outcome"], str), f"{case['name']}: quote the outcome (bare yes/no is a YAML boolean)"
    on = case["on"]
    assert isinstance(on, dt.date), f"{case['name']}: 'on' must be a YYYY-MM-DD date"
    spec = TOOLS[tool_name]

    facts = spec.facts_model.model_validate(case.get("facts") or {})
    decision = spec.decide(facts, on=on, context=context)

    message = f"{case['name']}\n" + "\n".join(f"  {c.condition}: {c.status.value} — {c.reason}" for c in decision.conditions)
    assert decision.tool == tool_name
    assert decision.outcome == expect["outcome"], message
    if "clauses" in expect:
        assert set(expect["clauses"]) <= set(decision.clause_ids), message
    if "not_clauses" in expect:
        assert not set(expect["not_clauses"]) & set(decision.clause_ids), message
    if "missing" in expect:  # in the order asked: the most decisive first
        assert [m.fact for m in decision.missing] == list(expect["missing"]), message
    if "failed" in expect:
        assert _names(decision, ConditionStatus.FAIL) == set(expect["failed"]), message
    if "unknown" in expect:
        assert _names(decision, ConditionStatus.UNKNOWN) == set(expect["unknown"]), message
    statuses = {c.condition: c.status.value for c in decision.conditions}
    for name, status in expect.get("conditions", {}).items():
        assert statuses.get(name) == status, f"{message}\n{name}: {statuses.get(name)} != {status}"
    for fragment in expect.get("notes_contain", []):
        assert any(fragment in note for note in decision.notes), f"{message}\nno note contains {fragment!r}: {decision.notes}"
    for fragment in expect.get("notes_absent", []):
        assert not any(fragment in note for note in decision.notes), f"{message}\na note contains {fragment!r}"
    if "methods" in expect:
        assert list(decision.methods) == list(expect["methods"]), message
    if "organizer" in expect:
        assert decision.organizer == expect["organizer"], message
    if "cases" in expect:
        assert [[case.outcome, list(case.methods)] for case in decision.cases] == expect["cases"], f"{message}\n{decision.cases}"
    approvals = "\n".join(decision.approvals)
    for fragment in expect.get("approvals_contain", []):
        assert fragment in approvals, f"{message}\napprovals lack {fragment!r}: {decision.approvals}"


@pytest.mark.unit
@pytest.mark.parametrize("tool_name", ["purchase_eligibility", "supplier_qualification"])
def test_case_file_covers_every_outcome_and_condition(tool_name: str, context) -> None:
    """Each of our tools' case files reaches every outcome and makes every condition fail or pass somewhere."""
    spec = TOOLS[tool_name]
    cases = yaml.safe_load((CASES_DIR / f"{tool_name}.yaml").read_text(encoding="utf-8"))
    assert len(cases) >= 25
    outcomes: set[str] = set()
    seen: dict[str, set[ConditionStatus]] = {}
    for case in cases:
        decision = spec.decide(spec.facts_model.model_validate(case.get("facts") or {}), on=case["on"], context=context)
        outcomes.add(decision.outcome)
        for condition in decision.conditions:
            seen.setdefault(condition.condition, set()).add(condition.status)
    assert outcomes == set(spec.outcomes)
    for name, statuses in seen.items():
        assert ConditionStatus.PASS in statuses or ConditionStatus.FAIL in statuses, f"{name} never decided: {statuses}"
    narrow = {n: s for n, s in seen.items() if len(s) < 2 and n not in NEVER_FAILS}
    assert not narrow, f"conditions reached with one status only: {narrow}"
    module = importlib.import_module(spec.decide.__module__)
    checks = {name for name, _ in inspect.getmembers(module, inspect.isfunction) if re.match(r"(cl|mof102|gpl)_\d", name)}
    assert checks <= set(seen), f"conditions no case reaches: {sorted(checks - set(seen))}"
