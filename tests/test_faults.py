"""Issue 9: the bot under faults, floods and forged input, end to end against the fake Bot API.

Faults are injected by the fake server (status codes, HTML error pages, 429 with retry_after,
slow and dropped answers, unreadable updates) and at the SQLite layer (a full database, a read-only
one, a damaged table page). Retry delays are shortened so that the suite stays fast; nothing
here asserts a duration.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from dataclasses import replace

import pytest
from conftest import ADMIN_ID

from officebot.bot import app as app_module
from officebot.bot import delivery, training
from officebot.bot.app import APOLOGY, services
from officebot.bot.redact import RedactingFormatter, redact
from officebot.bot.store import DB_NAME, Store

QUESTION = "信息报送时限是多少"
EXPECTED = "半小时内电话报告"
USER, OTHER, THIRD = 700001, 700002, 700003
GROUP, GROUP2 = -100500, -100600
ANONYMOUS_ADMIN = 1087968824  # GroupAnonymousBot


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(delivery, "BACKOFF", 0.02)
    monkeypatch.setattr(delivery, "MAX_BACKOFF", 0.1)


@pytest.fixture
def people(botapi):
    for uid, name in ((USER, "小王"), (OTHER, "小李"), (THIRD, "小张"), (ADMIN_ID, "主任")):
        botapi.user(uid, name)
    botapi.group(GROUP, "办公室培训群")
    botapi.group(GROUP2, "综合科")
    return botapi


def texts_to(botapi, chat_id: int) -> list[str]:
    return [c.result["text"] for c in botapi.calls_of("sendMessage") if c.ok and int(c["chat_id"]) == chat_id]


async def ask(botapi, chat, user, text, timeout=10.0):
    mark = botapi.mark()
    botapi.send_text(chat, user, text)
    return await botapi.async_wait_for(
        "sendMessage", lambda c: c.ok and int(c["chat_id"]) == (chat if isinstance(chat, int) else chat["id"]),
        since=mark, timeout=timeout,
    )


def buttons(message: dict) -> dict[str, str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row if "callback_data" in b}


async def press(botapi, message, data, user, strict=True):
    mark = botapi.mark()
    update = botapi.press_button(message, data, user, strict=strict)
    qid = update["callback_query"]["id"]
    return await botapi.async_wait_for("answerCallbackQuery", lambda c: c["callback_query_id"] == qid, since=mark)


# ---- 1. a failed database write never costs the answer ---------------------------------------

def fill_up(store: Store) -> None:
    """A database that cannot grow: the disk is full as far as SQLite can tell."""
    (pages,), = store._read("PRAGMA page_count")
    store._db.execute(f"PRAGMA max_page_count = {pages}")
    i = 0
    while True:
        try:
            store.set(f"filler-{i}", "x" * 2000)
        except Exception:  # noqa: BLE001 - SQLITE_FULL, as StoreError
            return
        i += 1


@pytest.mark.parametrize("fault", ["full", "read-only"])
async def test_answers_go_out_when_the_database_cannot_be_written(bot_runner, people, fault):
    bot_runner.expect_errors = True
    app = await bot_runner.start()
    store = services(app).store
    if fault == "full":
        fill_up(store)
    else:
        store._db.execute("PRAGMA query_only = 1")
    for i in range(5):
        call = await ask(people, USER, USER, QUESTION + "？" * i)
        assert EXPECTED in call.result["text"], call.result["text"]
    assert APOLOGY not in texts_to(people, USER)


async def test_answers_go_out_with_a_damaged_questions_table(bot_runner, people, data_dir):
    bot_runner.expect_errors = True
    store = Store.open(data_dir)
    store.log_question("旧问题", answered=False)
    (root,), = store._read("SELECT rootpage FROM sqlite_master WHERE name = 'questions'")
    (size,), = store._read("PRAGMA page_size")
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    path = data_dir / DB_NAME  # a damaged page: the questions table's root
    damaged = bytearray(path.read_bytes())
    damaged[(root - 1) * size : root * size] = b"\xff" * size
    path.write_bytes(bytes(damaged))
    await bot_runner.start()
    for _ in range(3):
        call = await ask(people, USER, USER, QUESTION)
        assert EXPECTED in call.result["text"]
    assert APOLOGY not in texts_to(people, USER)


# ---- 2. transient failures are retried; no apology for a reply that may have arrived ------------

@pytest.mark.parametrize("fault", ["500", "502-html", "drop"])
async def test_every_third_send_failing_still_answers_every_question(bot_runner, people, fault):
    bot_runner.expect_errors = True  # the fake server records the failed attempts
    await bot_runner.start()
    if fault == "500":
        people.fail("sendMessage", 500, times=-1, every=3)
    elif fault == "502-html":
        people.fail("sendMessage", 502, html=True, times=-1, every=3)
    else:
        people.drop("sendMessage", times=-1, every=3)
    for i in range(10):
        call = await ask(people, USER, USER, QUESTION + "？" * i)
        assert EXPECTED in call.result["text"]
    people.clear_faults()
    await asyncio.sleep(0.3)
    answers = texts_to(people, USER)
    assert len(answers) == 10 and APOLOGY not in answers


async def test_three_429s_in_a_row_are_waited_out(bot_runner, people):
    bot_runner.expect_errors = True
    await bot_runner.start()
    people.fail("sendMessage", 429, retry_after=1, times=3)
    call = await ask(people, USER, USER, QUESTION, timeout=15)
    assert EXPECTED in call.result["text"]
    assert [c.status for c in people.calls_of("sendMessage")] == [429, 429, 429, 200]


async def test_a_send_slower_than_the_read_timeout_gets_no_apology(bot_runner, people, caplog):
    bot_runner.expect_errors = True
    await bot_runner.start()
    people.slow("sendMessage", 6.0)  # python-telegram-bot's read timeout is 5 s
    call = await ask(people, USER, USER, QUESTION, timeout=15)
    assert EXPECTED in call.result["text"]
    await asyncio.sleep(6.5)  # the answer arrives on the server at once; the client times out at 5 s
    assert texts_to(people, USER) == [call.result["text"]], "the answer once, and no apology"


async def test_a_failed_edit_is_retried(bot_runner, people):
    bot_runner.expect_errors = True
    await bot_runner.start()
    call = await ask(people, USER, USER, QUESTION)
    more = next(d for t, d in buttons(call.result).items() if t.startswith("更多"))
    people.fail("editMessageText", 500, times=2)
    await press(people, call.result, more, USER)
    edit = await people.async_wait_for("editMessageText", lambda c: c.ok)
    assert "第 4" in edit.result["text"]


async def test_a_failed_poll_does_not_stop_the_others(bot_runner, people):
    bot_runner.expect_errors = True
    await bot_runner.start()
    people.fail("sendPoll", 500, times=delivery.MAX_ATTEMPTS)  # the first poll fails for good
    mark = people.mark()
    people.send_text(USER, USER, "/quiz 3")
    await people.async_wait_for_count("sendPoll", 2, lambda c: c.ok, since=mark)
    note = await people.async_wait_for("sendMessage", lambda c: "没能发出" in c["text"], since=mark)
    assert "1 道题" in note["text"]


# ---- 4. an update that cannot be read is skipped with one line ---------------------------------

async def test_an_unreadable_update_is_skipped_once(bot_runner, people, caplog):
    await bot_runner.start()
    people.push_raw_update({"message": {"message_id": "not a number", "chat": "nowhere"}})
    call = await ask(people, USER, USER, QUESTION)
    assert EXPECTED in call.result["text"]
    await asyncio.sleep(0.5)
    lines = [r for r in caplog.records if "cannot be read" in r.getMessage()]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING and not lines[0].exc_info
    assert not people.pending_updates() or all(
        u["update_id"] > lines[0].args[0] for u in people.pending_updates()
    ), "the unreadable update is acknowledged"


# ---- 3. nothing fetched is acknowledged before it is handled ------------------------------------

class BlockingKnowledge:
    """The real knowledge base, except that long questions wait for `release` (searching is slow)."""

    def __init__(self, kb):
        self._kb = kb
        self.release = threading.Event()
        self.waiting = threading.Semaphore(0)

    def search(self, question, k=5):
        if len(question) > 50:
            self.waiting.release()
            self.release.wait(20)
        return self._kb.search(question, k)

    def __getattr__(self, name):
        return getattr(self._kb, name)


async def test_a_plain_question_is_answered_while_long_ones_are_searched(bot_runner, people, kb):
    app = await bot_runner.start()
    slow = BlockingKnowledge(kb)
    services(app).kb = slow
    try:
        long_question = "请问" + "办公室信息报送工作的具体要求和时限" * 4
        for _ in range(3):
            people.send_text(OTHER, OTHER, long_question)
        await asyncio.to_thread(slow.waiting.acquire, True, 10)  # a long search is under way
        call = await ask(people, USER, USER, QUESTION)
        assert EXPECTED in call.result["text"]
        assert texts_to(people, OTHER) == [], "the long questions are still being searched"
        pending = {u["update_id"] for u in people.pending_updates()}
        assert len(pending) >= 3, "updates being handled are not acknowledged"
    finally:
        slow.release.set()
    await people.async_wait_for_count("sendMessage", 3, lambda c: int(c["chat_id"]) == OTHER)


async def test_a_restart_skips_updates_handled_before(bot_runner, people, data_dir):
    await bot_runner.start()
    mark = people.mark()
    update = people.send_text(USER, USER, QUESTION)
    await people.async_wait_for("sendMessage", since=mark)
    await bot_runner.stop()
    # the crash case: Telegram sends the update again because it was never acknowledged
    with people._cond:
        people._updates.insert(0, update)
    mark = people.mark()
    await bot_runner.start()
    await ask(people, USER, USER, "火星上有没有外星人")
    await asyncio.sleep(0.3)
    after = [c for c in people.calls_of("sendMessage") if c.seq > mark]
    assert len(after) == 1, "a handled update is not answered twice"


# ---- 5. the 出题 button pressed by many at once sends one poll ----------------------------------

@pytest.mark.parametrize("members", [2, 10])
async def test_quiz_button_pressed_at_once_sends_one_poll(bot, people, members):
    users = [800000 + i for i in range(members)]
    for uid in users:
        people.user(uid, f"成员{uid}")
    call = await ask(people, GROUP, USER, "/tip")
    data = next(d for t, d in buttons(call.result).items() if t == "出题")
    people.slow("sendPoll", 0.15)  # a 150 ms round trip
    mark = people.mark()
    for uid in users:
        people.press_button(call.result, data, uid)
    await people.async_wait_for_count("answerCallbackQuery", members, since=mark)
    await asyncio.sleep(0.4)
    assert len([c for c in people.calls_of("sendPoll") if c.seq > mark]) == 1


# ---- 6. floods: per sender and per chat, counting what is sent ---------------------------------

async def test_quiz_limit_counts_polls_not_commands(bot_runner, people):
    await bot_runner.start(flood_limit=10, flood_window=60.0)
    mark = people.mark()
    for _ in range(3):
        people.send_text(USER, USER, "/quiz 10")
    await people.async_wait_for("sendMessage", lambda c: "有点快" in c["text"], since=mark)
    await asyncio.sleep(0.5)
    polls = [c for c in people.calls_of("sendPoll") if c.seq > mark]
    assert len(polls) <= 10
    assert any("有点快" in t for t in texts_to(people, USER))


async def test_anonymous_admins_of_different_groups_do_not_share_a_bucket(bot_runner, people):
    await bot_runner.start(flood_limit=2, flood_window=60.0)
    people.user(ANONYMOUS_ADMIN, "Group", "GroupAnonymousBot")
    for group in (GROUP, GROUP2):
        for i in range(2):
            mark = people.mark()
            with people._cond:
                chat = people._chats[group]
                message = people._store_message(chat, people._user(ANONYMOUS_ADMIN), {
                    "text": f"/ask {QUESTION}{'？' * i}", "sender_chat": people._chat_short(chat),
                    "entities": [{"type": "bot_command", "offset": 0, "length": 4}],
                })
                people._enqueue("message", message)
            call = await people.async_wait_for("sendMessage", lambda c, g=group: int(c["chat_id"]) == g, since=mark)
            assert EXPECTED in call.result["text"], (group, i, call.result["text"])


async def test_inline_queries_are_limited_per_user(bot_runner, people):
    await bot_runner.start(flood_limit=3, flood_window=60.0)
    answers = []
    for i in range(5):
        mark = people.mark()
        people.inline_query(USER, QUESTION + "？" * i)
        answers.append(await people.async_wait_for("answerInlineQuery", since=mark))
    assert all(a.ok for a in answers)
    assert answers[0]["results"] and not answers[-1]["results"]
    assert "有点快" in answers[-1]["button"]["text"]


# ---- 7. privacy -------------------------------------------------------------------------------

async def test_stats_in_a_group_shows_nothing_private(bot, people):
    await ask(people, USER, USER, "火星上有没有外星人")
    call = await ask(people, GROUP, ADMIN_ID, "/stats")
    assert "火星" not in call.result["text"] and "私聊" in call.result["text"]


async def test_forget_deletes_the_users_questions_after_a_confirm(bot, people):
    await ask(people, USER, USER, QUESTION)
    await ask(people, OTHER, OTHER, QUESTION)
    store = services(bot).store
    assert store.user_data(USER)[0] == 1
    call = await ask(people, USER, USER, "/forget")
    assert "1 条提问" in call.result["text"]
    assert store.user_data(USER)[0] == 1, "nothing deleted before the confirm"
    await press(people, call.result, buttons(call.result)["确认删除"], USER)
    await people.async_wait_for("editMessageText", lambda c: "已删除" in c["text"])
    assert store.user_data(USER) == (0, 0, 0) and store.user_data(OTHER)[0] == 1


async def test_old_questions_are_dropped_after_the_retention(bot_runner, people, data_dir):
    store = Store.open(data_dir)
    store.log_question("很久以前的问题", answered=False, user_id=USER)
    store._db.execute("UPDATE questions SET ts = ts - 200 * 86400")
    store.close()
    app = await bot_runner.start(retention_days=180)
    assert services(app).store.user_data(USER)[0] == 0


async def test_help_says_what_is_kept_and_lists_the_new_commands(bot, people):
    call = await ask(people, USER, USER, "/help")
    text = call.result["text"]
    assert "180 天" in text and "/forget" in text and "/allow" in text and "/deny" in text
    assert {"forget", "allow", "deny"} <= {c["command"] for c in people.commands()}


# ---- 8. secrets -------------------------------------------------------------------------------

def test_every_form_of_the_token_is_redacted():
    token = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    quoted = "123456%3AAAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    formatter = RedactingFormatter("%(message)s", [token])
    try:
        raise RuntimeError(f"Parsing the server response b'<p>upstream failed for /bot{quoted}/sendMessage</p>'")
    except RuntimeError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "bad %s %s", (token, quoted.lower()), sys.exc_info())
    text = formatter.format(record)
    for form in (token, quoted, quoted.lower(), token.split(":")[1]):
        assert form not in text
    assert redact(f"x {token.split(':')[1]} y", [token]) == "x [secret] y"


# ---- 9. forged buttons ------------------------------------------------------------------------

async def test_forged_buttons_show_and_count_nothing(bot, people):
    mine = await ask(people, USER, USER, QUESTION)
    fb = buttons(mine.result)["👍 有用"]
    question_id = int(fb.split(":")[1])
    other = await ask(people, OTHER, OTHER, QUESTION + "？")
    for data in (f"more:{question_id}:0", f"ctx:{question_id}:1", f"fb:{question_id}:1:1",
                 f"fb:{buttons(other.result)['👍 有用'].split(':')[1]}:999999:1", f"more:{2**63}:0", f"fb:1:{2**64}:1"):
        answer = await press(people, other.result, data, OTHER, strict=False)
        assert answer["text"] == "这个按钮已失效，请重新提问。", data
    assert services(bot).store.feedback_counts() == (0, 0)
    assert len(texts_to(people, OTHER)) == 1 and not people.calls_of("editMessageText"), "nothing shown"


async def test_votes_are_rate_limited(bot_runner, people):
    await bot_runner.start(flood_limit=3, flood_window=60.0)
    call = await ask(people, USER, USER, QUESTION)
    answers = [await press(people, call.result, buttons(call.result)["👍 有用"], USER) for _ in range(4)]
    assert "有点快" in answers[-1]["text"]


# ---- 10. smaller ------------------------------------------------------------------------------

async def test_lone_surrogate_before_a_mention(bot, people):
    mark = people.mark()
    text = "\ud800 @office_test_bot " + QUESTION
    people.send_text(GROUP, USER, text, entities=[{"type": "mention", "offset": 2, "length": 16}])
    call = await people.async_wait_for("sendMessage", lambda c: int(c["chat_id"]) == GROUP, since=mark)
    assert EXPECTED in call.result["text"]


async def test_quiz_with_thousands_of_digits_fits_a_message(bot, people):
    call = await ask(people, USER, USER, "/quiz " + "9" * 4090)
    assert len(call.result["text"]) <= 4096


async def test_start_up_waits_for_the_bot_api(bot_runner, people, monkeypatch):
    monkeypatch.setattr(app_module, "STARTUP_PATIENCE", 30.0)
    bot_runner.expect_errors = True
    people.fail("getMe", 502, times=delivery.MAX_ATTEMPTS + 2)
    await bot_runner.start()
    call = await ask(people, USER, USER, QUESTION)
    assert EXPECTED in call.result["text"]


async def test_a_network_error_while_polling_is_one_warning(bot_runner, people, caplog):
    await bot_runner.start()
    people.fail("getUpdates", 502, times=1)
    people.drop("getUpdates", times=1)
    await asyncio.sleep(3)
    call = await ask(people, USER, USER, QUESTION)
    assert EXPECTED in call.result["text"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or "while handling" in r.getMessage()]
    bot_runner.expect_errors = True  # the failed getUpdates calls are on the server's record


# ---- 11. the allowlist ------------------------------------------------------------------------

async def test_allowlist_refuses_strangers_and_admins_edit_it(bot_runner, people):
    await bot_runner.start(allowlist=True, allowed=frozenset({OTHER}))
    call = await ask(people, USER, USER, QUESTION)
    assert "仅供本单位" in call.result["text"] and str(USER) in call.result["text"]
    call = await ask(people, OTHER, OTHER, QUESTION)
    assert EXPECTED in call.result["text"]
    call = await ask(people, USER, USER, f"/allow {USER}")
    assert "管理员" in call.result["text"] and "仅供本单位" not in call.result["text"] or "仅供本单位" in call.result["text"]
    call = await ask(people, ADMIN_ID, ADMIN_ID, f"/allow {USER} {GROUP}")
    assert str(USER) in call.result["text"] and str(GROUP) in call.result["text"]
    call = await ask(people, USER, USER, QUESTION)
    assert EXPECTED in call.result["text"]
    call = await ask(people, GROUP, THIRD, "/ask " + QUESTION)
    assert EXPECTED in call.result["text"], "anyone in an allowed group"
    await ask(people, ADMIN_ID, ADMIN_ID, f"/deny {USER}")
    call = await ask(people, USER, USER, QUESTION)
    assert "仅供本单位" in call.result["text"]
    call = await ask(people, ADMIN_ID, ADMIN_ID, "/allow")
    assert str(GROUP) in call.result["text"] and str(OTHER) in call.result["text"]


async def test_allowlist_is_off_by_default(bot, people):
    call = await ask(people, USER, USER, QUESTION)
    assert EXPECTED in call.result["text"]


def test_settings_read_the_new_keys(tmp_path):
    from officebot.bot.settings import SettingsError, load_settings

    env = {"TELEGRAM_BOT_TOKEN": "123456:TEST", "OFFICE_BOT_RETENTION_DAYS": "30", "OFFICE_BOT_ALLOWLIST": "on",
           "OFFICE_BOT_ALLOWED": "1, -1002", "OFFICE_BOT_FLOOD_CHAT": "90"}
    s = load_settings(environ=env)
    assert (s.retention_days, s.allowlist, s.allowed, s.flood_chat_limit) == (30, True, frozenset({1, -1002}), 90)
    with pytest.raises(SettingsError, match="OFFICE_BOT_ALLOWLIST"):
        load_settings(environ={**env, "OFFICE_BOT_ALLOWLIST": "maybe"})
    path = tmp_path / "bot.yaml"
    path.write_text("token: '123456:TEST'\nretention_days: 7\nallowlist: true\nallowed: [5]\n", encoding="utf-8")
    s = load_settings(path, environ={})
    assert (s.retention_days, s.allowlist, s.allowed) == (7, True, frozenset({5}))
    assert replace(s, allowlist=False).allowlist is False


def test_bot_package_has_no_import_circle():
    """app imports the feature modules; they import core, never app (nor each other)."""
    import ast
    from pathlib import Path

    package = Path(training.__file__).parent
    for name in ("handlers", "training", "access", "core", "delivery", "ledger", "redact"):
        tree = ast.parse((package / f"{name}.py").read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {f"{n.module}.{a.name}" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
                     for a in n.names}
        assert "officebot.bot.app" not in imported, name
        if name in ("handlers", "training", "access"):
            others = {"handlers", "training", "access"} - {name}
            assert not any(m.startswith(f"officebot.bot.{o}") or m == f"officebot.bot.{o}" for m in imported
                           for o in others), name


def test_sqlite_errors_become_store_errors(data_dir):
    from officebot.bot.store import StoreError

    store = Store.open(data_dir)
    store._db.execute("PRAGMA query_only = 1")
    with pytest.raises(StoreError):
        store.log_question("x", answered=False)
    with pytest.raises(sqlite3.IntegrityError):
        store._db.execute("PRAGMA query_only = 0")
        store._write("INSERT INTO allowed (id, ts) VALUES (NULL, NULL)")
    store.close()
