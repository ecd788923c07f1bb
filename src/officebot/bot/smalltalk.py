"""Messages that are no question for the speeches: a greeting, thanks, what the bot can do, what
it has read. They get a reply of their own instead of "没有在讲话中找到…", and are not logged as
questions, so that /review and /stats show the questions the knowledge base could not answer,
not "你好" and "谢谢". Pure text: no Telegram here.

Only a whole message counts ("你好", "谢谢！", "你能做什么？", "知识库里有哪些讲话"); one that
asks something besides ("你好，信息报送时限是多少") is a question.
"""

from __future__ import annotations

import re

GREETING, THANKS, ABOUT, SOURCES = "greeting", "thanks", "about", "sources"

_TAIL = r"[\s,，.。!！?？~～…、呀啊啦哈呢吧嘛哦噢]*"
_ADDRESS = r"(?:机器人|小助手|助手|老师|同志)?"
_KINDS = [
    (GREETING, re.compile(
        rf"^(?:(?:你好|您好|你们好|大家好|嗨|哈喽|哈啰|hello|hi|hey|在吗|在不在|早上好|上午好|中午好|下午好|晚上好"
        rf"|早安|晚安|早)[\s,，.。!！~～]*{_ADDRESS})+{_TAIL}$", re.IGNORECASE)),
    (THANKS, re.compile(
        rf"^(?:(?:谢谢|多谢|感谢|谢了|谢啦|非常感谢|太感谢了|十分感谢|辛苦了|thanks|thank you|thx|好的|好滴|好嘞|嗯嗯|嗯|收到|"
        rf"明白了|明白|知道了|懂了|了解了|ok|okay)(?:你|您|你们)?[\s,，.。!！~～]*{_ADDRESS})+{_TAIL}$", re.IGNORECASE)),
    (ABOUT, re.compile(
        rf"^(?:请问)?(?:你是谁|你是什么|你叫什么|你能做什么|你会做什么|你会什么|你能干什么|你会干什么|你可以做什么|你有什么用"
        rf"|你有什么功能|有什么功能|怎么用|怎么使用|如何使用|使用说明|帮助|你能回答什么问题|你能回答哪些问题|能问你什么"
        rf"|我可以问什么|可以问什么|可以问哪些问题|能问什么){_TAIL}$", re.IGNORECASE)),
    (SOURCES, re.compile(
        rf"^(?:请问)?(?:(?:你|你们|知识库|资料库|库|这里|你这里|你这儿)(?:里|里面|中)?)?(?:都|一共|总共|共)?"
        rf"(?:收录|收|存|有|读|学)了?(?:哪些|什么|几篇|多少篇|多少)(?:讲话|讲话稿|文章|资料|材料|文件|文稿)"
        rf"(?:资料|材料)?{_TAIL}$")),
]
MAX_SMALLTALK_CHARS = 30  # longer is a question, whatever it starts with


def smalltalk(text: str) -> str | None:
    """GREETING, THANKS, ABOUT or SOURCES when the whole message is one of them, else None."""
    text = text.strip()
    if not text or len(text) > MAX_SMALLTALK_CHARS:
        return None
    for kind, pattern in _KINDS:
        if pattern.match(text):
            return kind
    return None
