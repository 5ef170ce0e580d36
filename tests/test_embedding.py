"""The bundled encoder: loaded through sentence-transformers, replaceable, and fast for queries."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.config import DEFAULT_EMBEDDER
from assistant.embedding import HashingEmbeddings, SentenceTransformerEmbeddings, load_sentence_transformer
from assistant.errors import ConfigError

TEXTS = ["参公管理的事业单位能不能作为购买主体？", "Who can be a supplier?", "承接主體需要什麼條件？", "资金实行国库集中支付。"]


@pytest.mark.integration
def test_the_default_encoder_loads_offline_through_sentence_transformers():
    from sentence_transformers import SentenceTransformer

    model = load_sentence_transformer(DEFAULT_EMBEDDER)
    assert isinstance(model, SentenceTransformer)
    vectors = model.encode(TEXTS, normalize_embeddings=True)
    assert vectors.shape == (4, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.integration
def test_the_query_fast_path_gives_the_same_vectors_as_sentence_transformers():
    fast = SentenceTransformerEmbeddings(fast_queries=True)
    slow = SentenceTransformerEmbeddings(fast_queries=False)
    for text in TEXTS:
        assert np.allclose(fast.embed_query(text), slow.embed_query(text), atol=1e-6)
    assert np.allclose(slow.embed_documents(TEXTS), [fast.embed_query(t) for t in TEXTS], atol=1e-6)


@pytest.mark.integration
def test_related_chinese_questions_are_closer_than_unrelated_ones():
    embeddings = SentenceTransformerEmbeddings()
    purchaser, clause, weather = (np.array(embeddings.embed_query(t)) for t in ("谁可以作为购买主体", "政府购买服务的主体是各级行政机关", "明天天气怎么样"))
    assert purchaser @ clause > purchaser @ weather


@pytest.mark.unit
def test_a_model_that_cannot_be_loaded_offline_gives_a_clear_error():
    with pytest.raises(ConfigError, match="cannot load embedding model offline: '/nonexistent/model'"):
        load_sentence_transformer("/nonexistent/model")


@pytest.mark.unit
def test_the_fake_embedder_is_deterministic_and_normalised():
    fake = HashingEmbeddings()
    assert fake.embed_query("购买主体") == fake.embed_query("购买主体")
    assert abs(np.linalg.norm(fake.embed_query("购买主体")) - 1.0) < 1e-6
