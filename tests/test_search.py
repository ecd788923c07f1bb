"""Ranking: answers, sources, highlights, and the edges of BM25 on a small corpus."""

import itertools
import json
from dataclasses import replace

import pytest
from officebot.retrieval import KnowledgeBase
from officebot.retrieval.answers import model_inputs
from officebot.retrieval.index import run_from_docs
from officebot.retrieval.search import Settings, definition_subject, longest_shared, question_phrases
from officebot.retrieval.shapes import speech_named
from officebot.retrieval.structure import build_paragraphs, split_passages
from officebot.retrieval.text import Tokenizer


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


def test_the_deadline_question_finds_the_deadline_passage(kb):
    answer = kb.search("信息报送时限是多少", k=3)
    assert answer.answered
    top = answer.hits[0]
    assert "半小时内电话报告" in top.passage.text
    assert "半小时内电话报告" in top.highlight
    assert top.passage.title and top.passage.date and top.passage.paragraph > 0
    assert "信息处理" in top.passage.section_label


@pytest.mark.parametrize("question", ["我们镇昨晚发生了山体滑坡，我得多久之内把情况报到区里？",
                                      "村里出了车祸死了人，要多快报上去？", "学校食堂发生了食物中毒，该报吗？"])
def test_a_concrete_emergency_is_one_of_the_kinds_of_urgent_information(kb, question):
    # the speech lists the kinds (地质灾害、安全事故…); staff name the event (synonyms.yaml)
    answer = kb.search(question, k=3)
    assert answer.answered and "半小时内电话报告" in answer.hits[0].passage.text, question


def test_highlight_is_a_sentence_of_the_passage(kb):
    for q in ("机要保密的原则", "开口能讲是什么意思", "同事之间有矛盾怎么办"):
        for hit in kb.search(q, k=3).hits:
            assert hit.highlight and hit.highlight in hit.passage.text


def test_one_hit_per_paragraph_and_ranks_in_order(kb):
    hits = kb.search("办公室干部要加强学习 提高能力 服从 纪律 忠诚", k=10).hits
    keys = [(h.passage.doc_id, h.passage.paragraph) for h in hits]
    assert len(keys) == len(set(keys))
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))


def test_k_is_respected(kb):
    assert len(kb.search("办公室", k=1).hits) == 1
    assert len(kb.search("办公室", k=0).hits) == 0
    assert len(kb.search("办公室", k=5).hits) == 5


@pytest.mark.parametrize("query", ["", "   ", "😀🎉👍", "Hello world", "？？？！！！", "的了吗"])
def test_queries_without_content_are_not_answered(kb, query):
    answer = kb.search(query, k=3)
    assert not answer.answered
    assert answer.hits == []
    assert 2 <= len(answer.suggestions) <= 3


def test_very_long_query_is_handled(kb):
    answer = kb.search("信息报送时限" * 2000, k=3)
    assert answer.hits and len(answer.hits) <= 3


@pytest.mark.parametrize("query", ["公务员年休假一年有几天", "红烧肉怎么做才好吃", "Excel怎么做数据透视表"])
def test_out_of_scope_questions_are_not_answered_and_get_topics(kb, query):
    answer = kb.search(query, k=3)
    assert not answer.answered
    assert answer.suggestions and all(isinstance(s, str) and s for s in answer.suggestions)
    topics = set(kb.topics())
    assert set(answer.suggestions) <= topics


def test_empty_knowledge_base(tmp_path):
    (tmp_path / "manifest.yaml").write_text("speeches: []\n", encoding="utf-8")
    kb = KnowledgeBase.load(tmp_path)
    answer = kb.search("信息报送时限是多少")
    assert not answer.answered and answer.hits == [] and answer.suggestions == []
    assert kb.context(0) == []


def test_json_shape(kb):
    data = json.loads(json.dumps(kb.search("信息报送时限是多少", k=2).to_dict(), ensure_ascii=False))
    assert set(data) >= {"query", "answered", "results"}
    r = data["results"][0]
    assert set(r) == {"rank", "score", "text", "highlight", "source"}
    assert set(r["source"]) == {"doc_id", "title", "section", "date", "paragraph"}
    assert isinstance(r["score"], float) and isinstance(r["source"]["paragraph"], int)


def test_context_gives_neighbours_of_the_same_speech(kb):
    top = kb.search("信息报送时限是多少").hits[0].passage
    ctx = kb.context(top.id, before=1, after=1)
    assert top in ctx and len(ctx) == 3
    assert all(p.doc_id == top.doc_id for p in ctx)
    first = kb.passages[0]
    assert kb.context(first.id)[0] == first


def test_definition_questions():
    assert definition_subject("什么是落实") == "落实"
    assert definition_subject("忠诚是什么意思？") == "忠诚"
    assert definition_subject("信息报送时限是多少") == ""


# ---- BM25 edges on tiny corpora -----------------------------------------------------------


def test_idf_stays_positive_for_a_term_in_half_the_passages():
    bm = run_from_docs([["信息", "报送"], ["信息", "保密"], ["会议"], ["后勤"]])
    assert bm.idf_of("信息") > 0
    scores = bm.scores({"信息": 1.0})
    assert scores[0] > 0 and scores[1] > 0 and scores[2] == 0


def test_idf_positive_in_a_one_passage_corpus():
    bm = run_from_docs([["信息", "报送"]])
    assert bm.scores({"信息": 1.0})[0] > 0


def test_passages_sharing_no_term_score_zero_and_are_not_returned(tmp_path):
    tokenizer = Tokenizer()
    paragraphs, _ = build_paragraphs("d", ["信息报送要快，第一时间报告。", "后勤保障要优，营造好的办公环境。", "机要保密要细，确保零纰漏。"])
    passages = split_passages(paragraphs, "标题", "2024-01-01")
    kb = KnowledgeBase([], passages, tokenizer)
    hits = kb.search("信息报送", k=3).hits
    assert [h.passage.text for h in hits] == ["信息报送要快，第一时间报告。"]


def test_a_passage_with_more_of_the_question_words_beats_one_word_said_often():
    """coord: BM25 alone ranks first the short passage that says 拆台 three times; the one that
    also has 同事之间 answers the question better."""
    lines = ["拆台害人，拆台害己，拆台误事，切记切记。",
             "同事之间要多沟通协调，做好各项工作，遇到分歧不要拆台，也不要越位，更不要推诿扯皮，凡事多商量。",
             "同事之间要多商量，遇事多通气，有话好好说。", "同事之间要互相帮助，取长补短，共同进步。",
             "同事之间要开短会，讲短话，不搞形式主义。", "后勤保障要周到细致，让大家安心工作。"]
    paragraphs, _ = build_paragraphs("d", lines)
    passages = split_passages(paragraphs, "标题", "2024-01-01")
    tokenizer = Tokenizer()
    # the first stage alone: the re-ranking (retrieval/rerank.py) has its own tests
    first = replace(Settings(), section_weight=0.0, rerank_weights=())
    plain = KnowledgeBase([], passages, tokenizer, settings=replace(first, coord_weight=0.0))
    coord = KnowledgeBase([], passages, tokenizer, settings=first)
    question = "同事之间拆台怎么办"
    assert plain.search(question, k=2).hits[0].passage.text == lines[0]
    assert coord.search(question, k=2).hits[0].passage.text == lines[1]


def test_a_passage_repeating_the_question_word_for_word_moves_up():
    """"党委办公室是党委的什么": BM25 prefers the passages that say 党委 and 办公室 most often; the
    one that says "党委办公室是党委的窗口" answers it, and the verbatim bonus puts it first (unquoted,
    the window is no likening for `shapes.likens`, which would put it first by itself)."""
    lines = ["党委办公室工作重要，党委办公室干部辛苦，秘书是党委的参谋。",
             "各级党委办公室要做到党委放心，党委办公室要为党委分忧，办公室的同志是党委的助手。",
             ("我们更要重视个人品行修养，在修身养德上躬身力行、做好表率，以良好的人格魅力赢得认同。"
              "党委办公室是党委的窗口，作为干部，要严以修身、俭以养德。"),
             "后勤保障要周到细致，让大家安心工作。", "信息报送要及时准确。", "督查督办要抓落实。"]
    paragraphs, _ = build_paragraphs("d", lines)
    passages = split_passages(paragraphs, "标题", "2024-01-01")
    tokenizer = Tokenizer()
    plain = KnowledgeBase([], passages, tokenizer, settings=replace(Settings(), phrase_weight=0.0))
    verbatim = KnowledgeBase([], passages, tokenizer)
    question = "党委办公室是党委的什么？"
    assert plain.search(question, k=3).hits[0].passage.text != lines[2]
    assert verbatim.search(question, k=3).hits[0].passage.text == lines[2]


@pytest.mark.parametrize(
    ("question", "phrases"),
    [("党委办公室是党委的什么？", ["党委办公室是党委的"]), ("讲话说要做一个什么“型”的办公室干部", ["讲话说要做一个", "的办公室干部"]),
     ("信息报送时限是多少", ["信息报送时限是"]), ("为什么", []), ("", [])],
)
def test_question_phrases_are_cut_at_punctuation_and_asking_words(question, phrases):
    assert question_phrases(question) == phrases


@pytest.mark.parametrize(
    ("question", "dropped"),
    [("市委书记讲话里“熟事生办”是什么意思？", {"市委书记", "市委", "书记"}), ("区里讲话说组织上会从哪几方面关心大家", {"区里"}),
     # named as who says it, without 讲话
     ("市委书记说要怎样留住办公室干部？", {"市委书记", "市委", "书记"}), ("书记强调办公室要当好什么", {"书记"})],
)
def test_the_speaker_of_the_speech_is_no_topic(kb, question, dropped):
    words, _, content, _ = kb._query_terms(question)
    assert not dropped & set(words)
    assert not dropped & {w for w, _ in content}


def test_a_speaker_named_as_who_says_it_does_not_pull_a_passage_about_another_secretary(kb):
    # the passage about 《人民的名义》 names a 市委书记; the answer is the speech's
    top = kb.search("市委书记说要怎样留住办公室干部？", k=3).hits[0]
    assert "用事业留人" in top.passage.text


@pytest.mark.parametrize("question", ["怎么写领导讲话", "领导讲话稿怎么写", "书记要求办公室做到什么"])
def test_a_leader_who_is_the_topic_stays(kb, question):
    words, _, _, _ = kb._query_terms(question)
    assert {"领导", "书记"} & set(words)


def test_longest_shared_stretch():
    assert longest_shared(["党委办公室是党委的"], "其实党委办公室是党委的“窗口”", 4) == 9
    assert longest_shared(["党委办公室是党委的"], "党委办公室要服务党委", 4) == 5
    assert longest_shared(["党委办公室是党委的"], "后勤保障", 4) == 4  # nothing longer than the floor
    assert longest_shared(["abc", "xyzw"], "..xyz..ab", 0) == 3


def test_a_quoted_phrase_is_searched_even_when_made_of_stopwords():
    """"哪几个“不能因为”": the quote is the speech's wording; 不能 and 因为 are stopwords, so without
    the quote's own bigrams the question would find nothing but 几个. The first stage's order is
    checked: every word of this question is a stopword, and on three lines the re-ranking's signals
    (coverage, the best sentence's share…) all read 0 for the passage quoted, as they never do in
    the question sets it is fitted on."""
    lines = ["要轻事重办，不能因为事小而不为，不能因为事杂而乱为，不能因为事急而盲为。",
             "工作中有几个环节要注意，几个方面要兼顾。", "后勤保障要周到细致，让大家安心工作。"]
    paragraphs, _ = build_paragraphs("d", lines)
    tokenizer = Tokenizer(stopwords={"哪", "几个", "不能", "因为"})
    kb = KnowledgeBase([], split_passages(paragraphs, "标题", "2024-01-01"), tokenizer,
                       settings=Settings(rerank_weights=()))
    _, grams, _ = kb.query_terms("哪几个“不能因为”")
    assert {"不能", "能因", "因为"} <= set(grams)
    found = kb.search("哪几个“不能因为”", k=2).hits
    assert found[0].passage.text == lines[0]
    assert found[0].score > found[1].score


@pytest.mark.parametrize("question", ["疏忽会出大事，讲话打了什么比方", "讲话用什么比方说明细节的重要",
                                      "讲话里用了哪些比喻来说明责任心"])
def test_a_figure_asked_finds_the_passage_that_likens(kb, question):
    """"讲话打了什么比方": the passage that illustrates the topic with a figure ("一颗道钉足以倾覆一列
    火车") answers."""
    # until stop 41 this was asked of a toy library of two one-sentence passages, where the first
    # stage put the plain one first (1.0 against 0.95: the figure makes its passage longer) and the
    # re-ranking turned the order for the shape asked; the deeper trees fitted since weigh the first
    # stage's lead more there, and do better on the rounds they were not fitted on
    assert "一颗道钉足以倾覆一列火车" in kb.search(question, k=2).hits[0].passage.text


def test_a_figure_not_asked_keeps_the_plain_passage_first():
    """Of two passages on the same topic, the one without a figure answers when no figure is
    asked. (The toy's other question, "疏忽会出大事，讲话打了什么比方", put the figure first until
    stop 41: there the first stage leads for the plain passage, 1.0 against 0.95, and the depth-7
    trees no longer turn that order; the figure questions on the speeches are asked above.)"""
    lines = ["疏忽会出大事，工作中一定要细心。",
             "疏忽会出大事，一颗道钉足以倾覆一列火车，一根火柴足以毁掉一片森林。",
             "后勤保障要周到细致。"]
    paragraphs, _ = build_paragraphs("d", lines)
    kb = KnowledgeBase([], split_passages(paragraphs, "标题", "2024-01-01"), Tokenizer())
    assert kb.search("疏忽会出大事，讲话怎么说", k=2).hits[0].passage.text == lines[0]


def test_parallel_items_keep_their_shared_function_character():
    """"对群众、对服务、对工作分别要有什么": 对 is a stopword, but the speech says the items in the
    same frame ("对群众有感情、对服务有热情…"), so each item's bigram with it is searched."""
    lines = ["对群众有感情、对服务有热情、对工作有激情。",
             "办公室的核心是服务群众，服务领导，服务基层，做好群众工作和服务工作。", "后勤保障要周到细致。"]
    paragraphs, _ = build_paragraphs("d", lines)
    tokenizer = Tokenizer(stopwords={"对", "分别", "要", "有", "什么"})
    kb = KnowledgeBase([], split_passages(paragraphs, "标题", "2024-01-01"), tokenizer)
    _, grams, _ = kb.query_terms("对群众、对服务、对工作分别要有什么")
    assert {"对群", "对服", "对工"} <= set(grams)
    assert kb.search("对群众、对服务、对工作分别要有什么", k=2).hits[0].passage.text == lines[0]
    _, grams, _ = kb.query_terms("群众、服务、工作分别要有什么")  # no shared character: nothing added
    assert not {"对群", "对服", "对工"} & set(grams)


@pytest.mark.parametrize("question, asking", [
    ("按德和才来分，人可以分成哪几种“品”？", "哪几种"),
    ("信息分为几类", "几类"),
    ("学习要向哪几类人学", "几类"),
    ("一共分为哪几个方面", "哪几个"),
])
def test_words_that_ask_how_many_or_which_are_no_topic(kb, question, asking):
    """哪/几/哪几/多少 + a measure word frames the question whatever jieba glues together: kept as a
    word, "哪几种" was a rare word no passage has, read as the question's topic."""
    assert asking in kb.tokenizer.both(question)[0]  # jieba keeps it whole
    assert asking not in [w for w, _ in kb.query_terms(question)[2]]


def test_which_kinds_finds_the_passage_that_grades_them(kb):
    top = kb.search("按德和才来分，人可以分成哪几种“品”？", k=3).hits[0].passage
    assert "有德有才" in top.text


def test_a_question_word_its_parts_and_synonyms_are_one_group(kb):
    words, _, _, groups = kb._query_terms("办公室的同事")
    assert {groups[t] for t in ("办公", "公室", "办公室") if t in words} == {"办公室"}
    assert groups["同事"] == "同事" and groups["同事"] != groups["办公室"]


@pytest.mark.parametrize("typo, word", [("保秘", "保密"), ("调差", "调查")])
def test_homophone_typos_find_the_intended_word(kb, typo, word):
    assert word in kb.homophones(typo)


def test_a_homophone_typo_still_finds_the_passage(kb):
    top = kb.search("保秘工作要注意些啥", k=3).hits[0].passage
    assert "保密" in top.text


def test_synonym_phrases_match_across_jieba_cuts(kb):
    words, _, content = kb.query_terms("领导交代任务的事")  # jieba cuts "交代任务" as one word
    assert "交办" in words
    assert any("交办" in expansions for w, expansions in content if "交代" in w)


def test_lone_characters_that_sound_like_a_word_are_merged(kb):
    _, _, content = kb.query_terms("工作上的秘蜜能说吗")
    assert ("秘蜜", ["秘密"]) in [(w, e[:1]) for w, e in content]


@pytest.mark.parametrize("query, name", [("讲道德的时候引用了哪个外国人的话", "康德"), ("讲信任时引用了谁的话", "约瑟夫")])
def test_questions_asking_who_find_the_passage_that_names_someone(kb, query, name):
    assert name in kb.search(query, k=1).hits[0].passage.text


def test_answer_features_are_bounded_and_separate_in_and_out_of_scope(kb):
    def features(q):
        _, _, content = kb.query_terms(q)
        return kb.answer_features(content, kb.search(q, k=5).hits, q)

    inside, outside = features("信息报送时限是多少"), features("办公室里能不能抽烟")
    assert len(inside) == len(outside)
    assert len(model_inputs(inside)) == len(kb.settings.answer_weights)
    assert all(0.0 <= f <= 1.0 for f in inside + outside)
    assert inside[0] > outside[0] and inside[2] < outside[2]


def test_calibration_runs_and_reports(capsys):
    from pathlib import Path

    from officebot.retrieval.calibrate import main

    root = Path(__file__).resolve().parent
    assert main([str(root / "questions.yaml"), str(root / "questions_validation.yaml")]) == 0
    out = capsys.readouterr().out
    assert "leave one set out" in out and "answer_weights" in out


@pytest.mark.parametrize("query", ["信息报送时限是多少", "办公室里能不能抽烟", "同事之间有矛盾了怎么办"])
def test_whether_answered_does_not_depend_on_k(kb, query):
    assert len({kb.search(query, k=k).answered for k in (1, 2, 3, 5, 10)}) == 1


def test_words_asking_what_the_speech_says_are_no_topic(kb):
    # "讲话里…有什么说法": 说法 asks what the speech says; without a reference to it, it is a word like any
    words, _, content = kb.query_terms("写报告总写不到点子上，讲话里有什么说法")
    assert "说法" not in words and "说法" not in [w for w, _ in content]
    assert "说法" in kb.query_terms("这种说法对不对")[0]


def test_a_word_typed_in_pinyin_finds_the_word(kb):
    # the input method did not convert: "jilv" is 纪律 typed without tones, "baomi" 保密
    assert kb._index.spelled("jilv") == ["纪律"] and kb._index.spelled("baomi") == ["保密"]
    assert kb._index.spelled("python") == [] and kb._index.spelled("a") == []
    answer = kb.search("jilv有哪六大类", k=3)
    assert answer.answered and "六大类" in answer.hits[0].passage.text


def test_reading_letters_as_pinyin_has_a_bounded_cost():
    # letters that almost read as pinyin ("nanana…q") must not be tried every way they can be cut
    from officebot.retrieval.build import _readings

    class Counting(frozenset):
        looked = 0

        def __contains__(self, item):
            Counting.looked += 1
            return frozenset.__contains__(self, item)

    syllables = Counting({"n", "a", "na", "an", "nan", "e", "en", "ne"})
    assert _readings("na" * 11 + "q", syllables) == []
    assert Counting.looked < 1000
    Counting.looked = 0
    assert 1 <= len(_readings("na" * 12, syllables)) <= 16 and Counting.looked < 5000


def test_a_word_asked_twice_counts_once_as_evidence_of_an_answer(kb):
    """"番茄炒蛋是先放蛋还是先放番茄": 先 and 放 said twice made four covered words of two."""
    query = "番茄炒蛋是先放蛋还是先放番茄？"
    _, _, content = kb.query_terms(query)
    assert [w for w, _ in content].count("先") == 2  # the ranking keeps the repeat
    hits = kb.search(query, k=3).hits
    once = [(w, ex) for j, (w, ex) in enumerate(content) if w not in [v for v, _ in content[:j]]]
    assert kb.answer_features(content, hits, query) == kb.answer_features(once, hits, query)
    assert not kb.search(query, k=3).answered


def test_the_words_asking_for_a_definition_are_no_topic():
    """"怎么给“忠诚”下定义": 定义 (and 下定 of jieba's search cut) ask what 忠诚 is; a passage that says
    下定决心 and 定义 is not the more about it than the one that says "忠诚就是…"."""
    lines = ["忠诚就是效忠、诚信、无二心，这是做人的根本。",
             "我们要下定决心，对定义不清的忠诚问题重新下定义，下定决心抓落实。",
             "后勤保障要周到细致。"]
    paragraphs, _ = build_paragraphs("d", lines)
    kb = KnowledgeBase([], split_passages(paragraphs, "标题", "2024-01-01"), Tokenizer())
    for question in ("讲话里怎么给“忠诚”下定义的？", "忠诚的定义是什么", "忠诚这个词的含义是什么"):
        words, _, content = kb.query_terms(question)
        assert not {"定义", "下定义", "下定", "含义", "词"} & set(words), question
        assert "忠诚" in [w for w, _ in content] and not {"定义", "下定义", "含义"} & {w for w, _ in content}, question
        assert kb.search(question, k=2).hits[0].passage.text == lines[0], question
    words, _, _ = kb.query_terms("下定决心有什么用")  # no definition asked: 下定 is a topic
    assert "下定" in words


def test_a_declined_question_whose_best_passages_came_close_is_near(kb):
    """`Answer.near`: not answered, and the answer model's probability at least
    `Settings.near_threshold`; the bot and the CLI offer the closest passage as such."""
    near = "那部反腐剧里的孙区长，为什么被拿来当反面教材"  # its closest passage answers it
    answer = kb.search(near, k=3)
    assert not answer.answered and answer.near and "孙连城" in answer.hits[0].passage.text
    assert answer.to_dict()["near"] is True
    for far in ("火星上有没有外星人", "😀"):  # nothing comes close
        assert not kb.search(far, k=3).near
    assert not kb.search("信息报送时限是多少", k=3).near  # answered: never near
    # the band is the model's: at the answer threshold nothing declined is near, at 0 everything
    # declined that has a passage with the question's words is
    shut = KnowledgeBase.load(settings=replace(Settings(), near_threshold=Settings().answer_threshold), cache_dir=None)
    assert not shut.search(near, k=3).near
    wide = KnowledgeBase.load(settings=replace(Settings(), near_threshold=0.0), cache_dir=None)
    for q in ("红烧肉怎么做才好吃", "单位公章由谁保管"):
        assert not kb.search(q, k=3).near and wide.search(q, k=3).near, q
    # an exact fact asked and not given (a telephone number) is no near miss at any threshold
    fact = wide.search("信息报送的电话号码是多少", k=3)
    assert fact.hits and not fact.answered and not fact.near


@pytest.mark.parametrize(("question", "named"), [
    ("区里这篇讲话一共讲了哪三点？", "区"),
    ("市委书记的讲话分为哪几个部分", "市委书记"),
    ("这篇讲话主要讲了哪几部分", ""),
    ("区里讲话的主要内容是什么", "区"),
    ("讲话有哪几个部分", ""),
    # a topic of its own: the search answers it
    ("坚持事业立身道德立世，讲话提了哪几点要求？", None),
    ("讲话提了哪三点希望和要求", None),
    ("公文包括哪几个部分", None),
    ("调研报告分为哪几部分", None),
])
def test_a_question_for_a_speech_s_parts_names_the_speech(question, named):
    assert speech_named(question) == named


@pytest.mark.parametrize(("question", "title"), [
    ("区里这篇讲话一共讲了哪三点？", "在全区党政办公室主任会议上的讲话"),
    ("市委书记的讲话分为哪几个部分", "市委书记在2021年全市党委办公室工作会议上的讲话文稿"),
    ("市里的讲话讲了哪几个方面", "市委书记在2021年全市党委办公室工作会议上的讲话文稿"),
])
def test_the_parts_of_the_speech_named_come_first(kb, question, title):
    """The answer to a question for a speech's parts is its outline: title, the sentence that
    announces the parts, the parts' headings."""
    a = kb.search(question, k=3)
    assert a.answered
    top = a.hits[0].passage
    assert top.kind == "outline" and top.title == title and top.text.startswith(f"《{title}》")
    assert [h.rank for h in a.hits] == list(range(1, len(a.hits) + 1))


def _speeches_kb(specs):
    passages, first = [], 0
    for doc_id, title, date, lines in specs:
        paragraphs, _ = build_paragraphs(doc_id, lines)
        made = split_passages(paragraphs, title, date)
        passages += [replace(p, id=first + j) for j, p in enumerate(made)]
        first += len(made)
    return KnowledgeBase([], passages, Tokenizer())


def test_a_speech_s_parts_latest_first_and_as_many_as_asked_first():
    def speech(n, intro):
        return [intro] + [x for i in range(n) for x in (f"{'一二三四'[i]}、要抓好第{i + 1}项工作", f"第{i + 1}项工作的要求是认真负责。")]
    kb = _speeches_kb([
        ("a", "在全县财政工作会议上的讲话", "2020-03-01", speech(3, "下面，我讲三点意见。")),
        ("b", "在全县教育工作会议上的讲话", "2023-05-01", speech(4, "下面，我讲四点意见。")),
        ("c", "在全市审计工作会议上的讲话", "2022-01-01", speech(3, "下面，我讲三点意见。")),
    ])
    titles = [h.passage.title for h in kb.search("这篇讲话讲了哪几点", k=3).hits]
    assert titles == ["在全县教育工作会议上的讲话", "在全市审计工作会议上的讲话", "在全县财政工作会议上的讲话"]
    titles = [h.passage.title for h in kb.search("这篇讲话讲了哪三点", k=3).hits]
    assert titles == ["在全市审计工作会议上的讲话", "在全县财政工作会议上的讲话", "在全县教育工作会议上的讲话"]
    a = kb.search("县里的讲话讲了哪几点", k=3)
    assert a.answered and {h.passage.title for h in a.hits[:2]} == {"在全县教育工作会议上的讲话", "在全县财政工作会议上的讲话"}
    assert all(h.passage.kind == "outline" for h in a.hits[:2])
    # a speech named that is not in the library: the search answers as for any question
    assert kb.search("省里的讲话讲了哪几点", k=3) == kb._search("省里的讲话讲了哪几点", 3)


def test_steps_skipped_are_the_links_not_to_be_left_out(kb):
    """步骤 takes 环节 and 程序 as synonyms: "不该少的环节一定不能少" answers a question about skipping steps."""
    a = kb.search("办事能不能跳过几个步骤图省事", k=3)
    assert a.answered and any("不该少的环节一定不能少" in h.passage.text for h in a.hits)
