"""The combining rule of the procurement-method tool: :func:`decide`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from assistant import parameters
from assistant.models import Condition, ConditionStatus, Decision, DecisionCase, MissingFact
from assistant.parameters import ObjectType, ThresholdValue
from assistant.rules._context import most_decisive
from assistant.rules.procurement.clauses import CZK124_1, CZK214_3, GPL_26, GPL_29, GPL_30, GPL_31, GPL_32, REG_7, REG_25, WZB_5_2
from assistant.rules.procurement.facts import (
    _BUDGET_LEVEL,
    _NON_OPEN,
    OUTCOME_LABELS,
    QUESTION_ORDER,
    TOOL_NAME,
    MethodOutcome,
    Organizer,
    ProcurementFacts,
    ProcurementMethod,
    _missing,
)
from assistant.rules.procurement.grounds import (
    _Grounds,
    _method_grounds,
    gpl_2_government_procurement,
    gpl_18_organizer,
    gpl_27_below_open_tender_standard,
    gpl_37_after_failed_tender,
    gpl_85_emergency_exclusion,
    reg_7_25_works,
    reg_23_change_approval,
    reg_28_no_splitting,
    reg_28_split_told,
    reg_38_single_source_publicity,
    wzb_5_2_purchase_method,
)
from assistant.rules.procurement.thresholds import (
    CONSULTATION_MIN_SUPPLIERS,
    OPEN_TENDER,
    QUOTA,
    _Amount,
    _resolve_thresholds,
    _Side,
    _sides,
    _Thresholds,
    _threshold_notes,
    told_settles,
    told_side_notes,
    with_told_values,
)
from assistant.rules.procurement.wording import _condition, _day, _methods_text, _yuan


class RuleContext(Protocol):
    """What :func:`decide` needs from its context: where the parameters live.

    :class:`assistant.config.Settings` satisfies it, as does the ``RuleContext`` of :mod:`assistant.rules`.
    """

    @property
    def parameters_dir(self) -> Path: ...


_GROUND_HINTS = {
    ProcurementMethod.公开招标: "公开招标任何金额都可以采用",
    ProcurementMethod.邀请招标: "邀请招标须只能从有限范围的供应商处采购，或公开招标费用占比过大（政府采购法第二十九条）",
    ProcurementMethod.竞争性谈判: "竞争性谈判须属于招标失败、技术复杂无法确定规格、非因采购人造成的紧急需要或不能事先计算价格总额（政府采购法第三十条）",
    ProcurementMethod.竞争性磋商: "竞争性磋商适用于政府购买服务项目等情形（财库〔2014〕214号第三条）",
    ProcurementMethod.单一来源: "单一来源须只能从唯一供应商处采购、发生不可预见的紧急情况，或向原供应商添购且不超过原合同金额的法定比例（政府采购法第三十一条）",
    ProcurementMethod.询价: "询价只适用于规格标准统一、货源充足、价格稳定的货物（政府采购法第三十二条）",
    ProcurementMethod.自行组织采购: "自行组织采购只适用于集中采购目录以外、分散采购限额标准以下的项目（温政办〔2014〕118号五（二））",
}


_METHOD_CLAUSES = {
    ProcurementMethod.公开招标: GPL_26,
    ProcurementMethod.邀请招标: GPL_29,
    ProcurementMethod.竞争性谈判: GPL_30,
    ProcurementMethod.竞争性磋商: CZK214_3,
    ProcurementMethod.单一来源: GPL_31,
    ProcurementMethod.询价: GPL_32,
    ProcurementMethod.自行组织采购: WZB_5_2,
}
"""The clause that sets out when each method may be used (cited when the user asks about a method with no stated ground)."""


def _requested_method_check(
    facts: ProcurementFacts,
    *,
    outcome: MethodOutcome,
    methods: tuple[ProcurementMethod, ...],
    grounds: _Grounds,
    amount_pending: bool = False,
) -> Condition | None:
    requested = facts.requested_method
    if requested is None:
        return None
    ground = grounds.conditions.get(requested)
    clauses = ground.clause_ids if ground else (_METHOD_CLAUSES[requested],)
    if requested is ProcurementMethod.自行组织采购:
        clauses = (WZB_5_2,)
    elif outcome is MethodOutcome.WORKS_TENDERING_LAW:
        clauses = (REG_7, REG_25)
    if outcome is MethodOutcome.SELF_ORGANIZED and requested is not ProcurementMethod.自行组织采购:
        if requested is ProcurementMethod.公开招标:
            return _condition(
                "requested_method",
                ConditionStatus.PASS,
                "本项目不强制公开招标；购买主体自行组织时也可以自愿采用公开招标等公开竞争方式。",
                WZB_5_2,
            )
        return _condition(
            "requested_method",
            ConditionStatus.UNKNOWN,
            f"本项目不属于政府采购，不受政府采购法对{requested.value}适用情形的限制；自行组织时仍应遵循"
            "“节约、效能、公开、公正”原则，具体做法按本单位内部控制制度办理。",
            WZB_5_2,
        )
    if requested in methods:
        extra = "（须先取得批准）" if outcome is MethodOutcome.APPROVAL_REQUIRED and requested is not ProcurementMethod.公开招标 else ""
        if amount_pending and requested is ProcurementMethod.竞争性磋商 and grounds.consultation_only_as_service:
            extra = "（预算低于公开招标数额标准时；达到该标准的，仅以购买服务项目为由不能改用）"
        elif amount_pending and requested is not ProcurementMethod.公开招标:
            extra = "（具备法定情形；预算达到公开招标数额标准的，须在采购活动开始前经财政部门批准）"
        return _condition("requested_method", ConditionStatus.PASS, f"您询问的{requested.value}可以采用{extra}。", *clauses)
    if outcome is MethodOutcome.NEED_INFO or outcome is MethodOutcome.THRESHOLD_UNKNOWN:
        reason = f"能否采用{requested.value}还取决于上面需要补充的信息；{_GROUND_HINTS[requested]}。"
        if ground is not None and ground.status is ConditionStatus.FAIL:
            return _condition("requested_method", ConditionStatus.FAIL, f"您询问的{requested.value}不能采用（理由见上）。", *clauses)
        return _condition("requested_method", ConditionStatus.UNKNOWN, reason, *clauses)
    if ground is not None and ground.status is ConditionStatus.FAIL:
        return _condition("requested_method", ConditionStatus.FAIL, f"您询问的{requested.value}不能采用（理由见上）。", *clauses)
    if ground is not None and ground.status is ConditionStatus.PASS:
        reason = f"虽具备{requested.value}的情形，但按本项目情况不能直接采用：{OUTCOME_LABELS[outcome]}。"
        return _condition("requested_method", ConditionStatus.FAIL, reason, *clauses)
    return _condition(
        "requested_method",
        ConditionStatus.UNKNOWN if requested in _NON_OPEN else ConditionStatus.FAIL,
        f"根据现有事实不能采用{requested.value}：{_GROUND_HINTS[requested]}。",
        *clauses,
    )


def _circumstance_methods(facts: ProcurementFacts, grounds: _Grounds) -> list[ProcurementMethod]:
    """The non-open methods that a circumstance the user stated gives whatever the amount: 政府采购法第二十九条
    (邀请招标), 第三十条 (竞争性谈判), 第三十一条 (单一来源), 第三十二条 (询价), 财库〔2014〕214号第三条 (竞争性磋商),
    plus 竞争性磋商 for a purchase-of-services project. Empty when no circumstance was stated: the
    purchase-of-services ground of 磋商 alone is no circumstance. An add-on (第三十一条（三）) counts before the
    amounts are known; its 10% limit stays an open condition.
    """
    stated = any(condition.status is ConditionStatus.PASS for condition in grounds.stated())
    single_source = grounds.conditions.get(ProcurementMethod.单一来源)
    add_on = bool(facts.additional_purchase_for_consistency) and single_source is not None and single_source.status is ConditionStatus.UNKNOWN
    if not (stated or add_on):
        return []
    methods = [method for method in grounds.methods if method in _NON_OPEN]
    if add_on and ProcurementMethod.单一来源 not in methods:
        methods.append(ProcurementMethod.单一来源)
    return methods


def _span(index: int, samples: list[float]) -> str:
    """The amounts of segment ``index`` of an approximate amount cut at the thresholds it contains."""
    if index == 0:
        return f"不足{_yuan(samples[1])}"
    if index == len(samples) - 1:
        return f"达到{_yuan(samples[index])}"
    return f"在{_yuan(samples[index])}至不足{_yuan(samples[index + 1])}之间"


_SHORT_QUESTIONS = {
    "in_centralized_catalog": "是否列入集中采购目录（目录外的可自行组织采购，目录内的属于政府采购）",
    "original_contract_amount_yuan": "原合同金额",
    "level": "预算级次",
}


def _circumstance_first(
    methods: tuple[ProcurementMethod, ...], grounds: _Grounds, notes: list[str]
) -> tuple[ProcurementMethod, ...]:
    """When the user states a statutory circumstance, the answer names the methods that circumstance grounds;
    the others that stay lawful (公开招标 always; 竞争性磋商 for any purchase of services) go to a note."""
    stated = grounds.stated_methods()
    chosen = tuple(method for method in methods if method in stated)
    if not chosen:
        return methods
    others = [method for method in methods if method not in chosen]
    if others:
        notes.insert(0, f"按您说明的情形，适用上列方式；此外仍可依法采用{_methods_text(others)}。")
    return chosen


def _ordered(methods: Iterable[ProcurementMethod]) -> tuple[ProcurementMethod, ...]:
    chosen = set(methods)
    return tuple(method for method in ProcurementMethod if method in chosen)


def decide(facts: ProcurementFacts, *, on: date, context: RuleContext) -> Decision:
    """Which procurement methods a purchase may use on ``on``, who organises it, and which approvals it needs.

    Pure: reads only the dated parameters under ``context.parameters_dir``; never the clock. The combining rule
    is :func:`_decide`; when it lacks the amount or the catalog status, the result under each reading of the
    missing fact is given as ``cases`` (outcome ``depends_on_facts``, see :func:`_readings`) rather than a bare
    question: below the quota and outside the catalog the purchaser organises the purchase itself at once.
    """
    decision = _decide(facts, on=on, context=context)
    if decision.outcome != MethodOutcome.NEED_INFO.value:
        return decision
    thresholds, level_needed = _resolve_thresholds(facts, on=on, parameters_dir=context.parameters_dir)
    if thresholds is None or level_needed:
        return decision  # no threshold to place a reading against: ask
    readings = _readings(facts, on=on, context=context)
    return _with_cases(decision, readings, _threshold_words(thresholds)) if readings else decision


_AMOUNT_READINGS = (
    ("below", {"below_quota": True, "at_or_above_open_tender": False}),
    ("between", {"below_quota": False, "at_or_above_open_tender": False}),
    ("above", {"below_quota": False, "at_or_above_open_tender": True}),
)


def _agrees(reading: dict[str, object], facts: ProcurementFacts) -> bool:
    """Whether a reading of the amount agrees with what the user said of it without a figure."""
    return all(getattr(facts, name) is None or getattr(facts, name) == value for name, value in reading.items())


@dataclass(frozen=True)
class _Reading:
    """One reading of the facts the user did not state, and the result under it."""

    amount: str
    """How the amount is read, in words ('' when the amount is known)."""
    catalog: str
    """How the 集中采购目录 status is read, in words ('' when it is known)."""
    outcome: str
    methods: tuple[str, ...]
    clause_ids: tuple[str, ...] = ()
    """The clauses the result under this reading rests on."""


def _grounding(decision: Decision) -> tuple[str, ...]:
    """The clauses a reading's result rests on: those of its scope, threshold and method conditions (not the
    check of a method the user asked about), failed ones first, in the rule's order."""
    keys: dict[str, None] = {}
    decided = [c for c in decision.conditions if c.condition != "requested_method" and c.status is not ConditionStatus.UNKNOWN]
    if decision.outcome == MethodOutcome.SELF_ORGANIZED.value:  # the clause that grants it (五（二）) first
        decided.sort(key=lambda c: c.condition != "wzb_5_2_purchase_method")
    for condition in sorted(decided, key=lambda c: c.status is not ConditionStatus.FAIL and c.condition != "wzb_5_2_purchase_method"):
        for key in condition.clause_ids:
            keys.setdefault(key, None)
    return tuple(keys)


def _threshold_words(thresholds: _Thresholds) -> dict[str, str]:
    def named(value: ThresholdValue) -> str:
        return f"{value.name}（{_yuan(value.value_yuan)}{'' if value.verified else '，未核实'}）"

    quota, tender = named(thresholds.quota), named(thresholds.open_tender)
    return {
        "below": f"预算低于{quota}",
        "between": f"预算达到{quota}、低于{tender}",
        "above": f"预算达到{tender}",
        "below+between": f"预算低于{tender}",
        "between+above": f"预算达到{quota}",
    }


def _readings(facts: ProcurementFacts, *, on: date, context: RuleContext) -> list[_Reading]:
    """The result under each reading of what the user did not say: the amount's place against the
    分散采购限额标准 and the 公开招标数额标准 (no amount and no side stated), and the 集中采购目录 status.
    Empty when nothing can be enumerated or some reading still lacks a fact. Called once the thresholds for the
    facts are known (:func:`decide`)."""
    amount_told = facts.amount_yuan is not None or facts.amount_upper_yuan is not None
    amounts: list[tuple[str, dict[str, object]]] = [("", {})]
    if not amount_told:
        amounts = [(name, update) for name, update in _AMOUNT_READINGS if _agrees(update, facts)]
    catalogs: list[tuple[str, dict[str, object]]] = [("", {})]
    if facts.in_centralized_catalog is None:
        catalogs = [("不在集中采购目录内", {"in_centralized_catalog": False}), ("列入集中采购目录", {"in_centralized_catalog": True})]
    if len(amounts) * len(catalogs) == 1:
        return []
    readings = []
    for amount, amount_update in amounts:
        for catalog, catalog_update in catalogs:
            decision = _decide(facts.model_copy(update={**amount_update, **catalog_update}), on=on, context=context)
            if decision.outcome in (MethodOutcome.NEED_INFO.value, MethodOutcome.THRESHOLD_UNKNOWN.value):
                return []
            readings.append(_Reading(amount, catalog, decision.outcome, decision.methods, _grounding(decision)))
    return readings


def _readings_of(branch: Decision, amount: str) -> list[_Reading]:
    """The readings of one side of an approximate amount (its own cases when the catalog status is missing)."""
    if branch.cases:
        return [_Reading(amount, case.when, case.outcome, case.methods, case.clause_ids) for case in branch.cases]
    return [_Reading(amount, "", branch.outcome, branch.methods, _grounding(branch))]


def _when(group: list[_Reading], readings: list[_Reading], words: dict[str, str]) -> str:
    """The readings of one result in words: an amount reading that holds whatever the catalog status is said
    alone (two adjacent amount readings as one range), and a catalog reading that holds whatever the amount is
    said alone; the rest are joined with “或”."""
    amounts = list(dict.fromkeys(reading.amount for reading in readings))
    catalogs = list(dict.fromkeys(reading.catalog for reading in readings))
    chosen = {(reading.amount, reading.catalog) for reading in group}
    whole = [amount for amount in amounts if all((amount, catalog) in chosen for catalog in catalogs)]
    parts: list[str] = []
    if whole:
        key = "+".join(whole)
        parts.append(words.get(key) or "，或".join(words.get(amount, amount) for amount in whole))
        chosen -= {(amount, catalog) for amount in whole for catalog in catalogs}
    for catalog in catalogs:
        if catalog and len(amounts) > 1 and all((amount, catalog) in chosen for amount in amounts):
            parts.append(catalog)
            chosen -= {(amount, catalog) for amount in amounts}
    parts.extend(
        "且".join(part for part in (words.get(amount, amount), catalog) if part)
        for amount in amounts
        for catalog in catalogs
        if (amount, catalog) in chosen
    )
    return "，或".join(part for part in parts if part)


def _with_cases(decision: Decision, readings: list[_Reading], words: dict[str, str] | None = None) -> Decision:
    """``decision`` (which asks for the missing facts) with the result under each reading: outcome
    ``depends_on_facts``, one case per distinct result, ``methods`` every method some reading allows. When all
    readings agree, the readings' common result (the missing facts do not change it)."""
    groups: dict[tuple[str, tuple[str, ...]], list[_Reading]] = {}
    for reading in readings:
        groups.setdefault((reading.outcome, reading.methods), []).append(reading)
    if len(groups) == 1:
        (outcome, methods), = groups
        note = "尚未说明的预算金额或集中采购目录情况不改变上述结论，仅影响组织形式等事项。"
        return decision.model_copy(update={"outcome": outcome, "methods": methods, "notes": (note, *decision.notes)})
    shared = set.intersection(*(set(reading.clause_ids) for reading in readings))

    def grounds(group: list[_Reading]) -> tuple[str, ...]:
        """A case's own clauses: what sets it apart from the other readings (at most four), else what all share."""
        keys = tuple(dict.fromkeys(key for reading in group for key in reading.clause_ids))
        own = tuple(key for key in keys if key not in shared)
        return (own or keys)[:4]

    cases = tuple(
        DecisionCase(when=_when(group, readings, words or {}), outcome=outcome, methods=methods, clause_ids=grounds(group))
        for (outcome, methods), group in groups.items()
    )
    methods = _ordered(ProcurementMethod(method) for case in cases for method in case.methods)
    return decision.model_copy(
        update={"outcome": MethodOutcome.DEPENDS.value, "cases": cases, "methods": tuple(method.value for method in methods)}
    )


def _splitting_told(facts: ProcurementFacts) -> tuple[ProcurementFacts, Condition | None]:
    """A split told in words (:func:`reg_28_split_told`): a total over the 公开招标数额标准 puts the purchase at or
    above it, whatever each part is; a split alone makes the parts' 低于公开招标标准 no side of the purchase.
    Returns the facts to decide on and the check (``None`` when nothing was told)."""
    condition = reg_28_split_told(facts)
    if condition is None:
        return facts, None
    if facts.cumulative_above_open_tender:
        return facts.model_copy(update={"at_or_above_open_tender": True}), condition
    update = {"at_or_above_open_tender": None} if facts.at_or_above_open_tender is False else {}
    return facts.model_copy(update=update), condition


def _decide(facts: ProcurementFacts, *, on: date, context: RuleContext) -> Decision:
    """Which procurement methods a purchase may use on ``on``, who organises it, and which approvals it needs.

    Pure: reads only the dated parameters under ``context.parameters_dir``; never the clock.

    Order of the combining rule:

    1. 工程 → 实施条例第七条、第二十五条 (outcome ``works_tendering_law``).
    2. Nothing said of the amount: a stated circumstance (政府采购法第二十九至三十二条, 财库〔2014〕214号第三条) names
       the methods by itself → ``methods_available``, with notes on what the amount would change (approval at or
       above the 公开招标数额标准, self-organised purchasing below the quota outside the catalog) and the amount as
       a secondary question; no circumstance → ``need_info``. The level matters and is unknown → ``need_info``.
    3. No threshold recorded for the jurisdiction, level and date → ``threshold_unknown`` (never a guessed figure).
    4. An approximate amount (``amount_yuan`` to ``amount_upper_yuan``) with a threshold inside its range: the
       outcome on each side; when they differ → ``need_info`` explaining both, asking for the exact amount.
    5. Outside the catalog and below the 分散采购限额标准 (a figure, or “低于限额” said without one) →
       ``self_organized`` (五（二）, 政府采购法第二条).
    6. At or above the 公开招标数额标准 (a figure, or “达到公开招标标准”), or split to evade it (实施条例第二十八条)
       → ``open_tender_required``; with grounds under 政府采购法第二十九至三十二条 → ``approval_required``; with the
       approval → ``methods_available``.
    7. Otherwise government procurement below the open-tender standard → ``methods_available``: 公开招标 plus every
       method whose ground holds (竞争性磋商 for any purchase of services; 询价 for goods only).

    At most three questions are asked at a time (``missing``), ranked by :data:`QUESTION_ORDER`.
    """
    parameters_dir = context.parameters_dir
    conditions: list[Condition] = []
    missing: list[MissingFact] = []
    notes: list[str] = []
    approvals: list[str] = []
    facts, splitting_in_words = _splitting_told(facts)

    def finish(
        outcome: MethodOutcome,
        methods: Iterable[ProcurementMethod] = (),
        organizer: Organizer | None = None,
        *,
        amount_pending: bool = False,
    ) -> Decision:
        ordered = _ordered(methods)
        if outcome in (MethodOutcome.METHODS_AVAILABLE, MethodOutcome.APPROVAL_REQUIRED):
            ordered = _circumstance_first(ordered, grounds, notes)
        requested = _requested_method_check(
            facts, outcome=outcome, methods=ordered, grounds=grounds, amount_pending=amount_pending
        )
        if requested is not None:
            conditions.append(requested)
        if splitting_in_words is not None and not any(c.condition == splitting_in_words.condition for c in conditions):
            conditions.append(splitting_in_words)
        return Decision(
            tool=TOOL_NAME,
            outcome=outcome.value,
            conditions=tuple(conditions),
            missing=most_decisive(missing, QUESTION_ORDER),
            notes=tuple(dict.fromkeys(notes)),
            methods=tuple(method.value for method in ordered),
            organizer=organizer.value if organizer else "",
            approvals=tuple(dict.fromkeys(approvals)),
        )

    amount_info = _Amount.of(facts)
    amount = amount_info.high  # the add-on ratio is checked against the highest the amount may be
    grounds = _method_grounds(facts, amount=amount, on=on, parameters_dir=parameters_dir)

    if facts.object_type is ObjectType.工程:
        conditions.append(reg_7_25_works(facts))
        if facts.is_purchase_of_services and "is_purchase_of_services" in facts.model_fields_set:
            notes.append("工程（以及工程与服务打包的项目）不属于政府购买服务的内容，请先用购买服务范围工具核对。")
        notes.append("本工具不判断工程是否达到必须招标的规模标准，请按招标投标法及其实施规定核实。")
        return finish(
            MethodOutcome.WORKS_TENDERING_LAW,
            (
                ProcurementMethod.公开招标,
                ProcurementMethod.邀请招标,
                ProcurementMethod.竞争性谈判,
                ProcurementMethod.竞争性磋商,
                ProcurementMethod.单一来源,
            ),
        )
    if facts.object_type is ObjectType.货物 and facts.is_purchase_of_services and "is_purchase_of_services" in facts.model_fields_set:
        notes.append("货物不属于政府购买服务的内容；以下按普通货物政府采购判断，竞争性磋商不以“购买服务项目”为由适用。")

    missing.extend(grounds.missing)
    for check in (gpl_85_emergency_exclusion(facts),):
        if check is not None:
            conditions.append(check)
    failed = gpl_37_after_failed_tender(facts)

    thresholds, level_needed = _resolve_thresholds(facts, on=on, parameters_dir=parameters_dir)
    told = amount_info.known or facts.below_quota is not None or facts.at_or_above_open_tender is not None
    if not amount_info.known and facts.below_quota and facts.at_or_above_open_tender:
        notes.append("您既说明低于分散采购限额标准，又说明达到公开招标数额标准，二者矛盾：按较严格的达到公开招标数额标准判断，请核实金额。")

    def by_circumstance(candidates: list[ProcurementMethod], quota_side: _Side, tender_side: _Side) -> Decision:
        """The stated circumstance names the methods; the amount (not known well enough) only changes the approvals."""
        conditions[:0] = list(grounds.conditions.values())
        organizer: Organizer | None = None
        quota_text, tender_text = QUOTA, OPEN_TENDER
        if thresholds is not None:
            quota, open_tender = thresholds.quota, thresholds.open_tender
            quota_text = f"{quota.name}{_yuan(quota.value_yuan)}"
            tender_text = f"{open_tender.name}{_yuan(open_tender.value_yuan)}"
            text = amount_info.text()
            conditions.insert(0, gpl_2_government_procurement(facts, side=quota_side, quota=quota, amount_text=text))
            conditions.append(gpl_27_below_open_tender_standard(side=tender_side, open_tender=open_tender, amount_text=text))
            notes.extend(_threshold_notes(thresholds))
        else:
            notes.append(
                f"参数中没有{_day(on)}适用于{facts.jurisdiction}的{QUOTA}和{OPEN_TENDER}：上述方式由法定情形决定，"
                "但金额带来的审批要求请按当年适用的标准核实。"
            )
        if facts.in_centralized_catalog or (facts.in_centralized_catalog is False and quota_side is _Side.AT_OR_ABOVE):
            organizer_check, organizer = gpl_18_organizer(facts)
            conditions.append(organizer_check)
        effects: list[str] = []
        if tender_side is not _Side.BELOW:
            change = [
                method
                for method in candidates
                if not (method is ProcurementMethod.竞争性磋商 and grounds.consultation_only_as_service)
            ]
            effect = (
                f"预算达到{tender_text}的，应当公开招标；改用{_methods_text(change)}须在采购活动开始前报设区的市级以上"
                "人民政府财政部门批准（政府采购法第二十七条，实施条例第二十三条）"
            )
            if ProcurementMethod.竞争性磋商 in candidates and grounds.consultation_only_as_service:
                effect += "；仅以政府购买服务项目为由不能改用竞争性磋商"
            publicity = reg_38_single_source_publicity(facts, on=on, parameters_dir=parameters_dir)
            if publicity is not None:
                effect += f"；{publicity[1].rstrip('。')}（实施条例第三十八条）"
            effects.append(effect)
        if quota_side is not _Side.AT_OR_ABOVE and facts.in_centralized_catalog is not True:
            effects.append(
                f"项目不在集中采购目录内且预算低于{quota_text}的，不属于政府采购，由购买主体按“节约、效能、公开、公正”"
                "原则自行组织采购（温政办〔2014〕118号 五（二））"
            )
        lead = "未说明预算金额" if not told else "金额尚不能确定落在哪一档"
        notes.insert(
            0,
            f"{lead}：{_methods_text(candidates)}由您说明的法定情形决定，不取决于金额。金额只改变以下事项："
            + "；".join(f"（{number}）{effect}" for number, effect in enumerate(effects, 1))
            + "。请补充预算金额以确定。",
        )
        missing.append(_missing("amount_yuan"))
        if facts.in_centralized_catalog is None and quota_side is not _Side.AT_OR_ABOVE:
            missing.append(_missing("in_centralized_catalog"))
        if level_needed:
            missing.append(_missing("level"))
        if failed is not None:
            conditions.append(failed[0])
            approvals.append(failed[1])
        return finish(
            MethodOutcome.METHODS_AVAILABLE, [ProcurementMethod.公开招标, *candidates], organizer, amount_pending=True
        )

    def amount_needed(quota_side: _Side = _Side.UNKNOWN, tender_side: _Side = _Side.UNKNOWN) -> Decision:
        """Not enough is known of the amount: a stated circumstance still names the methods; otherwise ask."""
        candidates = _circumstance_methods(facts, grounds)
        if candidates:
            return by_circumstance(candidates, quota_side, tender_side)
        missing.append(_missing("amount_yuan"))
        if facts.in_centralized_catalog is None and quota_side is not _Side.AT_OR_ABOVE:
            missing.append(_missing("in_centralized_catalog"))
        if level_needed:
            missing.append(_missing("level"))
        conditions[:0] = grounds.stated()
        if thresholds is not None:
            if told:
                text = amount_info.text()
                conditions.insert(0, gpl_2_government_procurement(facts, side=quota_side, quota=thresholds.quota, amount_text=text))
                conditions.append(
                    gpl_27_below_open_tender_standard(side=tender_side, open_tender=thresholds.open_tender, amount_text=text)
                )
            notes.extend(_threshold_notes(thresholds))
        return finish(MethodOutcome.NEED_INFO)

    if not told:
        return amount_needed()
    if level_needed:
        missing.append(_missing("level"))
        conditions[:0] = grounds.stated()
        return finish(MethodOutcome.NEED_INFO)

    if thresholds is None:
        if not amount_info.known and _circumstance_methods(facts, grounds):
            return amount_needed()  # a side of a threshold was said, but no threshold is recorded to place it
        conditions[:0] = grounds.stated()
        level = facts.level.value if facts.level else "地方"
        coverage = "；".join(
            f"{jurisdiction}自{_day(start)}起{'' if verified else '（未核实）'}"
            for jurisdiction, (start, verified) in parameters.threshold_coverage(parameters_dir=parameters_dir).items()
        )
        notes.append(
            f"参数中没有{_day(on)}适用于{facts.jurisdiction}{level}预算单位{facts.object_type.value}的{QUOTA}和{OPEN_TENDER}"
            f"（已收录：{coverage or '无'}）。不作推测，请提供当年适用的标准。"
        )
        return finish(MethodOutcome.THRESHOLD_UNKNOWN)

    thresholds, told_values = with_told_values(thresholds, facts)
    quota, open_tender = thresholds.quota, thresholds.open_tender
    notes.extend([*told_values, *_threshold_notes(thresholds)])
    level = _BUDGET_LEVEL[facts.level] if facts.level else None

    # 4. An approximate amount across a threshold: the outcome on each side.
    if amount_info.known and not amount_info.exact:
        low, high = amount_info.low or 0.0, amount_info.high or 0.0
        crossed = sorted(value for value in {quota.value_yuan, open_tender.value_yuan} if low < value <= high)
        if crossed and not told_settles(facts, [t for t in (quota, open_tender) if t.value_yuan in crossed]):
            samples = [low, *crossed]
            branches = [
                decide(facts.model_copy(update={"amount_yuan": sample, "amount_upper_yuan": None}), on=on, context=context)
                for sample in samples
            ]
            if len({(branch.outcome, branch.methods, branch.organizer) for branch in branches}) == 1:
                first = branches[0]
                same = f"金额为约数（{amount_info.text()}）：区间内各档结论相同，以下理由按{_yuan(low)}表述。"
                return first.model_copy(update={"notes": (same, *first.notes)})
            names = "、".join(
                f"{'、'.join(t.name for t in (quota, open_tender) if t.value_yuan == value)}{_yuan(value)}" for value in crossed
            )
            text = amount_info.text()
            conditions[:0] = [
                gpl_2_government_procurement(facts, side=amount_info.side(quota.value_yuan), quota=quota, amount_text=text),
                *grounds.stated(),
            ]
            conditions.append(
                gpl_27_below_open_tender_standard(
                    side=amount_info.side(open_tender.value_yuan), open_tender=open_tender, amount_text=text
                )
            )
            notes.insert(0, f"金额为约数（{text}），跨越{names}，结论取决于准确金额。")
            missing.append(
                MissingFact(
                    fact="amount_yuan",
                    question=f"您说的{text}，跨越{names}：请提供准确的预算金额（元或万元）。",
                )
            )
            readings = [reading for index, branch in enumerate(branches) for reading in _readings_of(branch, f"预算{_span(index, samples)}")]
            for branch in branches:
                missing.extend(branch.missing)
            return _with_cases(finish(MethodOutcome.NEED_INFO), readings)

    quota_side, tender_side = _sides(facts, amount_info, quota=quota.value_yuan, open_tender=open_tender.value_yuan)
    if amount_info.known and (told := told_side_notes(facts, quota_side, tender_side, quota=quota, open_tender=open_tender)):
        # the user's word on the sides decides, not the amount against an unverified figure: decide on the sides alone
        on_sides = decide(facts.model_copy(update={"amount_yuan": None, "amount_upper_yuan": None}), on=on, context=context)
        return on_sides.model_copy(update={"notes": (*told, *on_sides.notes)})
    text = amount_info.text()

    # 5. Outside the catalog and below the quota: not statutory government procurement.
    splitting = reg_28_no_splitting(facts, amount=amount, tender_side=tender_side, open_tender=open_tender)
    split = splitting is not None and splitting.status is ConditionStatus.FAIL
    if split:
        total = max(amount or 0.0, facts.cumulative_same_item_amount_yuan or 0.0)
        scope = gpl_2_government_procurement(
            facts, side=_Amount(total, total).side(quota.value_yuan), quota=quota, amount_text=f"同一品目累计{_yuan(total)}"
        )
    else:
        scope = gpl_2_government_procurement(facts, side=quota_side, quota=quota, amount_text=text)
    if scope.status is not ConditionStatus.PASS and (splitting is None or splitting.status is ConditionStatus.PASS):
        if scope.status is ConditionStatus.UNKNOWN and quota_side is not _Side.BELOW:
            return amount_needed(quota_side, tender_side)  # only the open-tender side was said, and it is below
        conditions.insert(0, scope)
        if splitting is not None:
            conditions.append(splitting)
        if scope.status is ConditionStatus.UNKNOWN:
            missing.append(_missing("in_centralized_catalog"))
            return finish(MethodOutcome.NEED_INFO)
        conditions.insert(1, wzb_5_2_purchase_method(self_organized=True))
        cumulative = facts.cumulative_same_item_amount_yuan
        if cumulative is not None and cumulative >= quota.value_yuan:
            notes.append(
                f"同一品目累计{_yuan(cumulative)}已达到{quota.name}：限额标准按单项或批量计算，"
                "批量采购合计达到标准的应纳入政府采购，请核实是否属于同一批次。"
            )
        return finish(MethodOutcome.SELF_ORGANIZED, (ProcurementMethod.自行组织采购,), Organizer.购买主体自行组织)
    if tender_side is _Side.UNKNOWN and not split:
        return amount_needed(quota_side, tender_side)  # government procurement, but the open-tender side is not known

    # Government procurement from here on.
    conditions[:0] = [scope, wzb_5_2_purchase_method(self_organized=False)]
    organizer_check, organizer = gpl_18_organizer(facts)
    conditions.append(organizer_check)
    if organizer is None:
        missing.append(_missing("in_centralized_catalog"))
    tender_check = gpl_27_below_open_tender_standard(side=tender_side, open_tender=open_tender, amount_text=text)
    conditions.append(tender_check)
    if splitting is not None:
        conditions.append(splitting)
    if failed is not None:
        conditions.append(failed[0])

    must_tender = tender_check.status is ConditionStatus.FAIL or split
    # Above the open-tender standard the purchase-of-services ground of 磋商 is no ground for a change (实施条例第二十三条).
    conditions[2:2] = grounds.stated() if must_tender else list(grounds.conditions.values())
    if must_tender:
        candidates = grounds.for_change_approval()
        if split:
            notes.append("化整为零：请将同一预算项目下同一品目的需求合并，按累计金额依法公开招标。")
        if not candidates and not facts.approved_non_open_method:
            notes.append(
                "如确需改用公开招标以外的方式，须具备政府采购法第二十九条至第三十二条规定的情形，"
                "并在采购活动开始前报设区的市级以上人民政府财政部门批准。"
            )
            return finish(MethodOutcome.OPEN_TENDER_REQUIRED, (ProcurementMethod.公开招标,), organizer)
        if not candidates:
            candidates = [
                method
                for method in _NON_OPEN
                if method is not ProcurementMethod.询价 or facts.object_type is ObjectType.货物
            ]
            notes.append("已获批准但未说明具体情形：以批准文件载明的采购方式为准。")
        change, change_approvals = reg_23_change_approval(facts, candidates=candidates, level=level)
        conditions.append(change)
        publicity = reg_38_single_source_publicity(facts, on=on, parameters_dir=parameters_dir)
        if publicity is not None and ProcurementMethod.单一来源 in candidates:
            conditions.append(publicity[0])
            approvals.append(publicity[1])
        if facts.approved_non_open_method:
            return finish(MethodOutcome.METHODS_AVAILABLE, candidates, organizer)
        approvals[:0] = change_approvals
        if failed is not None:
            approvals.append(failed[1])
        return finish(MethodOutcome.APPROVAL_REQUIRED, [ProcurementMethod.公开招标, *candidates], organizer)

    # 7. Below the open-tender standard: 公开招标 plus every method with a ground.
    candidates = [method for method in grounds.methods if method in _NON_OPEN]
    if failed is not None:
        approvals.append(failed[1])
    if facts.approved_non_open_method:
        notes.append("预算低于公开招标数额标准，采用其他方式无需变更审批，但须具备相应的法定情形。")
    consultation = grounds.conditions.get(ProcurementMethod.竞争性磋商)
    if ProcurementMethod.竞争性磋商 in candidates and consultation is not None and CZK124_1 in consultation.clause_ids:
        minimum = parameters.constant(CONSULTATION_MIN_SUPPLIERS, on=on, parameters_dir=parameters_dir)
        if minimum is not None:
            notes.append(
                f"竞争性磋商的购买服务项目，采购过程中符合要求的供应商只有{minimum.value:g}{minimum.unit}时可继续（财库〔2015〕124号）。"
            )
    unknown = [method for method in _NON_OPEN if method not in grounds.conditions]
    if facts.object_type is not ObjectType.货物 and ProcurementMethod.询价 in unknown:
        unknown.remove(ProcurementMethod.询价)
    if unknown:
        notes.append("其他方式须具备相应情形：" + "；".join(_GROUND_HINTS[method] for method in unknown) + "。")
    return finish(MethodOutcome.METHODS_AVAILABLE, [ProcurementMethod.公开招标, *candidates], organizer)


# NOT CODED: ref-gpl#第三十六条 — the four 废标 grounds are not checked one by one; the user's "流标/废标" is taken
# as tender_failed.
# NOT CODED: minimum supplier counts (≥3 for 邀请招标, 竞争性谈判, 询价) come from articles not in the corpus
# (政府采购法第三十四、三十八、四十条); they appear only in the reasons' wording.
# NOT CODED: 财政部令第74号 第三条 and 第二十七条 (two bidders in an open tender → negotiation after approval) —
# only secondary or unverified sources.
# NOT CODED: instrument start dates (实施条例 2015-03-01, 214号, 124号 2015-06-30) are not checked separately:
# no threshold before 2020-01-01 is recorded, so every earlier date stops at threshold_unknown.
