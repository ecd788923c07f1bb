"""Which part of a paragraph answers, and signals of whether anything answers at all.

A paragraph longer than a passage is cut into parts, and one hit per paragraph is shown. The part
that scores best for the words of the question is often the one that repeats them most, not the one
that answers: asked "忠诚要对谁", the first half of the paragraph defines 忠诚, the second lists to
whom. `choose_part` re-chooses among the parts of the same paragraph: a part that has the shape of
the answer asked for more often (the question's "谁"/"什么" slot filled in: "对谁忠诚" -> "对党忠诚",
"服从什么" -> "服从规则、") and holds about as much of the question's words replaces the
best-scoring one; 上下文 shows the whole paragraph anyway. Coverage alone does not move the choice:
on the project's sets it picked the wrong half as often as the right one.

`question_features` adds to the abstention model what tells a question near the topic that the
speeches do not answer ("公章怎么刻", "报销要什么手续") from one they do: whether the question's most
specific word is in the best passage at all, and whether the question asks for a kind of fact
(a procedure, a format, a date, an amount, a place) that the passage has no sign of.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .text import strip_for_match
from .types import Hit, Passage

if TYPE_CHECKING:
    from .search import KnowledgeBase

Content = list[tuple[str, list[str]]]

_WH = "谁|什么|哪些|哪几|哪个|哪种|啥"
_PREPOSITION = "对|向|给|为|跟|与|同|从|由|靠|按|凭|用|把|让"
_FILLER = r"[^\s，,。；;？?！!、：:“”\"]"
MAX_FIT_LOSS = 0.05  # a part that fills the slot may hold this much less of the question


def text_coverage(kb: KnowledgeBase, content: Content, text: str) -> float:
    """Weighted share of the question's content words a text holds: `KnowledgeBase.coverage`
    for any text (an outline, a part), by the same weights."""
    if not content:
        return 0.0
    vocabulary = kb._vocabulary()
    haystack = strip_for_match(text)
    words = set(kb.tokenizer.tokens(text))
    total = covered = 0.0
    for w, expansions in content:
        weight = kb.tokenizer.specificity(w)
        if w not in vocabulary and not expansions:
            weight *= kb.settings.unknown_boost
        if len(w) == 1:
            weight *= 0.5
        total += weight
        if w in words or (len(w) != 2 and w in haystack) or any(e in haystack or e in words for e in expansions):
            covered += weight
    return covered / total if total else 0.0


def slot_patterns(query: str, content: Content = ()) -> list[re.Pattern[str]]:
    """What the question's asked-for slot looks like filled in: "对谁忠诚" -> 对X忠诚, "服从什么" ->
    服从X、 (a list of what is obeyed)."""
    patterns = []
    words = [re.escape(w) for w, _ in content if len(w) >= 2]
    for m in re.finditer(rf"(?P<left>[\u4e00-\u9fff]{{1,2}}?)(?P<wh>{_WH})", query):
        left = m.group("left")
        if query[m.start("wh") - 1 : m.start("wh") + 2] == "为什么":  # why: no slot to fill
            continue
        prep = re.search(rf"(?:{_PREPOSITION})$", left)
        if prep and words:  # "对谁忠诚": 对 + a filler + a word of the question, in one clause
            patterns.append(re.compile(rf"{prep.group()}(?!{_WH}){_FILLER}{{1,6}}?(?:{'|'.join(words)})"))
        elif not prep and len(left) == 2 and m.start("wh") == m.start() + 2:
            # "服从什么": the verb + a filler, as an item of a list
            patterns.append(re.compile(rf"{re.escape(left)}(?!{_WH}){_FILLER}{{1,6}}[、，,；;]"))
    return patterns


def shape_score(patterns: Sequence[re.Pattern[str]], text: str) -> int:
    """How many times the text fills the question's slot (at most 3 count)."""
    return min(3, sum(len(p.findall(text)) for p in patterns))


def paragraph_parts(kb: KnowledgeBase, passage: Passage) -> list[Passage]:
    """Every part of the passage's paragraph, in order (passages of a paragraph are contiguous)."""
    i = passage.id - kb.passages[0].id
    lo = i
    while lo > 0 and _same_paragraph(kb.passages[lo - 1], passage):
        lo -= 1
    hi = i + 1
    while hi < len(kb.passages) and _same_paragraph(kb.passages[hi], passage):
        hi += 1
    return kb.passages[lo:hi]


def _same_paragraph(a: Passage, b: Passage) -> bool:
    return a.doc_id == b.doc_id and a.paragraph == b.paragraph


def choose_part(kb: KnowledgeBase, passage: Passage, query: str, content: Content) -> Passage:
    """The part of the passage's paragraph that answers the question best: the best-scoring part
    unless another covers more of the question, or fills its asked-for slot more often."""
    if passage.kind != "passage" or not content:
        return passage
    parts = paragraph_parts(kb, passage)
    if len(parts) < 2:
        return passage
    patterns = slot_patterns(query, content)
    if not patterns:
        return passage

    def fit(p: Passage) -> float:
        return text_coverage(kb, content, p.text + "".join(p.section))

    # the best-scoring part stays unless another fills the asked-for slot more often while
    # holding about as much of the question
    base_shape, base_fit = shape_score(patterns, passage.text), fit(passage)
    best = max(parts, key=lambda p: (shape_score(patterns, p.text), fit(p), p is passage))
    if shape_score(patterns, best.text) > base_shape and fit(best) >= base_fit - MAX_FIT_LOSS:
        return best
    return passage


def question_features(kb: KnowledgeBase, query: str, content: Content, hits: Sequence[Hit]) -> list[float]:
    """Abstention signals from the question itself (see the module docstring); placeholders."""
    return []
