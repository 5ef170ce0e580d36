"""Deterministic phrase tables that turn a user's Chinese question into rule facts.

Used by :func:`assistant.rules.eligibility.extract_eligibility_facts` and
:func:`assistant.rules.qualification.extract_supplier_facts`. The tables below are data:
each is an ordered tuple of ``(regular expression, value)`` rows and **the first matching row
wins**, so negated phrasings (没有欠缴社保) come before the plain ones (欠缴社保). A fact no row
matches stays ``None`` — the rule then asks for it instead of guessing.

Text is normalised first (traditional → simplified, full-width punctuation) with
:func:`assistant.corpus.normalise`, so 繁體 questions read the same as simplified ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import cn2an

from assistant.corpus import normalise

Row = tuple[str, object]


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

    def earliest(self, text: str) -> Hit | None:
        """The match that starts first in the text; ties go to the earlier row."""
        best: Hit | None = None
        for pattern, value in self.rows:
            match = pattern.search(text)
            if match and (best is None or match.start() < best.start):
                best = Hit(value, match.start(), match.end())
        return best


def prepare(text: str) -> str:
    """Normalise a question for matching: simplified characters, line breaks as commas, no spaces."""
    text = re.sub(r"\s*\n\s*", "，", (text or "").strip())
    return re.sub(r"\s+", "", normalise(text))


_SELF = re.compile(
    r"(?:我们|我们单位|我单位|本单位|我方|我是|我|咱们)(?:这边|这里)?(?:是|为|属于|作为)?(?:一家|一个|一所|一名|一位|个)?"
    r"([^，。；？！,;?!\n]{1,30})"
)
"""The speaker's self-description, e.g. 我们是 **区民政局**，… — where the subject is named first."""


def self_segment(text: str) -> str | None:
    """The phrase after 我们是/我是/本单位…, up to the next punctuation, if any."""
    match = _SELF.search(text)
    return match.group(1) if match else None


def classify_entity(table: Table, text: str) -> Hit | None:
    """Which entity type the speaker is: from the self-description first, else the earliest mention."""
    segment = self_segment(text)
    if segment:
        hit = table.first(segment)
        if hit:
            start = text.find(segment)
            return Hit(hit.value, start + hit.start, start + hit.end)
    return table.earliest(text)


_NUMBER = r"[0-9一二两三四五六七八九十几]+"
_YEARS_AGO = (
    (re.compile(r"今年|本年度|最近|近期|上个?月|这个?月"), 0.0),
    (re.compile(r"去年|上一年|上年"), 1.0),
    (re.compile(r"前年"), 2.0),
    (re.compile(r"大前年"), 3.0),
)


def years_ago(text: str) -> float | None:
    """How many years ago the text says something happened (去年 → 1, 五年前 → 5), if it says so."""
    match = re.search(rf"({_NUMBER})\s*年(?:以)?前", text)
    if match:
        raw = match.group(1).replace("两", "二").replace("几", "")
        if not raw:
            return None
        try:
            return float(raw) if raw.isdigit() else float(cn2an.cn2an(raw, "smart"))
        except (ValueError, KeyError):
            return None
    best: float | None = None
    for pattern, value in _YEARS_AGO:
        if pattern.search(text):
            best = value  # later rows are more specific (大前年 after 前年)
    return best


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


# ---------------------------------------------------------------------------------------------
# Tables shared by both tools. Values are the enum *values* (Chinese strings) or booleans.
# ---------------------------------------------------------------------------------------------

ADMIN_ORGAN = (
    r"人民政府|[省市区县]政府|[镇乡]政府|街道办事处|街道办|街道(?!保洁|清扫|卫生|环境|社区)|政府办公室|政府办|管委会|"
    r"卫健委|卫生健康委|发改委|教委|经信委|行政机关|政府部门|"
    r"[省市区县镇乡][^，。；？！,;?!\s]{0,7}?(?:局|厅)|(?<!村民)(?<!居民)(?<![村居])委员会|"
    r"(?:我|我们|本)(?:局|委|厅)|民政局|教育局|人社局|司法局|财政局|公安局|城管局|住建局|文旅局|体育局|商务局|科技局|交通局|农业农村局"
)
GRASSROOTS = r"村委会|居委会|村民委员会|居民委员会|基层群众性自治组织|村集体"

PURCHASER = Table(
    (r"参公|参照公务员法?管理|具有行政管理职能的事业单位|承担行政职能的事业单位", "参公事业单位"),
    (r"妇联|妇女联合会|共青团|团[省市区县]委|团委|总工会|工会|残联|残疾人联合会|科协|文联|侨联|红十字会|工商联|群团", "群团组织"),
    (GRASSROOTS, "其他"),
    (r"国有企业|国企|国有(?:独资|控股)?公司|城投|国资公司|平台公司", "国有企业"),
    (r"社会组织|协会|商会|学会|基金会|民办非企业|民非|社工机构|社会服务机构", "社会组织"),
    (r"事业单位|公立(?:医院|学校)|医院|卫生院|学校|中学|小学|幼儿园|大学|学院|图书馆|博物馆|文化馆|研究院|研究所|疾控中心", "其他事业单位"),
    (ADMIN_ORGAN, "行政机关"),
    (r"私营企业|民营企业|公司|个体户", "其他"),
)

SUPPLIER = Table(
    (r"个体工商户|个体户|个体经营", "个体工商户"),
    (r"其他经济组织|合作社|农村集体经济组织|集体经济组织", "其他经济组织"),
    (r"社会组织|社工机构|社工事务所|社会工作服务(?:中心|机构|社)|协会|商会|学会|基金会|民办非企业|民非|社会服务机构", "社会组织"),
    (r"事业单位|公益[一二]类|医院|卫生院|学校|幼儿园|研究所|研究院|疾控中心", "事业单位"),
    (GRASSROOTS, "基层群众性自治组织"),
    (r"自然人|个人(?!独资)|我本人|本人|退休(?:教师|医生|干部|人员)|以个人(?:名义|身份)", "自然人"),
    (r"企业|公司|有限责任|股份|集团", "企业"),
)

REGISTRATION = Table(
    (r"(?:没有?|未|尚未|还没有?)(?:在\S{0,6}?)?(?:登记|注册|办理?营业执照|营业执照|取得营业执照)|无(?:营业)?执照", "未登记"),
    (r"免[于予]登记", "免于登记"),
    (r"民政(?:部门|局)?(?:依法)?(?:登记|注册|批准成立)|在民政", "民政部门"),
    (r"市场监[管督](?:部门|局)?|工商(?:部门|局)?(?:登记|注册)|营业执照", "市场监管部门"),
    (r"行业主管部门", "行业主管部门"),
)

# -- eligibility ------------------------------------------------------------------------------

FUNDED_BY_BUDGET = Table(
    (r"(?:不是|并非|非|没有)(?:由)?财政(?:全额)?(?:拨款|供养|保障|承担|负担)|自收自支|经费自筹|自筹经费|财政不(?:拨款|承担)", False),
    (
        r"(?:经费)?(?:由|来自|来源于)?财政(?:全额|差额)?(?:拨款|供养|保障|承担|负担)(?:保障)?|(?:财政)?全额拨款|"
        r"经费(?:由|来自|来源于)财政(?:全额|差额)?(?:拨款|供养|保障|承担|负担)?",
        True,
    ),
)

HAS_BUDGET = Table(
    (
        r"(?:没有?|无|未|尚未|还没有?|还未)(?:有|安排|列入|纳入|编制|申请|落实)?(?:到)?(?:了)?(?:部门|年度|财政)?(?:预算|资金|经费)|"
        r"预算(?:还)?(?:没有?|未)(?:批|安排|下达|落实|下来|通过)|资金(?:还)?没(?:有)?(?:落实|着落)",
        False,
    ),
    (
        r"(?:今年)?(?:已|已经)(?:经)?(?:有|列入|纳入|安排|编入|申请到|批复|下达|落实)?(?:了)?(?:部门|年度|财政)?(?:预算|资金|经费)(?:了)?|"
        r"(?:已经|已)?有(?:了)?预算(?:了)?|(?:已经|已)?(?:在|列在|放在)(?:了)?(?:今年|年度|部门)?(?:的)?预算(?:里|内|中)(?:了)?|"
        r"(?:今年)?预算(?:也)?(?:已|已经)?(?:批|安排|下达|落实|批复|有了)(?:了)?|预算(?:充足|到位)|资金(?:已)?(?:落实|到位)|"
        r"(?:列入|纳入|安排)(?:了)?(?:年度|部门)?预算|预算(?:里|中|内)(?:已经?|都)?(?:安排|列|留|有)(?:了)?(?:这笔|相关)?(?:钱|资金|经费)?",
        True,
    ),
)

IN_CATALOG = Table(
    (r"不在(?:\S{0,8}?)目录|目录(?:以)?外|目录(?:里|中)?(?:没有|没|未列)|(?:未|没有?)(?:列入|纳入|在)\S{0,8}?目录", False),
    (r"(?:在|列入|纳入)(?:了)?\S{0,8}?目录|目录(?:内|里|中)(?:有|的)", True),
)

GOODS_OR_WORKS = Table(
    (
        r"设备|装备|器材|器械|仪器|电脑|计算机|办公用品|家具|桌椅|物资|食材|药品|耗材|服装|车辆(?:采购|购置)|"
        r"(?:采购|购置|购买|买)(?:一批|一台|一辆|几台|几辆|若干)?(?:公务)?(?:车|汽车)|"
        r"装修|修缮|施工|新建|扩建|改建|土建|建设工程|工程建设|基础设施|"
        r"(?<![维检])(?:修建|修(?![改订正复理])|建(?![议立言档])|盖)[^，。；？！]{0,6}?(?:道路|公路|路|桥|楼|房子|场馆|广场|公园)",
        True,
    ),
)

NEGATIVE_LIST = Table(
    (r"公益性岗位|公益岗", "公益性岗位"),
    (r"融资|贷款|借款|垫资", "融资"),
    (
        r"劳务派遣|派遣(?:人员|工)|(?:招聘|招录|聘用|聘请|招)(?:\S{0,4}?)(?:工作人员|编外人员|辅助人员|协管员|临时工|辅警)|编外人员|临时工",
        "自身用人或劳务派遣",
    ),
    (r"基础设施|土地(?:一级)?开发|储备土地|农田水利", "基础设施建设"),
)

GOVERNMENT_DIRECT = Table(
    (r"(?:不是|不属于|并非)(?:必须|应当|应该)?由政府直接", False),
    (
        r"执法|处罚|行政许可|行政审批|行政强制|审批(?:事项|权)|核发(?:证照|许可)|(?:必须|应当|应该|只能)由政府(?:直接)?(?:提供|履职|履行|承担)|"
        r"直接履职|行使(?:行政)?(?:职权|权力)",
        True,
    ),
    (r"适合(?:由)?(?:社会力量|市场|社会组织)|社会力量(?:能够|可以)(?:承担|提供)", False),
)

WITHIN_DUTIES = Table(
    (
        r"不(?:属于|在)(?:政府|我们|本部门|本单位|我局|部门|我们单位)?(?:的)?(?:法定)?(?:职责|职能)|(?:职责|职能)(?:范围)?(?:以外|之外)|"
        r"超出(?:了)?\S{0,4}?(?:职责|职能)|非(?:政府)?职责",
        False,
    ),
    (r"属于(?:政府|我们|本部门|本单位|我局|部门)?(?:的)?(?:法定)?(?:职责|职能)|(?:职责|职能)范围(?:内|之内)|法定职责", True),
)

# -- qualification ----------------------------------------------------------------------------

PROVIDES_SPECIFIC_PUBLIC_SERVICE = Table(
    (r"不(?:提供|承担)(?:特定)?公共服务", False),
    (r"(?:提供|承担|从事)(?:特定|基本)?公共服务", True),
)

PUBLIC_WELFARE_CLASS_ONE = Table(
    (r"公益一类", True),
    (r"公益二类|生产经营类|经营类|从事生产经营", False),
)

CIVIL_LIABILITY = Table(
    (r"(?:不能|无法|不具备|不具有|没有?)(?:独立)?(?:承担民事责任|法人资格|独立法人)|非法人|内设机构|分支机构", False),
    (r"独立法人|法人资格|独立承担民事责任|具有法人|法人单位|能独立承担", True),
)

FACILITIES = Table(
    (
        r"(?:没有?|缺乏|缺少|不具备|无)(?:专业|专职|相应|必要的?)?(?:的)?(?:人员|团队|人手|社工|场地|设施|资质|技术|能力|师资)|"
        r"人手不足|人员不足|场地不足|能力不足|人手不够",
        False,
    ),
    (
        r"(?:有|具备|拥有|配备)(?:了)?[^，。；？！]{0,6}?(?:专业|专职|持证)(?:的)?(?:人员|团队|社工|技术|师资)|"
        r"(?:专业|专职)(?:团队|人员)(?:齐全|充足)|(?:场地)?设施齐全|具备(?:相应|专业)?(?:能力|资质)|持证社工|专业团队",
        True,
    ),
)

GOVERNANCE = Table(
    (
        r"(?:没有?|缺乏|无)(?:健全的?)?(?:财务|会计|内部治理|治理结构|管理制度|资产管理)(?:制度|人员)?|"
        r"(?:财务|会计|管理)(?:制度)?不(?:健全|规范)|账目混乱|账务混乱|没有会计|没有财务",
        False,
    ),
    (
        r"(?:财务|会计|管理|内控|内部治理|治理|资产管理)(?:制度|结构|体系)?(?:都)?(?:健全|完善|规范)|制度健全|"
        r"有(?:完善的?|健全的?)?(?:财务|会计)制度",
        True,
    ),
)

REPUTATION = Table(
    (r"(?:没有?|未|从未)(?:被)?(?:列入)?(?:失信|黑名单)", True),
    (r"失信|黑名单|信用(?:不良|较差|很差|差)|信誉(?:不好|差|较差)|违约|口碑(?:差|不好)", False),
    (r"信誉良好|信用良好|信誉好|信用好|口碑好|信用记录良好|(?:社会|商业)信誉良好|信誉都(?:很)?好", True),
)

TAX_SOCIAL_INSURANCE = Table(
    (r"(?:没有?|从未|未曾|无|不存在|从来没有?)(?:过)?(?:欠缴|拖欠|欠交|漏缴|少缴|欠税|偷税|逃税|漏税|断缴)", True),
    (
        r"(?:欠缴|拖欠|欠交|漏缴|少缴|未缴|没缴|没交|未足额缴纳|断缴)(?:过|了)?\S{0,4}?(?:税|社保|社会保险|五险)|"
        r"(?:税|社保|社会保险|五险)\S{0,4}?(?:欠缴|拖欠|欠交|漏缴|没交|没缴|未缴|断缴)|欠税|偷税|逃税|漏税",
        False,
    ),
    (r"(?:依法|按时|按期|足额|正常)(?:纳税|缴税|缴纳|交税|交社保|缴社保)|纳税信用[AaＡ]|社保(?:正常|按时)(?:缴纳|缴)|一直(?:按时)?(?:交|缴)", True),
)

OTHER_REGISTRATION = Table(
    (r"(?:年检|年报|年度检查|年度报告)(?:不合格|未通过|没通过|没(?:有)?(?:报|做|交))|未(?:年检|年报)|没(?:有)?年检|经营异常", False),
    (r"年检合格|年检通过|通过年检|(?:年报|年检|年度报告)(?:也)?(?:都)?(?:正常|合格|通过)|年度检查合格|按时年报|符合登记(?:管理)?(?:机关|部门)?\S{0,4}?条件", True),
)

MAJOR_VIOLATION = Table(
    (r"(?:没有?|从未|未曾|无|不存在)(?:受到?过?|被)?(?:任何)?(?:重大)?(?:违法|处罚|行政处罚|罚款|违法记录|不良记录)", False),
    (r"罚款|吊销|处罚|判刑|刑事|责令停产|停业整顿|暂扣|重大违法|违法记录|违法经营", True),
)

ALL_CONDITIONS_MET = re.compile(
    r"(?:各项|全部|所有|上述|以上)(?:资格)?条件(?:都|均|全部)?(?:符合|满足|具备)|符合(?:政府采购法)?第二十二条|"
    r"(?:条件|要求)(?:都|均)(?:符合|满足|具备)"
)
"""A claim that every listed supplier condition is met; fills only the conditions not stated otherwise."""
