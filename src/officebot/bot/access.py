"""Who may use the bot, and what it keeps about them.

    /allow [id ...]   (bot admins, private chat) allow users (id > 0) or groups (id < 0); alone: the list
    /deny id ...      (bot admins, private chat) take them off the list
    /forget           a user deletes their questions, feedback and quiz answers, after a confirm button

The allowlist is off by default (OFFICE_BOT_ALLOWLIST=on turns it on). When on, a user may use the
bot if the user is a bot admin or allowed, or writes in an allowed group; everyone else gets a
polite refusal with their id to pass to an admin. Ids come from OFFICE_BOT_ALLOWED and from /allow
(kept in the store).

Retention: questions and their feedback older than OFFICE_BOT_RETENTION_DAYS (default 180) are
deleted at start-up and every six hours; so are handled-update ids older than a day.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryResultsButton, Update
from telegram.constants import ChatType
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    TypeHandler,
)

from officebot.bot.core import BotSetup, Services, reply, services
from officebot.bot.render import Html, plain, privacy_note
from officebot.bot.store import StoreError

logger = logging.getLogger(__name__)

ALLOWED = "officebot.allowed"  # key of the set of ids added by /allow, in bot_data
GATE_GROUP = -10  # the allowlist runs before every feature's handlers
PURGE_EVERY = 6 * 3600
_ID = re.compile(r"-?[0-9]{1,15}")

REFUSED = "抱歉，本机器人仅供本单位人员使用。如需开通，请把您的用户 id {id} 发给管理员。"
REFUSED_GROUP = "抱歉，本机器人仅供本单位人员使用，本群尚未开通。请管理员私聊机器人发 /allow {id}。"
ADMINS_PRIVATE = "这个命令只对机器人管理员开放，并且只能在私聊中使用。"
USAGE_ALLOW = "用法：/allow 用户或群 id（可写多个，群 id 以 - 开头）；只发 /allow 查看名单。"
USAGE_DENY = "用法：/deny 用户或群 id（可写多个）"
NOTHING_KEPT = "没有您的提问、反馈或答题记录。"
NOT_YOURS = "这个按钮不是给您的。"


def allowed_ids(svc: Services, application_or_context) -> set[int]:
    return set(svc.settings.allowed) | application_or_context.bot_data.get(ALLOWED, set())


def may_use(svc: Services, allowed: set[int], update: Update) -> bool:
    if not svc.settings.allowlist:
        return True
    user, chat = update.effective_user, update.effective_chat
    if user is not None and (svc.settings.is_admin(user.id) or user.id in allowed):
        return True
    return chat is not None and chat.type != ChatType.PRIVATE and chat.id in allowed


def _addressed(update: Update, bot_username: str) -> bool:
    """A group message meant for the bot: a command or a mention."""
    message = update.effective_message
    text = (message.text or "") if message else ""
    return text.startswith("/") or f"@{bot_username}".lower() in text.lower()


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop updates from users and chats that are not allowed (only when the allowlist is on)."""
    svc = services(context)
    if not svc.settings.allowlist or update.my_chat_member or update.poll_answer or update.poll:
        return
    if may_use(svc, allowed_ids(svc, context), update):
        return
    user, chat = update.effective_user, update.effective_chat
    wait = svc.limit(update)  # a refusal is a reply too: a flood of them is not answered
    if update.callback_query:
        if not wait:
            await update.callback_query.answer("未获授权使用本机器人。")
    elif update.inline_query:
        if not wait:
            button = InlineQueryResultsButton(text="未获授权，点这里查看说明", start_parameter="allow")
            await update.inline_query.answer([], cache_time=0, button=button)
    elif update.effective_message and chat is not None and not wait:
        if chat.type == ChatType.PRIVATE:
            await reply(update, plain(REFUSED.format(id=user.id if user else chat.id)), context=context)
        elif chat.type != ChatType.CHANNEL and _addressed(update, context.bot.username):
            await reply(update, plain(REFUSED_GROUP.format(id=chat.id)), context=context)
    raise ApplicationHandlerStop


def _admin_in_private(update: Update, svc: Services) -> bool:
    user, chat = update.effective_user, update.effective_chat
    return user is not None and chat is not None and chat.type == ChatType.PRIVATE and svc.settings.is_admin(user.id)


def _parse_ids(args: list[str]) -> list[int] | None:
    if not args or not all(_ID.fullmatch(a) and a not in ("0", "-0") for a in args):
        return None
    return [int(a) for a in args]


def render_allowlist(svc: Services, stored: set[int]) -> str:
    doc = Html().bold("使用名单").text("（已启用）" if svc.settings.allowlist else "（未启用：任何人都可使用；设 OFFICE_BOT_ALLOWLIST=on 启用）")
    fixed = sorted(svc.settings.allowed)
    if fixed:
        doc.text("\n设置文件中：" + "、".join(map(str, fixed)))
    doc.text("\n/allow 添加的：" + ("、".join(map(str, sorted(stored))) if stored else "无"))
    doc.text("\n管理员始终可以使用。用户 id 为正数，群 id 为负数。")
    return str(doc)


async def allow_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    if not _admin_in_private(update, svc):
        await reply(update, plain(ADMINS_PRIVATE))
        return
    stored: set[int] = context.bot_data.setdefault(ALLOWED, set())
    if not context.args:
        await reply(update, render_allowlist(svc, stored))
        return
    ids = _parse_ids(context.args)
    if ids is None:
        await reply(update, plain(USAGE_ALLOW))
        return
    for id_ in ids:
        await asyncio.to_thread(svc.store.allow, id_, update.effective_user.id)
        stored.add(id_)
    await reply(update, plain(f"已允许：{'、'.join(map(str, ids))}。") + "\n" + render_allowlist(svc, stored))


async def deny_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    if not _admin_in_private(update, svc):
        await reply(update, plain(ADMINS_PRIVATE))
        return
    ids = _parse_ids(context.args or [])
    if ids is None:
        await reply(update, plain(USAGE_DENY))
        return
    stored: set[int] = context.bot_data.setdefault(ALLOWED, set())
    removed, fixed = [], []
    for id_ in ids:
        if (await asyncio.to_thread(svc.store.deny, id_)) or id_ in stored:
            removed.append(id_)
        stored.discard(id_)
        if id_ in svc.settings.allowed:
            fixed.append(id_)
    lines = [f"已移出名单：{'、'.join(map(str, removed))}。" if removed else "这些 id 不在 /allow 名单中。"]
    if fixed:
        lines.append(f"{'、'.join(map(str, fixed))} 写在设置（OFFICE_BOT_ALLOWED）中，请在那里删除后重启。")
    await reply(update, plain("\n".join(lines)) + "\n" + render_allowlist(svc, stored))


async def forget_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc, user = services(context), update.effective_user
    if user is None:
        return
    questions, feedback, answers = await asyncio.to_thread(svc.store.user_data, user.id)
    if not (questions or feedback or answers):
        await reply(update, plain(NOTHING_KEPT + "\n" + privacy_note(svc.settings.retention_days)))
        return
    text = (
        f"将删除您的 {questions} 条提问、{feedback} 条反馈和 {answers} 条答题记录（所有聊天），无法恢复。"
        "确定吗？"
    )
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton("确认删除", callback_data=f"forget:{user.id}"),
        InlineKeyboardButton("取消", callback_data="forget:0"),
    ]])
    await reply(update, plain(text), keyboard)


async def forget_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    svc = services(context)
    target = (query.data or "").partition(":")[2]
    if target == "0":
        await query.answer("已取消。")
        if query.message is not None and query.message.is_accessible:
            await query.edit_message_text("已取消，什么也没有删除。")
        return
    if not _ID.fullmatch(target) or int(target) != query.from_user.id:
        await query.answer(NOT_YOURS)
        return
    questions, feedback, answers = await asyncio.to_thread(svc.store.forget_user, query.from_user.id)
    logger.info("a user deleted their data: %d questions, %d feedback, %d answers", questions, feedback, answers)
    await query.answer("已删除。")
    if query.message is not None and query.message.is_accessible:
        await query.edit_message_text(f"已删除您的 {questions} 条提问、{feedback} 条反馈和 {answers} 条答题记录。")


async def purge_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await purge(context.application)


async def purge(application: Application) -> None:
    """Drop what is past its retention."""
    svc = services(application)
    before = time.time() - svc.settings.retention_days * 86400
    try:
        dropped = await asyncio.to_thread(svc.store.purge_older, before)
    except StoreError as exc:
        logger.error("could not delete old questions: %s", exc)
        return
    if dropped:
        logger.info("%d questions older than %d days deleted", dropped, svc.settings.retention_days)
    if svc.ledger is not None:
        await asyncio.to_thread(svc.ledger.prune)


async def start_access(application: Application) -> None:
    svc = services(application)
    try:
        application.bot_data[ALLOWED] = await asyncio.to_thread(svc.store.allowed_ids)
    except StoreError as exc:
        logger.error("could not read the allowlist; only OFFICE_BOT_ALLOWED applies: %s", exc)
        application.bot_data[ALLOWED] = set()
    await purge(application)
    application.job_queue.run_repeating(purge_job, PURGE_EVERY, first=PURGE_EVERY, name="retention")


def register(setup: BotSetup) -> None:
    setup.application.bot_data.setdefault(ALLOWED, set())
    setup.add_handler(TypeHandler(Update, gate), group=GATE_GROUP)
    setup.add_command("forget", "删除我的全部提问、反馈和答题记录", forget_command)
    setup.add_command("allow", "使用名单：/allow id 允许用户或群（管理员，私聊）", allow_command)
    setup.add_command("deny", "使用名单：/deny id 移出（管理员，私聊）", deny_command)
    setup.add_handler(CallbackQueryHandler(forget_pressed, pattern=r"^forget:"))
    setup.on_startup(start_access)
