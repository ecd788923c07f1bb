"""Building and running the Telegram bot.

    office-bot run              long polling
    office-bot run --webhook    webhook server (listen, port, URL and secret token from settings)
    python bot.py [--webhook]   the same

`build_application` wires the pieces: settings, the knowledge base (loaded once), the SQLite
store, and every feature module. A feature module is one function `register(setup: BotSetup)`,
listed in `features()`. A later module, e.g. officebot/bot/training.py, adds itself like this:

    from officebot.bot.core import BotSetup

    def register(setup: BotSetup) -> None:
        setup.add_command("tip", "今日提示", tip_command)        # menu, /help and handler at once
        setup.add_handler(PollAnswerHandler(quiz_answer))
        setup.on_startup(restore_subscriptions)                  # async (application) -> None, in post_init

    # and in features():  return [handlers.register, training.register]

Feature modules import what they share (`BotSetup`, `Services`, `services`, `reply`) from
officebot/bot/core.py, never this module: app imports them, not the other way round. Handlers reach
the shared objects with `services(context)` (settings, store, flood gate) and the knowledge base
through `services(context).knowledge()` / `.search()` (a worker thread, never the event loop).
Jobs are not persisted by python-telegram-bot: an `on_startup` hook recreates them from the store
(officebot/bot/training.py: `restore_subscriptions`, `run_daily` with times in the subscription's zone).
State tables come as a new entry of `officebot.store.MIGRATIONS`.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import os
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import BotCommand, Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram.error import BadRequest, Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults, ExtBot
from telegram.request import HTTPXRequest

from officebot.bot.core import (  # noqa: F401 - re-exported: the names feature modules and tests know
    APOLOGY,
    SERVICES,
    BotSetup,
    Command,
    FloodGate,
    Register,
    Services,
    StartupHook,
    services,
)
from officebot.bot.delivery import ReplyRequest, RetryingLimiter, may_have_arrived
from officebot.bot.ledger import CURRENT, UpdateLedger
from officebot.bot.redact import RedactingFormatter, redact
from officebot.bot.settings import Settings, SettingsError, check_webhook, load_settings
from officebot.bot.store import Store, StoreError
from officebot.library.live import open_live
from officebot.retrieval import KnowledgeBase, KnowledgeError

logger = logging.getLogger(__name__)

EXIT_USAGE = 2
STARTUP_PATIENCE = 120.0  # seconds start-up keeps retrying an unreachable Bot API before giving up
IDLE_WAIT = 0.25  # seconds to wait for progress when getUpdates brought only updates in flight
MAX_IN_FLIGHT = 64  # updates fetched and not yet handled before polling waits for one to finish


def features() -> list[Register]:
    """Feature modules in registration order. Later features add their `register` here."""
    from officebot.bot import access, admin, handlers, review, training

    return [access.register, handlers.register, training.register, admin.register, review.register]


async def post_init(application: Application) -> None:
    svc = services(application)
    # jieba loads its HMM for unknown words on first use (~0.3 s): pay that now, not on a user's question
    await svc.search("新同事小明遇到XYZ突发事件该怎么报送", 1)
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
        application.bot.username, len(svc.knowledge().speeches), len(svc.knowledge().passages), len(svc.commands),
    )


async def post_shutdown(application: Application) -> None:
    svc = services(application)
    for hook in svc.shutdown:
        try:
            await hook(application)
        except Exception:
            logger.exception("shutdown hook failed")
    svc.executor.shutdown(wait=False, cancel_futures=True)
    svc.store.close()


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error, then tell the user briefly, unless their reply went out (or may have): one
    answer, never the answer and an apology. Network trouble while polling is one warning line."""
    error = context.error
    if update is None and context.job is None and isinstance(error, (NetworkError, Conflict)):
        logger.warning("polling for updates failed, retrying: %s", error)
        return
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        logger.error("a request to the Bot API failed after its retries: %s", error)
    else:
        logger.error("error while handling an update", exc_info=error)
    if not isinstance(update, Update):
        return
    ledger = services(context).ledger
    if may_have_arrived(error) or (ledger is not None and ledger.has_reply(update.update_id)):
        return
    try:
        if update.callback_query:
            await update.callback_query.answer("出了点问题，请重试。")
        elif update.effective_message and update.effective_chat and update.effective_chat.type != "channel":
            await update.effective_message.reply_text(APOLOGY, do_quote=update.effective_chat.type != "private")
    except TelegramError as exc:  # the apology itself failed; the first error is already logged
        logger.warning("could not send the apology: %s", exc)


class _Application(Application):
    """Application that skips an update already handled and records each one it handles."""

    async def process_update(self, update: object) -> None:
        ledger = self.bot_data[SERVICES].ledger if SERVICES in self.bot_data else None
        update_id = update.update_id if isinstance(update, Update) else None
        if ledger is None or update_id is None:
            await super().process_update(update)
            return
        if update_id not in ledger.in_flight and ledger.seen_before(update_id):
            logger.info("update %s was handled before; skipped", update_id)
            return
        token = CURRENT.set((ledger, update_id))
        try:
            await super().process_update(update)
        finally:
            CURRENT.reset(token)
            ledger.done(update_id)


class _Bot(ExtBot):
    """ExtBot that acknowledges only handled updates, skips updates it cannot read, retries
    start-up for a while, and does not stop on a Bot API server without deleteWebhook.

    Polling always starts with deleteWebhook. Telegram has it; a minimal self-hosted or test server
    may not, and answers 404, which python-telegram-bot reports as InvalidToken. getMe has already
    accepted the token by then, so a 404 here only means that there is no webhook to delete.
    """

    def __init__(self, *args: Any, ledger: UpdateLedger | None = None, **kwargs: Any):
        self._ledger = ledger
        super().__init__(*args, **kwargs)

    async def initialize(self) -> None:
        """getMe until it answers: a network that is not up yet is waited for, with backoff, for
        STARTUP_PATIENCE seconds; a rejected token fails at once."""
        deadline = time.monotonic() + STARTUP_PATIENCE
        delay = 1.0
        while True:
            try:
                await super().initialize()
                return
            except (InvalidToken, BadRequest):
                raise
            except NetworkError as exc:
                if time.monotonic() + delay > deadline:
                    raise
                logger.warning("the Bot API does not answer (%s); trying again in %.0f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    async def get_updates(
        self, offset: int | None = None, limit: int | None = None, timeout: Any = None,
        allowed_updates: Any = None, *, read_timeout: Any = DEFAULT_NONE, write_timeout: Any = DEFAULT_NONE,
        connect_timeout: Any = DEFAULT_NONE, pool_timeout: Any = DEFAULT_NONE, api_kwargs: Any = None,
    ) -> tuple[Update, ...]:
        # The request timeouts default to DEFAULT_NONE as in ExtBot: an explicit None means "wait
        # forever" to python-telegram-bot, and the updater passes none of them.
        ledger = self._ledger
        if ledger is None:
            return await super().get_updates(
                offset, limit, timeout, allowed_updates, read_timeout=read_timeout,
                write_timeout=write_timeout, connect_timeout=connect_timeout, pool_timeout=pool_timeout,
                api_kwargs=api_kwargs,
            )
        seconds = timeout.total_seconds() if isinstance(timeout, dtm.timedelta) else (timeout or 0)
        if seconds:
            await ledger.room(MAX_IN_FLIGHT)  # back-pressure: fetch more when some are done
        offset = ledger.offset()
        base = self._request[0].read_timeout or 0
        data = {"timeout": timeout, "offset": offset, "limit": limit, "allowed_updates": allowed_updates}
        raw = await self._post(
            "getUpdates", data, read_timeout=(read_timeout or base) + seconds, write_timeout=write_timeout,
            connect_timeout=connect_timeout, pool_timeout=pool_timeout, api_kwargs=api_kwargs,
        )
        ledger.acknowledged(offset)
        items: dict[int, Any] = {}
        for item in raw or []:
            update_id = item.get("update_id") if isinstance(item, dict) else None
            if not isinstance(update_id, int):
                logger.warning("skipped an update without an update_id")
                continue
            items[update_id] = item
        fresh = ledger.fresh(list(items))
        updates = []
        for update_id in fresh:  # only new ones are parsed: those in flight come back until done
            try:
                updates.append(Update.de_json(items[update_id], self))
            except Exception as exc:  # noqa: BLE001 - one unreadable update must not stop polling
                logger.warning("skipped update %s that cannot be read: %s", update_id, exc.__class__.__name__)
                ledger.done(update_id)  # recorded as handled: acknowledged with the next call
        if not updates and items and seconds:
            await ledger.wait_for_progress(IDLE_WAIT)  # only updates in flight came back
        return tuple(updates)

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
    ledger = UpdateLedger(store)
    bot = _Bot(
        token=settings.token,
        base_url=settings.api_url,
        base_file_url=settings.base_file_url,
        defaults=Defaults(tzinfo=settings.zone),
        rate_limiter=RetryingLimiter(),  # Telegram's limits, 429s waited out, transient failures retried
        request=ReplyRequest(connection_pool_size=256),  # as ApplicationBuilder's, and tells the ledger
        # Two connections, not one: on stop, the updater cancels the long poll and at once sends a
        # last getUpdates. A cancellation that lands while httpx closes the long poll's response
        # leaves that connection taken for good (httpcore's shield does not stop asyncio's
        # cancel); with one connection the last getUpdates would wait for it for ever.
        get_updates_request=HTTPXRequest(connection_pool_size=2),
        ledger=ledger,
    )
    application = (
        ApplicationBuilder()
        .application_class(_Application)
        .bot(bot)
        .concurrent_updates(True)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    svc = Services(settings, kb, store, FloodGate(settings.flood_limit, settings.flood_window), ledger=ledger)
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
            await application.updater.start_polling(
                timeout=poll_timeout, allowed_updates=Update.ALL_TYPES, error_callback=_polling_failed
            )
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


def _polling_failed(exc: TelegramError) -> None:
    logger.warning("polling for updates failed, retrying: %s", exc)


def configure_logging(*secrets: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", list(secrets)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # httpx logs request URLs, which hold the token
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def main(webhook: bool = False, knowledge: str | None = None, settings_file: str | None = None) -> int:
    """Run the bot until interrupted; the exit code: 0 done, 1 failure, 2 settings to fix."""
    os.environ.setdefault("PTB_TIMEDELTA", "1")  # durations as timedelta (delivery handles both)
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
    return redact(text, [settings.token, settings.webhook_secret])
