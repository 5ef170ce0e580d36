"""Clause references typed by users, resolved to exact indexed clauses.

:class:`ClauseReferenceResolver` reads the clause numbers a user types (``四（二）``, ``第6部分第3条``,
``七（二）第5项``, ``政府采购法第三十一条``, ``基本原则第二点``, ``118号文附则``, ``clause 4(2)``,
``Article 31 of the Government Procurement Law`` …) and maps each to the clause key
``<doc_id>#<clause_id>`` of the index. A reference to a clause that is not indexed (``十一（三）``,
``第九十九条`` of an 88-article law, or a clause of a document that is not in the corpus) gives
``ClauseRef(key=None, …)``, so the answer can say that the clause does not exist; text without any
reference gives ``()``.

Documents are found by their 文号 and title (``118号文``, ``财政部令第102号``, ``102号令``, ``采购法``,
``实施条例``, ``214号文`` …), never by a hard-coded ``doc_id``. A named document restricts the lookup to
that document; without one, a 第X条 goes to the only document that has it, or to the statute first
(政府采购法, then 实施条例, then 部令, then the rest), and a part/section number (``四（二）``) goes to the
current policy documents first. Official texts win over paraphrased notes (status 摘要), and
repealed documents come last.

Every pattern is a plain precompiled :mod:`re` pattern without nested quantifiers (linear time on
the short texts users type); ``find`` runs in a few tens of microseconds.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.corpus import normalise, split_marker
from assistant.models import Clause, DocumentMeta
from assistant.nlu.models import ClauseRef, Span

__all__ = ["ClauseReferenceResolver", "cn_to_int", "int_to_cn"]

# --------------------------------------------------------------------------- numerals

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_OUT = "零一二三四五六七八九"


def cn_to_int(text: str) -> int | None:
    """``'三十一'`` → 31, ``'31'`` → 31, ``'一百零二'`` → 102, ``'一一八'`` → 118; ``None`` if not a numeral."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if all(ch in _CN_DIGIT for ch in text):  # positional: 一一八
        value = 0
        for ch in text:
            value = value * 10 + _CN_DIGIT[ch]
        return value
    total = current = 0
    for ch in text:
        if ch in _CN_DIGIT:
            current = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            total += (current or 1) * _CN_UNIT[ch]
            current = 0
        else:
            return None
    return total + current


def int_to_cn(value: int) -> str:
    """31 → ``'三十一'``, 10 → ``'十'``, 102 → ``'一百零二'``, 110 → ``'一百一十'`` (the way documents number)."""
    if value <= 0 or value >= 10000:
        return str(value)
    if value < 10:
        return _CN_OUT[value]
    if value < 20:
        return "十" + (_CN_OUT[value % 10] if value % 10 else "")
    if value < 100:
        return _CN_OUT[value // 10] + "十" + (_CN_OUT[value % 10] if value % 10 else "")
    for unit, name in ((1000, "千"), (100, "百")):
        if value >= unit:
            head, rest = divmod(value, unit)
            text = _CN_OUT[head] + name
            if rest == 0:
                return text
            if rest < unit // 10:
                return text + "零" + int_to_cn(rest)
            return text + (("一" + int_to_cn(rest)) if rest < 20 else int_to_cn(rest))
    return str(value)  # pragma: no cover - unreachable


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11, "xii": 12}


def _number(text: str) -> int | None:
    text = text.strip()
    return _ROMAN.get(text.lower()) if text.isascii() and text.isalpha() else cn_to_int(text)


# --------------------------------------------------------------------------- patterns

_NUM = r"(?:\d{1,3}|[零〇一二两三四五六七八九十百]{1,7})"
_CN_CHARS = "零〇一二两三四五六七八九十百千"
# characters that make a numeral before （…） part of a word (统一, 唯一, 星期一, 第一) or of a longer number
_L1_BLOCK = _CN_CHARS + "万\\d第统唯之同单逐专划初高周期不再头拜其"
_ITEM_UNIT = r"小点|小条|小项|条|项|点|款|目"

_TOKEN = re.compile(
    rf"(?P<part>第\s*(?P<part_n>{_NUM})\s*个?\s*(?:大部分|部分|部份|大点|大条|大项|大段|大块|大部))"
    rf"|(?P<chap>第\s*(?P<chap_n>{_NUM})\s*章)"
    rf"|(?P<ord>第\s*[（(]?\s*(?P<ord_n>{_NUM})\s*[）)]?\s*(?P<ord_u>{_ITEM_UNIT}))"
    rf"|(?P<l12>(?<![{_L1_BLOCK}])(?:第\s*)?(?P<l1>[一二三四五六七八九十]{{1,3}})\s*[（(]\s*(?P<l2>{_NUM})\s*[）)])"
    rf"|(?P<br>[（(]\s*(?P<br_n>{_NUM})\s*[）)](?:\s*(?P<br_u>小点|小项|项|点|款|目|条))?)"
    rf"|(?P<cnitem>(?<![{_CN_CHARS}\d第])(?P<ci_n>[一二三四五六七八九十]{{1,3}})\s*(?P<ci_u>小点|小项|项|点|款))"
    r"|(?P<digit>(?<![\d.．])(?P<dg_n>\d{1,2})(?![\d.．%％万千百亿元年月日号岁个次人家天倍分秒时周])"
    r"(?:\s*(?P<dg_u>小点|小项|项|点))?)"
    r"|(?P<fuze>附则)"
)
"""One token per numbered unit; groups of adjacent tokens make one reference."""

_EN_REF = re.compile(
    r"(?i)\b(?:(?P<art>articles?|art\.)\s*(?P<art_n>\d{1,3})(?:\s*[（(]\s*(?P<art_i>\d{1,2})\s*[）)])?"
    r"|(?P<sec>clauses?|sections?|sec\.|parts?|paragraphs?|para\.|points?)\s*(?P<s1>\d{1,2}|[ivx]{1,4}\b)"
    r"(?:\s*(?:\.|[（(])\s*(?P<s2>\d{1,2})\s*[）)]?)?"
    r"(?:(?:\.|[（(])?(?P<s3>\d{1,2})[）)]?(?![\d.万元%]))?)"
)

# what may stand between the parts of one reference: 七（二）里面第2项, 第四部分的第二条
_JOINER = re.compile(r"\s*(?:的|之|中|中的|里|里的|里面|里面的|下|下的|下面|下面的|当中的?)?\s*")
# what may stand between a document's name and the reference: 《政府采购法》第三十一条, 118号文的第五部分
_DOC_GAP = re.compile(r"[\s》〉”\"」』]*(?:的|之|中|中的|里|里的|里面|里面的|规定的?|原文中?的?|正文的?|条文中?的?)?\s*")
_EN_DOC_BEFORE = re.compile(r"\s*(?:'s)?\s*")
_EN_DOC_AFTER = re.compile(r"(?i)\s*(?:of|in|under|from)\s+(?:the\s+)?")
# a list: 三（一）和（二）
_LIST_GAP = re.compile(r"\s*(?:、|和|及|与|以及|，|,|或|或者)\s*")
_LATIN = re.compile(r"[A-Za-z§]")
_CONTINUES = re.compile(rf"[{_CN_CHARS}]")
_CN_ITEM_AFTER = re.compile(rf"[{_CN_CHARS}]{{1,3}}\s*(?:小点|小项|项|点|款)")
# a document not in the corpus named right before a 第X条: 劳动法第三十一条, 《招标投标法实施条例》第八条
_OTHER_DOC = re.compile(
    r"(?<![\u4e00-\u9fff])(?![这那本该此其上])[\u4e00-\u9fff]{2,12}(?:法|条例|办法|细则|规则|章程)(?:的|中的|里的|里面的?|中|里)?\s*$"
)
_QUOTED_TITLE = re.compile(r"《([^《》]{2,40})》")
# what may stand before a short name (条例, 采购法, 管理办法) that is not the end of a longer, other name
_SHORT_NAME_LEFT = set("的了是在和与及把看问说查读讲提到个这那按据照依根或跟同对用从由向于给被有还也都就即另再新旧上下中里内外前后、，。？！；：“”《》\"' \n\t")
_NOT_AFTER_PART = re.compile(r"[类级年月日号批期届次个名位]")
_TITLE_REF = re.compile(r"(?:那|这)一?(?:条|款|项|点|段|部分)|条款")
"""``承接主体那条``: what follows a clause named by its title."""

# 文号: 温政办〔2014〕118号, 财政部令第102号, 102号令, 118号文, 2014年118号
_DOC_NUMBER = re.compile(r"(?<!\d)(?:〔(?P<y>\d{4})〕|(?P<y2>\d{4})年)?\s*(?P<di>第)?\s*(?P<n>\d{1,4})\s*号(?P<suf>文件|文|令)?")
_YEAR_BRACKET = re.compile(r"[\[【（(](\d{4})[\]】）)](?=\s*第?\s*\d{1,4}\s*号)")
_PREFIX_STOP = set("的了是在和与及把看问说查个这那下按据照根或跟同、，。？！；：“”《》\"' \n\t")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")

_CHAPTER_MARK = re.compile(r"^第([零〇一二两三四五六七八九十百]+)章\s*")
_GENRE = re.compile(r"(?:实施|管理|暂行|补充|若干)*(?:意见|办法|通知|规定|细则|条例|决定)$")
_TITLE_RULES: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"^政府采购法$"), ("采购法",)),
    (re.compile(r"政府采购法实施条例$"), ("采购法实施条例", "实施条例", "条例")),
    (re.compile(r"政府购买服务管理办法$"), ("购买服务管理办法", "管理办法", "购买服务办法")),
    (re.compile(r"竞争性磋商.*办法$"), ("磋商办法", "竞争性磋商办法", "磋商管理办法", "磋商暂行办法")),
    (re.compile(r"补充通知$"), ("补充通知",)),
)
"""Short names users give a document, keyed on its title (never on its doc_id)."""

_EN_DOC_RULES: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"(?i)(?:regulations?\s+(?:on|for)\s+(?:the\s+)?implementation\s+of\s+(?:the\s+)?government\s+procurement\s+law"
                r"|(?:gpl\s+)?implement(?:ing|ation)\s+regulations?|regulations?\b)"), re.compile(r"政府采购法实施条例$")),
    (re.compile(r"(?i)(?:government\s+)?procurement\s+law|\bgpl\b"), re.compile(r"^政府采购法$")),
)


@dataclass(frozen=True)
class _Token:
    kind: str
    start: int
    end: int
    number: int
    unit: str = ""


@dataclass(frozen=True)
class _Mention:
    """A document named in the text: ``docs`` ranked best first, ``()`` for a document not in the corpus."""

    start: int
    end: int
    docs: tuple[str, ...]


class _Mentions:
    """The documents named in one text, with the lookups a reference needs (each O(log n))."""

    def __init__(self, m: str, found: list[_Mention]) -> None:
        self.m = m
        self.items = sorted(found, key=lambda x: (x.end, x.start))
        self.ends = [x.end for x in self.items]
        self.by_start: dict[int, _Mention] = {}
        for mention in sorted(found, key=lambda x: (x.start, -x.end)):
            self.by_start.setdefault(mention.start, mention)
        self.by_doc: dict[str, tuple[list[int], list[_Mention], int]] = {}
        for mention in self.items:
            for rank, doc_id in enumerate(mention.docs):
                ends, mentions, best = self.by_doc.setdefault(doc_id, ([], [], rank))
                ends.append(mention.end)
                mentions.append(mention)
                self.by_doc[doc_id] = (ends, mentions, min(best, rank))

    def before(self, start: int, gap: re.Pattern[str]) -> _Mention | None:
        """The document named right before ``start`` (only ``gap`` between them)."""
        i = bisect.bisect_right(self.ends, start)
        if i == 0 or not gap.fullmatch(self.m, self.ends[i - 1], start):
            return None
        j = bisect.bisect_left(self.ends, self.ends[i - 1])
        return min(self.items[j:i], key=lambda x: (x.start, not x.docs))

    def after(self, end: int) -> _Mention | None:
        """The document named right after ``end`` in English: Article 31 *of the* Government Procurement Law."""
        gap = _EN_DOC_AFTER.match(self.m, end)
        return self.by_start.get(gap.end()) if gap else None

    def last_end(self, position: int) -> int:
        i = bisect.bisect_right(self.ends, position)
        return self.ends[i - 1] if i else 0

    def context(self, position: int) -> tuple[str, ...]:
        """Documents named elsewhere in the text, nearest first: a preference, not a restriction."""
        if not self.by_doc:
            return ()
        distance: dict[str, tuple[bool, int, int]] = {}
        for doc_id, (ends, mentions, rank) in self.by_doc.items():
            i = bisect.bisect_right(ends, position)
            if i:
                distance[doc_id] = (False, position - ends[i - 1], rank)
            else:
                distance[doc_id] = (True, max(0, mentions[0].start - position), rank)
        return tuple(sorted(distance, key=distance.__getitem__))


@dataclass(frozen=True)
class _Section:
    doc_id: str
    title: str
    children: tuple[str, ...]


@dataclass(frozen=True)
class _Found:
    doc_id: str | None
    clause_ids: tuple[str, ...]
    display: str
    """The clause id as the index would spell it (used when nothing is found)."""


# --------------------------------------------------------------------------- helpers


def _extends_left(m: str, position: int, stop: set[str]) -> bool:
    """Whether the Chinese word at ``position`` goes on to the left (the previous character is a CJK non-stop)."""
    return position > 0 and "\u4e00" <= m[position - 1] <= "\u9fff" and m[position - 1] not in stop


def _core_title(title: str) -> str:
    core = re.sub(r"[（(][^（）()]*[）)]", "", normalise(title))
    core = re.sub(r"(要点|摘要|全文|节选|原文)$", "", core)
    return re.sub(r"^中华人民共和国", "", core).strip("《》 ")


def _clause_title(clause: Clause) -> str:
    rest = split_marker(clause.text)[1]
    title = re.split(r"[。；：\n]", rest, maxsplit=1)[0].strip()
    return title if 2 <= len(title) <= 24 else ""


_LAST = re.compile(r"(（[^（）]+）|\d+|第[^第条]+条)$")


def _last_number(clause_id: str) -> tuple[int | None, str]:
    """The number of a clause id's last component and its style: '二（三）2' → (2, 'digit')."""
    match = _LAST.search(clause_id)
    if not match:
        return None, ""
    part = match.group(1)
    if part.startswith("（"):
        return cn_to_int(part[1:-1]), "bracket"
    if part.startswith("第"):
        return cn_to_int(part[1:-1]), "article"
    return int(part), "digit"


def _format(number: int, style: str) -> str:
    return {"bracket": f"（{int_to_cn(number)}）", "article": f"第{int_to_cn(number)}条"}.get(style, str(number))


class ClauseReferenceResolver:
    """Find the clause references in a user's text and resolve them to indexed clauses.

    ``clauses`` are the indexed clauses (any order of documents, reading order inside a document);
    ``documents`` their :class:`~assistant.models.DocumentMeta` (``ParsedDocument`` objects are
    accepted too). Build once, call :meth:`find` per turn.
    """

    def __init__(self, clauses: Iterable[Clause], documents: Iterable[DocumentMeta]) -> None:
        metas = [getattr(d, "meta", d) for d in documents]
        self._meta: dict[str, DocumentMeta] = {m.doc_id: m for m in metas}
        self._clauses: dict[str, dict[str, Clause]] = {}
        for clause in clauses:
            self._clauses.setdefault(clause.doc_id, {})[clause.clause_id] = clause
        for doc_id in self._clauses:
            self._meta.setdefault(doc_id, None)  # type: ignore[arg-type]  # clauses of an unknown document
        order = list(self._meta)
        abolished = {n for m in metas for n in m.repeals}

        def base(doc_id: str) -> tuple:
            meta = self._meta[doc_id]
            if meta is None:
                return (3, 3, 0, order.index(doc_id))
            repealed = meta.status == "已废止" or (meta.doc_number and meta.doc_number in abolished)
            status = 2 if repealed else (1 if meta.status == "摘要" else 0)
            return (status, -meta.date.toordinal(), order.index(doc_id))

        def statute(doc_id: str) -> int:
            meta = self._meta[doc_id]
            if meta is None:
                return 4
            core = _core_title(meta.title)
            if core == "政府采购法":
                return 0
            if core.endswith("政府采购法实施条例"):
                return 1
            return 2 if "令" in meta.doc_number else 3

        def policy_first(doc_id: str) -> tuple:
            meta = self._meta[doc_id]
            return (0 if meta is not None and meta.kind == "policy" else 1, statute(doc_id) < 3, *base(doc_id))

        self._general = tuple(sorted(order, key=policy_first))
        self._statute_first = tuple(sorted(order, key=lambda d: (base(d)[0] == 2, statute(d), *base(d))))
        self._rank = {doc_id: i for i, doc_id in enumerate(self._general)}
        self._parents: set[tuple[str, str]] = set()  # clause ids that are the prefix of an indexed sub-clause
        for doc_id, ids in self._clauses.items():
            ordered = sorted(ids)
            self._parents.update((doc_id, a) for a, b in zip(ordered, ordered[1:]) if b.startswith(a))
        self._has_articles = {d: any(re.fullmatch(r"第.+条", c) for c in ids) for d, ids in self._clauses.items()}
        self._build_sections()
        self._build_aliases(metas)

    # ------------------------------------------------------------------ index building

    def _build_sections(self) -> None:
        grouped: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        self._fuze: dict[str, tuple[str, ...]] = {}
        self._chapters: dict[tuple[str, int], list[str]] = {}
        titles: dict[str, list[tuple[str, str]]] = {}
        for doc_id, clauses in self._clauses.items():
            fuze = []
            for clause_id, clause in clauses.items():
                path = clause.heading_path
                if clause_id == "附则" or any(_CHAPTER_MARK.sub("", p) == "附则" for p in path):
                    fuze.append(clause_id)
                for heading in path[:1]:
                    chapter = _CHAPTER_MARK.match(heading)
                    if chapter and cn_to_int(chapter.group(1)):
                        self._chapters.setdefault((doc_id, cn_to_int(chapter.group(1)) or 0), []).append(clause_id)
                if path and path != ("前言",):
                    grouped.setdefault((doc_id, path), []).append(clause_id)
                title = _clause_title(clause)
                if title:
                    titles.setdefault(title, []).append((doc_id, clause_id))
            if fuze:
                self._fuze[doc_id] = tuple(fuze)
        self._sections = [_Section(d, path[-1], tuple(ids)) for (d, path), ids in grouped.items()]
        self._fragments: dict[str, list[int]] = {}
        for index, section in enumerate(self._sections):
            title = section.title
            for i in range(len(title)):
                for j in range(i + 2, min(len(title), i + 24) + 1):
                    bucket = self._fragments.setdefault(title[i:j], [])
                    if not bucket or bucket[-1] != index:
                        bucket.append(index)
        self._titles = {t: sorted(refs, key=lambda r: self._rank[r[0]]) for t, refs in titles.items()}

    def _build_aliases(self, metas: list[DocumentMeta]) -> None:
        aliases: dict[str, set[str]] = {}
        self._short_aliases: set[str] = set()
        self._numbers: list[tuple[str, int, str | None, str]] = []  # (doc_id, number, year, issuer prefix)
        for meta in metas:
            number = normalise(meta.doc_number) if meta.doc_number else ""
            match = re.search(r"(?:〔(\d{4})〕)?第?(\d{1,4})号$", number)
            if match:
                prefix = number[: match.start()].removesuffix("令第").rstrip("第")
                self._numbers.append((meta.doc_id, int(match.group(2)), match.group(1), prefix))
            elif number:
                aliases.setdefault(number, set()).add(meta.doc_id)
            core = _core_title(meta.title)
            names = {normalise(meta.title), core, "中华人民共和国" + core if core.endswith(("法", "条例")) else core}
            if "关于" in core:
                names.add(core[core.index("关于") :])
            short = set()
            genre = _GENRE.search(core)
            if genre and len(genre.group(0)) >= 4:
                short.add(genre.group(0))
            for pattern, extra in _TITLE_RULES:
                if pattern.search(core):
                    short.update(extra)
            self._short_aliases.update(a for a in short - names if "采购法" not in a)  # 采购法 ends no other name
            names |= short
            for name in names:
                if len(name) >= 2:
                    aliases.setdefault(name, set()).add(meta.doc_id)
        self._alias_docs = {name: self._ranked(docs) for name, docs in aliases.items()}
        literals = sorted(self._alias_docs, key=len, reverse=True)
        self._alias_re = re.compile("|".join(map(re.escape, literals))) if literals else None
        self._en_docs: list[tuple[re.Pattern[str], tuple[str, ...]]] = []
        for pattern, title in _EN_DOC_RULES:
            docs = {m.doc_id for m in metas if title.search(_core_title(m.title))}
            if docs:
                self._en_docs.append((pattern, self._ranked(docs)))
        self._en_numbered = re.compile(
            r"(?i)\b(?:(?:mof\s+|ministry\s+of\s+finance\s+)?(?P<order>order|decree)|document|doc\.|circular|notice)"
            r"\s*(?:no\.?\s*)?(?P<n>\d{1,4})\b"
        )

    def _ranked(self, docs: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(docs, key=lambda d: self._rank[d]))

    # ------------------------------------------------------------------ documents named in the text

    def _mentions(self, m: str) -> _Mentions:
        found: list[_Mention] = []
        taken = bytearray(len(m))
        for match in _QUOTED_TITLE.finditer(m) if "《" in m else ():
            # 《政府采购法》 is known, 《招标投标法实施条例》 is another document even though it ends in 实施条例
            inner = match.group(1).strip()
            docs = self._alias_docs.get(inner) or self._alias_docs.get(_core_title(inner)) or ()
            if not docs and _DOC_NUMBER.fullmatch(inner):
                continue  # 《118号文》: read as a 文号 below
            found.append(_Mention(match.start(), match.end(), docs))
            taken[match.start() : match.end()] = b"\1" * (match.end() - match.start())
        if self._alias_re is not None:
            for match in self._alias_re.finditer(m):
                if any(taken[match.start() : match.end()]):
                    continue
                start, docs = match.start(), self._alias_docs[match.group(0)]
                if match.group(0) in self._short_aliases and _extends_left(m, start, _SHORT_NAME_LEFT):
                    # 招标投标法实施条例, 政府采购货物和服务招标投标管理办法: the end of another document's name
                    while match.start() - start < 12 and _extends_left(m, start, _SHORT_NAME_LEFT):
                        start -= 1
                    docs = ()
                found.append(_Mention(start, match.end(), docs))
                taken[start : match.end()] = b"\1" * (match.end() - start)
        for match in _DOC_NUMBER.finditer(m) if "号" in m else ():
            if any(taken[match.start() : match.end()]):
                continue
            start = match.start()
            while match.start() - start < 6 and _extends_left(m, start, _PREFIX_STOP):
                start -= 1
            prefix = m[start : match.start()]
            year = match.group("y") or match.group("y2")
            number = int(match.group("n"))
            docs = [
                doc_id
                for doc_id, n, y, issuer in self._numbers
                if n == number and (year is None or y is None or y == year) and self._issuer_matches(prefix, issuer)
            ]
            found.append(_Mention(start, match.end(), self._ranked(docs)))
        if not _LATIN.search(m):
            return _Mentions(m, found)
        for pattern, docs in self._en_docs:
            for match in pattern.finditer(m):
                found.append(_Mention(match.start(), match.end(), docs))
        for match in self._en_numbered.finditer(m):
            number = int(match.group("n"))
            docs = [d for d, n, _, issuer in self._numbers if n == number and (not match.group("order") or issuer.endswith("令"))]
            found.append(_Mention(match.start(), match.end(), self._ranked(docs)))
        return _Mentions(m, found)

    @staticmethod
    def _issuer_matches(prefix: str, issuer: str) -> bool:
        prefix = prefix.removesuffix("令第").removesuffix("第")
        if not prefix or not issuer:
            return True
        return prefix[-1] == issuer[-1] or prefix.endswith(issuer) or issuer.endswith(prefix)

    # ------------------------------------------------------------------ lookups inside one document

    def _part(self, doc_id: str, l1: int) -> tuple[str, ...]:
        ids = self._clauses.get(doc_id, {})
        part = int_to_cn(l1)
        if part in ids:
            return (part,)
        children = tuple(c for c in ids if c.startswith(part + "（") and c.endswith("）") and c.count("（") == 1)
        return children or tuple(c for c in ids if c.startswith(part + "（"))

    def _item(self, doc_id: str, parent: str, child: str, marker: re.Pattern[str]) -> tuple[str, ...]:
        """``child`` if indexed; else ``parent`` when its items are not indexed but its text has the item."""
        ids = self._clauses.get(doc_id, {})
        if child in ids:
            return (child,)
        if parent in ids and (doc_id, parent) not in self._parents and marker.search(ids[parent].text):
            return (parent,)
        return ()

    def _path(self, doc_id: str, levels: tuple[int, ...]) -> tuple[str, ...]:
        ids = self._clauses.get(doc_id, {})
        if len(levels) == 1:
            return self._part(doc_id, levels[0])
        l2 = f"{int_to_cn(levels[0])}（{int_to_cn(levels[1])}）"
        if len(levels) == 2:
            return (l2,) if l2 in ids else ()
        marker = re.compile(rf"(?:^|[\n。；：\s]){levels[2]}[.．、]")
        return self._item(doc_id, l2, f"{l2}{levels[2]}", marker)

    def _article(self, doc_id: str, number: int, item: int | None, named: bool) -> tuple[str, ...]:
        if not self._has_articles.get(doc_id):
            # a document numbered 一、（一） named with 第X条: 118号文第三条 is its part 三
            return self._path(doc_id, (number,) if item is None else (number, item)) if named else ()
        ids = self._clauses[doc_id]
        article = f"第{int_to_cn(number)}条"
        if item is None:
            return (article,) if article in ids else ()
        marker = re.compile(rf"（{int_to_cn(item)}）")
        return self._item(doc_id, article, f"{article}（{int_to_cn(item)}）", marker)

    @staticmethod
    def _path_display(levels: tuple[int, ...]) -> str:
        text = int_to_cn(levels[0])
        if len(levels) > 1:
            text += f"（{int_to_cn(levels[1])}）"
        if len(levels) > 2:
            text += str(levels[2])
        return text

    @staticmethod
    def _article_display(number: int, item: int | None) -> str:
        return f"第{int_to_cn(number)}条" + (f"（{int_to_cn(item)}）" if item else "")

    def _search(self, lookup, docs: tuple[str, ...], display: str, strict: bool) -> _Found:
        for doc_id in docs:
            ids = lookup(doc_id)
            if ids:
                return _Found(doc_id, ids, display)
        return _Found(docs[0] if strict and docs else None, (), display)

    # ------------------------------------------------------------------ public API

    def find(self, text: str) -> tuple[ClauseRef, ...]:
        """The clause references in ``text``, in reading order, each resolved or with ``key=None``.

        Spans index the normalised text (:func:`assistant.corpus.normalise`).
        """
        if not text or not text.strip():
            return ()
        t = normalise(text)
        m = _YEAR_BRACKET.sub(lambda x: f"〔{x.group(1)}〕", t.translate(_FULLWIDTH))
        mentions = self._mentions(m)
        refs: list[tuple[int, int, _Found]] = []
        covered = bytearray(len(m))

        # English: Article 31 of the Government Procurement Law, clause 4(2), section 6.3
        for match in _EN_REF.finditer(m) if _LATIN.search(m) else ():
            named = mentions.after(match.end()) or mentions.before(match.start(), _EN_DOC_BEFORE)
            start = min(match.start(), named.start) if named else match.start()
            end = max(match.end(), named.end) if named else match.end()
            if match.group("art"):
                number, item = int(match.group("art_n")), match.group("art_i")
                found = self._resolve_article(number, int(item) if item else None, named, mentions, match.start())
            else:
                levels = tuple(n for n in (_number(match.group(g)) for g in ("s1", "s2", "s3") if match.group(g)) if n)
                word = match.group("sec")
                capitalised = word[0].isupper() and word.lower().startswith(("part", "section", "clause"))
                if len(levels) == 1 and named is None and not capitalised:
                    continue  # "part 2 of the service": a single lower-case number is not a clause reference
                found = self._resolve_path(levels, named, mentions, match.start())
            refs.append((start, end, found))
            covered[match.start() : match.end()] = b"\1" * (match.end() - match.start())
        for mention in mentions.items:
            covered[mention.start : mention.end] = b"\1" * (mention.end - mention.start)
        tokens = [tok for tok in self._tokens(m) if not any(covered[tok.start : tok.end])]
        previous: tuple[int, tuple[int, ...], _Mention | None] | None = None  # end, levels, named document
        for group in self._groups(m, tokens):
            result = self._interpret(m, group, mentions, previous, refs)
            previous = result

        near = bytearray(len(m) + 2)  # positions where a numbered reference ends (or just after)
        for _, end, _ in refs:
            near[end] = near[end + 1] = 1
        for match in _TITLE_REF.finditer(m):
            self._title_ref(m, match, mentions, refs, near)

        refs.sort(key=lambda r: r[0])
        out: list[ClauseRef] = []
        seen: set[tuple[str | None, str]] = set()
        for start, end, found in refs:
            span = Span(start=start, end=end, text=t[start:end])
            if not found.clause_ids:
                if (None, found.display) not in seen:
                    seen.add((None, found.display))
                    out.append(ClauseRef(key=None, doc_id=found.doc_id, clause_id=found.display, span=span))
                continue
            for clause_id in found.clause_ids:
                key = f"{found.doc_id}#{clause_id}"
                if (key, clause_id) not in seen:
                    seen.add((key, clause_id))
                    out.append(ClauseRef(key=key, doc_id=found.doc_id, clause_id=clause_id, span=span))
        return tuple(out)

    # ------------------------------------------------------------------ reading tokens

    @staticmethod
    def _tokens(m: str) -> list[_Token]:
        tokens: list[_Token] = []
        for match in _TOKEN.finditer(m):
            kind = match.lastgroup
            if kind == "part":
                number, unit = cn_to_int(match.group("part_n")), "部分"
            elif kind == "chap":
                number, unit = cn_to_int(match.group("chap_n")), "章"
            elif kind == "ord":
                number, unit = cn_to_int(match.group("ord_n")), match.group("ord_u")
            elif kind == "l12":
                after = m[match.end() : match.end() + 1]
                if _NOT_AFTER_PART.match(after) or (_CONTINUES.match(after) and not _CN_ITEM_AFTER.match(m, match.end())):
                    continue  # 一（二）三, 一（二）类: not a clause number
                l1, l2 = cn_to_int(match.group("l1")), cn_to_int(match.group("l2"))
                if not l1 or not l2:
                    continue
                tokens.append(_Token("l12", match.start(), match.end(), l1 * 1000 + l2))
                continue
            elif kind == "br":
                number, unit = cn_to_int(match.group("br_n")), match.group("br_u") or ""
            elif kind == "cnitem":
                number, unit = cn_to_int(match.group("ci_n")), match.group("ci_u")
            elif kind == "digit":
                number, unit = int(match.group("dg_n")), match.group("dg_u") or ""
            else:
                number, unit = 0, ""
            if number is None or (kind != "fuze" and number <= 0):
                continue
            tokens.append(_Token(kind or "", match.start(), match.end(), number, unit))
        return tokens

    @staticmethod
    def _groups(m: str, tokens: list[_Token]) -> list[list[_Token]]:
        """Adjacent tokens joined by nothing or by 的/中/里面… form one reference (at most three levels)."""
        groups: list[list[_Token]] = []
        for token in tokens:
            if (
                groups
                and len(groups[-1]) < 3
                and token.kind not in ("fuze", "l12", "part", "chap")
                and groups[-1][-1].kind not in ("fuze", "digit")
                and _JOINER.fullmatch(m, groups[-1][-1].end, token.start)
            ):
                groups[-1].append(token)
            else:
                groups.append([token])
        return groups

    def _interpret(
        self,
        m: str,
        group: list[_Token],
        mentions: _Mentions,
        previous: tuple[int, tuple[int, ...], _Mention | None] | None,
        refs: list[tuple[int, int, _Found]],
    ) -> tuple[int, tuple[int, ...], _Mention | None] | None:
        """Read one group of tokens as a reference (appended to ``refs``); returns what a list may continue."""
        first = group[0]
        start, end = first.start, group[-1].end
        rest = group[1:]

        def sub(tokens: list[_Token]) -> list[int]:
            # the numbers of the lower levels: 第二条 / （二） / 5 / 五项
            return [t.number for t in tokens if t.kind in ("ord", "br", "digit", "cnitem")]

        if first.kind == "fuze":
            named = mentions.before(start, _DOC_GAP)
            docs = self._candidates(named, mentions, start, self._general)
            found = _Found(docs[0] if named and docs else None, (), "附则")
            for doc_id in docs:
                if doc_id in self._fuze:
                    found = _Found(doc_id, self._fuze[doc_id], "附则")
                    break
            refs.append((named.start if named else start, end, found))
            return None

        if first.kind in ("l12", "part"):
            if first.kind == "l12":
                levels: tuple[int, ...] = (first.number // 1000, first.number % 1000)
            else:
                levels = (first.number,)
                if rest and rest[0].kind == "digit" and not rest[0].unit:
                    rest = []  # 第三部分5: a bare digit is not its section number
            levels = (levels + tuple(sub(rest)))[:3]
            end = rest[-1].end if rest else first.end
            named = mentions.before(start, _DOC_GAP)
            found = self._resolve_path(levels, named, mentions, start)
            refs.append((named.start if named else start, end, found))
            return (end, levels, named)

        if first.kind == "chap":
            named = mentions.before(start, _DOC_GAP)
            articles = [t for t in rest if t.kind == "ord" and t.unit == "条"]
            if articles:  # 第三章第二十六条: articles are numbered across the document
                item = next((t.number for t in rest[rest.index(articles[0]) + 1 :] if t.kind in ("ord", "br", "digit")), None)
                found = self._resolve_article(articles[0].number, item, named, mentions, start)
            else:
                found = self._resolve_chapter(first.number, named, mentions, start)
            refs.append((named.start if named else start, end, found))
            return None

        if first.kind == "br" and previous is not None and len(previous[1]) >= 2 and not rest:
            # 三（一）和（二）: a sibling of the previous reference
            prev_end, prev_levels, named = previous
            if _LIST_GAP.fullmatch(m, prev_end, start):
                levels = (prev_levels[0], first.number)
                refs.append((start, end, self._resolve_path(levels, named, mentions, start)))
                return (end, levels, named)
            return None

        if first.kind != "ord":
            return None
        # 第三十一条第二款: paragraphs are not indexed, the article (or its item after the 款) is cited
        items = sub([t for t in rest if not (t.kind == "ord" and t.unit == "款")])
        item = items[0] if items else None
        named = mentions.before(start, _DOC_GAP)
        if named is None:
            section = self._section_ref(m, group, mentions, item)
            if section is not None:
                refs.append(section)
                return None
        if first.unit != "条":
            return None
        if named is None:
            other = _OTHER_DOC.search(m, max(mentions.last_end(start), start - 44), start)
            if other is not None:  # 劳动法第三十一条: a document the corpus does not hold
                refs.append((other.start(), end, _Found(None, (), self._article_display(first.number, item))))
                return None
        found = self._resolve_article(first.number, item, named, mentions, start)
        refs.append((named.start if named else start, end, found))
        return None

    # ------------------------------------------------------------------ resolving

    def _candidates(
        self, named: _Mention | None, mentions: _Mentions, position: int, ranking: tuple[str, ...]
    ) -> tuple[str, ...]:
        if named is not None:
            return named.docs
        return tuple(dict.fromkeys(mentions.context(position) + ranking))

    def _resolve_path(self, levels: tuple[int, ...], named: _Mention | None, mentions: _Mentions, position: int) -> _Found:
        display = self._path_display(levels)
        docs = self._candidates(named, mentions, position, self._general)

        def lookup(doc_id: str) -> tuple[str, ...]:
            found = self._path(doc_id, levels)
            if not found and named is not None and self._has_articles.get(doc_id) and len(levels) <= 2:
                # clause 31 of the GPL: a law is numbered by articles
                found = self._article(doc_id, levels[0], levels[1] if len(levels) > 1 else None, True)
            return found

        return self._search(lookup, docs, display, named is not None)

    def _resolve_article(
        self, number: int, item: int | None, named: _Mention | None, mentions: _Mentions, position: int
    ) -> _Found:
        display = self._article_display(number, item)
        if named is not None:
            return self._search(lambda d: self._article(d, number, item, True), named.docs, display, True)
        docs = tuple(dict.fromkeys(mentions.context(position) + self._statute_first))
        return self._search(lambda d: self._article(d, number, item, False), docs, display, False)

    def _resolve_chapter(self, number: int, named: _Mention | None, mentions: _Mentions, position: int) -> _Found:
        docs = named.docs if named is not None else tuple(dict.fromkeys(mentions.context(position) + self._statute_first))
        return self._search(lambda d: tuple(self._chapters.get((d, number), ())), docs, f"第{int_to_cn(number)}章", named is not None)

    def _section_ref(
        self, m: str, group: list[_Token], mentions: _Mentions, item: int | None
    ) -> tuple[int, int, _Found] | None:
        """基本原则第二条 / 基本原则的第二点: the n-th item under the heading whose title contains the words before it."""
        first = group[0]
        stop = mentions.last_end(first.start)
        head = first.start
        while head > stop and m[head - 1] in " \t”\"」』》":
            head -= 1
        for connector in ("里面的", "当中的", "里面", "中的", "里的", "当中", "的", "之", "中", "里"):
            if m.endswith(connector, stop, head):
                head -= len(connector)
                break
        run_start = head
        while run_start > stop and head - run_start < 24 and ("\u4e00" <= m[run_start - 1] <= "\u9fff" or m[run_start - 1] == "、"):
            run_start -= 1
        minimum = 2 if first.unit != "条" else 3
        for begin in range(run_start, head - minimum + 1):
            fragment = m[begin:head]
            candidates = self._fragments.get(fragment)
            if not candidates:
                continue
            sections = [self._sections[i] for i in candidates]
            exact = [s for s in sections if s.title == fragment]
            if exact:
                sections = exact
            elif len({s.title for s in sections}) > 1:
                return None  # ambiguous words: not a section name
            named = mentions.before(begin, _DOC_GAP)
            articles = first.unit == "条" and all(self._has_articles.get(s.doc_id) for s in sections)
            ranking = self._statute_first if articles else self._general
            order = self._candidates(named, mentions, begin, ranking)
            sections = sorted((s for s in sections if s.doc_id in order), key=lambda s: order.index(s.doc_id))
            if not sections:
                return None
            start = named.start if named else begin
            for section in sections:
                child = self._nth_child(section, first.number)
                if child is not None:
                    ids = (child,)
                    if item is not None:  # 基本原则第三条第2项
                        wanted = (f"{child}{item}", f"{child}（{int_to_cn(item)}）")
                        ids = tuple(c for c in wanted if c in self._clauses[section.doc_id])
                        if not ids:
                            return start, group[-1].end, _Found(section.doc_id, (), f"{child}{item}")
                    return start, group[-1].end, _Found(section.doc_id, ids, "")
            if articles:
                return None  # 采购方式第九条: articles are numbered across the law, let the article reading have it
            section = sections[0]
            number, style = _last_number(section.children[0])
            parent = section.children[0][: _LAST.search(section.children[0]).start()] if number is not None else ""
            return start, group[-1].end, _Found(section.doc_id, (), parent + _format(first.number, style))
        return None

    def _nth_child(self, section: _Section, number: int) -> str | None:
        numbered = [(c, _last_number(c)[0]) for c in section.children]
        for clause_id, n in numbered:
            if n == number:
                return clause_id
        if all(n is None for _, n in numbered) and 0 < number <= len(section.children):
            return section.children[number - 1]
        return None

    def _title_ref(
        self, m: str, match: re.Match[str], mentions: _Mentions, refs: list[tuple[int, int, _Found]], near: bytearray
    ) -> None:
        """``“强化政策衔接”那条``: a clause named by its exact title (only when no number stands right before it)."""
        end = match.start()
        while end > 0 and m[end - 1] in " ”\"」』》":
            end -= 1
        begin = end
        while begin > 0 and end - begin < 24 and ("\u4e00" <= m[begin - 1] <= "\u9fff" or m[begin - 1] in "、，"):
            begin -= 1
        for start in range(begin, end - 1):
            refs_for = self._titles.get(m[start:end])
            if not refs_for:
                continue
            if near[start]:
                return  # 五（二）购买方式那条: the number already says which clause
            quoted = start - (1 if start > 0 and m[start - 1] in "“\"「『《" else 0)
            named = mentions.before(quoted, _DOC_GAP)
            if named is not None:
                refs_for = [r for r in refs_for if r[0] in named.docs]
                if not refs_for:
                    return
            else:
                context = mentions.context(start)
                refs_for = sorted(refs_for, key=lambda r: context.index(r[0]) if r[0] in context else len(context))
            doc_id, clause_id = refs_for[0]
            refs.append((named.start if named else quoted, match.end(), _Found(doc_id, (clause_id,), "")))
            return
