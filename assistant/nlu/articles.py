"""Which article of a national text a question is about, read by a classifier trained on questions others wrote.

Retrieval ranks clauses by how much their words and meaning resemble the question. A question about today's rule
often resembles the 2014 local text more than the national article that governs it (我们团队还没在民政登记，能不能用
带头人个人名义跟街道签合同？ reads like the local clause on 社会组织, while 102号令第六条 — 具备条件的个人 — decides it).
People who ask such questions describe situations, not articles, so the link from situation to article is learned:
a multinomial logistic regression over the encoder's sentence vector and character n-grams (the intent classifier's
features, :class:`~assistant.nlu.intent.TextClassifier`), trained on ``corpus/nlu/articles.yaml`` — questions
written by independent reviewers, each labelled with the article its answer rests on, and questions answered by the
local text or by no document, labelled ``none``.

The composer puts the article the reader names first among a question part's passages when its probability is at
least :data:`MIN_PROBABILITY` (and the article is in force on the date asked about); everything after that — the
sentence quoted, the local text it changed, which rule prevails — is the composer's as for any retrieved clause.
Read at :data:`ANSWERS_PROBABILITY`, the article also answers a question whose words match no clause closely enough
(村委会能当承接主体吗 against 102号令第六条's 基层群众性自治组织); the reader never names an article for the questions
no document answers. It never decides an outcome and never states anything itself: it only chooses which indexed
clause is read first. Examples whose clause is not in the index (an agency corpus without the national texts) are left out of
training.

``policy-assistant eval --folds N`` reports its figures by leave-one-question-set-out cross-validation
(:func:`cross_validate`, as ``article_*`` among the learned readers): every question set in the file comes from another reviewer, so each fold measures
questions from a hand the model never saw.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from assistant.config import Settings
from assistant.datafile import load_yaml_model
from assistant.nlu.intent import TextClassifier, cached

NONE = "none"
MIN_PROBABILITY = 0.3
"""Least probability of an article for it to be read first. Chosen among 0.3 / 0.4 / 0.5 by leave-one-set-out runs of
the whole assistant on the five issue-7 question sets (2026-12-02; current rule stated 0.846 / 0.833 / 0.792, without
the reader 0.725), before the fifth blind set's first run; figures in docs/current-rules.md."""
ANSWERS_PROBABILITY = 0.4
"""Least probability of an article for the question to count as answered by it although its words match no clause
closely enough (the composer's relevance refusal): leave-one-set-out, of 311 out-of-scope questions none is read as an
article at 0.4 (one at 0.3), while 0.72 of the questions about an article are read right (2026-12-02)."""
Embed = Callable[[str], np.ndarray]


class ArticleExample(BaseModel):
    """One labelled question: the clause key its answer rests on (``ref-mof-102#第十条``), or ``none``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1)
    about: str = Field(min_length=1)
    source: str = Field(min_length=1)
    """Where the question comes from: ``dev:<set>:<id>`` (a set of evals/dev), ``spent:<set>:<id>`` (a spent blind
    set of evals/blind), ``<set>`` being the file's name without ``.jsonl``."""

    @property
    def group(self) -> str:
        """The question set it belongs to (one reviewer's hand): the unit of cross-validation."""
        return self.source.rsplit(":", 1)[0]

    @property
    def case_id(self) -> str:
        """The id of the question in its set."""
        return self.source.rsplit(":", 1)[-1]


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    examples: list[ArticleExample]


SHIPPED_FILE = Path(__file__).resolve().parent.parent.parent / "corpus" / "nlu" / "articles.yaml"


def training_file(settings: Settings) -> Path:
    """The article training file of the corpus, or the shipped one when an agency corpus has none."""
    own = settings.corpus_dir / "nlu" / "articles.yaml"
    return own if own.exists() else SHIPPED_FILE


def load_examples(path: Path) -> list[ArticleExample]:
    """The training file's examples.

    :raises ConfigError: if the file is missing or malformed (names the file and the problem).
    """
    return load_yaml_model(path, _File, what="条文训练文件 / article training file").examples


def usable(examples: Sequence[ArticleExample], indexed: Collection[str]) -> list[ArticleExample]:
    """The examples whose clause is indexed (and every ``none``)."""
    return [e for e in examples if e.about == NONE or e.about in indexed]


class ArticleReader(TextClassifier):
    """The national article a question is about (see the module docstring)."""

    @classmethod
    def train(cls, examples: Sequence[ArticleExample], vectors: np.ndarray) -> ArticleReader:
        return cls.fit([e.text for e in examples], [e.about for e in examples], vectors)

    def reading(self, text: str, vector: np.ndarray) -> tuple[str, float]:
        """The most probable label (a clause key, or :data:`NONE`) and its probability."""
        probabilities = self.probabilities(text, vector)
        best = int(np.argmax(probabilities))
        return self.labels[best], float(probabilities[best])

    def about(self, text: str, vector: np.ndarray, *, min_probability: float | None = None) -> str | None:
        """The clause key the question is about, when the most probable label is an article with at least
        ``min_probability`` (default :data:`MIN_PROBABILITY`)."""
        label, probability = self.reading(text, vector)
        return label if label != NONE and probability >= (MIN_PROBABILITY if min_probability is None else min_probability) else None


def load_or_train(path: Path, indexed: Collection[str], cache_dir: Path, embedder: str, embed: Embed) -> ArticleReader | None:
    """The reader for ``path`` trained on its examples whose clause is indexed (cached in ``cache_dir``), or
    ``None`` when fewer than two indexed articles are labelled (nothing to choose between)."""
    examples = usable(load_examples(path), indexed)
    if len({e.about for e in examples} - {NONE}) < 2:
        return None

    def train() -> ArticleReader:
        return ArticleReader.train(examples, np.vstack([embed(e.text) for e in examples]))

    key = path.read_text(encoding="utf-8") + "\x00" + "\n".join(sorted({e.about for e in examples}))
    return cached(cache_dir, "articles", key, embedder, train, ArticleReader)


def cross_validate(examples: Sequence[ArticleExample], vectors: np.ndarray) -> dict[str, float]:
    """Leave-one-question-set-out figures: for each set (:attr:`ArticleExample.group`), a reader trained on the
    others. ``accuracy`` over questions about an article; ``read_first`` — share of them whose article the reader
    names at :data:`MIN_PROBABILITY`; ``precision`` — of the articles it names, the share right; ``false_reads``
    — share of ``none`` questions for which it names an article."""
    groups = sorted({e.group for e in examples})
    predicted: list[str | None] = [None] * len(examples)
    named: list[str | None] = [None] * len(examples)
    for group in groups:
        train = [i for i, e in enumerate(examples) if e.group != group]
        test = [i for i, e in enumerate(examples) if e.group == group]
        if len({examples[i].about for i in train}) < 3:
            continue
        reader = ArticleReader.train([examples[i] for i in train], vectors[train])
        for i in test:
            probabilities = reader.probabilities(examples[i].text, vectors[i])
            predicted[i] = reader.labels[int(np.argmax(probabilities))]
            named[i] = reader.about(examples[i].text, vectors[i])
    about = [i for i, e in enumerate(examples) if e.about != NONE and predicted[i] is not None]
    others = [i for i, e in enumerate(examples) if e.about == NONE and predicted[i] is not None]
    read = [i for i in about if named[i] is not None]
    return {
        "accuracy": float(np.mean([predicted[i] == examples[i].about for i in about])) if about else float("nan"),
        "read_first": len(read) / len(about) if about else float("nan"),
        "precision": float(np.mean([named[i] == examples[i].about for i in read])) if read else float("nan"),
        "false_reads": float(np.mean([named[i] is not None for i in others])) if others else float("nan"),
        "sets": float(len(groups)),
        "examples": float(len(examples)),
    }
