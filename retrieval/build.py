"""Building the index of a corpus once, and keeping it.

`build_index` cuts the speeches into passages, tokenizes them (in two processes when there are
many), and computes everything a question needs: the four BM25 runs (`index.Run`), which
passages are shaped like an answer to who/why/which/how-long questions, which say what a term
means ("X就是…"), the same-pinyin table for typos, and the topics offered when a question is not
answered. With a cache directory the result is written to one file named after the fingerprint of
everything it was built from (`fingerprint`), and a later build of the same corpus reads it back
memory-mapped instead. Tokens are also kept per speech, keyed by the speech's passages, so that
adding one speech re-tokenizes that speech only.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import logging
import marshal
import math
import os
import re
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from .files import write_atomic
from .index import HashedTerms, Postings, Run, build_run, load_arrays, save_arrays
from .outline import OutlineTable
from .shapes import INTENTS, definition_subjects, enumerated_subjects, object_heads, shared_characters, topic_name
from .structure import build_paragraphs, split_passages, split_sentences
from .text import JIEBA_BLOCK as _JIEBA_BLOCK
from .text import Tokenizer, bigrams, fold, strip_for_match
from .types import Corpus, Passage, SpeechText

log = logging.getLogger(__name__)
T = TypeVar("T")

INDEX_FORMAT = 12  # raise when the file layout or what goes into it changes (12: how many passages have each character)
PARALLEL_MIN_PASSAGES = 4000  # below this a process pool (each worker loads jieba, ~1 s) does not pay
WORKERS = 2
BATCH_BLOCKS = 5000  # blocks (see `text_blocks`) a worker tokenizes at a time
KEEP_INDEXES = 4  # index files kept in a cache directory (several knowledge directories may share it)
CJK_FIRST, CJK_LAST = 0x4E00, 0x9FFF
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))  # text._CJK, as code points
_NOT_CJK_TERM = re.compile(r"[0-9]+(?:\.[0-9]+)?%?|[a-z]+")  # text._CJK_RUN's other two kinds of term


def default_cache_dir() -> Path:
    """`$OFFICE_BOT_DATA/cache`, else `$XDG_CACHE_HOME/office-bot`, else `~/.cache/office-bot`."""
    data = os.environ.get("OFFICE_BOT_DATA", "").strip()
    if data:
        return Path(data).expanduser() / "cache"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "office-bot"


@dataclass(frozen=True)
class Index:
    """Everything searching needs besides the tokenizer and synonyms; read-only once built."""

    passages: list[Passage]
    words: Run  # passages x jieba words (text, headings, bound questions)
    bigrams: Run  # passages x character bigrams
    section_words: Run  # sections x words: a question about a topic matches its section
    section_grams: Run
    section_of: np.ndarray  # passage -> section
    intents: np.ndarray  # (len(INTENTS), passages) 1 where the passage is shaped like that answer
    definitions: Postings  # X -> passages that say what X is
    # verb X -> passages that list what X applies to ("服从规则、服从大局"); a character -> passages
    # with items that share it ("零差错、零失误、零缺陷")
    objects: Postings
    outlines: OutlineTable  # sections (and paragraphs) as outline answers for list questions
    homophones: dict[str, str]  # pinyin of a word -> common words of the index that sound so, tab-separated
    pinyin: list[str]  # usual pinyin of every character U+4E00..U+9FFF
    topics: list[str]  # section headings without numbering, outermost first
    pool: list[str]  # the topics offered as suggestions
    pool_grams: dict[str, list[int]]  # bigram -> suggestions (positions in pool) that have it
    notes: dict[int, str]  # passage -> its bound questions, stripped (for coverage)
    sentences_of: np.ndarray  # passage i has sentences sentences_of[i]:sentences_of[i + 1]
    sentence_ptr: np.ndarray  # sentence j has the words sentence_words[sentence_ptr[j]:sentence_ptr[j + 1]]
    sentence_words: np.ndarray  # word ids (of the word run) of every sentence, in order
    # passage -> each X it enumerates the parts of ("办公室工作既有综合协调、信息调研，又有…" -> 办公室工作)
    enumerated: dict[int, list[str]]
    char_df: np.ndarray  # how many passages have each character U+4E00..U+9FFF (`char_weight`)

    def char_weight(self, c: str) -> float:
        """How telling a character is in these passages: its BM25 idf as a term of its own (a
        character that most passages have, 为 or 的, weighs little); 0 outside U+4E00..U+9FFF."""
        code = ord(c) - CJK_FIRST
        if not 0 <= code <= CJK_LAST - CJK_FIRST:
            return 0.0
        n, df = len(self.passages), int(self.char_df[code])
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def sentence_word_ids(self, passage: int) -> list[set[int]]:
        """The word ids of each sentence of a passage (see `passage_sentences`)."""
        a, b = int(self.sentences_of[passage]), int(self.sentences_of[passage + 1])
        ptr = self.sentence_ptr[a : b + 1].tolist()
        words = self.sentence_words[ptr[0] : ptr[-1]].tolist()
        return [set(words[x - ptr[0] : y - ptr[0]]) for x, y in itertools.pairwise(ptr)]

    def sound(self, word: str) -> str:
        return " ".join(self.pinyin[ord(c) - CJK_FIRST] for c in word)

    def sounding_like(self, word: str) -> list[str]:
        """Common words of the index with the pinyin of `word` (all CJK U+4E00..U+9FFF)."""
        return self._sounding(self.sound(word))

    def spelled(self, letters: str) -> list[str]:
        """Common words of the index whose pinyin is `letters` typed without tones or spaces
        ("jilv" -> 纪律, "baomi" -> 保密): a question typed half in pinyin when the input method
        did not convert. Every way of reading the letters as syllables is looked up."""
        if not self.homophones or not self.pinyin or not 2 <= len(letters) <= MAX_SPELLED:
            return []
        found: list[str] = []
        for reading in _readings(letters.lower(), self.syllables):
            for term in self._sounding(" ".join(reading)):
                if term not in found:
                    found.append(term)
        return found

    @functools.cached_property
    def syllables(self) -> frozenset[str]:
        """Every pinyin syllable of the table (made on first use, kept with the index)."""
        return frozenset(p for p in self.pinyin if p)

    def _sounding(self, key: str) -> list[str]:
        found = self.homophones.get(key) if self.homophones else None
        return found.split("\t") if found else []


MAX_SPELLED = 24  # letters read as pinyin at most (a few syllables; a pasted English sentence is not)


def _readings(letters: str, syllables: frozenset[str], limit: int = 16) -> list[list[str]]:
    """Ways to cut `letters` into pinyin syllables of two or more syllables (at most `limit`)."""
    n = len(letters)
    # ends[i]: whether letters[i:] can be cut into syllables (worked out from the end first, so that
    # the walk below never enters a dead end: "nanana…q" costs a pass, not every way of cutting it)
    ends = [False] * n + [True]
    for i in range(n - 1, -1, -1):
        ends[i] = any(ends[j] and letters[i:j] in syllables for j in range(i + 1, min(n, i + 6) + 1))
    out: list[list[str]] = []

    def walk(i: int, path: list[str]) -> None:
        if len(out) >= limit:
            return
        if i == n:
            if len(path) >= 2:
                out.append(list(path))
            return
        for j in range(min(n, i + 6), i, -1):  # a syllable has at most six letters (zhuang)
            if ends[j] and letters[i:j] in syllables:
                path.append(letters[i:j])
                walk(j, path)
                path.pop()

    if ends[0]:
        walk(0, [])
    return out


# ---- fingerprints ------------------------------------------------------------------------------


def _pinyin_version() -> str:
    """Where pypinyin is and how big and old its dictionary is (cheaper than asking its version)."""
    from importlib.util import find_spec

    spec = find_spec("pypinyin")
    if spec is None or not spec.origin:
        return "none"
    try:
        st = (Path(spec.origin).parent / "pinyin_dict.py").stat()
    except OSError:
        return spec.origin
    return f"{spec.origin} {st.st_size} {st.st_mtime_ns}"


# the modules whose code decides what the index holds (passages, runs, bigrams, outlines, intents…):
# an index kept from other code is rebuilt even when INDEX_FORMAT was not raised with a change. The
# per-speech token caches are keyed by jieba and the dictionaries (`Tokenizer.fingerprint`), and are
# reused: a change to how text.py cuts words must change that fingerprint too.
_INDEX_CODE = ("build.py", "index.py", "outline.py", "shapes.py", "structure.py", "text.py", "types.py")
_code_digest: str | None = None


def _code_version() -> str:
    global _code_digest
    if _code_digest is None:
        h = hashlib.sha256()
        for name in _INDEX_CODE:
            with contextlib.suppress(OSError):
                h.update(name.encode() + b"\0" + (Path(__file__).parent / name).read_bytes())
        _code_digest = h.hexdigest()
    return _code_digest


def fingerprint(corpus: Corpus, settings: Any, tokenizer: Tokenizer) -> str:
    """A hash of everything the index depends on: the corpus (speeches, synonyms, dictionary,
    stopwords, bound questions), the settings that shape passages and weights, the tokenizer's
    dictionaries and the index format."""
    h = hashlib.sha256(f"format {INDEX_FORMAT}\0pypinyin {_pinyin_version()}\0{tokenizer.fingerprint()}".encode())
    h.update(_code_version().encode())
    h.update(repr((settings.passage_chars, settings.heading_repeat, settings.k1, settings.b)).encode())
    for st in corpus.speeches:
        h.update(b"\0speech\0" + repr(tuple(vars(st.speech).values())).encode())
        h.update("\n".join(st.lines).encode())
    h.update(repr(sorted((k, tuple(v)) for k, v in corpus.synonyms.items())).encode())
    h.update(repr(sorted((k, tuple(v)) for k, v in corpus.annotations.items())).encode())
    return h.hexdigest()[:40]


# ---- passages and tokens -----------------------------------------------------------------------


def split_corpus(corpus: Corpus, passage_chars: int) -> tuple[list[Passage], list[int]]:
    """All passages, and where each speech's passages start (one more at the end)."""
    passages: list[Passage] = []
    starts = [0]
    for st in corpus.speeches:
        paragraphs, _ = build_paragraphs(st.speech.id, list(st.lines))
        passages.extend(split_passages(paragraphs, st.speech.title, st.speech.date, passage_chars, len(passages)))
        starts.append(len(passages))
    return passages, starts


_worker_tokenizer: Tokenizer | None = None


WORKER_NICENESS = 10  # worker processes yield the CPU to the process that started them


def _init_worker(entries: list[str], stopwords: list[str]) -> None:
    global _worker_tokenizer
    # the main process's share of the build (everything but the words) is the longest chain, and
    # in the bot the answers come first: the tokenizing workers take what CPU is left
    with contextlib.suppress(AttributeError, OSError):
        os.nice(WORKER_NICENESS)
    _worker_tokenizer = Tokenizer(entries, set(stopwords))


def passage_sentences(text: str) -> list[str]:
    """The sentences of a passage, as the highlight picks among them."""
    return [s for s in split_sentences(text) if s.strip()]


def tokenize_texts(tokenizer: Tokenizer, texts: list[str]) -> list[list[list[str]]]:
    """Index words of each passage text, sentence by sentence (what the per-speech cache keeps).
    Sentences end at punctuation, where jieba's cuts end too, so together they are the passage's
    words, and the highlight needs no tokenizing at query time."""
    return [[tokenizer.tokens(s) for s in passage_sentences(t)] for t in texts]


def text_blocks(text: str) -> list[str]:
    """The blocks jieba cuts a text into before it looks for words (runs of CJK characters,
    letters and digits, and what lies between them), of the folded text: the text's index words
    (`Tokenizer.index_tokens`) are its blocks' index words, in order."""
    return [b for b in _JIEBA_BLOCK.split(fold(text)) if b]


def tokenize_sentences(tokenizer: Tokenizer, sentences: list[str]) -> list[list[str]]:
    """Index words of each sentence (or block)."""
    return [tokenizer.index_tokens(s) for s in sentences]


def _tokenize_sentences(sentences: list[str]) -> list[list[str]]:
    assert _worker_tokenizer is not None
    return tokenize_sentences(_worker_tokenizer, sentences)


def _progress_bar(total: int, progress: bool | None, desc: str, unit: str = "段"):
    show = progress if progress is not None else sys.stderr.isatty()
    if not show or total <= 0:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=desc, unit=unit, unit_scale=True, file=sys.stderr, dynamic_ncols=True, mininterval=0.5)


def _speech_cache_path(cache_dir: Path, kind: str, salt: str, texts: list[str]) -> Path:
    """Where what a speech gives (`kind`: "tokens", "shapes") is kept: named after what it depends
    on (`salt`: the tokenizer, the code) and the speech's passage texts."""
    key = hashlib.sha256((salt + "\0" + "\0".join(texts)).encode()).hexdigest()
    return cache_dir / kind / key[:2] / f"{key}.bin"


def _read_kept(path: Path) -> Any:
    """What a cache file written with marshal holds; None if it is missing or damaged."""
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _write_quietly(path: Path, data: bytes) -> None:
    """Write a cache file (a speech's tokens, a directory's record) atomically but not synced
    (one file a speech: thousands of syncs at 100k passages; a damaged one fails its checks when
    read and is made again); a cache that cannot be written is simply not kept."""
    try:
        write_atomic(path, data, durable=False)
    except OSError as exc:
        log.debug("cache not written (%s): %s", path, exc)


def speech_tokens(
    texts_by_speech: Sequence[list[str]], tokenizer: Tokenizer, cache_dir: Path | None, progress: bool | None
) -> list[list[list[list[str]]]]:
    """jieba tokens of every passage text, speech by speech, from the per-speech cache where it
    has them; the rest is tokenized (in two processes when there is a lot) and cached."""
    return tokenize_while(texts_by_speech, tokenizer, cache_dir, progress, lambda: None)[0]


def tokenize_while(
    texts_by_speech: Sequence[list[str]],
    tokenizer: Tokenizer,
    cache_dir: Path | None,
    progress: bool | None,
    meanwhile: Callable[[], T],
) -> tuple[list[list[list[list[str]]]], T]:
    """`speech_tokens`, and `meanwhile()` computed in this process while worker processes
    tokenize (after the tokens when they are few enough to tokenize here)."""
    tok = f"tokens by sentence\0{tokenizer.fingerprint()}"
    paths = [_speech_cache_path(cache_dir, "tokens", tok, texts) if cache_dir is not None else None
             for texts in texts_by_speech]
    results: list[list[list[list[str]]] | None] = [None] * len(texts_by_speech)
    for s, path in enumerate(paths):
        cached = _read_kept(path) if path is not None else None
        if isinstance(cached, list) and len(cached) == len(texts_by_speech[s]):
            results[s] = cached
    todo = [s for s, r in enumerate(results) if r is None]
    # each distinct sentence once: speeches repeat sentences (formulas, quotations, a notice's
    # boilerplate), and a sentence's words do not depend on where it stands; and within them each
    # distinct block once: jieba cuts a text block by block (a run of CJK characters, letters and
    # digits, or what lies between two such runs), so a sentence's words are its blocks' words in
    # order, and clauses repeat far more often than sentences do. Blocks go to the worker
    # processes as they are found.
    parallel = sum(len(texts_by_speech[s]) for s in todo) >= PARALLEL_MIN_PASSAGES and (os.cpu_count() or 1) > 1
    pool = None
    if parallel:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        # spawn, not fork: the caller may be a bot with threads running
        pool = ProcessPoolExecutor(
            WORKERS, mp_context=get_context("spawn"), initializer=_init_worker,
            initargs=(tokenizer.entries(), sorted(tokenizer.stopwords)),
        )
    sentence_ids: dict[str, int] = {}
    block_ids: dict[str, int] = {}
    unique: list[str] = []  # the distinct blocks
    flat: list[int] = []  # the blocks of each distinct sentence, one after another
    bounds = [0]  # sentence j has the blocks flat[bounds[j]:bounds[j + 1]]
    layout: dict[int, list[list[int]]] = {}
    futures: dict = {}
    bar = None
    try:
        submitted = 0
        for s in todo:
            speech: list[list[int]] = []
            for text in texts_by_speech[s]:
                ids = []
                for sentence in passage_sentences(text):
                    j = sentence_ids.get(sentence)
                    if j is None:
                        j = sentence_ids[sentence] = len(sentence_ids)
                        for block in text_blocks(sentence):
                            k = block_ids.get(block)
                            if k is None:
                                k = block_ids[block] = len(unique)
                                unique.append(block)
                            flat.append(k)
                        bounds.append(len(flat))
                    ids.append(j)
                speech.append(ids)
            layout[s] = speech
            if pool is not None and len(unique) - submitted >= BATCH_BLOCKS:
                futures[pool.submit(_tokenize_sentences, unique[submitted:])] = submitted
                submitted = len(unique)
        if pool is not None and submitted < len(unique):
            futures[pool.submit(_tokenize_sentences, unique[submitted:])] = submitted
        del sentence_ids, block_ids
        words: list[list[str] | None] = [None] * len(unique)
        bar = _progress_bar(sum(map(len, unique)), progress, "分词", "字")
        if pool is not None:
            from concurrent.futures import as_completed

            failed: list[BaseException] = []

            def collect() -> None:
                try:
                    for future in as_completed(futures):
                        a = futures[future]
                        batch = future.result()
                        words[a : a + len(batch)] = batch
                        if bar is not None:
                            bar.update(sum(map(len, unique[a : a + len(batch)])))
                except Exception as exc:  # noqa: BLE001 - re-raised in the caller's thread
                    failed.append(exc)

            collector = threading.Thread(target=collect, name="tokens", daemon=True)
            collector.start()
            try:
                extra = meanwhile()
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)  # what has not started never will
                raise
            finally:
                collector.join()
            if failed:
                raise failed[0]
        else:
            for a in range(0, len(unique), BATCH_BLOCKS):
                batch = tokenize_sentences(tokenizer, unique[a : a + BATCH_BLOCKS])
                words[a : a + len(batch)] = batch
                if bar is not None:
                    bar.update(sum(map(len, unique[a : a + len(batch)])))
            extra = meanwhile()
    except BaseException:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
        raise
    finally:
        if pool is not None:
            pool.shutdown()
        if bar is not None:
            bar.close()
    by_sentence = [
        [w for b in flat[bounds[j] : bounds[j + 1]] for w in words[b]]  # type: ignore[union-attr]
        for j in range(len(bounds) - 1)
    ]
    del flat
    for s in todo:
        tokens = [[by_sentence[j] for j in passage] for passage in layout[s]]
        results[s] = tokens
        if (path := paths[s]) is not None:
            _write_quietly(path, marshal.dumps(tokens))
    return [r if r is not None else [] for r in results], extra


class _Ids:
    """Term ids of documents, collected as arrays (a Python list of 30M ints would need 1 GB).

    A token gets a provisional id from a counter that advances at every token (one C-level pass,
    `dict.setdefault`); `finish` renumbers the terms 0..n-1 in order of first appearance."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.chunks: list[np.ndarray] = []
        self.lengths: list[int] = []
        self._counter = itertools.count()
        self._remap: np.ndarray | None = None

    def add(self, tokens: list[str]) -> np.ndarray:
        ids = np.fromiter(map(self.vocab.setdefault, tokens, self._counter), np.int32, len(tokens))
        self.chunks.append(ids)
        self.lengths.append(len(tokens))
        return ids

    def finish(self) -> None:
        """Number the terms 0..n-1 (`vocab`, and `renumber` for ids handed out by `add`)."""
        provisional = np.fromiter(self.vocab.values(), np.int64, len(self.vocab))
        self._remap = np.zeros(next(self._counter) + 1, dtype=np.int32)
        self._remap[provisional] = np.arange(len(provisional), dtype=np.int32)
        self.vocab = dict(zip(self.vocab, range(len(self.vocab))))

    def renumber(self, ids: np.ndarray) -> np.ndarray:
        assert self._remap is not None
        return self._remap[ids]

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        docs = np.repeat(np.arange(len(self.lengths), dtype=np.int32), self.lengths)
        terms = np.concatenate(self.chunks) if self.chunks else np.zeros(0, dtype=np.int32)
        self.chunks = []
        return docs, self.renumber(terms)


# ---- the index ---------------------------------------------------------------------------------


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """`np.unique` of a 1-D array by a sort and a mask: numpy 2 answers `np.unique` with a hash
    table and then sorts its result anyway, five times slower on the 25 million bigram keys of a
    100k-passage library (4 s against 0.8)."""
    if not len(values):
        return np.unique(values)
    ordered = np.sort(values)
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


class _GramKeys:
    """The bigram terms of texts (`text.bigrams`) as int64 keys, computed with numpy over all the
    texts at once: a pair of CJK characters is (first << 21) | second, a lone CJK character its
    code point, anything else (a number, a Latin word) a negative key numbered here. `number`
    turns keys into term ids and the strings `bigrams` would give, so the run is the same as one
    built from `bigrams` of each text, without making 25 million strings at 100k passages."""

    def __init__(self) -> None:
        self._others: dict[str, int] = {}

    def _other(self, term: str) -> int:
        return -1 - self._others.setdefault(term, len(self._others))

    def keys(self, terms: list[str]) -> np.ndarray:
        """Keys of terms as `bigrams` gives them."""
        out = []
        for t in terms:
            if len(t) == 2 and _in_cjk_ranges(t):
                out.append((ord(t[0]) << 21) | ord(t[1]))
            elif len(t) == 1 and _in_cjk_ranges(t):
                out.append(ord(t))
            else:
                out.append(self._other(t))
        return np.array(out, dtype=np.int64)

    def of_texts(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Keys of every bigram term of every text, and the text each comes from."""
        folded = [fold(t) for t in texts]
        codes = np.frombuffer("\0".join(folded).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        doc_of = np.repeat(np.arange(len(folded), dtype=np.int32), [len(f) + 1 for f in folded])[: len(codes)]
        cjk = np.zeros(len(codes), dtype=bool)
        for low, high in _CJK_RANGES:
            cjk |= (codes >= low) & (codes <= high)
        after = np.zeros(len(codes), dtype=bool)  # a CJK character right before
        after[1:] = cjk[:-1]
        before = np.zeros(len(codes), dtype=bool)  # a CJK character right after
        before[:-1] = cjk[1:]
        pair = cjk & before  # a pair starts here
        lone = cjk & ~after & ~before
        keys = [(codes[pair] << 21) | codes[np.flatnonzero(pair) + 1], codes[lone]]
        docs = [doc_of[pair], doc_of[lone]]
        other_keys: list[int] = []
        other_docs: list[int] = []
        for i, f in enumerate(folded):
            for term in _NOT_CJK_TERM.findall(f):
                other_keys.append(self._other(term))
                other_docs.append(i)
        keys.append(np.array(other_keys, dtype=np.int64))
        docs.append(np.array(other_docs, dtype=np.int32))
        return np.concatenate(keys), np.concatenate(docs)

    def number(self, keys: np.ndarray) -> tuple[dict[str, int], np.ndarray]:
        """(term -> id, the id of each key)."""
        unique = sorted_unique(keys)
        ids = np.searchsorted(unique, keys)
        others = list(self._others)
        strings = [
            chr(k >> 21) + chr(k & 0x1FFFFF) if k >= 1 << 21 else chr(k) if k >= 0 else others[-1 - k]
            for k in unique.tolist()
        ]
        return dict(zip(strings, range(len(strings)))), ids.astype(np.int32)


@dataclass
class _Prepared:
    """What the index needs besides the passages' words: made from the texts alone, so that a
    large build computes it while worker processes tokenize (`prepare_index`)."""

    gram_vocab: dict[str, int]
    label_words: dict[str, list[str]]
    extra_words: dict[int, list[str]]  # the words of the bound questions of a passage
    notes: dict[int, str]
    section_of: np.ndarray
    sections: int
    gram_run: Run
    section_grams: Run
    intents: np.ndarray
    definitions: Postings
    objects: Postings
    outlines: OutlineTable
    topics: list[str]
    pool: list[str]
    enumerated: dict[int, list[str]]
    gram_homophones: set[str]  # `homophone_candidates` of the bigram terms
    char_df: np.ndarray


def speech_shapes(
    texts: list[str],
) -> tuple[list[list[bool]], list[list[str]], list[list[str]], list[list[str]], tuple[bytes, bytes]]:
    """What the index reads off a speech's passage texts alone, passage by passage: the intents
    each has the shape of (`INTENTS`, one list per intent), its definition subjects (without line
    breaks: `definition_subject` stops at one), the verbs whose objects it lists and the
    characters its items share, and what it enumerates the parts of; sorted, so that a build does
    not depend on a set's order. Last, how many of its passages have each character
    (`char_counts`)."""
    intents = [[bool(shape.search(text)) for text in texts] for _, shape in INTENTS]
    definitions = [sorted(s for s in definition_subjects(text) if "\n" not in s) for text in texts]
    objects = [sorted(object_heads(text) | shared_characters(text)) for text in texts]
    enumerated = [list(enumerated_subjects(text)) for text in texts]
    return intents, definitions, objects, enumerated, char_counts(texts)


def char_counts(texts: list[str]) -> tuple[bytes, bytes]:
    """The characters U+4E00..U+9FFF the texts have (their offsets from U+4E00, uint16) and how
    many of the texts have each (int32), as bytes: kept with a speech's shapes (a few thousand
    characters, not the whole range), added up over the speeches by `add_char_counts`."""
    counts = np.zeros(CJK_LAST - CJK_FIRST + 1, dtype=np.int32)
    for text in texts:
        codes = np.unique(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)).astype(np.int64) - CJK_FIRST
        counts[codes[(codes >= 0) & (codes <= CJK_LAST - CJK_FIRST)]] += 1  # unique: no index twice
    present = np.flatnonzero(counts)
    return present.astype(np.uint16).tobytes(), counts[present].tobytes()


def add_char_counts(char_df: np.ndarray, kept: tuple[bytes, bytes]) -> None:
    """Add a speech's `char_counts` to the table of every character U+4E00..U+9FFF."""
    codes, counts = kept
    char_df[np.frombuffer(codes, dtype=np.uint16)] += np.frombuffer(counts, dtype=np.int32)


def _kept_char_counts(kept: Any) -> bool:
    """Whether a speech's kept `char_counts` are well formed (a damaged cache file is made again)."""
    if not (isinstance(kept, tuple) and len(kept) == 2 and all(isinstance(b, bytes) for b in kept)):
        return False
    codes, counts = kept
    return len(codes) * 2 == len(counts) and (not codes or int(np.frombuffer(codes, np.uint16).max()) <= CJK_LAST - CJK_FIRST)


def shapes_by_speech(texts_by_speech: Sequence[list[str]], cache_dir: Path | None) -> list[tuple]:
    """`speech_shapes` of each speech, kept per speech in `cache_dir` (keyed by the code and the
    texts, as the tokens are): a library with one speech added reads the others' back. At 100k
    passages they take about 4 s to make and a tenth of that to read."""
    salt = "shapes\0" + _code_version()
    out = []
    for texts in texts_by_speech:
        path = _speech_cache_path(cache_dir, "shapes", salt, texts) if cache_dir is not None else None
        found = _read_kept(path) if path is not None else None
        if not (isinstance(found, tuple) and len(found) == 5 and len(found[1]) == len(texts)
                and _kept_char_counts(found[4])):
            found = speech_shapes(texts)
            if path is not None:
                _write_quietly(path, marshal.dumps(found))
        out.append(found)
    return out


def prepare_index(
    passages: list[Passage], tokenizer: Tokenizer, settings: Any, annotations: dict[tuple[str, int], list[str]] | None,
    starts: Sequence[int] | None = None, cache_dir: Path | None = None,
) -> _Prepared:
    """`starts`: where each speech's passages begin (and one past the end); with `cache_dir`, what
    is read off each speech's texts alone is kept there per speech (`shapes_by_speech`)."""
    annotations = annotations or {}
    label_words: dict[str, list[str]] = {}
    notes: dict[int, str] = {}
    extra_words: dict[int, list[str]] = {}
    section_ids: dict[tuple[str, tuple[str, ...]], int] = {}
    section_of = np.zeros(len(passages), dtype=np.int32)
    grams = _GramKeys()
    label_keys: dict[str, np.ndarray] = {}
    extra_keys: list[np.ndarray] = []
    extra_docs: list[np.ndarray] = []
    for i, p in enumerate(passages):
        keys = []
        for _ in range(settings.heading_repeat):
            for label in p.section:
                if label not in label_words:
                    label_words[label] = tokenizer.tokens(label)
                    label_keys[label] = grams.keys(bigrams(label))
                keys.append(label_keys[label])
        bound = annotations.get((p.doc_id, p.paragraph))
        if bound:
            extra_words[i] = [t for q in bound for t in tokenizer.tokens(q)]
            keys.extend(grams.keys(bigrams(q)) for q in bound)
            notes[i] = strip_for_match("".join(bound))
        if keys:
            joined = np.concatenate(keys)
            extra_keys.append(joined)
            extra_docs.append(np.full(len(joined), i, dtype=np.int32))
        section_of[i] = section_ids.setdefault((p.doc_id, p.section), len(section_ids))
    n = len(passages)
    text_keys, text_docs = grams.of_texts([p.text for p in passages])
    gram_vocab, gram_terms = grams.number(np.concatenate([text_keys, *extra_keys]))
    gram_docs = np.concatenate([text_docs, *extra_docs])
    del text_keys, text_docs, extra_keys, extra_docs
    gram_run = build_run(gram_docs, gram_terms, n, gram_vocab, settings.k1, settings.b)
    section_grams = build_run(section_of[gram_docs], gram_terms, len(section_ids), gram_vocab, settings.k1, settings.b)
    del gram_docs, gram_terms
    bounds = list(starts) if starts is not None else [0, n]
    shapes = shapes_by_speech([[p.text for p in passages[a:b]] for a, b in itertools.pairwise(bounds)], cache_dir)
    intents = np.zeros((len(INTENTS), n), dtype=np.uint8)
    definition_pairs: list[tuple[str, int]] = []
    object_pairs: list[tuple[str, int]] = []
    enumerated: dict[int, list[str]] = {}
    char_df = np.zeros(CJK_LAST - CJK_FIRST + 1, dtype=np.int32)
    for a, (shaped, defined, listed, parts, chars) in zip(bounds, shapes):
        add_char_counts(char_df, chars)
        if defined:
            intents[:, a : a + len(defined)] = shaped
        for j, (subjects, verbs, enum) in enumerate(zip(defined, listed, parts)):
            definition_pairs.extend((s, a + j) for s in subjects)
            object_pairs.extend((v, a + j) for v in verbs)
            if enum:
                enumerated[a + j] = enum
    definitions = Postings.build(definition_pairs)
    objects = Postings.build(object_pairs)
    topics, pool = topic_lists(passages)
    # the bigrams' part of the homophone table, and the pinyin of every character (read once a
    # process), are made here too: in a large build this runs while the workers tokenize
    gram_homophones = homophone_candidates(gram_vocab, tokenizer) if pinyin_table(cache_dir) else set()
    return _Prepared(
        gram_vocab, label_words, extra_words, notes, section_of, len(section_ids), gram_run, section_grams,
        intents.reshape(len(INTENTS), n), definitions, objects, OutlineTable.from_passages(passages, tokenizer.tokens),
        topics, pool, enumerated, gram_homophones, char_df,
    )


def build_index(
    passages: list[Passage],
    text_tokens: list[list[list[str]]],
    tokenizer: Tokenizer,
    settings: Any,
    annotations: dict[tuple[str, int], list[str]] | None = None,
    progress: bool | None = False,
    prepared: _Prepared | None = None,
) -> Index:
    """The index of passages whose texts are already tokenized (`text_tokens`: for each passage,
    the words of each of its `passage_sentences`); `prepared`: `prepare_index` of the same
    passages, if it was made already."""
    pre = prepared or prepare_index(passages, tokenizer, settings, annotations)
    words = _Ids()
    sentence_chunks: list[np.ndarray] = []
    sentence_lengths: list[int] = []
    sentences_of = np.zeros(len(passages) + 1, dtype=np.int64)
    bar = _progress_bar(len(passages), progress, "建索引")
    for i, (p, sentences) in enumerate(zip(passages, text_tokens)):
        if bar is not None and i % 2000 == 1999:
            bar.update(2000)
        w = [t for sentence in sentences for t in sentence]
        in_text = len(w)
        for _ in range(settings.heading_repeat):
            for label in p.section:
                w.extend(pre.label_words[label])
        if i in pre.extra_words:
            w.extend(pre.extra_words[i])
        sentence_chunks.append(words.add(w)[:in_text])
        sentence_lengths.extend(len(sentence) for sentence in sentences)
        sentences_of[i + 1] = sentences_of[i] + len(sentences)
    if bar is not None:
        bar.update(len(passages) - bar.n)
        bar.close()
    n = len(passages)
    words.finish()
    word_docs, word_terms = words.arrays()
    word_run = build_run(word_docs, word_terms, n, words.vocab, settings.k1, settings.b)
    section_words = build_run(pre.section_of[word_docs], word_terms, pre.sections, words.vocab, settings.k1, settings.b)
    del word_docs, word_terms
    sentence_words = words.renumber(np.concatenate(sentence_chunks)) if sentence_chunks else np.zeros(0, dtype=np.int32)
    sentence_ptr = np.zeros(len(sentence_lengths) + 1, dtype=np.int64)
    np.cumsum(sentence_lengths, out=sentence_ptr[1:])
    pinyin = pinyin_table()  # made or read by `prepare_index`
    homophones = homophone_table(words.vocab, tokenizer, pinyin, pre.gram_homophones)
    return Index(
        passages, word_run, pre.gram_run, section_words, pre.section_grams, pre.section_of, pre.intents,
        pre.definitions, pre.objects, pre.outlines, homophones, pinyin, pre.topics, pre.pool, _pool_grams(pre.pool),
        pre.notes, sentences_of, sentence_ptr, sentence_words, pre.enumerated, pre.char_df,
    )


_pinyin: list[str] | None = None
_pinyin_lock = threading.Lock()


def pinyin_table(cache_dir: Path | None = None) -> list[str]:
    """The usual pinyin of every character U+4E00..U+9FFF, one reading each (enough for typing
    mistakes); empty without pypinyin (no typo tolerance then). Computed once a process (0.7 s),
    or read from `cache_dir`, where it is kept per pypinyin: a child process that indexes a large
    library (`search.build_in_child`) is a new process at every change."""
    global _pinyin
    with _pinyin_lock:
        if _pinyin is None:
            path = cache_dir / f"pinyin-{hashlib.sha256(_pinyin_version().encode()).hexdigest()[:20]}.txt" if cache_dir else None
            try:
                if path is not None and path.is_file():
                    kept = path.read_text(encoding="utf-8").split("\n")
                    if len(kept) == CJK_LAST - CJK_FIRST + 1:
                        _pinyin = kept
                        return _pinyin
            except (OSError, UnicodeDecodeError):
                pass
            try:
                from pypinyin import lazy_pinyin
            except ImportError:
                return []
            _pinyin = lazy_pinyin([chr(c) for c in range(CJK_FIRST, CJK_LAST + 1)])
            if path is not None and all("\n" not in x for x in _pinyin):
                _write_quietly(path, "\n".join(_pinyin).encode("utf-8"))
    return _pinyin


def _in_cjk_ranges(term: str) -> bool:
    return all(any(low <= ord(c) <= high for low, high in _CJK_RANGES) for c in term)


def _is_cjk(term: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in term)


def homophone_candidates(terms, tokenizer: Tokenizer) -> set[str]:
    """The terms a homophone table holds: two or more CJK characters, and a word of jieba's
    dictionary (jieba's odd cuts, "是要", are no one's intended word)."""
    return {t for t in terms if len(t) >= 2 and _is_cjk(t) and tokenizer.is_word(t)}


def homophone_table(terms, tokenizer: Tokenizer, pinyin: list[str], known: set[str] | None = None) -> dict[str, str]:
    """Pinyin -> the terms of the index (words and bigrams, two or more characters) that sound so
    and are common words; `known`: `homophone_candidates` already found among more terms (a large
    build finds the bigrams' while worker processes tokenize)."""
    if not pinyin:
        return {}
    table: dict[str, list[str]] = {}
    for term in sorted(homophone_candidates(terms, tokenizer) | (known or set())):
        table.setdefault(" ".join(pinyin[ord(c) - CJK_FIRST] for c in term), []).append(term)
    return {sound: "\t".join(terms) for sound, terms in table.items()}


def topic_lists(passages: list[Passage]) -> tuple[list[str], list[str]]:
    """Section headings, outermost first (numbering removed), and those offered as suggestions:
    the innermost headings of four characters or more (else any of four or more)."""
    seen: dict[str, int] = {}
    deep: set[str] = set()
    for p in passages:
        for depth, label in enumerate(p.section):
            topic = topic_name(label)
            if topic and topic not in seen:
                seen[topic] = depth
        if p.section:
            deep.add(topic_name(p.section[-1]))
    topics = sorted(seen, key=lambda t: seen[t])
    long = [t for t in topics if len(t) >= 4]
    return topics, [t for t in long if t in deep] or long


def _pool_grams(pool: list[str]) -> dict[str, list[int]]:
    grams: dict[str, list[int]] = {}
    for i, topic in enumerate(pool):
        for g in set(bigrams(topic)):
            grams.setdefault(g, []).append(i)
    return grams


# ---- the file ----------------------------------------------------------------------------------

class PassageList(Sequence[Passage]):
    """The passages of a loaded index, each made from the arrays when first asked for."""

    def __init__(self, first_id: int, docs: list[tuple[str, str, str]], sections: list[tuple[str, ...]],
                 arrays: dict[str, np.ndarray]):
        self._first, self._docs, self._sections = first_id, docs, sections
        self._doc_of, self._section_of = arrays["p.doc"], arrays["section_of"]
        self._paragraph, self._part = arrays["p.paragraph"], arrays["p.part"]
        self._offsets, self._blob = arrays["p.offsets"], arrays["p.blob"]
        self._made: list[Passage | None] = [None] * len(self._doc_of)

    def __len__(self) -> int:
        return len(self._made)

    @property
    def doc_of(self) -> np.ndarray:
        """Each passage's speech, as a number (the same for the passages of one speech)."""
        return self._doc_of

    @property
    def paragraph(self) -> np.ndarray:
        """Each passage's paragraph number in its speech."""
        return self._paragraph

    def counts_by_doc(self) -> dict[str, int]:
        """Passages per speech id, from the arrays."""
        counts = np.bincount(self._doc_of, minlength=len(self._docs)).tolist()
        per: dict[str, int] = {}
        for (doc_id, _, _), n in zip(self._docs, counts):
            per[doc_id] = per.get(doc_id, 0) + n
        return per

    def paragraph_key(self, i: int) -> tuple[str, int]:
        """(speech id, paragraph) of passage i, read from the arrays: no passage is made."""
        return self._docs[int(self._doc_of[i])][0], int(self._paragraph[i])

    def text_of(self, i: int) -> str:
        """The text of passage i, read from the arrays: no passage is made."""
        made = self._made[i]
        if made is not None:
            return made.text
        return self._blob[int(self._offsets[i]) : int(self._offsets[i + 1])].tobytes().decode("utf-8")

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        made = self._made[i]  # IndexError out of range, as a list
        if made is None:
            doc_id, title, date = self._docs[int(self._doc_of[i])]
            text = self._blob[int(self._offsets[i]) : int(self._offsets[i + 1])].tobytes().decode("utf-8")
            made = Passage(self._first + i, doc_id, title, date, self._sections[int(self._section_of[i])],
                           int(self._paragraph[i]), int(self._part[i]), text)
            self._made[i] = made
        return made

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]


def save_index(path: Path, index: Index, key: str) -> None:
    ps = index.passages
    docs: dict[tuple[str, str, str], int] = {}
    doc_of = np.array([docs.setdefault((p.doc_id, p.title, p.date), len(docs)) for p in ps], dtype=np.int32)
    sections: list[tuple[str, ...]] = [()] * index.section_words.n_docs
    for p, sid in zip(ps, index.section_of.tolist()):
        sections[sid] = p.section
    texts = [p.text.encode("utf-8") for p in ps]
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=offsets[1:])
    homophones = index.homophones
    header = {
        "format": INDEX_FORMAT,
        "fingerprint": key,
        "first_id": ps[0].id if ps else 0,
        "docs": list(docs),
        "sections": sections,
        "sounds": "\n".join(homophones),
        "sounding": "\n".join(homophones.values()),
        "pinyin": index.pinyin,
        "topics": index.topics,
        "pool": index.pool,
        "notes": index.notes,
        "enumerated": index.enumerated,
    }
    arrays = {
        **index.words.arrays("w"), **index.bigrams.arrays("b"),
        **index.section_words.arrays("sw"), **index.section_grams.arrays("sb"),
        **HashedTerms.arrays(index.words.vocab, "wv"), **HashedTerms.arrays(index.bigrams.vocab, "bv"),
        **HashedTerms.arrays(index.definitions.keys, "dv"), **HashedTerms.arrays(index.objects.keys, "ov"),
        "section_of": index.section_of, "intents": index.intents,
        "def.indptr": index.definitions.indptr, "def.docs": index.definitions.docs,
        "obj.indptr": index.objects.indptr, "obj.docs": index.objects.docs, **index.outlines.arrays(),
        "sentences_of": index.sentences_of, "sentence_ptr": index.sentence_ptr, "sentence_words": index.sentence_words,
        "char_df": index.char_df, "p.doc": doc_of, "p.paragraph": np.array([p.paragraph for p in ps], dtype=np.int32),
        "p.part": np.array([p.part for p in ps], dtype=np.int32), "p.offsets": offsets,
        "p.blob": np.frombuffer(b"".join(texts), dtype=np.uint8),
    }
    save_arrays(path, header, arrays)


def load_index(path: Path, key: str) -> Index:
    """The index `save_index` wrote; ValueError or OSError if it is not that index or is damaged."""
    header, arrays = load_arrays(path)
    if not isinstance(header, dict) or header.get("format") != INDEX_FORMAT or header.get("fingerprint") != key:
        raise ValueError(f"{path}: another index")
    try:
        n = len(arrays["p.doc"])
        sections = [tuple(s) for s in header["sections"]]
        words, grams = HashedTerms(arrays, "wv"), HashedTerms(arrays, "bv")
        sounds = header["sounds"].split("\n") if header["sounds"] else []
        sounding = header["sounding"].split("\n") if header["sounding"] else []
        if len(sounds) != len(sounding):
            raise ValueError("homophones")
        index = Index(
            PassageList(header["first_id"], [tuple(d) for d in header["docs"]], sections, arrays),
            Run.from_arrays(words, arrays, "w", n),
            Run.from_arrays(grams, arrays, "b", n),
            Run.from_arrays(words, arrays, "sw", len(sections)),
            Run.from_arrays(grams, arrays, "sb", len(sections)),
            arrays["section_of"],
            arrays["intents"],
            Postings(HashedTerms(arrays, "dv"), arrays["def.indptr"], arrays["def.docs"]),
            Postings(HashedTerms(arrays, "ov"), arrays["obj.indptr"], arrays["obj.docs"]),
            OutlineTable(arrays),
            dict(zip(sounds, sounding)), header["pinyin"], header["topics"], header["pool"],
            _pool_grams(header["pool"]), header["notes"],
            arrays["sentences_of"], arrays["sentence_ptr"], arrays["sentence_words"], header["enumerated"],
            arrays["char_df"],
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: damaged index ({exc})") from exc
    _check(index, n)
    return index


def _check(index: Index, n: int) -> None:
    """Shapes agree, so that a damaged file fails here and not in the middle of a search."""
    for run in (index.words, index.bigrams, index.section_words, index.section_grams):
        if len(run.indptr) != len(run.vocab) + 1 or len(run.idf) != len(run.vocab):
            raise ValueError("index: vocabulary and columns disagree")
        if len(run.docs) != len(run.weights) or (len(run.indptr) and int(run.indptr[-1]) != len(run.docs)):
            raise ValueError("index: entries disagree")
    outlines = index.outlines
    if len(outlines.anchor) and (int(outlines.anchor.max()) >= n or len(outlines._optr) != n + 1):
        raise ValueError("index: outline table disagrees")
    if index.intents.shape != (len(INTENTS), n) or len(index.section_of) != n or len(index.sentences_of) != n + 1:
        raise ValueError("index: passage arrays disagree")
    ps = index.passages
    if isinstance(ps, PassageList) and (len(ps._offsets) != n + 1 or int(ps._offsets[-1]) != len(ps._blob)):
        raise ValueError("index: passage arrays disagree")
    if index.pinyin and len(index.pinyin) != CJK_LAST - CJK_FIRST + 1:
        raise ValueError("index: pinyin table")
    if len(index.char_df) != CJK_LAST - CJK_FIRST + 1:
        raise ValueError("index: character table")


def index_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"index-{key}.bin"


def frequencies_path(cache_dir: Path, tokenizer: Tokenizer) -> Path:
    return cache_dir / f"words-{tokenizer.fingerprint()[:40]}.bin"


def prune(cache_dir: Path, *keep: Path) -> None:
    """Remove all but the newest KEEP_INDEXES index and word-count files."""
    try:
        for pattern in ("index-*.bin", "words-*.bin"):
            files = sorted(cache_dir.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in [f for f in files if f not in keep][KEEP_INDEXES - 1 :]:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.debug("cache not pruned: %s", exc)


# ---- an unchanged knowledge directory: no need to read it --------------------------------------


def directory_stamp(directory: Path) -> str:
    """Name, size and modification time of every file under a knowledge directory."""
    h = hashlib.sha256(str(directory.resolve()).encode())
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            st = os.stat(path)
            h.update(f"{os.path.relpath(path, directory)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _shortcut_path(cache_dir: Path, directory: Path, settings: Any) -> Path:
    key = repr((str(directory.resolve()), settings.passage_chars, settings.heading_repeat, settings.k1, settings.b))
    return cache_dir / f"dir-{hashlib.sha256(key.encode()).hexdigest()[:32]}.bin"


def remember_directory(cache_dir: Path, directory: Path, settings: Any, corpus: Corpus, tokenizer: Tokenizer,
                       key: str, stamp: str) -> None:
    """Note which index a knowledge directory, as its files stand (`stamp`), was built into, with
    the little of the corpus that is not in the index, so that `recall_directory` can skip reading
    the directory next time."""
    record = {
        "format": INDEX_FORMAT, "code": _code_version(), "pypinyin": _pinyin_version(),
        "tokenizer": tokenizer.fingerprint(),
        "stamp": stamp, "index": key,
        "speeches": [tuple(vars(st.speech).values()) for st in corpus.speeches],
        "synonyms": corpus.synonyms, "userdict": list(corpus.userdict), "stopwords": sorted(corpus.stopwords),
        "annotations": corpus.annotations,
    }
    _write_quietly(_shortcut_path(cache_dir, directory, settings), marshal.dumps(record))


def recall_directory(cache_dir: Path, directory: Path, settings: Any) -> tuple[Corpus, Tokenizer, str] | None:
    """(corpus without speech texts, tokenizer, index key) if the directory's files are as they were
    when it was last indexed (same names, sizes and times) and that index is there; else None."""
    from .types import Speech

    try:
        record = marshal.loads(_shortcut_path(cache_dir, directory, settings).read_bytes())
        if not isinstance(record, dict) or record.get("format") != INDEX_FORMAT or record.get("code") != _code_version():
            return None
        if record["stamp"] != directory_stamp(directory) or record["pypinyin"] != _pinyin_version():
            return None
        tokenizer = Tokenizer(record["userdict"], set(record["stopwords"]))
        if tokenizer.fingerprint() != record["tokenizer"] or not index_path(cache_dir, record["index"]).is_file():
            return None
        corpus = Corpus(
            speeches=[SpeechText(Speech(*fields), ()) for fields in record["speeches"]],
            synonyms=record["synonyms"], userdict=record["userdict"], stopwords=set(record["stopwords"]),
            annotations=record["annotations"],
        )
        return corpus, tokenizer, record["index"]
    except (OSError, EOFError, ValueError, TypeError, KeyError) as exc:
        log.debug("knowledge directory read again: %s", exc)
        return None
