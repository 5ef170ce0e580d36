"""The on-disk index: built once, rebuilt when the corpus or the embedder changes, never left half-written."""

from __future__ import annotations

import json

import pytest

from assistant.api import Settings
from assistant.embedding import HashingEmbeddings
from assistant.errors import DocumentError
from assistant.index import build_index, open_index, read_manifest, staleness

pytestmark = pytest.mark.unit


@pytest.fixture
def settings(tmp_corpus, tmp_path):
    return Settings.load(corpus_dir=tmp_corpus, index_dir=tmp_path / "index")


def test_a_fresh_index_is_built_and_then_up_to_date(settings):
    assert staleness(settings) is not None
    manifest = build_index(settings, embeddings=HashingEmbeddings())
    assert staleness(settings) is None
    assert manifest.clause_count == len(open_index(settings, embeddings=HashingEmbeddings()).clauses)
    assert any(d.doc_id == "wzb-2014-118" for d in manifest.documents)


def test_editing_a_document_makes_the_index_stale_and_the_rebuild_reuses_unchanged_vectors(settings, counting_embeddings):
    build_index(settings, embeddings=HashingEmbeddings())
    seed = settings.documents_dir / "wzb-2014-118.md"
    seed.write_text(seed.read_text(encoding="utf-8").replace("严禁转包行为", "严禁转包和违法分包行为"), encoding="utf-8")
    assert staleness(settings) == "语料已变更 (corpus changed)"

    counting = counting_embeddings
    build_index(settings, embeddings=counting)
    assert staleness(settings) is None
    assert 0 < counting.embedded <= 4  # the changed clause, its changed sentence, nothing else
    clauses = open_index(settings, embeddings=HashingEmbeddings()).clauses
    assert any("严禁转包和违法分包行为" in c.text for c in clauses)


def test_adding_a_document_makes_its_clauses_searchable(settings):
    build_index(settings, embeddings=HashingEmbeddings())
    (settings.documents_dir / "agency.md").write_text(
        "---\ndoc_id: agency-1\ntitle: 某局购买服务实施细则\ndoc_number: 某财〔2024〕1号\nissuer: 某局\n"
        "date: 2024-05-01\nstatus: 现行有效\nscope: 温州市\n---\n第一条　本细则适用于本局购买的居家养老服务。\n",
        encoding="utf-8",
    )
    build_index(settings, embeddings=HashingEmbeddings())
    keys = {c.key for c in open_index(settings, embeddings=HashingEmbeddings()).clauses}
    assert "agency-1#第一条" in keys


def test_changing_the_embedder_makes_the_index_stale(settings):
    build_index(settings, embeddings=HashingEmbeddings())
    other = settings.model_copy(update={"embedder": "/models/another-sentence-transformer"})
    assert staleness(other) == "嵌入模型已更换 (embedder changed)"


def test_a_malformed_new_document_is_refused_and_the_previous_index_keeps_serving(settings):
    build_index(settings, embeddings=HashingEmbeddings())
    before = read_manifest(settings.index_dir)
    (settings.documents_dir / "broken.md").write_text("没有 front matter 的文件\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="broken.md"):
        build_index(settings, embeddings=HashingEmbeddings())
    assert read_manifest(settings.index_dir) == before
    assert open_index(settings, embeddings=HashingEmbeddings()).clauses
    assert [p.name for p in settings.index_dir.glob("build-*")] == [before.build]


def test_a_crash_during_embedding_leaves_no_partial_build(settings):
    build_index(settings, embeddings=HashingEmbeddings())
    before = json.loads((settings.index_dir / "manifest.json").read_text(encoding="utf-8"))
    (settings.documents_dir / "wzb-2014-118.md").write_text(
        (settings.documents_dir / "wzb-2014-118.md").read_text(encoding="utf-8") + "\n补充段落。\n", encoding="utf-8"
    )
    with pytest.raises(RuntimeError, match="encoder crashed"):
        build_index(settings, embeddings=_FailingEmbeddings())
    assert json.loads((settings.index_dir / "manifest.json").read_text(encoding="utf-8")) == before
    assert len(list(settings.index_dir.glob("build-*"))) == 1




class _FailingEmbeddings(HashingEmbeddings):
    def embed_documents(self, texts):
        raise RuntimeError("encoder crashed")


def test_an_agency_document_for_another_city_makes_that_city_answerable(settings):
    from assistant.api import Assistant

    (settings.documents_dir / "hz.md").write_text(
        "---\ndoc_id: hz-2015-1\ntitle: 杭州市政府购买服务实施办法\ndoc_number: 杭政办〔2015〕1号\nissuer: 杭州市人民政府办公厅\n"
        "date: 2015-01-01\nstatus: 现行有效\nscope: 杭州市\n---\n第一条　杭州市的承接主体应当具有良好的纳税记录和社会保险缴纳记录。\n",
        encoding="utf-8",
    )
    assistant = Assistant.open(settings, embeddings=HashingEmbeddings())
    answer = assistant.ask("杭州市的承接主体要有什么纳税记录？")
    assert answer.answerable
    assert "hz-2015-1" in {c.doc_id for c in answer.citations}
    assert not assistant.ask("北京市的承接主体要什么条件？").answerable


def test_an_answer_from_a_repealed_document_says_it_is_repealed(settings):
    from assistant.api import Assistant

    (settings.documents_dir / "wz2011.md").write_text(
        "---\ndoc_id: wzb-2011-172\ntitle: 温州市人民政府办公室关于政府购买社会组织服务的实施意见\ndoc_number: 温政办〔2011〕172号\n"
        "issuer: 温州市人民政府办公室\ndate: 2011-10-01\nstatus: 现行有效\nscope: 温州市\n---\n"
        "一、社会组织承接购买服务项目的，应当提交年度检查合格证明和项目执行方案。\n",
        encoding="utf-8",
    )
    answer = Assistant.open(settings, embeddings=HashingEmbeddings()).ask("社会组织承接项目要提交年度检查合格证明和项目执行方案吗？")
    assert answer.citations[0].doc_id == "wzb-2011-172"
    assert "温政办〔2011〕172号已废止" in answer.answer
