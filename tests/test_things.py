"""The list of words naming concrete things of everyday life (retrieval/things.py)."""

from officebot.retrieval import things
from officebot.retrieval.things import THING_CLASSES, is_thing


def test_things_of_everyday_life_and_illnesses_are_things():
    for word in ("玫瑰", "痔疮", "手机", "羽毛球拍", "蜡烛", "高血压", "红烧肉"):
        assert is_thing(word), word


def test_two_things_run_together_are_a_thing(kb):
    # a compound 词林 lacks, kept as one word by jieba; a word that only ends in a thing is not one
    assert is_thing("手机电池") and "手机电池" not in things._things()
    for word in ("冷板凳", "拖后腿", "打电话", "弹钢琴", "手机关机"):
        assert not is_thing(word), word
    assert not kb.search("手机电池鼓包了还能继续用吗？", k=5).answered
    # its synonyms are a part's: 手机 -> 通信畅通 does not make a passage about duty name 手机电池
    assert things.is_joined_thing("手机电池") and not things.is_joined_thing("手机")
    assert not kb.search("手机电池老化了怎么看", k=5).answered
    assert kb.search("国庆轮到我值班，晚上手机能静音睡觉吗？", k=5).answered  # 手机 itself still reaches 通信畅通


def test_office_words_people_and_abstract_words_are_not():
    # 领导 is a person, 材料 also an abstract thing (a document), 会议室 a building (Bn, left out)
    for word in ("领导", "材料", "会议室", "信息", "纪律", "服从", "工作", "", "花"):
        assert not is_thing(word), word


def test_the_list_file_is_what_regenerate_writes():
    lines = things.THINGS_FILE.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    words = [line for line in lines if line and not line.startswith("#")]
    assert "--regenerate" in "".join(header)
    assert all(", ".join(sorted(THING_CLASSES)) in line for line in header[1:2])
    assert words == sorted(set(words)) and all(len(w) >= 2 and w.strip() == w for w in words)
    assert len(words) > 10000
