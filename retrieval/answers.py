"""Which part of a paragraph answers, and signals of whether anything answers at all.

A paragraph longer than a passage is cut into parts, and one hit per paragraph is shown. The part
that scores best for the words of the question is often the one that repeats them most, not the one
that answers: asked "忠诚要对谁", the first half of the paragraph defines 忠诚, the second lists to
whom. `choose_part` re-chooses among the parts of the same paragraph: a part that has the shape of
the answer asked for more often (the question's "谁"/"什么" slot filled in: "对谁忠诚" -> "对党忠诚",
"服从什么" -> "服从规则、") and holds about as much of the question's words replaces the
best-scoring one; 上下文 shows the whole paragraph anyway. Coverage alone does not move the choice:
on the project's sets it picked the wrong half as often as the right one. A paragraph of at most
MAX_MERGED_CHARS is shown whole (`whole_paragraph`), while whether the question is answered is
still read off the part chosen.

`question_features` adds to the abstention model what tells a question near the topic that the
speeches do not answer ("公章怎么刻", "报销要什么手续") from one they do: whether the question's most
specific word is in the best passage at all, and whether the question asks for a kind of fact
(a procedure, a format, a date, an amount, a place) that the passage has no sign of.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .shapes import LIKENING, LIKENING_WORDS, LIST_ASK, NUMERAL_VALUE, counted_items, definition_subject
from .structure import split_sentences
from .text import fold, strip_for_match
from .things import is_joined_thing, is_thing
from .types import Hit, Passage, paragraph_key_of

if TYPE_CHECKING:
    from .search import KnowledgeBase

Content = list[tuple[str, list[str]]]

_WH = "谁|什么|哪些|哪几|哪个|哪种|啥"
_PREPOSITION = "对|向|给|为|跟|与|同|从|由|靠|按|凭|用|把|让"
_FILLER = r"[^\s，,。；;？?！!、：:“”\"]"
MAX_FIT_LOSS = 0.05  # a part that fills the slot may hold this much less of the question
# a question word this long names a thing of the speeches (遇事能办, 轻事重办): its defining part answers
NAMED_THING = 4
MAX_MERGED_CHARS = 560  # a split paragraph no longer than this is shown whole (`whole_paragraph`, `choose_part`)
# besides LIST_ASK: "站在哪些高度", "包括什么". Not outline.is_list_question, which also takes
# "有什么要求": with it one more answerable question of round 10 was declined and no hit improved
_ITEMS = re.compile(r"哪些|包括|有几|几[个种类项样]")


def text_coverage(kb: KnowledgeBase, content: Content, text: str) -> float:
    """Weighted share of the question's content words a text holds: `KnowledgeBase.coverage`
    for any text (an outline, a part), by the same weights."""
    return _coverage(kb, content, *_forms(kb, text))


def form_coverage(kb: KnowledgeBase, content: Content, form: tuple[str, frozenset]) -> float:
    """`text_coverage` of a text already in letters-and-digits form, with its words."""
    return _coverage(kb, content, *form)


def passage_coverage(kb: KnowledgeBase, content: Content, passage: Passage) -> float:
    """`text_coverage` of a passage's text and headings, read from the index (its words as the
    index holds them, its text with headings and bound questions): nothing is tokenized."""
    return _coverage(kb, content, *passage_forms(kb, passage))


def passage_forms(kb: KnowledgeBase, passage: Passage):
    """A passage's letters-and-digits form and its words, from the index."""
    return kb._haystack(passage), kb._passage_words(passage)


def coverage_weight(kb: KnowledgeBase, word: str, expansions: Sequence[str]) -> float:
    """A question word's weight in coverage: how specific it is, more for a word the speeches never
    use and that no synonym reaches, less for a lone character. Kept per knowledge base (which is
    read-only): a search weighs the same few words for every passage it looks at."""
    key = (word, not expansions)
    weight = kb._coverage_weights.get(key)
    if weight is None:
        weight = kb.tokenizer.specificity(word)
        if word not in kb._vocabulary() and not expansions:
            weight *= kb.settings.unknown_boost
        if len(word) == 1:
            weight *= 0.5
        if len(kb._coverage_weights) >= 20000:  # bounded, as the tokenizer's own tables are
            kb._coverage_weights.clear()
        kb._coverage_weights[key] = weight
    return weight


def _coverage(kb: KnowledgeBase, content: Content, haystack: str, words) -> float:
    if not content:
        return 0.0
    total = covered = 0.0
    for w, expansions in content:
        weight = coverage_weight(kb, w, expansions)
        total += weight
        if w in words or (len(w) != 2 and w in haystack) or any(e in haystack or e in words for e in expansions):
            covered += weight
    return covered / total if total else 0.0


_FORMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _forms(kb: KnowledgeBase, text: str) -> tuple[str, frozenset[str]]:
    """A text's letters-and-digits form and its words, cached per knowledge base: the same
    passages and outlines are looked at again and again."""
    cache = _FORMS.setdefault(kb, {})
    forms = cache.get(text)
    if forms is None:
        if len(cache) > 20000:  # texts come from the knowledge base, but stay bounded anyway
            cache.clear()
        forms = cache[text] = (strip_for_match(text), frozenset(kb.tokenizer.tokens(text)))
    return forms


def slot_patterns(
    query: str, content: Content = (), is_word: Callable[[str], bool] | None = None
) -> list[re.Pattern[str]]:
    """What the question's asked-for slot looks like filled in: "对谁忠诚" -> 对X忠诚, "服从什么" ->
    服从X、 (a list of what is obeyed). `is_word` tells a verb ending in a preposition's character
    (服从, 面对) from a preposition ("要对谁")."""
    patterns = []
    words = [re.escape(w) for w, _ in content if len(w) >= 2]
    for m in re.finditer(rf"(?P<left>[\u4e00-\u9fff]{{1,2}}?)(?P<wh>{_WH})", query):
        left = m.group("left")
        if query[m.start("wh") - 1 : m.start("wh") + 2] == "为什么":  # why: no slot to fill
            continue
        prep = re.search(rf"(?:{_PREPOSITION})$", left)
        if prep and len(left) == 2 and is_word is not None and is_word(left):
            prep = None  # 服从什么: a verb, not 从 + 什么
        if prep and words:  # "对谁忠诚": 对 + a filler + a word of the question, in one clause
            patterns.append(re.compile(rf"{prep.group()}(?!{_WH}){_FILLER}{{1,6}}?(?:{'|'.join(words)})"))
        elif not prep and len(left) == 2 and m.start("wh") == m.start() + 2:
            # "服从什么": the verb + a filler, as an item of a list
            patterns.append(re.compile(rf"{re.escape(left)}(?!{_WH}){_FILLER}{{1,6}}[、，,；;]"))
    counted = counted_items(query)  # "哪“三容”": three items with 容
    if counted is not None:
        patterns.append(counted)
    return patterns


def shape_score(patterns: Sequence[re.Pattern[str]], text: str) -> int:
    """How many times the text fills the question's slot (at most 3 count)."""
    return min(3, sum(len(p.findall(text)) for p in patterns))


def paragraph_parts(kb: KnowledgeBase, passage: Passage) -> list[Passage]:
    """Every part of the passage's paragraph, in order (passages of a paragraph are contiguous)."""
    passages = kb.passages
    key_of = paragraph_key_of(passages)
    key = (passage.doc_id, passage.paragraph)
    i = passage.id - passages[0].id
    lo = i
    while lo > 0 and key_of(lo - 1) == key:
        lo -= 1
    hi = i + 1
    while hi < len(passages) and key_of(hi) == key:
        hi += 1
    return passages[lo:hi]


def whole_paragraph(kb: KnowledgeBase, passage: Passage) -> Passage:
    """A part of a split paragraph shown with the rest of its paragraph, when the whole is at most
    MAX_MERGED_CHARS: the answer is often the part the question's words are not in ("外面诱惑那么
    多，怎么把持住自己": 诱惑 ends one part, 守得住清白 is in the next). Shown, not judged: whether
    the question is answered is read off the part, as the abstention model was fitted."""
    if passage.kind != "passage":
        return passage
    return _merged(passage, paragraph_parts(kb, passage)) or passage


def _merged(passage: Passage, parts: list[Passage]) -> Passage | None:
    """The passage with its paragraph's parts as its text, if there are several and together they
    are at most MAX_MERGED_CHARS long; else None."""
    if len(parts) < 2:
        return None
    merged = "".join(p.text for p in parts)
    return replace(passage, text=merged, part=parts[0].part) if len(merged) <= MAX_MERGED_CHARS else None


def choose_part(kb: KnowledgeBase, passage: Passage, query: str, content: Content) -> Passage:
    """The part of the passage's paragraph that answers the question best: the best-scoring part
    unless another covers more of the question, or fills its asked-for slot more often; but a part
    that says what the question's subject is is shown ("遇事能办要求干部做到什么": "遇事能办，这就要求
    大家…", not the part whose "要做到有理可依、" fills the slot, nor the one that only names it)."""
    if passage.kind != "passage" or not content:
        return passage
    parts = paragraph_parts(kb, passage)
    if len(parts) < 2:
        return passage
    if LIST_ASK.search(query) or _ITEMS.search(query):  # the items may run on over the cut: judge it whole
        whole = _merged(passage, parts)
        if whole is not None:
            return whole
    # the part that says what X is (the index's definitions) answers "X是什么", "X要求做到什么"; and,
    # asked about a named thing of four or more characters however the question puts it ("遇事能办要
    # 怎么做到", "怎样才算遇事能办"), the part that says what it is, not one that only names it
    named = [w for w, _ in content if len(w) >= NAMED_THING]
    for subject in filter(None, [definition_subject(query), *named]):
        defining = set(kb._index.definitions.get(subject).tolist())
        for p in (passage, *parts):
            if p.id - kb._first_id in defining:
                return p
    patterns = slot_patterns(query, content, kb.tokenizer.is_word)
    if not patterns:
        return passage

    def fit(p: Passage) -> float:
        return passage_coverage(kb, content, p)

    # the best-scoring part stays unless another fills the asked-for slot more often while
    # holding about as much of the question
    base_shape, base_fit = shape_score(patterns, passage.text), fit(passage)
    best = max(parts, key=lambda p: (shape_score(patterns, p.text), fit(p), p is passage))
    if shape_score(patterns, best.text) > base_shape and fit(best) >= base_fit - MAX_FIT_LOSS:
        return best
    return passage


# a count asks in a unit: "有几天" is answered by a number of days, not by the "十年" of "板凳宁做十年冷"
# "一个" alone is mostly an article ("一个人最大的靠山", "一个团队、一个单位"), not a count given
_NUMBER = r"(?:[\d半一二两三四五六七八九十百千万]{2,}|[\d半二两三四五六七八九十百千万]|一(?!个))\s*(?:个)?"


# What a question can ask for besides ideas and attitudes (which is what the speeches are made of),
# and what a passage that gives it looks like. A question near the topic that the speeches do not
# cover usually asks for one of these: a date a rule took effect, an amount, a count or a period, a
# format, a procedure, a rank, where a place is, how two things differ.
ASKED_FACTS: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    ("date",
     re.compile(r"哪一?年|哪一?天(?![不没就也])|几月|(?<!任)何时|什么时间(?:之前|以前|前|截止)|"
                r"几点(?:钟|开|上班|下班|供应|到|前|之前|以前|出门|起床|睡觉|吃饭|散步|出发|开门|关门)|"  # a time of day; "讲了几点" is points
                r"(?:上午|下午|早上|早晨|晚上|中午|凌晨|傍晚|每天|每日|天天)几点|"
                r"什么时候(?:开始|起)?(?:施行|实施|生效|执行|实行)|什么时候(?:出台|发布|印发|修订|公布|颁布)|"
                r"(?:施行|实施|生效|出台|印发|修订|发布|公布|颁布)(?:的|于)?(?:时间|日期)?$|起施行|开始施行|生效|"
                r"(?:施行|实施|出台|印发|修订|发布|公布|颁布)(?:的时间)?是?(?:什么时候|哪一?年|何时)|"
                r"(?:定在|安排在|改到|推迟到|放在)(?:什么时候|哪天|哪一天|几号|几月)|什么时候(?:召开|举行|举办)|"
                # a time of every year or month ("个人有关事项每年什么时候填报", "值班表每个月几号排出来")
                r"(?:每年|每个?月|每季度?|一年)(?:的|中|里)?(?:什么时候|什么时间|哪天|哪一天|哪个月|几号)"),
     re.compile(r"\d{2,4}\s*年|[〇零一二三四五六七八九]{4}年|\d{1,2}\s*月|[一二三四五六七八九十]+月[一二三四五六七八九十]+日|"
                r"\d{1,2}\s*(?:[:：]\d{2}|点)|[一二三四五六七八九十]{1,3}点(?:钟|半|整|[零一二三四五六七八九十]{1,3}分)")),
    ("amount",
     re.compile(r"多少钱|多少元|几块钱|标准是多少|每人每[餐天晚]|每[餐晚]|补助|补贴|报销|报账|费用|金额|加几分|多少分|"
                r"几分|多少平|面积|工资|奖金|津贴|[^，。？?\s]{1,3}费(?:是多少|(?:怎么|如何)计?算|有没有|标准|多少)|有没有[^，。？?\s]{1,4}费|"
                r"(?:能|可以)(?:拿|领|发)[^，。？?\s]{0,3}费|"
                # "能拿多少加班费": how much a fee is (a fee that ends the clause: not "多少人费了心思")
                r"多少[^，。？?\s]{0,4}费(?=[？?吗呢啊，,。\s]|$)|"
                # a rate of conversion ("调休怎么折算", "能折算成加班费吗")
                r"(?:怎么|如何|怎样|按什么)折算|折算成|"
                # "值班费一天补多少": a fee, then how much in the same clause (not 花费 / 浪费 of time)
                r"(?<![浪花耗消破白免])费[^，。？?\s]{1,5}多少(?![人次天年个条时])"),
     re.compile(r"\d+\s*(?:元|块|分|平方|平米|%)|[一二三四五六七八九十百千万]+元")),
    ("frequency",
     re.compile(r"(?:多长时间|多久|几天|几个月|几年|多少天)[^，。？?]{0,6}一[次期回]|一年[^，。？?]{0,4}(?:几|多少)[次期回]|"
                r"每[年月周季][^，。？?]{0,4}(?:几|多少)次|频次|频率"),
     re.compile(r"每[年月周季天日]|[\d一二两三四五六七八九十半]+\s*(?:个)?[年月周季天日]一[次期回]|定期|每隔")),
    ("count",
     re.compile(r"几条|多少条|几天|多少天|几日|多少日|多少个|几个工作日|多少个工作日|几个月|多长(?!远)|多久|几次|几个小时|几小时|多少年|满几年|几年一|(?<!过了)(?<!超过)期限|几号(?!字)|"
                r"几个人|多少人|几名|多少名|名额|多少字|(?<!哪)几个字|几菜|几岁|多少岁|(?:多少|(?<!第)几)(?:[集部篇页张本件位项期批轮届份]|学时|课时|学分)(?=[？?吗呢，,。\s的]|$)|"
                r"(?:多少|(?<!第)几)首(?:诗|词|歌|曲|作品)?"),
     re.compile(_NUMBER + r"(?:小时|分钟|天|日|工作日|年|月|周|次|条|人|名|字|菜|岁|首)|第一时间|随时|马上|立即")),
    ("share",
     re.compile(r"比例|百分之几|百分比|占比|几成|比率"),
     # "一分部署、九分落实": a proportion in parts
     re.compile(r"\d+(?:\.\d+)?\s*[%％]|百分之|[一二三四五六七八九]成|[一二三四五六七八九十]分[^。；;]{1,6}[一二三四五六七八九十]分")),
    ("contact",
     re.compile(r"电话(?:号码)?(?:是)?多少|号码|热线|邮箱|传真|网址"),
     re.compile(r"\d{5,}|\d{3,4}-\d{6,8}|@|www|http")),  # a number of five digits or more, not a year
    ("format",
     re.compile(r"几号字|字号|字体|行距|页边距|排版|编排|版式|版头|页码|格式|用什么纸|纸张|"
                r"(?:放|标|标注|贴|印|盖|写|摆|打)在.{0,8}(?:什么|哪一?个?)位置|(?:什么|啥|哪种|哪个)颜色"),
     re.compile(r"号字|字体|宋体|仿宋|黑体|楷体|行距|磅|厘米|毫米|版式|页码|A4|[红黑蓝白绿黄紫灰金银]色")),
    ("procedure",
     re.compile(r"手续|(?:什么|哪些|审批|办理|申请)流程|流程是怎样|审批|步骤|怎么申请|如何申请|申请|登记|签字|签批|签收|"
                r"预约|填写|报备|备案|报名|什么材料|哪些材料|交什么|怎么办理|如何办理|办理什么|"
                r"(?:什么|哪些|啥)程序|程序是什么|补办|补刻|重置"),
     re.compile(r"先.{1,12}再|首先.{1,30}然后|报.{0,4}审批|审批|登记|签批|签字|填写|提交|申请|备案|报备")),
    ("place",
     # "布置个会场" and "体现在什么地方" ask for no place
     re.compile(r"(?:地点|会场|场地)(?:在|是)?(?:哪|什么地方)|(?:哪个|什么)(?:地点|会场|场地|会议室)|"
                r"(?:在哪里?|在什么地方|哪个地方)(?:开|召开|举行|举办)|"
                # a region asked: "西点军校位于哪个州", "街亭在今天的哪个省", "哪个国家的人发明的"
                # (not a city: "推动哪个城市的发展" is answered by its name, 泸州, with no 市)
                r"(?:位于|在|属于)[^，。？?]{0,4}哪(?:个|一)?(?:省|州|县|国家|国)|哪(?:个|一)?(?:省份|国家)|"
                # where a person is from ("诸葛亮是哪里人"): the answer names the place
                r"(?:是|为)(?:哪里|哪儿|什么地方|哪个地方)人"),
     re.compile(r"会场|礼堂|会议室|会议中心|宾馆|酒店|大厦|地点|在[^，。；]{1,10}(?:召开|举行|举办)")),
    # where to go, or to take or get something ("周末带孩子去哪里爬山", "想看星空去哪里最合适",
    # "涉密载体销毁要送到哪里", "用印登记表去哪领"): the answer sends one somewhere ("送保密局销毁",
    # "到基层去"); "落到哪", "做到哪" ask how far, not where, and "下去哪些单位调研" which ones
    ("destination",
     re.compile(r"(?:(?<![过失])去|送到|送去|送往|寄到|跑到)哪(?:里|儿|个地方)?(?!些)|"
                r"(?:在|到|去)哪(?:里|儿)?(?:能|可以)?(?:买|领|办理|补办|购买|报名|挂失)"),
     re.compile(r"(?:送|交|到|至|去|前往|赴)[^，。；？?！!]{1,12}?(?:办理|领取|登记|销毁|处理|补办|购买|去)|"
                r"送至|送交|送往|前往|地址|位于")),
    # what a thing is made of ("铁路上的道钉是用什么钢材做的", "蜡烛是拿什么做的"): the answer names a
    # material it is made from; the speeches liken work to such things and never say so
    ("material",
     re.compile(r"什么(?:钢材|原料|原材料|材质|木料|木材|布料)|(?:用|拿|由|是)?什么(?:材料|东西)?(?:做|制作|制造|制|造|打造)(?:的|成|出来)"
                r"|(?:用|拿|由)什么(?:材料|东西)?(?:做|制作|制造|制|造|打造)(?=[？?吗呢，,。\s]|$)"
                # "自己做香薰蜡烛需要准备哪些材料": what making a thing takes
                r"|(?:做(?![好到完成事])|制作|制造|DIY)[^，。？?\s]{1,8}(?:需要|要|得)(?:准备|买|用)?(?:哪些|什么|啥)(?:材料|原料|东西)"),
     re.compile(r"(?:用|由|以)[^，。；]{1,10}(?:制成|做成|制造|制作|打造|铸造|加工)|材质|原料[是为有]|[钢铁铜木竹]制")),
    # who played a part ("《人民的名义》里李达康是谁演的"): the answer names the actor
    ("performer",
     re.compile(r"(?:谁|哪位|哪个|什么)(?:演员)?来?(?:演|扮演|饰演|主演)的|由(?:谁|哪位演员|哪个演员)来?(?:扮演|饰演|主演|演)|"
                r"(?:哪位|哪个|什么)演员|演员是谁|演员都有谁|谁演的"),
     re.compile(r"饰演|扮演者|主演|演员|出演")),
    # how to get into a school ("美国西点军校怎么报考", "招生条件是什么"): the answer gives its admission
    ("admission",
     re.compile(r"报考|招生|录取|申请入学|入学(?:条件|申请|要求|考试)|招多少"),
     re.compile(r"报考|招生|录取|入学条件|分数线|招收")),
    # a limit ("陪餐人数有没有上限", "经费预算的上限是多少"): the answer gives a figure with its unit
    ("limit",
     re.compile(r"上限|下限|封顶|限额|最多(?:能|可以)?[^，。？?\s]{0,4}(?:几|多少)"),
     re.compile(r"[\d一二两三四五六七八九十百千万]+\s*(?:个|人|名|元|块|天|日|次|件|桌|菜|年|月|小时|%|％)|"
                r"(?:不超过|不得超过|不多于|不少于|以内)")),
    # the era of a person or an event ("苏东坡是哪个朝代的人"): the answer names a dynasty or a period
    ("era",
     re.compile(r"(?:哪个|哪一个|什么|哪)(?:朝代|年代)|哪一?朝(?![着向])"),
     re.compile(r"[夏商周秦汉晋隋唐宋元明清][朝代]|朝|年代|世纪|时期|时代")),
    # a book asked ("康德那句话出自他哪本书", "三大批判分别是哪三本书"): the answer names its title
    # or the works of someone quoted ("约瑟夫写过哪些小说", "他的代表作是什么"): their titles
    ("book",
     re.compile(r"(?:哪|什么|几)[一两二三四五六七八九十]?(?:本|部)(?:书|著作|小说|诗集|文集)|什么书|书名|出自哪本|代表作|"
                r"写过(?:哪些|什么|几[本部篇])[^，。？?\s]{0,4}?(?:书|著作|小说|诗|文章)|哪些(?:小说|著作|诗集)"),
     re.compile(r"《[^》]{1,30}》")),
    # a kinship or a teacher asked ("赵括是哪位名将的儿子"): the answer names the relation
    ("kin",
     re.compile(r"(?:谁|哪位|哪个|什么人)[^，。？?]{0,8}的(?:儿子|女儿|父亲|母亲|妻子|丈夫|老师|学生|弟子|后代|孩子)|"
                r"(?:儿子|女儿|父亲|母亲|妻子|丈夫|老师|弟子|孩子|老婆|老公)(?:是|叫)(?:谁|什么|哪位)"),
     re.compile(r"儿子|女儿|父亲|母亲|之子|之女|妻子|丈夫|老师|学生|弟子|孩子|师从|其父|其子")),
    # a penalty asked ("违规外联会受到什么处分", "违规了怎么处分"): the answer names one
    ("penalty",
     re.compile(r"(?:什么|哪些|啥|哪种|怎么|怎样|如何)(?:样的?)?(?:具体)?(?:处分|处罚|惩处|惩罚)|"
                r"(?:受到?|给予?|挨)[^，。？?\s]{0,4}(?:处分|处罚)(?!条例)|罚多少|罚款"),
     re.compile(r"警告|记过|降级|撤职|开除|留党察看|罚款|拘留|追究[^。；]{0,8}责任|严肃处理|问责|处分(?!条例)|处罚|惩处")),
    # a difference asked ("请示和报告有什么区别"): the answer contrasts, in a sentence about them
    ("difference",
     re.compile(r"区别|区分|异同|差别|不同之处|有何不同|有什么不同|有啥不同|哪里不同"),
     re.compile(r"区别|区分|不同|不是[^，。；]{0,12}而是|而[是要应]|但|却|相比|比|更|不仅|不只|则|反之|转变|从[^，。；]{1,12}到|"
                r"分别|各自|、[^，。；]{1,8}、|变[^，。；]{1,10}为|化[^，。；]{1,10}为")),
    ("rank",
     # or a choice of ranks ("办公室主任是正科级还是副处级", "能不能享受副科待遇")
     re.compile(r"什么级别|哪个级别|几级|职级|级别|编制|职称|[正副][科处厅局]级?还是[正副]?[科处厅局]|"
                r"享受[正副]?[科处厅局]级?待遇"),
     re.compile(r"级别|正科|副科|正处|副处|职级|编制|职称")),
    # who handles it: "密码忘了找谁重置", "档案由哪个部门保管" ("哪个科室都说不归自己管" asks no one)
    ("handler",
     re.compile(r"找谁|由谁(?:负责|保管|审批|签发|管理|签字)|哪个(?:部门|科室)(?!都)|谁来(?:负责|处理|保管|审批)"),
     re.compile(r"由[^，。；,;]{1,10}(?:负责|保管|办理|处理|签发|审批)|[^，。；,;]{1,8}(?:科|室|处|中心|部门)(?:负责|统一|办理)|"
                r"(?:报告|报送|报|送|交|向)给?[^，。；,;]{0,8}(?:办|室|科|处|部|中心|局)")),
]
# a region is given by its kind: a province by "…省", a state by "…州"; a country by its name
_REGION = r"[\u4e00-\u9fff]{1,6}"
PLACE_UNITS: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (re.compile(r"哪(?:个|一)?省"), re.compile(_REGION + r"省")),
    (re.compile(r"哪(?:个|一)?州"), re.compile(_REGION + r"州")),
    (re.compile(r"哪(?:个|一)?县"), re.compile(_REGION + r"县")),
    (re.compile(r"哪(?:个|一)?国"), re.compile(r"[\u4e00-\u9fff]{1,4}(?<!全)国(?!家)")),  # 美国, not 全国 or 国家
]
# how many days ahead, in a row or off ("提前几天排好", "连续值几天班", "补休几天"): a number of days,
# not "随时", which meets a deadline in days ("几天内要报")
_DAYS_COUNTED = re.compile(_NUMBER + r"(?:天|日|工作日)")
_DAYS_BY = re.compile(_NUMBER + r"(?:天|日|工作日)|第一时间|随时|马上|立即|当[天日]")
COUNT_UNITS: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (re.compile(r"提前(?:几|多少)个?(?:天|日|工作日)|(?:连续|连着)[^，。？?\s]{0,3}(?:几|多少)个?(?:天|日)|值(?:几|多少)天|"
                r"(?:补休|调休|休息|休假|放假|能休|可以休)(?:几|多少)个?天"), _DAYS_COUNTED),
    (re.compile(r"几个?工作日|多少个?工作日|几天|多少天|几日|多少日"), _DAYS_BY),
    (re.compile(r"几个月|多少个月"), re.compile(_NUMBER + r"(?:月|年|周)")),
    (re.compile(r"多少年|满几年|几年"), re.compile(_NUMBER + r"年")),
    (re.compile(r"几次|多少次"), re.compile(_NUMBER + r"次")),
    (re.compile(r"几个人|多少人|几名|多少名|名额"), re.compile(_NUMBER + r"(?:人|名)")),
    (re.compile(r"多少字|(?<!哪)几个字"), re.compile(_NUMBER + r"字")),
    (re.compile(r"几条|多少条"), re.compile(_NUMBER + r"条")),
    (re.compile(r"多少个"), re.compile(_NUMBER + r"个")),
    (re.compile(r"(?:多少|几)(?:学时|课时)"), re.compile(_NUMBER + r"(?:学时|课时|小时)")),
    # a unit (or units that answer for one another) asked with 多少/几 is given with a number
    *((re.compile(rf"(?:多少|几)[{units}]"), re.compile(_NUMBER + rf"[{units}]"))
      for units in ("集", "部篇本", "页张", "件项", "位", "期批轮届", "菜", "岁")),
]
N_QUESTION_FEATURES = 8
# where two of them stand in `question_features`' list: the key word missing, the figures only
KEY_MISSING, FIGURES_ONLY = 0, 4
# a question that asks what the speeches say ("讲话里怎么说的", "讲话打了个什么比方") is about their
# content, whatever words it uses; "讲话稿" (a kind of document) is not such a reference
REFERS_TO_SPEECH = re.compile(r"讲话(?!稿)|文中|原文|文章里|讲稿里")
# words that frame a question rather than name its topic: "五个坚持的具体内容", "会务注意事项"
QUESTION_FRAME = re.compile(
    r"(?:具体|主要|相关|有关|详细)?(?:内容|要求|事项|注意事项|方面|意思|含义|作用|措施|办法|做法|情况|要点|表现|体现|"
    r"流程|程序|手续|审批|步骤|规定|制度)"  # "公章要走什么审批流程" is about 公章: 流程 says what kind of answer
)


# "这几个月", "前几天", "好几年": 几 after these means "a few", it asks for no number; "哪几条"
# asks which ones, not how many; "报了几次都没人管" is a few times, "一共进行了几次北伐？" (the
# question ends with it) asks how many
_FEW = re.compile(r"(?:这|那|近|(?<!提)前|后|头|好|最近|过去|十|哪)几|(?:[里的们中批室下]|科室?|单位)几(?=个人|个同事)|"
                  r"几(?=个人(?:之间|互相|都|各|一起))|(?:拖|过|没|缓|压|晚|迟)了?几(?=天|日)|(?<=[小大])几(?=岁)|"
                  r"(?:不了|没|没有|用不了|要不了)多久|"
                  # a quantity denied is a small one, not one asked: "又辛苦又没多少钱", "没几个人照着做"
                  r"(?:没|没有|没剩|剩不了|花不了|用不了|要不了)多少|(?:没|没有|没剩)几(?=[个位名件条次回])|"
                  r"了几(?=[次回遍])(?![次回遍][^，,。；;！!？?]{0,6}[？?])")


# a clause that asks: a question word, a question particle or a question mark
_INTERROGATIVE = re.compile(r"什么|哪|怎|几|多少|多久|多长|吗|呢|[？?]|啥|咋|是否|能否|可否|有没有|是不是|要不要|能不能|"
                            r"可不可以|会不会|该不该|行不行|对不对|如何|为何|何时|谁")
# a question without an asking word: which of two, or yes or no said as "X不X" (高不高, 累不累)
_CHOICE = re.compile(r"还是|([\u4e00-\u9fff])不\1")
# a wish or a need told, which asks how to go about it
_WISH = re.compile(r"想|要|打算|准备|需|申请|求")
_CLAUSE = re.compile(r"[^，。；,;！!？?]*[，。；,;！!？?]*")
SHORT_ASK = 7  # an asking clause of this many characters or fewer asks about the clause before it
_CJK = re.compile(r"[^\u4e00-\u9fff]")
_TOLD = re.compile(r"我|咱")  # a clause in the first person tells the asker's situation
# "有件事不归哪个科室管", "说不清该归哪个科管": 哪 of something that is nobody's, or not known whose
_NOBODYS = re.compile(r"((?:不|说不清|搞不清|弄不清|分不清|不知道|不清楚|没法定)(?:该|应该|应当|应)?(?:归|属于|由))哪")


@functools.lru_cache(maxsize=256)  # asked of one question five times over a search
def asking_part(query: str) -> str:
    """The clauses of the question that ask, for the kinds of fact asked: a situation told before the
    question asks nothing ("说实话我就把这份工作当饭碗，按时上下班拿工资，这有什么不对吗": no pay asked;
    "有件急事还差一个签字环节，同事说先办了回头再补，我该听吗": no procedure). A short asking clause has no
    topic of its own and asks about the clause before it ("值班记录的保存期限，有规定吗"), unless that
    clause tells the asker's own story ("领导却让我签字，怎么办": no procedure asked). The whole
    question when it is one clause or none asks. "不知道归哪个科管" says whose it is not known, and
    asks nothing (`_NOBODYS`)."""
    query = _NOBODYS.sub(r"\1某", query)
    clauses = [c for c in _CLAUSE.findall(query) if c.strip()]
    if len(clauses) <= 1:
        return query
    keep: list[int] = []
    for i, clause in enumerate(clauses):
        if _INTERROGATIVE.search(clause):
            short = len(_CJK.sub("", clause)) <= SHORT_ASK
            if i and i - 1 not in keep and short and not _TOLD.search(clauses[i - 1]):
                keep.append(i - 1)
            keep.append(i)
    return "".join(clauses[i] for i in keep) if keep else query


def asked_facts(query: str) -> list[str]:
    """Kinds of fact the question asks for (see `ASKED_FACTS`)."""
    return list(dict.fromkeys(name for name, _ in _asked_shapes(query)))


def _asked_shapes(query: str) -> list[tuple[str, re.Pattern[str]]]:
    """The kinds and shapes of the facts the question asks for; a count in the unit it asks in
    when it names one."""
    shapes = []
    # a statement asks for no fact ("天天连轴转，周末也没得休息，工资也不高": a worry told, no pay
    # asked); "正科级还是副科级" asks which of two, "工资高不高" yes or no, and a wish asks how
    # ("我想申请调到业务科室去": the procedure)
    if not (_INTERROGATIVE.search(query) or _CHOICE.search(query) or _WISH.search(query)):
        return shapes
    asking = _FEW.sub("数", asking_part(query))
    for name, ask, shape in ASKED_FACTS:
        if _asks_a_procedure(asking) if name == "procedure" else ask.search(asking):
            # a count in each unit asked ("提前几天…安排几个人": days and people), else any count
            table = COUNT_UNITS if name == "count" else PLACE_UNITS if name == "place" else []
            units = [unit for asks, unit in table if asks.search(asking)]
            if _DAYS_COUNTED in units:  # "提前几天": the number of days, which the deadline's days include
                units = [unit for unit in units if unit is not _DAYS_BY]
            shapes.extend((name, unit) for unit in units or [shape])
    if any(name == "frequency" for name, _ in shapes):  # "多久听一次汇报": how often, not how long
        shapes = [(name, shape) for name, shape in shapes if name != "count"]
    if _counts_only_items(asking):  # "讲话概括了几条", "后面几条分别是什么": the items are the answer
        shapes = [(name, shape) for name, shape in shapes if name != "count"]
    return shapes


# a count of items (条, 项) asked together with the items themselves ("办公室工作有哪些特点，讲话
# 概括了几条", "服务大局后面几条分别有什么要求"): a passage that lists them gives their number too, in
# 一是…二是… as often as in a figure. "每月要报送几条信息" (no items asked) and "第几条" still ask for
# a figure
_ITEM_COUNT = re.compile(r"(?:几|多少)[条项]")
_COUNT_ASKED = next(ask for name, ask, _ in ASKED_FACTS if name == "count")
_ITEMS_TOO = re.compile(r"哪些|哪几|分别|各[是有自]|都是什么|都有什么|讲了|列了|概括了|提了|包括")


def _counts_only_items(asking: str) -> bool:
    """Whether every count the asking clauses ask is of items, and the items are asked too."""
    counts = list(_COUNT_ASKED.finditer(asking))
    return (bool(counts) and bool(_ITEMS_TOO.search(asking))
            and all(_ITEM_COUNT.fullmatch(m.group()) and not asking[: m.start()].endswith("第") for m in counts))


# the kinds of fact whose shape is exact (a figure, a date, a number to call, a place): a passage
# about the question's topic that has none of it does not answer, however much else it shares (a
# difference asked is judged on the best three passages, `asks_an_exact_fact_not_given`)
EXACT_FACTS = frozenset({"date", "amount", "count", "frequency", "share", "contact", "place", "destination",
                         "material", "performer", "admission", "limit", "era", "book", "kin", "penalty"})
# the kinds whose asking words ask in so many words wherever they stand ("用什么做的", "谁演的",
# "哪个朝代", "上限"): their own patterns join `_ASKS_IN_WORDS`
_ASKED_AS_WORDED = frozenset({"destination", "material", "performer", "admission", "limit", "era", "book", "kin",
                              "penalty"})
# and only when the question asks in so many words ("工资又不高，真觉得不值" names pay, asks no figure)
_ASKS_IN_WORDS = re.compile(r"多少|多长(?!远)|多久|几(?!乎)|哪[一个天年月里儿]|(?<!任)何时|什么时候|什么地方|比例|号码|"
                            r"(?:怎么|如何)计?算|标准|有没有[^，。？?\s]{1,4}费|(?:能|可以)(?:拿|领|发)[^，。？?\s]{0,3}费|"
                            r"区别|区分|异同|差别|不同之处|有何不同|有什么不同|有啥不同|哪里不同|"
                            + "|".join(ask.pattern for name, ask, _ in ASKED_FACTS if name in _ASKED_AS_WORDED))


def _topical(content: Content) -> Content:
    return [we for we in content if not QUESTION_FRAME.fullmatch(we[0])] or content


def _unplaced(query: str, content: Content, passage: Passage, asked: list[re.Pattern[str]], least: int = 2,
              key: int | None = None) -> bool:
    """Whether the question asks for a fact (`asked`: the shapes from `_asked_shapes`) and no
    sentence of the passage that holds a word of the question (a word with its synonyms) has its
    shape ("多久要报" is answered by "半小时内电话报告", in one sentence). When the passage lacks the
    question's most specific word (`key`, its place among the topical words), the sentence must
    hold `least` of its words (or as many as the passage has, if fewer): "机关干部工作满十年，年休假
    有几天" is not answered by a sentence with 工作 and a number of days; a difference (`least` 1)
    is drawn about any of them."""
    if not asked:
        return False
    groups = [[t for t in (w, *e) if t] for w, e in _topical(content)]
    text = passage.text
    if key is not None and any(t in text for t in groups[key]):
        least = 1  # the passage is about what is asked: the fact may stand by any of its words
    need = max(1, min(least, sum(any(t in text for t in g) for g in groups)))
    near = [s for s in split_sentences(text) if sum(any(t in s for t in g) for g in groups) >= need]
    return any(not any(_gives(shape, s, query) for s in near) for shape in asked)


# "中央八项规定具体是哪八条": a number of items asked (four or more: fewer are often told in one
# phrase), and how many items a text lists: the most in one sentence ("服务领导、服务基层、服务群众"),
# or its markers ("一是…二是…", "第一…", "1.…", "（一）…", a line each in an outline)
_ITEMS_ASKED = re.compile(r"哪([四五六七八九十])(?:[条项种点样类大件位]|个(?![字词]))"  # "哪八个字": a phrase
                          # "八条内容分别是什么", "六大纪律都有哪些": the items asked without 哪
                          r"|(?<![第一二三四五六七八九十])([四五六七八九十])[条项种点类件](?:具体)?(?:内容|要求|规定)?(?:分别|都|各自?|具体)"
                          r"(?:是什么|是哪些|有哪些|是啥|指什么|包括什么|包括哪些)")
_ITEM_MARK = re.compile(r"[一二三四五六七八九十]是|第[一二三四五六七八九十]|(?:^|\n|[。；;])\s*\d{1,2}[.、．]|[（(][一二三四五六七八九十][）)]|\n")
ITEMS_SLACK = 2  # lists are told loosely: "哪六大类" with five named and "等" is still an answer


def listed_items(text: str) -> int:
    """How many items the text lists, at most (see `_ITEMS_ASKED`)."""
    in_a_sentence = max((s.count("、") + 1 for s in re.split(r"[。；;！!？?\n]", text) if "、" in s), default=0)
    return max(in_a_sentence, len(_ITEM_MARK.findall(text)))


def asks_for_items_not_listed(query: str, hits: Sequence[Hit]) -> bool:
    """Whether the question asks for N items ("哪八条", N of four or more) and none of the best three
    hits (passages or outlines) lists nearly as many: the speeches name 中央八项规定 but never
    list it."""
    m = _ITEMS_ASKED.search(query)
    if not m or not hits:
        return False
    wanted = NUMERAL_VALUE[m.group(1) or m.group(2)]
    return max(listed_items(h.passage.text) for h in hits[:3]) < wanted - ITEMS_SLACK


def _key_word(content: Content, specificity: Callable[[str], float] | None) -> int | None:
    """The place among the topical words (`_topical`) of the question's most specific word."""
    topical = _topical(content)
    if specificity is None or not topical:
        return None
    return max(range(len(topical)), key=lambda j: specificity(topical[j][0]))


# a person the text does not name: "X同志", "XX同志", "某同志" (a speech as published hides the name)
_PLACEHOLDER_PERSON = re.compile(r"(?<![A-Za-z])(?:[XxＸｘ×]{1,3}|某)(?:同志|领导|书记|主任)")
_WHO_ASKED = re.compile(r"叫什么|叫啥|名字|姓名|姓什么|是谁|哪位|什么职务|啥职务|职务是|担任什么|什么职位|什么官")


def asks_who_a_placeholder_is(query: str) -> bool:
    """Whether the question asks the name or post of someone the speech names only by a
    placeholder ("作“守职”报告的X同志叫什么名字、担任什么职务"): the text withholds it. What the
    person said or did ("X同志围绕什么主题作了报告") is still asked of the speech."""
    asking = asking_part(query)
    return bool(_PLACEHOLDER_PERSON.search(query) and _WHO_ASKED.search(asking))


def asks_an_exact_fact_not_given(query: str, content: Content, hits: Sequence[Hit],
                                 specificity: Callable[[str], float] | None = None) -> bool:
    """Whether the question asks for a figure, a date, a number to call or a place that no
    sentence of the best passage about its topic gives: such a question is declined whatever
    else the passage shares with it ("区委办信息室的电话号码是多少"); or a difference that no sentence
    of the best three passages draws ("请示和报告有什么区别"); or a number of items that none of the
    best hits lists (`asks_for_items_not_listed`); or a rule's details that none of the best three
    passages so much as names (`asks_for_details_not_named`); or a work by its title that none of
    them names (`names_a_work_not_named`); or what rule there is about something the best passage
    does not name ("公务接待陪餐人数有什么规定")."""
    if asks_for_items_not_listed(query, hits) or asks_who_a_placeholder_is(query):
        return True
    passages = [h.passage for h in hits if h.passage.kind == "passage"]
    if asks_for_details_not_named(query, passages[:3]) or names_a_work_not_named(query, passages[:3]):
        return True
    if not passages or not content:
        return False
    asking = _FEW.sub("数", asking_part(query))
    # `specificity` (the tokenizer's) finds the question's most specific word (`_unplaced`)
    key = _key_word(content, specificity)
    # what rule there is about X ("公务接待陪餐人数有什么规定", "讲话有没有具体规定"), and the best
    # passage does not so much as name X's most specific word
    if key is not None and (_RULE_ASKED.search(asking) or _asks_a_procedure(asking)):
        key_word, expansions = _topical(content)[key]
        if not (key_word in passages[0].text or any(e in passages[0].text for e in expansions)):
            return True
    if not _ASKS_IN_WORDS.search(asking):
        return False
    shapes = _asked_shapes(query)
    # a question that repeats the speech's own words around what it asks ("一个人的胸怀能容下多少人，
    # 就能怎样": the passage says "能容下多少人") asks what the passage goes on to say, not a figure
    repeated = _repeated_asks(asking, passages[0].text, {name for name, _ in shapes if name in EXACT_FACTS})
    exact = [shape for name, shape in shapes if name in EXACT_FACTS and name not in repeated]
    # a difference may be drawn in any of the best three passages ("要我干和我要干有啥区别")
    contrast = [shape for name, shape in shapes if name == "difference"]
    return _unplaced(query, content, passages[0], exact, key=key) or (
        bool(contrast) and all(_unplaced(query, content, p, contrast, least=1) for p in passages[:3]))


def _repeated_asks(asking: str, text: str, names: set[str]) -> set[str]:
    """Of the kinds of fact `names`, those whose asking words (in `asking`, the clauses that ask with
    `_FEW` read as 数) the text has too, with the two characters before them, or with a number in
    place of 几 and the question's two characters after them (`_number_filled`)."""
    if not names:
        return set()
    out = set()
    for name, ask, _ in ASKED_FACTS:
        if name not in names:
            continue
        for m in ask.finditer(asking):
            # "能容下多少人" and "能装多少人": an asking phrase of three characters or more is the
            # passage's own rhetorical question, whatever verb comes before it; and "一分部署几分落实"
            # is the speech's "一分部署、九分落实" with its number asked (a number where 几 is, then
            # the question's next two characters)
            if ((m.start() >= 2 and asking[m.start() - 2 : m.end()] in text) or (m.end() - m.start() >= 3 and m.group() in text)
                    or _number_filled(m.group(), asking[m.end() : m.end() + 2], text)):
                out.add(name)
    return out


def _number_filled(asked: str, after: str, text: str) -> bool:
    """Whether `text` has the asked phrase with a number in place of its 几, followed by `after`
    (two characters of the question, Chinese, after the phrase)."""
    if "几" not in asked or len(after) < 2 or not all("\u4e00" <= c <= "\u9fff" for c in after):
        return False
    pattern = re.escape(asked).replace("几", "[〇零一二两三四五六七八九十百千万]+") + re.escape(after)
    return re.search(pattern, text) is not None


# a question that asks what was said: a saying, a quotation, the words used
_SAYING = re.compile(r"哪(?:一|几)?句(?:话|名言|诗|古话|俗话)?|什么(?:话|名言|名句|诗句|俗语|古语)|原话|引用|引了")
# a question that asks what rule there is about something
_RULE_ASKED = re.compile(r"怎么规定|如何规定|有什么(?:具体)?规定|有没有(?:具体|明确)?(?:的)?规定|有规定吗|具体规定")
# or what procedure it takes ("单位公章用印要走哪些审批手续"): the procedure's kind of fact (`ASKED_FACTS`)
_PROCEDURE_ASKED = next(ask for name, ask, _ in ASKED_FACTS if name == "procedure")
# but a question whether steps may be skipped ("审批流程能不能跳过几步", "有些步骤能不能省掉") asks a
# judgement, which the speeches give ("不该少的环节一定不能少"), not what the procedure is
_SKIPPING = re.compile(r"跳过|跳掉|省掉|省去|省略|省几|省一|绕过|绕开|少走|简化|嫌麻烦|图省事|跨过|免掉|砍掉")


def _asks_a_procedure(asking: str) -> bool:
    """Whether the clauses that ask ask what a procedure is (not whether steps may be skipped)."""
    return bool(_PROCEDURE_ASKED.search(asking)) and not _SKIPPING.search(asking)


# the details of a rule (its conditions, quota, rewards, penalties, scoring) or of a document's form
# (the elements, sections, template it must have)
_DETAILS = re.compile(r"细则|奖励|奖惩|名额|评分|打分|计分|积分|处分|处罚|罚则|待遇|(?<!无)条件|资格|要素|栏目|模板")


def asks_for_details_not_named(query: str, passages: Sequence[Passage]) -> bool:
    """Whether the question asks for a rule's details (its conditions, quota, rewards, penalties,
    scoring: "“双争”活动评上有什么奖励", "报考条件是什么") or a document's required form (its elements,
    sections, template: "会议通知应包含哪些要素") that none of the passages so much as names: the
    speeches call for the 双争 activity and never say how it is scored or rewarded."""
    asking = asking_part(query)
    if _SAYING.search(asking):  # "引用哪句话来说明成大事的条件": the saying is asked, not the conditions
        return False
    asked = set(_DETAILS.findall(asking))
    return bool(asked and passages) and not any(word in p.text for word in asked for p in passages)


def names_a_work_not_named(query: str, passages: Sequence[Passage]) -> bool:
    """Whether the question names a work by its title (《纯粹理性批判》, 电影《熔炉》, 《党政机关公文
    处理工作条例》) that none of the passages names: it asks about that work, and passages that
    share other words with it (康德, 熔炉) do not answer it."""
    titles = set(_TITLE.findall(fold(query)))
    if not titles or not passages:
        return False
    texts = [fold(p.text) for p in passages]
    # a short title must be named as a title: the 熔炉 of "大熔炉" is no film
    return any(not any(f"《{t}》" in text or (len(t) >= 4 and t in text) for text in texts) for t in titles)


_TITLE = re.compile(r"《([^》]{1,40})》")
_FIGURE = re.compile(r"[\d〇零一二两三四五六七八九十百千万半]")


def _gives(shape: re.Pattern[str], text: str, query: str) -> bool:
    """Whether the text has the fact's shape other than as a figure the question states itself
    ("一年有几天": the "一年" of a passage is not the answer)."""
    return any(not _FIGURE.search(m.group()) or m.group().strip() not in query for m in shape.finditer(text))


def model_inputs(features: Sequence[float]) -> list[float]:
    """What the abstention model weighs: the features and every product of two of them (each
    with itself too). The signals act together: a low coverage means little when the question's
    words are all known, much when its most specific word is missing, and a linear model over the
    features alone cannot say so. Fitted on 4,921 questions, the products keep as many unanswerable
    questions declined with half the answerable ones declined (docs/retrieval.md, "Abstention")."""
    out = list(features)
    for i, a in enumerate(features):
        out.extend(a * b for b in features[i:])
    return out


def question_features(kb: KnowledgeBase, query: str, content: Content, hits: Sequence[Hit]) -> list[float]:
    """Abstention signals from the question itself, each in [0, 1]:

    - whether the question's most specific word (by jieba's dictionary counts; words that only frame
      the question, "具体内容", do not count) is missing from the best passage: "盖章前要找哪个领导
      签字" is about 盖章, whatever else it shares with a passage;
    - whether the question asks for a kind of fact (date, amount, count, format, procedure, rank)
      that the best passage has no sign of ("公文正文用几号字" and no "号字" in it);
    - whether it asks for such a fact and no sentence of the best passage that holds a word of the
      question has its shape (the fact is not given where the question's topic is);
    - whether it asks what the speeches say ("讲话里怎么说的"): a question about their content;
    - whether it meets the best passage only through the passage's figures of speech
      (`meets_only_figures`): "蜡烛是用什么原料做的" and the "蜡烛"觉悟 of a speech;
    - whether it asks yes or no ("亲戚想让我借着领导的名头疏通关系，行不行"): staff weighing what to
      do ask so, and the speeches answer with what is right rather than with the question's words;
    - whether it first tells the asker's own situation ("我第一次独立起草一份发文，内容上要注意哪些原则"):
      the words of a situation told are the asker's, not the speeches', and a passage that answers
      shares fewer of them;
    - whether it names a concrete thing of everyday life or an illness (`things.is_thing`: 玫瑰,
      高血压, 痔疮) that the best passage does not: office work is made of tasks and duties, and
      "阳台上的玫瑰怎么养才能开得多" meets "会议开得很好" only through 开得.
    """
    passages = [h.passage for h in hits if h.passage.kind == "passage"][:3]
    if not passages or not content:
        return [0.0] * N_QUESTION_FEATURES
    best = passages[0]
    key = _key_word(content, kb.tokenizer.specificity)
    key_word, expansions = _topical(content)[key]
    haystack, words = passage_forms(kb, best)
    found = key_word in words or key_word in haystack or any(e in haystack or e in words for e in expansions)
    shapes = _asked_shapes(query)
    names = {name for name, _ in shapes}
    repeated = _repeated_asks(_FEW.sub("数", asking_part(query)), best.text, names) if names else set()
    shapes = [(name, shape) for name, shape in shapes if name not in repeated]
    asked = [shape for _, shape in shapes]
    missing = any(not _gives(shape, best.text, query) for shape in asked)
    least = 1 if all(name == "difference" for name, _ in shapes) else 2
    unplaced = _unplaced(query, content, best, asked, least, key)
    refers = bool(REFERS_TO_SPEECH.search(query))
    figures = meets_only_figures(content, best)
    asking = asking_part(query)
    yes_no = bool(_YES_NO.search(asking))
    # a situation told: 我/咱 outside the asking clauses. When those are not one stretch of the
    # question (a clause of the story counts as asking for its 几 or 什么: "我干了十几年，感觉…，讲话
    # 怎么看"), the whole question is read, and a story told in the first person still counts
    told = asking != query and bool(_TOLD.search(query.replace(asking, "")))
    # a thing of two run together is looked for as itself: its synonyms are a part's (手机电池 and
    # the 通信畅通 of 手机)
    thing = any(is_thing(w) and not (w in words or w in haystack
                                     or (not is_joined_thing(w) and any(e in haystack or e in words for e in ex)))
                for w, ex in content)
    return [0.0 if found else 1.0, 1.0 if missing else 0.0, 1.0 if unplaced else 0.0, 1.0 if refers else 0.0,
            1.0 if figures else 0.0, 1.0 if yes_no else 0.0, 1.0 if told else 0.0, 1.0 if thing else 0.0]


# what a question about the speeches' own words names: the speech or its sayings, what a figure
# means, the workplace, the virtues the figures stand for
_OF_THE_SPEECH_OR_OFFICE = re.compile(
    r"讲话|文中|原文|文章|讲稿|引用|名言|那句|哪句|这句|这个词|说法|意思|比喻|比作|比方|说明|指的|指什么|称为|称作|"
    r"叫做|例子|道理|像|领导|办公室|单位|同事|我们|咱们|工作|干部|岗位|精神|境界|觉悟")


def asks_the_literal_thing(query: str, content: Content, question: Sequence[float]) -> bool:
    """Whether the question asks about the literal thing behind a figure of speech: it names a
    concrete thing (`things.is_thing`), meets the best passage only through the passage's figures
    and lacks its own most specific word there (`question_features`: KEY_MISSING, FIGURES_ONLY),
    and names neither the speech, nor what a figure means, nor office work ("蜡烛燃烧是什么化学反应"
    and the "蜡烛"觉悟 of a speech). Such a question is declined whatever else the model makes of it."""
    return (bool(question) and question[KEY_MISSING] == 1.0 and question[FIGURES_ONLY] == 1.0
            and any(is_thing(w) for w, _ in content) and not _OF_THE_SPEECH_OR_OFFICE.search(query))


# a question asking yes or no, in the clauses that ask
_YES_NO = re.compile(r"是不是|是否|吗[？?！!。\s]*$|能不能|可不可以|行不行|对不对|有没有|要不要|可以吗|行吗")


# a figure of speech: a short quoted phrase ("“蜡烛”觉悟", "不放“马后炮”"; not a numbered slogan, "“五个
# 坚持”", nor a quoted saying, "“一切行动听指挥”") with the clause that describes it ("燃烧自己照亮别人的
# “蜡烛”觉悟": the candle's burning is the figure's too), or what a clause likens to ("像一颗钉子一样牢牢
# 固定在自己的工作上": 一颗钉子; "犹如…": the rest of the clause)
_QUOTED = re.compile(r"[“\"‘「]([^“”\"‘’「」\d〇一二两三四五六七八九十百千]{1,6})[”\"’」]")
_DESCRIBED = re.compile(r"([^，。；：、！？,;:!?“”\"]{2,16})的(?=[“\"‘「][^“”\"‘’「」\d〇一二两三四五六七八九十百千]{1,6}[”\"’」])"
                        # or right before it, when the quoted phrase describes a thing ("营造夏天不湿背、
                        # 冬天不冷脚“坐得住”的办公环境": the clause says what 坐得住 is)
                        r"|([^，。；：、！？,;:!?“”\"]{2,16})(?=[“\"‘「][^“”\"‘’「」\d〇一二两三四五六七八九十百千]{1,6}[”\"’」]的)")

# a small thing that can bring about a great one ("一颗道钉足以倾覆一列火车", "一根火柴足以毁掉一片
# 森林"): an illustration, not the topic
_ENOUGH_TO = re.compile(r"(一[颗根张个粒只件句块滴把枚].{1,6}?)足以([^，。；！？,;!?]{1,14})")


# a saying quoted from someone ("德国哲学家康德说过，世上只有两样东西…", "就像苏东坡讲的“古之成
# 大事者…”"): who said it is no topic of the speech (group 1); what was said is its point (group 2)
_SAID_WORDS = ("曾经说过", "说过", "讲的", "曾说")
_SAID = re.compile(rf"([^，。；：、！？,;:!?“”\"\s]{{2,8}}?)(?:{'|'.join(_SAID_WORDS)})[，,:：]?\s*(“[^”]{{2,80}}”|[^。！？!?“”]{{2,80}})")


# what each of those patterns cannot match without (a clause described is 的 next to a quotation
# mark; a likening, a small thing enough for a great one and a saying need their words: LIKENING_WORDS,
# 足以, _SAID_WORDS): the patterns that scan every position of a text (70 and 45 µs a passage) are
# run only where they can match
_DESCRIBED_AT = re.compile(r"的[“\"‘「]|[”\"’」]的")


def figure_spans(text: str) -> list[tuple[int, int]]:
    """Where the text speaks in figures: its short quoted phrases (with the clause before "的" that
    describes one), what its clauses liken to, the small things said to be enough to bring about
    great ones, and who a saying it quotes is from."""
    spans = [m.span(1) for m in _QUOTED.finditer(text)]
    if _DESCRIBED_AT.search(text):
        spans.extend(m.span(1) if m.group(1) else m.span(2) for m in _DESCRIBED.finditer(text))
    if any(w in text for w in LIKENING_WORDS):
        spans.extend(m.span(1) if m.group(1) else m.span(2) for m in LIKENING.finditer(text))
    if "足以" in text:
        for m in _ENOUGH_TO.finditer(text):
            spans.extend((m.span(1), m.span(2)))
    if any(w in text for w in _SAID_WORDS):
        spans.extend(m.span(1) for m in _SAID.finditer(text))
    return spans


_WHEN = re.compile(r"有时候?|时候|经常|常常|总是|老是|偶尔|往往|一直|平时|平常|每次|通常|一般")

# who, not what: a personal pronoun names no topic ("在家怎么自己做香薰蜡烛" meets "提升自己的思想境界"
# as much as any passage that says 自己), a closed class of words
PRONOUNS = frozenset({"自己", "自个", "自个儿", "自家", "本人", "我们", "咱们", "你们", "他们", "她们", "大家",
                      "别人", "他人", "人家", "大伙", "大伙儿", "彼此", "各自", "对方"})


def meets_only_figures(content: Content, passage: Passage) -> bool:
    """Whether every topical word of the question that the passage has (two characters or more,
    or through a synonym) is there only inside a figure of speech (`figure_spans`). A question about
    the literal thing ("蜡烛是用什么原料做的", "象棋的马后炮怎么走") shares only the figure with the
    passage; one about the figure's point shares more ("办公室干部要有什么样的蜡烛觉悟": 觉悟). The
    abstention model weighs it with the rest: a question that asks what the figure means ("讲话里
    “弹好钢琴”是什么意思") meets only the figure too, and is answered."""
    text = passage.text
    spans = None
    figurative = False
    for word, expansions in _topical(content):
        if _WHEN.fullmatch(word) or word in PRONOUNS:
            continue
        if len(word) < 2 or word not in text:
            if any(e and e in text for e in expansions):
                return False
            continue
        if spans is None:
            spans = figure_spans(text)
        at = text.find(word)
        while at >= 0:
            if not any(a <= at and at + len(word) <= b for a, b in spans):
                return False
            at = text.find(word, at + 1)
        figurative = True
    return figurative


def object_highlight(passage: Passage, verb: str, highlight: str) -> str:
    """For a question asking what the verb applies to ("服从什么", "要服从的有哪几样", "对谁忠诚"):
    the sentence that lists the verb's objects ("服从规则、服从大局、服从上级", "对党忠诚、对单位和事业
    忠诚"), after the sentence that asks it when the speech asks itself ("服从什么？"); the highlight
    as it was when it lists them already or no sentence does. Of several, the one that lists the
    most: in a paragraph shown whole, "忠诚就是效忠、诚信、无二心" comes before "对党忠诚、对单位和事业
    忠诚、对领导和同事忠诚"."""
    if not verb:
        return highlight
    if passage.kind == "outline":  # the line that lists them ("服从规则、服从大局、服从上级。")
        if lists_objects(verb, highlight):
            return highlight
        return next((line for line in passage.text.split("\n") if lists_objects(verb, line)), highlight)
    sentences = split_sentences(passage.text)
    counts = [objects_listed(verb, sentence) for sentence in sentences]
    most = max(counts, default=0)
    if not most or objects_listed(verb, highlight) >= most:
        return highlight
    i = counts.index(most)
    before = sentences[i - 1] if i else ""
    asks = before.rstrip("”’\" ").endswith(("？", "?")) and verb in before
    return before + sentences[i] if asks else sentences[i]


def objects_listed(verb: str, text: str) -> int:
    """How many of the verb's objects the text lists, each followed by 、: "服从规则、服从大局、服从
    上级" -> 2, "对党忠诚、对单位和事业忠诚、对领导和同事忠诚" -> 2, "忠诚就是效忠、诚信" -> 1."""
    v = re.escape(verb)
    return len(re.findall(rf"(?:{v}[^、。；;，,？?！!\n]{{1,8}}|对[^、。；;，,？?！!\n]{{1,8}}?{v})、", text))


def lists_objects(verb: str, text: str) -> bool:
    """Whether the text lists what the verb applies to: "服从规则、服从大局", "对党忠诚、对单位…忠诚"."""
    return objects_listed(verb, text) > 0


LABEL_CHARS = 12  # a sentence this short is a label ("1.情况要明。", "难点信息“亮明观点”。")


def answer_highlight(passage: Passage, highlight: str) -> str:
    """The key sentence, carried on to the next one when it only asks ("服从什么？" -> "服从什么？
    服从规则、服从大局、服从上级。"): a speech often asks the question itself, then answers it; or
    when it is only a label, a heading or a slogan ("难点信息“亮明观点”。"), which the next sentence
    explains."""
    asks = highlight.rstrip("”’\" ").endswith(("？", "?"))
    if not asks and len(strip_for_match(highlight)) > LABEL_CHARS:
        return highlight
    at = passage.text.find(highlight)
    if at < 0:
        return highlight
    rest = [s for s in split_sentences(passage.text[at + len(highlight):]) if s.strip()]
    return highlight + rest[0] if rest else highlight
