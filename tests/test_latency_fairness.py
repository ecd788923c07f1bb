"""One user's long questions must not hold up another user's short one (issue 7's busy neighbour).

Ordering, not milliseconds: the knowledge base is wrapped so that a long question's search blocks
on a gate the test holds closed. While one user has several long questions queued and one of them
is stuck in the search, another user's short question must still get its answer, and the long
user's questions must be searched one at a time (they wait for each other, not in the search
pool, where they would take every worker). The figures are benchmarks/bot_latency.py --busy-neighbour.
"""

from __future__ import annotations

import asyncio
import threading

from conftest import OTHER, USER

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
