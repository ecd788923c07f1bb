"""The bot's state in SQLite: questions asked, feedback, per-chat values, and the training
features' tip rotation, daily-tip subscriptions, quiz polls and scores.

One file, `office-bot.sqlite3`, in the data directory (`OFFICE_BOT_DATA`, default ./data). Every
write is its own committed transaction, so a kill -9 loses at most the update in flight: WAL with
synchronous=NORMAL survives a crash of the process (only a power cut may undo the last commits).

The schema is versioned with `PRAGMA user_version`: `MIGRATIONS[i]` brings a database from
version i to i + 1. Later features add tables by appending a script; never edit a published one.
No Telegram here: ids are plain integers.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

DB_NAME = "office-bot.sqlite3"
NOT_COUNTED = ("topic",)  # sources that are not questions typed by a user (topic buttons)

MIGRATIONS: list[str] = [
    # 1: questions, feedback, key/value state
    """
    CREATE TABLE questions (
        id        INTEGER PRIMARY KEY,
        ts        REAL    NOT NULL,            -- unix time, UTC
        chat_id   INTEGER,
        user_id   INTEGER,
        source    TEXT    NOT NULL,            -- private | group | topic
        question  TEXT    NOT NULL,
        norm      TEXT    NOT NULL,            -- folded form, to count repeats
        answered  INTEGER NOT NULL,
        passage   INTEGER                      -- best passage id, if any
    );
    CREATE INDEX questions_unanswered ON questions (answered, norm);
    CREATE TABLE feedback (
        question_id INTEGER NOT NULL REFERENCES questions (id),
        passage     INTEGER NOT NULL,
        user_id     INTEGER NOT NULL,
        value       INTEGER NOT NULL CHECK (value IN (-1, 1)),
        ts          REAL    NOT NULL,
        PRIMARY KEY (question_id, passage, user_id)
    );
    CREATE TABLE kv (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL                    -- JSON
    );
    CREATE TABLE chat_state (
        chat_id INTEGER NOT NULL,
        key     TEXT    NOT NULL,
        value   TEXT    NOT NULL,              -- JSON
        updated REAL    NOT NULL,
        PRIMARY KEY (chat_id, key)
    );
    CREATE INDEX chat_state_key ON chat_state (key);
    """,
    # 2: daily tips and quizzes: tip rotation, subscriptions, quiz polls and their answers
    """
    CREATE TABLE tip_rotation (
        chat_id  INTEGER NOT NULL,
        purpose  TEXT    NOT NULL,             -- tip | quiz: /tip and /quiz go round separately
        round    INTEGER NOT NULL,             -- 0, 1, ...: a round shows every tip once
        shown    TEXT    NOT NULL,             -- JSON list of the tip ids shown this round, in order
        day      TEXT,                         -- local date (YYYY-MM-DD) of the tip of the day
        day_tip  TEXT,                         -- and its tip id
        updated  REAL    NOT NULL,
        PRIMARY KEY (chat_id, purpose)
    );
    CREATE TABLE subscriptions (
        chat_id    INTEGER PRIMARY KEY,
        at         TEXT    NOT NULL,           -- HH:MM, local time in `timezone`
        with_quiz  INTEGER NOT NULL,
        timezone   TEXT    NOT NULL,           -- IANA name, e.g. Asia/Shanghai
        created_by INTEGER,                    -- user id of who subscribed
        created    REAL    NOT NULL,           -- unix time, UTC
        last_sent  REAL                        -- when the last daily tip went out
    );
    CREATE TABLE quiz_polls (
        poll_id     TEXT    PRIMARY KEY,       -- Telegram's poll id
        chat_id     INTEGER NOT NULL,
        message_id  INTEGER NOT NULL,
        tip_id      TEXT    NOT NULL,
        correct     INTEGER NOT NULL,          -- index of the right option
        sent_at     REAL    NOT NULL,
        open_period INTEGER NOT NULL,          -- seconds
        closes_at   REAL    NOT NULL
    );
    CREATE INDEX quiz_polls_chat_tip ON quiz_polls (chat_id, tip_id, closes_at);
    CREATE TABLE quiz_answers (
        poll_id     TEXT    NOT NULL REFERENCES quiz_polls (poll_id),
        user_id     INTEGER NOT NULL,
        chat_id     INTEGER NOT NULL,
        option      INTEGER NOT NULL,
        correct     INTEGER NOT NULL,
        answered_at REAL    NOT NULL,
        name        TEXT    NOT NULL,          -- the user's display name when answering
        PRIMARY KEY (poll_id, user_id)         -- the first answer counts
    );
    CREATE INDEX quiz_answers_chat ON quiz_answers (chat_id, answered_at);
    CREATE INDEX quiz_answers_user ON quiz_answers (user_id, answered_at);
    """,
    # 3: updates already handled (exactly once across a crash), the allowlist, retention
    """
    CREATE TABLE handled_updates (
        update_id INTEGER PRIMARY KEY,
        ts        REAL    NOT NULL             -- when it was handled; pruned after a day
    );
    CREATE TABLE allowed (
        id        INTEGER PRIMARY KEY,         -- a user id (> 0) or a group id (< 0)
        added_by  INTEGER,
        ts        REAL    NOT NULL
    );
    CREATE INDEX questions_ts ON questions (ts);
    CREATE INDEX questions_user ON questions (user_id);
    CREATE INDEX feedback_user ON feedback (user_id);
    """,
]


class StoreError(Exception):
    """The database cannot be used: unwritable directory, corrupt file, newer schema, or a read
    or write failed (disk full, read-only file, damaged page)."""


@dataclass(frozen=True)
class Question:
    id: int
    ts: float
    chat_id: int | None
    user_id: int | None
    source: str
    question: str
    answered: bool
    passage: int | None


@dataclass(frozen=True)
class Stats:
    asked: int
    answered: int
    top_unanswered: list[tuple[str, int]] = field(default_factory=list)
    helpful: int = 0
    unhelpful: int = 0

    @property
    def answered_share(self) -> float:
        return self.answered / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class Subscription:
    """A chat's daily tip: at `at` (HH:MM) local time in `timezone`, with a quiz after it or not."""

    chat_id: int
    at: str
    with_quiz: bool
    timezone: str
    created_by: int | None
    created: float
    last_sent: float | None = None


@dataclass(frozen=True)
class QuizPoll:
    """A quiz poll the bot sent: what a poll answer is checked against."""

    poll_id: str
    chat_id: int
    message_id: int
    tip_id: str
    correct: int
    sent_at: float
    open_period: int
    closes_at: float


class Scored(StrEnum):
    """What became of a poll answer."""

    CORRECT = "correct"
    WRONG = "wrong"
    UNKNOWN = "unknown"  # not one of our quiz polls
    LATE = "late"  # after the poll closed
    REPEAT = "repeat"  # the user had answered this poll already: the first answer counts
    EMPTY = "empty"  # a retracted vote


@dataclass(frozen=True)
class Score:
    """A line of a leaderboard."""

    user_id: int
    name: str
    correct: int
    answered: int


@dataclass(frozen=True)
class Record:
    """One user's answers: in one chat (with the rank there) or over all chats (rank None)."""

    answered: int = 0
    correct: int = 0
    rank: int | None = None

    @property
    def share(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 of the week of `moment`, in `moment`'s own time zone (pass an aware datetime)."""
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def rotation_order(chat_id: int, purpose: str, round_: int, tip_ids: Sequence[str]) -> list[str]:
    """The order of one round: a shuffle of the tips that depends only on chat, purpose and round,
    so that it need not be stored and survives tips being added or removed."""
    order = sorted(set(tip_ids))
    random.Random(f"{chat_id}/{purpose}/{round_}").shuffle(order)
    return order


def normalize_question(text: str) -> str:
    """Fold width and case and drop spaces and trailing punctuation, so repeats count together."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s?？!！。.,，、~～]+", "", folded)[:200]


class Store:
    """A connection to the bot's database; cheap calls, safe to share within one process."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=5.0)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: 打不开数据库（{exc}）") from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self.migrate()
        except (sqlite3.Error, StoreError) as exc:
            self._db.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"{self.path}: 数据库不可用（{exc}）") from None

    @classmethod
    def open(cls, data_dir: Path | str) -> Store:
        directory = Path(data_dir).expanduser()
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{directory}: 无法创建数据目录（{exc.strerror or exc}）") from None
        return cls(directory / DB_NAME)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @property
    def version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Bring the schema to `len(MIGRATIONS)`, one committed step at a time."""
        with self._lock:
            current = self.version
            if current > len(MIGRATIONS):
                raise StoreError(f"{self.path}: 数据库版本 {current} 比程序（{len(MIGRATIONS)}）新，请升级程序")
            for number in range(current, len(MIGRATIONS)):
                try:
                    self._db.executescript(
                        f"BEGIN;\n{MIGRATIONS[number]}\nPRAGMA user_version = {number + 1};\nCOMMIT;"
                    )
                except sqlite3.Error:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise

    def _failed(self, exc: sqlite3.Error) -> StoreError:
        if isinstance(exc, sqlite3.IntegrityError):
            raise exc
        return StoreError(f"{self.path}: {exc}")

    def _write(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        with self._lock:
            try:
                return self._db.execute(sql, params)
            except sqlite3.Error as exc:
                raise self._failed(exc) from exc

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise self._failed(exc) from exc

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """Several statements as one committed write (read-modify-write without races)."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._failed(exc) from exc
            try:
                yield self._db
            except BaseException as exc:
                if self._db.in_transaction:
                    try:
                        self._db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                if isinstance(exc, sqlite3.Error) and not isinstance(exc, sqlite3.IntegrityError):
                    raise StoreError(f"{self.path}: {exc}") from exc
                raise
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._db.in_transaction:
                    try:
                        self._db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                raise self._failed(exc) from exc

    # ---- updates handled (see officebot.bot.ledger) -----------------------------------------

    def mark_handled(self, update_ids: Sequence[int]) -> None:
        now = time.time()
        with self._transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO handled_updates (update_id, ts) VALUES (?, ?)", [(u, now) for u in update_ids]
            )

    def unmark_handled(self, update_id: int) -> None:
        self._write("DELETE FROM handled_updates WHERE update_id = ?", (update_id,))

    def handled_among(self, update_ids: Sequence[int]) -> set[int]:
        """Those of `update_ids` that were handled already (before a crash, say)."""
        if not update_ids:
            return set()
        marks = ",".join("?" * len(update_ids))
        rows = self._read(f"SELECT update_id FROM handled_updates WHERE update_id IN ({marks})", tuple(update_ids))
        return {r[0] for r in rows}

    def prune_handled(self, before: float) -> int:
        return self._write("DELETE FROM handled_updates WHERE ts < ?", (before,)).rowcount

    # ---- privacy: retention and /forget -----------------------------------------------------

    def purge_older(self, before: float) -> int:
        """Delete questions asked before `before` (unix time) with their feedback; how many."""
        with self._transaction() as db:
            db.execute("DELETE FROM feedback WHERE question_id IN (SELECT id FROM questions WHERE ts < ?)", (before,))
            return db.execute("DELETE FROM questions WHERE ts < ?", (before,)).rowcount

    def user_data(self, user_id: int) -> tuple[int, int, int]:
        """(questions, feedback, quiz answers) kept about the user."""
        (q,), = self._read("SELECT COUNT(*) FROM questions WHERE user_id = ?", (user_id,))
        (f,), = self._read("SELECT COUNT(*) FROM feedback WHERE user_id = ?", (user_id,))
        (a,), = self._read("SELECT COUNT(*) FROM quiz_answers WHERE user_id = ?", (user_id,))
        return int(q), int(f), int(a)

    def forget_user(self, user_id: int) -> tuple[int, int, int]:
        """Delete the user's questions (and every vote on them), feedback and quiz answers."""
        with self._transaction() as db:
            f = db.execute("DELETE FROM feedback WHERE user_id = ?", (user_id,)).rowcount
            db.execute(
                "DELETE FROM feedback WHERE question_id IN (SELECT id FROM questions WHERE user_id = ?)", (user_id,)
            )
            q = db.execute("DELETE FROM questions WHERE user_id = ?", (user_id,)).rowcount
            a = db.execute("DELETE FROM quiz_answers WHERE user_id = ?", (user_id,)).rowcount
        return q, f, a

    # ---- the allowlist ----------------------------------------------------------------------

    def allow(self, id_: int, added_by: int | None = None) -> bool:
        """True if the id was not allowed before."""
        return self._write(
            "INSERT OR IGNORE INTO allowed (id, added_by, ts) VALUES (?, ?, ?)", (id_, added_by, time.time())
        ).rowcount > 0

    def deny(self, id_: int) -> bool:
        return self._write("DELETE FROM allowed WHERE id = ?", (id_,)).rowcount > 0

    def allowed_ids(self) -> set[int]:
        return {r[0] for r in self._read("SELECT id FROM allowed")}

    # ---- questions ------------------------------------------------------------------------

    def log_question(
        self,
        question: str,
        *,
        answered: bool,
        chat_id: int | None = None,
        user_id: int | None = None,
        source: str = "private",
        passage: int | None = None,
    ) -> int:
        cursor = self._write(
            "INSERT INTO questions (ts, chat_id, user_id, source, question, norm, answered, passage)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (time.time(), chat_id, user_id, source, question, normalize_question(question), int(answered), passage),
        )
        return int(cursor.lastrowid)

    def question(self, question_id: int) -> Question | None:
        rows = self._read(
            "SELECT id, ts, chat_id, user_id, source, question, answered, passage FROM questions WHERE id = ?",
            (question_id,),
        )
        if not rows:
            return None
        r = rows[0]
        return Question(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7])

    # ---- feedback -------------------------------------------------------------------------

    def record_feedback(self, question_id: int, passage: int, user_id: int, value: int) -> bool:
        """Store a 👍 (+1) or 👎 (-1); a second vote replaces the first. True if it changed anything."""
        if value not in (-1, 1):
            raise ValueError("feedback value must be 1 or -1")
        with self._transaction() as db:
            before = db.execute(
                "SELECT value FROM feedback WHERE question_id = ? AND passage = ? AND user_id = ?",
                (question_id, passage, user_id),
            ).fetchone()
            db.execute(
                "INSERT INTO feedback (question_id, passage, user_id, value, ts) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (question_id, passage, user_id) DO UPDATE SET value = excluded.value, ts = excluded.ts",
                (question_id, passage, user_id, value, time.time()),
            )
        return before is None or before[0] != value

    def feedback_counts(self) -> tuple[int, int]:
        """(👍, 👎) over all feedback."""
        (up, down), = self._read(
            "SELECT COALESCE(SUM(value = 1), 0), COALESCE(SUM(value = -1), 0) FROM feedback"
        )
        return int(up), int(down)

    # ---- statistics -----------------------------------------------------------------------

    def stats(self, top: int = 5) -> Stats:
        placeholders = ",".join("?" * len(NOT_COUNTED))
        (asked, answered), = self._read(
            f"SELECT COUNT(*), COALESCE(SUM(answered), 0) FROM questions WHERE source NOT IN ({placeholders})",
            NOT_COUNTED,
        )
        rows = self._read(
            "SELECT MIN(question), COUNT(*) AS n FROM questions"
            f" WHERE answered = 0 AND source NOT IN ({placeholders})"
            " GROUP BY norm ORDER BY n DESC, MAX(ts) DESC LIMIT ?",
            (*NOT_COUNTED, top),
        )
        up, down = self.feedback_counts()
        return Stats(int(asked), int(answered), [(q, int(n)) for q, n in rows], up, down)

    # ---- key/value state for later features -----------------------------------------------

    def get(self, key: str, default: Any = None) -> Any:
        rows = self._read("SELECT value FROM kv WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else default

    def set(self, key: str, value: Any) -> None:
        self._write(
            "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value, ensure_ascii=False)),
        )

    def chat_get(self, chat_id: int, key: str, default: Any = None) -> Any:
        rows = self._read("SELECT value FROM chat_state WHERE chat_id = ? AND key = ?", (chat_id, key))
        return json.loads(rows[0][0]) if rows else default

    def chat_set(self, chat_id: int, key: str, value: Any) -> None:
        self._write(
            "INSERT INTO chat_state (chat_id, key, value, updated) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (chat_id, key) DO UPDATE SET value = excluded.value, updated = excluded.updated",
            (chat_id, key, json.dumps(value, ensure_ascii=False), time.time()),
        )

    def chat_delete(self, chat_id: int, key: str) -> bool:
        return self._write("DELETE FROM chat_state WHERE chat_id = ? AND key = ?", (chat_id, key)).rowcount > 0

    def chats_with(self, key: str) -> list[tuple[int, Any]]:
        """Every chat that has a value for `key`, e.g. all subscriptions to restore at start-up."""
        rows = self._read("SELECT chat_id, value FROM chat_state WHERE key = ? ORDER BY chat_id", (key,))
        return [(chat_id, json.loads(value)) for chat_id, value in rows]


    # ---- tip rotation ---------------------------------------------------------------------

    def next_tips(self, chat_id: int, tip_ids: Sequence[str], n: int = 1, *, purpose: str = "tip") -> list[str]:
        """The chat's next `n` tips: every tip once, in a shuffled order, before any repeats."""
        with self._transaction() as db:
            return self._advance(db, chat_id, tip_ids, n, purpose)

    def tip_of_day(self, chat_id: int, day: str, tip_ids: Sequence[str]) -> str | None:
        """The chat's tip for `day` (a local date): the next one of the rotation the first time it is
        asked for that day, the same one after that. None when there are no tips."""
        if not tip_ids:
            return None
        with self._transaction() as db:
            row = db.execute(
                "SELECT day, day_tip FROM tip_rotation WHERE chat_id = ? AND purpose = 'tip'", (chat_id,)
            ).fetchone()
            if row and row[0] == day and row[1] in tip_ids:
                return row[1]
            (tip_id,) = self._advance(db, chat_id, tip_ids, 1, "tip")
            db.execute(
                "UPDATE tip_rotation SET day = ?, day_tip = ? WHERE chat_id = ? AND purpose = 'tip'",
                (day, tip_id, chat_id),
            )
            return tip_id

    def rotation_progress(self, chat_id: int, tip_ids: Sequence[str], *, purpose: str = "tip") -> tuple[int, int]:
        """(tips shown in the current round, tips in all) for the chat."""
        rows = self._read("SELECT shown FROM tip_rotation WHERE chat_id = ? AND purpose = ?", (chat_id, purpose))
        current = set(tip_ids)
        shown = {t for t in json.loads(rows[0][0]) if t in current} if rows else set()
        return len(shown), len(current)

    @staticmethod
    def _advance(db: sqlite3.Connection, chat_id: int, tip_ids: Sequence[str], n: int, purpose: str) -> list[str]:
        if not tip_ids or n <= 0:
            return []
        row = db.execute(
            "SELECT round, shown FROM tip_rotation WHERE chat_id = ? AND purpose = ?", (chat_id, purpose)
        ).fetchone()
        round_, shown = (row[0], json.loads(row[1])) if row else (0, [])
        picked: list[str] = []
        while len(picked) < n:
            seen = set(shown)
            left = [t for t in rotation_order(chat_id, purpose, round_, tip_ids) if t not in seen]
            if not left:  # a new round; its first tip is not the one just shown
                last = shown[-1] if shown else None
                round_, shown = round_ + 1, []
                left = rotation_order(chat_id, purpose, round_, tip_ids)
                if len(left) > 1 and left[0] == last:
                    left.append(left.pop(0))
            picked.append(left[0])
            shown.append(left[0])
        db.execute(
            "INSERT INTO tip_rotation (chat_id, purpose, round, shown, updated) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (chat_id, purpose) DO UPDATE SET"
            " round = excluded.round, shown = excluded.shown, updated = excluded.updated",
            (chat_id, purpose, round_, json.dumps(shown), time.time()),
        )
        return picked

    # ---- subscriptions --------------------------------------------------------------------

    def subscribe(
        self, chat_id: int, at: str, *, with_quiz: bool = False, timezone: str, created_by: int | None = None,
    ) -> Subscription:
        """Create or replace the chat's daily tip."""
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", at):
            raise ValueError(f"time must be HH:MM, not {at!r}")
        self._write(
            "INSERT INTO subscriptions (chat_id, at, with_quiz, timezone, created_by, created) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (chat_id) DO UPDATE SET at = excluded.at, with_quiz = excluded.with_quiz,"
            " timezone = excluded.timezone, created_by = excluded.created_by, created = excluded.created",
            (chat_id, at, int(with_quiz), timezone, created_by, time.time()),
        )
        return self.subscription(chat_id)  # type: ignore[return-value]

    def unsubscribe(self, chat_id: int) -> bool:
        return self._write("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,)).rowcount > 0

    def subscription(self, chat_id: int) -> Subscription | None:
        rows = self._read(_SUBSCRIPTION + " WHERE chat_id = ?", (chat_id,))
        return _subscription(rows[0]) if rows else None

    def subscriptions(self) -> list[Subscription]:
        """Every subscription, to schedule at start-up."""
        return [_subscription(r) for r in self._read(_SUBSCRIPTION + " ORDER BY chat_id")]

    def mark_sent(self, chat_id: int, when: float | None = None) -> None:
        self._write("UPDATE subscriptions SET last_sent = ? WHERE chat_id = ?", (when or time.time(), chat_id))

    def move_chat(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup (a new chat id): its subscription, rotation and scores follow."""
        with self._transaction() as db:
            for table in ("subscriptions", "tip_rotation"):
                db.execute(f"UPDATE OR REPLACE {table} SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))
            for table in ("quiz_polls", "quiz_answers"):
                db.execute(f"UPDATE {table} SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))

    # ---- quiz polls and answers -----------------------------------------------------------

    def record_poll(
        self, poll_id: str, *, chat_id: int, message_id: int, tip_id: str, correct: int, open_period: int,
        sent_at: float | None = None,
    ) -> QuizPoll:
        sent_at = time.time() if sent_at is None else sent_at
        self._write(
            "INSERT INTO quiz_polls (poll_id, chat_id, message_id, tip_id, correct, sent_at, open_period, closes_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (poll_id, chat_id, message_id, tip_id, correct, sent_at, open_period, sent_at + open_period),
        )
        return QuizPoll(poll_id, chat_id, message_id, tip_id, correct, sent_at, open_period, sent_at + open_period)

    def poll(self, poll_id: str) -> QuizPoll | None:
        rows = self._read(_POLL + " WHERE poll_id = ?", (poll_id,))
        return QuizPoll(*rows[0]) if rows else None

    def open_poll(self, chat_id: int, tip_id: str, now: float | None = None) -> QuizPoll | None:
        """The chat's latest quiz on the tip that is still open, if any."""
        rows = self._read(
            _POLL + " WHERE chat_id = ? AND tip_id = ? AND closes_at > ? ORDER BY sent_at DESC LIMIT 1",
            (chat_id, tip_id, time.time() if now is None else now),
        )
        return QuizPoll(*rows[0]) if rows else None

    def record_answer(
        self, poll_id: str, user_id: int, option_ids: Sequence[int], name: str, *,
        at: float | None = None, grace: float = 0.0,
    ) -> Scored:
        """Score a poll answer. Only the user's first answer to one of our polls, given before the
        poll closed (plus `grace` seconds for delivery), counts."""
        at = time.time() if at is None else at
        if not option_ids:
            return Scored.EMPTY
        with self._transaction() as db:
            row = db.execute("SELECT chat_id, correct, closes_at FROM quiz_polls WHERE poll_id = ?", (poll_id,)).fetchone()
            if row is None:
                return Scored.UNKNOWN
            chat_id, correct, closes_at = row
            if at > closes_at + grace:
                return Scored.LATE
            right = option_ids[0] == correct
            cursor = db.execute(
                "INSERT INTO quiz_answers (poll_id, user_id, chat_id, option, correct, answered_at, name)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (poll_id, user_id) DO NOTHING",
                (poll_id, user_id, chat_id, option_ids[0], int(right), at, name),
            )
            if cursor.rowcount == 0:
                return Scored.REPEAT
            return Scored.CORRECT if right else Scored.WRONG

    def leaderboard(self, chat_id: int, *, since: float | None = None, limit: int | None = 10) -> list[Score]:
        """The chat's best answerers (since a unix time, or all time): most correct first, then
        fewest answers, then who got there first; each with the name of their latest answer."""
        rows = self._read(
            "SELECT user_id,"
            " (SELECT name FROM quiz_answers n WHERE n.user_id = a.user_id ORDER BY answered_at DESC LIMIT 1),"
            " SUM(correct), COUNT(*) FROM quiz_answers a"
            " WHERE chat_id = ? AND answered_at >= ?"
            " GROUP BY user_id ORDER BY SUM(correct) DESC, COUNT(*) ASC, MAX(answered_at) ASC, user_id"
            + (" LIMIT ?" if limit is not None else ""),
            (chat_id, since if since is not None else float("-inf"), *((limit,) if limit is not None else ())),
        )
        return [Score(int(u), name, int(c), int(n)) for u, name, c, n in rows]

    def user_record(self, user_id: int, *, chat_id: int | None = None, since: float | None = None) -> Record:
        """The user's answers in one chat, with their rank there, or over every chat."""
        since = since if since is not None else float("-inf")
        if chat_id is None:
            (answered, correct), = self._read(
                "SELECT COUNT(*), COALESCE(SUM(correct), 0) FROM quiz_answers WHERE user_id = ? AND answered_at >= ?",
                (user_id, since),
            )
            return Record(int(answered), int(correct))
        board = self.leaderboard(chat_id, since=since, limit=None)
        for rank, score in enumerate(board, 1):
            if score.user_id == user_id:
                return Record(score.answered, score.correct, rank)
        return Record()


_SUBSCRIPTION = "SELECT chat_id, at, with_quiz, timezone, created_by, created, last_sent FROM subscriptions"
_POLL = "SELECT poll_id, chat_id, message_id, tip_id, correct, sent_at, open_period, closes_at FROM quiz_polls"


def _subscription(row: tuple) -> Subscription:
    chat_id, at, with_quiz, timezone, created_by, created, last_sent = row
    return Subscription(chat_id, at, bool(with_quiz), timezone, created_by, created, last_sent)
