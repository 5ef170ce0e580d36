"""Evals on question sets written by other hands (JSON lines), scored as an outside reviewer scores them.

One line per question (the format of the independent development set and of ``evals/blind/``)::

    {"id", "kind", "persona", "question" | "turns", "evidence"?, "answer_points"?, "expected"?,
     "expected_source"?, "supersedes_local"?, "why"?}

``kind`` is one of lookup, clause_ref, national, eligibility, qualification, method, out_of_scope,
dialogue, and (issue 7, "which rule applies today") current_rule and statute::

    current_rule: {"expected_source": governing article(s) "财政部令第102号 第十条[；…]", "answer_points",
                   "local_clause": the 118号 clause whose rule changed ("" when 118号 is silent), "local_rule"}
    statute:      {"expected_source": "政府采购法[实施条例] 第X条", "answer_points"}

Measures (each over the cases it applies to):

* hit@1 / hit@3 — an evidence string (lookup, clause_ref) is in the first / a top-3 citation; for
  ``national`` cases the cited clause label names the expected document and article;
* key points — share of ``answer_points`` stated in the answer (whitespace and punctuation ignored);
* out-of-scope declined — out_of_scope cases answered with ``answerable = False``;
* in-scope answered — every other case answered (not declined);
* decisions — eligibility / qualification outcome in ``expected.accept``;
* methods — the methods the decision names are non-empty and all acceptable (``expected.methods``);
  *situational* methods are method cases that state no amount;
* clause references — clause_ref cases with hit@1;
* dialogues — the last turn's decision has the expected tool and outcome / methods;
* current rule stated — current_rule cases answered with the governing article among the first three
  citations, at least half of the key points stated and, where the local text differs (``local_clause``),
  the difference flagged: one line of the answer names the 2014 local text (118号 / 2014年 / 本市) and
  says it yields (不再 / 已不 / 不一致 / 上位 / 取代 / 改为 / 调整为 / 以…102号令、政府采购法、国家…为准);
* superseded as current — current_rule cases with a ``local_clause`` whose first citation is a 118号
  clause, or whose text cites a 118号 clause without flagging the difference (lower is better);
* statute cited — statute cases answered with the expected article among the first three citations.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from statistics import mean
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.api import Answer, Message

Kind = Literal[
    "lookup", "clause_ref", "national", "eligibility", "qualification", "method", "out_of_scope", "dialogue",
    "current_rule", "statute",
]
_SOURCED = ("national", "current_rule", "statute")
"""Kinds whose evidence is an article named by ``expected_source`` rather than quoted evidence strings."""
_LOCAL_DOCUMENT = re.compile(r"118号|2014年|本市")
_YIELDS = re.compile(
    r"不再|已不|不一致|上位|取代|改为|调整为|以[^。；\n]{0,24}(?:102号|政府采购法|实施条例|214号|国家|财政部)[^。；\n]{0,12}为准"
)
_STRIP = re.compile(r"[\s，。、；：？！,.;:?!“”‘’\"'（）()《》〈〉【】\[\]…·—-]+")
_ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇]+条")
_METHOD_ALIASES = {"单一来源采购": "单一来源", "询价采购": "询价"}


class Expected(BaseModel):
    model_config = ConfigDict(extra="ignore")

    tool: str | None = None
    decision: str | None = None
    accept: list[str] = Field(default_factory=list)
    methods: list[str] = Field(default_factory=list)


class QuestionCase(BaseModel):
    """One question of an independent set."""

    model_config = ConfigDict(extra="ignore")

    id: str
    kind: Kind
    persona: str = ""
    question: str | None = None
    turns: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    answer_points: list[str] = Field(default_factory=list)
    expected: Expected | None = None
    expected_source: str | None = None
    local_clause: str = ""

    @property
    def messages(self) -> list[str]:
        return self.turns or [self.question or ""]

    @property
    def tool(self) -> str | None:
        if self.kind == "eligibility":
            return "purchase_eligibility"
        if self.kind == "qualification":
            return "supplier_qualification"
        if self.kind == "method":
            return "procurement_method"
        return self.expected.tool if self.expected else None


class QuestionScore(BaseModel):
    id: str
    kind: str
    answered: bool
    hit1: float | None = None
    hit3: float | None = None
    key_points: float | None = None
    decision_correct: bool | None = None
    situational: bool = False
    current_rule: bool | None = None
    local_flagged: bool | None = None
    superseded_as_current: bool | None = None
    got: dict[str, Any] | None = None
    latency_ms: float = 0.0


class QuestionReport(BaseModel):
    source: str
    cases: int
    figures: dict[str, float | None]
    counts: dict[str, int]
    scores: list[QuestionScore]
    learned: dict[str, float] = Field(default_factory=dict, description="Out-of-fold figures of the learned readers.")


def load_questions(path: Path) -> list[QuestionCase]:
    """Read a JSON-lines question set; a bad line raises ``ValueError`` naming the file and line."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            cases.append(QuestionCase.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise ValueError(f"{path}:{number}: {exc}") from None
    return cases


def squash(text: str) -> str:
    """Text with whitespace and punctuation removed, for substring matching of key points."""
    return _STRIP.sub("", text)


def _methods(answer: Answer) -> set[str]:
    decision = answer.decision
    if decision is None or decision.tool != "procurement_method":
        return set()
    methods = {_METHOD_ALIASES.get(m, m) for m in decision.methods}
    if decision.outcome == "self_organized":
        methods.add("自行组织采购")
    return methods


def _label_matches(label: str, document_names: str, expected_source: str) -> bool:
    """Whether a citation (its label, and the names of its document) is the expected document and article
    (any of several sources separated by "；")."""
    return any(_one_source_matches(label, document_names, source.strip()) for source in expected_source.split("；") if source.strip())


def _one_source_matches(label: str, document_names: str, expected_source: str) -> bool:
    document = expected_source.split()[0].replace("中华人民共和国", "")
    articles = set(_ARTICLE.findall(expected_source))
    names = (label.split()[0] if label.split() else "") + " " + document_names.replace("中华人民共和国", "")
    same_document = document in names and (("实施条例" in document) == ("实施条例" in names))
    return same_document and (not articles or any(a in label for a in articles))


def _first_hit(case: QuestionCase, answer: Answer, documents: dict[str, str]) -> int | None:
    for rank, citation in enumerate(answer.citations, start=1):
        if case.kind in _SOURCED and case.expected_source:
            if _label_matches(citation.label, documents.get(citation.doc_id, ""), case.expected_source):
                return rank
        elif any(squash(e) in squash(citation.text) for e in case.evidence):
            return rank
    return None


def _decision_correct(case: QuestionCase, answer: Answer) -> bool:
    expected = case.expected
    decision = answer.decision
    if expected is None or decision is None or decision.tool != case.tool:
        return False
    if expected.methods:
        got = _methods(answer)
        wanted = {_METHOD_ALIASES.get(m, m) for m in expected.methods}
        return bool(got) and got <= wanted
    accept = expected.accept or ([expected.decision] if expected.decision else [])
    return decision.outcome in accept


def score(
    case: QuestionCase, answer: Answer, *, has_amount: Callable[[str], bool], documents: dict[str, str] | None = None
) -> QuestionScore:
    """Score the (last) answer to one case."""
    result = QuestionScore(id=case.id, kind=case.kind, answered=answer.answerable, latency_ms=answer.latency_ms)
    if answer.decision is not None:
        result.got = {"tool": answer.decision.tool, "outcome": answer.decision.outcome, "methods": sorted(_methods(answer))}
    if case.evidence or (case.kind in _SOURCED and case.expected_source):
        first = _first_hit(case, answer, documents or {})
        result.hit1 = float(first == 1)
        result.hit3 = float(first is not None and first <= 3)
    if case.answer_points:
        stated = squash(answer.answer) if answer.answerable else ""
        result.key_points = mean(float(squash(p) in stated) for p in case.answer_points)
    if case.tool is not None and case.expected is not None:
        result.decision_correct = _decision_correct(case, answer)
        result.situational = case.kind == "method" and not has_amount(" ".join(case.messages))
    if case.kind == "current_rule":
        _score_current_rule(case, answer, result)
    return result


def _is_local(citation: Any) -> bool:
    return citation.doc_id.startswith("wzb-") or "118号" in citation.label


def _score_current_rule(case: QuestionCase, answer: Answer, result: QuestionScore) -> None:
    """Whether the answer states today's rule with its citation and, where the 2014 text differs, says so."""
    flagged = any(_LOCAL_DOCUMENT.search(line) and _YIELDS.search(line) for line in answer.answer.splitlines())
    stated = answer.answerable and bool(result.hit3) and (result.key_points is None or result.key_points >= 0.5)
    if not case.local_clause:
        result.current_rule = stated
        return
    result.local_flagged = answer.answerable and flagged
    result.current_rule = stated and flagged
    first_local = bool(answer.citations) and _is_local(answer.citations[0])
    quoted_local = any(
        _is_local(c) and f"[{n}]" in answer.answer for n, c in enumerate(answer.citations, start=1)
    )
    result.superseded_as_current = answer.answerable and (first_local or (quoted_local and not flagged))


def converse(ask: Callable[[str, Sequence[Message]], Answer], turns: Iterable[str]) -> Answer:
    """Ask each turn in order with the conversation so far as history; the last answer."""
    history: list[Message] = []
    answer: Answer | None = None
    for turn in turns:
        answer = ask(turn, tuple(history))
        history += [Message(role="user", content=turn), answer.as_message()]
    assert answer is not None
    return answer


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(mean(present), 3) if present else None


def summarise(source: str, scores: list[QuestionScore]) -> QuestionReport:
    by_kind: dict[str, list[QuestionScore]] = {}
    for s in scores:
        by_kind.setdefault(s.kind, []).append(s)

    def of(*kinds: str) -> list[QuestionScore]:
        return [s for k in kinds for s in by_kind.get(k, [])]

    retrieval = of("lookup", "clause_ref", "national")
    decisions = of("eligibility", "qualification")
    methods = of("method")
    figures = {
        "hit@1": _mean(s.hit1 for s in retrieval),
        "hit@3": _mean(s.hit3 for s in retrieval),
        "key_points": _mean(s.key_points for s in scores),
        "out_of_scope_declined": _mean(float(not s.answered) for s in of("out_of_scope")),
        "in_scope_answered": _mean(float(s.answered) for s in scores if s.kind != "out_of_scope"),
        "decisions": _mean(float(bool(s.decision_correct)) for s in decisions),
        "methods": _mean(float(bool(s.decision_correct)) for s in methods),
        "situational_methods": _mean(float(bool(s.decision_correct)) for s in methods if s.situational),
        "clause_references": _mean(s.hit1 for s in of("clause_ref")),
        "dialogues": _mean(float(bool(s.decision_correct)) for s in of("dialogue")),
        "national_hit@3": _mean(s.hit3 for s in of("national")),
        "current_rule_stated": _mean(float(bool(s.current_rule)) for s in of("current_rule")),
        "local_difference_flagged": _mean(
            float(bool(s.local_flagged)) for s in of("current_rule") if s.local_flagged is not None
        ),
        "superseded_as_current": _mean(
            float(bool(s.superseded_as_current)) for s in of("current_rule") if s.superseded_as_current is not None
        ),
        "current_rule_hit@1": _mean(s.hit1 for s in of("current_rule")),
        "statute_cited": _mean(float(s.answered and bool(s.hit3)) for s in of("statute")),
        "statute_hit@1": _mean(s.hit1 for s in of("statute")),
    }
    counts = {kind: len(items) for kind, items in sorted(by_kind.items())}
    counts["situational_methods"] = sum(s.situational for s in methods)
    return QuestionReport(source=source, cases=len(scores), figures=figures, counts=counts, scores=scores)


def without_set(assistant: Any, path: Path) -> Any:
    """``assistant`` with its learned readers retrained without the questions of the set at ``path`` where their
    training files hold any: the article reader (:mod:`assistant.nlu.articles`; development and spent blind sets)
    and the intent classifier (spent blind sets, ``source: spent:<set>:<id>``). A set is never scored by a reader
    that saw it, so its figures are leave-one-set-out."""
    return _without_set_intents(_without_set_articles(assistant, path), path)


def _in_set(source: str, stem: str) -> bool:
    """Whether a training example's ``source`` (``<dev|spent>:<set>:<id>``) is a question of the set ``stem``."""
    parts = source.split(":")
    return len(parts) == 3 and parts[1] == stem


def _without_set_articles(assistant: Any, path: Path) -> Any:
    import numpy as np

    from assistant.nlu import articles

    examples = articles.load_examples(articles.training_file(assistant.settings))
    if not any(_in_set(e.source, path.stem) for e in examples):
        return assistant
    kept = articles.usable([e for e in examples if not _in_set(e.source, path.stem)], {c.key for c in assistant.clauses()})
    if len({e.about for e in kept} - {articles.NONE}) < 2:
        return assistant.with_article_reader(None)
    vectors = np.vstack([assistant.embed(e.text) for e in kept])
    return assistant.with_article_reader(articles.ArticleReader.train(kept, vectors))


def _without_set_intents(assistant: Any, path: Path) -> Any:
    from assistant.nlu.intent import IntentClassifier, embed_all, load_examples, training_file

    examples = load_examples(training_file(assistant.settings))
    if not any(_in_set(e.source, path.stem) for e in examples):
        return assistant
    kept = [e for e in examples if not _in_set(e.source, path.stem)]
    return assistant.with_intent_classifier(IntentClassifier.train(kept, embed_all((e.text for e in kept), assistant.embed)))


def run(assistant: Any, path: Path) -> QuestionReport:
    """Answer every case of a question set with ``assistant`` (its article reader trained without the set:
    :func:`without_set`) and score it."""
    from assistant.api import parse_amount

    assistant = without_set(assistant, path)
    documents = {d.doc_id: f"{d.title} {d.doc_number}" for d in assistant.documents()}
    scores = []
    for case in load_questions(path):
        answer = converse(assistant.ask, case.messages)
        scores.append(score(case, answer, has_amount=lambda text: parse_amount(text) is not None, documents=documents))
    return summarise(str(path), scores)


def run_out_of_fold(assistant: Any, path: Path, training: Path, *, folds: int = 5, seed: int = 0) -> QuestionReport:
    """Score a set whose questions also train the intent classifier, each fold by a model trained without it.

    Training examples whose ``source`` is ``dev:<case id>`` belong to that case; for every fold the
    classifier is retrained on the training file less that fold's cases, so each case is answered by
    a model that never saw it (out-of-fold figures).
    """
    from assistant.api import parse_amount
    from assistant.nlu.intent import IntentClassifier, embed_all, load_examples

    assistant = without_set(assistant, path)
    cases = load_questions(path)
    examples = load_examples(training)
    vectors = embed_all((e.text for e in examples), assistant.embed)
    documents = {d.doc_id: f"{d.title} {d.doc_number}" for d in assistant.documents()}
    order = list(range(len(cases)))
    random.Random(seed).shuffle(order)
    scores: dict[str, QuestionScore] = {}
    for fold in range(folds):
        held = [cases[i] for i in order[fold::folds]]
        held_sources = {f"dev:{case.id}" for case in held}
        keep = [i for i, e in enumerate(examples) if e.source not in held_sources]
        classifier = IntentClassifier.train([examples[i] for i in keep], vectors[keep])
        fold_assistant = assistant.with_intent_classifier(classifier)
        for case in held:
            answer = converse(fold_assistant.ask, case.messages)
            scores[case.id] = score(case, answer, has_amount=lambda text: parse_amount(text) is not None, documents=documents)
    return summarise(f"{path} (out of fold, {folds} folds)", [scores[case.id] for case in cases])


def learned_components(assistant: Any, training: Path, circumstances: Path, *, folds: int = 5) -> dict[str, float]:
    """Out-of-fold accuracy of the learned readers on their own training files (stratified ``folds``-fold):
    the intent classifier (all examples, and the independent development questions among them) and the
    situation classifiers of ``circumstances``' folder (statutory circumstances; what a purchase is about; what a
    turn claims about the purchase or the supplier):
    recall of descriptions, false-positive rate on everything else; and the article reader, one question set left
    out at a time."""
    from assistant.nlu import circumstances as circumstance_reader
    from assistant.nlu.intent import cross_validate, embed_all, load_examples

    examples = load_examples(training)
    vectors = embed_all((e.text for e in examples), assistant.embed)
    predicted, accuracy = cross_validate(examples, vectors, folds=folds)
    development = [p == e.intent for p, e in zip(predicted, examples) if e.source.startswith("dev:")]
    figures = {
        "intent_accuracy": round(accuracy, 3),
        "intent_accuracy_development_questions": round(mean(development), 3) if development else float("nan"),
        "intent_examples": float(len(examples)),
    }
    for kind, prefix in (
        ("circumstances", "circumstance"),
        ("eligibility_situations", "eligibility_situation"),
        ("eligibility_claims", "eligibility_claim"),
        ("qualification_claims", "qualification_claim"),
    ):
        path = circumstances.with_name(f"{kind}.yaml")
        if path.exists():
            others = [*circumstance_reader.others_from(examples, kind), *circumstance_reader.sibling_statements(path)]
            found = circumstance_reader.cross_validate(path, others, assistant.embed, folds=folds)
            figures[f"{prefix}_recall"] = round(found["recall"], 3)
            figures[f"{prefix}_false_positive_rate"] = round(found["false_positive_rate"], 3)
    figures.update(_article_reader_figures(assistant))
    return figures


def _article_reader_figures(assistant: Any) -> dict[str, float]:
    """The article reader's leave-one-question-set-out figures (:func:`assistant.nlu.articles.cross_validate`)."""
    import numpy as np

    from assistant.nlu import articles

    examples = articles.usable(
        articles.load_examples(articles.training_file(assistant.settings)), {c.key for c in assistant.clauses()}
    )
    if len({e.group for e in examples}) < 2:
        return {}
    found = articles.cross_validate(examples, np.vstack([assistant.embed(e.text) for e in examples]))
    return {f"article_{name}": round(value, 3) for name, value in found.items()}


def markdown(report: QuestionReport) -> str:
    """The figures as a Markdown table (with the number of cases behind each)."""
    lines = [f"Question set `{report.source}` ({report.cases} cases)", "", "| measure | value |", "|---|---|"]
    lines += [f"| {name} | {'–' if value is None else f'{value:.3f}'} |" for name, value in report.figures.items()]
    lines += ["", "cases by kind: " + ", ".join(f"{k} {v}" for k, v in report.counts.items())]
    return "\n".join(lines)


def misses(report: QuestionReport) -> list[QuestionScore]:
    """Cases not fully right: a miss of evidence, key point, answerability or decision."""
    wrong = []
    for s in report.scores:
        declined_wrongly = (s.kind == "out_of_scope") == s.answered
        if declined_wrongly or s.decision_correct is False or (s.hit3 is not None and s.hit3 < 1) or (s.key_points or 1) < 1:
            wrong.append(s)
    return wrong
