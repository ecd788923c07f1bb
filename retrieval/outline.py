"""Outline answers: a section as the answer to a question that asks for its parts.

"正确工作方向要做到哪几点" wants the section "第一，牢牢把握正确工作方向" with its items
(一是要绝对忠诚, 二是要坚决服从, …), not the paragraph of one item. An outline is built for every
section that has at least two sub-sections (and for a whole speech whose body is numbered parts),
from the passages alone, so it works for any marker style the structure module knows (第一/一、/
（一）/一是/1.): the heading, the opening sentence of the section (and the sentence that announces
the items, "要做到四点："), and the sub-headings in order. A paragraph that lists its own items
("至少有三个方面：一是…。二是…。三是…。") gets an outline too, and so does a section whose
paragraphs list unnumbered items as short sentences in parallel (排比: "紧急信息“刻不容缓”。…难点信息
“亮明观点”。…", "要注重培养前瞻性思维。要注重培养系统性思维。…").

An outline is a `Passage` of kind "outline": it is cited with the speech's title, the section, the
date and the paragraph number of the section's first paragraph, its id is that paragraph's first
passage (so 上下文 and feedback work as for that passage), and its text stays within
`MAX_OUTLINE_CHARS` so that it renders like any passage.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from .answers import form_coverage, passage_coverage
from .index import top_indices
from .shapes import MARKER, NUMERAL_VALUE, counted_char_by_number, counted_mark, manner_verb
from .structure import split_sentences
from .text import strip_for_match
from .types import Passage

if TYPE_CHECKING:
    from .search import KnowledgeBase

MAX_OUTLINE_CHARS = 500  # well under Telegram's 4096, and under evaluate's 600-character hit limit
MAX_ITEM_CHARS = 40
MAX_WIDE_ITEM_CHARS = 80  # an item shown where there is room (`_compose`)
MAX_OPENING_CHARS = 120
MIN_FIT = 0.4  # an outline that holds less of the question than this is no candidate
OUTLINE_WEIGHT = 0.5  # `outline_score`: how much better the outline covers the question counts this much
OUTLINE_MARGIN = 0.05  # and it wins or loses by this margin
ITEM_SHARE = 0.25  # share of the items (against heading and opening) in how well an outline fits
ITEM_PREFIX = 8  # an item is named, in a passage, by its first characters (of letters and digits)

# Questions that ask for the parts of something: how many, which ones, each of them.
LIST_QUESTION = re.compile(
    r"哪几|哪些|几点|几个|几条|几项|几方面|几句|几种|几类|几大|分别|各自(?!为)|包括什么|包含什么|有什么要求|"
    r"哪[一二三两四五六七八九十]+[点个条项方面种类大]|"
    r"哪[“\"‘「]?[二两三四五六七八九十]"  # "哪四要", "哪“四要”", "哪三样东西": a count of two or more asks for items
)
# what a part of a speech says, in brief ("大气谋事讲的啥", "和谐共事这部分讲了什么", "要精细做事主要讲了
# 什么"): its heading, opening and sub-headings answer it, as they answer a list question; not a
# sentence or a place asked ("大气谋事部分第一句讲的什么", "最后说了啥")
SUMMARY_QUESTION = re.compile(r"(?:(?:这|那)一?(?:部分|节|段)|主要)?(?:讲|说)(?:的|了)(?:是)?(?:什么|啥)(?:内容)?[？?。\s]*$")
_NOT_SUMMARY = re.compile(r"句|开头|结尾|最后|末尾|第一|为什么|为啥|怎么|如何|谁|哪")
LIST_WORDS = re.compile(
    r"包括|包含|涵盖|方面|要求|内容|要点|几点|哪些|分别|具体|主要|措施|环节|部分|项|条|点|个|种|类|几|有|提|"
    r"哪?几[条类种项个样大]?|各自|各|每|[各每][项个类种条样方](?:面)?|分|分为|分成|分作|划分|下面|下边|底下|里面|里头|当中|其中|"
    r"做到|做好|需要|应该|应当|必须|[二两三四五六七八九十]|"
    # what the speech is said to do with the list ("提出了哪几个“要”", "讲了哪四个“心”")
    r"提出|提到|讲到|谈到|说到|讲|说|这部分|这一部分|那部分|这节|这段"
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
    # the outline as it is scored, when the text shown says more: a sub-section's opening words after
    # its heading are shown, not weighed (the outline is about its headings, `outline_score`)
    plain: str = ""


def is_list_question(query: str) -> bool:
    return bool(LIST_QUESTION.search(query)) or (bool(SUMMARY_QUESTION.search(query)) and not _NOT_SUMMARY.search(query))


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


def _compose(heading: str, opening: str, items: list[str], widen: bool = False) -> str:
    """The outline's text: heading, opening, one line per item. With `widen`, an item may run past
    `MAX_ITEM_CHARS` to an even share of the room the heading and opening leave (at most
    `MAX_WIDE_ITEM_CHARS`): three parts say more each than seven."""
    limit = MAX_ITEM_CHARS
    if widen and items:
        room = MAX_OUTLINE_CHARS - len(heading.strip()) - len(opening) - 2 - len(items)
        limit = max(MAX_ITEM_CHARS, min(MAX_WIDE_ITEM_CHARS, room // len(items)))
    lines = [_shorten(i, limit) for i in items]
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
        outlines.extend(_parallel_outlines(doc))
        outlines.extend(_announced_outlines(doc))
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
        passage = replace(anchor, section=path, text=_compose(heading, opening, _leads(inside, n, children, True), True),
                          part=0, kind="outline")
        about = ("".join(path) or heading) + opening
        intro_ids = frozenset(p.id for p in intro_passages)
        out.append(Outline(passage, tuple(p.id for p in inside), _texts(inside), about, intro_ids, tuple(children),
                           _compose(heading, opening, _leads(inside, n, children, False))))
    return out


def _leads(inside: list[Passage], depth: int, children: list[str], opening: bool) -> list[str]:
    """Each sub-section as the outline shows it: its heading, and when the heading leads its own
    text ("1.情况要明。千难万难,实事求是最难;…") the opening words of that text too; with
    `opening`, also those of a text under a heading on a line of its own ("一、要大气谋事：万事谋为先。
    参政设谋是…"), so that the outline says what each part is about, not only its title."""
    leads = []
    for child in children:
        first = next(p for p in inside if len(p.section) > depth and p.section[depth] == child)
        text = first.text.strip()
        if len(first.section) != depth + 1 or not text:
            leads.append(child)  # its text starts under a heading of its own
        elif text.startswith(child):
            leads.append(text if len(text) > len(child) + 1 else child)
        else:  # a heading on a line of its own ("一、要大气谋事"), then its opening words
            leads.append(f"{child}：{text}" if opening else child)
    return leads


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


# An enumeration that names its items ("要求有四句话来概括，即：开口能讲、提笔能写、问策能对、遇事能办"):
# three to eight short names, each of 2 to 8 CJK characters (quoted or not), separated by 、
_NAMED_ITEMS = re.compile(r"((?:[“\"]?[\u4e00-\u9fff]{2,8}[”\"]?、){2,7}[“\"]?[\u4e00-\u9fff]{2,8}[”\"]?)")


def _announced_outlines(doc: list[Passage]) -> list[Outline]:
    """A paragraph that names its items in one sentence, then explains each in a sentence that
    starts with its name: "…能力要求有四句话来概括，即：开口能讲、提笔能写、问策能对、遇事能办。开口
    能讲，就是要练好“嘴上功夫”…。提笔能写，这是办公室干部的核心竞争力。…问策能对，就是…遇事能办，
    这就要求…". The outline shows the naming sentence and each item's own sentence (its opening
    words), which no part of a long paragraph holds all of."""
    paragraphs: dict[int, list[Passage]] = {}
    for p in doc:
        paragraphs.setdefault(p.paragraph, []).append(p)
    out = []
    for parts in paragraphs.values():
        sentences = [x for x in split_sentences("".join(p.text for p in parts)) if x.strip()]
        for k, sentence in enumerate(sentences):
            m = _NAMED_ITEMS.search(sentence)
            if not m:
                continue
            names = [n.strip("“”\"") for n in m.group(1).split("、")]
            if len(set(names)) != len(names):
                continue
            # each name leads a later sentence, in order ("开口能讲，就是…"), before the next name does
            explained: list[str] = []
            at = k + 1
            for name in names:
                found = next((j for j in range(at, len(sentences)) if sentences[j].strip().startswith(name)), None)
                if found is None:
                    break
                explained.append(sentences[found].strip().rstrip("。；;！!？?，, "))
                at = found + 1
            if len(explained) != len(names):
                continue
            heading = parts[0].section[-1] if parts[0].section else ""
            opening = _shorten(sentence.strip(), MAX_OPENING_CHARS)
            passage = replace(parts[0], text=_compose(heading, opening, explained, True), part=0, kind="outline")
            about = "".join(parts[0].section) + opening
            ids = tuple(p.id for p in parts)
            out.append(Outline(passage, ids, _texts(parts), about, frozenset(), tuple(explained),
                               _compose(heading, opening, explained)))
    return out


MIN_PARALLEL = 3  # sentences in parallel that make a list
MAX_PARALLEL_CHARS = 16  # an item of such a list is a short sentence
MAX_PARALLEL_GAP = 8  # sentences from one item to the next (the speeches' lists: 5 at most)
_CLAUSE = re.compile(r"[，,；;：:]")


def _parallel_outlines(doc: list[Passage]) -> list[Outline]:
    """A section whose paragraphs list items as short sentences in parallel, unnumbered: the
    same length, the same characters in the same places ("紧急信息“刻不容缓”。…难点信息“亮明观点”。…
    重点信息“一个不落”。…热点信息“趁热打铁”。", "要注重培养前瞻性思维。要注重培养系统性思维。…"), as
    a speech writes 排比. Only sections without sub-sections (those have their section outline)."""
    by_section: dict[tuple[str, ...], list[Passage]] = {}
    for p in doc:
        by_section.setdefault(p.section, []).append(p)
    deeper = {p.section[:n] for p in doc for n in range(len(p.section))}
    out = []
    for section, inside in by_section.items():
        if section in deeper or not section:
            continue
        candidates: list[tuple[int, str]] = []  # (sentence number, the sentence or its last clause)
        number = 0
        for p in inside:
            for sentence in split_sentences(p.text):
                form = sentence.strip().rstrip("。；;！!？?，,")
                if len(form) > MAX_PARALLEL_CHARS:
                    # one lead-in clause may stand before the item: "作为党委办公室干部,要善于站在政治的高度…"
                    clauses = _CLAUSE.split(form)
                    form = clauses[1] if len(clauses) == 2 else ""
                if 4 <= len(form) <= MAX_PARALLEL_CHARS:
                    candidates.append((number, form))
                number += 1
        by_length: dict[int, list[tuple[int, str]]] = {}
        for n, form in candidates:
            by_length.setdefault(len(form), []).append((n, form))
        heading = section[-1]
        # the section's first sentence, unless it is the heading itself ("2.眼界要宽。")
        intro = [x.strip() for x in split_sentences(inside[0].text) if x.strip()]
        intro = [x for x in intro if x.rstrip("。；;！!？?，,") != heading.rstrip("。；;！!？?，,")]
        # one outline a section: two lists in it ("…中提升本领" x 3, "…向领导学" x 3) go together,
        # in reading order, as a speech gives them
        items = [form for _, form in sorted(x for group in _parallel_groups(by_length.values()) for x in group)]
        if not items:
            continue
        opening = _lead_in(intro, items)
        passage = replace(inside[0], text=_compose(heading, opening, items), part=0, kind="outline")
        about = "".join(section) + opening
        out.append(Outline(passage, tuple(p.id for p in inside), _texts(inside), about, frozenset(), tuple(items)))
    return out


def _lead_in(sentences: list[str], items: list[str]) -> str:
    """The sentences before the first item, whole, within MAX_OPENING_CHARS (the first one
    shortened if it alone is longer): "办公室的核心是“三个服务”。即服务领导、服务基层、服务群众。"."""
    chosen: list[str] = []
    for sentence in sentences:
        if any(x in sentence for x in items):
            break
        if chosen and len("".join(chosen)) + len(sentence) > MAX_OPENING_CHARS:
            break
        chosen.append(sentence)
    return _shorten("".join(chosen), MAX_OPENING_CHARS)


def _parallel_groups(groups) -> list[set[tuple[int, str]]]:
    """Within each group of candidates of one length, the largest sets (of MIN_PARALLEL or more,
    one per sentence, none sharing a sentence with a larger one) whose members agree on at least
    two CJK characters in the same places."""
    found: list[set[tuple[int, str]]] = []
    for group in groups:
        if len(group) < MIN_PARALLEL:
            continue
        # (place, CJK character) held by MIN_PARALLEL members or more: counted first (most groups
        # have none), then the members of each
        counts = Counter(pair for _, form in group for pair in enumerate(form))
        common = [pair for pair, count in counts.items() if count >= MIN_PARALLEL and "\u4e00" <= pair[1] <= "\u9fff"]
        if len(common) < 2:
            continue
        shared = [frozenset(k for k, (_, form) in enumerate(group) if form[i] == char) for i, char in common]
        sets = []
        for ks in set(shared):
            members = [group[k] for k in sorted(ks)]  # one form a sentence, in reading order
            if len({f for _, f in members}) < len(members):  # a sentence said again is no list
                continue
            if sum(1 for other in shared if ks <= other) >= 2:  # two places or more agree
                # items of one list stand close together: a run with gaps of MAX_PARALLEL_GAP sentences at most
                run: list[tuple[int, str]] = []
                for member in members:
                    if run and member[0] - run[-1][0] > MAX_PARALLEL_GAP:
                        if len(run) >= MIN_PARALLEL:
                            sets.append(set(run))
                        run = []
                    run.append(member)
                if len(run) >= MIN_PARALLEL:
                    sets.append(set(run))
        taken: set[int] = set()
        for members in sorted(sets, key=lambda m: (-len(m), min(m))):
            if not {n for n, _ in members} & taken:
                found.append(members)
                taken |= {n for n, _ in members}
    return found


def _named_items(items: Sequence[str], words: Sequence[str]) -> set[int]:
    """The items a question names: a third of the item's characters or more (its marker, 一是 or
    第二, left out) are in the question's words, or the item begins with a word of the question that
    no other item has. "调查研究" names "四是调查研究要“深”"; "工作" does not name "第一，牢牢把握正确
    工作方向"."""
    named = set()
    for k, item in enumerate(items):
        core = _core(item)
        if not core:
            continue
        held = [False] * len(core)
        for w in words:
            at = core.find(w)
            while at >= 0:
                held[at : at + len(w)] = [True] * len(w)
                at = core.find(w, at + 1)
        # or a word that only this item has begins it ("紧急、难点信息": 紧急 of 紧急信息“刻不容缓”)
        if 3 * sum(held) >= len(core) or any(
            len(w) >= 2 and core.startswith(w) and sum(w in other for other in items) == 1 for w in words
        ):
            named.add(k)
    return named


@functools.lru_cache(maxsize=8192)
def _core(item: str) -> str:
    """An item's Chinese characters without its marker (一是, 第二): the same outlines' items come
    up question after question."""
    return "".join(_CJK.findall(_MARKER_WORD.sub("", MARKER.sub("", item.strip()))))


def _counts(about: str, count: int) -> bool:
    """Whether what an outline is about announces `count` items ("能力要求有四句话来概括，即：…")."""
    return any(NUMERAL_VALUE.get(m.group()[0]) == count for m in _ANNOUNCE.finditer(about))


def _told_apart(items: Sequence[str], words: Sequence[str]) -> set[int]:
    """The items a question names (`_named_items`) by a word that tells them apart, one that most
    items do not have: "强化责任中求精细" names 1.要在强化责任中求精细 (强化, 责任), not 2.要在坚持
    标准中求精细 (中求, 精细 are in all three); "紧急、难点信息" names 紧急信息 and 难点信息."""
    own = [w for w in words if sum(w in i for i in items) < max(2, len(items) / 2)]
    return {k for k in _named_items(items, words) if any(w in items[k] for w in own)}


_CJK = re.compile(r"[\u4e00-\u9fff]")
_MARKER_WORD = re.compile(r"^(?:是|要)")  # "五是督查督办要“实”": MARKER takes 五, the item is 督查督办要实


# a count the question gives its items ("哪七个方面", "四类信息", "三点"; not "第三个")
_ASKED_COUNT = re.compile(r"(?<!第)([两二三四五六七八九十])(?:个|点|条|项|种|类|大|句|要|样|步|方面|件|层|位|招|字|心|化)")


def asked_count(query: str) -> int:
    """How many items the question says the list has ("办公室要在哪七个方面下功夫" -> 7), 0 if none."""
    m = _ASKED_COUNT.search(query)
    return NUMERAL_VALUE[m.group(1)] if m else 0


def outline_score(
    about: Form,
    text: Form,
    items: Sequence[str],
    best: float,
    rival: float | Callable[[], float],
    announces: bool | Callable[[], bool],
    coverage: Callable[[Form], float],
    literal: Callable[[Form], float],
    words: Sequence[str] = (),
    weight: float = OUTLINE_WEIGHT,
    margin: float = OUTLINE_MARGIN,
    marks: Sequence[str] = (),
    floor: float = -math.inf,
) -> float | None:
    """The score of an outline on the passages' scale, or None when it holds too little of the
    question. `about` is what the list is about (its headings and opening), `text` the outline
    with its headings, `best` the fused score of the best passage of its section, `rival` how
    much of the question that passage covers, `announces` whether that passage introduces the
    items without listing them (either of these two may be a function, called only when the
    outline holds enough of the question to count). The outline scores as that passage, plus
    `weight` times how much better the outline covers the question, plus a small `margin`: it
    wins when the question is about the section as a whole, and loses to a passage that answers
    it by itself. None too when even with the margin it would score under `floor` (the score of
    the last hit kept)."""
    # what the list is about is its headings and opening, and what most of its items share
    # ("1.要相互信任 2.要相互尊重…": 相互); the rest of the items only helps
    shared = [w for w in words if sum(w in i for i in items) >= max(2, len(items) / 2)]
    # so is the character the question counts the items by ("哪四个“心”": 持恒心, 讲热心, 须安心,
    # 莫乱心; `shapes.counted_mark`); a list whose items do not share it is not the list asked for
    # ("哪几种“办”": 大事细办、轻事重办…, not 1.要在…求精细, 2.…)
    for m in marks:
        if sum(m in i for i in items) < max(2, len(items) / 2):
            return None
        if m not in shared:
            shared.append(m)
    # and the count with the mark its items are numbered by, when the list has that many items
    # ("哪“四要”": 一要…四要; not "哪“三精”" of 1.要在…求精细, whose 精 is no numbering)
    shared += [w for w in words if w not in shared and len(w) >= 2 and NUMERAL_VALUE.get(w[0]) == len(items)
               and sum(bool(m := MARKER.match(i)) and i[m.end():].startswith(w[1:]) for i in items)
               >= max(2, len(items) / 2)]
    # a question that names two of its items or more ("调查研究、督查督办…分别要做到哪个字") is
    # about the list itself: the items it names are what the list is about too
    named = _named_items(items, words)
    if len(named) >= 2:
        shared = list(dict.fromkeys(shared + [w for w in words if any(w in items[k] for k in named)]))
    if shared:
        about = (about[0] + "".join(shared), about[1] | frozenset(shared))
    own = (1 - ITEM_SHARE) * coverage(about) + ITEM_SHARE * coverage(text)
    if own < MIN_FIT:
        return None
    # the outline wins over the passage that announces its items ("要做到四点：") without them,
    # and over any of its passages when its own heading names every word of the question
    score = best + weight * (own - (rival() if callable(rival) else rival))
    if score + margin + 1e-9 < floor:
        return None
    bonus = margin if (announces() if callable(announces) else announces) or literal(about) >= 0.999 else -margin
    return score + bonus


def _rival(kb: KnowledgeBase, topic: list[tuple[str, list[str]]], best_i: int, rivals: dict[int, float]) -> float:
    """How much of the question (`topic`) passage `best_i` covers, worked out once per passage."""
    found = rivals.get(best_i)
    if found is None:
        found = rivals[best_i] = passage_coverage(kb, topic, kb.passages[best_i])
    return found


def _wins_over_best(kb: KnowledgeBase, best_i: int, enumerating: set[int], count: int, words: Sequence[str],
                    o: int, text: str, about_text: str, items: Sequence[str], section: tuple[str, ...],
                    about: str) -> bool:
    """Whether outline `o` (`text`, what it is about, its `items`, its `section` and `about` as
    matched) wins over its best passage `best_i` (`outline_candidates`): the passage introduces the
    items without listing them, the outline has as many items as the question counts (`count`), or
    the passage is one part of what is asked (`_one_part_of`, `_holds_some_named`). A passage that
    enumerates the parts asked (`enumerating`) is the answer itself."""
    if best_i in enumerating:
        return False
    best_p = kb.passages[best_i]
    return (
        bool(np.any(kb._index.outlines.intro(o) == best_i))
        or (count == len(items) and (bool(section) or (_counts(about_text, count) and not text.startswith("《")))
            and len(_told_apart(items, words)) != 1)
        or _one_part_of(kb, best_p, section, about, items, words)
        or _holds_some_named(kb, best_p, items, words))


def _one_part_of(kb: KnowledgeBase, passage: Passage, section: tuple[str, ...], about: str, items: Sequence[str],
                 words: Sequence[str]) -> bool:
    """Whether `passage`, the best of a section's outline, is one part of what a question names by
    the section's heading (`about`: what the outline is about, `strip_for_match`ed): it holds
    only some of the items ("大气谋事分成哪几条" and the paragraph of 3.思考要深; "信息处理把信息
    分成哪几类" and the paragraph of 紧急信息), so asked for the parts it is not the answer. It is
    when the question names the item it is under too ("强化责任中求精细有哪几种办法": the item's own
    list), or names items and it holds them all ("难点信息和重点信息分别怎么处理"). A speech's title
    (讲话, 会议) names too little: a whole speech's outline never counts."""
    if not section or not _names_heading(section[-1], words):
        return False
    haystack = kb._haystack(passage)  # its text and headings, read only when the heading is named
    if _holds_all(haystack, items):
        return False
    below = passage.section[len(section):]
    return not (below and _names_item(below, about, words)) and not _holds_named(haystack, items, words)


def _holds_some_named(kb: KnowledgeBase, passage: Passage, items: Sequence[str], words: Sequence[str]) -> bool:
    """Whether the question names two items of the list or more and `passage`, the best of its
    outline, holds only some of them ("信息按紧急、难点、重点、热点分别有什么要求" and the paragraph of
    难点, 重点 and 热点 信息): asked for those items, it is one part of the answer."""
    named = _told_apart(items, words)
    return len(named) >= 2 and not _holds_all(kb._haystack(passage), [items[k] for k in named])


def _holds_all(haystack: str, items: Sequence[str]) -> bool:
    """Whether a passage (its text and headings, `strip_for_match`ed) names every item of a list,
    each by its first words."""
    return all(strip_for_match(i)[:ITEM_PREFIX] in haystack for i in items)


def _names_item(headings: Sequence[str], about: str, words: Sequence[str]) -> bool:
    """Whether the question names the item a passage is under (its `headings` below the outline's
    level) by a word that what the outline is about (`about`, `strip_for_match`ed) does not have."""
    heading = strip_for_match("".join(headings))
    return bool(heading) and any(w in heading and w not in about for w in words)


def _names_heading(heading: str, words: Sequence[str]) -> bool:
    """Whether the question names a section by its heading: the question's words in it make half
    its characters, four at least ("大气谋事" of "一、要大气谋事"; not 服务 alone of "第二，全力围绕
    中心服务大局")."""
    heading = strip_for_match(heading)
    covered = sum(len(w) for w in set(words) if w in heading)
    return covered >= max(4, len(heading) / 2)


def _holds_named(haystack: str, items: Sequence[str], words: Sequence[str]) -> bool:
    """Whether the question names items of the list and the passage holds every one it names
    ("难点信息和重点信息分别怎么处理": the paragraph with those two)."""
    named = _named_items(items, words)
    return bool(named) and _holds_all(haystack, [items[k] for k in named])


MAX_SEEDS = 24  # passages (the best-scoring) whose outlines a list question looks at
OUTLINE_REACH = OUTLINE_WEIGHT + OUTLINE_MARGIN  # at most what `outline_score` adds to its best passage


def outline_candidates(
    kb: KnowledgeBase, query: str, content: list[tuple[str, list[str]]], fused: np.ndarray, floor: float,
    top: np.ndarray | None = None, enumerating: np.ndarray | None = None,
) -> list[tuple[float, Passage]]:
    """Outline candidates for a list question, with scores on the passages' scale.

    `fused` holds every passage's score, `floor` the score of the last hit that is kept. An
    outline scores at most its best passage + `OUTLINE_REACH`, so only the outlines of passages
    scoring above `floor - OUTLINE_REACH` can be kept: those (of the `MAX_SEEDS` best passages,
    `top` when the caller has them in order already) are looked up in the index's outline table, and their members' scores read from `fused`.
    `enumerating`: the passages that enumerate the parts of what is asked, as the first stage found
    them (`KnowledgeBase._enumerating`; looked up here when not given).
    The cost follows the question and the sections it touches, not the size of the library."""
    table = kb._index.outlines
    if not len(table) or not content or not is_list_question(query):
        return []
    if top is None:
        top = top_indices(fused, MAX_SEEDS)
    seeds = top[:MAX_SEEDS]
    seeds = seeds[fused[seeds] >= max(floor - OUTLINE_REACH, np.nextafter(0, 1))]
    if not len(seeds):
        return []
    # the words that ask for a list ("包括", "方面", "要求") say nothing about which list
    # nor does the verb of how each is done ("“三个服务”分别怎么做": 做)
    manner = manner_verb(query)
    topic = [(w, e) for w, e in content if not LIST_WORDS.fullmatch(w) and w != manner] or content
    bare = [(w, []) for w, _ in topic]  # without synonyms: what the text itself says
    words = [w for w, _ in topic if len(w) >= 2]

    def coverage(form: Form) -> float:
        return form_coverage(kb, topic, form)

    def literal(form: Form) -> float:
        return form_coverage(kb, bare, form)

    count = asked_count(query)
    # passages that enumerate the parts of what is asked ("办公室工作既有综合协调、信息调研，又有…"
    # for "办公室工作包括哪些业务") answer the list question themselves (the first stage found them)
    if enumerating is None:
        enumerating = kb._enumerating(query, content)
    enumerating = set(enumerating.tolist())
    # those whose X holds every word asked ("办公室工作都包括哪些内容": "办公室工作既有综合协调、信息
    # 调研，又有办文办会…") are the answer itself: an outline of other passages, a section's or a
    # speech's that happens to cover the question's words, scores no higher than the best of them,
    # unless it has as many items as the question counts ("市委书记对办公室工作提了哪三点希望和要求")
    whole = set(kb._enumerating(query, content, every=True).tolist()) if enumerating else set()
    cap = max(float(fused[e]) for e in whole) if whole else None
    # the character the items are counted by, quoted ("哪四个“心”"), or not but counted by a number
    # ("三个零是哪三个"; not "分哪几块", "用哪个字")
    mark = counted_mark(query) or counted_char_by_number(query)
    marks = [mark] if mark else []
    out = []
    rivals: dict[int, float] = {}  # how much of the question a passage covers, once per passage
    for o in table.of(seeds).tolist():
        members = table.members(o)
        scores = fused[members]
        j = len(scores) - 1 - int(np.argmax(scores[::-1]))  # the best, the last among equals
        best, best_i = float(scores[j]), int(members[j])
        if best <= 0:
            continue
        if best + OUTLINE_REACH < floor:
            continue
        rival = rivals.get(best_i)
        if rival is None:  # worked out only for an outline that holds enough of the question
            rival = functools.partial(_rival, kb, topic, best_i, rivals)
        elif best + OUTLINE_WEIGHT * (1 - rival) + OUTLINE_MARGIN + 1e-9 < floor:
            continue  # even covering the whole question it would score under every hit kept
        text, about_text, items = table.strings(o)
        anchor = kb.passages[int(table.anchor[o])]
        section = anchor.section[: int(table.depth[o])]
        about_form, text_form = table.forms(o, section)
        # the outline wins over the passage that announces its items, over one that holds only
        # some of them when the question asks for the section's parts, or when it has as many items
        # as the question says ("办公室要在哪七个方面下功夫"; a whole speech's outline, headed by its
        # 《title》, never counts; an outline of no section does when its opening announces as many)
        # (as many items as the question counts is no sign when the question names one of them:
        # "强化责任中求精细提出了哪三个“办”" asks for the three of that item, not the section's three)
        # (worked out only for an outline that holds enough of the question and can reach `floor`)
        announces = functools.partial(_wins_over_best, kb, best_i, enumerating, count, words, o, text, about_text,
                                      items, section, about_form[0])
        score = outline_score(about_form, text_form, items, best, rival, announces, coverage, literal, words,
                              marks=marks, floor=floor)
        if score is not None:
            if cap is not None and count != len(items) and not whole.intersection(members.tolist()):
                score = min(score, cap)
            out.append((score, replace(anchor, section=section, text=text, part=0, kind="outline")))
    return out


# ---- the engine's outline table: built with the index, persisted with it --------------------------

_SEP = "\x1f"  # between an outline's items (and words) in the strings blob
_STRINGS = 6  # per outline: text, what it is about, items, words of `about`, words of text + headings, text scored
Form = tuple[str, frozenset]  # a text's letters-and-digits form and its words (`answers.form_coverage`)


class OutlineTable:
    """Every outline of an index as arrays, built once with the index (`from_passages`) and kept
    in its file (`arrays`, `from_arrays`), so that a search only looks at the outlines of the
    passages it found: `of(i)` are the outlines passage i belongs to, `members(o)` the passages
    of outline o. Strings (text, what it is about, its items) are decoded on demand."""

    def __init__(self, arrays: dict[str, np.ndarray], prefix: str = "ol"):
        self.anchor, self.depth = arrays[f"{prefix}.anchor"], arrays[f"{prefix}.depth"]
        self._mptr, self._members = arrays[f"{prefix}.mptr"], arrays[f"{prefix}.members"]
        self._iptr, self._intro = arrays[f"{prefix}.iptr"], arrays[f"{prefix}.intro"]
        self._optr, self._of = arrays[f"{prefix}.optr"], arrays[f"{prefix}.of"]
        self._offsets, self._blob = arrays[f"{prefix}.offsets"], arrays[f"{prefix}.blob"]
        n = len(self.anchor)
        if not (len(self.depth) == n and len(self._mptr) == len(self._iptr) == n + 1
                and len(self._offsets) == _STRINGS * n + 1):
            raise ValueError(f"{prefix}: damaged outline table")
        self._strings: dict[int, tuple[str, ...]] = {}
        self._forms: dict[int, tuple[Form, Form]] = {}

    @staticmethod
    def arrays_of(outlines: list[Outline], first_id: int, n_passages: int, tokenize: Callable[[str], list[str]],
                  prefix: str = "ol") -> dict[str, np.ndarray]:
        """The arrays of a table of `outlines` over `n_passages` passages whose first id is `first_id`;
        `tokenize` gives the words of a text (kept, so that a search tokenizes no outline)."""
        memo: dict[str, list[str]] = {}

        def words(*lines: str) -> str:
            out: dict[str, None] = {}
            for line in lines:
                if line not in memo:
                    memo[line] = tokenize(line)
                out.update(dict.fromkeys(memo[line]))
            return _SEP.join(out)

        def csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
            ptr = np.zeros(len(lists) + 1, dtype=np.int64)
            np.cumsum([len(x) for x in lists], out=ptr[1:])
            flat = np.fromiter((v for x in lists for v in x), np.int32, int(ptr[-1]))
            return ptr, flat

        members = [[i - first_id for i in o.members] for o in outlines]
        of: list[list[int]] = [[] for _ in range(n_passages)]
        for k, m in enumerate(members):
            for i in m:
                of[i].append(k)
        mptr, mflat = csr(members)
        iptr, iflat = csr([sorted(i - first_id for i in o.intro) for o in outlines])
        optr, oflat = csr(of)
        encoded = [
            s.encode("utf-8")
            for o in outlines
            for s in (o.passage.text, o.about, _SEP.join(o.items), words(o.about),
                      words(*(o.plain or o.passage.text).split("\n"), *o.passage.section), o.plain or o.passage.text)
        ]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(s) for s in encoded], out=offsets[1:])
        return {
            f"{prefix}.anchor": np.array([o.passage.id - first_id for o in outlines], dtype=np.int32),
            f"{prefix}.depth": np.array([len(o.passage.section) for o in outlines], dtype=np.int32),
            f"{prefix}.mptr": mptr, f"{prefix}.members": mflat, f"{prefix}.iptr": iptr, f"{prefix}.intro": iflat,
            f"{prefix}.optr": optr, f"{prefix}.of": oflat, f"{prefix}.offsets": offsets,
            f"{prefix}.blob": np.frombuffer(b"".join(encoded), dtype=np.uint8),
        }

    @classmethod
    def from_passages(cls, passages: list[Passage], tokenize: Callable[[str], list[str]], prefix: str = "ol") -> OutlineTable:
        first = passages[0].id if passages else 0
        return cls(cls.arrays_of(build_outlines(passages), first, len(passages), tokenize, prefix), prefix)

    def arrays(self, prefix: str = "ol") -> dict[str, np.ndarray]:
        return {
            f"{prefix}.anchor": self.anchor, f"{prefix}.depth": self.depth,
            f"{prefix}.mptr": self._mptr, f"{prefix}.members": self._members,
            f"{prefix}.iptr": self._iptr, f"{prefix}.intro": self._intro,
            f"{prefix}.optr": self._optr, f"{prefix}.of": self._of,
            f"{prefix}.offsets": self._offsets, f"{prefix}.blob": self._blob,
        }

    def __len__(self) -> int:
        return len(self.anchor)

    def of(self, passages: np.ndarray) -> np.ndarray:
        """The outlines (ids, ascending, unique) that any of these passages belongs to."""
        parts = [self._of[int(self._optr[i]) : int(self._optr[i + 1])] for i in passages.tolist()]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int32)

    def members(self, o: int) -> np.ndarray:
        return self._members[int(self._mptr[o]) : int(self._mptr[o + 1])]

    def intro(self, o: int) -> np.ndarray:
        return self._intro[int(self._iptr[o]) : int(self._iptr[o + 1])]

    def _decoded(self, o: int) -> tuple[str, ...]:
        found = self._strings.get(o)
        if found is None:
            a = _STRINGS * o
            found = self._strings[o] = tuple(
                self._blob[int(self._offsets[j]) : int(self._offsets[j + 1])].tobytes().decode("utf-8")
                for j in range(a, a + _STRINGS)
            )
        return found

    def strings(self, o: int) -> tuple[str, str, tuple[str, ...]]:
        """The outline's text, what it is about, and its items."""
        text, about, items = self._decoded(o)[:3]
        return text, about, tuple(items.split(_SEP)) if items else ()

    def forms(self, o: int, section: tuple[str, ...]) -> tuple[Form, Form]:
        """What the outline is about and its text with its headings (`section`), each as
        letters-and-digits and the words kept at build time."""
        found = self._forms.get(o)
        if found is None:
            _, about, _, about_words, text_words, text = self._decoded(o)
            found = self._forms[o] = (
                (strip_for_match(about), frozenset(about_words.split(_SEP)) if about_words else frozenset()),
                (strip_for_match(text + "".join(section)), frozenset(text_words.split(_SEP)) if text_words else frozenset()),
            )
        return found
