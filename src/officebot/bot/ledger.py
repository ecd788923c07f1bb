"""Exactly once across a crash: which fetched updates were handled, and what may be acknowledged.

Telegram forgets an update once a getUpdates call passes an `offset` above its id. Stock
python-telegram-bot passes the id after the last update it *fetched*, so a kill -9 loses every
fetched update still waiting in its queue. Here the offset is the lowest update still in flight
(fetched, not yet handled): nothing unhandled is ever acknowledged. Updates that come back because
of that are skipped while in flight; an update is recorded as handled in SQLite the moment its
handling ends, so after a crash and a restart it is skipped too.

When is an update handled? Its reply is what matters: once the reply's bytes are written to the
socket, Telegram will carry it out even if the process dies the next instant, while the bot learns
that it arrived only a round trip later. So the mark is written the moment the first reply of an
update has been written out (httpx's trace hook, see officebot.bot.delivery.ReplyRequest and
`about_to_reply`), and again when handling ends. Only a kill -9 within the few microseconds between
the write and the SQLite commit repeats a reply; nothing fetched is lost.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextvars import ContextVar

from officebot.bot.store import Store, StoreError

logger = logging.getLogger(__name__)

KEEP_HANDLED = 24 * 3600  # seconds a handled id is kept: Telegram keeps an update at most 24 hours
REPLIES = {"sendMessage", "sendPoll", "editMessageText", "editMessageReplyMarkup", "answerInlineQuery",
           "sendDocument", "sendPhoto"}  # requests a user sees: the first of them commits the update

CURRENT: ContextVar[tuple[UpdateLedger, int] | None] = ContextVar("officebot_update", default=None)


def reply_failed() -> None:
    """The request that committed the current update failed and will be retried (or given up):
    until a retry is written out, the update is not handled."""
    entry = CURRENT.get()
    if entry is not None:
        ledger, update_id = entry
        ledger.uncommit(update_id)


def about_to_reply(endpoint: str) -> None:
    """Called when a request has been written out: the first reply of an update commits it."""
    entry = CURRENT.get()
    if entry is not None and endpoint in REPLIES:
        ledger, update_id = entry
        ledger.commit(update_id)


class UpdateLedger:
    def __init__(self, store: Store):
        self.store = store
        self.in_flight: set[int] = set()
        self.handled: set[int] = set()  # handled, and maybe not yet acknowledged (id >= acked)
        self._replied: set[int] = set()
        self.acked = 0  # the offset last sent to Telegram
        self.highest = 0  # the highest update id seen
        self._changed = asyncio.Event()
        self._store_failed = False
        self._committed: set[int] = set()

    # ---- getUpdates ------------------------------------------------------------------------

    def offset(self) -> int:
        """What to acknowledge now: everything below the lowest update still in flight."""
        if self.in_flight:
            return min(self.in_flight)
        return self.highest + 1 if self.highest else 0

    def acknowledged(self, offset: int) -> None:
        """A getUpdates with this offset succeeded: ids below it will never come back."""
        if offset > self.acked:
            self.acked = offset
            self.handled = {u for u in self.handled if u >= offset}
            self._replied = {u for u in self._replied if u >= offset}

    def fresh(self, update_ids: list[int]) -> list[int]:
        """Of the ids just fetched, those to handle now: not in flight, not handled before."""
        candidates = [u for u in update_ids if u not in self.in_flight and u not in self.handled]
        before = set()
        if candidates:
            try:
                before = self.store.handled_among(candidates)
            except StoreError as exc:
                self._report(exc)
        for u in update_ids:
            self.highest = max(self.highest, u)
        fresh = [u for u in candidates if u not in before]
        self.handled |= before
        self.in_flight.update(fresh)
        if before:
            logger.info("%d updates were handled before a restart; skipped", len(before))
        return fresh

    async def room(self, limit: int) -> None:
        """Wait while `limit` updates or more are in flight."""
        while len(self.in_flight) >= limit:
            await self.wait_for_progress(1.0)

    async def wait_for_progress(self, timeout: float) -> None:
        """Nothing new came: wait until an update in flight is done (or `timeout`), so that polling
        with an offset that keeps updates in flight does not spin."""
        self._changed.clear()
        try:
            await asyncio.wait_for(self._changed.wait(), timeout)
        except TimeoutError:
            pass

    # ---- handling --------------------------------------------------------------------------

    def seen_before(self, update_id: int) -> bool:
        """For updates that do not come through getUpdates (webhook): handled already?"""
        if update_id in self.handled:
            return True
        try:
            return bool(self.store.handled_among([update_id]))
        except StoreError as exc:
            self._report(exc)
            return False

    def commit(self, update_id: int) -> None:
        """Record the update as handled now (its reply is about to leave)."""
        if update_id in self._committed:
            return
        self._committed.add(update_id)
        try:
            self.store.mark_handled([update_id])
            self._store_failed = False
        except StoreError as exc:
            self._report(exc)

    def uncommit(self, update_id: int) -> None:
        if update_id not in self._committed:
            return
        self._committed.discard(update_id)
        try:
            self.store.unmark_handled(update_id)
        except StoreError as exc:
            self._report(exc)

    def done(self, update_id: int) -> None:
        """Handling ended (answered, refused, failed: it is not tried again)."""
        self.in_flight.discard(update_id)
        self.handled.add(update_id)
        self._replied.discard(update_id)
        self.commit(update_id)
        self._committed.discard(update_id)
        self._changed.set()

    def replied(self, update_id: int) -> None:
        self._replied.add(update_id)

    def has_reply(self, update_id: int) -> bool:
        return update_id in self._replied

    def prune(self) -> None:
        try:
            self.store.prune_handled(time.time() - KEEP_HANDLED)
        except StoreError as exc:
            self._report(exc)

    def _report(self, exc: StoreError) -> None:
        if not self._store_failed:  # once per outage, not once per update
            logger.error("could not record handled updates (a restart may answer some twice): %s", exc)
        self._store_failed = True
