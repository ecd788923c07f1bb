"""Stopping the bot never waits for ever on its last getUpdates.

On stop, python-telegram-bot cancels the long poll and at once sends one more getUpdates. A
cancellation that lands while httpx closes the long poll's response leaves that connection taken
for good (httpcore's cancellation shield does not stop asyncio's task.cancel()), so the last
getUpdates must not need the long poll's connection, and must not wait without a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect

from telegram.error import TelegramError
from telegram.ext import ExtBot

from officebot.bot.app import _Bot, build_application
from officebot.bot.settings import load_settings
from officebot.bot.store import Store


async def test_last_get_updates_does_not_wait_for_the_long_poll(kb, bot_env, botapi):
    settings = load_settings()
    application = build_application(settings, kb, Store.open(settings.data_dir))
    bot = application.bot
    await bot.initialize()
    long_poll = asyncio.create_task(bot.get_updates(timeout=5))  # holds its connection for 5 s
    try:
        await asyncio.to_thread(botapi.wait_until_polling, 10)
        # the updater's last call on stop: with one connection it would wait for the long poll
        assert await asyncio.wait_for(bot.get_updates(timeout=0), 3) == ()
    finally:
        with contextlib.suppress(TelegramError):  # the fake ends the older poll with 409 Conflict
            await long_poll
        await bot.shutdown()
        application.bot_data["officebot.services"].store.close()


def test_get_updates_keeps_the_request_timeouts_of_extbot():
    """None would mean "no timeout" to python-telegram-bot: a lost connection would be waited for
    for ever. The override takes ExtBot's defaults (the configured timeouts)."""
    ours = inspect.signature(_Bot.get_updates).parameters
    stock = inspect.signature(ExtBot.get_updates).parameters
    for name in ("read_timeout", "write_timeout", "connect_timeout", "pool_timeout"):
        assert ours[name].default is stock[name].default, name
