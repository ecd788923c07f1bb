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
    questions = "信息报送时限是多少\n\n公务员年休假一年有几天\n😀\n   \n"
    out = office_bot("ask", "--jsonl", "--top-k", "5", stdin=questions)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["query"] for r in rows] == ["信息报送时限是多少", "", "公务员年休假一年有几天", "😀", ""]  # line for line
    assert rows[0]["answered"] and not any(r["answered"] for r in rows[1:])
    assert rows[1]["results"] == [] and len(rows[0]["results"]) <= 5


def test_ask_jsonl_takes_json_lines_too():
    questions = '{"id": 7, "q": "信息报送时限是多少"}\n"資訊報送時限是多少"\n{"question": "红烧肉怎么做"}\n{不是 JSON\n'
    out = office_bot("ask", "--jsonl", "--top-k", "3", stdin=questions)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 4 and rows[0]["id"] == 7 and "id" not in rows[1]
    assert rows[0]["answered"] and rows[1]["answered"] and not rows[2]["answered"]
    assert rows[0]["results"][0]["text"] == rows[1]["results"][0]["text"]  # traditional folded to simplified
    assert rows[3]["query"] == "{不是 JSON"  # not JSON: searched as typed


def test_ask_jsonl_says_when_stdin_is_not_utf8():
    out = subprocess.run(
        [sys.executable, "-m", "officebot", "ask", "--jsonl"], input="信息报送时限是多少\n".encode("gbk"),
        capture_output=True, check=False, cwd=ROOT, timeout=120,
    )
    assert out.returncode == 2 and out.stdout == b""
    assert "UTF-8" in out.stderr.decode() and "iconv" in out.stderr.decode()


@pytest.mark.parametrize("command", ["ask", "eval"])
def test_top_k_below_one_is_refused(command):
    args = ["ask", "--top-k", "0", "信息报送时限是多少"] if command == "ask" else ["eval", "--top-k", "-1"]
    out = office_bot(*args)
    assert out.returncode == 2 and "--top-k" in out.stderr and out.stdout == ""


def test_version():
    from officebot import __version__

    out = office_bot("--version")
    assert out.returncode == 0 and __version__ in out.stdout


def test_ask_without_question_explains_usage():
    out = office_bot("ask")
    assert out.returncode == 2 and "office-bot ask" in out.stderr


def test_unanswered_readable_output_suggests_topics():
    out = office_bot("ask", "红烧肉怎么做才好吃")
    assert "没有找到" in out.stdout and "话题" in out.stdout
    assert "最接近" not in out.stdout  # nothing came close


def test_a_near_miss_shows_the_closest_passage_said_to_be_so():
    out = office_bot("ask", "那部反腐剧里的孙区长，为什么被拿来当反面教材")
    assert out.stdout.startswith("没有找到能回答")
    assert "最接近的一段（未必回答了这个问题，仅供参考）" in out.stdout and "孙连城" in out.stdout
    record = json.loads(office_bot("ask", "--json", "那部反腐剧里的孙区长，为什么被拿来当反面教材").stdout)
    assert (record["answered"], record["near"]) == (False, True) and record["results"]


def test_knowledge_dir_from_env_and_flag(tmp_path):
    import os

    (tmp_path / "manifest.yaml").write_text("speeches: []\n", encoding="utf-8")
    env = dict(os.environ, OFFICE_BOT_KNOWLEDGE=str(tmp_path))
    out = office_bot("ask", "--json", "信息报送时限是多少", env=env)
    assert json.loads(out.stdout)["answered"] is False  # an empty knowledge base answers nothing
    out = office_bot("ask", "--json", "--knowledge", str(default_knowledge_dir()), "信息报送时限是多少", env=env)
    assert json.loads(out.stdout)["answered"] is True


def test_a_directory_without_manifest_is_an_error(tmp_path):
    out = office_bot("ask", "--knowledge", str(tmp_path), "信息报送时限是多少")
    assert out.returncode == 1 and "manifest.yaml" in out.stderr and "Traceback" not in out.stderr


def test_eval_prints_the_figures():
    out = office_bot("eval", "--json")  # without a file: the project's tests/questions.yaml
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout)
    assert figures["direct_hit@1"] > 0.5
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


# ---- the library in the data directory --------------------------------------------------------

PDF_TITLE = "在全市机要保密工作会议上的讲话"


def installed_snapshot() -> dict[str, bytes]:
    from officebot.retrieval.knowledge import installed_knowledge_dir

    return snapshot(installed_knowledge_dir())


def test_a_pdf_is_ingested_into_the_data_directory_and_found_by_ask(tmp_path, data_dir):
    from pdfmaker import make_speech_pdf

    installed = installed_snapshot()
    paragraphs = ["一、涉密载体要专人管理", ("涉密文件一律存放在密码文件柜中，由机要员专人登记、专柜保管，借阅必须经分管领导批准，"
                  "当天借阅当天归还，严禁带回家中或存放在个人办公桌内。复印涉密文件必须履行审批手续，复印件按原件管理。"),
                  "二、涉密会议要严格管理"]
    paragraphs += [f"第{i}次会议的与会人员一律不得携带手机进入会场，会议材料会后统一收回清点，缺一份都要查明去向，"
                   "确保不留死角、不出漏洞。保密检查每季度开展一次，发现问题立即整改。" for i in range(1, 13)]
    pdf = tmp_path / "保密.pdf"
    pdf.write_bytes(make_speech_pdf(PDF_TITLE, paragraphs))
    out = office_bot("ingest", str(pdf), "--date", "2022-03-15")
    assert out.returncode == 0, out.stderr
    assert f"《{PDF_TITLE}》" in out.stdout and "编号：speech-" in out.stdout and "标题 2 个" in out.stdout
    assert (data_dir / "library" / "manifest.yaml").is_file()
    text = next((data_dir / "library" / "speeches").iterdir()).read_text("utf-8")
    assert "某市委办公室文件汇编" not in text and "- 2 -" not in text  # running header, page numbers
    assert "由机要员专人登记、专柜保管" in text  # lines rejoined across the printed line breaks
    ask = office_bot("ask", "--json", "涉密文件借阅要谁批准")
    top = json.loads(ask.stdout)["results"][0]
    assert "经分管领导批准" in top["text"] and top["source"]["title"] == PDF_TITLE
    assert top["source"]["date"] == "2022-03-15"
    assert installed_snapshot() == installed  # nothing written into the installed package

    again = office_bot("ingest", str(pdf), "--title", "另一个标题")
    assert again.returncode == 1 and "内容相同" in again.stderr and "--replace" in again.stderr


def test_ingest_never_writes_into_the_installed_package(tmp_path):
    from officebot.retrieval.knowledge import installed_knowledge_dir

    before = installed_snapshot()
    page = tmp_path / "speech.txt"
    page.write_text("在某会议上的讲话\n" + "办公室要把信息报送工作抓紧抓实，做到及时准确。" * 10, encoding="utf-8")
    out = office_bot("ingest", str(page), "--knowledge", str(installed_knowledge_dir()))
    assert out.returncode == 1 and "不能写入" in out.stderr
    assert installed_snapshot() == before


def speech_text(topic: str, title: str) -> str:
    return "\n".join([title, "同志们：", f"一、{topic}要抓实", (f"{topic}工作要有专人负责，每月底前报送一次台账，发现问题当天整改，"
                      f"年底对{topic}工作进行考核，考核结果纳入年度评价。"), f"二、{topic}要创新",
                      f"{topic}要用好信息化手段，建立电子台账，做到一目了然、随时可查。"])


def test_ingest_a_folder_of_encodings_with_a_progress_bar(tmp_path, data_dir):
    folder = tmp_path / "speeches"
    folder.mkdir()
    (folder / "utf8.txt").write_bytes(speech_text("档案管理", "在全市档案工作会议上的讲话").encode("utf-8"))
    (folder / "bom.txt").write_bytes(speech_text("车辆管理", "在全市车辆管理工作会议上的讲话").encode("utf-8-sig"))
    (folder / "gbk.txt").write_bytes(speech_text("印章管理", "在全市印章管理工作会议上的讲话").encode("gbk"))
    (folder / "utf16.txt").write_bytes(speech_text("值班管理", "在全市值班工作会议上的讲话").encode("utf-16"))
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (folder / "old.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 600)
    out = office_bot("ingest", str(folder))
    assert out.returncode == 1  # two files were not imported
    assert out.stdout.count("编号：speech-") == 4 and "导入 4 篇，未导入 2 个" in out.stdout
    assert out.stderr.count("另存为") == 2 and "old.doc" in out.stderr and "old.wps" in out.stderr
    assert "6/6" in out.stderr  # tqdm's progress bar
    listed = office_bot("sources", "--json")
    titles = {s["title"]: s["layer"] for s in json.loads(listed.stdout)}
    assert titles["在全市印章管理工作会议上的讲话"] == "library" and titles["在全市值班工作会议上的讲话"] == "library"
    assert list(titles.values()).count("shipped") == 2
    ask = office_bot("ask", "--json", "印章管理台账多久报送一次")
    assert json.loads(ask.stdout)["results"][0]["source"]["title"] == "在全市印章管理工作会议上的讲话"


def test_replace_fixes_title_and_date_without_a_second_copy(tmp_path, data_dir):
    source = tmp_path / "speech.txt"
    source.write_text(speech_text("印章管理", "在全市印章管理工作会议上的讲话"), encoding="utf-8")
    first = office_bot("ingest", str(source), "--date", "2020-01-01")
    speech_id = first.stdout.split("编号：")[1].split()[0]
    out = office_bot("ingest", str(source), "--replace", speech_id, "--title", "在全市印章管理会议上的讲话", "--date", "2021-06-30")
    assert out.returncode == 0, out.stderr
    assert f"编号：{speech_id}" in out.stdout and "已替换" in out.stdout
    sources = json.loads(office_bot("sources", "--json").stdout)
    mine = [s for s in sources if s["layer"] == "library"]
    assert mine == [{"id": speech_id, "title": "在全市印章管理会议上的讲话", "date": "2021-06-30", "layer": "library"}]
    results = json.loads(office_bot("ask", "--json", "印章管理台账多久报送一次").stdout)["results"]
    assert [r["source"]["date"] for r in results if "印章" in r["source"]["title"]][:1] == ["2021-06-30"]
    assert len({r["text"] for r in results}) == len(results)  # one copy only
    bad = office_bot("ingest", str(source), "--replace", "no-such-id")
    assert bad.returncode == 1 and "没有编号为 no-such-id" in bad.stderr


@pytest.mark.parametrize("date", ["2023-02-30", "2023/05/06", "23-05-06", "2023-13"])
def test_ingest_date_is_validated(tmp_path, data_dir, date):
    source = tmp_path / "speech.txt"
    source.write_text(speech_text("印章管理", "在全市印章管理工作会议上的讲话"), encoding="utf-8")
    out = office_bot("ingest", str(source), "--date", date)
    assert out.returncode == 2 and "日期" in out.stderr and not (data_dir / "library").exists()


def test_remove_a_library_speech_and_hide_a_shipped_one(tmp_path, data_dir):
    installed = installed_snapshot()
    source = tmp_path / "speech.txt"
    source.write_text(speech_text("印章管理", "在全市印章管理工作会议上的讲话"), encoding="utf-8")
    speech_id = office_bot("ingest", str(source)).stdout.split("编号：")[1].split()[0]
    out = office_bot("remove", speech_id)
    assert out.returncode == 0 and f"编号：{speech_id}" in out.stdout
    assert not list((data_dir / "library" / "speeches").iterdir())
    out = office_bot("remove", "district-office-directors")
    assert out.returncode == 0 and "自带" in out.stdout
    listed = office_bot("sources")
    assert "district-office-directors" not in listed.stdout and "city-party-office-2021" in listed.stdout
    assert "[自带]" in listed.stdout
    ask = json.loads(office_bot("ask", "--json", "信息报送时限是多少").stdout)
    assert all(r["source"]["doc_id"] != "district-office-directors" for r in ask["results"])
    assert office_bot("remove", "no-such-id").returncode == 1
    assert installed_snapshot() == installed
    # the hidden speech comes back when its content is ingested again
    raw = default_knowledge_dir() / "raw" / "district-office-directors.txt"
    again = office_bot("ingest", str(raw), "--id", "district-office-directors")
    assert again.returncode == 0, again.stderr
    assert "district-office-directors" in office_bot("sources").stdout


def test_every_knowledge_error_at_once_with_file_and_line(knowledge_copy):
    manifest = knowledge_copy / "manifest.yaml"
    text = manifest.read_text("utf-8").replace("date: '2021'", "date: 2021-02-30", 1)
    manifest.write_text(text, encoding="utf-8")
    bad_date_line = next(i for i, line in enumerate(text.splitlines(), 1) if "2021-02-30" in line)
    (knowledge_copy / "synonyms.yaml").write_text(
        "# 注释\n上报: [报送]\n通报: 报告\n坏的: {a: b}\n多个: 报告, 通知\n空的:\n", encoding="utf-8"
    )
    (knowledge_copy / "userdict.txt").write_bytes("办公室\n信息报送\n督查督办\n".encode("gbk"))
    out = office_bot("ask", "--knowledge", str(knowledge_copy), "信息报送时限是多少")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    err = out.stderr
    assert "处错误" in err
    assert f"manifest.yaml:{bad_date_line - 5}" in err or "manifest.yaml:" in err and "2021-02-30" in err
    assert "synonyms.yaml:4" in err and "synonyms.yaml:5" in err and "synonyms.yaml:6" in err
    assert "synonyms.yaml:3" not in err  # a string is one word
    assert "userdict.txt:1" in err and "UTF-8" in err
