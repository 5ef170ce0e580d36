"""What every rule tool shares: the call context, the tool registry entry, dated parameters.

Every tool is called the same way, ``decide(facts, *, on, context) -> Decision``: ``facts`` is
the tool's pydantic input model, ``on`` the date the law is applied at, and ``context`` a
:class:`RuleContext` holding the service catalog, the directory of dated parameters and the
:class:`DescriptionReader` that says what a service description names. Rules read no text
themselves: the reader is given to them (the understanding layer provides one, ``nlu/description.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel

from assistant.catalog import Catalog
from assistant.errors import ConfigError
from assistant.models import Decision, MissingFact
from assistant.parameters import Parameter, cached_parameter

DEFAULT_CATALOG_FILE = "default.yaml"
"""The catalog file :meth:`RuleContext.from_corpus` loads from ``corpus/catalog/``."""

MAX_QUESTIONS = 3
"""A decision asks at most this many questions at a time (``Decision.missing``); the rest follow
once these are answered. A dialogue rule, not a legal figure."""


def most_decisive(missing: Iterable[MissingFact], order: Sequence[str], *, limit: int = MAX_QUESTIONS) -> tuple[MissingFact, ...]:
    """The first ``limit`` missing facts, each asked once, ranked by ``order`` (fact names, the fact
    whose answer changes the outcome most first); facts not in ``order`` keep their order after them."""
    unique: dict[str, MissingFact] = {}
    for item in missing:
        unique.setdefault(item.fact, item)
    rank = {fact: index for index, fact in enumerate(order)}
    ranked = sorted(unique.values(), key=lambda item: rank.get(item.fact, len(rank)))  # stable: ties keep their order
    return tuple(ranked[:limit])


@dataclass(frozen=True)
class DescriptionReading:
    """What a service description says, as far as the rules ask (``eligibility.derive`` fills blank facts with it)."""

    goods_or_works: str | None = None
    """The words that name goods or works being bought (``家具`` in 采购一批办公家具), or ``None``; goods that are only the
    object of a service (设备日常维护) are not named here."""
    negative_list_item: str | None = None
    """The item of 财政部令第102号第十条 the description names (a ``NegativeListItem`` value), or ``None``."""
    negative_list_words: str = ""
    """The words that name that item (``公益岗``)."""
    names_a_service: bool = False
    """The description calls the thing a 服务 (not a 服务器) and has no construction words."""


class DescriptionReader(Protocol):
    """Reads a service description for the rules (implemented in ``nlu/description.py``)."""

    def read(self, description: str) -> DescriptionReading: ...


@dataclass(frozen=True)
class RuleContext:
    """Everything a rule may read besides the facts and the date.

    :param catalog: the service catalog used to match service descriptions.
    :param parameters_dir: ``corpus/parameters``; dated values are read from YAML files below it.
    :param reader: what a service description says (goods or works, a negative-list item, a service).
    """

    catalog: Catalog
    parameters_dir: Path
    reader: DescriptionReader

    @classmethod
    def from_corpus(cls, corpus_dir: Path, *, reader: DescriptionReader, catalog_file: str = DEFAULT_CATALOG_FILE) -> RuleContext:
        """Load the catalog ``corpus_dir/catalog/<catalog_file>``, point at ``corpus_dir/parameters`` and read
        service descriptions with ``reader`` (e.g. ``READER`` of ``nlu/description.py``)."""
        corpus_dir = Path(corpus_dir)
        parameters_dir = corpus_dir / "parameters"
        if not parameters_dir.is_dir():
            raise ConfigError(f"参数目录不存在 / parameters directory not found: {parameters_dir}")
        return cls(catalog=Catalog.load(corpus_dir / "catalog" / catalog_file), parameters_dir=parameters_dir, reader=reader)

    def read_description(self, description: str) -> DescriptionReading:
        """What ``description`` says (see :class:`DescriptionReading`), as the context's reader reads it."""
        return self.reader.read(description)

    def parameter(self, name: str) -> Parameter:
        """The dated parameter ``parameters_dir/<name>.yaml``, e.g. ``eligibility/mof_102_in_force``.

        :raises ParameterError: if the file is missing or malformed, naming the file.
        """
        return cached_parameter(self.parameters_dir / f"{name}.yaml")


Decide = Callable[..., Decision]
"""A tool's rule: ``decide(facts, *, on: date, context: RuleContext) -> Decision``."""


@dataclass(frozen=True)
class ToolSpec:
    """One entry of :data:`assistant.rules.TOOLS`.

    :param name: the tool name, equal to ``Decision.tool`` and to the test-case file stem.
    :param facts_model: the pydantic input model (``extra="forbid"``, every field optional).
    :param decide: the rule, called as ``decide(facts, on=..., context=...)``.
    :param outcomes: every outcome the tool can return.

    The facts are read from text outside the rules, by ``extract(tool, text)`` of ``nlu/facts.py``.
    """

    name: str
    facts_model: type[BaseModel]
    decide: Decide
    outcomes: tuple[str, ...] = ()
