"""The store's training tables: tip rotation, subscriptions, quiz polls, answers and leaderboards."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from officebot.bot import store as store_module
from officebot.bot.store import DB_NAME, MIGRATIONS, Record, Score, Scored, Store, rotation_order, week_start

SHANGHAI = ZoneInfo("Asia/Shanghai")
TIPS = [f"tip-{i}" for i in range(7)]
CHAT, OTHER_CHAT = -1001, -1002
ALICE, BOB, CAROL = 11, 22, 33
T0 = 1_700_000_000.0  # a fixed "now" for polls and answers


@pytest.fixture
def store(data_dir: Path):
    s = Store.open(data_dir)
    yield s
    s.close()


def rounds(picked: list[str], size: int) -> list[list[str]]:
    return [picked[i : i + size] for i in range(0, len(picked), size)]


# ---- migrations ------------------------------------------------------------------------------

def test_a_version_1_database_gains_the_training_tables_and_keeps_its_data(data_dir, monkeypatch):
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:1])
    old = Store.open(data_dir)
    old.log_question("信息报送时限是多少", answered=True)
    assert old.version == 1
    old.close()
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    s = Store.open(data_dir)
    assert s.version == len(MIGRATIONS) == 3
    assert s.stats().asked == 1
    tables = {name for (name,) in s._read("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"tip_rotation", "subscriptions", "quiz_polls", "quiz_answers"} <= tables
    s.close()


# ---- tip rotation ----------------------------------------------------------------------------

def test_rotation_shows_every_tip_once_per_round_without_a_repeat_across_rounds(store):
    picked = [store.next_tips(CHAT, TIPS)[0] for _ in range(len(TIPS) * 4)]
    for chunk in rounds(picked, len(TIPS)):
        assert sorted(chunk) == sorted(TIPS)
    assert all(a != b for a, b in itertools.pairwise(picked)), "the last tip of a round is not the next one's first"
    assert rounds(picked, len(TIPS))[0] != rounds(picked, len(TIPS))[1], "each round is shuffled anew"


def test_rotation_is_per_chat_and_per_purpose_and_survives_a_restart(store, data_dir):
    first = store.next_tips(CHAT, TIPS, 3)
    assert len(first) == 3
    quizzes = store.next_tips(CHAT, TIPS, len(TIPS), purpose="quiz")
    assert sorted(quizzes) == sorted(TIPS), "the quiz rotation starts afresh"
    other = store.next_tips(OTHER_CHAT, TIPS, len(TIPS))
    assert sorted(other) == sorted(TIPS)
    store.close()
    reopened = Store.open(data_dir)
    rest = reopened.next_tips(CHAT, TIPS, len(TIPS) - 3)
    assert sorted(first + rest) == sorted(TIPS)
    assert reopened.rotation_progress(CHAT, TIPS) == (len(TIPS), len(TIPS))
    reopened.close()


def test_rotation_follows_tips_added_and_removed(store):
    shown = store.next_tips(CHAT, TIPS, 3)
    current = [t for t in TIPS if t != shown[0] and t not in shown[1:2]] + ["tip-new"]
    rest = store.next_tips(CHAT, current, len(current) - 1)  # shown[2] is still in; the rest is new
    assert "tip-new" in rest
    assert set(rest) == set(current) - {shown[2]}
    assert store.rotation_progress(CHAT, current) == (len(current), len(current))


def test_rotation_order_is_deterministic(store):
    assert rotation_order(CHAT, "tip", 0, TIPS) == rotation_order(CHAT, "tip", 0, list(reversed(TIPS)))
    assert store.next_tips(CHAT, []) == [] and store.next_tips(CHAT, TIPS, 0) == []


@settings(max_examples=30, deadline=None)
@given(sizes=st.lists(st.integers(1, 5), min_size=1, max_size=12), tip_count=st.integers(1, 6))
def test_any_sequence_of_requests_goes_round_every_tip(tmp_path_factory, sizes, tip_count):
    tips = [f"t{i}" for i in range(tip_count)]
    s = Store.open(tmp_path_factory.mktemp("rotation"))
    try:
        picked = [t for n in sizes for t in s.next_tips(CHAT, tips, n)]
    finally:
        s.close()
    assert len(picked) == sum(sizes)
    for chunk in rounds(picked, tip_count):
        assert len(set(chunk)) == len(chunk)


def test_tip_of_day_stays_for_the_day_and_moves_on_the_next(store):
    monday = store.tip_of_day(CHAT, "2025-03-03", TIPS)
    assert store.tip_of_day(CHAT, "2025-03-03", TIPS) == monday
    tuesday = store.tip_of_day(CHAT, "2025-03-04", TIPS)
    assert tuesday != monday
    assert store.tip_of_day(CHAT, "2025-03-04", TIPS) == tuesday
    assert store.rotation_progress(CHAT, TIPS) == (2, len(TIPS))
    without = [t for t in TIPS if t != tuesday]  # the day's tip was removed from tips.yaml
    assert store.tip_of_day(CHAT, "2025-03-04", without) in without
    assert store.tip_of_day(CHAT, "2025-03-04", []) is None
    days = [store.tip_of_day(OTHER_CHAT, f"2025-04-{d:02d}", TIPS) for d in range(1, len(TIPS) + 1)]
    assert sorted(days) == sorted(TIPS)


# ---- subscriptions ---------------------------------------------------------------------------

def test_subscribe_replace_list_and_unsubscribe(store, data_dir):
    sub = store.subscribe(CHAT, "08:30", timezone="Asia/Shanghai", created_by=ALICE)
    assert (sub.chat_id, sub.at, sub.with_quiz, sub.timezone, sub.created_by, sub.last_sent) == (
        CHAT, "08:30", False, "Asia/Shanghai", ALICE, None)
    store.subscribe(CHAT, "07:05", with_quiz=True, timezone="Europe/Berlin", created_by=BOB)
    store.subscribe(ALICE, "21:00", timezone="Asia/Shanghai", created_by=ALICE)
    store.mark_sent(CHAT, T0)
    store.close()
    s = Store.open(data_dir)
    assert [(x.chat_id, x.at, x.with_quiz, x.timezone, x.created_by) for x in s.subscriptions()] == [
        (CHAT, "07:05", True, "Europe/Berlin", BOB), (ALICE, "21:00", False, "Asia/Shanghai", ALICE)]
    assert s.subscription(CHAT).last_sent == T0
    assert s.unsubscribe(CHAT) is True
    assert s.unsubscribe(CHAT) is False
    assert s.subscription(CHAT) is None
    s.close()


@pytest.mark.parametrize("at", ["8:30", "24:00", "12:60", "abc", "", "08:30:00"])
def test_subscribe_refuses_a_malformed_time(store, at):
    with pytest.raises(ValueError):
        store.subscribe(CHAT, at, timezone="Asia/Shanghai")
    assert store.subscription(CHAT) is None


def test_a_chat_that_moves_takes_its_subscription_rotation_and_scores_along(store):
    store.subscribe(CHAT, "08:30", timezone="Asia/Shanghai")
    store.next_tips(CHAT, TIPS, 2)
    store.record_poll("p1", chat_id=CHAT, message_id=5, tip_id="tip-1", correct=0, open_period=600, sent_at=T0)
    store.record_answer("p1", ALICE, [0], "Alice", at=T0 + 1)
    store.move_chat(CHAT, OTHER_CHAT)
    assert store.subscription(CHAT) is None and store.subscription(OTHER_CHAT).at == "08:30"
    assert store.rotation_progress(OTHER_CHAT, TIPS) == (2, len(TIPS))
    assert store.leaderboard(OTHER_CHAT) == [Score(ALICE, "Alice", 1, 1)]
    assert store.leaderboard(CHAT) == []


# ---- polls and answers -----------------------------------------------------------------------

def test_poll_metadata_is_kept(store):
    poll = store.record_poll("p1", chat_id=CHAT, message_id=7, tip_id="tip-3", correct=2, open_period=600, sent_at=T0)
    assert store.poll("p1") == poll
    assert (poll.closes_at, poll.tip_id, poll.correct) == (T0 + 600, "tip-3", 2)
    assert store.poll("nope") is None
    assert store.open_poll(CHAT, "tip-3", T0 + 599) == poll
    assert store.open_poll(CHAT, "tip-3", T0 + 600) is None
    assert store.open_poll(CHAT, "tip-4", T0) is None and store.open_poll(OTHER_CHAT, "tip-3", T0) is None


def test_the_first_answer_in_time_counts(store):
    store.record_poll("p1", chat_id=CHAT, message_id=1, tip_id="a", correct=1, open_period=600, sent_at=T0)
    assert store.record_answer("p1", ALICE, [1], "Alice", at=T0 + 10) is Scored.CORRECT
    assert store.record_answer("p1", ALICE, [0], "Alice", at=T0 + 11) is Scored.REPEAT
    assert store.record_answer("p1", BOB, [3], "Bob", at=T0 + 12) is Scored.WRONG
    assert store.record_answer("p1", BOB, [1], "Bob", at=T0 + 13) is Scored.REPEAT, "a right second try does not count"
    assert store.record_answer("p1", CAROL, [1], "Carol", at=T0 + 601) is Scored.LATE
    assert store.record_answer("p1", CAROL, [1], "Carol", at=T0 + 603, grace=5) is Scored.CORRECT
    assert store.record_answer("p2", CAROL, [1], "Carol", at=T0) is Scored.UNKNOWN
    assert store.record_answer("p1", CAROL, [], "Carol", at=T0) is Scored.EMPTY
    assert store.leaderboard(CHAT) == [Score(ALICE, "Alice", 1, 1), Score(CAROL, "Carol", 1, 1), Score(BOB, "Bob", 0, 1)]


def _answers(store: Store, chat: int, plan: list[tuple[int, str, bool, float]]) -> None:
    """(user, name, right, when) -> a poll of its own and the user's answer to it."""
    for i, (user, name, right, when) in enumerate(plan):
        poll_id = f"{chat}-{i}"
        store.record_poll(poll_id, chat_id=chat, message_id=i, tip_id="x", correct=0, open_period=600, sent_at=when)
        store.record_answer(poll_id, user, [0 if right else 1], name, at=when + 1)


def test_leaderboard_this_week_and_all_time_with_the_latest_names(store):
    monday = week_start(datetime.fromtimestamp(T0, SHANGHAI)).timestamp()
    last_week = monday - 3 * 86400
    _answers(store, CHAT, [
        (ALICE, "Alice", True, last_week), (ALICE, "Alice", True, last_week + 60), (ALICE, "Alice", False, monday + 10),
        (BOB, "Bob", True, monday + 20), (BOB, "Bobby <b>", True, monday + 30),
        (CAROL, "Carol", False, monday + 40),
    ])
    _answers(store, OTHER_CHAT, [(CAROL, "Carol", True, monday + 50)])
    assert store.leaderboard(CHAT, since=monday) == [
        Score(BOB, "Bobby <b>", 2, 2), Score(ALICE, "Alice", 0, 1), Score(CAROL, "Carol", 0, 1)]
    assert store.leaderboard(CHAT) == [
        Score(BOB, "Bobby <b>", 2, 2), Score(ALICE, "Alice", 2, 3), Score(CAROL, "Carol", 0, 1)]
    assert store.leaderboard(CHAT, limit=1) == [Score(BOB, "Bobby <b>", 2, 2)]
    assert store.leaderboard(OTHER_CHAT) == [Score(CAROL, "Carol", 1, 1)]
    assert store.leaderboard(-9999) == []

    assert store.user_record(ALICE, chat_id=CHAT) == Record(3, 2, 2)
    assert store.user_record(ALICE, chat_id=CHAT, since=monday) == Record(1, 0, 2)
    assert store.user_record(CAROL) == Record(2, 1, None), "over every chat"
    assert store.user_record(CAROL, since=monday + 45) == Record(1, 1, None)
    assert store.user_record(424242, chat_id=CHAT) == Record()
    assert Record(4, 3).share == 0.75 and Record().share == 0.0


def test_ties_go_to_fewer_answers_then_to_who_got_there_first(store):
    _answers(store, CHAT, [
        (ALICE, "A", True, T0), (BOB, "B", True, T0 + 1), (CAROL, "C", True, T0 + 2), (CAROL, "C", False, T0 + 3),
    ])
    assert [s.user_id for s in store.leaderboard(CHAT)] == [ALICE, BOB, CAROL]


@pytest.mark.parametrize("moment, monday", [
    ("2025-03-09 23:59", "2025-03-03 00:00"),  # Sunday night still belongs to the week before
    ("2025-03-10 00:00", "2025-03-10 00:00"),
    ("2025-03-12 15:30", "2025-03-10 00:00"),
    ("2024-12-31 08:00", "2024-12-30 00:00"),  # across a year
])
def test_the_week_starts_on_monday_in_local_time(moment, monday):
    local = datetime.strptime(moment, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)
    assert week_start(local) == datetime.strptime(monday, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


def test_the_week_is_the_configured_zones_week():
    # Sunday 16:30 UTC is already Monday 00:30 in Shanghai
    utc = datetime(2025, 3, 9, 16, 30, tzinfo=ZoneInfo("UTC"))
    assert week_start(utc.astimezone(SHANGHAI)) == datetime(2025, 3, 10, tzinfo=SHANGHAI)
    assert week_start(utc) == datetime(2025, 3, 3, tzinfo=ZoneInfo("UTC"))


def test_answers_are_unique_per_poll_and_user_in_the_schema(store, data_dir):
    store.record_poll("p", chat_id=CHAT, message_id=1, tip_id="a", correct=0, open_period=600, sent_at=T0)
    store.record_answer("p", ALICE, [0], "Alice", at=T0)
    db = sqlite3.connect(data_dir / DB_NAME)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO quiz_answers VALUES ('p', ?, ?, 1, 0, ?, 'Alice')", (ALICE, CHAT, T0))
    db.close()
