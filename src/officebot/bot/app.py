"""Building and running the Telegram bot.

    office-bot run              long polling
    office-bot run --webhook    webhook server (listen, port, URL and secret token from settings)
    python bot.py [--webhook]   the same

`build_application` wires the pieces: settings, the knowledge base (loaded once), the SQLite
store, and every feature module. A feature module is one function `register(setup: BotSetup)`,
listed in `features()`. A later module, e.g. officebot/bot/training.py, adds itself like this:

    def register(setup: BotSetup) -> None:
        setup.add_command("tip", "今日提示", tip_command)        # menu, /help and handler at once
        setup.add_handler(PollAnswerHandler(quiz_answer))
        setup.on_startup(restore_subscriptions)                  # async (application) -> None, in post_init

    # and in features():  return [handlers.register, training.register]

Handlers reach the shared objects with `services(context)` (settings, kb, store, flood gate).
Jobs are not persisted by python-telegram-bot: an `on_startup` hook recreates them from the store
(officebot/bot/training.py: `restore_subscriptions`, `run_daily` with times in the subscription's zone).
State tables come as a new entry of `officebot.store.MIGRATIONS`.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from telegram import BotCommand, Update
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    ExtBot,
)
from telegram.ext import filters as ptb_filters
from telegram.request import HTTPXRequest

from officebot.bot.settings import Settings, SettingsError, check_webhook, load_settings
from officebot.bot.store import Store, StoreError
from officebot.library.live import open_live
from officebot.retrieval import KnowledgeBase, KnowledgeError

logger = logging.getLogger(__name__)

SERVICES = "officebot.services"  # key of `Services` in bot_data
EXIT_USAGE = 2
APOLOGY = "抱歉，处理这条消息时出了点问题，请稍后再试。"
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")  # what setMyCommands accepts

StartupHook = Callable[[Application], Awaitable[None]]
Register = Callable[["BotSetup"], None]


@dataclass(frozen=True)
class Command:
    """A bot command as Telegram's menu and /help show it."""

    name: str
    description: str  # Chinese, one short line


class FloodGate:
    """Per-user token bucket: `limit` questions at once, refilled evenly over `window` seconds."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.rate = limit / window
        self.clock = clock
        self._buckets: dict[int, tuple[float, float]] = {}  # user -> (tokens, when)

    def check(self, user_id: int | None) -> float:
        """0 and one token taken if the user may go on, else the seconds until they may."""
        if user_id is None:
            return 0.0
        now = self.clock()
        tokens, when = self._buckets.get(user_id, (float(self.limit), now))
        tokens = min(float(self.limit), tokens + (now - when) * self.rate)
        if tokens >= 1.0:
            self._buckets[user_id] = (tokens - 1.0, now)
            if len(self._buckets) > 10_000:
                self._forget_full(now)
            return 0.0
        self._buckets[user_id] = (tokens, now)
        return (1.0 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        for user, (tokens, when) in list(self._buckets.items()):
            if tokens + (now - when) * self.rate >= self.limit:
                del self._buckets[user]


@dataclass
class Services:
    """What every handler needs, created once at start-up; `services(context)` returns it."""

    settings: Settings
    kb: KnowledgeBase
    store: Store
    flood: FloodGate
    commands: list[Command] = field(default_factory=list)  # the one list: set_my_commands and /help
    startup: list[StartupHook] = field(default_factory=list)
    shutdown: list[StartupHook] = field(default_factory=list)

    def reload_knowledge(self) -> object:
        """Rebuild the live knowledge (blocking: call it from a worker thread); None when the bot
        runs on a fixed KnowledgeBase."""
        reload = getattr(self.kb, "reload", None)
        return reload() if callable(reload) else None


def services(context: ContextTypes.DEFAULT_TYPE | Application) -> Services:
    return context.bot_data[SERVICES]


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
        if not _COMMAND_NAME.fullmatch(name):
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


def features() -> list[Register]:
    """Feature modules in registration order. Later features add their `register` here."""
    from officebot.bot import admin, handlers, review, training

    return [handlers.register, training.register, admin.register, review.register]


async def post_init(application: Application) -> None:
    svc = services(application)
    # jieba loads its HMM for unknown words on first use (~0.3 s): pay that now, not on a user's question
    svc.kb.search("新同事小明遇到XYZ突发事件该怎么报送", 1)
    commands = [BotCommand(c.name, c.description) for c in svc.commands]
    try:
        await application.bot.set_my_commands(commands)
    except TelegramError as exc:  # a missing menu must not keep the bot from answering
        logger.warning("set_my_commands failed: %s", exc)
    for hook in svc.startup:
        try:
            await hook(application)
        except Exception:
            logger.exception("start-up hook %s failed", getattr(hook, "__qualname__", hook))
    logger.info(
        "office-bot ready as @%s: %d speeches, %d passages, %d commands",
        application.bot.username, len(svc.kb.speeches), len(svc.kb.passages), len(svc.commands),
    )


async def post_shutdown(application: Application) -> None:
    svc = services(application)
    for hook in svc.shutdown:
        try:
            await hook(application)
        except Exception:
            logger.exception("shutdown hook failed")
    svc.store.close()


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error with its traceback, then tell the user briefly; never show the traceback."""
    logger.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query:
            await update.callback_query.answer("出了点问题，请重试。")
        elif update.effective_message and update.effective_chat and update.effective_chat.type != "channel":
            await update.effective_message.reply_text(APOLOGY, do_quote=update.effective_chat.type != "private")
    except TelegramError as exc:  # the apology itself failed; the first error is already logged
        logger.warning("could not send the apology: %s", exc)


class _Bot(ExtBot):
    """ExtBot that does not stop on a Bot API server without deleteWebhook.

    Polling always starts with deleteWebhook. Telegram has it; a minimal self-hosted or test server
    may not, and answers 404, which python-telegram-bot reports as InvalidToken. getMe has already
    accepted the token by then, so a 404 here only means that there is no webhook to delete.
    """

    async def delete_webhook(self, *args: Any, **kwargs: Any) -> bool:
        try:
            return await super().delete_webhook(*args, **kwargs)
        except InvalidToken:
            if not self._token_accepted():
                raise
            logger.warning("the Bot API server has no deleteWebhook; going on without it")
            return True

    def _token_accepted(self) -> bool:
        try:
            return self.bot is not None  # the User from getMe; RuntimeError before it
        except RuntimeError:
            return False


def build_application(
    settings: Settings,
    kb: KnowledgeBase,
    store: Store,
    register: list[Register] | None = None,
) -> Application:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # httpx logs request URLs, which hold the token
    bot = _Bot(
        token=settings.token,
        base_url=settings.api_url,
        base_file_url=settings.base_file_url,
        defaults=Defaults(tzinfo=settings.zone),
        rate_limiter=AIORateLimiter(max_retries=2),  # Telegram's limits; a 429 is waited out twice
        request=HTTPXRequest(connection_pool_size=256),  # what ApplicationBuilder would use
        get_updates_request=HTTPXRequest(connection_pool_size=1),
    )
    application = (
        ApplicationBuilder()
        .bot(bot)
        .concurrent_updates(True)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    svc = Services(settings, kb, store, FloodGate(settings.flood_limit, settings.flood_window))
    application.bot_data[SERVICES] = svc
    setup = BotSetup(application, svc)
    for feature in features() if register is None else register:
        feature(setup)
    setup.finish()
    application.add_error_handler(error_handler)
    return application


@asynccontextmanager
async def running(application: Application, *, webhook: bool = False, poll_timeout: float = 10) -> AsyncIterator[Application]:
    """Run the bot inside an existing event loop, as run_polling/run_webhook would (for tests and
    benchmarks): initialize, post_init, updater, start; and the reverse on exit."""
    settings = services(application).settings
    await application.initialize()
    try:
        await post_init(application)
        if webhook:
            await application.updater.start_webhook(
                listen=settings.webhook_listen, port=settings.webhook_port, url_path=settings.url_path,
                webhook_url=settings.webhook_url, secret_token=settings.webhook_secret or None,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            await application.updater.start_polling(timeout=poll_timeout, allowed_updates=Update.ALL_TYPES)
        await application.start()
        try:
            yield application
        finally:
            if application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
    finally:
        await application.shutdown()
        await post_shutdown(application)


class _RedactingFormatter(logging.Formatter):
    """Belt and braces: the token never reaches a log line, even inside a traceback."""

    def __init__(self, fmt: str, secrets: list[str]):
        super().__init__(fmt)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, "[secret]")
        return text


def configure_logging(*secrets: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(_RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", list(secrets)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # httpx logs request URLs, which hold the token
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def main(webhook: bool = False, knowledge: str | None = None, settings_file: str | None = None) -> int:
    """Run the bot until interrupted; the exit code: 0 done, 1 failure, 2 settings to fix."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        settings = load_settings(settings_file)
        if webhook:
            settings = check_webhook(settings)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    configure_logging(settings.token, settings.webhook_secret)
    try:
        kb = open_live(knowledge, settings.data_dir)  # shipped + library, swapped live on changes
        store = Store.open(settings.data_dir)
    except KnowledgeError as exc:
        print(f"知识库有错误：{exc}", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"数据目录不可用：{exc}", file=sys.stderr)
        return 1
    application = build_application(settings, kb, store)
    try:
        if webhook:
            logger.info("webhook on %s:%d/%s", settings.webhook_listen, settings.webhook_port, settings.url_path)
            application.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=settings.url_path,
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        print("Telegram 不接受这个令牌：请向 @BotFather 核对后重新设置 TELEGRAM_BOT_TOKEN", file=sys.stderr)
        return EXIT_USAGE
    except NetworkError as exc:
        if isinstance(exc, BadRequest):  # e.g. setWebhook refused: a URL Telegram will not call
            print(f"Bot API 拒绝了请求：{_redact(str(exc), settings)}", file=sys.stderr)
        else:
            print(f"连不上 Bot API（{settings.api_url}）：{_redact(str(exc), settings)}", file=sys.stderr)
        return 1
    except TelegramError as exc:
        print(f"Bot API 拒绝了请求：{_redact(str(exc), settings)}", file=sys.stderr)
        return 1
    return 0


def _redact(text: str, settings: Settings) -> str:
    for secret in (settings.token, settings.webhook_secret):
        if secret:
            text = text.replace(secret, "[secret]")
    return text

