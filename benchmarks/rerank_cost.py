"""What the re-ranking (retrieval/rerank.py) costs a search, at scale.

    python benchmarks/scale.py --passages 100000 --workdir /tmp/s100k --keep   # makes the library
    python benchmarks/rerank_cost.py --workdir /tmp/s100k [--passes 3]

Loads the library `scale.py` kept twice in one process, once as shipped and once without the
re-ranking (`Settings(rerank_weights=())`), and times both on the same sample of questions, the
order alternating question by question, each beside bm25s (numpy backend) on the same passages
and jieba tokens, as `scale.py` pairs them. Prints p50/p95/p99 of each, bm25s's p50, the paired
ratios and the cost of the re-ranking as a ratio of the two. The later passes meet the questions
again (caches of question cuts and sentence tables), so compare within a run. Asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale
from officebot.retrieval import KnowledgeBase
from officebot.retrieval.search import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workdir", required=True, help="the directory scale.py --keep left")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    work = Path(args.workdir)
    if not (work / "library").is_dir():
        sys.exit(f"no library in {work}: run benchmarks/scale.py --workdir {work} --keep first")
    peer_args = argparse.Namespace(library=str(work / "library"), cache=str(work / "cache"), seed=args.seed)
    retriever, answerable, query_tokens = scale.bm25s_peer(peer_args)
    shipped = KnowledgeBase.load(peer_args.library, cache_dir=peer_args.cache, progress=False)
    plain = KnowledgeBase.load(peer_args.library, cache_dir=peer_args.cache, progress=False,
                               settings=Settings(rerank_weights=()))
    for kb in (shipped, plain):
        kb.search(scale.WARM_UP, k=5)
    times: dict[str, list[float]] = {"re-ranked": [], "first stage only": [], "bm25s": []}
    for p in range(args.passes):
        for i, (q, tokens) in enumerate(zip(answerable, query_tokens)):
            order = [("re-ranked", shipped), ("first stage only", plain)]
            if (i + p) % 2:
                order.reverse()
            for name, kb in order:
                t = time.perf_counter()
                retriever.retrieve([tokens], k=5, show_progress=False, n_threads=1)
                times["bm25s"].append(time.perf_counter() - t)
                t = time.perf_counter()
                kb.search(q, k=5)
                times[name].append(time.perf_counter() - t)
    ms = {name: [v * 1000 for v in values] for name, values in times.items()}
    peer = scale.percentile(ms["bm25s"], 0.5)
    print(f"{len(answerable)} questions x {args.passes} passes, {len(shipped.passages):,} passages")
    for name in ("re-ranked", "first stage only"):
        v = ms[name]
        print(f"{name:17s} p50 {scale.percentile(v, 0.5):.2f} / p95 {scale.percentile(v, 0.95):.2f} / "
              f"p99 {scale.percentile(v, 0.99):.2f} ms; p50 / bm25s p50 {scale.percentile(v, 0.5) / peer:.2f}x")
    print(f"bm25s p50 {peer:.2f} ms; re-ranked / first stage only, p50: "
          f"{scale.percentile(ms['re-ranked'], 0.5) / scale.percentile(ms['first stage only'], 0.5):.3f}")


if __name__ == "__main__":
    main()
