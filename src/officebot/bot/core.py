"""What every feature module of the bot shares: the services, the setup API, limits and replies.

`app` builds the `Application` and imports the feature modules (handlers, training, access) to
register them; feature modules import only this module (and render, store, settings), never `app`
or each other, so there is no import circle.

The knowledge base is reached through one accessor, `Services.knowledge()`, and searched through
`Services.search` (or `Services.run` for a blocking job around a search), which runs it in a small
worker pool (never on the event loop), one job at a time per asker, so one asker's long questions
wait for each other and never take every worker: another chat's question is not delayed behind them.
Within the pool the asker who has used it less of late goes first (`FairShare`): a plain question
is not searched beside the next of somebody's stream of long ones, which would halve its speed
(threads share one GIL). Figures: benchmarks/bot_latency.py --busy-neighbour.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import Application, BaseHandler, CommandHandler, ContextTypes
from telegram.ext import filters as ptb_filters

from officebot.bot.settings import Settings
from officebot.bot.store import Store, StoreError
from officebot.retrieval import Answer, KnowledgeBase

logger = logging.getLogger(__name__)

SERVICES = "officebot.services"  # key of `Services` in bot_data
APOLOGY = "抱歉，处理这条消息时出了点问题，请稍后再试。"
SEARCH_WORKERS = 2  # threads that run kb.search (2 cores); each asker uses at most one at a time
ANONYMOUS_BOTS = (1087968824, 136817688)  # GroupAnonymousBot, Channel_Bot: "from" of anonymous senders

StartupHook = Callable[[Application], Awaitable[None]]
Register = Callable[["BotSetup"], None]


@dataclass(frozen=True)
class Command:
    """A bot command as Telegram's menu and /help show it."""

    name: str
    description: str  # Chinese, one short line


class FloodGate:
    """Token buckets: `limit` units at once per key, refilled evenly over `window` seconds.

    A unit is what is sent: one answer, one quiz poll. Keys are any hashable (a user, a chat, an
    anonymous sender's chat); `take` checks several keys and takes from all of them or none.
    """

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.rate = limit / window
        self.clock = clock
        self._buckets: dict[Hashable, tuple[float, float]] = {}  # key -> (tokens, when)

    def _tokens(self, key: Hashable, now: float, limit: float) -> float:
        tokens, when = self._buckets.get(key, (limit, now))
        return min(limit, tokens + (now - when) * self.rate * limit / self.limit)

    def take(self, keys: list[tuple[Hashable, float]], cost: float = 1.0) -> float:
        """0 and `cost` taken from every (key, limit) if all have it, else the seconds to wait."""
        now = self.clock()
        wait = 0.0
        levels = []
        for key, limit in keys:
            tokens = self._tokens(key, now, limit)
            levels.append(tokens)
            need = min(cost, limit)
            if tokens < need:
                wait = max(wait, (need - tokens) / (self.rate * limit / self.limit))
        if wait:
            return wait
        for (key, _limit), tokens in zip(keys, levels):
            self._buckets[key] = (tokens - cost, now)
        if len(self._buckets) > 10_000:
            self._forget_full(now)
        return 0.0

    def check(self, user_id: Hashable | None, cost: float = 1.0) -> float:
        """One key at the default limit (kept for callers that only know a user id)."""
        if user_id is None:
            return 0.0
        return self.take([(user_id, float(self.limit))], cost)

    def _forget_full(self, now: float) -> None:
        for key, (tokens, when) in list(self._buckets.items()):
            if tokens + (now - when) * self.rate >= self.limit:
                del self._buckets[key]


class FairShare:
    """Who goes first in the search pool: the asker who has used it less of late.

    Threads share one GIL: a short question searched beside another user's long one runs at half
    speed or worse, and every switch back to the event loop waits for the long one. So an asker's
    job waits to start while a job of an asker with less recent use is running (a plain question
    while someone fires off long ones back to back), at most `patience` seconds, so nobody starves.
    Use is pool seconds, halved every `half_life` seconds. Event-loop only (no locks)."""

    def __init__(self, half_life: float = 2.0, patience: float = 1.0, clock: Callable[[], float] = time.monotonic):
        self.half_life, self.patience, self.clock = half_life, patience, clock
        self._use: dict[Hashable, tuple[float, float]] = {}  # asker -> (seconds, when)
        self._running: dict[Hashable, int] = {}
        self._changed: asyncio.Event | None = None

    def use(self, who: Hashable, now: float | None = None) -> float:
        seconds, when = self._use.get(who, (0.0, 0.0))
        now = self.clock() if now is None else now
        return seconds * 0.5 ** ((now - when) / self.half_life)

    def _lighter_running(self, who: Hashable) -> bool:
        mine = self.use(who)
        return any(n and other != who and self.use(other) < mine for other, n in self._running.items())

    async def turn(self, who: Hashable) -> None:
        deadline = self.clock() + self.patience
        while self._lighter_running(who):
            left = deadline - self.clock()
            if left <= 0:
                return
            if self._changed is None:
                self._changed = asyncio.Event()
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), left)
            except TimeoutError:
                return

    def started(self, who: Hashable) -> None:
        self._running[who] = self._running.get(who, 0) + 1

    def finished(self, who: Hashable, seconds: float) -> None:
        now = self.clock()
        self._use[who] = (self.use(who, now) + seconds, now)
        left = self._running.get(who, 1) - 1
        if left:
            self._running[who] = left
        else:
            self._running.pop(who, None)
        if len(self._use) > 1000:
            for key in [k for k in self._use if k not in self._running and self.use(k, now) < 1e-3]:
                del self._use[key]
        if self._changed is not None:
            self._changed.set()
            self._changed = None


def sender_key(update: Update) -> tuple[str, int] | None:
    """Who is asking, for limits: the user, or for anonymous admins and channels the chat they
    write as (they all arrive with the same user id)."""
    message = update.effective_message
    if message is not None and message.sender_chat is not None:
        return ("chat-as", message.sender_chat.id)
    user = update.effective_user
    if user is not None and user.id not in ANONYMOUS_BOTS:
        return ("user", user.id)
    chat = update.effective_chat
    return ("chat-as", chat.id) if chat is not None else None


@dataclass
class Services:
    """What every handler needs, created once at start-up; `services(context)` returns it."""

    settings: Settings
    kb: KnowledgeBase  # read it through knowledge(): a later holder may swap it live
    store: Store
    flood: FloodGate
    commands: list[Command] = field(default_factory=list)  # the one list: set_my_commands and /help
    # what /sources lists, when a feature module keeps a richer list than the speeches' (the admin
    # module: each speech's id, shipped ones marked); None: the Q&A module's plain list
    list_sources: Callable[[Services], str | None] | None = None
    startup: list[StartupHook] = field(default_factory=list)
    shutdown: list[StartupHook] = field(default_factory=list)
    ledger: Any = None  # officebot.bot.ledger.UpdateLedger when polling
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(SEARCH_WORKERS, thread_name_prefix="search")
    )
    _askers: dict[Hashable, asyncio.Lock] = field(default_factory=dict)
    _share: FairShare = field(default_factory=FairShare)
    _warned: dict[Hashable, float] = field(default_factory=dict)  # asker -> until when told to slow down

    def knowledge(self) -> KnowledgeBase:
        """The knowledge base in service now (the one accessor every handler uses)."""
        return self.kb

    def reload_knowledge(self) -> object:
        """Rebuild the live knowledge (blocking: call it from a worker thread); None when the bot
        runs on a fixed KnowledgeBase."""
        reload = getattr(self.kb, "reload", None)
        return reload() if callable(reload) else None

    async def run(self, who: Hashable | None, function: Callable[..., Any], *args: Any) -> Any:
        """function(*args) in the worker pool, at most one at a time per asker; an asker who has
        used the pool more of late waits to start while one who has used it less is served."""
        lock = self._askers.setdefault(who, asyncio.Lock()) if who is not None else None
        loop = asyncio.get_running_loop()
        if lock is None:
            return await loop.run_in_executor(self.executor, function, *args)
        try:
            async with lock:
                await self._share.turn(who)
                start = time.monotonic()
                self._share.started(who)
                try:
                    return await loop.run_in_executor(self.executor, function, *args)
                finally:
                    self._share.finished(who, time.monotonic() - start)
        finally:
            if not lock.locked() and len(self._askers) > 1000:
                self._askers.pop(who, None)

    @asynccontextmanager
    async def serving(self, who: Hashable | None) -> AsyncIterator[None]:
        """`who` counts as being served for the fair share (see `FairShare`) inside the block, e.g.
        from a question to its reply, not only while its search runs: a heavier asker's next search
        does not start while a lighter one's answer is still on its way out."""
        if who is None:
            yield
            return
        self._share.started(who)
        try:
            yield
        finally:
            self._share.finished(who, 0.0)

    async def search(self, question: str, k: int, who: Hashable | None = None) -> Answer:
        kb = self.knowledge()
        return await self.run(who, kb.search, question, k)

    def first_warning(self, who: Hashable | None, wait: float) -> bool:
        """Whether to tell `who` to slow down: once per wait, not for every message sent meanwhile.
        A user who floods would otherwise get a reply for each message, and those replies use up
        the bot's overall budget of 30 messages a second that every other user's answers share."""
        if who is None:
            return True
        now = time.monotonic()
        if self._warned.get(who, 0.0) > now:
            return False
        if len(self._warned) > 1000:
            self._warned = {k: until for k, until in self._warned.items() if until > now}
        self._warned[who] = now + wait
        return True

    def limit(self, update: Update, cost: float = 1.0) -> float:
        """Take `cost` from the sender's and (in groups) the chat's bucket; the wait if not there."""
        keys: list[tuple[Hashable, float]] = []
        sender = sender_key(update)
        if sender is not None:
            keys.append((sender, float(self.settings.flood_limit)))
        chat = update.effective_chat
        if chat is not None and chat.type != ChatType.PRIVATE:
            keys.append((("chat", chat.id), float(self.settings.flood_chat_limit)))
        return self.flood.take(keys, cost) if keys else 0.0


def services(context: ContextTypes.DEFAULT_TYPE | Application) -> Services:
    return context.bot_data[SERVICES]


_COMMAND_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


class BotSetup:
    """What a feature module gets in `register(setup)` to add itself to the bot.

    `add_command` registers a command handler and lists the command (menu and /help);
    `add_handler` any other handler; `add_fallback` catch-all handlers, which are added after every
    feature's own handlers; `on_startup` an async hook run in post_init, after set_my_commands
    (recreate `job_queue.run_daily` jobs there from `store`), `on_shutdown` one run at exit.
    """

    def __init__(self, application: Application, services: Services):
        self.application = application
        self.services = services
        self._fallbacks: list[tuple[BaseHandler, int]] = []

    @property
    def job_queue(self):
        return self.application.job_queue

    def add_command(
        self,
        name: str,
        description: str,
        callback: Callable[[Update, Any], Awaitable[Any]],
        *,
        filters: ptb_filters.BaseFilter | None = None,
        group: int = 0,
    ) -> None:
        """Handle /name with `callback` and list it, with its description, in the menu and /help."""
        if not 1 <= len(name) <= 32 or not set(name) <= _COMMAND_NAME_CHARS:
            raise ValueError(f"invalid command name {name!r}: 1-32 of a-z, 0-9, _")
        if not 1 <= len(description) <= 256:
            raise ValueError(f"description of /{name} must be 1-256 characters")
        if any(c.name == name for c in self.services.commands):
            raise ValueError(f"command /{name} registered twice")
        only_new = ptb_filters.UpdateType.MESSAGE  # an edited message is not a new command
        self.application.add_handler(
            CommandHandler(name, callback, filters=only_new & filters if filters else only_new), group=group
        )
        self.services.commands.append(Command(name, description))

    def add_handler(self, handler: BaseHandler, group: int = 0) -> None:
        self.application.add_handler(handler, group=group)

    def add_fallback(self, handler: BaseHandler, group: int = 0) -> None:
        self._fallbacks.append((handler, group))

    def on_startup(self, hook: StartupHook) -> None:
        self.services.startup.append(hook)

    def on_shutdown(self, hook: StartupHook) -> None:
        self.services.shutdown.append(hook)

    def finish(self) -> None:
        for handler, group in self._fallbacks:
            self.application.add_handler(handler, group=group)
        self._fallbacks.clear()


# ---- replies ---------------------------------------------------------------------------------

def slow_down(wait: float) -> str:
    return f"您问得有点快，请 {max(1, math.ceil(wait))} 秒后再问，谢谢！"


def replied(update: Update, context: ContextTypes.DEFAULT_TYPE | Application) -> None:
    """Remember that this update got its reply: the error handler must not apologise for it."""
    ledger = services(context).ledger
    if ledger is not None and update.update_id is not None:
        ledger.replied(update.update_id)


async def reply(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None,
    context: ContextTypes.DEFAULT_TYPE | None = None,
) -> Message | None:
    """Send HTML; in groups as a reply to the asker's message."""
    message = update.effective_message
    if message is None:
        return None
    in_group = message.chat.type != ChatType.PRIVATE
    sent = await message.reply_text(
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        do_quote=False,
        reply_parameters=(
            ReplyParameters(message.message_id, allow_sending_without_reply=True) if in_group else None
        ),
    )
    if context is not None:
        replied(update, context)
    return sent


def store_safely(what: str, action: Callable[[], Any], default: Any = None) -> Any:
    """A store call whose failure (full disk, read-only or damaged file) must not cost the reply:
    the error is logged, `default` returned."""
    try:
        return action()
    except StoreError as exc:
        logger.error("could not %s: %s", what, exc)
        return default
