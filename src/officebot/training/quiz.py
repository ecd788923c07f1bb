"""Quizzes made from tips: multiple choice, four options, exactly one of them right.

A quiz blanks out a tip's answer (「二是信息处理要“＿＿”。…」) or, when the answer is the whole tip
(a saying), asks which saying the speech quotes in that section. The three wrong options come from
the speeches' own words: the trainer's distractors first, then the answers of related tips (the
parallel items 好/快/精/深…, other numbers of the unit 半小时/一小时/24小时, sayings of other
sections), then number neighbours (两小时). A candidate is refused when

- it is already in the question (a reader would rule it out),
- it would make the quoted sentence true somewhere in the speech (it would be correct too),
- it contains the answer or is contained in it, or repeats another option.

Options are shuffled; the same tip and seed give the same quiz on every machine and run. Question,
options and explanation keep to Telegram's poll limits (300, 100 and 200 characters).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

from officebot.training.tips import Tip, number_neighbours, parse_number, squash

MAX_QUESTION = 300
MAX_OPTION = 100
MAX_EXPLANATION = 200
OPTIONS = 4
BLANK = "＿＿"


@dataclass(frozen=True)
class Quiz:
    """A multiple-choice question ready for a Telegram quiz poll."""

    question: str
    options: tuple[str, ...]
    correct: int  # index into options
    explanation: str  # shown after answering: the answer, the quoted source, speech and section
    tip_id: str

    @property
    def answer(self) -> str:
        return self.options[self.correct]

    def to_dict(self) -> dict:
        return asdict(self) | {"options": list(self.options)}

    @classmethod
    def from_dict(cls, data: dict) -> Quiz:
        return cls(
            question=data["question"], options=tuple(data["options"]), correct=int(data["correct"]),
            explanation=data["explanation"], tip_id=data["tip_id"],
        )


class QuizError(ValueError):
    """A tip from which no proper quiz can be made (too few acceptable distractors)."""


def tg_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def make_quiz(tip: Tip, tips: Sequence[Tip] = (), seed: int | str | random.Random = 0) -> Quiz:
    """The quiz of a tip. `tips` (all tips, say) lend distractors when the tip has too few of its
    own. The same tip, tips and seed give the same quiz."""
    rng = seed if isinstance(seed, random.Random) else random.Random(f"{seed}/{tip.id}")
    question = _question(tip)
    chosen: list[str] = []
    for candidate in _candidates(tip, tips, rng):
        if len(chosen) == OPTIONS - 1:
            break
        if _acceptable(candidate, tip, tips, chosen, question):
            chosen.append(candidate)
    if len(chosen) < OPTIONS - 1:
        where = f"（tips.yaml 第 {tip.line} 行）" if tip.line else ""
        raise QuizError(f"提示 {tip.id}{where}：可用的干扰项不足 {OPTIONS - 1} 个，请在 distractors 中补充")
    options = [tip.answer, *chosen]
    rng.shuffle(options)
    return Quiz(question, tuple(options), options.index(tip.answer), _explanation(tip), tip.id)


def make_quizzes(tips: Sequence[Tip], n: int, seed: int | str = 0) -> list[Quiz]:
    """`n` quizzes on different tips (repeating only after every tip had its turn)."""
    if not tips or n <= 0:
        return []
    rng = random.Random(f"quizzes/{seed}")
    order: list[Tip] = []
    while len(order) < n:
        batch = list(tips)
        rng.shuffle(batch)
        order += batch
    return [make_quiz(tip, tips, f"{seed}/{i // len(tips)}") for i, tip in enumerate(order[:n])]


# ---- question and explanation ------------------------------------------------------------------


def _where(tip: Tip) -> str:
    """The innermost heading of the tip that neither gives its answer away nor repeats the tip
    (a tip that starts with its own heading is placed by the heading above)."""
    answer, text = squash(tip.answer), squash(tip.text)
    for label in reversed(tip.section):
        if answer not in squash(label) and squash(label) not in text:
            return label
    return ""


def _question(tip: Tip) -> str:
    where = _where(tip)
    head = f"《{tip.title}》" + (f"【{where}】" if where else "")
    if tip.asks_for_saying:
        question = f"《{tip.title}》" + (f"在【{where}】部分" if where else "") + "引用了下面哪句话？"
    else:
        blanked = tip.text.replace(tip.answer, BLANK, 1)
        question = f"{head}：「{blanked}」横线处应填？"
        if tg_len(question) > MAX_QUESTION:
            question = f"「{blanked}」横线处应填？"
    return question[:MAX_QUESTION]


def _explanation(tip: Tip) -> str:
    answer = "" if tip.asks_for_saying else f"答案：{tip.answer}。"
    place = f"《{tip.title}》"
    if tip.section:
        places = [f"{place} · {tip.section_label}", f"{place} · {tip.section[-1]}", place]
    else:
        places = [f"{place} · 第{tip.paragraph}段" if tip.paragraph else place, place]
    for quote in (tip.sentence, tip.text):
        for where in places:
            text = f"{answer}出自{where}：「{quote}」"
            if tg_len(text) <= MAX_EXPLANATION:
                return text
    room = MAX_EXPLANATION - tg_len(f"{answer}出自{place}：「…」")
    return f"{answer}出自{place}：「{tip.text[:room]}…」"


# ---- distractors -------------------------------------------------------------------------------


def _candidates(tip: Tip, tips: Sequence[Tip], rng: random.Random) -> list[str]:
    """Wrong answers to try, best first; ties broken by the seed."""
    own = list(tip.distractors)
    rng.shuffle(own)
    own.sort(key=lambda c: abs(len(c) - len(tip.answer)))  # like the answer in length first
    scored: list[tuple[float, float, str]] = []
    for other in tips:
        if other.id == tip.id:
            continue
        if tip.asks_for_saying:
            if other.kind == "maxim" and other.section != tip.section:
                saying = other.text if other.asks_for_saying or len(other.text) <= 40 else ""
                if saying:
                    closeness = -abs(len(saying) - len(tip.text)) / 4
                    scored.append((closeness + (other.doc_id == tip.doc_id), rng.random(), saying))
            continue
        related = tip.answer in other.distractors or other.answer in tip.distractors
        for phrase in (other.answer, *other.distractors):
            if not _same_shape(phrase, tip.answer):
                continue
            score = 4 * related + 2 * (other.kind == tip.kind) + (other.doc_id == tip.doc_id)
            score += sum(1 for x, y in zip(phrase, tip.answer) if x == y)
            scored.append((score, rng.random(), phrase))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return own + [p for *_, p in scored] + number_neighbours(tip.answer)


def _same_shape(phrase: str, answer: str) -> bool:
    """Would the phrase not stand out among the options by its length, digits or unit?"""
    number = parse_number(answer)
    if number:
        other = parse_number(phrase)
        return other is not None and other[1:] == number[1:]  # same unit, digits or not alike
    if any(ch.isdigit() for ch in phrase) != any(ch.isdigit() for ch in answer):
        return False
    if len(answer) <= 4:
        return len(phrase) == len(answer)
    return abs(len(phrase) - len(answer)) <= max(1, len(answer) // 4)


def _acceptable(candidate: str, tip: Tip, tips: Sequence[Tip], chosen: list[str], question: str) -> bool:
    c = candidate.strip()
    if not c or tg_len(c) > MAX_OPTION:
        return False
    if any(_overlap(c, x) for x in (tip.answer, *chosen)):
        return False
    if tip.asks_for_saying:
        return squash(c) not in _squashed(tip.source_text)  # quoted in the same section: correct too
    if _visible(c, question):
        return False
    statement = squash(tip.text.replace(tip.answer, c, 1))
    sources = dict.fromkeys([tip.source_text] + [t.source_text for t in tips if t.doc_id == tip.doc_id])
    return not any(statement in _squashed(s) for s in sources)


@lru_cache(maxsize=1024)
def _squashed(text: str) -> str:
    return squash(text)


def _overlap(a: str, b: str) -> bool:
    """Same option in effect: one contains the other, or both are the same quantity (the digits of
    8小时 are inside 48小时, yet they are different options)."""
    x, y = parse_number(a), parse_number(b)
    if x and y:
        return x[:2] == y[:2]
    return a in b or b in a


def _visible(candidate: str, text: str) -> bool:
    """Is the candidate already in the question? A single character only counts as a whole item
    ("“短、实、＿＿、活”"), since it may well occur inside other words."""
    if len(candidate) > 1:
        return candidate in text
    return re.search(rf"(?:^|[“「、，,\s]){re.escape(candidate)}(?:$|[”」、，,\s])", text) is not None
