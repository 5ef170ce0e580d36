"""Write ``corpus/nlu/articles.yaml`` (the article reader's training file, ``assistant/nlu/articles.py``) from the
question sets written by other hands: the development sets (``evals/dev``) and the spent blind sets
(``evals/blind``, listed in :data:`SPENT`; a blind set is added here only after its first run was reported).

A question of kind national / current_rule / statute is labelled with the first article of its
``expected_source``, resolved to the indexed clause of that article (a source naming no article is left out);
lookup and out_of_scope questions are labelled ``none`` (answered by the local text, or by no document).

    python evals/make_article_training.py        # needs a built index
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.api import Assistant  # noqa: E402

DEVELOPMENT = ["questions", "lookups-2026-12-01", "current-rules-2026-12-02"]
SPENT = [
    "2026-11-30", "2026-11-30b", "2026-12-01", "2026-12-01b", "2026-12-01c", "2026-12-01d", "2026-12-01e", "2026-12-02",
    "2026-12-02-current-rules", "2026-12-02-current-rules-b", "2026-12-02-current-rules-c", "2026-12-02-current-rules-d",
    "2026-12-02-current-rules-e",
]
SOURCED = {"national", "current_rule", "statute"}
NOT_ABOUT_AN_ARTICLE = {"lookup", "out_of_scope"}
_ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇]+条")


def main() -> None:
    assistant = Assistant.open()
    names = {d.doc_id: f"{d.title} {d.doc_number}".replace("中华人民共和国", "") for d in assistant.documents()}
    clauses = assistant.clauses()

    def clause_of(source: str) -> str | None:
        first = re.split(r"[；;]", source)[0].strip()
        document = first.split()[0].replace("中华人民共和国", "") if first.split() else ""
        article = _ARTICLE.search(first)
        if not document or article is None:
            return None
        numeral = article.group()[1:-1]  # 第三条 → 三: a notice numbered 一、二、三 (87号) is cited by reviewers as 第三条
        matching = [
            c for c in clauses
            if document in names.get(c.doc_id, "") and ("实施条例" in document) == ("实施条例" in names.get(c.doc_id, ""))
            and (c.label.split()[-1].startswith(article.group()) or c.label.split()[-1] == numeral)
        ]
        return min(matching, key=lambda c: len(c.label)).key if matching else None

    examples = []
    for kind, folder, stems in (("dev", "dev", DEVELOPMENT), ("spent", "blind", SPENT)):
        for stem in stems:
            for line in (ROOT / "evals" / folder / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines():
                case = json.loads(line)
                if "question" not in case:
                    continue
                if case["kind"] in SOURCED:
                    about = clause_of(case.get("expected_source", ""))
                elif case["kind"] in NOT_ABOUT_AN_ARTICLE:
                    about = "none"
                else:
                    continue
                if about:
                    examples.append({"text": case["question"], "about": about, "source": f"{kind}:{stem}:{case['id']}"})
    header = (Path(ROOT / "corpus" / "nlu" / "articles.yaml").read_text(encoding="utf-8").split("version:")[0]
              if (ROOT / "corpus" / "nlu" / "articles.yaml").exists() else "")
    body = yaml.safe_dump({"version": 1, "examples": examples}, allow_unicode=True, sort_keys=False, width=1000)
    (ROOT / "corpus" / "nlu" / "articles.yaml").write_text(header + body, encoding="utf-8")
    print(f"{len(examples)} examples, {sum(e['about'] != 'none' for e in examples)} about an article")


if __name__ == "__main__":
    main()
