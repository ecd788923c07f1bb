"""Q&A handlers: parse the update, ask the knowledge base, reply in HTML.

Private chats: any text is a question. Groups: /ask 问题, a mention of the bot, or a reply to one
of its messages; other chatter is ignored. Inline mode: `@bot 问题` in any chat. Buttons under an
answer: 上下文, 更多 (edits the message), 👍/👎; when nothing is found, suggested topics, and when
a passage came close without answering (`Answer.near`), 最接近的段落, which shows it as the closest,
never as the answer.

Callback data stays far below Telegram's 64 bytes: the question is stored (`questions.id`) and the
button carries only numbers, e.g. "more:1234:3" (question 1234, results from offset 3).
"""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, ContextTypes, InlineQueryHandler, MessageHandler, filters

from officebot.bot import render
from officebot.bot.core import BotSetup, Services, reply, sender_key, services, slow_down, store_safely
from officebot.bot.followup import resolve_followup
from officebot.bot.smalltalk import ABOUT, GREETING, SOURCES, smalltalk
from officebot.bot.store import Question, StoreError
from officebot.retrieval import Answer

logger = logging.getLogger(__name__)

PAGE = 3  # results per message
MAX_RESULTS = 12  # how far 更多 goes
INLINE_RESULTS = 5
CALLBACK_PATTERN = r"^(more|ctx|fb|topic|near):"

USAGE_ASK = "用法：/ask 问题，例如 /ask 信息报送时限是多少"
USAGE_GROUP = "在群里请这样问我：/ask 问题，或 @{bot} 问题，或回复我的消息。"
TEXT_ONLY = "我只能回答文字问题，请直接打字提问，例如：信息报送时限是多少"
UNKNOWN_COMMAND = "没有这个命令。发 /help 看看我能做什么。"
ADMINS_ONLY = "这个命令只对管理员开放。"
PRIVATE_ONLY = "管理员报告只在私聊中发送：请私聊我发 /stats。"
EXPIRED = "这个按钮已失效，请重新提问。"
STALE = "知识库已更新，这个按钮已失效，请重新提问。"
NEAREST = "最接近的段落"
INLINE_NEAR = "〔最接近，未必回答〕"
THANKS_REPLY = "不客气！还有问题随时问我。"
NEAR_HEADING = "讲话里没有直接回答这个问题的内容。下面是最接近的段落，未必回答了您的问题，仅供参考。"
_NUMBER = re.compile(r"-?[0-9]{1,15}")  # callback numbers: ids and offsets, far below 2**63


def too_long(length: int, limit: int) -> str:
    return f"问题太长了（{length} 字）。请精简到 {limit} 字以内再问。"


# ---- helpers (no Telegram calls) -----------------------------------------------------------

def question_from_mention(message: Message, username: str, bot_id: int) -> str | None:
    """The text of a group message without the bot's mention, or None if it does not mention it.
    Entity offsets are UTF-16 units; the text may hold lone surrogates, so no strict encoding."""
    units = (message.text or "").encode("utf-16-le", "surrogatepass")

    def value(entity: MessageEntity) -> str:
        piece = units[2 * entity.offset : 2 * (entity.offset + entity.length)]
        return piece.decode("utf-16-le", "surrogatepass")

    ours = [
        entity
        for entity in message.entities or ()
        if (entity.type == MessageEntity.MENTION and value(entity)[1:].lower() == username.lower())
        or (entity.type == MessageEntity.TEXT_MENTION and entity.user is not None and entity.user.id == bot_id)
    ]
    if not ours:
        return None
    for entity in sorted(ours, key=lambda e: e.offset, reverse=True):
        units = units[: 2 * entity.offset] + " ".encode("utf-16-le") + units[2 * (entity.offset + entity.length) :]
    return units.decode("utf-16-le", "surrogatepass").strip()


def neighbour_paragraphs(kb, passage_id: int) -> list:
    """Every passage of the paragraph before, the passage's own and the one after, in order."""
    return kb.paragraph_context(passage_id)


def parse_callback(data: str | None) -> tuple[str, list[int]] | None:
    if not data:
        return None
    action, _, rest = data.partition(":")
    parts = rest.split(":") if rest else []
    if not all(_NUMBER.fullmatch(x) for x in parts):
        return None  # not a number, or one too big for SQLite's 64 bits
    return action, [int(x) for x in parts]


def answer_keyboard(question_id: int, passage_id: int, offset: int, more: bool, generation: int) -> InlineKeyboardMarkup:
    """Buttons under an answer; those naming a passage carry the knowledge's `generation`, so
    that after a library change they say so instead of showing another passage."""
    row = [InlineKeyboardButton("上下文", callback_data=f"ctx:{question_id}:{passage_id}:{generation}")]
    if offset >= PAGE:
        row.insert(0, InlineKeyboardButton("« 上一页", callback_data=f"more:{question_id}:{offset - PAGE}"))
    if more:
        row.append(InlineKeyboardButton("更多 »", callback_data=f"more:{question_id}:{offset + PAGE}"))
    votes = [
        InlineKeyboardButton("👍 有用", callback_data=f"fb:{question_id}:{passage_id}:1:{generation}"),
        InlineKeyboardButton("👎 没用", callback_data=f"fb:{question_id}:{passage_id}:-1:{generation}"),
    ]
    return InlineKeyboardMarkup([row, votes])


def topic_keyboard(svc: Services, suggestions: list[str], near_question: int | None = None) -> InlineKeyboardMarkup | None:
    """Buttons under "not found": the closest passage of the question logged as `near_question`
    (when one came close), then suggested topics."""
    kb = svc.knowledge()
    topics = kb.topics()
    buttons = [
        [InlineKeyboardButton(render.shorten(t, 40), callback_data=f"topic:{topics.index(t)}:{kb.generation}")]
        for t in suggestions
        if t in topics
    ]
    if near_question is not None:
        buttons.insert(0, [InlineKeyboardButton(f"📄 {NEAREST}", callback_data=f"near:{near_question}")])
    return InlineKeyboardMarkup(buttons) if buttons else None


def _source(update: Update) -> str:
    chat = update.effective_chat
    return "private" if chat is None or chat.type == ChatType.PRIVATE else "group"


# ---- the one path every question takes -------------------------------------------------------

def find_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> tuple[str, Answer, int | None]:
    """Blocking, run in the search pool: the query (e.g. "那书面报告呢" read with the question
    before: a store lookup and jieba), its answer, and the id the question is logged under (None if
    the store failed). All in one trip to the pool: while another user's long search holds the GIL,
    every switch between the event loop and a worker (and every SQLite call on the event loop) waits
    for it, and those waits, not the short question's own search, are what made it slow."""
    svc = services(context)
    query = resolve_followup(update, context, question)
    answer = svc.knowledge().search(query, PAGE + 1)
    logger.debug("question of %d characters, answered=%s", len(query), answer.answered)
    top = answer.hits[0].passage.id if answer.answered else None
    chat, user = update.effective_chat, update.effective_user
    question_id = store_safely("log the question", lambda: svc.store.log_question(
        query, answered=answer.answered, chat_id=chat.id if chat else None,
        user_id=user.id if user else None, source=_source(update), passage=top,
    ))
    return query, answer, question_id


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    # from the question to its reply this asker counts as being served: the searches of askers who
    # have used the pool more of late wait meanwhile (core.FairShare)
    async with services(context).serving(sender_key(update)):
        await _answer_question(update, context, question)


async def _answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    svc = services(context)
    wait = svc.limit(update)
    if wait:
        if svc.first_warning(sender_key(update), wait):  # later messages in the wait: no reply at all
            await reply(update, render.plain(slow_down(wait)), context=context)
        return
    question = render.clean_text(question).strip()
    if not question:
        await reply(update, render.plain(USAGE_ASK), context=context)
        return
    if len(question) > svc.settings.max_question_chars:
        await reply(update, render.plain(too_long(len(question), svc.settings.max_question_chars)), context=context)
        return
    kind = smalltalk(question)
    if kind is not None:  # "你好", "谢谢", "你能做什么", "有哪些讲话": a reply of its own, not logged
        await reply(update, smalltalk_reply(update, context, kind), context=context)
        return
    question, answer, question_id = await svc.run(sender_key(update), find_answer, update, context, question)
    if answer.answered:
        hits = answer.hits[:PAGE]
        markup = (
            answer_keyboard(question_id, hits[0].passage.id, 0, len(answer.hits) > PAGE, svc.knowledge().generation)
            if question_id is not None else None  # not stored: no buttons that would need it
        )
        await reply(update, render.render_answer(hits), markup, context)
    else:
        near = question_id if answer.near else None  # the closest passage is found again from the logged question
        markup = topic_keyboard(svc, answer.suggestions, near)
        topics = markup is not None and len(markup.inline_keyboard) > (near is not None)
        await reply(update, render.render_not_found(question, topics, near is not None), markup, context)


def smalltalk_reply(update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str) -> str:
    """The reply to a message that is no question for the speeches (`smalltalk.smalltalk`): what
    /start, /help or /sources would show, or thanks returned."""
    if kind == GREETING:
        return start_text(update)
    if kind == ABOUT:
        return help_text(context)
    if kind == SOURCES:
        return sources_text(services(context))
    return render.plain(THANKS_REPLY)


def start_text(update: Update) -> str:
    user = update.effective_user
    return render.render_start(user.first_name if user else "")


def help_text(context: ContextTypes.DEFAULT_TYPE) -> str:
    svc = services(context)
    commands = [(c.name, c.description) for c in svc.commands]
    return render.render_help(commands, context.bot.username, svc.settings.retention_days)


def sources_text(svc: Services) -> str:
    """The speeches in the knowledge base: a feature module's list if it keeps one (`list_sources`)."""
    text = svc.list_sources(svc) if svc.list_sources is not None else None
    if text is None:
        kb = svc.knowledge()
        text = render.render_sources(kb.speeches, kb.passages_per_speech())
    return text


# ---- commands ------------------------------------------------------------------------------

async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, start_text(update))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, help_text(context))


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    parts = (update.effective_message.text or "").split(maxsplit=1)  # keep the question's own line breaks
    question = parts[1] if len(parts) > 1 else ""
    if not question.strip():
        await reply(update, render.plain(USAGE_ASK))
        return
    await answer_question(update, context, question)


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, sources_text(services(context)))


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    user = update.effective_user
    if not svc.settings.is_admin(user.id if user else None):
        await reply(update, render.plain(ADMINS_ONLY))
        return
    if update.effective_chat.type != ChatType.PRIVATE:  # other users' questions stay out of groups
        await reply(update, render.plain(PRIVATE_ONLY))
        return
    await reply(update, render.render_stats(await asyncio.to_thread(svc.store.stats)))


# ---- messages ------------------------------------------------------------------------------

async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message.via_bot and message.via_bot.id == context.bot.id:
        return  # one of our own inline answers, sent by the user
    await answer_question(update, context, message.text or "")


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Only mentions of the bot and replies to its messages are questions; the rest is ignored."""
    message = update.effective_message
    if message.via_bot and message.via_bot.id == context.bot.id:
        return
    question = question_from_mention(message, context.bot.username, context.bot.id)
    if question is None:
        parent = message.reply_to_message
        if not (parent and parent.from_user and parent.from_user.id == context.bot.id):
            return
        question = message.text or ""
    if not question.strip():
        await reply(update, render.plain(USAGE_GROUP.format(bot=context.bot.username)))
        return
    await answer_question(update, context, question)


async def private_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, render.plain(TEXT_ONLY))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, render.plain(UNKNOWN_COMMAND))


# ---- buttons -------------------------------------------------------------------------------

async def button_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    svc = services(context)
    parsed = parse_callback(query.data)
    message = query.message
    if parsed is None or message is None or not message.is_accessible:
        await query.answer(EXPIRED)
        return
    wait = svc.limit(update)  # buttons count like questions, votes included
    if wait:
        await query.answer(slow_down(wait))
        return
    action, numbers = parsed
    # buttons naming a passage or topic by number carry the knowledge's generation (older ones,
    # made before it was added, do not): a library change since makes them stale
    stamped = {"topic": 2, "ctx": 3, "fb": 4}.get(action)
    if stamped and len(numbers) == stamped and numbers.pop() != svc.knowledge().generation:
        await query.answer(STALE, show_alert=True)
        return
    if action == "topic" and len(numbers) == 1:
        await topic_pressed(update, context, numbers[0])
        return
    if action == "near" and len(numbers) == 1:
        asked = await asyncio.to_thread(_asked_here, svc, numbers[0], message.chat.id)
        if asked is None:
            await query.answer(EXPIRED)
        else:
            await near_pressed(update, context, asked)
        return
    if action not in ("fb", "more", "ctx") or len(numbers) != (3 if action == "fb" else 2):
        await query.answer(EXPIRED)
        return
    asked = await asyncio.to_thread(_asked_here, svc, numbers[0], message.chat.id)
    if asked is None:
        await query.answer(EXPIRED)
        return
    if action == "fb" and numbers[2] in (1, -1):
        await feedback_pressed(update, context, asked, numbers[1], numbers[2])
    elif action == "more":
        await more_pressed(update, context, asked, numbers[1])
    elif action == "ctx":
        await context_pressed(update, context, asked, numbers[1])
    else:
        await query.answer(EXPIRED)


def _asked_here(svc: Services, question_id: int, chat_id: int) -> Question | None:
    """The stored question a button refers to, only in the chat it was asked in: a button never
    shows or counts another chat's question."""
    try:
        asked = svc.store.question(question_id)
    except StoreError as exc:
        logger.error("could not read question %s: %s", question_id, exc)
        return None
    if asked is None or asked.chat_id != chat_id:
        return None
    return asked


async def more_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE, asked: Question, offset: int) -> None:
    query = update.callback_query
    svc = services(context)
    if not 0 <= offset < MAX_RESULTS or offset % PAGE:
        await query.answer(EXPIRED)
        return
    answer = await svc.search(asked.question, offset + PAGE + 1, sender_key(update))
    hits = answer.hits[offset : offset + PAGE]
    if not hits:
        await query.answer("没有更多结果了。")
        return
    more = len(answer.hits) > offset + PAGE and offset + PAGE < MAX_RESULTS
    heading = f"第 {offset + 1}–{offset + len(hits)} 条结果" if offset else ""
    if not answer.answered and asked.source != "topic":  # the pages of a near miss (最接近的段落) stay said to be so
        heading = f"{heading}（最接近的段落，仅供参考）" if offset else NEAR_HEADING
    try:
        await query.edit_message_text(
            render.render_answer(hits, heading=heading),
            parse_mode=ParseMode.HTML,
            reply_markup=answer_keyboard(asked.id, hits[0].passage.id, offset, more, svc.knowledge().generation),
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
    await query.answer()


async def context_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE, asked: Question, passage_id: int) -> None:
    query = update.callback_query
    svc = services(context)
    passages = await svc.run(sender_key(update), neighbour_paragraphs, svc.knowledge(), passage_id)
    if not passages:
        await query.answer(EXPIRED)
        return
    await query.answer()
    await query.message.reply_text(
        render.render_context(passages, passage_id),
        parse_mode=ParseMode.HTML,
        do_quote=False,
        reply_parameters=ReplyParameters(query.message.message_id, allow_sending_without_reply=True),
    )


async def feedback_pressed(
    update: Update, context: ContextTypes.DEFAULT_TYPE, asked: Question, passage_id: int, value: int
) -> None:
    query = update.callback_query
    svc = services(context)
    if svc.knowledge().passage(passage_id) is None:
        await query.answer(EXPIRED)
        return
    changed = await asyncio.to_thread(svc.store.record_feedback, asked.id, passage_id, query.from_user.id, value)
    if not changed:
        await query.answer("已经记下了，谢谢！")
    else:
        await query.answer("谢谢，很高兴有帮助 👍" if value > 0 else "谢谢反馈，我们会改进 👎")


async def topic_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE, index: int) -> None:
    query = update.callback_query
    svc = services(context)
    topics = svc.knowledge().topics()
    if not 0 <= index < len(topics):
        await query.answer(EXPIRED)
        return
    topic = topics[index]
    answer = await svc.search(topic, PAGE + 1, sender_key(update))
    await query.answer()
    if not answer.hits:
        await query.message.reply_text(render.render_not_found(topic, False), parse_mode=ParseMode.HTML)
        return
    question_id = await asyncio.to_thread(store_safely, "log the topic", lambda: svc.store.log_question(
        topic, answered=answer.answered, chat_id=query.message.chat.id, user_id=query.from_user.id,
        source="topic", passage=answer.hits[0].passage.id,
    ))
    hits = answer.hits[:PAGE]
    await query.message.reply_text(
        render.render_answer(hits, heading=f"话题：{topic}"),
        parse_mode=ParseMode.HTML,
        reply_markup=(
            answer_keyboard(question_id, hits[0].passage.id, 0, len(answer.hits) > PAGE, svc.knowledge().generation)
            if question_id is not None else None
        ),
        do_quote=False,
        reply_parameters=ReplyParameters(query.message.message_id, allow_sending_without_reply=True),
    )


async def near_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE, asked: Question) -> None:
    """The passages closest to a question the knowledge base did not answer, said to be only that,
    with the buttons of an answer: 上下文, 更多, and 👍/👎, which /review offers to the admins (a 👍
    here is a suggestion to bind the question, never applied by itself)."""
    query = update.callback_query
    svc = services(context)
    answer = await svc.search(asked.question, PAGE + 1, sender_key(update))
    if not answer.hits:  # the library changed since: nothing of it comes close any more
        await query.answer("现在没有接近的段落了，请换个说法再问。")
        return
    await query.answer()
    hits = answer.hits[:PAGE]
    await query.message.reply_text(
        # answered by now (bound through /review since): an answer like any other
        render.render_answer(hits, heading="" if answer.answered else NEAR_HEADING),
        parse_mode=ParseMode.HTML,
        reply_markup=answer_keyboard(asked.id, hits[0].passage.id, 0, len(answer.hits) > PAGE, svc.knowledge().generation),
        do_quote=False,
        reply_parameters=ReplyParameters(query.message.message_id, allow_sending_without_reply=True),
    )


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer(EXPIRED)


# ---- inline mode -----------------------------------------------------------------------------

async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    query = update.inline_query
    question = render.clean_text(query.query).strip()[: svc.settings.max_question_chars]
    results = []
    if question:
        wait = svc.limit(update)
        if wait:
            button = InlineQueryResultsButton(text=slow_down(wait)[:64], start_parameter="inline")
            await query.answer([], cache_time=0, button=button)
            return
        answer = await svc.search(question, INLINE_RESULTS, sender_key(update))
        if answer.answered or answer.near:  # a near miss: each result and the message it sends say so
            mark = "" if answer.answered else INLINE_NEAR
            results = [
                InlineQueryResultArticle(
                    id=str(hit.passage.id),
                    title=mark + render.shorten(hit.highlight or hit.passage.text, 60),
                    description=render.source_line(hit.passage),
                    input_message_content=InputTextMessageContent(
                        render.render_inline(hit, question, near=not answer.answered), parse_mode=ParseMode.HTML
                    ),
                )
                for hit in answer.hits
            ]
    button = None
    if not results:
        text = "输入问题，例如：信息报送时限是多少" if not question else "没有找到，点这里私聊提问"
        button = InlineQueryResultsButton(text=text, start_parameter="inline")
    await query.answer(results, cache_time=60, button=button)


# ---- registration ----------------------------------------------------------------------------

def register(setup: BotSetup) -> None:
    """Q&A commands and handlers; the catch-alls go in as fallbacks, after every feature."""
    setup.add_command("start", "开始使用", start_command)
    setup.add_command("help", "使用说明和全部命令", help_command)
    setup.add_command("ask", "提问：/ask 问题（群里用）", ask_command)
    setup.add_command("sources", "知识库收录的讲话", sources_command)
    setup.add_command("stats", "使用统计（管理员）", stats_command)
    setup.add_handler(CallbackQueryHandler(button_pressed, pattern=CALLBACK_PATTERN))
    setup.add_handler(InlineQueryHandler(inline_query))

    new = filters.UpdateType.MESSAGE
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    setup.add_fallback(MessageHandler(new & private & filters.TEXT & ~filters.COMMAND, private_text))
    setup.add_fallback(MessageHandler(new & private & filters.COMMAND, unknown_command))
    setup.add_fallback(MessageHandler(new & private & ~filters.TEXT & ~filters.StatusUpdate.ALL, private_other))
    setup.add_fallback(MessageHandler(new & groups & filters.TEXT & ~filters.COMMAND, group_text))
    setup.add_fallback(CallbackQueryHandler(stale_button))
