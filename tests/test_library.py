"""The library: two layers read into one Corpus, file formats, fingerprints, the live swap."""

from __future__ import annotations

import shutil
import threading

import pytest
from officebot.retrieval.knowledge import KnowledgeError, KnowledgeErrors, installed_knowledge_dir
from pdfmaker import make_speech_pdf, speech_paragraphs

from officebot.library.formats import IngestError, read_source
from officebot.library.ingest import ingest_file, prepare
from officebot.library.layers import LIBRARY_LAYER, SHIPPED, Layers, Library, LibraryError, read_knowledge, read_sources
from officebot.library.live import LiveKnowledge

TITLE = "在全市印章管理工作会议上的讲话"
LINES = [TITLE, "同志们：", "一、印章管理要抓实", "印章管理工作要有专人负责，用印必须登记，每月底前报送一次用印台账，发现问题当天整改。",
         "二、印章管理要创新", "印章管理要用好信息化手段，建立电子台账，做到一目了然、随时可查，年底统一考核。"]


@pytest.fixture
def layers(data_dir) -> Layers:
    return Layers.default(data_dir)


def write(path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def ingest_seal(tmp_path, layers: Layers):
    """The speech on seals (LINES) written to the library, as `office-bot ingest` does."""
    source = tmp_path / "seal.txt"
    source.write_text("\n".join(LINES), encoding="utf-8")
    return ingest_file(source, layers)


# ---- formats --------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le"])
def test_text_in_every_common_chinese_encoding(encoding):
    assert read_source("a.txt", "\n".join(LINES).encode(encoding)).splitlines()[3] == LINES[3]


def test_pdf_lines_rejoined_and_page_furniture_removed():
    paragraphs = speech_paragraphs(30)
    text = read_source("speech.pdf", make_speech_pdf(TITLE, paragraphs))
    lines = text.splitlines()
    assert lines[0] == TITLE
    assert lines[1:] == paragraphs  # every paragraph whole, across printed lines and pages
    assert "某市委办公室文件汇编" not in text and "- 1 -" not in text


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "另存为"),
        ("a.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "WPS"),
        ("a.pdf", b"not a pdf at all", "不是 PDF"),
        ("a.txt", b"\x00\x01\x02\x03" * 100, "二进制"),
        ("a.txt", b"  \n ", "空"),
    ],
)
def test_unreadable_files_say_what_to_do(name, data, words):
    with pytest.raises(IngestError, match=words):
        read_source(name, data)


def test_scanned_pdf_says_how_to_convert():
    from pdfmaker import make_scanned_pdf

    with pytest.raises(IngestError, match="扫描件.*另存为 .docx"):
        read_source("scan.pdf", make_scanned_pdf())


# ---- layers ---------------------------------------------------------------------------------

def test_library_layers_over_the_shipped_knowledge(layers, data_dir):
    library = data_dir / "library"
    write(library / "speeches" / "seal.txt", "\n".join(LINES[1:]))
    write(library / "manifest.yaml", f"speeches:\n  - id: seal\n    title: {TITLE}\n    file: speeches/seal.txt\n"
                                     "hidden: [city-party-office-2021]\n")
    write(library / "synonyms.yaml", "时限: [用印]\n盖章: 用印\n")
    write(library / "userdict.txt", "用印台账\n")
    write(library / "stopwords.txt", "请问\n")
    knowledge = read_knowledge(layers)
    ids = [st.speech.id for st in knowledge.corpus.speeches]
    assert ids == ["district-office-directors", "seal"]  # city-party-office-2021 hidden
    assert {s.speech.id: s.layer for s in knowledge.sources} == {"district-office-directors": SHIPPED, "seal": LIBRARY_LAYER}
    assert "用印" in knowledge.corpus.synonyms["时限"] and "半小时内" in knowledge.corpus.synonyms["时限"]
    assert knowledge.corpus.synonyms["盖章"] == ["用印"]
    assert "用印台账" in knowledge.corpus.userdict and {"请问", "的"} <= knowledge.corpus.stopwords
    assert all(t.doc_id != "city-party-office-2021" for t in knowledge.tips)  # its tips left out with it
    assert len(knowledge.tips) > 0


def test_a_library_speech_with_a_shipped_id_replaces_it(layers, data_dir):
    library = data_dir / "library"
    write(library / "speeches" / "x.txt", "\n".join(LINES[1:]))
    write(library / "manifest.yaml", "speeches:\n  - id: district-office-directors\n    title: 新标题\n    file: speeches/x.txt\n")
    sources = read_sources(layers)
    assert [(s.speech.id, s.speech.title, s.layer) for s in sources] == [
        ("city-party-office-2021", sources[0].speech.title, SHIPPED), ("district-office-directors", "新标题", LIBRARY_LAYER)
    ]


def test_every_problem_of_every_layer_at_once(layers, data_dir):
    library = data_dir / "library"
    write(library / "manifest.yaml", "speeches:\n  - id: a\n    title: t\n    file: speeches/none.txt\n"
                                     "  - id: b\n    title: t\n    file: speeches/none.txt\n    date: 2023-02-30\n")
    write(library / "synonyms.yaml", "上报: [报送]\n坏: {a: 1}\n")
    (library / "stopwords.txt").write_bytes("的\n了\n".encode("gbk"))
    write(library / "tips.yaml", "tips:\n  - {id: t1, kind: point, doc: nowhere, paragraph: 1, text: 甲乙, answer: 甲}\n")
    with pytest.raises(KnowledgeErrors) as caught:
        read_knowledge(layers)
    where = sorted(f"{p.path.rsplit('/', 1)[-1]}:{p.line}" for p in caught.value.problems)
    assert where == ["manifest.yaml:2", "manifest.yaml:5", "stopwords.txt:1", "synonyms.yaml:2", "tips.yaml:2"]


def test_a_standalone_directory_needs_a_manifest(tmp_path):
    with pytest.raises(KnowledgeError, match="manifest.yaml"):
        read_knowledge(Layers.standalone(tmp_path))


# ---- ingestion: fingerprints, not titles --------------------------------------------------------

def test_the_same_speech_as_html_txt_or_pdf_is_a_duplicate(tmp_path, layers):
    source = tmp_path / "seal.txt"
    source.write_text("\n".join(LINES), encoding="utf-8")
    report = ingest_file(source, layers)
    html = ("<html><head><title>印章管理 - 某市政府网</title></head><body><div>当前位置：首页 &gt; 讲话</div>"
            + "".join(f"<p>{line}</p>" for line in LINES) + "<p>相关推荐</p></body></html>").encode("utf-8")
    with pytest.raises(IngestError, match=f"内容相同.*编号：{report.speech.id}"):
        prepare("seal.html", html, read_sources(layers))
    pdf = make_speech_pdf("另一个标题的讲话", LINES[1:])
    with pytest.raises(IngestError, match="内容相同"):
        prepare("seal.pdf", pdf, read_sources(layers), title="另一个标题")


def test_duplicates_are_found_from_stored_fingerprints_without_reading_speeches(tmp_path, layers, monkeypatch):
    source = tmp_path / "seal.txt"
    source.write_text("\n".join(LINES), encoding="utf-8")
    ingest_file(source, layers)
    import officebot.library.layers as layers_module

    def no_reading(*args, **kwargs):
        raise AssertionError("a speech was re-read")

    monkeypatch.setattr(layers_module, "read_speech_lines", no_reading)
    with pytest.raises(IngestError, match="内容相同"):
        ingest_file(source, layers)


def test_nothing_is_written_into_the_installed_package(tmp_path):
    source = tmp_path / "seal.txt"
    source.write_text("\n".join(LINES), encoding="utf-8")
    with pytest.raises(IngestError, match="不能写入"):
        ingest_file(source, Layers.standalone(installed_knowledge_dir()))
    with pytest.raises(LibraryError):
        Library(Layers.standalone(installed_knowledge_dir())).teach("上报", ["报送"])


def test_teach_keeps_the_files_comments_and_unteach_removes(layers, data_dir):
    write(data_dir / "library" / "synonyms.yaml", "# 我们的说法\n上报: [报送]\n")
    change = Library(layers).teach("急茬", ["紧急信息", "急事"])
    assert change.message == "已记住：急茬 = 紧急信息、急事"
    text = (data_dir / "library" / "synonyms.yaml").read_text("utf-8")
    assert text.startswith("# 我们的说法\n") and "上报: [报送]" in text and "急茬: [紧急信息, 急事]" in text
    Library(layers).teach("急茬", ["急事", "要紧事"])
    assert Library(layers).synonyms()["急茬"] == ["紧急信息", "急事", "要紧事"]
    Library(layers).unteach("急茬")
    assert Library(layers).synonyms() == {"上报": ["报送"]}
    with pytest.raises(LibraryError, match="没有"):
        Library(layers).unteach("急茬")
    change = Library(layers).teach("新词", ["报送"])
    change.undo()
    assert "新词" not in Library(layers).synonyms()


# ---- the live swap ------------------------------------------------------------------------------

def test_reload_swaps_in_a_new_index_and_keeps_the_old_one_on_failure(tmp_path, layers, data_dir):
    live = LiveKnowledge(layers)
    old = live.current
    ingest_seal(tmp_path, layers)
    assert live.current is old and all(h.passage.title != TITLE for h in live.search("用印要登记吗").hits)
    answers = []
    stop = threading.Event()

    def ask_meanwhile():
        while not stop.is_set():
            answers.append(live.current.search("信息报送时限是多少", 1).answered)

    asker = threading.Thread(target=ask_meanwhile)
    asker.start()
    try:
        result = live.reload()
    finally:
        stop.set()
        asker.join()
    assert result.ok and live.current is not old and all(answers) and answers
    assert live.search("用印要登记吗").hits[0].passage.title == TITLE

    good = live.current
    write(data_dir / "library" / "synonyms.yaml", "上报: [报送\n")
    result = live.reload()
    assert not result.ok and live.current is good
    assert result.problems and "synonyms.yaml:" in result.problems[0]


def test_reload_indexes_a_large_library_in_a_child_process(tmp_path, layers, monkeypatch):
    # the bot's rebuilds of a large library happen in a child process (threshold lowered here):
    # this process never runs the index build itself, and the new speech is found after the swap
    from officebot.retrieval import build as build_module
    from officebot.retrieval import search as search_module

    live = LiveKnowledge(layers)
    ingest_seal(tmp_path, layers)
    monkeypatch.setattr(search_module, "ISOLATED_MIN_CHARS", 0)
    monkeypatch.setattr(build_module, "build_index", lambda *a, **k: pytest.fail("indexed in the bot's process"))
    result = live.reload()
    assert result.ok and live.search("用印要登记吗").hits[0].passage.title == TITLE


def test_reload_keeps_the_old_index_when_the_indexing_child_is_killed(tmp_path, layers, monkeypatch):
    import functools

    import childtargets
    from officebot.retrieval import search as search_module

    live = LiveKnowledge(layers)
    old = live.current
    ingest_seal(tmp_path, layers)
    monkeypatch.setattr(search_module, "ISOLATED_MIN_CHARS", 0)
    monkeypatch.setattr(search_module, "build_in_child",
                        functools.partial(search_module.build_in_child, target=childtargets.killed))
    result = live.reload()
    assert not result.ok and live.current is old
    assert result.problems == ["建索引的子进程被信号 9 终止（可能是内存不足），线上知识库保持不变"]


def test_file_url_is_derived_from_the_api_url_unless_set():
    from officebot.bot.settings import load_settings

    env = {"TELEGRAM_BOT_TOKEN": "123:abc", "OFFICE_BOT_API_URL": "http://127.0.0.1:8081/bot"}
    assert load_settings(environ=env).base_file_url == "http://127.0.0.1:8081/file/bot"
    env["OFFICE_BOT_FILE_URL"] = "http://files.local:9000/file/bot"
    assert load_settings(environ=env).base_file_url == "http://files.local:9000/file/bot"


def test_shipped_manifest_keeps_fingerprints():
    """Each shipped speech carries its content fingerprint, so ingest never reads it to compare."""
    from officebot.retrieval.knowledge import Problems, read_manifest, read_speech_lines

    from officebot.library.layers import fingerprint

    directory = installed_knowledge_dir()
    manifest = read_manifest(directory, Problems())
    for speech in manifest.speeches:
        assert manifest.entries[speech.id].get("sha1") == fingerprint(read_speech_lines(directory, speech))


def test_copy_of_shipped_knowledge_is_a_standalone_knowledge_dir(tmp_path):
    target = tmp_path / "k"
    shutil.copytree(installed_knowledge_dir(), target, ignore=shutil.ignore_patterns("__pycache__"))
    assert len(read_knowledge(Layers.standalone(target)).corpus.speeches) == 2


def test_the_bot_starts_on_the_shipped_knowledge_when_the_library_has_a_mistake(data_dir, caplog):
    from officebot.library.live import open_live

    write(data_dir / "library" / "synonyms.yaml", "上报: [报送\n")
    live = open_live(None, data_dir)
    assert len(live.speeches) == 2 and live.search("信息报送时限是多少").answered
    assert any("synonyms.yaml:" in r.getMessage() for r in caplog.records)
    assert not live.reload().ok  # still broken: the shipped knowledge stays live
    write(data_dir / "library" / "synonyms.yaml", "急茬: [紧急信息]\n")
    assert live.reload().ok and "紧急信息" in live.current.synonyms.expand("急茬")
