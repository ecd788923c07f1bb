"""Tests of the fake Telegram Bot API server, driven by python-telegram-bot itself."""

from __future__ import annotations

import asyncio
import html
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import (
    Bot,
    ChatMemberAdministrator,
    ChatMemberBanned,
    ChatMemberMember,
    ChatMemberOwner,
    ChatMemberRestricted,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputPollOption,
    InputTextMessageContent,
    ReplyKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler

try:  # tests/ is on sys.path with pytest's default (prepend) import mode, as for conftest.py
    from botapi.server import FakeBotAPI, find_entities, parse_html, parse_markdown_v2
except ImportError:  # e.g. --import-mode=importlib: import relative to this file
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from botapi.server import FakeBotAPI, find_entities, parse_html, parse_markdown_v2


@pytest.fixture
def server():
    with FakeBotAPI() as srv:
        yield srv


@pytest.fixture
def alice(server):
    user = server.user(1001, "Alice", "alice")
    server.private_chat(user)
    return user


def make_bot(server: FakeBotAPI) -> Bot:
    return Bot(server.token, base_url=server.base_url)


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d or "x", callback_data=d) for d in data]])


def raw_request(server: FakeBotAPI, path: str, body: bytes | None = None,
                content_type: str | None = None) -> tuple[int, dict]:
    url = f"http://127.0.0.1:{server.port}{path}"
    req = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    if content_type:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


# ----------------------------------------------------------------------------- transport


def test_token_and_unknown_method(server):
    assert server.base_url == f"http://127.0.0.1:{server.port}/bot"
    assert raw_request(server, "/bot999:WRONG/getMe") == (
        401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    assert raw_request(server, f"/bot{server.token}/noSuchMethod") == (
        404, {"ok": False, "error_code": 404, "description": "Not Found"})
    status, body = raw_request(server, f"/bot{server.token}/getme")  # case-insensitive
    assert status == 200 and body["ok"] and body["result"]["is_bot"] is True


def test_json_form_and_multipart_bodies_decode_alike(server, alice):
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    path = f"/bot{server.token}/sendMessage"
    status, _ = raw_request(server, path, json.dumps(
        {"chat_id": alice["id"], "text": "123", "reply_markup": markup}).encode(), "application/json")
    assert status == 200
    form = urllib.parse.urlencode({"chat_id": str(alice["id"]), "text": "123",
                                   "reply_markup": json.dumps(markup)}).encode()
    status, _ = raw_request(server, path, form, "application/x-www-form-urlencoded")
    assert status == 200
    boundary = "XyZ"
    parts = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in {"chat_id": alice["id"], "text": "123", "reply_markup": json.dumps(markup)}.items())
    body = (parts + f"--{boundary}--\r\n").encode()
    status, _ = raw_request(server, path, body, f"multipart/form-data; boundary={boundary}")
    assert status == 200
    calls = server.calls_of("sendMessage")
    assert len(calls) == 3
    for call in calls:
        # numbers are numbers, texts stay texts, nested objects are decoded
        assert call.params == {"chat_id": alice["id"], "text": "123", "reply_markup": markup}
        assert call.result["text"] == "123"


@pytest.mark.asyncio
async def test_get_me(server):
    async with make_bot(server) as bot:
        me = await bot.get_me()
    assert me.id == 123456 and me.is_bot and me.username == "office_test_bot"
    assert me.can_join_groups is True
    assert me.can_read_all_group_messages is False
    assert me.supports_inline_queries is True


# ----------------------------------------------------------------------------- parsers

TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=40)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_escaped_text_round_trips(text):
    assert parse_html(html.escape(text, quote=False)) == (text, [])
    escaped = "".join("\\" + c if c in "_*[]()~`>#+-=|{}.!\\" else c for c in text)
    assert parse_markdown_v2(escaped) == (text.replace("\r", "\r"), [])


@settings(max_examples=150, deadline=None)
@given(TEXT, TEXT)
def test_entity_offsets_are_utf16(before, word):
    text = f"{html.escape(before, quote=False)} <b>{html.escape(word, quote=False)}x</b>"
    plain, entities = parse_html(text)
    (bold,) = entities
    utf16 = plain.encode("utf-16-le")
    assert utf16[2 * bold["offset"]: 2 * (bold["offset"] + bold["length"])].decode("utf-16-le") == word + "x"
    for e in find_entities(plain):
        assert 0 <= e["offset"] and e["offset"] + e["length"] <= len(utf16) // 2


# ----------------------------------------------------------------------------- messages


@pytest.mark.asyncio
async def test_send_message_html_and_utf16_entities(server, alice):
    async with make_bot(server) as bot:
        msg = await bot.send_message(
            alice["id"], "😀 <b>bold &amp; <i>both</i></b> <a href=\"https://example.com\">link</a> "
                         "&lt;tag&gt; &#x1F600; <tg-spoiler>s</tg-spoiler> @alice",
            parse_mode="HTML", reply_markup=keyboard("ok"))
    assert msg.text == "😀 bold & both link <tag> 😀 s @alice"
    assert msg.from_user.id == server.bot_id and msg.chat.id == alice["id"]
    assert isinstance(msg.date.timestamp(), float) and abs(msg.date.timestamp() - time.time()) < 60
    by_type = {e.type: msg.parse_entity(e) for e in msg.entities}
    assert by_type == {"bold": "bold & both", "italic": "both", "text_link": "link",
                       "spoiler": "s", "mention": "@alice"}
    bold = next(e for e in msg.entities if e.type == "bold")
    assert bold.offset == 3  # the emoji counts as 2 UTF-16 code units
    assert msg.reply_markup.inline_keyboard[0][0].callback_data == "ok"
    sent = server.calls_of("sendMessage")[-1]
    assert sent.params["parse_mode"] == "HTML" and sent.params["chat_id"] == alice["id"]
    raw = sent.result
    assert isinstance(raw["date"], int) and raw["chat"] == {
        "id": alice["id"], "type": "private", "first_name": "Alice", "username": "alice"}


BAD_HTML = [
    ("<b>bold", "Can't find end tag corresponding to start tag \"b\""),
    ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    ("x</b>", "Unexpected end tag at byte offset 1"),
    ("<h1>x</h1>", 'Unsupported start tag "h1" at byte offset 0'),
    ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
    ("Tom & Jerry", "Character '&'"),
    ("&nbsp;", "Character '&'"),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
    ("<a href=\"x", "Unclosed start tag"),
]


@pytest.mark.asyncio
async def test_send_message_rejections(server, alice):
    async with make_bot(server) as bot:
        for text, error in BAD_HTML:
            with pytest.raises(BadRequest, match="(?i)parse entities"):
                await bot.send_message(alice["id"], text, parse_mode="HTML")
            call = server.calls_of("sendMessage")[-1]  # the raw answer, before PTB rewords it
            assert call.status == 400 and call.error.startswith("Bad Request: can't parse entities: ")
            assert error in call.error, text
        with pytest.raises(BadRequest, match="(?i)Message is too long"):
            await bot.send_message(alice["id"], "a" * 4097)
        # the limit applies after entity parsing
        await bot.send_message(alice["id"], "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
        for empty in ["   ", "\n\n", "<b> </b>"]:
            with pytest.raises(BadRequest, match="(?i)Message text is empty"):
                await bot.send_message(alice["id"], empty, parse_mode="HTML")
        with pytest.raises(BadRequest, match="(?i)is reserved and must be escaped"):
            await bot.send_message(alice["id"], "Done.", parse_mode="MarkdownV2")
        ok = await bot.send_message(alice["id"], r"*Done*\. \(1\-2\)", parse_mode="MarkdownV2")
        assert ok.text == "Done. (1-2)" and ok.entities[0].type == "bold"
        with pytest.raises(BadRequest, match="(?i)Chat not found"):
            await bot.send_message(-1009999, "hi")
        stranger = server.user(2002, "Bob")
        with pytest.raises(Forbidden, match="(?i)bot can't initiate conversation with a user"):
            await bot.send_message(stranger["id"], "hi")
        with pytest.raises(BadRequest, match="(?i)Message to be replied not found"):
            await bot.send_message(alice["id"], "hi", reply_parameters=ReplyParameters(999))
        # like Telegram: \r dropped, tabs become spaces, leading/trailing blanks trimmed
        msg = await bot.send_message(alice["id"], "\n  <b>x\ty</b>\r\n ", parse_mode="HTML")
        assert msg.text == "x y" and (msg.entities[0].offset, msg.entities[0].length) == (0, 3)


@pytest.mark.asyncio
async def test_callback_data_limits(server, alice):
    async with make_bot(server) as bot:
        await bot.send_message(alice["id"], "ok", reply_markup=keyboard("x" * 64))
        for data in ["x" * 65, "é" * 33]:  # 65 and 66 bytes
            with pytest.raises(BadRequest, match="(?i)Button_data_invalid"):
                await bot.send_message(alice["id"], "no", reply_markup=keyboard(data))
        with pytest.raises(BadRequest, match="(?i)Text buttons are unallowed"):
            await bot.send_message(alice["id"], "no", reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("just text")]]))
        with pytest.raises(BadRequest, match="(?i)Can't find field \"text\""):
            await bot.send_message(alice["id"], "no", api_kwargs={
                "reply_markup": json.dumps({"inline_keyboard": [[{"callback_data": "a"}]]})})
        # reply keyboards are accepted but not echoed in the Message, like Telegram
        msg = await bot.send_message(alice["id"], "kb", reply_markup=ReplyKeyboardMarkup([["A", "B"]]))
        assert msg.reply_markup is None


@pytest.mark.asyncio
async def test_edit_and_delete(server, alice):
    async with make_bot(server) as bot:
        msg = await bot.send_message(alice["id"], "<b>v1</b>", parse_mode="HTML", reply_markup=keyboard("a"))
        with pytest.raises(BadRequest, match="(?i)Message to edit not found"):
            await bot.edit_message_text("x", chat_id=alice["id"], message_id=msg.message_id + 100)
        with pytest.raises(BadRequest, match="(?i)Message is not modified"):
            await bot.edit_message_text("<b>v1</b>", chat_id=alice["id"], message_id=msg.message_id,
                                        parse_mode="HTML", reply_markup=keyboard("a"))
        edited = await bot.edit_message_text("v2", chat_id=alice["id"], message_id=msg.message_id)
        assert edited.text == "v2" and edited.edit_date is not None
        assert edited.reply_markup is None  # omitting reply_markup removes the keyboard
        with pytest.raises(BadRequest, match="(?i)Message is not modified"):
            await bot.edit_message_reply_markup(chat_id=alice["id"], message_id=msg.message_id)
        edited = await bot.edit_message_reply_markup(alice["id"], msg.message_id, reply_markup=keyboard("b"))
        assert edited.reply_markup.inline_keyboard[0][0].callback_data == "b"
        with pytest.raises(BadRequest, match="(?i)Can't parse entities"):
            await bot.edit_message_text("<i>x", chat_id=alice["id"], message_id=msg.message_id,
                                        parse_mode="HTML")
        user_msg = server.send_text(alice, alice, "hello")["message"]
        with pytest.raises(BadRequest, match="(?i)Message can't be edited"):
            await bot.edit_message_text("x", chat_id=alice["id"], message_id=user_msg["message_id"])
        assert await bot.delete_message(alice["id"], msg.message_id) is True
        with pytest.raises(BadRequest, match="(?i)Message to delete not found"):
            await bot.delete_message(alice["id"], msg.message_id)
    assert server.message(alice["id"], msg.message_id) is None


@pytest.mark.asyncio
async def test_blocked_chat_is_forbidden(server, alice):
    group = server.group(-100123, "Office")
    async with make_bot(server) as bot:
        msg = await bot.send_message(alice["id"], "hi")
        server.block_chat(alice["id"])
        with pytest.raises(Forbidden, match="(?i)bot was blocked by the user"):
            await bot.send_message(alice["id"], "hi again")
        with pytest.raises(Forbidden, match="(?i)bot was blocked by the user"):
            await bot.edit_message_text("x", chat_id=alice["id"], message_id=msg.message_id)
        await bot.send_message(group["id"], "in group")
        server.block_chat(group["id"], by=alice)
        with pytest.raises(Forbidden, match="(?i)bot was kicked from the supergroup chat"):
            await bot.send_message(group["id"], "hi")
        updates = await bot.get_updates()
    kinds = [(u.my_chat_member.chat.id, u.my_chat_member.new_chat_member.status) for u in updates]
    assert kinds == [(alice["id"], "kicked"), (group["id"], "kicked")]
    assert updates[0].my_chat_member.old_chat_member.status == "member"


# ----------------------------------------------------------------------------- updates


@pytest.mark.asyncio
async def test_long_poll_delivers_user_message_with_entities(server, alice):
    group = server.group(-1001234567890, "Office")
    async with make_bot(server) as bot:
        started = time.monotonic()
        poll = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.to_thread(server.wait_until_polling, 5)
        sent = server.send_text(alice, alice, "/start@office_test_bot hi")
        updates = await poll
        assert time.monotonic() - started < 3  # woken by the update, not by the timeout
        assert [u.update_id for u in updates] == [sent["update_id"]]
        msg = updates[0].message
        assert msg.text == "/start@office_test_bot hi" and msg.from_user.id == alice["id"]
        assert [(e.type, msg.parse_entity(e)) for e in msg.entities] == [
            ("bot_command", "/start@office_test_bot")]

        text = "😀 ping @alice about #budget, see https://example.com/x."
        server.send_text(group, alice, text, entities=find_entities(text))  # privacy: not a command
        server.send_text(group, alice, "/report now 👍 @office_test_bot")
        updates = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=1)
        assert len(updates) == 1  # the non-command group message is not delivered (privacy mode)
        msg = updates[0].message
        assert msg.chat.type == "supergroup" and msg.chat.title == "Office"
        ents = [(e.type, e.offset, e.length, msg.parse_entity(e)) for e in msg.entities]
        assert ents == [("bot_command", 0, 7, "/report"), ("mention", 15, 16, "@office_test_bot")]

        # entities of a message with an emoji before the mention use UTF-16 offsets
        upd = server.send_text(alice, alice, text)
        updates = await bot.get_updates(offset=updates[-1].update_id + 1, timeout=1)
        msg = updates[0].message
        assert updates[0].update_id == upd["update_id"]
        assert [(e.type, e.offset, msg.parse_entity(e)) for e in msg.entities] == [
            ("mention", 8, "@alice"), ("hashtag", 21, "#budget"), ("url", 34, "https://example.com/x")]

        # confirmation via offset, limit and allowed_updates
        for i in range(3):
            server.send_text(alice, alice, f"m{i}")
        first = await bot.get_updates(offset=updates[-1].update_id + 1, limit=2)
        assert [u.message.text for u in first] == ["m0", "m1"]
        rest = await bot.get_updates(offset=first[-1].update_id + 1)
        assert [u.message.text for u in rest] == ["m2"]
        await bot.get_updates(offset=rest[-1].update_id + 1, allowed_updates=["callback_query"])
        server.send_text(alice, alice, "filtered out")
        assert server.pending_updates() == []
        started = time.monotonic()
        assert await bot.get_updates(timeout=1) == ()
        assert time.monotonic() - started >= 0.9


@pytest.mark.asyncio
async def test_reply_to_bot_message(server, alice):
    async with make_bot(server) as bot:
        question = await bot.send_message(alice["id"], "What is your name?")
        server.send_text(alice, alice, "Alice", reply_to=question.message_id)
        (update,) = await bot.get_updates()
        reply = update.message.reply_to_message
        assert reply.message_id == question.message_id and reply.from_user.id == server.bot_id
        answer = await bot.send_message(alice["id"], "Hi", reply_parameters=ReplyParameters(
            update.message.message_id))
        assert answer.reply_to_message.text == "Alice"
        assert answer.reply_to_message.reply_to_message is None  # not nested further


@pytest.mark.asyncio
async def test_callback_query_answered_once(server, alice):
    async with make_bot(server) as bot:
        msg = await bot.send_message(alice["id"], "Pick", reply_markup=keyboard("yes", "no"))
        with pytest.raises(ValueError):
            server.press_button(msg, "maybe", alice)  # no such button on the message
        server.press_button(msg, "yes", alice)
        (update,) = await bot.get_updates()
        query = update.callback_query
        assert query.data == "yes" and query.from_user.id == alice["id"]
        assert query.message.message_id == msg.message_id and query.chat_instance
        with pytest.raises(BadRequest, match="(?i)Message_too_long"):
            await bot.answer_callback_query(query.id, text="x" * 201)
        assert await bot.answer_callback_query(query.id, text="Saved") is True
        with pytest.raises(BadRequest, match="(?i)Query is too old"):
            await bot.answer_callback_query(query.id)
    assert server.callback_answer(query.id)["text"] == "Saved"


@pytest.mark.asyncio
async def test_inline_query_answered_once(server, alice):
    def article(i, text="hello", mode=None):
        return InlineQueryResultArticle(str(i), f"t{i}", InputTextMessageContent(text, parse_mode=mode))

    async with make_bot(server) as bot:
        sent = server.inline_query(alice, "lunch")
        (update,) = await bot.get_updates()
        iq = update.inline_query
        assert iq.query == "lunch" and iq.id == sent["inline_query"]["id"] and iq.offset == ""
        with pytest.raises(BadRequest, match="(?i)Result_id_duplicate"):
            await bot.answer_inline_query(iq.id, [article(1), article(1)])
        with pytest.raises(BadRequest, match="(?i)Results_too_much"):
            await bot.answer_inline_query(iq.id, [article(i) for i in range(51)])
        with pytest.raises(BadRequest, match="(?i)Can't parse entities"):
            await bot.answer_inline_query(iq.id, [article(1, "<b>x", "HTML")])
        with pytest.raises(BadRequest, match="(?i)Result_id_invalid"):
            await bot.answer_inline_query(iq.id, [article("x" * 65)])
        assert await bot.answer_inline_query(iq.id, [article(i) for i in range(50)]) is True
        with pytest.raises(BadRequest, match="(?i)Query is too old"):
            await bot.answer_inline_query(iq.id, [article(1)])
        with pytest.raises(BadRequest, match="(?i)Query is too old"):
            await bot.answer_inline_query("12345", [article(1)])
    assert len(server.inline_answer(iq.id)["results"]) == 50


# ----------------------------------------------------------------------------- polls


@pytest.mark.asyncio
async def test_send_poll(server, alice):
    async with make_bot(server) as bot:
        msg = await bot.send_poll(
            alice["id"], "2+2?", [InputPollOption("3"), "4", "5"], type="quiz",
            correct_option_ids=[1], explanation="<b>basic</b> maths", explanation_parse_mode="HTML",
            open_period=60, is_anonymous=False)
        poll = msg.poll
        assert isinstance(poll.id, str) and poll.type == "quiz" and not poll.is_closed
        assert [o.text for o in poll.options] == ["3", "4", "5"]
        assert all(o.voter_count == 0 for o in poll.options)
        assert poll.correct_option_ids == (1,) and poll.explanation == "basic maths"
        assert poll.explanation_entities[0].type == "bold" and poll.is_anonymous is False
        raw = server.calls_of("sendPoll")[-1].result["poll"]
        assert raw["open_period"] == 60 and raw["allows_multiple_answers"] is False
        regular = await bot.send_poll(alice["id"], "Lunch?", ["Pizza", "Sushi"])
        assert regular.poll.is_anonymous is True and regular.poll.type == "regular"

        bad = [
            {"question": "", "options": ["a", "b"]},
            {"question": "q" * 301, "options": ["a", "b"]},
            {"question": "q", "options": ["a"]},
            {"question": "q", "options": [str(i) for i in range(13)]},
            {"question": "q", "options": ["a", "x" * 101]},
            {"question": "q", "options": ["a", "a"]},
            {"question": "q", "options": ["a", "b"], "type": "quiz"},
            {"question": "q", "options": ["a", "b"], "type": "quiz", "correct_option_ids": [2]},
            {"question": "q", "options": ["a", "b"], "type": "quiz", "correct_option_ids": [0],
                 "explanation": "e" * 201},
            {"question": "q", "options": ["a", "b"], "open_period": 4},
        ]
        for kwargs in bad:
            with pytest.raises(BadRequest):
                await bot.send_poll(alice["id"], **kwargs)
        assert [c.status for c in server.calls_of("sendPoll")] == [200, 200] + [400] * len(bad)

        server.poll_answer(poll.id, alice, [1])
        updates = await bot.get_updates()
        answer = next(u.poll_answer for u in updates if u.poll_answer)
        assert answer.poll_id == poll.id and answer.option_ids == (1,) and answer.user.id == alice["id"]
        state = next(u.poll for u in updates if u.poll)
        assert state.total_voter_count == 1 and state.options[1].voter_count == 1

        stopped = await bot.stop_poll(alice["id"], msg.message_id)
        assert stopped.is_closed and stopped.options[1].voter_count == 1
        with pytest.raises(BadRequest, match="(?i)Poll has already been closed"):
            await bot.stop_poll(alice["id"], msg.message_id)


# ----------------------------------------------------------------------------- chat info


@pytest.mark.asyncio
async def test_chat_members_commands_and_chat_info(server, alice):
    group = server.group(-100777, "Office", username="office_chat")
    bob = server.user(1002, "Bob")
    carol = server.user(1003, "Carol")
    dave = server.user(1004, "Dave")
    server.member_status(group["id"], alice["id"], "creator")
    server.member_status(group["id"], bob["id"], "administrator", can_delete_messages=False)
    server.member_status(group["id"], carol["id"], "restricted")
    server.member_status(group["id"], dave["id"], "kicked")
    async with make_bot(server) as bot:
        owner = await bot.get_chat_member(group["id"], alice["id"])
        admin = await bot.get_chat_member("@office_chat", bob["id"])
        restricted = await bot.get_chat_member(group["id"], carol["id"])
        banned = await bot.get_chat_member(group["id"], dave["id"])
        me = await bot.get_chat_member(group["id"], server.bot_id)
        assert isinstance(owner, ChatMemberOwner) and owner.status == "creator"
        assert isinstance(admin, ChatMemberAdministrator) and admin.can_delete_messages is False
        assert isinstance(restricted, ChatMemberRestricted)
        assert isinstance(banned, ChatMemberBanned)
        assert isinstance(me, ChatMemberMember)
        with pytest.raises(BadRequest, match="(?i)User not found"):
            await bot.get_chat_member(group["id"], 55555)

        info = await bot.get_chat(group["id"])
        assert info.title == "Office" and info.type == "supergroup"
        assert (await bot.get_chat(alice["id"])).first_name == "Alice"

        assert await bot.send_chat_action(alice["id"], "typing") is True
        with pytest.raises(BadRequest, match="(?i)Wrong parameter action"):
            await bot.send_chat_action(alice["id"], "dancing")
        assert server.chat_actions(alice["id"]) == ["typing"]

        assert await bot.set_my_commands([("start", "Start"), ("help", "Help")]) is True
        assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
        assert await bot.get_my_commands(language_code="de") == ()
        with pytest.raises(BadRequest, match="(?i)Bot_command_invalid"):
            await bot.set_my_commands([("Bad-Cmd", "x")])
        assert await bot.delete_my_commands() is True
        assert await bot.get_my_commands() == ()
        assert await bot.set_chat_menu_button(alice["id"]) is True

        assert await bot.set_webhook("https://example.com/hook") is True
        assert (await bot.get_webhook_info()).url == "https://example.com/hook"
        with pytest.raises(Conflict, match="(?i)webhook is active"):
            await bot.get_updates()
        assert await bot.delete_webhook() is True
        with pytest.raises(BadRequest, match="(?i)https url must be provided"):
            await bot.set_webhook("http://example.com/hook")


@pytest.mark.asyncio
async def test_bot_membership_in_groups(server, alice):
    group = server.group(-100888, "Office")
    async with make_bot(server) as bot:
        server.member_status(group["id"], server.bot_id, "left")
        with pytest.raises(Forbidden, match="(?i)bot is not a member of the supergroup chat"):
            await bot.send_message(group["id"], "hi")
        server.add_bot_to_group(group["id"], alice, status="administrator")
        (update,) = await bot.get_updates()
        change = update.my_chat_member
        assert (change.old_chat_member.status, change.new_chat_member.status) == ("left", "administrator")
        assert change.from_user.id == alice["id"]
        await bot.send_message(group["id"], "hi")
        # as an admin the bot sees every group message, and may delete others' messages
        server.send_text(group, alice, "plain chatter")
        (update,) = await bot.get_updates(offset=update.update_id + 1)
        assert await bot.delete_message(group["id"], update.message.message_id) is True
    # Telegram refuses close() during the first 10 minutes after launch
    status, body = raw_request(server, f"/bot{server.token}/close")
    assert status == 429 and body["parameters"]["retry_after"] > 500


def test_wrong_token_is_invalid_token(server):
    async def main():
        async with Bot("999:WRONG", base_url=server.base_url) as bot:
            await bot.get_me()

    with pytest.raises(InvalidToken):
        asyncio.run(main())


# ----------------------------------------------------------------------------- long polling


def test_stop_wakes_a_pending_long_poll():
    srv = FakeBotAPI().start()
    result = {}

    def poll():
        result["answer"] = raw_request(srv, f"/bot{srv.token}/getUpdates?timeout=30")

    thread = threading.Thread(target=poll)
    thread.start()
    srv.wait_until_polling(5)
    started = time.monotonic()
    srv.stop()
    thread.join(5)
    assert time.monotonic() - started < 2
    assert result["answer"] == (200, {"ok": True, "result": []})


def test_newer_get_updates_terminates_older(server):
    result = {}

    def poll():
        result["old"] = raw_request(server, f"/bot{server.token}/getUpdates?timeout=10")

    thread = threading.Thread(target=poll)
    thread.start()
    server.wait_until_polling(5)
    assert raw_request(server, f"/bot{server.token}/getUpdates?timeout=0") == (
        200, {"ok": True, "result": []})
    thread.join(5)
    status, body = result["old"]
    assert status == 409 and "terminated by other getUpdates request" in body["description"]


@pytest.mark.asyncio
async def test_application_end_to_end(server, alice):
    group = server.group(-100555, "Office")

    async def echo(update: Update, context) -> None:
        await update.effective_message.reply_text(" ".join(context.args) or "nothing",
                                                  reply_markup=keyboard("again"))

    async def again(update: Update, context) -> None:
        await update.callback_query.answer("once more")
        await update.callback_query.edit_message_text("done")

    app = ApplicationBuilder().token(server.token).base_url(server.base_url).build()
    app.add_handler(CommandHandler("echo", echo))
    app.add_handler(CallbackQueryHandler(again))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await asyncio.to_thread(server.wait_until_polling, 5)

        server.send_text(alice, alice, "/echo hello world")
        reply = await server.async_wait_for("sendMessage", timeout=5)
        assert reply.ok and reply.params["chat_id"] == alice["id"]
        assert reply.params["text"] == "hello world"

        server.send_text(group, alice, "/echo@office_test_bot in group")
        server.send_text(group, alice, "/echo@other_bot not for us")
        group_reply = await server.async_wait_for(
            "sendMessage", lambda c: c.params["chat_id"] == group["id"], timeout=5)
        assert group_reply.params["text"] == "in group"

        server.press_button(reply, "again", alice)
        answer = await server.async_wait_for("answerCallbackQuery", timeout=5)
        edit = await server.async_wait_for("editMessageText", timeout=5)
        assert answer.ok and answer.params["text"] == "once more"
        assert edit.ok and edit.result["text"] == "done"

        started = time.monotonic()
        await app.updater.stop()
        await app.stop()
    assert time.monotonic() - started < 2
    assert len(server.calls_of("sendMessage")) == 2  # "/echo@other_bot" was not for us
    assert server.pending_updates() == []  # the last updates were confirmed on shutdown
    assert server.calls_of("getMe") and server.calls_of("deleteWebhook")
