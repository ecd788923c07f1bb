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
        "direct_hit@1": 0.93, "direct_hit@3": 0.98, "paraphrase_hit@1": 0.80, "paraphrase_hit@3": 0.92,
        "abstention": 0.85, "false_abstention_max": 0.03,
    },
    # written independently of the synonyms file; looked at only to measure
    "questions_validation.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.98, "paraphrase_hit@1": 0.80, "paraphrase_hit@3": 0.88,
        "abstention": 0.8, "false_abstention_max": 0.03,
    },
    # written blind for reporting (README gives their first figures); here floors against regressions
    "questions_test.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.98, "paraphrase_hit@1": 0.85, "paraphrase_hit@3": 0.92,
        "abstention": 0.75, "false_abstention_max": 0.03,
    },
    "questions_final.yaml": {
        "direct_hit@1": 0.9, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.6, "paraphrase_hit@3": 0.85,
        "abstention": 0.7, "false_abstention_max": 0.09,
    },
    "questions_round4a.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.98, "paraphrase_hit@1": 0.75, "paraphrase_hit@3": 0.9,
        "abstention": 0.7, "false_abstention_max": 0.15,
    },
    "questions_round4b.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.98, "paraphrase_hit@1": 0.78, "paraphrase_hit@3": 0.9,
        "abstention": 0.5, "false_abstention_max": 0.03,
    },
    "questions_round5.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.95, "paraphrase_hit@1": 0.72, "paraphrase_hit@3": 0.8,
        "abstention": 0.7, "false_abstention_max": 0.08,
    },
    "questions_round6.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.68, "paraphrase_hit@3": 0.8,
        "abstention": 0.7, "false_abstention_max": 0.03,
    },
    "questions_round7.yaml": {
        "direct_hit@1": 0.93, "direct_hit@3": 0.97, "paraphrase_hit@1": 0.78, "paraphrase_hit@3": 0.93,
        "abstention": 0.7, "false_abstention_max": 0.04,
    },
    "questions_blind.yaml": {
        "direct_hit@1": 0.95, "direct_hit@3": 0.98, "paraphrase_hit@1": 0.85, "paraphrase_hit@3": 0.92,
        "abstention": 0.75, "false_abstention_max": 0.04,
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
