"""HTML for Telegram: answers, context, sources, stats and help, each within one message.

Pure functions, no Telegram imports. Every piece of passage or user text goes through
`html.escape`; only the tags written here (<b>, <i>) reach Telegram. Telegram's limit is 4096
characters of the text *after* entity parsing; `Html` counts exactly that, in UTF-16 code units
(never fewer than Telegram's characters), so trimming happens on plain text before escaping and can
never cut a tag or an entity in half.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from officebot.retrieval import Hit, Passage, Speech

MAX_MESSAGE = 4096
ELLIPSIS = "…"
BRIEF_CHARS = 90
_UNSAFE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """User or passage text safe to send: no lone surrogates or control characters."""
    return _UNSAFE.sub("", text or "")


def units(text: str) -> int:
    """Length as Telegram measures it (UTF-16 code units)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def shorten(text: str, limit: int) -> str:
    """At most `limit` UTF-16 units, ending in … when cut; never splits a surrogate pair."""
    text = clean_text(text)
    if units(text) <= limit:
        return text
    if limit <= 0:
        return ""
    out, used = [], 0
    for ch in text:
        size = units(ch)
        if used + size > limit - 1:
            break
        out.append(ch)
        used += size
    return "".join(out).rstrip() + ELLIPSIS


@dataclass
class Html:
    """A message under construction: its HTML and the length of the text Telegram will see."""

    parts: list[str] = field(default_factory=list)
    length: int = 0

    def text(self, text: str) -> Html:
        text = clean_text(text)
        self.parts.append(html.escape(text, quote=False))
        self.length += units(text)
        return self

    def tag(self, name: str, text: str) -> Html:
        text = clean_text(text)
        if text:
            self.parts.append(f"<{name}>{html.escape(text, quote=False)}</{name}>")
            self.length += units(text)
        return self

    def bold(self, text: str) -> Html:
        return self.tag("b", text)

    def italic(self, text: str) -> Html:
        return self.tag("i", text)

    def extend(self, other: Html) -> Html:
        self.parts.extend(other.parts)
        self.length += other.length
        return self

    def __str__(self) -> str:
        return "".join(self.parts)


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def visible_text(message_html: str) -> str:
    """The text Telegram shows for an HTML message (tags removed, entities decoded)."""
    parser = _TextOf()
    parser.feed(message_html)
    parser.close()
    return "".join(parser.chunks)


def telegram_length(message_html: str) -> int:
    return units(visible_text(message_html))


# ---- pieces ------------------------------------------------------------------------------

def source_line(passage: Passage) -> str:
    """《title》 · section · date"""
    parts = [f"《{shorten(passage.title, 80)}》"]
    if passage.section:
        parts.append(shorten(passage.section_label, 80))
    if passage.date:
        parts.append(passage.date)
    return " · ".join(parts)


def _highlighted(text: str, highlight: str, budget: int) -> Html:
    """The passage with its key sentence in bold, trimmed to `budget` units around the sentence."""
    text = clean_text(text).strip()
    highlight = clean_text(highlight).strip()
    at = text.find(highlight) if highlight else -1
    if at < 0:
        return Html().text(shorten(text, budget))
    before, key, after = text[:at], highlight, text[at + len(highlight):]
    if units(text) > budget:
        key = shorten(key, budget)
        room = budget - units(key)
        # keep the end of what leads up to the key sentence, then what follows it
        before = shorten(before[::-1], max(room // 3, room - units(after)))[::-1]
        after = shorten(after, room - units(before))
    return Html().text(before).bold(key).text(after)


def _brief(hit: Hit) -> str:
    return shorten(hit.highlight or hit.passage.text, BRIEF_CHARS)


def _rank_mark(rank: int) -> str:
    return f"{rank}. "


# ---- messages ----------------------------------------------------------------------------

def render_answer(hits: Sequence[Hit], heading: str = "", limit: int = MAX_MESSAGE) -> str:
    """The best passage in full (key sentence bold) with its source, then the rest in brief."""
    if not hits:
        return html.escape("没有找到相关内容。", quote=False)
    top, others = hits[0], list(hits[1:3])
    head = Html()
    if heading:
        head.italic(shorten(heading, 200)).text("\n\n")
    source = Html().text("\n—— ").italic(source_line(top.passage))

    def briefs(items: list[Hit]) -> Html:
        doc = Html()
        if items:
            doc.text("\n\n").bold("相关段落")
        for hit in items:
            doc.text("\n" + _rank_mark(hit.rank) + _brief(hit) + "\n    ").italic(source_line(hit.passage))
        return doc

    while True:
        tail = briefs(others)
        budget = limit - head.length - source.length - tail.length
        if budget >= 200 or not others:
            break
        others.pop()
    body = _highlighted(top.passage.text, top.highlight, max(budget, 1))
    return str(Html().extend(head).extend(body).extend(source).extend(tail))


def render_not_found(question: str, has_topics: bool, near: bool = False) -> str:
    """"Not found", and what to do next; `near`: a passage came close (the 最接近的段落 button)."""
    doc = Html().text("没有在讲话中找到能回答“").text(shorten(question.strip(), 60)).text("”的内容。")
    if near:
        doc.text("\n有一段比较接近，但未必回答了您的问题：可以点“最接近的段落”看看；也可以换个说法再问"
                 + ("，或点下面的话题。" if has_topics else "。"))
        return str(doc)
    doc.text("\n可以换个说法再问，" + ("或点下面的话题看看。" if has_topics else "或发 /sources 看看收录了哪些讲话。"))
    return str(doc)


def render_context(passages: Sequence[Passage], focus: int, limit: int = MAX_MESSAGE) -> str:
    """Paragraphs in reading order, each under its number; the focus passage in bold."""
    focus_passage = next((p for p in passages if p.id == focus), None)
    if focus_passage is None:
        return html.escape("找不到这段内容的上下文。", quote=False)
    head = Html().bold("上下文").text("\n").italic(source_line(focus_passage))
    share = (limit - head.length) // len(passages) - 16  # 16: room for a paragraph label
    doc = Html().extend(head)
    paragraph = None
    for p in sorted(passages, key=lambda p: p.id):
        if p.paragraph != paragraph:
            paragraph = p.paragraph
            doc.text(f"\n\n〔第{p.paragraph}段〕")
        text = shorten(p.text.strip(), share)
        doc.bold(text) if p.id == focus else doc.text(text)
    return str(doc)


def render_sources(speeches: Iterable[Speech], counts: dict[str, int] | None = None) -> str:
    speeches = list(speeches)
    if not speeches:
        return html.escape("知识库里还没有讲话。", quote=False)
    doc = Html().bold(f"知识库收录的讲话（{len(speeches)} 篇）")
    for i, s in enumerate(speeches, 1):
        doc.text(f"\n\n{i}. ").bold(f"《{shorten(s.title, 120)}》")
        facts = [x for x in (s.date, s.speaker, s.occasion) if x]
        if counts and s.id in counts:
            facts.append(f"{counts[s.id]} 个片段")
        if facts:
            doc.text("\n    ").italic(shorten(" · ".join(facts), 200))
        if doc.length > MAX_MESSAGE - 300:
            doc.text(f"\n\n……共 {len(speeches)} 篇")
            break
    return str(doc)


def privacy_note(retention_days: int) -> str:
    """What the bot keeps about its users, and for how long (for /help and /forget)."""
    return (
        f"您的提问（连同用户和聊天 id）与 👍/👎 反馈保存 {retention_days} 天，用于改进回答，之后自动删除；"
        "答题记录保存到您删除为止。发 /forget 可随时删除您的全部提问、反馈和答题记录。"
    )


def render_help(commands: Iterable[tuple[str, str]], bot_username: str = "", retention_days: int | None = None) -> str:
    """Every registered command with its description, how to ask in each kind of chat, and what
    is kept about the user."""
    doc = Html().bold("办公室工作问答助手").text("\n我从收录的讲话中找答案，并注明出处。\n")
    doc.text("\n私聊：直接发问题，例如“信息报送时限是多少”。")
    mention = f"@{bot_username}" if bot_username else "@机器人"
    doc.text(f"\n群里：/ask 问题，或 {mention} 问题，或回复我的消息。")
    doc.text(f"\n任意聊天：输入 {mention} 问题，从弹出的结果中选一条发送。\n")
    doc.text("\n").bold("命令")
    for name, description in commands:
        doc.text(f"\n/{name} — {description}")
    if retention_days is not None:
        doc.text("\n\n").bold("隐私").text("\n" + privacy_note(retention_days))
    return str(doc)


def render_start(first_name: str = "") -> str:
    name = shorten(first_name.strip(), 40)
    doc = Html().text(f"{name}，您好！" if name else "您好！")
    doc.text("我是办公室工作问答助手，回答办公室工作的问题，答案都出自收录的讲话并注明出处。")
    doc.text("\n\n直接发问题试试，例如：").bold("信息报送时限是多少")
    doc.text("\n发 /help 查看全部用法。")
    return str(doc)


def render_stats(stats, top_label: str = "最常见的未答问题") -> str:
    """`stats` is a `officebot.store.Stats`."""
    doc = Html().bold("使用统计")
    doc.text(f"\n提问：{stats.asked} 次")
    doc.text(f"\n已回答：{stats.answered} 次（{stats.answered_share:.0%}）")
    doc.text(f"\n反馈：👍 {stats.helpful} · 👎 {stats.unhelpful}")
    if stats.top_unanswered:
        doc.text("\n\n").bold(top_label)
        for i, (question, count) in enumerate(stats.top_unanswered, 1):
            doc.text(f"\n{i}. {shorten(question, 120)}（{count} 次）")
    return str(doc)


def render_inline(hit: Hit, question: str, limit: int = MAX_MESSAGE, near: bool = False) -> str:
    """The message an inline result sends: the question, the passage, the source; `near`: the
    passage is the closest the knowledge base has, not an answer, and the message says so."""
    # the note first: a long question is shortened in the heading, the note must stay whole
    heading = ("（讲话里没有直接的回答，这是最接近的段落，仅供参考）\n" if near else "") + f"问：{question}"
    return render_answer([hit], heading=heading, limit=limit)


def plain(text: str) -> str:
    """A fixed sentence as HTML (escaped, in case it holds < or &)."""
    return html.escape(text, quote=False)
