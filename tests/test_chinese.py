"""Traditional questions are folded to simplified characters and mainland wording."""

from __future__ import annotations

import pytest
from officebot.retrieval.chinese import REGIONAL_FILE, _regional, to_simplified


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("資訊報送時限是多少", "信息报送时限是多少"),  # Taiwan wording: 资讯 -> 信息
        ("機要保密", "机要保密"),
        ("後勤保障", "后勤保障"),
        ("會議", "会议"),
        ("發文", "发文"),
        ("乾部和幹部", "干部和干部"),  # one simplified character for two traditional ones
        ("網路安全和軟體", "网络安全和软件"),
        ("什麼是忠誠", "什么是忠诚"),
    ],
)
def test_traditional_becomes_simplified(traditional, simplified):
    assert to_simplified(traditional) == simplified


@pytest.mark.parametrize("word", ["執行", "建立", "檔案", "資料", "效能", "開啟", "設定", "程序", "文件", "智慧"])
def test_office_words_are_not_turned_into_software_words(word):
    """OpenCC's tw2sp would give 运行, 创建, 文件, 数据, 性能, 打开, 设置, 进程, 文档, 智能."""
    assert to_simplified(word) == {"執行": "执行", "建立": "建立", "檔案": "档案", "資料": "资料", "效能": "效能",
                   "開啟": "开启", "設定": "设定", "程序": "程序", "文件": "文件", "智慧": "智慧"}[word]


@pytest.mark.parametrize("text", ["信息报送时限是多少", "资讯", "线上会议", "", "abc 123", "😀？", "干部"])
def test_simplified_and_other_text_comes_back_unchanged(text):
    """Regional wording is only changed in traditional questions: a simplified 资讯 is the user's own."""
    assert to_simplified(text) == text


def test_regional_table_is_read_and_well_formed():
    table, longest = _regional()
    assert REGIONAL_FILE.is_file() and len(table) > 100 and longest >= 2
    assert table["资讯"] == "信息" and "执行" not in table and "档案" not in table
    assert all(source != target and "\t" not in target for source, target in table.items())


def test_a_traditional_question_finds_what_the_simplified_one_finds(kb):
    traditional = kb.search("資訊報送時限是多少", 5)
    simplified = kb.search("信息报送时限是多少", 5)
    assert traditional.answered and simplified.answered
    assert [h.passage.id for h in traditional.hits] == [h.passage.id for h in simplified.hits]
    assert [h.score for h in traditional.hits] == [h.score for h in simplified.hits]


@pytest.mark.parametrize(("traditional", "simplified"), [("機要保密工作有哪些要求", "机要保密工作有哪些要求"),
                                                       ("後勤保障怎麼做", "后勤保障怎么做"),
                                                       ("發文要經過哪些環節", "发文要经过哪些环节")])
def test_more_traditional_questions_match_their_simplified_twins(kb, traditional, simplified):
    assert [h.passage.id for h in kb.search(traditional, 3).hits] == [h.passage.id for h in kb.search(simplified, 3).hits]
