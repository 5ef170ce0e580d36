"""The deterministic answer composer: classify, retrieve, select sentences, cite, or refuse.

No LLM is involved. The answer quotes the policy sentences that answer the question, each
followed by the number of the clause it comes from; it says "文件未作规定" when the corpus
does not answer (a money figure, another place, an unrelated topic) and then only lists the
nearest clauses, without stating any policy. Text that tries to change these rules (prompt
injection) is removed before anything else happens.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from assistant.corpus import normalise, repealed_documents, split_marker
from assistant.index import LoadedIndex
from assistant.lexicon import Lexicon
from assistant.models import Answer, Citation, Clause, Message, Passage
from assistant.nlu.aspects import aspects
from assistant.nlu.understand import is_english
from assistant.nlu.models import Aspect, ClauseRef
from assistant.relations import Relation, RelationKind, Relations
from assistant.retrieval import DenseRetriever, Retriever
from assistant.datafile import safe_load

from assistant.nlu.articles import ANSWERS_PROBABILITY, MIN_PROBABILITY, NONE, ArticleReader

_SPLIT_QUESTIONS = re.compile(r"(?<=[？?；;])|(?:另外|此外|还有|以及|同时)[，,]?|(?<=\?)\s*(?:and|also|And|Also)\s")
_FOLLOW_UP = re.compile(r"^(那|那么|还有|另外|如果|要是|那如果)|呢[？?]?$|(它|他们|这个|上述|前者|后者)")
_PUNCT_ONLY = re.compile(r"^[\s\W_]*$")
_PLACE_SUFFIXED = re.compile(r"([\u4e00-\u9fff]{2,4}?)(省|市|县|自治区)")
_DOCUMENT_NAMED = re.compile(
    r"[\u4e00-\u9fff]{1,8}[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*\d{1,4}\s*号"
    r"|(?:财政部|国务院|[\u4e00-\u9fff]{2,6}部)令\s*第?\s*[0-9一二三四五六七八九十百零〇]{1,5}\s*号"
    r"|《[^》]{4,40}》"
)
"""A document named by its number or its title in 《》."""
_LEADING_WORDS = re.compile(r"^(?:原来的?|以前的?|之前的?|根据|按照|依据|依照|参照|还有|以及|关于|和|与|及|在|按)+")
"""Words before a document's issuer that are not part of it (原来温政办〔2011〕172号 → 温政办〔2011〕172号)."""
_LAW_NAMED = re.compile(
    r"[\u4e00-\u9fff]{1,11}?(?<![做方办想说看手用写合违依守执司非无章不])法(?:实施条例|实施细则)?"
    r"(?![\u4e00-\u9fff]{0,2}(?:律|规|人|官|院|定|则|宝|子))"
)
"""A law or its implementing regulation named without brackets (招标投标法实施条例, 劳动合同法)."""
_ASKS_CONTENT = re.compile(r"^[^，。？?；;]{0,4}?(?:里|中|对|关于|规定|怎么|如何|哪些|什么|是否|有没有|要求|是怎样|第[一二三四五六七八九十百零0-9]+条)")
"""After a document's name: the question asks what that document itself says (…里/对…是怎么规定的)."""


def _document_key(text: str) -> str:
    """A document name for comparison: brackets unified, spaces, 《》 and the law's 中华人民共和国 dropped."""
    text = re.sub(r"[〔\[［【(（]", "〔", text)
    text = re.sub(r"[〕\]］】)）]", "〕", text)
    return re.sub(r"\s|《|》|中华人民共和国", "", text)

MAX_SENTENCES = 3
MAX_LIST_SENTENCES = 8
MIN_SENTENCE_RATIO = 0.65
RUNNER_UP_RATIO = 0.95
SHORT_CLAUSE_CHARS = 160
GOVERNING_WITHIN = 3
"""A local clause among the first this many citations brings its governing national clause beside it (before it
when the national clause changed the rule: a superseded clause is never cited ahead of the rule that replaced it)."""
_NUMBER_TAIL = re.compile(r"\d+号$")
_ASKS_ABOUT_TODAY = re.compile(
    r"现在|现行|目前|如今|当前|今年|最新|新规|新的|还能|还可以|还算|还按|还适用|还有效|上位|国家|102号|合规|合法|对吗|批错"
    r"|能不能|可不可以|行不行|是不是|能否|可否"
)
"""A question that names the 2014 text but asks whether something holds (现在这样操作行不, 照14年文件应该能…吧, 是不是批错了,
询价能不能用于…？118号里明明列了): about today, not about what the text said."""
MAX_GOVERNING = 2
"""At most this many national clauses that changed a local clause are cited ahead of it."""
EXTENDED_FIT = 0.9
"""An extended national clause is cited ahead of the local one when it matches the question at least this well relative
to the local clause (development sets: 1.0 → 0.9 put the national clause first for two more current-rule questions and
changed no lookup; 0.8 also put it ahead of the 2014 text for three questions about that text's own content)."""
CLOSE_FIT = 0.9
"""A second national clause that changed the local one is cited ahead of it too when it matches the question this well
relative to the best."""


class _Templates(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lead: str
    lead_reference: str
    lead_english: str
    statement: str
    not_answerable: str
    nearest: str
    nearest_item: str
    reason_no_figure: str
    reason_other_place: str
    reason_off_topic: str
    reason_injection: str
    reason_no_date: str
    reason_no_detail: str
    reason_other_domain: str
    repealed_warning: str
    empty_question: str
    greeting: str
    clause_lead: str
    clause_missing: str
    current_rule: str
    effective_unverified: str
    local_rule: str
    local_yields: str
    as_of: str
    reason_other_document: str


class _PromptFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    version: int
    templates: _Templates


def load_templates(path: Path) -> _Templates:
    """Load the phrasing of composed answers (``prompts/answer_templates.yaml``)."""
    return _PromptFile.model_validate(safe_load(path.read_text(encoding="utf-8"))).templates


MIN_SHARED_TERMS = 3
_SENTENCE = re.compile(r"(?<=[。；！？])")
QUANTITY_PATTERNS = {
    "time": re.compile(r"(?<![0-9])(?:[0-9]{1,3}|[一二三四五六七八九十两半百]+)个?(工作日|日|天|周|个月|月|年)(内|以内|之内|前|后)?"),
    "money": re.compile(r"[0-9一二三四五六七八九十百千]+(万元|元|亿元|万)"),
    "ratio": re.compile(r"百分之[一二三四五六七八九十百]+|[0-9]+(\.[0-9]+)?%|[一二三四五六七八九十]成"),
}
"""A quantity of each kind as clauses state it (七个工作日, 五年, 200万元, 百分之十)."""
_YEAR = re.compile(r"(?<![0-9])(20[0-9]{2})(?=年)")
_ASKS_TIME = re.compile(
    r"多久|多长时间|(?<![好这那前近十])(?:几天|几个工作日|几个月|几年)|期限|时限|时间限制|截止|哪天|几月几号|什么时候|何时"
    r"|deadline|how long|how many days"
)
"""A question for a period; 好几年/这几天/前几个月/十几年 state one (做了好几年了) and ask nothing."""
_ASKS_RATIO = re.compile(r"比例|百分之几|几成|多少个点|费率|percent")


def asked_quantities(question: str, lexicon: Lexicon) -> set[str]:
    """The kinds of quantity a question asks for: ``time``, ``money`` and/or ``ratio``."""
    lowered = question.lower()
    asked = set()
    if _ASKS_TIME.search(lowered) or any(p.search(question) for p in lexicon.date_patterns):
        asked.add("time")
    if _ASKS_RATIO.search(lowered):
        asked.add("ratio")
    if any(p.search(question) for p in lexicon.figure_patterns) and not (asked and not _MONEY_WORDS.search(question)):
        asked.add("money")
    return asked


_MONEY_WORDS = re.compile(r"钱|万|元|金额|费用|经费|预算|价格|收费|报酬|数额|限额")


@dataclass(frozen=True)
class Thresholds:
    """Relevance cut-offs below which a question is treated as not answered by the corpus."""

    min_sentence_cosine: float = 0.30
    min_token_coverage: float = 0.34


@dataclass
class _Part:
    text: str
    vector: np.ndarray
    passages: list[Passage]
    refusal: str | None
    fits: dict[str, float] = field(default_factory=dict)
    """How well each clause's best sentence matches this part (:meth:`Composer._fit`), computed once."""


class Composer:
    """Answers one question from an opened index (see the module docstring)."""

    def __init__(
        self,
        index: LoadedIndex,
        retriever: Retriever,
        dense: DenseRetriever,
        lexicon: Lexicon,
        templates: _Templates,
        *,
        top_k: int = 5,
        thresholds: Thresholds | None = None,
        relations: Relations | None = None,
        articles: ArticleReader | None = None,
    ) -> None:
        self.index = index
        self.retriever = retriever
        self.dense = dense
        self.lexicon = lexicon
        self.templates = templates
        self.top_k = top_k
        self.thresholds = thresholds or Thresholds()
        self.relations = relations or Relations()
        self.articles = articles
        """The article reader (:mod:`assistant.nlu.articles`), or ``None``: which national article a question is about."""
        governed = {r.local.split("#", 1)[0] for r in self.relations.all()}
        self._local_document_names = [
            name for d in index.manifest.documents if d.doc_id in governed
            for name in (*_NUMBER_TAIL.findall(d.doc_number), f"{d.date.year}年", f"{d.date.year % 100}年")
        ]
        self._position = {c.key: i for i, c in enumerate(index.clauses)}
        self._documents = {d.doc_id: d for d in index.manifest.documents}
        self._vocabulary = {t for c in index.clauses for t in lexicon.tokens(c.context_text)}
        self._repealed = repealed_documents(list(index.manifest.documents))
        self._document_years = {str(d.date.year) for d in index.manifest.documents}
        self._held_documents = [
            _document_key(text)
            for text in [*(d.doc_number for d in index.manifest.documents), *(d.title for d in index.manifest.documents)]
            if text
        ]
        self._known_documents = [
            _document_key(text)
            for text in [*(d.doc_number for d in index.manifest.documents), *(d.title for d in index.manifest.documents), *(c.text for c in index.clauses)]
            if text
        ]
        scopes = {d.scope for d in index.manifest.documents}
        self._places_in_scope = lexicon.places_in_scope | scopes | {re.sub(r"(省|市|县|区)$", "", s) for s in scopes}

    # ----------------------------------------------------------------- entry point
    def answer(self, question: str, history: Sequence[Message] = (), *, on: date | None = None) -> Answer:
        """Answer from the documents in force on ``on`` (default today): a document not yet in force is not
        cited, and a national clause governs a local one only from the day it took effect."""
        on = on or date.today()
        text = normalise(question or "")
        if _PUNCT_ONLY.match(text):
            return Answer(answer=self.templates.empty_question, answerable=False, intent="empty")
        cleaned = self.strip_injection(text)
        if _PUNCT_ONLY.match(cleaned):
            return self._refuse(text, self.templates.reason_injection, [])
        query = self._with_context(cleaned, history)
        parts = [self._part(p, on) for p in self._split(query)]
        passages = self._merge([p.passages for p in parts])
        refusal = self._question_refusal(cleaned) or self._quantity_refusal(cleaned, passages)
        passages = self._beside_governing(passages, parts[0], on, historical=self._asks_what_the_local_text_said(cleaned))
        answered = [p for p in parts if p.refusal is None]
        if refusal or not answered:
            return self._refuse(cleaned, refusal or parts[0].refusal or self.templates.reason_off_topic, passages)
        return self._compose(cleaned, answered, passages, on)

    def query_texts(self, question: str, history: Sequence[Message] = ()) -> list[str]:
        """The texts :meth:`answer` embeds for ``question`` (its parts), so that a caller can embed them in one batch."""
        cleaned = self.strip_injection(normalise(question or ""))
        return self._split(self._with_context(cleaned, history)) if not _PUNCT_ONLY.match(cleaned) else []

    def quote(self, references: Sequence[ClauseRef], question: str) -> Answer:
        """The clauses a user named by number, quoted in full, each cited; a missing one is said to be missing."""
        by_key = {c.key: c for c in self.index.clauses}
        found = [by_key[r.key] for r in references if r.key in by_key]
        found = list({c.key: c for c in self._with_children(found)}.values())
        if not found:
            missing = references[0].span.text if references else question
            passages = self.retriever.retrieve(normalise(question), top_k=3)
            answer = self._refuse(question, "", passages)
            lines = answer.answer.splitlines()
            lines[0] = self.templates.clause_missing.format(reference=missing)
            return answer.model_copy(update={"answer": "\n".join(lines)})
        lines = []
        for n, clause in enumerate(found, start=1):
            lines.append(self.templates.clause_lead.format(label=clause.label))
            body = [split_marker(self.index.sentences[s].text)[1] for s in self._sentences(clause)] or [clause.text]
            lines.extend(f"- {self.templates.statement.format(sentence=sentence, n=n)}" for sentence in body)
        lead = self._lead([c.key for c in found])
        return Answer(
            answer=lead + "\n" + "\n".join(lines),
            answerable=True,
            intent="clause_reference",
            citations=tuple(_citation(c) for c in found),
        )

    def _with_children(self, clauses: list[Clause]) -> list[Clause]:
        """Each clause followed by the clauses nested under it (七（四） → 七（四）1 … 七（四）5)."""
        result = []
        for clause in clauses:
            result.append(clause)
            result += [
                c for c in self.index.clauses
                if c.doc_id == clause.doc_id and c.clause_id != clause.clause_id and c.clause_id.startswith(clause.clause_id)
                and clause.clause_id not in ("前言", "附则")
            ]
        return result

    def greet(self) -> Answer:
        """What the assistant can do, with example questions (no policy stated, nothing cited)."""
        return Answer(answer=self.templates.greeting, answerable=True, intent="greeting")

    def decline(self, question: str) -> Answer:
        """文件未作规定, with the nearest clauses: for a question the classifier places outside the documents."""
        cleaned = self.strip_injection(normalise(question or ""))
        passages = self.retriever.retrieve(cleaned, top_k=3) if cleaned else []
        return self._refuse(cleaned, self._question_refusal(cleaned) or self.templates.reason_off_topic, passages)

    def asks_quantity(self, question: str) -> bool:
        """Whether the question asks for a period, an amount or a ratio (see :func:`asked_quantities`)."""
        return bool(asked_quantities(self.strip_injection(normalise(question or "")), self.lexicon))

    def declines(self, question: str) -> bool:
        """Whether the question itself is one the corpus cannot answer (a figure, another place, …).

        Checked before any rule tool runs, so "公开招标数额标准是500万对吗" is declined, not computed.
        """
        cleaned = self.strip_injection(normalise(question or ""))
        return bool(_PUNCT_ONLY.match(cleaned)) or self._question_refusal(cleaned) is not None

    def strip_injection(self, text: str) -> str:
        """Remove phrases that try to change the assistant's rules."""
        for pattern in self.lexicon.injection_patterns:
            text = pattern.sub("", text)
        return text.strip(" ，,。")

    # ----------------------------------------------------------------- understanding
    def _with_context(self, question: str, history: Sequence[Message]) -> str:
        previous = [m.content for m in history if m.role == "user"]
        if previous and len(question) <= 20 and _FOLLOW_UP.search(question):
            return self.strip_injection(normalise(previous[-1])) + " " + question
        return question

    def _split(self, query: str) -> list[str]:
        parts = [p.strip(" ，,。") for p in _SPLIT_QUESTIONS.split(query) if p and p.strip(" ，,。")]
        parts = [p for p in parts if len(p) >= 4]
        return parts[:3] or [query]

    def _part(self, text: str, on: date) -> _Part:
        """Retrieve for one question part; the national article the article reader names (:meth:`_reading`) is read
        first. A question about what the 2014 text said (按118号文，哪些单位可以作为购买主体) gets today's article first
        too, with the 2014 text beside it: the current rule comes first (leave-one-set-out on the issue-7 sets: set 2
        and the development set 0.771 → 0.812; one development lookup's 118号 evidence went from first to second)."""
        vector = self.dense.embed(text)
        passages = [
            p for p in self.retriever.retrieve(text, top_k=self.top_k, query_vector=vector) if self._in_force_by(p.clause.doc_id, on)
        ]
        refusal = self._relevance_refusal(text, vector, passages)
        key, probability = self._reading(text, vector, on)
        if key is None:
            return _Part(text, vector, passages, refusal)
        # the article the question is about first; a question read as about it at ANSWERS_PROBABILITY is answered
        first = [self._passage(key, passages[0].score if passages else 0.0), *(p for p in passages if p.clause.key != key)]
        return _Part(text, vector, first[: max(len(passages), self.top_k)], None if probability >= ANSWERS_PROBABILITY else refusal)

    def _reading(self, text: str, vector: np.ndarray, on: date) -> tuple[str | None, float]:
        """The national article the article reader names for a question part (:mod:`assistant.nlu.articles`) and its
        probability, when it names one at :data:`~assistant.nlu.articles.MIN_PROBABILITY` that is indexed and in
        force on ``on``; else ``(None, 0.0)``."""
        if self.articles is None:
            return None, 0.0
        label, probability = self.articles.reading(text, vector)
        if label == NONE or probability < MIN_PROBABILITY or label not in self._position or not self._governs_on(label, on):
            return None, 0.0
        return label, probability

    def article_about(self, question: str, history: Sequence[Message] = (), *, on: date | None = None) -> str | None:
        """The national article the article reader says the question (its first part) is about, when it names one
        that is indexed and in force on ``on``; else ``None``. A decision answer cites it right after the clause
        that decides even when the question gets no prose answer of its own."""
        cleaned = self.strip_injection(normalise(question or ""))
        if self.articles is None or _PUNCT_ONLY.match(cleaned):
            return None
        text = self._split(self._with_context(cleaned, history))[0]
        return self._reading(text, self.dense.embed(text), on or date.today())[0]

    def _governs_on(self, key: str, on: date) -> bool:
        """Whether a national clause governs on ``on``: its document in force then (taken effect, not expired or
        repealed)."""
        meta = self._documents.get(key.split("#", 1)[0])
        return meta is not None and meta.in_force_on(on) and meta.doc_id not in self._repealed

    def _in_force_by(self, doc_id: str, on: date) -> bool:
        """Whether a document had taken effect by ``on`` (a repealed one is still cited, with its warning)."""
        meta = self._documents.get(doc_id)
        return meta is None or meta.in_force_from <= on

    def _quantity_refusal(self, question: str, passages: list[Passage]) -> str | None:
        """文件未作规定 when the question asks for a quantity (a period, an amount, a ratio) that none of the
        best clauses states; a question whose answer the clauses do state (质疑期限 七个工作日) is answered."""
        texts = [p.clause.text for p in passages[:3]]
        years = [
            y for y in _YEAR.findall(question) if not any(y in text for text in texts) and y not in self._document_years
        ]  # (a held document's own year names that document: 2014年118号文)
        if years:  # a year the best clauses do not speak of (2025年度的申报截止, 2030年的目标)
            return self.templates.reason_no_date.format(topic=self._topic(question))
        asked = asked_quantities(question, self.lexicon)
        if not asked:
            return None
        if any(QUANTITY_PATTERNS[kind].search(sentence) for kind in asked for sentence in self._on_topic(question, texts)):
            return None
        if "time" in asked and len(asked) == 1:
            return self.templates.reason_no_date.format(topic=self._topic(question))
        return self.templates.reason_no_figure.format(topic=self._topic(question))

    def _on_topic(self, question: str, texts: list[str]) -> list[str]:
        """The sentences of ``texts`` that share at least :data:`MIN_SHARED_TERMS` terms (two characters or more)
        with the question: a quantity answers the question only where the sentence speaks of what was asked."""
        asked = {t for t in self.lexicon.query_tokens(question) if len(t) >= 2}
        sentences = [s for text in texts for s in _SENTENCE.split(text) if s]
        return [s for s in sentences if len(asked & {t for t in self.lexicon.tokens(s) if len(t) >= 2}) >= MIN_SHARED_TERMS]

    def _question_refusal(self, question: str) -> str | None:
        document = self._other_document(question)
        if document:
            return self.templates.reason_other_document.format(document=document)
        place = self._other_place(question)
        if place:
            scopes = "、".join(dict.fromkeys(d.scope for d in self._documents.values() if d.kind == "policy")) or "本地"
            return self.templates.reason_other_place.format(scope=scopes, place=place)
        term = next((t for t in self.lexicon.off_topic_terms if t in question), None)
        if term:
            return self.templates.reason_other_domain.format(term=term)
        if any(p.search(question) for p in self.lexicon.detail_patterns):
            return self.templates.reason_no_detail.format(topic=self._topic(question))
        return None

    def _other_document(self, question: str) -> str | None:
        """A document the question names (by number, 财库〔2020〕10号 / 财政部令第87号, by 《title》 or as a law,
        招标投标法实施条例) that the index does not hold, when what it says is asked: a document that no clause even
        quotes, or one that a clause only quotes (根据浙政办发〔2014〕72号…) while the question asks for its own
        content (…里是怎么分类的, …对评标委员会是怎么规定的). Its content cannot be answered from the texts held."""
        for match in [*_DOCUMENT_NAMED.finditer(question), *_LAW_NAMED.finditer(question)]:
            named = match.group(0)
            bracket = re.search(r"[〔\[［【(（]|令", named)
            rest = ""
            if bracket and not named.startswith("《"):
                issuer, rest = _LEADING_WORDS.sub("", named[: bracket.start()]), named[bracket.start() :]
                names = [issuer[-k:] + rest for k in range(min(len(issuer), 6), 1, -1)]  # 根据国办发〔2013〕96号 → 国办发〔…〕
            elif named.startswith("《"):
                names = [named]
            else:  # a bare law name: its tails from 2 characters before 法 (依照招标投标法 → 投标法, 标投标法, …)
                law = named.index("法")
                names = [named[start:] for start in range(max(law - 2, 0), -1, -1)]
            keys = [_document_key(name) for name in names]
            if not keys or any(key in held for key in keys for held in self._held_documents):
                continue
            shown = names[-1] if len(names) == 1 or not rest else next((n for n in names if len(n) - len(rest) <= 4), names[-1])
            quoted = any(key in known for key in keys for known in self._known_documents)
            if not quoted and (bracket or named.startswith("《")):
                return shown
            if _ASKS_CONTENT.search(question[match.end() :]):
                return shown
        return None

    def _other_place(self, question: str) -> str | None:
        """A place the question names that no indexed document covers (lexicon scopes + document scopes)."""
        in_scope = self._places_in_scope
        for place in self.lexicon.places_known:
            if place in question and not any(place in s for s in in_scope):
                return place
        for match in _PLACE_SUFFIXED.finditer(question):
            name = match.group(1)
            if not any(name in s or s in name for s in in_scope) and name[-1] not in "全本各该同":
                if any(name.endswith(p) or p in name for p in self.lexicon.places_known):
                    return match.group(0)
        return None

    @staticmethod
    def _topic(question: str) -> str:
        return question.strip("？?。！! ")[:24]

    def _relevance_refusal(self, text: str, vector: np.ndarray, passages: list[Passage]) -> str | None:
        if not passages:
            return self.templates.reason_off_topic
        best_cosine = max((float(self.index.sentence_vectors[s] @ vector) for p in passages[:3] for s in self._sentences(p.clause)), default=0.0)
        words = [t for t in self.lexicon.query_tokens(text) if len(t) >= 2]
        coverage = sum(t in self._vocabulary for t in words) / len(words) if words else 0.0
        if best_cosine < self.thresholds.min_sentence_cosine and coverage < self.thresholds.min_token_coverage:
            return self.templates.reason_off_topic
        return None

    # ----------------------------------------------------------------- composing
    def _sentences(self, clause: Clause) -> range:
        return self.index.sentences_of(self._position[clause.key])

    def _merge(self, rankings: list[list[Passage]]) -> list[Passage]:
        merged: dict[str, Passage] = {}
        for rank in range(max((len(r) for r in rankings), default=0)):
            for ranking in rankings:
                if rank < len(ranking):
                    merged.setdefault(ranking[rank].clause.key, ranking[rank])
        return list(merged.values())[: max(self.top_k, len(rankings))]

    def _beside_governing(self, passages: list[Passage], part: _Part, on: date, *, historical: bool = False) -> list[Passage]:
        """Each local clause among the first :data:`GOVERNING_WITHIN` citations brings the clause that governs the
        part of it the question is about (``corpus/relations.yaml``; the relation whose national clause best matches
        the question): right before it when that clause changed the local rule (the superseded text is never cited
        ahead of the rule that replaced it), right after it when it restates it. A national clause cited first brings
        the local clause whose rule it changed, so that the answer can say what the local text said and which
        prevails."""
        if not self.relations:
            return passages
        result = list(passages)
        for passage in passages[:GOVERNING_WITHIN]:
            key = passage.clause.key
            close = self._close_relations(key, part, on)
            if not close:
                continue
            # the question is about the part of the local clause that the national clauses matching it best govern:
            # ahead of it those of them that changed the rule, after it the best one when none did
            ahead = [r.governing for r, fit in close if self._supersedes(r, fit, part)][:MAX_GOVERNING]
            changing = bool(ahead) and not historical
            for governing in ahead if changing else [close[0][0].governing]:
                at = next(i for i, p in enumerate(result) if p.clause.key == key)
                found = next((i for i, p in enumerate(result) if p.clause.key == governing), None)
                if found is not None and (found < at if changing else found <= at + 1):
                    continue
                moved = result.pop(found) if found is not None else self._passage(governing, passage.score)
                at = next(i for i, p in enumerate(result) if p.clause.key == key)
                result.insert(at if changing else at + 1, moved)
        if result:
            replaced = self._best_changed_local(result[0].clause.key, None, part, on)
            if replaced is not None and all(p.clause.key != replaced.local for p in result):
                result.insert(1, self._passage(replaced.local, result[0].score))
        return result[: max(len(passages), self.top_k)]

    def _supersedes(self, relation: Relation, fit: float, part: _Part) -> bool:
        """Whether, for this question, the national clause replaces the local text rather than adding to it: a
        narrowed or contradicted rule always; an extended one when the question is about what it adds (the national
        clause matches the question nearly as well as the local clause itself, :data:`EXTENDED_FIT`)."""
        if relation.kind is RelationKind.EXTENDED:
            return fit > EXTENDED_FIT * self._fit(relation.local, part)
        return relation.changes_the_rule

    def _asks_what_the_local_text_said(self, question: str) -> bool:
        """A question about the 2014 text itself (按118号文…, 2014年温州要…, 118号文原文怎么说): it names a local document
        that a national clause governs, by its number or year, and asks nothing about today (现在, 还能, 新规, …).
        Such a question is answered from the local text first, with today's rule beside it."""
        names = any(name in question for name in self._local_document_names)
        return names and not _ASKS_ABOUT_TODAY.search(question)

    def _passage(self, key: str, score: float) -> Passage:
        return Passage(clause=self.index.clauses[self._position[key]], score=score)

    def _fit(self, key: str, part: _Part) -> float:
        """How well a clause's best sentence matches the question part (computed once per part and clause)."""
        if key not in part.fits:
            scores = self._sentence_scores(part, self.index.clauses[self._position[key]])
            part.fits[key] = max((score for score, _ in scores), default=0.0)
        return part.fits[key]

    def _relations(self, local: str, on: date) -> list[Relation]:
        """The relations of a local clause whose governing clause is indexed and in force on ``on``."""
        return [
            r for r in self.relations.governing(local)
            if r.governing in self._position and self._governs_on(r.governing, on)
        ]

    def _best_relation(self, local: str, part: _Part, on: date) -> Relation | None:
        """Of a local clause's relations in force, the one that speaks to the question: among those whose governing
        clause matches it nearly as well as the best (:data:`CLOSE_FIT`), the best that changed the rule, else the
        best (公益性岗位还能买吗 → 102号令第十条, which changed 四（一）, not 第九条, which restates its other half)."""
        close = self._close_relations(local, part, on)
        return next((r for r, _ in close if r.changes_the_rule), close[0][0]) if close else None

    def _close_relations(self, local: str, part: _Part, on: date) -> list[tuple[Relation, float]]:
        """A local clause's relations in force whose governing clause matches the question nearly as well as the best
        (:data:`CLOSE_FIT`), best first, each with its fit."""
        fitted = sorted(((r, self._fit(r.governing, part)) for r in self._relations(local, on)), key=lambda pair: -pair[1])
        return [(r, fit) for r, fit in fitted if fit >= CLOSE_FIT * fitted[0][1]] if fitted else []

    def _best_changed_local(self, governing: str, numbers: dict[str, int] | None, part: _Part, on: date) -> Relation | None:
        """For a national clause, the local clause whose rule it changed (best matching the question; among the
        cited ones when ``numbers`` is given)."""
        if not self._governs_on(governing, on):
            return None
        relations = [
            r for r in self.relations.governed_by(governing)
            if r.changes_the_rule and r.local in self._position and (numbers is None or r.local in numbers)
        ]
        return max(relations, key=lambda r: self._fit(r.local, part)) if relations else None

    def _current_rule_line(self, relation: Relation, n: int) -> str:
        governing = self.index.clauses[self._position[relation.governing]]
        meta = self._documents[governing.doc_id]
        flag = "" if meta.effective_verified else self.templates.effective_unverified
        return self.templates.current_rule.format(
            note=relation.note, label=governing.label, effective=meta.in_force_from.isoformat(), flag=flag, n=n
        )

    def _yields_line(self, relation: Relation) -> str:
        local = self._documents[relation.local.split("#", 1)[0]]
        governing = self._documents[relation.governing.split("#", 1)[0]]
        return self.templates.local_yields.format(
            local=local.dated_name, document=governing.doc_number or governing.title
        )

    def _local_rule_line(self, relation: Relation, sentence: str, n: int) -> str:
        local_clause = self.index.clauses[self._position[relation.local]]
        local = self._documents[local_clause.doc_id]
        return self.templates.local_rule.format(
            local=local.dated_name, label=local_clause.label, sentence=sentence, n=n
        )

    def _current_rules(self, used: list[str], numbers: dict[str, int], part: _Part, on: date) -> tuple[list[str], Relation | None]:
        """For the clause an answer rests on (the first it quotes), the rule that applies today where a national
        clause changed it, and that relation. A local clause: the relation's note and the governing clause's best
        sentence, both cited. A national clause that changed a cited local one: the local text it replaced, quoted
        as what the 2014 text said, after the 现行规定 line of that relation. A runner-up clause quoted beside it brings no line: its relation may be
        about something else."""
        for key in list(dict.fromkeys(used))[:1]:  # the clause that answers, not a runner-up quoted beside it
            relation = self._best_relation(key, part, on)
            if relation is not None and relation.changes_the_rule and relation.governing in numbers:
                governing = self.index.clauses[self._position[relation.governing]]
                n = numbers[relation.governing]
                lines = [self._current_rule_line(relation, n)]
                best = max(self._sentence_scores(part, governing), default=None)
                if best is not None:
                    lines.append(self.templates.statement.format(sentence=split_marker(self.index.sentences[best[1]].text)[1], n=n))
                return lines, relation
            replaced = self._best_changed_local(key, numbers, part, on)
            if replaced is not None:
                local = self.index.clauses[self._position[replaced.local]]
                best = max(self._sentence_scores(part, local), default=None)
                if best is not None:
                    sentence = split_marker(self.index.sentences[best[1]].text)[1]
                    return [
                        self._current_rule_line(replaced, numbers[key]),
                        self._local_rule_line(replaced, sentence, numbers[replaced.local]),
                    ], replaced
        return [], None

    def _is_title(self, s: int) -> bool:
        """A sentence that is only a clause's heading (e.g. ``2. 积极稳妥，有序实施。``)."""
        sentence = self.index.sentences[s].text
        clause = self.index.clauses[self.index.sentences[s].clause_index]
        first = s == self.index.sentences_of(self._position[clause.key]).start
        marker, bare = split_marker(sentence)
        return len(sentence) < 6 or (first and (bool(marker) or not bare.endswith("。")) and len(bare) <= 18)

    def _sentence_scores(self, part: _Part, clause: Clause) -> list[tuple[float, int]]:
        query_tokens = set(self.lexicon.query_tokens(part.text))
        scored = []
        for s in self._sentences(clause):
            if self._is_title(s):
                continue
            tokens = set(self.lexicon.tokens(self.index.sentences[s].text))
            overlap = len(query_tokens & tokens) / len(query_tokens) if query_tokens else 0.0
            scored.append((float(self.index.sentence_vectors[s] @ part.vector) + 0.6 * overlap, s))
        return scored

    def _select(self, part: _Part) -> list[tuple[int, str]]:
        """Pick the sentences (global sentence index, clause key) that best answer one part.

        The best-ranked clause is the answer: its best sentences are quoted (the whole clause when
        it is short). The runner-up clause adds its best sentence only when that sentence is
        nearly as good, which covers questions that two clauses answer together.
        """
        if not part.passages:
            return []
        top = part.passages[0].clause
        scored = self._sentence_scores(part, top)
        if not scored:
            return []
        best = max(score for score, _ in scored)
        if Aspect.LIST in aspects(part.text):
            return self._whole(top, scored)
        short = sum(len(self.index.sentences[s].text) for _, s in scored) <= SHORT_CLAUSE_CHARS
        chosen = [s for score, s in scored if short or score >= best * MIN_SENTENCE_RATIO]
        if not short:
            score_of = {s: score for score, s in scored}
            chosen = sorted(chosen, key=lambda s: -score_of[s])[:MAX_SENTENCES]
        picked = [(s, top.key) for s in sorted(chosen)]
        for passage in part.passages[1:2]:
            runner = self._sentence_scores(part, passage.clause)
            if runner:
                score, s = max(runner)
                if score >= best * RUNNER_UP_RATIO:
                    picked.append((s, passage.clause.key))
        return picked

    def _whole(self, clause: Clause, scored: list[tuple[float, int]]) -> list[tuple[int, str]]:
        """A list question (哪些/几条) gets the whole enumeration: every sentence of the clause, up to a bound."""
        return [(s, clause.key) for _, s in sorted(scored, key=lambda pair: pair[1])[:MAX_LIST_SENTENCES]]

    def _compose(self, question: str, parts: list[_Part], passages: list[Passage], on: date) -> Answer:
        numbers = {p.clause.key: n for n, p in enumerate(passages, start=1)}
        lines: list[str] = []
        used: list[str] = []
        seen_sentences: set[str] = set()
        for part in parts:
            for s, key in self._select(part):
                if self.index.sentences[s].text in seen_sentences:
                    continue
                seen_sentences.add(self.index.sentences[s].text)
                if key not in numbers:
                    continue
                used.append(key)
                lines.append((key, split_marker(self.index.sentences[s].text)[1]))
        if not lines:
            return self._refuse(question, self.templates.reason_off_topic, passages)
        current, relation = self._current_rules(used, numbers, parts[0], on)
        local_first = relation is not None and relation.local == used[0]
        statements = []
        for key, sentence in lines:
            if relation is not None and key == relation.local:
                if not local_first:
                    continue  # the replaced local text is quoted once, as what the 2014 text said
                if not statements:
                    statements.append(self._local_rule_line(relation, sentence, numbers[key]))
                    continue
            statements.append(self.templates.statement.format(sentence=sentence, n=numbers[key]))
        closing = [self._yields_line(relation)] if relation is not None else []
        # Today's rule first: the governing clause's lines, then what the local text said, then which prevails.
        # A national clause first: its 现行规定 line (what changed, since when), its sentences, then the local text.
        ordered = [*current, *statements, *closing] if local_first else [*current[:1], *statements, *current[1:], *closing]
        governing = [key for key, n in numbers.items() if local_first and any(line.endswith(f"[{n}]") for line in current)]
        replaced = [relation.local] if relation is not None and not local_first else []
        lead = self._lead([*governing, *used, *replaced], english=is_english(question))
        if on != date.today():
            lead = self.templates.as_of.format(on=on.isoformat()) + lead
        body = "\n".join(f"- {line}" for line in dict.fromkeys(ordered))
        return Answer(
            answer=f"{lead}\n{body}",
            answerable=True,
            intent=self._intent(passages),
            citations=tuple(_citation(p.clause) for p in passages),
        )

    def _lead(self, keys: list[str], *, english: bool = False) -> str:
        doc_ids = list(dict.fromkeys(k.split("#", 1)[0] for k in keys))
        names = []
        for doc_id in doc_ids:
            meta = self._documents.get(doc_id)
            if meta is None:
                continue
            clause_ids = "、".join(dict.fromkeys(k.split("#", 1)[1] for k in keys if k.startswith(doc_id + "#")))
            names.append(f"《{meta.title}》（{meta.doc_number}）{clause_ids}" if meta.doc_number else f"《{meta.title}》{clause_ids}")
        sources = "，以及".join(names)
        reference = any(self._documents[d].kind == "reference" for d in doc_ids if d in self._documents)
        template = self.templates.lead_english if english else self.templates.lead_reference if reference else self.templates.lead
        lead = template.format(sources=sources)
        for doc_id in doc_ids:
            if doc_id in self._repealed:
                meta = self._documents[doc_id]
                lead = self.templates.repealed_warning.format(document=meta.doc_number or meta.title) + lead
        return lead

    def _intent(self, passages: list[Passage]) -> str:
        if not passages:
            return "policy_question"
        top = passages[0].clause
        return "policy_question:" + (top.heading_path[-1] if top.heading_path else top.clause_id)

    def _refuse(self, question: str, reason: str, passages: list[Passage]) -> Answer:
        lines = [self.templates.not_answerable.format(reason=reason)]
        nearest = passages[:3]
        if nearest:
            lines.append(self.templates.nearest)
            lines.extend(self.templates.nearest_item.format(n=n, label=p.clause.label) for n, p in enumerate(nearest, start=1))
        return Answer(
            answer="\n".join(lines),
            answerable=False,
            intent="out_of_scope",
            citations=tuple(_citation(p.clause) for p in nearest),
        )


def _citation(clause: Clause) -> Citation:
    return Citation(doc_id=clause.doc_id, clause_id=clause.clause_id, label=clause.label, text=clause.text)
