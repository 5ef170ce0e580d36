"""Performance benchmarks of the policy assistant: latency, cold start, index build, memory, scale.

Usage (from the repository root)::

    python benchmarks/run.py            # everything, corpus scaled x1, x10 and x100
    python benchmarks/run.py --quick    # x1 and x10 only

Writes ``benchmarks/results/latest.json`` and ``benchmarks/results/latest.md`` and prints the
Markdown table. Every index and corpus lives in a temporary directory (selected through
``POLICY_ASSISTANT_INDEX`` / ``POLICY_ASSISTANT_CORPUS``); the repository's ``.index/`` and
``corpus/`` are only ever read. Each measurement that needs its own memory figure or a cold
interpreter runs in a child process of this script (``--worker``); peak RSS comes from
``os.wait4`` on that child (``ru_maxrss``). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "benchmarks" / "results"
GOLD_PATH = ROOT / "evals" / "gold" / "questions.yaml"
REPO_CORPUS = ROOT / "corpus"
REPO_INDEX = ROOT / ".index"
COLD_QUESTION = "参公管理的事业单位能不能作为购买主体？"

TARGETS = {"warm_p95_ms": 20.0, "cold_start_s": 5.0, "peak_rss_mb": 1536.0}
"""Targets: warm ask p95 <= 50 ms, cold start <= 10 s, peak RSS <= 1.5 GB."""

BASE_ENV = {
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
}

# --------------------------------------------------------------------------------------------
# helpers shared by the driver and the workers


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default method), ``q`` in [0, 100]."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100.0
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary_ms(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 3),
        "p95": round(percentile(values, 95), 3),
        "max": round(max(values), 3) if values else float("nan"),
        "mean": round(statistics.fmean(values), 3) if values else float("nan"),
    }


def gold_questions() -> list[str]:
    import yaml

    cases = yaml.safe_load(GOLD_PATH.read_text(encoding="utf-8"))
    return [str(case["question"]) for case in cases]


def independent_questions() -> list[str]:
    """The development set's questions (first turn of each dialogue), written by another hand."""
    path = ROOT / "evals" / "dev" / "questions.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row["question"] if "question" in row else row["turns"][0] for row in rows]


def _guard_paths() -> None:
    """Refuse to run a worker against the repository's own index or corpus."""
    index = Path(os.environ["POLICY_ASSISTANT_INDEX"]).resolve()
    corpus = Path(os.environ["POLICY_ASSISTANT_CORPUS"]).resolve()
    if index == REPO_INDEX.resolve() or REPO_INDEX.resolve() in index.parents:
        raise SystemExit(f"refusing to write the repository index {index}")
    if corpus == REPO_CORPUS.resolve():
        raise SystemExit(f"refusing to benchmark in the repository corpus {corpus}")


# --------------------------------------------------------------------------------------------
# workers (run in child processes)


class _CountingEmbeddings:
    """LangChain-style embeddings counting how many texts were really encoded."""

    def __init__(self, base: Any) -> None:
        self.base = base
        self.texts = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts += len(texts)
        return self.base.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.base.embed_query(text)


def _modify_one_document(documents_dir: Path) -> str:
    """Change one sentence in the middle of the largest document (inside a clause, not in the
    letterhead or the 抄送 block, which the parser drops); return its file name."""
    target = max(sorted(documents_dir.glob("*.md")), key=lambda p: p.stat().st_size)
    text = target.read_text(encoding="utf-8")
    cut = text.find("。", len(text) // 2)
    target.write_text(text[:cut] + "（基准测试修订）" + text[cut:], encoding="utf-8")
    return target.name


def worker_build(args: dict[str, Any]) -> dict[str, Any]:
    """Fresh full build; with ``incremental``: then a forced rebuild and a one-document change."""
    from assistant.config import Settings
    from assistant.embedding import SentenceTransformerEmbeddings
    from assistant.index import build_index, read_manifest

    _guard_paths()
    settings = Settings.load()
    result: dict[str, Any] = {}
    started = time.perf_counter()
    base = SentenceTransformerEmbeddings(settings.embedder)
    base.embed_query("预热")
    result["model_load_s"] = round(time.perf_counter() - started, 3)

    counting = _CountingEmbeddings(base)
    started = time.perf_counter()
    manifest = build_index(settings, force=True, embeddings=counting)
    result["full_build_s"] = round(time.perf_counter() - started, 3)
    result["full_texts_embedded"] = counting.texts
    result["clause_count"] = manifest.clause_count
    result["documents"] = len(manifest.documents)
    result["index_mb"] = round(sum(p.stat().st_size for p in settings.index_dir.rglob("*") if p.is_file()) / 2**20, 2)

    if args.get("incremental"):
        counting.texts = 0
        started = time.perf_counter()
        build_index(settings, force=True, embeddings=counting)
        result["forced_rebuild_s"] = round(time.perf_counter() - started, 3)
        result["forced_texts_embedded"] = counting.texts

        result["changed_document"] = _modify_one_document(settings.documents_dir)
        before = read_manifest(settings.index_dir)
        counting.texts = 0
        started = time.perf_counter()
        after = build_index(settings, embeddings=counting)
        result["incremental_build_s"] = round(time.perf_counter() - started, 3)
        result["incremental_texts_embedded"] = counting.texts
        if before is None or after.build == before.build:
            raise RuntimeError("the one-document change did not trigger a rebuild")
    return result


def worker_ask(args: dict[str, Any]) -> dict[str, Any]:
    """Open the assistant on a built index, one warm-up pass over the gold questions, one timed pass over
    the independent development questions (never asked in this process)."""
    _guard_paths()
    started = time.perf_counter()
    from assistant.api import Assistant

    assistant = Assistant.open()
    open_s = time.perf_counter() - started
    warm_up = gold_questions()
    questions = independent_questions()  # never asked in this process: no query cache helps them
    if args.get("limit"):
        warm_up, questions = warm_up[: int(args["limit"])], questions[: int(args["limit"])]
    for question in warm_up:  # warm-up pass on other questions
        assistant.ask(question)
    wall: list[float] = []
    own: list[float] = []
    for question in questions:
        t0 = time.perf_counter()
        answer = assistant.ask(question)
        wall.append((time.perf_counter() - t0) * 1000.0)
        own.append(float(answer.latency_ms))
    return {
        "open_s": round(open_s, 3),
        "clause_count": len(assistant.clauses()),
        "questions": len(questions),
        "wall_ms": summary_ms(wall),
        "answer_latency_ms": summary_ms(own),
    }


WORKERS = {"build": worker_build, "ask": worker_ask}

COLD_CODE = r"""
import json, time
t0 = time.perf_counter()
from assistant.api import Assistant
t1 = time.perf_counter()
assistant = Assistant.open()
t2 = time.perf_counter()
answer = assistant.ask(QUESTION)
t3 = time.perf_counter()
print("ANSWER " + json.dumps({"answer": answer.answer[:80], "import_s": t1 - t0, "open_s": t2 - t1,
      "first_ask_s": t3 - t2}, ensure_ascii=False), flush=True)
"""

# --------------------------------------------------------------------------------------------
# driver


def child_env(index_dir: Path, corpus_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(BASE_ENV)
    env["POLICY_ASSISTANT_INDEX"] = str(index_dir)
    env["POLICY_ASSISTANT_CORPUS"] = str(corpus_dir)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def run_child(argv: list[str], env: dict[str, str], *, watch_for: str | None = None) -> dict[str, Any]:
    """Run a child process; return wall time, peak RSS (``os.wait4``) and, with ``watch_for``,
    the time until the first stdout line starting with that prefix."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True)
        first_line_s = None
        lines = []
        assert proc.stdout is not None
        for line in proc.stdout:
            if watch_for and first_line_s is None and line.startswith(watch_for):
                first_line_s = time.perf_counter() - started
            lines.append(line)
        _, status, usage = os.wait4(proc.pid, 0)
        wall_s = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            stderr.seek(0)
            tail = stderr.read().decode("utf-8", "replace")[-3000:]
            raise RuntimeError(f"child {argv[:4]} failed with {proc.returncode}:\n{tail}")
    return {
        "wall_s": wall_s,
        "first_line_s": first_line_s,
        "stdout": "".join(lines),
        "peak_rss_mb": usage.ru_maxrss / 1024.0,  # Linux reports KiB
        "cpu_s": usage.ru_utime + usage.ru_stime,
    }


def run_worker(kind: str, index_dir: Path, corpus_dir: Path, **args: Any) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        result_path = Path(handle.name)
    try:
        argv = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--worker-args", json.dumps(args),
                "--worker-result", str(result_path)]
        child = run_child(argv, child_env(index_dir, corpus_dir))
        result = json.loads(result_path.read_text(encoding="utf-8"))
    finally:
        result_path.unlink(missing_ok=True)
    result["peak_rss_mb"] = round(child["peak_rss_mb"], 1)
    result["process_wall_s"] = round(child["wall_s"], 3)
    result["process_cpu_s"] = round(child["cpu_s"], 3)
    return result


def copy_corpus(target: Path) -> Path:
    shutil.copytree(REPO_CORPUS, target, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    return target


_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_SENTENCE_END = re.compile(r"([。；！？])")


def scaled_document(text: str, copy: int) -> str:
    """Copy ``copy`` (>= 1) of a corpus document: distinct doc_id and doc_number, and a copy tag
    before every sentence end so that every clause and sentence text (hence every vector) differs."""
    match = _FRONT.match(text)
    if match is None:
        raise ValueError("document without front matter")
    front = match.group(1)
    front = re.sub(r"(?m)^doc_id:\s*(\S+)\s*$", lambda m: f"doc_id: {m.group(1)}-x{copy}", front)
    front = re.sub(
        r"(?m)^doc_number:\s*(.*?)\s*$", lambda m: f'doc_number: "{m.group(1).strip(chr(34) + chr(39))}（副本{copy}）"', front
    )
    body = _SENTENCE_END.sub(rf"【副本{copy}】\1", text[match.end():])
    return f"---\n{front}\n---\n{body}"


def make_scaled_corpus(target: Path, factor: int) -> Path:
    copy_corpus(target)
    documents = sorted((target / "documents").glob("*.md"))
    for path in documents:
        text = path.read_text(encoding="utf-8")
        for copy in range(1, factor):
            (path.parent / f"{path.stem}-x{copy}{path.suffix}").write_text(scaled_document(text, copy), encoding="utf-8")
    return target


def cold_start(index_dir: Path, corpus_dir: Path, runs: int) -> dict[str, Any]:
    env = child_env(index_dir, corpus_dir)
    code = COLD_CODE.replace("QUESTION", repr(COLD_QUESTION))
    first_answer, internals, rss = [], [], []
    for _ in range(runs):
        child = run_child([sys.executable, "-c", code], env, watch_for="ANSWER ")
        if child["first_line_s"] is None:
            raise RuntimeError(f"cold-start child printed no answer: {child['stdout'][-500:]}")
        first_answer.append(child["first_line_s"])
        line = next(l for l in child["stdout"].splitlines() if l.startswith("ANSWER "))
        internals.append(json.loads(line[len("ANSWER "):]))
        rss.append(child["peak_rss_mb"])
    imports = [run_child([sys.executable, "-c", "import assistant.api"], env)["wall_s"] for _ in range(runs)]
    return {
        "runs": runs,
        "first_answer_s": [round(v, 3) for v in first_answer],
        "first_answer_median_s": round(statistics.median(first_answer), 3),
        "import_only_s": [round(v, 3) for v in imports],
        "import_only_median_s": round(statistics.median(imports), 3),
        "in_child_median_s": {
            key: round(statistics.median(i[key] for i in internals), 3) for key in ("import_s", "open_s", "first_ask_s")
        },
        "peak_rss_mb_max": round(max(rss), 1),
        "answer_excerpt": internals[0]["answer"],
    }


def code_version() -> dict[str, Any]:
    """The commit measured and whether the working tree had uncommitted changes (read-only git calls)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.rstrip("\n")
        except (OSError, subprocess.SubprocessError):
            return ""

    changed = [line[3:] for line in git("status", "--porcelain", "--", "assistant", "corpus", "prompts").splitlines()]
    return {"commit": git("rev-parse", "HEAD").strip(), "uncommitted_changes": changed}


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        info["mem_total_mb"] = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20)
    except (ValueError, OSError):
        pass
    return info


def status(value: float, target: float) -> str:
    return "PASS" if value <= target else "FAIL"


def render(results: dict[str, Any]) -> str:
    t = TARGETS
    x1 = results["scale"]["x1"]
    ask = x1["ask"]
    cold = results["cold_start"]
    build = results["index_build"]
    lines = [
        f"# Benchmark results ({results['started_at']}, {'quick' if results['quick'] else 'full'} run)",
        "",
        f"Corpus x1: {x1['build']['documents']} documents, {x1['build']['clause_count']} clauses; "
        f"{ask['questions']} independent questions timed (after a warm-up on the gold questions). Machine: {results['machine']['cpus']} CPUs, "
        f"load average {results['load_before']} before / {results['load_after']} after the run. "
        f"Code: commit {results['code']['commit'][:10]}"
        + (f" with uncommitted changes in {', '.join(results['code']['uncommitted_changes'])}."
           if results["code"]["uncommitted_changes"] else " (clean working tree)."),
        "",
        "| Metric | Value | Target | Status |",
        "|---|---|---|---|",
        f"| Warm ask latency p50 (wall, in-process) | {ask['wall_ms']['p50']:.1f} ms | | |",
        f"| Warm ask latency p95 (wall, in-process) | {ask['wall_ms']['p95']:.1f} ms | ≤ {t['warm_p95_ms']:.0f} ms | "
        f"{status(ask['wall_ms']['p95'], t['warm_p95_ms'])} |",
        f"| Warm ask latency max (wall, in-process) | {ask['wall_ms']['max']:.1f} ms | | |",
        f"| Answer.latency_ms p50 / p95 / max | {ask['answer_latency_ms']['p50']:.1f} / "
        f"{ask['answer_latency_ms']['p95']:.1f} / {ask['answer_latency_ms']['max']:.1f} ms | | |",
        f"| Cold start to first answer (median of {cold['runs']}) | {cold['first_answer_median_s']:.2f} s | "
        f"≤ {t['cold_start_s']:.0f} s | {status(cold['first_answer_median_s'], t['cold_start_s'])} |",
        f"| — of which (in child) import / open / first ask | {cold['in_child_median_s']['import_s']:.2f} / "
        f"{cold['in_child_median_s']['open_s']:.2f} / {cold['in_child_median_s']['first_ask_s']:.2f} s | | |",
        f"| `import assistant.api` only (fresh interpreter, median) | {cold['import_only_median_s']:.2f} s | | |",
        f"| Index full build, empty dir (x1) | {build['full_build_s']:.2f} s ({build['full_texts_embedded']} texts embedded; "
        f"+ {build['model_load_s']:.2f} s model load) | | |",
        f"| Index forced rebuild, vectors reused | {build['forced_rebuild_s']:.2f} s ({build['forced_texts_embedded']} texts embedded) | | |",
        f"| Index incremental rebuild, one document changed | {build['incremental_build_s']:.2f} s "
        f"({build['incremental_texts_embedded']} texts embedded) | | |",
        f"| Peak RSS, open + answer the gold and independent questions (x1) | {ask['peak_rss_mb']:.0f} MB | ≤ {t['peak_rss_mb']:.0f} MB | "
        f"{status(ask['peak_rss_mb'], t['peak_rss_mb'])} |",
        "",
        "## Scale",
        "",
        "| Scale | Documents | Clauses | Texts embedded | Build | Build peak RSS | Open | Warm p50 | Warm p95 | Ask peak RSS |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in results["scale"].items():
        b, a = row["build"], row["ask"]
        lines.append(
            f"| {name} | {b['documents']} | {b['clause_count']} | {b['full_texts_embedded']} | {b['full_build_s']:.1f} s | "
            f"{b['peak_rss_mb']:.0f} MB | {a['open_s']:.1f} s | {a['wall_ms']['p50']:.1f} ms | "
            f"{a['wall_ms']['p95']:.1f} ms ({status(a['wall_ms']['p95'], t['warm_p95_ms'])}) | "
            f"{a['peak_rss_mb']:.0f} MB ({status(a['peak_rss_mb'], t['peak_rss_mb'])}) |"
        )
    for skipped in results.get("skipped", []):
        lines.append(f"| {skipped} | — | — | — | not run (`--quick`) | | | | | |")
    lines += ["", "Notes:", ""] + [f"- {note}" for note in results["notes"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the x100 scale run")
    parser.add_argument("--scales", default=None, help="comma-separated scale factors (default 1,10,100; quick 1,10)")
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh-interpreter runs for the cold start (median)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpora and indexes")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--worker-args", default="{}", help=argparse.SUPPRESS)
    parser.add_argument("--worker-result", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)

    if options.worker:
        result = WORKERS[options.worker](json.loads(options.worker_args))
        Path(options.worker_result).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
        return 0

    scales = [int(s) for s in (options.scales or ("1,10" if options.quick else "1,10,100")).split(",")]
    if 1 not in scales:
        scales.insert(0, 1)
    results: dict[str, Any] = {
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "quick": options.quick,
        "machine": machine(),
        "code": code_version(),
        "load_before": [round(v, 2) for v in os.getloadavg()],
        "targets": TARGETS,
        "scale": {},
        "skipped": [] if options.scales or not options.quick else ["x100"],
    }
    work = Path(tempfile.mkdtemp(prefix="policy-bench-"))
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f}s] {message}", file=sys.stderr, flush=True)

    try:
        for factor in scales:
            name = f"x{factor}"
            corpus = make_scaled_corpus(work / f"corpus-{name}", factor) if factor > 1 else copy_corpus(work / "corpus-x1")
            index = work / f"index-{name}"
            say(f"{name}: building index")
            build = run_worker("build", index, corpus)
            say(f"{name}: {build['clause_count']} clauses built in {build['full_build_s']:.1f} s; timing asks")
            ask = run_worker("ask", index, corpus)
            say(f"{name}: warm p95 {ask['wall_ms']['p95']:.1f} ms, peak RSS {ask['peak_rss_mb']:.0f} MB")
            results["scale"][name] = {"build": build, "ask": ask}

        say("index build: full / forced / incremental")
        results["index_build"] = run_worker(
            "build", work / "index-incremental", copy_corpus(work / "corpus-incremental"), incremental=True
        )
        say("cold start")
        results["cold_start"] = cold_start(work / "index-x1", work / "corpus-x1", options.cold_runs)
    finally:
        if options.keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    results["load_after"] = [round(v, 2) for v in os.getloadavg()]
    results["total_s"] = round(time.perf_counter() - started, 1)
    results["notes"] = [
        f"Measured on a shared {results['machine']['cpus']}-CPU machine where other people run tests at the same "
        f"time (1/5/15-min load average {results['load_before']} at the start, {results['load_after']} at the end): "
        "latencies and build times are upper bounds of an idle machine, not exact figures.",
        "Warm latency: one warm-up pass over all gold questions, then one timed pass over the independent development "
        "questions, which the process has not seen (no query cache helps them); wall time with time.perf_counter "
        "around Assistant.ask in the same process (Answer.latency_ms is the assistant's own figure). Open time at a "
        "new index includes training the intent and circumstance readers once (they are cached in the index folder).",
        "Cold start: wall time from launching `python -c` (import assistant.api, Assistant.open on an already built "
        "index, ask one question) until the answer line is read from its stdout; OS file cache warm.",
        "Peak RSS: ru_maxrss of the child process (os.wait4), which loads the encoder, the index and BM25.",
        "Scale: x10 / x100 add 9 / 99 synthetic copies of every document (distinct doc_id and doc_number, a copy tag "
        "before every sentence end so every clause and sentence is embedded afresh); the x1 build is from an empty "
        "index directory, the model load is excluded from build times. At x10 / x100 the top passages of most "
        "questions are near-identical copies of one clause, so the answers (not only the index) differ from x1; "
        "the scale rows show how retrieval and opening cost grow, not answer quality.",
        f"Whole run took {results['total_s']:.0f} s.",
    ]
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    table = render(results)
    (RESULTS_DIR / "latest.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (RESULTS_DIR / "latest.md").write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
