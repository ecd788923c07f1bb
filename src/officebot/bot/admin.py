"""The bot's admins (OFFICE_BOT_ADMINS) change the knowledge from a private chat, live.

    a document (.txt .html .docx .pdf; caption 标题：… 日期：2023-05-06 optional)
                            -> the ingestion report with 导入 / 取消 buttons
    /sources                the speeches with their ids (shipped ones marked): for everyone
    /remove ID              asks with a 删除 button, then takes the speech out
    /teach 用户说法 = 讲话说法1, 讲话说法2   adds a synonym; /teach alone lists the library's
    /unteach 用户说法        removes one
    /reload                 re-reads the library after someone edited its files on the server

The work is the library package's (officebot.library: ingest, layers, live); these handlers
parse, call it in a worker thread, and reply. Every change is written to the library in the data
directory, then `LiveKnowledge.reload` builds the new index in the background and swaps it in;
if that fails the change is undone and the admin gets the file and line. A document waits for
导入 in data/pending/ (so the buttons survive a restart); 取消 deletes it. A non-admin's document
is never downloaded.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import shutil
import time
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler
from telegram.ext import filters as ptb_filters

from officebot.bot import render
from officebot.bot.core import BotSetup, services
from officebot.library.formats import MAX_BYTES, IngestError
from officebot.library.ingest import IngestReport, commit, prepare
from officebot.library.layers import SHIPPED, Library, LibraryError, read_sources
from officebot.library.live import LiveKnowledge
from officebot.retrieval.knowledge import KnowledgeError

logger = logging.getLogger(__name__)

CALLBACK_PATTERN = r"^lib:"
PENDING = "pending"
PENDING_DAYS = 7  # a document waits this long for 导入 or 取消
ADMINS_ONLY = "抱歉，只有管理员可以修改知识库。"
DOCUMENT_REFUSED = "抱歉，只有管理员可以向知识库添加讲话，您发来的文件没有保存。如需收录，请联系管理员。"
PRIVATE_ONLY = "请在与我的私聊中使用这个命令。"
NOT_LIVE = "这个机器人的知识库不能在线修改。"
EXPIRED = "这个按钮已失效。"
BUSY = "正在处理，请稍候……"
IMPORTING = "正在导入并更新知识库，完成后结果会显示在这里……"
REMOVING = "正在删除并更新知识库，完成后结果会显示在这里……"
RELOADING = "正在重新加载知识库，完成后结果会显示在这里……"
USAGE_TEACH = "用法：/teach 用户说法 = 讲话说法1, 讲话说法2，例如 /teach 上报 = 报送, 报告"
USAGE_UNTEACH = "用法：/unteach 用户说法，例如 /unteach 上报"
USAGE_REMOVE = "用法：/remove 编号（/sources 可查看全部编号）"
_CAPTION_TITLE = re.compile(r"标题[ \t]*[:：][ \t]*([^\n]+?)[ \t]*(?=日期[ \t]*[:：]|\n|$)")
_CAPTION_DATE = re.compile(r"日期\s*[:：]\s*(\S+)")
_WORD = re.compile(r"^[^\s=＝:：,，、;；\[\]{}#\"'`]{1,20}$")


# ---- helpers (no Telegram calls) -------------------------------------------------------------

def parse_caption(caption: str | None) -> tuple[str | None, str | None]:
    """(title, date) from a caption such as "标题：在…会议上的讲话 日期：2023-05-06"."""
    if not caption:
        return None, None
    title = _CAPTION_TITLE.search(caption)
    date = _CAPTION_DATE.search(caption)
    return (title.group(1).strip() or None) if title else None, date.group(1) if date else None


def parse_teach(text: str) -> tuple[str, list[str]]:
    """"用户说法 = 讲话说法1, 讲话说法2" -> (word, [words]); ValueError with the reason."""
    if not re.search(r"[=＝]", text):
        raise ValueError(USAGE_TEACH)
    left, right = re.split(r"[=＝]", text, maxsplit=1)
    word = left.strip()
    words = [w.strip() for w in re.split(r"[,，、;；\s]+", right) if w.strip()]
    if not word or not words:
        raise ValueError(USAGE_TEACH)
    for w in [word, *words]:
        if not _WORD.match(w):
            raise ValueError(f"“{w}”不行：每个说法是 1–20 个字的一个词，不含空格和标点。{USAGE_TEACH}")
    if len(words) > 20:
        raise ValueError("一次最多 20 个讲话说法")
    return word, words


def render_report(report: IngestReport) -> str:
    s = report.speech
    doc = render.Html().bold("导入预览：" if not report.replaces else "替换预览：").text(f"《{render.shorten(s.title, 120)}》")
    doc.text(f"\n编号：{s.id}")
    doc.text(f"\n日期：{s.date or '未注明（可在说明中写 日期：2023-05-06）'}")
    doc.text(f"\n段落 {report.paragraphs} 个，标题 {len(report.headings)} 个，检索片段 {report.passages} 个")
    if report.headings:
        doc.text("\n\n").bold("标题：")
        for level, label in report.headings[:12]:
            doc.text("\n" + "  " * level + render.shorten(label, 60))
        if len(report.headings) > 12:
            doc.text(f"\n……共 {len(report.headings)} 个")
    doc.text("\n\n").bold("开头几行：")
    for line in report.first_lines:
        doc.text("\n" + render.shorten(line, 120))
    if report.dropped:
        doc.text(f"\n\n已去除标题行和网页杂项 {len(report.dropped)} 处")
    for warning in report.warnings:
        doc.text("\n注意：" + render.shorten(warning, 200))
    doc.text("\n\n点“导入”后生效，点“取消”放弃。")
    return str(doc)


def _keyboard(token: str, yes: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(yes, callback_data=f"lib:ok:{token}"),
        InlineKeyboardButton("取消", callback_data=f"lib:no:{token}"),
    ]])


def _problems(text: str, limit: int = 3000) -> str:
    return render.shorten(text, limit)


# ---- pending actions (on disk: the buttons survive a restart) ---------------------------------

def _pending_dir(context: ContextTypes.DEFAULT_TYPE) -> Path:
    return Path(services(context).settings.data_dir) / PENDING


def _save_pending(context: ContextTypes.DEFAULT_TYPE, action: dict, data: bytes | None = None) -> str:
    _prune_pending(_pending_dir(context))
    token = secrets.token_hex(6)
    folder = _pending_dir(context) / token
    folder.mkdir(parents=True, exist_ok=True)
    if data is not None:
        (folder / "file").write_bytes(data)
    (folder / "action.json").write_text(json.dumps(action, ensure_ascii=False), encoding="utf-8")
    return token


def _prune_pending(root: Path, max_age: float = PENDING_DAYS * 86400) -> None:
    """Forget documents nobody pressed 导入 or 取消 for within PENDING_DAYS."""
    if not root.is_dir():
        return
    now = time.time()
    for folder in root.iterdir():
        try:
            if now - folder.stat().st_mtime > max_age:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def _load_pending(context: ContextTypes.DEFAULT_TYPE, token: str) -> tuple[dict, bytes | None] | None:
    if not re.fullmatch(r"[0-9a-f]{12}", token):
        return None
    folder = _pending_dir(context) / token
    try:
        action = json.loads((folder / "action.json").read_text(encoding="utf-8"))
        data = (folder / "file").read_bytes() if (folder / "file").is_file() else None
    except (OSError, ValueError):
        return None
    return action, data


def _drop_pending(context: ContextTypes.DEFAULT_TYPE, token: str) -> None:
    if re.fullmatch(r"[0-9a-f]{12}", token):
        shutil.rmtree(_pending_dir(context) / token, ignore_errors=True)


# ---- shared checks --------------------------------------------------------------------------

async def _reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None):
    """Say `text` in the update's chat; the message sent (None if there is no chat to say it in)."""
    message = update.effective_message
    if message is not None:
        return await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup, do_quote=False)
    return None


async def _admin_live(update: Update, context: ContextTypes.DEFAULT_TYPE) -> LiveKnowledge | None:
    """The live knowledge if the user is an admin in a private chat; else a reply and None."""
    svc = services(context)
    user = update.effective_user
    chat = update.effective_chat
    if not svc.settings.is_admin(user.id if user else None):
        await _reply(update, render.plain(ADMINS_ONLY))
        return None
    if chat is None or chat.type != ChatType.PRIVATE:
        await _reply(update, render.plain(PRIVATE_ONLY))
        return None
    if not isinstance(svc.kb, LiveKnowledge):
        await _reply(update, render.plain(NOT_LIVE))
        return None
    return svc.kb


async def _apply(live: LiveKnowledge, change) -> str | None:
    """Rebuild the live index after a change; on failure undo the change. None if all went well,
    else the problems for the admin."""
    result = await asyncio.to_thread(live.reload)
    if result.ok:
        return None
    await asyncio.to_thread(change.undo)
    return "改动后知识库读不通，已撤销，线上知识库保持不变：\n" + "\n".join(result.problems)


# ---- documents --------------------------------------------------------------------------------

async def document_received(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    document = message.document
    svc = services(context)
    user = update.effective_user
    if not svc.settings.is_admin(user.id if user else None):
        await _reply(update, render.plain(DOCUMENT_REFUSED))  # never downloaded, nothing kept
        return
    live = await _admin_live(update, context)
    if live is None:
        return
    name = document.file_name or "document"
    if document.file_size and document.file_size > MAX_BYTES:
        await _reply(update, render.plain(f"未导入：{name} 超过 20 MB，机器人无法下载；请压缩图片或另存为 .docx 后再发。"))
        return
    title, date = parse_caption(message.caption)
    try:
        telegram_file = await document.get_file()
        data = bytes(await telegram_file.download_as_bytearray())
    except TelegramError as exc:
        logger.warning("download of %s failed: %s", name, exc)
        await _reply(update, render.plain(f"未导入：文件下载失败（{exc.message}），请稍后重发。"))
        return
    sources = list(live.sources)
    try:
        report = await asyncio.to_thread(prepare, name, data, sources, title=title, date=date)
    except IngestError as exc:
        await _reply(update, render.plain(f"未导入：{exc}"))
        return
    token = _save_pending(context, {"kind": "ingest", "name": name, "title": title, "date": date,
                                    "user": user.id}, data)
    await _reply(update, render_report(report), _keyboard(token, "导入"))


async def _do_ingest(live: LiveKnowledge, action: dict, data: bytes) -> str:
    try:
        # the manifests as they are now (someone may have ingested from the terminal meanwhile)
        sources = await asyncio.to_thread(read_sources, live.layers)
        report = await asyncio.to_thread(
            prepare, action["name"], data, sources, title=action.get("title"), date=action.get("date"),
        )
        change = await asyncio.to_thread(commit, report, live.layers)
    except (IngestError, LibraryError, KnowledgeError) as exc:
        return f"未导入：{exc}"
    problem = await _apply(live, change)
    if problem:
        return problem
    s = report.speech
    return f"已导入《{s.title}》\n编号：{s.id}\n现在就可以提问了（{report.passages} 个检索片段）。"


# ---- commands ---------------------------------------------------------------------------------

def sources_text(svc) -> str | None:
    """Every speech with its id, shipped ones marked; None when the bot runs on a fixed knowledge
    base (the Q&A module's plain list then). What /sources and "知识库里有哪些讲话" show."""
    kb = svc.kb
    if not isinstance(kb, LiveKnowledge):
        return None
    sources = kb.sources
    if not sources:
        return render.plain("知识库里还没有讲话。")
    counts = kb.current.passages_per_speech()
    doc = render.Html().bold(f"知识库收录的讲话（{len(sources)} 篇）")
    for i, s in enumerate(sources, 1):
        doc.text(f"\n\n{i}. ").bold(f"《{render.shorten(s.speech.title, 120)}》")
        facts = [x for x in (s.speech.date, s.speech.speaker) if x] + [f"{counts.get(s.speech.id, 0)} 个片段"]
        doc.text(f"\n    编号：{s.speech.id}" + ("（自带）" if s.layer == SHIPPED else ""))
        doc.text("\n    ").italic(render.shorten(" · ".join(facts), 200))
        if doc.length > render.MAX_MESSAGE - 300:
            doc.text(f"\n\n……共 {len(sources)} 篇（office-bot sources 可列出全部）")
            break
    return str(doc)


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stands in for the Q&A module's /sources when the knowledge is live."""
    text = sources_text(services(context))
    if text is None:
        return  # the Q&A module's /sources answers
    await _reply(update, text)
    raise ApplicationHandlerStop


async def remove_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    live = await _admin_live(update, context)
    if live is None:
        return
    args = context.args or []
    if len(args) != 1:
        await _reply(update, render.plain(USAGE_REMOVE))
        return
    found = next((s for s in live.sources if s.speech.id == args[0]), None)
    if found is None:
        await _reply(update, render.plain(f"没有编号为 {args[0]} 的讲话。{USAGE_REMOVE}"))
        return
    token = _save_pending(context, {"kind": "remove", "id": found.speech.id, "user": update.effective_user.id})
    note = "（安装自带的讲话：将被隐藏，不再参与回答）" if found.layer == SHIPPED else ""
    text = f"确定删除《{found.speech.title}》吗？\n编号：{found.speech.id}{note}"
    await _reply(update, render.plain(text), _keyboard(token, "删除"))


async def _change_synonyms(update: Update, live: LiveKnowledge, change_library, *args) -> None:
    """Write a synonym change to the library, rebuild the live index, and tell the admin."""
    try:
        change = await asyncio.to_thread(change_library, *args)
    except LibraryError as exc:
        await _reply(update, render.plain(_problems(str(exc))))
        return
    problem = await _apply(live, change)
    await _reply(update, render.plain(_problems(problem or f"{change.message}。现在就生效。")))


async def teach_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    live = await _admin_live(update, context)
    if live is None:
        return
    parts = (update.effective_message.text or "").split(maxsplit=1)
    library = Library(live.layers)
    if len(parts) < 2 or not parts[1].strip():
        try:
            table = await asyncio.to_thread(library.synonyms)
        except LibraryError as exc:
            await _reply(update, render.plain(_problems(str(exc))))
            return
        if not table:
            await _reply(update, render.plain(f"资料库里还没有同义词。{USAGE_TEACH}"))
            return
        lines = [f"{k} = {', '.join(v)}" for k, v in table.items()]
        await _reply(update, render.plain(_problems(f"资料库的同义词（{len(table)} 条）：\n" + "\n".join(lines))))
        return
    try:
        word, words = parse_teach(parts[1])
    except ValueError as exc:
        await _reply(update, render.plain(str(exc)))
        return
    await _change_synonyms(update, live, library.teach, word, words)


async def unteach_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    live = await _admin_live(update, context)
    if live is None:
        return
    args = context.args or []
    if len(args) != 1:
        await _reply(update, render.plain(USAGE_UNTEACH))
        return
    await _change_synonyms(update, live, Library(live.layers).unteach, args[0])


async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    live = await _admin_live(update, context)
    if live is None:
        return
    # a large library takes a while to index: say so at once, then put the outcome in its place
    progress = await _reply(update, render.plain(RELOADING))
    result = await asyncio.to_thread(live.reload)
    if not result.ok:
        text = "知识库有错误，没有重新加载，线上仍是原来的知识库：\n" + "\n".join(result.problems)
    else:
        kb = result.snapshot.kb
        text = (f"已重新加载：{len(kb.speeches)} 篇讲话，{len(kb.passages)} 个检索片段，"
                f"{len(result.snapshot.tips)} 条提示（{result.seconds:.1f} 秒）。")
    done = render.plain(_problems(text))
    if progress is not None:
        try:
            await progress.edit_text(done, parse_mode=ParseMode.HTML)
            return
        except TelegramError as exc:  # e.g. the progress message was deleted: say it anew
            logger.info("could not edit the reload message: %s", exc)
    await _reply(update, done)


# ---- buttons ----------------------------------------------------------------------------------

async def button_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    svc = services(context)
    parts = (query.data or "").split(":")
    if len(parts) != 3 or parts[1] not in ("ok", "no"):
        await query.answer(EXPIRED)
        return
    if not svc.settings.is_admin(query.from_user.id) or not isinstance(svc.kb, LiveKnowledge):
        await query.answer(ADMINS_ONLY)
        return
    token = parts[2]
    # a second tap while the first is carried out (updates are handled concurrently) is told so;
    # checked and marked before any await, and once carried out the change is no longer pending
    busy = context.bot_data.setdefault("admin_changes", set())
    if token in busy:
        await query.answer(BUSY)
        return
    busy.add(token)
    try:
        pending = await asyncio.to_thread(_load_pending, context, token)
        if pending is None:
            await query.answer(EXPIRED)
            return
        action, data = pending
        await _carry_out(query, context, token, parts[1], action, data)
    finally:
        busy.discard(token)


async def _carry_out(query, context: ContextTypes.DEFAULT_TYPE, token: str, choice: str, action: dict,
                     data: bytes | None) -> None:
    """导入/删除 (`choice` "ok") or 取消 ("no") of a pending change."""
    svc = services(context)
    if choice == "no":
        await asyncio.to_thread(_drop_pending, context, token)
        await query.answer("已取消")
        await _edit(query, "已取消，知识库没有改动。")
        return
    await query.answer("正在处理……")
    # the buttons go at once (no second press while the index is rebuilt) and the message says
    # what is going on until the outcome takes its place
    await _edit(query, IMPORTING if action.get("kind") == "ingest" else REMOVING, progress=True)
    live = svc.kb
    if action.get("kind") == "ingest" and data is not None:
        text = await _do_ingest(live, action, data)
    elif action.get("kind") == "remove":
        try:
            change = await asyncio.to_thread(Library(live.layers).remove_speech, str(action.get("id")))
        except (LibraryError, KnowledgeError) as exc:
            text = f"未删除：{exc}"
        else:
            text = await _apply(live, change) or f"{change.message}，已生效。"
    else:
        text = EXPIRED
    await asyncio.to_thread(_drop_pending, context, token)
    await _edit(query, text)


async def _edit(query, text: str, progress: bool = False) -> None:
    """Put `text` in place of the admin message (and its buttons); if it cannot be edited, say the
    outcome anew (a progress note is simply left out)."""
    try:
        await query.edit_message_text(render.plain(_problems(text)), parse_mode=ParseMode.HTML)
    except TelegramError as exc:  # e.g. the message is too old to edit: say it anew
        logger.info("could not edit the admin message: %s", exc)
        if query.message is not None and not progress:
            await query.message.reply_text(render.plain(_problems(text)), parse_mode=ParseMode.HTML)


# ---- registration -----------------------------------------------------------------------------

def register(setup: BotSetup) -> None:
    """Admin commands, documents, the 导入/取消/删除 buttons; /sources with ids for everyone."""
    setup.add_command("remove", "删除一篇讲话：/remove 编号（管理员）", remove_command)
    setup.add_command("teach", "教同义词：/teach 用户说法 = 讲话说法（管理员）", teach_command)
    setup.add_command("unteach", "删除同义词：/unteach 用户说法（管理员）", unteach_command)
    setup.add_command("reload", "重新读取资料库（管理员）", reload_command)
    new = ptb_filters.UpdateType.MESSAGE
    setup.add_handler(MessageHandler(new & ptb_filters.ChatType.PRIVATE & ptb_filters.Document.ALL, document_received))
    setup.add_handler(CallbackQueryHandler(button_pressed, pattern=CALLBACK_PATTERN))
    setup.services.list_sources = sources_text  # the list small talk ("有哪些讲话") shows too
    # answers /sources before the Q&A module's handler (group 0) and stops it
    setup.add_handler(CommandHandler("sources", sources_command, filters=new), group=-1)
