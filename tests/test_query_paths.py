"""The fast query paths give what the slow ones give: clause vectors vs the Chroma search, cached tokens,
the catalog's plain jieba tokenizer."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.lexicon import Lexicon, plain_jieba_tokenizer

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.integration
@pytest.mark.parametrize("question", ["承接主体需要具备什么条件", "资金怎么支付", "单一来源采购的情形", "绩效评价"])
def test_dense_scores_from_the_clause_vectors_rank_as_the_chroma_search_does(real_assistant, question: str):
    from assistant.retrieval import DenseRetriever

    dense = DenseRetriever(real_assistant._index, use_cards=False)
    vector = dense.embed(question)
    fast = dense._clause_scores(vector, 5)
    hits = real_assistant._index.vectorstore.similarity_search_by_vector_with_relevance_scores(vector.tolist(), k=5)
    slow = [dense._position[(d.metadata["doc_id"], d.metadata["clause_id"])] for d, _ in hits]
    assert list(fast) == slow
    for (position, score), (_, distance) in zip(fast.items(), hits):
        assert score == pytest.approx(1.0 - distance, abs=1e-4)


@pytest.mark.unit
def test_saved_tokens_are_read_back_and_a_damaged_file_is_ignored(tmp_path: Path):
    lexicon = Lexicon.load(ROOT / "corpus" / "lexicon.yaml")
    tokens = lexicon.tokens("承接主体应当依法缴纳税收和社会保险")
    lexicon.save_tokens(tmp_path / "tokens.pkl")
    fresh = Lexicon.load(ROOT / "corpus" / "lexicon.yaml")
    fresh.load_tokens(tmp_path / "tokens.pkl")
    assert fresh._token_cache["承接主体应当依法缴纳税收和社会保险"] == tuple(tokens)
    (tmp_path / "bad.pkl").write_bytes(b"not a pickle")
    fresh.load_tokens(tmp_path / "bad.pkl")
    fresh.load_tokens(tmp_path / "missing.pkl")
    assert fresh.tokens("承接主体应当依法缴纳税收和社会保险") == tokens


@pytest.mark.unit
def test_the_token_fingerprint_changes_with_the_domain_words():
    base = Lexicon(words=("承接主体",))
    assert base.fingerprint() != Lexicon(words=("承接主体", "购买主体")).fingerprint()


@pytest.mark.unit
def test_the_catalog_tokenizer_never_sees_the_domain_words():
    Lexicon(words=("社区居家养老服务",)).warm_up()
    assert "社区居家养老服务" not in plain_jieba_tokenizer().lcut("社区居家养老服务")
