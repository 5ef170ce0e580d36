"""Statutory circumstances of a procurement (只有一家能做, 流标了, 需求说不清 …) read by meaning, not by phrase.

A multinomial logistic regression over the encoder's sentence vectors, trained on the descriptions in
``corpus/nlu/circumstances.yaml`` (positives per circumstance; its near misses and the non-method
questions of the intent training file as "none"). Each sub-sentence of a turn is classified; a
circumstance is stated when one sub-sentence gives it at least :data:`MIN_PROBABILITY` and that
sub-sentence is neither negated nor a question. The phrase tables (``corpus/nlu/facts``) read first
and win: this reader only adds circumstances they did not read.

The same reader, trained on ``corpus/nlu/eligibility_situations.yaml``, reads what a purchase is about
(设公益性岗位, 派人来坐班, 以购买服务名义贷款, 作出行政处罚 …): there a label is ``fact=value``
(:func:`label_fact`), and a question states its subject (能不能设公益性岗位？ is about a 公益性岗位), so
questions are read too (``read(..., questions=True)``).

``python -m assistant.nlu.circumstances`` prints the cross-validated (out-of-fold) figures of both files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from assistant.datafile import load_yaml_model
from assistant.nlu.intent import IntentExample, cached
from assistant.nlu.phrases import break_list_items

NONE = "none"
MIN_PROBABILITY = 0.6
"""Least probability of a circumstance in one sub-sentence for it to count as stated."""
MIN_PROBABILITIES = {"circumstances": 0.7, "eligibility_situations": 0.8, "eligibility_claims": 0.7, "qualification_claims": 0.7}
"""Per training file: its labels decide outcomes (不得购买, 不符合承接条件, a method) on one sub-sentence, so those ask for more.
The circumstances bar (0.7) kept the out-of-fold false-positive rate of the file enlarged on 2026-12-01 (0.045) near
the old file's at 0.6 (0.039), with recall 0.834 against 0.845; with its tenth label (several_suppliers_available)
the file reads 0.775 recall / 0.050 false positives at 0.7 (``policy-assistant eval --folds 5``)."""
_SPLIT = re.compile(r"[，。；！？,;!?\n]|但是|不过|但")
_NEGATED = re.compile(r"不是|并非|并不|不存在|不属于|谈不上|算不上|不算")
"""A denial of the whole statement (不是只有一家能做). 没有/未 are not listed: they describe circumstances
(没有人投标, 需求说不清) as often as they deny one; the near misses teach the classifier those."""
_NEGATED_SITUATION = re.compile(r"不|没|未|无|非|别|免|禁止")
"""For readers whose every label is a situation stated affirmatively (eligibility_situations: 公益性岗位, 融资, 派人坐班,
工程, 直接履职…), any negation cue takes the sub-sentence out of scope: 我们不招人 / 不是买设备 / 没有融资 deny the
situation. (The circumstances of a method are often told with 没有/未 — 没有人投标 — so they keep :data:`_NEGATED`.)"""
_UNSURE = r"不(?:太|大|很|是很)?(?:清楚|知道|确定|了解)|说不准|不好说|待确认|待核实|记不清|没数"
UNSURE = re.compile(_UNSURE)
_NEGATED_CLAIM = re.compile(f"{_NEGATED.pattern}|{_UNSURE}")
"""For the claim readers: a denial, or a sub-sentence that says the user does not know (财务制度健不健全不清楚 claims
neither way). The circumstances keep :data:`_NEGATED`: 需求说不清 states a circumstance."""
NEGATION_SCOPES = {"eligibility_situations": _NEGATED_SITUATION, "eligibility_claims": _NEGATED_CLAIM, "qualification_claims": _NEGATED_CLAIM}
"""Per training file, the negation cues that take a sub-sentence out of its reader's scope (default :data:`_NEGATED`)."""
_QUESTION = re.compile(r"吗|么|是否|有没有|是不是|算不算|能不能|可不可以|[？?]|([\u4e00-\u9fff])[不没]\1")
"""A question: its particles, and any A-not-A form (健不健全, 交没交, 合不合规)."""
_POSITIVE_IDIOM = re.compile(r"没(?:有)?(?:什么|任何)?(?:问题|毛病)|不成问题|挑不出(?:什么|任何)?毛病|不用担心|不用操心|没得说|杠杠的|都(?:OK|ok)")
"""A positive claim told by denying a fault (专业能力没问题, 财务制度挑不出毛病): the sentence encoder reads the fault word,
not its denial (专业能力没问题 → has_facilities_staff_expertise=false at 0.96), so the idiom is read as 良好 before encoding
(信用良好 → good_reputation=true at 0.99). A question (有没有问题？) is out of the readers' scope before this."""
def encoded(text: str) -> str:
    """The text a sub-sentence is encoded as (a denied fault read as 良好: :data:`_POSITIVE_IDIOM`)."""
    return _POSITIVE_IDIOM.sub("良好", text)


def turn_taken_together(parts: Sequence[str], negated: re.Pattern[str] | None = None) -> str:
    """The told sub-sentences of a turn joined (not negated, not asked), or '' with fewer than two."""
    told = [p for p in parts if not (negated or _NEGATED).search(p) and not _QUESTION.search(p) and not _ASKS_WHAT_TO_DO.search(p)]
    return "，".join(told) if len(told) > 1 else ""


def texts_read(text: str) -> list[str]:
    """Every text a reader may encode for ``text`` (its sub-sentences as encoded, and the turn taken together), so
    that a caller embeds them in one batch."""
    parts = sub_sentences(text)
    whole = turn_taken_together(parts)
    return list(dict.fromkeys([*(encoded(p) for p in parts), *([encoded(whole)] if whole else [])]))


JOINED_MIN_PROBABILITY = 0.8
"""Least probability of a label read on a turn taken together (a longer text holds more that is not the circumstance)."""
_ASKS_WHAT_TO_DO = re.compile(r"咋办|怎么办|怎么处理|如何处理|怎么弄|咋弄|什么方式|哪种方式|啥方式|怎么采购|如何采购")
"""A question without its particle (接下来咋办, 用什么方式合适): left out of the turn taken together."""
Embed = Callable[[str], np.ndarray]


class _Circumstance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    describes: list[str]
    near_misses: list[str] = []
    min_probability: float | None = Field(default=None, gt=0, le=1)
    """A higher bar for this label than the file's (an adverse claim that refuses on one sub-sentence)."""
    joined: bool = False
    """Also read on the told (not negated, not asked) sub-sentences of a turn taken together, those the tables read
    included: a circumstance people tell in parts
    (规格统一的打印纸，市场上货很多，价格也一直很稳 — 询价's three conditions, one per sub-sentence)."""


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    circumstances: dict[str, _Circumstance]
    background: list[str] = []
    """Sentences that state none of the labels but come with them (who asks, where the money comes from)."""


def load_file(path: Path) -> _File:
    """A situations file, validated.

    :raises ConfigError: if it is missing or malformed (names the file).
    """
    return load_yaml_model(path, _File, what="情形训练文件 / circumstances file")


def load(path: Path) -> dict[str, _Circumstance]:
    """The labelled situations of a file (see :func:`load_file`)."""
    return load_file(path).circumstances


def labelled(path: Path, others: Sequence[str]) -> tuple[list[str], list[str]]:
    """The training texts and labels of a file, with ``others`` and its background as :data:`NONE`."""
    data = load_file(path)
    return training_set(data.circumstances, [*data.background, *others])


def training_set(circumstances: dict[str, _Circumstance], others: Sequence[str]) -> tuple[list[str], list[str]]:
    """Texts and labels: each circumstance's descriptions; near misses and ``others`` as :data:`NONE`."""
    texts, labels = [], []
    for key, item in circumstances.items():
        texts += item.describes
        labels += [key] * len(item.describes)
        texts += item.near_misses
        labels += [NONE] * len(item.near_misses)
    texts += list(others)
    labels += [NONE] * len(others)
    return texts, labels


class CircumstanceReader:
    """Reads the circumstances a text states (see the module docstring)."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, labels: Sequence[str]) -> None:
        self.coef = coef
        self.intercept = intercept
        self.labels = tuple(labels)
        self.label_thresholds: dict[str, float] = {}
        """Per label, a bar above the reading's ``min_probability`` (from the training file)."""
        self.joined_labels: frozenset[str] = frozenset()
        """Labels also read on a turn's plain sub-sentences taken together (``joined`` in the training file)."""

    @classmethod
    def train(cls, vectors: np.ndarray, labels: Sequence[str]) -> CircumstanceReader:
        """Fit with scikit-learn; keep only the coefficients (reading never imports scikit-learn)."""
        from sklearn.linear_model import LogisticRegression

        if len(set(labels)) < 3:
            raise ValueError("circumstance training needs at least two circumstances besides 'none'")
        model = LogisticRegression(C=10.0, max_iter=3000, class_weight="balanced")
        model.fit(_unit(vectors), list(labels))
        return cls(model.coef_.copy(), model.intercept_.copy(), [str(label) for label in model.classes_])

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """Per row, each label's probability (the multinomial softmax scikit-learn computes)."""
        logits = _unit(vectors) @ self.coef.T + self.intercept
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        return exp / exp.sum(axis=1, keepdims=True)

    def read(
        self,
        text: str,
        embed: Embed,
        embed_many: Callable[[list[str]], np.ndarray] | None = None,
        claimed: Sequence[str] = (),
        *,
        questions: bool = False,
        min_probability: float = MIN_PROBABILITY,
        negated: re.Pattern[str] | None = None,
        covering: Sequence[str] = (),
    ) -> dict[str, bool]:
        """``{circumstance: True}`` for each circumstance a plain (not negated, not asked) sub-sentence states; of two
        readings of one fact (``fact=false`` in one sub-sentence, ``fact=true`` in another) the more probable stands
        (财务制度不太健全，账是兼职会计随手记的 denies the systems: the first part says so more surely).

        ``claimed``: phrases the fact tables already read (没到公开招标线 is a threshold, not a failed tender);
        a sub-sentence holding one is theirs and is not classified. ``covering``: phrases that make a sub-sentence
        theirs only when they cover at least half of it (:data:`COVERED_SHARE`): who asks and what is bought
        (我们是民政注册的社会组织 is the supplier's type, while 镇里想用购买服务的方式修一条村道 still states works). ``questions``: read asked sub-sentences
        too (when the label is what a question is about, not a claim it makes).
        """
        parts = sub_sentences(text)
        plain = [
            p
            for p in parts
            if not (negated or _NEGATED).search(p)
            and (questions or not _QUESTION.search(p))
            and not any(c and c in p for c in claimed)
            and not _covered(p, covering)
        ]
        if not plain:
            return {}
        joined = getattr(self, "joined_labels", frozenset())
        together = [whole] if joined and (whole := turn_taken_together(parts, negated)) else []
        texts = [encoded(t) for t in (*plain, *together)]
        vectors = embed_many(texts) if embed_many is not None else np.vstack([embed(p) for p in texts])
        probabilities = self.probabilities(vectors)
        best_of: dict[str, tuple[float, str]] = {}
        for index, row in enumerate(probabilities):
            best = int(np.argmax(row))
            label = self.labels[best]
            whole = index >= len(plain)
            if whole and label not in joined:
                continue  # the whole turn only adds the circumstances told in parts
            bar = max(min_probability, getattr(self, "label_thresholds", {}).get(label, 0.0), JOINED_MIN_PROBABILITY if whole else 0.0)
            if label != NONE and row[best] >= bar:
                subject = label.split("=", 1)[0]
                if subject not in best_of or row[best] > best_of[subject][0]:
                    best_of[subject] = (float(row[best]), label)
        return {label: True for _, label in best_of.values()}


    def unsure_topics(
        self, text: str, embed: Embed, embed_many: Callable[[list[str]], np.ndarray] | None = None, *, min_probability: float = MIN_PROBABILITY
    ) -> list[str]:
        """The labels of the sub-sentences that say the user does not know (不太确定这项在不在目录里 → in_catalog=false):
        what they are unsure *about* is the label the classifier would give them, read out of the claim's scope."""
        parts = [p for p in sub_sentences(text) if UNSURE.search(p)]
        if not parts:
            return []
        vectors = embed_many(parts) if embed_many is not None else np.vstack([embed(p) for p in parts])
        topics = []
        for row in self.probabilities(vectors):
            best = int(np.argmax(row))
            if self.labels[best] != NONE and row[best] >= min_probability:
                topics.append(self.labels[best])
        return topics


COVERED_SHARE = 0.5
"""Least share of a sub-sentence that ``covering`` phrases must cover for it to be theirs."""


def _covered(part: str, phrases: Sequence[str]) -> bool:
    covered = [False] * len(part)
    for phrase in phrases:
        start = part.find(phrase) if phrase else -1
        while start >= 0:
            covered[start : start + len(phrase)] = [True] * len(phrase)
            start = part.find(phrase, start + 1)
    return bool(part) and sum(covered) >= COVERED_SHARE * len(part)


def sub_sentences(text: str) -> list[str]:
    """The sub-sentences a reader classifies (split at punctuation, 但是/不过 and the items of a numbered list; at
    least 4 characters)."""
    return [p.strip() for p in _SPLIT.split(break_list_items(text)) if len(p.strip()) >= 4]


def label_fact(label: str) -> tuple[str, object]:
    """A label as the fact it states: ``negative_list_item=融资`` → ``("negative_list_item", "融资")``,
    ``government_should_provide_directly=true`` → ``(…, True)``; a bare label (a circumstance) is ``True``."""
    name, sep, value = label.partition("=")
    if not sep:
        return name, True
    return name, {"true": True, "false": False}.get(value, value)


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


OTHER_INTENTS = {
    "circumstances": ("lookup", "eligibility", "qualification", "out_of_scope", "greeting"),
    "eligibility_situations": ("lookup", "method", "qualification", "out_of_scope", "greeting"),
    "eligibility_claims": ("lookup", "clause_reference", "out_of_scope", "greeting"),
    "qualification_claims": ("lookup", "clause_reference", "out_of_scope", "greeting"),
}
"""Per training file (its stem), the intents whose questions are negatives: questions of another tool."""


def others_from(examples: Sequence[IntentExample], kind: str = "circumstances") -> list[str]:
    """Questions of the intent training file that are about something else (:data:`OTHER_INTENTS`)."""
    return [e.text for e in examples if e.intent.value in OTHER_INTENTS[kind]]


def sibling_files(path: Path) -> list[Path]:
    """The other readers' training files beside ``path`` (the files named in :data:`OTHER_INTENTS`)."""
    return [path.with_name(f"{kind}.yaml") for kind in OTHER_INTENTS if kind != path.stem and path.with_name(f"{kind}.yaml").exists()]


def sibling_statements(path: Path) -> list[str]:
    """What the other readers' files describe, as negatives for this one: a budget stated (钱在部门预算里) is
    no situation of the purchase, an emergency no claim about the supplier. Their labels are different facts by
    construction, so each is a sentence that shares this reader's register and states none of its labels —
    the short statements a turn is split into, which the questions of the intent file do not teach.
    Measured out of fold (``policy-assistant eval --folds 5``): recall and false positives both improve on all
    four files (2026-12-01, sixth round; figures in docs/understanding.md)."""
    return [sentence for sibling in sibling_files(path) for item in load(sibling).values() for sentence in item.describes]


def load_or_train(
    path: Path, others: Callable[[], Sequence[str]], others_key: str, cache_dir: Path, embedder: str, embed: Embed
) -> CircumstanceReader:
    """The reader for ``path``: cached in ``cache_dir`` by the file, the negatives' source (``others_key``,
    e.g. the intent training file's text) and the embedder; ``others()`` is called only to train."""

    def train() -> CircumstanceReader:
        texts, labels = labelled(path, others())
        reader = CircumstanceReader.train(np.vstack([embed(t) for t in texts]), labels)
        reader.label_thresholds = {  # kept with the model: the cache key holds the file's text
            label: item.min_probability for label, item in load(path).items() if item.min_probability is not None
        }
        reader.joined_labels = frozenset(label for label, item in load(path).items() if item.joined)
        return reader

    key = path.read_text(encoding="utf-8") + "\x00" + others_key
    return cached(cache_dir, path.stem, key, embedder, train, CircumstanceReader)


def cross_validate(
    path: Path, others: Sequence[str], embed: Embed, *, folds: int = 5, seed: int = 0, min_probability: float | None = None
) -> dict[str, float]:
    """Out-of-fold figures of the reader on its own training file: per-description recall and the
    share of near misses and other questions wrongly read as a circumstance."""
    from sklearn.model_selection import StratifiedKFold

    threshold = MIN_PROBABILITIES.get(path.stem, MIN_PROBABILITY) if min_probability is None else min_probability
    texts, labels = labelled(path, others)
    bars = {label: item.min_probability for label, item in load(path).items() if item.min_probability is not None}
    vectors = np.vstack([embed(t) for t in texts])
    predicted = [NONE] * len(texts)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(vectors, labels):
        reader = CircumstanceReader.train(vectors[train], [labels[i] for i in train])
        for i, row in zip(test, reader.probabilities(vectors[test])):
            best = int(np.argmax(row))
            predicted[i] = reader.labels[best] if row[best] >= max(threshold, bars.get(reader.labels[best], 0.0)) else NONE
    positives = [i for i, label in enumerate(labels) if label != NONE]
    negatives = [i for i, label in enumerate(labels) if label == NONE]
    return {
        "recall": float(np.mean([predicted[i] == labels[i] for i in positives])),
        "false_positive_rate": float(np.mean([predicted[i] != NONE for i in negatives])),
        "descriptions": float(len(positives)),
        "negatives": float(len(negatives)),
    }


if __name__ == "__main__":  # pragma: no cover - a measurement, run by hand
    from assistant.embedding import _shared_backend
    from assistant.nlu.intent import load_examples, training_file
    from assistant.config import Settings

    settings = Settings.load()
    backend = _shared_backend()
    examples = load_examples(training_file(settings))
    for kind in OTHER_INTENTS:
        path = settings.corpus_dir / "nlu" / f"{kind}.yaml"
        figures = cross_validate(path, [*others_from(examples, kind), *sibling_statements(path)], lambda text: backend.encode([text])[0])
        print(kind, {k: round(v, 3) for k, v in figures.items()})
