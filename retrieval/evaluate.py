"""Measuring retrieval on a question set: hit@1, hit@3, MRR, abstention.

A question set is a YAML list of items with `q` (the question), `kind` and `answer`:

- `direct` / `paraphrase`: answerable; `answer` is one or more fragments, and a passage that
  contains any of them answers the question;
- `list`: asks for the items of a section (哪几个方面, 几点要求, 包括哪些); `answer` lists the
  items, and only a passage that contains every one of them answers it (one item's paragraph
  does not);
- `unanswerable`: the speeches do not cover it, no `answer`; `near: true` marks a question near the
  speeches' topic (office administration they do not cover: seals, leave, duty rosters) and
  `near: false` one off the topic, so that the two abstention rates are reported apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .knowledge import KnowledgeError, load_yaml, strip_lines
from .search import KnowledgeBase
from .text import strip_for_match

KINDS = {"direct", "paraphrase", "list", "unanswerable"}
ANSWERABLE_KINDS = ("direct", "paraphrase", "list")
MAX_HIT_CHARS = 600  # a returned passage longer than this does not count as a hit


@dataclass(frozen=True)
class Question:
    q: str
    kind: str
    answer: tuple[str, ...] = ()
    line: int | None = None
    near: bool | None = None  # unanswerable only: near the speeches' topic (True) or off it (False)


@dataclass
class Outcome:
    question: Question
    answered: bool
    rank: int | None  # 1-based rank of the first passage containing an answer, None if none


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.question.kind == kind]

    def hit_at(self, n: int, kind: str | None = None) -> float:
        rows = self.answerable() if kind is None else self.of(kind)
        return sum(1 for o in rows if o.rank is not None and o.rank <= n) / len(rows) if rows else 0.0

    def mrr(self, kind: str | None = None) -> float:
        rows = self.answerable() if kind is None else self.of(kind)
        return sum(1 / o.rank for o in rows if o.rank) / len(rows) if rows else 0.0

    def answerable(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.question.kind != "unanswerable"]

    def abstention(self, near: bool | None = None) -> float:
        """Share of unanswerable questions declined: all of them, or only the near-topic (True)
        or off-topic (False) ones."""
        rows = self.of("unanswerable")
        if near is not None:
            rows = [o for o in rows if o.question.near is near]
        return sum(1 for o in rows if not o.answered) / len(rows) if rows else 0.0

    def false_abstention(self) -> float:
        rows = self.answerable()
        return sum(1 for o in rows if not o.answered) / len(rows) if rows else 0.0

    def summary(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {"questions": len(self.outcomes)}
        for kind in ANSWERABLE_KINDS:
            if self.of(kind):
                out[f"{kind}_n"] = len(self.of(kind))
                out[f"{kind}_hit@1"] = self.hit_at(1, kind)
                out[f"{kind}_hit@3"] = self.hit_at(3, kind)
                out[f"{kind}_mrr"] = self.mrr(kind)
        out["hit@1"] = self.hit_at(1)
        out["hit@3"] = self.hit_at(3)
        out["mrr"] = self.mrr()
        out["unanswerable_n"] = len(self.of("unanswerable"))
        out["abstention"] = self.abstention()
        for near, name in ((True, "near"), (False, "off")):
            rows = [o for o in self.of("unanswerable") if o.question.near is near]
            if rows:
                out[f"unanswerable_{name}_n"] = len(rows)
                out[f"abstention_{name}"] = self.abstention(near)
        out["false_abstention"] = self.false_abstention()
        return out


def load_questions(path: Path) -> list[Question]:
    data = load_yaml(path)
    if not isinstance(data, list):
        raise KnowledgeError(path, "问题集应是列表（每项含 q、kind、answer）")
    questions = []
    for item in data:
        line = item.get("__line__") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not isinstance(item.get("q"), str) or not item["q"].strip():
            raise KnowledgeError(path, "每项需要非空的 q（问题）", line)
        unknown = set(item) - {"q", "kind", "answer", "near", "__line__"}
        if unknown:
            raise KnowledgeError(path, f"未知字段：{', '.join(sorted(unknown))}", line)
        kind = item.get("kind", "direct")
        if kind not in KINDS:
            raise KnowledgeError(path, f"kind 应为 {', '.join(sorted(KINDS))} 之一", line)
        answer = strip_lines(item.get("answer") or [])
        if isinstance(answer, str):
            answer = [answer]
        if kind == "unanswerable" and answer:
            raise KnowledgeError(path, "unanswerable 的问题不应有 answer", line)
        if kind != "unanswerable" and not answer:
            raise KnowledgeError(path, "可回答的问题需要 answer（答案片段）", line)
        near = item.get("near")
        if near is not None and (kind != "unanswerable" or not isinstance(near, bool)):
            raise KnowledgeError(path, "near 只用于 unanswerable 的问题，值为 true 或 false", line)
        questions.append(Question(item["q"], kind, tuple(str(a) for a in answer), line, near))
    return questions


def contains_answer(text: str, answers: tuple[str, ...], every: bool = False) -> bool:
    """Loose containment: punctuation, spaces and character width do not matter. Any fragment
    will do, or with `every` (list questions) all of them."""
    hay = strip_for_match(text)
    found = [bool(strip_for_match(a)) and strip_for_match(a) in hay for a in answers]
    return all(found) if every else any(found)


def evaluate(kb: KnowledgeBase, questions: list[Question], k: int = 5) -> Report:
    report = Report()
    for question in questions:
        answer = kb.search(question.q, k=k)
        rank = None
        if question.kind != "unanswerable":
            for hit in answer.hits:
                text = hit.passage.text
                if len(text) <= MAX_HIT_CHARS and contains_answer(text, question.answer, question.kind == "list"):
                    rank = hit.rank
                    break
        report.outcomes.append(Outcome(question, answer.answered, rank))
    return report
