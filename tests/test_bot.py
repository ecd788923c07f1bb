"""End to end: the real Application, long polling a fake Bot API on loopback.

The fake server parses HTML and enforces the 4096-character limit the way Telegram does, and the
`bot_runner` fixture fails a test if it rejected any call or if an error was logged.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ADMIN_ID, GROUP, OTHER, USER

from officebot.bot import handlers
from officebot.bot.app import APOLOGY, running, services
from officebot.bot.history import library_dir
from officebot.bot.store import Store
from officebot.library.annotations import read_annotations

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "信息报送时限是多少"
EXPECTED = "半小时内电话报告"
TITLE = "在全区党政办公室主任会议上的讲话"
UNANSWERABLE = "火星上有没有外星人"




async def say(botapi, chat, user, text, reply_to=None):
    """A user writes; returns (update, the bot's sendMessage call in that chat)."""
    mark = botapi.mark()
    update = botapi.send_text(chat, user, text, reply_to)
    chat_id = chat if isinstance(chat, int) else chat["id"]
    call = await botapi.async_wait_for("sendMessage", lambda c: int(c["chat_id"]) == chat_id, since=mark)
    return update, call


def buttons(message: dict) -> dict[str, str]:
    """Button text -> callback data."""
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row if "callback_data" in b}


def button(message: dict, prefix: str) -> str:
    return next(data for text, data in buttons(message).items() if text.startswith(prefix))


async def press(botapi, message: dict, data: str, user: int, strict: bool = True):
    mark = botapi.mark()
    update = botapi.press_button(message, data, user, strict=strict)
    query_id = update["callback_query"]["id"]
    answer = await botapi.async_wait_for(
        "answerCallbackQuery", lambda c: c["callback_query_id"] == query_id, since=mark
    )
    return mark, answer


# ---- private chat ----------------------------------------------------------------------------

async def test_private_question_gets_the_passage_with_its_speech(bot, people):
    _, call = await say(people, USER, USER, QUESTION)
    message = call.result
    assert EXPECTED in message["text"]
    assert f"《{TITLE}》" in message["text"]
    assert "2024-08-28" in message["text"]
    bold = [message["text"][e["offset"]: e["offset"] + e["length"]] for e in message["entities"] if e["type"] == "bold"]
    assert any(EXPECTED in b for b in bold), "the key sentence is bold"
    assert "reply_to_message" not in message, "no quoting in private chats"
    assert {"上下文", "👍 有用", "👎 没用"} <= set(buttons(message))
    assert all(len(data.encode()) <= 64 for data in buttons(message).values())


HOSTILE = [
    "<b>粗体</b> & <script>alert('x')</script> &amp; &lt;",
    "<a href=\"javascript:alert(1)\">点我</a> </b> <i>",
    "*_[]()~`>#+-=|{}.! \\ **加粗** __斜体__",
    "😀",
    "🙂👍🏽👨‍👩‍👧‍👦" * 20,
    "\u200b",
    "信息报送时限是多少" * 8,
    "a" * 5000,
    "问" * 5000,
    "/ask",
    "/ask@office_test_bot",
    "/ask@office_test_bot " + QUESTION,
    "/nosuchcommand 参数",
    "/start inline",
    "/help@office_test_bot",
    "/sources",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
async def test_hostile_text_gets_a_valid_reply(bot, people, text):
    _, call = await say(people, USER, USER, text)
    assert call.ok, call.error
    assert 0 < len(call.result["text"]) <= 4096


async def test_markup_in_a_question_is_shown_as_text(bot, people):
    _, call = await say(people, USER, USER, "<b>天气</b> & <i>x</i>")
    assert "<b>天气</b> & <i>x</i>" in call.result["text"]
    assert not any(e["type"] == "italic" and call.result["text"][e["offset"]:].startswith("x") for e in call.result.get("entities", []))


async def test_long_question_and_empty_ask_are_explained(bot, people):
    _, call = await say(people, USER, USER, "问" * 5000)
    assert "太长" in call.result["text"] and "5000" in call.result["text"]
    _, call = await say(people, USER, USER, "/ask")
    assert "/ask 问题" in call.result["text"]
    _, call = await say(people, USER, USER, "/ask@office_test_bot")
    assert "/ask 问题" in call.result["text"]


async def test_non_text_message_in_private_gets_a_hint(bot, people):
    sticker = {"file_id": "x", "file_unique_id": "y", "type": "regular", "width": 512, "height": 512,
               "is_animated": False, "is_video": False}
    mark = people.mark()
    with people._cond:  # the fake has no helper for stickers: queue the update as send_text would
        chat = people._chats[people.private_chat(USER)["id"]]
        people._enqueue("message", people._store_message(chat, people._user(USER), {"sticker": sticker}))
    call = await people.async_wait_for("sendMessage", since=mark)
    assert "文字" in call.result["text"]


async def test_unanswered_question_offers_topics(bot, people):
    _, call = await say(people, USER, USER, UNANSWERABLE)
    message = call.result
    assert "没有在讲话中找到" in message["text"]
    topics = {text: data for text, data in buttons(message).items() if data.startswith("topic:")}
    assert topics
    data = next(iter(topics.values()))
    mark, _ = await press(people, message, data, USER)
    sent = await people.async_wait_for("sendMessage", since=mark)
    assert "话题" in sent.result["text"]
    assert sent.result["reply_to_message"]["message_id"] == message["message_id"]


NEAR = "那部反腐剧里的孙区长，为什么被拿来当反面教材"  # declined, but its closest passage answers it


async def test_a_declined_question_offers_its_closest_passage_as_such(bot, people, data_dir):
    _, call = await say(people, USER, USER, NEAR)
    message = call.result
    assert "没有在讲话中找到" in message["text"] and "最接近的段落" in message["text"]
    near = button(message, "📄")
    assert near.startswith("near:") and len(near.encode()) <= 64
    mark, _ = await press(people, message, near, USER)
    sent = (await people.async_wait_for("sendMessage", since=mark)).result
    assert sent["text"].startswith(handlers.NEAR_HEADING)  # said to be the closest, not the answer
    assert "孙连城" in sent["text"] and f"《{TITLE}》" in sent["text"]
    assert sent["reply_to_message"]["message_id"] == message["message_id"]
    assert {"上下文", "👍 有用", "👎 没用"} <= set(buttons(sent))
    # a 👍 there is for /review to offer, never applied by itself; the question stays unanswered
    liked = button(sent, "👍")
    await press(people, sent, liked, USER)
    assert services(bot).store.feedback_counts() == (1, 0)
    assert read_annotations(library_dir(data_dir)).bound == {}
    _, offer = await say(people, ADMIN_ID, ADMIN_ID, "/review")
    assert NEAR in offer.result["text"]
    assert buttons(offer.result)["关联 1"].split(":")[3] == liked.split(":")[2]  # the liked passage first
    # the pages of the closest passages, there and back, stay headed as such
    _, call = await say(people, USER, USER, "办公室里上上下下、虚虚实实的关系，我该怎么摆平？")
    mark, _ = await press(people, call.result, button(call.result, "📄"), USER)
    sent = (await people.async_wait_for("sendMessage", since=mark)).result
    mark, _ = await press(people, sent, button(sent, "更多"), USER)
    page = (await people.async_wait_for("editMessageText", since=mark)).result
    assert page["text"].startswith("第 4") and "最接近的段落，仅供参考" in page["text"]
    mark, _ = await press(people, page, button(page, "« 上一页"), USER)
    back = (await people.async_wait_for("editMessageText", since=mark)).result
    assert back["text"].startswith(handlers.NEAR_HEADING)
    # a question nothing comes close to gets no such button
    _, far = await say(people, USER, USER, UNANSWERABLE)
    assert not any(d.startswith("near:") for d in buttons(far.result).values())


# ---- buttons ---------------------------------------------------------------------------------

async def test_more_context_and_feedback_buttons(bot, people):
    _, call = await say(people, USER, USER, QUESTION)
    message = call.result

    mark, answer = await press(people, message, button(message, "更多"), USER)
    edit = await people.async_wait_for("editMessageText", since=mark)
    assert edit.ok and edit.result["text"] != message["text"]
    assert "第 4" in edit.result["text"]
    assert button(edit.result, "« 上一页")

    mark, _ = await press(people, edit.result, button(edit.result, "« 上一页"), USER)
    back = await people.async_wait_for("editMessageText", since=mark)
    assert EXPECTED in back.result["text"]

    mark, _ = await press(people, back.result, button(back.result, "上下文"), USER)
    ctx = await people.async_wait_for("sendMessage", since=mark)
    assert "上下文" in ctx.result["text"] and EXPECTED in ctx.result["text"]
    assert ctx.result["reply_to_message"]["message_id"] == message["message_id"]

    _, answer = await press(people, back.result, button(back.result, "👍"), USER)
    assert "谢谢" in answer["text"]
    _, again = await press(people, back.result, button(back.result, "👍"), USER)
    assert "已经记下" in again["text"]
    assert services(bot).store.feedback_counts() == (1, 0)


async def test_stale_or_forged_buttons_get_a_toast(bot, people):
    _, call = await say(people, USER, USER, QUESTION)
    for data in ("more:999999:3", "ctx:1:99999999", "fb:abc", "topic:99999", "nonsense", "more:1:7", "near:999999",
                 "near:1:2"):
        _, answer = await press(people, call.result, data, USER, strict=False)
        assert answer["text"] == handlers.EXPIRED, data


# ---- groups ----------------------------------------------------------------------------------

async def test_group_answers_only_when_addressed(bot, people):
    people.privacy_mode = False  # the bot sees every message, so it must ignore chatter itself
    mark = people.mark()
    for chatter in ("大家好", "信息报送时限是多少", "@xiaoli 你好", "/ask@other_bot 信息报送时限", "/help@other_bot"):
        people.send_text(GROUP, OTHER, chatter)

    update, call = await say(people, GROUP, USER, "/ask " + QUESTION)
    assert EXPECTED in call.result["text"]
    assert call.result["reply_to_message"]["message_id"] == update["message"]["message_id"]
    await asyncio.sleep(0.2)
    assert len(people.calls_of("sendMessage")) == 1, "chatter got a reply"
    assert people.calls_of("sendMessage")[0].seq > mark

    update, call = await say(people, GROUP, OTHER, "@office_test_bot 信息报送时限是多少？")
    assert EXPECTED in call.result["text"]
    assert call.result["reply_to_message"]["message_id"] == update["message"]["message_id"]

    update, call = await say(people, GROUP, USER, "值班人员节假日要怎么做", reply_to=call.result)
    assert call.result["reply_to_message"]["message_id"] == update["message"]["message_id"]
    assert "值班" in call.result["text"]

    update, call = await say(people, GROUP, USER, "/ask@office_test_bot")
    assert "/ask 问题" in call.result["text"]
    assert call.result["reply_to_message"]["message_id"] == update["message"]["message_id"]

    update, call = await say(people, GROUP, USER, "@office_test_bot")
    assert "@office_test_bot" in call.result["text"]

    _, call = await say(people, GROUP, USER, "/ask@office_test_bot " + QUESTION)
    assert EXPECTED in call.result["text"]


async def test_group_buttons_work_for_anyone(bot, people):
    _, call = await say(people, GROUP, USER, "/ask " + QUESTION)
    _, answer = await press(people, call.result, button(call.result, "👎"), OTHER)
    assert "改进" in answer["text"]


# ---- inline mode -----------------------------------------------------------------------------

async def test_inline_query_offers_passages_with_sources(bot, people):
    mark = people.mark()
    people.inline_query(USER, QUESTION)
    call = await people.async_wait_for("answerInlineQuery", since=mark)
    results = call["results"]
    assert results and all(r["type"] == "article" for r in results)
    first = results[0]
    assert TITLE in first["description"]
    assert EXPECTED in first["input_message_content"]["message_text"]

    # a near miss: its closest passages, each said to be so, and so is the message each sends
    mark = people.mark()
    people.inline_query(USER, NEAR)
    call = await people.async_wait_for("answerInlineQuery", since=mark)
    assert call["results"] and all(r["title"].startswith(handlers.INLINE_NEAR) for r in call["results"])
    message = call["results"][0]["input_message_content"]["message_text"]
    assert "孙连城" in message and "最接近的段落，仅供参考" in message

    for text in ("", "足球世界杯冠军是谁", "<b>&" * 100):
        mark = people.mark()
        people.inline_query(USER, text)
        call = await people.async_wait_for("answerInlineQuery", since=mark)
        assert call.ok and call["results"] == [] and call["button"]["start_parameter"] == "inline"


# ---- commands --------------------------------------------------------------------------------

async def test_help_lists_every_registered_command(bot, people):
    registered = {c["command"] for c in people.commands()}
    assert {"start", "help", "ask", "sources", "stats"} <= registered
    assert registered == {c.name for c in services(bot).commands}
    _, call = await say(people, USER, USER, "/help")
    listed = {line.split()[0][1:] for line in call.result["text"].splitlines() if line.startswith("/")}
    assert listed == registered
    for c in people.commands():
        assert f"/{c['command']} — {c['description']}" in call.result["text"]


async def test_sources_lists_the_speeches(bot, people):
    _, call = await say(people, USER, USER, "/sources")
    for speech in services(bot).kb.speeches:
        assert speech.title in call.result["text"]


async def test_stats_only_for_admins(bot, people):
    await say(people, USER, USER, QUESTION)
    await say(people, USER, USER, UNANSWERABLE)
    _, call = await say(people, USER, USER, "/stats")
    assert call.result["text"] == handlers.ADMINS_ONLY
    _, call = await say(people, ADMIN_ID, ADMIN_ID, "/stats")
    text = call.result["text"]
    assert "提问：2 次" in text and "已回答：1 次（50%）" in text and "外星人" in text


# ---- robustness ------------------------------------------------------------------------------

async def test_flood_limit_is_answered_politely(bot_runner, people):
    await bot_runner.start(flood_limit=2, flood_window=60.0)
    await say(people, USER, USER, QUESTION)
    await say(people, USER, USER, QUESTION)
    _, call = await say(people, USER, USER, QUESTION)
    assert "有点快" in call.result["text"] and "秒后再问" in call.result["text"]
    _, call = await say(people, OTHER, OTHER, QUESTION)  # others are not affected
    assert EXPECTED in call.result["text"]


async def test_error_is_logged_and_the_user_gets_an_apology(bot_runner, people, caplog):
    bot_runner.expect_errors = True
    await bot_runner.start()
    people.inject_error("sendMessage", 400, "Bad Request: something unexpected")
    _, call = await say(people, USER, USER, QUESTION)
    apology = call if call.ok else await people.async_wait_for("sendMessage", lambda c: c.ok)
    assert apology.result["text"] == APOLOGY
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert errors and errors[0].exc_info
    _, call = await say(people, USER, USER, QUESTION)  # and the bot goes on answering
    assert EXPECTED in call.result["text"]


async def test_a_server_without_delete_webhook_is_tolerated(bot_runner, people, caplog):
    bot_runner.expect_errors = True  # the 404 itself is a rejected call
    people.inject_error("deleteWebhook", 404, "Not Found")
    await bot_runner.start()
    _, call = await say(people, USER, USER, QUESTION)
    assert EXPECTED in call.result["text"]
    assert any("deleteWebhook" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert not [r for r in caplog.records if r.levelno >= 40]


async def test_restart_keeps_feedback_and_stats(bot_runner, people, data_dir):
    await bot_runner.start()
    _, call = await say(people, USER, USER, QUESTION)
    await press(people, call.result, button(call.result, "👍"), USER)
    await say(people, OTHER, OTHER, UNANSWERABLE)
    await bot_runner.stop()

    await bot_runner.start()
    _, call2 = await say(people, ADMIN_ID, ADMIN_ID, "/stats")
    assert "提问：2 次" in call2.result["text"] and "👍 1" in call2.result["text"]
    mark, _ = await press(people, call.result, button(call.result, "更多"), USER)  # old buttons still work
    edit = await people.async_wait_for("editMessageText", since=mark)
    assert edit.ok and "第 4" in edit.result["text"]
    _, call3 = await say(people, USER, USER, QUESTION)
    assert EXPECTED in call3.result["text"]
    assert (data_dir / "office-bot.sqlite3").is_file()


async def test_webhook_mode_answers_posted_updates(bot_runner, people, kb, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("OFFICE_BOT_WEBHOOK_URL", "https://bot.example.org/office-hook")
    monkeypatch.setenv("OFFICE_BOT_WEBHOOK_LISTEN", "127.0.0.1")
    monkeypatch.setenv("OFFICE_BOT_WEBHOOK_PORT", str(port))
    monkeypatch.setenv("OFFICE_BOT_WEBHOOK_SECRET", "s3cret-token")
    from officebot.bot.app import build_application
    from officebot.bot.settings import check_webhook, load_settings

    settings = check_webhook(load_settings())
    app = build_application(settings, kb, Store.open(settings.data_dir))
    async with running(app, webhook=True):
        assert people.webhook["url"] == "https://bot.example.org/office-hook"
        assert people.webhook["secret_token"] == "s3cret-token"
        update = people.send_text(USER, USER, QUESTION)  # queued, not polled: post it ourselves
        body = json.dumps(update).encode()

        def post(secret: str) -> int:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/office-hook", data=body,
                headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    return response.status
            except urllib.error.HTTPError as exc:
                return exc.code

        assert await asyncio.to_thread(post, "wrong") == 403
        assert await asyncio.to_thread(post, "s3cret-token") == 200
        call = await people.async_wait_for("sendMessage")
        assert EXPECTED in call.result["text"]


# ---- the command line: `office-bot run` as a process ---------------------------------------

def run_cli(env_extra: dict[str, str], *args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "OFFICE_BOT_"))}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "officebot", "run", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )


@pytest.mark.parametrize("token", [None, "", "not-a-token", "123456:has space", "123456:ABC/DEF", ":ABCDEF", "123456:"])
def test_missing_or_malformed_token_exits_2(token, data_dir):
    env = {"OFFICE_BOT_DATA": str(data_dir)}
    if token is not None:
        env["TELEGRAM_BOT_TOKEN"] = token
    result = run_cli(env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "TELEGRAM_BOT_TOKEN" in lines[0] and "export" in lines[0]
    if token:
        assert token not in result.stdout + result.stderr


def test_rejected_token_exits_2_without_printing_it(botapi, data_dir):
    token = "987654:WRONG-secret-value"
    result = run_cli({"TELEGRAM_BOT_TOKEN": token, "OFFICE_BOT_API_URL": botapi.base_url, "OFFICE_BOT_DATA": str(data_dir)})
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "WRONG-secret-value" not in result.stdout + result.stderr


def test_webhook_without_url_exits_2(data_dir):
    result = run_cli({"TELEGRAM_BOT_TOKEN": "123456:TEST", "OFFICE_BOT_DATA": str(data_dir)}, "--webhook")
    assert result.returncode == 2 and "OFFICE_BOT_WEBHOOK_URL" in result.stderr


def test_webhook_refused_by_telegram_exits_1_with_the_reason(botapi, data_dir):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run_cli({
        "TELEGRAM_BOT_TOKEN": botapi.token, "OFFICE_BOT_API_URL": botapi.base_url, "OFFICE_BOT_DATA": str(data_dir),
        "OFFICE_BOT_WEBHOOK_URL": "https://bot.example.org:9999/hook", "OFFICE_BOT_WEBHOOK_LISTEN": "127.0.0.1",
        "OFFICE_BOT_WEBHOOK_PORT": str(port),
    }, "--webhook")
    assert result.returncode == 1
    assert "Bot API 拒绝了请求" in result.stderr and "ports 80, 88, 443 or 8443" in result.stderr
    assert botapi.token not in result.stdout + result.stderr


def test_office_bot_run_answers_and_stops_cleanly(botapi, data_dir):
    """What the acceptance check does: `office-bot run` against our server, a restart in the middle."""
    botapi.user(USER, "小王")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "OFFICE_BOT_"))}
    env.update({"TELEGRAM_BOT_TOKEN": botapi.token, "OFFICE_BOT_API_URL": botapi.base_url, "OFFICE_BOT_DATA": str(data_dir)})
    for round_ in range(2):
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "bot.py")] if round_ else [sys.executable, "-m", "officebot", "run"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            botapi.wait_until_polling(timeout=20)
            mark = botapi.mark()
            botapi.send_text(USER, USER, QUESTION)
            call = botapi.wait_for("sendMessage", since=mark, timeout=10)
            assert call.ok and EXPECTED in call.result["text"]
        finally:
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=20)
        assert process.returncode == 0, err
        assert botapi.token.split(":")[1] not in out + err
        assert "setMyCommands" in {c.method for c in botapi.calls}
    store = Store.open(data_dir)
    assert store.stats().asked == 2
    store.close()


# ---- helpers ---------------------------------------------------------------------------------

def test_flood_gate_refills_evenly():
    from officebot.bot.app import FloodGate

    now = [0.0]
    gate = FloodGate(3, 30.0, clock=lambda: now[0])
    assert [gate.check(1) for _ in range(3)] == [0, 0, 0]
    assert gate.check(1) == pytest.approx(10.0)
    assert gate.check(2) == 0 and gate.check(None) == 0
    now[0] = 10.0
    assert gate.check(1) == 0
    assert gate.check(1) > 0


@pytest.mark.parametrize("data, parsed", [
    ("more:12:3", ("more", [12, 3])), ("fb:1:2:-1", ("fb", [1, 2, -1])), ("topic:0", ("topic", [0])),
    ("more:x", None), ("", None), (None, None), ("solo", ("solo", [])),
])
def test_parse_callback(data, parsed):
    assert handlers.parse_callback(data) == parsed


def test_register_rejects_bad_commands(kb, bot_env, data_dir):
    from officebot.bot.app import build_application
    from officebot.bot.settings import load_settings

    settings = load_settings()
    for name, description in (("Tip", "提示"), ("tip-of-day", "提示"), ("help", "重复"), ("tip", "")):
        def bad(setup, name=name, description=description):
            setup.add_command(name, description, handlers.help_command)

        store = Store.open(data_dir)
        with pytest.raises(ValueError):
            build_application(settings, kb, store, [handlers.register, bad])
        store.close()


def test_a_feature_module_adds_commands_handlers_and_startup_hooks(kb, bot_env, data_dir):
    """What officebot/bot/training.py will do: one register function, listed after handlers.register."""
    from telegram.ext import MessageHandler, filters

    from officebot.bot.app import build_application
    from officebot.bot.settings import load_settings

    started = []

    async def tip_command(update, context):
        pass

    async def restore(application):
        started.append(application)

    def register(setup):
        setup.add_command("tip", "今日提示", tip_command)
        setup.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.Regex("^设置时间"), tip_command))
        setup.on_startup(restore)

    store = Store.open(data_dir)
    app = build_application(load_settings(), kb, store, [handlers.register, register])
    store.close()
    svc = services(app)
    assert [c.name for c in svc.commands] == ["start", "help", "ask", "sources", "stats", "tip"]
    assert svc.startup == [restore]
    callbacks = [h.callback for h in app.handlers[0]]
    # the feature's handlers come before the catch-all question handler, so they win
    assert callbacks.index(tip_command) < callbacks.index(handlers.private_text)


def test_neighbour_paragraphs_are_whole_paragraphs_of_the_same_speech(kb):
    for passage in kb.passages:
        around = handlers.neighbour_paragraphs(kb, passage.id)
        assert passage in around
        assert {p.doc_id for p in around} == {passage.doc_id}
        assert {p.paragraph for p in around} <= {passage.paragraph - 1, passage.paragraph, passage.paragraph + 1}
        same = [p for p in kb.passages if p.doc_id == passage.doc_id and p.paragraph == passage.paragraph]
        assert all(p in around for p in same)
        assert around == [p for p in kb.passages if p.doc_id == passage.doc_id and abs(p.paragraph - passage.paragraph) <= 1]
    assert handlers.neighbour_paragraphs(kb, -5) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("你好", "您好！"), ("谢谢！", handlers.THANKS_REPLY), ("你能做什么？", "/sources"), ("知识库里有哪些讲话", f"《{TITLE}》"),
])
async def test_small_talk_gets_a_reply_of_its_own_and_is_not_logged(bot, people, text, expected):
    store = services(bot).store
    asked = store.stats().asked
    _, call = await say(people, USER, USER, text)
    assert expected in call.result["text"] and "没有在讲话中找到" not in call.result["text"]
    assert store.stats().asked == asked  # /review and /stats show real questions only
    # a question that greets first is a question
    _, call = await say(people, USER, USER, "你好，" + QUESTION)
    assert EXPECTED in call.result["text"] and store.stats().asked == asked + 1
