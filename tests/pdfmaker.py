"""Chinese speech PDFs made on the spot (reportlab's built-in CID font: no font file, no network),
laid out like a government document: a running header, a page number at the foot of each page,
headings, paragraphs wrapped over several lines."""

from __future__ import annotations

import io

HEADER = "某市委办公室文件汇编"
_SENTENCES = [
    "办公室工作要坚持高标准、严要求，做到文稿精、办事实、服务优。",
    "紧急信息要在半小时内电话报告、一小时内书面报告，不得迟报、漏报、瞒报。",
    "公文处理要规范流程，做到收文及时登记、办文严格审核、发文准确无误。",
    "会务工作要精心筹备，会前周密安排，会中严密组织，会后及时督办落实。",
    "机要保密工作要做到事以密成、语以泄败，涉密文件一律专人专柜保管。",
]


def speech_paragraphs(n: int = 12) -> list[str]:
    """Headings and paragraphs of a made-up speech (headings start with 一、二、…)."""
    numerals = "一二三四五六七八九十"
    out: list[str] = []
    for i in range(n):
        if i % 4 == 0:
            out.append(f"{numerals[(i // 4) % 10]}、要把第{i // 4 + 1}项工作抓实抓细")
        out.append("".join(_SENTENCES[(i + j) % len(_SENTENCES)] for j in range(3)) + f"第{i + 1}段到此为止。")
    return out


def make_speech_pdf(title: str, paragraphs: list[str], chars_per_line: int = 30, lines_per_page: int = 30) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(595, 842))
    lines: list[tuple[str, int]] = [(title, 16), ("", 12)]
    for paragraph in paragraphs:
        text = "\u3000\u3000" + paragraph
        lines.extend((text[i : i + chars_per_line], 12) for i in range(0, len(text), chars_per_line))
    for page, start in enumerate(range(0, len(lines), lines_per_page), 1):
        pdf.setFont("STSong-Light", 9)
        pdf.drawCentredString(297, 810, HEADER)
        pdf.drawCentredString(297, 30, f"- {page} -")
        y = 780
        for text, size in lines[start : start + lines_per_page]:
            pdf.setFont("STSong-Light", size)
            if size > 12:
                pdf.drawCentredString(297, y, text)
            else:
                pdf.drawString(60, y, text)
            y -= 24
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_scanned_pdf(pages: int = 2) -> bytes:
    """A PDF like a scan: pages with graphics only, no text layer."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(595, 842))
    for _ in range(pages):
        for y in range(100, 760, 24):
            pdf.rect(60, y, 470, 10, fill=1)  # lines of "text" as a scanner sees them: ink
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
