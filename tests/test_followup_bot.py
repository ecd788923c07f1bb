"""The bot reads follow-up questions with the question before, and folds traditional characters."""

from __future__ import annotations

import asyncio

import pytest
from test_bot import GROUP, OTHER, USER, say

from officebot.bot.app import services
from officebot.bot.followup import answered_question_id
from officebot.bot.history import History


def last_logged(bot, user: int) -> str:
    svc = services(bot)
    reader = History(svc.store.path)
    try:
        chat = user  # private chats have the user's id
        asked = reader.last_question(chat, user)
        return asked.question if asked else ""
    finally:
        reader.close()


async def test_private_follow_up_is_read_with_the_previous_question(bot, people):
    await say(people, USER, USER, "什么是忠诚")
    _, call = await say(people, USER, USER, "那服从呢")
    assert "服从就是顺服" in call.result["text"]
    assert last_logged(bot, USER) == "什么是服从"  # what was searched is what is logged: 更多 goes on from it


async def test_a_question_with_its_own_topic_starts_fresh(bot, people):
    await say(people, USER, USER, "什么是忠诚")
    await say(people, USER, USER, "信息报送时限是多少")
    assert last_logged(bot, USER) == "信息报送时限是多少"


async def test_follow_ups_can_be_switched_off(bot_runner, people):
    bot = await bot_runner.start(followup_window=0)
    await say(people, USER, USER, "什么是忠诚")
    await say(people, USER, USER, "那服从呢")
    assert last_logged(bot, USER) == "那服从呢"


async def test_other_users_questions_are_not_carried(bot, people):
    await say(people, OTHER, OTHER, "什么是忠诚")
    await say(people, USER, USER, "那服从呢")
    assert last_logged(bot, USER) == "那服从呢"


async def test_in_a_group_a_reply_to_the_answer_carries_its_question(bot, people):
    _, first = await say(people, GROUP, USER, "/ask 什么是忠诚")
    assert answered_question_id_of(first.result) is not None
    _, call = await say(people, GROUP, OTHER, "那服从呢", reply_to=first.result)
    assert "服从就是顺服" in call.result["text"]
    # a group message that is not a reply to an answer is not carried
    _, call = await say(people, GROUP, USER, "/ask 为什么")
    store = services(bot).store
    assert store.question(max_question_id(bot)).question == "为什么"


def answered_question_id_of(message: dict):
    from telegram import Message

    return answered_question_id(Message.de_json(message, None))


def max_question_id(bot) -> int:
    reader = History(services(bot).store.path)
    try:
        return reader._read("SELECT MAX(id) FROM questions")[0][0]
    finally:
        reader.close()


@pytest.mark.parametrize("question", ["資訊報送時限是多少", "信息報送時限是多少？"])
async def test_traditional_question_gets_the_same_answer(bot, people, question):
    _, call = await say(people, USER, USER, question)
    assert "半小时内电话报告" in call.result["text"]


async def test_a_question_after_the_window_starts_fresh(bot_runner, people):
    bot = await bot_runner.start(followup_window=1)
    await say(people, USER, USER, "什么是忠诚")
    await asyncio.sleep(1.5)
    await say(people, USER, USER, "那服从呢")
    assert last_logged(bot, USER) == "那服从呢"


def test_the_window_setting(monkeypatch):
    from officebot.bot.settings import SettingsError, load_settings

    env = {"TELEGRAM_BOT_TOKEN": "123:abc"}
    assert load_settings(environ=env).followup_window == 300
    assert load_settings(environ={**env, "OFFICE_BOT_FOLLOWUP": "60"}).followup_window == 60
    assert load_settings(environ={**env, "OFFICE_BOT_FOLLOWUP": "0"}).followup_window == 0
    with pytest.raises(SettingsError, match="OFFICE_BOT_FOLLOWUP"):
        load_settings(environ={**env, "OFFICE_BOT_FOLLOWUP": "五分钟"})


async def test_inline_mode_folds_traditional_characters(bot, people):
    answers = {}
    for text in ("資訊報送時限是多少", "信息报送时限是多少"):
        mark = people.mark()
        people.inline_query(USER, text)
        call = await people.async_wait_for("answerInlineQuery", since=mark)
        answers[text] = [r["id"] for r in call["results"]]
    assert answers["資訊報送時限是多少"] and answers["資訊報送時限是多少"] == answers["信息报送时限是多少"]
