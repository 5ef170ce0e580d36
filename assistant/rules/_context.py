"""What every rule tool shares: the call context, the tool registry entry, dated parameters.

Every tool is called the same way, ``decide(facts, *, on, context) -> Decision``: ``facts`` is
the tool's pydantic input model, ``on`` the date the law is applied at, and ``context`` a
:class:`RuleContext` holding the service catalog and the directory of dated parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

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
class RuleContext:
    """Everything a rule may read besides the facts and the date.

    :param catalog: the service catalog used to match service descriptions.
    :param parameters_dir: ``corpus/parameters``; dated values are read from YAML files below it.
    """

    catalog: Catalog
    parameters_dir: Path

    @classmethod
    def from_corpus(cls, corpus_dir: Path, *, catalog_file: str = DEFAULT_CATALOG_FILE) -> RuleContext:
        """Load the catalog ``corpus_dir/catalog/<catalog_file>`` and point at ``corpus_dir/parameters``."""
        corpus_dir = Path(corpus_dir)
        parameters_dir = corpus_dir / "parameters"
        if not parameters_dir.is_dir():
            raise ConfigError(f"参数目录不存在 / parameters directory not found: {parameters_dir}")
        return cls(catalog=Catalog.load(corpus_dir / "catalog" / catalog_file), parameters_dir=parameters_dir)

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
