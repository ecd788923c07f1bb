"""The bot's state in SQLite: questions asked, feedback, and per-chat values for later features.

One file, `office-bot.sqlite3`, in the data directory (`OFFICE_BOT_DATA`, default ./data). Every
write is its own committed transaction, so a kill -9 loses at most the update in flight: WAL with
synchronous=NORMAL survives a crash of the process (only a power cut may undo the last commits).

The schema is versioned with `PRAGMA user_version`: `MIGRATIONS[i]` brings a database from
version i to i + 1. Later features add tables by appending a script; never edit a published one.
No Telegram here: ids are plain integers.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
import unicodedata
from dataclasses import dataclass, field
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
]


class StoreError(Exception):
    """The database cannot be used: unwritable directory, corrupt file, newer schema."""


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

    def _write(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, params)

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

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
        with self._lock:
            before = self._db.execute(
                "SELECT value FROM feedback WHERE question_id = ? AND passage = ? AND user_id = ?",
                (question_id, passage, user_id),
            ).fetchone()
            self._db.execute(
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
