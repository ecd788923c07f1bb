"""One user's long questions must not hold up another user's short one (issue 7's busy neighbour).

Ordering, not milliseconds: the knowledge base is wrapped so that a long question's search blocks
on a gate the test holds closed. While one user has several long questions queued and one of them
is stuck in the search, another user's short question must still get its answer, and the long
user's questions must be searched one at a time (they wait for each other, not in the search
pool, where they would take every worker). And in the pool, an asker who has used it more of late
waits to start while one who has used it less is being served (`FairShare`), for a bounded time.
The figures are benchmarks/bot_latency.py --busy-neighbour.
"""

from __future__ import annotations

import asyncio
import threading

from conftest import OTHER, USER

from officebot.bot.core import FairShare, Services

QUESTION = "信息报送时限是多少"
EXPECTED = "半小时内电话报告"
LONG = 100  # characters from which the wrapped knowledge base holds a search at the gate
PATIENCE = 30.0  # seconds anything is waited for: a bound against a hang, never a measurement


class GatedKnowledge:
    """The real knowledge base, except that searches of long questions wait until `gate` opens;
    counts how many are waiting at once."""

    def __init__(self, kb):
        self._kb = kb
        self.gate = threading.Event()
        self.entered = threading.Event()
        self._lock = threading.Lock()
        self.waiting = 0
        self.most_waiting = 0

    def __getattr__(self, name):
        return getattr(self._kb, name)

    def search(self, question: str, k: int = 5):
        if len(question) >= LONG:
            with self._lock:
                self.waiting += 1
                self.most_waiting = max(self.most_waiting, self.waiting)
            self.entered.set()
            try:
                self.gate.wait(PATIENCE)
            finally:
                with self._lock:
                    self.waiting -= 1
        return self._kb.search(question, k)


def long_questions(kb, count: int) -> list[str]:
    """`count` different questions of 300-500 characters made of the speeches' own passages."""
    texts = [p.text for p in kb.passages if len(p.text) >= 20]
    questions = []
    for i in range(count):
        parts = [f"请问{texts[(i * 7 + j) % len(texts)][:60]}？" for j in range(8)]
        questions.append("".join(parts)[:500])
    assert all(LONG <= len(q) <= 500 for q in questions)
    return questions


async def test_a_short_question_is_answered_while_another_users_long_ones_are_queued(bot_runner, people, kb):
    gated = GatedKnowledge(kb)
    bot_runner.kb = gated
    await bot_runner.start()
    longs = long_questions(kb, 4)
    try:
        mark = people.mark()
        for question in longs:  # queued at once: the bot handles updates concurrently
            people.send_text(USER, USER, question)
        assert await asyncio.to_thread(gated.entered.wait, PATIENCE), "no long question reached the search"

        plain_mark = people.mark()
        people.send_text(OTHER, OTHER, QUESTION)
        call = await people.async_wait_for(
            "sendMessage", lambda c: int(c["chat_id"]) == OTHER, since=plain_mark, timeout=PATIENCE
        )
        assert EXPECTED in call.result["text"]
        assert not gated.gate.is_set()
        long_replies = [c for c in people.calls_of("sendMessage") if c.seq > mark and int(c["chat_id"]) == USER]
        assert long_replies == [], "the long questions were answered before the gate opened"
        assert gated.most_waiting == 1, "one user's questions were searched several at once"
    finally:
        gated.gate.set()
    replies = await asyncio.to_thread(
        people.wait_for_count, "sendMessage", len(longs), lambda c: int(c["chat_id"]) == USER,
        timeout=PATIENCE, since=mark,
    )
    assert len(replies) == len(longs)  # every long question answered once, none lost
    assert all(c.ok and "有点快" not in c.result["text"] for c in replies)
    assert gated.most_waiting == 1


# ---- the pool's fair share: who has used it less goes first ------------------------------------

def bare_services(patience: float) -> Services:
    """Services with nothing but the pool (Services.run needs no settings, store or knowledge)."""
    svc = Services(settings=None, kb=None, store=None, flood=None)
    svc._share = FairShare(patience=patience)
    return svc


async def run_pair(svc: Services, hold: float) -> list[str]:
    """A light asker's job holds a worker until `hold` seconds after the heavy asker's job was
    submitted (or until the heavy one starts); the order in which things happened."""
    events: list[str] = []
    light_started, heavy_started = threading.Event(), threading.Event()

    def light() -> None:
        events.append("light started")
        light_started.set()
        heavy_started.wait(hold)
        events.append("light finished")

    def heavy() -> None:
        events.append("heavy started")
        heavy_started.set()

    svc._share.finished("heavy", 5.0)  # the heavy asker has just used the pool for 5 s
    light_task = asyncio.create_task(svc.run("light", light))
    assert await asyncio.to_thread(light_started.wait, PATIENCE)
    await asyncio.wait_for(asyncio.gather(light_task, svc.run("heavy", heavy)), PATIENCE)
    return events


async def test_an_asker_who_used_the_pool_more_waits_for_one_who_used_it_less():
    svc = bare_services(patience=PATIENCE)
    try:
        # a free worker is there, yet the heavy job starts only when the light one is done
        assert await run_pair(svc, hold=0.3) == ["light started", "light finished", "heavy started"]
    finally:
        svc.executor.shutdown(wait=True)


async def test_the_wait_for_a_lighter_asker_is_bounded():
    svc = bare_services(patience=0.2)
    try:
        # the light job would hold its worker for PATIENCE: the heavy one starts after 0.2 s anyway
        assert await run_pair(svc, hold=PATIENCE) == ["light started", "heavy started", "light finished"]
    finally:
        svc.executor.shutdown(wait=True)


def test_use_halves_every_half_life():
    now = [100.0]
    share = FairShare(half_life=2.0, clock=lambda: now[0])
    share.started("a")
    share.finished("a", 4.0)
    assert share.use("a") == 4.0
    now[0] += 2.0
    assert share.use("a") == 2.0
    assert share.use("nobody") == 0.0


async def test_an_asker_counts_as_served_until_the_block_ends():
    svc = bare_services(patience=PATIENCE)
    events: list[str] = []
    try:
        svc._share.finished("heavy", 5.0)
        async with svc.serving("light"):  # e.g. the light asker's reply is still being sent
            heavy = asyncio.create_task(svc.run("heavy", lambda: events.append("heavy started")))
            await asyncio.sleep(0.3)
            events.append("light replied")
        await asyncio.wait_for(heavy, PATIENCE)
        assert events == ["light replied", "heavy started"]
    finally:
        svc.executor.shutdown(wait=True)


# ---- a flood is told to slow down once, not once per message -------------------------------------

def test_slow_down_is_said_once_per_wait():
    svc = bare_services(patience=PATIENCE)
    try:
        assert svc.first_warning(("user", 1), 60.0)
        assert not svc.first_warning(("user", 1), 59.0)  # still within the wait: no second reply
        assert svc.first_warning(("user", 2), 60.0)  # somebody else is told
        assert svc.first_warning(("user", 3), 0.0) and svc.first_warning(("user", 3), 0.0)  # wait over
        assert svc.first_warning(None, 1.0) and svc.first_warning(None, 1.0)  # no key: always told
    finally:
        svc.executor.shutdown(wait=True)


async def test_a_flooding_user_gets_one_slow_down_reply(bot_runner, people):
    await bot_runner.start(flood_limit=2, flood_window=60.0)
    mark = people.mark()
    for i in range(6):
        people.send_text(USER, USER, QUESTION + "？" * i)
    replies = await people.async_wait_for_count(
        "sendMessage", 3, lambda c: int(c["chat_id"]) == USER, since=mark, timeout=PATIENCE
    )
    await asyncio.sleep(1.0)  # the other three are dropped without a reply: nothing more comes
    replies = [c for c in people.calls_of("sendMessage") if c.seq > mark and int(c["chat_id"]) == USER]
    assert len(replies) == 3
    assert sum("有点快" in c.result["text"] for c in replies) == 1
    mark = people.mark()
    people.send_text(OTHER, OTHER, QUESTION)  # others are not affected
    call = await people.async_wait_for("sendMessage", lambda c: int(c["chat_id"]) == OTHER, since=mark)
    assert EXPECTED in call.result["text"]
