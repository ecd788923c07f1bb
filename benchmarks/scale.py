"""How search holds up as the knowledge base grows: a synthetic library of N passages.

    python benchmarks/scale.py --passages 30000 [--seed 7] [--workdir DIR] [--keep]

needs the bench extra (`pip install -e ".[bench]"`: bm25s) for the peer measurement.

The library is made from the shipped speeches (seeded, so runs are comparable): their sentences
recombined into new paragraphs under their headings, with nouns swapped for nouns of jieba's
dictionary so that the vocabulary grows as real text does; the two real speeches are included.
Ten real questions (drawn with the seed from tests/questions.yaml among those answered at rank 1
on the shipped knowledge) have their answers only in the real speeches: every sentence holding an
answer is kept out of the synthetic text.

Printed, each measured in its own process: the first build (with progress bar), then a second
start that reads the persisted index (load time, peak RSS while serving), search latency
p50/p95/p99 for answerable and for unanswerable questions of tests/questions*.yaml, and the rank of
the ten real questions' answers; then, in a third process, bm25s (numpy backend) on the same
passages with the same jieba tokens, timed question by question beside the project (the order
alternating, three passes over the sample, the project started afresh for each so that no
question is met twice): its p50/p99, the project's p50 in the same moments, and the ratio. On
a shared machine whose speed drifts from one minute to the next, only a ratio measured side by
side means anything. Asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPHS_PER_SPEECH = 30
SWAP_RATE = 0.35  # share of nouns replaced by a dictionary noun (--swap)
REAL_QUESTIONS = 10


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---- the synthetic library ---------------------------------------------------------------------


def pick_real_questions(seed: int) -> list[dict]:
    """Ten questions of tests/questions.yaml whose answer the shipped knowledge ranks first."""
    from officebot.retrieval import KnowledgeBase
    from officebot.retrieval.evaluate import contains_answer, load_questions

    kb = KnowledgeBase.load(cache_dir=None)
    good = []
    for q in load_questions(ROOT / "tests" / "questions.yaml"):
        if q.kind == "unanswerable":
            continue
        hits = kb.search(q.q, k=1).hits
        if hits and contains_answer(hits[0].passage.text, q.answer):
            good.append({"q": q.q, "answer": list(q.answer)})
    return random.Random(seed).sample(good, REAL_QUESTIONS)


def make_library(directory: Path, passages: int, seed: int, real: list[dict], swap_rate: float = SWAP_RATE) -> None:
    import jieba
    from officebot.retrieval.knowledge import default_knowledge_dir, read_corpus
    from officebot.retrieval.shapes import topic_name
    from officebot.retrieval.structure import build_paragraphs, parse_heading, split_sentences
    from officebot.retrieval.text import strip_for_match

    rng = random.Random(seed)
    shipped = default_knowledge_dir()
    corpus = read_corpus(shipped)
    answers = [strip_for_match(a) for q in real for a in q["answer"] if strip_for_match(a)]

    sentences: list[str] = []
    headings: list[str] = []
    for st in corpus.speeches:
        for line in st.lines:
            if parse_heading(line) is not None and len(line) <= 40:
                headings.append(topic_name(parse_heading(line).label))
        paragraphs, _ = build_paragraphs(st.speech.id, list(st.lines))
        for p in paragraphs:
            for s in split_sentences(p.text):
                s = s.strip()
                if len(s) >= 8 and not any(a in strip_for_match(s) for a in answers):
                    sentences.append(s)
    headings = [h for h in headings if len(h) >= 4 and not any(a in strip_for_match(h) for a in answers)]

    dict_path = Path(jieba.__file__).parent / "dict.txt"
    nouns = []
    for line in dict_path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "n" and len(parts[0]) >= 2 and int(parts[1]) >= 5:
            nouns.append(parts[0])
    noun_set = set(nouns)
    tk = jieba.Tokenizer()
    tk.initialize()

    def pieces(text: str) -> list[tuple[str, bool]]:
        return [(w, w in noun_set) for w in tk.cut(text, HMM=False)]

    sentence_pieces = [pieces(s) for s in sentences]
    heading_pieces = [pieces(h) for h in headings]

    def swap(ps: list[tuple[str, bool]]) -> str:
        return "".join(rng.choice(nouns) if is_noun and rng.random() < swap_rate else w for w, is_noun in ps)

    markers = "一二三四五六七八九十"
    speeches_dir = directory / "speeches"
    speeches_dir.mkdir(parents=True)
    manifest = []
    for st in corpus.speeches:  # the real speeches, as shipped
        shutil.copy(shipped / st.speech.file, speeches_dir / Path(st.speech.file).name)
        entry = {k: v for k, v in vars(st.speech).items() if v}
        entry["file"] = f"speeches/{Path(st.speech.file).name}"
        manifest.append(entry)
    made = 0
    n = 0
    while made < passages - 60:  # the real speeches bring about 50
        n += 1
        lines = []
        sections = rng.randint(2, 4)
        per_section = max(1, PARAGRAPHS_PER_SPEECH // sections)
        for s in range(sections):
            lines.append(f"{markers[s]}、{swap(rng.choice(heading_pieces))}")
            for _ in range(per_section):
                text, target = "", rng.randint(80, 380)
                while len(text) < target:
                    nxt = swap(rng.choice(sentence_pieces))
                    if text and len(text) + len(nxt) > 390:
                        break
                    text += nxt
                lines.append(text[:400])
                made += 1
        name = f"syn-{n:05d}"
        (speeches_dir / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        manifest.append({"id": name, "title": f"关于{rng.choice(nouns)}工作的讲话（合成{n}）",
                         "date": f"20{rng.randint(10, 24):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                         "file": f"speeches/{name}.txt"})
    (directory / "manifest.yaml").write_text(
        yaml.safe_dump({"speeches": manifest}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name in ("synonyms.yaml", "userdict.txt", "stopwords.txt"):
        if (shipped / name).is_file():
            shutil.copy(shipped / name, directory / name)


# ---- the measurements (each in its own process) -----------------------------------------------


# questions sampled (answerable, unanswerable). With 300 answerable ones, the p50 ratio to bm25s
# moved with the sample more than with the code: 1.9x to 2.6x for the same engine and library
# (2.3x over all of them); a thousand keep it within a few hundredths
SAMPLE = (1000, 300)


def questions(seed: int) -> tuple[list[str], list[str]]:
    from officebot.retrieval.evaluate import load_questions

    answerable, unanswerable = [], []
    for path in sorted((ROOT / "tests").glob("questions*.yaml")):
        for q in load_questions(path):
            (unanswerable if q.kind == "unanswerable" else answerable).append(q.q)
    rng = random.Random(seed)
    return (rng.sample(answerable, min(SAMPLE[0], len(answerable))),
            rng.sample(unanswerable, min(SAMPLE[1], len(unanswerable))))


def timed(fn, items) -> list[float]:
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t) * 1000)
    return out


def child_build(args) -> dict:
    from officebot.retrieval import KnowledgeBase

    t = time.perf_counter()
    kb = KnowledgeBase.load(args.library, cache_dir=args.cache, progress=True)
    return {"build_s": time.perf_counter() - t, "passages": len(kb.passages), "build_rss_mb": rss_mb()}


def child_serve(args) -> dict:
    from officebot.retrieval import KnowledgeBase
    from officebot.retrieval.evaluate import contains_answer

    t = time.perf_counter()
    kb = KnowledgeBase.load(args.library, cache_dir=args.cache, progress=False)
    load_s = time.perf_counter() - t
    answerable, unanswerable = questions(args.seed)
    kb.search(WARM_UP)  # a question outside the sample pays for the pages it maps in
    asked = timed(lambda q: kb.search(q, k=5), answerable)
    unknown = timed(lambda q: kb.search(q, k=5), unanswerable)
    ranks = []
    for q in json.loads(args.real):
        hits = kb.search(q["q"], k=5).hits
        ranks.append(next((h.rank for h in hits if contains_answer(h.passage.text, tuple(q["answer"]))), None))
    return {
        "load_s": load_s, "serve_rss_mb": rss_mb(), "n_answerable": len(answerable), "n_unanswerable": len(unanswerable),
        "p50": percentile(asked, 0.5), "p95": percentile(asked, 0.95), "p99": percentile(asked, 0.99),
        "u50": percentile(unknown, 0.5), "u95": percentile(unknown, 0.95), "u99": percentile(unknown, 0.99),
        "ranks": ranks,
    }


def bm25s_peer(args):
    """bm25s (numpy backend) over the same passages with the same jieba tokens the project indexed
    (read from its per-speech token cache), and the sample's questions cut by the same tokenizer."""
    import bm25s
    from officebot.retrieval import build as index_build
    from officebot.retrieval.knowledge import read_corpus
    from officebot.retrieval.search import Settings
    from officebot.retrieval.text import Tokenizer

    corpus = read_corpus(Path(args.library))
    tokenizer = Tokenizer(corpus.userdict, corpus.stopwords)
    passages, starts = index_build.split_corpus(corpus, Settings().passage_chars)
    texts = [[p.text for p in passages[a:b]] for a, b in itertools.pairwise(starts)]
    tokens = [
        [t for sentence in passage for t in sentence] or ["<empty>"]
        for speech in index_build.speech_tokens(texts, tokenizer, Path(args.cache), False) for passage in speech
    ]
    retriever = bm25s.BM25(k1=1.2, b=0.75, method="lucene", backend="numpy")
    retriever.index(tokens, show_progress=False)
    del tokens
    answerable, _ = questions(args.seed)
    query_tokens = [tokenizer.tokens(q) or ["<empty>"] for q in answerable]
    vocab = retriever.vocab_dict
    query_tokens = [[t for t in q if t in vocab] or [next(iter(vocab))] for q in query_tokens]
    return retriever, answerable, query_tokens


PAIRED_PASSES = 3
WARM_UP = "信息报送有什么要求"


def child_paired(args) -> dict:
    """The project and bm25s in one process, question by question, the order alternating, over
    PAIRED_PASSES passes of the sample: both are measured in the same moments, so the ratio holds
    on a shared machine whose speed drifts by a third or more from one minute to the next."""
    from officebot.retrieval import KnowledgeBase

    retriever, answerable, query_tokens = bm25s_peer(args)
    retriever.retrieve([query_tokens[0]], k=5, show_progress=False, n_threads=1)
    ours: list[float] = []
    peer: list[float] = []
    ratios = []
    for n in range(PAIRED_PASSES):
        # a fresh start each pass: every question is new to the project's caches (cuts of short
        # texts, sentence tables), as bm25s, which keeps nothing, meets each one anew
        kb = KnowledgeBase.load(args.library, cache_dir=args.cache, progress=False)
        kb.search(WARM_UP, k=5)  # a question outside the sample maps the index's pages in
        mine, theirs = [], []
        for i, (q, tokens) in enumerate(zip(answerable, query_tokens)):
            pair = [(mine, lambda q=q, kb=kb: kb.search(q, k=5)),
                    (theirs, lambda t=tokens: retriever.retrieve([t], k=5, show_progress=False, n_threads=1))]
            for out, call in pair if (i + n) % 2 == 0 else pair[::-1]:
                t = time.perf_counter()
                call()
                out.append((time.perf_counter() - t) * 1000)
        ratios.append(percentile(mine, 0.5) / percentile(theirs, 0.5))
        ours += mine
        peer += theirs
    return {"paired_p50": percentile(ours, 0.5), "bm25s_p50": percentile(peer, 0.5),
            "bm25s_p99": percentile(peer, 0.99), "ratios": ratios}


def run_child(role: str, args, real: list[dict]) -> dict:
    cmd = [sys.executable, __file__, "--child", role, "--library", str(args.library), "--cache", str(args.cache),
           "--seed", str(args.seed), "--real", json.dumps(real, ensure_ascii=False)]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, check=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passages", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", help="where the library and its cache go (default: a temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the library and cache")
    parser.add_argument("--swap", type=float, default=SWAP_RATE, help=f"share of nouns swapped (default {SWAP_RATE})")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--library", help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    parser.add_argument("--real", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = {"build": child_build, "serve": child_serve, "paired": child_paired}[args.child](args)
        print(json.dumps(result))
        return

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="office-bot-scale-"))
    args.library, args.cache = work / "library", work / "cache"
    try:
        chosen = work / "real_questions.json"  # kept with the library: their answers are what it leaves out
        if args.library.is_dir() and chosen.is_file():
            real = json.loads(chosen.read_text(encoding="utf-8"))
        else:
            shutil.rmtree(args.library, ignore_errors=True)
            real = pick_real_questions(args.seed)
            t = time.perf_counter()
            make_library(args.library, args.passages, args.seed, real, args.swap)
            chosen.write_text(json.dumps(real, ensure_ascii=False), encoding="utf-8")
            print(f"library made in {time.perf_counter() - t:.1f} s: {args.library}", file=sys.stderr)
        built = run_child("build", args, real)
        served = run_child("serve", args, real)
        try:
            peer = run_child("paired", args, real)
        except subprocess.CalledProcessError:
            peer = {"paired_p50": float("nan"), "bm25s_p50": float("nan"), "bm25s_p99": float("nan"), "ratios": []}
            print("bm25s not measured (pip install -e '.[bench]')", file=sys.stderr)
        ratio = peer["paired_p50"] / peer["bm25s_p50"]
        at1 = sum(1 for r in served["ranks"] if r == 1)
        print(f"passages: {built['passages']}  (seed {args.seed}, nouns swapped {args.swap:.0%}; {os.cpu_count()} cores)")
        print(f"first build: {built['build_s']:.1f} s (peak RSS {built['build_rss_mb']:.0f} MB)")
        print(f"load from the persisted index: {served['load_s']:.2f} s; peak RSS while serving: "
              f"{served['serve_rss_mb']:.0f} MB")
        print(f"search, {served['n_answerable']} answerable: p50 {served['p50']:.1f} ms, p95 {served['p95']:.1f} ms, "
              f"p99 {served['p99']:.1f} ms")
        print(f"search, {served['n_unanswerable']} unanswerable: p50 {served['u50']:.1f} ms, "
              f"p95 {served['u95']:.1f} ms, p99 {served['u99']:.1f} ms")
        print(f"bm25s (numpy), same passages and tokens, timed question by question beside the project in one "
              f"process: bm25s p50 {peer['bm25s_p50']:.2f} ms, p99 {peer['bm25s_p99']:.2f} ms; the project p50 "
              f"{peer['paired_p50']:.2f} ms; ratio p50 {ratio:.2f}x "
              f"(passes: {', '.join(f'{r:.2f}x' for r in peer['ratios'])})")
        print(f"ten real questions, answer at rank 1: {at1}/10 (ranks {served['ranks']})")
        print("| passages | first build | load | peak RSS serving | search p50 / p95 / p99 | unanswerable p50 / p99 "
              "| bm25s p50 / p99 | ratio p50 | real questions @1 |")
        print(f"| {built['passages']:,} | {built['build_s']:.0f} s | {served['load_s']:.2f} s | "
              f"{served['serve_rss_mb']:.0f} MB | {served['p50']:.1f} / {served['p95']:.1f} / {served['p99']:.1f} ms | "
              f"{served['u50']:.1f} / {served['u99']:.1f} ms | {peer['bm25s_p50']:.1f} / {peer['bm25s_p99']:.1f} ms | "
              f"{ratio:.2f}x | {at1}/10 |")
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
