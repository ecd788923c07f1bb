"""Daily tips and quizzes end to end: the real Application against the fake Bot API on loopback.

Time is simulated two ways: a day passes by replacing `training.clock`, and a scheduled tip fires by
running its job from `application.job_queue` directly.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import shutil
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import ADMIN_ID

from officebot.bot import training
from officebot.bot.app import services
from officebot.bot.render import MAX_MESSAGE
from officebot.bot.store import Score, week_start
from officebot.training.quiz import BLANK
from officebot.training.tips import TIPS, dump_tips, load_tips

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
USER, OTHER, THIRD = 710001, 710002, 710003
GROUP_ADMIN, OWNER = 710010, 710011
GROUP = -100710
HOSTILE_NAME = "小李 <b>&amp;"
DAY = 86400.0


@pytest.fixture
def people(botapi):
    botapi.user(USER, "小王", "xiaowang")
    botapi.user(OTHER, HOSTILE_NAME)
    botapi.user(THIRD, "小张")
    botapi.user(GROUP_ADMIN, "管理员", "admin")
    botapi.user(OWNER, "群主")
    botapi.user(ADMIN_ID, "主任")
    botapi.group(GROUP, "新同事培训群")
    botapi.member_status(GROUP, GROUP_ADMIN, "administrator")
    botapi.member_status(GROUP, OWNER, "creator")
    return botapi


def knowledge_copy(tmp_path: Path, tips: list | None) -> Path:
    """The knowledge directory with the given tips (None: no tips.yaml at all)."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target, ignore=shutil.ignore_patterns("__pycache__", TIPS))
    if tips is not None:
        (target / TIPS).write_text(dump_tips(tips), encoding="utf-8")
    return target


def with_directory(kb, directory: Path):
    """The session's knowledge base, reading its tips from another directory."""
    other = copy.copy(kb)
    other.directory = directory
    return other


async def say(botapi, chat: int, user: int, text: str, method: str = "sendMessage"):
    """A user writes; returns (update, the bot's first `method` call in that chat)."""
    mark = botapi.mark()
    update = botapi.send_text(chat, user, text)
    call = await botapi.async_wait_for(method, lambda c: int(c["chat_id"]) == chat, since=mark)
    return update, call


async def press(botapi, message: dict, data: str, user: int):
    mark = botapi.mark()
    update = botapi.press_button(message, data, user)
    query_id = update["callback_query"]["id"]
    answer = await botapi.async_wait_for("answerCallbackQuery", lambda c: c["callback_query_id"] == query_id, since=mark)
    return mark, answer


async def eventually(condition: Callable[[], object], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def quiz_button(message: dict) -> str:
    rows = message["reply_markup"]["inline_keyboard"]
    (data,) = [b["callback_data"] for row in rows for b in row if b["text"] == "出题"]
    return data


def daily_job(app, chat_id: int):
    jobs = app.job_queue.get_jobs_by_name(training.job_name(chat_id))
    assert len(jobs) == 1, jobs
    return jobs[0]


def local_time(job, zone: str) -> str:
    assert str(job.job.trigger.timezone) == zone
    assert job.job.misfire_grace_time == training.MISFIRE_GRACE
    return job.next_t.astimezone(ZoneInfo(zone)).strftime("%H:%M")


async def stored_poll(app, poll_id: str):
    """The bot's record of a poll (written just after Telegram answered sendPoll)."""
    store = services(app).store
    await eventually(lambda: store.poll(poll_id))
    return store.poll(poll_id)


def check_quiz_poll(call, tip, period: int = training.QUIZ_OPEN_PERIOD) -> dict:
    """A quiz poll on the tip, as Telegram stored it: non-anonymous, open_period, the right answer."""
    poll = call.result["poll"]
    assert poll["type"] == "quiz" and poll["is_anonymous"] is False
    assert poll["open_period"] == period
    options = [o["text"] for o in poll["options"]]
    assert len(options) == 4 and len(set(options)) == 4
    assert poll["correct_option_ids"] == [options.index(tip.answer)]
    if tip.answer != tip.text:
        assert tip.text.replace(tip.answer, BLANK, 1) in poll["question"]
    assert tip.title in poll["explanation"]
    return poll


def bold_parts(message: dict) -> list[str]:
    units = message["text"].encode("utf-16-le")  # entity offsets count UTF-16 code units
    return [units[2 * e["offset"]: 2 * (e["offset"] + e["length"])].decode("utf-16-le")
            for e in message.get("entities", []) if e["type"] == "bold"]


def raw_poll_answer(botapi, poll_id: str, user: int, option_ids: list[int]) -> dict:
    """A poll_answer update as Telegram would send it, for what the fake's helper refuses to do
    (a second vote in a quiz, a vote in a poll it does not know)."""
    with botapi._cond:
        return botapi._enqueue("poll_answer", {
            "poll_id": poll_id, "user": dict(botapi._user(user)), "option_ids": option_ids,
            "option_persistent_ids": [str(i) for i in option_ids]})


# ---- /tip and the 出题 button ----------------------------------------------------------------

async def test_tip_in_private_with_its_source_and_quiz(bot, people):
    tr = training.training(bot)
    _, call = await say(people, USER, USER, "/tip")
    message = call.result
    tip = tr.by_id[quiz_button(message).removeprefix("quiz:")]
    assert tip.text in message["text"] and tip.source in message["text"]
    assert "今日提示" in message["text"] and "reply_to_message" not in message
    assert tip.answer in bold_parts(message) or tip.answer == tip.text

    _, again = await say(people, USER, USER, "/tip")
    assert quiz_button(again.result) == quiz_button(message), "today's tip stays today's tip"

    mark, answer = await press(people, message, quiz_button(message), USER)
    poll_call = await people.async_wait_for("sendPoll", since=mark)
    poll = check_quiz_poll(poll_call, tip)
    assert poll_call.result["reply_to_message"]["message_id"] == message["message_id"]
    stored = await stored_poll(bot, poll["id"])
    assert (stored.chat_id, stored.tip_id, stored.open_period) == (USER, tip.id, training.QUIZ_OPEN_PERIOD)

    _, answer = await press(people, message, quiz_button(message), USER)
    assert answer["text"] == training.QUIZ_OPEN, "one open quiz per tip and chat"
    assert len(people.calls_of("sendPoll")) == 1


async def test_tip_in_a_group_replies_to_the_asker_and_anyone_may_ask_for_the_quiz(bot, people):
    tr = training.training(bot)
    update, call = await say(people, GROUP, USER, "/tip")
    assert call.result["reply_to_message"]["message_id"] == update["message"]["message_id"]
    tip = tr.by_id[quiz_button(call.result).removeprefix("quiz:")]
    mark, _ = await press(people, call.result, quiz_button(call.result), OTHER)
    poll_call = await people.async_wait_for("sendPoll", since=mark)
    check_quiz_poll(poll_call, tip)
    assert int(poll_call["chat_id"]) == GROUP
    assert poll_call.result["reply_to_message"]["message_id"] == call.result["message_id"]

    _, private = await say(people, USER, USER, "/tip")  # each chat has a rotation of its own
    assert private.result["text"]


async def test_a_stale_quiz_button_gets_a_toast(bot, people):
    _, call = await say(people, USER, USER, "/tip")
    mark = people.mark()
    update = people.press_button(call.result, "quiz:no-such-tip", USER, strict=False)
    answer = await people.async_wait_for(
        "answerCallbackQuery", lambda c: c["callback_query_id"] == update["callback_query"]["id"], since=mark)
    assert answer["text"] == training.QUIZ_EXPIRED


async def test_rotation_goes_through_every_tip_before_repeating(bot_runner, people, kb, tmp_path, monkeypatch):
    tips = load_tips(KNOWLEDGE)[:4]
    bot_runner.kb = with_directory(kb, knowledge_copy(tmp_path, tips))
    app = await bot_runner.start()
    assert [t.id for t in training.training(app).tips] == [t.id for t in tips]
    start = time.time()
    seen = []
    for day in range(9):
        monkeypatch.setattr(training, "clock", lambda day=day: start + day * DAY)
        _, call = await say(people, USER, USER, "/tip")
        seen.append(quiz_button(call.result).removeprefix("quiz:"))
    assert sorted(seen[:4]) == sorted(seen[4:8]) == sorted(t.id for t in tips)
    assert seen[3] != seen[4]
    _, call = await say(people, USER, USER, "/settings")
    assert "本轮已发 1/4 条" in call.result["text"]


async def test_without_tips_the_training_commands_say_so(bot_runner, people, kb, tmp_path):
    bot_runner.kb = with_directory(kb, knowledge_copy(tmp_path, None))
    await bot_runner.start()
    for command in ("/tip", "/quiz", "/subscribe"):
        _, call = await say(people, USER, USER, command)
        assert call.result["text"] == training.NO_TIPS
    _, call = await say(people, USER, USER, "/score")
    assert "还没有人答题" in call.result["text"]
    _, call = await say(people, USER, USER, "/settings")
    assert call.result["text"] == training.NOT_SUBSCRIBED
    _, call = await say(people, USER, USER, "/help")
    assert "/tip" in call.result["text"]


def test_a_broken_tips_file_is_logged_and_leaves_the_bot_without_tips(kb, tmp_path, caplog):
    directory = knowledge_copy(tmp_path, load_tips(KNOWLEDGE)[:2])
    with (directory / TIPS).open("a", encoding="utf-8") as f:
        f.write("  - id: broken\n    colour: red\n")
    assert training.load_training(directory).tips == []
    (error,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert str(directory / TIPS) in error.getMessage() and "colour" in error.getMessage()


# ---- /subscribe, /unsubscribe, /settings ---------------------------------------------------

async def test_subscribe_in_a_group_is_for_its_admins(bot, people):
    store = services(bot).store
    update, call = await say(people, GROUP, USER, "/subscribe")
    assert call.result["text"] == training.GROUP_ADMINS_ONLY
    assert call.result["reply_to_message"]["message_id"] == update["message"]["message_id"]
    assert store.subscription(GROUP) is None and not bot.job_queue.get_jobs_by_name(training.job_name(GROUP))

    _, call = await say(people, GROUP, GROUP_ADMIN, "/subscribe")
    assert "已订阅" in call.result["text"] and "08:30" in call.result["text"] and "Asia/Shanghai" in call.result["text"]
    sub = store.subscription(GROUP)
    assert (sub.at, sub.with_quiz, sub.timezone, sub.created_by) == ("08:30", False, "Asia/Shanghai", GROUP_ADMIN)
    assert local_time(daily_job(bot, GROUP), "Asia/Shanghai") == "08:30"

    _, call = await say(people, GROUP, OWNER, "/subscribe 7:45 quiz")
    assert "07:45" in call.result["text"] and "测验" in call.result["text"]
    assert store.subscription(GROUP).with_quiz is True
    assert local_time(daily_job(bot, GROUP), "Asia/Shanghai") == "07:45", "the new time replaces the old job"

    _, call = await say(people, GROUP, USER, "/unsubscribe")
    assert call.result["text"] == training.GROUP_ADMINS_ONLY
    _, call = await say(people, GROUP, USER, "/settings")
    text = call.result["text"]
    assert "每天 07:45（Asia/Shanghai）" in text and "提示 + 测验" in text and "下次发送" in text

    _, call = await say(people, GROUP, ADMIN_ID, "/unsubscribe")  # the bot's own admins may too
    assert call.result["text"] == training.UNSUBSCRIBED
    assert store.subscription(GROUP) is None
    await eventually(lambda: not bot.job_queue.get_jobs_by_name(training.job_name(GROUP)))
    _, call = await say(people, GROUP, OWNER, "/unsubscribe")
    assert call.result["text"] == training.NOT_SUBSCRIBED
    _, call = await say(people, GROUP, USER, "/settings")
    assert call.result["text"].startswith(training.NOT_SUBSCRIBED)


async def test_an_anonymous_group_admin_may_subscribe(bot, people):
    anonymous = people.user(1087968824, "Group", "GroupAnonymousBot", is_bot=True)
    mark = people.mark()
    with people._cond:  # the fake has no helper for messages sent as the group: queue one as send_text would
        chat = people._chats[GROUP]
        content = {"text": "/subscribe", "entities": [{"type": "bot_command", "offset": 0, "length": 10}],
                   "sender_chat": people._chat_short(chat)}
        people._enqueue("message", people._store_message(chat, anonymous, content))
    call = await people.async_wait_for("sendMessage", since=mark)
    assert "已订阅" in call.result["text"]
    assert services(bot).store.subscription(GROUP).at == "08:30"


async def test_subscribe_in_private_is_for_anyone(bot, people):
    _, call = await say(people, USER, USER, "/subscribe")
    assert "已订阅" in call.result["text"]
    assert local_time(daily_job(bot, USER), "Asia/Shanghai") == "08:30"
    _, call = await say(people, USER, USER, "/subscribe ２１：０５ 测验")  # full-width digits and colon
    assert "21:05" in call.result["text"]
    assert services(bot).store.subscription(USER).with_quiz
    assert local_time(daily_job(bot, USER), "Asia/Shanghai") == "21:05"


async def test_the_schedule_follows_office_bot_tz(bot_runner, people, monkeypatch):
    monkeypatch.setenv("OFFICE_BOT_TZ", "Europe/Berlin")
    app = await bot_runner.start()
    _, call = await say(people, USER, USER, "/subscribe")
    assert "Europe/Berlin" in call.result["text"]
    assert local_time(daily_job(app, USER), "Europe/Berlin") == "08:30"
    assert services(app).store.subscription(USER).timezone == "Europe/Berlin"


@pytest.mark.parametrize("args", ["25:00", "abc", "12:60", "8:30 9:30", "-1:00"])
def test_parse_schedule_rejects_bad_times(args):
    with pytest.raises(ValueError) as error:
        training.parse_schedule(args.split())
    assert "HH:MM" in str(error.value)


@pytest.mark.parametrize("args, parsed", [
    ("", ("08:30", False)), ("quiz", ("08:30", True)), ("8:05", ("08:05", False)), ("23:59 QUIZ", ("23:59", True)),
    ("测验 00:00", ("00:00", True)), ("７.３０", ("07:30", False)),
])
def test_parse_schedule(args, parsed):
    assert training.parse_schedule(args.split()) == parsed


async def test_invalid_times_get_a_clear_message(bot, people):
    for text in ("/subscribe 25:00", "/subscribe abc", "/subscribe 08:30 每天"):
        _, call = await say(people, USER, USER, text)
        assert "不对" in call.result["text"] and "HH:MM" in call.result["text"], text
    _, call = await say(people, USER, USER, "/subscribe <b>25:00</b>")
    assert "<b>25:00</b>" in call.result["text"], "the user's text is shown as text"
    assert services(bot).store.subscription(USER) is None


# ---- the scheduled tip ----------------------------------------------------------------------

async def test_a_scheduled_tip_is_sent_with_its_quiz(bot, people):
    tr = training.training(bot)
    await say(people, GROUP, GROUP_ADMIN, "/subscribe 08:30 quiz")
    job = daily_job(bot, GROUP)
    assert local_time(job, "Asia/Shanghai") == "08:30"
    mark = people.mark()
    await job.run(bot)  # 08:30 has come
    tip_call = await people.async_wait_for("sendMessage", lambda c: int(c["chat_id"]) == GROUP, since=mark)
    poll_call = await people.async_wait_for("sendPoll", lambda c: int(c["chat_id"]) == GROUP, since=mark)
    text = tip_call.result["text"]
    tip = tr.by_id[(await stored_poll(bot, poll_call.result["poll"]["id"])).tip_id]
    assert tip.text in text
    assert tip.source in text and "reply_markup" not in tip_call.result, "the quiz follows: no button"
    check_quiz_poll(poll_call, tip, training.DAILY_QUIZ_OPEN_PERIOD)
    assert services(bot).store.subscription(GROUP).last_sent is not None

    _, call = await say(people, GROUP, USER, "/tip")  # the same tip of the day
    assert quiz_button(call.result) == f"quiz:{tip.id}"
    _, answer = await press(people, call.result, quiz_button(call.result), USER)
    assert answer["text"] == training.QUIZ_OPEN, "its quiz is already open"
    _, call = await say(people, GROUP, USER, "/settings")
    assert "上次发送" in call.result["text"]


async def test_a_scheduled_tip_without_quiz_has_the_button(bot, people):
    await say(people, USER, USER, "/subscribe 06:00")
    mark = people.mark()
    await daily_job(bot, USER).run(bot)
    call = await people.async_wait_for("sendMessage", lambda c: int(c["chat_id"]) == USER, since=mark)
    assert quiz_button(call.result).startswith("quiz:")
    assert not people.calls_of("sendPoll")


async def test_a_chat_that_blocked_the_bot_is_unsubscribed_after_the_failed_send(bot_runner, people, caplog):
    bot_runner.expect_errors = True  # the refused sendMessage is on purpose
    app = await bot_runner.start()
    store = services(app).store
    await say(people, USER, USER, "/subscribe 08:30")
    people.inject_error("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await daily_job(app, USER).run(app)
    assert store.subscription(USER) is None
    await eventually(lambda: not app.job_queue.get_jobs_by_name(training.job_name(USER)))
    assert "unsubscribed" in caplog.text

    await say(people, OTHER, OTHER, "/subscribe 08:30")  # blocked for real, then the job fires at once
    job = daily_job(app, OTHER)
    mark = people.mark()
    people.block_chat(OTHER)
    await job.run(app)
    assert store.subscription(OTHER) is None
    await eventually(lambda: not app.job_queue.get_jobs_by_name(training.job_name(OTHER)))
    assert not [c for c in people.calls_of("sendMessage") if int(c["chat_id"]) == OTHER and c.ok and c.seq > mark]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_group_that_removed_the_bot_is_unsubscribed(bot, people):
    await say(people, GROUP, OWNER, "/subscribe 08:30")
    people.block_chat(GROUP, by=OWNER)  # the bot is kicked: a my_chat_member update
    store = services(bot).store
    await eventually(lambda: store.subscription(GROUP) is None)
    await eventually(lambda: not bot.job_queue.get_jobs_by_name(training.job_name(GROUP)))


async def test_a_group_that_became_a_supergroup_keeps_its_schedule(bot, people, monkeypatch):
    from telegram.error import ChatMigrated

    from officebot.bot.app import _Bot

    new_id = -1007100099
    people.group(new_id, "新同事培训群")
    await say(people, GROUP, OWNER, "/subscribe 09:00")
    real_send = _Bot.send_message

    async def send_message(self, chat_id, *args, **kwargs):
        if int(chat_id) == GROUP:
            raise ChatMigrated(new_id)
        return await real_send(self, chat_id, *args, **kwargs)

    monkeypatch.setattr(_Bot, "send_message", send_message)
    mark = people.mark()
    await daily_job(bot, GROUP).run(bot)
    await people.async_wait_for("sendMessage", lambda c: int(c["chat_id"]) == new_id, since=mark)
    store = services(bot).store
    assert store.subscription(GROUP) is None and store.subscription(new_id).at == "09:00"
    assert local_time(daily_job(bot, new_id), "Asia/Shanghai") == "09:00"
    await eventually(lambda: not bot.job_queue.get_jobs_by_name(training.job_name(GROUP)))


# ---- /quiz and scoring ---------------------------------------------------------------------

async def test_quiz_sends_quiz_polls(bot, people):
    tr = training.training(bot)
    _, call = await say(people, USER, USER, "/quiz", method="sendPoll")
    first = await stored_poll(bot, call.result["poll"]["id"])
    check_quiz_poll(call, tr.by_id[first.tip_id])
    assert "reply_to_message" not in call.result

    mark = people.mark()
    people.send_text(USER, USER, "/quiz 3")
    calls = await people.async_wait_for_count("sendPoll", 3, since=mark)
    tips = [(await stored_poll(bot, c.result["poll"]["id"])).tip_id for c in calls]
    assert len(set(tips + [first.tip_id])) == 4, "no tip twice before all had their turn"
    for c, tip_id in zip(calls, tips):
        check_quiz_poll(c, tr.by_id[tip_id])

    mark = people.mark()
    people.send_text(USER, USER, "/quiz 99")
    note = await people.async_wait_for("sendMessage", since=mark)
    assert "最多 10 题" in note.result["text"]
    calls = await people.async_wait_for_count("sendPoll", 10, since=mark)
    await asyncio.sleep(0.2)
    assert len(people.calls_of("sendPoll")) == 14

    for text in ("/quiz abc", "/quiz 0", "/quiz -2", "/quiz 1 2", "/quiz ３x"):
        _, call = await say(people, USER, USER, text)
        assert call.result["text"] == training.USAGE_QUIZ, text
    assert len(people.calls_of("sendPoll")) == 14


async def test_answers_are_scored_and_the_leaderboard_shows_names(bot, people, monkeypatch):
    store = services(bot).store
    update, call = await say(people, GROUP, USER, "/quiz 2", method="sendPoll")
    calls = await people.async_wait_for_count("sendPoll", 2, lambda c: int(c["chat_id"]) == GROUP)
    assert all(c.result["reply_to_message"]["message_id"] == update["message"]["message_id"] for c in calls)
    assert all(c.result["poll"]["is_anonymous"] is False for c in calls)
    first, second = (c.result["poll"] for c in calls)
    for poll in (first, second):
        await stored_poll(bot, poll["id"])
    right = {p["id"]: p["correct_option_ids"][0] for p in (first, second)}

    def wrong(poll_id: str) -> int:
        return (right[poll_id] + 1) % 4

    def answers() -> int:
        return store._read("SELECT COUNT(*) FROM quiz_answers")[0][0]

    people.poll_answer(first["id"], USER, [right[first["id"]]])
    people.poll_answer(second["id"], USER, [right[second["id"]]])
    people.poll_answer(first["id"], OTHER, [wrong(first["id"])])
    people.poll_answer(second["id"], OTHER, [right[second["id"]]])
    await eventually(lambda: answers() == 4)

    raw_poll_answer(people, first["id"], OTHER, [right[first["id"]]])  # a second try: ignored
    raw_poll_answer(people, "5999999999999999999", THIRD, [0])  # not our poll: ignored
    monkeypatch.setattr(training, "clock", lambda: time.time() + training.QUIZ_OPEN_PERIOD + training.LATE_GRACE + 60)
    people.poll_answer(first["id"], THIRD, [right[first["id"]]])  # after the poll closed: ignored
    await people.async_wait_delivered()
    await say(people, GROUP, USER, "/score")  # answered after the late answer was handled
    monkeypatch.setattr(training, "clock", time.time)
    assert answers() == 4
    # the board itself read at the real time: the late clock is past the end of this week when the
    # test runs in the last minutes of a Sunday (Asia/Shanghai), and this week's board is then empty
    _, call = await say(people, GROUP, USER, "/score")

    text = call.result["text"]
    assert call.result["reply_to_message"]["message_id"]
    week, total = text.split("总榜")
    for board in (week, total):
        assert "🥇 小王 — 答对 2/2" in board
        assert f"🥈 {HOSTILE_NAME} — 答对 1/2" in board, "names are shown as written, not as HTML"
        assert "小张" not in board
    assert store.leaderboard(GROUP) == [Score(USER, "小王", 2, 2), Score(OTHER, HOSTILE_NAME, 1, 2)]

    _, call = await say(people, GROUP, OTHER, "/myscore")
    assert f"{HOSTILE_NAME} 的答题成绩（本群）" in call.result["text"]
    assert "本周：答对 1/2（50%），第 2 名" in call.result["text"]
    _, call = await say(people, THIRD, THIRD, "/myscore")
    assert "还没有答题" in call.result["text"] and "（所有聊天）" in call.result["text"]


async def test_the_week_board_leaves_out_last_weeks_answers(bot, people):
    store = services(bot).store
    monday = week_start(datetime.now(ZoneInfo("Asia/Shanghai"))).timestamp()
    store.record_poll("old", chat_id=GROUP, message_id=1, tip_id="x", correct=0, open_period=600, sent_at=monday - 2 * DAY)
    store.record_answer("old", THIRD, [0], "小张", at=monday - 2 * DAY + 5)
    _, call = await say(people, GROUP, USER, "/score")
    week, total = call.result["text"].split("总榜")
    assert "本周还没有人答题" in week and "🥇 小张 — 答对 1/1" in total
    _, call = await say(people, THIRD, THIRD, "/myscore")
    assert "本周：还没有答题" in call.result["text"] and "累计：答对 1/1（100%）" in call.result["text"]


def test_leaderboard_of_many_long_names_fits_one_message():
    from officebot.bot.render import telegram_length

    scores = [Score(i, "<名字>&" * 40 + "😀" * 30, 99, 100) for i in range(10)]
    since = datetime(2025, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    html = training.render_leaderboard(scores, scores, since)
    assert telegram_length(html) <= MAX_MESSAGE and "&lt;名字&gt;&amp;" in html


# ---- restart -------------------------------------------------------------------------------

async def test_subscriptions_and_scores_survive_a_restart(bot_runner, people):
    app = await bot_runner.start()
    await say(people, GROUP, OWNER, "/subscribe 09:15 quiz")
    await say(people, USER, USER, "/subscribe 07:00")
    _, call = await say(people, GROUP, USER, "/quiz", method="sendPoll")
    poll = call.result["poll"]
    await stored_poll(app, poll["id"])
    people.poll_answer(poll["id"], USER, poll["correct_option_ids"])
    store = services(app).store
    await eventually(lambda: store.leaderboard(GROUP))
    await bot_runner.stop()

    app = await bot_runner.start()
    assert local_time(daily_job(app, GROUP), "Asia/Shanghai") == "09:15"
    assert local_time(daily_job(app, USER), "Asia/Shanghai") == "07:00"
    _, call = await say(people, GROUP, USER, "/score")
    assert "🥇 小王 — 答对 1/1" in call.result["text"]
    people.poll_answer(poll["id"], OTHER, [(poll["correct_option_ids"][0] + 1) % 4])  # the poll is still known
    store = services(app).store
    await eventually(lambda: len(store.leaderboard(GROUP)) == 2)
    _, call = await say(people, GROUP, USER, "/settings")
    assert "每天 09:15（Asia/Shanghai）" in call.result["text"]
    mark = people.mark()
    await daily_job(app, GROUP).run(app)
    await people.async_wait_for("sendPoll", lambda c: int(c["chat_id"]) == GROUP, since=mark)


async def test_help_lists_the_training_commands(bot, people):
    _, call = await say(people, USER, USER, "/help")
    for name in ("tip", "quiz", "score", "myscore", "subscribe", "unsubscribe", "settings"):
        assert f"\n/{name} — " in call.result["text"]
    assert {"tip", "quiz", "score", "myscore", "subscribe", "unsubscribe", "settings"} <= {
        c["command"] for c in people.commands()}


def test_tip_rendering_is_valid_and_bolds_the_answer():
    tips = load_tips(KNOWLEDGE)
    for tip in tips:
        html = training.render_tip(tip)
        assert tip.source.replace("&", "&amp;") in html
        if tip.answer != tip.text:
            assert f"<b>{tip.answer}</b>" in html
