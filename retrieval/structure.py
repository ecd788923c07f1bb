"""Headings, paragraphs and passages: the structure of a cleaned speech.

Chinese speeches number their parts with a small set of marker styles. Their usual nesting is
第一， > 一、 > （一） > 一是/一要 > 1. > （1）; a speech uses a few of them, and the ones it uses are
mapped to levels in that order. A heading either stands on its own line ("一是要绝对忠诚。") or
leads its paragraph ("1.情况要明。千难万难，…"); in the second case the paragraph keeps its text
and the lead sentence names the section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .types import Paragraph, Passage

_NUM = "一二三四五六七八九十百零〇两"
_MARKERS: list[tuple[int, re.Pattern[str]]] = [
    (0, re.compile(rf"^第[{_NUM}]+[，,、：:．.\s]\s*")),
    (1, re.compile(rf"^[{_NUM}]+[、，,．]\s*")),
    (2, re.compile(rf"^[（(][{_NUM}]+[）)]\s*")),
    (3, re.compile(rf"^[{_NUM}]{{1,3}}(?=是|要|则|来|抓|靠|讲|看|在|有|把|以|需|应|须|必)")),
    (4, re.compile(r"^\d{1,2}\s*[.．、]\s*(?!\d)")),
    (5, re.compile(r"^[（(]\d{1,2}[）)]\s*")),
]
_CLOSING = re.compile(r"^同志们[，,：:！!]")
_LEAD_END = re.compile(r"[。！？!?：:；;]")
MAX_HEADING = 40  # characters of a heading line standing alone
MAX_LEAD = 30  # characters of a lead sentence that names a section


@dataclass(frozen=True)
class Heading:
    rank: int  # marker style, 0 = outermost
    label: str  # the heading text, without trailing punctuation
    inline: bool  # True when the heading leads a paragraph that goes on


def parse_heading(line: str) -> Heading | None:
    """The heading a line is or starts with, or None."""
    line = line.strip()
    for rank, pattern in _MARKERS:
        if not pattern.match(line):
            continue
        if rank == 3 and not re.match(rf"^[{_NUM}]{{1,3}}(?:是|要)", line) and len(line) > MAX_HEADING:
            return None  # "一来…" and the like only count as standalone headings
        end = _LEAD_END.search(line)
        if end is None or end.end() >= len(line.rstrip("”’\"")):
            if len(line) <= MAX_HEADING:
                return Heading(rank, _strip_label(line), inline=False)
            return None
        lead = line[: end.start()]
        if len(lead) <= MAX_LEAD and end.group() not in "：:":
            return Heading(rank, _strip_label(lead), inline=True)
        return None
    return None


def _strip_label(text: str) -> str:
    return text.strip().rstrip("。！？!?；;：:，,、 ")


def build_paragraphs(doc_id: str, lines: list[str]) -> tuple[list[Paragraph], list[tuple[int, str]]]:
    """Paragraphs with their section paths, and the headings found as (level, label)."""
    headings = [(i, parse_heading(line)) for i, line in enumerate(lines)]
    ranks = sorted({h.rank for _, h in headings if h})
    level_of = {rank: level for level, rank in enumerate(ranks)}
    stack: list[tuple[int, str]] = []
    paragraphs: list[Paragraph] = []
    found: list[tuple[int, str]] = []
    for i, heading in headings:
        line = lines[i].strip()
        if heading:
            level = level_of[heading.rank]
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading.label))
            found.append((level, heading.label))
            if not heading.inline:
                continue
        elif _CLOSING.match(line):
            stack.clear()  # "同志们，…" after the last part closes the speech: it belongs to no section
        if line:
            paragraphs.append(
                Paragraph(doc_id, len(paragraphs) + 1, line, tuple(label for _, label in stack))
            )
    return paragraphs, found


_SENTENCE = re.compile(r"[^。！？!?；;…]*(?:[。！？!?；;]+|…+|$)[”’」』）)]*")


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, verbatim: joined back they give the text."""
    return [s for s in _SENTENCE.findall(text) if s]


def _pieces(text: str, limit: int) -> list[str]:
    """Cut a paragraph at sentence ends into pieces of at most `limit` characters, evenly sized."""
    if len(text) <= limit:
        return [text]
    sentences: list[str] = []
    for s in split_sentences(text):
        while len(s) > limit:  # a sentence longer than a passage: cut at a comma, else hard
            cut = max(s.rfind(c, 0, limit) for c in "，,、")
            cut = cut + 1 if cut > limit // 3 else limit
            sentences.append(s[:cut])
            s = s[cut:]
        if s:
            sentences.append(s)
    n = -(-len(text) // limit)
    while True:
        target = len(text) / n
        pieces, current = [], ""
        for s in sentences:
            if current and (len(current) + len(s) > limit or len(current) >= target * 0.95):
                pieces.append(current)
                current = ""
            current += s
        pieces.append(current)
        if all(len(p) <= limit for p in pieces):
            return pieces
        n += 1


def split_passages(
    paragraphs: list[Paragraph], title: str, date: str, limit: int = 400, start_id: int = 0
) -> list[Passage]:
    """Passages of at most `limit` characters, never crossing a paragraph (so never a section).

    A very short paragraph ("同志们：") is carried into the next one of the same section, so that
    no passage is a bare salutation.
    """
    passages: list[Passage] = []
    carry: Paragraph | None = None
    for para in paragraphs:
        text = para.text
        number = para.number
        if carry is not None:
            if carry.section == para.section and len(carry.text) + len(text) + 1 <= limit:
                text, number = carry.text + "\n" + text, carry.number
            else:
                passages.append(_passage(len(passages) + start_id, carry, carry.text, 0, title, date))
            carry = None
        if len(text) < 12 and para is not paragraphs[-1]:
            carry = Paragraph(para.doc_id, number, text, para.section)
            continue
        for part, piece in enumerate(_pieces(text, limit)):
            passages.append(
                _passage(len(passages) + start_id, Paragraph(para.doc_id, number, text, para.section), piece, part, title, date)
            )
    if carry is not None:
        passages.append(_passage(len(passages) + start_id, carry, carry.text, 0, title, date))
    return passages


def _passage(pid: int, para: Paragraph, text: str, part: int, title: str, date: str) -> Passage:
    return Passage(
        id=pid, doc_id=para.doc_id, title=title, date=date, section=para.section,
        paragraph=para.number, part=part, text=text,
    )
