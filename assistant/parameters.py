"""Dated, sourced parameters of the rule tools (OpenFisca style): thresholds and rule constants.

Values that change over time are data, not code. Each parameter is one YAML file under
``corpus/parameters/<domain>/<name>.yaml``::

    name: 分散采购限额标准
    description: ...
    unit: 元
    metadata:
      jurisdiction: 中央                 # 中央 / 浙江省 / 全国 ...
      budget_level: [中央]               # 中央 / 省级 / 设区的市级 / 县级 (omit: every level)
      object_type: [货物, 服务]          # 货物 / 服务 / 工程 (omit: every object type)
      confirm_with: 当年度《…》          # what the user should check an unverified figure against
    values:
      2020-01-01:
        value: 1000000
        verified: true
        last_verified_on: 2026-11-29
        reference:
          - {title: 国办发〔2019〕55号, href: http://..., clause: 二、分散采购限额标准}
        note: ...

A value applies from its date until the next dated value. Before the first date the
parameter is unknown and the lookups return ``None``: figures are never invented.

Public functions: :func:`threshold` (a procurement threshold in 元) and :func:`constant`
(a rule constant such as the 10% add-on ratio or the 5-working-day publicity period).
Malformed files raise :class:`ParameterError` naming the file and the key.
"""

from __future__ import annotations

import datetime as _dt
import time
from enum import Enum
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.errors import ParameterError
from assistant.datafile import safe_load

DEFAULT_PARAMETERS_DIR = Path(__file__).resolve().parent.parent / "corpus" / "parameters"
"""The shipped parameters; :class:`assistant.config.Settings` points at the same place by default."""

THRESHOLD_UNIT = "元"
THRESHOLDS_DOMAIN = "thresholds"
"""Sub-directory of the parameters directory that holds the procurement thresholds."""


class BudgetLevel(str, Enum):
    """Budget level (预算级次) a threshold is set for ([REG] Art. 5 allows a different figure per level)."""

    中央 = "中央"
    省级 = "省级"
    设区的市级 = "设区的市级"
    县级 = "县级"


class ObjectType(str, Enum):
    """Object of procurement ([GPL] Art. 2): goods, services or works."""

    货物 = "货物"
    服务 = "服务"
    工程 = "工程"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reference(_Frozen):
    """Where a value comes from: the instrument, its address and the clause."""

    title: str = Field(min_length=1, description="Instrument title with its 文号.")
    href: str = Field(default="", description="URL of the source seen; '' when none is known.")
    clause: str = Field(default="", description="Clause or section of the instrument, e.g. '第三十一条（三）'.")


class ParameterValue(_Frozen):
    """One dated value of a parameter: a figure, or a switch such as "this instrument is in force"."""

    value: bool | float
    verified: bool = Field(description="True only when the figure was seen in the cited source.")
    last_verified_on: _dt.date = Field(description="When someone last checked the value against its source.")
    reference: tuple[Reference, ...] = Field(min_length=1)
    note: str = ""


class ParameterMetadata(_Frozen):
    """Which budgets a parameter applies to."""

    jurisdiction: str = Field(min_length=1)
    budget_level: tuple[BudgetLevel, ...] = tuple(BudgetLevel)
    object_type: tuple[ObjectType, ...] = tuple(ObjectType)
    confirm_with: str = Field(default="", description="Document the user should check an unverified figure against.")

    @field_validator("budget_level", "object_type", mode="before")
    @classmethod
    def _scalar_to_tuple(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value


class Parameter(_Frozen):
    """A parameter file: a named, described value that changes over time."""

    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    metadata: ParameterMetadata
    values: dict[_dt.date, ParameterValue] = Field(min_length=1)

    def at(self, on: _dt.date) -> tuple[_dt.date, ParameterValue] | None:
        """The value in force on ``on`` with its effective date, or ``None`` before the first date."""
        dates = [start for start in sorted(self.values) if start <= on]
        return (dates[-1], self.values[dates[-1]]) if dates else None

    def value_on(self, on: _dt.date) -> bool | float | None:
        """The bare value in force on ``on``; ``None`` before the first date."""
        found = self.at(on)
        return found[1].value if found else None

    def first_date(self) -> _dt.date:
        """The earliest date the parameter has a value for."""
        return min(self.values)

    def first_date_with(self, value: bool | float) -> _dt.date | None:
        """The first effective date whose value equals ``value`` (e.g. when a switch turns on)."""
        return next((start for start in sorted(self.values) if self.values[start].value == value), None)

    @property
    def verified(self) -> bool:
        """True only when every dated value was seen in its source."""
        return all(value.verified for value in self.values.values())


class ThresholdValue(_Frozen):
    """A procurement threshold in force on a date, with its provenance."""

    name: str
    value_yuan: float
    effective_from: _dt.date
    verified: bool
    references: tuple[Reference, ...]
    note: str = ""
    last_verified_on: _dt.date
    jurisdiction: str
    budget_level: BudgetLevel
    object_type: ObjectType
    confirm_with: str = ""
    source_file: str = Field(description="Path of the parameter file, relative to the parameters directory.")


class ConstantValue(_Frozen):
    """A rule constant (ratio, day count, supplier count, switch) in force on a date, with its provenance."""

    key: str
    value: bool | float
    unit: str
    effective_from: _dt.date
    verified: bool
    references: tuple[Reference, ...]
    note: str = ""


def load_parameter(path: Path) -> Parameter:
    """Read and validate one parameter file.

    :raises ParameterError: naming the file and the offending key.
    """
    try:
        raw = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{path}: 无法读取参数文件 (cannot read parameter file): {exc}") from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: 不是合法的 YAML (invalid YAML): {exc}") from None
    if not isinstance(raw, dict):
        raise ParameterError(f"{path}: 参数文件必须是键值对 (a parameter file must be a mapping)")
    if isinstance(raw.get("values"), dict):
        # ISO date keys, so that an error names the key as written in the file (values.2023-01-01.value).
        raw["values"] = {key.isoformat() if isinstance(key, _dt.date) else key: value for key, value in raw["values"].items()}
    try:
        return Parameter.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors())
        raise ParameterError(f"{path}: 参数字段不合法 (invalid keys): {problems}") from None


def load_parameters(directory: Path) -> dict[str, Parameter]:
    """Every parameter file directly under ``directory``, keyed by file stem.

    Files are re-read when they change (the cache key includes each file's mtime and size).

    :raises ParameterError: if the directory is missing or a file is malformed.
    """
    now = time.monotonic()
    seen = _DIRECTORY_CACHE.get(directory)
    if seen is not None and now - seen[0] < RECHECK_SECONDS:
        return seen[1]
    if not directory.is_dir():
        raise ParameterError(f"{directory}: 参数目录不存在 (parameters directory not found)")
    loaded = {path.stem: _load_cached(path, *_signature(path)) for path in sorted(directory.glob("*.yaml"))}
    _DIRECTORY_CACHE[directory] = (now, loaded)
    return loaded


RECHECK_SECONDS = 1.0
"""A parameters directory is listed and its files' signatures checked at most this often (a decision that
weighs several readings asks for the thresholds dozens of times; an edited file is seen within a second)."""
_DIRECTORY_CACHE: dict[Path, tuple[float, dict[str, Parameter]]] = {}


def _signature(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=128)
def _load_cached(path: Path, mtime_ns: int, size: int) -> Parameter:
    return load_parameter(path)


def cached_parameter(path: Path) -> Parameter:
    """:func:`load_parameter`, cached until the file changes.

    :raises ParameterError: if the file is missing or malformed.
    """
    if not path.is_file():
        raise ParameterError(f"{path}: 参数文件不存在 (parameter file not found)")
    return _load_cached(path, *_signature(path))


def threshold(
    name: str,
    *,
    on: _dt.date,
    jurisdiction: str,
    level: BudgetLevel,
    object_type: ObjectType,
    parameters_dir: Path = DEFAULT_PARAMETERS_DIR,
) -> ThresholdValue | None:
    """The threshold ``name`` (e.g. ``公开招标数额标准``) in force on ``on``, or ``None`` when unknown.

    Central budget units (``level`` 中央) use the 中央 figures whatever ``jurisdiction`` says.

    :raises ParameterError: if a file is malformed or two files give the same threshold for the same budget.
    """
    wanted = "中央" if level is BudgetLevel.中央 else jurisdiction
    directory = parameters_dir / THRESHOLDS_DOMAIN
    matches = [
        (f"{THRESHOLDS_DOMAIN}/{key}", parameter)
        for key, parameter in load_parameters(directory).items()
        if parameter.name == name
        and parameter.metadata.jurisdiction == wanted
        and level in parameter.metadata.budget_level
        and object_type in parameter.metadata.object_type
    ]
    if len(matches) > 1:
        files = ", ".join(key for key, _ in matches)
        raise ParameterError(f"{directory}: 多个参数文件给出同一门槛 (duplicate threshold) {name}: {files}")
    if not matches:
        return None
    key, parameter = matches[0]
    if parameter.unit != THRESHOLD_UNIT:
        raise ParameterError(f"{parameters_dir / key}.yaml: unit 应为 {THRESHOLD_UNIT}，实际为 {parameter.unit!r}")
    found = parameter.at(on)
    if found is None:
        return None
    start, value = found
    return ThresholdValue(
        name=parameter.name,
        value_yuan=value.value,
        effective_from=start,
        verified=value.verified,
        references=value.reference,
        note=value.note,
        last_verified_on=value.last_verified_on,
        jurisdiction=parameter.metadata.jurisdiction,
        budget_level=level,
        object_type=object_type,
        confirm_with=parameter.metadata.confirm_with,
        source_file=f"{key}.yaml",
    )


def constant(key: str, *, on: _dt.date, parameters_dir: Path = DEFAULT_PARAMETERS_DIR) -> ConstantValue | None:
    """The rule constant stored in ``<parameters_dir>/<key>.yaml`` in force on ``on``, or ``None`` before its first date.

    :raises ParameterError: if the file is missing or malformed.
    """
    parameter = cached_parameter(parameters_dir / f"{key}.yaml")
    found = parameter.at(on)
    if found is None:
        return None
    start, value = found
    return ConstantValue(
        key=key,
        value=value.value,
        unit=parameter.unit,
        effective_from=start,
        verified=value.verified,
        references=value.reference,
        note=value.note,
    )


def threshold_coverage(*, parameters_dir: Path = DEFAULT_PARAMETERS_DIR) -> dict[str, tuple[_dt.date, bool]]:
    """For each jurisdiction with thresholds: the first date a figure is recorded and whether all its figures are verified."""
    coverage: dict[str, tuple[_dt.date, bool]] = {}
    for parameter in load_parameters(parameters_dir / THRESHOLDS_DOMAIN).values():
        first = min(parameter.values)
        verified = all(value.verified for value in parameter.values.values())
        jurisdiction = parameter.metadata.jurisdiction
        if jurisdiction in coverage:
            start, all_verified = coverage[jurisdiction]
            first, verified = min(start, first), all_verified and verified
        coverage[jurisdiction] = (first, verified)
    return coverage
