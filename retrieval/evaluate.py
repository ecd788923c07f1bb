"""Measuring retrieval on a question set: hit@1, hit@3, MRR, abstention."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .knowledge import KnowledgeError, load_yaml, strip_lines
from .search import KnowledgeBase
from .text import strip_for_match

KINDS = {"direct", "paraphrase", "unanswerable"}
MAX_HIT_CHARS = 600  # a returned passage longer than this does not count as a hit


@dataclass(frozen=True)
class Question:
    q: str
    kind: str
    answer: tuple[str, ...] = ()
    line: int | None = None


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

    def abstention(self) -> float:
        rows = self.of("unanswerable")
        return sum(1 for o in rows if not o.answered) / len(rows) if rows else 0.0

    def false_abstention(self) -> float:
        rows = self.answerable()
        return sum(1 for o in rows if not o.answered) / len(rows) if rows else 0.0

    def summary(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {"questions": len(self.outcomes)}
        for kind in ("direct", "paraphrase"):
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
        unknown = set(item) - {"q", "kind", "answer", "__line__"}
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
        questions.append(Question(item["q"], kind, tuple(str(a) for a in answer), line))
    return questions


def contains_answer(text: str, answers: tuple[str, ...]) -> bool:
    """Loose containment: punctuation, spaces and character width do not matter."""
    hay = strip_for_match(text)
    return any(strip_for_match(a) and strip_for_match(a) in hay for a in answers)


def evaluate(kb: KnowledgeBase, questions: list[Question], k: int = 5) -> Report:
    report = Report()
    for question in questions:
        answer = kb.search(question.q, k=k)
        rank = None
        if question.kind != "unanswerable":
            for hit in answer.hits:
                if len(hit.passage.text) <= MAX_HIT_CHARS and contains_answer(hit.passage.text, question.answer):
                    rank = hit.rank
                    break
        report.outcomes.append(Outcome(question, answer.answered, rank))
    return report
