"""The lexicon file (``corpus/lexicon.yaml``) is validated data: a typo, a bad pattern, an unknown tool or fact,
or a YAML 1.1 boolean where a word was meant (``on``, ``yes``) fails loudly and names the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.dialogue import load_routing_lexicon
from assistant.errors import ConfigError
from assistant.lexicon import Lexicon, LexiconFile, load_lexicon_file

SHIPPED = Path(__file__).resolve().parent.parent / "corpus" / "lexicon.yaml"


def test_the_shipped_lexicon_is_valid_and_every_word_is_a_word():
    lexicon = load_routing_lexicon(SHIPPED)
    assert lexicon.words and lexicon.tool_intents and lexicon.tool_key_facts
    assert "on" in Lexicon.load(SHIPPED).stopwords  # quoted: unquoted, YAML read it as true


def test_a_missing_file_is_an_empty_lexicon(tmp_path: Path):
    assert load_lexicon_file(tmp_path / "none.yaml") == LexiconFile()


@pytest.mark.parametrize(
    "text, problem",
    [
        ("word: [购买主体]\n", "word"),  # a typo of words
        ("stopwords: [of, on, by]\n", "stopwords"),  # on is a boolean in YAML 1.1
        ("figure_patterns: ['多少(钱']\n", "figure_patterns"),
        ("tool_intents: {purchase_eligibility: ['能买(']}\n", "tool_intents"),
        ("words: [a\n", "invalid lexicon"),
    ],
)
def test_a_bad_lexicon_names_its_file_and_problem(tmp_path: Path, text: str, problem: str):
    path = tmp_path / "lexicon.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="lexicon.yaml") as raised:
        load_lexicon_file(path)
    assert problem in str(raised.value)
    with pytest.raises(ConfigError):
        Lexicon.load(path)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("tool_key_facts: {purchase_eligibilty: [has_budget]}\n", "not a rule tool"),
        ("tool_intents: {qualification: ['能接吗']}\n", "not a rule tool"),
        ("tool_key_facts: {purchase_eligibility: [has_budgets]}\n", "not fields of EligibilityFacts"),
    ],
)
def test_routing_keys_name_rule_tools_and_their_facts(tmp_path: Path, text: str, problem: str):
    path = tmp_path / "lexicon.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="lexicon.yaml") as raised:
        load_routing_lexicon(path)
    assert problem in str(raised.value)
