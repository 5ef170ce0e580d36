"""Corpus documents: loading, normalising and splitting policy texts into citable clauses.

A corpus document is a UTF-8 text or Markdown file that starts with YAML front matter
(``doc_id, title, doc_number, issuer, date, status, scope``; optional ``source, kind``)
followed by the official text. The parser

* converts traditional characters to simplified ones (OpenCC ``t2s``) and unifies
  ASCII punctuation inside Chinese text,
* drops the letterhead, addressee line, signature, dates and 抄送 block from retrieval, and
  from statutes the title line, the 题注 (``2002年6月29日……通过``) and a 目录,
* ignores Markdown heading marks (``## 第一章 总则``) and HTML comments (``<!-- … -->``),
* repairs page-break splits (a sentence cut by a blank line, ``社会力`` / ``量``),
* builds the clause tree ``一、`` → ``（一）`` → ``1.`` → ``（1）``, or ``第X章`` → ``第X条`` where
  the article is the citation unit: its items ``（一）`` ``1.`` stay in its text, and a chapter
  is a heading (``第三章 政府采购方式``) in the heading path, never a clause of its own,
* records the documents the text abolishes (``……同时废止``).

Every clause gets a stable id such as ``三（二）`` or ``第三十一条`` and a label such as
``温政办〔2014〕118号 三（二）``; national laws and regulations are labelled by their short
title, as Chinese citations name them: ``政府采购法 第三十一条``, ``政府采购法实施条例 第二十五条``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from assistant.errors import DocumentError
from assistant.models import Clause, DocumentMeta
from assistant.datafile import safe_load

PARSER_VERSION = "4"
"""Bump when parsing changes, so that existing indexes rebuild themselves."""

DOCUMENT_SUFFIXES = (".md", ".txt")

_CN_NUM = "一二三四五六七八九十百零〇"
_L1 = re.compile(rf"^([{_CN_NUM}]+)、")
_L2 = re.compile(rf"^（([{_CN_NUM}]+)）")
_L3 = re.compile(r"^(\d{1,2})[.．、](?!\d)")
_L4 = re.compile(r"^（(\d{1,2})）")
_CHAPTER = re.compile(rf"^第([{_CN_NUM}]+)章")
_ARTICLE = re.compile(rf"^第([{_CN_NUM}]+)条")
_TERMINAL = tuple("。；：！？…”」』）)")
_CLOSING = re.compile(r"^本(实施意见|意见|办法|规定|细则|通知|决定).{0,30}(施行|实施)")
_REPEALS = re.compile(r"[（(]([^（）()]{2,30}?〔\d{4}〕\d+号)[）)][^。]{0,8}?(同时)?废止")
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日(印发|发布)?$")
_PUBLICITY_LINE = re.compile(r"^[（(]此件[^）)]*[）)]$")
_PROMULGATION_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日[^。；]{0,120}(通过|修正|修订|公布|施行)$")
"""A statute's 题注 line: ``2014年8月31日第十二届……修正``, ``2015年3月1日施行``."""
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_STATUTE_TITLE = re.compile(r"^中华人民共和国(\S+?(?:法|条例|细则))(?:[（(][^（）()]*[）)])?$")
_CJK = r"\u4e00-\u9fff"
_REQUIRED_FIELDS = ("doc_id", "title", "doc_number", "issuer", "date", "status", "scope")


@dataclass(frozen=True)
class ParsedDocument:
    """A loaded document: its provenance and its clauses in reading order."""

    meta: DocumentMeta
    clauses: tuple[Clause, ...]
    path: Path
    sha256: str


def load_corpus(directory: Path) -> list[ParsedDocument]:
    """Load every document under ``directory`` (sorted by path).

    :raises DocumentError: if a document is malformed or two documents share a ``doc_id``.
    """
    if not directory.is_dir():
        raise DocumentError(f"语料目录不存在 / corpus directory not found: {directory}")
    documents = [load_document(path) for path in sorted(directory.rglob("*")) if path.suffix in DOCUMENT_SUFFIXES]
    seen: dict[str, Path] = {}
    for document in documents:
        if document.meta.doc_id in seen:
            raise DocumentError(
                f"{document.path}: doc_id '{document.meta.doc_id}' 与 {seen[document.meta.doc_id]} 重复 "
                "(duplicate doc_id)"
            )
        seen[document.meta.doc_id] = document.path
    return documents


def load_document(path: Path) -> ParsedDocument:
    """Read, validate and split one document file.

    :raises DocumentError: naming the file and what is wrong with it.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{path}: 不是 UTF-8 编码的文本 (not UTF-8 text, byte {exc.start})") from exc
    meta, body = _split_front_matter(path, text)
    clauses = parse_clauses(meta, body)
    if not clauses:
        raise DocumentError(f"{path}: 正文为空或没有可引用的条款 (empty body, no citable clause)")
    repeals = tuple(dict.fromkeys(meta.repeals + _find_repeals(clauses)))
    meta = meta.model_copy(update={"repeals": repeals})
    return ParsedDocument(meta=meta, clauses=tuple(clauses), path=path, sha256=hashlib.sha256(raw).hexdigest())


def _split_front_matter(path: Path, text: str) -> tuple[DocumentMeta, str]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise DocumentError(f"{path}: 缺少以 '---' 开头的 front matter (missing front matter)")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise DocumentError(f"{path}: front matter 没有以 '---' 结束 (front matter not closed)") from None
    try:
        fields = safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise DocumentError(f"{path}: front matter 不是合法的 YAML (invalid YAML): {exc}") from exc
    if not isinstance(fields, dict):
        raise DocumentError(f"{path}: front matter 必须是键值对 (front matter must be a mapping)")
    missing = [name for name in _REQUIRED_FIELDS if name not in fields]
    if missing:
        raise DocumentError(f"{path}: front matter 缺少字段 (missing fields): {', '.join(missing)}")
    if isinstance(fields.get("date"), str):
        try:
            fields["date"] = _dt.date.fromisoformat(fields["date"])
        except ValueError:
            raise DocumentError(f"{path}: date 应为 YYYY-MM-DD (bad date): {fields['date']!r}") from None
    fields["repeals"] = tuple(fields.get("repeals") or ())
    fields = {key: str(value) if key == "doc_number" and value is not None else value for key, value in fields.items()}
    try:
        meta = DocumentMeta(**fields)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise DocumentError(f"{path}: front matter 字段不合法 (invalid fields): {problems}") from None
    body = "\n".join(lines[end + 1 :])
    if not body.strip():
        raise DocumentError(f"{path}: 正文为空 (empty body)")
    return meta, body


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """Simplify traditional characters and unify punctuation and spacing in Chinese text."""
    text = _t2s().convert(text)
    text = re.sub(rf"(?<=[{_CJK}（）〔〕，。])\s+(?=[{_CJK}\d（〔])|(?<=\d)\s+(?=[{_CJK}])", "", text)
    text = re.sub(r"(?<!\d),|,(?!\d)", "，", text)
    text = re.sub(rf"\((?=[^()]*[{_CJK}])", "（", text)
    text = re.sub(rf"(?<=[{_CJK}〕号）])\)", "）", text)
    text = text.replace(";", "；").replace("?", "？").replace("!", "！")
    text = re.sub(rf"(?<=[{_CJK}]):", "：", text)
    return text.strip()


def paragraphs(body: str) -> list[str]:
    """Split a body into normalised paragraphs (blank-line separated, lines joined)."""
    blocks = re.split(r"\n\s*\n", body.replace("\r\n", "\n").replace("\r", "\n"))
    result = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            result.append(normalise("".join(lines)))
    return result


def _is_heading_only(paragraph: str) -> bool:
    return bool(_L1.match(paragraph) or _CHAPTER.match(paragraph)) and not paragraph.endswith(_TERMINAL)


def _starts_structure(paragraph: str) -> bool:
    return any(p.match(paragraph) for p in (_L1, _L2, _L3, _L4, _CHAPTER, _ARTICLE)) or bool(_CLOSING.match(paragraph))


def repair_page_breaks(items: list[str]) -> list[str]:
    """Join paragraphs that a page break cut in the middle of a sentence.

    A paragraph is continued by the next one when it ends without terminal punctuation,
    is not a bare section heading, and the next paragraph does not open a new clause.
    """
    repaired: list[str] = []
    for item in items:
        if repaired and not repaired[-1].endswith(_TERMINAL) and not _is_heading_only(repaired[-1]) and not _starts_structure(item):
            repaired[-1] += item
        else:
            repaired.append(item)
    return repaired


def _is_boilerplate(paragraph: str, meta: DocumentMeta) -> bool:
    compact = re.sub(r"\s", "", paragraph)
    issuer = re.sub(r"\s", "", meta.issuer)
    return (
        compact in {issuer, issuer + "文件", meta.doc_number, re.sub(r"\s", "", meta.title)}
        or bool(_DATE_LINE.match(compact))
        or bool(_PUBLICITY_LINE.match(compact))
        or bool(_PROMULGATION_LINE.match(compact))
        or compact == "目录"
        or compact.startswith("抄送")
        or compact.startswith("主题词")
    )


@dataclass
class _Node:
    clause_id: str
    level: int
    title: str
    paragraphs: list[str]
    parent: _Node | None
    children: list[_Node]


def _heading_of(paragraph: str) -> tuple[int, str, str] | None:
    """Return (level, id part, title) when the paragraph opens a clause."""
    for level, pattern, fmt in (
        (1, _CHAPTER, "第{}章"),
        (1, _L1, "{}"),
        (2, _ARTICLE, "第{}条"),
        (2, _L2, "（{}）"),
        (3, _L3, "{}"),
        (4, _L4, "（{}）"),
    ):
        match = pattern.match(paragraph)
        if match:
            rest = paragraph[match.end() :].strip()
            title = re.split(r"[。；：]", rest, maxsplit=1)[0]
            return level, fmt.format(match.group(1)), title if len(title) <= 24 else ""
    return None


def parse_clauses(meta: DocumentMeta, body: str) -> list[Clause]:
    """Split a document body into clauses (see the module docstring)."""
    body = _MD_HEADING.sub("", _HTML_COMMENT.sub("", body))
    items = [p for p in paragraphs(body) if not _is_boilerplate(p, meta)]
    items = repair_page_breaks(items)
    first_heading = next((i for i, p in enumerate(items) if _heading_of(p)), len(items))
    preamble = [p for p in items[:first_heading] if not p.endswith("：") or len(p) > 40]

    root = _Node("", 0, "", [], None, [])
    current = root
    closing: list[str] = []
    for paragraph in items[first_heading:]:
        if closing or _CLOSING.match(paragraph):
            closing.append(paragraph)
            continue
        heading = _heading_of(paragraph)
        if heading is None:
            current.paragraphs.append(paragraph)
            continue
        level, part, title = heading
        if level > 1 and not _ARTICLE.match(paragraph) and _inside_article(current):
            current.paragraphs.append(paragraph)  # an article's items (（一）, 1., （1）) stay in its text
            continue
        parent = current
        while parent.level >= level:
            parent = parent.parent  # type: ignore[assignment]
        if level == 2 and _ARTICLE.match(paragraph):
            clause_id = part  # articles are numbered across the whole document
        else:
            clause_id = parent.clause_id + part
        node = _Node(clause_id, level, title, [paragraph], parent, [])
        parent.children.append(node)
        current = node

    clauses: list[Clause] = []
    if preamble:
        clauses.append(_clause(meta, "前言", ("前言",), "\n".join(preamble)))
    _emit(meta, root, (), clauses)
    if closing:
        clauses.append(_clause(meta, "附则", ("附则",), "\n".join(closing)))
    return clauses


def _inside_article(node: _Node) -> bool:
    """Whether ``node`` or an ancestor is an article (第X条), whose items belong to its text."""
    while node.parent is not None:
        if _ARTICLE.match(node.clause_id):
            return True
        node = node.parent
    return False


def _emit(meta: DocumentMeta, node: _Node, path: tuple[str, ...], out: list[Clause]) -> None:
    for child in node.children:
        heading = child.paragraphs[0]
        chapter = _CHAPTER.match(heading)
        if chapter:
            name = " ".join(part for part in split_marker(heading) if part)  # 第三章 政府采购方式
        else:
            name = _strip_marker(heading) if child.level == 1 else child.title or child.clause_id
        child_path = path + (name,)
        own = "\n".join(child.paragraphs)
        title_only = len(child.paragraphs) == 1 and (_is_heading_only(heading) or len(_strip_marker(heading)) <= len(child.title) + 1)
        if chapter and title_only and not child.children:
            continue  # a 目录 entry, or an empty chapter: a heading, not a clause
        if child.children and title_only:
            if child.level > 1:
                text = "\n".join([own] + [_subtree_text(c) for c in child.children])
                out.append(_clause(meta, child.clause_id, path, text))
        else:
            out.append(_clause(meta, child.clause_id, path, own))
        _emit(meta, child, child_path, out)


def _subtree_text(node: _Node) -> str:
    return "\n".join(["\n".join(node.paragraphs)] + [_subtree_text(c) for c in node.children])


def split_marker(text: str) -> tuple[str, str]:
    """Split a clause's leading marker (``一、`` ``（二）`` ``3.`` ``第四条`` …) from the rest of the text."""
    for pattern in (_CHAPTER, _L1, _ARTICLE, _L2, _L3, _L4):
        match = pattern.match(text)
        if match:
            return text[: match.end()], text[match.end() :].strip()
    return "", text


def _strip_marker(heading: str) -> str:
    return split_marker(heading)[1]


def label_name(meta: DocumentMeta) -> str:
    """The document's name in clause labels.

    A national law or regulation goes by its short title, as Chinese citations name it
    (``中华人民共和国政府采购法实施条例`` → ``政府采购法实施条例``, whatever its 令 number);
    any other document by its 文号 (``温政办〔2014〕118号``, ``财政部令第102号``), else its title.
    """
    statute = _STATUTE_TITLE.match(re.sub(r"\s", "", meta.title))
    if statute:
        return statute.group(1)
    return meta.doc_number or meta.title


def _clause(meta: DocumentMeta, clause_id: str, path: tuple[str, ...], text: str) -> Clause:
    name = label_name(meta)
    return Clause(
        doc_id=meta.doc_id,
        clause_id=clause_id,
        label=f"{name} {clause_id}",
        heading_path=tuple(p for p in path if p),
        text=text,
    )


def _find_repeals(clauses: list[Clause]) -> tuple[str, ...]:
    found: list[str] = []
    for clause in clauses:
        found.extend(match.group(1) for match in _REPEALS.finditer(clause.text))
    return tuple(found)


def repealed_documents(documents: list[DocumentMeta]) -> set[str]:
    """Ids of documents marked 已废止 or abolished by another document of the corpus."""
    abolished = {number for d in documents for number in d.repeals}
    return {d.doc_id for d in documents if d.status == "已废止" or (d.doc_number and d.doc_number in abolished)}


def chunk_id(clause: Clause) -> str:
    """Stable content hash of a clause: unchanged clauses keep their id across rebuilds."""
    digest = hashlib.sha1(f"{clause.doc_id}\x1f{clause.clause_id}\x1f{clause.text}".encode()).hexdigest()
    return digest[:20]
