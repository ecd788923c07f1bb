"""End to end: admins change the knowledge from a private chat, live, against the fake Bot API.

The bot runs on the live knowledge (shipped + the library in the test's data directory), as
`office-bot run` does. Documents go through getFile and the file download like on Telegram.
"""

from __future__ import annotations

import io
import json

import pytest
from conftest import ADMIN_ID, BotRun
from pdfmaker import make_scanned_pdf

from officebot.bot import admin
from officebot.library.layers import Layers
from officebot.library.live import LiveKnowledge

USER = 700001
NEW_QUESTION = "公务用车派车单需要谁签字"
NEW_ANSWER = "派车单必须由分管领导签字"
NEW_TITLE = "在全县机关后勤工作会议上的讲话"
SLANG_QUESTION = "遇到急茬多久要报"  # 急茬 is nobody's word in the speeches, until /teach


def speech_docx(title: str = NEW_TITLE) -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in (
        title, "同志们：", "一、要管好公务用车",
        f"公务用车实行统一管理，{NEW_ANSWER}，严禁公车私用，节假日车辆一律封存。",
        "二、要节约水电",
        "下班时随手关灯关空调，会议室用完及时断电，全年水电费比上年降低一成。",
    ):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def live(data_dir) -> LiveKnowledge:
    return LiveKnowledge(Layers.default(data_dir))


@pytest.fixture
async def admin_bot(bot_runner: BotRun, live, botapi):
    botapi.user(USER, "小王", "xiaowang")
    botapi.user(ADMIN_ID, "主任", "zhuren")
    bot_runner.kb = live
    bot_runner.application = await bot_runner.start()
    return bot_runner


def library_files(data_dir) -> dict[str, bytes]:
    root = data_dir / "library"
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()} if root.exists() else {}


def pending(data_dir) -> list:
    root = data_dir / "pending"
    return list(root.iterdir()) if root.exists() else []


async def say(botapi, user, text):
    mark = botapi.mark()
    botapi.send_text(user, user, text)
    return (await botapi.async_wait_for("sendMessage", lambda c: int(c["chat_id"]) == user, since=mark)).result


async def send_document(botapi, user, name, data, caption=None):
    mark = botapi.mark()
    botapi.send_document(user, user, name, data, caption=caption)
    return (await botapi.async_wait_for("sendMessage", lambda c: int(c["chat_id"]) == user, since=mark, timeout=30)).result


def buttons(message: dict) -> dict[str, str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


PROGRESS = (admin.IMPORTING, admin.REMOVING, admin.RELOADING)


def outcome_edit(user):
    """An edit of the admin's message that gives an outcome, not a progress note."""
    return lambda c: int(c["chat_id"]) == user and c.get("text") not in PROGRESS


async def press(botapi, message, text, user=ADMIN_ID) -> str:
    """Press the button; the admin message is edited with the outcome, which is returned."""
    mark = botapi.mark()
    botapi.press_button(message, buttons(message)[text], user)
    call = await botapi.async_wait_for("editMessageText", outcome_edit(user), since=mark, timeout=30)
    return call.result["text"]


async def reload_(botapi, user=ADMIN_ID) -> str:
    """/reload: a progress note at once, then the outcome in its place (returned)."""
    mark = botapi.mark()
    botapi.send_text(user, user, "/reload")
    note = (await botapi.async_wait_for("sendMessage", lambda c: int(c["chat_id"]) == user, since=mark)).result
    assert note["text"] == admin.RELOADING
    call = await botapi.async_wait_for("editMessageText", outcome_edit(user), since=mark, timeout=30)
    assert call.result["message_id"] == note["message_id"]
    return call.result["text"]


async def test_a_non_admin_document_is_refused_and_nothing_is_kept(admin_bot, botapi, data_dir):
    reply = await send_document(botapi, USER, "speech.docx", speech_docx())
    assert "只有管理员" in reply["text"] and "没有保存" in reply["text"]
    assert not buttons(reply)
    assert botapi.downloads == [] and not botapi.calls_of("getFile")
    assert library_files(data_dir) == {} and pending(data_dir) == []


async def test_admin_imports_a_docx_and_it_answers_without_a_restart(admin_bot, botapi, data_dir, live):
    before = await say(botapi, USER, NEW_QUESTION)
    assert NEW_ANSWER not in before["text"]
    report = await send_document(botapi, ADMIN_ID, "后勤.docx", speech_docx(), caption="日期：2023-05-06")
    text = report["text"]
    assert f"《{NEW_TITLE}》" in text and "编号：speech-" in text and "2023-05-06" in text
    assert "段落 3 个" in text and "标题 2 个" in text and "要管好公务用车" in text  # headings and first lines
    assert set(buttons(report)) == {"导入", "取消"}
    assert botapi.downloads and library_files(data_dir) == {}  # nothing written before 导入
    generation = live.snapshot.generation

    outcome = await press(botapi, report, "导入")
    assert "已导入" in outcome and "编号：speech-" in outcome
    # while the index was rebuilt the message said so, without its buttons (no second press)
    note, done = [c for c in botapi.calls_of("editMessageText") if int(c["chat_id"]) == ADMIN_ID][-2:]
    assert note["text"] == admin.IMPORTING and "reply_markup" not in note.params and done.result["text"] == outcome
    assert live.snapshot.generation == generation + 1
    after = await say(botapi, USER, NEW_QUESTION)
    assert NEW_ANSWER in after["text"] and f"《{NEW_TITLE}》" in after["text"]
    manifest = (data_dir / "library" / "manifest.yaml").read_text("utf-8")
    assert NEW_TITLE in manifest and "2023-05-06" in manifest and "sha1:" in manifest
    assert pending(data_dir) == []

    # the same speech again, saved as a GBK text file, under another title: a duplicate by content
    lines = [NEW_TITLE, "同志们：", "一、要管好公务用车", f"公务用车实行统一管理，{NEW_ANSWER}，严禁公车私用，节假日车辆一律封存。",
             "二、要节约水电", "下班时随手关灯关空调，会议室用完及时断电，全年水电费比上年降低一成。"]
    again = await send_document(botapi, ADMIN_ID, "copy.txt", "\r\n".join(lines).encode("gbk"),
                                caption="标题：后勤工作会议讲话（修订稿）")
    assert "内容相同" in again["text"] and "编号：speech-" in again["text"] and not buttons(again)

    # /sources lists it with its id; shipped speeches are marked
    sources = await say(botapi, USER, "/sources")
    assert NEW_TITLE in sources["text"] and "（自带）" in sources["text"] and "编号：speech-" in sources["text"]


async def test_a_double_tap_on_import_imports_once(admin_bot, botapi, data_dir, live):
    report = await send_document(botapi, ADMIN_ID, "后勤.docx", speech_docx())
    mark = botapi.mark()
    for _ in range(2):  # two taps before the first is carried out (updates run concurrently)
        botapi.press_button(report, buttons(report)["导入"], ADMIN_ID, strict=False)
    await botapi.async_wait_for("editMessageText", outcome_edit(ADMIN_ID), since=mark, timeout=30)
    await botapi.async_wait_for_count("answerCallbackQuery", 2, since=mark, timeout=10)
    outcomes = [c["text"] for c in botapi.calls_of("editMessageText") if c.seq > mark and c["text"] not in PROGRESS]
    assert len(outcomes) == 1 and "已导入" in outcomes[0]
    toasts = [c.get("text") for c in botapi.calls_of("answerCallbackQuery") if c.seq > mark]
    assert sorted(toasts) == sorted(["正在处理……", admin.BUSY]) or admin.EXPIRED in toasts
    speeches = [name for name in library_files(data_dir) if name.startswith("speeches/")]
    assert len(speeches) == 1 and pending(data_dir) == []


async def test_cancel_leaves_nothing(admin_bot, botapi, data_dir, live):
    report = await send_document(botapi, ADMIN_ID, "后勤.docx", speech_docx())
    assert len(pending(data_dir)) == 1
    generation = live.snapshot.generation
    outcome = await press(botapi, report, "取消")
    assert "已取消" in outcome
    assert library_files(data_dir) == {} and pending(data_dir) == []
    assert live.snapshot.generation == generation
    assert NEW_ANSWER not in (await say(botapi, USER, NEW_QUESTION))["text"]


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "二进制"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "另存为"),
        ("scan.pdf", make_scanned_pdf(), "扫描件"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF", "PDF"),
        ("short.txt", "在某会议上的讲话\n很短。".encode(), "不像一篇讲话"),
    ],
)
async def test_junk_gets_a_clear_reply_and_changes_nothing(admin_bot, botapi, data_dir, live, name, data, words):
    generation = live.snapshot.generation
    reply = await send_document(botapi, ADMIN_ID, name, data)
    assert reply["text"].startswith("未导入") and words in reply["text"]
    assert not buttons(reply)
    assert library_files(data_dir) == {} and pending(data_dir) == [] and live.snapshot.generation == generation


async def test_teach_works_live_and_a_restart_keeps_library_and_synonyms(admin_bot, botapi, data_dir, live):
    assert not (await say(botapi, USER, SLANG_QUESTION))["text"].count("半小时内")
    refused = await say(botapi, USER, "/teach 急茬 = 紧急信息")
    assert "管理员" in refused["text"] and library_files(data_dir) == {}
    taught = await say(botapi, ADMIN_ID, "/teach 急茬 = 紧急信息")
    assert "已记住" in taught["text"]
    assert "半小时内" in (await say(botapi, USER, SLANG_QUESTION))["text"]
    listed = await say(botapi, ADMIN_ID, "/teach")
    assert "急茬 = 紧急信息" in listed["text"]
    bad = await say(botapi, ADMIN_ID, "/teach 急茬")
    assert "用法" in bad["text"]

    report = await send_document(botapi, ADMIN_ID, "后勤.docx", speech_docx())
    assert "已导入" in await press(botapi, report, "导入")

    await admin_bot.stop()
    admin_bot.kb = LiveKnowledge(Layers.default(data_dir))  # what `office-bot run` does at start
    await admin_bot.start()
    assert NEW_ANSWER in (await say(botapi, USER, NEW_QUESTION))["text"]
    assert "半小时内" in (await say(botapi, USER, SLANG_QUESTION))["text"]

    untaught = await say(botapi, ADMIN_ID, "/unteach 急茬")
    assert "已删除" in untaught["text"]
    assert "急茬" not in (data_dir / "library" / "synonyms.yaml").read_text("utf-8").split("\n", 3)[-1]


async def test_remove_works_live(admin_bot, botapi, data_dir, live):
    report = await send_document(botapi, ADMIN_ID, "后勤.docx", speech_docx())
    outcome = await press(botapi, report, "导入")
    speech_id = outcome.split("编号：")[1].split()[0]
    assert NEW_ANSWER in (await say(botapi, USER, NEW_QUESTION))["text"]

    unknown = await say(botapi, ADMIN_ID, "/remove no-such-speech")
    assert "没有编号" in unknown["text"] and not buttons(unknown)
    ask = await say(botapi, ADMIN_ID, f"/remove {speech_id}")
    assert NEW_TITLE in ask["text"] and set(buttons(ask)) == {"删除", "取消"}
    assert NEW_ANSWER in (await say(botapi, USER, NEW_QUESTION))["text"]  # nothing happens before 删除
    done = await press(botapi, ask, "删除")
    assert "已删除" in done and speech_id in done
    assert NEW_ANSWER not in (await say(botapi, USER, NEW_QUESTION))["text"]
    assert NEW_TITLE not in (await say(botapi, USER, "/sources"))["text"]
    assert not (data_dir / "library" / "speeches" / f"{speech_id}.txt").exists()


async def test_reload_reports_file_and_line_and_keeps_the_live_knowledge(admin_bot, botapi, data_dir, live):
    library = data_dir / "library"
    library.mkdir(parents=True)
    (library / "synonyms.yaml").write_text("# 手工修改\n急茬: [紧急信息]\n坏的: {a: b}\n", encoding="utf-8")
    generation = live.snapshot.generation
    reply = await reload_(botapi)
    assert "synonyms.yaml:3" in reply and "没有重新加载" in reply
    assert live.snapshot.generation == generation
    assert "半小时内" not in (await say(botapi, USER, SLANG_QUESTION))["text"]
    (library / "synonyms.yaml").write_text("急茬: [紧急信息]\n", encoding="utf-8")
    reply = await reload_(botapi)
    assert "已重新加载" in reply
    assert "半小时内" in (await say(botapi, USER, SLANG_QUESTION))["text"]


async def test_tips_change_reaches_tip_without_a_restart(admin_bot, botapi, data_dir, live):
    library = data_dir / "library"
    library.mkdir(parents=True)
    shipped = {t.id for t in live.tips}
    tip = {"id": "lib-tip-1", "kind": "point", "doc": "district-office-directors", "paragraph": 1,
           "text": live.current.passages[0].text[:30], "answer": live.current.passages[0].text[:4]}
    (library / "tips.yaml").write_text("tips:\n  - " + json.dumps(tip, ensure_ascii=False) + "\n", encoding="utf-8")
    reply = await reload_(botapi)
    assert "已重新加载" in reply, reply
    assert {t.id for t in live.tips} == shipped | {"lib-tip-1"}
    from officebot.bot.training import training

    assert "lib-tip-1" in training(admin_bot.application).by_id  # what /tip and /quiz draw from


async def test_admin_imports_a_pdf(admin_bot, botapi, data_dir):
    from pdfmaker import make_speech_pdf

    title = "在全市机要保密工作会议上的讲话"
    paragraphs = ["一、涉密载体要专人管理", ("涉密文件一律存放在密码文件柜中，由机要员专人登记、专柜保管，借阅必须经分管领导批准，"
                  "当天借阅当天归还，严禁带回家中或存放在个人办公桌内。")] + [
        f"第{i}项要求：保密检查每季度开展一次，发现问题立即整改，整改情况报保密委员会办公室备案。" for i in range(1, 25)]
    report = await send_document(botapi, ADMIN_ID, "保密.pdf", make_speech_pdf(title, paragraphs), caption="日期：2022-03-15")
    assert f"《{title}》" in report["text"] and "编号：speech-" in report["text"]
    assert "导入" in await press(botapi, report, "导入")
    answer = await say(botapi, USER, "涉密文件借阅要谁批准")
    assert "经分管领导批准" in answer["text"] and title in answer["text"]


async def test_buttons_made_before_a_library_change_say_they_are_stale(admin_bot, botapi, data_dir, live):
    """Passage ids shift when a speech is added or removed: an old answer's 上下文 and 👍 buttons
    must not show or count whatever passage has that id now."""
    old = await say(botapi, USER, "信息报送时限是多少")
    old_buttons = buttons(old)
    report = await send_document(botapi, ADMIN_ID, "后勤.docx", speech_docx())
    await press(botapi, report, "导入")
    assert NEW_ANSWER in (await say(botapi, USER, NEW_QUESTION))["text"]  # the library changed
    for text in ("上下文", "👍 有用"):
        mark = botapi.mark()
        update = botapi.press_button(old, old_buttons[text], USER)
        answer = await botapi.async_wait_for(
            "answerCallbackQuery", lambda c, q=update["callback_query"]["id"]: c["callback_query_id"] == q, since=mark
        )
        assert "知识库已更新" in answer.params.get("text", ""), text
    # a new answer's buttons work
    fresh = await say(botapi, USER, "信息报送时限是多少")
    mark = botapi.mark()
    botapi.press_button(fresh, buttons(fresh)["上下文"], USER)
    context = await botapi.async_wait_for("sendMessage", lambda c: int(c["chat_id"]) == USER, since=mark)
    assert "小时" in context.result["text"]


async def test_asking_what_it_has_read_gives_the_list_sources_gives(admin_bot, botapi):
    """With live knowledge /sources lists each speech's id; "知识库里有哪些讲话" shows the same list."""
    listed = await say(botapi, USER, "/sources")
    assert "编号：" in listed["text"]
    assert (await say(botapi, USER, "知识库里有哪些讲话"))["text"] == listed["text"]
