"""Command line: ``policy-assistant index | ask | eval | check | catalog``.

Every command goes through :mod:`assistant.api`; errors meant for the user are printed as one
line (Chinese and English) with exit code 2, never as a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.api import Answer, Assistant, AssistantError, InputError, Message, Settings, build_index, index_status
from assistant.datafile import safe_load

app = typer.Typer(add_completion=False, no_args_is_help=True, help="政府购买服务政策助手 — cited answers and rule checks, offline.")
console = Console(stderr=True, soft_wrap=True)

IndexDir = Annotated[Path | None, typer.Option("--index-dir", help="Index folder (default: .index or $POLICY_ASSISTANT_INDEX).")]
CorpusDir = Annotated[Path | None, typer.Option("--corpus-dir", help="Corpus folder (default: corpus or $POLICY_ASSISTANT_CORPUS).")]


def _settings(index_dir: Path | None, corpus_dir: Path | None, **extra: Any) -> Settings:
    return Settings.load(index_dir=index_dir, corpus_dir=corpus_dir, **extra)


@contextmanager
def _user_errors() -> Iterator[None]:
    try:
        yield
    except AssistantError as exc:
        console.print(f"[red]错误 / error:[/red] {exc}")
        raise typer.Exit(2) from None


@contextmanager
def _progress() -> Iterator[Any]:
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, transient=True
    ) as bar:
        tasks: dict[str, Any] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield report


def _open(settings: Settings) -> Assistant:
    with _progress() as report:
        return Assistant.open(settings, progress=report)


def answer_record(answer: Answer, case_id: object = None) -> dict[str, Any]:
    """The stable JSON contract of one answer (see README, "JSON contract")."""
    decision = None
    if answer.decision is not None:
        decision = answer.decision.model_dump(mode="json")
        decision["clause_ids"] = list(answer.decision.clause_ids)
    return {
        "id": case_id,
        "answer": answer.answer,
        "answerable": answer.answerable,
        "intent": answer.intent,
        "citations": [c.model_dump() for c in answer.citations],
        "decision": decision,
        "latency_ms": answer.latency_ms,
    }


@app.command()
def index(
    index_dir: IndexDir = None,
    corpus_dir: CorpusDir = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild even when the index is up to date.")] = False,
) -> None:
    """Build the index if it is missing or stale (corpus, embedder or parser changed)."""
    with _user_errors():
        settings = _settings(index_dir, corpus_dir)
        reason = index_status(settings) if not force else "--force"
        if reason is None:
            console.print(f"索引已是最新 / index is up to date: {settings.index_dir}")
            return
        console.print(f"构建索引 / building index ({reason}) …")
        with _progress() as report:
            manifest = build_index(settings, force=force, progress=report)
        console.print(
            f"完成 / done: {manifest.clause_count} 条款 clauses, {len(manifest.documents)} 文档 documents → {settings.index_dir}"
        )


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="The question, in Chinese (or English).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as one JSON object.")] = False,
    jsonl: Annotated[bool, typer.Option("--jsonl", help='Batch: read {"id","question"[,"history"]} lines on stdin, write answers as JSON lines.')] = False,
    on: Annotated[
        str | None,
        typer.Option("--on", help="Answer as of this date (YYYY-MM-DD): the documents and rules in force then; default today."),
    ] = None,
    index_dir: IndexDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Answer a question with citations (or many, with --jsonl)."""
    with _user_errors():
        as_of = _on(on)
        if jsonl:
            _ask_batch(_open(_settings(index_dir, corpus_dir)), on=as_of)
            return
        if not question or not question.strip():
            raise InputError("请提供问题 / a question is required, e.g. policy-assistant ask \"承接主体需要什么条件？\"")
        answer = _open(_settings(index_dir, corpus_dir)).ask(question, on=as_of)
        if as_json:
            print(json.dumps(answer_record(answer), ensure_ascii=False))
        else:
            _print_answer(answer)


def _print_answer(answer: Answer) -> None:
    out = Console(soft_wrap=True)
    out.print(answer.answer, markup=False, highlight=False)
    if answer.citations:
        out.print("\n引用条款 / citations:", style="bold")
        for n, citation in enumerate(answer.citations, start=1):
            out.print(f"[{n}] {citation.label}", markup=False, highlight=False)
    out.print(f"\n({answer.intent}, {answer.latency_ms:.1f} ms)", style="dim")


def _parse_line(number: int, line: str) -> tuple[object, str, list[Message]]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"第 {number} 行不是合法的 JSON (line {number} is not valid JSON): {exc.msg}") from None
    if not isinstance(record, dict) or not isinstance(record.get("question"), str):
        raise InputError(f'第 {number} 行缺少字符串字段 "question" (line {number}: missing string field "question")')
    try:
        history = [Message.model_validate(m) for m in record.get("history") or []]
    except ValueError:
        raise InputError(f'第 {number} 行的 "history" 应为 [{{"role","content"}}] (line {number}: bad history)') from None
    return record.get("id"), record["question"], history


def _ask_batch(assistant: Assistant, *, on: date | None = None) -> None:
    failed = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            case_id, question, history = _parse_line(number, line)
        except InputError as exc:
            failed += 1
            console.print(f"[red]跳过 / skipped:[/red] {exc}")
            continue
        print(json.dumps(answer_record(assistant.ask(question, history, on=on), case_id), ensure_ascii=False), flush=True)
    if failed:
        console.print(f"[red]{failed} 行无法读取 / {failed} line(s) could not be read[/red]")
        raise typer.Exit(2)


@app.command("eval")
def evaluate(
    gold_dir: Annotated[Path, typer.Option(help="Folder of gold YAML files.")] = Path("evals/gold"),
    reports_dir: Annotated[Path, typer.Option(help="Where reports are written.")] = Path("evals/reports"),
    modes: Annotated[str, typer.Option(help="Comma-separated pipelines to compare.")] = "hybrid,bm25,dense",
    questions: Annotated[
        list[Path] | None,
        typer.Option("--questions", help="A JSON-lines question set written by other hands (repeatable); scored instead of the gold set."),
    ] = None,
    folds: Annotated[
        int, typer.Option("--folds", help="With --questions: answer each fold with an intent model trained without it (0: off).")
    ] = 0,
    index_dir: IndexDir = None,
    corpus_dir: CorpusDir = None,
) -> None:
    """Score the pipelines on the gold set (or on independent question sets); write reports."""
    from assistant import evaluation

    with _user_errors():
        if questions:
            _evaluate_questions(_settings(index_dir, corpus_dir), questions, reports_dir, folds=folds)
            return
        chosen = tuple(m.strip() for m in modes.split(",") if m.strip())
        unknown = [m for m in chosen if m not in ("hybrid", "bm25", "dense")]
        if unknown:
            raise InputError(f"未知的检索模式 / unknown modes: {', '.join(unknown)} (use hybrid, bm25, dense)")
        settings = _settings(index_dir, corpus_dir)
        build_index(settings)
        report = evaluation.run(settings, gold_dir, modes=chosen)  # type: ignore[arg-type]
        paths = evaluation.write_report(report, reports_dir)
        Console(soft_wrap=True).print(evaluation.markdown_table(report), markup=False)
        Console(soft_wrap=True).print("\nHeld-out (never used for tuning):\n" + evaluation.holdout_table(report), markup=False)
        missed = evaluation.failures(report, chosen[0])
        Console(soft_wrap=True).print(f"\n{len(missed)} case(s) not fully correct: {', '.join(missed) or '-'}", markup=False)
        console.print("reports: " + ", ".join(str(p) for p in paths))


def _evaluate_questions(settings: Settings, paths: list[Path], reports_dir: Path, *, folds: int = 0) -> None:
    from assistant import question_eval
    from assistant.nlu.intent import training_file

    if folds == 1 or folds < 0:
        raise InputError(f"--folds 应为 0 或 ≥ 2 / --folds must be 0 or at least 2, got {folds}")
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise InputError(f"找不到问题集 / question set not found: {', '.join(missing)}")
    assistant = _open(settings)
    out = Console(soft_wrap=True)
    reports_dir.mkdir(parents=True, exist_ok=True)
    for path in paths:
        try:
            if folds:
                report = question_eval.run_out_of_fold(assistant, path, training_file(settings), folds=folds)
                learned = question_eval.learned_components(
                    assistant, training_file(settings), training_file(settings).with_name("circumstances.yaml"), folds=folds
                )
                report = report.model_copy(update={"learned": learned})
                out.print("learned readers, out of fold: " + ", ".join(f"{k} {v:g}" for k, v in learned.items()), markup=False)
            else:
                report = question_eval.run(assistant, path)
        except ValueError as exc:
            raise InputError(f"问题集格式错误 / bad question set: {exc}") from None
        target = reports_dir / f"{path.stem}{'.oof' if folds else ''}.questions.json"
        target.write_text(report.model_dump_json(indent=1), encoding="utf-8")
        out.print(question_eval.markdown(report), markup=False)
        wrong = question_eval.misses(report)
        out.print(f"\n{len(wrong)} case(s) not fully right: {', '.join(s.id for s in wrong) or '-'}\n", markup=False)
        console.print(f"report: {target}")


check_app = typer.Typer(no_args_is_help=True, help="Rule tools: eligibility | qualification | method.")
catalog_app = typer.Typer(no_args_is_help=True, help="Service catalog: import, match.")
app.add_typer(check_app, name="check")
app.add_typer(catalog_app, name="catalog")

ProfileOption = Annotated[Path | None, typer.Option("--profile", help="JSON or YAML file of facts.")]
FactOption = Annotated[list[str] | None, typer.Option("--fact", help="One fact as key=value (repeatable); overrides the profile.")]
TextOption = Annotated[str | None, typer.Option("--text", help="Describe the case in Chinese; facts are extracted from it.")]
OnOption = Annotated[str | None, typer.Option("--on", help="Apply the rules as of this date (YYYY-MM-DD); default today.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the decision as JSON.")]


def _facts(tool: str, profile: Path | None, facts: list[str] | None, text: str | None) -> dict[str, object]:
    import yaml

    from assistant.api import extract_facts

    merged: dict[str, object] = dict(extract_facts(tool, text)) if text else {}
    if profile is not None:
        try:
            loaded = safe_load(profile.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise InputError(f"无法读取事实文件 / cannot read profile {profile}: {exc}") from None
        if not isinstance(loaded, dict):
            raise InputError(f"{profile}: 应为键值对 (a profile must be a mapping of facts)")
        merged.update(loaded)
    for item in facts or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--fact 应为 key=value (got {item!r})")
        merged[key.strip()] = safe_load(value) if value.strip() else None
    return merged


def _on(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--on 应为 YYYY-MM-DD (got {value!r})") from None


def _run_check(tool: str, profile: Path | None, facts: list[str] | None, text: str | None, on: str | None, as_json: bool) -> None:
    from assistant.api import check, render_decision

    with _user_errors():
        decision = check(tool, _facts(tool, profile, facts, text), on=_on(on))
        if as_json:
            record = decision.model_dump(mode="json")
            record["clause_ids"] = list(decision.clause_ids)
            print(json.dumps(record, ensure_ascii=False))
        else:
            Console(soft_wrap=True).print(render_decision(decision), markup=False, highlight=False)


@check_app.command("eligibility")
def check_eligibility(profile: ProfileOption = None, fact: FactOption = None, text: TextOption = None, on: OnOption = None, as_json: JsonOption = False) -> None:
    """May this purchaser buy this service? (温政办〔2014〕118号 三（一）、四（一）、四（二）)"""
    _run_check("purchase_eligibility", profile, fact, text, on, as_json)


@check_app.command("qualification")
def check_qualification(profile: ProfileOption = None, fact: FactOption = None, text: TextOption = None, on: OnOption = None, as_json: JsonOption = False) -> None:
    """Does this supplier qualify? (温政办〔2014〕118号 三（二）, 政府采购法第二十二条)"""
    _run_check("supplier_qualification", profile, fact, text, on, as_json)


@check_app.command("method")
def check_method(
    profile: ProfileOption = None,
    fact: FactOption = None,
    text: TextOption = None,
    on: OnOption = None,
    as_json: JsonOption = False,
    amount: Annotated[str | None, typer.Option("--amount", help="Budget, e.g. 80万, 八十万元, 1200000.")] = None,
) -> None:
    """Which procurement method applies? (温政办〔2014〕118号 五（二）, 政府采购法第二十六至三十二条)"""
    facts = list(fact or [])
    if amount is not None:
        from assistant.api import parse_amount

        with _user_errors():
            value = parse_amount(amount)
            if value is None:
                raise InputError(f"无法识别金额 / cannot read the amount: {amount!r} (e.g. 80万, 八十万元)")
        facts.insert(0, f"amount_yuan={value}")
    _run_check("procurement_method", profile, facts, text, on, as_json)


@catalog_app.command("import")
def catalog_import(
    source: Annotated[Path, typer.Argument(help="The agency's catalog: .yaml, .csv or .xlsx.")],
    name: Annotated[str, typer.Option(help="File name under corpus/catalog/.")] = "default.yaml",
    corpus_dir: CorpusDir = None,
) -> None:
    """Validate a catalog and install it atomically (a bad file changes nothing)."""
    from assistant.api import import_catalog

    with _user_errors():
        count = import_catalog(source, settings=_settings(None, corpus_dir), name=name)
        console.print(f"已导入 / imported {count} 条目 items from {source}")


@catalog_app.command("match")
def catalog_match(
    description: Annotated[str, typer.Argument(help="A service description, e.g. 社区居家养老上门助餐.")],
    corpus_dir: CorpusDir = None,
) -> None:
    """Show the catalog items that best match a service description."""
    from assistant.api import match_service

    with _user_errors():
        matches = match_service(description, settings=_settings(None, corpus_dir))
        out = Console(soft_wrap=True)
        if not matches:
            out.print("目录中没有匹配的条目 / no catalog item matches", markup=False)
        for match in matches:
            out.print(f"{match.score:.2f}  {match.item.code}  {' / '.join(match.item.category_path)} / {match.item.item}", markup=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
