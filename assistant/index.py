"""The on-disk index: clauses embedded into a persistent Chroma collection, plus sentence vectors.

Layout of ``index_dir``::

    manifest.json          # the commit point: corpus hash, embedder, parser version, active build
    build-<id>/            # one complete build; never modified once the manifest points at it
        clauses.json       # clauses in corpus order, with document provenance
        chroma/            # Chroma collection (through LangChain), one vector per clause
        vectors.npz        # every embedded text (clauses, sentences, card questions) keyed by content hash
        sentences.json     # sentence segmentation used by the answer composer
        cards.json         # question cards (corpus/cards/*.yaml) as [clause position, question]

A build is written into a fresh ``build-<id>`` folder under a file lock, then ``manifest.json``
is replaced atomically: a crash or a bad document never leaves a half-written index, and the
previous build keeps serving. Unchanged texts reuse their vectors from the previous build.
Question cards (:mod:`assistant.cards`) are part of what an index is built from: a card change
makes the index stale, and each card question is embedded at build time, never at query time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from assistant.cards import cards_dir, cards_hash, load_cards
from assistant.config import Settings
from assistant.corpus import PARSER_VERSION, ParsedDocument, chunk_id, load_corpus
from assistant.errors import DocumentError, IndexError_
from assistant.models import Clause, DocumentMeta

INDEX_FORMAT = "2"
"""Bumped when what an index holds changes (2: a closing bracket or quote after 。 stays with its sentence)."""
COLLECTION = "policy_clauses"
Progress = Callable[[str, int, int], None]

_SENTENCE_END = re.compile(r"(?<=[。；！？])(?![）)」』”’】])|(?<=[。；！？][）)」』”’】])")


class Manifest(BaseModel):
    """What an index was built from; any difference with the corpus triggers a rebuild."""

    index_format: str
    parser_version: str
    embedder: str
    corpus_hash: str
    cards_hash: str = ""
    """Hash of the question-card files ('' when the corpus has none)."""
    build: str
    built_at: str
    clause_count: int
    documents: list[DocumentMeta]


@dataclass(frozen=True)
class Sentence:
    clause_index: int
    text: str


@dataclass
class LoadedIndex:
    """An opened build: clauses, their Chroma store and the clause, sentence and card vectors.

    The Chroma collection (through LangChain) is the store of record; it is opened on first use of
    :attr:`vectorstore`. Questions are scored against ``clause_vectors``, the same vectors read from the
    build's vector file, so answering needs no database client (measured: ~1.5 s of a cold start).
    """

    manifest: Manifest
    clauses: list[Clause]
    chroma_dir: Path
    embeddings: Any
    sentences: list[Sentence]
    sentence_vectors: np.ndarray
    sentence_ranges: list[tuple[int, int]]
    clause_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), dtype=np.float32))
    """Unit vector of each clause's indexed text (heading path + text), in clause order."""
    card_clauses: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Clause position of each card question (sorted ascending)."""
    card_questions: list[str] = field(default_factory=list)
    card_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), dtype=np.float32))
    _store: Any = field(default=None, repr=False)

    @property
    def vectorstore(self) -> Any:
        """The build's Chroma collection as a LangChain vector store (opened on first use)."""
        if self._store is None:
            self._store = _chroma(self.chroma_dir, self.embeddings)
        return self._store

    def cards(self) -> dict[str, tuple[str, ...]]:
        """Card questions by clause key, in corpus order."""
        found: dict[str, list[str]] = {}
        for position, question in zip(self.card_clauses.tolist(), self.card_questions, strict=True):
            found.setdefault(self.clauses[position].key, []).append(question)
        return {key: tuple(questions) for key, questions in found.items()}

    def sentences_of(self, clause_index: int) -> range:
        start, stop = self.sentence_ranges[clause_index]
        return range(start, stop)


def split_sentences(text: str) -> list[str]:
    """Split clause text into sentences at 。；！？ and line breaks (keeping the punctuation, and a closing bracket or
    quote right after it: （…本摘要未核实。） is one sentence)."""
    parts: list[str] = []
    for line in text.split("\n"):
        parts.extend(p.strip() for p in _SENTENCE_END.split(line) if p.strip())
    return parts


def corpus_hash(documents: list[ParsedDocument]) -> str:
    digest = hashlib.sha256()
    for document in sorted(documents, key=lambda d: d.meta.doc_id):
        digest.update(f"{document.meta.doc_id}:{document.sha256}\n".encode())
    return digest.hexdigest()


def read_manifest(index_dir: Path) -> Manifest | None:
    path = index_dir / "manifest.json"
    if not path.exists():
        return None
    try:
        return Manifest.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError:
        return None


def staleness(settings: Settings, documents: list[ParsedDocument] | None = None) -> str | None:
    """Why the index must be rebuilt, or ``None`` when it matches the corpus and the embedder."""
    from assistant.embedding import model_fingerprint

    manifest = read_manifest(settings.index_dir)
    if manifest is None:
        return "索引不存在 (no index yet)"
    if not (settings.index_dir / manifest.build).is_dir():
        return "索引文件缺失 (build folder missing)"
    documents = documents if documents is not None else load_corpus(settings.documents_dir)
    checks = (
        (manifest.index_format, INDEX_FORMAT, "索引格式已更新 (index format changed)"),
        (manifest.parser_version, PARSER_VERSION, "解析器已更新 (parser version changed)"),
        (manifest.embedder, model_fingerprint(settings.embedder), "嵌入模型已更换 (embedder changed)"),
        (manifest.corpus_hash, corpus_hash(documents), "语料已变更 (corpus changed)"),
        (manifest.cards_hash, cards_hash(cards_dir(settings.corpus_dir)), "问题卡片已变更 (question cards changed)"),
    )
    for have, want, reason in checks:
        if have != want:
            return reason
    return None


class _ReusingEmbeddings:
    """LangChain embeddings that reuse vectors of texts embedded by a previous build."""

    def __init__(self, base: Any, known: dict[str, np.ndarray]) -> None:
        self.base = base
        self.known = known
        self.computed = 0

    def _vectors(self, texts: list[str]) -> list[list[float]]:
        keys = [_text_key(t) for t in texts]
        missing = [t for t, k in zip(texts, keys, strict=True) if k not in self.known]
        if missing:
            fresh = self.base.embed_documents(missing)
            self.computed += len(missing)
            for text, vector in zip(missing, fresh, strict=True):
                self.known[_text_key(text)] = np.asarray(vector, dtype=np.float32)
        return [self.known[k].tolist() for k in keys]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._vectors(list(texts))

    def embed_query(self, text: str) -> list[float]:
        return self.base.embed_query(text)


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _chroma(path: Path, embeddings: Any) -> Any:
    import chromadb
    from langchain_chroma import Chroma

    client = chromadb.PersistentClient(path=str(path), settings=chromadb.Settings(anonymized_telemetry=False))
    return Chroma(
        collection_name=COLLECTION,
        embedding_function=embeddings,
        client=client,
        collection_metadata={"hnsw:space": "cosine"},
    )


def _load_known_vectors(index_dir: Path, manifest: Manifest | None, embedder: str) -> dict[str, np.ndarray]:
    if manifest is None or manifest.embedder != embedder:
        return {}
    path = index_dir / manifest.build / "vectors.npz"
    if not path.exists():
        return {}
    with np.load(path) as data:
        return {key: data[key] for key in data.files}


def build_index(
    settings: Settings, *, force: bool = False, progress: Progress | None = None, embeddings: Any = None
) -> Manifest:
    """Build (or rebuild) the index when it is stale, under a file lock; return the active manifest.

    :raises DocumentError: if a corpus document is malformed (the existing index is kept).
    """
    from filelock import FileLock, Timeout

    from assistant.embedding import SentenceTransformerEmbeddings, model_fingerprint

    report = progress or (lambda stage, done, total: None)
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    try:
        lock = FileLock(str(settings.index_dir / ".build.lock"), timeout=600)
        lock.acquire()
    except Timeout:
        raise IndexError_(f"另一个进程正在构建索引 (index is being built by another process): {settings.index_dir}") from None
    try:
        report("解析文档 parsing", 0, 1)
        documents = load_corpus(settings.documents_dir)
        if not documents:
            raise DocumentError(f"{settings.documents_dir}: 没有任何文档 (no documents)")
        cards_digest = cards_hash(cards_dir(settings.corpus_dir))  # before reading: an edit meanwhile means stale
        cards = load_cards(cards_dir(settings.corpus_dir), documents)
        report("解析文档 parsing", 1, 1)
        previous = read_manifest(settings.index_dir)
        if not force and staleness(settings, documents) is None and previous is not None:
            return previous
        fingerprint = model_fingerprint(settings.embedder)
        base = embeddings or SentenceTransformerEmbeddings(settings.embedder)
        reusing = _ReusingEmbeddings(base, _load_known_vectors(settings.index_dir, previous, fingerprint))
        build = f"build-{datetime.now(timezone.utc).strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
        build_dir = settings.index_dir / build
        try:
            manifest = _write_build(settings, documents, build, build_dir, reusing, fingerprint, report, cards, cards_digest)
        except BaseException:
            shutil.rmtree(build_dir, ignore_errors=True)
            raise
        _atomic_write(settings.index_dir / "manifest.json", manifest.model_dump_json(indent=2))
        for old in settings.index_dir.glob("build-*"):
            if old.name != build:
                shutil.rmtree(old, ignore_errors=True)
        return manifest
    finally:
        lock.release()


def _write_build(
    settings: Settings,
    documents: list[ParsedDocument],
    build: str,
    build_dir: Path,
    embeddings: _ReusingEmbeddings,
    fingerprint: str,
    report: Progress,
    cards: dict[str, tuple[str, ...]] | None = None,
    cards_digest: str = "",
) -> Manifest:
    clauses = [clause for document in documents for clause in document.clauses]
    build_dir.mkdir(parents=True)
    (build_dir / "clauses.json").write_text(
        json.dumps([c.model_dump() for c in clauses], ensure_ascii=False), encoding="utf-8"
    )
    sentences = [(i, s) for i, clause in enumerate(clauses) for s in split_sentences(clause.text)]
    (build_dir / "sentences.json").write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")
    cards = cards or {}
    card_rows = [(i, q) for i, clause in enumerate(clauses) for q in cards.get(clause.key, ())]
    (build_dir / "cards.json").write_text(json.dumps(card_rows, ensure_ascii=False), encoding="utf-8")

    texts = [c.context_text for c in clauses] + [s for _, s in sentences] + [q for _, q in card_rows]
    batch = 32
    for start in range(0, len(texts), batch):
        embeddings.embed_documents(texts[start : start + batch])
        report("计算向量 embedding", min(start + batch, len(texts)), len(texts))

    store = _chroma(build_dir / "chroma", embeddings)
    ids = [chunk_id(c) for c in clauses]
    metadatas = [{"doc_id": c.doc_id, "clause_id": c.clause_id, "position": i} for i, c in enumerate(clauses)]
    for start in range(0, len(clauses), batch):
        store.add_texts(
            texts=[c.context_text for c in clauses[start : start + batch]],
            metadatas=metadatas[start : start + batch],
            ids=ids[start : start + batch],
        )
        report("写入向量库 storing", min(start + batch, len(clauses)), len(clauses))
    vectors = {_text_key(t): embeddings.known[_text_key(t)] for t in texts}
    np.savez(build_dir / "vectors.npz", **vectors)
    return Manifest(
        index_format=INDEX_FORMAT,
        parser_version=PARSER_VERSION,
        embedder=fingerprint,
        corpus_hash=corpus_hash(documents),
        cards_hash=cards_digest,
        build=build,
        built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        clause_count=len(clauses),
        documents=[d.meta for d in documents],
    )


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.{time.monotonic_ns()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def open_index(settings: Settings, *, embeddings: Any = None) -> LoadedIndex:
    """Open the active build named by the manifest.

    :raises IndexError_: if there is no usable index (run ``policy-assistant index``).
    """
    from assistant.embedding import SentenceTransformerEmbeddings

    manifest = read_manifest(settings.index_dir)
    if manifest is None or not (settings.index_dir / manifest.build).is_dir():
        raise IndexError_(f"没有可用的索引，请先运行 `policy-assistant index` (no index in {settings.index_dir})")
    build_dir = settings.index_dir / manifest.build
    clauses = [Clause(**c) for c in json.loads((build_dir / "clauses.json").read_text(encoding="utf-8"))]
    raw_sentences = json.loads((build_dir / "sentences.json").read_text(encoding="utf-8"))
    sentences = [Sentence(i, s) for i, s in raw_sentences]
    embeddings = embeddings or SentenceTransformerEmbeddings(settings.embedder)
    with np.load(build_dir / "vectors.npz") as data:
        sentence_vectors = np.stack([data[_text_key(s.text)] for s in sentences]) if sentences else np.zeros((0, 1))
        clause_vectors = np.stack([data[_text_key(c.context_text)] for c in clauses]) if clauses else np.zeros((0, 1))
        card_rows = _read_cards(build_dir)
        card_vectors = (
            np.stack([data[_text_key(q)] for _, q in card_rows]) if card_rows else np.zeros((0, sentence_vectors.shape[1]))
        )
    counts = Counter(s.clause_index for s in sentences)
    ranges: list[tuple[int, int]] = []
    position = 0
    for index in range(len(clauses)):
        ranges.append((position, position + counts[index]))
        position += counts[index]
    return LoadedIndex(
        manifest=manifest,
        clauses=clauses,
        chroma_dir=build_dir / "chroma",
        embeddings=embeddings,
        sentences=sentences,
        sentence_vectors=sentence_vectors.astype(np.float32),
        sentence_ranges=ranges,
        clause_vectors=_unit_rows(clause_vectors.astype(np.float32)),
        card_clauses=np.asarray([i for i, _ in card_rows], dtype=np.int64),
        card_questions=[q for _, q in card_rows],
        card_vectors=card_vectors.astype(np.float32),
    )


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def _read_cards(build_dir: Path) -> list[tuple[int, str]]:
    """Card rows of a build ([] for builds made before cards existed)."""
    path = build_dir / "cards.json"
    if not path.exists():
        return []
    return [(int(i), str(q)) for i, q in json.loads(path.read_text(encoding="utf-8"))]
