"""Follow-up questions: read an elliptical question together with the one before it.

People ask on from their last question: "信息报送时限是多少" and then "那书面报告呢", "具体怎么做",
"还有呢", "为什么". Without a language model, as MaxKB's 问题优化 and FastGPT's coreference step do
with one, the rule is: a question is elliptical when it has no content word of its own (every word
is a stopword, a single character, or a word asking for more of the same answer), or when it is
marked as a continuation (那…, 还有…, 另外…, …呢) and brings at most two content words. Then:

- no content word: the previous question is asked again with the new words ("信息报送时限是多少
  为什么"), so that its topic and the new question word (为什么: the why intent) both count;
- its own words: a previous word that shares a character pair with a new one is the thing being
  contrasted and is replaced ("电话报告时限是多少" + "那书面报告呢" -> "书面报告时限是多少");
  failing that, the new words replace the previous question's most specific word, its topic
  ("信息报送时限是多少" + "那书面报告呢" -> "书面报告时限是多少", "机要保密有哪些要求" + "那后勤保障呢"
  -> "后勤保障有哪些要求"); a condition ("那如果是在晚上呢") adds to the previous question instead.

A question with a topic of its own ("为什么要服从上级", "公文格式有什么要求") starts fresh.
"""

from __future__ import annotations

import re

from .text import Tokenizer, bigrams

DEFAULT_WINDOW = 300.0  # seconds within which a question may continue the previous one
MAX_OWN_WORDS = 2  # a continuation with more content words than this is a question of its own

# Words that ask for more of the same answer, not about a new topic ("举个例子", "能详细说说吗").
MORE_WORDS = frozenset({
    "具体", "详细", "详细点", "展开", "说说", "讲讲", "再说", "多说", "说明", "解释", "举个", "举例", "例子", "比如",
    "例如", "原因", "理由", "意思", "补充", "继续", "接着",
})
# A question that starts or ends like this continues the previous one ("那书面报告呢", "还有呢").
_LEAD = re.compile(r"^(?:那么|那|还有|另外|此外|然后|至于|如果是|要是|假如|再就是)")
_TAIL = re.compile(r"呢[？?。!！\s]*$")
_CONDITION = re.compile(r"^(?:那么|那)?(?:如果|要是|假如|万一)")
_TRIM = re.compile(r"^[\s，,。？?！!…]+|[\s，,。？?！!…]+$")


def content_words(question: str, tokenizer: Tokenizer) -> list[str]:
    """The words that say what a question is about: no stopwords, no single characters, no words
    asking for more of the same."""
    return [
        w for w in tokenizer.cut(question, mode="precise")
        if w not in tokenizer.stopwords and len(w) >= 2 and w not in MORE_WORDS
    ]


def is_continuation(question: str) -> bool:
    """Marked as continuing the previous question: 那…, 还有…, 另外…, …呢."""
    text = _TRIM.sub("", question)
    return bool(_LEAD.search(text) or _TAIL.search(text))


def is_elliptical(question: str, tokenizer: Tokenizer) -> bool:
    """Whether the question leans on the one before it to be understood."""
    own = content_words(question, tokenizer)
    return not own or (is_continuation(question) and len(own) <= MAX_OWN_WORDS)


def followup_query(
    previous: str | None,
    question: str,
    tokenizer: Tokenizer,
    elapsed: float | None = 0.0,
    window: float = DEFAULT_WINDOW,
) -> str:
    """The query to search for `question`, asked `elapsed` seconds after `previous` (None: no
    previous question, or an unknown time). The question itself unless it is elliptical and
    follows a question within `window` seconds."""
    question = question.strip()
    previous = (previous or "").strip()
    if not previous or not question or elapsed is None or elapsed > window or elapsed < 0:
        return question
    if _squash(previous) == _squash(question) or not is_elliptical(question, tokenizer):
        return question
    before = content_words(previous, tokenizer)
    if not before:  # nothing to carry: the previous question was no clearer
        return question
    own = content_words(question, tokenizer)
    if not own:
        return f"{previous} {_TRIM.sub('', question)}"
    query = previous
    added = []
    for word in own:
        contrasted = next((b for b in before if b != word and set(bigrams(b)) & set(bigrams(word))), None)
        if contrasted and contrasted in query:
            query = query.replace(contrasted, word, 1)
            before.remove(contrasted)
        elif word not in query:
            added.append(word)
    if added and len(added) == len(own) and before and not _CONDITION.search(question):
        # nothing contrasted: the new word stands for the previous topic, its most specific word
        # ("信息报送时限是多少" + "那书面报告呢" -> "书面报告时限是多少")
        topic = max(before, key=tokenizer.specificity)
        if topic in query:
            return query.replace(topic, "".join(added), 1)
    return " ".join([query, *added])


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text)
