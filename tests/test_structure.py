"""Heading detection, section paths and passage invariants."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from officebot.retrieval.structure import build_paragraphs, parse_heading, split_passages, split_sentences


@pytest.mark.parametrize(
    "line, label, inline",
    [
        ("第一，牢牢把握正确工作方向", "第一，牢牢把握正确工作方向", False),
        ("一、要大气谋事", "一、要大气谋事", False),
        ("（二）加强信息报送", "（二）加强信息报送", False),
        ("一是要绝对忠诚。", "一是要绝对忠诚", False),
        ("二是信息处理要“快”。", "二是信息处理要“快”", False),
        ("一要加强学习持恒心。一个人最大的靠山是自己，最大的资本是能力。", "一要加强学习持恒心", True),
        ("1.情况要明。千难万难,实事求是最难。", "1.情况要明", True),
        ("2.要相互尊重。人与人之间的交往,是建立在相互尊重的基础上的。", "2.要相互尊重", True),
    ],
)
def test_headings_are_recognised(line, label, inline):
    heading = parse_heading(line)
    assert heading is not None
    assert (heading.label, heading.inline) == (label, inline)


@pytest.mark.parametrize(
    "line",
    [
        "这次会议，是经区委区政府同意召开的一次十分重要的会议。",
        "一方面大家工作很辛苦，另一方面事务繁杂。",
        "一个人最大的靠山是自己。",
        "1%的疏忽会导致100%的失败。",
        "2021年是很不平凡的一年。",
        "同志们:",
    ],
)
def test_ordinary_lines_are_not_headings(line):
    assert parse_heading(line) is None


def test_section_paths_follow_the_marker_hierarchy():
    lines = [
        "开场白一段。",
        "第一，牢牢把握正确工作方向",
        "一是要绝对忠诚。",
        "忠诚的一段。",
        "二是要坚决服从。",
        "服从的一段。",
        "第二，全力围绕中心服务大局",
        "大局的一段。",
    ]
    paragraphs, headings = build_paragraphs("d", lines)
    assert [p.section for p in paragraphs] == [
        (),
        ("第一，牢牢把握正确工作方向", "一是要绝对忠诚"),
        ("第一，牢牢把握正确工作方向", "二是要坚决服从"),
        ("第二，全力围绕中心服务大局",),
    ]
    assert [level for level, _ in headings] == [0, 1, 1, 0]
    assert [p.number for p in paragraphs] == [1, 2, 3, 4]


def test_inline_heading_keeps_its_paragraph_text():
    paragraphs, _ = build_paragraphs("d", ["一、要大气谋事", "1.情况要明。千难万难,实事求是最难。"])
    assert paragraphs[0].text == "1.情况要明。千难万难,实事求是最难。"
    assert paragraphs[0].section == ("一、要大气谋事", "1.情况要明")


def test_sentences_join_back_to_the_text():
    text = "第一句。第二句！“引号里的话。”第三句？没有句号的尾巴"
    assert "".join(split_sentences(text)) == text
    assert split_sentences(text)[2] == "“引号里的话。”"


sentence = st.text(alphabet="信息报送工作要快准实办文办会，、", min_size=1, max_size=120).map(lambda s: s + "。")
paragraph_text = st.lists(sentence, min_size=1, max_size=12).map("".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), paragraph_text), min_size=1, max_size=8), st.integers(60, 400))
def test_passage_invariants(items, limit):
    lines = []
    for i, (heading, text) in enumerate(items):
        if heading:
            lines.append(f"{i + 1}.小节{i}")
        lines.append(text)
    paragraphs, _ = build_paragraphs("d", lines)
    passages = split_passages(paragraphs, "标题", "2024-01-01", limit=limit)
    assert all(p.text for p in passages)
    assert all(len(p.text) <= limit for p in passages)
    # passages cover the text: in order, nothing lost or repeated (a carried short paragraph is
    # joined to the next with a line break)
    assert "".join(p.text.replace("\n", "") for p in passages) == "".join(p.text for p in paragraphs)
    # never crossing a section
    for p in passages:
        owners = [para for para in paragraphs if para.number == p.paragraph]
        assert owners and owners[0].section == p.section
    assert [p.id for p in passages] == list(range(len(passages)))


def test_closing_address_leaves_the_last_section():
    lines = ["同志们：", "开场。", "一、要大气谋事", "谋事的一段。", "同志们，办公室工作光荣而艰巨。"]
    paragraphs, _ = build_paragraphs("d", lines)
    assert [p.section for p in paragraphs] == [(), (), ("一、要大气谋事",), ()]
