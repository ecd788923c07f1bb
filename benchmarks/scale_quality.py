"""Does the answer stay first as the library grows? Many real questions, not ten.

    python benchmarks/scale_quality.py --passages 100000 --questions 120 [--seed 11] [--workdir DIR]

`benchmarks/scale.py` checks ten real questions at rank 1 in a synthetic library: one question
more or less moves that from 9/10 to 10/10 or 8/10, too coarse to tell one engine from another.
Here the library is made the same way (`scale.make_library`: the shipped speeches' sentences
recombined under their headings, nouns swapped, the two real speeches included), with the answers
of N real questions only in the real speeches. The questions are drawn with the seed from the
direct and staff's-words questions of every tests/questions*.yaml that the shipped knowledge
answers at rank 1 (every sentence holding one of their answers is kept out of the synthetic text).

Printed for each kind: how many keep their answer at rank 1 and in the top five, beside the same
for the word run alone (plain BM25 over jieba words, the index's own, as a peer measured in the
same process on the same library) and the questions that fall out of the top five. Builds the
library's index on the first run (reused with --workdir); asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # the library maker of the speed benchmark


def pick(n: int, seed: int) -> list[dict]:
    """`n` direct and staff's-words questions of tests/ that the shipped knowledge answers first."""
    from officebot.retrieval import KnowledgeBase
    from officebot.retrieval.evaluate import contains_answer, load_questions

    kb = KnowledgeBase.load(cache_dir=None)
    pool = []
    for path in sorted((scale.ROOT / "tests").glob("questions*.yaml")):
        for q in load_questions(path):
            if q.kind in ("direct", "paraphrase"):
                hits = kb.search(q.q, k=1).hits
                if hits and contains_answer(hits[0].passage.text, q.answer):
                    pool.append({"q": q.q, "answer": list(q.answer), "kind": q.kind, "set": path.stem})
    return random.Random(seed).sample(pool, min(n, len(pool)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=30000)
    parser.add_argument("--questions", type=int, default=120)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workdir", help="where the library and its cache go (kept; default: a temporary directory)")
    args = parser.parse_args()
    from officebot.retrieval import KnowledgeBase
    from officebot.retrieval.evaluate import contains_answer

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="office-bot-scale-quality-"))
    library, chosen = work / "library", work / "real_questions.json"
    if library.is_dir() and chosen.is_file():
        real = json.loads(chosen.read_text(encoding="utf-8"))
    else:
        real = pick(args.questions, args.seed)
        t = time.perf_counter()
        scale.make_library(library, args.passages, args.seed, real)
        chosen.write_text(json.dumps(real, ensure_ascii=False), encoding="utf-8")
        print(f"library made in {time.perf_counter() - t:.1f} s: {library}", file=sys.stderr)
    t = time.perf_counter()
    kb = KnowledgeBase.load(library, cache_dir=work / "cache", progress=sys.stderr.isatty())
    print(f"passages: {len(kb.passages)}; index ready in {time.perf_counter() - t:.1f} s", file=sys.stderr)

    words = kb._index.words
    counts: dict[str, list[int]] = {}
    lost = []
    for q in real:
        answer = tuple(q["answer"])
        hits = kb.search(q["q"], k=5).hits
        rank = next((h.rank for h in hits if contains_answer(h.passage.text, answer)), None)
        # the peer: plain BM25 over the question's jieba words, the first five passages it ranks
        bm25 = words.scores({w: 1.0 for w in kb.tokenizer.tokens(q["q"])})
        top = np.argsort(-bm25, kind="stable")[:5]
        peer = next((r for r, i in enumerate(top.tolist(), 1) if bm25[i] > 0
                     and contains_answer(kb.passages[i].text, answer)), None)
        c = counts.setdefault(q["kind"], [0, 0, 0, 0, 0])
        c[0] += 1
        c[1] += rank == 1
        c[2] += rank is not None
        c[3] += peer == 1
        c[4] += peer is not None
        if rank is None:
            lost.append(q["q"])
    print(f"{len(kb.passages):,} passages (seed {args.seed}), {len(real)} real questions whose answers are only in "
          "the real speeches")
    print("| questions | answer at rank 1 | in the top 5 | plain BM25 (words) at rank 1 | plain BM25 in the top 5 |")
    print("|---|---|---|---|---|")
    for kind, (n, at1, at5, p1, p5) in sorted(counts.items()):
        print(f"| {kind} ({n}) | {at1} ({at1 / n:.2f}) | {at5} ({at5 / n:.2f}) | {p1} ({p1 / n:.2f}) | {p5} ({p5 / n:.2f}) |")
    if lost:
        print("not in the top 5:", "; ".join(lost))


if __name__ == "__main__":
    main()
