"""The article reader: which national article a question is about, learned from questions other hands wrote."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from tests.nlu.fakes import fake_embed

from assistant.errors import ConfigError
from assistant.nlu.articles import (
    NONE,
    SHIPPED_FILE,
    ArticleExample,
    ArticleReader,
    cross_validate,
    load_examples,
    load_or_train,
    usable,
)

ROOT = Path(__file__).resolve().parents[2]



SMALL = {
    "ref-mof-102#第十条": ["能不能用购买服务设公益性岗位", "公益性岗位还能买吗", "劳务派遣能走购买服务吗", "派人来坐班算购买服务吗"],
    "ref-mof-102#第六条": ["个人能承接购买服务吗", "居委会能当承接主体吗", "村委会能承接项目吗", "自由职业者能签合同吗"],
    NONE: ["118号文的指导思想是什么", "温州什么时候开始试点", "购买服务的工作目标有哪些", "市财政局负责什么"],
}


def small_examples(group: str = "dev:hand") -> list[ArticleExample]:
    return [
        ArticleExample(text=t, about=about, source=f"{group}:{about}-{n}")
        for about, texts in SMALL.items() for n, t in enumerate(texts)
    ]


def test_a_trained_reader_names_the_article_a_question_is_about_and_nothing_for_a_local_question():
    examples = small_examples()
    reader = ArticleReader.train(examples, np.vstack([fake_embed(e.text) for e in examples]))
    assert reader.about("公益性岗位还能买吗", fake_embed("公益性岗位还能买吗"), min_probability=0.0) == "ref-mof-102#第十条"
    assert reader.about("温州什么时候开始试点", fake_embed("温州什么时候开始试点"), min_probability=0.0) is None


def test_below_its_least_probability_the_reader_names_no_article():
    examples = small_examples()
    reader = ArticleReader.train(examples, np.vstack([fake_embed(e.text) for e in examples]))
    assert reader.about("公益性岗位还能买吗", fake_embed("公益性岗位还能买吗"), min_probability=1.0) is None


def test_an_example_belongs_to_the_question_set_it_came_from():
    example = ArticleExample(text="x", about=NONE, source="spent:2026-12-02-current-rules-b:e7-001")
    assert example.group == "spent:2026-12-02-current-rules-b"
    assert example.case_id == "e7-001"


def test_examples_about_a_clause_the_index_lacks_are_left_out():
    examples = small_examples()
    kept = usable(examples, {"ref-mof-102#第十条"})
    assert {e.about for e in kept} == {"ref-mof-102#第十条", NONE}


def test_with_fewer_than_two_indexed_articles_there_is_no_reader(tmp_path: Path):
    path = tmp_path / "articles.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "examples": [e.model_dump() for e in small_examples()]}, allow_unicode=True), encoding="utf-8")
    assert load_or_train(path, {"ref-mof-102#第十条"}, tmp_path / "cache", "fake", fake_embed) is None
    reader = load_or_train(path, {"ref-mof-102#第十条", "ref-mof-102#第六条"}, tmp_path / "cache", "fake", fake_embed)
    assert isinstance(reader, ArticleReader)
    assert list((tmp_path / "cache").glob("articles-*.pkl")), "the trained reader is cached"


def test_a_malformed_training_file_names_the_file(tmp_path: Path):
    bad = tmp_path / "articles.yaml"
    bad.write_text(yaml.safe_dump({"version": 1, "examples": [{"text": "x", "about": "none"}]}), encoding="utf-8")
    with pytest.raises(ConfigError, match="articles.yaml"):
        load_examples(bad)


def test_cross_validation_leaves_out_one_question_set_at_a_time():
    examples = small_examples("dev:one") + small_examples("dev:two") + small_examples("dev:three")
    figures = cross_validate(examples, np.vstack([fake_embed(e.text) for e in examples]))
    assert figures["sets"] == 3
    assert 0.0 <= figures["accuracy"] <= 1.0 and 0.0 <= figures["false_reads"] <= 1.0


def test_the_shipped_training_file_holds_no_blind_set_still_judging_an_issue():
    from tests.nlu.test_intent import JUDGING

    assert not [e for e in load_examples(SHIPPED_FILE) if e.group.rsplit(":", 1)[-1] in JUDGING]


@pytest.mark.integration
def test_every_article_of_the_shipped_file_is_an_indexed_clause(real_assistant):
    indexed = {c.key for c in real_assistant.clauses()}
    assert {e.about for e in load_examples(SHIPPED_FILE)} - {NONE} <= indexed


@pytest.mark.integration
def test_a_supplier_who_is_a_person_is_answered_from_the_article_that_admits_individuals(real_assistant):
    answer = real_assistant.ask("调解中心想请一位退休的老律师做法律咨询，他不挂靠律所，能直接跟他个人签购买服务合同吗")
    assert "财政部令第102号 第六条" in [c.label for c in answer.citations[:3]]


@pytest.mark.integration
def test_a_question_set_is_never_scored_by_a_reader_that_saw_it(real_assistant):
    from assistant.question_eval import without_set

    unseen = without_set(real_assistant, ROOT / "evals" / "blind" / "2026-12-02-current-rules-g.jsonl")
    assert unseen is real_assistant
    seen = without_set(real_assistant, ROOT / "evals" / "blind" / "2026-12-02-current-rules-d.jsonl")
    assert seen is not real_assistant
    assert seen._composer.articles is not real_assistant._composer.articles
    assert seen._composer.articles is not None


@pytest.mark.integration
def test_a_question_read_as_about_an_article_is_answered_from_it_though_its_words_match_no_clause(real_assistant):
    """村委会 is not a word of 102号令第六条 (基层群众性自治组织): retrieval alone declined this as 文件未作规定."""
    question = "垃圾分类入户督导这块，镇里想直接交给几个村委会来承接，村里人熟好办事，村委会能当承接主体吗？"
    prose = real_assistant._composer.answer(question)
    assert prose.answerable and prose.citations[0].label == "财政部令第102号 第六条"
    decided = real_assistant.ask(question)
    assert "财政部令第102号 第六条" in [c.label for c in decided.citations[:3]]
    assert "基层群众性自治组织" in decided.answer


@pytest.mark.integration
def test_a_question_no_document_answers_is_still_declined(real_assistant):
    assert not real_assistant.ask("温州2026年政府购买服务指导目录里有没有养老助餐这一项？").answerable


@pytest.mark.integration
def test_the_learned_readers_report_gives_the_article_readers_figures_one_set_left_out(real_assistant):
    from assistant.question_eval import _article_reader_figures

    figures = _article_reader_figures(real_assistant)
    assert figures["article_sets"] >= 15
    assert 0.0 < figures["article_accuracy"] <= 1.0 and 0.0 <= figures["article_false_reads"] < 1.0
