"""Intent of a user turn, by a classifier trained on labelled questions (``corpus/nlu/intents.yaml``).

Features: the bundled encoder's sentence vector (meaning, across paraphrases) beside character
1–3-gram TF-IDF (surface cues such as 吗, 能不能, 第X条, typos), fed to a multinomial logistic
regression. The trained model is cached in the index folder, keyed by the training file, the
embedder and the scikit-learn version, so a warm start never retrains.

Example::

    classifier = IntentClassifier.train(examples, embed)
    ranking = classifier.rank("本公司是做物业的，能不能去接街道的保洁项目", vector)
    ranking[0].intent  # Intent.QUALIFICATION
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.corpus import normalise
from assistant.errors import ConfigError
from assistant.nlu.models import Intent, IntentScore

Embed = Callable[[str], np.ndarray]
T = TypeVar("T")
VECTOR_WEIGHT = 0.5
"""Scale of the sentence vector against the TF-IDF block (both are unit-length)."""
REGULARISATION = 10.0


class IntentExample(BaseModel):
    """One labelled question of the training file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    intent: Intent
    source: str


class _TrainingFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    examples: list[IntentExample]


def load_examples(path: Path) -> list[IntentExample]:
    """The training file's examples.

    :raises ConfigError: if the file is missing or malformed (names the file and the problem).
    """
    try:
        return _TrainingFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))).examples
    except FileNotFoundError:
        raise ConfigError(f"意图训练文件不存在 / intent training file not found: {path}") from None
    except (yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"意图训练文件格式错误 / invalid intent training file {path}: {exc}") from None


class IntentClassifier:
    """A trained intent classifier (see the module docstring)."""

    def __init__(self, tfidf: object, model: object, labels: Sequence[Intent]) -> None:
        self._tfidf = tfidf
        self._model = model
        self.labels = tuple(labels)

    @classmethod
    def train(cls, examples: Sequence[IntentExample], vectors: np.ndarray) -> IntentClassifier:
        """Fit on ``examples`` whose sentence vectors are the rows of ``vectors``."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        if len({e.intent for e in examples}) < 2:
            raise ValueError("intent training needs examples of at least two intents")
        tfidf = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1)
        texts = [normalise(e.text) for e in examples]
        tfidf.fit(texts)
        features = cls._features(tfidf, texts, vectors)
        model = LogisticRegression(C=REGULARISATION, max_iter=3000, class_weight="balanced")
        model.fit(features, [e.intent.value for e in examples])
        return cls(tfidf, model, [Intent(label) for label in model.classes_])

    @staticmethod
    def _features(tfidf: object, texts: list[str], vectors: np.ndarray) -> object:
        from scipy.sparse import csr_matrix, hstack

        dense = np.asarray(vectors, dtype=np.float64).reshape(len(texts), -1)
        norms = np.linalg.norm(dense, axis=1, keepdims=True)
        dense = dense / np.where(norms == 0, 1, norms) * VECTOR_WEIGHT
        return hstack([csr_matrix(dense), tfidf.transform(texts)]).tocsr()  # type: ignore[attr-defined]

    def rank(self, text: str, vector: np.ndarray) -> tuple[IntentScore, ...]:
        """Every intent with its probability, most probable first."""
        features = self._features(self._tfidf, [normalise(text)], vector[None, :])
        probabilities = self._model.predict_proba(features)[0]  # type: ignore[attr-defined]
        order = np.argsort(-probabilities)
        return tuple(IntentScore(intent=self.labels[i], probability=round(float(probabilities[i]), 4)) for i in order)

    def predict(self, texts: Sequence[str], vectors: np.ndarray) -> list[Intent]:
        features = self._features(self._tfidf, [normalise(t) for t in texts], vectors)
        return [Intent(label) for label in self._model.predict(features)]  # type: ignore[attr-defined]


def embed_all(texts: Iterable[str], embed: Embed) -> np.ndarray:
    return np.vstack([embed(normalise(text)) for text in texts])


def cached(cache_dir: Path, prefix: str, key: str, embedder: str, train: Callable[[], T], kind: type[T]) -> T:
    """A trained model from ``cache_dir/<prefix>-<hash>.pkl``, or ``train()`` it and cache it.

    The hash covers ``key`` (the training data), the embedder and the scikit-learn version. The cache file
    is written atomically (temporary file, then rename); stale ones are removed; a damaged one is retrained;
    a read-only folder keeps the model in memory only.
    """
    import sklearn

    digest = hashlib.sha256(f"{key}|{embedder}|{sklearn.__version__}|{VECTOR_WEIGHT}|{REGULARISATION}".encode()).hexdigest()[:16]
    path = cache_dir / f"{prefix}-{digest}.pkl"
    if path.exists():
        try:
            with path.open("rb") as handle:
                model = pickle.load(handle)  # the index folder is written only by this program
            if isinstance(model, kind):
                return model
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass
    model = train()
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=cache_dir, delete=False, suffix=".tmp") as handle:
            pickle.dump(model, handle)
        os.replace(handle.name, path)
        for stale in cache_dir.glob(f"{prefix}-*.pkl"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass
    return model


def load_or_train(path: Path, cache_dir: Path, embedder: str, embed: Embed) -> IntentClassifier:
    """The classifier for training file ``path``: from the cache when trained before, else trained and cached."""

    def train() -> IntentClassifier:
        examples = load_examples(path)
        return IntentClassifier.train(examples, embed_all((e.text for e in examples), embed))

    return cached(cache_dir, "intent", path.read_text(encoding="utf-8"), embedder, train, IntentClassifier)


def cross_validate(
    examples: Sequence[IntentExample], vectors: np.ndarray, *, folds: int = 5, seed: int = 0
) -> tuple[list[Intent], float]:
    """Out-of-fold predictions (stratified ``folds``-fold) and their accuracy."""
    from sklearn.model_selection import StratifiedKFold

    labels = [e.intent.value for e in examples]
    predicted: list[Intent | None] = [None] * len(examples)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(np.zeros(len(labels)), labels):
        model = IntentClassifier.train([examples[i] for i in train], vectors[train])
        for i, intent in zip(test, model.predict([examples[i].text for i in test], vectors[test])):
            predicted[i] = intent
    done = [p for p in predicted if p is not None]
    accuracy = float(np.mean([p == e.intent for p, e in zip(done, examples)]))
    return done, accuracy
