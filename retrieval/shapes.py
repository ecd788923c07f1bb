"""What questions ask for and what answers look like: intents, definitions, topic names."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

MARKER = re.compile(r"^(?:第[一二三四五六七八九十]+[，,、]?|[一二三四五六七八九十]+[、，,]|[（(][一二三四五六七八九十\d]+[）)]|\d+\s*[.．、]|[一二三四五六七八九十]+(?=是|要))")


# Questions that ask for a kind of answer, and what a passage holding such an answer looks like.
INTENTS: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    # who / which person / which example
    # (not "对谁忠诚", "忠诚于谁", "向谁报告": those ask for the object of a verb, see `object_subject`)
    # ("哪个历史人物", "三国哪个人物", "哪位哲人": a kind of person between)
    # a saying quoted ("引用了哪句俗语", "用了什么名言"): "人们常说，“宰相门前七品官”"
    (re.compile(r"(?<![对向为给于跟与同和])谁|哪个人|哪位|什么人|哪个古人|哪(?:个|一位)[^，。？?的]{1,4}(?:人物|人)|例子|典故|故事|举了"
                r"|俗语|俗话|谚语|名言|名句|古语|格言"),
     re.compile(r"《[^》]+》|比如|例如|曾经说过|说过|古人|俗话说|常说|常言道|有句话|[赵孙诸马苏康栗][^\s，。]{1,2}(?:说|曾|的)")),
    # why
    (re.compile(r"为什么|为啥|为何|原因|怎么回事|咋回事"),
     re.compile(r"因为|所以|之所以|原因|决定了|说明了|这是为了|否则|一旦")),
    # how many / which items
    (re.compile(r"哪几|几个方面|几点|几条|哪些方面|几句话|分别"),
     re.compile(r"一是|二是|[一二三四五六七八九十]句话|[一二三四五六七八九十]个|、.{1,8}、.{1,8}、")),
    # a figure of speech asked ("讲责任时举了哪几个比喻", "打了什么比方"): a passage that likens or
    # illustrates ("一颗道钉足以倾覆一列火车", "像一颗钉子一样", "燃烧自己照亮别人的“蜡烛”觉悟")
    (re.compile(r"比喻|比方"),
     re.compile(r"像[^，。；,;]{1,12}(?:一样|一般)|如同|犹如|好比|仿佛|宛如|足以|比作|喻为|"
                r"[“\"][^“”\"]{1,4}[”\"](?:境界|觉悟|精神|情怀)")),
    # how long / how fast
    (re.compile(r"多久|多长时间|几个?小时|时限|期限|多快|几天"),
     re.compile(r"\d+\s*小时|[半一二两三四五六七八九十]+小时|第一时间|及时")),
]

LIST_ASK = INTENTS[2][0]  # "哪几", "分别", "几点": the question asks for items

_END = r"[？?。!！\s]*$"
_DEFINITION = re.compile(
    r"^(?:请问)?(?:(?:讲话|文中|文章)[里中]?)?(?:什么是|什么叫|何为|何谓|怎么理解|如何理解|怎么定义|如何定义|怎么解释|如何解释)"
    r"(?P<a>.{1,12}?)" + _END
    + r"|^(?:请问)?(?P<b>[^？?]{1,16}?)(?:是什么意思|的意思是什么|的?(?:含义|涵义|内涵)是什么|是什么(?:含义|内涵)|有什么(?:含义|内涵)|是什么|是指什么|指的是什么|指什么|是啥|什么意思"
    + r"|应该?怎么理解|怎么理解|如何理解|是怎么解释的|是如何解释的|怎么解释|如何解释|是怎么定义的|怎么定义|如何定义"
    + r"|下的定义是什么|的定义是什么|下了什么定义)" + _END
    # what X asks of people: "遇事能办要求办公室干部怎么做", "服从上级有什么要求" (the passage that says
    # "遇事能办，这就要求大家…", "服从上级，就是要尊重上级…" answers it)
    # (also "服从上级是什么要求", "…有什么具体要求", "…是怎么要求的")
    + r"|^(?:请问)?(?P<c>[^，,？?]{2,12}?)(?:(?:有什么|有哪些|有啥|提出了什么|提了什么|提出什么|提了啥|是什么|是啥|是哪些"
    + r"|是什么样的|是怎样的)(?:具体)?要求|是?(?:怎么|如何|怎样)要求的?)" + _END
    # ("遇事能办要求大家主动做到哪些事": the things to do)
    + r"|^(?:请问)?(?P<d>[^，,？?]{2,12}?)要求[^，,？?]{0,8}?(?:做到什么|做什么|怎么做|怎样做|做到哪些|做到啥|做啥|咋做"
    # ("…做到哪几件事", "…做到哪三个“干事”": the things, counted or quoted)
    + r"|做到哪(?:几|[一二两三四五六七八九十])[件个项样条点]?)(?:事|事情|“[^”]{1,4}”)?" + _END
    # "问策能对具体要做到什么": what X requires, asked without 要求
    + r"|^(?:请问)?(?P<e>[^，,？?]{2,12}?)(?:要|需要|应该|应当)(?:做到什么|做到哪些|做到啥)(?:事|事情)?" + _END
    # "讲话里怎么给“忠诚”下定义的", "给纪律下个定义": the definition asked with 给 X 下定义
    + r"|^(?:请问)?(?:[^，,？?“”\s]{0,6}?(?:讲话|文中|文章)[里中]?)?(?:是)?(?:怎么|怎样|如何)?给(?P<f>[^，,？?]{1,12}?)"
    + r"下(?:了|个|的)?(?:什么|怎样的|啥)?定义(?:的|是什么|是怎样的)?" + _END
)
_CJK2 = r"[\u4e00-\u9fff]{2}"
# "服从什么", "要落实什么": X什么 asks what X applies to, not what X is ("什么是服从"); so do
# "服从哪些", "服从些什么", "要服从的有哪几样" and "服从什么，分别是哪几样" (a clause after it)
_WHICH = r"(?:什么|哪些|哪几[样个种类项条点方面]*)"
_OBJECT = re.compile(rf"(?P<x>{_CJK2})(?:的(?:有|是|包括)?)?(?:一?些)?{_WHICH}(?=[，,；;？?。!！\s]|$)")
# "对谁忠诚", "向谁报告" (the verb after 谁) and "忠诚于谁", "服从谁" (the verb before it)
_TARGET = re.compile(rf"(?:对|向|为|给|跟|与)谁(?P<x>{_CJK2})|(?P<y>{_CJK2})(?:于|给|向)?谁" + _END)
_NOT_A_VERB = re.compile(r"[是的为叫指些么啥]")  # 是什么 (definition), 为什么 (why), 的什么, 那些什么
_CONTAINS = re.compile(r"有|包括|包含|涉及|分为")  # "要求有哪些", "包括哪些": the list itself is asked for


@functools.lru_cache(maxsize=1024)
def definition_subject(query: str) -> str:
    """X of a question asking what X is ("什么是落实", "忠诚是什么意思", "落实到底指什么",
    "讲话里的落实怎么理解", "讲话中说，落实是什么"), else ''. A question followed by a request
    ("落实是什么？请按讲话原意回答") is read by its first sentence. Kept for the last questions: a
    search asks it of the same question several times (its terms, its first stage, its parts)."""
    query = _LEAD.sub("", _COURTESY.sub("", query.strip()))
    m = _DEFINITION.match(query)
    if not m:
        first = _FIRST_QUESTION.match(query)
        m = _DEFINITION.match(first.group()) if first else None
    if not m:  # or by its first clause, when that asks it ("落实是什么，讲话怎么定义落实")
        first = _FIRST_CLAUSE.match(query)
        m = _DEFINITION.match(first.group(1)) if first else None
    if not m:
        return ""
    subject = (m.group("a") or m.group("b") or m.group("c") or m.group("d") or m.group("e") or m.group("f")
               or "").strip(" “”\"'")
    subject = _SUBJECT_FRAME.sub("", _SUBJECT_ADVERB.sub("", subject)).strip(" “”\"'")
    subject = _SUBJECT_MANNER.sub("", subject).strip(" “”\"'")
    subject = _SUBJECT_WORD.sub("", subject.rstrip("，,：: ")).strip(" “”\"'")
    subject = _SUBJECT_TARGET.sub("", _SUBJECT_ASKED.sub("", subject)).strip(" “”\"'")
    return subject if len(subject) >= 2 else ""


# "想问下遇事能办要求做到啥": the courtesy before a question in a chat asks nothing
_COURTESY = re.compile(r"^(?:请问一下|想问一下|想问下|问一下|问下|咨询一下|麻烦问下|麻烦问一下)[，,：:\s]*")
# "落实到底指什么", "落实究竟是什么": the adverb is no part of X; nor is "讲话里的" in "讲话里的落实是什么"
# or "市委书记讲话里" in "市委书记讲话里“熟事生办”是什么意思"
_SUBJECT_ADVERB = re.compile(r"(?:到底|究竟|具体|确切|本身)+是?$")  # "问策能对到底是要求…"
_SUBJECT_FRAME = re.compile(r"^(?:[^，,？?“”\s]{0,6}?(?:讲话|报告)(?:原文)?|原文|文中|文章)(?:[里中]?[给对]|[里中](?:所?(?:说|讲|提|提到|强调)的|的)?|(?:所?(?:说|讲|提|提到|强调))?的)")
# "遇事能办对办公室干部有什么要求", "忠诚对我们提出了什么要求": X asks of whom it asks, and X is
# what the passage says "遇事能办，这就要求…" of ("对党忠诚有什么要求": 对 begins X, and stays; X may be
# quoted: "“遇事能办”对办公室干部有什么要求")
_SUBJECT_TARGET = re.compile(r"(?<=[\u4e00-\u9fff][\u4e00-\u9fff”\"'])(?:对|给|向)[^，,？?对给向]{1,8}$")
# "“服从规则”，通俗点讲是什么意思", "说白了，忠诚是啥": how plainly to say it is no part of X
_MANNER = (r"(?:通俗|简单|直白|浅显|具体|简要)(?:一?点|一些|些|地)?(?:讲|说|来说|来讲|讲来|说来)|简而言之|说白了|"
           r"说穿了|换句话说|换个说法|用大白话(?:讲|说)?")
_SUBJECT_MANNER = re.compile(rf"^(?:{_MANNER})[，,：:\s]*|[，,\s]*(?:{_MANNER})$")
# "讲话怎么解释落实这个词", "“熟事生办”这个说法是什么意思", "服从规则这一条，怎么理解": X is the
# word, not "这个词"
_SUBJECT_WORD = re.compile(r"(?<=[\u4e00-\u9fff”\"'])(?:这个|这一|这|一)(?:词|词语|词儿|概念|说法|提法|条|点|句话?)$")
# "问策能对的要求是什么": what X asks is what X is said to be
_SUBJECT_ASKED = re.compile(r"(?<=[\u4e00-\u9fff]{2})的(?:具体)?(?:要求|标准)$")
_FIRST_QUESTION = re.compile(r"^[^？?]{2,20}[？?](?=.)")
_FIRST_CLAUSE = re.compile(r"^([^，,？?]{2,20})[，,](?=.)")
# "讲话中说，落实是什么": a clause that names the speech and ends at a comma only leads into the question
_LEAD = re.compile(r"^(?:请问)?(?:[^，,？?“”\s]{0,6}?(?:讲话|报告)|文中|文章)[里中]?"
                   r"(?:所?(?:说|讲|提到|指出|认为|强调|写道)(?:的)?)?[，,：:]\s*|"
                   # or the part of the speech it is in: "办公室干部的能力要求中，遇事能办要求做到什么"
                   r"^(?:在|关于)?[^，,？?“”\s]{2,12}?的[^，,？?“”\s]{2,6}(?:中|里|当中|方面)[，,：:]\s*")


def object_subject(query: str) -> str:
    """The verb X of a question asking what or whom X applies to ("服从什么" -> 服从, "对谁忠诚" and
    "忠诚于谁" -> 忠诚), else ''. Such a question is not the definition question "什么是X": its answer
    lists X's objects ("服从规则、服从大局、服从上级", "对党忠诚、对单位和事业忠诚")."""
    query = query.strip()
    if definition_subject(query):
        return ""
    m = _OBJECT.search(query) or _TARGET.search(query)
    if not m:
        return ""
    verb = m.groupdict().get("x") or m.groupdict().get("y") or ""
    return "" if not verb or _NOT_A_VERB.search(verb) or _CONTAINS.search(verb) else verb


def object_heads(text: str) -> frozenset[str]:
    """The verbs whose objects a text lists, as a question "X什么" or "对谁X" wants them: a verb the
    text asks about itself ("服从什么？服从规则…"), a head repeated over an enumeration ("服从规则、
    服从大局、服从上级"), or a verb after 对… twice ("对党忠诚、对单位和事业忠诚"). Depends on the
    text alone: the index computes it once per passage and looks verbs up at query time."""
    heads = {m.group(1) for m in _ASKS_ITSELF.finditer(text)}
    heads.update(m.group(1) for m in _PARALLEL.finditer(text))
    targets = [m.group(1) for m in _TOWARDS.finditer(text)]
    heads.update(v for v in set(targets) if targets.count(v) >= 2)
    return frozenset(h for h in heads if not _NOT_A_VERB.search(h))


# three or more items of two to five characters, one after the other, that begin ("零差错、零失误、零缺陷")
# or end ("想事、理事、做事、管事") with the same character. Each pattern begins at a 、, which the
# regex engine scans for quickly: one that tried every character took five times as long (3.7 s
# over a library of 100,000 passages)
_SHARED_HEAD = re.compile(r"、([\u4e00-\u9fff])[\u4e00-\u9fff]{1,4}(?:、\1[\u4e00-\u9fff]{1,4})+")
_SHARED_TAIL = re.compile(r"、[\u4e00-\u9fff]{1,3}([\u4e00-\u9fff])(?:、[\u4e00-\u9fff]{1,3}\1)+(?![\u4e00-\u9fff])")
# or have it third from the end ("对群众有感情、对服务有热情、对工作有激情": 有, the "三有")
_SHARED_INNER = re.compile(r"、[\u4e00-\u9fff]{1,4}([\u4e00-\u9fff])[\u4e00-\u9fff]{2}"
                           r"(?:、[\u4e00-\u9fff]{1,4}\1[\u4e00-\u9fff]{2})+(?![\u4e00-\u9fff])")


def _shared_heads(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_SHARED_HEAD` whose first item, before the first 、, begins with the
    character too (within its five characters)."""
    for m in _SHARED_HEAD.finditer(text):
        if m.group(1) in text[max(m.start() - 5, 0) : m.start() - 1]:
            yield m


def _shared_tails(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_SHARED_TAIL` whose first item, before the first 、, ends with the
    character too."""
    for m in _SHARED_TAIL.finditer(text):
        if m.start() and text[m.start() - 1] == m.group(1):
            yield m


def _shared_inner(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_SHARED_INNER` whose first item, before the first 、, has the character
    third from its end too."""
    for m in _SHARED_INNER.finditer(text):
        if m.start() >= 3 and text[m.start() - 3] == m.group(1):
            yield m


def shared_characters(text: str) -> set[str]:
    """The characters three or more items one after the other begin or end with ("零差错、零失误、
    零缺陷" -> 零), or have third from the end ("对群众有感情、对服务有热情…" -> 有): the index lists the
    text under each, beside `object_heads`' verbs (a verb asked is two characters, so the keys
    never meet), for a question counting items by one ("哪三个零", "哪“三有”")."""
    return ({m.group(1) for m in _shared_heads(text)} | {m.group(1) for m in _shared_tails(text)}
            | {m.group(1) for m in _shared_inner(text)})


def shared_items(text: str, x: str) -> list[str]:
    """The bigrams that stand for the character x in the items of `text` that share it, as
    `shared_characters` finds them: "零差错、零失误、零缺陷" -> 零差, 零失, 零缺; "想事、理事、做事" -> 想事,
    理事, 做事. A tokenizer glues such a character into each item's word, so a question that counts
    the items by it ("哪三个零") meets them only through these."""
    found: list[str] = []
    for m in _shared_heads(text):
        if m.group(1) == x:
            first = text.rfind(x, max(m.start() - 5, 0), m.start() - 1)
            found.append(text[first : first + 2])
            found.extend(item[:2] for item in m.group().split("、")[1:])
    for m in _shared_tails(text):
        if m.group(1) == x:  # the first item ends just before the match
            found.append(text[max(m.start() - 2, 0) : m.start()])
            found.extend(item[-2:] for item in m.group().split("、")[1:])
    for m in _shared_inner(text):
        if m.group(1) == x:  # the character with the one after it: 有感, 有热, 有激
            found.append(text[m.start() - 3 : m.start() - 1])
            found.extend(item[-3:-1] for item in m.group().split("、")[1:])
    return [g for g in dict.fromkeys(found) if len(g) == 2]


def enumerated_subjects(text: str) -> list[str]:
    """What a text enumerates the parts of, as a question "X包括哪些" wants them: the X of "X既有
    A、B，又有C、D", "X包括A、B、C", "X分为A、B、C" (the clause before the verb, 2 to 12 characters,
    when the rest of its sentence is an enumeration: two 、 or 既有…又有). Depends on the text
    alone. The verbs are found first and the clause read back from each: a pattern that tried
    every start in the text took 14 s over a library of 100,000 passages."""
    found: list[str] = []
    if not any(verb in text for verb in _ENUMERATING_VERBS):  # most texts: a quick no
        return found
    for m in _ENUMERATING_VERB.finditer(text):
        end = _SENTENCE_END.search(text, m.end())
        rest = text[m.end() : end.start() if end else len(text)]
        if rest.count("、") < 2 and "又有" not in rest:
            continue
        start = m.start()
        while start > 0 and m.start() - start < MAX_ENUMERATED and text[start - 1] not in _CLAUSE_BREAK:
            start -= 1
        if m.start() - start >= 2:
            found.append(text[start : m.start()])
    return found


MAX_ENUMERATED = 12
_ENUMERATING_VERBS = ("既有", "包括", "包含", "涵盖", "分为", "分成", "主要有")
_ENUMERATING_VERB = re.compile(rf"(?:都|也|主要|大致|一般)?(?:{'|'.join(_ENUMERATING_VERBS)})")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_CLAUSE_BREAK = frozenset("。！？!?；;，,：:“”") | frozenset(" \t\n\r\f\v\u3000")


_ASKS_ITSELF = re.compile(rf"({_CJK2})(?:什么|谁)[？?]")
_PARALLEL = re.compile(rf"({_CJK2})[\u4e00-\u9fff]{{1,6}}、\1")
_TOWARDS = re.compile(rf"对[\u4e00-\u9fff]{{1,6}}?({_CJK2})(?=[、，；。])")


def topic_name(label: str) -> str:
    """A heading without its numbering: "二是信息处理要“快”" -> "信息处理要“快”"."""
    name = MARKER.sub("", label.strip())
    return re.sub(r"^[是要]?(?=.{4,})", "", name) if name.startswith("是") else name


# A passage that says what X is: "X就是…", "X是指…", "所谓X…" (X as `definition_subject` finds it)
DEFINITION_MARKERS = ("就是", "是指", "即是", "，就是", ",就是", "，这就要求", ",这就要求")
DEFINITION_LEAD = "所谓"
MAX_SUBJECT = 12


# where a defined subject can begin: the start of a clause, or after 的 ("我们讲的忠诚就是…"); in
# "我们强调忠诚，就是要求…" the clause is about what we stress, and 忠诚 is not being defined
CLAUSE_START = frozenset("。？！?!；;：:，,、“”\"'‘’（）()《》【】 \n\t的")


def definition_subjects(text: str) -> set[str]:
    """Every X for which the text says what X is, i.e. every string `definition_subject` could
    return that the pattern X(就是|是指|即是|，就是|,就是|，这就要求|,这就要求)|所谓X matches in the text, X beginning
    a clause (`CLAUSE_START`)."""
    found: set[str] = set()
    for marker in DEFINITION_MARKERS:
        j = text.find(marker)
        while j >= 0:
            found.update(
                text[j - n : j] for n in range(2, min(MAX_SUBJECT, j) + 1) if n == j or text[j - n - 1] in CLAUSE_START
            )
            j = text.find(marker, j + 1)
    j = text.find(DEFINITION_LEAD)
    while j >= 0:
        rest = text[j + len(DEFINITION_LEAD) :]
        found.update(rest[:n] for n in range(2, min(MAX_SUBJECT, len(rest)) + 1))
        j = text.find(DEFINITION_LEAD, j + 1)
    return found


# ---- what something is likened to: "讲话把办公室比作什么", "党委办公室被称为党委的什么" ---------------
_LIKEN = (r"(?:比作|比成|比喻[为成作]?|比为|喻为|喻作|看作|看成|当作|当成|称为|称作|叫做|誉为|形容为|形容成|"
          r"定位为|定位成)")
_LIKENED = re.compile(
    rf"把(?P<a>[^，,？?。]{{2,16}}?){_LIKEN}(?P<ra>[^，,？?。]{{0,8}})"
    rf"|(?P<b>[^，,？?。把]{{2,20}}?)被?{_LIKEN}(?P<rb>[^，,？?。]{{0,8}})"
    r"|(?P<c>[^，,？?。把]{2,16}?)是(?P<rc>[^，,？?。是]{1,8}的(?:什么|啥|哪))"
    # "办公室是一个什么样的地方": what X is like, which a figure says
    r"|(?P<e>[^，,？?。把]{2,16}?)是(?:一个|个|一种|一块)?(?:什么样|怎样|怎么样)的(?:地方|东西|存在)"
)
_ASKING = re.compile(r"什么|啥|哪")
# "用了哪三个比喻形容办公室": the figures asked for, then what they describe,
# or "讲话最后是怎么形容办公室这个地方的": how the speech describes it
_FIGURES_OF = re.compile(r"(?:(?:哪|什么|啥|几)[^，,？?。]{0,4}(?:比喻|比方)[^，,？?。]{0,3}?|(?:怎么|怎样|如何)来?)"
                         r"(?:形容|描述|描绘|比喻)(?P<d>[^，,？?。]{2,16})")
# "讲话中", "讲话结尾", "市委书记在讲话里": the frame is no part of what is likened
_LIKEN_FRAME = re.compile(r"^(?:[^，,？?“”\s]{0,6}?(?:讲话|报告|文中|文章))?(?:[里中]|结尾|最后|开头|末尾)?(?:说|讲|提到)?(?:[把将])?")
# "办公室在机关运转中的位置": what is likened is the thing, not its place or role
_LIKEN_CUT = re.compile(r"(?<=..)(?:在|中|对|里|于|为|这|和|与|及|、|”)")
_LIKEN_TAIL = re.compile(r"(?:要|应该?|分别|都|也|又|还|就|可以|能|常|常常|通常|经常)+$")


# "党委办公室要发挥党委的什么作用": the words either side of 什么 (or 啥), two or three before and two
# after, as the speech may say them with the slot filled ("发挥好党委的“耳目”作用"); not 为什么, nor
# 什么样 (a manner), nor a slot at the end of the question ("讲话说了什么")
_CLOZE = re.compile(r"(?P<left>[\u4e00-\u9fff]{2,3})(?:什么|啥)(?P<right>[\u4e00-\u9fff]{2})")
_CLOZE_BREAKS = frozenset("，,。；;？?！!、：:") | frozenset(" \t\n\r\f\v\u3000")
MAX_CLOZE_FILL = 8  # characters in the slot filled, at most


def cloze(query: str) -> tuple[str, str] | None:
    """The question's words either side of its 什么, whose slot a passage may fill ("党委办公室要
    发挥党委的什么作用" -> 党委的, 作用; `fills`); None if the question has no such slot."""
    for m in _CLOZE.finditer(query):
        left, right = m.group("left"), m.group("right")
        if left.endswith("为") or right[0] in "样么" or right in ("意思", "东西"):
            continue
        return left, right
    return None


def fills(text: str, slot: tuple[str, str]) -> bool:
    """Whether the text has the slot's words with one to MAX_CLOZE_FILL characters between them,
    within a clause ("发挥好党委的“耳目”作用" fills 党委的 … 作用). Plain string searches: a pattern
    compiled for each question cost more than the search it made."""
    left, right = slot
    start = text.find(left)
    while start >= 0:
        a = start + len(left)
        b = text.find(right, a + 1, a + MAX_CLOZE_FILL + len(right))
        if b > a and not _CLOZE_BREAKS.intersection(text[a:b]):
            return True
        start = text.find(left, start + 1)
    return False


def likened_subject(query: str) -> str:
    """X of a question asking what X is likened to or called ("讲话把办公室比作什么", "党委办公室被
    称为党委的什么", "学习要当作哪几种东西", "办公室是党委的什么"), else ''. Its answer likens X
    to something: "办公室是推动机关正常运转的“中枢”", "要把学习当作一种责任" (`likens`)."""
    query = _LEAD.sub("", query.strip())
    figured = _FIGURES_OF.search(query)
    if figured and len(subject := _head(figured.group("d"))) >= 2 and not _ASKING.search(subject):
        return subject
    for m in _LIKENED.finditer(query):
        rest = m.group("ra") or m.group("rb") or m.group("rc") or ""
        if not (m.group("e") or _ASKING.search(rest)):
            continue
        subject = _head(m.group("a") or m.group("b") or m.group("c") or m.group("e") or "")
        if len(subject) >= 2 and not _ASKING.search(subject):
            return subject
    return ""


def _head(phrase: str) -> str:
    """What a phrase of the question names: without quotes or the frame naming the speech
    ("讲话中"), cut before a preposition or a conjunction ("办公室在机关运转中的位置" -> 办公室), then
    the noun after its last 的 ("办公室干部的工作常态" -> 工作常态), without a trailing adverb or
    modal ("学习要" -> 学习)."""
    subject = _LIKEN_FRAME.sub("", phrase.strip(" “”\"'")).strip(" “”\"'")
    cut = _LIKEN_CUT.search(subject)
    subject = subject[: cut.start()] if cut else subject
    return _LIKEN_TAIL.sub("", subject.rsplit("的", 1)[-1])


# "办公室在机关运转中处于什么地位", "参政设谋在办公室工作中是什么地位", "办公室在单位里扮演什么角色"
_ROLE = re.compile(r"(?P<x>[^，,？?。把]{2,20}?)(?:到底|究竟)?(?:处于|是|算|扮演|充当|担当|居于|排在|占)"
                   r"(?:个|一个)?什么(?:样的)?(?:地位|位置|角色|定位)")


def role_subject(query: str) -> str:
    """X of a question asking what X's place or role is ("办公室在机关运转中处于什么地位", "参政设谋
    在办公室工作中是什么地位"), else ''. The speeches answer it by saying what X is: "办公室是推动
    机关正常运转的“中枢”", "参政设谋是办公室工作的第一要务" (`states`)."""
    query = _LEAD.sub("", query.strip())
    for m in _ROLE.finditer(query):
        subject = _head(m.group("x"))
        if len(subject) >= 2 and not _ASKING.search(subject) and not _PRONOUN.fullmatch(subject):
            return subject
    return ""


_PRONOUN = re.compile(r"我们?|咱们?|你们?|他们|她们|大家|自己|这个|那个|这|那")


@functools.lru_cache(maxsize=256)
def _stating(subject: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(subject)}[^。；！？;!?]{{0,8}}?是[^，。；！？,;!?]{{2,16}}")


def states(text: str, subject: str) -> bool:
    """Whether a text says what `subject` is, within X's sentence: "X是…", "X方面，这是…"."""
    return subject in text and _stating(subject).search(text) is not None


@functools.lru_cache(maxsize=256)
def _likening(subject: str) -> re.Pattern[str]:
    x = re.escape(subject)
    return re.compile(
        rf"{x}[^。；！？;!?]{{0,8}}?是(?:[^，。；！？,;!?]{{0,14}}?“[^”]{{1,12}}”|一[个座所面块把条种])"
        rf"|{x}[^，。；！？,;!?]{{0,4}}?(?:被|堪)?{_LIKEN}"
        rf"|{x}[^，。；！？,;!?]{{0,6}}?(?:就像|好比|犹如|如同|好像|恰似|像是)"
    )


def likens(text: str, subject: str) -> bool:
    """Whether a text likens `subject` to something or says what it is called: "X是…的“Z”" (a
    quoted name, within a clause of X or the next: "密码工作方面，这是党的“生命线”"), "X是一个…",
    "把X当作…", "X被称为…", "X就像…"."""
    return subject in text and _likening(subject).search(text) is not None


# ---- items named by a shared character: "哪“三容”" -> "容言、容事、容人", "哪几“事”" -> "想事、理事、做事、管事"
_NUMERALS = "两二三四五六七八九十"
# what each Chinese numeral of a count stands for (两 and 二 are both 2)
NUMERAL_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九十")} | {"两": 2}
_COUNTED = re.compile(
    # quoted after a measure word or 什么: "哪四种“品”", "哪几个“要”", "分别是什么“品”"
    rf"(?:(?P<n2>[{_NUMERALS}])|哪几|几|什么|啥)[个种类样项条]?[“\"](?P<x2>[\u4e00-\u9fff])[”\"]"
    # or not quoted, after a measure word too, when it ends the phrase ("分成哪几种品？")
    rf"|(?:(?P<n>[{_NUMERALS}])[个种类样项条]?|哪几[个种类样项条]?|几[个种类样项条]?)(?P<q>[“\"]?)(?P<x>[\u4e00-\u9fff])(?P<e>[”\"]?)"
)
# a measure word or a word that asks is not the shared character ("哪几个方面", "三点", "几大")
_MEASURES = set("个点条项种句样方件类层次位名年天月字步大段部篇张本份回遍批套群组门处些什么哪多块里")
_AFTER_COUNTED = re.compile(r"[”\"？?，,。！!\s]|是|分别|指|都|呢|各|包括|具体|$")
_ITEM = r"[^、，。；,;：:\s]"


def counted_mark(query: str) -> str | None:
    """The character a question counts items by, quoted after the count ("哪几种“办”",
    "哪四个“心”" -> 办, 心), or None: not a quoted heading ("信息处理要“快”")."""
    for m in _COUNTED.finditer(query):
        if m.group("x2"):
            return m.group("x2")
        # the count quoted with it ("哪“三个住”", "“三零”是哪三个零"); not a measure ("“三大”")
        if (m.group("n") and m.group("e") and m.start() and query[m.start() - 1] in "“\""
                and m.group("x") not in _MEASURES):
            return m.group("x")
    return None


@functools.lru_cache(maxsize=1024)
def counted_items(query: str) -> re.Pattern[str] | None:
    """What the answer to a question for items named by a shared character looks like: "要做到哪
    “三容”" -> an enumeration of three items with 容 ("做到容言、容事、容人"), "主动做到哪几“事”" ->
    two or more items with 事 ("想事、理事、做事、管事"); None if the question asks no such thing.
    Kept for the last questions: a search asks it of the same question three times (its terms,
    its first stage, its answer judgement)."""
    counted = _counted(query)
    return _items_sharing(*counted) if counted else None


def counted_char(query: str) -> str | None:
    """The character a question counts items by, as `counted_items` reads it ("哪三个零" -> 零)."""
    counted = _counted(query)
    return counted[0] if counted else None


def counted_char_by_number(query: str) -> str | None:
    """The character a question counts items by when a number counts them ("三个零是哪三个" -> 零),
    else None (also for 哪几: "分哪几块" asks for parts, not for items sharing a character)."""
    counted = _counted(query)
    return counted[0] if counted and counted[1] else None


def _counted(query: str) -> tuple[str, str | None] | None:
    """The character items are counted by and the numeral that counts them (None for 哪几). The
    character follows a numeral (or 哪几) directly, quoted, or ends the phrase ("三容是什么")."""
    for m in _COUNTED.finditer(query):
        if m.group("x2"):
            return m.group("x2"), m.group("n2")
        x = m.group("x")
        if x in _MEASURES or (m.group("q") and not m.group("e")):
            continue
        if not m.group("e") and not _AFTER_COUNTED.match(query, m.end()):
            continue
        return x, m.group("n")
    # "德和才的四种组合分别是什么品": the items counted in one place ("四种") and asked by 什么 and the
    # character, not quoted, at the end of the phrase ("他是什么人" counts nothing)
    m = _WHAT_MARK.search(query)
    count = _COUNTED_KINDS.search(query) if m else None
    if m and count and m.group("x") not in _MEASURES:
        return m.group("x"), count.group("n")
    return None


_WHAT_MARK = re.compile(r"(?:什么|啥)(?P<x>[\u4e00-\u9fff])(?=[？?，,。！!\s]|$)")
_COUNTED_KINDS = re.compile(rf"(?P<n>[{_NUMERALS}])[个种类样项条]")


def _items_sharing(x: str, numeral: str | None) -> re.Pattern[str]:
    """Items of up to a dozen characters, one after the other, each with the character x, as many
    as the numeral says (two or more without one): "容言、容事、容人", "有德有才是“精品”，有德无才是“次品”，…"."""
    n = max(2, _NUMERALS.index(numeral) + 1) if numeral else 2  # 两, 二: 2; 三: 3…
    x = re.escape(x)
    return re.compile(rf"(?:{_ITEM}{{0,10}}{x}{_ITEM}{{0,2}}[、，,；;]){{{n - 1},}}{_ITEM}{{0,10}}{x}")


# ---- how each is done: "不同性质的事情分别该怎么办" -> "…的事情认真办、…的事情积极办、…" ----------
_MANNER = re.compile(r"(?:分别|各自|各)(?:该|要|应该|应当|需要|得)?(?:怎么|如何|怎样|咋)(?P<v>[\u4e00-\u9fff])")


def manner_verb(query: str) -> str | None:
    """The verb of a question for how each of several things is done ("分别该怎么办" -> 办)."""
    m = _MANNER.search(query)
    return m.group("v") if m else None


def manner_items(query: str) -> re.Pattern[str] | None:
    """What the answer to a question for how each of several things is done looks like: three
    or more items that each end with the verb asked ("分别该怎么办" -> "领导交办的事情认真办、职责
    明确的事情积极办、职责不明的事情商量办"); None if it asks no such thing."""
    verb = manner_verb(query)
    if verb is None:
        return None
    v = re.escape(verb)
    return re.compile(rf"(?:{_ITEM}{{1,12}}{v}[、，,；;]){{2,}}{_ITEM}{{1,12}}{v}")


# ---- examples asked: "讲话举了哪几个例子说明小事能酿成大祸" -> "一颗道钉足以倾覆一列火车,一根火柴足以
# 毁掉一片森林,一张处方足以决定一个人的生命" ---------------------------------------------------------
# (examples asked for, not the one an example is about: "举了个啥例子", "哪个历史例子", "举美国的例子")
_EXAMPLES_ASKED = re.compile(r"(?<![个一这那])(?:哪几个?|哪些|几个|什么|啥)(?:样的)?(?:例子|事例)")
# the figure the speech uses ("讲话用什么比喻说要扎根岗位", "打了啥比方"; 比作什么 is `likened_subject`'s)
_FIGURE_ASKED = re.compile(r"(?<![这那])(?:哪几个?|哪些|几个|什么|啥)(?:样的)?(?:东西)?(?:比喻|比方)|"
                           r"(?:怎么|如何|怎样)来?(?:比喻|打比方)")
# a clause that likens: "像一颗钉子一样牢牢固定在自己的工作上", "犹如…"; the words that liken before
# 一样/一般…, and those that liken by themselves. A text without one of LIKENING_WORDS has no likening
_LIKE_BEFORE = ("像", "好像", "如同", "犹如", "好比", "仿佛", "宛如", "恰似")
_LIKE_ALONE = ("如同", "犹如", "好比", "宛如", "比作", "喻为")
LIKENING = re.compile(rf"(?:{'|'.join(_LIKE_BEFORE)})([^，。；！？,;!?]{{1,16}}?)(?:一样|一般|似的|般)|"
                      rf"(?:{'|'.join(_LIKE_ALONE)})([^，。；！？,;!?]{{1,16}})")
LIKENING_WORDS = tuple(dict.fromkeys(_LIKE_BEFORE + _LIKE_ALONE))
_IN_CLAUSE = r"[^，,；;。！!？?：:]"
# three clauses in a row that share a pair of characters (not of function characters): 足以, 有的
_ALIKE_CLAUSES = re.compile(rf"{_IN_CLAUSE}{{0,10}}?(?P<s>(?![的了是在和与及要把将对为也都就])[\u4e00-\u9fff](?![的了是在和与及要把将对为也都就])[\u4e00-\u9fff])"
                            rf"{_IN_CLAUSE}{{0,20}}[，,；;]{_IN_CLAUSE}{{0,10}}?(?P=s){_IN_CLAUSE}{{0,20}}[，,；;]{_IN_CLAUSE}{{0,10}}?(?P=s)"
                            # or that begin alike, whatever the characters ("有的…，有的…，有的…")
                            rf"|(?:^|(?<=[，,；;。！!？?：:]))(?P<t>[\u4e00-\u9fff]{{2}}){_IN_CLAUSE}{{2,20}}[，,；;](?P=t)"
                            rf"{_IN_CLAUSE}{{2,20}}[，,；;](?P=t)")
_ALIKE_OR_LIKENING = re.compile(f"{_ALIKE_CLAUSES.pattern}|{LIKENING.pattern}")


# aspects asked ("组织上会从哪几个方面关心办公室干部"): the answer names each aspect with 上
# ("从政治上关心、工作上支持、精神上激励、生活上帮助")
_ASPECTS_ASKED = re.compile(r"(?:从|在)?(?:哪几个|哪些|哪几|几个)方面")
_ASPECTS = re.compile(r"(?:[\u4e00-\u9fff]{2}上[\u4e00-\u9fff]{2}[、，,；;]){2,}[\u4e00-\u9fff]{2}上[\u4e00-\u9fff]{2}")


# two sides asked ("原因有哪两方面", "从哪两个方面分析"): the answer says 一方面…另一方面
_TWO_SIDES_ASKED = re.compile(r"(?:哪|这)(?:两|二)个?方面")
_TWO_SIDES = re.compile(r"一方面[^。！？!?]{2,120}?另一方面")


def aspect_items(query: str) -> re.Pattern[str] | None:
    """What the answer to a question for the aspects of something looks like: three or more
    items that each name their aspect with 上 ("政治上关心、工作上支持、精神上激励"), or, asked for
    two, "一方面…另一方面…"; None if it asks for no aspects."""
    if _TWO_SIDES_ASKED.search(query):
        return _TWO_SIDES
    return _ASPECTS if _ASPECTS_ASKED.search(query) else None


# the things a question names one by one before asking for each ("对群众、对服务、对工作分别要有什么")
_NAMED_IN_TURN = re.compile(r"((?:[\u4e00-\u9fff]{1,4}、){2,}[\u4e00-\u9fff]{1,4})(?:[，,]?(?:这[几三四]\w{0,2})?)(?:分别|各自|各)")
# or run together, each led by the same preposition ("对群众对服务对工作分别要有什么")
_LED_IN_TURN = re.compile(r"((?P<lead>[对向在为从跟与])[\u4e00-\u9fff]{1,3}?(?:(?P=lead)[\u4e00-\u9fff]{1,3}?){2,})"
                          r"(?:[，,]?(?:这[几三四]\w{0,2})?)(?:分别|各自|各)")


def named_in_turn(query: str) -> re.Pattern[str] | None:
    """What the answer to a question naming three things or more in turn and asking for each looks
    like: the same things in the same order, each with a few words of its own ("对群众有感情、对服务
    有热情、对工作有激情"); None if the question names no such things."""
    m = _NAMED_IN_TURN.search(query)
    if m:
        names = m.group(1).split("、")
        names[0] = names[0][-len(names[1]):]  # the first as long as the next ("我们对群众、对服务" -> 对群众)
    elif m := _LED_IN_TURN.search(query):
        names = [x for x in re.split(f"(?={m.group('lead')})", m.group(1)) if x]
    else:
        return None
    names = [re.escape(x) for x in names]
    gap = r"[^、，,；;。！!？?]{0,8}[、，,；;]"
    return re.compile(gap.join(names))


def examples_items(query: str) -> re.Pattern[str] | None:
    """What the answer to a question for the speech's examples looks like: three clauses in a
    row built alike (a pair of characters in each: "一颗道钉足以…,一根火柴足以…,一张处方足以…");
    for its figures, those or a clause that likens ("像一颗钉子一样…"); None if it asks for
    neither."""
    if _FIGURE_ASKED.search(query):
        return _ALIKE_OR_LIKENING
    return _ALIKE_CLAUSES if _EXAMPLES_ASKED.search(query) else None


# ---- the traits of X: "办公室工作有哪些特点" -> "办公室工作具有强烈的政治规矩、较高的业务要求…" ----------
# X, then what asks for its traits: 有哪些 / 有什么 / 有哪几(个) 特点 (特征, 特性, 特色), or X的特点
_TRAITS_ASKED = re.compile(r"(?P<x>[\u4e00-\u9fff]{2,12}?)(?:都|又|主要)?(?:有(?:哪些|什么|哪几个?|几个|啥)(?:样的)?|的)"
                           r"(?:主要|基本|突出)?(?:特点|特征|特性|特色)")
_TRAITS_LEAD = re.compile(r"^.*?(?:讲话|文中|里面|里|中|说|提到|认为|看来|觉得|请问|请教|问一下|关于)")


def traits_of(query: str) -> re.Pattern[str] | None:
    """What the answer to a question for the traits of X looks like: X, or its last three
    characters or more, followed by 具有 ("办公室工作有哪些特点" -> "办公室工作具有强烈的政治规矩、较高
    的业务要求、严格的纪律规定"; "制度有什么特点" -> "制度具有全局性、稳定性…的特点"); None if it asks
    for no traits or names no X."""
    m = _TRAITS_ASKED.search(query)
    if not m:
        return None
    x = _TRAITS_LEAD.sub("", m.group("x"))
    if len(x) < 2:
        return None
    shortest = min(len(x), 3)
    names = [re.escape(x[-n:]) for n in range(len(x), shortest - 1, -1)]
    return re.compile(rf"(?:{'|'.join(names)})具有")


# ---- how a problem shows: "能力不足有哪些表现" -> "有的连最起码的会议通知都不会写，有的…" -------------
# (not "表现是什么评价" nor "表现出了什么样的精神面貌": how someone did, what they showed)
_SIGNS_ASKED = re.compile(r"(?:哪些|哪几种|哪几个|哪几类|什么|啥|几种)(?:具体|主要|突出)?的?表现|表现(?:在|有|为)(?:哪些|哪几)|"
                          r"具体(?:的)?表现|"
                          # what shows with what it shows between ("举了哪些办公室干部能力不足的表现")
                          r"(?:哪些|哪几种|哪几个|哪几类)[^，,。；;！!？?\s]{2,12}的表现")
_SIGNS = re.compile(r"有的[^。；;！!？?]{2,40}[，,；;]\s*有的")


def signs_of(query: str) -> re.Pattern[str] | None:
    """What the answer to a question for how something shows looks like: the cases it shows in,
    two or more told in a row with 有的 ("能力不足有哪些表现" -> "有的连最起码的会议通知都不会写，有的上报
    信息把情况说不清楚…"); None if it asks for no such thing."""
    return _SIGNS if _SIGNS_ASKED.search(query) else None


# ---- what kind of N: "要营造什么样的办公环境" -> "…的办公环境", "什么性质的工作" -> "服务性工作" -------
_KIND_OF = re.compile(r"什么(?:样(?:类型|类|型)?|性质|类型|型|“型”|种|类)的(?P<n>[\u4e00-\u9fff]{2,8})")
_NOUN_CUT = re.compile(r"(?<=..)(?:和|与|及|、|呢|啊|吗)")


def kind_of(query: str) -> re.Pattern[str] | None:
    """What the answer to a question for the kind of an N looks like: N with what qualifies it
    before it ("要营造什么样的办公环境" -> "…舒适的办公环境", "办公室工作是什么性质的工作" ->
    "服务性工作", "做一个什么“型”的办公室干部" -> "“开拓型”的办公室干部"); None if it asks no such thing."""
    m = _KIND_OF.search(query)
    if not m:
        return None
    noun = m.group("n")
    cut = _NOUN_CUT.search(noun)
    noun = noun[: cut.start()] if cut else noun
    return re.compile(rf"(?:的|性|型)”?“?{re.escape(noun)}")


# A question for the parts of a speech as a whole ("区里这篇讲话一共讲了哪三点", "市委书记的讲话分为
# 哪几个部分", "这篇讲话的主要内容是什么"): whatever precedes 讲话 names the speech, or nothing does;
# the question asks about nothing else
_SPEECH_PARTS = re.compile(
    r"^(?P<who>[^，,。；;：:？?！!、“”\s]{0,16}?)(?:这篇|这个|那篇|那个|这次的?|本次的?|那次的?|此次的?)?的?"
    r"(?:讲话|发言|讲稿)(?:稿|文稿|全文|原文)?(?:里|中|里面|当中)?"
    r"(?:(?:一共|总共|共|主要|都|大致|大体)?(?:(?:跟|与|和|给|向|对)大家)?"
    r"(?:讲了|讲|说了|说|谈了|谈|提了|提出了|提出|分为|分成|分了|分|包括|包含|有|交流了|交流|围绕)?了?"
    r"(?:哪|几|哪些)[几一二两三四五六七八九十]?个?(?:大?点|大?方面|大?部分|大块|块|层意思)(?:内容|要求|意见)?"
    r"(?:分别是什么|都是什么|是什么|是哪些|有哪些)?"
    r"|的?(?:主要内容|主要观点|要点|框架|结构|提纲|大纲|几个部分)(?:是什么|有哪些|是啥|都有什么|包括什么)?)"
    r"[？?。!！呢啊吧\s]*$")
# the words of a speech's name that say nothing of which speech it is
_SPEECH_NAME_FILLER = frozenset("这那篇个次此本的里上在中讲话一份")


def speech_named(query: str) -> str | None:
    """The characters that name the speech a question asks the parts of ("区里这篇讲话一共讲了哪
    三点" -> "区", "市委书记的讲话分为哪几个部分" -> "市委书记", "这篇讲话主要讲了哪几部分" -> ""), None
    when the question asks something else. Its answer is the speech's outline: its title, the sentence
    that announces its parts and the parts' headings (`KnowledgeBase._speech_outlines`)."""
    m = _SPEECH_PARTS.match(_COURTESY.sub("", query.strip()))
    if m is None:
        return None
    return "".join(c for c in m.group("who") if c not in _SPEECH_NAME_FILLER)
