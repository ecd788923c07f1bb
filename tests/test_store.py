"""The SQLite store: schema versions, questions and stats, feedback, per-chat state, durability."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from officebot.bot import store as store_module
from officebot.bot.store import DB_NAME, MIGRATIONS, Store, StoreError, normalize_question

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(data_dir: Path):
    s = Store.open(data_dir)
    yield s
    s.close()


def test_open_creates_the_directory_in_wal_mode_at_the_latest_version(data_dir):
    s = Store.open(data_dir / "nested")
    assert (data_dir / "nested" / DB_NAME).is_file()
    assert s.version == len(MIGRATIONS)
    assert s._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    s.close()


def test_a_later_migration_is_applied_once(data_dir, monkeypatch):
    Store.open(data_dir).close()
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS + ["CREATE TABLE scores (user_id INTEGER PRIMARY KEY, points INTEGER);"])
    s = Store.open(data_dir)
    assert s.version == len(MIGRATIONS) + 1
    s._write("INSERT INTO scores VALUES (1, 5)")
    s.close()
    s = Store.open(data_dir)  # not applied twice
    assert s._read("SELECT points FROM scores") == [(5,)]
    s.close()


def test_a_failing_migration_leaves_the_database_as_it_was(data_dir, monkeypatch):
    Store.open(data_dir).close()
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS + ["CREATE TABLE t (x); CREATE TABLE t (x);"])
    with pytest.raises(StoreError):
        Store.open(data_dir)
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    s = Store.open(data_dir)
    assert s.version == len(MIGRATIONS)
    assert not s._read("SELECT name FROM sqlite_master WHERE name = 't'")
    s.close()


def test_a_newer_database_is_refused(data_dir):
    Store.open(data_dir).close()
    db = sqlite3.connect(data_dir / DB_NAME)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="比程序"):
        Store.open(data_dir)


def test_unusable_paths_raise_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        Store.open(blocker / "data")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / DB_NAME).write_bytes(b"not a database" * 100)
    with pytest.raises(StoreError):
        Store.open(tmp_path / "bad")


def test_questions_and_stats(store):
    q1 = store.log_question("信息报送时限是多少", answered=True, chat_id=1, user_id=1, passage=14)
    store.log_question("火星上有外星人吗", answered=False, chat_id=1, user_id=1)
    store.log_question("火星上有外星人吗？", answered=False, chat_id=2, user_id=2, source="group")
    store.log_question(" 火星上有外星人吗 ", answered=False, chat_id=3, user_id=3)
    store.log_question("足球", answered=False, chat_id=3, user_id=3)
    store.log_question("话题", answered=True, chat_id=3, user_id=3, source="topic")  # a button, not a question
    asked = store.question(q1)
    assert asked.question == "信息报送时限是多少" and asked.answered and asked.passage == 14
    assert store.question(99999) is None
    stats = store.stats()
    assert (stats.asked, stats.answered) == (5, 1)
    assert stats.answered_share == pytest.approx(0.2)
    assert stats.top_unanswered[0][1] == 3 and "火星" in stats.top_unanswered[0][0]
    assert stats.top_unanswered[1] == ("足球", 1)


def test_empty_stats(store):
    stats = store.stats()
    assert (stats.asked, stats.answered, stats.answered_share, stats.top_unanswered) == (0, 0, 0.0, [])


def test_feedback_one_vote_per_user_and_passage(store):
    q = store.log_question("问", answered=True)
    assert store.record_feedback(q, 14, 1, 1) is True
    assert store.record_feedback(q, 14, 1, 1) is False
    assert store.record_feedback(q, 14, 1, -1) is True  # changed their mind
    assert store.record_feedback(q, 14, 2, 1) is True
    assert store.record_feedback(q, 15, 2, -1) is True
    assert store.feedback_counts() == (1, 2)
    with pytest.raises(ValueError):
        store.record_feedback(q, 14, 1, 0)


def test_key_value_and_chat_state(store):
    assert store.get("missing", 7) == 7
    store.set("last_tip", {"id": 3, "sent": ["2024-01-01"]})
    assert store.get("last_tip") == {"id": 3, "sent": ["2024-01-01"]}
    store.chat_set(-100, "subscription", {"time": "08:30"})
    store.chat_set(5, "subscription", {"time": "09:00"})
    store.chat_set(5, "subscription", {"time": "10:00"})
    store.chat_set(5, "score", 12)
    assert store.chat_get(5, "subscription") == {"time": "10:00"}
    assert store.chats_with("subscription") == [(-100, {"time": "08:30"}), (5, {"time": "10:00"})]
    assert store.chat_delete(5, "subscription") is True
    assert store.chat_delete(5, "subscription") is False
    assert store.chat_get(5, "subscription", "none") == "none"


def test_state_survives_reopening(data_dir):
    s = Store.open(data_dir)
    q = s.log_question("问", answered=False)
    s.record_feedback(q, 1, 1, -1)
    s.chat_set(1, "k", "v")
    s.close()
    s = Store.open(data_dir)
    assert s.stats().asked == 1 and s.feedback_counts() == (0, 1) and s.chat_get(1, "k") == "v"
    s.close()


def test_kill_9_loses_nothing_that_was_committed(data_dir):
    """Every write is committed at once: a process killed with SIGKILL keeps all it reported."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from officebot.bot.store import Store
        s = Store.open({str(data_dir)!r})
        for i in range(100000):
            s.log_question(f"问题 {{i}}", answered=bool(i % 2), chat_id=1, user_id=1)
            s.chat_set(1, "n", i)
            print(i, flush=True)
    """)
    last = -1
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as process:
        for line in process.stdout:
            last = int(line)
            if last >= 200:
                break
        process.send_signal(signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL
    s = Store.open(data_dir)
    assert s.stats().asked >= last + 1
    assert s.chat_get(1, "n") >= last
    s.close()


@pytest.mark.parametrize(
    "a, b", [("信息报送时限是多少", "信息报送时限是多少？"), ("ＡＢＣ 问题", "abc问题"), ("问题!!", "问题")]
)
def test_normalize_question_counts_repeats_together(a, b):
    assert normalize_question(a) == normalize_question(b)
