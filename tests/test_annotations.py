"""annotations.yaml: questions bound to paragraphs, and questions marked not covered."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from officebot.retrieval.knowledge import KnowledgeError

from officebot.library.annotations import (
    FILE_NAME,
    AnnotationsError,
    bind,
    dump,
    export_yaml,
    load_annotations,
    mark_not_covered,
    parse,
    read_annotations,
    unbind,
)

DOC = "district-office-directors"


def test_no_file_is_no_annotations(tmp_path):
    assert load_annotations(tmp_path / "library") == {}
    assert not (tmp_path / "library").exists()  # reading creates nothing


def test_bind_creates_the_library_directory_and_the_file(tmp_path):
    library = tmp_path / "data" / "library"
    assert bind(library, "服从哪几个方面", DOC, 8)
    assert load_annotations(library) == {(DOC, 8): ["服从哪几个方面"]}
    text = (library / FILE_NAME).read_text(encoding="utf-8")
    assert "服从哪几个方面" in text and text.startswith("#")
    assert not [p for p in library.iterdir() if p.name.endswith(".tmp")]  # no temporary file left


def test_same_question_in_other_punctuation_is_one_question(tmp_path):
    assert bind(tmp_path, "服从哪几个方面", DOC, 8)
    assert not bind(tmp_path, "服从 哪几个方面？", DOC, 8)
    assert load_annotations(tmp_path) == {(DOC, 8): ["服从哪几个方面"]}


def test_rebinding_moves_the_question(tmp_path):
    bind(tmp_path, "对谁忠诚", DOC, 6)
    bind(tmp_path, "对谁忠诚", DOC, 7)
    bind(tmp_path, "忠诚于谁", DOC, 7)
    assert load_annotations(tmp_path) == {(DOC, 7): ["对谁忠诚", "忠诚于谁"]}


def test_not_covered_and_binding_exclude_each_other(tmp_path):
    bind(tmp_path, "公章谁管", DOC, 3)
    assert mark_not_covered(tmp_path, "公章谁管")
    assert not mark_not_covered(tmp_path, "公章谁管？")
    annotations = read_annotations(tmp_path)
    assert annotations.bound == {} and annotations.not_covered == ["公章谁管"]
    bind(tmp_path, "公章谁管", DOC, 3)
    annotations = read_annotations(tmp_path)
    assert annotations.not_covered == [] and annotations.binding("公章谁管") == (DOC, 3)


def test_unbind_forgets_either_decision(tmp_path):
    bind(tmp_path, "对谁忠诚", DOC, 6)
    mark_not_covered(tmp_path, "公章谁管")
    assert unbind(tmp_path, "对谁忠诚") and unbind(tmp_path, "公章谁管")
    assert not unbind(tmp_path, "从没记过")
    assert read_annotations(tmp_path).handled() == set()


@pytest.mark.parametrize("question", ["", "   ", "？？！", "问" * 501])
def test_bad_questions_are_refused_and_change_nothing(tmp_path, question):
    bind(tmp_path, "对谁忠诚", DOC, 6)
    before = (tmp_path / FILE_NAME).read_bytes()
    with pytest.raises(AnnotationsError):
        bind(tmp_path, question, DOC, 6)
    with pytest.raises(AnnotationsError):
        mark_not_covered(tmp_path, question)
    assert (tmp_path / FILE_NAME).read_bytes() == before


def test_bad_paragraph_is_refused(tmp_path):
    for doc, paragraph in (("", 3), (DOC, 0), (DOC, -1)):
        with pytest.raises(AnnotationsError):
            bind(tmp_path, "问题", doc, paragraph)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("bound:\n  - doc: a\n    paragraph: x\n    questions: [q]\n", 2),
        ("bound:\n  - doc: a\n    paragraph: 3\n", 2),
        ("bound:\n  - doc: a\n    paragraph: 3\n    questions: [q]\n    extra: 1\n", 2),
        ("bound: 3\n", 1),
        ("not_covered:\n  - [a, b]\n", 2),
        ("other: []\n", 1),
        ("bound: [\n", 2),
        ("- a\n", 1),
    ],
)
def test_a_malformed_file_names_the_file_and_line(tmp_path, text, line):
    (tmp_path / FILE_NAME).write_text(text, encoding="utf-8")
    with pytest.raises(AnnotationsError) as caught:
        load_annotations(tmp_path)
    assert f"{FILE_NAME}:{line}:" in str(caught.value)
    assert isinstance(caught.value, KnowledgeError) and caught.value.line == line  # reported with the library's problems
    with pytest.raises(AnnotationsError):  # and nothing is written over it
        bind(tmp_path, "问题", DOC, 3)
    assert (tmp_path / FILE_NAME).read_text(encoding="utf-8") == text


def test_a_hand_edited_file_is_read(tmp_path):
    (tmp_path / FILE_NAME).write_text(
        "# 手工\nbound:\n  - doc: a\n    paragraph: 3\n    questions:\n      - 问一\n      - 问一？\n      - 问二\n"
        "not_covered:\n  - 公章\n", encoding="utf-8")
    annotations = read_annotations(tmp_path)
    assert annotations.bound == {("a", 3): ["问一", "问二"]} and annotations.not_covered == ["公章"]


def test_export_is_the_file_and_reads_back(tmp_path):
    bind(tmp_path, "对谁忠诚", DOC, 6)
    mark_not_covered(tmp_path, "公章谁管")
    exported = export_yaml(tmp_path)
    assert exported == (tmp_path / FILE_NAME).read_text(encoding="utf-8")
    again = parse(exported)
    assert again.bound == {(DOC, 6): ["对谁忠诚"]} and again.not_covered == ["公章谁管"]


def test_concurrent_binds_all_land(tmp_path):
    def work(n: int) -> None:
        bind(tmp_path, f"问题{n}", DOC, 1 + n % 3)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(len(q) for q in load_annotations(tmp_path).values()) == 20


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=30), st.integers(1, 50)), max_size=8))
def test_dump_and_parse_round_trip(pairs):
    from officebot.library.annotations import Annotations, normalize

    annotations = Annotations()
    seen = set()
    for question, paragraph in pairs:
        question = " ".join(question.split())
        if not normalize(question) or normalize(question) in seen:
            continue
        seen.add(normalize(question))
        annotations.bound.setdefault((DOC, paragraph), []).append(question)
    assert parse(dump(annotations)).bound == {k: v for k, v in annotations.bound.items() if v}


def test_bindings_reach_the_corpus(tmp_path):
    """What the library puts into Corpus.annotations is what load_annotations gives."""
    from officebot.retrieval.knowledge import default_knowledge_dir, read_corpus

    bind(tmp_path, "服从哪几个方面", DOC, 8)
    corpus = read_corpus(default_knowledge_dir())
    corpus.annotations.update(load_annotations(tmp_path))
    assert corpus.annotations[(DOC, 8)] == ["服从哪几个方面"]
    assert any(st.speech.id == DOC for st in corpus.speeches)


def test_a_bound_wording_finds_its_paragraph(tmp_path):
    """End to end through the index: once the engine indexes Corpus.annotations (its KnowledgeBase
    takes `annotations`), a bound wording and a similar one find the bound paragraph first."""
    import inspect

    from officebot.retrieval import KnowledgeBase
    from officebot.retrieval.knowledge import default_knowledge_dir, read_corpus

    if "annotations" not in inspect.signature(KnowledgeBase.__init__).parameters:
        pytest.skip("this engine does not index Corpus.annotations yet")
    question, similar, where = "领导交代的活儿该按什么来办", "领导交代的活儿按什么办", (DOC, 8)
    corpus = read_corpus(default_knowledge_dir())
    before = KnowledgeBase.build(corpus).search(question, 3)
    assert (before.hits[0].passage.doc_id, before.hits[0].passage.paragraph) != where
    bind(tmp_path, question, *where)
    corpus.annotations = load_annotations(tmp_path)
    kb = KnowledgeBase.build(corpus)
    for asked in (question, similar):
        top = kb.search(asked, 3).hits[0].passage
        assert (top.doc_id, top.paragraph) == where, asked
