"""Question cards: schema, coverage of the shipped corpus, index rebuilds, and retrieval through a card."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.api import Settings
from assistant.cards import CardError, CardFile, cards_dir, load_card_file, load_cards, orphan_cards
from assistant.corpus import load_corpus
from assistant.embedding import HashingEmbeddings
from assistant.index import build_index, open_index, read_manifest, staleness
from assistant.lexicon import Lexicon
from assistant.retrieval import BM25Retriever, DenseRetriever, HybridRetriever

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

# A paraphrase of 温政办〔2014〕118号 六（三） 资金支付 that shares no word with the clause text.
PARAPHRASE = "打款到账一般要多久"
CARD = "打款到账要多久"


@pytest.fixture
def settings(tmp_corpus, tmp_path):
    return Settings.load(corpus_dir=tmp_corpus, index_dir=tmp_path / "index")


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- schema
@pytest.mark.unit
def test_a_card_file_is_validated_by_a_strict_schema(tmp_path):
    good = _write(tmp_path / "ok.yaml", "doc_id: wzb-2014-118\ncards:\n  - clause: 六（三）\n    questions: [钱怎么打给我们？]\n")
    assert load_card_file(good) == CardFile(doc_id="wzb-2014-118", cards=[{"clause": "六（三）", "questions": ["钱怎么打给我们？"]}])

    cases = {
        "extra_top.yaml": "doc_id: wzb-2014-118\nauthor: me\ncards: []\n",
        "extra_entry.yaml": "doc_id: wzb-2014-118\ncards:\n  - clause: 六（三）\n    questions: [钱怎么付]\n    weight: 2\n",
        "no_questions.yaml": "doc_id: wzb-2014-118\ncards:\n  - clause: 六（三）\n    questions: []\n",
        "blank_question.yaml": "doc_id: wzb-2014-118\ncards:\n  - clause: 六（三）\n    questions: ['  ']\n",
        "no_doc.yaml": "cards:\n  - clause: 六（三）\n    questions: [钱怎么付]\n",
        "not_yaml.yaml": "doc_id: [unclosed\n",
        "a_list.yaml": "- 钱怎么付\n",
        "twice.yaml": "doc_id: wzb-2014-118\ncards:\n  - clause: 六（三）\n    questions: [a]\n  - clause: 六（三）\n    questions: [b]\n",
    }
    for name, text in cases.items():
        with pytest.raises(CardError, match=name.replace(".", r"\.")):
            load_card_file(_write(tmp_path / name, text))


@pytest.mark.unit
def test_a_malformed_card_file_is_refused_by_the_build_and_the_previous_index_keeps_serving(settings):
    build_index(settings, embeddings=HashingEmbeddings())
    before = read_manifest(settings.index_dir)
    _write(cards_dir(settings.corpus_dir) / "broken.yaml", "doc_id: wzb-2014-118\ncards:\n  - clause: 六（三）\n    question: [typo]\n")
    assert staleness(settings) == "问题卡片已变更 (question cards changed)"
    with pytest.raises(CardError, match="broken.yaml"):
        build_index(settings, embeddings=HashingEmbeddings())
    assert read_manifest(settings.index_dir) == before
    assert open_index(settings, embeddings=HashingEmbeddings()).card_questions


# ----------------------------------------------------------------------------- the shipped cards
@pytest.mark.unit
def test_every_shipped_card_names_an_existing_clause_and_every_clause_has_7_to_14_cards_from_two_writers():
    documents = load_corpus(CORPUS / "documents")
    cards = load_cards(cards_dir(CORPUS), documents, strict=True)  # raises on any unknown doc or clause
    keys = [c.key for d in documents for c in d.clauses]
    assert [k for k in keys if k not in cards] == []
    assert {k: len(q) for k, q in cards.items() if not 7 <= len(q) <= 14} == {}


@pytest.mark.unit
def test_a_card_for_a_clause_that_no_longer_exists_is_skipped_by_the_build_but_fails_the_strict_check(settings, caplog):
    documents = load_corpus(settings.documents_dir)
    _write(cards_dir(settings.corpus_dir) / "orphans.yaml", "doc_id: ref-mof-102\ncards:\n  - clause: 第九十九条\n    questions: [没有这一条]\n")
    # ref-mof-102 now has two card files: refused whatever the mode
    with pytest.raises(CardError, match="duplicate card file"):
        load_cards(cards_dir(settings.corpus_dir), documents)
    (cards_dir(settings.corpus_dir) / "ref-mof-102.yaml").unlink()

    assert orphan_cards(cards_dir(settings.corpus_dir), documents) == [
        f"{cards_dir(settings.corpus_dir) / 'orphans.yaml'}: 文档 ref-mof-102 没有条款 '第九十九条' (no such clause)"
    ]
    with pytest.raises(CardError, match="orphans.yaml.*第九十九条"):
        load_cards(cards_dir(settings.corpus_dir), documents, strict=True)
    with caplog.at_level(logging.WARNING, logger="assistant.cards"):
        build_index(settings, embeddings=HashingEmbeddings())
    assert "第九十九条" in caplog.text
    assert "没有这一条" not in open_index(settings, embeddings=HashingEmbeddings()).card_questions


# ----------------------------------------------------------------------------- index
@pytest.mark.unit
def test_changing_a_card_makes_the_index_stale_and_the_rebuild_embeds_only_the_new_question(settings, counting_embeddings):
    build_index(settings, embeddings=HashingEmbeddings())
    assert staleness(settings) is None
    path = cards_dir(settings.corpus_dir) / "wzb-2014-118.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("要不要走国库统一付款？", "钱是不是财政直接打到我们账户？"), encoding="utf-8")
    assert staleness(settings) == "问题卡片已变更 (question cards changed)"

    counting = counting_embeddings
    build_index(settings, embeddings=counting)
    assert staleness(settings) is None
    assert counting.embedded == 1  # vectors of every unchanged text are reused by content hash
    loaded = open_index(settings, embeddings=HashingEmbeddings())
    assert "钱是不是财政直接打到我们账户？" in loaded.cards()["wzb-2014-118#六（三）"]
    assert "要不要走国库统一付款？" not in loaded.card_questions

    shutil.rmtree(cards_dir(settings.corpus_dir))
    assert staleness(settings) == "问题卡片已变更 (question cards changed)"
    build_index(settings, embeddings=HashingEmbeddings())
    assert open_index(settings, embeddings=HashingEmbeddings()).card_questions == []
    assert read_manifest(settings.index_dir).cards_hash == ""


@pytest.mark.unit
def test_a_build_made_before_cards_existed_still_opens(settings):
    build_index(settings, embeddings=HashingEmbeddings())
    manifest = read_manifest(settings.index_dir)
    (settings.index_dir / manifest.build / "cards.json").unlink()
    raw = (settings.index_dir / "manifest.json").read_text(encoding="utf-8")
    (settings.index_dir / "manifest.json").write_text(raw.replace(f'"cards_hash": "{manifest.cards_hash}",', ""), encoding="utf-8")
    assert read_manifest(settings.index_dir).cards_hash == ""
    assert staleness(settings) == "问题卡片已变更 (question cards changed)"
    loaded = open_index(settings, embeddings=HashingEmbeddings())
    assert loaded.card_questions == [] and len(loaded.card_vectors) == 0
    assert DenseRetriever(loaded).retrieve("资金支付", top_k=3)


# ----------------------------------------------------------------------------- retrieval
def _only_card(settings: Settings) -> None:
    shutil.rmtree(cards_dir(settings.corpus_dir))
    _write(
        cards_dir(settings.corpus_dir) / "wzb-2014-118.yaml",
        f"doc_id: wzb-2014-118\ncards:\n  - clause: 六（三）\n    questions: [{CARD}]\n",
    )


@pytest.mark.unit
def test_a_card_makes_its_clause_retrievable_for_a_paraphrase_sharing_no_word_with_the_clause(settings):
    _only_card(settings)
    build_index(settings, embeddings=HashingEmbeddings())
    loaded = open_index(settings, embeddings=HashingEmbeddings())
    lexicon = Lexicon()  # no synonyms: only the card can bridge the words
    clause = next(c for c in loaded.clauses if c.key == "wzb-2014-118#六（三）")
    assert not set(lexicon.tokens(PARAPHRASE)) & set(lexicon.tokens(clause.context_text))

    def top(retriever) -> list[str]:
        return [p.clause.key for p in retriever.retrieve(PARAPHRASE, top_k=3)]

    assert clause.key not in top(BM25Retriever(loaded.clauses, lexicon))
    assert clause.key not in top(DenseRetriever(loaded, use_cards=False))
    assert top(BM25Retriever(loaded.clauses, lexicon, cards=loaded.cards()))[0] == clause.key
    assert top(DenseRetriever(loaded))[0] == clause.key
    hybrid = HybridRetriever(DenseRetriever(loaded), BM25Retriever(loaded.clauses, lexicon))  # attaches the cards
    assert top(hybrid)[0] == clause.key
    without = HybridRetriever(DenseRetriever(loaded, use_cards=False), BM25Retriever(loaded.clauses, lexicon), attach_cards=False)
    assert clause.key not in top(without)


@pytest.mark.unit
def test_dense_scores_are_the_exact_top_k_of_the_best_of_clause_and_card_cosines(settings):
    build_index(settings, embeddings=HashingEmbeddings())
    loaded = open_index(settings, embeddings=HashingEmbeddings())
    dense = DenseRetriever(loaded)
    embed = HashingEmbeddings()
    clause_vectors = np.asarray(embed.embed_documents([c.context_text for c in loaded.clauses]), dtype=np.float32)
    for query in ("钱怎么打给服务机构", "哪些事情不能买", "供应商要什么条件"):
        vector = np.asarray(embed.embed_query(query), dtype=np.float32)
        best = clause_vectors @ vector
        for position, cosine in zip(loaded.card_clauses, loaded.card_vectors @ vector, strict=True):
            best[position] = max(best[position], cosine)
        expected = np.sort(best)[::-1][:5]
        got = [p.score for p in dense.retrieve(query, top_k=5, query_vector=vector)]
        assert np.allclose(got, expected, atol=1e-5)


@pytest.mark.integration
def test_with_the_real_encoder_the_shipped_cards_find_the_payment_clause_for_a_colloquial_question(real_assistant):
    question = "款项是怎么付给承接单位的"
    clause = real_assistant.clause("wzb-2014-118#六（三）")
    lexicon = Lexicon.load(CORPUS / "lexicon.yaml")
    # Not one word (nor lexicon expansion) in common with 资金支付 / 国库集中支付: only the cards bridge it.
    assert not set(lexicon.query_tokens(question)) & set(lexicon.tokens(clause.context_text))
    assert real_assistant.search(question, top_k=3)[0].clause.key == clause.key


