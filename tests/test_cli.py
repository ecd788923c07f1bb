"""The office-bot command line: ask, eval, ingest, run as a user would."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from officebot.retrieval.knowledge import default_knowledge_dir

ROOT = Path(__file__).resolve().parent.parent


def office_bot(*args, stdin=None, env=None, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "officebot", *args], input=stdin, capture_output=True, text=True, check=False,
        env=env, cwd=cwd or ROOT, timeout=120,
    )


@pytest.fixture
def knowledge_copy(tmp_path):
    target = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_ask_readable():
    out = office_bot("ask", "信息报送时限是多少")
    assert out.returncode == 0
    assert "半小时内电话报告" in out.stdout and "《" in out.stdout


def test_ask_json():
    out = office_bot("ask", "--json", "--top-k", "2", "信息报送时限是多少")
    data = json.loads(out.stdout)
    assert data["answered"] is True and len(data["results"]) == 2
    assert "半小时内电话报告" in data["results"][0]["text"]


def test_ask_jsonl_one_process_one_line_each():
    questions = "信息报送时限是多少\n\n公务员年休假一年有几天\n😀\n"
    out = office_bot("ask", "--jsonl", "--top-k", "5", stdin=questions)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["query"] for r in rows] == ["信息报送时限是多少", "公务员年休假一年有几天", "😀"]
    assert rows[0]["answered"] and not rows[1]["answered"] and not rows[2]["answered"]
    assert len(rows[0]["results"]) <= 5


def test_ask_without_question_explains_usage():
    out = office_bot("ask")
    assert out.returncode == 2 and "office-bot ask" in out.stderr


def test_unanswered_readable_output_suggests_topics():
    out = office_bot("ask", "红烧肉怎么做才好吃")
    assert "没有找到" in out.stdout and "话题" in out.stdout


def test_knowledge_dir_from_env_and_flag(tmp_path):
    import os

    env = dict(os.environ, OFFICE_BOT_KNOWLEDGE=str(tmp_path))
    out = office_bot("ask", "--json", "信息报送时限是多少", env=env)
    assert json.loads(out.stdout)["answered"] is False  # an empty knowledge base answers nothing
    out = office_bot("ask", "--json", "--knowledge", str(default_knowledge_dir()), "信息报送时限是多少", env=env)
    assert json.loads(out.stdout)["answered"] is True


def test_eval_prints_the_figures():
    out = office_bot("eval", str(ROOT / "tests" / "questions.yaml"), "--json")
    figures = json.loads(out.stdout)
    assert {"direct_hit@1", "paraphrase_hit@1", "hit@3", "mrr", "abstention", "false_abstention"} <= set(figures)


def test_ingest_adds_a_speech_and_it_is_searchable(knowledge_copy, tmp_path):
    page = tmp_path / "speech.html"
    page.write_text(
        "<html><head><title>x</title></head><body><div>当前位置: 首页 &gt; 讲话</div>"
        "<h1>在全县机关后勤工作会议上的讲话</h1><p>同志们：</p>"
        "<p>一、要管好公务用车</p><p>公务用车实行统一管理，派车单必须由分管领导签字，严禁公车私用。</p>"
        "<p>二、要节约水电</p><p>下班时随手关灯关空调，会议室用完及时断电，全年水电费比上年降低一成。</p>"
        "<p>相关推荐</p><p>别的文章</p></body></html>",
        encoding="utf-8",
    )
    out = office_bot("ingest", str(page), "--date", "2023-05-06", "--knowledge", str(knowledge_copy))
    assert out.returncode == 0, out.stderr
    assert "段落" in out.stdout and "标题 2 个" in out.stdout
    ask = office_bot("ask", "--json", "--knowledge", str(knowledge_copy), "公车能私用吗")
    data = json.loads(ask.stdout)
    top = data["results"][0]
    assert "严禁公车私用" in top["text"]
    assert top["source"]["title"] == "在全县机关后勤工作会议上的讲话"
    assert top["source"]["date"] == "2023-05-06" and "公务用车" in top["source"]["section"]
    again = office_bot("ingest", str(page), "--knowledge", str(knowledge_copy))
    assert again.returncode == 1 and "已有" in again.stderr


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "空"),
        ("blank.txt", b"   \n\n  ", "空"),
        ("binary.txt", b"\x00\x01\x02\x03PNG\x00" * 50, "二进制"),
        ("bad.txt", b"\xff\xfe\xfa" + bytes(range(128, 256)) * 3, "编码"),
        ("short.txt", "在某会议上的讲话\n很短。".encode(), "不像一篇讲话"),
        ("missing.txt", None, "不存在"),
        ("broken.docx", b"PK\x03\x04 not really a docx", "Word"),
    ],
)
def test_ingest_rejects_bad_input_and_changes_nothing(knowledge_copy, tmp_path, name, content, message):
    before = snapshot(knowledge_copy)
    source = tmp_path / name
    if content is not None:
        source.write_bytes(content)
    out = office_bot("ingest", str(source), "--knowledge", str(knowledge_copy))
    assert out.returncode == 1
    assert message in out.stderr and "Traceback" not in out.stderr
    assert snapshot(knowledge_copy) == before


def test_ingest_rejects_a_duplicate_seed(knowledge_copy):
    before = snapshot(knowledge_copy)
    raw = min((knowledge_copy / "raw").iterdir())
    out = office_bot("ingest", str(raw), "--id", "another-id", "--knowledge", str(knowledge_copy))
    assert out.returncode == 1 and "已有" in out.stderr
    assert snapshot(knowledge_copy) == before


def test_ingest_reads_docx(knowledge_copy, tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("在全市档案工作会议上的讲话")
    document.add_paragraph("同志们：")
    document.add_paragraph("一、档案要及时归档")
    document.add_paragraph("每年三月底前，各单位要把上一年度的文件材料整理归档，移交档案室统一保管。")
    document.add_paragraph("二、档案要安全保管")
    document.add_paragraph("档案室要做到防火、防潮、防虫、防盗，借阅档案必须登记，按期归还，不得私自复制。")
    document.save(tmp_path / "speech.docx")
    out = office_bot("ingest", str(tmp_path / "speech.docx"), "--knowledge", str(knowledge_copy))
    assert out.returncode == 0, out.stderr
    ask = office_bot("ask", "--json", "--knowledge", str(knowledge_copy), "文件什么时候归档")
    assert "三月底前" in json.loads(ask.stdout)["results"][0]["text"]


def test_malformed_manifest_names_file_and_line(knowledge_copy):
    manifest = knowledge_copy / "manifest.yaml"
    manifest.write_text(manifest.read_text("utf-8") + "  - id: x\n    title: [unclosed\n", encoding="utf-8")
    out = office_bot("ask", "--knowledge", str(knowledge_copy), "信息报送时限是多少")
    assert out.returncode == 1
    assert "manifest.yaml:" in out.stderr and "Traceback" not in out.stderr


def test_unknown_manifest_key_names_the_line(knowledge_copy):
    manifest = knowledge_copy / "manifest.yaml"
    lines = manifest.read_text("utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("title:"))
    lines.insert(index, "    titel: typo")
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = office_bot("ask", "--knowledge", str(knowledge_copy), "问题")
    assert out.returncode == 1 and "titel" in out.stderr and "manifest.yaml:" in out.stderr


def test_malformed_synonyms_names_file_and_line(knowledge_copy):
    (knowledge_copy / "synonyms.yaml").write_text("时限: [小时内\n上报: 报送\n", encoding="utf-8")
    out = office_bot("ask", "--knowledge", str(knowledge_copy), "信息报送时限是多少")
    assert out.returncode == 1 and "synonyms.yaml:" in out.stderr


def test_duplicate_synonym_key_names_the_line(knowledge_copy):
    (knowledge_copy / "synonyms.yaml").write_text("# 注释\n上报: [报送]\n时限: [小时内]\n上报: [报告]\n", encoding="utf-8")
    out = office_bot("ask", "--knowledge", str(knowledge_copy), "信息报送时限是多少")
    assert out.returncode == 1 and "synonyms.yaml:4" in out.stderr and "上报" in out.stderr


def test_help_lists_every_command():
    import argparse

    from officebot.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    described = {c.dest: c.help for c in sub._choices_actions}
    assert set(sub.choices) == set(described) >= {"ask", "eval", "ingest", "run", "tips", "quiz"}
    assert all(described.values())
    out = office_bot("--help")
    for command in sub.choices:
        assert command in out.stdout
