"""LangChain's own standard test suites (the ``langchain-tests`` package) run against our components.

* :class:`assistant.embedding.SentenceTransformerEmbeddings` with the real bundled USE encoder
  (``EmbeddingsUnitTests``; ``EmbeddingsIntegrationTests`` twice: with the default query fast path
  and with queries routed through sentence-transformers);
* :class:`assistant.retrieval.PolicyRetriever` wrapping the real :class:`HybridRetriever` over an
  index built in a temporary directory from the shipped corpus, wired as ``Assistant.open`` wires
  it (``RetrieversIntegrationTests``);
* the Chroma vector store exactly as :mod:`assistant.index` creates it (``assistant.index._chroma``:
  persistent client in a fresh temporary directory, telemetry off, cosine space) holding our
  embeddings (``VectorStoreIntegrationTests``). The index adds, replaces (by content-hash id) and
  queries clauses through this store, so its LangChain contract is part of what we rely on.

The suites forbid overriding their tests (``test_no_overrides_DO_NOT_OVERRIDE``); we configure them
only through their properties and fixtures. Their async tests run on asyncio through the anyio
plugin (the project runs pytest-asyncio in strict mode, which would not pick up unmarked
inherited coroutines).

The encoder is loaded once per process (``assistant.embedding.load_sentence_transformer`` is
cached) and the index is built once per module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from langchain_core.embeddings import Embeddings  # noqa: E402
from langchain_core.retrievers import BaseRetriever  # noqa: E402
from langchain_core.vectorstores import VectorStore  # noqa: E402
from langchain_tests.integration_tests import (  # noqa: E402
    EmbeddingsIntegrationTests,
    RetrieversIntegrationTests,
    VectorStoreIntegrationTests,
)
from langchain_tests.unit_tests import EmbeddingsUnitTests  # noqa: E402

from assistant.config import DEFAULT_EMBEDDER, Settings  # noqa: E402
from assistant.embedding import SentenceTransformerEmbeddings  # noqa: E402
from assistant.retrieval import PolicyRetriever  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"
QUERY = "承接主体需要具备什么条件？"

_HYBRID: dict[str, Any] = {}
"""The HybridRetriever over the module's index, set by the ``hybrid_index`` fixture."""


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    """LangChain's async defaults run the sync code in an asyncio executor: asyncio only."""
    return "asyncio"


@pytest.fixture(scope="module")
def embeddings() -> SentenceTransformerEmbeddings:
    """The real bundled encoder, loaded once (the model is cached process-wide)."""
    model = SentenceTransformerEmbeddings()
    model.embed_query("预热")  # load the weights now, not inside the first timed test
    return model


@pytest.fixture(scope="module")
def hybrid_index(tmp_path_factory: pytest.TempPathFactory, embeddings: SentenceTransformerEmbeddings) -> Iterator[Any]:
    """A HybridRetriever over an index of the shipped corpus built in a temporary directory."""
    from assistant import index
    from assistant.lexicon import Lexicon
    from assistant.retrieval import BM25Retriever, DenseRetriever, HybridRetriever

    settings = Settings.load(index_dir=tmp_path_factory.mktemp("index"), corpus_dir=CORPUS_DIR)
    index.build_index(settings, force=True, embeddings=embeddings)
    loaded = index.open_index(settings, embeddings=embeddings)
    lexicon = Lexicon.load(settings.corpus_dir / "lexicon.yaml")
    weights = {d.doc_id: settings.reference_weight for d in loaded.manifest.documents if d.kind == "reference"}
    hybrid = HybridRetriever(DenseRetriever(loaded), BM25Retriever(loaded.clauses, lexicon), document_weights=weights)
    _HYBRID["retriever"] = hybrid
    yield hybrid
    _HYBRID.clear()


class TestSentenceTransformerEmbeddingsUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[Embeddings]:
        return SentenceTransformerEmbeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"model_name": DEFAULT_EMBEDDER}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        """``POLICY_ASSISTANT_QUERY_FAST_PATH=0`` turns the query fast path off."""
        return {"POLICY_ASSISTANT_QUERY_FAST_PATH": "0"}, {}, {"fast_queries": False}


class TestSentenceTransformerEmbeddingsIntegration(EmbeddingsIntegrationTests):
    @pytest.fixture(autouse=True)
    def _loaded_once(self, embeddings: SentenceTransformerEmbeddings) -> None:
        """Load the encoder before the suite's ``model`` fixture builds fresh instances over it."""

    @property
    def embeddings_class(self) -> type[Embeddings]:
        return SentenceTransformerEmbeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"model_name": DEFAULT_EMBEDDER}


class TestSentenceTransformerEmbeddingsQueriesThroughModelIntegration(EmbeddingsIntegrationTests):
    """The same suite with queries routed through sentence-transformers (``fast_queries=False``)."""

    @pytest.fixture(autouse=True)
    def _loaded_once(self, embeddings: SentenceTransformerEmbeddings) -> None:
        """Load the encoder before the suite's ``model`` fixture builds fresh instances over it."""

    @property
    def embeddings_class(self) -> type[Embeddings]:
        return SentenceTransformerEmbeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"model_name": DEFAULT_EMBEDDER, "fast_queries": False}


class TestPolicyRetrieverIntegration(RetrieversIntegrationTests):
    @pytest.fixture(autouse=True)
    def _index(self, hybrid_index: Any) -> None:
        """Build the index before any test reads ``retriever_constructor_params``."""

    @property
    def retriever_constructor(self) -> type[BaseRetriever]:
        return PolicyRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"retriever": _HYBRID["retriever"], "k": 4}

    @property
    def retriever_query_example(self) -> str:
        return QUERY


class TestIndexChromaStore(VectorStoreIntegrationTests):
    """The Chroma store as ``assistant.index`` configures it, holding our real embeddings."""

    @staticmethod
    def get_embeddings() -> Embeddings:
        return SentenceTransformerEmbeddings()

    @pytest.fixture
    def vectorstore(self, tmp_path: Path, embeddings: SentenceTransformerEmbeddings) -> Iterator[VectorStore]:
        from assistant.index import _chroma

        store = _chroma(tmp_path / "chroma", self.get_embeddings())
        try:
            yield store
        finally:
            store.delete_collection()
