"""A forest of regression trees, as LightGBM fits them, scored with numpy alone.

The re-ranking (`retrieval/rerank.py`) orders the best paragraphs by a model over their signals.
`python -m officebot.retrieval.rerank_fit --trees` fits it with LightGBM's LambdaRank (gradient-
boosted trees that learn which candidate of a question answers it) and writes the trees here in a
compact JSON form (`rerank_trees.json`); the search reads only that file, so LightGBM is needed to
fit the model, never to use it.

Every tree is a binary tree of numerical splits ("go left when signal f <= threshold", LightGBM's
only kind for features without missing values); a candidate's score is the sum of the leaves it
reaches, one per tree. All the trees are walked at once, a level at a time, over every candidate:
a handful of numpy operations on (candidates x trees) arrays, whatever the number of trees.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FORMAT = "office-bot trees 1"


class Trees:
    """Nodes of every tree in flat arrays: `feature` (-1 at a leaf), `threshold`, `left` and
    `right` (indices into the same arrays), `value` (a leaf's output, 0 elsewhere); `roots` holds
    each tree's first node and `depth` the longest path from a root to a leaf."""

    def __init__(self, feature, threshold, left, right, value, roots, n_features: int):
        self.feature = np.asarray(feature, dtype=np.intp)
        self.threshold = np.asarray(threshold, dtype=float)
        self.left = np.asarray(left, dtype=np.intp)
        self.right = np.asarray(right, dtype=np.intp)
        self.value = np.asarray(value, dtype=float)
        self.roots = np.asarray(roots, dtype=np.intp)
        self.n_features = n_features
        n = len(self.feature)
        if not (len(self.threshold) == len(self.left) == len(self.right) == len(self.value) == n):
            raise ValueError("trees: node arrays of different lengths")
        internal = self.feature >= 0
        if n and (np.any(self.feature >= n_features) or np.any(self.roots >= n) or np.any(self.roots < 0)
                  or np.any(internal & ((self.left < 0) | (self.left >= n) | (self.right < 0) | (self.right >= n)))):
            raise ValueError("trees: a node points outside the model")
        self.depth = self._depth()
        # the walk's tables: at a leaf, signal 0 against +inf sends every row to the leaf itself
        leaf = ~internal
        self._feature = np.where(leaf, 0, self.feature)
        self._threshold = np.where(leaf, np.inf, self.threshold)
        self._child = np.stack([np.where(leaf, np.arange(n), self.left), np.where(leaf, np.arange(n), self.right)],
                               axis=1).ravel()

    def _depth(self) -> int:
        depth, level = 0, self.roots
        while len(level):
            level = level[self.feature[level] >= 0]
            if not len(level):
                break
            level = np.concatenate([self.left[level], self.right[level]])
            depth += 1
            if depth > len(self.feature):  # a cycle: no tree is that deep
                raise ValueError("trees: a node is its own descendant")
        return depth

    def score(self, matrix: np.ndarray) -> np.ndarray:
        """Each row's sum over the trees of the leaf it reaches."""
        x = np.asarray(matrix, dtype=float)
        if x.ndim != 2 or x.shape[1] != self.n_features:
            raise ValueError(f"trees: {x.shape} signals for a model of {self.n_features}")
        if not len(x) or not len(self.roots):
            return np.zeros(len(x))
        # one flat walk of (candidate, tree) pairs, candidate by candidate; `take` on 1-d arrays
        # is faster than fancy indexing on 2-d ones for the few candidates asked about
        n, trees = x.shape[0], len(self.roots)
        node = np.tile(self.roots, n)
        row = np.repeat(np.arange(n, dtype=np.intp) * self.n_features, trees)
        flat = np.ascontiguousarray(x).ravel()
        feature, threshold, child = self._feature, self._threshold, self._child
        for _ in range(self.depth):  # a leaf leads to itself: no mask of the nodes still inside
            right = flat.take(row + feature.take(node)) > threshold.take(node)
            node = child.take(2 * node + right)
        return self.value.take(node).reshape(n, trees).sum(axis=1)

    @classmethod
    def from_lightgbm(cls, dump: dict) -> Trees:
        """From LightGBM's `Booster.dump_model()`: numerical splits only."""
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []

        def add(node: dict) -> int:
            at = len(feature)
            feature.append(-1)
            threshold.append(0.0)
            left.append(-1)
            right.append(-1)
            value.append(0.0)
            if "leaf_value" in node:
                value[at] = float(node["leaf_value"])
                return at
            if node.get("decision_type", "<=") != "<=":
                raise ValueError(f"trees: split {node.get('decision_type')!r}: only numerical splits (<=) are read")
            feature[at] = int(node["split_feature"])
            threshold[at] = float(node["threshold"])
            left[at] = add(node["left_child"])
            right[at] = add(node["right_child"])
            return at

        roots = [add(tree["tree_structure"]) for tree in dump["tree_info"]]
        return cls(feature, threshold, left, right, value, roots, int(dump["max_feature_idx"]) + 1)

    def to_json(self) -> dict:
        return {"format": FORMAT, "features": self.n_features, "roots": self.roots.tolist(),
                "nodes": [[int(f), float(t), int(a), int(b), float(v)] for f, t, a, b, v in
                          zip(self.feature, self.threshold, self.left, self.right, self.value)]}

    @classmethod
    def from_json(cls, data: dict) -> Trees:
        if data.get("format") != FORMAT:
            raise ValueError(f"trees: not a model of this format ({FORMAT!r})")
        nodes = data["nodes"]
        columns = list(zip(*nodes)) if nodes else [[], [], [], [], []]
        return cls(*columns, data["roots"], int(data["features"]))

    @classmethod
    def read(cls, path: Path) -> Trees:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
