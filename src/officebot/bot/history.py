"""What the bot was asked before, read from its database: for follow-up questions and for review.

A read-only connection of its own to the store's SQLite file (`questions` and `feedback`, the
tables `officebot.bot.store` writes), so the store's API does not grow for these reports. The
review core (`review_items`) is shared by /review in the bot and `office-bot review`; no Telegram.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from officebot.bot.store import DB_NAME, NOT_COUNTED
from officebot.library.annotations import Annotations, AnnotationsError, bind, normalize
from officebot.retrieval.types import Passage

LIBRARY = "library"  # the library directory inside the data directory, where annotations.yaml lives


def library_dir(data_dir: str | Path) -> Path:
    return Path(data_dir).expanduser() / LIBRARY


@dataclass(frozen=True)
class Asked:
    """A logged question: its id, when, and the text that was searched."""

    id: int
    ts: float
    question: str
    answered: bool
    passage: int | None


@dataclass
class ReviewItem:
    """A question for an admin to decide on: bind it to a passage, or mark it not covered."""

    question: str  # the latest wording of it
    question_id: int  # a logged question of this wording, for buttons
    asked: int  # how many times it was asked
    unanswered: int  # times it got no answer
    disliked: int  # 👎 given to its answers
    liked_passages: list[int] = field(default_factory=list)  # 👍 on passages below the first: suggestions

    @property
    def suggestion(self) -> bool:
        return bool(self.liked_passages) and not self.unanswered and not self.disliked


class History:
    """Queries on the bot's database file; safe to share between threads."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    @classmethod
    def of_data_dir(cls, data_dir: str | Path) -> History:
        return cls(Path(data_dir).expanduser() / DB_NAME)

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            if self._db is None:
                if not self.path.is_file():
                    return []
                self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False, timeout=5.0)
            return self._db.execute(sql, params).fetchall()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def last_question(self, chat_id: int, user_id: int) -> Asked | None:
        """The user's latest question in the chat (typed, not a topic button)."""
        rows = self._read(
            "SELECT id, ts, question, answered, passage FROM questions"
            f" WHERE chat_id = ? AND user_id = ? AND source NOT IN ({_marks(NOT_COUNTED)})"
            " ORDER BY id DESC LIMIT 1",
            (chat_id, user_id, *NOT_COUNTED),
        )
        return _asked(rows[0]) if rows else None

    def asked(self, question_id: int) -> Asked | None:
        rows = self._read("SELECT id, ts, question, answered, passage FROM questions WHERE id = ?", (question_id,))
        return _asked(rows[0]) if rows else None

    def review_items(self, annotations: Annotations, limit: int = 50) -> list[ReviewItem]:
        """Unanswered and 👎 questions, most frequent first, then 👍 suggestions; questions already
        bound or marked not covered are left out."""
        # only the questions with something to learn from: unanswered, or with feedback
        rows = self._read(
            "SELECT q.id, q.question, q.norm, q.answered,"
            " (SELECT COALESCE(SUM(value = -1), 0) FROM feedback f WHERE f.question_id = q.id),"
            " (SELECT group_concat(f.passage) FROM feedback f WHERE f.question_id = q.id AND f.value = 1"
            "   AND (q.passage IS NULL OR f.passage != q.passage))"
            f" FROM questions q WHERE q.source NOT IN ({_marks(NOT_COUNTED)})"
            " AND (q.answered = 0 OR EXISTS (SELECT 1 FROM feedback f WHERE f.question_id = q.id)) ORDER BY q.id",
            NOT_COUNTED,
        )
        counts = dict(self._read(
            f"SELECT norm, COUNT(*) FROM questions WHERE source NOT IN ({_marks(NOT_COUNTED)}) GROUP BY norm",
            NOT_COUNTED,
        ))
        handled = annotations.handled()
        items: dict[str, ReviewItem] = {}
        norms: dict[str, set[str]] = {}
        for qid, question, norm, answered, disliked, liked in rows:
            key = normalize(question)
            if not key or key in handled:
                continue
            item = items.get(key)
            if item is None:
                item = items[key] = ReviewItem(question, qid, 0, 0, 0)
            item.question, item.question_id = question, qid  # the latest wording
            norms.setdefault(key, set()).add(norm)
            item.asked = sum(counts.get(n, 0) for n in norms[key])
            item.unanswered += not answered
            item.disliked += int(disliked or 0)
            for p in str(liked or "").split(","):
                if p.strip().isdigit() and int(p) not in item.liked_passages:
                    item.liked_passages.append(int(p))
        wanted = [i for i in items.values() if i.unanswered or i.disliked or i.liked_passages]
        wanted.sort(key=lambda i: (i.suggestion, -(i.unanswered + i.disliked), -i.asked, -i.question_id))
        return wanted[:limit]


def _asked(row: tuple) -> Asked:
    return Asked(int(row[0]), float(row[1]), str(row[2]), bool(row[3]), row[4])


def _marks(values: tuple) -> str:
    return ",".join("?" * len(values))


def seconds_since(ts: float, now: float | None = None) -> float:
    return (time.time() if now is None else now) - ts


# ---- deciding ---------------------------------------------------------------------------------

def candidates(kb, item: ReviewItem, n: int = 3) -> list[Passage]:
    """The passages to offer for a question: those liked through 更多 first, then the best hits
    of a search (answered or not), one per paragraph."""
    out: list[Passage] = []
    seen: set[tuple[str, int]] = set()
    liked = [kb.passage(pid) for pid in item.liked_passages]
    found = [h.passage for h in kb.search(item.question, k=n + len(liked)).hits]
    for p in [*liked, *found]:
        if p is not None and (p.doc_id, p.paragraph) not in seen and len(out) < n:
            seen.add((p.doc_id, p.paragraph))
            out.append(p)
    return out


def bind_to_passage(library: str | Path, kb, question: str, passage_id: int) -> Passage:
    """Bind the question to the paragraph of a passage; returns the passage. Raises
    AnnotationsError when the passage is not in the knowledge base (any more)."""
    passage = kb.passage(passage_id)
    if passage is None:
        raise AnnotationsError(f"没有编号为 {passage_id} 的段落（知识库可能已更新）")
    bind(library, question, passage.doc_id, passage.paragraph)
    return passage
