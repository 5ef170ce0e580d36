"""Evals: score the assistant on the gold set in ``evals/gold/`` (never part of the pytest run).

Metrics, per case and averaged:

* hit@1 / hit@3 — a top-k citation contains one of the case's evidence strings;
* MRR — reciprocal rank of the first citation containing evidence (within the citations);
* answer-point coverage — share of the case's key points stated in the answer text;
* out-of-scope accuracy — share of unanswerable cases the assistant declines ("文件未作规定");
* false refusals — answerable cases the assistant declined;
* decision accuracy — decision questions whose tool, outcome (and methods) match.

The shipped hybrid pipeline is compared with BM25-only and dense-only on the same cases.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from statistics import mean
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.api import Answer, Assistant, Message, Settings
from assistant.datafile import safe_load

Mode = Literal["hybrid", "bm25", "dense"]
HOLDOUT_TAG = "holdout"


class GoldCase(BaseModel):
    """One retrieval/answer question of the gold set."""

    model_config = ConfigDict(extra="forbid")

    id: str
    question: str
    answerable: bool
    evidence: list[str] = Field(default_factory=list)
    must_mention: list[list[str]] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    history: list[Message] = Field(default_factory=list)


class DecisionCase(BaseModel):
    """One natural-language decision question of the gold set."""

    model_config = ConfigDict(extra="ignore")

    id: str
    question: str
    tool: str
    expected: dict[str, object]
    history: list[Message] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)


class CaseScore(BaseModel):
    id: str
    answerable: bool
    predicted_answerable: bool
    hit1: float | None = None
    hit3: float | None = None
    rr: float | None = None
    coverage: float | None = None
    latency_ms: float


class ModeReport(BaseModel):
    mode: str
    cases: int
    hit1: float
    hit3: float
    mrr: float
    coverage: float
    out_of_scope_accuracy: float
    false_refusals: int
    mean_latency_ms: float
    scores: list[CaseScore]


class DecisionScore(BaseModel):
    id: str
    expected: dict[str, object]
    got: dict[str, object] | None
    correct: bool


class EvalReport(BaseModel):
    created: str
    modes: list[ModeReport]
    decision_accuracy: float | None = None
    decision_cases: int = 0
    decisions: list[DecisionScore] = Field(default_factory=list)
    holdout: ModeReport | None = None
    """The shipped pipeline on the held-out cases (tag ``holdout``), never used for tuning."""
    holdout_decision_accuracy: float | None = None
    holdout_decision_cases: int = 0


def load_gold(gold_dir: Path) -> tuple[list[GoldCase], list[DecisionCase]]:
    """Read every YAML file of the gold set: retrieval cases and decision cases."""
    cases: list[GoldCase] = []
    decisions: list[DecisionCase] = []
    for path in sorted(gold_dir.glob("*.yaml")):
        for raw in safe_load(path.read_text(encoding="utf-8")) or []:
            if "tool" in raw:
                decisions.append(DecisionCase.model_validate(raw))
            else:
                cases.append(GoldCase.model_validate(raw))
    return cases, decisions


def score_case(case: GoldCase, answer: Answer) -> CaseScore:
    """Score one answer against its gold case."""
    texts = [c.text for c in answer.citations]
    ranks = [i for i, text in enumerate(texts, start=1) if any(e in text for e in case.evidence)]
    first = ranks[0] if ranks else None
    if not case.answerable:
        return CaseScore(id=case.id, answerable=False, predicted_answerable=answer.answerable, latency_ms=answer.latency_ms)
    stated = answer.answer if answer.answerable else ""
    points = [any(alt in stated for alt in point) for point in case.must_mention]
    return CaseScore(
        id=case.id,
        answerable=True,
        predicted_answerable=answer.answerable,
        hit1=float(first == 1),
        hit3=float(first is not None and first <= 3),
        rr=1.0 / first if first else 0.0,
        coverage=mean(points) if points else float(answer.answerable),
        latency_ms=answer.latency_ms,
    )


def evaluate_mode(assistant: Assistant, cases: Iterable[GoldCase], mode: str) -> ModeReport:
    scores = [score_case(case, assistant.ask(case.question, case.history)) for case in cases]
    answerable = [s for s in scores if s.answerable]
    unanswerable = [s for s in scores if not s.answerable]
    return ModeReport(
        mode=mode,
        cases=len(scores),
        hit1=mean(s.hit1 or 0.0 for s in answerable) if answerable else 0.0,
        hit3=mean(s.hit3 or 0.0 for s in answerable) if answerable else 0.0,
        mrr=mean(s.rr or 0.0 for s in answerable) if answerable else 0.0,
        coverage=mean(s.coverage or 0.0 for s in answerable) if answerable else 0.0,
        out_of_scope_accuracy=mean(float(not s.predicted_answerable) for s in unanswerable) if unanswerable else 1.0,
        false_refusals=sum(not s.predicted_answerable for s in answerable),
        mean_latency_ms=mean(s.latency_ms for s in scores) if scores else 0.0,
        scores=scores,
    )


def evaluate_decisions(assistant: Assistant, cases: Iterable[DecisionCase]) -> list[DecisionScore]:
    results = []
    for case in cases:
        answer = assistant.ask(case.question, case.history)
        decision = answer.decision
        got = None
        correct = False
        if decision is not None:
            got = {"tool": decision.tool, "outcome": decision.outcome, "methods": list(decision.methods)}
            correct = decision.tool == case.tool and decision.outcome == case.expected.get("outcome")
            expected_methods = case.expected.get("methods")
            if correct and expected_methods:
                correct = set(map(str, expected_methods)) == set(decision.methods)  # type: ignore[arg-type]
        results.append(DecisionScore(id=case.id, expected={"tool": case.tool, **case.expected}, got=got, correct=correct))
    return results


def run(
    settings: Settings,
    gold_dir: Path,
    *,
    modes: tuple[Mode, ...] = ("hybrid", "bm25", "dense"),
) -> EvalReport:
    """Evaluate each retrieval mode (the first one also on decision questions)."""
    all_cases, all_decisions = load_gold(gold_dir)
    cases = [c for c in all_cases if HOLDOUT_TAG not in c.tags]
    decision_cases = [c for c in all_decisions if HOLDOUT_TAG not in c.tags]
    held_cases = [c for c in all_cases if HOLDOUT_TAG in c.tags]
    held_decisions = [c for c in all_decisions if HOLDOUT_TAG in c.tags]
    reports = []
    decisions: list[DecisionScore] = []
    holdout = None
    holdout_scores: list[DecisionScore] = []
    for position, mode in enumerate(modes):
        assistant = Assistant.open(settings.model_copy(update={"retrieval": mode}))
        reports.append(evaluate_mode(assistant, cases, mode))
        if position == 0:
            decisions = evaluate_decisions(assistant, decision_cases)
            holdout = evaluate_mode(assistant, held_cases, mode) if held_cases else None
            holdout_scores = evaluate_decisions(assistant, held_decisions)
    return EvalReport(
        created=datetime.now().isoformat(timespec="seconds"),
        modes=reports,
        decision_accuracy=mean(float(d.correct) for d in decisions) if decisions else None,
        decision_cases=len(decisions),
        decisions=decisions + holdout_scores,
        holdout=holdout,
        holdout_decision_accuracy=mean(float(d.correct) for d in holdout_scores) if holdout_scores else None,
        holdout_decision_cases=len(holdout_scores),
    )


def markdown_table(report: EvalReport) -> str:
    """The comparison table, as Markdown (also pasted in the README)."""
    lines = [
        "| pipeline | hit@1 | hit@3 | MRR | answer-point coverage | out-of-scope accuracy | false refusals | mean latency (ms) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for m in report.modes:
        lines.append(
            f"| {m.mode} | {m.hit1:.3f} | {m.hit3:.3f} | {m.mrr:.3f} | {m.coverage:.3f} | "
            f"{m.out_of_scope_accuracy:.3f} | {m.false_refusals} | {m.mean_latency_ms:.1f} |"
        )
    if report.decision_accuracy is not None:
        lines.append("")
        lines.append(f"Decision accuracy: {report.decision_accuracy:.3f} on {report.decision_cases} decision questions.")
    return "\n".join(lines)


def holdout_table(report: EvalReport) -> str:
    """The held-out cases' figures, as Markdown."""
    if report.holdout is None:
        return "No held-out cases."
    h = report.holdout
    lines = [
        "| held-out set | hit@1 | hit@3 | MRR | answer-point coverage | out-of-scope accuracy | false refusals | decision accuracy |",
        "|---|---|---|---|---|---|---|---|",
        f"| {h.cases} policy + {report.holdout_decision_cases} decision questions | {h.hit1:.3f} | {h.hit3:.3f} | {h.mrr:.3f} | "
        f"{h.coverage:.3f} | {h.out_of_scope_accuracy:.3f} | {h.false_refusals} | "
        + (f"{report.holdout_decision_accuracy:.3f} |" if report.holdout_decision_accuracy is not None else "– |"),
    ]
    return "\n".join(lines)


def write_report(report: EvalReport, reports_dir: Path) -> tuple[Path, Path, Path]:
    """Write ``<date>.json``, ``<date>.md`` and ``<date>.png`` (bar chart) under ``reports_dir``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    reports_dir.mkdir(parents=True, exist_ok=True)
    stem = reports_dir / report.created[:10]
    json_path, md_path, png_path = (stem.with_suffix(s) for s in (".json", ".md", ".png"))
    json_path.write_text(report.model_dump_json(indent=1), encoding="utf-8")
    md_path.write_text(
        f"# Eval report {report.created}\n\n{markdown_table(report)}\n\n## Held-out\n\n{holdout_table(report)}\n", encoding="utf-8"
    )

    metrics = ("hit1", "hit3", "mrr", "coverage", "out_of_scope_accuracy")
    labels = ("hit@1", "hit@3", "MRR", "coverage", "out-of-scope acc.")
    figure, axis = plt.subplots(figsize=(9, 4.2), dpi=110)
    width = 0.8 / len(report.modes)
    for i, mode in enumerate(report.modes):
        values = [getattr(mode, m) for m in metrics]
        bars = axis.bar([x + i * width for x in range(len(metrics))], values, width, label=mode.mode)
        axis.bar_label(bars, fmt="%.2f", fontsize=7)
    axis.set_xticks([x + width * (len(report.modes) - 1) / 2 for x in range(len(metrics))], labels)
    axis.set_ylim(0, 1.08)
    axis.set_title(f"Gold set ({report.modes[0].cases} questions): hybrid vs BM25-only vs dense-only")
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=len(report.modes), frameon=False)
    figure.tight_layout()
    figure.savefig(png_path)
    plt.close(figure)
    return json_path, md_path, png_path


def failures(report: EvalReport, mode: str = "hybrid") -> list[str]:
    """Ids of the cases that missed (hit@3 = 0, wrong answerability, a key point or a decision wrong)."""
    chosen = next(m for m in report.modes if m.mode == mode)
    scores = chosen.scores + (report.holdout.scores if report.holdout is not None and mode == report.modes[0].mode else [])
    missed = [
        s.id
        for s in scores
        if s.answerable != s.predicted_answerable or (s.answerable and ((s.hit3 or 0) < 1 or (s.coverage or 0) < 1))
    ]
    return missed + [d.id for d in report.decisions if not d.correct]


def dumps(report: EvalReport) -> str:
    return json.dumps(report.model_dump(), ensure_ascii=False)
