"""The knowledge base: load the speeches once, search them many times.

Ranking fuses two BM25 runs over the same passages: jieba words (with the section headings of the
passage) and character bigrams. rank_bm25 does no preprocessing, so both sides go through the same
`Tokenizer`; its small-corpus pitfalls are handled in `_Bm25`. Whether a question is answered at
all is decided from how much of the question the best passages cover (`answer_features`, weighed
by a logistic model that `python -m officebot.retrieval.calibrate` fits), not from the raw score, because
BM25 scores are not comparable across questions.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from rank_bm25 import BM25Okapi

from .answers import answer_highlight, choose_part, question_features  # issue-10
from .knowledge import Synonyms, default_knowledge_dir, read_corpus
from .outline import with_outlines  # issue-10
from .structure import build_paragraphs, split_passages, split_sentences
from .text import Tokenizer, bigrams, fold, strip_for_match
from .types import Answer, Corpus, Hit, Passage, Speech

ANSWER_DEPTH = 3  # hits the abstention model looks at
MAX_QUERY_CHARS = 500  # longer questions are cut: nobody asks in more, and it bounds the work


@dataclass(frozen=True)
class Settings:
    passage_chars: int = 400
    word_weight: float = 0.5  # share of the word run in the fused score; the rest is bigrams
    synonym_weight: float = 0.6  # weight of a query term that came from the synonyms file
    heading_repeat: int = 1  # how many times section headings are added to a passage's terms
    k1: float = 1.2
    b: float = 0.75
    intent_weight: float = 0.2  # bonus for a passage shaped like the answer asked for (who, why…)
    section_weight: float = 0.3  # how much the passage's whole section matching the question counts
    homophone_weight: float = 0.8  # weight of a same-pinyin stand-in for an unknown word (IME typos)
    unknown_boost: float = 1.5  # extra weight, in coverage, of a word the speeches never use
    # answered when the logistic model over `answer_features` says so (python -m officebot.retrieval.calibrate)
    # fitted on 1058 questions of 12 sets, every set but round9 (python -m officebot.retrieval.calibrate
    # --target 0.025 SETS); issue-10: the last three weigh `question_features` (retrieval/answers.py)
    answer_weights: tuple[float, ...] = (1.29, 1.38, -0.76, 1.42, 1.64, -0.25, 0.11, -0.51, -0.95, -1.07)
    answer_bias: float = -0.64
    answer_threshold: float = 0.657


class _Bm25(BM25Okapi):
    """BM25Okapi with an IDF that is positive for every term that occurs.

    rank_bm25's Okapi IDF, log((N - n + 0.5) / (n + 0.5)), is zero for a term in half of the
    passages and negative above that, so an exact match can score nothing on a small corpus. The
    Lucene form, log(1 + (N - n + 0.5) / (n + 0.5)), keeps the ordering and stays positive.
    """

    def _calc_idf(self, nd: dict[str, int]) -> None:
        n_docs = self.corpus_size
        self.idf = {w: math.log(1 + (n_docs - n + 0.5) / (n + 0.5)) for w, n in nd.items()}
        self.average_idf = sum(self.idf.values()) / len(self.idf) if self.idf else 0.0

    def weighted_scores(self, terms: dict[str, float]) -> list[float]:
        scores = [0.0] * self.corpus_size
        for term, weight in terms.items():
            idf = self.idf.get(term)
            if not idf:
                continue
            for i, doc in enumerate(self.doc_freqs):
                tf = doc.get(term)
                if tf:
                    norm = self.k1 * (1 - self.b + self.b * self.doc_len[i] / self.avgdl)
                    scores[i] += weight * idf * tf * (self.k1 + 1) / (tf + norm)
        return scores


class KnowledgeBase:
    """Speeches chunked into passages and indexed for search."""

    def __init__(
        self,
        speeches: list[Speech],
        passages: list[Passage],
        tokenizer: Tokenizer,
        synonyms: Synonyms | None = None,
        settings: Settings | None = None,
        directory: Path | None = None,
    ):
        self.speeches = speeches
        self.passages = passages
        self.tokenizer = tokenizer
        self.synonyms = synonyms or Synonyms()
        self.settings = settings or Settings()
        self.directory = directory
        self._word_docs = [self._passage_words(p) for p in passages]
        self._bigram_docs = [self._passage_bigrams(p) for p in passages]
        self._word_sets = [set(d) for d in self._word_docs]
        s = self.settings
        self._words = _Bm25(self._word_docs, k1=s.k1, b=s.b) if passages else None
        self._homophones: dict[tuple[str, ...], list[str]] | None = None
        self._pinyin: dict[str, str] = {}
        self._bigrams = _Bm25(self._bigram_docs, k1=s.k1, b=s.b) if passages else None
        # the sections as documents of their own: a question about a topic matches its section
        self._section_of: list[int] = []
        section_ids: dict[tuple[str, tuple[str, ...]], int] = {}
        section_words: list[list[str]] = []
        section_grams: list[list[str]] = []
        for p, words, grams in zip(passages, self._word_docs, self._bigram_docs):
            sid = section_ids.setdefault((p.doc_id, p.section), len(section_ids))
            if sid == len(section_words):
                section_words.append([])
                section_grams.append([])
            section_words[sid].extend(words)
            section_grams[sid].extend(grams)
            self._section_of.append(sid)
        self._section_words = _Bm25(section_words, k1=s.k1, b=s.b) if passages else None
        self._section_grams = _Bm25(section_grams, k1=s.k1, b=s.b) if passages else None

    # ---- building -------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None, settings: Settings | None = None) -> KnowledgeBase:
        """Load a knowledge directory (default: `OFFICE_BOT_KNOWLEDGE` or the installed one)."""
        directory = Path(path).expanduser() if path else default_knowledge_dir()
        return cls.build(read_corpus(directory), settings, directory)

    @classmethod
    def build(cls, corpus: Corpus, settings: Settings | None = None, directory: Path | None = None) -> KnowledgeBase:
        """Index a corpus: cut its speeches into passages and build the search runs."""
        settings = settings or Settings()
        speeches = [st.speech for st in corpus.speeches]
        tokenizer = Tokenizer(corpus.userdict, corpus.stopwords)
        passages: list[Passage] = []
        for st in corpus.speeches:
            paragraphs, _ = build_paragraphs(st.speech.id, list(st.lines))
            passages.extend(
                split_passages(paragraphs, st.speech.title, st.speech.date, settings.passage_chars, len(passages))
            )
        return cls(speeches, passages, tokenizer, Synonyms(corpus.synonyms), settings, directory)

    def _passage_words(self, p: Passage) -> list[str]:
        words = self.tokenizer.tokens(p.text)
        for _ in range(self.settings.heading_repeat):
            for label in p.section:
                words.extend(self.tokenizer.tokens(label))
        return words

    def _passage_bigrams(self, p: Passage) -> list[str]:
        grams = bigrams(p.text)
        for _ in range(self.settings.heading_repeat):
            for label in p.section:
                grams.extend(bigrams(label))
        return grams

    # ---- querying -------------------------------------------------------------------------

    def query_terms(self, query: str) -> tuple[dict[str, float], dict[str, float], list[tuple[str, list[str]]]]:
        """Weighted word terms, weighted bigram terms, and the content words with their expansions.

        Stopwords (question words among them) do not match, but their synonyms do: "多久" brings
        in "小时内". Content words, which decide whether the question is answered, come from
        jieba's precise cut so that a compound and its parts are not counted twice.
        """
        query = query[:MAX_QUERY_CHARS]
        stop = self.tokenizer.stopwords
        word_terms: dict[str, float] = {}
        bigram_terms: dict[str, float] = {}
        folded = fold(query)
        precise = self._unglue(self.tokenizer.cut(query, mode="precise"))
        spans: list[tuple[int, int]] = []
        position = 0
        for w in precise:
            begin = folded.find(w, position)
            spans.append((begin, begin + len(w)) if begin >= 0 else (-1, -1))
            position = max(position, spans[-1][1])
        # a synonym entry counts where it is made of whole words of the question: "写材料" in
        # "写材料有啥要求", but not "会议" inside the common word "会议室"
        starts, ends = {a for a, _ in spans}, {b for _, b in spans}
        for w, (a, b) in zip(precise, spans):
            if a >= 0 and not self.tokenizer.is_word(w):  # a rare compound ("交代任务") may be split
                starts.update(range(a, b))
                ends.update(range(a + 1, b + 1))
        phrases = [(a, b, e) for a, b, e in self.synonyms.find(folded) if a in starts and b in ends]

        def widen(expansions: list[str], weight: float) -> None:
            for e in expansions:
                for t in self.tokenizer.tokens(e) or [e]:
                    word_terms.setdefault(t, weight)
                for g in bigrams(e):
                    bigram_terms.setdefault(g, weight)

        for w in self.tokenizer.cut(query):
            if w not in stop:
                word_terms[w] = 1.0
            widen(self.synonyms.expand(w), self.settings.synonym_weight)
        for _, _, expansions in phrases:
            widen(expansions, self.settings.synonym_weight)
        content = []
        for w, (begin, end) in zip(precise, spans):
            if w in stop:
                continue
            expansions = list(self.synonyms.expand(w))
            for a, b, more in phrases:  # a synonym entry that spans this word
                if begin >= 0 and a < end and begin < b:
                    expansions.extend(e for e in more if e not in expansions)
            if not expansions and w not in self._vocabulary():
                expansions = self.homophones(w)
                for e in expansions:
                    word_terms.setdefault(e, self.settings.homophone_weight)
            content.append((w, expansions))
        # bigrams of the question with its stopwords taken out
        kept = [" " if w in stop else w for w in precise]
        for g in bigrams(" ".join("".join(kept).split())):
            bigram_terms[g] = 1.0
            if self._bigrams is not None and g not in self._bigrams.idf:
                for e in self.homophones(g):
                    bigram_terms.setdefault(e, self.settings.homophone_weight)
        return word_terms, bigram_terms, content

    def _unglue(self, words: list[str]) -> list[str]:
        """Split pieces that no dictionary knows back into dictionary words: jieba's guesser glues
        a function word to its neighbour in questions ("多长时间内要" -> "内要", "历史上光会讲" ->
        "上光会"), and such a piece would otherwise count as a rare word the speeches never use."""
        out: list[str] = []
        for w in words:
            if (
                len(w) >= 2
                and all("\u4e00" <= c <= "\u9fff" for c in w)
                and not self.tokenizer.is_word(w, 1)
                and w not in self._vocabulary()
                and not self.synonyms.expand(w)
            ):
                out.extend(self.tokenizer.cut_known(w))
            else:
                out.append(w)
        # and the other way round: two lone characters that sound like a word of the speeches are
        # a mistyped word ("秘蜜" -> "秘" "蜜", meant "秘密")
        merged: list[str] = []
        for w in out:
            if (
                merged
                and len(w) == 1
                and len(merged[-1]) == 1
                and merged[-1] not in self.tokenizer.stopwords
                and w not in self.tokenizer.stopwords
                and self.homophones(merged[-1] + w)
            ):
                merged[-1] += w
            else:
                merged.append(w)
        return merged

    def _vocabulary(self) -> dict[str, float]:
        return self._words.idf if self._words is not None else {}

    def _sound(self, text: str) -> tuple[str, ...]:
        from pypinyin import lazy_pinyin

        missing = [c for c in text if c not in self._pinyin]
        if missing:
            self._pinyin.update(zip(missing, lazy_pinyin(missing)))
        return tuple(self._pinyin[c] for c in text)

    def homophones(self, word: str) -> list[str]:
        """Words and bigrams of the knowledge base that sound like `word` (保秘 -> 保密): most
        typing mistakes in Chinese are a wrong character of the same pinyin."""
        if not self.settings.homophone_weight or len(word) < 2 or not all("\u4e00" <= c <= "\u9fff" for c in word):
            return []
        if self.tokenizer.is_word(word):  # a real word is not a typo: 透视 must not become 投石
            return []
        if self._homophones is None:
            self._homophones = {}
            try:
                from pypinyin import lazy_pinyin
            except ImportError:  # optional: without it there is no typo tolerance
                return []
            terms = [
                t for t in set(self._vocabulary()) | (set(self._bigrams.idf) if self._bigrams else set())
                if len(t) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in t)
            ]
            # one pinyin per character (its usual reading) is enough for typing mistakes, and
            # converting each character once keeps a cold start fast
            chars = sorted({c for t in terms for c in t})
            self._pinyin = dict(zip(chars, lazy_pinyin(chars)))
            for term in terms:
                self._homophones.setdefault(self._sound(term), []).append(term)
        if not self._homophones:
            return []
        candidates = self._homophones.get(self._sound(word), [])
        # a stand-in must be a real word: jieba's odd cuts ("是要") are no one's intended word
        return [t for t in candidates if t != word and self.tokenizer.is_word(t)][:3]

    def search(self, query: str, k: int = 3) -> Answer:
        """The k best passages for a question, one per paragraph, and whether they answer it."""
        query = (query or "").strip()
        k = max(0, int(k))
        if not self.passages or not query or k == 0:
            return Answer(query, False, [], self.suggest(query))
        word_terms, bigram_terms, content = self.query_terms(query)
        if not word_terms and not bigram_terms:
            return Answer(query, False, [], self.suggest(query))
        assert self._words is not None and self._bigrams is not None
        ws = self._words.weighted_scores(word_terms)
        bs = self._bigrams.weighted_scores(bigram_terms)
        wmax, bmax = max(ws) or 1.0, max(bs) or 1.0
        a = self.settings.word_weight
        fused = [a * w / wmax + (1 - a) * b / bmax for w, b in zip(ws, bs)]
        if self.settings.intent_weight:
            for ask, answer_shape in _INTENTS:
                if ask.search(query):
                    fused = [
                        f + (self.settings.intent_weight if f > 0 and answer_shape.search(p.text) else 0.0)
                        for f, p in zip(fused, self.passages)
                    ]
        subject = definition_subject(query)
        if subject:  # "什么是落实": the passage that says "落实就是…" answers it
            pattern = re.compile(rf"{re.escape(subject)}(?:就是|是指|即是|，就是|,就是)|所谓{re.escape(subject)}")
            fused = [f + (0.5 if f > 0 and pattern.search(p.text) else 0.0) for f, p in zip(fused, self.passages)]
        if self.settings.section_weight:
            sw = self._section_words.weighted_scores(word_terms)
            sb = self._section_grams.weighted_scores(bigram_terms)
            swmax, sbmax = max(sw) or 1.0, max(sb) or 1.0
            sec = [a * w / swmax + (1 - a) * b / sbmax for w, b in zip(sw, sb)]
            lam = self.settings.section_weight
            # only passages that match by themselves get their section's support
            fused = [f + lam * sec[self._section_of[i]] if f > 0 else 0.0 for i, f in enumerate(fused)]
        order = sorted(range(len(fused)), key=lambda i: (-fused[i], i))
        # issue-10: sections (heading, opening, items) compete with the passages for list questions
        candidates = with_outlines(self, query, content, [(fused[i], self.passages[i]) for i in order])
        hits: list[Hit] = []
        seen_paragraphs: set[tuple] = set()
        depth = max(k, ANSWER_DEPTH)  # whether it is answered must not depend on how many are shown
        for score, p in candidates:
            if score <= 0 or len(hits) >= depth:
                break
            key = (p.doc_id, p.paragraph) if p.kind == "passage" else (p.doc_id, p.kind, p.section, p.paragraph)
            if key in seen_paragraphs:
                continue
            seen_paragraphs.add(key)
            p = choose_part(self, p, query, content)  # issue-10: the part of the paragraph that answers
            if p.kind == "outline":
                highlight = p.text.split("\n", 1)[0]
            else:
                highlight = answer_highlight(p, self.highlight(p, word_terms, bigram_terms))
            hits.append(Hit(len(hits) + 1, score, p, highlight))
        answered = self._covers(content, hits, query)
        return Answer(query, answered, hits[:k], [] if answered else self.suggest(query))

    def _covers(self, content: list[tuple[str, list[str]]], hits: list[Hit], query: str = "") -> bool:
        """Whether the hits answer the question: a logistic model over `answer_features`,
        fitted on the project's question sets by `python -m officebot.retrieval.calibrate`."""
        if not hits or not content:
            return False
        s = self.settings
        z = s.answer_bias + sum(w * f for w, f in zip(s.answer_weights, self.answer_features(content, hits, query)))
        return 1 / (1 + math.exp(-z)) >= s.answer_threshold

    def answer_features(self, content: list[tuple[str, list[str]]], hits: list[Hit], query: str = "") -> list[float]:
        """What tells an answerable question from one the speeches do not cover:
        coverage by the best passage; the best coverage among the top three; the share of the
        question's weight in words the speeches never use (and no synonym reaches); the share in
        words the speeches do use; how many question words the best passage covers (up to 5, /5);
        how many unknown words there are (up to 5, /5); the share of words covered only through
        a synonym or homophone; then `question_features` (retrieval/answers.py)."""
        assert self._words is not None
        hits = [h for h in hits if h.passage.kind == "passage"]  # issue-10: outlines are judged by their passages
        extra = question_features(self, query, content, hits)  # issue-10: abstention near the topic
        if not hits or not content:
            return [0.0] * 7 + extra
        best = hits[0].passage
        i = best.id - self.passages[0].id
        words, haystack = self._word_sets[i], strip_for_match(best.text + "".join(best.section))
        total = unknown_weight = known_weight = 0.0
        unknown = covered = via_synonym = 0
        for w, expansions in content:
            weight = self.tokenizer.specificity(w)
            total += weight
            if w in self._words.idf:
                known_weight += weight
            elif not expansions:
                unknown += 1
                unknown_weight += weight
            direct = w in words or (len(w) != 2 and w in haystack)
            if direct or any(e in haystack or e in words for e in expansions):
                covered += 1
                via_synonym += not direct
        return [
            self.coverage(content, best),
            max(self.coverage(content, h.passage) for h in hits[:ANSWER_DEPTH]),
            unknown_weight / total if total else 0.0,
            known_weight / total if total else 0.0,
            min(covered, 5) / 5,
            min(unknown, 5) / 5,
            via_synonym / len(content),
        ] + extra

    def coverage(self, content: list[tuple[str, list[str]]], passage: Passage) -> float:
        """Weighted share of the question's content words that the passage (or its headings)
        contains, directly or through a synonym or homophone. A word weighs by how specific it is
        in general Chinese, so "期间" counts little and "病假" much; a word the speeches never use
        and that has no synonym weighs the most, because it is what an off-topic question is
        about."""
        if not content:
            return 0.0
        assert self._words is not None
        i = passage.id - self.passages[0].id
        haystack = strip_for_match(passage.text + "".join(passage.section))
        words = self._word_sets[i]
        total = covered = 0.0
        for w, expansions in content:
            idf = self.tokenizer.specificity(w)
            if w not in self._words.idf and not expansions:
                idf *= self.settings.unknown_boost  # a word the speeches never use: likely off-topic
            if len(w) == 1:
                idf *= 0.5  # a lone character says little about the topic
            total += idf
            # a word counts if the passage has it as a word, or as a string (a lone character, or 3+
            # characters: two-character strings straddle words too often), or through a synonym
            if w in words or (len(w) != 2 and w in haystack) or any(e in haystack or e in words for e in expansions):
                covered += idf
            elif len(w) > 2:  # an unknown compound: partial credit for the bigrams it shares
                grams = bigrams(w)
                covered += idf * 0.8 * sum(g in haystack for g in grams) / len(grams)
        return covered / total if total else 0.0

    def highlight(self, passage: Passage, word_terms: dict[str, float], bigram_terms: dict[str, float]) -> str:
        """The sentence of the passage that matches the question best, verbatim."""
        sentences = [s for s in split_sentences(passage.text) if s.strip()]
        if not sentences:
            return passage.text
        assert self._words is not None and self._bigrams is not None

        def score(sentence: str) -> float:
            toks = set(self.tokenizer.tokens(sentence))
            grams = set(bigrams(sentence))
            s = sum(wt * self._words.idf.get(t, 0.0) for t, wt in word_terms.items() if t in toks)
            s += sum(wt * self._bigrams.idf.get(g, 0.0) for g, wt in bigram_terms.items() if g in grams)
            return s / (1 + 0.002 * len(sentence))  # among equals, the tighter sentence

        best = max(sentences, key=score)
        return best.strip()

    # ---- browsing -------------------------------------------------------------------------

    def passage(self, passage_id: int) -> Passage | None:
        if self.passages and 0 <= passage_id - self.passages[0].id < len(self.passages):
            return self.passages[passage_id - self.passages[0].id]
        return None

    def context(self, passage_id: int, before: int = 1, after: int = 1) -> list[Passage]:
        """The passage with its neighbours in the same speech, in reading order."""
        p = self.passage(passage_id)
        if p is None:
            return []
        i = self.passages.index(p)
        lo, hi = max(0, i - before), min(len(self.passages), i + after + 1)
        return [q for q in self.passages[lo:hi] if q.doc_id == p.doc_id]

    def topics(self) -> list[str]:
        """Section headings, outermost first, as topics to suggest; numbering markers removed."""
        seen: dict[str, int] = {}
        for p in self.passages:
            for depth, label in enumerate(p.section):
                topic = topic_name(label)
                if topic and topic not in seen:
                    seen[topic] = depth
        return sorted(seen, key=lambda t: seen[t])

    def suggest(self, query: str, n: int = 3) -> list[str]:
        """Topics the knowledge base covers, those closest to the question first."""
        topics = [t for t in self.topics() if len(t) >= 4]
        if not topics:
            return []
        qgrams = set(bigrams(query))
        deep = [t for t in topics if t in {topic_name(p.section[-1]) for p in self.passages if p.section}]
        pool = deep or topics
        scored = sorted(pool, key=lambda t: (-len(qgrams & set(bigrams(t))), pool.index(t)))
        if not qgrams & set().union(*(set(bigrams(t)) for t in scored[:n])):
            step = max(1, len(pool) // n)  # nothing close: spread the offer over the whole base
            scored = pool[::step]
        return scored[:n]


_MARKER = re.compile(r"^(?:第[一二三四五六七八九十]+[，,、]?|[一二三四五六七八九十]+[、，,]|[（(][一二三四五六七八九十\d]+[）)]|\d+\s*[.．、]|[一二三四五六七八九十]+(?=是|要))")


# Questions that ask for a kind of answer, and what a passage holding such an answer looks like.
_INTENTS: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    # who / which person / which example
    (re.compile(r"谁|哪个人|哪位|什么人|哪个古人|例子|典故|故事|举了"),
     re.compile(r"《[^》]+》|比如|例如|曾经说过|说过|古人|俗话说|[赵孙诸马苏康栗][^\s，。]{1,2}(?:说|曾|的)")),
    # why
    (re.compile(r"为什么|为啥|为何|原因|怎么回事|咋回事"),
     re.compile(r"因为|所以|之所以|原因|决定了|说明了|这是为了|否则|一旦")),
    # how many / which items
    (re.compile(r"哪几|几个方面|几点|几条|哪些方面|几句话|分别"),
     re.compile(r"一是|二是|[一二三四五六七八九十]句话|[一二三四五六七八九十]个|、.{1,8}、.{1,8}、")),
    # how long / how fast
    (re.compile(r"多久|多长时间|几个?小时|时限|期限|多快|几天"),
     re.compile(r"\d+\s*小时|[半一二两三四五六七八九十]+小时|第一时间|及时")),
]

_DEFINITION = re.compile(r"^(?:请问)?(?:什么是|什么叫|何为|何谓)(?P<a>.{1,12}?)[？?。!！]*$|^(?P<b>.{1,12}?)(?:是什么|指什么|是啥|是什么意思|什么意思)[？?。!！]*$")


def definition_subject(query: str) -> str:
    """X of a question asking what X is ("什么是落实", "忠诚是什么意思"), else ''."""
    m = _DEFINITION.match(query.strip())
    if not m:
        return ""
    subject = (m.group("a") or m.group("b") or "").strip(" “”\"'")
    return subject if len(subject) >= 2 else ""


def topic_name(label: str) -> str:
    """A heading without its numbering: "二是信息处理要“快”" -> "信息处理要“快”"."""
    name = _MARKER.sub("", label.strip())
    return re.sub(r"^[是要]?(?=.{4,})", "", name) if name.startswith("是") else name
