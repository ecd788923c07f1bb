"""Reading a speech out of the file a trainer has: text in any common Chinese encoding, a saved
web page, a Word .docx, or a PDF with a text layer.

`read_source(name, data)` returns the text with one paragraph (or heading) a line as far as the
format tells; `clean.clean_page` does the rest. Every refusal is an `IngestError` that says what to
do instead: a scanned PDF, an old Word .doc or a WPS .wps is to be saved as .docx first.

PDF: pypdf (BSD, pure Python). benchmarks/pdf_extract.py measured it against pdfminer.six,
pdfplumber, pypdfium2 and PyMuPDF on generated Chinese PDFs: all recover the text alike; pypdf
takes ~12 ms a page, needs no binary wheel, and PyMuPDF's AGPL rules it out.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from html.parser import HTMLParser

SUPPORTED = "支持 .txt（UTF-8、GBK/GB18030、UTF-16）、网页 .html、Word .docx 和有文字层的 .pdf"
CONVERT = "请用 Word 或 WPS 打开，“另存为” .docx 格式后再发送"
MAX_BYTES = 20 * 1024 * 1024  # the Bot API's download limit; a speech is far smaller
_SENTENCE_END = "。！？!?；;…”’」』）)：:"
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－_·\s]*\d{1,4}[-—–－_·\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page\s*)?\d{1,4}\s*(?:of\s*\d{1,4})?)$",
    re.IGNORECASE,
)


class IngestError(Exception):
    """Why a file was not added; the knowledge is unchanged."""


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


def decode_text(data: bytes, name: str) -> str:
    """Text in UTF-8 (with or without BOM), UTF-16 (with BOM) or GB18030 (which covers GBK and
    GB2312); anything else is an IngestError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise IngestError(f"{name}：无法识别文字编码（像 UTF-16 文本，但已损坏）；请另存为 UTF-8 文本后再导入") from None
    if b"\x00" in data[:4096]:
        for encoding in ("utf-16-le", "utf-16-be"):  # UTF-16 saved without a BOM
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _mostly_chinese(text) and any("\u4e00" <= ch <= "\u9fff" for ch in text[:2000]):
                return text
        raise IngestError(f"{name}：这是二进制文件，不是文本（{SUPPORTED}）")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and not _mostly_chinese(text):
            break  # any byte string decodes as GB18030; mojibake is not a speech
        return text
    raise IngestError(f"{name}：无法识别文字编码（请另存为 UTF-8 文本后再导入）")


def _mostly_chinese(text: str) -> bool:
    letters = [ch for ch in text if not ch.isspace() and not ch.isascii()]
    if not letters:
        return True
    common = sum(1 for ch in letters if "\u4e00" <= ch <= "\u9fff" or ch in "，。、；：？！“”‘’（）《》—…·")
    return common >= 0.8 * len(letters)


def docx_text(data: bytes, name: str) -> str:
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a corrupt file
        raise IngestError(f"{name}：无法读取 Word 文档（{type(exc).__name__}），文件可能已损坏；{CONVERT}") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:  # some offices lay speeches out in a one-cell table
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def pdf_pages(data: bytes, name: str) -> list[str]:
    """The text of every page of a PDF, as pypdf lays it out (one printed line a line)."""
    import logging

    import pypdf
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # it warns about every odd object
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:  # noqa: BLE001 - any failure means a password is needed
                raise IngestError(f"{name}：PDF 设了密码，无法读取；请去掉密码或{CONVERT}") from None
        return [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise IngestError(f"{name}：PDF 文件已损坏，无法读取（{type(exc).__name__}）；{CONVERT}") from None


def _page_furniture(pages: list[list[str]]) -> set[str]:
    """Lines that stand at the top or foot of most pages (running headers and footers), with
    their digits blanked so that "2023年第3期" and "2023年第4期" count as one."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = {_digitless(x) for x in lines[:2] + lines[-2:]}
        counts.update(edge)
    return {line for line, n in counts.items() if n >= max(2, len(pages) * 0.5) and len(line) <= 60}


def _digitless(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def pdf_text(data: bytes, name: str) -> str:
    """A PDF's text as paragraphs, one a line: page numbers, running headers and footers dropped,
    lines that the page broke rejoined (a line continues when it runs to the full width and the
    next one is not indented, or when it stops mid-sentence before a full-width line)."""
    pages = [[x.rstrip() for x in page.splitlines() if x.strip()] for page in pdf_pages(data, name)]
    chars = sum(len(re.sub(r"\s", "", x)) for page in pages for x in page)
    if chars < 20:
        raise IngestError(
            f"{name}：这个 PDF 没有文字层（可能是扫描件或图片），无法提取文字；"
            "请先用 WPS 或 Word 的“PDF 转 Word”/文字识别（OCR）功能转换，核对后另存为 .docx 再发送"
        )
    furniture = _page_furniture(pages)
    lines: list[str] = []
    for page in pages:
        for line in page:
            squashed = re.sub(r"\s+", "", line)
            if _PAGE_NUMBER.match(squashed) or _digitless(line) in furniture:
                continue
            lines.append(line)
    if not lines:
        return ""
    widths = Counter(len(x.strip()) for x in lines if len(x.strip()) >= 10)
    full = max(widths, key=lambda w: (widths[w], w)) if widths else 0
    out: list[str] = []
    last_len = 0  # printed width of the last line joined into out[-1]
    for line in lines:
        indented = line[:1] in (" ", "\u3000", "\t")
        text = line.strip()
        if out and not indented and not _starts_block(text):
            prev = out[-1]
            prev_full = full and last_len >= full - 2
            if prev_full or (prev[-1] not in _SENTENCE_END and len(text) >= full - 2 and not _starts_block(prev)):
                out[-1] = prev + text
                last_len = len(text)
                continue
        out.append(text)
        last_len = len(line.rstrip())
    return "\n".join(out)


def _starts_block(text: str) -> bool:
    from officebot.retrieval.structure import parse_heading

    return parse_heading(text) is not None


def read_source(name: str, data: bytes) -> str:
    """The text of a .txt, saved web page (.html/.htm/.mhtml), .docx or .pdf file, judged by its
    content as much as by its name; .doc, .wps and other binaries get a message saying how to
    convert them."""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if not data.strip():
        raise IngestError(f"{name}：文件是空的")
    if len(data) > MAX_BYTES:
        raise IngestError(f"{name}：文件太大（{len(data) // 1024 // 1024} MB），一篇讲话不会超过 20 MB")
    if data.startswith(b"%PDF") or suffix == ".pdf":
        if not data.lstrip()[:5].startswith(b"%PDF"):
            raise IngestError(f"{name}：扩展名是 .pdf，内容却不是 PDF；{CONVERT}")
        return pdf_text(data, name)
    if data.startswith(b"\xd0\xcf\x11\xe0") or suffix in (".doc", ".wps", ".et", ".dps"):
        kind = "WPS 文档（.wps）" if suffix == ".wps" else "旧版 Word 文档（.doc）"
        raise IngestError(f"{name}：{kind}无法直接读取；{CONVERT}")
    if data.startswith(b"PK\x03\x04") or suffix == ".docx":
        if suffix not in (".docx", "") and b"word/" not in data[:4096]:
            raise IngestError(f"{name}：这是压缩包，不是讲话（{SUPPORTED}）")
        return docx_text(data, name)
    text = decode_text(data, name)
    if suffix in {".html", ".htm", ".mhtml", ".xhtml", ".shtml"} or re.search(r"(?is)<(html|body|p|div)\b", text[:5000]):
        text = html_to_text(text)
    return text
