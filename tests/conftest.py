"""Shared fixtures: a clean environment, the real knowledge base, a fake Bot API, a running bot.

Every test gets its own data directory through OFFICE_BOT_DATA and none of the developer's bot
settings. The knowledge base is the installed one, loaded once per session. `bot` runs the real
`Application` (long polling) against `botapi`, a FakeBotAPI on loopback, and on the way out checks
that every call the bot made was accepted and that no error was logged.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import sys
import threading
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from botapi import FakeBotAPI  # tests/ is on sys.path (pytest's rootdir conftest)
from officebot.retrieval import KnowledgeBase

from officebot.bot.app import build_application, running
from officebot.bot.settings import load_settings
from officebot.bot.store import Store

os.environ.setdefault("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after as a timedelta, without a warning

ADMIN_ID = 900001
USER, OTHER = 700001, 700002  # the people of the `people` fixture, and their group
GROUP = -100500
BOT_ENV = (
    "TELEGRAM_BOT_TOKEN", "OFFICE_BOT_API_URL", "OFFICE_BOT_TZ", "OFFICE_BOT_ADMINS", "OFFICE_BOT_SETTINGS",
    "OFFICE_BOT_MAX_QUESTION", "OFFICE_BOT_FLOOD", "OFFICE_BOT_FOLLOWUP", "OFFICE_BOT_WEBHOOK_LISTEN", "OFFICE_BOT_WEBHOOK_PORT",
    "OFFICE_BOT_WEBHOOK_URL", "OFFICE_BOT_WEBHOOK_PATH", "OFFICE_BOT_WEBHOOK_SECRET", "OFFICE_BOT_FLOOD_CHAT",
    "OFFICE_BOT_RETENTION_DAYS", "OFFICE_BOT_ALLOWLIST", "OFFICE_BOT_ALLOWED", "OFFICE_BOT_FILE_URL",
)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in BOT_ENV:
        monkeypatch.delenv(var, raising=False)
    directory = tmp_path / "data"
    monkeypatch.setenv("OFFICE_BOT_DATA", str(directory))
    return directory


# the store calls that may run on the event loop: opening and closing, and the update ledger's
# marks, which must be written the moment a reply is (officebot.bot.ledger)
ON_LOOP_ALLOWED = {"open", "close", "version", "migrate", "mark_handled", "unmark_handled", "handled_among",
                   "prune_handled"}


@pytest.fixture
def store_off_loop(monkeypatch: pytest.MonkeyPatch):
    """Fails the test if a store call (a SQLite query or commit) runs on the bot's event loop."""
    from officebot.bot.store import Store

    on_loop: list[str] = []
    for name, method in list(vars(Store).items()):
        if name.startswith("_") or name in ON_LOOP_ALLOWED or not callable(method):
            continue

        def watched(*args, __method=method, __name=name, **kwargs):
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if caller.startswith("officebot.") and caller != "officebot.bot.store":  # not the tests' own calls
                try:
                    asyncio.get_running_loop()
                except RuntimeError:
                    pass  # a worker thread
                else:
                    on_loop.append(__name)
            return __method(*args, **kwargs)

        monkeypatch.setattr(Store, name, watched)
    yield on_loop
    assert not on_loop, f"store calls on the event loop: {sorted(set(on_loop))}"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    knowledge = KnowledgeBase.load()
    knowledge.search("预热", 1)  # jieba's dictionary loads on first use
    return knowledge


@pytest.fixture
def botapi() -> FakeBotAPI:
    with FakeBotAPI() as server:
        yield server


@pytest.fixture
def bot_env(botapi: FakeBotAPI, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment `office-bot run` gets in production, pointed at the fake server."""
    env = {
        "TELEGRAM_BOT_TOKEN": botapi.token,
        "OFFICE_BOT_API_URL": botapi.base_url,
        "OFFICE_BOT_ADMINS": str(ADMIN_ID),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


class BotRun:
    """Start and stop the bot on the current data directory (a restart is stop + start)."""

    def __init__(self, kb: KnowledgeBase, botapi: FakeBotAPI):
        self.kb = kb
        self.botapi = botapi
        self.expect_errors = False  # set by tests that provoke an error on purpose
        self._runs: list = []

    async def start(self, **settings_overrides):
        settings = replace(load_settings(), **settings_overrides)
        application = build_application(settings, self.kb, Store.open(settings.data_dir))
        context = running(application, poll_timeout=5)
        await context.__aenter__()
        self._runs.append(context)
        await asyncio.to_thread(self.botapi.wait_until_polling, 10)
        return application

    async def stop(self) -> None:
        context = self._runs.pop()
        # bounded: a stop that hangs fails the test instead of the whole run
        await asyncio.wait_for(context.__aexit__(None, None, None), 60)

    async def stop_all(self) -> None:
        while self._runs:
            await self.stop()


STOP_PATIENCE = 45.0  # seconds stopping the bot may take before the asyncio tasks are printed (before
# BotRun.stop gives up at 60 s and cancels, which would hide what it waited for)


def dump_tasks(loop: asyncio.AbstractEventLoop) -> None:
    """Print what every task of `loop` awaits, coroutine by coroutine (a thread dump shows only an
    idle event loop): called from a timer thread when stopping the bot hangs."""

    def dump() -> None:
        print(f"\n=== stopping the bot takes over {STOP_PATIENCE:.0f} s; asyncio tasks:", file=sys.stderr)
        for task in asyncio.all_tasks(loop):
            print("---", task.get_name(), file=sys.stderr)
            awaited = task.get_coro()
            while awaited is not None:
                frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "ag_frame", None)
                if frame is not None:
                    print(f"    {frame.f_code.co_filename}:{frame.f_lineno} {frame.f_code.co_name}", file=sys.stderr)
                following = getattr(awaited, "cr_await", None) or getattr(awaited, "ag_await", None)
                if type(following).__name__ == "async_generator_asend" and frame is not None:
                    # asend() hides its generator: find the running one among the frame's locals
                    running_gens = [v for v in frame.f_locals.values() if inspect.isasyncgen(v) and v.ag_running]
                    running_gens += [v.gen for v in frame.f_locals.values()
                                     if inspect.isasyncgen(getattr(v, "gen", None)) and v.gen.ag_running]
                    following = running_gens[0] if running_gens else following
                if following is None or not hasattr(following, "cr_frame") and not hasattr(following, "ag_frame"):
                    print(f"    awaiting {following!r}"[:300], file=sys.stderr)
                    break
                awaited = following
        sys.stderr.flush()

    loop.call_soon_threadsafe(dump)


@pytest.fixture
async def bot_runner(kb, bot_env, botapi, caplog, store_off_loop) -> AsyncIterator[BotRun]:
    caplog.set_level(logging.INFO)
    runner = BotRun(kb, botapi)
    try:
        yield runner
    finally:
        watchdog = threading.Timer(STOP_PATIENCE, dump_tasks, (asyncio.get_running_loop(),))
        watchdog.daemon = True
        watchdog.start()
        try:
            await runner.stop_all()
        finally:
            watchdog.cancel()
    if not runner.expect_errors:
        failed = [f"{c.method}: {c.error}" for c in botapi.calls if not c.ok and c.method != "getUpdates"]
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert not failed, f"the fake Bot API rejected calls: {failed}"
        assert not errors, f"errors were logged: {errors}"


@pytest.fixture
async def bot(bot_runner: BotRun):
    """The bot, long polling the fake server."""
    return await bot_runner.start()


@pytest.fixture
def people(botapi):
    botapi.user(USER, "小王", "xiaowang")
    botapi.user(OTHER, "小李", "xiaoli")
    botapi.user(ADMIN_ID, "主任", "zhuren")
    botapi.group(GROUP, "办公室培训群")
    return botapi
