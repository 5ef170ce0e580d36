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
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Self, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict

from assistant.config import Settings
from assistant.corpus import normalise
from assistant.datafile import load_yaml_model
from assistant.nlu.models import Intent, IntentScore

Embed = Callable[[str], np.ndarray]
T = TypeVar("T")
VECTOR_WEIGHT = 0.5
"""Scale of the sentence vector against the TF-IDF block (both are unit-length)."""
REGULARISATION = 10.0
MODEL_FORMAT = 4
"""Bumped when what a cached model holds changes (a cached model of another format is retrained)."""


SHIPPED_TRAINING_FILE = Path(__file__).resolve().parent.parent.parent / "corpus" / "nlu" / "intents.yaml"


def training_file(settings: Settings) -> Path:
    """The intent training file of the corpus, or the shipped one when an agency corpus has none."""
    own = settings.corpus_dir / "nlu" / "intents.yaml"
    return own if own.exists() else SHIPPED_TRAINING_FILE


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
    return load_yaml_model(path, _TrainingFile, what="意图训练文件 / intent training file").examples


class TextClassifier:
    """A trained text classifier over string labels: the sentence vector beside character n-gram TF-IDF, fed to a
    multinomial logistic regression (see the module docstring).

    Trained with scikit-learn; what it keeps is plain numpy (the TF-IDF vocabulary and weights, the
    logistic regression's coefficients), so answering never imports scikit-learn: a cold start pays
    for no import it does not need. :meth:`probabilities` gives the probabilities scikit-learn would (tested).
    """

    def __init__(
        self, vocabulary: dict[str, int], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray, labels: Sequence[str]
    ) -> None:
        self.vocabulary = vocabulary
        self.idf = idf
        self.coef = coef
        self.intercept = intercept
        self.labels = tuple(labels)

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], vectors: np.ndarray, *, regularisation: float = REGULARISATION) -> Self:
        """Fit on ``texts`` labelled ``labels`` whose sentence vectors are the rows of ``vectors``."""
        from scipy.sparse import csr_matrix, hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        if len(set(labels)) < 3:
            raise ValueError("training needs examples of at least three labels (multinomial model)")
        tfidf = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True, min_df=1)
        ngrams = tfidf.fit_transform([normalise(t) for t in texts])
        features = hstack([csr_matrix(_scaled(vectors)), ngrams]).tocsr()
        model = LogisticRegression(C=regularisation, max_iter=3000, class_weight="balanced")
        model.fit(features, list(labels))
        vocabulary = {str(k): int(v) for k, v in tfidf.vocabulary_.items()}
        return cls(vocabulary, tfidf.idf_.copy(), model.coef_.copy(), model.intercept_.copy(), [str(c) for c in model.classes_])

    def _logits(self, text: str, vector: np.ndarray) -> np.ndarray:
        dimension = self.coef.shape[1] - len(self.idf)
        logits = self.coef[:, :dimension] @ _scaled(vector[None, :])[0] + self.intercept
        columns, weights = self._ngram_weights(normalise(text))
        if columns:
            logits = logits + self.coef[:, [dimension + c for c in columns]] @ weights
        return logits

    def _ngram_weights(self, text: str) -> tuple[list[int], np.ndarray]:
        """Sublinear TF-IDF of the text's character n-grams, L2-normalised (as TfidfVectorizer computes it)."""
        counts: dict[int, int] = {}
        for gram in _char_ngrams(text):
            column = self.vocabulary.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        if not counts:
            return [], np.zeros(0)
        columns = list(counts)
        weights = (np.log([counts[c] for c in columns]) + 1.0) * self.idf[columns]
        return columns, weights / np.linalg.norm(weights)

    def probabilities(self, text: str, vector: np.ndarray) -> np.ndarray:
        logits = self._logits(text, vector)
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()

    def predict_labels(self, texts: Sequence[str], vectors: np.ndarray) -> list[str]:
        return [self.labels[int(np.argmax(self._logits(t, v)))] for t, v in zip(texts, vectors)]


class IntentClassifier(TextClassifier):
    """The intent of a turn (:class:`Intent`), trained on the intent training file."""

    @classmethod
    def train(cls, examples: Sequence[IntentExample], vectors: np.ndarray) -> IntentClassifier:
        """Fit on ``examples`` whose sentence vectors are the rows of ``vectors``."""
        if len({e.intent for e in examples}) < 3:
            raise ValueError("intent training needs examples of at least three intents (multinomial model)")
        return cls.fit([e.text for e in examples], [e.intent.value for e in examples], vectors)

    def rank(self, text: str, vector: np.ndarray) -> tuple[IntentScore, ...]:
        """Every intent with its probability, most probable first."""
        probabilities = self.probabilities(text, vector)
        order = np.argsort(-probabilities)
        return tuple(IntentScore(intent=Intent(self.labels[i]), probability=round(float(probabilities[i]), 4)) for i in order)

    def predict(self, texts: Sequence[str], vectors: np.ndarray) -> list[Intent]:
        return [Intent(label) for label in self.predict_labels(texts, vectors)]


NGRAMS = (1, 3)


def _char_ngrams(text: str) -> list[str]:
    """Character n-grams as scikit-learn's ``analyzer="char"`` makes them (lower-cased, runs of space folded)."""
    text = _WHITE_SPACES.sub(" ", text.lower())
    grams = []
    for n in range(NGRAMS[0], NGRAMS[1] + 1):
        grams += [text[i : i + n] for i in range(len(text) - n + 1)]
    return grams


_WHITE_SPACES = re.compile(r"\s\s+")


def _scaled(vectors: np.ndarray) -> np.ndarray:
    dense = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    return dense / np.where(norms == 0, 1, norms) * VECTOR_WEIGHT


def embed_all(texts: Iterable[str], embed: Embed) -> np.ndarray:
    return np.vstack([embed(normalise(text)) for text in texts])


def cached(cache_dir: Path, prefix: str, key: str, embedder: str, train: Callable[[], T], kind: type[T]) -> T:
    """A trained model from ``cache_dir/<prefix>-<hash>.pkl``, or ``train()`` it and cache it.

    The hash covers ``key`` (the training data), the embedder and the scikit-learn version. The cache file
    is written atomically (temporary file, then rename); stale ones are removed; a damaged one is retrained;
    a read-only folder keeps the model in memory only.
    """
    from importlib.metadata import version

    digest = hashlib.sha256(
        f"{key}|{embedder}|{version('scikit-learn')}|{VECTOR_WEIGHT}|{REGULARISATION}|{MODEL_FORMAT}".encode()
    ).hexdigest()[:16]
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
