"""The clause parser, read against the real seed policy 温政办〔2014〕118号."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.corpus import load_corpus, load_document
from assistant.errors import DocumentError

SEED = Path(__file__).resolve().parent.parent / "corpus" / "documents" / "wzb-2014-118.md"

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def seed():
    return load_document(SEED)


def _clause(seed, clause_id):
    return next(c for c in seed.clauses if c.clause_id == clause_id)


def test_the_seed_splits_into_its_39_citable_clauses(seed):
    assert len(seed.clauses) == 39
    assert [c.clause_id for c in seed.clauses[:5]] == ["前言", "一", "二（一）", "二（二）", "二（三）"]
    assert seed.clauses[-1].clause_id == "附则"


def test_every_clause_has_a_unique_id_and_a_label_naming_the_document(seed):
    ids = [c.clause_id for c in seed.clauses]
    assert len(ids) == len(set(ids))
    assert _clause(seed, "五（二）").label == "温政办〔2014〕118号 五（二）"
    assert _clause(seed, "三（一）").key == "wzb-2014-118#三（一）"


def test_numbered_items_sit_under_their_section_with_the_heading_path(seed):
    item = _clause(seed, "六（二）1")
    assert item.heading_path == ("政府购买服务的预算管理和信息公开", "资金安排")
    assert item.text.startswith("1. 对于常规服务项目")


def test_a_title_only_section_collects_its_items(seed):
    principles = _clause(seed, "二（三）")
    assert principles.text.startswith("（三）基本原则。")
    assert "4. 改革创新，完善机制。" in principles.text


@pytest.mark.parametrize(
    ("clause_id", "repaired"),
    [
        ("二（二）", "遵循突出重点的原则"),
        ("二（三）3", "承接政府购买服务的社会力量，确保"),
        ("五（一）", "合同签订、项目监管"),
        ("六（一）", "党委、政府因工作需要"),
        ("六（四）", "进展情况进行监督检查"),
        ("七（二）", "审计、行政审批管理"),
        ("七（二）5", "会同有关部门对承接主体进行资质审查"),
    ],
)
def test_sentences_cut_by_a_page_break_are_joined_again(seed, clause_id, repaired):
    assert repaired in _clause(seed, clause_id).text


def test_letterhead_signature_and_distribution_list_are_not_clauses(seed):
    text = "\n".join(c.text for c in seed.clauses)
    for boilerplate in ("抄送", "印发", "此件公开发布", "温州市人民政府办公室文件", "各县（市、区）人民政府，市政府直属各单位："):
        assert boilerplate not in text


def test_traditional_characters_and_ascii_punctuation_are_normalised(seed):
    assert "政府购买服务财政资金管理办法等" in _clause(seed, "七（二）2").text
    assert "加强行政监察，各级审计部门" in _clause(seed, "七（四）5").text


def test_the_document_records_that_it_abolishes_the_2011_opinion(seed):
    assert seed.meta.repeals == ("温政办〔2011〕172号",)
    assert "同时废止" in _clause(seed, "附则").text


def _write(tmp_path: Path, text: str | bytes, name: str = "bad.md") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


FRONT = "---\ndoc_id: x\ntitle: 测试\ndoc_number: 测试〔2024〕1号\nissuer: 测试机关\ndate: 2024-01-01\nstatus: 现行有效\nscope: 温州市\n---\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("一、没有前言信息。\n", "front matter"),
        ("---\ntitle: 未闭合\n", "not closed"),
        ("---\ndoc_id: x\ntitle: 缺字段\n---\n一、正文。\n", "missing fields"),
        (FRONT.replace("2024-01-01", "2024年1月1日"), "bad date"),
        (FRONT.replace("现行有效", "有效"), "invalid fields"),
        (FRONT, "empty body"),
        (FRONT + "\n\n   \n", "empty body"),
        ("---\n: [\n---\n正文。\n", "invalid YAML"),
        (b"---\ndoc_id: x\n---\n\xff\xfe\xfa", "not UTF-8"),
    ],
)
def test_a_malformed_document_fails_naming_the_file_and_the_problem(tmp_path, content, message):
    path = _write(tmp_path, content)
    with pytest.raises(DocumentError, match=message) as error:
        load_document(path)
    assert str(path) in str(error.value)


def test_two_documents_with_the_same_doc_id_are_rejected(tmp_path):
    _write(tmp_path, FRONT + "一、内容。\n", "a.md")
    _write(tmp_path, FRONT + "一、内容。\n", "b.md")
    with pytest.raises(DocumentError, match="duplicate doc_id"):
        load_corpus(tmp_path)


def test_an_agency_document_with_articles_gets_one_clause_per_article(tmp_path):
    """The article is the citation unit: its items, and a paragraph after them, stay in its text."""
    path = _write(
        tmp_path,
        FRONT + "第一章　总则\n\n第一条　为了规范购买服务，制定本办法。\n\n第二条　本办法适用于：\n\n"
        "（一）公共服务；\n\n（二）辅助性服务。\n\n前款所称服务，由财政部门认定。\n\n第二章　附则\n\n第三条　本办法自发布之日起施行。\n",
    )
    clauses = load_document(path).clauses
    assert [c.clause_id for c in clauses] == ["第一条", "第二条", "第三条"]
    assert clauses[1].text == "第二条本办法适用于：\n（一）公共服务；\n（二）辅助性服务。\n前款所称服务，由财政部门认定。"
    assert clauses[0].heading_path == ("第一章 总则",)
    assert clauses[2].heading_path == ("第二章 附则",)
    assert clauses[1].label == "测试〔2024〕1号 第二条"
