"""Tips: short points quoted from the speeches, each with the blank that its quiz asks about.

`knowledge/tips.yaml` is written by trainers and checked once, when it is loaded: every quote must
really occur in the paragraph or section it cites (whitespace aside; punctuation exactly as in the
cleaned speech), and every mistake is one `KnowledgeError` that names tips.yaml and the line.

`draft_tips` mines the speeches' own structure for a first draft that a trainer then curates:
parallel headings (综合协调要“好” … 后勤保障要“优”), enumerations (开口能讲、提笔能写、…), rules with
numbers (半小时内…一小时内…), maxims (事以密成，语以泄败) and definitions (忠诚就是…). `dump_tips`
writes tips as YAML in the format `load_tips` reads.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from officebot.retrieval.knowledge import (
    KnowledgeError,
    Problems,
    default_knowledge_dir,
    load_list_file,
    load_manifest,
    read_speech_lines,
)
from officebot.retrieval.structure import build_paragraphs, parse_heading, split_sentences
from officebot.retrieval.types import Speech, SpeechText

TIPS = "tips.yaml"
KINDS = ("enumeration", "parallel", "number", "maxim", "point")
MAX_TIP = 120  # characters of a tip's text
MAX_ANSWER = 100  # an answer or distractor becomes a poll option: Telegram allows 100
TIP_KEYS = {"id", "kind", "doc", "paragraph", "section", "text", "answer", "distractors"}
REQUIRED_KEYS = ("id", "kind", "doc", "text", "answer")
# Short, because the bot puts tip ids into callback data (64 bytes at most).
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Tip:
    """A point from a speech, quoted verbatim, with its source and the blank of its quiz.

    `answer` occurs exactly once in `text`; a quiz blanks it out, or, when the answer is the whole
    text (a saying), asks which saying the speech quotes in its section. `distractors` are wrong
    answers the trainer chose (a quiz may add more from other tips).
    """

    id: str
    kind: str  # one of KINDS
    text: str  # at most MAX_TIP characters, verbatim from the source
    doc_id: str
    title: str  # of the speech
    paragraph: int | None  # 1-based body paragraph, None when the tip cites a section
    section: tuple[str, ...]  # heading path, outermost first; () before the first heading
    answer: str
    distractors: tuple[str, ...] = ()
    sentence: str = ""  # the source sentence(s) around the quote, verbatim, for explanations
    # The cited paragraph or section (for a saying, its whole section), verbatim.
    source_text: str = field(default="", repr=False, compare=False)
    line: int | None = field(default=None, compare=False)  # in tips.yaml

    @property
    def section_label(self) -> str:
        return " › ".join(self.section)

    @property
    def source(self) -> str:
        """Where the tip comes from, for people: 《title》 · section · 第N段."""
        parts = [f"《{self.title}》"]
        if self.section:
            parts.append(self.section_label)
        if self.paragraph:
            parts.append(f"第{self.paragraph}段")
        return " · ".join(parts)

    @property
    def asks_for_saying(self) -> bool:
        """True when the quiz asks which saying the section quotes rather than filling a blank."""
        return self.answer == self.text


def squash(text: str) -> str:
    """Text without whitespace: how quotes are compared with the speeches."""
    return _SPACE.sub("", text)


# ---- the speeches, as tips see them ------------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    """A line of a speech: a paragraph (with its number) or a heading standing alone."""

    section: tuple[str, ...]
    text: str
    paragraph: int | None


@dataclass
class _Doc:
    speech: Speech
    pieces: list[_Piece]
    sections: list[tuple[str, ...]]  # every heading path, in reading order

    @property
    def paragraphs(self) -> list[_Piece]:
        return [p for p in self.pieces if p.paragraph is not None]

    def paragraph(self, number: int) -> _Piece | None:
        return next((p for p in self.pieces if p.paragraph == number), None)

    def section_text(self, path: tuple[str, ...]) -> str:
        """The section's heading lines and paragraphs, one a line."""
        return "\n".join(p.text for p in self.pieces if p.section[: len(path)] == path)

    def find_section(self, label: str) -> list[tuple[str, ...]]:
        """Heading paths whose last label is `label` (or that end with the path "A › B")."""
        wanted = tuple(squash(part).rstrip("。！？!?；;：:，,、") for part in label.split("›"))
        return [s for s in self.sections if tuple(squash(x) for x in s[-len(wanted):]) == wanted]


def _read_doc(directory: Path, speech: Speech) -> _Doc:
    return _make_doc(speech, read_speech_lines(directory, speech))


def _make_doc(speech: Speech, lines: list[str]) -> _Doc:
    paragraphs, found = build_paragraphs(speech.id, lines)
    pieces: list[_Piece] = []
    sections: list[tuple[str, ...]] = []
    heads = iter(found)
    stack: list[tuple[int, str]] = []
    number = 0
    for line in lines:
        heading = parse_heading(line)
        if heading:
            level, label = next(heads, (0, heading.label))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, label))
            sections.append(tuple(label for _, label in stack))
            if not heading.inline:
                pieces.append(_Piece(sections[-1], line, None))
                continue
        number += 1
        para = paragraphs[number - 1] if number <= len(paragraphs) else None
        section = para.section if para else tuple(label for _, label in stack)
        pieces.append(_Piece(section, para.text if para else line, number))
    return _Doc(speech, pieces, sections)


def _read_docs(directory: Path) -> dict[str, _Doc]:
    return {s.id: _read_doc(directory, s) for s in load_manifest(directory)}


def _sentence_around(source: str, quote: str, limit: int = 110) -> str:
    """The source sentence around `quote` (found ignoring whitespace), or, when that sentence is
    long, the clauses around the quote that fit `limit`; verbatim, a line break (after a heading)
    shown as a space."""
    kept = [i for i, ch in enumerate(source) if not ch.isspace()]
    at = "".join(source[i] for i in kept).find(squash(quote))
    if at < 0 or not quote.strip():
        return quote
    start, end = kept[at], kept[at + len(squash(quote)) - 1] + 1
    text = _excerpt(source, start, end, limit=max(limit, end - start), widen=False)
    text = re.sub(r"(?<=[。！？!?；;：:，,”])\s+", "", text)
    return _SPACE.sub(" ", text).strip() or quote


# ---- loading and checking tips.yaml ------------------------------------------------------------


def load_tips(directory: Path | str | None = None) -> list[Tip]:
    """The tips of a knowledge directory, checked against its speeches; [] without tips.yaml.
    Every mistake in the file is raised at once (KnowledgeErrors), each at its line."""
    directory = Path(directory).expanduser() if directory else default_knowledge_dir()
    path = directory / TIPS
    problems = Problems()
    try:
        entries = load_list_file(path, "tips")
    except KnowledgeError as exc:
        problems.extend_from(exc)
        entries = []
    tips = check_tips([(path, entries)], _read_docs(directory) if entries else {}, problems) if entries else []
    problems.check()
    return tips


def layered_tips(
    paths: list[Path], speeches: Iterable[SpeechText], problems: Problems, removed: Iterable[str] = ()
) -> list[Tip]:
    """The tips of several tips.yaml files (lowest layer first) over the speeches of a layered
    corpus: a later file's tip replaces an earlier one with the same id, and a tip of a lower layer
    whose speech is no longer there is left out, as is a tip of any layer citing a `removed` speech.
    Problems go to `problems`."""
    removed = set(removed)
    docs = {st.speech.id: _make_doc(st.speech, list(st.lines)) for st in speeches}
    files: list[tuple[Path, list]] = []
    for path in paths:
        try:
            files.append((path, load_list_file(path, "tips")))
        except KnowledgeError as exc:
            problems.extend_from(exc)
    overridden = {str(e.get("id", "")).strip() for _, entries in files[1:] for e in entries if isinstance(e, dict)}
    kept: list[tuple[Path, list]] = []
    for index, (path, entries) in enumerate(files):
        top = index == len(files) - 1
        kept.append((path, [
            e for e in entries
            if not isinstance(e, dict)
            or (top and str(e.get("doc", "")).strip() not in removed)
            or (str(e.get("id", "")).strip() not in overridden and str(e.get("doc", "")).strip() in docs)
        ]))
    return check_tips(kept, docs, problems)


def check_tips(files: list[tuple[Path, list]], docs: dict[str, _Doc], problems: Problems) -> list[Tip]:
    tips: list[Tip] = []
    ids: dict[str, Tip] = {}
    texts: dict[str, Tip] = {}
    for path, entries in files:
        for entry in entries:
            try:
                tip = _check_entry(path, entry, docs)
                if tip.id in ids:
                    raise KnowledgeError(path, f"提示 id 重复：{tip.id}（第 {ids[tip.id].line} 行已有）", tip.line)
                key = squash(tip.text)
                if key in texts:
                    other = texts[key]
                    raise KnowledgeError(path, f"提示内容重复：与 {other.id}（第 {other.line} 行）相同", tip.line)
            except KnowledgeError as exc:
                problems.extend_from(exc)
                continue
            ids[tip.id] = tip
            texts[key] = tip
            tips.append(tip)
    return tips


def _text_field(path: Path, entry: dict, key: str, line: int | None, limit: int) -> str:
    value = entry.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeError(path, f"{key} 应为一段文字", line)
    value = value.strip()
    if len(value) > limit:
        raise KnowledgeError(path, f"{key} 太长：{len(value)} 字，最多 {limit} 字", line)
    return value


def _check_entry(path: Path, entry: Any, docs: dict[str, _Doc]) -> Tip:
    if not isinstance(entry, dict):
        raise KnowledgeError(path, "每条提示应是一组“字段: 值”", None)
    line = entry.get("__line__")
    unknown = set(entry) - TIP_KEYS - {"__line__"}
    if unknown:
        raise KnowledgeError(path, f"未知字段：{', '.join(sorted(map(str, unknown)))}", line)
    missing = [k for k in REQUIRED_KEYS if entry.get(k) in (None, "")]
    if missing:
        raise KnowledgeError(path, f"缺少字段：{', '.join(missing)}", line)
    tip_id = str(entry["id"]).strip()
    if not _ID.match(tip_id):
        raise KnowledgeError(path, f"id 只能用小写字母、数字和连字符，最多 32 个字符：{tip_id}", line)
    kind = str(entry["kind"]).strip()
    if kind not in KINDS:
        raise KnowledgeError(path, f"kind 应为 {' / '.join(KINDS)} 之一：{kind}", line)
    text = _text_field(path, entry, "text", line, MAX_TIP)
    answer = _text_field(path, entry, "answer", line, MAX_ANSWER)
    doc = docs.get(str(entry["doc"]).strip())
    if doc is None:
        raise KnowledgeError(path, f"没有这篇讲话：{entry['doc']}（可用：{', '.join(docs)}）", line)

    paragraph, section, source = _resolve_source(path, entry, doc, line)
    quote = squash(text)
    if quote not in squash(source):
        raise KnowledgeError(path, _not_found(doc, quote, paragraph, section), line)
    if section == () and paragraph is not None:
        section = doc.paragraph(paragraph).section

    count = text.count(answer)
    if count != 1:
        where = "不在 text 中" if count == 0 else f"在 text 中出现了 {count} 次（应只出现一次，以便出题时挖空）"
        raise KnowledgeError(path, f"answer “{answer}”{where}", line)
    if answer == text:
        if not section:
            raise KnowledgeError(path, "answer 与 text 相同时（问“引用了哪句话”），须能指出所在的章节", line)
        source = doc.section_text(section)  # a saying quoted anywhere in its section is right

    raw = entry.get("distractors") or []
    if not isinstance(raw, list):
        raise KnowledgeError(path, "distractors 应为列表，如 [一小时, 两小时, 24小时]", line)
    distractors: list[str] = []
    for value in raw:
        item = _text_field(path, {"distractors": value}, "distractors", line, MAX_ANSWER)
        if squash(item) == squash(answer):
            raise KnowledgeError(path, f"干扰项“{item}”就是答案", line)
        if item in distractors:
            raise KnowledgeError(path, f"干扰项“{item}”重复", line)
        distractors.append(item)

    return Tip(
        id=tip_id, kind=kind, text=text, doc_id=doc.speech.id, title=doc.speech.title,
        paragraph=paragraph, section=section, answer=answer, distractors=tuple(distractors),
        sentence=_sentence_around(source, text), source_text=source, line=line,
    )


def _resolve_source(path: Path, entry: dict, doc: _Doc, line: int | None) -> tuple[int | None, tuple[str, ...], str]:
    paragraph = entry.get("paragraph")
    label = entry.get("section")
    if paragraph in (None, "") and label in (None, ""):
        raise KnowledgeError(path, "缺少出处：请写 paragraph（段落号）或 section（章节标题）", line)
    section: tuple[str, ...] = ()
    if label not in (None, ""):
        found = doc.find_section(str(label))
        if not found:
            raise KnowledgeError(path, f"《{doc.speech.title}》中没有这个章节标题：{label}", line)
        if len(found) > 1:
            raise KnowledgeError(path, f"章节标题“{label}”不唯一，请写完整路径（用 › 分隔）或写 paragraph", line)
        section = found[0]
    if paragraph in (None, ""):
        return None, section, doc.section_text(section)
    if isinstance(paragraph, bool) or not isinstance(paragraph, int):
        raise KnowledgeError(path, f"paragraph 应为段落号（整数）：{paragraph}", line)
    piece = doc.paragraph(paragraph)
    if piece is None:
        count = len(doc.paragraphs)
        raise KnowledgeError(path, f"《{doc.speech.title}》只有 {count} 段，没有第 {paragraph} 段", line)
    if section and piece.section[: len(section)] != section:
        raise KnowledgeError(path, f"第 {paragraph} 段不在章节“{label}”中", line)
    return paragraph, section or piece.section, piece.text


def _not_found(doc: _Doc, quote: str, paragraph: int | None, section: tuple[str, ...]) -> str:
    cited = f"第 {paragraph} 段" if paragraph is not None else f"章节“{' › '.join(section)}”"
    where = [p.paragraph for p in doc.paragraphs if quote in squash(p.text)]
    if where:
        return f"引文不在所注出处（{cited}）中；它在第 {where[0]} 段"
    if quote in squash(doc.section_text(())):
        return f"引文不在所注出处（{cited}）中；它跨越了段落或标题，请用 section 注明所在章节"
    return f"引文在《{doc.speech.title}》{cited}中找不到（比较时忽略空白，标点须与讲话原文一致）"


def heading_coverage(directory: Path | str | None, tips: Iterable[Tip]) -> list[tuple[str, tuple[str, ...], int]]:
    """Every heading of every speech, in order, with the number of tips within it."""
    directory = Path(directory).expanduser() if directory else default_knowledge_dir()
    tips = list(tips)
    out = []
    for doc_id, doc in _read_docs(directory).items():
        for path in doc.sections:
            count = sum(1 for t in tips if t.doc_id == doc_id and t.section[: len(path)] == path)
            out.append((doc_id, path, count))
    return out


# ---- writing tips as YAML ----------------------------------------------------------------------

HEADER = """\
# 每日提示（tips）：给培训群每天推送的要点，每条都从讲话原文中逐字摘录，并由它自动出选择题。
#
# 每条提示的字段：
#   id           唯一编号：小写字母、数字、连字符，最多 32 个字符。已发布后请勿改动（群里的进度按 id 记）。
#   kind         类型：enumeration 列举 / parallel 排比标题 / number 数字规定 / maxim 警句 / point 要点
#   doc          讲话 id（见 manifest.yaml）
#   paragraph    出处段落号（正文第几段，标题行不计）；或写
#   section      出处章节标题（如 二是信息处理要“快”），摘录跨越标题和正文时用它
#   text         提示内容，最多 120 字，必须是原文的一段逐字摘录：除空白外，文字和标点都要与讲话一致
#   answer       出题时挖空的词语，必须在 text 中恰好出现一次；与 text 相同时，题目问“本节引用了哪句话”
#   distractors  干扰项（错误选项），最好取自讲话中同类的说法，如 [精, 深, 实]；不足三个时自动补充
#
# 检查与预览：office-bot tips（校验并统计）、office-bot quiz --sample 10（看生成的题目）。
# 初稿由 office-bot tips --draft 从讲话结构中挖掘生成，再人工修订。
"""


def _scalar(value: str | int) -> str:
    dumped = yaml.safe_dump([value], allow_unicode=True, default_flow_style=True, width=1 << 20).strip()
    return dumped[1:-1]


def dump_tips(tips: Iterable[Tip], header: str = HEADER) -> str:
    """Tips as tips.yaml text, citing a paragraph when the tip has one, else its section."""
    out = [header.rstrip("\n"), "tips:"]
    for tip in tips:
        out.append(f"  - id: {_scalar(tip.id)}")
        out.append(f"    kind: {tip.kind}")
        out.append(f"    doc: {_scalar(tip.doc_id)}")
        if tip.paragraph is not None:
            out.append(f"    paragraph: {tip.paragraph}")
        else:
            out.append(f"    section: {_scalar(tip.section[-1])}")
        out.append(f"    text: {_scalar(tip.text)}")
        out.append(f"    answer: {_scalar(tip.answer)}")
        if tip.distractors:
            items = yaml.safe_dump(list(tip.distractors), allow_unicode=True, default_flow_style=True, width=1 << 20)
            out.append(f"    distractors: {items.strip()}")
    return "\n".join(out) + "\n"


# ---- drafting tips from the speeches' structure ------------------------------------------------

_CLAUSE = re.compile(r"[^，,；;：:。！？!?]+[，,；;：:。！？!?]*[”’]?")
_CLAUSE_END = "，,；;：:、"
_STOPS = ("。", "！", "？", "!", "?", "。”", "！”", "？”")
_MARKER = re.compile(
    r"^(?:第[一二三四五六七八九十]+[，,、：:．.\s]*|[一二三四五六七八九十]+[、，,．]|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d{1,2}\s*[.．、]|[一二三四五六七八九十]{1,3}(?=是|要))"
)
_CN_DIGITS = "零一二三四五六七八九"
_NUMERAL = r"半|[一二两三四五六七八九十]+|\d+(?:\.\d+)?"
_UNITS = ("个工作日", "工作日", "小时", "分钟", "句话", "大类", "天", "日", "%", "万", "项", "条", "个", "点", "分", "样")
_TIME_UNITS = ("个工作日", "工作日", "小时", "分钟", "天", "日")
_ALL_UNITS = {"", *_UNITS, "年", "周", "个月", "月", "次", "倍", "名", "人", "件", "位"}
_NUMBER = re.compile(rf"(?<![第\d一二两三四五六七八九十百])({_NUMERAL})({'|'.join(map(re.escape, _UNITS))})")
_NOT_NUMBERS = {"十分", "半天", "四周", "万分", "一样", "两样"}  # words, not quantities ("十分重要")
_QUOTED = re.compile(r"“([^“”]{1,60})”")
_SAYS = re.compile(r"(?:说|曰|讲|道|强调|说过|常说)[，,：:]?$")
_LEAD_IN = re.compile(r"^(?:俗话说|古人曰|人们常说|常言道)[，,：:]?“?")
_DEFINITION = re.compile(r"^([\u4e00-\u9fff]{2,6})就是")
_TOPIC = re.compile(r"^([\u4e00-\u9fff]{2,8})是([^，,。；;是]{2,20})的([\u4e00-\u9fff]{2,6})[，,。]")


@dataclass
class _Draft:
    kind: str
    text: str
    answer: str
    doc: _Doc
    piece: _Piece
    order: tuple[int, int]
    distractors: list[str] = field(default_factory=list)


def draft_tips(directory: Path | str | None = None) -> list[Tip]:
    """Candidate tips mined from the speeches' structure, for a trainer to curate.

    Every drafted text is a verbatim excerpt of its source, so the draft loads as it is.
    """
    directory = Path(directory).expanduser() if directory else default_knowledge_dir()
    docs = _read_docs(directory)
    pool = _phrase_pool(docs.values())
    numbers = [m for d in docs.values() for p in d.paragraphs for m in _numbers_in(p.text)]
    drafts: list[_Draft] = []
    for doc in docs.values():
        found: list[_Draft] = _parallel_headings(doc)
        for index, piece in enumerate(doc.pieces):
            if piece.paragraph is None:
                continue
            found += _enumerations(doc, index, piece, pool)
            found += _rules_with_numbers(doc, index, piece, numbers)
            found += _maxims(doc, index, piece, pool)
            found += _points(doc, index, piece, pool)
        found.sort(key=lambda d: d.order)
        drafts += found

    tips: list[Tip] = []
    seen: set[str] = set()
    counters: Counter[str] = Counter()
    for d in drafts:
        text = d.text.strip()
        key = squash(text)
        if not d.answer or key in seen or len(text) > MAX_TIP or text.count(d.answer) != 1:
            continue
        seen.add(key)
        prefix = _id_prefix(d.doc.speech.id)
        counters[prefix] += 1
        distractors = [x for x in dict.fromkeys(d.distractors) if x != d.answer and len(x) <= MAX_ANSWER][:6]
        source = d.piece.text if d.piece.paragraph is not None else d.doc.section_text(d.piece.section)
        tips.append(Tip(
            id=f"{prefix}-{counters[prefix]:02d}", kind=d.kind, text=text, doc_id=d.doc.speech.id,
            title=d.doc.speech.title, paragraph=d.piece.paragraph, section=d.piece.section,
            answer=d.answer, distractors=tuple(distractors),
            sentence=_sentence_around(source, text), source_text=source,
        ))
    return tips


def _id_prefix(doc_id: str) -> str:
    return "".join(part if part.isdigit() else part[0] for part in doc_id.split("-") if part)[:12]


def _excerpt(
    text: str, start: int, end: int, limit: int = MAX_TIP, avoid: Iterable[str] = (), widen: bool = True
) -> str:
    """A verbatim excerpt of `text` around text[start:end]: its sentence (with the one before when
    it is very short and `widen`), or, for a long sentence, the clauses around the span that fit `limit` and
    contain none of `avoid`. Trailing commas and colons are dropped."""
    avoid = [a for a in avoid if a]
    bounds, pos = [], 0
    for sentence in split_sentences(text):
        bounds.append((pos, pos + len(sentence)))
        pos += len(sentence)
    hit = [i for i, (a, b) in enumerate(bounds) if a < end and b > start] or [0]
    a, b = bounds[hit[0]][0], bounds[hit[-1]][1]
    if widen and b - a < 20 and hit[0] > 0 and b - bounds[hit[0] - 1][0] <= limit:
        a = bounds[hit[0] - 1][0]
    candidate = text[a:b]
    if len(candidate.rstrip(_CLAUSE_END)) <= limit and not any(x in candidate for x in avoid):
        return candidate.rstrip(_CLAUSE_END)
    spans, pos = [], a  # clauses of the sentence
    for clause in _CLAUSE.findall(text[a:b]) or [text[a:b]]:
        spans.append((pos, pos + len(clause)))
        pos += len(clause)
    inside = [i for i, (x, y) in enumerate(spans) if x < end and y > start] or [0]
    lo, hi = inside[0], inside[-1]

    def ok(i: int, j: int) -> bool:
        piece = text[spans[i][0] : spans[j][1]]
        return len(piece.rstrip(_CLAUSE_END)) <= limit and not any(x in piece for x in avoid)

    while lo > 0 and ok(lo - 1, hi):
        lo -= 1
    while hi + 1 < len(spans) and ok(lo, hi + 1):
        hi += 1
    return text[spans[lo][0] : spans[hi][1]].rstrip(_CLAUSE_END)


def _lead(text: str, limit: int = MAX_TIP, enough: int = 25) -> str:
    """The opening sentences of a text: as many as fit, stopping at a full stop once long enough."""
    out = ""
    for sentence in split_sentences(text):
        if len(out) + len(sentence) > limit:
            break
        out += sentence
        if len(out) >= enough and out.endswith(_STOPS):
            break
    return out.rstrip(_CLAUSE_END)


def _similar(answer: str, pool: Iterable[str], exclude: Iterable[str] = (), n: int = 6) -> list[str]:
    """Phrases of the answer's length sharing characters with it, those sharing them at the same
    places first: "语以泄败" -> "俭以养德", "宽以待人"."""
    exclude = set(exclude) | {answer}
    scored = []
    for i, phrase in enumerate(pool):
        if len(phrase) != len(answer) or phrase in exclude or phrase in answer or answer in phrase:
            continue
        same_place = sum(1 for x, y in zip(phrase, answer) if x == y)
        shared = len(set(phrase) & set(answer))
        if shared:
            scored.append((-(2 * same_place + shared), i, phrase))
    scored.sort()
    return [p for *_, p in scored[:n]]


def _phrase_pool(docs: Iterable[_Doc]) -> list[str]:
    """Short phrases of the speeches, in reading order: quoted words, list items, clauses."""
    out: dict[str, None] = {}
    for doc in docs:
        for piece in doc.pieces:
            for item in _QUOTED.findall(piece.text):
                out.setdefault(item.strip("。，,"), None)
            for part in re.split(r"[，,；;：:。！？!?、“”（）()《》\s]+", piece.text):
                if 1 <= len(part) <= 10:
                    out.setdefault(part, None)
    return [p for p in out if p]


# parallel headings: 一是综合协调要“好” … 七是后勤保障要“优”


def _common_affixes(labels: list[str]) -> tuple[int, int]:
    prefix = 0
    while all(len(x) > prefix for x in labels) and len({x[prefix] for x in labels}) == 1:
        prefix += 1
    suffix = 0
    while all(len(x) > prefix + suffix for x in labels) and len({x[-1 - suffix] for x in labels}) == 1:
        suffix += 1
    return prefix, suffix


def _family_blanks(labels: list[str]) -> list[str] | None:
    """What varies between parallel headings: the quoted word, else the short varying part."""
    quoted = [_QUOTED.findall(x) for x in labels]
    if all(len(q) == 1 for q in quoted):
        return [q[0] for q in quoted]
    prefix, suffix = _common_affixes(labels)
    if not prefix and not suffix and not all("要" in x for x in labels):
        return None  # no shared template: not a parallel family
    middles = [x[prefix : len(x) - suffix] for x in labels]
    if all(1 <= len(m) <= 2 for m in middles):
        return middles
    tails = [m.rsplit("要", 1)[1] if "要" in m else "" for m in middles]
    if all(1 <= len(t) <= 2 for t in tails):
        return tails
    import jieba  # only drafting needs word boundaries

    out = []
    for label, middle in zip(labels, middles):  # the last whole word of the varying part
        best, pos = "", 0
        for word in jieba.lcut(label):
            if pos >= prefix and pos + len(word) <= prefix + len(middle) and len(word) >= max(2, len(best)):
                best = word
            pos += len(word)
        out.append(best or middle)
    return out


def _parallel_headings(doc: _Doc) -> list[_Draft]:
    families: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for path in doc.sections:
        families.setdefault(path[:-1], []).append(path)
    drafts = []
    for members in families.values():
        if len(members) < 3:
            continue
        blanks = _family_blanks([_MARKER.sub("", p[-1]) for p in members])
        if not blanks or len(set(blanks)) != len(blanks) or not all(blanks):
            continue
        for path, blank in zip(members, blanks):
            index, piece = next((i, p) for i, p in enumerate(doc.pieces) if p.section == path)
            if piece.paragraph is None:  # a heading line: quote it with the first sentences after it
                follow = next((p.text for p in doc.pieces[index + 1 :] if p.section == path), "")
                heading = piece.text if piece.text.endswith(_STOPS) else piece.text + " "  # a line break
                text = heading + _lead(follow, MAX_TIP - len(heading))
                if text.count(blank) != 1:
                    text = piece.text.rstrip("。")
                cite = _Piece(path, piece.text, None)
            else:
                text, cite = _lead(piece.text), piece
            others = [b for b in blanks if b != blank]
            drafts.append(_Draft("parallel", text, blank, doc, cite, (index, 0), others))
    return drafts


# enumerations: 开口能讲、提笔能写、问策能对、遇事能办


def _template(items: list[str]) -> bool:
    """Items of one length sharing a character at the same place (服务领导、服务基层、服务群众)."""
    size = len(items[0])
    return all(len(x) == size for x in items) and any(len({x[i] for x in items}) == 1 for i in range(size))


def _list_items(clause: str) -> list[str] | None:
    """The items of an enumeration "A、B、C" in a clause, all of one length, or None."""
    parts = clause.rstrip("，,；;：:。！？!?”").split("、")
    if len(parts) < 3:
        return None
    quoted = "“" in parts[0] and ("”" in parts[-1] or clause.rstrip("，,；;：:。！？!?").endswith("”"))
    parts[0] = parts[0].rsplit("“", 1)[-1]
    parts[-1] = parts[-1].split("”", 1)[0]
    middle = parts[1:-1]
    size = len(middle[0])
    if any(len(m) != size for m in middle) or not 1 <= size <= 10:
        return None
    last = re.split(r"[和及与]", parts[-1])
    if len(last) == 2 and len(last[0]) == len(last[1]) == size:
        parts = parts[:-1] + last
    items = list(parts)
    if len(items[-1]) > size and _template(middle + [items[-1][:size]]):
        items[-1] = items[-1][:size]
    if len(items[0]) > size and _template(middle + [items[0][-size:]]):
        items[0] = items[0][-size:]
    if any(len(x) != size for x in items) or len(set(items)) != len(items):
        return None
    if size == 1 and not (quoted or len(items) >= 4):
        return None
    if size > 1 and not (_template(items) or quoted):
        return None
    return items


def _enumerations(doc: _Doc, index: int, piece: _Piece, pool: list[str]) -> list[_Draft]:
    drafts = []
    text = piece.text
    pos = 0
    for clause in _CLAUSE.findall(text):
        start = pos
        pos += len(clause)
        items = _list_items(clause)
        if not items:
            continue
        order = (index, start)
        elaborated = False
        for item in items:  # "开口能讲，就是要…": each item explained later in the paragraph
            at = text.find(item, pos)
            while at >= 0 and at > 0 and text[at - 1] not in "。！？!?；;“":
                at = text.find(item, at + 1)
            if at < 0:
                continue
            excerpt = _excerpt(text, at, at + len(item), widen=False)
            others = [x for x in items if x != item]
            if excerpt.lstrip("“").startswith(item) and not any(o in excerpt for o in others):
                drafts.append(_Draft("enumeration", excerpt, item, doc, piece, order, others))
                elaborated = True
        if elaborated:
            continue
        size = len(items[0])
        same = {i for i in range(size) if len({x[i] for x in items}) == 1}
        runs, run = [], None
        for i in range(size + 1):
            if i < size and i not in same:
                run = (run or (i, i))[0], i + 1
            elif run:
                runs.append(run)
                run = None
        runs = [r for r in runs if 2 <= r[1] - r[0] <= 3 and len({x[r[0] : r[1]] for x in items}) == len(items)]
        if size >= 8 and runs:  # "职责不明的事情商量办": blank the short varying part of one item
            a, b = min(runs, key=lambda r: r[1] - r[0])
            item = items[1]
            drafts.append(_Draft("enumeration", item, item[a:b], doc, piece, order, [x[a:b] for x in items if x != item]))
            continue
        answer = items[len(items) // 2]
        at = text.find(answer, start)
        excerpt = _excerpt(text, at, at + len(answer))
        drafts.append(_Draft("enumeration", excerpt, answer, doc, piece, order, _similar(answer, pool, exclude=items)))
    return drafts


# rules with numbers: 半小时内电话报告…，一小时内书面报告


def _numbers_in(text: str) -> list[re.Match[str]]:
    return [
        m for m in _NUMBER.finditer(text)
        if m.group() not in _NOT_NUMBERS and (m.group(1) != "一" or m.group(2) in _TIME_UNITS)
    ]


def parse_number(text: str) -> tuple[float, str, bool] | None:
    """(value, unit, written in digits) of a number phrase such as 半小时, 24小时, 六大类, 1%;
    None for anything else."""
    m = re.fullmatch(rf"({_NUMERAL})(\D*)", text)
    if not m or m.group(2) not in _ALL_UNITS:
        return None
    numeral, unit = m.groups()
    if numeral[0].isdigit():
        return float(numeral), unit, True
    if numeral == "半":
        return 0.5, unit, False
    value = _cn_value(numeral)
    return (float(value), unit, False) if value else None


def _cn_value(numeral: str) -> int | None:
    digits = {c: i for i, c in enumerate(_CN_DIGITS)} | {"两": 2}
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        if (tens and tens not in digits) or (ones and ones not in digits):
            return None
        return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)
    return digits.get(numeral) if len(numeral) == 1 else None


def _write_number(value: float, unit: str, digits: bool) -> str:
    if value == 0.5 and not digits:
        return "半" + unit
    if digits:
        return (str(int(value)) if value == int(value) else f"{value:g}") + unit
    n = int(value)
    if n == 2 and unit:
        return "两" + unit
    if n < 10:
        return _CN_DIGITS[n] + unit
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "") + unit


def number_neighbours(answer: str) -> list[str]:
    """Plausible wrong values for a number phrase, same unit and style, closest first:
    半小时 -> 一小时, 两小时, 三小时; 24小时 -> 12小时, 48小时, 36小时."""
    parsed = parse_number(answer)
    if not parsed:
        return []
    value, unit, digits = parsed
    if value == 0.5:
        values = [1, 2, 3]
    elif value < 10:
        values = [value + 1, value - 1, value + 2, value - 2, value + 3]
        if unit in _TIME_UNITS and value <= 2 and not digits:
            values.insert(1, 0.5)
        if digits:
            values += [value * 10, value * 5]
    else:
        values = [value / 2, value * 2, value * 1.5, value / 4, value * 3]
    out = []
    for v in values:
        if v <= 0 or v == value or (v != int(v) and v != 0.5) or (not digits and v >= 100):
            continue
        phrase = _write_number(v, unit, digits)
        if phrase not in out:
            out.append(phrase)
    return out


def _rules_with_numbers(doc: _Doc, index: int, piece: _Piece, numbers: list[re.Match[str]]) -> list[_Draft]:
    drafts = []
    here = _numbers_in(piece.text)
    for m in here:
        answer, unit = m.group(), m.group(2)
        # The excerpt keeps out the paragraph's other numbers: "一小时内书面报告" is a tip of its
        # own, and 一小时 a distractor for 半小时.
        avoid = {x.group() for x in here if x.group() != answer}
        text = _excerpt(piece.text, m.start(), m.end(), avoid=avoid)
        if answer not in text:
            text = _excerpt(piece.text, m.start(), m.end())
        elsewhere = [x.group() for x in numbers if x.group(2) == unit and x.group() != answer]
        distractors = list(dict.fromkeys(elsewhere + number_neighbours(answer)))
        drafts.append(_Draft("number", text, answer, doc, piece, (index, m.start()), distractors))
    return drafts


# maxims: 事以密成，语以泄败


def _balanced(clauses: list[str], lo: int = 4, hi: int = 7) -> bool:
    return len(clauses) in (2, 4) and len({len(c) for c in clauses}) == 1 and lo <= len(clauses[0]) <= hi


def _split_saying(text: str) -> list[str]:
    return [c.rstrip("，,、；;") for c in re.split(r"(?<=[，,、；;])", text) if c.rstrip("，,、；;")]


def _maxims(doc: _Doc, index: int, piece: _Piece, pool: list[str]) -> list[_Draft]:
    """Sayings: sentences of two or four balanced clauses, and quoted sayings after 说/曰."""
    drafts = []
    pos = 0
    for sentence in split_sentences(piece.text):
        start = pos
        pos += len(sentence)
        body = sentence.rstrip("。！？!?；;”").lstrip("“")
        lead = _LEAD_IN.match(body)
        if lead:
            body = body[lead.end() :]
        clauses = _split_saying(body)
        if _balanced(clauses):
            drafts.append(_maxim_draft(doc, index, piece, body, clauses, start, pool))
    for m in _QUOTED.finditer(piece.text):
        saying = m.group(1).rstrip("。！")
        clauses = _split_saying(saying)
        said = _SAYS.search(piece.text[max(0, m.start() - 6) : m.start()])
        if (said and len(saying) >= 6) or _balanced(clauses, 4, 9):
            drafts.append(_maxim_draft(doc, index, piece, saying, clauses, m.start(), pool))
    return drafts


def _maxim_draft(doc: _Doc, index: int, piece: _Piece, text: str, clauses: list[str], at: int, pool: list[str]) -> _Draft:
    if len(clauses) >= 2:
        answer = clauses[-1]
    else:
        import jieba

        words = [w for w in jieba.lcut(text) if len(w) >= 2]
        answer = words[-1] if words else text
    return _Draft("maxim", text, answer, doc, piece, (index, at), _similar(answer, pool, exclude=clauses))


# points: definitions and topic sentences


def _points(doc: _Doc, index: int, piece: _Piece, pool: list[str]) -> list[_Draft]:
    """Definitions ("忠诚就是效忠、诚信、无二心") and topic sentences ("X是…的第一要务")."""
    drafts = []
    defined = _defined_terms(doc)
    pos = 0
    for sentence in split_sentences(piece.text):
        start = pos
        pos += len(sentence)
        m = _DEFINITION.match(sentence)
        if m and m.group(1) in defined:
            term = m.group(1)
            text = _excerpt(piece.text, start, start + len(term))
            drafts.append(_Draft("point", text, term, doc, piece, (index, start), [t for t in defined if t != term]))
            continue
        m = _TOPIC.match(sentence)
        if m and len(sentence) <= 60:
            term = m.group(1)
            text = sentence.rstrip(_CLAUSE_END)
            drafts.append(_Draft("point", text, term, doc, piece, (index, start), _similar(term, pool)))
    return drafts


def _defined_terms(doc: _Doc) -> list[str]:
    """Terms a speech defines with "什么是X？X就是…" or "X是什么？X就是…"."""
    terms = []
    for p in doc.paragraphs:
        m = re.match(r"^(?:什么是([\u4e00-\u9fff]{2,6})[？?]|([\u4e00-\u9fff]{2,6})是什么[？?])", p.text)
        if m:
            terms.append(m.group(1) or m.group(2))
    return terms
