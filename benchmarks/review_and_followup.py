"""Cost of learning from use and of follow-ups on a big question log.

    python benchmarks/review_and_followup.py [--questions 50000]

Fills a scratch database with N logged questions (a tenth unanswered, some with 👍/👎), then
times: the /review list (History.review_items), the follow-up lookup (History.last_question +
retrieval.followup), to_simplified on a traditional question, and binding a question
(annotations.yaml written atomically). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path


def timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, max(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=50_000)
    args = parser.parse_args()

    from officebot.retrieval import KnowledgeBase
    from officebot.retrieval.chinese import to_simplified
    from officebot.retrieval.followup import followup_query

    from officebot.bot.history import History, library_dir
    from officebot.bot.store import Store
    from officebot.library.annotations import bind, read_annotations

    rng = random.Random(0)
    data = Path(tempfile.mkdtemp(prefix="office-bot-bench-"))
    store = Store.open(data)
    start = time.perf_counter()
    with store._transaction() as db:  # one transaction: filling is not what is measured
        for i in range(args.questions):
            answered = rng.random() > 0.1
            db.execute(
                "INSERT INTO questions (ts, chat_id, user_id, source, question, norm, answered, passage)"
                " VALUES (?, ?, ?, 'private', ?, ?, ?, ?)",
                (time.time(), i % 500, i % 500, f"问题{i % 3000}", f"问题{i % 3000}", int(answered), i % 50),
            )
            if rng.random() < 0.05:
                db.execute(
                    "INSERT OR IGNORE INTO feedback (question_id, passage, user_id, value, ts) VALUES (?, ?, ?, ?, ?)",
                    (i + 1, rng.randrange(50), i % 500, rng.choice((-1, 1)), time.time()),
                )
    print(f"filled {args.questions} questions in {time.perf_counter() - start:.1f} s")

    history = History.of_data_dir(data)
    annotations = read_annotations(library_dir(data))
    median, worst = timed(lambda: history.review_items(annotations), 5)
    print(f"/review list:              median {median:8.1f} ms   max {worst:8.1f} ms")
    median, worst = timed(lambda: history.last_question(7, 7), 50)
    print(f"last question of a user:   median {median:8.2f} ms   max {worst:8.2f} ms")

    start = time.perf_counter()
    to_simplified("資訊")
    print(f"to_simplified first call:  {1000 * (time.perf_counter() - start):8.1f} ms (loads OpenCC)")
    kb = KnowledgeBase.load()
    kb.search("预热", 1)
    median, worst = timed(lambda: followup_query("信息报送时限是多少", "那书面报告呢", kb.tokenizer, 10), 50)
    print(f"follow-up query:           median {median:8.2f} ms   max {worst:8.2f} ms")
    median, worst = timed(lambda: to_simplified("資訊報送時限是多少"), 200)
    print(f"to_simplified:             median {median:8.3f} ms   max {worst:8.3f} ms")
    counter = iter(range(10**6))
    median, worst = timed(lambda: bind(library_dir(data), f"绑定{next(counter)}", "d", 1), 50)
    print(f"bind (file of up to 50):   median {median:8.2f} ms   max {worst:8.2f} ms")
    history.close()
    store.close()


if __name__ == "__main__":
    main()
