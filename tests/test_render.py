"""HTML rendering: escaping, the key sentence in bold, and Telegram's 4096-character limit.

The oracle is the fake Bot API's port of Telegram's own HTML parser and text clean-up: whatever
render produces must parse there, and stay within the limit as Telegram counts it.
"""

from __future__ import annotations

import pytest
from botapi.server import fix_formatted_text, parse_html
from hypothesis import given, settings
from hypothesis import strategies as st
from officebot.retrieval import Hit, Passage, Speech

from officebot.bot import render
from officebot.bot.store import Stats

NASTY = "<b>&amp;</b> & < > \" ' &lt; &#x27; <script>alert(1)</script> 😀👨‍👩‍👧 \u200b"


def passage(text: str, *, id: int = 1, title: str = "在全区党政办公室主任会议上的讲话", section=("第二，全力围绕中心服务大局", "二是信息处理要“快”")) -> Passage:
    return Passage(id, "doc", title, "2024-08-28", tuple(section), 14, 0, text)


def hit(text: str, highlight: str, rank: int = 1, **kw) -> Hit:
    return Hit(rank, 1.0, passage(text, id=rank, **kw), highlight)


def telegram(message_html: str) -> tuple[str, list[dict]]:
    """What Telegram makes of the message: (text, entities); raises if it would reject it."""
    text, entities = parse_html(message_html, strict_ampersand=True)
    return fix_formatted_text(text, entities, max_length=4096)


def bold_texts(message_html: str) -> list[str]:
    text, entities = telegram(message_html)
    units = text.encode("utf-16-le")  # entity offsets count UTF-16 code units
    return [
        units[2 * e["offset"]: 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in entities if e["type"] == "bold"
    ]


KEY = "凡是发生在本地区、本单位范围内的重大突发性事件，半小时内电话报告给区委办信息室，一小时内书面报告。"


def test_key_sentence_is_bold_and_source_follows():
    html = render.render_answer([hit("在网络时代，要第一时间报送信息。" + KEY + "绝不能迟报。", KEY)])
    text, _ = telegram(html)
    assert KEY in bold_texts(html)
    assert "—— 《在全区党政办公室主任会议上的讲话》 · 第二，全力围绕中心服务大局 › 二是信息处理要“快” · 2024-08-28" in text


def test_up_to_two_more_passages_in_brief():
    hits = [hit("正文" + KEY, KEY)] + [hit("其他段落" * 100, "其他段落" * 100, rank=r) for r in (2, 3, 4)]
    text, _ = telegram(render.render_answer(hits))
    assert "2. " in text and "3. " in text and "4. " not in text
    brief = next(line for line in text.splitlines() if line.startswith("2. "))
    assert len(brief) <= render.BRIEF_CHARS + 3 and brief.endswith("…")


@pytest.mark.parametrize("where", ["text", "highlight", "title", "section", "heading"])
def test_everything_is_escaped(where):
    values = {"text": "前文" + KEY, "highlight": KEY, "title": "标题", "section": ("一节",), "heading": ""}
    values[where] = NASTY if where != "section" else (NASTY,)
    if where == "text":
        values["text"] = NASTY + KEY
    if where == "highlight":
        values["text"], values["highlight"] = "前文" + NASTY, NASTY
    html = render.render_answer(
        [hit(values["text"], values["highlight"], title=values["title"], section=values["section"])],
        heading=values["heading"],
    )
    text, entities = telegram(html)
    assert NASTY.strip().replace("\u200b", "") in text.replace("\u200b", "")
    assert {e["type"] for e in entities} <= {"bold", "italic", "url", "mention", "hashtag"}


def test_very_long_passage_is_trimmed_around_the_key_sentence():
    before, after = "前" * 6000, "后" * 6000
    html = render.render_answer([hit(before + KEY + after, KEY), hit("二" * 5000, "二" * 5000, rank=2)])
    text, _ = telegram(html)  # would raise "message is too long"
    assert render.units(text) <= 4096
    assert KEY in bold_texts(html)
    assert "…" + "前" in text and "后" * 10 + "…" in text
    assert "《在全区党政办公室主任会议上的讲话》" in text


def test_very_long_key_sentence_is_cut_inside_the_bold_not_across_it():
    key = "😀重" * 5000
    html = render.render_answer([hit("开头" + key + "结尾", key)])
    assert html.count("<b>") == html.count("</b>") == 1
    text, _ = telegram(html)
    assert render.units(text) <= 4096
    bold = bold_texts(html)[0]
    assert bold.endswith("…") and bold.startswith("😀重")


def test_limit_counts_utf16_like_telegram():
    emoji = "😀" * 3000  # 3000 characters, 6000 UTF-16 units
    html = render.render_answer([hit(emoji, emoji)])
    text, _ = telegram(html)
    assert render.units(text) <= 4096
    assert render.telegram_length(html) == render.units(text)


def test_entities_count_as_one_character():
    html = render.render_answer([hit("&" * 3000 + KEY, KEY)])
    assert len(html) > 4096 + 4000  # "&amp;" is five characters of HTML, one of text
    text, _ = telegram(html)
    assert text.count("&") == 3000


def test_lone_surrogates_and_control_characters_are_dropped():
    assert render.clean_text("a\ud83db\x00c\x07d\ne") == "abcd\ne"
    telegram(render.render_not_found("问\ud800题\x00", True))


def test_shorten():
    assert render.shorten("abc", 3) == "abc"
    assert render.shorten("abcdef", 4) == "abc…"
    assert render.shorten("😀😀😀", 4) == "😀…"
    assert render.shorten("abc", 0) == ""


def test_context_sources_stats_help_start_are_valid():
    ps = [passage("上一段" * 500, id=1), passage("<本段>" * 800, id=2), passage("下一段&" * 500, id=3)]
    html = render.render_context(ps, 2)
    text, _ = telegram(html)
    assert "<本段>" in bold_texts(html)[-1]
    speeches = [Speech(f"s{i}", "标题<" * 30, "2024-01-01", "讲话人&", "会议") for i in range(200)]
    telegram(render.render_sources(speeches, {"s1": 3}))
    stats = Stats(10, 7, [(NASTY * 20, 3), ("问题", 1)], 2, 1)
    text, _ = telegram(render.render_stats(stats))
    assert "70%" in text and "👍 2 · 👎 1" in text
    text, _ = telegram(render.render_help([("ask", "提问 <问题> & 更多")], "office_bot"))
    assert "/ask — 提问 <问题> & 更多" in text
    telegram(render.render_start(NASTY))
    telegram(render.render_start(""))


@settings(max_examples=150, deadline=None)
@given(
    before=st.text(max_size=3000),
    key=st.text(min_size=0, max_size=3000),
    after=st.text(max_size=3000),
    others=st.lists(st.text(min_size=1, max_size=500), max_size=3),
    heading=st.text(max_size=300),
)
def test_any_answer_is_valid_telegram_html(before, key, after, others, heading):
    hits = [hit(before + key + after, key)] + [hit(o, o, rank=i + 2) for i, o in enumerate(others)]
    html = render.render_answer(hits, heading=heading)
    if not render.clean_text(before + key + after + heading).strip() and not hits[1:]:
        return  # nothing visible but the source line, which is still valid
    text, _ = telegram(html)
    assert render.units(text) <= 4096
    assert html.count("<b>") == html.count("</b>")


def test_not_found_with_a_near_passage_points_to_its_button():
    from officebot.bot.render import render_not_found

    plain = render_not_found("单位公章由谁保管", True)
    assert "最接近" not in plain and "话题" in plain
    near = render_not_found("单位公章由谁保管", True, near=True)
    assert near.startswith("没有在讲话中找到") and "“最接近的段落”" in near and near.endswith("或点下面的话题。")
    assert render_not_found("单位公章由谁保管", False, near=True).endswith("换个说法再问。")


def test_an_inline_near_miss_keeps_its_note_whatever_the_question(kb):
    from officebot.bot.render import render_inline

    hit = kb.search("信息报送时限是多少", 1).hits[0]
    for question in ("信息报送", "问" * 300):
        text = render_inline(hit, question, near=True)
        assert text.startswith("<i>（讲话里没有直接的回答，这是最接近的段落，仅供参考）"), text[:60]
        assert "仅供参考" not in render_inline(hit, question)
