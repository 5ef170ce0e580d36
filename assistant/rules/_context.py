"""What every rule tool shares: the call context, the tool registry entry, dated parameters.

Every tool is called the same way, ``decide(facts, *, on, context) -> Decision``: ``facts`` is
the tool's pydantic input model, ``on`` the date the law is applied at, and ``context`` a
:class:`RuleContext` holding the service catalog and the directory of dated parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.catalog import Catalog
from assistant.errors import ConfigError
from assistant.models import Decision

DEFAULT_CATALOG_FILE = "default.yaml"
"""The catalog file :meth:`RuleContext.from_corpus` loads from ``corpus/catalog/``."""


class ParameterReference(BaseModel):
    """Where a parameter value comes from: a document title, a URL and/or a clause key."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = ""
    href: str = ""
    clause: str = ""


class DatedValue(BaseModel):
    """One value of a parameter, in force from its date until the next one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: bool | int | float | str | date
    reference: str = ""


class DatedParameter(BaseModel):
    """A value that changes over time, read from ``corpus/parameters/<domain>/<name>.yaml``.

    Shaped after OpenFisca parameters: values keyed by effective date, each with a reference,
    plus the date someone last checked them against the source and whether that check
    confirmed them (``verified``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    unit: str
    reference: tuple[ParameterReference, ...] = Field(min_length=1)
    verified: bool
    verification_note: str = ""
    last_verified_on: date
    values: dict[date, DatedValue] = Field(min_length=1)

    def period_on(self, on: date) -> tuple[date, DatedValue] | None:
        """The (start date, value) in force on ``on``; ``None`` before the first date."""
        current = None
        for start in sorted(self.values):
            if start <= on:
                current = (start, self.values[start])
        return current

    def value_on(self, on: date) -> bool | int | float | str | date | None:
        """The value in force on ``on``; ``None`` before the first date."""
        period = self.period_on(on)
        return period[1].value if period else None

    def first_date(self) -> date:
        """The earliest date the parameter has a value for."""
        return min(self.values)

    def next_change(self, on: date) -> date | None:
        """The first date after ``on`` when the value changes, if any."""
        later = sorted(start for start in self.values if start > on)
        return later[0] if later else None

    def first_date_with(self, value: object) -> date | None:
        """The first date whose value equals ``value`` (e.g. the date a rule comes into force)."""
        return next((start for start in sorted(self.values) if self.values[start].value == value), None)


@lru_cache(maxsize=64)
def _load_parameter(path: Path, mtime_ns: int) -> DatedParameter:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: 参数文件无法读取 (cannot read parameter file): {exc}") from None
    try:
        return DatedParameter.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{path}: 参数文件字段不合法 (invalid parameter file): {problems}") from None


@dataclass(frozen=True)
class RuleContext:
    """Everything a rule may read besides the facts and the date.

    :param catalog: the service catalog used to match service descriptions.
    :param parameters_dir: ``corpus/parameters``; dated values are read from YAML files below it.
    """

    catalog: Catalog
    parameters_dir: Path
    _cache: dict[str, DatedParameter] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_corpus(cls, corpus_dir: Path, *, catalog_file: str = DEFAULT_CATALOG_FILE) -> RuleContext:
        """Load the catalog ``corpus_dir/catalog/<catalog_file>`` and point at ``corpus_dir/parameters``."""
        corpus_dir = Path(corpus_dir)
        parameters_dir = corpus_dir / "parameters"
        if not parameters_dir.is_dir():
            raise ConfigError(f"参数目录不存在 / parameters directory not found: {parameters_dir}")
        return cls(catalog=Catalog.load(corpus_dir / "catalog" / catalog_file), parameters_dir=parameters_dir)

    def parameter(self, name: str) -> DatedParameter:
        """The dated parameter ``parameters_dir/<name>.yaml``, e.g. ``eligibility/mof_102_in_force``.

        :raises ConfigError: if the file is missing or malformed, naming the file.
        """
        if name not in self._cache:
            path = (self.parameters_dir / f"{name}.yaml").resolve()
            if not path.is_file():
                raise ConfigError(f"{path}: 参数文件不存在 (parameter file not found)")
            self._cache[name] = _load_parameter(path, path.stat().st_mtime_ns)
        return self._cache[name]


Decide = Callable[..., Decision]
"""A tool's rule: ``decide(facts, *, on: date, context: RuleContext) -> Decision``."""


@dataclass(frozen=True)
class ToolSpec:
    """One entry of :data:`assistant.rules.TOOLS`.

    :param name: the tool name, equal to ``Decision.tool`` and to the test-case file stem.
    :param facts_model: the pydantic input model (``extra="forbid"``, every field optional).
    :param decide: the rule, called as ``decide(facts, on=..., context=...)``.
    :param extract: optional deterministic text-to-facts extractor ``extract(text) -> facts``.
    :param outcomes: every outcome the tool can return.
    :param render: optional ``render(decision) -> str`` giving the decision as Chinese Markdown.
    """

    name: str
    facts_model: type[BaseModel]
    decide: Decide
    extract: Callable[[str], BaseModel] | None = None
    outcomes: tuple[str, ...] = ()
    render: Callable[[Decision], str] | None = None
