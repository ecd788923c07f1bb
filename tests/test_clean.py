"""Cleaning scraped pages: every kind of page furniture, run-together paragraphs, artefacts."""

from pathlib import Path

import pytest
from officebot.retrieval.knowledge import default_knowledge_dir, load_manifest, read_speech_lines

from officebot.library.clean import clean_page

ROOT = Path(__file__).resolve().parent.parent
BODY = "这次会议开得很好。大家要把信息报送工作抓紧抓实，做到第一时间报告。"


@pytest.mark.parametrize(
    "furniture",
    [
        "中词库 / www.zciku.com",
        "来源：网络  作者：心旷神怡  更新时间：2024-08-28",
        "当前位置: 首页 > 学校用文 > 领导讲话 > 某某讲话",
        "docx 2021-09-09 17:47:18 8页",
        "剩余6页未读,查看更多需下载",
    ],
)
def test_furniture_lines_are_dropped(furniture):
    page = clean_page(f"{furniture}\n在某会议上的讲话\n{BODY}\n")
    assert page.paragraphs == [BODY]
    assert furniture in page.dropped


def test_everything_after_related_links_is_dropped():
    page = clean_page(f"在某会议上的讲话\n{BODY}\n相关推荐\n另一篇讲话的标题\n")
    assert page.paragraphs == [BODY]


def test_bookmark_marker_is_removed_from_the_title():
    page = clean_page(f"[bookmark: _Toc1]在某会议上的讲话\n{BODY}\n")
    assert page.title == "在某会议上的讲话"
    assert page.paragraphs == [BODY]


def test_teaser_summary_repeating_the_opening_is_dropped():
    teaser = "在某会议上的讲话" + BODY[:20] + "..."
    page = clean_page(f"在某会议上的讲话\n{teaser}\n在某会议上的讲话\n{BODY}\n")
    assert page.paragraphs == [BODY]


def test_double_spaces_restore_paragraphs_and_stray_commas_go():
    raw = "某讲话\n某讲话  同志们:  第一段话。,  2.第二段话。  第三段话。"
    page = clean_page(raw, title="某讲话")
    assert page.paragraphs == ["同志们:", "第一段话。", "2.第二段话。", "第三段话。"]


def test_line_broken_in_mid_sentence_is_rejoined():
    first = "此时此刻，我想借用" * 6
    raw = f"在某会议上的讲话\n{first}\n“秉烛夜谈”这个词来突出今晚的主题。\n第一，牢牢把握方向\n办公室很重要。"
    page = clean_page(raw)
    assert page.paragraphs[0] == first + "“秉烛夜谈”这个词来突出今晚的主题。"
    assert page.paragraphs[1] == "第一，牢牢把握方向"


def test_date_and_origin_are_read_from_furniture():
    page = clean_page(f"中词库 / www.zciku.com\n来源：网络  更新时间：2024-08-28\n在某会议上的讲话\n{BODY}")
    assert page.date == "2024-08-28"
    assert page.title == "在某会议上的讲话"


def test_knowledge_speeches_are_what_ingestion_makes_of_the_raw_pages():
    """The cleaned speeches are the output of the project's code, not of hand edits."""
    directory = default_knowledge_dir()
    speeches = load_manifest(directory)
    assert len(speeches) >= 2
    import yaml

    raw_of = {s["id"]: s["raw"] for s in yaml.safe_load((directory / "manifest.yaml").read_text("utf-8"))["speeches"]}
    for speech in speeches:
        raw = (directory / raw_of[speech.id]).read_text(encoding="utf-8")
        assert clean_page(raw, title=speech.title).paragraphs == read_speech_lines(directory, speech)


def test_seed_pages_leave_no_furniture_behind():
    directory = default_knowledge_dir()
    text = "\n".join(
        "\n".join(read_speech_lines(directory, s)) for s in load_manifest(directory)
    )
    for junk in ("zciku", "来源：", "更新时间", "当前位置", "剩余", "相关推荐", "bookmark", "docx", "...", "  ", ",  "):
        assert junk not in text, junk
