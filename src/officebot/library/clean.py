"""Turn a scraped web page of a speech into clean paragraphs.

Scraped pages carry page furniture (site names, 来源/作者/更新时间 lines, breadcrumbs,
"docx … 8页", "剩余6页未读", "相关推荐", bookmark markers), a teaser summary that repeats the
opening, paragraphs run together with double spaces, lines broken in mid-sentence and stray ",  "
artefacts. `clean_page` removes all of that and returns what it learnt about the page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from officebot.retrieval.structure import parse_heading

SENTENCE_END = "。！？!?；;…”’」』）)"
_TERMINAL = set(SENTENCE_END) | {"：", ":"}

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_META_KEYS = ("来源", "作者", "更新时间", "发布时间", "发布日期", "时间", "编辑", "责任编辑", "浏览", "阅读", "点击")
_META_LINE = re.compile(
    r"^(?:(?:" + "|".join(_META_KEYS) + r")\s*[:：]\s*\S*\s*)+$"
)
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_SITE_LINE = re.compile(r"(?i)^\S{0,20}\s*[/|｜-]?\s*(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/?$")
_BREADCRUMB = re.compile(r"^(?:当前位置|您的位置|你的位置|当前的位置|位置)\s*[:：]")
_DOC_BANNER = re.compile(r"(?i)^(?:docx?|pdf|pptx?|wps|txt)\b.*?(?:\d+\s*页)\s*$")
_UNREAD = re.compile(r"剩余\s*\d+\s*页未读|查看更多需下载|点击查看全文|展开全文|下载文档|阅读全文")
_TRAILER = re.compile(
    r"^(?:相关推荐|相关文章|相关阅读|猜你喜欢|热门推荐|推荐阅读|上一篇|下一篇|返回顶部|版权所有|免责声明|分享到|本文链接)"
)
_RUN_TOGETHER = re.compile(r"[ \u3000\u00a0]{2,}")
_STRAY_COMMA = re.compile(r"[,，]\s{2,}")
_ELLIPSIS_TAIL = re.compile(r"(?:\.{3,}|…+)\s*$")


@dataclass
class CleanPage:
    """What cleaning found: the speech's paragraphs (headings included, one per item) and metadata."""

    title: str = ""
    date: str = ""
    origin: str = ""
    paragraphs: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # furniture removed, for the ingest report


def _fold_spaces(line: str) -> str:
    return line.replace("\u00a0", " ").replace("\u3000", " ").strip()


def _date_of(line: str) -> str:
    m = _DATE.search(line)
    if not m:
        return ""
    y, mo, d = m.groups()
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"


def _is_sentence_complete(line: str) -> bool:
    return bool(line) and line[-1] in _TERMINAL


def _looks_like_title(line: str) -> bool:
    return 4 <= len(line) <= 60 and not _is_sentence_complete(line) and ("讲话" in line or "发言" in line or "报告" in line)


def clean_page(raw: str, title: str | None = None) -> CleanPage:
    """Clean a scraped page. `title`, when given, overrides the title found on the page."""
    page = CleanPage()
    text = html.unescape(raw.replace("\r\n", "\n").replace("\r", "\n")).lstrip("\ufeff")
    lines = [_fold_spaces(_BOOKMARK.sub("", ln)) for ln in text.split("\n")]

    # Pass 1: drop furniture lines, remember metadata.
    kept: list[str] = []
    for line in lines:
        if not line:
            continue
        if _TRAILER.match(line):
            page.dropped.append(line)
            break  # everything after "相关推荐" and the like belongs to the page, not the speech
        if _BREADCRUMB.match(line):
            page.dropped.append(line)
            crumbs = re.split(r"\s*[>›»/]\s*", re.sub(_BREADCRUMB, "", line).strip())
            if crumbs and not page.title and len(crumbs[-1]) >= 4:
                page.title = crumbs[-1]
            page.origin = page.origin or " > ".join(c for c in crumbs[:-1] if c)
            continue
        if _META_LINE.match(line) or (len(line) < 80 and re.match(r"^(?:来源|作者|更新时间|发布时间)\s*[:：]", line)):
            page.dropped.append(line)
            page.date = page.date or _date_of(line)
            m = re.search(r"来源\s*[:：]\s*(\S+)", line)
            if m and not page.origin:
                page.origin = m.group(1)
            continue
        if _DOC_BANNER.match(line) or (_UNREAD.search(line) and len(line) < 60):
            page.dropped.append(line)
            page.date = page.date or _date_of(line)
            continue
        if _SITE_LINE.match(line) and len(line) <= 60:
            page.dropped.append(line)
            page.origin = page.origin or line
            continue
        kept.append(line)

    # Pass 2: the title. The first title-like line is the title unless one was given.
    if title:
        page.title = title.strip()
        # the document's own title line is not body text, whatever title replaces it
        for i, line in enumerate(kept[:2]):
            if line != page.title and _looks_like_title(line):
                page.dropped.append(kept.pop(i))
                break
    else:
        for line in kept[:4]:
            if _looks_like_title(line):
                page.title = line
                break
    if not page.title and kept:
        first = re.split(r"[。！？!?\s]", kept[0], maxsplit=1)[0]
        page.title = first[:60]

    # Pass 3: split run-together paragraphs, drop title repeats and teaser summaries.
    pieces: list[str] = []
    for line in kept:
        line = _STRAY_COMMA.sub("\n", line)
        pieces.extend(p.strip() for p in _RUN_TOGETHER.split(line.replace("\n", "  ")) if p.strip())
    body: list[str] = []
    for i, piece in enumerate(pieces):
        if page.title and piece == page.title:
            page.dropped.append(piece)
            continue
        if _ELLIPSIS_TAIL.search(piece) and len(piece) < 600:
            stem = _ELLIPSIS_TAIL.sub("", piece)
            if page.title and stem.startswith(page.title):
                stem = stem[len(page.title):]
            following = "".join(pieces[i + 1 : i + 6])
            if stem and stem[:30] in following:
                page.dropped.append(piece)
                continue
        if page.title and piece.startswith(page.title) and len(piece) > len(page.title):
            # a teaser or body that starts by repeating the title without a separator
            rest = piece[len(page.title):]
            if "".join(pieces[i + 1 : i + 3]).startswith(rest[:20]):
                page.dropped.append(piece)
                continue
        body.append(piece)

    # Pass 4: rejoin lines the page broke in mid-sentence (a long line not ending a sentence).
    joined: list[str] = []
    for piece in body:
        prev = joined[-1] if joined else ""
        if prev and len(prev) > 40 and not _is_sentence_complete(prev) and parse_heading(prev) is None:
            joined[-1] = prev + piece
        else:
            joined.append(piece)
    page.paragraphs = [p for p in (re.sub(r"\s+", " ", p).strip(" ,，") for p in joined) if p]
    return page
