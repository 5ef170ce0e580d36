"""The national statutes in the corpus: 政府采购法 (2014 amendment) and its 实施条例 (国务院令第658号),
official full texts parsed into one clause per article (第X条) under their chapter (第X章)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from assistant.corpus import label_name, load_corpus, load_document

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "corpus" / "documents"
RULES = ROOT / "assistant" / "rules"

pytestmark = pytest.mark.unit

_DIGITS = "零一二三四五六七八九"


def _article(n: int) -> str:
    """第n条 in Chinese numerals (1 ≤ n < 100): 第一条, 第十条, 第二十二条, 第八十八条."""
    tens, ones = divmod(n, 10)
    number = ("" if tens < 2 else _DIGITS[tens]) + ("十" if tens else "") + (_DIGITS[ones] if ones else "")
    return f"第{number}条"


@pytest.fixture(scope="module")
def law():
    return load_document(DOCUMENTS / "ref-gpl.md")


@pytest.fixture(scope="module")
def regulation():
    return load_document(DOCUMENTS / "ref-gpl-reg.md")


def _clause(document, clause_id):
    return next(c for c in document.clauses if c.clause_id == clause_id)


@pytest.mark.parametrize(("name", "articles"), [("law", 88), ("regulation", 79)])
def test_every_article_is_one_clause_in_order_and_nothing_else_is(request, name, articles):
    document = request.getfixturevalue(name)
    assert len(document.clauses) == articles
    assert [c.clause_id for c in document.clauses] == [_article(n) for n in range(1, articles + 1)]
    assert all(c.text.startswith(c.clause_id) for c in document.clauses)


def test_the_article_keeps_its_items_and_its_later_paragraphs(law, regulation):
    single_source = _clause(law, "第三十一条").text
    assert "只能从唯一供应商处采购" in single_source
    assert single_source.startswith("第三十一条符合下列情形之一的货物或者服务，可以依照本法采用单一来源方式采购：")
    assert single_source.endswith("且添购资金总额不超过原合同采购金额百分之十的。")
    suppliers = _clause(law, "第二十二条").text
    assert "（一）具有独立承担民事责任的能力；" in suppliers and "（六）法律、行政法规规定的其他条件。" in suppliers
    assert suppliers.endswith("但不得以不合理的条件对供应商实行差别待遇或者歧视待遇。")
    assert "前款所称本国货物、工程和服务的界定" in _clause(law, "第十条").text
    assert "（五）与供应商有其他可能影响政府采购活动公平、公正进行的关系。" in _clause(regulation, "第九条").text
    assert "竞争性谈判或者单一来源采购方式" in _clause(regulation, "第二十五条").text


def test_labels_name_the_statute_by_its_short_title(law, regulation):
    assert _clause(law, "第三十一条").label == "政府采购法 第三十一条"
    assert _clause(regulation, "第二十五条").label == "政府采购法实施条例 第二十五条"
    assert _clause(law, "第二十二条").key == "ref-gpl#第二十二条"
    assert _clause(regulation, "第二十五条").key == "ref-gpl-reg#第二十五条"


def test_other_documents_keep_their_document_number_labels():
    clauses = {c.key: c for d in load_corpus(DOCUMENTS) for c in d.clauses}
    assert clauses["wzb-2014-118#三（二）"].label == "温政办〔2014〕118号 三（二）"
    assert clauses["ref-mof-102#第十条"].label == "财政部令第102号 第十条"


@pytest.mark.parametrize(
    ("title", "doc_number", "name"),
    [
        ("中华人民共和国政府采购法", "", "政府采购法"),
        ("中华人民共和国政府采购法实施条例", "国务院令第658号", "政府采购法实施条例"),
        ("中华人民共和国政府采购法（2014年修正）", "", "政府采购法"),
        ("温州市人民政府办公室关于政府向社会力量购买服务的实施意见", "温政办〔2014〕118号", "温政办〔2014〕118号"),
        ("政府购买服务管理办法", "", "政府购买服务管理办法"),
    ],
)
def test_label_name(law, title, doc_number, name):
    assert label_name(law.meta.model_copy(update={"title": title, "doc_number": doc_number})) == name


def test_articles_sit_under_their_chapter(law, regulation):
    assert _clause(law, "第三十一条").heading_path == ("第三章 政府采购方式",)
    assert _clause(law, "第一条").heading_path == ("第一章 总则",)
    assert _clause(law, "第八十八条").heading_path == ("第九章 附则",)
    assert _clause(regulation, "第二十五条").heading_path == ("第三章 政府采购方式",)
    assert _clause(regulation, "第七十九条").heading_path == ("第九章 附则",)


@pytest.mark.parametrize(
    ("name", "title", "doc_number", "date", "issuer", "source"),
    [
        (
            "law",
            "中华人民共和国政府采购法",
            "",
            dt.date(2014, 8, 31),
            "全国人民代表大会常务委员会",
            "github LawRefBook/Laws @ 2f4c5c23716267af9dbebbbbd6cbbf732b101981 : 经济法/政府采购法(2014-08-31).md "
            "(full text, 2014-08-31 amended version)",
        ),
        (
            "regulation",
            "中华人民共和国政府采购法实施条例",
            "国务院令第658号",
            dt.date(2015, 1, 30),
            "国务院",
            "github LawRefBook/Laws @ 2f4c5c23716267af9dbebbbbd6cbbf732b101981 : 行政法规/政府采购法实施条例(2015-01-30).md "
            "(full text, 国务院令第658号)",
        ),
    ],
)
def test_front_matter_of_the_official_texts(request, name, title, doc_number, date, issuer, source):
    meta = request.getfixturevalue(name).meta
    assert (meta.title, meta.doc_number, meta.date, meta.issuer) == (title, doc_number, date, issuer)
    assert (meta.status, meta.kind, meta.scope) == ("现行有效", "policy", "全国")
    assert meta.source == source


@pytest.mark.parametrize("name", ["law", "regulation"])
def test_title_promulgation_notes_and_markdown_are_not_clause_text(request, name):
    text = "\n".join(c.text for c in request.getfixturevalue(name).clauses)
    for absent in ("#", "INFO END", "<!--", "常务委员会第二十八次会议通过", "第75次常务会议通过", "国务院令第658号公布", "第一章"):
        assert absent not in text


def test_every_statute_clause_a_rule_cites_exists():
    keys = {c.key for d in load_corpus(DOCUMENTS) for c in d.clauses}
    cited = {
        match
        for path in RULES.rglob("*.py")
        for match in re.findall(r"ref-gpl(?:-reg)?#第[一二三四五六七八九十百]+条", path.read_text(encoding="utf-8"))
    }
    assert {"ref-gpl#第二十二条", "ref-gpl#第三十一条", "ref-gpl-reg#第二十五条"} <= cited
    assert cited <= keys, f"cited by assistant/rules but not in the corpus: {sorted(cited - keys)}"


def test_a_table_of_contents_and_markdown_headings_do_not_become_clauses(tmp_path):
    path = tmp_path / "statute.md"
    path.write_text(
        "---\ndoc_id: t\ntitle: 中华人民共和国测试法\ndoc_number: ''\nissuer: 全国人民代表大会常务委员会\n"
        "date: 2020-01-01\nstatus: 现行有效\nscope: 全国\n---\n\n# 中华人民共和国测试法\n\n"
        "2019年12月28日 第十三届全国人民代表大会常务委员会第十五次会议通过\n\n<!-- INFO END -->\n\n"
        "目　　录\n\n第一章　总　　则\n\n第二章　附　　则\n\n## 第一章 总则\n\n第一条 为了测试，制定本法。\n\n"
        "第二条 本法适用于下列事项：\n\n（一）甲；\n\n（二）乙。\n\n## 第二章 附则\n\n第三条 本法自2020年1月1日起施行。\n",
        encoding="utf-8",
    )
    clauses = load_document(path).clauses
    assert [c.clause_id for c in clauses] == ["第一条", "第二条", "第三条"]
    assert [c.heading_path for c in clauses] == [("第一章 总则",), ("第一章 总则",), ("第二章 附则",)]
    assert clauses[1].text == "第二条本法适用于下列事项：\n（一）甲；\n（二）乙。"
    assert clauses[2].label == "测试法 第三条"
