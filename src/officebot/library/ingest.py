"""Adding a speech to the knowledge directory: read, clean, check, then write.

Nothing is written until the new speech has passed every check, and then the manifest is
appended to (its comments survive) and the cleaned text and the original are saved beside it.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

from officebot.library.clean import clean_page
from officebot.retrieval.knowledge import MANIFEST, KnowledgeError, load_manifest, read_speech_lines
from officebot.retrieval.structure import build_paragraphs, split_passages
from officebot.retrieval.types import Speech

MIN_CHARS = 80  # a speech shorter than this after cleaning is not a speech
_TITLE_PARTS = re.compile(r"^(?P<speaker>.*?)在(?P<occasion>.+?)(?:上|中)的(?:讲话|发言|报告|致辞)")


class IngestError(Exception):
    """Why a file was not added; the knowledge directory is unchanged."""


@dataclass
class IngestReport:
    speech: Speech
    paragraphs: int
    headings: list[tuple[int, str]]
    passages: int
    dropped: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


class _TextOfHtml(HTMLParser):
    _BLOCK = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "title"})
    _SKIP = frozenset({"script", "style", "noscript", "nav", "footer", "header", "aside", "form"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def _decode(data: bytes, path: Path) -> str:
    if not data.strip():
        raise IngestError(f"{path}：文件是空的")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(f"{path}：这是二进制文件，不是文本（支持 .txt、.html 网页和 .docx）")
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError(f"{path}：无法识别文字编码（请另存为 UTF-8 文本后再导入）")


def read_source(path: Path) -> str:
    """The text of a .txt, saved web page (.html/.htm/.mhtml) or .docx file."""
    if not path.is_file():
        raise IngestError(f"{path}：文件不存在")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".docx":
        try:
            from io import BytesIO

            import docx  # python-docx

            document = docx.Document(BytesIO(data))
        except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a corrupt file
            raise IngestError(f"{path}：无法读取 Word 文档（{type(exc).__name__}）") from None
        return "\n".join(p.text for p in document.paragraphs)
    text = _decode(data, path)
    if suffix in {".html", ".htm", ".mhtml", ".xhtml"} or re.search(r"(?is)<(html|body|p|div)\b", text[:5000]):
        text = html_to_text(text)
    return text


def _speech_date(given: str | None, title: str, page_date: str) -> tuple[str, str]:
    """The speech's date and where it comes from. A page's date is when it was posted, not when
    the speech was given, so a year in the title ("2021年全市…会议") wins over it."""
    if given:
        return given, "导入时指定"
    year = re.search(r"(?<!\d)((?:19|20)\d{2})年", title)
    if year:
        note = f"标题中的年份（网页日期 {page_date}）" if page_date else "标题中的年份"
        return year.group(1), note
    if page_date:
        return page_date, "网页发布或更新日期，讲话日期未注明"
    return "", "未注明"


def _speech_id(title: str, text: str, taken: set[str]) -> str:
    base = "speech-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return base if base not in taken else base + "-2"


def ingest_file(
    source: Path,
    directory: Path,
    *,
    title: str | None = None,
    date: str | None = None,
    speech_id: str | None = None,
    speaker: str | None = None,
    occasion: str | None = None,
    origin: str | None = None,
    dry_run: bool = False,
) -> IngestReport:
    """Clean `source` and add it to the knowledge directory; IngestError leaves it untouched."""
    source = Path(source)
    directory = Path(directory)
    if not directory.is_dir():
        raise IngestError(f"{directory}：知识库目录不存在")
    if date and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        raise IngestError(f"日期格式应为 YYYY-MM-DD（或 YYYY、YYYY-MM），收到：{date}")
    if speech_id is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,60}", speech_id):
        raise IngestError(f"id 只能用小写字母、数字和连字符（2–61 个字符），收到：{speech_id}")
    try:
        existing = load_manifest(directory)
    except KnowledgeError as exc:
        raise IngestError(f"现有知识库有错误，请先修正：{exc}") from None

    page = clean_page(read_source(source), title=title)
    body = [p for p in page.paragraphs if p]
    total = sum(len(p) for p in body)
    if total < MIN_CHARS:
        raise IngestError(f"{source}：清理后只剩 {total} 个字，不像一篇讲话，未导入")
    if not page.title:
        raise IngestError(f"{source}：找不到标题，请用 --title 指定")

    cleaned = "\n\n".join(body) + "\n"
    digest = hashlib.sha1(cleaned.encode("utf-8")).hexdigest()
    taken = {s.id for s in existing}
    for s in existing:
        if s.title == page.title:
            raise IngestError(f"知识库里已有同名讲话《{s.title}》（id: {s.id}），未导入")
        other = "\n\n".join(read_speech_lines(directory, s)) + "\n"
        if hashlib.sha1(other.encode("utf-8")).hexdigest() == digest:
            raise IngestError(f"知识库里已有内容相同的讲话《{s.title}》（id: {s.id}），未导入")
    sid = speech_id or _speech_id(page.title, cleaned, taken)
    if sid in taken:
        raise IngestError(f"id “{sid}”已被占用，请换一个")

    parts = _TITLE_PARTS.match(page.title)
    date, date_note = _speech_date(date, page.title, page.date)
    speech = Speech(
        id=sid,
        title=page.title,
        date=date,
        speaker=speaker if speaker is not None else (parts.group("speaker") if parts else ""),
        occasion=occasion if occasion is not None else (parts.group("occasion") if parts else ""),
        origin=origin if origin is not None else page.origin,
        file=f"speeches/{sid}.txt",
    )
    paragraphs, headings = build_paragraphs(sid, body)
    passages = split_passages(paragraphs, speech.title, speech.date)
    report = IngestReport(speech, len(paragraphs), headings, len(passages), page.dropped)
    if dry_run:
        return report

    raw_name = f"raw/{sid}{source.suffix.lower() or '.txt'}"
    entry = {
        "id": speech.id,
        "title": speech.title,
        "speaker": speech.speaker,
        "occasion": speech.occasion,
        "date": speech.date,
        "date_note": date_note,
        "origin": speech.origin,
        "file": speech.file,
        "raw": raw_name,
    }
    manifest = directory / MANIFEST
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000)
    block = "\n".join("  " + line if line else line for line in block.splitlines()) + "\n"
    original = manifest.read_text(encoding="utf-8") if manifest.is_file() else None
    old = original or ""
    if not old.strip() or not re.search(r"(?m)^speeches:", old):
        old = old + ("" if not old or old.endswith("\n") else "\n") + "speeches:\n"
    elif not old.endswith("\n"):
        old += "\n"
    if re.search(r"(?m)^speeches:\s*\[\s*\]\s*$", old):
        old = re.sub(r"(?m)^speeches:\s*\[\s*\]\s*$", "speeches:", old)

    targets = {
        directory / speech.file: cleaned.encode("utf-8"),
        directory / raw_name: source.read_bytes(),
        manifest: (old + block).encode("utf-8"),
    }
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".ingest-")
            with open(fd, "wb") as fh:
                fh.write(data)
            staged.append((Path(tmp), target))
        for tmp, target in staged:
            tmp.replace(target)
            report.written.append(target)
        load_manifest(directory)  # what we wrote must load
    except Exception:
        for target in report.written:
            if target == manifest and original is not None:
                manifest.write_text(original, encoding="utf-8")
            else:
                target.unlink(missing_ok=True)
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    return report
