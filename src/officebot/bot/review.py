"""/review: admins teach the bot from use, in a private chat.

The list holds the questions the bot did not answer and those whose answer got a 👎, the most
frequent first, then 👍 given to a passage reached through 更多 (offered as suggestions, never
applied by themselves). Each comes with its best candidate passages as buttons: one tap binds the
question to that passage's paragraph (annotations.yaml in the library directory; the bound wording
is indexed with the paragraph), another marks it "not covered"; either way it leaves the list.

Buttons: "rv:b:<question id>:<passage id>" binds, "rv:n:<question id>" marks not covered,
"rv:s:<position>" shows another item of the list.
"""

from __future__ import annotations

import asyncio
import html
import inspect
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from officebot.bot.core import BotSetup, services
from officebot.bot.followup import HISTORY, history
from officebot.bot.history import ReviewItem, bind_to_passage, candidates, library_dir
from officebot.library.annotations import AnnotationsError, mark_not_covered, read_annotations

logger = logging.getLogger(__name__)

CANDIDATES = 3
SNIPPET = 90
ADMINS_ONLY = "这个命令只对管理员开放。"
PRIVATE_ONLY = "请在和我的私聊中使用 /review。"
NOTHING = "没有待处理的问题：未回答和被点 👎 的问题都处理完了。"
EXPIRED = "这个按钮已失效，请重新发送 /review。"
STALE = "知识库已更新，这个按钮已失效，请重新发送 /review。"
NOT_RELOADED = "（知识库还没有重新载入：发 /reload 或重启后生效）"


# ---- what the message says (no Telegram calls) -----------------------------------------------

def render_item(item: ReviewItem, position: int, total: int, passages: list, status: str = "") -> str:
    lines = [html.escape(status), ""] if status else []
    kind = "建议" if item.suggestion else "待处理"
    lines.append(f"<b>{kind} {position + 1}/{total}</b>：“{html.escape(item.question)}”")
    counts = [f"问过 {item.asked} 次"]
    if item.unanswered:
        counts.append(f"未回答 {item.unanswered} 次")
    if item.disliked:
        counts.append(f"👎 {item.disliked}")
    if item.liked_passages:
        counts.append("有人对“更多”里的段落点了 👍")
    lines.append("，".join(counts))
    lines.append("")
    if passages:
        lines.append("候选段落（点编号即把问题关联到该段）：")
        for number, p in enumerate(passages, 1):
            where = f"《{p.title}》" + (f" › {p.section[-1]}" if p.section else "") + f" 第 {p.paragraph} 段"
            text = p.text if len(p.text) <= SNIPPET else p.text[:SNIPPET] + "…"
            lines.append(f"{number}. {html.escape(where)}\n{html.escape(text)}")
    else:
        lines.append("没有候选段落。")
    return "\n".join(lines)


def item_keyboard(item: ReviewItem, position: int, total: int, passages: list, generation: int) -> InlineKeyboardMarkup:
    binds = [  # with the knowledge's generation: after a library change the ids may name other passages
        InlineKeyboardButton(f"关联 {n}", callback_data=f"rv:b:{item.question_id}:{p.id}:{generation}")
        for n, p in enumerate(passages, 1)
    ]
    rows = [binds] if binds else []
    row = [InlineKeyboardButton("讲话未涉及", callback_data=f"rv:n:{item.question_id}")]
    if total > 1:
        row.append(InlineKeyboardButton("跳过 »", callback_data=f"rv:s:{(position + 1) % total}"))
    rows.append(row)
    return InlineKeyboardMarkup(rows)


# ---- the list --------------------------------------------------------------------------------

def _items(context: ContextTypes.DEFAULT_TYPE) -> list[ReviewItem]:
    svc = services(context)
    return history(context).review_items(read_annotations(library_dir(svc.settings.data_dir)))


def _page(context: ContextTypes.DEFAULT_TYPE, position: int, status: str = "") -> tuple[str, InlineKeyboardMarkup | None]:
    items = _items(context)
    if not items:
        return (html.escape(status) + "\n\n" if status else "") + NOTHING, None
    position = min(max(0, position), len(items) - 1)
    item = items[position]
    kb = services(context).kb
    passages = candidates(kb, item, CANDIDATES)
    return (render_item(item, position, len(items), passages, status),
            item_keyboard(item, position, len(items), passages, kb.generation))


async def reload_knowledge(application: Application) -> bool:
    """Make the live knowledge pick up new bindings: the live knowledge's `reload` (the library's
    LiveKnowledge: build in a worker thread, then swap), or a `reload_knowledge` hook on the
    services. False when there is neither, when the hook had nothing to reload (it returned None),
    or when the rebuild failed (the old index stays live)."""
    svc = services(application)
    hook = getattr(svc, "reload_knowledge", None)
    if not callable(hook):
        hook = getattr(svc.kb, "reload", None)
    if not callable(hook):
        logger.info("annotations saved; the knowledge cannot reload: they apply from the next start")
        return False
    result = await hook() if inspect.iscoroutinefunction(hook) else await asyncio.to_thread(hook)
    if inspect.isawaitable(result):
        result = await result
    # None: the hook had nothing to reload (a fixed KnowledgeBase); a result with ok=False: the
    # rebuild failed and the old index stays live
    return result is not None and getattr(result, "ok", True) is not False


# ---- handlers --------------------------------------------------------------------------------

async def review_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if not svc.settings.is_admin(user.id if user else None):
        await message.reply_text(ADMINS_ONLY, do_quote=False)
        return
    if chat is None or chat.type != ChatType.PRIVATE:
        await message.reply_text(PRIVATE_ONLY, do_quote=True)
        return
    try:
        text, markup = await asyncio.to_thread(_page, context, 0)
    except AnnotationsError as exc:
        await message.reply_text(f"关联文件有错误，请先修正：{exc}", do_quote=False)
        return
    await message.reply_text(text, parse_mode=ParseMode.HTML, reply_markup=markup, do_quote=False)


async def review_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    svc = services(context)
    if not svc.settings.is_admin(query.from_user.id):
        await query.answer(ADMINS_ONLY)
        return
    parts = (query.data or "").split(":")
    if query.message is None or not query.message.is_accessible or len(parts) < 3 or not all(
        p.isdigit() for p in parts[2:]
    ):
        await query.answer(EXPIRED)
        return
    action, numbers = parts[1], [int(p) for p in parts[2:]]
    library = library_dir(svc.settings.data_dir)
    status = ""
    try:
        if action == "s" and len(numbers) == 1:
            position = numbers[0]
        elif action == "b" and len(numbers) == 3 and numbers[2] != svc.kb.generation:
            await query.answer(STALE, show_alert=True)
            return
        elif action in ("b", "n") and len(numbers) in ((2, 3) if action == "b" else (1,)):
            asked = history(context).asked(numbers[0])
            if asked is None:
                await query.answer(EXPIRED)
                return
            if action == "b":
                passage = await asyncio.to_thread(bind_to_passage, library, svc.kb, asked.question, numbers[1])
                status = f"✅ 已关联：“{asked.question}” → 《{passage.title}》第 {passage.paragraph} 段"
                if not await reload_knowledge(context.application):
                    status += NOT_RELOADED
            else:
                await asyncio.to_thread(mark_not_covered, library, asked.question)
                status = f"☑️ 已标记为讲话未涉及：“{asked.question}”"
            position = 0
        else:
            await query.answer(EXPIRED)
            return
        text, markup = await asyncio.to_thread(_page, context, position, status)
    except AnnotationsError as exc:
        await query.answer(str(exc)[:190], show_alert=True)
        return
    await query.answer("已保存" if status else None)
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def close_history(application: Application) -> None:
    reader = application.bot_data.pop(HISTORY, None)
    if reader is not None:
        reader.close()


def register(setup: BotSetup) -> None:
    setup.add_command("review", "审阅未答好的问题（管理员）", review_command)
    setup.add_handler(CallbackQueryHandler(review_pressed, pattern=r"^rv:"))
    setup.on_shutdown(close_history)
