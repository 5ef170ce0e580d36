"""The service-description reader the rules are given (:class:`assistant.rules._context.DescriptionReader`).

``eligibility.derive`` fills the facts a user left blank from what the service description says:
goods or works bought (四（一）, 102号令第十条（三）), an item of the 102号令第十条 negative list, or a
service named as such. It reads them through ``context.read_description``; this module does the
reading, with negation-unaware views (:class:`~assistant.nlu.phrases.Table`, the first matching row wins) of
two rows of ``corpus/nlu/facts/purchase_eligibility.yaml``::

    >>> READER.read("采购一批办公家具").goods_or_works
    '家具'
    >>> READER.read("设备日常维护服务").goods_or_works is None  # the goods are the object of a service
    True
    >>> READER.read("社区养老上门服务").names_a_service
    True
"""

from __future__ import annotations

import re
from functools import cache

from assistant.nlu import phrases
from assistant.rules._context import DescriptionReading

_NAMES_A_SERVICE = re.compile(r"服务(?!器)")
"""A description that calls the thing a 服务 (not a 服务器, a server) names a service (四（一）)."""
_BUILDING = re.compile(r"建设|建造|改造|施工|工程(?!监理|咨询|造价|设计|审计|评估|检测)")
"""Construction words: with them a “服务” may be works bundled with a service (102号令第十条（三）), so it is asked."""
_SERVICE_ON_GOODS = re.compile(r"[^，。；？！、及和与并采购买置]{0,3}?(?:维护|维修|维保|运维|保养|检测|检修|清洗|巡检)")
"""Right after a goods word (设备、电脑…): the goods are the object of a service (设备日常维护), not bought; a
purchase word or a conjunction in between (电脑采购及维修) keeps them goods."""


@cache
def _table(fact: str, only: object = None) -> phrases.Table:
    """The rows of one purchase_eligibility fact as a table (only those of value ``only``, if given)."""
    from assistant.nlu.facts import phrase_table

    rows = phrase_table("purchase_eligibility", fact)
    return phrases.Table(*((pattern, value) for pattern, value in rows if only is None or value is only))


class PhraseDescriptionReader:
    """Reads a service description with the phrase tables (the first matching row wins)."""

    def read(self, description: str) -> DescriptionReading:
        text = phrases.prepare(description)
        if not text:
            return DescriptionReading()
        goods = None
        hit = _table("is_goods_or_works", True).first(text)
        if hit and not _SERVICE_ON_GOODS.match(text, hit.end):
            goods = text[hit.start : hit.end]
        item, item_words = None, ""
        hit = _table("negative_list_item").first(text)
        if hit:
            item, item_words = str(hit.value), text[hit.start : hit.end]
        return DescriptionReading(
            goods_or_works=goods,
            negative_list_item=item,
            negative_list_words=item_words,
            names_a_service=_NAMES_A_SERVICE.search(text) is not None and _BUILDING.search(text) is None,
        )


READER = PhraseDescriptionReader()
"""The reader :meth:`assistant.rules.RuleContext.from_corpus` is given by the assistant."""
