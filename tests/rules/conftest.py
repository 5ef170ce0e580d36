"""Fixtures shared by the rule tests: the shipped corpus as a RuleContext."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.nlu.description import READER
from assistant.rules import RuleContext

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = PROJECT_ROOT / "corpus"
CASES_DIR = Path(__file__).resolve().parent / "cases"


@pytest.fixture(scope="session")
def context() -> RuleContext:
    """The shipped catalog and parameters, and the nlu reader of service descriptions (loaded once per test session)."""
    return RuleContext.from_corpus(CORPUS_DIR, reader=READER)
