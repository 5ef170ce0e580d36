"""What a procurement question says besides its phrase facts: the object bought, the province, the method asked about.

Read by :func:`assistant.nlu.facts.extract` for the tool ``procurement_method`` (its finishing step),
on the text :func:`assistant.nlu.facts.prepare` gives.
"""

from __future__ import annotations

import re

from assistant.parameters import ObjectType
from assistant.rules.procurement import ProcurementMethod

PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区",
    "宁夏回族自治区", "新疆维吾尔自治区",
)  # fmt: skip
"""Provincial-level divisions, by their full names (the ``jurisdiction`` fact takes these)."""
PROVINCE_SHORT = {name: re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", name) for name in PROVINCES}
"""Full name → the short name users write (河南省 → 河南)."""

_HOME = re.compile(r"温州|浙江")

_METHOD_WORDS: tuple[tuple[str, ProcurementMethod], ...] = (
    (r"单一来源", ProcurementMethod.单一来源),
    (r"竞争性磋商|磋商", ProcurementMethod.竞争性磋商),
    (r"竞争性谈判|谈判", ProcurementMethod.竞争性谈判),
    (r"邀请招标", ProcurementMethod.邀请招标),
    (r"询价", ProcurementMethod.询价),
    (r"自行(组织)?采购|自己(采购|买|找)", ProcurementMethod.自行组织采购),
    (r"(?:公开招标|招标)(?!线|标准|数额|限额|门槛|金额|时间|文件|公告|失败|后)", ProcurementMethod.公开招标),
)
"""Names of methods a question may ask about; 公开招标线/数额标准 names a threshold, 招标失败 a circumstance."""


def detect_object_type(text: str) -> ObjectType:
    """What is bought: 货物 when goods are named, 工程 for construction words without 服务, else 服务."""
    if re.search(r"货物", text):
        return ObjectType.货物
    works = re.search(r"工程(?!监理|咨询|造价|设计|审计|服务|管理|评估|检测)|施工|装修|改扩建|修缮|新建|扩建", text)
    if works and "服务" not in text:
        return ObjectType.工程
    if "服务" in text:
        return ObjectType.服务
    if re.search(r"(买|采购|购置)[^，。,]{0,6}(设备|物资|电脑|计算机|家具|车辆|耗材|办公用品|打印机|服务器)", text):
        return ObjectType.货物
    return ObjectType.服务


def detect_jurisdiction(text: str) -> str | None:
    """The province a question names (河南省某市级单位 → 河南省); ``None`` when it names 温州/浙江 or none."""
    if _HOME.search(text):
        return None
    for name in PROVINCES:
        if PROVINCE_SHORT[name] in text:
            return name
    return None


def detect_requested_method(text: str) -> ProcurementMethod | None:
    """The method the user asks about ("能单一来源吗", "可以询价吗"), if the question names one."""
    asking = re.search(r"吗|能否|可否|能不能|可不可以|行不行|是否(可以|能)|\?|？", text)
    if not asking:
        return None
    for pattern, method in _METHOD_WORDS:
        if method is ProcurementMethod.公开招标 and re.search(r"必须(公开)?招标|要(公开)?招标吗|需要(公开)?招标", text):
            return None  # "必须公开招标吗" asks whether tendering is required, not whether it is allowed
        if re.search(pattern, text):
            return method
    return None
