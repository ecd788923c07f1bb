"""Candidates for the re-ranking fits' tests (tests/test_rerank.py, tests/test_trees.py)."""

import numpy as np


def two_signals_rows(questions: int = 90, seed: int = 5) -> list:
    """`rerank_fit` rows where the answer is the candidate in which two signals meet (1, 1) and each
    decoy has twice as much of one of them and none of the other (2, 0), (0, 2), beside three weak
    candidates; the six in a random order, the questions dealt into three sets."""
    rng = np.random.default_rng(seed)
    rows = []
    for g in range(questions):
        m = np.vstack([[[1.0, 1.0], [2.0, 0.0], [0.0, 2.0]], rng.random((3, 2)) * 0.5])
        order = rng.permutation(6)
        rows.append((g % 3, "paraphrase", m[order], (order == 0).astype(float)))
    return rows
