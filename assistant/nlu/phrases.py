"""Text helpers of the fact reader, and negation-unaware views of the phrase tables.

The facts themselves are read by :mod:`assistant.nlu.facts` from the tables in
``corpus/nlu/facts/<tool>.yaml`` (with negation and question scope). This module keeps the helpers
it uses to finish a reading (:func:`self_span`, :func:`years_ago`, :func:`strip_spans`,
:func:`tidy`, :func:`has_content`) and, under their old names (``GOODS_OR_WORKS``,
``NEGATIVE_LIST``, ``SUPPLIER`` …), :class:`Table` views of those YAML rows — ordered ``(regular
expression, value)`` rows where **the first matching row wins** — for code that only looks words
up (the service-description reader, :mod:`assistant.nlu.description`).

:func:`prepare` normalises a text first (traditional → simplified, full-width punctuation, with
:func:`assistant.corpus.normalise`), so 繁體 descriptions read the same as simplified ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import cn2an

from assistant.corpus import normalise

Row = tuple[str, object]

_LIST_MARKER = re.compile(r"(?<![\d.．])([1-9])\s*[、.．:：)）](?!\d)")


def break_list_items(text: str) -> str:
    """A numbered list in one line (1. 是民政登记的 2. 没有 3. 税和社保正常交) with each item on a line of its own, so
    that no item's negation reaches into the next (没有 3. 税和社保… is no denial of the taxes). Only a list counts:
    at least two markers numbered 1, 2, … in order; 1.5万, 第3条 and a lone 1. stay as they are."""
    markers = [m for m in _LIST_MARKER.finditer(text)]
    numbers = [int(m.group(1)) for m in markers]
    if len(markers) < 2 or numbers != list(range(1, len(numbers) + 1)):
        return text
    pieces, position = [], 0
    for marker in markers:
        pieces.append(text[position : marker.start()])
        position = marker.start()
    pieces.append(text[position:])
    return "\n".join(piece.strip() for piece in pieces if piece.strip())


@dataclass(frozen=True)
class Hit:
    """A table row that matched: its value and where in the text it matched."""

    value: object
    start: int
    end: int


class Table:
    """An ordered list of ``(pattern, value)`` rows; :meth:`first` returns the first row that matches."""

    def __init__(self, *rows: Row) -> None:
        self.rows = tuple((re.compile(pattern), value) for pattern, value in rows)

    def first(self, text: str) -> Hit | None:
        for pattern, value in self.rows:
            match = pattern.search(text)
            if match:
                return Hit(value, match.start(), match.end())
        return None


def prepare(text: str) -> str:
    """Normalise a description for table look-ups: simplified characters, line breaks as commas, no spaces.

    (The fact reader's own :func:`assistant.nlu.facts.prepare` keeps line breaks: a later line wins there.)
    """
    text = re.sub(r"\s*\n\s*", "，", (text or "").strip())
    return re.sub(r"\s+", "", normalise(text))


_SELF = re.compile(
    r"(?:我们|我们单位|我单位|本单位|我方|我是|我|咱们)(?:这边|这里)?(?:是|为|属于|作为)?(?:一家|一个|一所|一名|一位|个)?"
    r"([^，。；？！,;?!\n]{1,30})"
)
"""The speaker's self-description, e.g. 我们是 **区民政局**，… — where the subject is named first."""


def self_span(text: str) -> tuple[int, int] | None:
    """Where the speaker describes themselves: the phrase after 我们是/我是/本单位…, up to the next punctuation."""
    match = _SELF.search(text)
    return (match.start(1), match.end(1)) if match else None


_NUMBER = r"[0-9一二两三四五六七八九十几]+"
_YEARS_AGO = (
    (re.compile(r"今年|本年度|最近|近期|上个?月|这个?月"), 0.0),
    (re.compile(r"去年|上一年|上年"), 1.0),
    (re.compile(r"前年"), 2.0),
    (re.compile(r"大前年"), 3.0),
)
_N_YEARS_AGO = re.compile(
    rf"(?:(?P<years>{_NUMBER})\s*年(?:(?:零|又)?(?P<months>{_NUMBER})\s*个?月|(?P<half>半)|(?P<more>多))?"
    rf"|(?P<only_months>{_NUMBER})\s*个月)\s*(?:以|之)?前"
)
"""N年前 and its compound forms: 三年零四个月以前 (3⅓), 两年半前 (2½), 一年多以前 (more than one: 1½), 八个月前 (⅔)."""
_RELATIVE = re.compile(r"大前年|前年|去年|上一年|上年|今年|本年度|最近|近期|上个?月|这个?月")
_RELATIVE_YEARS = {"大前年": 3.0, "前年": 2.0, "去年": 1.0, "上一年": 1.0, "上年": 1.0}
_CALENDAR = re.compile(
    r"(?<![0-9])(?:(?P<year>(?:19|20)[0-9]{2})\s*年|(?P<short>[0-9]{2})\s*年(?=\s*[0-9]{1,2}\s*月))"
    r"(?:\s*(?P<month>[0-9]{1,2})\s*月(?:份)?(?:\s*(?P<day>[0-9]{1,2})\s*[日号])?)?"
)
"""A calendar date: 2020年, 2022年5月, 2022年5月10日, 22年5月 (a two-digit year only with its month)."""
_OTHER_ROLE_AFTER = re.compile(
    r"^(?:前)?(?:底|初|末|中)?(?:正式)?(?:成立|注册|设立|创办|创立|开业|组建|建立|登记成立|以来|至今|起|开始|度预算|的预算|预算|的项目|项目|的采购|采购|招标)"
)
_OTHER_ROLE_BEFORE = re.compile(r"(?:成立|注册|设立|创办|创立|开业|组建|始建|建立)(?:于|在|时间(?:是|为)?|日期(?:是|为)?)?$")
"""A year that dates something else (成立于2015年, 2015年成立, 2026年的项目) is no date of the event."""
_SUB_SENTENCE = re.compile(r"[，。；！？,;!?\n]|但是|(?<![不非])但|不过|可是|然而|而且|并且")
def _duration(match: re.Match[str]) -> float | None:
    """Years of one :data:`_N_YEARS_AGO` match; ``None`` when a number cannot be read."""
    if match.group("only_months"):
        months = _count(match.group("only_months"))
        return None if months is None else months / 12
    years = _count(match.group("years"))
    if years is None:
        return None
    if match.group("months"):
        months = _count(match.group("months"))
        return None if months is None else years + months / 12
    if match.group("half") or match.group("more"):  # 一年多: more than a year and less than two, read as the middle
        return years + 0.5
    return years


def _count(raw: str) -> float | None:
    raw = raw.replace("两", "二").replace("几", "")
    if not raw:
        return None
    try:
        return float(raw) if raw.isdigit() else float(cn2an.cn2an(raw, "smart"))
    except (ValueError, KeyError):
        return None


def _since(today: date, year: int, month: int | None, day: int | None) -> float | None:
    """Years from a (partial) calendar date to ``today``; ``None`` for a date after today or no date at all.

    A year alone counts whole calendar years (2023 → 3 in 2026: the look-back boundary, to be confirmed
    by the exact date); a month counts months; a full date counts from its anniversary."""
    if month is not None and not 1 <= month <= 12:
        return None
    if month is None:
        years = today.year - year
        return float(years) if years >= 0 else None
    months = (today.year - year) * 12 + today.month - month
    if day is None:
        return months / 12 if months >= 0 else None
    try:
        then = date(year, month, day)
    except ValueError:
        return None
    if then > today:
        return None
    whole = today.year - year - ((today.month, today.day) < (month, day))
    try:
        anniversary = then.replace(year=year + whole)
        following = then.replace(year=year + whole + 1)
    except ValueError:  # 29 February
        anniversary = date(year + whole, month, 28)
        following = date(year + whole + 1, month, 28)
    return whole + (today - anniversary).days / (following - anniversary).days


def _times(clause: str, today: date) -> list[tuple[int, int, float]]:
    """Every time expression of a sub-sentence that can date an event: ``(start, end, years ago)``."""
    found: list[tuple[int, int, float]] = []
    taken: list[tuple[int, int]] = []
    for match in _CALENDAR.finditer(clause):
        if _OTHER_ROLE_BEFORE.search(clause[: match.start()]) or _OTHER_ROLE_AFTER.match(clause[match.end() :]):
            continue
        year = int(match.group("year")) if match.group("year") else 2000 + int(match.group("short"))
        month = int(match.group("month")) if match.group("month") else None
        day = int(match.group("day")) if match.group("day") else None
        years = _since(today, year, month, day)
        taken.append((match.start(), match.end()))
        if years is not None:
            found.append((match.start(), match.end(), years))
    for match in _N_YEARS_AGO.finditer(clause):
        if any(start <= match.start() < end for start, end in taken):
            continue  # 2020年前: a calendar year, read above
        count = _duration(match)
        if count is not None:
            found.append((match.start(), match.end(), count))
    for match in _RELATIVE.finditer(clause):
        found.append((match.start(), match.end(), _RELATIVE_YEARS.get(match.group(0), 0.0)))
    return found


def _whole_text_years(text: str) -> float | None:
    """The first N年前 in the text, else its 去年/前年/今年 … (the reading before calendar dates were read)."""
    for match in _N_YEARS_AGO.finditer(text):
        if re.fullmatch(r"(?:19|20)[0-9]{2}", match.group("years") or ""):
            continue  # 2020年前 is a calendar year, read only next to the event
        return _duration(match)
    best: float | None = None
    for pattern, value in _YEARS_AGO:
        if pattern.search(text):
            best = value  # later rows are more specific (大前年 after 前年)
    return best


def years_ago(text: str, *, event: str | re.Pattern[str], today: date | None = None) -> float | None:
    """How many years ago the text says the event happened (去年 → 1, 五年前 → 5, 2020年 → years since 2020).

    ``event`` is the phrasing of the event to date (for a violation or penalty,
    :func:`assistant.nlu.facts.violation_years_ago` passes the fact table's phrasings). A time
    expression in a sub-sentence (between ，。；！？ or 但/不过 …) that states the event wins, the one
    nearest the event phrase, and among several such sub-sentences the most recent. A calendar date
    (2020年, 2022年5月, 2022年5月10日) is read **only** there, and not when it dates something else
    (成立于2015年, 2015年成立, 2026年的项目) or lies after ``today`` (default :func:`date.today`).
    Otherwise a relative expression anywhere in the text is read as before: the first N年前, else
    今年/去年/前年/大前年.
    """
    today = today or date.today()
    pattern = re.compile(event) if isinstance(event, str) else event
    best: float | None = None
    position = 0
    for separator in [*_SUB_SENTENCE.finditer(text), None]:
        end = separator.start() if separator else len(text)
        clause = text[position:end]
        position = separator.end() if separator else len(text)
        events = [(m.start(), m.end()) for m in pattern.finditer(clause) if m.end() > m.start()]
        times = _times(clause, today) if events else []
        if not times:
            continue

        def distance(time: tuple[int, int, float]) -> int:
            return min(max(e_start - time[1], time[0] - e_end, 0) for e_start, e_end in events)

        years = min(times, key=lambda t: (distance(t), t[2]))[2]  # the nearest; if several, the most recent
        best = years if best is None else min(best, years)
    return best if best is not None else _whole_text_years(text)


def strip_spans(text: str, hits: Sequence[Hit | None]) -> str:
    """The text with the matched spans cut out (to leave only the service description)."""
    spans = sorted((hit.start, hit.end) for hit in hits if hit is not None)
    out, position = [], 0
    for start, end in spans:
        if start >= position:
            out.append(text[position:start])
            position = end
        elif end > position:
            position = end
    out.append(text[position:])
    return "，".join(part for part in out if part)


_LEAD_IN = re.compile(r"^(?:我们单位|我们这边|我们|我单位|本单位|我方|我)(?:是|为|属于)?")


def tidy(text: str) -> str:
    """Drop a dangling 我们是… lead-in and repeated punctuation left after cutting spans out."""
    text = re.sub(r"[，,、；;]{2,}", "，", text)
    text = _LEAD_IN.sub("", text.strip("，,、；; "))
    text = re.sub(r"^[^，]{1,4}，", "", text)  # a stub left over from the cut-out subject, e.g. "县人民，"
    return text.strip("，,、；; ")


_FILLER = re.compile(
    r"我们单位|我们是|我们|我单位|本单位|我是|请问|想要|想|打算|准备|计划|能不能|能否|可不可以|可以|能|"
    r"是否|怎么办|怎么|如何|吗|呢|吧|啊|一下|一些|一点|点|购买|买|采购|服务|政府|通过|方式|方面|的|了|"
    r"这个|那个|这项|项目|事项|东西|什么|哪些|这种|一项|一个|个|有|是|在|用|来|去|做|弄|给|为|和|与|及|或|"
    r"[，。；？！,;?!、：:“”\"'（）()]"
)


def has_content(text: str) -> bool:
    """Whether anything is left once filler words (我们/想/购买/服务/吗 …) are removed."""
    return len(_FILLER.sub("", text)) >= 2
