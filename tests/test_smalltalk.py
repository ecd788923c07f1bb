"""Messages that are no question for the speeches: greetings, thanks, what the bot does, its sources."""

import pytest

from officebot.bot.smalltalk import ABOUT, GREETING, SOURCES, THANKS, smalltalk


@pytest.mark.parametrize(("text", "kind"), [
    ("你好", GREETING), ("您好！", GREETING), ("你好，在吗", GREETING), ("Hello 机器人", GREETING), ("晚上好", GREETING),
    ("谢谢", THANKS), ("谢谢你！", THANKS), ("好的，谢谢", THANKS), ("收到", THANKS), ("OK", THANKS),
    ("你能做什么？", ABOUT), ("你是谁", ABOUT), ("怎么用", ABOUT), ("帮助", ABOUT),
    ("知识库里有哪些讲话", SOURCES), ("收录了哪些讲话", SOURCES), ("你都有哪些资料", SOURCES),
])
def test_small_talk_is_recognised(text, kind):
    assert smalltalk(text) == kind


@pytest.mark.parametrize("text", [
    "你好，信息报送时限是多少", "谢谢领导的关心怎么回", "好的文件有什么标准", "办公室有哪些文件要归档", "怎么用印",
    "早上好，今天要干什么", "收到领导批示后怎么办", "信息报送时限是多少", "", "   ", "你好" * 20,
])
def test_a_question_is_no_small_talk(text):
    assert smalltalk(text) is None
