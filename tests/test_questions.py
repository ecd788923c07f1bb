"""Retrieval quality on the project's own question sets, with floor values.

The floors sit a little under what the system measures today (`office-bot eval` prints the
figures), so that a change that makes retrieval worse fails here.
"""

from pathlib import Path

import pytest

from retrieval import KnowledgeBase
from retrieval.evaluate import evaluate, load_questions

HERE = Path(__file__).resolve().parent

FLOORS = {
    "questions.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.98, "paraphrase_hit@1": 0.78, "paraphrase_hit@3": 0.90,
        "abstention": 0.85, "false_abstention_max": 0.02,
    },
    # written independently of the synonyms file; looked at only to measure
    "questions_validation.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.98, "paraphrase_hit@1": 0.75, "paraphrase_hit@3": 0.85,
        "abstention": 0.75, "false_abstention_max": 0.07,
    },
    # written blind, at the end, for reporting; its floors only guard against regressions
    "questions_test.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.98, "paraphrase_hit@1": 0.65, "paraphrase_hit@3": 0.75,
        "abstention": 0.5, "false_abstention_max": 0.06,
    },
}


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_question_set_meets_its_floors(kb, name):
    questions = load_questions(HERE / name)
    summary = evaluate(kb, questions, k=5).summary()
    floors = dict(FLOORS[name])
    assert summary["false_abstention"] <= floors.pop("false_abstention_max"), summary
    for key, floor in floors.items():
        assert summary[key] >= floor, (key, summary)


def test_question_set_is_big_and_varied():
    questions = load_questions(HERE / "questions.yaml")
    kinds = [q.kind for q in questions]
    assert len(questions) >= 80
    assert kinds.count("unanswerable") >= 10
    assert kinds.count("paraphrase") >= 30 and kinds.count("direct") >= 30


def test_every_top_hit_is_attributed(kb):
    for q in load_questions(HERE / "questions.yaml"):
        for hit in kb.search(q.q, k=5).hits:
            assert hit.passage.title and hit.passage.doc_id and hit.passage.paragraph >= 1
            assert len(hit.passage.text) <= 600
