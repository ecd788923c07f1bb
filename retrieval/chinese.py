"""Traditional Chinese questions, folded to the simplified text the speeches are written in.

    to_simplified("資訊報送時限是多少")  ->  "信息报送时限是多少"

Two steps. Characters (and the phrases whose characters convert one-to-many, 乾部/幹部 -> 干部)
go through OpenCC's `t2s` conversion. Then, only if the question was in traditional characters,
Taiwan wording becomes mainland wording (资讯 -> 信息, 网路 -> 网络, 软体 -> 软件) from
`regional_words.txt`, a selection of OpenCC's own Taiwan-to-mainland phrase table (TWPhrasesRev).
OpenCC's full `tw2sp` conversion is not used: its table is made for software texts and turns
office words into other words (执行 -> 运行, 建立 -> 创建, 档案 -> 文件, 资料 -> 数据, 效能 -> 性能).
The selection keeps an entry only where the mainland word is at least `REGIONAL_RATIO` times as
common as the literal conversion in jieba's dictionary (mainland usage): 资讯 (561) against 信息
(12256) is replaced; 执行, 建立, 档案, 资料, 效能, 开启, 设定 are real mainland words and stay.
`python -m officebot.retrieval.chinese --regenerate` rebuilds the file from the installed opencc.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

REGIONAL_FILE = Path(__file__).with_name("regional_words.txt")
REGIONAL_RATIO = 20  # the mainland word must be this many times as common as the literal one

# A question with none of these characters is left alone without calling the converter: the fold
# is applied to every question, and most are simplified already. The set is the converter's own
# (every character t2s changes), built once.
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


@functools.cache
def _converter():
    try:
        import opencc
    except ImportError:  # a broken install must not stop the bot from answering simplified questions
        return None
    return opencc.OpenCC("t2s.json").convert


@functools.cache
def _regional() -> tuple[dict[str, str], int]:
    """Simplified Taiwan word -> mainland word, and the longest key's length."""
    table: dict[str, str] = {}
    if REGIONAL_FILE.is_file():
        for line in REGIONAL_FILE.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                source, _, target = line.partition("\t")
                if source and target:
                    table[source] = target.strip()
    return table, max(map(len, table), default=0)


def _replace_regional(text: str) -> str:
    table, longest = _regional()
    out: list[str] = []
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):  # longest match first, as OpenCC does
            target = table.get(text[i : i + size])
            if target is not None:
                out.append(target)
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def to_simplified(text: str) -> str:
    """The text in simplified characters and mainland wording; simplified text comes back as it is."""
    if not text or not _CJK.search(text):
        return text
    convert = _converter()
    if convert is None:
        return text
    simplified = convert(text)
    if simplified == text:  # already simplified: its words are the user's own
        return text
    return _replace_regional(simplified)


# ---- rebuilding regional_words.txt -------------------------------------------------------------

def regenerate(path: Path = REGIONAL_FILE) -> int:
    """Rebuild the regional table from the installed opencc's TWPhrasesRev (via its opencc_dict
    tool) and jieba's word counts; returns the number of entries written."""
    import subprocess
    import tempfile

    import jieba
    import opencc

    clib = Path(opencc.__file__).parent / "clib"
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "TWPhrasesRev.txt"
        subprocess.run(
            [str(clib / "bin" / "opencc_dict"), "-i", str(clib / "share" / "opencc" / "TWPhrasesRev.ocd2"),
             "-o", str(dump), "-f", "ocd2", "-t", "text"],
            check=True, env={"LD_LIBRARY_PATH": str(clib / "lib64")},
        )
        lines = dump.read_text(encoding="utf-8").splitlines()
    jieba.initialize()
    freq = jieba.dt.FREQ
    t2s = opencc.OpenCC("t2s.json").convert
    rows = []
    for line in lines:
        taiwan, _, mainland = line.partition("\t")
        literal, target = t2s(taiwan), t2s(mainland.split()[0])
        if literal != target and (freq.get(target, 0) + 1) >= REGIONAL_RATIO * (freq.get(literal, 0) + 1):
            rows.append(f"{literal}\t{target}")
    header = (
        f"# Taiwan wording -> mainland wording, both simplified: OpenCC {opencc.__version__} TWPhrasesRev,\n"
        f"# kept where jieba counts the mainland word at least {REGIONAL_RATIO} times as often.\n"
        "# Made by `python -m officebot.retrieval.chinese --regenerate`; do not edit by hand.\n"
    )
    path.write_text(header + "\n".join(sorted(rows)) + "\n", encoding="utf-8")
    return len(rows)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--regenerate"]:
        print(f"{regenerate()} entries written to {REGIONAL_FILE}")
    else:
        for arg in sys.argv[1:]:
            print(to_simplified(arg))
