"""The asked aspect of a question: what kind of answer it wants (who, when, how much, a list, …).

Cues are interrogative words in their question scope: 什么时候 asks *when*, 多少钱 asks *how much*,
哪些/几条 ask for a *list*, 什么是/是什么意思 for a *definition*. A question may ask several aspects;
the composer uses them to choose whole enumerations and to check that the best clauses contain
what was asked (a deadline, a figure, a contact) before answering.
"""

from __future__ import annotations

import re

from assistant.nlu.models import Aspect

_CUES: tuple[tuple[Aspect, re.Pattern[str]], ...] = (
    (Aspect.DEFINITION, re.compile(r"什么(是|叫)|(是|叫)(个)?(什么|啥)(意思)?[？?]?$|啥意思|什么意思|指的是|含义|定义|what (is|does|are)|meaning of")),
    (Aspect.WHY, re.compile(r"为什么|为何|为啥|干嘛要|目的是|理由|why")),
    (
        Aspect.LIST,
        re.compile(
            r"哪些|哪几|几条|几个方面|几类|几项|包括什么|包括哪|都有什么|有哪|列举|(?:什么|啥|哪些)(?:样的?)?(?:条件|要求|资格条件)|"
            r"条件是(?:什么|啥)|which .*(are|include)|what are the|what (?:conditions|requirements)"
        ),
    ),
    (Aspect.WHEN, re.compile(r"什么时候|何时|多久|几天|几个月|期限|截止|时限|日期|哪一年|哪年|when|how long|deadline")),
    (Aspect.HOW_MUCH, re.compile(r"多少钱|多少|几成|比例|标准是多少|金额|费用|收费|how much|how many")),
    (Aspect.WHO, re.compile(r"谁|哪个部门|哪个单位|什么单位|什么部门|哪些部门|负责|主体|who")),
    (Aspect.CONTACT, re.compile(r"电话|联系方式|地址|邮箱|网址|热线|几楼|contact|phone")),
    (Aspect.WHERE, re.compile(r"在哪|哪里|去哪|什么地方|where")),
    (Aspect.HOW, re.compile(r"怎么|如何|怎样|流程|程序|步骤|how")),
    (Aspect.YES_NO, re.compile(r"能不能|可不可以|可以吗|能否|是否|行不行|行吗|吗[？?]?$|么[？?]?$|can |may |is it")),
)


def aspects(text: str) -> tuple[Aspect, ...]:
    """Every aspect the text asks, in the order of :data:`_CUES` (definition, why, list first)."""
    lowered = text.lower()
    return tuple(aspect for aspect, cue in _CUES if cue.search(lowered))


def asks_in_general(found: tuple[Aspect, ...]) -> bool:
    """A question about the policy in general (what is, why, which ones) rather than about one case."""
    return bool({Aspect.DEFINITION, Aspect.WHY, Aspect.LIST} & set(found))
