"""Which clause governs a matter today: relations between a local clause and the national clause that
narrows, contradicts, extends or restates it (``corpus/relations.yaml``, validated here).

The composer uses them in two places: a cited local clause brings its governing clause beside it in the
citations, and an answer quoting a local clause says, with the governing clause's own sentence, which
rule applies today (:meth:`Relations.governing`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from enum import Enum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from assistant.datafile import load_yaml_model
from assistant.errors import ConfigError

RELATIONS_FILE = "relations.yaml"


class RelationKind(str, Enum):
    NARROWED = "narrowed"
    CONTRADICTED = "contradicted"
    EXTENDED = "extended"
    RESTATED = "restated"


class Relation(BaseModel):
    """One local clause and the clause that governs the same matter today."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    local: str = Field(pattern=r"^[^#\s]+#\S+$", description="Clause key of the local text, e.g. wzb-2014-118#三（一）.")
    governing: str = Field(pattern=r"^[^#\s]+#\S+$", description="Clause key of the governing national clause.")
    kind: RelationKind
    note: str = Field(min_length=4, description="How the two differ, in one Chinese sentence.")

    @property
    def changes_the_rule(self) -> bool:
        """Whether following the local clause alone would give a different answer today."""
        return self.kind is not RelationKind.RESTATED


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    relations: list[Relation]


class Relations:
    """The relations of a corpus, looked up by local clause key."""

    def __init__(self, relations: Iterable[Relation] = ()) -> None:
        self._by_local: dict[str, list[Relation]] = defaultdict(list)
        self._by_governing: dict[str, list[Relation]] = defaultdict(list)
        for relation in relations:
            self._by_local[relation.local].append(relation)
            self._by_governing[relation.governing].append(relation)

    @classmethod
    def load(cls, corpus_dir: Path, clause_keys: Iterable[str] | None = None) -> Relations:
        """``corpus_dir/relations.yaml`` (none: no relations).

        :raises ConfigError: if the file is malformed or (given ``clause_keys``) names a clause the
            index does not hold.
        """
        path = corpus_dir / RELATIONS_FILE
        if not path.exists():
            return cls()
        relations = load_yaml_model(path, _File, what="条款关系文件 / relations file").relations
        if clause_keys is not None:
            known = set(clause_keys)
            unknown = sorted({key for r in relations for key in (r.local, r.governing) if key not in known})
            if unknown:
                raise ConfigError(f"{path}: 条款不存在 / unknown clause keys: {', '.join(unknown)}")
        return cls(relations)

    def governing(self, local: str) -> list[Relation]:
        """The relations of a local clause, in file order (the most decisive first)."""
        return list(self._by_local.get(local, ()))

    def all(self) -> list[Relation]:
        """Every relation, in file order."""
        return [r for relations in self._by_local.values() for r in relations]

    def governed_by(self, governing: str) -> list[Relation]:
        """The relations in which a national clause governs a local one, in file order."""
        return list(self._by_governing.get(governing, ()))

    def __bool__(self) -> bool:
        return bool(self._by_local)
