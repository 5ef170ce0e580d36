"""Clause retrieval: dense (Chroma through LangChain), BM25 (jieba tokens) and their fusion.

Every retriever has the same one-method shape (:class:`Retriever`) and returns our own
:class:`~assistant.models.Passage` list, best first. LangChain and Chroma stay inside this
module and :mod:`assistant.index`; :class:`PolicyRetriever` exposes the hybrid retriever as a
LangChain ``BaseRetriever`` for LangChain users.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.corpus import split_marker
from assistant.errors import ConfigError
from assistant.index import LoadedIndex
from assistant.lexicon import Lexicon
from assistant.models import Clause, Passage


EXPANSION_WEIGHT = 0.5
"""Weight of synonym/glossary expansions against the words the user typed."""
TITLE_BONUS = 0.3
"""Added to a clause whose own heading (e.g. 资金安排) is quoted in the query."""


def _check_top_k(top_k: int) -> None:
    if top_k <= 0:
        raise ConfigError(f"top_k must be > 0, got {top_k}")


class Retriever(Protocol):
    """Anything that returns the clauses most relevant to a query, best first."""

    def retrieve(self, query: str, *, top_k: int, query_vector: np.ndarray | None = None) -> list[Passage]: ...


class DenseRetriever:
    """Cosine similarity between the query embedding and clause embeddings, via Chroma.

    With question cards in the index (``use_cards``), a clause scores the best of its own cosine
    and its cards' cosines: a paraphrase close to one of the clause's cards finds the clause even
    when the clause text itself is worded differently. Card vectors are built with the index; a
    query costs one extra (cards × dimension) product.
    """

    def __init__(self, index: LoadedIndex, *, use_cards: bool = True) -> None:
        self.index = index
        self._position = {(c.doc_id, c.clause_id): i for i, c in enumerate(index.clauses)}
        self.use_cards = use_cards and len(index.card_questions) > 0
        self._vectors: dict[str, np.ndarray] = {}
        self._clause_matrix = index.clause_vectors if len(index.clause_vectors) == len(index.clauses) else None

    def embed(self, query: str) -> np.ndarray:
        """The query's vector; a text asked again in the same process (by the understanding layer and the
        composer, or a repeated question) is embedded once."""
        vector = self._vectors.get(query)
        if vector is None:
            if len(self._vectors) >= EMBED_CACHE_SIZE:
                self._vectors.clear()
            vector = self._vectors[query] = np.asarray(self.index.embeddings.embed_query(query), dtype=np.float32)
        return vector

    def embed_many(self, queries: list[str]) -> np.ndarray:
        """Vectors of several queries, computed in one batch where the embeddings allow it (and cached)."""
        missing = list(dict.fromkeys(q for q in queries if q not in self._vectors))
        if missing:
            batch = getattr(self.index.embeddings, "embed_queries", None)
            vectors = batch(missing) if batch else [self.index.embeddings.embed_query(q) for q in missing]
            if len(self._vectors) + len(missing) >= EMBED_CACHE_SIZE:
                self._vectors.clear()
            for query, vector in zip(missing, vectors):
                self._vectors[query] = np.asarray(vector, dtype=np.float32)
        return np.vstack([self._vectors[q] if q in self._vectors else self.embed(q) for q in queries])

    def card_scores(self, vector: np.ndarray) -> np.ndarray:
        """Per clause (index order), the best cosine of its cards with ``vector``; -inf without cards."""
        best = np.full(len(self.index.clauses), -np.inf, dtype=np.float32)
        if self.use_cards:
            # einsum, not @: a matrix-vector product goes to multithreaded BLAS, whose threads stall
            # for milliseconds when the other core is busy; this single-threaded loop takes ~0.1 ms.
            cosines = np.einsum("ij,j->i", self.index.card_vectors, np.asarray(vector, dtype=np.float32))
            np.maximum.at(best, self.index.card_clauses, cosines)
        return best

    def retrieve(self, query: str, *, top_k: int, query_vector: np.ndarray | None = None) -> list[Passage]:
        _check_top_k(top_k)
        vector = self.embed(query) if query_vector is None else query_vector
        scores = self._clause_scores(vector, min(top_k, len(self.index.clauses)))
        if self.use_cards:
            # Exact top-k of max(clause, card): a clause missing from the hits has a clause cosine
            # below every hit, so only its card score can lift it into the top k.
            floor = min(scores.values(), default=-np.inf)
            cards = self.card_scores(vector)
            for position in np.flatnonzero(cards > floor).tolist():
                scores[position] = max(scores.get(position, -np.inf), float(cards[position]))
        ranked = sorted(scores.items(), key=lambda item: -item[1])[:top_k]
        return [Passage(clause=self.index.clauses[position], score=score) for position, score in ranked]


    def _clause_scores(self, vector: np.ndarray, k: int) -> dict[int, float]:
        """Top-``k`` clause cosines: exact, over the build's clause vectors (the vectors the Chroma collection
        holds; a few hundred rows: one product, no HNSW query); through Chroma's own search when they are missing."""
        if self._clause_matrix is not None:
            cosines = np.einsum("ij,j->i", self._clause_matrix, np.asarray(vector, dtype=np.float32))
            top = np.argsort(-cosines)[:k]
            return {int(i): float(cosines[i]) for i in top}
        hits = self.index.vectorstore.similarity_search_by_vector_with_relevance_scores(vector.tolist(), k=k)
        scores: dict[int, float] = {}
        for document, distance in hits:
            position = self._position.get((document.metadata["doc_id"], document.metadata["clause_id"]))
            if position is not None:
                scores[position] = 1.0 - float(distance)
        return scores


EMBED_CACHE_SIZE = 512
"""Query vectors kept per process (cleared when full)."""


class BM25Retriever:
    """Okapi BM25 over jieba tokens of each clause (with its heading path), via ``bm25s``.

    ``cards`` (clause key → questions): each clause's question cards are appended to its BM25
    document, so a question worded like a card matches the clause. (Measured against a separate
    card field with its own weight, which lost: ``docs/retrieval-signals.md``.) The
    HybridRetriever attaches the index's cards itself when the sparse retriever has none.
    """

    def __init__(self, clauses: list[Clause], lexicon: Lexicon, *, cards: Mapping[str, Sequence[str]] | None = None) -> None:
        self.clauses = clauses
        self.lexicon = lexicon
        lexicon.warm_up()
        self._clause_tokens = [lexicon.tokens(c.context_text) for c in clauses]
        self.titles = [_own_title(c) for c in clauses]
        self.cards: dict[str, tuple[str, ...]] | None = None
        self.attach_cards(cards or {})  # builds the index (with the cards, if any)

    def attach_cards(self, cards: Mapping[str, Sequence[str]]) -> None:
        """Append question cards to their clauses' BM25 documents (replacing any attached before)."""
        attached = {c.key: tuple(cards.get(c.key, ())) for c in self.clauses}
        self.cards = attached if any(attached.values()) else None
        documents = [
            tokens + [t for q in attached[c.key] for t in self.lexicon.tokens(q)]
            for c, tokens in zip(self.clauses, self._clause_tokens, strict=True)
        ]
        self._bm25, self._vocab = _bm25_index(documents)

    def _score_tokens(self, tokens: list[str]) -> np.ndarray:
        return _bm25_scores(self._bm25, self._vocab, tokens, len(self.clauses))

    def scores(self, query: str) -> np.ndarray:
        """BM25 of the query's own tokens plus, at half weight, of its lexicon expansions."""
        expansions = self.lexicon.expansions(query)
        scores = self._score_tokens(self.lexicon.tokens(query))
        if expansions:
            scores = scores + EXPANSION_WEIGHT * self._score_tokens(self.lexicon.tokens(" ".join(expansions)))
        return scores

    def retrieve(self, query: str, *, top_k: int, query_vector: np.ndarray | None = None) -> list[Passage]:
        _check_top_k(top_k)
        scores = self.scores(query)
        order = np.argsort(-scores, kind="stable")[:top_k]
        return [Passage(clause=self.clauses[i], score=float(scores[i])) for i in order if scores[i] > 0]


def _bm25_index(documents: list[list[str]]) -> tuple[Any, set[str]]:
    import bm25s

    bm25 = bm25s.BM25()
    bm25.index([tokens or ["∅"] for tokens in documents], show_progress=False)
    return bm25, set(bm25.vocab_dict)


def _bm25_scores(bm25: Any, vocab: set[str], tokens: list[str], size: int) -> np.ndarray:
    known = [t for t in tokens if t in vocab]
    if not known:
        return np.zeros(size, dtype=np.float32)
    return np.asarray(bm25.get_scores(known), dtype=np.float32)


def _own_title(clause: Clause) -> str:
    """The clause's own heading, e.g. 资金安排 for ``（二）资金安排。…`` (4 to 16 characters)."""
    marker, rest = split_marker(clause.text)
    match = _TITLE.match(rest) if marker else None
    return match.group(1) if match else ""


_TITLE = re.compile(r"^([^，。；：\n]{4,16})。")


class HybridRetriever:
    """Relative score fusion of dense and BM25: ``bm25 / max(bm25) + dense_weight * cosine``.

    On the gold set this beat reciprocal-rank fusion (hit@3 0.951 against 0.920 for the best
    RRF setting): the multilingual encoder is a weaker ranker than BM25 on this corpus, and
    score fusion lets a confident keyword match win while the encoder still rescues
    paraphrases, English and typos. Reference notes are down-weighted by ``document_weights``.
    """

    def __init__(
        self,
        dense: DenseRetriever,
        sparse: BM25Retriever,
        *,
        depth: int = 30,
        dense_weight: float = 0.8,
        document_weights: dict[str, float] | None = None,
        attach_cards: bool = True,
    ) -> None:
        _check_top_k(depth)
        if dense_weight < 0:
            raise ConfigError(f"dense_weight must be >= 0, got {dense_weight}")
        self.dense = dense
        self.sparse = sparse
        self.depth = depth
        self.dense_weight = dense_weight
        self.document_weights = document_weights or {}
        if attach_cards and sparse.cards is None and dense.index.card_questions:
            sparse.attach_cards(dense.index.cards())

    def retrieve(self, query: str, *, top_k: int, query_vector: np.ndarray | None = None) -> list[Passage]:
        _check_top_k(top_k)
        vector = self.dense.embed(query) if query_vector is None else query_vector
        dense = self.dense.retrieve(query, top_k=self.depth, query_vector=vector)
        floor = min((p.score for p in dense), default=0.0)
        cosine = {p.clause.key: p.score for p in dense}
        bm25 = self.sparse.scores(query)
        top = float(bm25.max()) if bm25.size and bm25.max() > 0 else 1.0
        fused = []
        for position, clause in enumerate(self.sparse.clauses):
            score = float(bm25[position]) / top + self.dense_weight * cosine.get(clause.key, floor)
            if self.sparse.titles[position] and self.sparse.titles[position] in query:
                score += TITLE_BONUS
            fused.append((score * self.document_weights.get(clause.doc_id, 1.0), position))
        fused.sort(key=lambda item: -item[0])
        return [Passage(clause=self.sparse.clauses[i], score=score) for score, i in fused[:top_k]]


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
