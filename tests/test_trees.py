"""The re-ranking's boosted trees: read with numpy as LightGBM predicts, shipped, and fitted."""

import json

import lightgbm
import numpy as np
import pytest
from officebot.retrieval import KnowledgeBase, rerank, rerank_fit
from officebot.retrieval.search import Settings
from officebot.retrieval.trees import Trees
from rankrows import two_signals_rows


def _booster(seed: int = 0, depth: int = 4, rounds: int = 40):
    rng = np.random.default_rng(seed)
    x = rng.random((600, 5))
    y = ((x[:, 0] > 0.5) & (x[:, 3] < 0.3)).astype(float) + 0.1 * rng.random(600)
    params = {"objective": "regression", "num_leaves": 2**depth, "max_depth": depth, "learning_rate": 0.2,
              "min_data_in_leaf": 5, "verbose": -1, "seed": 1, "deterministic": True, "num_threads": 1}
    return lightgbm.train(params, lightgbm.Dataset(x, y), num_boost_round=rounds), rng


def test_trees_score_as_lightgbm_predicts(tmp_path):
    booster, rng = _booster()
    trees = Trees.from_lightgbm(booster.dump_model())
    x = rng.random((200, 5))
    x[:10, 0] = 0.5  # rows on a split's value as well
    assert np.allclose(trees.score(x), booster.predict(x), rtol=0, atol=1e-9)
    assert trees.depth <= 4 and len(trees.roots) == 40
    path = tmp_path / "trees.json"
    trees.write(path)
    again = Trees.read(path)
    assert np.array_equal(again.score(x), trees.score(x))
    assert trees.score(np.zeros((0, 5))).shape == (0,)


def test_a_broken_model_is_refused():
    booster, _ = _booster(rounds=3)
    data = Trees.from_lightgbm(booster.dump_model()).to_json()
    with pytest.raises(ValueError):
        Trees.from_json({**data, "format": "something else"})
    bad = json.loads(json.dumps(data))
    internal = next(node for node in bad["nodes"] if node[0] >= 0)
    internal[2] = len(bad["nodes"]) + 5  # a child outside the model
    with pytest.raises(ValueError, match="outside"):
        Trees.from_json(bad)
    loop = json.loads(json.dumps(data))
    first = loop["roots"][0]
    loop["nodes"][first][2] = first  # a node that is its own child
    with pytest.raises(ValueError, match="descendant"):
        Trees.from_json(loop)
    with pytest.raises(ValueError, match="signals"):
        Trees.from_json(data).score(np.zeros((2, 3)))


def test_the_shipped_trees_order_the_paragraphs(tmp_path, monkeypatch):
    trees = rerank.shipped_trees()
    assert trees is not None and trees.n_features == len(rerank.FEATURES) and len(trees.roots)
    kb = KnowledgeBase.load(cache_dir=tmp_path / "cache")
    m = np.random.default_rng(2).random((6, len(rerank.FEATURES)))
    blended = trees.score(m) + rerank.WEIGHTS_SHARE * rerank.model_scores(m, Settings().rerank_weights)
    assert np.allclose(rerank.model_scores(m, kb._reranker), blended)
    assert not np.allclose(blended, trees.score(m))
    assert KnowledgeBase.load(cache_dir=tmp_path / "cache", settings=Settings(rerank_trees=False))._reranker == \
        Settings().rerank_weights
    assert rerank.model_for((), True) is None  # no re-ranking at all
    # a broken install (the file unreadable, or fitted on other signals): the weights order them
    broken = tmp_path / "rerank_trees.json"
    broken.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(rerank, "TREES_FILE", broken)
    rerank.shipped_trees.cache_clear()
    try:
        assert rerank.model_for((1.0,) * len(rerank.FEATURES), True) == (1.0,) * len(rerank.FEATURES)
        other = Trees([-1], [0.0], [-1], [-1], [0.5], [0], len(rerank.FEATURES) + 1)
        other.write(broken)
        rerank.shipped_trees.cache_clear()
        assert rerank.shipped_trees() is None
    finally:
        rerank.shipped_trees.cache_clear()


def test_fit_trees_learns_what_answers_when_two_signals_meet():
    """As the products test (tests/test_rerank.py): the answer is where two signals meet, each decoy
    has twice as much of one of them; the trees put the answer first."""
    rows = two_signals_rows()
    trees = rerank_fit.fit_trees(rows, rounds=30)
    n, _, after = rerank_fit.hits_at_one(rows, trees.score)["paraphrase"]
    assert n == 90 and after == 90
    empty = rerank_fit.fit_trees([])
    assert empty.score(np.zeros((2, len(rerank.FEATURES)))).tolist() == [0.0, 0.0]
