"""What a rebuild costs a running bot: in its own process, or in a child (`build(isolated=True)`).

    python benchmarks/scale.py --passages 100000 --workdir DIR --keep   # once: the library
    python benchmarks/rebuild_isolated.py --workdir DIR [--questions 60]

A trainer adds one speech to the library the scale benchmark left in DIR. Each way of rebuilding
runs in a fresh process that first loads the kept index and answers a question (a bot serving),
then rebuilds with the speech added (its tokens cached for every other speech, as in the bot) in a
background thread while the main thread asks questions back to back, as users would; then it
swaps the new index in and asks again. Printed for each: the rebuild's time, the latency of the
questions asked meanwhile (p50 / p99 / max), and the process's memory after the swap (RSS) and
at its peak. The machine is shared: compare the two rows of one run. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale  # the question sample and percentile


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def added_speech(corpus):
    """The corpus with one more speech: the first one's paragraphs in reverse order, retitled."""
    from officebot.retrieval.types import Speech, SpeechText

    first = corpus.speeches[0]
    speech = Speech(id="speech-added", title="新增讲话（基准）", date="2026-11-01")
    corpus.speeches.append(SpeechText(speech, tuple(reversed(first.lines))))
    return corpus


def child(args) -> dict:
    from officebot.retrieval import KnowledgeBase
    from officebot.retrieval.knowledge import read_corpus

    work = Path(args.workdir)
    kb = KnowledgeBase.load(work / "library", cache_dir=work / "cache", progress=False)
    kb.search(scale.WARM_UP, k=5)
    questions = scale.questions(args.seed)[0][: args.questions]
    serving = rss_mb()
    corpus = added_speech(read_corpus(work / "library"))
    with tempfile.TemporaryDirectory(prefix="office-bot-rebuild-") as tmp:
        cache = Path(tmp) / "cache"
        shutil.copytree(work / "cache" / "tokens", cache / "tokens")  # every other speech's words kept
        built: dict = {}

        def rebuild() -> None:
            t = time.perf_counter()
            built["kb"] = KnowledgeBase.build(corpus, cache_dir=cache, progress=False, isolated=args.mode == "child")
            built["s"] = time.perf_counter() - t

        thread = threading.Thread(target=rebuild)
        thread.start()
        waits: list[float] = []
        i = 0
        while thread.is_alive():
            t = time.perf_counter()
            kb.search(questions[i % len(questions)], k=5)
            waits.append((time.perf_counter() - t) * 1000)
            i += 1
        thread.join()
        kb = built["kb"]
        del built["kb"]
        kb.search(scale.WARM_UP, k=5)
        answer = kb.search("新增讲话", k=1)
        return {
            "mode": args.mode, "rebuild_s": built["s"], "asked": len(waits),
            "p50": scale.percentile(waits, 0.5), "p99": scale.percentile(waits, 0.99), "max": max(waits),
            "serving_mb": serving, "after_mb": rss_mb(),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "passages": len(kb.passages), "found": bool(answer.hits),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", required=True, help="a directory `scale.py --keep` left (library/, cache/)")
    parser.add_argument("--questions", type=int, default=60, help="questions asked in turn during a rebuild")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(child(args)))
        return
    rows = []
    for mode in ("in-process", "child"):
        cmd = [sys.executable, __file__, "--workdir", args.workdir, "--questions", str(args.questions),
               "--seed", str(args.seed), "--mode", mode]
        out = subprocess.run(cmd, stdout=subprocess.PIPE, check=True, text=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"one speech added to {rows[0]['passages']:,} passages ({os.cpu_count()} cores)")
    print("| rebuild | time | questions meanwhile: p50 / p99 / max | RSS serving -> after the swap | peak RSS |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['mode']} | {r['rebuild_s']:.1f} s | {r['p50']:.1f} / {r['p99']:.1f} / {r['max']:.0f} ms"
              f" ({r['asked']} asked) | {r['serving_mb']:.0f} -> {r['after_mb']:.0f} MB | {r['peak_mb']:.0f} MB |")


if __name__ == "__main__":
    main()
