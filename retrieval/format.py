"""Plain-text rendering of answers, for the terminal."""

from __future__ import annotations

from .types import Answer, Hit


def source_line(hit: Hit) -> str:
    p = hit.passage
    parts = [f"《{p.title}》"]
    if p.section:
        parts.append(p.section_label)
    if p.date:
        parts.append(p.date)
    parts.append(f"第{p.paragraph}段")
    return " · ".join(parts)


def mark_highlight(text: str, highlight: str, left: str = "【", right: str = "】") -> str:
    if highlight and highlight in text:
        return text.replace(highlight, f"{left}{highlight}{right}", 1)
    return text


def format_answer(answer: Answer) -> str:
    """A readable answer: the passages with the key sentence marked, or an honest 'not found'."""
    lines: list[str] = []
    if not answer.answered:
        lines.append(f"没有找到能回答“{answer.query}”的讲话内容。" if answer.query else "请输入一个问题。")
        if answer.near and answer.hits:  # not the answer: the closest passage, said to be so
            hit = answer.hits[0]
            lines += ["", "最接近的一段（未必回答了这个问题，仅供参考）：", source_line(hit),
                      mark_highlight(hit.passage.text, hit.highlight), ""]
        if answer.suggestions:
            lines.append("知识库涉及的话题，例如：" + "；".join(answer.suggestions))
        return "\n".join(lines)
    for hit in answer.hits:
        lines.append(f"[{hit.rank}] {source_line(hit)}")
        lines.append(mark_highlight(hit.passage.text, hit.highlight))
        lines.append("")
    return "\n".join(lines).rstrip()
