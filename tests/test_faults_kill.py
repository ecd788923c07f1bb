"""kill -9 under load: `office-bot run` as a real process against the fake Bot API on loopback.

20 users x 20 questions are queued, the bot is killed with SIGKILL shortly after it starts
answering, then started again: every question gets its reply, and only a reply caught on the wire
at the instant of the kill may come twice. Also checks that no form of
the token reaches stderr although an error page quoting it (%-encoded) came back from the server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import yaml

ROOT = Path(__file__).resolve().parent.parent
USERS, EACH = 20, 20


def questions() -> list[str]:
    data = yaml.safe_load((ROOT / "tests" / "questions.yaml").read_text(encoding="utf-8"))
    return [item["q"] for item in data if isinstance(item, dict) and item.get("q")]


def start_bot(botapi, data_dir: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "OFFICE_BOT_"))}
    env.update({"TELEGRAM_BOT_TOKEN": botapi.token, "OFFICE_BOT_API_URL": botapi.base_url,
                "OFFICE_BOT_DATA": str(data_dir)})
    return subprocess.Popen([sys.executable, "-m", "officebot", "run"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def replies_per_chat(botapi) -> Counter:
    return Counter(int(c["chat_id"]) for c in botapi.calls_of("sendMessage") if c.ok)


def test_kill_9_under_load_answers_every_question_exactly_once(botapi, data_dir):
    users = [600000 + i for i in range(USERS)]
    for uid in users:
        botapi.user(uid, f"用户{uid}")
    pool = questions()
    for i in range(EACH):
        for n, uid in enumerate(users):
            botapi.send_text(uid, uid, pool[(i * USERS + n) % len(pool)])
    botapi.fail("sendMessage", 502, html=True, times=1)  # an error page that quotes the token's URL

    first = start_bot(botapi, data_dir)
    try:
        botapi.wait_for("sendMessage", lambda c: c.ok, timeout=60)  # it is answering
        time.sleep(1.5)
    finally:
        first.send_signal(signal.SIGKILL)
        _, err_first = first.communicate(timeout=20)
    answered_before = sum(replies_per_chat(botapi).values())

    second = start_bot(botapi, data_dir)
    try:
        deadline = time.monotonic() + 120
        while sum(replies_per_chat(botapi).values()) < USERS * EACH and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # a duplicate would come now
    finally:
        second.send_signal(signal.SIGTERM)
        _, err_second = second.communicate(timeout=30)

    counts = replies_per_chat(botapi)
    assert answered_before < USERS * EACH, "the kill came before every question was answered"
    lost = sum(max(0, EACH - counts[uid]) for uid in users)
    twice = sum(max(0, counts[uid] - EACH) for uid in users)
    assert lost == 0, f"{lost} questions never answered"
    # A reply written to the socket in the last moment before the kill, not yet recorded, is sent
    # again after the restart: a handful at most (76 of 400 before updates were acknowledged only
    # once handled).
    assert twice <= USERS * EACH // 50, f"{twice} questions answered twice"
    assert not botapi.pending_updates(), "everything handled is acknowledged after SIGTERM"
    secret = botapi.token.split(":")[1]
    for form in (botapi.token, quote(botapi.token, safe=""), secret):
        assert form not in err_first + err_second
