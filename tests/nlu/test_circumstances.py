"""Statutory circumstances read by meaning: a classifier over sentence vectors, negation and questions excluded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from assistant.errors import ConfigError
from assistant.nlu.circumstances import NONE, CircumstanceReader, load, load_or_train, training_set

from .test_intent import fake_embed

ROOT = Path(__file__).resolve().parents[2]

SMALL = {
    "version": 1,
    "circumstances": {
        "tender_failed": {"describes": ["招标流标了", "没有人来投标", "招标失败了", "投标人不够三家", "废标了"], "near_misses": ["招标很顺利"]},
        "only_one_supplier": {"describes": ["只有原厂能做", "独家专利", "只有一家能提供", "原厂独家维护", "专有技术只此一家"], "near_misses": ["很多家都能做"]},
    },
}


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "circumstances.yaml"
    path.write_text(yaml.safe_dump(SMALL, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.unit
def test_the_training_set_labels_near_misses_and_other_questions_as_none(small_file: Path):
    texts, labels = training_set(load(small_file), ["什么是政府购买服务"])
    assert labels.count("tender_failed") == 5 and labels.count("only_one_supplier") == 5
    assert labels.count(NONE) == 3 and "什么是政府购买服务" in texts


@pytest.mark.unit
def test_a_plain_statement_is_read_and_a_negated_or_asked_one_is_not(small_file: Path):
    texts, labels = training_set(load(small_file), ["你好", "什么是政府购买服务", "承接主体要什么条件"])
    reader = CircumstanceReader.train(np.vstack([fake_embed(t) for t in texts]), labels)
    assert reader.read("上个月招标流标了，怎么办", fake_embed) == {"tender_failed": True}
    assert reader.read("不是只有原厂能做", fake_embed) == {}
    assert reader.read("是不是只有原厂能做？", fake_embed) == {}


@pytest.mark.unit
def test_a_malformed_file_names_itself(tmp_path: Path):
    bad = tmp_path / "circumstances.yaml"
    bad.write_text("version: 1\ncircumstances:\n  tender_failed: {describe: [x]}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="circumstances.yaml"):
        load(bad)


@pytest.mark.unit
def test_the_reader_is_cached_by_its_training_data(small_file: Path, tmp_path: Path):
    calls: list[str] = []

    def counting(text: str) -> np.ndarray:
        calls.append(text)
        return fake_embed(text)

    load_or_train(small_file, lambda: ["你好"], "v1", tmp_path / "cache", "fake", counting)
    trained = len(calls)
    load_or_train(small_file, lambda: ["你好"], "v1", tmp_path / "cache", "fake", counting)
    assert len(calls) == trained
    load_or_train(small_file, lambda: ["你好", "谢谢"], "v2", tmp_path / "cache", "fake", counting)
    assert len(calls) > trained


@pytest.mark.unit
def test_the_shipped_file_covers_the_method_grounds_of_the_procurement_facts():
    from assistant.rules.procurement import ProcurementFacts

    circumstances = load(ROOT / "corpus" / "nlu" / "circumstances.yaml")
    assert set(circumstances) <= set(ProcurementFacts.model_fields)
    assert all(len(c.describes) >= 15 for c in circumstances.values())


@pytest.mark.integration
@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("这套系统的核心模块是厂商独有的专利，别人维护不了", "only_one_supplier"),
        ("第一次招标一个投标的都没有", "tender_failed"),
        ("要做的东西太新了，需求我们自己也写不清楚", "specs_cannot_be_fixed"),
    ],
)
def test_the_shipped_reader_reads_a_circumstance_described_in_new_words(real_assistant, text: str, fact: str):
    conversation = real_assistant._conversation
    assert conversation.stated_facts("procurement_method", text).get(fact) is True
