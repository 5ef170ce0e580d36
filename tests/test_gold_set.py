"""Integrity of the evaluation gold set (evals/gold/questions.yaml) against the real parsed corpus.

These checks keep the gold set honest: every evidence string must be quoted from a clause the
parser actually produces, every key point must be findable extractively in such a clause, and
the seed policy must be covered clause by clause. They need no model and no index.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from assistant.corpus import load_corpus
from assistant.models import Clause

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
GOLD_PATH = ROOT / "evals" / "gold" / "questions.yaml"
CORPUS_DIR = ROOT / "corpus" / "documents"
SEED_DOC_ID = "wzb-2014-118"
REQUIRED_KEYS = {"id", "question", "answerable", "evidence", "must_mention", "tags"}


@lru_cache(maxsize=1)
def _cases() -> tuple[dict, ...]:
    data = yaml.safe_load(GOLD_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, list), "the gold set must be a YAML list of cases"
    return tuple(data)


@lru_cache(maxsize=1)
def _clauses() -> tuple[Clause, ...]:
    # All clauses of all documents: reference notes added later must not break the gold set.
    return tuple(clause for document in load_corpus(CORPUS_DIR) for clause in document.clauses)


def _evidence_clauses(case: dict) -> list[Clause]:
    return [clause for clause in _clauses() if any(e in clause.text for e in case["evidence"])]


def _answerable() -> list[dict]:
    return [case for case in _cases() if case["answerable"]]


def _unanswerable() -> list[dict]:
    return [case for case in _cases() if not case["answerable"]]


def test_the_gold_set_has_at_least_150_cases():
    assert len(_cases()) >= 150


def test_every_case_has_the_required_keys_with_the_right_types():
    for case in _cases():
        assert isinstance(case, dict), case
        assert REQUIRED_KEYS <= set(case), f"{case.get('id')}: missing {REQUIRED_KEYS - set(case)}"
        assert isinstance(case["id"], str), case
        assert isinstance(case["question"], str) and case["question"].strip(), case["id"]
        assert isinstance(case["answerable"], bool), case["id"]
        assert isinstance(case["evidence"], list), case["id"]
        assert all(isinstance(e, str) and e for e in case["evidence"]), case["id"]
        assert isinstance(case["must_mention"], list), case["id"]
        for point in case["must_mention"]:
            assert isinstance(point, list) and point, f"{case['id']}: a key point is a non-empty list of alternatives"
            assert all(isinstance(alt, str) and alt for alt in point), case["id"]
        assert isinstance(case["tags"], list) and case["tags"], case["id"]
        assert all(isinstance(tag, str) and tag for tag in case["tags"]), case["id"]


def test_case_ids_are_unique_and_numbered_in_order():
    ids = [case["id"] for case in _cases()]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    assert all(re.fullmatch(r"q\d{3,}", i) for i in ids), ids
    assert ids == [f"q{n:03d}" for n in range(1, len(ids) + 1)]


def test_questions_are_not_repeated():
    questions = Counter(case["question"].strip() for case in _cases())
    assert not [q for q, n in questions.items() if n > 1]


def test_every_evidence_string_is_quoted_from_a_real_clause():
    texts = [clause.text for clause in _clauses()]
    missing = [
        (case["id"], evidence)
        for case in _cases()
        for evidence in case["evidence"]
        if not any(evidence in text for text in texts)
    ]
    assert not missing, f"evidence not found in any clause: {missing}"


def test_evidence_strings_are_distinctive_quotes_of_8_to_40_characters():
    bad = [(case["id"], e) for case in _cases() for e in case["evidence"] if not 8 <= len(e) <= 40]
    assert not bad, bad


def test_every_answerable_case_has_evidence_and_one_to_three_key_points():
    for case in _answerable():
        assert case["evidence"], f"{case['id']}: answerable but no evidence"
        assert 1 <= len(case["must_mention"]) <= 3, f"{case['id']}: needs 1-3 key points"


def test_every_must_mention_alternative_is_findable_in_an_evidence_clause():
    problems = []
    for case in _answerable():
        clauses = _evidence_clauses(case)
        for point in case["must_mention"]:
            for alternative in point:
                if not any(alternative in clause.text for clause in clauses):
                    problems.append((case["id"], alternative))
    assert not problems, f"key points that no evidence clause contains: {problems}"


def test_must_mention_alternatives_are_short_phrases():
    bad = [
        (case["id"], alt)
        for case in _cases()
        for point in case["must_mention"]
        for alt in point
        if not 2 <= len(alt) <= 12
    ]
    assert not bad, bad


def test_unanswerable_cases_have_no_evidence_and_no_key_points():
    for case in _unanswerable():
        assert case["evidence"] == [], case["id"]
        assert case["must_mention"] == [], case["id"]


def test_out_of_scope_tag_marks_exactly_the_unanswerable_cases():
    for case in _cases():
        assert ("out_of_scope" in case["tags"]) == (not case["answerable"]), case["id"]


def test_there_are_at_least_25_out_of_scope_cases():
    assert len([case for case in _cases() if "out_of_scope" in case["tags"]]) >= 25


def test_every_clause_of_the_seed_document_is_evidence_for_some_case():
    seed = [clause for clause in _clauses() if clause.doc_id == SEED_DOC_ID]
    assert seed, "the seed document is missing from the corpus"
    uncovered = [
        clause.clause_id
        for clause in seed
        if not any(e in clause.text for case in _cases() for e in case["evidence"])
    ]
    assert not uncovered, f"clauses without any gold question: {uncovered}"


@pytest.mark.parametrize("tag", ["english", "traditional", "typo", "two_in_one", "injection", "colloquial"])
def test_each_question_style_is_represented(tag):
    assert len([case for case in _cases() if tag in case["tags"]]) >= 5, tag


def test_two_in_one_cases_cite_evidence_from_more_than_one_clause():
    for case in _cases():
        if "two_in_one" in case["tags"]:
            assert len(case["evidence"]) >= 2, case["id"]
            assert len(case["must_mention"]) >= 2, case["id"]
