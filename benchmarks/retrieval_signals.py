"""Retrieval signals: what question cards (and a supervised question → clause scorer) add.

Scores clause retrieval on a JSONL question set (default: the development set
``/work/shared/evals-dev/questions.jsonl``, kinds ``lookup`` and ``clause_ref`` with ``evidence``):
hit@k means one of the top-k clauses' text contains one of the case's evidence strings.

Configurations (same index, same encoder, same query vectors):

* ``none``  — BM25 + dense over clause texts only (the pipeline before cards);
* ``bm25``  — plus the cards appended to their clause's BM25 document;
* ``dense`` — plus the cards as extra dense keys (clause score = max(own cosine, cards' cosines));
* ``both``  — both (what ``Assistant.open`` ships);
* variants: the cards as a *separate* BM25 field added with a weight (0.5, 1, 2) instead of appended.

The cards in ``corpus/cards/`` were written from the clause texts before this question set was
opened, so the card figures are out of sample. ``--scorer`` also trains a logistic regression on
the encoder's question vectors (classes = clause keys; training questions = the cards, plus the
development questions mapped to the clause holding their evidence) and reports, by 5-fold
cross-validation over the development questions, the out-of-fold hit@k of retrieval with and
without the scorer's probability fused in.

Usage (from the repository root)::

    PYTHONPATH=. .venv/bin/python benchmarks/retrieval_signals.py [--scorer] [--index-dir DIR] [--json out.json]

The index is built in a temporary folder (or ``--index-dir``), never in the repository's ``.index/``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = Path("/work/shared/evals-dev/questions.jsonl")
KINDS = ("lookup", "clause_ref")
SCORER_WEIGHT = 0.5
"""Weight of the scorer's class probability added to the fused score (declared before measuring)."""


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    question: str
    evidence: tuple[str, ...]


def load_cases(path: Path, kinds: tuple[str, ...] = KINDS) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("kind") in kinds and row.get("evidence") and row.get("question"):
            cases.append(Case(row["id"], row["kind"], row["question"], tuple(row["evidence"])))
    return cases


def all_questions(path: Path) -> list[str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows if r.get("question")]


# --------------------------------------------------------------------------- retrieval set-up
class Bench:
    """One opened index and everything the configurations share."""

    def __init__(self, index_dir: Path, corpus_dir: Path = ROOT / "corpus") -> None:
        from assistant.api import Settings
        from assistant.corpus import repealed_documents
        from assistant.index import build_index, open_index
        from assistant.lexicon import Lexicon

        self.settings = Settings.load(corpus_dir=corpus_dir, index_dir=index_dir)
        build_index(self.settings)
        self.loaded = open_index(self.settings)
        self.lexicon = Lexicon.load(self.settings.corpus_dir / "lexicon.yaml")
        documents = list(self.loaded.manifest.documents)
        demoted = {d.doc_id for d in documents if d.kind == "reference"} | repealed_documents(documents)
        self.weights = {doc_id: self.settings.reference_weight for doc_id in demoted}
        self.cards = self.loaded.cards()
        self.text_of = {c.key: c.text for c in self.loaded.clauses}
        self.position = {c.key: i for i, c in enumerate(self.loaded.clauses)}

    def retriever(self, *, bm25_cards: bool, dense_cards: bool, field_weight: float | None = None) -> Any:
        from assistant.retrieval import BM25Retriever, DenseRetriever, HybridRetriever

        dense = DenseRetriever(self.loaded, use_cards=dense_cards)
        if field_weight is not None:
            sparse: Any = _FieldBM25(self.loaded.clauses, self.lexicon, self.cards, field_weight)
        else:
            sparse = BM25Retriever(self.loaded.clauses, self.lexicon, cards=self.cards if bm25_cards else None)
        return HybridRetriever(dense, sparse, document_weights=self.weights, attach_cards=False)

    def composer(self, retriever: Any) -> Any:
        from assistant.answer import Composer, load_templates
        from assistant.api import PROMPTS_DIR

        templates = load_templates(PROMPTS_DIR / "answer_templates.yaml")
        return Composer(self.loaded, retriever, retriever.dense, self.lexicon, templates, top_k=self.settings.top_k)


def _field_bm25_class() -> type:
    from assistant.retrieval import BM25Retriever, _bm25_index, _bm25_scores

    class FieldBM25(BM25Retriever):
        """Variant (not shipped): the cards as a separate BM25 field, added with a weight."""

        def __init__(self, clauses: Any, lexicon: Any, cards: dict[str, tuple[str, ...]], weight: float) -> None:
            super().__init__(clauses, lexicon)
            self.weight = weight
            documents = [[t for q in cards.get(c.key, ()) for t in lexicon.tokens(q)] for c in clauses]
            self._field, self._field_vocab = _bm25_index(documents)

        def _score_tokens(self, tokens: list[str]) -> np.ndarray:
            own = super()._score_tokens(tokens)
            return own + self.weight * _bm25_scores(self._field, self._field_vocab, tokens, len(self.clauses))

    return FieldBM25


def _FieldBM25(*args: Any) -> Any:  # noqa: N802 - a lazily built class
    return _field_bm25_class()(*args)


def hits(keys: list[str], case: Case, text_of: dict[str, str]) -> tuple[int, int, float]:
    ranks = [i for i, key in enumerate(keys, start=1) if any(e in text_of[key] for e in case.evidence)]
    first = ranks[0] if ranks else None
    return int(first == 1), int(first is not None and first <= 3), (1.0 / first if first else 0.0)


def summarise(rows: list[tuple[int, int, float]]) -> dict[str, float]:
    n = len(rows) or 1
    return {
        "hit1": round(sum(r[0] for r in rows) / n, 3),
        "hit3": round(sum(r[1] for r in rows) / n, 3),
        "mrr": round(sum(r[2] for r in rows) / n, 3),
    }


def ranked_keys(retriever: Any, query: str, vector: np.ndarray, top_k: int) -> list[str]:
    return [p.clause.key for p in retriever.retrieve(query, top_k=top_k, query_vector=vector)]


# --------------------------------------------------------------------------- supervised scorer
def evidence_clause(case: Case, bench: Bench) -> str | None:
    """The most specific clause (shortest text) containing one of the case's evidence strings."""
    found = [c for c in bench.loaded.clauses if any(e in c.text for e in case.evidence)]
    return min(found, key=lambda c: len(c.text)).key if found else None


def scorer_cv(
    bench: Bench, cases: list[Case], queries: list[str], vectors: np.ndarray, retriever: Any, *, folds: int = 5, seed: int = 13
) -> dict[str, Any]:
    """Out-of-fold hit@k of retrieval with the scorer fused in (train: cards + the other folds)."""
    from sklearn.linear_model import LogisticRegression

    n_clauses = len(bench.loaded.clauses)
    card_x = bench.loaded.card_vectors
    card_y = bench.loaded.card_clauses
    labels = np.array([bench.position.get(evidence_clause(c, bench) or "", -1) for c in cases])
    rng = np.random.default_rng(seed)
    fold_of = rng.permutation(np.arange(len(cases)) % folds)

    # The retriever's full fused ranking (every clause, with score), computed once.
    fused = []
    for query, vector in zip(queries, vectors, strict=True):
        scores = np.full(n_clauses, -np.inf)
        for p in retriever.retrieve(query, top_k=n_clauses, query_vector=vector):
            scores[bench.position[p.clause.key]] = p.score
        fused.append(scores)
    fused_arr = np.stack(fused)

    def train(x: np.ndarray, y: np.ndarray) -> tuple[Any, np.ndarray]:
        model = LogisticRegression(C=10.0, max_iter=2000)
        model.fit(x, y)
        return model, model.classes_

    def probs(model: Any, classes: np.ndarray, x: np.ndarray) -> np.ndarray:
        out = np.zeros((len(x), n_clauses))
        out[:, classes] = model.predict_proba(x)
        return out

    cards_only_model = train(card_x, card_y)
    prob_cards = probs(*cards_only_model, vectors)
    prob_oof = np.zeros((len(cases), n_clauses))
    for fold in range(folds):
        test = fold_of == fold
        train_rows = (~test) & (labels >= 0)
        x = np.vstack([card_x, vectors[train_rows]])
        y = np.concatenate([card_y, labels[train_rows]])
        prob_oof[test] = probs(*train(x, y), vectors[test])

    def evaluate(extra: np.ndarray | None, weight: float) -> dict[str, float]:
        rows = []
        for i, case in enumerate(cases):
            scores = fused_arr[i] + (weight * extra[i] if extra is not None else 0.0)
            order = np.argsort(-scores, kind="stable")[:3]
            rows.append(hits([bench.loaded.clauses[j].key for j in order], case, bench.text_of))
        return summarise(rows)

    def alone(prob: np.ndarray) -> dict[str, float]:
        rows = []
        for i, case in enumerate(cases):
            order = np.argsort(-prob[i], kind="stable")[:3]
            rows.append(hits([bench.loaded.clauses[j].key for j in order], case, bench.text_of))
        return summarise(rows)

    sweep = {str(w): evaluate(prob_oof, w) for w in (0.25, 0.5, 1.0, 2.0)}
    return {
        "labelled_dev_questions": int((labels >= 0).sum()),
        "folds": folds,
        "retrieval": evaluate(None, 0.0),
        "scorer_alone_cards_only": alone(prob_cards),
        "scorer_alone_cards_plus_folds": alone(prob_oof),
        "fused_cards_only": evaluate(prob_cards, SCORER_WEIGHT),
        "fused_cards_plus_folds": evaluate(prob_oof, SCORER_WEIGHT),
        "fused_weight_sweep_oof": sweep,
    }


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=Path, default=DEV_SET)
    parser.add_argument("--index-dir", type=Path, default=None)
    parser.add_argument("--corpus-dir", type=Path, default=ROOT / "corpus", help="another corpus (e.g. with other cards)")
    parser.add_argument("--scorer", action="store_true", help="also cross-validate the supervised scorer")
    parser.add_argument("--json", type=Path, default=None, help="write every figure to this file")
    args = parser.parse_args(argv)
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.index_dir is not None and args.index_dir.resolve() == (ROOT / ".index").resolve():
        parser.error("refusing to use the repository's .index/")

    from assistant.corpus import normalise

    with tempfile.TemporaryDirectory(prefix="signals-") as tmp:
        bench = Bench(args.index_dir or Path(tmp) / "index", args.corpus_dir)
        cases = load_cases(args.questions)
        queries = [normalise(c.question) for c in cases]
        dense0 = bench.retriever(bm25_cards=False, dense_cards=False).dense
        started = time.perf_counter()
        vectors = np.stack([dense0.embed(q) for q in queries])
        embed_ms = (time.perf_counter() - started) * 1000 / max(1, len(queries))

        configs = {
            "none": dict(bm25_cards=False, dense_cards=False),
            "bm25": dict(bm25_cards=True, dense_cards=False),
            "dense": dict(bm25_cards=False, dense_cards=True),
            "both": dict(bm25_cards=True, dense_cards=True),
            "bm25 as separate field, weight 1": dict(bm25_cards=False, dense_cards=False, field_weight=1.0),
            "both, BM25 separate field w 0.5": dict(bm25_cards=False, dense_cards=True, field_weight=0.5),
            "both, BM25 separate field w 1": dict(bm25_cards=False, dense_cards=True, field_weight=1.0),
            "both, BM25 separate field w 2": dict(bm25_cards=False, dense_cards=True, field_weight=2.0),
        }
        results: dict[str, Any] = {"cases": len(cases), "by_kind": {k: sum(c.kind == k for c in cases) for k in KINDS}}
        table: dict[str, Any] = {}
        retrievers: dict[str, Any] = {}
        for name, options in configs.items():
            retriever = bench.retriever(**options)
            retrievers[name] = retriever
            rows, timings = [], []
            for case, query, vector in zip(cases, queries, vectors, strict=True):
                t0 = time.perf_counter()
                keys = ranked_keys(retriever, query, vector, 3)
                timings.append((time.perf_counter() - t0) * 1000)
                rows.append(hits(keys, case, bench.text_of))
            entry = summarise(rows)
            entry["by_kind"] = {
                k: summarise([r for r, c in zip(rows, cases, strict=True) if c.kind == k]) for k in KINDS
            }
            entry["retrieve_ms_median"] = round(statistics.median(timings), 2)
            entry["misses_at_1"] = [c.id for r, c in zip(rows, cases, strict=True) if not r[0]]
            table[name] = entry
        results["retrieval"] = table
        results["query_embedding_ms_mean"] = round(embed_ms, 2)

        # Answer level: the composer's citations (question splitting, follow-ups, refusals included),
        # timed with the two pipelines interleaved question by question (the machine is shared).
        every = all_questions(args.questions)
        composers = {name: bench.composer(retrievers[name]) for name in ("none", "both")}
        for composer in composers.values():
            for q in every[:20]:
                composer.answer(q)  # warm-up
        timings: dict[str, list[float]] = {name: [] for name in composers}
        for _ in range(2):
            for q in every:
                for name, composer in composers.items():
                    t0 = time.perf_counter()
                    composer.answer(q)
                    timings[name].append((time.perf_counter() - t0) * 1000)
        answer_level = {}
        for name, composer in composers.items():
            rows = []
            for case in cases:
                answer = composer.answer(case.question)
                rows.append(hits([f"{c.doc_id}#{c.clause_id}" for c in answer.citations], case, bench.text_of))
            entry = summarise(rows)
            entry["answer_ms_p50"] = round(float(np.percentile(timings[name], 50)), 2)
            entry["answer_ms_p95"] = round(float(np.percentile(timings[name], 95)), 2)
            answer_level[name] = entry
        results["answer_citations"] = answer_level

        if args.scorer:
            results["scorer"] = scorer_cv(bench, cases, queries, vectors, retrievers["both"])
            results["scorer_on_none"] = scorer_cv(bench, cases, queries, vectors, retrievers["none"])

    print(json.dumps(results, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
