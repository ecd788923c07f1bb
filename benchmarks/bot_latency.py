"""Update-to-reply latency of the bot on loopback.

    python benchmarks/bot_latency.py [-n 300] [--users 50] [--rate Q] [--in-process]
    python benchmarks/bot_latency.py --flood 20 [--users 50]     (load: every user sends 20 at once)

Starts the fake Bot API (tests/botapi) and the bot as `office-bot run` would (a separate process,
long polling; `--in-process` runs the Application in this process instead), then plays N private
questions from tests/questions.yaml, each from one of --users users: one after another as soon as
the previous reply arrives, or --rate questions per second. Latency is measured on the server: from
the moment the update is queued to the moment the bot's sendMessage for it arrives. Prints median,
p95, p99 and max in milliseconds. Goal: median <= 50 ms.

Back to back, the bot answers faster than Telegram's overall limit of 30 messages a second, so
AIORateLimiter spaces the replies ~33 ms apart and that spacing is what the median shows; at a
realistic pace (--rate 20) the figures are the bot's own processing time.

--flood EACH queues EACH questions from every one of --users users at once (50 x 20 = 1,000) and
waits until every one has its reply: it prints how many were answered, the throughput (replies a
second, first question to last reply) and the latency of each question from the moment it was
queued. Telegram allows a bot 30 messages a second overall, and python-telegram-bot's rate limiter
keeps to that, so a flood of 1,000 needs at least 33 s whatever the bot's own speed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from botapi import FakeBotAPI


def load_questions() -> list[str]:
    data = yaml.safe_load((ROOT / "tests" / "questions.yaml").read_text(encoding="utf-8"))
    return [item["q"] for item in data if isinstance(item, dict) and item.get("q")]


def play(server: FakeBotAPI, questions: list[str], n: int, users: int, rate: float = 0) -> list[float]:
    for uid in range(1, users + 1):
        server.user(100 + uid, f"用户{uid}")
    server.wait_until_polling(timeout=30)
    latencies = []
    begin = time.monotonic()
    for i in range(n):
        if rate:
            time.sleep(max(0.0, begin + i / rate - time.monotonic()))
        uid = 100 + i % users + 1
        mark = server.mark()
        sent = time.time()
        server.send_text(uid, uid, questions[i % len(questions)])
        call = server.wait_for("sendMessage", lambda c, uid=uid: int(c["chat_id"]) == uid, since=mark, timeout=10)
        if not call.ok:
            raise SystemExit(f"the server rejected a reply: {call.error}")
        latencies.append((call.time - sent) * 1000)
    return latencies


def flood(server: FakeBotAPI, questions: list[str], users: int, each: int) -> tuple[list[float], int, float]:
    """Queue users x each questions at once; (latencies in ms, replies, seconds to the last one)."""
    ids = [100 + uid for uid in range(1, users + 1)]
    for uid in ids:
        server.user(uid, f"用户{uid}")
    server.wait_until_polling(timeout=60)
    mark = server.mark()
    begin = time.time()
    for i in range(each):
        for n, uid in enumerate(ids):
            server.send_text(uid, uid, questions[(i * users + n) % len(questions)])
    total = users * each
    deadline = time.monotonic() + 30 + total / 5
    while time.monotonic() < deadline:
        replies = [c for c in server.calls_of("sendMessage") if c.seq > mark and c.ok]
        if len(replies) >= total:
            break
        time.sleep(0.2)
    replies = [c for c in server.calls_of("sendMessage") if c.seq > mark and c.ok]
    per_chat: dict[int, int] = {}
    for c in replies:
        per_chat[int(c["chat_id"])] = per_chat.get(int(c["chat_id"]), 0) + 1
    short = {uid: per_chat.get(uid, 0) for uid in ids if per_chat.get(uid, 0) != each}
    if short:
        print(f"NOT every question answered exactly once: {short}")
    latencies = [(c.time - begin) * 1000 for c in replies]
    return latencies, len(replies), max(c.time for c in replies) - begin


def report(latencies: list[float], wall: float) -> None:
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    print(f"questions: {len(ordered)}   wall: {wall:.1f} s")
    print(f"median: {statistics.median(ordered):.1f} ms   p95: {pct(95):.1f} ms   p99: {pct(99):.1f} ms   "
          f"max: {ordered[-1]:.1f} ms   min: {ordered[0]:.1f} ms")


async def run_in_process(server: FakeBotAPI, questions: list[str], n: int, users: int, rate: float) -> list[float]:
    from officebot.retrieval import KnowledgeBase

    from officebot.bot.app import build_application, running
    from officebot.bot.settings import load_settings
    from officebot.bot.store import Store

    settings = load_settings()
    app = build_application(settings, KnowledgeBase.load(), Store.open(settings.data_dir))
    async with running(app):
        return await asyncio.to_thread(play, server, questions, n, users, rate)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="questions to ask (default 300)")
    parser.add_argument("--users", type=int, default=50, help="distinct users asking (default 50)")
    parser.add_argument("--rate", type=float, default=0, help="questions per second (default: back to back)")
    parser.add_argument("--in-process", action="store_true", help="run the bot in this process")
    parser.add_argument("--flood", type=int, default=0, metavar="EACH",
                        help="load test: every user sends EACH questions at once")
    args = parser.parse_args()
    questions = load_questions()
    with FakeBotAPI() as server, tempfile.TemporaryDirectory() as data:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "OFFICE_BOT_"))}
        env.update(TELEGRAM_BOT_TOKEN=server.token, OFFICE_BOT_API_URL=server.base_url, OFFICE_BOT_DATA=data)
        start = time.perf_counter()
        if args.in_process:
            os.environ.update(env)
            latencies = asyncio.run(run_in_process(server, questions, args.n, args.users, args.rate))
        else:
            bot = subprocess.Popen([sys.executable, "-m", "officebot", "run"], cwd=ROOT, env=env,
                                   stderr=subprocess.DEVNULL)
            try:
                if args.flood:
                    latencies, answered, seconds = flood(server, questions, args.users, args.flood)
                    print(f"load: {args.users} users x {args.flood} questions = {args.users * args.flood}; "
                          f"answered {answered}; throughput {answered / seconds:.1f} replies/s "
                          f"(Telegram's limit, kept by python-telegram-bot's rate limiter: 30/s)")
                else:
                    latencies = play(server, questions, args.n, args.users, args.rate)
            finally:
                bot.terminate()
                bot.wait(timeout=20)
        report(latencies, time.perf_counter() - start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
