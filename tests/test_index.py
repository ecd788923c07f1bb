"""The index: BM25 weights against rank_bm25, the persisted file, token caches, annotations, threads."""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from officebot.retrieval import Corpus, KnowledgeBase, Speech, SpeechText
from officebot.retrieval import build as build_module
from officebot.retrieval import index as index_module
from officebot.retrieval.index import Postings, load_arrays, run_from_docs, save_arrays
from officebot.retrieval.knowledge import default_knowledge_dir, read_corpus
from officebot.retrieval.shapes import definition_subject, definition_subjects
from rank_bm25 import BM25Okapi


class LuceneBm25(BM25Okapi):
    """rank_bm25's Okapi with the positive Lucene IDF the project uses: the reference."""

    def _calc_idf(self, nd):
        self.idf = {w: math.log(1 + (self.corpus_size - n + 0.5) / (n + 0.5)) for w, n in nd.items()}


def reference_scores(docs: list[list[str]], terms: dict[str, float]) -> np.ndarray:
    bm = LuceneBm25(docs, k1=1.2, b=0.75)  # the project's Settings (BM25Okapi defaults to k1=1.5)
    total = np.zeros(len(docs))
    for term, weight in terms.items():
        if term in bm.idf:
            total += weight * bm.get_scores([term])
    return total


@pytest.fixture(scope="module")
def shipped_docs(kb) -> list[list[str]]:
    return [kb.tokenizer.tokens(p.text) for p in kb.passages]


@pytest.mark.parametrize("query", ["信息报送时限是多少", "办公室干部要加强学习，提高能力", "保密 保密 纪律", "红烧肉"])
def test_scores_equal_rank_bm25_on_the_shipped_passages(kb, shipped_docs, query):
    terms = {t: 1.0 - 0.1 * i for i, t in enumerate(dict.fromkeys(kb.tokenizer.tokens(query)))}
    ours = run_from_docs(shipped_docs).scores(terms)
    np.testing.assert_allclose(ours, reference_scores(shipped_docs, terms), rtol=1e-6, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from("甲乙丙丁戊己庚辛"), max_size=12), min_size=1, max_size=12),
    query=st.dictionaries(st.sampled_from("甲乙丙丁戊己庚辛壬"), st.floats(0.1, 2.0), max_size=5),
)
def test_scores_equal_rank_bm25_on_random_corpora(docs, query):
    if not any(docs):  # rank_bm25 divides by an average length of 0
        return
    ours = run_from_docs(docs, k1=1.2, b=0.75).scores(query)
    np.testing.assert_allclose(ours, reference_scores(docs, query), rtol=1e-6, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 50),
    columns=st.lists(st.tuples(st.sets(st.integers(0, 49), max_size=20), st.floats(0.01, 3.0)), max_size=6),
)
def test_the_scipy_kernel_adds_exactly_as_numpy(n, columns):
    """The compiled kernel, given all of a question's columns in one call, gives np.add.at's float32
    numbers column after column, bit for bit."""
    kernel = index_module.column_adder(index_module.KERNEL_MIN_DOCS)
    assert kernel is not index_module._add_columns_numpy  # scipy is installed with the project
    rng = np.random.default_rng(n)
    docs, spans = [], []
    for column, weight in columns:  # stored one after another, as a run's columns are
        column = sorted(d for d in column if d < n)
        if column:
            spans.append((len(docs), len(docs) + len(column), weight))
            docs.extend(column)
    docs = np.array(docs, dtype=np.int32)
    weights = rng.random(len(docs)).astype(np.float32) * 3
    spans.sort(reverse=True)  # as `Run.column_sums` adds them
    ours, theirs = np.zeros(n, np.float32), np.zeros(n, np.float32)
    kernel(ours, docs, weights, spans)
    for start, end, weight in spans:
        w = weights[start:end]
        np.add.at(theirs, docs[start:end], w if weight == 1.0 else w * np.float32(weight))
    assert np.array_equal(ours, theirs)


def test_a_large_run_sums_as_a_small_one():
    """A run past KERNEL_MIN_DOCS (scipy's kernel, the columns in one call) gives the same float32
    scores as numpy's adding of the same columns, whatever order the question names its terms in."""
    rng = np.random.default_rng(7)
    words = [f"w{i}" for i in range(40)]
    docs = [list(rng.choice(words, size=int(rng.integers(1, 12)))) for _ in range(index_module.KERNEL_MIN_DOCS + 500)]
    run = run_from_docs(docs)
    terms = {w: float(rng.uniform(0.3, 2.0)) for w in rng.choice(words, size=12, replace=False)}
    columns = {t: run.vocab[t] for t in terms if t in run.vocab}
    ours = run.column_sums(columns, terms)
    assert index_module.column_adder(run.n_docs) is not index_module._add_columns_numpy
    spans = sorted(((int(run.indptr[c]), int(run.indptr[c + 1]), terms[t]) for t, c in columns.items()), reverse=True)
    theirs = np.zeros(run.n_docs, np.float32)
    index_module._add_columns_numpy(theirs, run.docs, run.weights, spans)
    assert np.array_equal(ours, theirs)
    backwards = run.column_sums(columns, dict(reversed(list(terms.items()))))
    assert np.array_equal(ours, backwards)
    assert np.count_nonzero(ours) > 1000


@settings(max_examples=80, deadline=None)
@given(values=st.lists(st.integers(-(2**62), 2**62), max_size=200), small=st.booleans())
def test_sorted_unique_is_np_unique(values, small):
    """The build's sort-and-mask unique gives np.unique's array: values, order and dtype."""
    a = np.array([v % 1000 for v in values] if small else values, dtype=np.int32 if small else np.int64)
    ours, theirs = build_module.sorted_unique(a), np.unique(a)
    assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs)


def test_a_small_knowledge_base_starts_without_scipy(tmp_path):
    """scipy.sparse's import (a quarter of a second) is paid only by runs of KERNEL_MIN_DOCS or more."""
    import subprocess
    import sys

    code = ("import sys\nfrom officebot.retrieval import KnowledgeBase\n"
            f"kb = KnowledgeBase.load(cache_dir={str(tmp_path)!r})\n"
            "assert kb.search('信息报送时限是多少').hits\n"
            "print('scipy.sparse' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False"]


def test_run_membership_and_idf():
    run = run_from_docs([["信息", "报送"], ["信息"], ["会议"]])
    assert run.contains("信息", 0) and run.contains("信息", 1) and not run.contains("信息", 2)
    assert not run.contains("没有", 0)
    assert run.idf_of("会议") > run.idf_of("信息") > 0 and run.idf_of("没有") == 0.0
    assert not run.scores({"没有": 1.0}).any()


@settings(max_examples=60, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from("甲乙丙丁戊己庚辛"), max_size=10), min_size=1, max_size=12),
    groups=st.dictionaries(st.sampled_from("甲乙丙丁戊己庚辛壬"), st.sampled_from("xyz"), max_size=6),
    asked=st.sets(st.integers(0, 11)),
)
def test_group_share_counts_each_group_once(docs, groups, asked):
    run = run_from_docs(docs)
    columns = {t: c for t in groups if (c := run.vocab.get(t)) is not None}
    pool = np.array(sorted(d for d in asked if d < len(docs)), dtype=np.int32)
    found = run.group_share(columns, groups, pool)
    named = {groups[t] for t in columns}
    assert len(found) == len(pool)
    for d, share in zip(pool.tolist(), found.tolist()):
        had = {groups[t] for t in columns if t in docs[d]}
        assert share == pytest.approx(len(had) / len(named) if named else 0.0)


def test_postings():
    post = Postings.build([("a", 3), ("b", 1), ("a", 1), ("a", 3)])
    assert post.get("a").tolist() == [1, 3] and post.get("b").tolist() == [1] and post.get("c").tolist() == []


@pytest.mark.parametrize("text", ["落实就是抓好每件事", "所谓落实，是把事办成", "这是指挥的要求", "忠诚，就是对党忠诚",
                                  "什么是忠诚？忠诚就是效忠", "我们强调忠诚，就是要求对党忠诚", "我们讲的落实就是干",
                                  "思路清晰。落实，这就要求大家主动做事", "说到指挥,这就要求"])
def test_definition_subjects_agree_with_the_pattern(text):
    import re

    for query in ("什么是落实", "忠诚是什么意思", "指挥是什么"):
        subject = definition_subject(query)
        pattern = re.compile(rf"(?:^|(?<=[。？！?!；;：:，,、“”\"'‘’（）()《》【】\s的])){re.escape(subject)}"
                             rf"(?:就是|是指|即是|，就是|,就是|，这就要求|,这就要求)|所谓{re.escape(subject)}")
        assert (subject in definition_subjects(text)) == bool(pattern.search(text)), (query, text)


def test_array_file_round_trip_and_damage(tmp_path):
    path = tmp_path / "x.bin"
    save_arrays(path, {"n": [1, "二"]}, {"a": np.arange(5, dtype=np.int32), "e": np.zeros(0, dtype=np.float32)})
    header, arrays = load_arrays(path)
    assert header == {"n": [1, "二"]} and arrays["a"].tolist() == [0, 1, 2, 3, 4] and len(arrays["e"]) == 0
    path.write_bytes(path.read_bytes()[:-8])
    with pytest.raises(ValueError):
        load_arrays(path)
    path.write_bytes(b"garbage")
    with pytest.raises(ValueError):
        load_arrays(path)


# ---- the persisted index -------------------------------------------------------------------------


def small_corpus(extra: list[SpeechText] = (), annotations=None) -> Corpus:
    base = read_corpus(default_knowledge_dir())
    return Corpus(
        speeches=list(base.speeches) + list(extra), synonyms=base.synonyms, userdict=base.userdict,
        stopwords=base.stopwords, annotations=annotations or {},
    )


NEW_SPEECH = SpeechText(
    Speech("new-one", "关于公文流转的讲话", "2024-05-01", file="new-one.txt"),
    ("一、公文流转要规范", "公文流转实行登记制度，收文当天登记、当天分办，急件随到随办。", "二、档案归档要及时",
     "年度文件在次年六月底前整理归档，电子文件与纸质文件同步归档。"),
)


def answers(kb: KnowledgeBase, questions=("信息报送时限是多少", "公文流转怎么登记", "红烧肉怎么做")):
    return [kb.search(q, k=3).to_dict() for q in questions]


@pytest.fixture
def counted(monkeypatch):
    """How many sentences are tokenized for the index."""
    calls = []
    original = build_module.tokenize_sentences

    def spy(tokenizer, sentences):
        calls.append(len(sentences))
        return original(tokenizer, sentences)

    monkeypatch.setattr(build_module, "tokenize_sentences", spy)
    return calls


def test_a_second_build_reads_the_index_and_answers_the_same(tmp_path, counted):
    cache = tmp_path / "cache"
    first = KnowledgeBase.build(small_corpus(), cache_dir=cache)
    blocks = {b for p in first.passages for x in build_module.passage_sentences(p.text) for b in build_module.text_blocks(x)}
    assert sum(counted) == len(blocks)  # each distinct block once
    assert len(list(cache.glob("index-*.bin"))) == 1
    # the first build, which loaded jieba's dictionary to tokenize, kept its word counts
    assert list(cache.glob("words-*.bin"))
    second = KnowledgeBase.build(small_corpus(), cache_dir=cache)
    assert sum(counted) == len(blocks)  # nothing tokenized again
    assert not second._index.words.weights.flags.writeable  # mapped from the file, not rebuilt
    assert second.passages == first.passages and second.topics() == first.topics()
    assert answers(second) == answers(first)
    assert second.homophones("保秘") == first.homophones("保秘") and "保密" in second.homophones("保秘")
    # the second start reads only the word counts a question needs, not jieba's whole dictionary
    assert second.tokenizer._stored is not None


def test_adding_a_speech_tokenizes_only_that_speech(tmp_path, counted):
    cache = tmp_path / "cache"
    before = KnowledgeBase.build(small_corpus(), cache_dir=cache)
    counted.clear()
    after = KnowledgeBase.build(small_corpus([NEW_SPEECH]), cache_dir=cache)
    new = [p for p in after.passages if p.doc_id == "new-one"]
    assert len(new) == len(after.passages) - len(before.passages) == 2
    assert sum(counted) == len({b for p in new for x in build_module.passage_sentences(p.text)
                                for b in build_module.text_blocks(x)})
    assert len(list(cache.glob("index-*.bin"))) == 2
    top = after.search("收文登记有什么要求", k=1).hits[0].passage
    assert top.doc_id == "new-one" and "当天登记" in top.text
    uncached = KnowledgeBase.build(small_corpus([NEW_SPEECH]))
    assert answers(after) == answers(uncached)


def test_a_changed_line_is_noticed(tmp_path):
    cache = tmp_path / "cache"
    KnowledgeBase.build(small_corpus([NEW_SPEECH]), cache_dir=cache)
    lines = list(NEW_SPEECH.lines)
    lines[1] = lines[1].replace("当天分办", "次日分办")
    changed = KnowledgeBase.build(small_corpus([SpeechText(NEW_SPEECH.speech, tuple(lines))]), cache_dir=cache)
    assert any("次日分办" in p.text for p in changed.passages)
    assert "次日分办" in changed.search("收文登记后什么时候分办", k=1).hits[0].passage.text


def test_an_index_kept_by_other_code_is_rebuilt(tmp_path, monkeypatch):
    # a change to the code that builds the index makes a new one even if INDEX_FORMAT was not raised
    from officebot.retrieval import build

    cache = tmp_path / "cache"
    KnowledgeBase.build(small_corpus(), cache_dir=cache)
    (first,) = cache.glob("index-*.bin")
    monkeypatch.setattr(build, "_code_digest", "other code")
    KnowledgeBase.build(small_corpus(), cache_dir=cache)
    assert {p.name for p in cache.glob("index-*.bin")} - {first.name}


def test_a_knowledge_directory_is_read_again_by_other_code(tmp_path, monkeypatch):
    # the shortcut that skips reading an unchanged knowledge directory names the index it was built
    # into; other index code must not take that index
    import shutil

    from officebot.retrieval import build
    from officebot.retrieval.search import Settings

    knowledge, cache = tmp_path / "knowledge", tmp_path / "cache"
    shutil.copytree(default_knowledge_dir(), knowledge, ignore=shutil.ignore_patterns("__pycache__", "raw"))
    KnowledgeBase.load(knowledge, cache_dir=cache, progress=False)
    assert build.recall_directory(cache, knowledge, Settings()) is not None
    monkeypatch.setattr(build, "_code_digest", "other code")
    assert build.recall_directory(cache, knowledge, Settings()) is None


@pytest.mark.parametrize("damage", [b"", b"garbage", None])
def test_a_damaged_index_is_rebuilt(tmp_path, damage):
    cache = tmp_path / "cache"
    good = KnowledgeBase.build(small_corpus(), cache_dir=cache)
    (path,) = cache.glob("index-*.bin")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if damage is None else damage)
    again = KnowledgeBase.build(small_corpus(), cache_dir=cache)
    assert answers(again) == answers(good)
    assert KnowledgeBase.build(small_corpus(), cache_dir=cache).passages == good.passages  # and rewritten


@pytest.mark.parametrize("kept", ["tokens", "shapes"])
def test_a_damaged_speech_cache_is_made_again(tmp_path, kept):
    # what is kept per speech (its tokens, what its texts give the index) is made again if damaged
    cache = tmp_path / "cache"
    good = KnowledgeBase.build(small_corpus(), cache_dir=cache)
    for f in (cache / kept).rglob("*.bin"):
        f.write_bytes(b"\x00broken")
    for f in cache.glob("index-*.bin"):
        f.unlink()
    again = KnowledgeBase.build(small_corpus(), cache_dir=cache)
    assert np.array_equal(again._index.intents, good._index.intents) and answers(again) == answers(good)


def test_an_unwritable_cache_just_is_not_kept(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    kb = KnowledgeBase.build(small_corpus(), cache_dir=blocker / "cache")
    assert kb.search("信息报送时限是多少").answered
    assert capsys.readouterr().err == ""


def postings_as_sets(postings) -> dict[str, set[int]]:
    return {key: set(postings.get(key).tolist()) for key in postings.keys}


def test_a_speech_added_reads_the_others_shapes_back_and_builds_the_same_index(tmp_path, monkeypatch):
    # what is read off each speech's texts alone (intents, definitions, listed objects, enumerated
    # parts) is kept per speech: adding one makes only its own, and the index is a fresh build's
    cache = tmp_path / "cache"
    KnowledgeBase.build(small_corpus(), cache_dir=cache)
    made = []
    real = build_module.speech_shapes
    monkeypatch.setattr(build_module, "speech_shapes", lambda texts: made.append(texts) or real(texts))
    added = KnowledgeBase.build(small_corpus([NEW_SPEECH]), cache_dir=cache)
    assert len(made) == 1 and "公文流转实行登记制度" in made[0][-2] + made[0][-1]
    fresh = KnowledgeBase.build(small_corpus([NEW_SPEECH]))
    a, b = added._index, fresh._index
    assert np.array_equal(a.intents, b.intents) and a.enumerated == b.enumerated
    assert np.array_equal(a.char_df, b.char_df)
    assert postings_as_sets(a.definitions) == postings_as_sets(b.definitions)
    assert postings_as_sets(a.objects) == postings_as_sets(b.objects)
    assert answers(added, ("什么是忠诚", "服从什么", "办公室工作包括哪些", "公文流转怎么登记")) == answers(
        fresh, ("什么是忠诚", "服从什么", "办公室工作包括哪些", "公文流转怎么登记"))


def test_the_index_counts_the_passages_that_have_each_character(tmp_path):
    # kept with the index and read back; a character most passages have weighs little
    kb = KnowledgeBase.build(small_corpus(), cache_dir=tmp_path)
    index = kb._index
    texts = [p.text for p in kb.passages]
    for c in "的办拆":
        assert index.char_df[ord(c) - build_module.CJK_FIRST] == sum(c in t for t in texts) > 0
    assert index.char_df.sum() == sum(sum(0x4E00 <= ord(c) <= 0x9FFF for c in set(t)) for t in texts)
    assert index.char_weight("的") < index.char_weight("拆")
    assert index.char_weight("A") == index.char_weight("，") == 0.0
    assert index.char_weight("龘") > index.char_weight("拆")  # in no passage: the most telling
    kept = KnowledgeBase.build(small_corpus(), cache_dir=tmp_path)._index  # read back from the cache
    assert kept is not index and np.array_equal(kept.char_df, index.char_df)
    counts = np.zeros_like(index.char_df)
    build_module.add_char_counts(counts, build_module.char_counts(["办公室的办", "办文", "A1，"]))
    assert counts[ord("办") - build_module.CJK_FIRST] == 2 and counts[ord("室") - build_module.CJK_FIRST] == 1
    assert counts.sum() == 6  # 办 2, 公 室 的 文 1 each; a letter, a digit and a comma not counted
    codes, _ = build_module.char_counts(["办公室的办", "办文"])
    assert len(codes) == 2 * 5  # only the characters present are kept


def test_the_pinyin_table_is_kept_in_the_cache_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setattr(build_module, "_pinyin", None)
    table = build_module.pinyin_table(tmp_path)
    (kept,) = tmp_path.glob("pinyin-*.txt")
    assert table[ord("保") - build_module.CJK_FIRST] == "bao"
    import pypinyin

    real = pypinyin.lazy_pinyin
    monkeypatch.setattr(build_module, "_pinyin", None)
    monkeypatch.setattr(pypinyin, "lazy_pinyin", lambda *a, **k: pytest.fail("made again"))
    assert build_module.pinyin_table(tmp_path) == table  # read back
    kept.write_text("broken", encoding="utf-8")
    monkeypatch.setattr(build_module, "_pinyin", None)
    monkeypatch.setattr(pypinyin, "lazy_pinyin", real)
    assert build_module.pinyin_table(tmp_path) == table  # made again
    assert kept.read_text(encoding="utf-8").split("\n") == table


# ---- an index built by a child process (the bot's rebuilds of a large library) -----------------

def test_an_isolated_build_indexes_in_a_child_process_and_reads_its_index(tmp_path, monkeypatch):
    # a large corpus (any, with the threshold lowered) is indexed by a spawned child, which writes
    # the index into the cache; this process only reads it: its own build_index is never called
    from officebot.retrieval import search

    reference = answers(KnowledgeBase.build(small_corpus()))
    monkeypatch.setattr(search, "ISOLATED_MIN_CHARS", 0)
    monkeypatch.setattr(build_module, "build_index", lambda *a, **k: pytest.fail("indexed in this process"))
    cache = tmp_path / "cache"
    kb = KnowledgeBase.build(small_corpus(), cache_dir=cache, isolated=True)
    assert list(cache.glob("index-*.bin")) and answers(kb) == reference


def test_an_indexing_child_shows_progress_on_the_callers_stderr(tmp_path, monkeypatch, capfd):
    # a bot started on a terminal with a large library not yet indexed shows the build's progress
    from officebot.retrieval import search

    monkeypatch.setattr(search, "ISOLATED_MIN_CHARS", 0)
    monkeypatch.setattr(build_module, "build_index", lambda *a, **k: pytest.fail("indexed in this process"))
    KnowledgeBase.build(small_corpus(), cache_dir=tmp_path / "cache", progress=True, isolated=True)
    assert "建索引" in capfd.readouterr().err


def test_a_small_corpus_or_one_already_indexed_starts_no_child(tmp_path, monkeypatch):
    from officebot.retrieval import search

    children = []
    monkeypatch.setattr(search, "build_in_child", lambda *a, **k: children.append(a))
    cache = tmp_path / "cache"
    KnowledgeBase.build(small_corpus(), cache_dir=cache, isolated=True)  # below ISOLATED_MIN_CHARS
    monkeypatch.setattr(search, "ISOLATED_MIN_CHARS", 0)
    KnowledgeBase.build(small_corpus(), cache_dir=cache, isolated=True)  # its index is in the cache
    KnowledgeBase.build(small_corpus(), cache_dir=None, isolated=True)  # nowhere to put an index
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    KnowledgeBase.build(small_corpus(), cache_dir=blocker / "cache", isolated=True)  # nor here
    assert children == []


def test_a_child_killed_while_indexing_raises_and_one_that_fails_leaves_the_build_here(tmp_path, monkeypatch):
    import functools

    import childtargets
    from officebot.retrieval import search

    monkeypatch.setattr(search, "ISOLATED_MIN_CHARS", 0)
    monkeypatch.setattr(search, "build_in_child", functools.partial(search.build_in_child, target=childtargets.killed))
    with pytest.raises(search.IndexBuildError, match="信号 9"):
        KnowledgeBase.build(small_corpus(), cache_dir=tmp_path / "a", isolated=True)
    assert not list((tmp_path / "a").glob("index-*.bin"))
    monkeypatch.setattr(search, "build_in_child", functools.partial(search.build_in_child, target=childtargets.failing))
    kb = KnowledgeBase.build(small_corpus(), cache_dir=tmp_path / "b", isolated=True)
    assert answers(kb) == answers(KnowledgeBase.build(small_corpus()))


def test_the_indexing_child_ignores_ctrl_c(tmp_path):
    # Ctrl-C in the bot's terminal reaches the child too: it must finish the index, not fail the change
    import signal

    from officebot.retrieval import search

    before = signal.getsignal(signal.SIGINT)
    try:
        search._index_into_cache(small_corpus(), search.Settings(), str(tmp_path / "cache"))
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)
    assert list((tmp_path / "cache").glob("index-*.bin"))


def test_no_child_process_to_be_had_leaves_the_build_here(tmp_path, monkeypatch, caplog):
    import multiprocessing.context

    from officebot.retrieval import search

    def refused(self):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(search, "ISOLATED_MIN_CHARS", 0)
    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", refused)
    kb = KnowledgeBase.build(small_corpus(), cache_dir=tmp_path / "cache", isolated=True)
    assert answers(kb) == answers(KnowledgeBase.build(small_corpus()))
    assert "no child process" in caplog.text


def test_load_keeps_its_index_in_the_data_directory(tmp_path, data_dir):
    kb = KnowledgeBase.load()
    assert list((data_dir / "cache").glob("index-*.bin"))
    assert KnowledgeBase.load().passages == kb.passages


def test_default_cache_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("OFFICE_BOT_DATA", str(tmp_path / "data"))
    assert build_module.default_cache_dir() == tmp_path / "data" / "cache"
    monkeypatch.delenv("OFFICE_BOT_DATA")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert build_module.default_cache_dir() == tmp_path / "xdg" / "office-bot"


def test_progress_bar_when_asked(capsys):
    KnowledgeBase.build(small_corpus(), progress=True)
    assert "分词" in capsys.readouterr().err
    KnowledgeBase.build(small_corpus(), progress=False)
    assert capsys.readouterr().err == ""


def test_two_processes_tokenize_like_one(monkeypatch, tmp_path):
    monkeypatch.setattr(build_module, "PARALLEL_MIN_PASSAGES", 10)
    monkeypatch.setattr(build_module, "BATCH_BLOCKS", 7)
    parallel = KnowledgeBase.build(small_corpus([NEW_SPEECH]), cache_dir=tmp_path / "cache")
    monkeypatch.setattr(build_module, "PARALLEL_MIN_PASSAGES", 10**9)
    serial = KnowledgeBase.build(small_corpus([NEW_SPEECH]))
    assert answers(parallel) == answers(serial)


# ---- bound questions --------------------------------------------------------------------------------


def test_bound_questions_are_searched_but_never_shown():
    corpus = small_corpus([NEW_SPEECH])
    question = "小猫钓鱼式的拖拉怎么治"  # words the speeches never use
    plain = KnowledgeBase.build(corpus)
    assert not plain.search(question).answered
    corpus.annotations = {("new-one", 1): [question]}
    bound = KnowledgeBase.build(corpus)
    answer = bound.search(question, k=3)
    assert answer.answered
    top = answer.hits[0]
    assert (top.passage.doc_id, top.passage.paragraph) == ("new-one", 1)
    assert all("小猫" not in h.passage.text and "小猫" not in h.highlight for h in answer.hits)


# ---- threads --------------------------------------------------------------------------------------


def test_searches_from_several_threads_agree_with_one(kb):
    questions = ["信息报送时限是多少", "保秘工作要注意些啥", "红烧肉怎么做", "什么是落实", "同事之间有矛盾怎么办"] * 4
    expected = {q: kb.search(q, k=5).to_dict() for q in questions}
    fresh = KnowledgeBase.load()
    results: dict[int, list] = {}

    def work(n: int) -> None:
        results[n] = [fresh.search(q, k=5).to_dict() for q in questions]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(results[n] == [expected[q] for q in questions] for n in range(4))


def test_hashed_terms_find_every_term_and_nothing_else():
    from officebot.retrieval.index import HashedTerms

    terms = ["信息", "报送", "a", "信息报送", "", "😀", "保密"]
    table = HashedTerms(HashedTerms.arrays(terms, "t"), "t")
    assert [table.get(t) for t in terms] == list(range(len(terms)))
    assert [table.term(i) for i in range(len(terms))] == terms
    assert table.get("没有") is None and "没有" not in table and "保密" in table and len(table) == len(terms)


def test_loaded_passages_are_the_built_ones(tmp_path):
    cache = tmp_path / "cache"
    built = KnowledgeBase.build(small_corpus([NEW_SPEECH]), cache_dir=cache)
    loaded = KnowledgeBase.build(small_corpus([NEW_SPEECH]), cache_dir=cache)
    assert type(loaded.passages) is not list  # made from the file's arrays
    assert len(loaded.passages) == len(built.passages)
    assert list(loaded.passages) == list(built.passages) and loaded.passages[-1] == built.passages[-1]
    assert loaded.passages[1:3] == built.passages[1:3]
    top = loaded.search("信息报送时限是多少").hits[0].passage
    assert loaded.context(top.id) == built.context(top.id)


def test_object_questions_are_looked_up_in_the_index(kb):
    from officebot.retrieval.shapes import object_heads

    listing = [p for p in kb.passages if "服从" in object_heads(p.text)]
    assert listing
    ids = kb._index.objects.get("服从").tolist()
    assert ids == [p.id - kb.passages[0].id for p in listing]
    for question in ("办公室干部要服从什么", "办公室干部要服从的有哪几样", "要服从什么，分别是哪几样"):
        assert "服从规则" in kb.search(question, k=1).hits[0].passage.text, question


def test_a_failure_beside_the_worker_processes_is_raised_not_hung(monkeypatch):
    monkeypatch.setattr(build_module, "PARALLEL_MIN_PASSAGES", 1)
    monkeypatch.setattr(build_module, "BATCH_BLOCKS", 3)
    tokenizer = KnowledgeBase.build(small_corpus()).tokenizer
    texts = [["信息报送要及时。", "公文流转要规范。"], ["督查督办要落实。"]]

    def broken():
        raise ValueError("meanwhile failed")

    with pytest.raises(ValueError, match="meanwhile failed"):
        build_module.tokenize_while(texts, tokenizer, None, False, broken)
    tokens, extra = build_module.tokenize_while(texts, tokenizer, None, False, lambda: "made")
    assert extra == "made" and tokens[1] == [[tokenizer.tokens("督查督办要落实。")]]


def test_a_texts_index_words_are_its_blocks_words():
    """The build tokenizes each distinct block once and joins them: exactly the sentence's words."""
    from officebot.retrieval.knowledge import read_corpus

    corpus = read_corpus(default_knowledge_dir())
    tokenizer = KnowledgeBase.build(small_corpus()).tokenizer
    texts = [x for st in corpus.speeches for line in st.lines for x in build_module.passage_sentences(line)]
    texts += ["ＡＢＣ１２３，全角字母", "2021年GDP增长6.5%：好！", "  空格  与\t制表符 ", "İstanbul 的 İ", "——“引号”……"]
    assert len(texts) > 300
    for text in texts:
        joined = [w for b in build_module.text_blocks(text) for w in tokenizer.index_tokens(b)]
        assert joined == tokenizer.index_tokens(text) == tokenizer.tokens(text), text


def test_bigram_keys_give_the_bigrams_of_each_text():
    """The index counts bigram terms with numpy (`build._GramKeys`): the same terms, as often, as
    `text.bigrams` of each text."""
    from collections import Counter

    from officebot.retrieval.search import Settings
    from officebot.retrieval.text import bigrams

    passages, _ = build_module.split_corpus(read_corpus(default_knowledge_dir()), Settings().passage_chars)
    texts = [p.text for p in passages] + [
        "ＡＢＣ１２３，全角字母㐀豈", "2021年GDP增长6.5%：好！a", "单", "x", "", "İstanbul 的 İ 3.14% 中",
    ]
    grams = build_module._GramKeys()
    keys, docs = grams.of_texts(texts)
    label = grams.keys(bigrams("一、信息报送要“快”2021"))
    vocab, ids = grams.number(np.concatenate([keys, label]))
    term = {v: k for k, v in vocab.items()}
    counted = [Counter() for _ in texts]
    for doc, t in zip(docs.tolist(), ids[: len(keys)].tolist()):
        counted[doc][term[t]] += 1
    assert counted == [Counter(bigrams(t)) for t in texts]
    assert [term[t] for t in ids[len(keys):].tolist()] == bigrams("一、信息报送要“快”2021")


def test_passages_per_speech_from_the_arrays_as_from_the_passages(tmp_path):
    first = KnowledgeBase.build(small_corpus([NEW_SPEECH]), cache_dir=tmp_path / "cache")
    second = KnowledgeBase.build(small_corpus([NEW_SPEECH]), cache_dir=tmp_path / "cache")  # read from the file
    counted: dict[str, int] = {}
    for p in first.passages:
        counted[p.doc_id] = counted.get(p.doc_id, 0) + 1
    assert hasattr(second.passages, "counts_by_doc")
    assert second.passages_per_speech() == first.passages_per_speech() == counted
    assert counted["new-one"] == 2
