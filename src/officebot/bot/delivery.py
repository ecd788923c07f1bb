"""Getting requests to the Bot API through transient failures, and knowing when not to retry.

Every request the bot makes (except getUpdates, which the updater retries itself) goes through
`RetryingLimiter`: python-telegram-bot's AIORateLimiter (Telegram's 30 messages a second overall,
20 a minute per group) plus retries of what is worth retrying, with exponential backoff and a bound:

- 429 Too Many Requests: wait `retry_after` (AIORateLimiter pauses every request meanwhile);
- 5xx answers, HTML error pages, connections dropped or refused, connect/pool timeouts.

Not retried: 4xx answers (the request itself is wrong, or the chat is gone), and a read timeout
of a request that changes something (sendMessage, sendPoll, ...): Telegram may have done it already,
and a retry would send it twice. `may_have_arrived(exc)` tells the error handler not to apologise
for such a reply.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter
from telegram.request import HTTPXRequest

from officebot.bot.ledger import about_to_reply, reply_failed

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5  # tries of one request in all
BACKOFF = 0.5  # seconds before the first retry; doubled each time (with jitter)
MAX_BACKOFF = 8.0
MAX_RETRY_AFTER = 60.0  # a 429 asking for longer than this is not waited out
SAFE_TO_REPEAT = {"getMe", "getChat", "getChatMember", "getMyCommands", "getFile", "getWebhookInfo",
                  "setMyCommands", "deleteWebhook", "answerCallbackQuery", "answerInlineQuery"}


def not_sent(exc: BaseException) -> bool:
    """The request never reached the server (connect or pool timeout, connection refused)."""
    cause = exc.__cause__
    return isinstance(cause, (httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ConnectError))


def may_have_arrived(exc: BaseException) -> bool:
    """A timeout after the request was sent: the server may have carried it out."""
    return isinstance(exc, TimedOut) and not not_sent(exc)


def transient(exc: BaseException, endpoint: str) -> bool:
    """Is a failed request (not a 429) worth another try?"""
    if isinstance(exc, BadRequest) or not isinstance(exc, NetworkError):
        return False  # 400, 401, 403, 404, 409: retrying changes nothing
    if isinstance(exc, TimedOut):
        return not_sent(exc) or endpoint in SAFE_TO_REPEAT
    return True  # 5xx, error pages, dropped connections


def _retry_after(exc: RetryAfter) -> float:
    value = exc.retry_after
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value)


class RetryingLimiter(AIORateLimiter):
    """AIORateLimiter's limits, with this module's retries (see its docstring)."""

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        chat_id = data.get("chat_id")
        try:
            chat_id = int(chat_id)
        except (TypeError, ValueError):
            pass
        group = chat_id if (isinstance(chat_id, int) and chat_id < 0) or isinstance(chat_id, str) else False

        attempt = 1
        while True:
            try:
                return await self._run_request(
                    chat=chat_id is not None, group=group,
                    allow_paid_broadcast=data.get("allow_paid_broadcast", False),
                    callback=callback, args=args, kwargs=kwargs,
                )
            except RetryAfter as exc:
                reply_failed()
                wait = _retry_after(exc)
                if wait > MAX_RETRY_AFTER or attempt >= MAX_ATTEMPTS:
                    logger.warning("%s: flood control asks for %.0f s (try %d), giving up", endpoint, wait, attempt)
                    raise
                logger.info("%s: flood control, retrying in %.1f s", endpoint, wait)
                self._retry_after_event.clear()  # every request waits, as AIORateLimiter does
                try:
                    await asyncio.sleep(wait + 0.1)
                finally:
                    self._retry_after_event.set()
            except NetworkError as exc:
                if not transient(exc, endpoint):
                    if not may_have_arrived(exc):
                        reply_failed()  # refused (4xx): no reply went out
                    raise
                reply_failed()
                if attempt >= MAX_ATTEMPTS:
                    logger.warning("%s failed %d times, giving up: %s", endpoint, attempt, exc)
                    raise
                delay = min(MAX_BACKOFF, BACKOFF * 2 ** (attempt - 1)) * random.uniform(0.8, 1.2)
                logger.warning("%s failed (%s); try %d of %d in %.1f s", endpoint, exc, attempt + 1, MAX_ATTEMPTS, delay)
                await asyncio.sleep(delay)
            attempt += 1


class _ReplyTracingClient(httpx.AsyncClient):
    """httpx client that tells the ledger when a request's bytes have been written to the socket:
    from then on the server will carry it out even if this process dies."""

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        endpoint = request.url.path.rsplit("/", 1)[-1]

        async def trace(event: str, info: dict[str, Any]) -> None:
            if event == "http11.send_request_body.complete":
                about_to_reply(endpoint)

        request.extensions = {**request.extensions, "trace": trace}
        return await super().send(request, **kwargs)


class ReplyRequest(HTTPXRequest):
    """HTTPXRequest whose client reports written requests (see `_ReplyTracingClient`)."""

    def _build_client(self) -> httpx.AsyncClient:
        return _ReplyTracingClient(**self._client_kwargs)
