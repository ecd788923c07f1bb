"""Quizzes: properties over every tip and several seeds, distractor rules, determinism, CLI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from officebot.retrieval.knowledge import load_manifest, read_speech_lines

from officebot.cli import build_parser, main
from officebot.training.quiz import (
    BLANK,
    MAX_EXPLANATION,
    MAX_OPTION,
    MAX_QUESTION,
    Quiz,
    QuizError,
    make_quiz,
    make_quizzes,
    tg_len,
)
from officebot.training.tips import Tip, load_tips, parse_number, squash

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
SEEDS = [0, 1, 7, 2024, "群组-42"]


@lru_cache(maxsize=1)
def all_tips() -> tuple[Tip, ...]:
    return tuple(load_tips(KNOWLEDGE))


@lru_cache(maxsize=1)
def speeches() -> dict[str, tuple[str, str]]:
    """doc id -> (title, whole text without whitespace)."""
    return {s.id: (s.title, squash("".join(read_speech_lines(KNOWLEDGE, s)))) for s in load_manifest(KNOWLEDGE)}


def check_quiz(quiz: Quiz, tip: Tip) -> None:
    """Everything a quiz must be, checked against the speeches rather than the generator's logic."""
    title, speech = speeches()[tip.doc_id]
    assert quiz.tip_id == tip.id
    # Four distinct options, exactly one of them the tip's answer.
    assert len(quiz.options) == 4
    assert len({squash(o) for o in quiz.options}) == 4
    assert quiz.options[quiz.correct] == tip.answer
    assert [o for o in quiz.options if o == tip.answer] == [tip.answer]
    # Telegram's limits.
    assert 1 <= tg_len(quiz.question) <= MAX_QUESTION
    assert all(1 <= tg_len(o) <= MAX_OPTION for o in quiz.options)
    assert 1 <= tg_len(quiz.explanation) <= MAX_EXPLANATION
    # No wrong option is also right, and none is given away by the question.
    wrong = [o for i, o in enumerate(quiz.options) if i != quiz.correct]
    if tip.asks_for_saying:
        assert "哪句话" in quiz.question
        section_text = squash(tip.source_text)
        assert all(squash(o) not in section_text for o in wrong)
    else:
        assert BLANK in quiz.question
        assert tip.text.replace(tip.answer, BLANK, 1) in quiz.question
        assert all(squash(tip.text.replace(tip.answer, o, 1)) not in speech for o in wrong)
        assert all(o not in quiz.question for o in wrong if len(o) > 1)
        if len(tip.answer) > 1:
            assert tip.answer not in quiz.question
    for option in wrong:
        if parse_number(option) and parse_number(tip.answer):  # 0.1% and 1%: different values
            assert parse_number(option)[:2] != parse_number(tip.answer)[:2]
        else:
            assert tip.answer not in option and option not in tip.answer
    # The explanation names a real speech and its section and quotes the speech verbatim.
    assert f"《{title}》" in quiz.explanation
    assert (tip.section and tip.section[-1] in quiz.explanation) or f"第{tip.paragraph}段" in quiz.explanation
    quote = re.search(r"「(.+)」$", quiz.explanation)
    assert quote and squash(quote.group(1).rstrip("…")) in speech
    assert tip.asks_for_saying or f"答案：{tip.answer}" in quiz.explanation


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("tip", all_tips(), ids=lambda t: t.id)
def test_every_tip_makes_a_proper_quiz(tip: Tip, seed: int | str) -> None:
    quiz = make_quiz(tip, all_tips(), seed)
    check_quiz(quiz, tip)
    assert make_quiz(tip, all_tips(), seed) == quiz


@settings(max_examples=150, deadline=None)
@given(index=st.integers(min_value=0), seed=st.integers() | st.text(max_size=12))
def test_quizzes_are_proper_for_any_seed(index: int, seed: int | str) -> None:
    tip = all_tips()[index % len(all_tips())]
    check_quiz(make_quiz(tip, all_tips(), seed), tip)


def test_seeds_vary_the_order_of_options() -> None:
    tip = next(t for t in all_tips() if t.id == "d-info-fast")
    quizzes = [make_quiz(tip, all_tips(), seed) for seed in range(20)]
    assert len({q.correct for q in quizzes}) > 1
    assert len({q.options for q in quizzes}) > 1


def test_the_rules_with_numbers_ask_about_the_numbers() -> None:
    tip = next(t for t in all_tips() if t.id == "d-info-half-hour")
    quiz = make_quiz(tip, all_tips(), 3)
    assert set(quiz.options) == {"半小时", "一小时", "两小时", "24小时"}
    assert "＿＿内电话报告" in quiz.question


def make_tip(**fields: object) -> Tip:
    values = {
        "id": "t", "kind": "enumeration", "text": "开口能讲、提笔能写、问策能对、遇事能办", "doc_id": "d",
        "title": "测试讲话", "paragraph": 1, "section": ("一、测试",), "answer": "问策能对",
        "source_text": "即：开口能讲、提笔能写、问策能对、遇事能办。",
    } | fields
    return Tip(**values)


def test_items_already_in_the_question_are_never_distractors() -> None:
    tip = make_tip(distractors=("开口能讲", "提笔能写", "遇事能办", "能言善辩", "言简意赅", "出口成章"))
    for seed in range(10):
        quiz = make_quiz(tip, [tip], seed)
        assert sorted(quiz.options) == sorted(["问策能对", "能言善辩", "言简意赅", "出口成章"])


def test_a_distractor_that_makes_the_quote_true_is_refused() -> None:
    tip = make_tip(
        kind="number", text="一小时内书面报告", answer="一小时",
        source_text="一小时内书面报告。特殊情况两小时内书面报告。",
        distractors=("两小时", "三小时", "四小时", "五小时"),
    )
    for seed in range(10):
        assert "两小时" not in make_quiz(tip, [tip], seed).options


def test_numbers_are_told_apart_by_value_not_by_digits() -> None:
    tip = make_tip(kind="number", text="保持24小时通信畅通", answer="24小时", distractors=("8小时", "12小时", "48小时"))
    assert sorted(make_quiz(tip, [tip], 0).options) == sorted(["8小时", "12小时", "24小时", "48小时"])


def test_number_tips_without_distractors_get_neighbours() -> None:
    tip = make_tip(kind="number", text="纪律有六大类", answer="六大类", distractors=())
    quiz = make_quiz(tip, [tip], 0)
    assert all(o.endswith("大类") for o in quiz.options)


@pytest.mark.parametrize(
    ("tip_id", "same_section", "heading"),
    [
        ("d-logistics-saying", "兵马未动，粮草先行", "七是后勤保障要“优”"),
        # quoted in paragraph 12 while the tip cites paragraph 13: still the same section
        ("d-coord-people", "刀过竹解确保顺利推进", "一是综合协调要“好”"),
    ],
)
def test_a_sayings_quiz_never_offers_another_saying_of_the_same_section(
    tip_id: str, same_section: str, heading: str
) -> None:
    tip = next(t for t in all_tips() if t.id == tip_id)
    crowded = replace(tip, distractors=(same_section, *tip.distractors))
    for seed in range(10):
        quiz = make_quiz(crowded, all_tips(), seed)
        assert same_section not in quiz.options
        assert quiz.question.endswith(f"【{heading}】部分引用了下面哪句话？")


def test_a_tip_without_usable_distractors_is_an_error_naming_it() -> None:
    tip = make_tip(distractors=("开口能讲",), line=12)
    with pytest.raises(QuizError, match=r"t（tips.yaml 第 12 行）"):
        make_quiz(tip, [tip], 0)


def test_the_question_never_names_the_section_that_gives_the_answer_away() -> None:
    tip = next(t for t in all_tips() if t.id == "d-info-fast")
    quiz = make_quiz(tip, all_tips(), 0)
    assert "【第二，全力围绕中心服务大局】" in quiz.question
    assert "“快”" not in quiz.question


def test_make_quizzes_covers_distinct_tips_deterministically() -> None:
    tips = all_tips()
    quizzes = make_quizzes(tips, 30, seed=1)
    assert len(quizzes) == 30
    assert len({q.tip_id for q in quizzes}) == 30
    assert make_quizzes(tips, 30, seed=1) == quizzes
    assert make_quizzes(tips, 30, seed=2) != quizzes
    every = make_quizzes(tips, len(tips) + 5, seed=1)
    assert {q.tip_id for q in every[: len(tips)]} == {t.id for t in tips}
    assert make_quizzes(tips, 0) == [] and make_quizzes([], 3) == []


def test_quizzes_are_the_same_in_every_process() -> None:
    code = (
        "import json, sys; from officebot.training.tips import load_tips; from officebot.training.quiz import make_quizzes;"
        f"tips = load_tips({str(KNOWLEDGE)!r});"
        "print(json.dumps([q.to_dict() for q in make_quizzes(tips, 15, 9)], ensure_ascii=False))"
    )
    root = Path(__file__).resolve().parent.parent
    outputs = set()
    for hash_seed in ("1", "2"):
        env = os.environ | {"PYTHONHASHSEED": hash_seed}
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, env=env, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1
    assert [Quiz.from_dict(d) for d in json.loads(outputs.pop())] == make_quizzes(all_tips(), 15, 9)


def test_quiz_round_trips_through_a_dict() -> None:
    quiz = make_quiz(all_tips()[0], all_tips(), 5)
    assert Quiz.from_dict(json.loads(json.dumps(quiz.to_dict()))) == quiz
    assert quiz.answer == all_tips()[0].answer


# ---- command line ------------------------------------------------------------------------------


def test_quiz_command_prints_samples_with_the_answer_marked(capsys) -> None:
    assert main(["quiz", "--sample", "3", "--seed", "1", "--knowledge", str(KNOWLEDGE)]) == 0
    out = capsys.readouterr().out
    assert out.count("✓") == 3
    assert out.count("解析：") == 3
    assert main(["quiz", "--sample", "3", "--seed", "1", "--knowledge", str(KNOWLEDGE)]) == 0
    assert capsys.readouterr().out == out


def test_tips_and_quiz_are_documented_in_help() -> None:
    help_text = build_parser().format_help()
    assert "tips" in help_text and "quiz" in help_text
