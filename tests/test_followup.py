"""Follow-up questions read together with the previous one (retrieval/followup.py)."""

from __future__ import annotations

import pytest
from officebot.retrieval.followup import DEFAULT_WINDOW, followup_query, is_continuation, is_elliptical

PREVIOUS = "信息报送时限是多少"


@pytest.fixture(scope="module")
def tok(kb):
    return kb.tokenizer


@pytest.mark.parametrize(
    "question",
    ["那书面报告呢", "具体怎么做", "还有呢", "为什么", "为什么？", "怎么做", "举个例子", "能详细说说吗", "比如呢",
     "那如果是在晚上呢", "有什么要求", "然后呢", "另外呢", "还有别的吗", "具体点", "什么意思", "那保密呢"],
)
def test_elliptical_wordings(tok, question):
    assert is_elliptical(question, tok)


@pytest.mark.parametrize(
    "question",
    ["为什么要服从上级", "公文格式有什么要求", "信息报送时限是多少", "什么是忠诚", "机要保密工作有哪些要求",
     "办公室干部怎样对待领导交办的事项", "服从什么", "后勤保障怎么做", "突发事件发生后多长时间内要报告"],
)
def test_questions_with_a_topic_of_their_own(tok, question):
    assert not is_elliptical(question, tok)


def test_continuation_markers():
    assert is_continuation("那书面报告呢") and is_continuation("还有呢？") and is_continuation("另外，值班呢")
    assert not is_continuation("书面报告时限是多少") and not is_continuation("为什么要服从上级")


@pytest.mark.parametrize(
    ("previous", "question", "query"),
    [
        (PREVIOUS, "为什么", "信息报送时限是多少 为什么"),
        (PREVIOUS, "具体怎么做？", "信息报送时限是多少 具体怎么做"),
        (PREVIOUS, "还有呢", "信息报送时限是多少 还有呢"),
        ("突发事件电话报告时限是多少", "那书面报告呢", "突发事件书面报告时限是多少"),  # 报告 contrasted
        (PREVIOUS, "那书面报告呢", "书面报告时限是多少"),  # the new word stands for the topic
        ("机要保密有哪些要求", "那后勤保障呢", "后勤保障有哪些要求"),
        ("什么是忠诚", "那服从呢", "什么是服从"),
        (PREVIOUS, "那如果是在晚上呢", "信息报送时限是多少 晚上"),  # a condition adds to the question
    ],
)
def test_elliptical_questions_carry_the_previous_one(tok, previous, question, query):
    assert followup_query(previous, question, tok, elapsed=30) == query


@pytest.mark.parametrize("question", ["为什么要服从上级", "公文格式有什么要求", "服从什么", "什么是忠诚"])
def test_a_question_with_its_own_topic_starts_fresh(tok, question):
    assert followup_query(PREVIOUS, question, tok, elapsed=30) == question


@pytest.mark.parametrize(
    ("previous", "elapsed"),
    [(None, 10), ("", 10), (PREVIOUS, DEFAULT_WINDOW + 1), (PREVIOUS, None), (PREVIOUS, -5), ("还有呢", 10)],
)
def test_nothing_is_carried_without_a_recent_clear_question(tok, previous, elapsed):
    assert followup_query(previous, "为什么", tok, elapsed=elapsed) == "为什么"


def test_the_window_is_a_parameter(tok):
    assert followup_query(PREVIOUS, "为什么", tok, elapsed=100, window=60) == "为什么"
    assert followup_query(PREVIOUS, "为什么", tok, elapsed=100, window=600) != "为什么"


def test_asking_the_same_again_is_not_a_follow_up(tok):
    assert followup_query(PREVIOUS, "信息报送时限是多少？", tok, elapsed=5) == "信息报送时限是多少？"


@pytest.mark.parametrize("question", ["", "   ", "？？", "😀", "a" * 600, "呢"])
def test_odd_input_never_fails(tok, question):
    assert isinstance(followup_query(PREVIOUS, question, tok, elapsed=5), str)


def test_a_follow_up_finds_what_the_full_question_finds(kb):
    query = followup_query("什么是忠诚", "那服从呢", kb.tokenizer, elapsed=20)
    assert kb.search(query, 1).hits[0].passage.text.startswith("什么是服从")
    why = followup_query("突发事件电话报告时限是多少", "那书面报告呢", kb.tokenizer, elapsed=20)
    assert kb.search(why, 3).answered
