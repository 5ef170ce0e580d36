"""The one facade of the assistant: the CLI, the Streamlit app and the evals call only this module.

Example::

    from assistant.api import Assistant
    assistant = Assistant.open()          # loads or (re)builds the index
    answer = assistant.ask("参公管理的事业单位能不能作为购买主体？")
    print(answer.answer, [c.label for c in answer.citations])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from assistant.config import Settings
from assistant.models import Answer, Clause, Decision, DocumentMeta, Message, Passage

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)`` while the index builds."""


class Assistant:
    """Answers questions with citations and computes rule decisions over one corpus."""

    def __init__(self, settings: Settings, engine: object) -> None:
        self.settings = settings
        self._engine = engine

    @classmethod
    def open(cls, settings: Settings | None = None, *, rebuild: bool = False, progress: ProgressCallback | None = None) -> Assistant:
        """Open the assistant, building the index first when it is missing or stale."""
        raise NotImplementedError

    def ask(self, question: str, history: Sequence[Message] = ()) -> Answer:
        """Answer one question (in Chinese), citing the clauses every policy statement rests on."""
        raise NotImplementedError

    def search(self, query: str, *, top_k: int | None = None) -> list[Passage]:
        """Hybrid retrieval of the clauses most relevant to ``query``, best first."""
        raise NotImplementedError

    def documents(self) -> list[DocumentMeta]:
        """Provenance of every indexed document."""
        raise NotImplementedError

    def clauses(self) -> list[Clause]:
        """Every indexed clause, in corpus order."""
        raise NotImplementedError

    def check(self, tool: str, facts: dict[str, object], *, on: date | None = None) -> Decision:
        """Run one rule tool (eligibility, qualification, method) on structured facts."""
        raise NotImplementedError
