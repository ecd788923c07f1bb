"""How fast `office-bot ask` answers: cold start of the command, and warm search latency.

    python benchmarks/ask_latency.py [--runs 5]

The command runs with a fresh data directory: the first run builds the search index and keeps it
in $OFFICE_BOT_DATA/cache, the later ones (the cold starts that matter) read it. Prints figures;
asserts nothing (the machines are shared and noisy).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "OFFICE_BOT_DATA": data}
        cold = []
        for _ in range(args.runs + 1):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "officebot", "ask", "信息报送时限是多少"], cwd=ROOT,
                           capture_output=True, check=True, env=env)
            cold.append(time.perf_counter() - start)
    print(f"first `office-bot ask` (builds and keeps the index): {cold[0] * 1000:.0f} ms")
    cold = cold[1:]
    print(f"cold `office-bot ask`: median {statistics.median(cold) * 1000:.0f} ms, max {max(cold) * 1000:.0f} ms "
          f"over {args.runs} runs")

    from officebot.retrieval import KnowledgeBase
    from officebot.retrieval.evaluate import load_questions

    start = time.perf_counter()
    kb = KnowledgeBase.load()
    kb.search("预热")
    print(f"load knowledge base (in process, jieba included): {(time.perf_counter() - start) * 1000:.0f} ms; "
          f"{len(kb.passages)} passages")
    questions = [q.q for q in load_questions(ROOT / "tests" / "questions.yaml")]
    times = []
    for q in questions * 3:
        t = time.perf_counter()
        kb.search(q, k=5)
        times.append(time.perf_counter() - t)
    times.sort()
    print(f"warm search, {len(times)} queries: median {statistics.median(times) * 1000:.2f} ms, "
          f"p95 {times[int(len(times) * 0.95)] * 1000:.2f} ms")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
