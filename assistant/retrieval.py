"""Clause retrieval: dense (Chroma through LangChain), BM25 (jieba tokens) and their fusion.

Every retriever has the same one-method shape (:class:`Retriever`) and returns our own
:class:`~assistant.models.Passage` list, best first. LangChain and Chroma stay inside this
module and :mod:`assistant.index`; :class:`PolicyRetriever` exposes the hybrid retriever as a
LangChain ``BaseRetriever`` for LangChain users.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.errors import ConfigError
from assistant.index import LoadedIndex
from assistant.lexicon import Lexicon
from assistant.models import Clause, Passage

RRF_K = 60
"""Reciprocal-rank-fusion constant (Cormack et al.): damps the weight of top ranks."""


def _check_top_k(top_k: int) -> None:
    if top_k <= 0:
        raise ConfigError(f"top_k must be > 0, got {top_k}")


class Retriever(Protocol):
    """Anything that returns the clauses most relevant to a query, best first."""

    def retrieve(self, query: str, *, top_k: int, query_vector: np.ndarray | None = None) -> list[Passage]: ...


class DenseRetriever:
    """Cosine similarity between the query embedding and clause embeddings, via Chroma."""

    def __init__(self, index: LoadedIndex) -> None:
        self.index = index
        self._position = {(c.doc_id, c.clause_id): i for i, c in enumerate(index.clauses)}

    def embed(self, query: str) -> np.ndarray:
        return np.asarray(self.index.embeddings.embed_query(query), dtype=np.float32)

    def retrieve(self, query: str, *, top_k: int, query_vector: np.ndarray | None = None) -> list[Passage]:
        _check_top_k(top_k)
        vector = self.embed(query) if query_vector is None else query_vector
        hits = self.index.vectorstore.similarity_search_by_vector_with_relevance_scores(
            vector.tolist(), k=min(top_k, len(self.index.clauses))
        )
        passages = []
        for document, distance in hits:
            position = self._position.get((document.metadata["doc_id"], document.metadata["clause_id"]))
            if position is not None:
                passages.append(Passage(clause=self.index.clauses[position], score=1.0 - float(distance)))
        return passages


class BM25Retriever:
    """Okapi BM25 over jieba tokens of each clause (with its heading path), via ``bm25s``."""

    def __init__(self, clauses: list[Clause], lexicon: Lexicon) -> None:
        import bm25s

        self.clauses = clauses
        self.lexicon = lexicon
        lexicon.warm_up()
        corpus_tokens = [lexicon.tokens(c.context_text) or ["∅"] for c in clauses]
        self._bm25 = bm25s.BM25()
        self._bm25.index(corpus_tokens, show_progress=False)
        self._vocab = set(self._bm25.vocab_dict)

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in self.lexicon.query_tokens(query) if t in self._vocab]
        if not tokens:
            return np.zeros(len(self.clauses), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def retrieve(self, query: str, *, top_k: int, query_vector: np.ndarray | None = None) -> list[Passage]:
        _check_top_k(top_k)
        scores = self.scores(query)
        order = np.argsort(-scores, kind="stable")[:top_k]
        return [Passage(clause=self.clauses[i], score=float(scores[i])) for i in order if scores[i] > 0]


class HybridRetriever:
    """Reciprocal-rank fusion of a dense and a BM25 ranking (each cut at ``depth``)."""

    def __init__(
        self,
        dense: DenseRetriever,
        sparse: BM25Retriever,
        *,
        depth: int = 20,
        dense_weight: float = 1.0,
        document_weights: dict[str, float] | None = None,
    ) -> None:
        _check_top_k(depth)
        self.dense = dense
        self.sparse = sparse
        self.depth = depth
        self.dense_weight = dense_weight
        self.document_weights = document_weights or {}

    def retrieve(self, query: str, *, top_k: int, query_vector: np.ndarray | None = None) -> list[Passage]:
        _check_top_k(top_k)
        vector = self.dense.embed(query) if query_vector is None else query_vector
        fused: dict[str, float] = {}
        clauses: dict[str, Clause] = {}
        rankings = (
            (self.dense_weight, self.dense.retrieve(query, top_k=self.depth, query_vector=vector)),
            (1.0, self.sparse.retrieve(query, top_k=self.depth)),
        )
        for weight, ranking in rankings:
            for rank, passage in enumerate(ranking):
                key = passage.clause.key
                clauses[key] = passage.clause
                prior = self.document_weights.get(passage.clause.doc_id, 1.0)
                fused[key] = fused.get(key, 0.0) + prior * weight / (RRF_K + rank + 1)
        order = sorted(fused, key=lambda k: -fused[k])[:top_k]
        return [Passage(clause=clauses[k], score=fused[k]) for k in order]


class WeightedRetriever:
    """Any retriever with per-document score weights (e.g. reference notes below policy texts)."""

    def __init__(self, inner: Retriever, document_weights: dict[str, float]) -> None:
        self.inner = inner
        self.document_weights = document_weights

    def retrieve(self, query: str, *, top_k: int, query_vector: np.ndarray | None = None) -> list[Passage]:
        passages = self.inner.retrieve(query, top_k=top_k * 2, query_vector=query_vector)
        weighted = [
            Passage(clause=p.clause, score=p.score * self.document_weights.get(p.clause.doc_id, 1.0)) for p in passages
        ]
        return sorted(weighted, key=lambda p: -p.score)[:top_k]


class PolicyRetriever(BaseRetriever):
    """LangChain retriever over any of our retrievers; documents carry the clause as metadata.

    Example::

        retriever = PolicyRetriever(retriever=hybrid, k=4)
        retriever.invoke("承接主体需要什么条件")[0].metadata["label"]
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any
    k: int = 4

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun | None = None, **kwargs: Any
    ) -> list[Document]:
        top_k = int(kwargs.get("k", self.k))
        passages = self.retriever.retrieve(query, top_k=top_k)
        return [
            Document(
                page_content=p.clause.text,
                metadata={"doc_id": p.clause.doc_id, "clause_id": p.clause.clause_id, "label": p.clause.label, "score": p.score},
                id=p.clause.key,
            )
            for p in passages
        ]
