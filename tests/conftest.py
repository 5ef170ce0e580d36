"""Shared fixtures. Tests never reach the network: any non-loopback connection fails."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "documents" / "wzb-2014-118.md"

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> object:
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0"):
        raise RuntimeError(f"network access attempted in a test: {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture
def tmp_corpus(tmp_path: Path) -> Path:
    """A writable copy of the shipped corpus (documents and lexicon)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    return corpus


@pytest.fixture(scope="session")
def real_assistant(tmp_path_factory: pytest.TempPathFactory):
    """The shipped assistant (real encoder, real corpus), index built once into a temp dir."""
    from assistant.api import Assistant, Settings

    return Assistant.open(Settings.load(index_dir=tmp_path_factory.mktemp("index"), corpus_dir=ROOT / "corpus"))


@pytest.fixture
def counting_embeddings():
    """Deterministic fake embeddings that count the texts sent to ``embed_documents`` (what a rebuild re-embeds)."""
    from assistant.embedding import HashingEmbeddings

    class CountingEmbeddings(HashingEmbeddings):
        def __init__(self) -> None:
            super().__init__()
            self.embedded = 0

        def embed_documents(self, texts):
            self.embedded += len(texts)
            return super().embed_documents(texts)

    return CountingEmbeddings()
