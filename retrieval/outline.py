"""Outline answers: a section as the answer to a question that asks for its parts.

"正确工作方向要做到哪几点" wants the section "第一，牢牢把握正确工作方向" with its items
(一是要绝对忠诚, 二是要坚决服从, …), not the paragraph of one item. An outline is built for every
section that has at least two sub-sections (and for a whole speech whose body is numbered parts),
from the passages alone, so it works for any marker style the structure module knows (第一/一、/
（一）/一是/1.): the heading, the opening sentence of the section (and the sentence that announces
the items, "要做到四点："), and the sub-headings in order. A paragraph that lists its own items
("至少有三个方面：一是…。二是…。三是…。") gets an outline too.

An outline is a `Passage` of kind "outline": it is cited with the speech's title, the section, the
date and the paragraph number of the section's first paragraph, its id is that paragraph's first
passage (so 上下文 and feedback work as for that passage), and its text stays within
`MAX_OUTLINE_CHARS` so that it renders like any passage.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .structure import split_sentences
from .types import Passage

if TYPE_CHECKING:
    from .search import KnowledgeBase

MAX_OUTLINE_CHARS = 500  # well under Telegram's 4096, and under evaluate's 600-character hit limit
MAX_ITEM_CHARS = 40
MAX_OPENING_CHARS = 120
MIN_FIT = 0.4  # an outline that holds less of the question than this is no candidate
ITEM_SHARE = 0.25  # share of the items (against heading and opening) in how well an outline fits

# Questions that ask for the parts of something: how many, which ones, each of them.
LIST_QUESTION = re.compile(
    r"哪几|哪些|几点|几个|几条|几项|几方面|几句|几种|几类|几大|分别|包括什么|包含什么|有什么要求|"
    r"哪[一二三两四五六七八九十]+[点个条项方面种类大]"
)
LIST_WORDS = re.compile(
    r"包括|包含|涵盖|方面|要求|内容|要点|几点|哪些|分别|具体|主要|措施|环节|部分|项|条|点|个|种|类|几|有|提|"
    r"做到|做好|需要|应该|应当|必须"
)
# A sentence that announces a count of items: "要做到四点：", "我提三点希望和要求", "至少有三个方面"
_ANNOUNCE = re.compile(r"[一二两三四五六七八九十\d]+(?:点|个方面|方面|条|项|句话)|如下|以下|[：:]$")
MAX_ANNOUNCE_CHARS = 60  # an announcing sentence is short: "下面，我与大家交流三点，以此共勉。"
# Items listed inside one paragraph: 一是…二是…, 一要…二要…, 首先…其次 are not counted
_INLINE_ITEM = re.compile(r"(?:^|(?<=[。；;！!？?：:]))\s*([一二三四五六七八九十])(是|要)")
_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Outline:
    """An outline candidate: the passage to show and the passages of the section it stands for."""

    passage: Passage
    members: tuple[int, ...]  # ids of the passages under the section (for scoring)
    member_texts: dict[int, str]  # their text with their headings, by id
    about: str = ""  # what the list is about: the headings above it and its opening, not the title
    intro: frozenset[int] = frozenset()  # passages that introduce the items (and do not list them)
    items: tuple[str, ...] = ()


def is_list_question(query: str) -> bool:
    return bool(LIST_QUESTION.search(query))


def _shorten(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip("，,、；;：: ") + "…"


def _announces(sentence: str) -> bool:
    return len(sentence) <= MAX_ANNOUNCE_CHARS and bool(_ANNOUNCE.search(sentence))


def _opening(intro: str) -> str:
    """The first sentence of a section's introduction, and the one announcing its items if later."""
    sentences = [s.strip() for s in split_sentences(intro) if s.strip()]
    if not sentences:
        return ""
    first = sentences[0]
    chosen = [first]
    announce = [s for s in sentences[1:] if _announces(s)]
    if announce:
        chosen.append(announce[-1])
    text = "".join(chosen)
    if len(text) > MAX_OPENING_CHARS and announce:
        text = _shorten(first, MAX_OPENING_CHARS - len(announce[-1]) - 1) + announce[-1]
    return _shorten(text, MAX_OPENING_CHARS)


def _compose(heading: str, opening: str, items: list[str]) -> str:
    lines = [_shorten(i, MAX_ITEM_CHARS) for i in items]
    body = "\n".join(lines)
    head = heading.strip()
    room = MAX_OUTLINE_CHARS - len(body) - len(head) - 2
    if room < 10:  # very many items: keep the first ones
        while lines and len("\n".join(lines)) + len(head) + 2 > MAX_OUTLINE_CHARS - 20:
            lines.pop()
        lines.append("……")
        body, room = "\n".join(lines), 0
    parts = [head] if head else []
    if opening and room >= 10:
        parts.append(_shorten(opening, room))
    parts.append(body)
    return "\n".join(parts)


def _texts(passages: list[Passage]) -> dict[int, str]:
    return {p.id: p.text + "".join(p.section) for p in passages}


def build_outlines(passages: list[Passage]) -> list[Outline]:
    """Outlines of every section with two or more sub-sections, and of every paragraph that
    lists its own items, in reading order."""
    outlines: list[Outline] = []
    by_doc: dict[str, list[Passage]] = {}
    for p in passages:
        by_doc.setdefault(p.doc_id, []).append(p)
    for doc in by_doc.values():
        outlines.extend(_section_outlines(doc))
        outlines.extend(_paragraph_outlines(doc))
    return outlines


def _section_outlines(doc: list[Passage]) -> list[Outline]:
    paths: list[tuple[str, ...]] = []
    for p in doc:
        for depth in range(len(p.section) + 1):
            prefix = p.section[:depth]
            if prefix not in paths:
                paths.append(prefix)
    out = []
    for path in paths:
        n = len(path)
        inside = [p for p in doc if p.section[:n] == path]
        children: list[str] = []
        for p in inside:
            if len(p.section) > n and p.section[n] not in children:
                children.append(p.section[n])
        if len(children) < 2 or not inside:
            continue
        first_child = next(i for i, p in enumerate(inside) if len(p.section) > n)
        if n == 0:
            # a speech: its body starts at the first heading; the introduction is what precedes it,
            # and the sentence that announces the parts is usually the last one before it
            if any(not p.section for p in inside[first_child:]) and first_child == 0:
                continue
            intro_passages = inside[:first_child][-1:]
            intro = "".join(p.text for p in intro_passages)
            sentences = [s.strip() for s in split_sentences(intro) if s.strip()]
            announce = [s for s in sentences if _announces(s)]
            opening = _shorten(announce[-1], MAX_OPENING_CHARS) if announce else ""
            heading = f"《{doc[0].title}》"
            anchor = intro_passages[-1] if intro_passages else inside[first_child]
        else:
            intro_passages = [p for p in inside[:first_child] if p.section == path]
            intro = "".join(p.text for p in intro_passages if p.paragraph == intro_passages[0].paragraph)
            opening = _opening(intro)
            # an inline heading ("1.情况要明。千难万难…") leads its own text: do not repeat it
            if opening.startswith(path[-1]):
                opening = opening[len(path[-1]):].lstrip("。．.，, ")
            heading = path[-1]
            anchor = inside[0]
        passage = replace(anchor, section=path, text=_compose(heading, opening, children), part=0, kind="outline")
        about = ("".join(path) or heading) + opening
        intro_ids = frozenset(p.id for p in intro_passages)
        out.append(Outline(passage, tuple(p.id for p in inside), _texts(inside), about, intro_ids, tuple(children)))
    return out


def _paragraph_outlines(doc: list[Passage]) -> list[Outline]:
    """A paragraph listing its items itself: "…至少有三个方面：一是能力水平亟待提升。…二是…"."""
    paragraphs: dict[int, list[Passage]] = {}
    for p in doc:
        paragraphs.setdefault(p.paragraph, []).append(p)
    out = []
    for parts in paragraphs.values():
        text = "".join(p.text for p in parts)
        marks = list(_INLINE_ITEM.finditer(text))
        # a run of items numbered in order from 一, all with the same verb (是 or 要)
        run = []
        for m in marks:
            expected = _NUMBERS[len(run)] if len(run) < len(_NUMBERS) else ""
            if m.group(1) == expected and (not run or m.group(2) == run[0].group(2)):
                run.append(m)
            elif m.group(1) == "一":
                if len(run) >= 2:
                    break
                run = [m]
        if len(run) < 2:
            continue
        items = []
        for m in run:
            start = m.start(1)
            sentence = split_sentences(text[start:])[0] if split_sentences(text[start:]) else ""
            items.append(_shorten(sentence.rstrip("。；;！!？?，, "), MAX_ITEM_CHARS))
        before = [s.strip() for s in split_sentences(text[: run[0].start(1)]) if s.strip()]
        opening = _shorten(before[-1], MAX_OPENING_CHARS) if before else ""
        heading = parts[0].section[-1] if parts[0].section else ""
        passage = replace(parts[0], text=_compose(heading, opening, items), part=0, kind="outline")
        about = "".join(parts[0].section) + opening
        ids = tuple(p.id for p in parts)
        out.append(Outline(passage, ids, _texts(parts), about, frozenset(ids), tuple(items)))
    return out


def rank_outlines(
    outlines: list[Outline],
    query: str,
    scores: dict[int, float],
    coverage: Callable[[str], float],
    literal: Callable[[str], float] | None = None,
    words: Sequence[str] = (),
    weight: float = 0.5,
    margin: float = 0.05,
) -> list[tuple[float, Passage]]:
    """Outline candidates for a question that asks for parts, with scores on the passages' scale.

    `scores` maps passage ids to their fused scores; `coverage(text)` is the weighted share of the
    question's content words a text holds, `literal(text)` the same without synonyms; `words` are the
    question's content words. An outline scores as the best passage of its section,
    plus `weight` times how much better the outline (headings, opening, items) covers the question
    than that passage does, plus a small `margin`: it wins when the question is about the section
    as a whole, and loses to a passage that answers it by itself.
    """
    if not outlines or not is_list_question(query):
        return []
    literal = literal or coverage
    out = []
    for o in outlines:
        best, best_id = max((scores.get(i, 0.0), i) for i in o.members)
        if best <= 0:
            continue
        p = o.passage
        # what the list is about is its headings and opening, and what most of its items share
        # ("1.要相互信任 2.要相互尊重…": 相互); the rest of the items only helps
        about = o.about + "".join(w for w in words if sum(w in i for i in o.items) >= max(2, len(o.items) / 2))
        own = (1 - ITEM_SHARE) * coverage(about) + ITEM_SHARE * coverage(p.text + "".join(p.section))
        if own < MIN_FIT:
            continue
        rival = coverage(o.member_texts.get(best_id, ""))
        # the outline wins over the passage that announces its items ("要做到四点：") without them,
        # and over any of its passages when its own heading names every word of the question
        if best_id in o.intro or literal(about) >= 0.999:
            bonus = margin
        else:
            bonus = -margin  # otherwise it must cover clearly more than the passage does
        out.append((best + weight * (own - rival) + bonus, p))
    return out


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def outlines_of(kb: KnowledgeBase) -> list[Outline]:
    """The knowledge base's outlines, built once from its passages."""
    outlines = _CACHE.get(kb)
    if outlines is None:
        outlines = _CACHE[kb] = build_outlines(kb.passages)
    return outlines


def with_outlines(
    kb: KnowledgeBase, query: str, content: list[tuple[str, list[str]]], ranked: list[tuple[float, Passage]]
) -> list[tuple[float, Passage]]:
    """The ranked passages with the outlines that compete for a list question, best first."""
    if not is_list_question(query) or not content:
        return ranked
    from .answers import text_coverage

    scores = {p.id: s for s, p in ranked if s > 0}
    # the words that ask for a list ("包括", "方面", "要求") say nothing about which list
    topic = [(w, e) for w, e in content if not LIST_WORDS.fullmatch(w)] or content
    bare = [(w, []) for w, _ in topic]  # without synonyms: what the text itself says
    extra = rank_outlines(
        outlines_of(kb), query, scores,
        lambda text: text_coverage(kb, topic, text), lambda text: text_coverage(kb, bare, text),
        [w for w, _ in topic if len(w) >= 2],
    )
    if not extra:
        return ranked
    merged = ranked + extra
    merged.sort(key=lambda sp: -sp[0])  # stable: a passage keeps its place among equals
    return merged
