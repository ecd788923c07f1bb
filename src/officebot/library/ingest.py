"""Adding a speech to the library: read, clean, check (`prepare`), then write (`commit`).

`prepare` reads the file (formats.py), cleans it (clean.py) and checks it against the speeches
already there by their stored fingerprints (the manifests' sha1: no speech is re-read), and
returns an `IngestReport` without writing anything: the CLI's --dry-run and the bot's preview
before 导入 are that report. `commit` writes it into the library (`Library.add_speech`), which
reads the knowledge back and undoes the change if it does not load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from officebot.library.clean import clean_page
from officebot.library.formats import IngestError, read_source
from officebot.library.layers import Change, Layers, Library, LibraryError, Source, fingerprint, read_sources
from officebot.retrieval.knowledge import KnowledgeError, valid_date
from officebot.retrieval.structure import build_paragraphs, split_passages
from officebot.retrieval.types import Speech

__all__ = ["IngestError", "IngestReport", "commit", "ingest_file", "prepare"]

MIN_CHARS = 80  # a speech shorter than this after cleaning is not a speech
_TITLE_PARTS = re.compile(r"^(?P<speaker>.*?)在(?P<occasion>.+?)(?:上|中)的(?:讲话|发言|报告|致辞)")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,60}$")


@dataclass
class IngestReport:
    speech: Speech
    paragraphs: int
    headings: list[tuple[int, str]]
    passages: int
    lines: list[str] = field(default_factory=list)  # the cleaned text, one paragraph or heading a line
    dropped: list[str] = field(default_factory=list)
    date_note: str = ""
    replaces: str | None = None  # id of the speech this one takes the place of
    warnings: list[str] = field(default_factory=list)
    raw: bytes = field(default=b"", repr=False)
    raw_suffix: str = ".txt"
    written: list[Path] = field(default_factory=list)

    @property
    def first_lines(self) -> list[str]:
        return [line for line in self.lines if line][:3]


def check_date(date: str | None) -> None:
    if date and not valid_date(date):
        raise IngestError(f"日期“{date}”不对：应为 YYYY-MM-DD（或 YYYY、YYYY-MM）的真实日期，如 2023-05-06")


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


def prepare(
    name: str,
    data: bytes,
    sources: list[Source],
    *,
    title: str | None = None,
    date: str | None = None,
    speech_id: str | None = None,
    speaker: str | None = None,
    occasion: str | None = None,
    origin: str | None = None,
    replace: str | None = None,
) -> IngestReport:
    """Read and clean a speech and check it against `sources`; writes nothing."""
    check_date(date)
    if speech_id is not None and not _ID.fullmatch(speech_id):
        raise IngestError(f"编号只能用小写字母、数字和连字符（2–61 个字符），收到：{speech_id}")
    by_id = {s.speech.id: s for s in sources}
    if replace is not None and replace not in by_id:
        raise IngestError(f"没有编号为 {replace} 的讲话，无法替换（office-bot sources 可查看全部编号）")
    if replace and speech_id and speech_id != replace:
        raise IngestError("--replace 保留原编号，不能同时用 --id 指定新编号")

    page = clean_page(read_source(name, data), title=title)
    body = [p for p in page.paragraphs if p]
    total = sum(len(p) for p in body)
    if total < MIN_CHARS:
        raise IngestError(f"{name}：清理后只剩 {total} 个字，不像一篇讲话，未导入")
    if replace and not title and not page.title:
        page.title = by_id[replace].speech.title
    if not page.title:
        raise IngestError(f"{name}：找不到标题，请指定标题（命令行 --title，机器人里在说明中写“标题：…”）")

    sha1 = fingerprint(body)
    for s in sources:
        if s.sha1 == sha1 and s.speech.id != replace:
            raise IngestError(
                f"已有内容相同的讲话《{s.speech.title}》（编号：{s.speech.id}），未导入；"
                f"要改它的标题或日期，请用 office-bot ingest 文件 --replace {s.speech.id} --title … --date …"
            )
    sid = replace or speech_id or "speech-" + sha1[:8]
    if sid in by_id and sid != replace:
        if speech_id:
            raise IngestError(f"编号“{sid}”已被占用，请换一个")
        sid = "speech-" + sha1[:12]
    warnings = [
        f"已有同名讲话《{s.speech.title}》（编号：{s.speech.id}），内容不同，将作为另一篇导入"
        for s in sources if s.speech.title == page.title and s.speech.id != replace
    ]

    parts = _TITLE_PARTS.match(page.title)
    old = by_id[replace].speech if replace else None
    if replace and not date and old and old.date and page.title == old.title:
        date, date_note = old.date, "沿用原日期"
    else:
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
    suffix = Path(name).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,6}", suffix or "") else ".txt"
    return IngestReport(
        speech, len(paragraphs), headings, len(passages), body, page.dropped, date_note, replace, warnings,
        data, suffix,
    )


def commit(report: IngestReport, layers: Layers) -> Change:
    """Write a prepared speech into the library; LibraryError (nothing changed) if it cannot be."""
    library = Library(layers)
    change = library.add_speech(
        report.speech, report.lines, report.raw, report.raw_suffix, {"date_note": report.date_note},
        replace=report.replaces,
    )
    report.written = [layers.library / report.speech.file, layers.library / f"raw/{report.speech.id}{report.raw_suffix}"]
    return change


def ingest_file(
    source: Path,
    layers: Layers | Path,
    *,
    dry_run: bool = False,
    sources: list[Source] | None = None,
    **options,
) -> IngestReport:
    """Clean `source` and add it to the library (or a standalone directory given as a Path);
    IngestError leaves everything as it was."""
    layers = layers if isinstance(layers, Layers) else Layers.standalone(layers)
    source = Path(source)
    if not source.is_file():
        raise IngestError(f"{source}：文件不存在")
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise IngestError(f"{source}：读不了文件（{exc.strerror or exc}）") from None
    try:
        if not dry_run:
            layers.check_writable()
        known = sources if sources is not None else read_sources(layers)
    except KnowledgeError as exc:
        raise IngestError(f"现有知识库有错误，请先修正：\n{exc}") from None
    except LibraryError as exc:
        raise IngestError(str(exc)) from None
    report = prepare(source.name, data, known, **options)
    if not dry_run:
        try:
            commit(report, layers)
        except LibraryError as exc:
            raise IngestError(str(exc)) from None
    return report
