"""Tips: tips.yaml is checked at load, the curated file covers the speeches, the draft mines them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from officebot.retrieval.knowledge import KnowledgeError, load_manifest, read_speech_lines

from officebot.cli import main
from officebot.training.tips import (
    KINDS,
    MAX_TIP,
    TIPS,
    draft_tips,
    dump_tips,
    heading_coverage,
    load_tips,
    number_neighbours,
    squash,
)

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
DISTRICT = "district-office-directors"
CITY = "city-party-office-2021"


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    """A private copy of the knowledge directory, without tips.yaml."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target, ignore=shutil.ignore_patterns("__pycache__", TIPS))
    return target


def write_tips(directory: Path, body: str) -> Path:
    path = directory / TIPS
    path.write_text("# 测试用提示\ntips:\n" + body, encoding="utf-8")
    return path


GOOD = """\
  - id: info-half-hour
    kind: number
    doc: district-office-directors
    paragraph: 14
    text: 凡是发生在本地区、本单位范围内的重大突发性事件，半小时内电话报告给区委办信息室
    answer: 半小时
    distractors: [一小时, 两小时, 24小时]
"""


def tip_entry(**fields: object) -> str:
    values = {
        "id": "t1", "kind": "point", "doc": DISTRICT, "paragraph": 12,
        "text": "办公室的核心是“三个服务”。", "answer": "三个服务",
    } | fields
    lines = []
    for key, value in values.items():
        if value is None:
            continue
        dumped = yaml.safe_dump({key: value}, allow_unicode=True, default_flow_style=True, width=1000)
        lines.append(dumped.strip()[1:-1])
    return "  - " + "\n    ".join(lines) + "\n"


# ---- validation --------------------------------------------------------------------------------


def test_a_good_tip_loads_with_its_source(knowledge: Path) -> None:
    write_tips(knowledge, GOOD)
    (tip,) = load_tips(knowledge)
    assert tip.id == "info-half-hour"
    assert tip.paragraph == 14
    assert tip.section == ("第二，全力围绕中心服务大局", "二是信息处理要“快”")
    assert tip.title == "在全区党政办公室主任会议上的讲话"
    assert tip.distractors == ("一小时", "两小时", "24小时")
    assert tip.sentence.startswith("凡是发生在本地区") and "一小时内书面报告" in tip.sentence
    assert tip.source.startswith("《在全区党政办公室主任会议上的讲话》 · 第二")
    assert tip.line == 3


def test_a_tip_may_cite_a_section_and_span_its_heading(knowledge: Path) -> None:
    write_tips(knowledge, tip_entry(
        kind="parallel", paragraph=None, section="二是信息处理要“快”",
        text="二是信息处理要“快”。在网络时代，我们务必做到第一时间掌握信息", answer="快",
    ))
    (tip,) = load_tips(knowledge)
    assert tip.paragraph is None
    assert tip.section == ("第二，全力围绕中心服务大局", "二是信息处理要“快”")


def test_whitespace_does_not_matter_but_punctuation_does(knowledge: Path) -> None:
    write_tips(knowledge, tip_entry(doc=CITY, paragraph=6, text="见多才能识广, 识广才能善谋。", answer="善谋"))
    assert load_tips(knowledge)[0].text == "见多才能识广, 识广才能善谋。"
    # The city speech writes half-width commas; a full-width one is not what it says.
    write_tips(knowledge, tip_entry(doc=CITY, paragraph=6, text="见多才能识广，识广才能善谋。", answer="善谋"))
    with pytest.raises(KnowledgeError, match="找不到"):
        load_tips(knowledge)


@pytest.mark.parametrize(
    ("body", "message", "line"),
    [
        pytest.param(tip_entry(colour="red"), "未知字段：colour", 3, id="unknown-key"),
        pytest.param(GOOD + GOOD, "id 重复：info-half-hour（第 3 行已有）", 10, id="duplicate-id"),
        pytest.param(GOOD + GOOD.replace("info-half-hour", "other"), "内容重复", 10, id="duplicate-text"),
        pytest.param(GOOD + tip_entry(id="spaced", text="凡是发生在本地区、本单位范围内的重大突发性事件， 半小时内电话报告给区委办信息室",
                                      answer="半小时", paragraph=14), "内容重复", 10, id="duplicate-text-modulo-spaces"),
        pytest.param(tip_entry(text="办" * (MAX_TIP + 1), answer="办"), "太长", 3, id="over-long"),
        pytest.param(tip_entry(text="办公室的核心是“四个服务”。", answer="四个服务"), "找不到", 3, id="quote-not-in-source"),
        pytest.param(tip_entry(paragraph=13), "它在第 12 段", 3, id="quote-in-another-paragraph"),
        pytest.param(tip_entry(doc="no-such-speech"), "没有这篇讲话", 3, id="bad-doc"),
        pytest.param(tip_entry(paragraph=99), "没有第 99 段", 3, id="bad-paragraph"),
        pytest.param(tip_entry(paragraph="十二"), "段落号", 3, id="paragraph-not-a-number"),
        pytest.param(tip_entry(paragraph=None, section="八是什么要“好”"), "没有这个章节标题", 3, id="bad-section"),
        pytest.param(tip_entry(paragraph=None), "缺少出处", 3, id="no-source"),
        pytest.param(tip_entry(paragraph=12, section="二是信息处理要“快”"), "不在章节", 3, id="paragraph-outside-section"),
        pytest.param(tip_entry(answer="四个服务"), "不在 text 中", 3, id="answer-not-in-text"),
        pytest.param(tip_entry(text="即服务领导、服务基层、服务群众。", answer="服务"), "出现了 3 次", 3, id="answer-ambiguous"),
        pytest.param(tip_entry(kind="riddle"), "kind 应为", 3, id="unknown-kind"),
        pytest.param(tip_entry(id="Tip 1"), "id 只能用", 3, id="bad-id"),
        pytest.param(tip_entry(answer=None), "缺少字段：answer", 3, id="missing-answer"),
        pytest.param(tip_entry(distractors=["三个服务"]), "就是答案", 3, id="distractor-is-answer"),
        pytest.param(tip_entry(distractors=["两个服务", "两个服务"]), "重复", 3, id="duplicate-distractor"),
        pytest.param(tip_entry(distractors="两个服务"), "应为列表", 3, id="distractors-not-a-list"),
        pytest.param(tip_entry(paragraph=3, text="提笔能写，这是办公室干部的核心竞争力。",
                               answer="提笔能写，这是办公室干部的核心竞争力。"), "章节", 3, id="saying-without-section"),
    ],
)
def test_mistakes_name_the_file_and_line(knowledge: Path, body: str, message: str, line: int) -> None:
    path = write_tips(knowledge, body)
    with pytest.raises(KnowledgeError) as caught:
        load_tips(knowledge)
    error = caught.value
    assert message in error.message
    assert Path(error.path) == path
    assert error.line == line
    assert str(error).startswith(f"{path}:{line}: ")


def test_unknown_top_level_key_and_bad_yaml(knowledge: Path) -> None:
    (knowledge / TIPS).write_text("tip:\n  - id: x\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="未知字段：tip"):
        load_tips(knowledge)
    (knowledge / TIPS).write_text("tips:\n  - id: [x\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_tips(knowledge)
    assert caught.value.line and caught.value.path.endswith(TIPS)


def test_no_tips_file_means_no_tips(knowledge: Path) -> None:
    assert load_tips(knowledge) == []
    (knowledge / TIPS).write_text("# 还没有提示\n", encoding="utf-8")
    assert load_tips(knowledge) == []


# ---- the curated tips.yaml ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def tips():
    return load_tips(KNOWLEDGE)


def test_curated_tips_cover_both_speeches_and_every_heading(tips) -> None:
    assert len(tips) >= 60
    assert {t.doc_id for t in tips} == {s.id for s in load_manifest(KNOWLEDGE)}
    uncovered = [(doc, " › ".join(path)) for doc, path, count in heading_coverage(KNOWLEDGE, tips) if not count]
    assert uncovered == []
    assert {t.kind for t in tips} == set(KINDS)


def test_curated_tips_are_verbatim_quotes(tips) -> None:
    speeches = {s.id: squash("".join(read_speech_lines(KNOWLEDGE, s))) for s in load_manifest(KNOWLEDGE)}
    for tip in tips:
        assert len(tip.text) <= MAX_TIP, tip.id
        assert squash(tip.text) in speeches[tip.doc_id], tip.id
        assert squash(tip.sentence) in speeches[tip.doc_id], tip.id
        assert tip.text.count(tip.answer) == 1, tip.id


def test_curated_tip_ids_fit_in_callback_data(tips) -> None:
    assert all(len(t.id.encode()) <= 32 for t in tips)


# ---- drafting ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def draft():
    return draft_tips(KNOWLEDGE)


def test_draft_finds_the_enumeration(draft) -> None:
    items = {"开口能讲", "提笔能写", "问策能对", "遇事能办"}
    found = [t for t in draft if t.kind == "enumeration" and t.answer in items]
    assert found
    assert all(items - {t.answer} <= set(t.distractors) for t in found)


def test_draft_finds_the_parallel_headings(draft) -> None:
    parallel = {t.answer: t for t in draft if t.kind == "parallel" and t.doc_id == DISTRICT}
    assert set("好快精深实细优") <= set(parallel)
    quick = parallel["快"]
    assert quick.section[-1] == "二是信息处理要“快”"
    assert set(quick.distractors) == set("好精深实细优")


def test_draft_finds_the_rules_with_numbers(draft) -> None:
    rules = {t.answer: t for t in draft if t.kind == "number" and "报告" in t.text}
    assert {"半小时", "一小时"} <= set(rules)
    assert "一小时" not in rules["半小时"].text  # each rule its own tip: 一小时 is a distractor of 半小时
    assert "一小时" in rules["半小时"].distractors


def test_draft_finds_the_maxims(draft) -> None:
    maxims = [t for t in draft if t.kind == "maxim"]
    assert any(t.text == "事以密成，语以泄败" and t.answer == "语以泄败" for t in maxims)


def test_draft_loads_as_written_and_is_stable(draft, knowledge: Path) -> None:
    (knowledge / TIPS).write_text(dump_tips(draft), encoding="utf-8")
    loaded = load_tips(knowledge)
    assert [(t.id, t.text, t.answer, t.distractors) for t in loaded] == [
        (t.id, t.text, t.answer, t.distractors) for t in draft
    ]
    assert dump_tips(draft_tips(KNOWLEDGE)) == dump_tips(draft)


SPEECH = """\
同志们：
今天讲两点意见。
一是文件起草要“准”。
起草文件要吃透上情、摸清下情。收到来文后，两小时内登记，三个工作日内办结。
二是会议组织要“稳”。
千里之行，始于足下。会议组织要做到眼到、口到、手到、心到。
三是接待服务要“暖”。
接待工作无小事。
"""


def test_draft_works_from_patterns_not_from_the_examples(tmp_path: Path) -> None:
    (tmp_path / "speeches").mkdir()
    (tmp_path / "speeches" / "test.txt").write_text(SPEECH, encoding="utf-8")
    (tmp_path / "manifest.yaml").write_text(
        "speeches:\n  - id: test\n    title: 测试讲话\n    file: speeches/test.txt\n", encoding="utf-8"
    )
    draft = draft_tips(tmp_path)
    by_kind = {kind: [t for t in draft if t.kind == kind] for kind in KINDS}
    assert {t.answer for t in by_kind["parallel"]} == {"准", "稳", "暖"}
    assert {"两小时", "三个工作日"} <= {t.answer for t in by_kind["number"]}
    assert any(t.text == "千里之行，始于足下" for t in by_kind["maxim"])
    assert any(t.answer in {"眼到", "口到", "手到", "心到"} for t in by_kind["enumeration"])


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("半小时", ["一小时", "两小时", "三小时"]),
        ("一小时", ["两小时", "半小时", "三小时", "四小时"]),
        ("24小时", ["12小时", "48小时", "36小时", "6小时", "72小时"]),
        ("六大类", ["七大类", "五大类", "八大类", "四大类", "九大类"]),
        ("1%", ["2%", "3%", "4%", "10%", "5%"]),
        ("四句话", ["五句话", "三句话", "六句话", "两句话", "七句话"]),
        ("十年", ["五年", "二十年", "十五年"]),
        ("服从", []),
    ],
)
def test_number_neighbours_keep_unit_and_style(answer: str, expected: list[str]) -> None:
    assert number_neighbours(answer)[: len(expected)] == expected


# ---- command line ------------------------------------------------------------------------------


def test_tips_command_validates_and_summarises(capsys) -> None:
    assert main(["tips", "--knowledge", str(KNOWLEDGE)]) == 0
    out = capsys.readouterr().out
    assert "检查通过" in out and "《在全区党政办公室主任会议上的讲话》" in out
    assert "二是信息处理要“快”" in out and "没有提示" not in out


def test_tips_command_reports_a_broken_file(knowledge: Path, capsys) -> None:
    write_tips(knowledge, tip_entry(colour="red"))
    assert main(["tips", "--knowledge", str(knowledge)]) == 1
    assert f"{knowledge / TIPS}:3" in capsys.readouterr().err


def test_tips_draft_command_prints_or_writes_yaml(tmp_path: Path, capsys) -> None:
    assert main(["tips", "--draft", "--knowledge", str(KNOWLEDGE)]) == 0
    printed = capsys.readouterr().out
    assert len(yaml.safe_load(printed)["tips"]) >= 60
    out = tmp_path / "draft.yaml"
    assert main(["tips", "--draft", "--out", str(out), "--knowledge", str(KNOWLEDGE)]) == 0
    assert out.read_text(encoding="utf-8") == printed
