"""Daily tips and quizzes for staff-training chats.

    /tip                       today's tip for this chat, with a button 出题 that sends its quiz
    /quiz [n]                  n quiz polls (default 1, at most 10), each open for 10 minutes
    /score                     the chat's leaderboard: this week (from Monday) and all time
    /myscore                   the user's own record (in this group; in private, over every chat)
    /subscribe [HH:MM] [quiz]  the daily tip at that local time (default 08:30), with its quiz after
                               it if "quiz" is given; group admins only in groups, anyone in private
    /unsubscribe, /settings    stop it; show the chat's schedule

Tips are the knowledge directory's tips.yaml, loaded once at start-up (no file: no tips, and the
commands say so). Each chat goes through every tip, in its own shuffled order, before one repeats;
"today's tip" stays the same for the rest of the (local) day. Subscriptions live in the store and
become `run_daily` jobs at start-up, in their own time zone. A chat that blocked or removed the bot
is unsubscribed, on the my_chat_member update or on the first send that fails.

Quiz polls are non-anonymous, so that Telegram sends each vote as a poll_answer; the store keeps
poll id -> chat, tip and right option, and counts a user's first answer given while the poll was
open. Answers to unknown polls, second answers and late ones are ignored.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Poll, ReplyParameters, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    Job,
    JobQueue,
    PollAnswerHandler,
)

from officebot.bot.core import BotSetup, Services, reply, services, slow_down, store_safely
from officebot.bot.render import Html, plain, shorten
from officebot.bot.store import Record, Score, Subscription, week_start
from officebot.retrieval.knowledge import KnowledgeError
from officebot.training.quiz import Quiz, QuizError, make_quiz
from officebot.training.tips import Tip, load_tips

logger = logging.getLogger(__name__)

TRAINING = "officebot.training"  # key of `Training` in bot_data
CALLBACK_PATTERN = r"^quiz:"  # "quiz:<tip id>", the 出题 button
JOB_PREFIX = "daily-tip:"  # job name: daily-tip:<chat id>
DEFAULT_TIME = "08:30"
MAX_QUIZZES = 10
QUIZ_OPEN_PERIOD = 600  # seconds a /quiz or 出题 poll stays open
DAILY_QUIZ_OPEN_PERIOD = 12 * 3600  # the morning quiz stays open for the working day
MISFIRE_GRACE = 600  # seconds a daily job may start late (APScheduler's default is 1)
LATE_GRACE = 5.0  # seconds an answer may take to reach us after the poll closed
QUIZ_WORDS = {"quiz", "测验", "测试", "出题", "题"}
UTC = ZoneInfo("UTC")

clock = time.time  # tests move time by replacing this

NO_TIPS = "还没有每日提示：知识库里没有提示（tips.yaml）。请管理员添加后重启机器人。"
USAGE_QUIZ = "用法：/quiz [题数]，例如 /quiz 3（1–10 题，默认 1 题）"
USAGE_SUBSCRIBE = "用法：/subscribe [HH:MM] [quiz]，例如 /subscribe 08:30 quiz（24 小时制，默认 08:30）"
GROUP_ADMINS_ONLY = "在群里只有群管理员可以设置每日提示。"
ADMIN_CHECK_FAILED = "暂时无法确认您是否是群管理员，请稍后再试。"
NOT_SUBSCRIBED = "本聊天没有订阅每日提示。发 /subscribe 订阅（默认每天 08:30）。"
UNSUBSCRIBED = "已取消每日提示。想再订阅时发 /subscribe。"
QUIZ_EXPIRED = "这道题已失效。"
QUIZ_OPEN = "这道题已经发出，请在上面作答。"
NO_QUIZ = "这条提示暂时出不了题。"


def bad_time(text: str) -> str:
    return f"时间“{shorten(text, 20)}”不对：请用 24 小时制的 HH:MM，例如 /subscribe 08:30"


def capped(n: int) -> str:
    asked = f"{n} 题" if n < 10**6 else "太多题"
    return f"一次最多 {MAX_QUIZZES} 题（您要了{asked}），这次先出 {MAX_QUIZZES} 题。"


# ---- the tips, loaded once ------------------------------------------------------------------

@dataclass
class Training:
    """The tips the training commands use, by id and in file order."""

    tips: list[Tip] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id = {t.id: t for t in self.tips}
        self.ids = [t.id for t in self.tips]


def load_training(directory: Path | str | None) -> Training:
    """The knowledge directory's tips; none (and the error logged) if tips.yaml has a mistake, so
    that a trainer's typo does not keep the bot from answering questions."""
    try:
        tips = load_tips(directory)
    except KnowledgeError as exc:
        logger.error("tips not loaded, training commands are off: %s", exc)
        tips = []
    logger.info("%d tips loaded", len(tips))
    return Training(tips)


def training(context: ContextTypes.DEFAULT_TYPE | Application) -> Training:
    found = context.bot_data[TRAINING]
    return found() if callable(found) else found


class LiveTraining:
    """The tips of the live knowledge (officebot.library.live): /tip and /quiz see a change to
    tips.yaml after /reload or an import, without a restart."""

    def __init__(self, live) -> None:
        self.live = live
        self._generation: int | None = None
        self._training = Training()

    def __call__(self) -> Training:
        snapshot = self.live.snapshot
        if snapshot.generation != self._generation:
            self._training, self._generation = Training(list(snapshot.tips)), snapshot.generation
        return self._training


# ---- helpers (no Telegram calls) -----------------------------------------------------------

def parse_schedule(args: Sequence[str], default: str = DEFAULT_TIME) -> tuple[str, bool]:
    """(HH:MM, with quiz) from /subscribe's arguments; ValueError with a message for the user."""
    at, with_quiz = None, False
    for arg in args:
        word = unicodedata.normalize("NFKC", arg).strip().lower()
        if word in QUIZ_WORDS:
            with_quiz = True
            continue
        m = re.fullmatch(r"(\d{1,2})[:.](\d{2})", word)
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise ValueError(bad_time(arg))
        if at is not None:
            raise ValueError(USAGE_SUBSCRIBE)
        at = f"{int(m.group(1)):02d}:{m.group(2)}"
    return at or default, with_quiz


def parse_count(args: Sequence[str]) -> int:
    """The n of /quiz n (1 if none); ValueError if it is not a positive whole number."""
    if not args:
        return 1
    word = unicodedata.normalize("NFKC", args[0]).strip()
    if len(args) > 1 or not word.isascii() or not word.isdigit() or int(word[:9]) < 1:
        raise ValueError(USAGE_QUIZ)
    return int(word) if len(word) <= 9 else 10**9  # a number of thousands of digits is just "many"


def zone_of(name: str, fallback: ZoneInfo) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return fallback


def local_day(zone: ZoneInfo, at: float | None = None) -> str:
    return datetime.fromtimestamp(clock() if at is None else at, zone).date().isoformat()


def quiz_of(tip: Tip, tips: Sequence[Tip], seed: int | None = None) -> Quiz | None:
    """A quiz on the tip, its options in a fresh order (the store keeps which one is right)."""
    try:
        return make_quiz(tip, tips, random.randrange(2**32) if seed is None else seed)
    except QuizError as exc:
        logger.warning("no quiz: %s", exc)
        return None


def tip_keyboard(tip: Tip) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("出题", callback_data=f"quiz:{tip.id}")]])


def job_name(chat_id: int) -> str:
    return f"{JOB_PREFIX}{chat_id}"


def chat_gone(exc: TelegramError) -> bool:
    """Did the send fail because the bot may no longer write there (blocked, kicked, deleted)?"""
    return isinstance(exc, Forbidden) or (isinstance(exc, BadRequest) and "chat not found" in str(exc).lower())


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def render_tip(tip: Tip, heading: str = "今日提示", button: bool = True) -> str:
    """The tip with its key phrase in bold and its source."""
    doc = Html().bold(f"💡 {heading}").text("\n\n")
    before, key, after = tip.text.partition(tip.answer)
    if key and key != tip.text:
        doc.text(before).bold(key).text(after)
    else:
        doc.text(tip.text)
    doc.text("\n\n—— ").italic(shorten(tip.source, 300))
    if button:
        doc.text("\n\n点“出题”考考自己。")
    return str(doc)


def render_subscribed(sub: Subscription) -> str:
    what = "一条提示和一道测验" if sub.with_quiz else "一条提示"
    doc = Html().text("已订阅每日提示：每天 ").bold(sub.at).text(f"（{sub.timezone}）发送{what}。")
    doc.text("\n改时间：/subscribe HH:MM" + ("" if sub.with_quiz else "；加测验：/subscribe " + sub.at + " quiz"))
    doc.text("\n查看：/settings；取消：/unsubscribe")
    return str(doc)


def render_settings(sub: Subscription | None, next_run: datetime | None, progress: tuple[int, int]) -> str:
    """The chat's schedule (times in the subscription's zone) and how far the tip rotation got."""
    shown, total = progress
    if sub is None:
        doc = Html().text(NOT_SUBSCRIBED)
    else:
        zone = zone_of(sub.timezone, UTC)
        doc = Html().bold("每日提示设置")
        doc.text(f"\n时间：每天 {sub.at}（{sub.timezone}）")
        doc.text("\n内容：" + ("提示 + 测验" if sub.with_quiz else "提示"))
        if next_run is not None:
            doc.text(f"\n下次发送：{_when(next_run.astimezone(zone))}")
        if sub.last_sent:
            doc.text(f"\n上次发送：{_when(datetime.fromtimestamp(sub.last_sent, zone))}")
        doc.text("\n修改：/subscribe HH:MM [quiz]；取消：/unsubscribe")
    if total:
        doc.text(f"\n\n提示进度：本轮已发 {shown}/{total} 条，全部发完才会重复。")
    return str(doc)


_MEDALS = ("🥇", "🥈", "🥉")


def _board(doc: Html, scores: Sequence[Score], empty: str) -> None:
    if not scores:
        doc.text("\n" + empty)
    for rank, s in enumerate(scores, 1):
        mark = _MEDALS[rank - 1] if rank <= len(_MEDALS) else f"{rank}."
        doc.text(f"\n{mark} ").text(shorten(s.name, 32) or str(s.user_id)).text(f" — 答对 {s.correct}/{s.answered}")


def render_leaderboard(week: Sequence[Score], total: Sequence[Score], since: datetime) -> str:
    doc = Html().bold("答题排行榜")
    doc.text("\n\n").bold("本周").text(f"（{since:%m-%d} 周一起）")
    _board(doc, week, "本周还没有人答题。")
    doc.text("\n\n").bold("总榜")
    _board(doc, total, "还没有人答题。发 /quiz 来一题！")
    return str(doc)


def _record_line(label: str, record: Record) -> str:
    if not record.answered:
        return f"\n{label}：还没有答题"
    line = f"\n{label}：答对 {record.correct}/{record.answered}（{record.share:.0%}）"
    return line + (f"，第 {record.rank} 名" if record.rank else "")


def render_record(name: str, week: Record, total: Record, in_group: bool) -> str:
    doc = Html().bold(f"{shorten(name, 40) or '您'} 的答题成绩").text("（本群）" if in_group else "（所有聊天）")
    doc.text(_record_line("本周", week)).text(_record_line("累计", total))
    if not total.answered:
        doc.text("\n\n发 /quiz 来一题！")
    return str(doc)


# ---- sending tips and quizzes ----------------------------------------------------------------

async def today_tip(svc: Services, tr: Training, chat_id: int, zone: ZoneInfo) -> Tip:
    return tr.by_id[await asyncio.to_thread(svc.store.tip_of_day, chat_id, local_day(zone), tr.ids)]


async def send_quiz(
    bot: Bot, svc: Services, chat_id: int, quiz: Quiz, open_period: int, reply_to: int | None = None
) -> Message:
    """A non-anonymous quiz poll, remembered so that its answers can be scored."""
    message = await bot.send_poll(
        chat_id,
        quiz.question,
        list(quiz.options),
        is_anonymous=False,
        type=Poll.QUIZ,
        correct_option_ids=[quiz.correct],
        explanation=quiz.explanation,
        open_period=open_period,
        reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None,
    )
    await asyncio.to_thread(store_safely, "record the quiz poll", lambda: svc.store.record_poll(
        message.poll.id, chat_id=chat_id, message_id=message.message_id, tip_id=quiz.tip_id,
        correct=quiz.correct, open_period=open_period, sent_at=clock(),
    ))
    return message


def _asker(update: Update) -> int | None:
    """The message to reply to: the asker's, in groups."""
    message = update.effective_message
    return message.message_id if message and message.chat.type != ChatType.PRIVATE else None


async def may_manage(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Anyone in private; in groups the group's admins (and the bot's own admins). Says why not."""
    chat, message, user = update.effective_chat, update.effective_message, update.effective_user
    if chat.type == ChatType.PRIVATE:
        return True
    if message.sender_chat and message.sender_chat.id == chat.id:
        return True  # an anonymous admin, writing as the group
    if user is None:
        return False
    if services(context).settings.is_admin(user.id):
        return True
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        logger.warning("getChatMember failed in chat %s: %s", chat.id, exc)
        await reply(update, plain(ADMIN_CHECK_FAILED))
        return False
    if member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER):
        return True
    await reply(update, plain(GROUP_ADMINS_ONLY))
    return False


# ---- schedules -------------------------------------------------------------------------------

def schedule(job_queue: JobQueue, sub: Subscription, fallback: ZoneInfo) -> Job:
    """The chat's daily job at its local time (replacing any earlier one)."""
    unschedule(job_queue, sub.chat_id)
    hour, minute = map(int, sub.at.split(":"))
    when = dtime(hour, minute, tzinfo=zone_of(sub.timezone, fallback))
    return job_queue.run_daily(
        daily_tip_job, when, name=job_name(sub.chat_id), chat_id=sub.chat_id,
        job_kwargs={"misfire_grace_time": MISFIRE_GRACE, "coalesce": True},  # a busy minute still sends
    )


def unschedule(job_queue: JobQueue, chat_id: int) -> None:
    for job in job_queue.get_jobs_by_name(job_name(chat_id)):
        job.schedule_removal()


async def restore_subscriptions(application: Application) -> None:
    """Jobs are not persisted: make them again from the store."""
    svc = services(application)
    subs = await asyncio.to_thread(svc.store.subscriptions)
    for sub in subs:
        schedule(application.job_queue, sub, svc.settings.zone)
    logger.info("%d daily-tip subscriptions scheduled", len(subs))


async def drop_subscription(svc: Services, job_queue: JobQueue, chat_id: int, reason: str) -> None:
    if await asyncio.to_thread(svc.store.unsubscribe, chat_id):
        logger.info("chat %s unsubscribed from the daily tip: %s", chat_id, reason)
    unschedule(job_queue, chat_id)


async def send_daily_tip(bot: Bot, svc: Services, tr: Training, sub: Subscription) -> None:
    tip = await today_tip(svc, tr, sub.chat_id, zone_of(sub.timezone, svc.settings.zone))
    quiz = quiz_of(tip, tr.tips) if sub.with_quiz else None
    await bot.send_message(
        sub.chat_id,
        render_tip(tip, button=quiz is None),
        parse_mode=ParseMode.HTML,
        reply_markup=None if quiz else tip_keyboard(tip),
    )
    await asyncio.to_thread(svc.store.mark_sent, sub.chat_id, clock())
    if quiz:
        await send_quiz(bot, svc, sub.chat_id, quiz, DAILY_QUIZ_OPEN_PERIOD)


async def daily_tip_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """run_daily callback: the chat's tip of the day (and its quiz)."""
    svc, tr = services(context), training(context)
    chat_id = context.job.chat_id
    sub = await asyncio.to_thread(svc.store.subscription, chat_id)
    if sub is None:
        context.job.schedule_removal()
        return
    if not tr.tips:
        logger.warning("no tips to send to chat %s", chat_id)
        return
    try:
        await send_daily_tip(context.bot, svc, tr, sub)
    except ChatMigrated as exc:  # the group became a supergroup: follow it, keeping its scores
        await asyncio.to_thread(svc.store.move_chat, chat_id, exc.new_chat_id)
        unschedule(context.job_queue, chat_id)
        sub = await asyncio.to_thread(svc.store.subscription, exc.new_chat_id)
        schedule(context.job_queue, sub, svc.settings.zone)
        logger.info("chat %s moved to %s", chat_id, exc.new_chat_id)
        await send_daily_tip(context.bot, svc, tr, sub)
    except TelegramError as exc:
        if not chat_gone(exc):
            raise
        await drop_subscription(svc, context.job_queue, chat_id, str(exc))


# ---- commands --------------------------------------------------------------------------------

async def tip_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc, tr = services(context), training(context)
    if not tr.tips:
        await reply(update, plain(NO_TIPS))
        return
    wait = svc.limit(update)
    if wait:
        await reply(update, plain(slow_down(wait)))
        return
    tip = await today_tip(svc, tr, update.effective_chat.id, svc.settings.zone)
    await reply(update, render_tip(tip), tip_keyboard(tip))


async def quiz_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc, tr = services(context), training(context)
    if not tr.tips:
        await reply(update, plain(NO_TIPS))
        return
    try:
        wanted = parse_count(context.args or [])
    except ValueError as exc:
        await reply(update, plain(str(exc)))
        return
    count = min(wanted, MAX_QUIZZES, len(tr.ids))
    wait = svc.limit(update, cost=count)  # the limit counts polls sent, not commands
    if wait:
        await reply(update, plain(slow_down(wait)))
        return
    if wanted > MAX_QUIZZES:
        await reply(update, plain(capped(wanted)))
    chat_id = update.effective_chat.id
    failed = 0
    for tip_id in await asyncio.to_thread(svc.store.next_tips, chat_id, tr.ids, count, purpose="quiz"):
        quiz = quiz_of(tr.by_id[tip_id], tr.tips)
        if not quiz:
            continue
        try:
            await send_quiz(context.bot, svc, chat_id, quiz, QUIZ_OPEN_PERIOD, reply_to=_asker(update))
        except TelegramError as exc:  # one poll that did not go out does not stop the others
            if chat_gone(exc):
                raise
            failed += 1
            logger.warning("a quiz poll for chat %s failed after its retries: %s", chat_id, exc)
    if failed:
        await reply(update, plain(f"有 {failed} 道题没能发出，请稍后再试 /quiz。"))


async def score_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    chat_id = update.effective_chat.id
    since = week_start(datetime.fromtimestamp(clock(), svc.settings.zone))
    week = await asyncio.to_thread(svc.store.leaderboard, chat_id, since=since.timestamp())
    total = await asyncio.to_thread(svc.store.leaderboard, chat_id)
    await reply(update, render_leaderboard(week, total, since))


async def myscore_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc, user = services(context), update.effective_user
    if user is None:
        return
    in_group = update.effective_chat.type != ChatType.PRIVATE
    chat_id = update.effective_chat.id if in_group else None
    since = week_start(datetime.fromtimestamp(clock(), svc.settings.zone)).timestamp()
    week = await asyncio.to_thread(svc.store.user_record, user.id, chat_id=chat_id, since=since)
    total = await asyncio.to_thread(svc.store.user_record, user.id, chat_id=chat_id)
    await reply(update, render_record(user.full_name, week, total, in_group))


async def subscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc, tr = services(context), training(context)
    if not tr.tips:
        await reply(update, plain(NO_TIPS))
        return
    if not await may_manage(update, context):
        return
    try:
        at, with_quiz = parse_schedule(context.args or [])
    except ValueError as exc:
        await reply(update, plain(str(exc)))
        return
    user = update.effective_user
    sub = await asyncio.to_thread(
        svc.store.subscribe,
        update.effective_chat.id, at, with_quiz=with_quiz, timezone=svc.settings.tz,
        created_by=user.id if user else None,
    )
    schedule(context.application.job_queue, sub, svc.settings.zone)
    await reply(update, render_subscribed(sub))


async def unsubscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    if not await may_manage(update, context):
        return
    chat_id = update.effective_chat.id
    unschedule(context.application.job_queue, chat_id)
    dropped = await asyncio.to_thread(svc.store.unsubscribe, chat_id)
    await reply(update, plain(UNSUBSCRIBED if dropped else NOT_SUBSCRIBED))


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc, tr = services(context), training(context)
    chat_id = update.effective_chat.id
    sub = await asyncio.to_thread(svc.store.subscription, chat_id)
    jobs = context.application.job_queue.get_jobs_by_name(job_name(chat_id)) if sub else ()
    next_run = next((job.next_t for job in jobs if job.next_t), None)
    progress = await asyncio.to_thread(svc.store.rotation_progress, chat_id, tr.ids)
    await reply(update, render_settings(sub, next_run, progress))


# ---- buttons, poll answers, membership -------------------------------------------------------

_sending: set[tuple[int, str]] = set()  # (chat, tip) whose 出题 poll is being sent right now


async def quiz_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """出题 under a tip: that tip's quiz, as a reply to the tip (once while it is open)."""
    query = update.callback_query
    svc, tr = services(context), training(context)
    tip = tr.by_id.get((query.data or "").partition(":")[2])
    message = query.message
    if tip is None or message is None or not message.is_accessible:
        await query.answer(QUIZ_EXPIRED)
        return
    key = (message.chat.id, tip.id)
    if key in _sending:  # another member pressed it a moment ago: that poll is on its way
        await query.answer(QUIZ_OPEN)
        return
    wait = svc.limit(update)
    if wait:
        await query.answer(slow_down(wait))
        return
    _sending.add(key)  # no await between the check above and this: one poll per press burst
    try:
        if await asyncio.to_thread(svc.store.open_poll, message.chat.id, tip.id, clock()):
            await query.answer(QUIZ_OPEN)
            return
        quiz = quiz_of(tip, tr.tips)
        if quiz is None:
            await query.answer(NO_QUIZ)
            return
        await query.answer()
        await send_quiz(context.bot, svc, message.chat.id, quiz, QUIZ_OPEN_PERIOD, reply_to=message.message_id)
    finally:
        _sending.discard(key)


async def quiz_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A vote in one of our quiz polls: the user's first answer, in time, is scored."""
    answer = update.poll_answer
    user = answer.user
    if user is None:  # voted as a chat (anonymous admin): nobody to score
        return
    result = await asyncio.to_thread(
        services(context).store.record_answer,
        answer.poll_id, user.id, answer.option_ids, user.full_name, at=clock(), grace=LATE_GRACE
    )
    logger.debug("poll answer: %s", result)


async def bot_membership_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot was blocked, kicked or left: no more daily tips there."""
    change = update.my_chat_member
    if change.new_chat_member.status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        await drop_subscription(services(context), context.application.job_queue, change.chat.id, "bot removed or blocked")


# ---- registration ----------------------------------------------------------------------------

def register(setup: BotSetup) -> None:
    """Training commands, the 出题 button, poll answers; subscriptions come back at start-up."""
    kb = setup.services.knowledge()
    setup.application.bot_data[TRAINING] = LiveTraining(kb) if hasattr(kb, "snapshot") else load_training(kb.directory)
    setup.add_command("tip", "今日提示（点“出题”做题）", tip_command)
    setup.add_command("quiz", "测验：/quiz [题数]，最多 10 题", quiz_command)
    setup.add_command("score", "答题排行榜：本周和总榜", score_command)
    setup.add_command("myscore", "我的答题成绩", myscore_command)
    setup.add_command("subscribe", "订阅每日提示：/subscribe [HH:MM] [quiz]（群里限管理员）", subscribe_command)
    setup.add_command("unsubscribe", "取消每日提示", unsubscribe_command)
    setup.add_command("settings", "查看每日提示设置", settings_command)
    setup.add_handler(CallbackQueryHandler(quiz_button, pattern=CALLBACK_PATTERN))
    setup.add_handler(PollAnswerHandler(quiz_answer))
    setup.add_handler(ChatMemberHandler(bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER))
    setup.on_startup(restore_subscriptions)
