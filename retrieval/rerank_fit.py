"""Fit the re-ranking model (retrieval/rerank.py): which of the best paragraphs answers?

    python -m officebot.retrieval.rerank_fit [--trees [--write]] [--l2 1e-6] [--linear] [--folds 10] [SET.yaml ...]

Reads question sets (default: every tests/questions*.yaml), takes for each answerable question the
paragraphs the re-ranking orders and their `rerank.FEATURES` (searched without re-ranking), and
which of them hold the answer (as `office-bot eval` judges a hit); fits a pairwise logistic
regression over them and their products (`rerank.model_inputs`; over the features alone with
`--linear`) and prints hit@1 before and after re-ranking, each set judged by a model
fitted on the sets of the other folds (the sets dealt into `--folds` folds in turn; as many folds
as sets leave one set out), then the weights fitted on all. Copy the printed weights
into `Settings.rerank_weights` (retrieval/search.py) when they should change. With `--trees` the
model is LambdaRank's boosted trees (LightGBM, `pip install -e ".[fit]"`), the one the search uses
(`Settings.rerank_trees`, which blends them with the weights: `rerank.WEIGHTS_SHARE`; the folds
judge the trees alone); `--write` writes them to retrieval/rerank_trees.json. Nothing else is
written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from .calibrate import ROOT
from .calibrate import fit as logistic_fit
from .evaluate import contains_answer, load_questions
from .rerank import FEATURES, N_INPUTS, TREES_FILE, model_inputs, order
from .search import KnowledgeBase, Settings
from .trees import Trees


def collect(kb: KnowledgeBase, paths: list[Path]) -> list[tuple[int, str, np.ndarray, np.ndarray]]:
    """For every answerable question of the sets: its set, kind, the candidates' features and
    whether each holds the answer (as `office-bot eval` judges a hit)."""
    out = []
    for g, path in enumerate(paths):
        for q in load_questions(path):
            if q.kind == "unanswerable":
                continue
            found = kb.rerank_candidates(q.q)
            if found is None:
                continue
            passages, matrix = found
            labels = np.array([contains_answer(p.text, q.answer, q.kind == "list") for p in passages], dtype=float)
            out.append((g, q.kind, matrix, labels))
    return out


def fit(rows: list[tuple[int, str, np.ndarray, np.ndarray]], l2: float = 1e-6, products: bool = True) -> np.ndarray:
    """Weights of a pairwise logistic regression: for every question, each candidate that holds the
    answer against each that does not. The differences (label 1) and their mirrors (label 0) go to
    `calibrate.fit`, the abstention model's L2 logistic regression; by symmetry its bias is 0.
    `products`: over `rerank.model_inputs` (the features and their products), else the features."""
    diffs = []
    for _, _, matrix, labels in rows:
        pos, neg = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
        if products:
            matrix = model_inputs(matrix)
        if len(pos) and len(neg):
            diffs.append((matrix[pos][:, None, :] - matrix[neg][None, :, :]).reshape(-1, matrix.shape[1]))
    if not diffs:
        return np.zeros(N_INPUTS if products else len(FEATURES))
    x = np.vstack(diffs)  # the answer minus a non-answer
    return logistic_fit(np.vstack([x, -x]), np.r_[np.ones(len(x)), np.zeros(len(x))], l2)[:-1]


# LambdaRank's boosted trees (LightGBM), 300 of them. Fitted on the rounds up to 112 and 130
# (stop 37), depth 3 put as many staff's-wording questions at rank 1 as any deeper form tried; with
# the sets since, deeper trees gain, judged on rounds 113-139, 140-159 and 160-171 each fitted on
# the rounds before (stop 41: depth 7, 128 leaves, blended as shipped, staff's words at rank 1 +1.2,
# +2.2 and +1.9 points over depth 3; docs/retrieval.md). A depth-7 tree is read in seven steps
# (retrieval/trees.py)
TREE_PARAMS = {
    "objective": "lambdarank", "num_leaves": 128, "max_depth": 7, "learning_rate": 0.1, "min_data_in_leaf": 50,
    "bagging_fraction": 0.8, "bagging_freq": 1, "feature_fraction": 0.8, "lambdarank_truncation_level": 5,
    "verbose": -1, "seed": 1, "deterministic": True, "num_threads": 1,
}
TREE_ROUNDS = 300


def fit_trees(rows: list[tuple[int, str, np.ndarray, np.ndarray]], rounds: int = TREE_ROUNDS) -> Trees:
    """LambdaRank's gradient-boosted trees over the candidates' features, each question a group
    (those with no candidate holding the answer teach nothing and are left out). Needs LightGBM
    (`pip install -e ".[fit]"`); the trees are then read without it (`trees.Trees`)."""
    import lightgbm  # only to fit

    rows = [r for r in rows if r[3].sum() > 0]
    if not rows:
        return Trees([], [], [], [], [], [], len(FEATURES))
    x = np.vstack([matrix for _, _, matrix, _ in rows])
    y = np.concatenate([labels for _, _, _, labels in rows])
    data = lightgbm.Dataset(x, y, group=[len(labels) for _, _, _, labels in rows])
    return Trees.from_lightgbm(lightgbm.train(TREE_PARAMS, data, num_boost_round=rounds).dump_model())


def hits_at_one(rows, weights) -> dict[str, tuple[int, int, int]]:
    """Per kind: questions, answered at rank 1 by the first stage, and after re-ranking."""
    out: dict[str, list[int]] = {}
    for _, kind, matrix, labels in rows:
        n = out.setdefault(kind, [0, 0, 0])
        n[0] += 1
        n[1] += int(labels[0])
        n[2] += int(labels[order(matrix, weights)[0]])
    return {k: (a, b, c) for k, (a, b, c) in out.items()}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Fit the re-ranking model on question sets (nothing is written).")
    ap.add_argument("sets", nargs="*", type=Path)
    ap.add_argument("--l2", type=float, default=1e-6)
    ap.add_argument("--linear", action="store_true", help="over the features alone, not their products too")
    ap.add_argument("--folds", type=int, default=10, help="sets judged by a model fitted on the other folds")
    ap.add_argument("--trees", action="store_true", help="LambdaRank's boosted trees (LightGBM), not weights")
    ap.add_argument("--write", action="store_true", help=f"with --trees: write the trees fitted on all to {TREES_FILE.name}")
    args = ap.parse_args(argv)
    paths = args.sets or sorted((ROOT / "tests").glob("questions*.yaml"))
    kb = KnowledgeBase.load(cache_dir=None, settings=Settings(rerank_weights=()))
    rows = collect(kb, paths)
    held: dict[str, list[int]] = {}
    folds = max(2, min(args.folds, len(paths)))
    for f in range(folds):  # the sets dealt into folds in turn; each fold judged by a fit on the others
        train = [r for r in rows if r[0] % folds != f]
        w = fit_trees(train).score if args.trees else fit(train, args.l2, not args.linear)
        for kind, (n, a, b) in hits_at_one([r for r in rows if r[0] % folds == f], w).items():
            t = held.setdefault(kind, [0, 0, 0])
            t[0] += n
            t[1] += a
            t[2] += b
    for kind, (n, a, b) in sorted(held.items()):
        print(f"{kind:12s} {n:5d} questions  hit@1 {a / n:.4f} -> {b / n:.4f} ({folds}-fold by set)")
    if args.trees:
        trees = fit_trees(rows)
        if args.write:
            trees.write(TREES_FILE)
            print(f"{len(trees.roots)} trees written to {TREES_FILE}")
        return
    w = fit(rows, args.l2, not args.linear)
    print("rerank_weights = (" + ", ".join(f"{x:.3f}" for x in w) + ")")


if __name__ == "__main__":
    main()
