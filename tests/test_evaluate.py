"""Question sets: kinds, list questions, near/off-topic unanswerable questions, and the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from officebot.retrieval.evaluate import Outcome, Question, Report, contains_answer, evaluate, load_questions
from officebot.retrieval.knowledge import KnowledgeError

from officebot.cli import main

HERE = Path(__file__).resolve().parent

SET = """\
- q: 信息报送时限是多少
  kind: direct
  answer: 半小时内电话报告
- q: 服从什么
  kind: list
  answer: [服从规则, 服从大局, 服从上级]
- q: 单位公章由谁保管
  kind: unanswerable
  near: true
- q: 火星上有没有外星人
  kind: unanswerable
  near: false
- q: 明天股市涨不涨
  kind: unanswerable
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "set.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_list_kind_and_near_flag_load(tmp_path):
    questions = load_questions(write(tmp_path, SET))
    assert [q.kind for q in questions] == ["direct", "list", "unanswerable", "unanswerable", "unanswerable"]
    assert questions[1].answer == ("服从规则", "服从大局", "服从上级")
    assert [q.near for q in questions] == [None, None, True, False, None]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("- q: 服从什么\n  kind: list\n", "answer"),
        ("- q: 信息报送时限\n  answer: 半小时\n  near: true\n", "near"),
        ("- q: 公章\n  kind: unanswerable\n  near: 是\n", "near"),
        ("- q: 公章\n  kind: lists\n", "kind"),
    ],
)
def test_malformed_items_name_the_file_and_line(tmp_path, item, message):
    path = write(tmp_path, "- q: 信息报送时限是多少\n  answer: 半小时\n" + item)
    with pytest.raises(KnowledgeError) as caught:
        load_questions(path)
    assert message in str(caught.value) and "set.yaml" in str(caught.value) and ":3" in str(caught.value)


def test_every_existing_set_still_loads():
    for path in sorted(HERE.glob("questions*.yaml")):
        assert load_questions(path), path


def test_a_list_question_needs_every_item_in_one_passage():
    items = ("服从规则", "服从大局", "服从上级")
    assert contains_answer("服从什么？服从规则、服从大局、服从上级。", items, every=True)
    assert not contains_answer("服从就是顺服、遵照，服从上级的安排。", items, every=True)
    assert contains_answer("服从就是顺服、遵照，服从上级的安排。", items)  # any one, for other kinds


def outcome(kind: str, answered: bool, rank: int | None, near: bool | None = None) -> Outcome:
    return Outcome(Question("问", kind, ("答",) if kind != "unanswerable" else (), None, near), answered, rank)


def test_report_gives_list_hits_and_near_and_off_topic_abstention_apart():
    report = Report([
        outcome("list", True, 1), outcome("list", True, 3), outcome("list", True, None), outcome("list", False, 2),
        outcome("direct", True, 1),
        outcome("unanswerable", False, None, near=True), outcome("unanswerable", True, None, near=True),
        outcome("unanswerable", False, None, near=False),
        outcome("unanswerable", True, None),
    ])
    s = report.summary()
    assert s["list_n"] == 4 and s["list_hit@1"] == 0.25 and s["list_hit@3"] == 0.75
    assert s["unanswerable_n"] == 4 and s["abstention"] == 0.5
    assert s["unanswerable_near_n"] == 2 and s["abstention_near"] == 0.5
    assert s["unanswerable_off_n"] == 1 and s["abstention_off"] == 1.0
    assert s["false_abstention"] == 0.2  # one of the five answerable questions declined
    assert "paraphrase_n" not in s


def test_sets_without_the_new_fields_report_as_before():
    s = Report([outcome("direct", True, 1), outcome("unanswerable", False, None)]).summary()
    assert "abstention_near" not in s and "abstention_off" not in s and "list_n" not in s
    assert s["abstention"] == 1.0


def test_evaluate_on_the_knowledge_base(kb, tmp_path):
    report = evaluate(kb, load_questions(write(tmp_path, SET)), k=5)
    by_q = {o.question.q: o for o in report.outcomes}
    assert by_q["信息报送时限是多少"].rank == 1
    assert by_q["火星上有没有外星人"].answered is False


def test_eval_command_prints_list_and_near_figures(tmp_path, capsys):
    assert main(["eval", str(write(tmp_path, SET)), "-v"]) == 0
    out = capsys.readouterr().out
    for key in ("list_hit@1", "list_hit@3", "abstention_near", "abstention_off", "unanswerable_near_n"):
        assert key in out
