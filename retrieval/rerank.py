"""Re-rank the best paragraphs by how they answer the question, not only by how they score.

BM25 ranks a passage that has the question's words anywhere, and a long paragraph that touches a
bit of everything ("回顾上半年…") often outscores the one whose single sentence says what was asked.
The first stage (`KnowledgeBase._first_stage`) picks the RERANK_DEPTH best paragraphs; each gets a few
signals of answering (`FEATURES`): its score and its runs' shares, how much of the question its
best sentence and its best two sentences hold, whether its headings hold the question, the longest
stretch of the question it repeats, and so on. A linear model over them (`Settings.rerank_weights`)
orders the paragraphs, a pairwise logistic regression (RankNet's loss, linear) fitted by
`python -m officebot.retrieval.rerank_fit` on the project's question sets: the model learns what
answering looks like, not which passage answers which question (no signal names a passage, its
place or its length). Only the order changes: the scores the first stage gave stay with the ranks,
so outlines and everything after compare scores as before.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .answers import coverage_weight
from .text import bigrams, fold, strip_for_match
from .trees import Trees

if TYPE_CHECKING:
    from .search import KnowledgeBase

RERANK_DEPTH = 5  # paragraphs re-ranked (more when more are shown): ten did no better on the sets
# how much better by the model another part of a paragraph must score to be shown instead of the
# first stage's part (over the 120 sets, before `better_parts`' shape rule: 0 gained 11 staff's-wording
# questions at rank 1 and lost 3 direct and list ones, 0.5 gained 18 and lost none, 1.0 gained 4)
PART_MARGIN = 0.5

FEATURES = (
    "score / best score",
    "1 / rank",
    "word run, / its best",
    "bigram run, / its best",
    "section support",
    "share of the question's words (coord)",
    "coverage of the question's words",
    "longest verbatim stretch of the question (/12)",
    "coverage by the best sentence",
    "coverage by the best two sentences",
    "share of the question's words present",
    "the question's most specific word present",
    "share of the question's bigrams in the best sentence",
    "coverage by the headings",
    "has the shape of the answer asked for (a definition, the list, a slot filled in…)",
    "share of the phrases the question quotes that it has",
    "characters it has of the question's words it lacks",
)

_SHAPE = FEATURES.index("has the shape of the answer asked for (a definition, the list, a slot filled in…)")


@dataclass
class Runs:
    """What the first stage keeps of its runs for the re-ranking: the fused score right after the
    runs are mixed (`base`) and the bigram run's part of it (`grams`, scaled as fused), the word
    run's weight, the section scores before `Settings.section_weight`, and the coord pool's shares."""

    base: np.ndarray
    grams: np.ndarray
    word_weight: float
    sections: np.ndarray | None
    section_of: np.ndarray
    pool: np.ndarray
    share: np.ndarray
    shaped: list[np.ndarray]  # passages (indices, or a mask) given a bonus for the answer's shape


def features(
    kb: KnowledgeBase,
    content: list[tuple[str, list[str]]],
    fused: np.ndarray,
    candidates: Sequence[int],
    runs: Runs,
    shared: Sequence[int],
    quoted: Sequence[str] = (),
) -> np.ndarray:
    """`FEATURES` of each candidate (passage indices, best first); `shared` is the longest stretch
    of the question each repeats word for word, `quoted` the phrases the question quotes (in
    `strip_for_match` form)."""
    passages = kb.passages
    a = runs.word_weight
    spec = [(w, ex, kb.tokenizer.specificity(w)) for w, ex in content]
    total = sum(x for _, _, x in spec) or 1.0
    most = max(spec, key=lambda t: t[2])[0] if spec else ""
    asked = set(bigrams("".join(fold(w) for w, _ in content)))

    parts = [bigrams(fold(w)) if len(w) > 2 else [] for w, _, _ in spec]
    char_weight = functools.cache(kb._index.char_weight)  # each character looked up once a question
    chars = [[char_weight(c) for c in w] for w, _, _ in spec]  # each word's characters' weights

    def present(text: str) -> list[float]:
        """How much of each question word the text has: 1 for the word or a synonym; a compound
        ("信息报送") it has only in parts ("报送信息") by the share of its bigrams there."""
        out = [0.0] * len(spec)
        for j, (w, ex, _) in enumerate(spec):
            if w in text or any(e in text for e in ex):
                out[j] = 1.0
            elif parts[j]:
                out[j] = sum(g in text for g in parts[j]) / len(parts[j])
        return out

    def cover(has: Sequence[float]) -> float:
        return sum(x * h for (_, _, x), h in zip(spec, has)) / total

    weight = np.array([x for _, _, x in spec])
    counted = [coverage_weight(kb, w, ex) for w, ex, _ in spec]  # as `answers.passage_coverage` weighs
    counted_total = sum(counted) or 1.0

    first = float(fused[candidates[0]]) or 1.0
    at = np.searchsorted(runs.pool, candidates)
    hays = [kb._haystack(passages[i]) for i in candidates]
    # the candidates' sentences, all in one table: each string is looked for once
    lists = [kb._split(passages[i])[1] or [hay] for i, hay in zip(candidates, hays)]
    where = _Sentences([x for sentences in lists for x in sentences])
    bounds = list(itertools.accumulate(map(len, lists), initial=0))
    # how much of each question word each sentence of every candidate has: 1 for the word or a
    # synonym, else the share of the compound's bigrams there (each string looked for once)
    has_all = np.zeros((len(spec), bounds[-1]))
    for j, (w, ex, _) in enumerate(spec):
        whole = where.having((w, *ex))
        has_all[j, list(whole)] = 1.0
        for g in parts[j]:
            for at_ in where.having((g,)) - whole:
                has_all[j, at_] += 1 / len(parts[j])
    # how many of the question's bigrams each sentence holds, of those a haystack can have (its
    # letters and digits only: "1%" is not looked for)
    held = where.counts(g for g in asked if _searchable(g))
    headings: dict[str, float] = {}  # `cover` of each heading (candidates share sections)
    rows = []
    for r, i in enumerate(candidates):
        p, hay = passages[i], hays[r]
        lo, hi = bounds[r], bounds[r + 1]
        found = present(hay)
        live = [j for j, v in enumerate(found) if v]  # what a sentence may have: what the passage has
        has = has_all[live, lo:hi]  # rows: the words the passage has
        live_weight = weight[live] / total
        by_sentence = live_weight @ has
        # two sentences together: a word counts if either has it
        pairs = live_weight @ np.maximum(has[:, :-1], has[:, 1:]) if hi - lo > 1 else by_sentence
        slot = at[r]  # the candidate's place in the coord pool, if it is there
        share = float(runs.share[slot]) if slot < len(runs.pool) and runs.pool[slot] == i else 0.0
        grams = float(runs.grams[i])
        section = float(runs.sections[runs.section_of[i]]) if runs.sections is not None else 0.0
        # `answers.passage_coverage` from what was found: a two-character word found only as a
        # string must be one of the passage's words (it may straddle two)
        words = None
        coverage = 0.0
        for j in live:
            w, ex, _ = spec[j]
            if found[j] < 1:
                continue
            if not (len(w) != 2 and w in hay) and not any(e in hay for e in ex):
                words = words if words is not None else kb._passage_words(p)
                if w not in words:
                    continue
            coverage += counted[j]
        head = _heading(tuple(p.section))
        if head and head not in headings:
            headings[head] = cover(present(head))
        rows.append([
            float(fused[i]) / first,
            1 / (r + 1),
            (float(runs.base[i]) - grams) / a if a else 0.0,
            grams / (1 - a) if a < 1 else 0.0,
            section,
            share,
            coverage / counted_total,
            min(shared[r], 12) / 12,
            float(by_sentence.max()) if len(by_sentence) else 0.0,
            float(pairs.max()) if len(pairs) else 0.0,
            sum(found) / len(spec) if spec else 0.0,
            float(bool(most) and most in hay),
            max(held[lo:hi], default=0) / len(asked) if asked else 0.0,
            headings[head] if head else 0.0,
            float(any(s[i] if s.dtype == bool else i in s for s in runs.shaped)),
            sum(q in hay for q in quoted) / len(quoted) if quoted else 0.0,
            # staff's words often share characters, not words, with the speech's (开会通知 and 会议
            # 通知, 漏想 and 没有想到, 开口提 and 提醒): a word the passage lacks counts by the share of
            # its characters the passage has (a character by its idf in the passages: 为 of 称为 is
            # in most of them), the words weighed as `cover` weighs them
            sum(x * _share(w, hay, weights) for (w, _, x), weights, f in zip(spec, chars, found) if f < 1) / total,
        ])
    return np.array(rows, dtype=float)


def _share(word: str, text: str, weights: Sequence[float]) -> float:
    """The share of the word's characters the text has, each character weighed by `weights`."""
    total = sum(weights)
    return sum(x for c, x in zip(word, weights) if c in text) / total if total else 0.0


@functools.lru_cache(maxsize=8192)
def _searchable(gram: str) -> bool:
    """Whether a haystack (`strip_for_match` form) can hold the string: letters and digits only
    (the question's bigrams come up again and again)."""
    return strip_for_match(gram) == gram


@functools.lru_cache(maxsize=4096)
def _heading(section: tuple[str, ...]) -> str:
    """A passage's headings, folded (the same few sections come up again and again)."""
    return fold("".join(section))


class _Sentences:
    """Which sentences hold a string: its occurrences in the sentences joined, each within one
    sentence (a stretch across two is no sentence's), found once per string."""

    def __init__(self, sentences: Sequence[str]):
        self.text = "".join(sentences)
        self.starts = list(itertools.accumulate((len(x) for x in sentences[:-1]), initial=0))
        self.ends = [a + len(x) for a, x in zip(self.starts, sentences)]
        self.found: dict[str, list[int]] = {}

    def _of(self, key: str) -> list[int]:
        out = self.found.get(key)
        if out is None:
            out = []
            k = self.text.find(key) if key else -1
            while k >= 0:
                s = bisect.bisect_right(self.starts, k) - 1
                if k + len(key) <= self.ends[s] and (not out or out[-1] != s):
                    out.append(s)
                k = self.text.find(key, k + 1)
            self.found[key] = out
        return out

    def having(self, keys: Sequence[str]) -> set[int]:
        """The sentences that hold any of `keys`."""
        out: set[int] = set()
        for key in keys:
            out.update(self._of(key))
        return out

    def counts(self, keys: Iterable[str]) -> list[int]:
        """How many of `keys` each sentence holds."""
        count = [0] * len(self.starts)
        for key in keys:
            for s in self._of(key):  # each sentence once
                count[s] += 1
        return count


# the model's inputs: the features and every product of two of them (each with itself too), as the
# abstention model's (`answers.model_inputs`): a signal counts for more or less by another ("the
# best sentence's coverage" says more when the question's rare word is there)
N_INPUTS = len(FEATURES) * (len(FEATURES) + 3) // 2


def model_inputs(matrix: np.ndarray) -> np.ndarray:
    """Each row's features, then the products of each feature with itself and every later one."""
    first, second = _pairs(matrix.shape[1])
    return np.hstack([matrix, matrix[:, first] * matrix[:, second]])


@functools.cache
def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) for i <= j < n, in the order of i then j (numpy's upper triangle, row by row)."""
    return np.triu_indices(n)


# a model: weights over the features alone or over `model_inputs`, or a function of the features
# (the trees' `score`)
Model = Sequence[float] | Callable[[np.ndarray], np.ndarray]

# the model in use (`Settings.rerank_trees`): LambdaRank's gradient-boosted trees over FEATURES,
# fitted by `python -m officebot.retrieval.rerank_fit --trees --write` (retrieval/trees.py)
TREES_FILE = Path(__file__).with_name("rerank_trees.json")


@functools.cache
def shipped_trees() -> Trees | None:
    """The trees of TREES_FILE, or None if it cannot be read or is for other signals (a broken
    install, or FEATURES changed since the fit): the weights then order the paragraphs."""
    try:
        trees = Trees.read(TREES_FILE)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    return trees if trees.n_features == len(FEATURES) else None


# the trees' score is blended with this share of the weights' (the products model): trees are
# steps, and on a library unlike the question sets (the 100k benchmark's recombined passages) they
# put a copy that the real paragraph beats on every signal first, by a hair, in 2 of its 10 real
# questions; the weights' smooth score breaks such near ties. On the rounds after 112 and after 130
# (fitted on the rounds before), the blend keeps most of the trees' gain over the products alone:
# staff's words at rank 1 3,317 and 1,804, against 3,335 and 1,811 (trees), 3,250 and 1,776
# (products), counted as `rerank_fit` counts; docs/retrieval.md, stop 37, has `office-bot eval`'s.
# The depth-7 trees of stop 41 need the whole of it (at 0.5 one of the ten real questions at 100k
# falls to rank 2 by such a tie); they keep most of their gain over depth 3 with it: staff's words
# at rank 1 on rounds 113-139, 140-159 and 160-171, each fitted on the rounds before, 2,373, 1,981
# and 1,230 against 2,334, 1,922 and 1,199 (2,385, 2,011 and 1,250 at 0.5)
WEIGHTS_SHARE = 1.0


def model_for(weights: Sequence[float], trees: bool) -> Model | None:
    """The model that orders the paragraphs: the shipped trees (if asked for and readable) blended
    with WEIGHTS_SHARE of the weights' score, else the weights; None (the first stage's order)
    without weights."""
    if not weights:
        return None
    found = shipped_trees() if trees else None
    if found is None:
        return weights
    return functools.partial(_blend, found, np.asarray(weights, dtype=float))


def _blend(trees: Trees, weights: Sequence[float], matrix: np.ndarray) -> np.ndarray:
    return trees.score(matrix) + WEIGHTS_SHARE * model_scores(matrix, weights)


def model_scores(matrix: np.ndarray, model: Model) -> np.ndarray:
    """The model's score of each row: a function of the features (the trees), or weights over the
    features alone (one weight a feature) or over `model_inputs` (N_INPUTS weights)."""
    if callable(model):
        return np.asarray(model(matrix), dtype=float)
    w = np.asarray(model, dtype=float)
    return (matrix if len(w) == matrix.shape[1] else model_inputs(matrix)) @ w


def better_parts(matrix: np.ndarray, weights: Model, n: int, slots: Sequence[int],
                 explains: Callable[[int], bool] | None = None) -> dict[int, int]:
    """Which of the first `n` rows (paragraphs, by the part the first stage chose) another part of
    the same paragraph should stand for: {paragraph row: other part's position among the rows
    after `n`}. `slots` gives each of those rows' paragraph row. A part replaces the chosen one only
    if the model scores it PART_MARGIN higher (a part that scores about the same is no better an
    answer, and the first stage's choice holds more of the question's words), and never if the
    chosen one has the shape of the answer asked for and it has not: the words of "队伍青黄不接，原因
    有哪两方面" are in the part that names the problem, the two sides in the part after it. Nor if
    the chosen one explains the question's key term and it does not (`explains`: row -> whether
    that row's passage does, `opens_on`; asked only of a part that would replace another):
    "遇事能办要达到什么程度" is answered by "遇事能办，这就要求大家…", not by the part that only
    names it among four ("…问策能对、遇事能办。")."""
    score = model_scores(matrix, weights)
    shaped = matrix[:, _SHAPE]
    out: dict[int, int] = {}
    for j, r in enumerate(slots):
        held = n + out[r] if r in out else r
        if (score[n + j] > score[held] + PART_MARGIN and shaped[n + j] >= shaped[held]
                and not (explains is not None and explains(held) and not explains(n + j))):
            out[r] = j
    return out


def opens_on(text: str, term: str) -> bool:
    """Whether a sentence of `text` opens with `term` and goes on to say what it is or asks
    ("遇事能办，这就要求…", "开口能讲，就是…", "提笔能写：…"): the passage explains the term."""
    return bool(term) and re.search(rf"(?:^|[。！？；!?;\n]){re.escape(term)}[，,：:]", text) is not None


def order(matrix: np.ndarray, weights: Model) -> list[int]:
    """The candidates' positions, best first by the model (ties: the first stage's order)."""
    score = model_scores(matrix, weights)
    return sorted(range(len(score)), key=lambda j: (-score[j], j))
