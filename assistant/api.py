"""The one facade of the assistant: the CLI, the Streamlit app and the evals call only this module.

Example::

    from assistant.api import Assistant
    assistant = Assistant.open()          # loads the index, (re)building it when stale
    answer = assistant.ask("参公管理的事业单位能不能作为购买主体？")
    print(answer.answer, [c.label for c in answer.citations])
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.errors import AssistantError, CatalogError, ConfigError, DocumentError, IndexError_, InputError, ParameterError
from assistant.models import Answer, Citation, Clause, Condition, Decision, DecisionCase, DocumentMeta, Message, MissingFact, Passage

__all__ = [
    "Answer",
    "Assistant",
    "AssistantError",
    "CatalogError",
    "Citation",
    "Clause",
    "Condition",
    "ConfigError",
    "Decision",
    "DecisionCase",
    "DocumentError",
    "DocumentMeta",
    "IndexError_",
    "InputError",
    "Message",
    "MissingFact",
    "ParameterError",
    "Passage",
    "Settings",
    "build_index",
    "check",
    "extract_facts",
    "import_catalog",
    "index_status",
    "match_service",
    "parse_amount",
    "render_decision",
]

OUT_OF_SCOPE_THRESHOLD = 0.6
"""Least classifier probability of "out of scope" for a question to be declined on that ground alone."""

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` while the index builds."""

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def build_index(settings: Settings | None = None, *, force: bool = False, progress: ProgressCallback | None = None) -> Any:
    """Build the index when it is missing or stale (or always, with ``force``); return its manifest."""
    from assistant import index

    settings = settings or Settings.load()
    manifest = index.build_index(settings, force=force, progress=progress)
    _train_readers(settings)
    return manifest


def _train_readers(settings: Settings) -> None:
    """Train (or find cached) the intent and situation readers, so that opening never pays for it."""
    import numpy as np

    from assistant.embedding import SentenceTransformerEmbeddings
    from assistant.nlu.conversation import SITUATION_FILES, situation_reader
    from assistant.nlu.intent import load_or_train, training_file

    embeddings = SentenceTransformerEmbeddings(settings.embedder)

    def embed(text: str) -> np.ndarray:
        return np.asarray(embeddings.embed_query(text), dtype=np.float32)

    training = training_file(settings)
    load_or_train(training, settings.index_dir / "nlu", settings.embedder, embed)
    from assistant import index
    from assistant.nlu import articles

    indexed = {c.key for c in index.open_index(settings, embeddings=embeddings).clauses}
    articles.load_or_train(articles.training_file(settings), indexed, settings.index_dir / "nlu", settings.embedder, embed)
    for names in SITUATION_FILES.values():
        for name in names:
            situation_reader(settings, training, settings.index_dir / "nlu", embed, name)


def index_status(settings: Settings | None = None) -> str | None:
    """Why the index needs a rebuild, or ``None`` when it is up to date."""
    from assistant import index

    return index.staleness(settings or Settings.load())


class Assistant:
    """Answers questions with citations and computes rule decisions over one corpus."""

    def __init__(self, settings: Settings, composer: Any, loaded: Any, dialogue: Any, conversation: Any) -> None:
        self.settings = settings
        self._composer = composer
        self._index = loaded
        self._dialogue = dialogue
        self._conversation = conversation

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        *,
        rebuild: bool = False,
        progress: ProgressCallback | None = None,
        embeddings: Any = None,
    ) -> Assistant:
        """Open the assistant, building the index first when it is missing or stale."""
        from assistant import index
        from assistant.answer import Composer, load_templates
        from assistant.corpus import repealed_documents
        from assistant.lexicon import Lexicon
        from assistant.relations import Relations
        from assistant.retrieval import BM25Retriever, DenseRetriever, HybridRetriever, WeightedRetriever

        settings = settings or Settings.load()
        if rebuild or index.staleness(settings) is not None:
            index.build_index(settings, force=rebuild, progress=progress, embeddings=embeddings)
        loaded = index.open_index(settings, embeddings=embeddings)
        lexicon = Lexicon.load(settings.corpus_dir / "lexicon.yaml")
        tokens = settings.index_dir / loaded.manifest.build / f"tokens-{lexicon.fingerprint()}.pkl"
        lexicon.load_tokens(tokens)
        dense = DenseRetriever(loaded)
        documents = list(loaded.manifest.documents)
        demoted = {d.doc_id for d in documents if d.kind == "reference"} | repealed_documents(documents)
        weights = {doc_id: settings.reference_weight for doc_id in demoted}
        retriever: Any
        if settings.retrieval == "hybrid":
            retriever = HybridRetriever(dense, BM25Retriever(loaded.clauses, lexicon, cards=loaded.cards()), document_weights=weights)
        elif settings.retrieval == "bm25":
            retriever = WeightedRetriever(BM25Retriever(loaded.clauses, lexicon, cards=loaded.cards()), weights)
        else:
            retriever = WeightedRetriever(dense, weights)
        composer = Composer(
            loaded,
            retriever,
            dense,
            lexicon,
            load_templates(PROMPTS_DIR / "answer_templates.yaml"),
            top_k=settings.top_k,
            relations=Relations.load(settings.corpus_dir, (c.key for c in loaded.clauses)),
            articles=_open_article_reader(settings, loaded, dense),
        )
        if not tokens.exists():
            lexicon.save_tokens(tokens)  # the clauses' and cards' tokens: the next open skips tokenising them
        dense.embed("政府购买服务")  # warm up: load the encoder's weights before the first question
        dialogue = _open_dialogue(settings, loaded, composer)
        return cls(settings, composer, loaded, dialogue, _open_understander(settings, loaded, dense, dialogue))

    def ask(self, question: str, history: Sequence[Message] = (), *, on: date | None = None) -> Answer:
        """Answer one question (in Chinese), citing the clauses every policy statement rests on.

        ``history`` is the conversation so far; an assistant turn's ``state`` (from :attr:`Answer.state`)
        carries an open decision, its facts and its pending questions to this turn.
        """
        if not isinstance(question, str):
            raise InputError(f"问题必须是文本 (question must be a string), got {type(question).__name__}")
        started = time.perf_counter()
        answer = self._turn(question, tuple(history), on=on or date.today())
        return answer.model_copy(update={"latency_ms": round((time.perf_counter() - started) * 1000, 3)})

    def with_article_reader(self, reader: Any) -> Assistant:
        """The same assistant reading which national article a question is about with another trained reader (or
        none), for out-of-fold evals."""
        from copy import copy

        composer = copy(self._composer)
        composer.articles = reader
        return Assistant(self.settings, composer, self._index, self._dialogue, self._conversation)

    def with_intent_classifier(self, classifier: Any) -> Assistant:
        """The same assistant reading intents with another trained classifier (for out-of-fold evals)."""
        from assistant.nlu.conversation import Conversation

        conversation = Conversation.open(self.settings, self._index, self._composer.dense, self._dialogue, classifier=classifier)
        return Assistant(self.settings, self._composer, self._index, self._dialogue, conversation)

    def embed(self, text: str) -> Any:
        """The query vector of ``text`` (the encoder the index was built with)."""
        return self._composer.dense.embed(text)

    def understand(self, question: str, history: Sequence[Message] = ()) -> Any:
        """What the assistant reads from one turn: intent, aspects, clause references, tools (an ``Understanding``)."""
        return self._conversation.understand(question, self._conversation.state_of(tuple(history)))

    def _turn(self, question: str, history: tuple[Message, ...], *, on: date) -> Answer:
        from assistant.nlu.models import TOOL_OF_INTENT, Intent

        composer = self._composer
        conversation = self._conversation
        # One encoder call for every text this turn will embed (the turn, its sub-sentences, the answer's parts):
        # a batch of four costs about what one text does alone; each later embed finds its vector cached.
        texts = [t for t in dict.fromkeys([*conversation.texts_to_embed(question), *composer.query_texts(question, history)]) if t]
        if texts:
            composer.dense.embed_many(texts)
        state = conversation.state_of(history)
        understanding = conversation.understand(question, state)
        if understanding is not None and history and state is None:
            understanding = conversation.resume(understanding, history)
        if understanding is None or (not understanding.continues and not understanding.tools and composer.declines(question)):
            # A case put to a rule tool is decided even when it names another place or a detail the texts
            # lack (注册在江苏的公司能不能投): the place is the supplier's, the detail one of its facts.
            return composer.answer(question, history, on=on)
        if understanding.tools:
            earlier = [m.content for m in history if m.role == "user"]
            decisions, new_state = conversation.decide(understanding, state, on=on, earlier=earlier)
            related = composer.answer(question, history, on=on)
            about = None if related.answerable else composer.article_about(question, history, on=on)
            rendered = self._dialogue.render(decisions, related=related, facts=new_state.facts, on=on, about=about)
            asked = None if understanding.continues else TOOL_OF_INTENT.get(understanding.intent)
            primary = next((d for d in decisions if d.tool == asked), rendered.decision)  # the decision the question asked for
            return rendered.model_copy(update={"state": new_state, "decision": primary})
        if understanding.intent is Intent.CLAUSE_REFERENCE and understanding.clause_refs:
            return composer.quote(understanding.clause_refs, question)
        if understanding.intent is Intent.GREETING and understanding.confidence >= 0.6 and len(understanding.text) <= 30:
            return composer.greet()
        if understanding.intent is Intent.OUT_OF_SCOPE and understanding.confidence >= OUT_OF_SCOPE_THRESHOLD:
            # A question for a period, amount or ratio is declined only when the best clauses do not state it.
            return composer.answer(question, history, on=on) if composer.asks_quantity(question) else composer.decline(question)
        return composer.answer(question, history, on=on)

    def search(self, query: str, *, top_k: int | None = None) -> list[Passage]:
        """Hybrid retrieval of the clauses most relevant to ``query``, best first."""
        from assistant.corpus import normalise

        return self._composer.retriever.retrieve(normalise(query), top_k=top_k or self.settings.top_k)

    def documents(self) -> list[DocumentMeta]:
        """Provenance of every indexed document."""
        return list(self._index.manifest.documents)

    def clauses(self) -> list[Clause]:
        """Every indexed clause, in corpus order."""
        return list(self._index.clauses)

    def clause(self, key: str) -> Clause | None:
        """The clause with key ``<doc_id>#<clause_id>``, if indexed."""
        return next((c for c in self._index.clauses if c.key == key), None)

    def check(self, tool: str, facts: dict[str, object], *, on: date | None = None) -> Decision:
        """Run one rule tool (eligibility, qualification, method or their full names) on facts."""
        return check(tool, facts, on=on, settings=self.settings)

    def outcome_label(self, decision: Decision) -> str:
        """A decision's outcome in Chinese (e.g. 应当公开招标), for display."""
        return self._dialogue.outcome_label(decision)

    def case_label(self, decision: Decision, case: DecisionCase) -> str:
        """The result under one reading of a missing fact (a decision's ``cases``), for display."""
        return self._dialogue.renderer.case_label(decision, case)

    def render(self, decision: Decision) -> Answer:
        """A decision as a chat answer: outcome first, then reasons with numbered citations."""
        return self._dialogue.render([decision])


def check(tool: str, facts: dict[str, object], *, on: date | None = None, settings: Settings | None = None) -> Decision:
    """Run one rule tool on structured facts, without opening the index (see :mod:`assistant.rules`)."""
    from assistant import dialogue

    return dialogue.check(settings or Settings.load(), tool, facts, on=on or date.today())


def extract_facts(tool: str, text: str) -> dict[str, object]:
    """The facts a rule tool reads from a Chinese description of the case (only those stated)."""
    from assistant.dialogue import tool_name
    from assistant.nlu.facts import extract

    return extract(tool_name(tool), text).model_dump(mode="json", exclude_defaults=True)


def parse_amount(text: str) -> float | None:
    """An amount in yuan from text such as ``80万``, ``八十万元`` or ``0.8百万``; ``None`` if there is none."""
    from assistant.nlu.amounts import parse_amount_yuan

    return parse_amount_yuan(text)


def render_decision(decision: Decision, *, settings: Settings | None = None) -> str:
    """A decision as readable Chinese Markdown, each reason citing its clauses by label (for the CLI);
    the same renderer and templates as the chat (:mod:`assistant.present`)."""
    from assistant.corpus import load_corpus
    from assistant.present import DecisionRenderer

    settings = settings or Settings.load()
    try:
        labels = {c.key: c.label for document in load_corpus(settings.documents_dir) for c in document.clauses}
    except AssistantError:
        labels = {}
    return DecisionRenderer().markdown(decision, labels)


def import_catalog(source: Path, *, settings: Settings | None = None, name: str = "default.yaml") -> int:
    """Validate an agency's service catalog (YAML, CSV or XLSX) and install it atomically; return its size."""
    from assistant.catalog import import_file

    settings = settings or Settings.load()
    return len(import_file(source, settings.catalog_dir / name))


def match_service(description: str, *, settings: Settings | None = None, top_k: int = 5) -> list[Any]:
    """Catalog items that best match a service description, best first."""
    from assistant.catalog import Catalog

    settings = settings or Settings.load()
    return Catalog.load(settings.catalog_dir / "default.yaml").rank(description, top_k=top_k)


def _open_article_reader(settings: Settings, loaded: Any, dense: Any) -> Any:
    from assistant.nlu.articles import load_or_train, training_file

    return load_or_train(training_file(settings), {c.key for c in loaded.clauses}, settings.index_dir / "nlu", settings.embedder, dense.embed)


def _open_understander(settings: Settings, loaded: Any, dense: Any, dialogue: Any) -> Any:
    """The language-understanding layer over this index (see :mod:`assistant.nlu.conversation`)."""
    from assistant.nlu.conversation import Conversation

    return Conversation.open(settings, loaded, dense, dialogue)


def _open_dialogue(settings: Settings, loaded: Any, composer: Any) -> Any:
    """The rule-tool dialogue (see :mod:`assistant.dialogue`); it ignores injected instructions too."""
    from assistant.dialogue import Dialogue

    return Dialogue.open(settings, loaded, strip=composer.strip_injection)
