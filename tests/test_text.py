"""The tokenizer: folding, punctuation, stopwords, the domain dictionary, bigrams."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from officebot.retrieval.knowledge import default_knowledge_dir
from officebot.retrieval.text import Tokenizer, bigrams, fold, fold_each, read_word_list, strip_for_match


@pytest.fixture(scope="module")
def tokenizer():
    d = default_knowledge_dir()
    return Tokenizer(d / "userdict.txt", set(read_word_list(d / "stopwords.txt")))


def test_full_and_half_width_fold_together(tokenizer):
    assert fold("ＡＢＣ１２３，：") == "abc123,:"
    assert tokenizer.tokens("Ｅｘｃｅｌ２４小时") == tokenizer.tokens("excel24小时")


def test_punctuation_and_stopwords_are_dropped(tokenizer):
    tokens = tokenizer.tokens("请问，信息报送的时限是多少？！")
    assert "，" not in tokens and "？" not in tokens and "的" not in tokens and "请问" not in tokens
    assert "信息报送" in tokens


def test_question_words_are_stopwords_but_still_seen_by_cut(tokenizer):
    assert "多久" in tokenizer.cut("突发事件多久要报告")
    assert "多久" not in tokenizer.tokens("突发事件多久要报告")


def test_colloquial_question_words_are_stopwords_too(tokenizer, kb):
    # 啥时候 asks as 什么时候 does, 干嘛 as 干什么: no topic, and no word a passage must have
    for word in ("啥时候", "干嘛"):
        assert word in tokenizer.cut(f"书面材料{word}交") and word not in tokenizer.tokens(f"书面材料{word}交")
    assert kb.search("出了大事电话先报了，书面材料最晚啥时候交", k=5).answered


def test_domain_dictionary_keeps_terms_whole(tokenizer):
    assert "开口能讲" in tokenizer.cut("开口能讲、提笔能写", mode="precise")
    assert "督查督办" in tokenizer.cut("督查督办要实", mode="precise")


def test_search_mode_also_yields_the_parts_of_compounds(tokenizer):
    tokens = tokenizer.tokens("信息报送")
    assert {"信息", "报送", "信息报送"} <= set(tokens)


def test_empty_emoji_and_latin_inputs(tokenizer):
    assert tokenizer.tokens("") == []
    assert tokenizer.tokens("😀🎉👍") == []
    assert tokenizer.tokens("Hello WORLD") == ["hello", "world"]


def test_bigrams():
    assert bigrams("信息报送") == ["信息", "息报", "报送"]
    assert bigrams("快，") == ["快"]
    assert bigrams("24小时 Excel") == ["24", "小时", "excel"]
    assert bigrams("") == []


def test_strip_for_match_ignores_punctuation_and_width():
    assert strip_for_match("半小时内，电话报告！") == strip_for_match("半小时内电话报告")


def test_word_list_reader_skips_comments(tmp_path: Path):
    f = tmp_path / "words.txt"
    f.write_text("# 注释\n词一\n\n词二  # 行尾注释\n", encoding="utf-8")
    assert read_word_list(f) == ["词一", "词二"]
    assert read_word_list(tmp_path / "missing.txt") == []


def test_index_tokens_are_the_tokens_and_both_cuts_are_jiebas():
    from officebot.retrieval.text import _words, fold

    tokenizer = Tokenizer(["信息报送", "督查督办"], {"的", "是"})
    tokenizer.tokens("预热")  # the dictionary with the user's words, before jieba is asked directly
    for text in ("信息报送的时限是多少？", "党委办公室要做好督查督办工作，确保中央精神落地见效", "办公室" * 20, "a1，b2"):
        assert tokenizer.index_tokens(text) == tokenizer.tokens(text)
        precise, search = tokenizer.cuts(text)
        assert precise == _words(tokenizer._jieba.cut(fold(text), HMM=True))
        assert search == _words(tokenizer._jieba.cut_for_search(fold(text), HMM=True))
        assert tokenizer.cuts(text) == (precise, search)  # a long word's pieces, kept, are the same
    # a word added to the dictionary is a piece of the long words that hold it from then on
    text = "党委办公室要做好督查督办工作"
    assert "查督" not in tokenizer.cuts(text)[1]
    tokenizer.add_word("查督")
    assert "查督" in tokenizer.cuts(text)[1]
    assert tokenizer.cuts(text)[1] == _words(tokenizer._jieba.cut_for_search(fold(text), HMM=True))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    [chr(c) for c in (*range(0x20, 0x7F), *range(0xFF01, 0xFF5F), 0x3000, 0x301, 0x308, 0x2460, 0x3231, 0xFB01,
                      0x4E00, 0x4E8C, 0x3002, 0xFF0C, 0x2014, 0x201C)]), max_size=20))
def test_fold_is_nfkc_then_lower_case(text):
    import unicodedata

    assert fold(text) == unicodedata.normalize("NFKC", text).lower()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(
    [chr(c) for c in (*range(0x20, 0x7F), 0xFF01, 0xFF21, 0x3000, 0x301, 0x308, 0x345, 0x3A3, 0x391, 0x130, 0x2460,
                      0xFB01, 0x1100, 0x1161, 0x11A8, 0xAC00, 0x4E00, 0x3002, 0xFF0C, 0x0)]), max_size=8), max_size=6))
def test_fold_each_folds_each_text_as_fold_alone(texts):
    # combining marks and conjoining jamo that would compose with a neighbour, Greek capital sigma
    # (lower case depends on what follows), and texts that hold a NUL themselves
    assert fold_each(texts) == [fold(t) for t in texts]


def test_fold_each_cases_a_joined_fold_would_get_wrong():
    for texts in (["ΑΣ", "Α"], ["e", "\u0301x"], ["\u1100", "\u1161"], ["Ａ\0b", "C"], ["ﬁ", "①"]):
        assert fold_each(texts) == [fold(t) for t in texts]
